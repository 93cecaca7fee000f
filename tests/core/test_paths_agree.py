"""The three paths agree: per_neuron (derived per element), vectorized (derived in matrix
form) and graph (a scalar reverse-mode autodiff that knows no derivation), on the forward
pass, every gradient (g^[lW], g^[lb], dL/dX, and g^[la], g^[lz] of every layer), the loss,
and a whole training run; and each path agrees with central differences of the loss.

The networks: every accepted hidden activation x output x loss, depths 1 to 4, batch
sizes 1 and 5, non-zero biases.  The independent references: central differences (every
path), tests/autodiff.py, the suite's own scalar autodiff (the two derived paths; graph.py
is the same idea as autodiff.py, so it is held to the other paths and to central
differences instead, and to PyTorch in tests/test_graph_torch.py).

This module is where "the paths agree" is asserted; elsewhere another path is used only as
the reference for something else.  The same property at extreme inputs is in
test_numerics.py (with a 60-digit reference), on hypothesis's random batches in
tests/interp/test_fuzz.py, and on other interpreters and boards in tests/test_portability.py
and tests/test_board*.py."""
import random
import zlib

import pytest

import tinybackprop as tb
from tinybackprop import gradcheck, graph, per_neuron, vectorized

import autodiff
from conftest import iris, random_batch, random_net, random_targets, valid_combinations, xor

PATHS = {"per_neuron": per_neuron, "vectorized": vectorized, "graph": graph}
OTHERS = ["per_neuron", "graph"]  # each held to vectorized, and so to each other
CASES = [(h, o, lo, depth, m) for (h, o, lo) in valid_combinations() for depth in (1, 2, 3, 4) for m in (1, 5)]
IDS = ["%s-%s-%s-L%d-m%d" % c for c in CASES]
TOL = 1e-12


def _setup(h, o, lo, depth, m):
    rnd = random.Random(zlib.crc32(repr((h, o, lo, depth, m)).encode()))
    n_out = rnd.randint(2, 3) if o == "softmax" else rnd.randint(1, 3)
    sizes = [rnd.randint(1, 4) for _ in range(depth)] + [n_out]
    net = random_net(rnd, sizes, h, o, lo, seed=rnd.randrange(1000))
    X = random_batch(rnd, m, sizes[0])
    Y = random_targets(rnd, lo, m, n_out)
    return net, X, Y


@pytest.mark.parametrize("h,o,lo,depth,m", CASES, ids=IDS)
def test_the_three_paths_agree_with_each_other_and_with_central_differences(h, o, lo, depth, m):
    net, X, Y = _setup(h, o, lo, depth, m)
    ref, f_ref = vectorized.backward(net, X, Y), vectorized.forward(net, X)
    sizes = gradcheck.term_sizes(net, X, Y)
    numeric = gradcheck.numerical_gradients(net, X, Y)
    assert max(gradcheck.compare(ref, numeric, gradcheck.NUMERIC_FLOOR).values()) <= 1e-6
    assert net.predict(X) == f_ref.a[net.L]
    assert ref.g_a[0] is ref.x
    for name in OTHERS:
        path = PATHS[name]
        g, f = path.backward(net, X, Y), path.forward(net, X)
        paths = gradcheck.compare(g, ref, sizes=sizes)
        assert max(paths.values()) <= TOL, (name, paths)
        assert abs(g.loss - ref.loss) <= TOL * max(1.0, abs(ref.loss)), name
        numeric_errors = gradcheck.compare(g, numeric, gradcheck.NUMERIC_FLOOR)
        assert max(numeric_errors.values()) <= 1e-6, (name, numeric_errors)
        for l in range(net.L + 1):  # g^[la] of every layer, dL/dX (l = 0) included
            assert gradcheck.relative_error(g.g_a[l], ref.g_a[l]) <= TOL, (name, "g_a", l)
        for l in range(1, net.L + 1):
            assert gradcheck.relative_error(g.g_z[l], ref.g_z[l]) <= TOL, (name, "g_z", l)
            assert gradcheck.relative_error(f.z[l], f_ref.z[l]) <= TOL, (name, "z", l)
            assert gradcheck.relative_error(f.a[l], f_ref.a[l]) <= TOL, (name, "a", l)


@pytest.mark.parametrize("h,o,lo,depth,m", CASES, ids=IDS)
def test_the_derived_paths_match_an_independent_autodiff(h, o, lo, depth, m):
    net, X, Y = _setup(h, o, lo, depth, m)
    loss, gW, gb, gX = autodiff.gradients(net.sizes, [None] + list(net.W), [None] + list(net.b),
                                          X, Y, h, o, lo)
    for g in (per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)):
        assert abs(g.loss - loss) <= 1e-9 * max(1.0, abs(loss))
        for l in range(1, net.L + 1):
            assert gradcheck.relative_error(g.W[l], gW[l]) <= 1e-9
            assert gradcheck.relative_error(g.b[l], gb[l]) <= 1e-9
        assert gradcheck.relative_error(g.x, gX) <= 1e-9


def test_a_784_input_network_goes_back_the_same_on_every_path():
    """A wide first layer: the graph path's 784-input sums (no recursion error), as the others."""
    net = tb.Network([784, 4, 2], output="softmax", loss="cross_entropy", seed=1)
    rnd = random.Random(3)
    X, Y = random_batch(rnd, 1, 784), [[0.0, 1.0]]
    ref = vectorized.backward(net, X, Y)
    sizes = gradcheck.term_sizes(net, X, Y)
    for name in OTHERS:
        g = PATHS[name].backward(net, X, Y)
        assert max(gradcheck.compare(g, ref, sizes=sizes).values()) <= TOL, name
        assert abs(g.loss - ref.loss) <= TOL * abs(ref.loss), name


# -- training: the same run on every path ----------------------------------------------------

@pytest.mark.parametrize("path", OTHERS)
@pytest.mark.parametrize("sizes,hidden,output,loss,task", [
    ([4, 3, 2, 1], "sigmoid", "sigmoid", "bce", "binary"),
    ([4, 5, 3], "tanh", "softmax", "cross_entropy", "multiclass"),
    ([4, 4, 1], "relu", "sigmoid", "squared_error", "binary"),
])
def test_every_path_trains_the_same(path, sizes, hidden, output, loss, task):
    """Iris, 12 steps an epoch; 15 epochs (5 on the graph path, which builds a graph a step)."""
    X, Y, Xt, Yt = iris(task, seed=1)
    epochs = 5 if path == "graph" else 15
    runs = []
    for p in ("vectorized", path):
        net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=4)
        h = tb.train(net, X, Y, epochs=epochs, lr=0.3, batch_size=10, path=p, seed=5, X_val=Xt, Y_val=Yt)
        runs.append((net, h))
    (n1, h1), (n2, h2) = runs
    assert len(h1.loss) == len(h2.loss) == epochs
    for a, b in zip(h1.loss + h1.val_loss, h2.loss + h2.val_loss):
        assert abs(a - b) <= 1e-9
    assert h1.accuracy == h2.accuracy
    for l in range(1, n1.L + 1):
        assert max(abs(x - y) for r1, r2 in zip(n1.W[l], n2.W[l]) for x, y in zip(r1, r2)) <= 1e-9


@pytest.mark.parametrize("path", OTHERS)
@pytest.mark.parametrize("batch_size", [1, 4])
def test_every_path_takes_the_same_steps(path, batch_size):
    """One row a step (no g^[lW]: W updated by the outer product) and whole batches: the
    losses of every epoch to 1e-12 of the matrix path's."""
    X, Y = xor()
    losses = []
    for p in ("vectorized", path):
        net = tb.Network([2, 3, 1], hidden="tanh", seed=4)
        losses.append(tb.train(net, X, Y, epochs=5, lr=0.5, batch_size=batch_size, path=p).loss)
    assert len(losses[0]) == 5
    for a, b in zip(*losses):
        assert abs(a - b) <= 1e-12 * abs(a)


# -- the checks can fail -----------------------------------------------------------------------

def test_numeric_floor_only_matters_for_vanishing_gradients():
    """The floor is not a loophole: on a shallow net every parameter's gradient is far
    above it, so the comparison there is plainly relative."""
    net, X, Y = _setup("tanh", "sigmoid", "squared_error", 2, 5)
    g = vectorized.backward(net, X, Y)
    for l in range(1, net.L + 1):
        assert max(abs(v) for row in g.W[l] for v in row) > 10 * gradcheck.NUMERIC_FLOOR


def test_check_catches_a_wrong_derivative(monkeypatch):
    """The gradient check is not a rubber stamp: a wrong sigmoid derivative in the
    activation table makes both paths disagree with central differences."""
    net, X, Y = _setup("sigmoid", "sigmoid", "squared_error", 3, 5)
    assert gradcheck.check(net, X, Y).ok
    monkeypatch.setattr(tb.activations.SIGMOID, "d", lambda z, a: a * (1.0 + a))  # the per-neuron path's
    monkeypatch.setattr(tb.activations.SIGMOID, "d_row", lambda z_row, a_row: [a * (1.0 + a) for a in a_row])
    report = gradcheck.check(net, X, Y)
    assert not report.ok and report.worst_numeric > 1e-3


def test_a_slip_in_one_path_is_seen_by_the_comparison(monkeypatch):
    """The agreement above is not vacuous: a wrong local derivative in the graph path alone
    (sigma' written as sigma (1 + sigma)) puts it far from the matrix path."""
    net, X, Y = _setup("sigmoid", "sigmoid", "bce", 2, 5)
    real = graph.Value.sigmoid

    def slipped(self):
        s = real(self)
        return graph.Value(s.data, ((self, s.data * (1.0 + s.data)),), "sigmoid")

    monkeypatch.setattr(graph.Value, "sigmoid", slipped)
    errors = gradcheck.compare(graph.backward(net, X, Y), vectorized.backward(net, X, Y),
                               sizes=gradcheck.term_sizes(net, X, Y))
    assert errors["W1"] > 1e-3
