"""Common slips in backprop derivations, each against the correct form.

docs/slips.md shows each test beside the slip it settles (snippet sections below).
Expected values come from independent computations: the formulas written out here,
shape rules, and central differences; never from numbers the package printed.
"""
import math

import pytest

import tinybackprop as tb
from tinybackprop import activations, gradcheck, per_neuron, vectorized


# --8<-- [start:slip-logistic]
def slipped_logistic(z):
    return 1.0 / (1.0 - math.exp(-z))  # the slip: a minus sign in the denominator


def correct_logistic(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_slipped_logistic_is_not_a_probability():
    # 1/(1 - e^-z) leaves (0, 1): above 1 for z > 0, negative for z < 0 ...
    assert slipped_logistic(1.0) > 1.0
    assert slipped_logistic(-1.0) < 0.0
    # ... and has a pole at z = 0, so log(yhat) and log(1 - yhat) of the loss are undefined
    with pytest.raises(ZeroDivisionError):
        slipped_logistic(0.0)
    for z in (-30.0, -1.0, 0.0, 1.0, 30.0):
        assert 0.0 <= activations.sigmoid(z) <= 1.0
        assert abs(activations.sigmoid(z) - correct_logistic(z)) <= 1e-15


def test_sigmoid_derivative_is_a_times_one_minus_a():
    h = 1e-6
    for z in (-3.0, -0.5, 0.0, 0.7, 4.0):
        a = activations.sigmoid(z)
        central = (activations.sigmoid(z + h) - activations.sigmoid(z - h)) / (2 * h)
        assert abs(activations.sigmoid_d(z, a) - central) < 1e-9
        assert abs(a * (1.0 - a) - central) < 1e-9
# --8<-- [end:slip-logistic]


# --8<-- [start:slip-derivative-sign]
def test_inner_derivative_of_one_minus_exp_is_plus_exp():
    # -e^-z is the derivative of (1 + e^-z); the derivative of the slipped (1 - e^-z) is +e^-z.
    h = 1e-6
    for z in (-1.0, 0.3, 2.0):
        central = ((1 - math.exp(-(z + h))) - (1 - math.exp(-(z - h)))) / (2 * h)
        assert abs(central - math.exp(-z)) < 1e-8
        assert abs(central - (-math.exp(-z))) > 0.1
# --8<-- [end:slip-derivative-sign]


# --8<-- [start:slip-transpose]
def test_transposed_product_has_no_shape_under_the_row_convention():
    net = tb.Network([4, 3, 2, 1], seed=0)
    x = [[0.1, 0.2, 0.3, 0.4]]
    a2 = vectorized.forward(net, x).a[2]            # 1 x 2 row
    W3 = net.W[3]                                   # 2 x 1: W_1^[3] is its only column
    # The slip z^[3] = W_1^[3]T a^[2]: (1 x 2) times (1 x 2) is not defined.
    with pytest.raises(tb.BackpropError, match="1x2 by 1x2"):
        tb.matmul(tb.transpose(W3), a2)
    # The row convention's z^[3] = a^[2] W^[3] + b^[3] is 1 x 1 and is what the forward pass computes.
    z3 = tb.add(tb.matmul(a2, W3), net.b[3])
    assert tb.shape(z3) == (1, 1)
    assert abs(z3[0][0] - vectorized.forward(net, x).z[3][0][0]) <= 1e-15
    # (W^T a^T would be the column convention: the same number, as a column.)
    zc = tb.matmul(tb.transpose(W3), tb.transpose(a2))
    assert abs(zc[0][0] + net.b[3][0][0] - z3[0][0]) <= 1e-15
# --8<-- [end:slip-transpose]


def _loss_of_a1(net, a1, y):
    """The loss as a function of a^[1]: layers 2 and 3 of ``net`` as a network of their own."""
    tail = tb.Network([3, 2, 1], seed=0)
    tail.W[1], tail.b[1] = net.W[2], net.b[2]
    tail.W[2], tail.b[2] = net.W[3], net.b[3]
    return tail, [a1], y


# --8<-- [start:slip-row]
def test_gradient_of_a2_layer1_uses_row_2_of_W2_not_row_3():
    net = tb.Network([4, 3, 2, 1], seed=0)
    X, Y = [[0.1, 0.2, 0.3, 0.4]], [[1.0]]
    g = vectorized.backward(net, X, Y)
    a1 = vectorized.forward(net, X).a[1][0]
    g2z = g.g_z[2][0]                                    # [dL/dz_1^[2], dL/dz_2^[2]]
    W2 = net.W[2]
    row2 = g2z[0] * W2[1][0] + g2z[1] * W2[1][1]         # g^[2z] [W_21, W_22]^T: correct
    row3 = g2z[0] * W2[2][0] + g2z[1] * W2[2][1]         # g^[2z] [W_31, W_32]^T: the slip
    # dL/da_2^[1] by central differences: perturb a_2^[1] and run layers 2 and 3 forward.
    tail, A1, _ = _loss_of_a1(net, a1, Y)
    numeric = gradcheck.numerical_gradients(tail, A1, Y).x[0][1]
    assert abs(row2 - numeric) <= 1e-8 * max(1.0, abs(numeric))
    assert abs(row3 - numeric) > 1e-3
    # and both backward paths hold the correct one
    for path in (per_neuron, vectorized):
        assert abs(path.backward(net, X, Y).g_a[1][0][1] - row2) <= 1e-15
# --8<-- [end:slip-row]


# --8<-- [start:slip-update-b]
def test_one_training_step_moves_b_as_well_as_W():
    # An update rule written for W only: b follows the same rule, b <- b - alpha dL/db.
    net = tb.Network([4, 3, 2, 1], seed=0)
    X, Y = [[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]], [[1.0], [0.0]]
    before = net.copy()
    g = vectorized.backward(before, X, Y)
    alpha = 0.5
    tb.train(net, X, Y, epochs=1, lr=alpha, batch_size=2)  # one step: the whole batch at once
    for l in (1, 2, 3):
        for j in range(net.sizes[l]):
            assert net.b[l][0][j] == pytest.approx(before.b[l][0][j] - alpha * g.b[l][0][j], abs=1e-15)
            assert g.b[l][0][j] != 0.0  # so the bias really moved
        for i in range(net.sizes[l - 1]):
            for j in range(net.sizes[l]):
                assert net.W[l][i][j] == pytest.approx(before.W[l][i][j] - alpha * g.W[l][i][j], abs=1e-15)
# --8<-- [end:slip-update-b]


# --8<-- [start:slip-w1]
def test_the_first_layer_of_a_3_4_1_network_depends_on_W1_not_W2():
    # The slip writes z^[1] with the weights of layer 2; the hidden layer's inputs are weighted by W^[1].
    net = tb.Network([3, 4, 1], loss="squared_error", seed=1)
    x = [[0.5, -0.2, 0.1]]
    z1 = vectorized.forward(net, x).z[1]
    h = 1e-6
    for i in range(3):
        for j in range(4):
            for W, moves in ((net.W[1], True), (net.W[2], False)):
                if j >= len(W[0]) or i >= len(W):
                    continue
                W[i][j] += h
                dz = (vectorized.forward(net, x).z[1][0][j] - z1[0][j]) / h
                W[i][j] -= h
                if moves:
                    assert dz == pytest.approx(x[0][i], abs=1e-6)  # dz_j/dW^[1]_ij = x_i
                else:
                    assert dz == 0.0
# --8<-- [end:slip-w1]
