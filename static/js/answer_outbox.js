// The answers kept on this device until the server has them (issue 12 §2), in IndexedDB so they
// outlive a reload, a closed tab or a restarted laptop. Shared by the assessment page
// (assessment.js) and the service worker (/sw.js: casework/views/service_worker.js, which gets this
// code put in by casework/views/offline.py), which both send them when the network is back.
//
// One entry per question (keyed by the question's save address, which names the inspection, the
// case and the question): answering the same question again while offline replaces the value but
// keeps the revision the first answer was based on, so the server's revision check still sees
// whether someone else changed the answer in the meantime. Sending the same value twice is harmless:
// the server does nothing when the answer already has that value (services/assessment.py).

const DB_NAME = "case-assessment";
const OUTBOX = "outbox";
const META = "meta";
const LOCK = "case-assessment-outbox";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(OUTBOX, { keyPath: "url" });
      request.result.createObjectStore(META);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(store, mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      let result;
      Promise.resolve(work(tx.objectStore(store))).then((value) => {
        result = value;
      });
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

function requested(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function entries() {
  return run(OUTBOX, "readonly", (store) => requested(store.getAll()));
}

export function entry(url) {
  return run(OUTBOX, "readonly", (store) => requested(store.get(url)));
}

/** Keep one answer to send later. ``fields`` are the form's [name, value] pairs (its CSRF token and
 * expected_revision included); ``about`` says where it was given (question id, slug, page address).
 * An answer already waiting for the question keeps the revision it was based on. */
export function keep({ url, user, fields, revision, ...about }) {
  return run(OUTBOX, "readwrite", async (store) => {
    const before = await requested(store.get(url));
    const based = before && before.user === user ? before.revision : revision;
    const sent = fields.map(([name, value]) => [name, name === "expected_revision" ? String(based) : value]);
    store.put({ ...about, url, user, fields: sent, revision: based, keptAt: Date.now(), state: "waiting" });
  });
}

/** Forget an answer once the server has it (or has shown its conflict on the page), unless the
 * assessor changed it again after ``since`` (that newer value still has to go). */
export function forget(url, since = Infinity) {
  return run(OUTBOX, "readwrite", async (store) => {
    const kept = await requested(store.get(url));
    if (kept && kept.keptAt <= since) store.delete(url);
  });
}

function mark(url, state, keptAt) {
  return run(OUTBOX, "readwrite", async (store) => {
    const kept = await requested(store.get(url));
    if (kept && kept.keptAt === keptAt) store.put({ ...kept, state });
  });
}

/** Everything kept on this device: what the assessor typed is children's case information, so it
 * goes when they sign out (see sw.js). */
export function clearAll() {
  return Promise.all([
    run(OUTBOX, "readwrite", (store) => store.clear()),
    run(META, "readwrite", (store) => store.clear()),
  ]);
}

export function setUser(user) {
  return run(META, "readwrite", (store) => store.put(user, "user"));
}

export function signedInUser() {
  return run(META, "readonly", (store) => requested(store.get("user")));
}

function withLock(work) {
  // One sender at a time across the tabs and the service worker (Web Locks; without them, the
  // server's "same value does nothing" keeps a double send harmless).
  return navigator.locks ? navigator.locks.request(LOCK, work) : work();
}

/** What the server said to one sent answer. */
export function outcomeOf(status, headers) {
  if (headers.get("HX-Redirect")) return "sign-in"; // the session ended: the sign-in page answered
  if (status === 200) return "saved";
  if (status === 409) return "conflict";
  if (status === 422 || status === 404) return "refused";
  return "later"; // 403 (an old CSRF token), 5xx, a redirect: try again, from the page if need be
}

/**
 * Send the waiting answers of ``user``, oldest first, stopping at the first that cannot reach the
 * server. ``csrf`` replaces the kept CSRF token when given (the page's own is always current).
 * ``skip(url)`` leaves an answer for the caller (the page sends its own questions through htmx, so
 * a conflict is shown in place). Returns the outcomes, [entry, outcome] pairs.
 */
export function sendWaiting({ user, csrf = null, skip = () => false }) {
  return withLock(async () => {
    const waiting = (await entries())
      .filter((e) => e.user === user && e.state === "waiting" && !skip(e.url))
      .sort((a, b) => a.keptAt - b.keptAt);
    const outcomes = [];
    for (const kept of waiting) {
      const body = new URLSearchParams(
        kept.fields.map(([name, value]) => [name, csrf && name === "csrfmiddlewaretoken" ? csrf : value]),
      );
      let response;
      try {
        response = await fetch(kept.url, {
          method: "POST",
          body,
          credentials: "same-origin",
          redirect: "manual",
          headers: { "HX-Request": "true" },
        });
      } catch {
        break; // still no network
      }
      const outcome = response.type === "opaqueredirect" ? "sign-in" : outcomeOf(response.status, response.headers);
      outcomes.push([kept, outcome]);
      if (outcome === "saved") await forget(kept.url, kept.keptAt);
      else if (outcome === "conflict" || outcome === "refused") await mark(kept.url, outcome, kept.keptAt);
      else break;
    }
    return outcomes;
  });
}
