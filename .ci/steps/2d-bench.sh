#!/usr/bin/env bash
# Benchmark smoke test: `benchmarks/run.py --quick` once, on .venv's CPython only (the bench
# extra, NumPy and micrograd, and torch come from 0-setup.sh), and its table printed. Targets
# print PASS/MISS and never fail CI: timing on a shared machine is noise. The step fails only if
# the benchmark itself crashes (e.g. a reference no longer computes the same gradients).
# The full run (`benchmarks/run.py`) also times PyPy and CPython 3.12/3.13; CI does not.
set -euo pipefail
cd "$(dirname "$0")/../.."
.venv/bin/python benchmarks/run.py --quick --only-this-python
# One epoch of train() against ten hand-fused reference steps (issue 32's 1.15x target), printed.
.venv/bin/python benchmarks/train_epoch.py 20
