#!/usr/bin/env bash
# The README's test command (pip install -e ".[test]" && python -m pytest) on every other
# interpreter: each CPython 3.8-3.13 found under pyenv ($PYENV_ROOT/versions, default
# ~/.pyenv) and PyPy (pypy3; installed with apt-get if missing). The interpreter .ci/run already
# used (.venv) is not run twice. Each gets its own venv in a temporary folder.
#
# The WHOLE suite runs there, with one difference: the hypothesis fuzz suite
# (tests/test_fuzz.py) runs a fifth of its examples (TINYBACKPROP_FUZZ_SCALE=0.2, still
# several hundred cases per property); .venv's run above runs all of them. Tools the suite
# needs that are extras of their own (mkdocs, chromium, node for the docs and portability
# tests) are not installed here: those tests are reported as SKIPPED in each summary, and
# run in their own steps (30-portability, 40-docs) on .venv. Two interpreters run at a time
# (2 cores); each one's log is printed when it ends, and any failure fails the step.
# Then the core tests on Pyodide (Python 3.14 in Node) with pytest inside Pyodide, offline:
# see .ci/pyodide-tests.sh for how and which tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
t0=$(date +%s)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TINYBACKPROP_FUZZ_SCALE="${TINYBACKPROP_FUZZ_SCALE:-0.2}"
JOBS="${JOBS:-2}"

if ! command -v pypy3 >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "-- installing pypy3 (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pypy3 >/dev/null
  fi
fi

done_ver=""
[ -x .venv/bin/python ] && done_ver=$(.venv/bin/python -c 'import sys, platform; print(platform.python_implementation(), sys.version.split()[0])')
interps=()
for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.*/bin/python; do
  [ -x "$p" ] || continue
  v=$("$p" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  case "$v" in 3.8|3.9|3.10|3.11|3.12|3.13) ;; *) continue ;; esac
  if [ "$("$p" -c 'import sys, platform; print(platform.python_implementation(), sys.version.split()[0])')" = "$done_ver" ]; then
    echo "-- $p: $done_ver, already run above by .ci/run's README command"; continue
  fi
  interps+=("$p")
done
if command -v pypy3 >/dev/null 2>&1; then interps+=("$(command -v pypy3)"); else echo "MISSING: pypy3 (could not install it)"; fi

run_one() {  # $1 interpreter, $2 log file; the exit status is pytest's
  local py=$1 log=$2 name venv start rc
  name=$("$py" -c 'import sys, platform; print(platform.python_implementation(), sys.version.split()[0])')
  if [ "$name" = "$done_ver" ]; then echo "== $name: already run above (.ci/run's README command)" > "$log"; return 0; fi
  venv="$TMP/venv-$(echo "$name" | tr ' ' '-')"
  start=$(date +%s)
  echo "== $name ($py)" > "$log"
  if ! { "$py" -m venv "$venv" && "$venv/bin/pip" install -q -e "$REPO[test]"; } > "$log.pip" 2>&1; then
    grep -v "is ignored: it is neither" "$log.pip" | tail -5 >> "$log"; echo "-- $name: venv or pip install FAILED" >> "$log"
    return 1
  fi
  rc=0
  (cd "$REPO" && "$venv/bin/python" -m pytest -q -p no:cacheprovider -rs) > "$log.out" 2>&1 || rc=$?
  # the docs tests' skips (no mkdocs here; they run in 40-docs) are summed up, the rest shown
  echo "   $(grep -ac "docs tools not installed" "$log.out" || true) skip lines: docs tools not installed here (40-docs runs them)" >> "$log"
  grep -av "docs tools not installed" "$log.out" | grep -av "^\.*\s*\[ *[0-9]*%\]$" | tail -25 >> "$log"
  echo "-- $name: pytest exit $rc, $(( $(date +%s) - start )) s" >> "$log"
  return $rc
}

echo "-- interpreters: ${interps[*]} (fuzz scale $TINYBACKPROP_FUZZ_SCALE, $JOBS at a time)"
status=0
pids=()
logs=()
i=0
for py in "${interps[@]}"; do
  log="$TMP/log-$i"; i=$((i + 1))
  run_one "$py" "$log" & pids+=($!); logs+=("$log")
  if [ "${#pids[@]}" -ge "$JOBS" ]; then
    wait "${pids[0]}" || { status=1; echo "FAILED:"; }; cat "${logs[0]}"; pids=("${pids[@]:1}"); logs=("${logs[@]:1}")
  fi
done
for k in "${!pids[@]}"; do
  wait "${pids[$k]}" || { status=1; echo "FAILED:"; }; cat "${logs[$k]}"
done

echo "-- Pyodide (Python 3.14 in Node): the core tests"
if command -v npm >/dev/null 2>&1 && [ ! -d node_modules/pyodide ]; then
  npm ci --no-audit --no-fund --loglevel=error || true   # pinned in package-lock.json
fi
if command -v node >/dev/null 2>&1 && [ -d node_modules/pyodide ]; then
  bash .ci/pyodide-tests.sh || status=1
else
  echo "SKIPPED: node or node_modules/pyodide missing (npm ci installs it, see 30-portability.sh)"
fi
echo "-- interpreters step took $(( $(date +%s) - t0 )) s"
exit $status
