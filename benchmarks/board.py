"""Milliseconds per training step at batch 1 and batch 32, on any interpreter, MicroPython included.

    python3 benchmarks/board.py
    pypy3 benchmarks/board.py
    node portability/run_wasm.mjs micropython --pkg tinybackprop benchmarks/board.py

The network is the digits one (64-32-10, sigmoid hidden layer, softmax output,
cross entropy); each figure is one call of ``tb.train`` for one epoch (so it
includes what a step of train() costs: the shuffle, the batch, the forward and
backward pass, the loss, the in-place update), divided by its steps; the
median of a few runs.  The last lines predict one epoch of the digits
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
    """A millisecond clock: ticks_us where there is one (MicroPython), else perf_counter or time."""
    if hasattr(time, "ticks_us"):
        start = time.ticks_us()
        return lambda: time.ticks_diff(time.ticks_us(), start) / 1000.0
    f = getattr(time, "perf_counter", time.time)
    return lambda: f() * 1000.0


def problem(rows):
    r = Random(7)
    X = [[r.uniform(0.0, 1.0) for _ in range(SIZES[0])] for _ in range(rows)]
    Y = []
    for _ in range(rows):
        k = r.randbelow(SIZES[-1])
        Y.append([1.0 if j == k else 0.0 for j in range(SIZES[-1])])
    return X, Y


def ms_per_step(batch, rows, repeats, now):
    net = tb.Network(SIZES, hidden="sigmoid", output="softmax", loss="cross_entropy", seed=0)
    X, Y = problem(rows)
    steps = (rows + batch - 1) // batch
    times = []
    for k in range(repeats + 1):
        t0 = now()
        tb.train(net, X, Y, epochs=1, lr=0.05, batch_size=batch, seed=k)
        if k:  # the first run warms up (PyPy's JIT)
            times.append((now() - t0) / steps)
    times.sort()
    return times[len(times) // 2]


def main():
    now = clock_ms()
    impl = getattr(sys, "implementation", None)
    name = impl.name if impl is not None else "python"
    version = ".".join(str(v) for v in sys.version_info[:3])
    quick = "--quick" in sys.argv
    b1 = ms_per_step(1, 16 if quick else 64, 3 if quick else 5, now)
    b32 = ms_per_step(32, 64 if quick else 128, 3 if quick else 5, now)
    print("interpreter: %s %s" % (name, version))
    print("64-32-10 training step, batch 1:  %.3f ms" % b1)
    print("64-32-10 training step, batch 32: %.3f ms (%.3f ms per row)" % (b32, b32 / 32))
    steps32 = (DIGITS_ROWS + 31) // 32
    print("digits epoch (%d rows), predicted: batch 1 %.1f s, batch 32 %.1f s"
          % (DIGITS_ROWS, DIGITS_ROWS * b1 / 1000.0, steps32 * b32 / 1000.0))


main()
