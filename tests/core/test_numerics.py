"""Finite loss and gradients, in both paths, for inputs up to |x| = 1e6 and
pre-activations up to +-1e4 (and +-1000), for every valid combination of
hidden activation, output activation and loss, including saturated outputs;
no overflow in the activations at z = +-1000, no log(0) in the losses.

The weights are set so that the pre-activations really reach the target size
(checked), the two paths must agree (normwise relative error 1e-10), and the
loss and the output-layer bias gradient are compared with a reference computed
here in 60-digit decimal arithmetic, independently of the package.
"""
import decimal
import math
import random

import pytest

import tinybackprop as tb
from tinybackprop import activations, gradcheck, losses, per_neuron, vectorized

from conftest import random_targets, valid_combinations

D = decimal.Context(prec=60, Emin=-10 ** 8, Emax=10 ** 8)


def all_numbers(g):
    vals = [g.loss] + [x for row in g.x for x in row]
    for l in range(1, len(g.W)):
        vals += [x for row in g.W[l] for x in row] + [x for row in g.b[l] for x in row]
    return vals


def steer(net, X, Z, rnd):
    """Set every W^[l] (b^[l] = 0) so that, for the first example, the
    pre-activations of layer l are exactly +-Z (random signs): column j of W^[l]
    is t_j a / (a . a) for the layer's input a."""
    a = [list(X[0])]
    for l in range(1, net.L + 1):
        n_prev, n_l = net.sizes[l - 1], net.sizes[l]
        a_row = a[0]
        norm2 = sum(v * v for v in a_row)
        if norm2 == 0.0:  # e.g. relu gave all zeros: nothing can reach Z from here
            a_row, norm2 = [1.0] * n_prev, float(n_prev)
        t = [Z * rnd.choice([-1.0, 1.0]) for _ in range(n_l)]
        if n_l > 1:
            t[0], t[1] = Z, -Z  # at least one of each sign
        net.W[l] = [[t[j] * a_row[i] / norm2 for j in range(n_l)] for i in range(n_prev)]
        net.b[l] = [[0.0] * n_l]
        a = vectorized.forward(net, [list(X[0])]).a[l]  # layers 1..l are set: the next layer's input


def dec_loss_and_gb(output, loss, Z, Y):
    """The mean loss and dL/db^[L] from z^[L] (m x n_L) and Y, in Decimal: the reference."""
    m = len(Z)
    total = D.create_decimal(0)
    g_b = [D.create_decimal(0)] * len(Z[0])
    for z_row, y_row in zip(Z, Y):
        z = [D.create_decimal(v) for v in z_row]
        y = [D.create_decimal(v) for v in y_row]
        if output == "sigmoid":
            p = [D.divide(1, D.add(1, D.exp(-zk))) for zk in z]
            q = [D.divide(1, D.add(1, D.exp(zk))) for zk in z]  # 1 - p without cancellation
        elif output == "softmax":
            top = max(z)
            e = [D.exp(zk - top) for zk in z]
            s = sum(e, D.create_decimal(0))
            p = [ek / s for ek in e]
            q = [sum(e[:k] + e[k + 1:], D.create_decimal(0)) / s for k in range(len(e))]
        else:
            p = z
            q = None
        if loss == "bce":
            total += -sum(((1 - yk) * D.ln(qk) + yk * D.ln(pk) for yk, pk, qk in zip(y, p, q)), D.create_decimal(0))
        elif loss == "cross_entropy":
            total += -sum((yk * D.ln(pk) for yk, pk in zip(y, p) if yk != 0), D.create_decimal(0))
        else:
            total += sum(((yk - pk) ** 2 for yk, pk in zip(y, p)), D.create_decimal(0)) / 2
        if (output, loss) in (("sigmoid", "bce"), ("softmax", "cross_entropy"), ("identity", "squared_error")):
            g_b = [gb + (pk - yk) / m for gb, pk, yk in zip(g_b, p, y)]
        else:
            g_b = None
    return total / m, g_b


def run_case(h, o, lo, Z=None, x_scale=1.0, seed=0, m=3, hidden=(3,)):
    rnd = random.Random(seed)
    n_out = 3 if o == "softmax" else 2
    net = tb.Network([4] + list(hidden) + [n_out], hidden=h, output=o, loss=lo, seed=seed)
    X = [[x_scale * rnd.choice([-1.0, 1.0]) * rnd.uniform(0.5, 1.0) for _ in range(4)] for _ in range(m)]
    if Z is not None:
        steer(net, X, Z, rnd)
    Y = random_targets(rnd, lo, m, n_out)
    g_n, g_v = per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)
    return net, X, Y, g_n, g_v


def assert_finite_and_agree(net, X, Y, g_n, g_v, label):
    assert all(math.isfinite(v) for v in all_numbers(g_n)), ("per_neuron", label)
    assert all(math.isfinite(v) for v in all_numbers(g_v)), ("vectorized", label)
    worst = max(gradcheck.compare(g_n, g_v, sizes=gradcheck.term_sizes(net, X, Y)).values())
    assert worst <= 1e-10, (label, worst)
    f = vectorized.forward(net, X)
    ref_loss, ref_gb = dec_loss_and_gb(net.output, net.loss, f.z[net.L], Y)
    for g in (g_n, g_v):
        assert abs(g.loss - float(ref_loss)) <= 1e-12 * max(1.0, abs(float(ref_loss))), (label, g.loss, ref_loss)
        if ref_gb is not None:
            got = g.b[net.L][0]
            scale = max(1.0, max(abs(float(v)) for v in ref_gb))
            assert all(abs(a - float(b)) <= 1e-12 * scale for a, b in zip(got, ref_gb)), (label, got, ref_gb)


COMBOS = valid_combinations()
IDS = ["%s-%s-%s" % c for c in COMBOS]


@pytest.mark.parametrize("h,o,lo", COMBOS, ids=IDS)
@pytest.mark.parametrize("x_scale", [1e3, 1e6])
def test_inputs_up_to_a_million_give_finite_agreeing_gradients(h, o, lo, x_scale):
    net, X, Y, g_n, g_v = run_case(h, o, lo, x_scale=x_scale)
    assert max(abs(x) for row in X for x in row) >= 0.5 * x_scale
    assert_finite_and_agree(net, X, Y, g_n, g_v, (h, o, lo, x_scale))


@pytest.mark.parametrize("h,o,lo", COMBOS, ids=IDS)
@pytest.mark.parametrize("Z", [1e3, 1e4])
@pytest.mark.parametrize("x_scale", [1.0, 1e6])
@pytest.mark.parametrize("hidden", [(3,), (5, 3)], ids=["1-hidden", "2-hidden"])
def test_pre_activations_of_ten_thousand_give_finite_agreeing_gradients(h, o, lo, Z, x_scale, hidden):
    for seed in range(3):
        net, X, Y, g_n, g_v = run_case(h, o, lo, Z=Z, x_scale=x_scale, seed=seed, hidden=hidden)
        f = vectorized.forward(net, X)
        # the steering worked: every layer reaches +-Z
        for l in range(1, net.L + 1):
            assert max(abs(z) for z in f.z[l][0]) >= 0.99 * Z, (l, f.z[l][0])
        assert_finite_and_agree(net, X, Y, g_n, g_v, (h, o, lo, Z, x_scale, seed))


@pytest.mark.parametrize("o,lo", sorted({(o, lo) for _, o, lo in COMBOS if o != "identity"}))
@pytest.mark.parametrize("z", [1e4, -1e4, 1e3, -1e3, 40.0, -40.0])
def test_saturated_outputs_with_confident_mistakes(o, lo, z):
    """Output z^[L] = (z, -z, ...) against the opposite target: yhat is 0 or 1 in
    floating point, the loss is about |z| and must be finite and right."""
    n_out = 3 if o == "softmax" else 2
    net = tb.Network([1, n_out], output=o, loss=lo)
    net.W[1] = [[z] + [-z] * (n_out - 1)]
    Y = [[0.0] + [1.0] + [0.0] * (n_out - 2)] if lo != "bce" else [[0.0, 1.0] + [0.0] * (n_out - 2)]
    if lo == "cross_entropy" and o == "sigmoid":
        Y = [[0.0, 1.0]]
    X = [[1.0]]
    g_n, g_v = per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)
    assert_finite_and_agree(net, X, Y, g_n, g_v, (o, lo, z))
    if z > 0 and lo != "squared_error":
        assert g_v.loss >= 0.99 * z  # a confident mistake costs about |z|, not log(0) = inf


def test_no_overflow_in_the_general_chain_at_saturation():
    # sigmoid output with cross-entropy is not a canonical pair: the chain
    # dL/dyhat * sigma'(z) divides by yhat and multiplies by yhat (1 - yhat)
    net = tb.Network([1, 2], output="sigmoid", loss="cross_entropy")
    net.W[1] = [[-1e4, 1e4]]
    g = vectorized.backward(net, [[1.0]], [[1.0, 0.0]])
    assert all(math.isfinite(v) for v in all_numbers(g))
    assert g.g_z[1][0][0] <= 0.0  # pushing z_0 up lowers the loss


# -- the activations and losses at z = +-1000, and saturated two-layer networks ------------------

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
        assert all(math.isfinite(v) for v in all_numbers(g_n) + all_numbers(g_v)), (h, o, lo, z)
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
