"""The two paths agree with each other, with central differences and with an
independent scalar autodiff, for every accepted activation x output x loss,
depths 1 to 4 and batch sizes 1 and 5."""
import random
import zlib

import pytest

import tinybackprop as tb
from tinybackprop import gradcheck, per_neuron, vectorized

import autodiff
from conftest import random_batch, random_net, random_targets, valid_combinations

CASES = [(h, o, lo, depth, m) for (h, o, lo) in valid_combinations() for depth in (1, 2, 3, 4) for m in (1, 5)]


def _setup(h, o, lo, depth, m):
    rnd = random.Random(zlib.crc32(repr((h, o, lo, depth, m)).encode()))
    n_out = rnd.randint(2, 3) if o == "softmax" else rnd.randint(1, 3)
    sizes = [rnd.randint(1, 4) for _ in range(depth)] + [n_out]
    net = random_net(rnd, sizes, h, o, lo, seed=rnd.randrange(1000))
    X = random_batch(rnd, m, sizes[0])
    Y = random_targets(rnd, lo, m, n_out)
    return net, X, Y


@pytest.mark.parametrize("h,o,lo,depth,m", CASES)
def test_paths_agree_and_match_central_differences(h, o, lo, depth, m):
    net, X, Y = _setup(h, o, lo, depth, m)
    g_n = per_neuron.backward(net, X, Y)
    g_v = vectorized.backward(net, X, Y)
    paths = gradcheck.compare(g_n, g_v, sizes=gradcheck.term_sizes(net, X, Y))
    assert max(paths.values()) <= 1e-12, paths
    assert abs(g_n.loss - g_v.loss) <= 1e-12 * max(1.0, abs(g_v.loss))
    numeric = gradcheck.compare(g_v, gradcheck.numerical_gradients(net, X, Y), gradcheck.NUMERIC_FLOOR)
    assert max(numeric.values()) <= 1e-6, numeric


@pytest.mark.parametrize("h,o,lo,depth,m", CASES)
def test_paths_match_independent_autodiff(h, o, lo, depth, m):
    net, X, Y = _setup(h, o, lo, depth, m)
    loss, gW, gb, gX = autodiff.gradients(net.sizes, [None] + list(net.W), [None] + list(net.b),
                                          X, Y, h, o, lo)
    for g in (per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)):
        assert abs(g.loss - loss) <= 1e-9 * max(1.0, abs(loss))
        for l in range(1, net.L + 1):
            assert gradcheck.relative_error(g.W[l], gW[l]) <= 1e-9
            assert gradcheck.relative_error(g.b[l], gb[l]) <= 1e-9
        assert gradcheck.relative_error(g.x, gX) <= 1e-9


def test_intermediate_gradients_agree():
    """g^[la] and g^[lz] of every layer, not only the parameter gradients."""
    net, X, Y = _setup("tanh", "softmax", "bce", 3, 5)
    g_n, g_v = per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)
    for l in range(net.L + 1):
        assert gradcheck.relative_error(g_n.g_a[l], g_v.g_a[l]) <= 1e-12
    for l in range(1, net.L + 1):
        assert gradcheck.relative_error(g_n.g_z[l], g_v.g_z[l]) <= 1e-12
    assert g_v.g_a[0] is g_v.x


def test_forward_paths_agree():
    net, X, _ = _setup("relu", "identity", "squared_error", 3, 5)
    f_n, f_v = per_neuron.forward(net, X), vectorized.forward(net, X)
    for l in range(1, net.L + 1):
        assert gradcheck.relative_error(f_n.z[l], f_v.z[l]) <= 1e-12
        assert gradcheck.relative_error(f_n.a[l], f_v.a[l]) <= 1e-12
    assert net.predict(X) == f_v.a[net.L]


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
