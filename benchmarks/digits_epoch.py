"""Milliseconds per training epoch on the handwritten digits, as ``tinybackprop train
--data digits`` runs it (64-32-10, sigmoid hidden, softmax + cross entropy, lr 2,
batch 16, 1,438 training rows; each epoch is the gradient steps plus train()'s own
evaluation of the training loss), on whatever Python runs this file:

    python benchmarks/digits_epoch.py [EPOCHS]
    pypy3 benchmarks/digits_epoch.py
    node portability/run_wasm.mjs micropython --pkg tinybackprop benchmarks/digits_epoch.py

Prints one line: the interpreter, and the median and fastest epoch in ms of wall-clock
time, and where the interpreter has ``time.process_time`` (CPython, PyPy) of CPU time
(less disturbed by other programs on a busy machine).  A timing, not a test: nothing
here passes or fails (see docs/speed.md).
"""
import sys
import time

try:
    sys.path.insert(0, __file__.rsplit("/", 2)[0] if "/" in __file__ else "..")
except NameError:
    pass

from tinybackprop import Network
from tinybackprop import datasets as ds
from tinybackprop.training import train


def clock():
    if hasattr(time, "perf_counter"):
        return time.perf_counter()
    return time.ticks_ms() / 1000.0  # MicroPython


def cpu():
    return time.process_time() if hasattr(time, "process_time") else None


def main(epochs=5):
    t = ds.digits_task(seed=0)
    net = Network([64, 32, 10], hidden="sigmoid", output="softmax", loss="cross_entropy", seed=0)
    times, cpus = [], []
    for e in range(epochs):
        c0, t0 = cpu(), clock()
        train(net, t.X_train, t.Y_train, epochs=1, lr=2.0, batch_size=16, seed=e)
        times.append((clock() - t0) * 1000.0)
        if c0 is not None:
            cpus.append((cpu() - c0) * 1000.0)
    if not times:  # 0 epochs: only the start-up (for a CPU-time baseline measured from outside)
        print("loaded the digits; no epochs")
        return
    times.sort()
    cpus.sort()
    impl = sys.implementation.name
    version = ".".join(str(v) for v in sys.implementation.version[:3]) if impl != "cpython" else sys.version.split()[0]
    line = "%s %s: digits epoch median %.0f ms, fastest %.0f ms wall" % (impl, version, times[len(times) // 2], times[0])
    if cpus:
        line += "; CPU median %.0f ms, fastest %.0f ms" % (cpus[len(cpus) // 2], cpus[0])
    print(line + " (%d epochs)" % epochs)


main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
