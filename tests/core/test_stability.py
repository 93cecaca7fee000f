"""No overflow at z = +-1000, no log(0), finite gradients when an output saturates."""
import math

import pytest

import tinybackprop as tb
from tinybackprop import activations, losses, per_neuron, vectorized, gradcheck

from conftest import valid_combinations


def finite(g):
    vals = [g.loss] + [x for row in g.x for x in row]
    for l in range(1, len(g.W)):
        vals += [x for row in g.W[l] for x in row] + [x for row in g.b[l] for x in row]
    return all(math.isfinite(v) for v in vals)


@pytest.mark.parametrize("z", [1000.0, -1000.0, 745.2, -745.2, 0.0])
def test_activations_at_extremes(z):
    s = activations.sigmoid(z)
    assert 0.0 <= s <= 1.0 and math.isfinite(activations.sigmoid_d(z, s))
    assert activations.softmax([z, 0.0, -z]) == activations.softmax([z + 5.0, 5.0, 5.0 - z]) or z == 0.0
    assert abs(sum(activations.softmax([z, 0.0, -z])) - 1.0) < 1e-15
    assert math.isfinite(activations.softplus(z)) and math.isfinite(activations.log_sigmoid(z))


def test_sigmoid_matches_its_definition_where_that_is_safe():
    for z in [-30.0, -2.5, -0.1, 0.0, 0.7, 3.0, 30.0]:
        assert abs(activations.sigmoid(z) - 1.0 / (1.0 + math.exp(-z))) <= 1e-16


@pytest.mark.parametrize("h,o,lo", valid_combinations())
@pytest.mark.parametrize("z", [1000.0, -1000.0])
def test_saturated_outputs_give_finite_loss_and_gradients(h, o, lo, z):
    n_out = 2 if o == "softmax" else 1
    net = tb.Network([1, 2, n_out], hidden=h, output=o, loss=lo)
    net.W[1], net.b[1] = [[1.0, 1.0]], [[0.0, 0.0]]
    net.W[2] = [[1.0] + [0.0] * (n_out - 1), [0.0] * n_out]
    net.b[2] = [[0.0] * n_out]
    X = [[z]]
    Y = [[1.0] + [0.0] * (n_out - 1)] if lo != "squared_error" else [[0.5] * n_out]
    flipped = [list(reversed(Y[0]))] if n_out > 1 else [[1.0 - Y[0][0]]]
    for Yc in ([Y, flipped] if (lo != "cross_entropy" or n_out > 1) else [Y]):
        g_n, g_v = per_neuron.backward(net, X, Yc), vectorized.backward(net, X, Yc)
        assert finite(g_n) and finite(g_v), (h, o, lo, z)
        assert max(gradcheck.compare(g_n, g_v, sizes=gradcheck.term_sizes(net, X, Yc)).values()) <= 1e-12


def test_bce_loss_of_a_confident_mistake_is_large_but_exact():
    # sigma(-1000) underflows to 0, but the loss from z is exactly softplus(1000) = 1000
    assert losses.bce([-1000.0], [1.0], "sigmoid") == 1000.0
    assert losses.cross_entropy([-1000.0, 0.0], [1.0, 0.0], "softmax") == 1000.0


def test_canonical_pair_gradient_stays_exact_when_saturated():
    net = tb.Network([1, 1], output="sigmoid", loss="bce")
    net.W[1] = [[1.0]]
    g = vectorized.backward(net, [[-1000.0]], [[1.0]])
    assert g.g_z[1] == [[-1.0]]  # yhat - y with yhat = 0: the chain g' * g_a would be 0 * inf
