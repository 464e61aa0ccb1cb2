// The schedule page: after htmx swaps the schedule area in place, move focus to what the
// action said (the error summary or the "Done" banner) so keyboard and screen-reader users
// hear the outcome and the checks, as they would after a full page load.
document.body.addEventListener("htmx:afterSettle", () => {
  const outcome = document.querySelector("#schedule-work .govuk-error-summary, #schedule-work .govuk-notification-banner");
  if (outcome) {
    outcome.setAttribute("tabindex", "-1");
    outcome.focus();
  }
});
