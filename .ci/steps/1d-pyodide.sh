#!/usr/bin/env bash
# tests/core/ on Pyodide (CPython 3.14 in WebAssembly, run by Node), pytest inside Pyodide:
# see .ci/pyodide-tests.sh. In lane 1, after CPython 3.13, to even the lanes out.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash .ci/pyodide-tests.sh
