"""The checks of the board issue, run ON MicroPython (or any Python): prints one JSON object.

    micropython -X heapsize=192K portability/board_checks.py     (the package on MICROPYPATH)

- float_bits: 32 or 64 (1 + 2^-30 rounds to 1 in binary32);
- the default Iris run (tinybackprop train's: 4-3-2-1, virginica against the rest, 100 epochs)
  on both paths: test accuracy, final losses, and how far the two paths' final weights and
  their gradients on 32 training rows are apart (worst relative difference);
- a saturated softmax + bce network (not a canonical pair): its loss and whether every gradient of
  both paths is finite;
- the same Iris run with Adam (tinybackprop.optimizers, lr 0.01): test accuracy on both paths
  and how far their final weights are apart.
"""
import json

import tinybackprop as tb
from tinybackprop import per_neuron, vectorized
from tinybackprop.datasets import iris_task


def rel(a, b):
    """Worst |a - b| / max(|a|, |b|) over two matrices (0 where both are 0)."""
    worst = 0.0
    for ra, rb in zip(a, b):
        for x, y in zip(ra, rb):
            size = max(abs(x), abs(y))
            if size > 0.0:
                worst = max(worst, abs(x - y) / size)
    return worst


def finite(v):
    return v == v and v not in (float("inf"), float("-inf"))


def grads_finite(g):
    vals = [g.loss] + [x for l in range(1, len(g.W)) for M in (g.W[l], g.b[l]) for row in M for x in row]
    return all(finite(x) for x in vals + [x for row in g.x for x in row])


def main():
    out = {"float_bits": 32 if 1.0 + 2.0 ** -30 == 1.0 else 64}
    task = iris_task("binary", positive="virginica", test_fraction=0.2, seed=0)
    nets, hists = {}, {}
    for path in ("vectorized", "per_neuron"):
        net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
        hists[path] = tb.train(net, task.X_train, task.Y_train, epochs=100, lr=0.5, batch_size=16, path=path,
                               seed=0, X_test=task.X_test, Y_test=task.Y_test)
        nets[path] = net
    h = hists["vectorized"]
    out["test_accuracy"] = h.test_accuracy
    out["test_loss"] = h.test_loss
    out["train_loss"] = h.loss[-1]
    out["paths_test_loss"] = [hists[p].test_loss for p in ("vectorized", "per_neuron")]
    out["paths_weights"] = max(rel(nets["vectorized"].W[l], nets["per_neuron"].W[l]) for l in (1, 2, 3))
    net = nets["vectorized"]
    X, Y = task.X_train[:32], task.Y_train[:32]  # a full-batch backward keeps every row's activations
    gv, gp = vectorized.backward(net, X, Y), per_neuron.backward(net, X, Y)
    out["paths_gradients"] = max(max(rel(gv.W[l], gp.W[l]), rel(gv.b[l], gp.b[l])) for l in (1, 2, 3))
    net = tb.Network([3, 4, 2], hidden="identity", output="softmax", loss="bce", seed=5)
    X, Y = [[32, -16, 8]], [[1, 0]]
    gv, gp = vectorized.backward(net, X, Y), per_neuron.backward(net, X, Y)
    out["repro_loss"] = [gv.loss, gp.loss]
    out["repro_finite"] = grads_finite(gv) and grads_finite(gp)
    nets = hists = h = net = gv = gp = None  # what the Adam runs below do not need: a board's heap is small
    from tinybackprop.optimizers import Adam
    adam = {}
    for path in ("vectorized", "per_neuron"):
        net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
        h = tb.train(net, task.X_train, task.Y_train, epochs=100, batch_size=16, path=path, seed=0,
                     X_test=task.X_test, Y_test=task.Y_test, optimizer=Adam(lr=0.01))
        adam[path] = (net, h.test_accuracy)
    out["adam_test_accuracy"] = [adam[p][1] for p in ("vectorized", "per_neuron")]
    out["adam_paths_weights"] = max(rel(adam["vectorized"][0].W[l], adam["per_neuron"][0].W[l]) for l in (1, 2, 3))
    print(json.dumps(out))


main()
