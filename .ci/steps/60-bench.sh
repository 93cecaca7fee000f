#!/usr/bin/env bash
# Benchmark smoke test: runs `benchmarks/run.py --quick` once and prints its table (this
# interpreter, then PyPy and CPython 3.12/3.13 where present). Targets print PASS/MISS and
# never fail CI: timing on a shared machine is noise. The step fails only if the benchmark
# itself crashes (e.g. a reference no longer computes the same gradients as tinybackprop).
# The bench extra (NumPy, micrograd) comes from PyPI; PyTorch is left out (large): skipped visibly.
set -euo pipefail
cd "$(dirname "$0")/../.."
t0=$(date +%s)
PY=.venv/bin/python
[ -x "$PY" ] || { python3 -m venv .venv; PY=.venv/bin/python; }
if ! "$PY" -m pip install -q -e ".[bench]"; then
  echo "SKIPPED: installing the bench extra (numpy, micrograd) failed; their rows show as skipped"
fi
"$PY" benchmarks/run.py --quick
echo "-- bench step took $(( $(date +%s) - t0 )) s"
