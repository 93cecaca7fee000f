"""One epoch of ``tb.train`` against the hand-fused reference step, on whatever CPython runs this
file (issue 32's "no slower" target: at most 1.15x on CPython 3.11, 3.12 and 3.13):

    python benchmarks/train_epoch.py [REPEATS]
    ~/.pyenv/versions/3.12.*/bin/python benchmarks/train_epoch.py

The problem is rows "b" of benchmarks/run.py: a 64-32-10 network, sigmoid hidden units, softmax
output, mean cross entropy, 320 rows in ten batches of 32.  Timed: ``tb.train(net, X, Y,
epochs=1, batch_size=32, lr=0.01)`` as a user calls it (its checks of the arguments, its shuffle,
its ten steps, the epoch's loss and accuracy, its check that no weight went infinite), against
``reference.fused_step`` ten times on the same ten batches, in the order train() visits the rows
(cut before timing: the reference does no bookkeeping).  Each sample times one epoch of each,
one right after the other, on a fresh copy of the weights; the ratio printed is that of the
fastest epoch of each over REPEATS samples (default 40), with the spread of the paired ratios
(smallest, median, largest).  The clock is process CPU time, less disturbed than the wall clock
by other programs on a busy machine.  A timing, not a test: nothing here passes or fails.
"""
import json
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
for _p in (HERE, ROOT):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import tinybackprop as tb  # noqa: E402
from tinybackprop import vectorized  # noqa: E402
from tinybackprop.rng import Random  # noqa: E402

import reference as ref  # noqa: E402

SIZES = [64, 32, 10]
ROWS, BATCH, LR, SEED = 320, 32, 0.01, 5
clock = time.process_time


def problem():
    """The network and the data of benchmarks/run.py's rows "b", with 320 rows."""
    from run import make_problem
    return make_problem(SIZES, ROWS)


def params_of(net):
    """[W1, b1, W2, b2] as fresh lists (b flat): the reference's parameters."""
    return [[list(row) for row in net.W[1]], list(net.b[1][0]), [list(row) for row in net.W[2]], list(net.b[2][0])]


def batches(X, Y):
    """The ten batches in the order train(..., seed=SEED) takes them in its first epoch."""
    order = list(range(ROWS))
    Random(SEED).shuffle(order)
    return [([X[r] for r in order[s:s + BATCH]], [Y[r] for r in order[s:s + BATCH]]) for s in range(0, ROWS, BATCH)]


def same_numbers(net, X, Y):
    """The reference computes what the package computes: the first batch's loss and gradients."""
    (Xb, Yb) = batches(X, Y)[0]
    g = vectorized.backward(net, Xb, Yb)
    loss, gW1, gb1, gW2, gb2, _ = ref.fused_step(params_of(net), Xb, Yb, 0.0)
    diff = abs(loss - g.loss)
    for A, B in ((gW1, g.W[1]), (gW2, g.W[2]), ([gb1], g.b[1]), ([gb2], g.b[2])):
        diff = max([diff] + [abs(a - b) for ra, rb in zip(A, B) for a, b in zip(ra, rb)])
    assert diff < 1e-12, "the reference step does not compute what vectorized.backward does: %g" % diff
    return diff


def measure(repeats=40):
    net, X, Y = problem()
    diff = same_numbers(net, X, Y)
    B = batches(X, Y)
    fused, lib = [], []
    for _ in range(repeats):
        P, n = params_of(net), net.copy()
        t0 = clock()
        for Xb, Yb in B:
            ref.fused_step(P, Xb, Yb, LR)
        t1 = clock()
        tb.train(n, X, Y, epochs=1, lr=LR, batch_size=BATCH, seed=SEED)
        t2 = clock()
        fused.append(t1 - t0)
        lib.append(t2 - t1)
    paired = sorted(b / a for a, b in zip(fused, lib))
    return {"interpreter": "%s %s" % (platform.python_implementation(), platform.python_version()),
            "idiom": ref.BEST_IDIOM, "repeats": repeats, "max_abs_diff": diff,
            "fused_epoch_ms": min(fused) * 1e3, "train_epoch_ms": min(lib) * 1e3,
            "ratio": min(lib) / min(fused),
            "paired_ratio_min_median_max": [paired[0], paired[len(paired) // 2], paired[-1]]}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    r = measure(int(argv[0]) if argv else 40)
    print("%s (%s): train() epoch %.2f ms, 10 x fused_step %.2f ms, ratio %.3f "
          "(paired ratios: min %.3f, median %.3f, max %.3f; %d samples)"
          % (r["interpreter"], r["idiom"], r["train_epoch_ms"], r["fused_epoch_ms"], r["ratio"],
             r["paired_ratio_min_median_max"][0], r["paired_ratio_min_median_max"][1],
             r["paired_ratio_min_median_max"][2], r["repeats"]))
    print(json.dumps(r))


if __name__ == "__main__":
    main()
