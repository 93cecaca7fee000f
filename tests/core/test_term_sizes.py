"""gradcheck.compare measures the two paths' difference against the size of the
terms summed (gradcheck.term_sizes), not against a result that cancelled to ~0:
the fix for CPython 3.12+, where math.sumprod rounds once and a plain loop rounds
at every step."""
import math
import random
import zlib

import pytest

import tinybackprop as tb
from tinybackprop import gradcheck, per_neuron, vectorized

from conftest import random_batch, random_net, random_targets, valid_combinations


def cancelling_case():
    """dL/dx = -40 p_0 + 40 (p_1 - 1) + 40 p_2 with p = softmax(-40, 40, 40):
    20 - 20 cancels, leaving -40 p_0 = -4e-34, or 0.0 after rounding."""
    net = tb.Network([1, 3], output="softmax", loss="cross_entropy")
    net.W[1] = [[-40.0, 40.0, 40.0]]
    return net, [[1.0]], [[0.0, 1.0, 0.0]]


def test_term_sizes_of_a_linear_layer_match_the_hand_derived_sums():
    """Identity output, squared error: g_W_ij = (1/m) sum_r x_ri (z_rj - y_rj), so its
    terms add up to (1/m) sum_r |x_ri| (|z_rj| + |y_rj|); g_x_ri = (1/m) sum_j W_ij (z_rj - y_rj)."""
    rnd = random.Random(4)
    net = random_net(rnd, [3, 2], "identity", "identity", "squared_error")
    X, Y = random_batch(rnd, 4, 3), random_batch(rnd, 4, 2)
    m = len(X)
    Z = [[sum(x * w for x, w in zip(row, col)) + b for col, b in zip(zip(*net.W[1]), net.b[1][0])] for row in X]
    s = gradcheck.term_sizes(net, X, Y)
    for i in range(3):
        for j in range(2):
            want = sum(abs(X[r][i]) * (abs(Z[r][j]) + abs(Y[r][j])) for r in range(m)) / m
            assert s.W[1][i][j] == pytest.approx(want, rel=1e-12)
    for j in range(2):
        assert s.b[1][0][j] == pytest.approx(sum(abs(Z[r][j]) + abs(Y[r][j]) for r in range(m)) / m, rel=1e-12)
    for r in range(m):
        for i in range(3):
            want = sum(abs(net.W[1][i][j]) * (abs(Z[r][j]) + abs(Y[r][j])) for j in range(2)) / m
            assert s.x[r][i] == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("h,o,lo", valid_combinations())
def test_term_sizes_bound_every_gradient(h, o, lo):
    """Triangle inequality: |sum of terms| <= sum of |terms| (up to rounding)."""
    rnd = random.Random(zlib.crc32(repr((h, o, lo)).encode()))
    n_out = 3 if o == "softmax" else 2
    net = random_net(rnd, [3, 4, 3, n_out], h, o, lo)
    X, Y = random_batch(rnd, 5, 3, 2.0), random_targets(rnd, lo, 5, n_out)
    g, s = vectorized.backward(net, X, Y), gradcheck.term_sizes(net, X, Y)
    for l in range(1, net.L + 1):
        for G, S in ((g.W[l], s.W[l]), (g.b[l], s.b[l])):
            for rg, rs in zip(G, S):
                assert all(abs(a) <= b * (1 + 1e-12) + 1e-300 for a, b in zip(rg, rs)), (l, G, S)
    for rg, rs in zip(g.x, s.x):
        assert all(abs(a) <= b * (1 + 1e-12) + 1e-300 for a, b in zip(rg, rs))


def test_cancelled_gradient_is_not_a_relative_error_of_one():
    net, X, Y = cancelling_case()
    g_v, g_n = vectorized.backward(net, X, Y), per_neuron.backward(net, X, Y)
    assert abs(g_v.x[0][0]) < 1e-30 and abs(g_n.x[0][0]) < 1e-30  # cancelled, in both
    assert gradcheck.term_sizes(net, X, Y).x[0][0] == pytest.approx(80.0)  # 40 + 40 p_0 + 40 (1 - p_1) + 40 p_2
    sizes = gradcheck.term_sizes(net, X, Y)
    assert max(gradcheck.compare(g_n, g_v, sizes=sizes).values()) <= 1e-15
    # Whatever this interpreter's path gives, the other rounding is possible too: math.sumprod
    # (CPython 3.12+, one rounding) keeps -40 p_0, a running sum loses it to 0.0.
    p0 = 1.0 / (1.0 + 2.0 * math.exp(80.0))
    for a, b in ((-40.0 * p0, 0.0), (0.0, -40.0 * p0)):
        g1, g2 = per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)
        g1.x[0][0], g2.x[0][0] = a, b
        assert max(gradcheck.compare(g1, g2, sizes=sizes).values()) <= 1e-15
        assert gradcheck.relative_error(g1.x, g2.x) == 1.0  # the old measure: 100 %


def test_compare_with_term_sizes_still_catches_a_real_difference():
    rnd = random.Random(7)
    net = random_net(rnd, [4, 3, 2], "tanh", "sigmoid", "bce")
    X, Y = random_batch(rnd, 5, 4), random_targets(rnd, "bce", 5, 2)
    g_n, g_v = per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)
    s = gradcheck.term_sizes(net, X, Y)
    assert max(gradcheck.compare(g_n, g_v, sizes=s).values()) <= 1e-14
    g_v.W[1][2][1] += 1e-9 * max(v for row in s.W[1] for v in row)
    assert gradcheck.compare(g_n, g_v, sizes=s)["W1"] >= 0.9e-9


def test_sizes_are_used_only_when_given():
    """Central differences are not sums of these terms: comparing with them stays
    relative to the gradients (the numeric floor aside).  Gradients carry no record of
    their inputs: what compare measures against is what it is given."""
    net, X, Y = cancelling_case()
    g_v = vectorized.backward(net, X, Y)
    g_c = gradcheck.numerical_gradients(net, X, Y)
    assert not hasattr(g_v, "inputs") and not hasattr(g_c, "inputs")
    plain = {"W1": gradcheck.relative_error(g_v.W[1], g_c.W[1]), "b1": gradcheck.relative_error(g_v.b[1], g_c.b[1]),
             "x": gradcheck.relative_error(g_v.x, g_c.x)}
    assert gradcheck.compare(g_v, g_c) == plain


def test_compare_refuses_sizes_of_another_network():
    net, X, Y = cancelling_case()
    g = vectorized.backward(net, X, Y)
    other = gradcheck.term_sizes(tb.Network([1, 2, 3], output="softmax", loss="cross_entropy"), X, Y)
    with pytest.raises(tb.BackpropError, match="compare: sizes must be"):
        gradcheck.compare(g, g, sizes=other)
