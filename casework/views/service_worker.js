// The assessment pages' service worker (issue 12 §2), served at /sw.js by casework/views/offline.py,
// which fills in the __NAMES__ below. It is served from the root so that it may control
// /inspections/... (a worker under /static/ could control only /static/...). It is a classic
// script, not a module: Chromium fetches a module worker's script without the session cookie, so
// the sign-in every page needs would turn it into a redirect, which a worker may not follow.
//
// What it keeps, and why (our reading of "never pages with children's data after sign-out"):
// - Its cache holds the app shell only: the static files (CSS, JavaScript, fonts, icons), which
//   are the same for everyone and name nobody. No page is ever put in it: every page is fetched
//   from the network as if there were no worker (the server marks them no-store too), so no
//   child's case, answer or name is in the cache, before or after sign-out, and a page opened
//   without a network shows the browser's own "no connection" page rather than an old copy.
// - What the assessor typed and could not send is kept in IndexedDB (answer_outbox.js), under
//   their user id, only until the server has it; the worker sends it when the network is back
//   (Background Sync), even with the tab closed. Signing out empties it, once the server has
//   signed them out (a sign-out that cannot reach the server keeps it), and the open pages drop
//   their drafts.
// - Nothing here carries a session, a CSRF secret or a user's details: the worker sends a kept
//   answer with the browser's own cookies.
// The outbox's code (clearAll, entries, sendWaiting, signedInUser, ...) is put here by the view:
__OUTBOX__

const SHELL = __SHELL__;
const CACHE = "case-assessment-shell-__VERSION__";
const STATIC_PREFIX = "__STATIC_URL__";
const SIGN_OUT = "__SIGN_OUT_URL__";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  // An older shell goes, and anything else found in this origin's caches with it.
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === SIGN_OUT) {
    event.respondWith(signOut(request));
  } else if (request.method === "GET" && url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticFile(request));
  }
  // Everything else (every page, every save) goes to the network untouched.
});

async function staticFile(request) {
  // Network first, so a new release is picked up at once; the cached copy only without a network.
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

async function signOut(request) {
  let response;
  try {
    response = await fetch(request);
  } catch {
    return Response.error(); // not signed out: what is kept stays
  }
  // A navigation follows no redirect itself: the sign-out's redirect comes back opaque.
  if (response.type === "opaqueredirect" || response.ok) {
    await clearAll();
    for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage({ type: "signed-out" });
  }
  return response;
}

async function sendKept() {
  const user = await signedInUser();
  if (!user) return;
  const outcomes = await sendWaiting({ user });
  if (outcomes.length) {
    for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage({ type: "outbox-changed" });
  }
  const left = (await entries()).filter((e) => e.user === user && e.state === "waiting");
  // Still waiting (no network yet, or a token only an open page can renew): let the browser retry.
  if (left.length) throw new Error(`${left.length} answers still waiting`);
}

self.addEventListener("sync", (event) => {
  if (event.tag === "send-answers") event.waitUntil(sendKept());
});
