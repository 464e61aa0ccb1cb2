// Start the GOV.UK Frontend components. Loaded as a module, so no inline script is needed
// and the Content-Security-Policy can forbid them.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
// On a Welsh page the server gives the components' own words in Welsh (see govuk_frontend_i18n).
const words = document.getElementById("govuk-frontend-i18n");
initAll(words ? JSON.parse(words.textContent) : {});
