#!/usr/bin/env bash
# CI step: the documentation site. Installs what it needs on a fresh machine
# (Debian's chromium, KaTeX via `npm ci`, the docs extras into .venv), builds the
# site with `mkdocs build --strict` (timed), then runs the docs tests including the
# real-browser test. REQUIRE_BROWSER=1 turns every "tool missing" skip into a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NO_MKDOCS_2_WARNING=1

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "-- installing nodejs and npm (Debian)"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "-- installing chromium (Debian)"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi
if [ ! -f node_modules/katex/dist/katex.min.css ]; then
  echo "-- npm ci"
  npm ci --no-audit --no-fund
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
echo "-- pip install -e .[docs,docs-browser,test]"
.venv/bin/pip install -q -e ".[docs,docs-browser,test]"

echo "-- mkdocs build --strict"
start=$(date +%s%N)
.venv/bin/mkdocs build --strict
end=$(date +%s%N)
echo "-- mkdocs build --strict took $(( (end - start) / 1000000 )) ms"

echo "-- docs tests (browser required)"
REQUIRE_BROWSER=1 .venv/bin/python -m pytest tests/docs -ra
echo "-- in-page Python (MicroPython-wasm): first-click time and added weight"
cat site-screenshots/in-page-python.txt 2>/dev/null || echo "(no report: tests/docs/test_in_page_python.py did not run)"
