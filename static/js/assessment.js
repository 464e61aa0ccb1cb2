// Nothing typed on an assessment page is lost (issue 12 §1-2).
//
// - A written answer saves itself 1.5 s after the last key and when the assessor leaves the field
//   (htmx posts the question's form, as a change does); each keystroke is also kept as a local draft
//   (localStorage, keyed by user, question address and the revision the text was typed on), so a
//   reload or a closed tab gives the text back; leaving while text is still unsaved warns.
// - Without a network, an answer is kept in IndexedDB (answer_outbox.js) with the revision it was
//   based on, and sent when the network is back: by this page, or by the service worker (/sw.js,
//   casework/views/service_worker.js) if the tab was closed. The server's revision check decides, as for any save: a conflict is
//   shown on the question, never overwritten.
// - Without JavaScript none of this runs and each question keeps its Save button (plain POST).
import * as outbox from "./answer_outbox.js";

const AUTOSAVE_AFTER_MS = 1500;
const RETRY_EVERY_MS = 5000;
const DRAFTS = "case-assessment-draft:";

// After htmx has set up the page's forms (its own DOMContentLoaded listener runs before this one).
const ready = () => {
  const panel = document.getElementById("autosave");
  if (panel && window.htmx) start(panel);
};
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
else ready();

function start(panel) {
  const words = panel.dataset;
  const user = panel.dataset.user;
  const mine = `${DRAFTS}${user}:`;
  const summary = panel.querySelector("[data-autosave-summary]");
  const attention = panel.querySelector("[data-autosave-attention]");
  const attentionHeading = panel.querySelector("[data-autosave-attention-heading]");

  const serverValue = new Map(); // address -> the written answer the server has, as far as we know
  const lastSent = new Map(); // address -> the written answer last posted
  const sentAt = new Map(); // address -> when that post started (ms)
  const timers = new Map(); // address -> the pending autosave
  const typedNow = new Map(); // address -> what the written answer's field holds, as typed or restored
  const known = new Map(); // address -> {revision, value}: the server's answer as last known here
  const inFlight = new Set();
  let sending = false;
  let savedAt = null;

  // --- The page's question forms ----------------------------------------------------------

  const questionForms = () => [...document.querySelectorAll("form[data-question][hx-post]")];
  const addressOf = (form) => form.getAttribute("action");
  const formAt = (address) => questionForms().find((form) => addressOf(form) === address) || null;
  const isQuestionForm = (el) => el instanceof HTMLFormElement && el.matches("form[data-question][hx-post]");
  const writtenField = (form) => form.querySelector("textarea[name=value], input[type=text][name=value]");
  const revisionOf = (form) => form.querySelector("[name=expected_revision]").value;
  const slugOf = (form) => form.id.replace(/^question-/, "");
  const csrfToken = () => document.querySelector("[name=csrfmiddlewaretoken]")?.value || null;
  const time = (when) => {
    const pad = (n) => String(n).padStart(2, "0");
    return `${pad(when.getHours())}:${pad(when.getMinutes())}`;
  };

  function note(form, text) {
    // A line in the question's status (htmx replaces the status on each save, so it goes then).
    const status = document.getElementById(`status-${slugOf(form)}`);
    if (!status) return null;
    let line = status.querySelector("[data-autosave-note]");
    // A newer state replaces "Saved at": the answer on the screen is no longer the one saved.
    if (text) status.querySelector("[data-saved]")?.closest("p")?.remove();
    if (!text) {
      line?.remove();
      return null;
    }
    if (!line) {
      line = document.createElement("p");
      line.className = "govuk-body-s govuk-!-margin-bottom-2";
      line.dataset.autosaveNote = "";
      status.append(line);
    }
    line.replaceChildren(document.createTextNode(text));
    return line;
  }

  // --- Drafts -----------------------------------------------------------------------------

  const draftKey = (address, revision) => `${mine}${address}#${revision}`;

  function draftsOf(address) {
    const prefix = `${mine}${address}#`;
    const found = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key.startsWith(prefix)) continue;
      try {
        found.push({ key, revision: key.slice(prefix.length), ...JSON.parse(localStorage.getItem(key)) });
      } catch {
        localStorage.removeItem(key);
      }
    }
    return found.sort((a, b) => b.at - a.at);
  }

  function dropDrafts(address) {
    for (const draft of draftsOf(address)) localStorage.removeItem(draft.key);
  }

  function keepDraft(form) {
    const address = addressOf(form);
    const value = writtenField(form).value;
    const key = draftKey(address, revisionOf(form));
    if (value === serverValue.get(address)) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify({ value, at: Date.now() }));
  }

  function dropDraftsOfOthers() {
    // Another account's drafts on this device: they are not this assessor's to see.
    const others = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key.startsWith(DRAFTS) && !key.startsWith(mine)) others.push(key);
    }
    others.forEach((key) => localStorage.removeItem(key));
  }

  function dropAllMyDrafts() {
    const keys = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key.startsWith(mine)) keys.push(key);
    }
    keys.forEach((key) => localStorage.removeItem(key));
  }

  // --- Saving while typing ----------------------------------------------------------------

  function schedule(form) {
    const address = addressOf(form);
    clearTimeout(timers.get(address));
    timers.set(
      address,
      setTimeout(() => autosave(address), AUTOSAVE_AFTER_MS),
    );
  }

  function autosave(address) {
    clearTimeout(timers.get(address));
    timers.delete(address);
    const form = formAt(address);
    const field = form && writtenField(form);
    if (!field) return;
    if (field.value === serverValue.get(address) && !form.querySelector("[name=had_problem]")) {
      dropDrafts(address);
      note(form, "");
      return;
    }
    htmx.trigger(field, "change"); // the form's own htmx trigger posts it
  }

  document.addEventListener("input", (event) => {
    const form = event.target.closest?.("form[data-question][hx-post]");
    if (!form || event.target !== writtenField(form)) return;
    typedNow.set(addressOf(form), event.target.value);
    keepDraft(form);
    // A question showing a conflict saves only with "Save my answer instead" (its trigger is submit).
    if (!(form.getAttribute("hx-trigger") || "").includes("change")) return;
    note(form, words.notSaved);
    schedule(form);
  });

  document.addEventListener("focusout", (event) => {
    // Leaving the field saves at once (the browser's change event does when the text changed
    // since the field was entered; a restored draft has not, so it is sent from here).
    const form = event.target.closest?.("form[data-question][hx-post]");
    if (form && event.target === writtenField(form) && timers.has(addressOf(form))) autosave(addressOf(form));
  });

  // --- htmx's saves: note what was sent, keep what could not be ----------------------------

  htmx.on("htmx:confirm", (event) => {
    const form = event.detail.elt;
    if (!isQuestionForm(form)) return;
    const field = writtenField(form);
    const trigger = event.detail.triggeringEvent;
    // The browser's change on leaving a field that was saved while typing: nothing new to send.
    if (
      field &&
      trigger?.type === "change" &&
      field.value === lastSent.get(addressOf(form)) &&
      !form.querySelector("[name=had_problem]")
    ) {
      event.preventDefault();
    }
  });

  htmx.on("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    if (!isQuestionForm(form)) return;
    const address = addressOf(form);
    clearTimeout(timers.get(address));
    timers.delete(address);
    if (!navigator.onLine) {
      event.preventDefault();
      keepForLater(form);
      return;
    }
    lastSent.set(address, writtenField(form)?.value);
    sentAt.set(address, Date.now());
    inFlight.add(address);
    note(form, words.saving);
  });

  htmx.on("htmx:afterRequest", (event) => {
    const address = event.detail.requestConfig?.path;
    if (!inFlight.has(address)) return;
    inFlight.delete(address);
    const xhr = event.detail.xhr;
    if (xhr.status === 0) return; // no answer at all: htmx:sendError keeps it
    const outcome = outbox.outcomeOf(xhr.status, { get: (name) => xhr.getResponseHeader(name) });
    const form = formAt(address);
    if (outcome === "saved") {
      const sent = lastSent.get(address);
      if (sent !== undefined) serverValue.set(address, sent);
      if (form && sent !== undefined) known.set(address, { revision: Number(revisionOf(form)), value: sent });
      if (form) reconcile(form); // drawn again while this save was on its way
      const field = form && writtenField(form);
      if (!field || field.value === sent) dropDrafts(address);
      outbox.forget(address, sentAt.get(address)).then(refresh);
      if (form) showSaved(form);
    } else if (outcome === "conflict" || outcome === "refused") {
      // The question now shows the other answer or the error, with what was typed still in the form.
      outbox.forget(address, sentAt.get(address)).then(refresh);
    } else if (form) {
      keepForLater(form);
    }
  });

  const failed = (event) => {
    const address = event.detail.requestConfig?.path;
    inFlight.delete(address);
    const form = formAt(address);
    if (form) keepForLater(form);
  };
  htmx.on("htmx:sendError", failed);
  htmx.on("htmx:timeout", failed);

  function showSaved(form) {
    const now = new Date();
    savedAt = now;
    const tag = document.querySelector(`#status-${slugOf(form)} [data-saved]`);
    if (tag) tag.textContent = words.savedAt.replace("{time}", time(now));
    refresh();
  }

  async function keepForLater(form) {
    const fields = [...new FormData(form)].filter(([name]) => name !== "had_problem");
    note(form, words.waitingOne);
    await outbox.keep({
      url: addressOf(form),
      user,
      fields,
      revision: Number(revisionOf(form)),
      question: form.dataset.question,
      slug: slugOf(form),
      viewUrl: location.pathname,
    });
    navigator.serviceWorker?.ready.then((registration) => registration.sync?.register("send-answers")).catch(() => {});
    refresh();
  }

  // --- Sending what was kept --------------------------------------------------------------

  async function sendAll() {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      const kept = (await outbox.entries()).filter((e) => e.user === user);
      // This page's questions go through their own forms, so a conflict is shown in place.
      for (const entry of kept) {
        const form = formAt(entry.url);
        if (form && !inFlight.has(entry.url)) htmx.trigger(form, "submit");
      }
      await outbox.sendWaiting({ user, csrf: csrfToken(), skip: (url) => formAt(url) !== null });
    } finally {
      sending = false;
      refresh();
    }
  }

  async function refresh() {
    const kept = (await outbox.entries()).filter((e) => e.user === user);
    const waiting = kept.filter((e) => e.state === "waiting");
    const elsewhere = kept.filter((e) => e.state !== "waiting" && !formAt(e.url));
    const lines = [];
    if (!navigator.onLine) lines.push(words.offline);
    if (waiting.length) lines.push(words.waiting.replace("{n}", waiting.length));
    else if (savedAt) lines.push(words.allSaved.replace("{time}", time(savedAt)));
    summary.replaceChildren(...lines.map((line) => Object.assign(document.createElement("p"), { className: "govuk-body govuk-!-margin-bottom-1", textContent: line })));
    attentionHeading.hidden = elsewhere.length === 0;
    attention.replaceChildren(
      ...elsewhere.map((entry) => {
        const item = document.createElement("li");
        const link = Object.assign(document.createElement("a"), {
          className: "govuk-link",
          href: `${entry.viewUrl}#question-${entry.slug}`,
          textContent: (entry.state === "conflict" ? words.attention : words.refused).replace("{id}", entry.question),
        });
        item.append(link);
        return item;
      }),
    );
    panel.hidden = lines.length === 0 && elsewhere.length === 0;
    panel.dataset.waitingCount = waiting.length;
    // To send: the waiting ones, and any kept for a question of this page (its form shows the outcome).
    return waiting.length + kept.filter((e) => e.state !== "waiting" && formAt(e.url)).length;
  }

  // --- Restoring what this device kept, when the page opens --------------------------------

  function fill(form, fields) {
    const values = fields.filter(([name]) => name.startsWith("value"));
    for (const input of form.querySelectorAll("[name^=value]")) {
      const given = values.filter(([name]) => name === input.name).map(([, value]) => value);
      if (input.type === "radio" || input.type === "checkbox") input.checked = given.includes(input.value);
      else if (given.length) input.value = given[0];
    }
  }

  function offer(form, draft) {
    // Text typed on an older revision: someone (perhaps this assessor elsewhere) saved the answer
    // since, so it is offered, not put back silently.
    const line = note(form, words.offered);
    if (!line) return;
    const field = writtenField(form);
    const typed = draft.value.length > 200 ? `${draft.value.slice(0, 200)}…` : draft.value;
    line.append(" ", Object.assign(document.createElement("q"), { textContent: typed }));
    const button = (label, action) => {
      const b = Object.assign(document.createElement("button"), {
        type: "button",
        className: "app-link-button govuk-body-s govuk-!-margin-left-2",
        textContent: label,
      });
      b.addEventListener("click", action);
      line.append(b);
    };
    button(words.putBack, () => {
      field.value = draft.value;
      typedNow.set(addressOf(form), field.value);
      localStorage.removeItem(draft.key);
      keepDraft(form);
      note(form, words.notSaved);
      schedule(form);
      field.focus();
    });
    button(words.discard, () => {
      localStorage.removeItem(draft.key);
      note(form, "");
    });
  }

  async function restore() {
    const kept = new Map(
      (await outbox.entries().catch(() => [])).filter((e) => e.user === user).map((e) => [e.url, e]),
    );
    for (const form of questionForms()) {
      const address = addressOf(form);
      const field = writtenField(form);
      if (field && !form.querySelector("[name=had_problem]")) {
        serverValue.set(address, field.defaultValue);
        known.set(address, { revision: Number(revisionOf(form)), value: field.defaultValue });
      }
      const entry = kept.get(address);
      if (entry) {
        fill(form, entry.fields);
        form.querySelector("[name=expected_revision]").value = entry.revision;
        if (field) typedNow.set(address, field.value);
        known.set(address, { revision: entry.revision, value: field?.defaultValue }); // typed on this one
        note(form, words.waitingOne);
        continue;
      }
      if (!field) continue;
      const drafts = draftsOf(address).filter((d) => d.value !== field.value);
      const current = drafts.find((d) => d.revision === revisionOf(form));
      if (current) {
        field.value = current.value;
        typedNow.set(address, field.value);
        note(form, words.restored);
        schedule(form);
      } else if (drafts.length) {
        offer(form, drafts[0]);
      }
    }
  }

  // A save that shows or hides questions draws them all again (views/assessment.py _htmx_answer),
  // from what the server had when it answered: text typed in another question meanwhile, saved or
  // not, is put back, on the revision it was typed on (so the server's check still applies).
  function reconcile(form) {
    const address = addressOf(form);
    const field = writtenField(form);
    const typed = typedNow.get(address);
    if (!field || typed === undefined || typed === field.value || form.querySelector("[name=had_problem]")) return;
    field.value = typed;
    const base = known.get(address);
    if (base) form.querySelector("[name=expected_revision]").value = base.revision;
    if (typed !== serverValue.get(address)) {
      note(form, words.notSaved);
      schedule(form);
    }
  }

  htmx.onLoad((element) => {
    if (element === document.body) return; // the page itself: restore() does it
    const inside = element.querySelectorAll ? [...element.querySelectorAll("form[data-question][hx-post]")] : [];
    (isQuestionForm(element) ? [element] : inside).forEach(reconcile);
  });

  // --- Leaving the page -------------------------------------------------------------------

  window.addEventListener("beforeunload", (event) => {
    if (timers.size === 0 && inFlight.size === 0) return;
    for (const address of [...timers.keys()]) autosave(address); // try once more; the draft stays
    event.preventDefault();
    event.returnValue = "";
  });

  const signOut = document.querySelector(`form[action="${CSS.escape(words.signOut)}"]`);
  signOut?.addEventListener("submit", (event) => {
    // What is kept on this device is case information: it goes with the sign-out (the service
    // worker empties the outbox once the server has signed the assessor out).
    const waiting = Number(panel.dataset.waitingCount || 0);
    if (waiting && !window.confirm(words.signOutWarning.replace("{n}", waiting))) {
      event.preventDefault();
      return;
    }
    dropAllMyDrafts();
  });

  // --- Start ------------------------------------------------------------------------------

  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "outbox-changed") refresh();
    if (event.data?.type === "signed-out") dropAllMyDrafts();
  });
  if ("serviceWorker" in navigator && words.worker) {
    navigator.serviceWorker.register(words.worker, { scope: "/" }).catch(() => {});
  }
  window.addEventListener("online", sendAll);
  window.addEventListener("offline", refresh);
  setInterval(async () => {
    if (navigator.onLine && (await refresh()) > 0) sendAll(); // also when no "online" event came
  }, RETRY_EVERY_MS);

  dropDraftsOfOthers();
  outbox
    .setUser(user)
    .catch(() => {})
    .then(restore)
    .then(sendAll);
}
