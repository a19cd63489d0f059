// Compiles our Sass as `sass --style=compressed --quiet-deps --load-path=. --load-path=node_modules` would,
// printing every warning but one known one: GOV.UK Frontend's notice that its govuk-text-colour mixin is
// deprecated, raised inside MOJ Frontend's own Sass (its alert component), which nothing here can change
// ($govuk-suppressed-warnings cannot reach it: MOJ Frontend configures GOV.UK Frontend itself). The same
// notice caused by our Sass, and any other warning, still shows.
// Usage: node scripts/build-css.mjs static/src/application.scss static/dist/application.css
import { writeFileSync } from "node:fs";
import * as sass from "sass";

const [input, output] = process.argv.slice(2);

function known(message, stack) {
  const firstCaller = (stack || "").split("\n").find((line) => !line.includes("node_modules/govuk-frontend/"));
  return message.includes('with key: "govuk-text-colour"') && (firstCaller || "").includes("@ministryofjustice/frontend/");
}

const result = sass.compile(input, {
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
  loadPaths: [".", "node_modules"],
  logger: {
    warn(message, { deprecation, span, stack }) {
      if (known(message, stack)) return;
      const where = stack || (span ? `${span.url}:${span.start.line + 1}` : "");
      console.error(`${deprecation ? "DEPRECATION WARNING" : "WARNING"}: ${message}\n${where}`);
    },
  },
});
writeFileSync(output, result.css);
