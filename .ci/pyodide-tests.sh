#!/usr/bin/env bash
# The core tests on Pyodide (CPython 3.14 compiled to WebAssembly, run by Node from
# node_modules/pyodide, pinned in package.json) with pytest itself running inside Pyodide.
# pytest and its dependencies are pure-Python wheels that pip downloads from the package
# index (for Python 3.14, no C code); they are unpacked here and copied into Pyodide's
# in-memory file system with the package and tests/ by portability/run_wasm.mjs - no network
# inside Pyodide, no micropip. The tests are the folder tests/core/: the tests of what a network
# needs to go forward, backward, train, save and load (the lesson: tinybackprop/*.py), and
# tests/test_house_rules.py checks that the folder holds exactly the test files tests/core_tests.py
# derives from the package's folder (the
# others start processes, threads or Node, or use hypothesis, which Pyodide has not).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PY=.venv/bin/python
PV=$("$PY" -c 'import pytest; print(pytest.__version__)')
if ! "$PY" -m pip download -q --only-binary=:all: --python-version 3.14 --implementation py --abi none \
     --platform any -d "$TMP/wheels" "pytest==$PV" > "$TMP/pip.log" 2>&1; then
  echo "SKIPPED: could not download pure-Python wheels of pytest $PV for Pyodide:"; tail -3 "$TMP/pip.log"; exit 1
fi
mkdir -p "$TMP/pkgs/site"
"$PY" - "$TMP/wheels" "$TMP/pkgs/site" <<'PYEOF'
import glob, sys, zipfile
for whl in sorted(glob.glob(sys.argv[1] + "/*.whl")):
    zipfile.ZipFile(whl).extractall(sys.argv[2])
    print("   unpacked", whl.rsplit("/", 1)[-1])
PYEOF
cat > "$TMP/run_core_tests.py" <<PYEOF
import sys
sys.path.insert(0, "/pkgroot/site")
sys.path.insert(0, "/pkgroot")
import pytest
print("pytest %s on %s %s" % (pytest.__version__, sys.implementation.name, sys.version.split()[0]), sys.platform)
tests = ["/pkgroot/tests/core"]
sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", "--capture=sys", "-o", "addopts=", "--rootdir=/pkgroot"] + tests))
PYEOF
start=$(date +%s)
set +e
node portability/run_wasm.mjs pyodide --pkg tinybackprop --pkg tests --pkg "$TMP/pkgs/site" "$TMP/run_core_tests.py" > "$TMP/out.log" 2>&1
rc=$?
grep -v "^  File \|^    " "$TMP/out.log" | tail -25;

set -e
echo "-- Pyodide core tests: exit $rc, $(( $(date +%s) - start )) s"
exit "$rc"
