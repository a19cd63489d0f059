#!/usr/bin/env bash
# Builds the front end into static/dist from the npm packages: our Sass (which pulls in GOV.UK Frontend
# and MOJ Frontend with Arial instead of GDS Transport), and the two libraries' JavaScript.
# No crown, no GDS Transport font, no GOV.UK icons are copied.
set -euo pipefail
cd "$(dirname "$0")/.."
out=static/dist
rm -rf "$out" && mkdir -p "$out"
# Sass through its JavaScript API, so that the one known warning from MOJ Frontend's own Sass is left out and
# every other one still shows (scripts/build-css.mjs).
node scripts/build-css.mjs static/src/application.scss "$out/application.css"
# No crown: drop the GOV.UK footer crest rules (we never render .govuk-footer__copyright-logo), so the
# stylesheet refers to no GOV.UK image and the manifest storage finds every file it names.
node -e '
  const fs = require("fs"); const f = process.argv[1];
  const css = fs.readFileSync(f, "utf8").replace(/[^{}]*\{[^{}]*govuk-crest[^{}]*\}/g, "");
  if (css.includes("govuk-crest")) { console.error("crest still referenced"); process.exit(1); }
  fs.writeFileSync(f, css);
' "$out/application.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk-frontend.min.js"
cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js "$out/moj-frontend.min.js"
# MOJ Frontend icons the CSS refers to (relative url(moj/images/...)); not its crown logotype.
mkdir -p "$out/moj/images"
find node_modules/@ministryofjustice/frontend/moj/assets/images -name "icon-*" -exec cp {} "$out/moj/images/" \;
cp static/src/app.js "$out/app.js"
cp static/src/radios.js "$out/radios.js"
cp static/src/exports.js "$out/exports.js"
cp static/src/documents.js "$out/documents.js"
cp static/src/multi_select.js "$out/multi_select.js"
echo "built $(ls "$out" | wc -l) files into $out"
