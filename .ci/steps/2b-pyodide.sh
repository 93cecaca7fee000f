#!/usr/bin/env bash
# tests/core/ on Pyodide (CPython 3.14 in WebAssembly, run by Node), pytest inside Pyodide:
# see .ci/pyodide-tests.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash .ci/pyodide-tests.sh
