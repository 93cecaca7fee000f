"""Milliseconds per training step at batch 1 and batch 32, on any interpreter, MicroPython included.

    python3 benchmarks/board.py
    pypy3 benchmarks/board.py
    node portability/run_wasm.mjs micropython --pkg tinybackprop benchmarks/board.py
    python3 benchmarks/board.py --wall-clock   # the clock MicroPython has, for a fair ratio

The network is the digits one (64-32-10, sigmoid hidden layer, softmax output,
cross entropy); each figure is one call of ``tb.train`` for one epoch (so it
includes what a step of train() costs: the shuffle, the batch, the forward and
backward pass, the loss, the in-place update), divided by its steps; the
fastest of a few runs, timed with the process's CPU time where the interpreter
has one and the wall clock on MicroPython.  The last lines predict one epoch of the digits
training set (1437 rows) from them.  Only the standard library of MicroPython
is used (no operator, no statistics, no timeit).
"""
import sys
import time

try:
    import tinybackprop as tb
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, ".")
    import tinybackprop as tb
from tinybackprop.rng import Random

SIZES = [64, 32, 10]
DIGITS_ROWS = 1437


def clock_ms():
    """(a millisecond clock, its name): the process's CPU time where there is one
    (CPython, PyPy: other programs on a shared machine do not count), else
    ticks_us (MicroPython: the wall clock), else time.time."""
    if hasattr(time, "process_time") and "--wall-clock" not in sys.argv:
        return (lambda: time.process_time() * 1000.0), "process CPU time"
    if hasattr(time, "ticks_us"):
        start = time.ticks_us()
        return (lambda: time.ticks_diff(time.ticks_us(), start) / 1000.0), "wall clock"
    return (lambda: time.time() * 1000.0), "wall clock"


def problem(rows):
    r = Random(7)
    X = [[r.uniform(0.0, 1.0) for _ in range(SIZES[0])] for _ in range(rows)]
    Y = []
    for _ in range(rows):
        k = r.randbelow(SIZES[-1])
        Y.append([1.0 if j == k else 0.0 for j in range(SIZES[-1])])
    return X, Y


def ms_per_step(batch, rows, repeats, warmup, now):
    """The fastest of ``repeats`` one-epoch runs, per step: on a shared machine
    other programs only ever add time, so the minimum is the best estimate."""
    net = tb.Network(SIZES, hidden="sigmoid", output="softmax", loss="cross_entropy", seed=0)
    X, Y = problem(rows)
    steps = (rows + batch - 1) // batch
    best = None
    for k in range(warmup + repeats):
        t0 = now()
        tb.train(net, X, Y, epochs=1, lr=0.05, batch_size=batch, seed=k)
        t = (now() - t0) / steps
        if k >= warmup and (best is None or t < best):  # the first runs warm up (PyPy's JIT)
            best = t
    return best


def main():
    now, clock = clock_ms()
    impl = getattr(sys, "implementation", None)
    name = impl.name if impl is not None else "python"
    version = ".".join(str(v) for v in (impl.version if impl is not None else sys.version_info)[:3])
    if name != "cpython":
        version += " (Python %s)" % ".".join(str(v) for v in sys.version_info[:3])
    quick = "--quick" in sys.argv
    warmup = 10 if name == "pypy" else 1
    b1 = ms_per_step(1, 16 if quick else 64, 3 if quick else 7, warmup, now)
    b32 = ms_per_step(32, 64 if quick else 128, 3 if quick else 7, warmup, now)
    print("interpreter: %s %s; clock: %s, fastest of %d runs" % (name, version, clock, 3 if quick else 7))
    print("64-32-10 training step, batch 1:  %.3f ms" % b1)
    print("64-32-10 training step, batch 32: %.3f ms (%.3f ms per row)" % (b32, b32 / 32))
    steps32 = (DIGITS_ROWS + 31) // 32
    print("digits epoch (%d rows), predicted: batch 1 %.1f s, batch 32 %.1f s"
          % (DIGITS_ROWS, DIGITS_ROWS * b1 / 1000.0, steps32 * b32 / 1000.0))


main()
