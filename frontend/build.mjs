// Copies the compiled GOV.UK Frontend, htmx and axe-core into ../static.
// Run with `npm ci && npm run build`; the output is committed so the app never downloads at run time.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const out = new URL("../static/vendor/", import.meta.url);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const govuk = new URL("./node_modules/govuk-frontend/dist/govuk/", import.meta.url);
// The compiled stylesheet points at /assets/; rewrite to paths relative to the stylesheet so the
// files resolve under STATIC_URL wherever the app is mounted.
mkdirSync(new URL("govuk/", out), { recursive: true });
const css = readFileSync(new URL("govuk-frontend.min.css", govuk), "utf8").replaceAll("url(/assets/", "url(assets/");
writeFileSync(new URL("govuk/govuk-frontend.min.css", out), css);
cpSync(new URL("govuk-frontend.min.js", govuk), new URL("govuk/govuk-frontend.min.js", out));
// Both files name their source maps; the manifest storage of production refuses a file whose
// named map is missing, so the maps come too.
cpSync(new URL("govuk-frontend.min.css.map", govuk), new URL("govuk/govuk-frontend.min.css.map", out));
cpSync(new URL("govuk-frontend.min.js.map", govuk), new URL("govuk/govuk-frontend.min.js.map", out));
cpSync(new URL("assets/", govuk), new URL("govuk/assets/", out), { recursive: true });
cpSync(new URL("./node_modules/htmx.org/dist/htmx.min.js", import.meta.url), new URL("htmx/htmx.min.js", out));
// axe-core is used only by the browser tests, which inject it into pages under test.
cpSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), new URL("../tests_e2e/axe.min.js", import.meta.url));
console.log("built static/vendor");
