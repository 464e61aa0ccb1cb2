// The schedule page. Loaded as a module: no inline script or handler (the Content-Security-Policy
// forbids them), and everything here also works without it (the Move links and the forms).

// After htmx swaps the schedule area in place, move focus to what the action said (the error
// summary or a banner) so keyboard and screen-reader users hear the outcome and the checks, as
// they would after a full page load.
document.body.addEventListener("htmx:afterSettle", () => {
  const outcome = document.querySelector(
    "#schedule-work .govuk-error-summary, #schedule-work .govuk-notification-banner",
  );
  if (outcome) {
    outcome.setAttribute("tabindex", "-1");
    outcome.focus();
  }
});

// Drag and drop in the timetable, as pretalx's schedule editor does: drop a case on an empty
// slot to move it there, on a slot holding a case to swap the two. The server's move and swap
// endpoints do the work and check the rules; the schedule area is then replaced by their answer.
// Listeners sit on the document because htmx replaces the timetable after every change.
const DRAG_TYPE = "application/x-schedule-case";
let dragged = null; // the case cell being dragged

const slotCell = (element) => (element instanceof Element ? element.closest("td[data-slot]") : null);

function csrfToken() {
  const input = document.querySelector("#schedule-work input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function clearTargets() {
  document.querySelectorAll(".app-sch-drop-target").forEach((cell) => cell.classList.remove("app-sch-drop-target"));
}

document.addEventListener("dragstart", (event) => {
  const cell = slotCell(event.target);
  if (!cell || !cell.dataset.case) return;
  dragged = cell;
  cell.classList.add("app-sch-dragging");
  event.dataTransfer.effectAllowed = "move";
  event.dataTransfer.setData(DRAG_TYPE, cell.dataset.case);
  event.dataTransfer.setData("text/plain", cell.dataset.ref || "");
});

document.addEventListener("dragend", () => {
  if (dragged) dragged.classList.remove("app-sch-dragging");
  dragged = null;
  clearTargets();
});

document.addEventListener("dragover", (event) => {
  const cell = slotCell(event.target);
  if (!dragged || !cell || cell === dragged) return;
  event.preventDefault(); // allows the drop
  event.dataTransfer.dropEffect = "move";
  if (!cell.classList.contains("app-sch-drop-target")) {
    clearTargets();
    cell.classList.add("app-sch-drop-target");
  }
});

document.addEventListener("dragleave", (event) => {
  const cell = slotCell(event.target);
  if (cell && !cell.contains(event.relatedTarget)) cell.classList.remove("app-sch-drop-target");
});

document.addEventListener("drop", (event) => {
  const cell = slotCell(event.target);
  if (!dragged || !cell || cell === dragged) return;
  event.preventDefault();
  const timetable = cell.closest(".app-sch-timetable");
  const caseId = dragged.dataset.case;
  clearTargets();
  if (!timetable || !caseId) return;
  const swap = Boolean(cell.dataset.case);
  const url = swap ? timetable.dataset.swapUrl : timetable.dataset.moveUrl;
  const values = swap
    ? { case_a: caseId, case_b: cell.dataset.case }
    : { case: caseId, slot: cell.dataset.slot };
  values.csrfmiddlewaretoken = csrfToken();
  timetable.setAttribute("aria-busy", "true");
  window.htmx.ajax("POST", url, {
    target: "#schedule-work",
    select: "#schedule-work",
    swap: "outerHTML",
    values,
  });
});
