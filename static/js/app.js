// Start the GOV.UK Frontend components. Loaded as a module, so no inline script is needed
// and the Content-Security-Policy can forbid them.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
