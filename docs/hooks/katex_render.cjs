// KaTeX renderer for the docs build, driven by docs/hooks/katex_math.py.
//
// Started once per build as `node katex_render.cjs REPO_ROOT MACROS_JSON`.
// It loads KaTeX from REPO_ROOT/node_modules (installed by `npm ci` from the
// pinned package-lock.json) and announces itself with one JSON line:
//   {"ready": true, "version": "0.19.1", "dist": "/abs/path/katex/dist"}
// Then, for every JSON line it reads on stdin (one line per page, all the
// formulas of that page in one batch):
//   {"id": 7, "items": [{"tex": "a^2", "display": false}, ...]}
// it writes exactly one JSON line on stdout, results in the same order:
//   {"id": 7, "results": [{"html": "<span class=\"katex\">..."}, {"error": "..."}]}
// A formula that KaTeX cannot parse, or that breaks KaTeX's strict mode,
// yields {"error": message}; the Python hook turns that into a failed build.
"use strict";

const path = require("path");
const readline = require("readline");

const root = process.argv[2] || process.cwd();
const macros = JSON.parse(process.argv[3] || "{}");

let katex;
let katexPackage;
try {
  katexPackage = require.resolve("katex/package.json", { paths: [root, __dirname] });
  katex = require(require.resolve("katex", { paths: [root, __dirname] }));
} catch (err) {
  process.stdout.write(
    JSON.stringify({ ready: false, error: String(err && err.message ? err.message : err) }) + "\n"
  );
  process.exit(3);
}

function render(item) {
  try {
    // A fresh copy of the macros per formula: \gdef in one formula must not
    // leak into the next one (or onto another page).
    const html = katex.renderToString(item.tex, {
      displayMode: !!item.display,
      throwOnError: true,
      strict: "error",
      trust: false,
      output: "htmlAndMathml",
      macros: Object.assign({}, macros),
    });
    return { html: html };
  } catch (err) {
    return { error: String(err && err.message ? err.message : err) };
  }
}

process.stdout.write(
  JSON.stringify({
    ready: true,
    version: katex.version,
    dist: path.join(path.dirname(katexPackage), "dist"),
  }) + "\n"
);

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  if (!line.trim()) return;
  let request;
  try {
    request = JSON.parse(line);
  } catch (err) {
    process.stdout.write(JSON.stringify({ id: null, fatal: "bad request: " + err.message }) + "\n");
    return;
  }
  const results = (request.items || []).map(render);
  process.stdout.write(JSON.stringify({ id: request.id, results: results }) + "\n");
});
