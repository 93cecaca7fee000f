"""The networks of the three source documents and a published worked example.

Every expected value here comes from outside the package: closed forms derived
by hand and written out with plain loops in this file, central differences, or
the figures printed in Matt Mazur's "A Step by Step Backpropagation Example".
"""
import math

import pytest

import tinybackprop as tb
from tinybackprop import gradcheck, graph, per_neuron, vectorized


def sig(z):
    return 1.0 / (1.0 + math.exp(-z))


def row_times(a, W):
    """a (flat list) times W (list of rows): sum_i a_i W_ij, written out."""
    return [sum(a[i] * W[i][j] for i in range(len(a))) for j in range(len(W[0]))]


def every_path(net, X, Y):
    return per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y), graph.backward(net, X, Y)


# -- seed 002: the 4-3-2-1 network, sigmoid everywhere, binary cross entropy ----------------
def test_seed002_network_matches_the_documents_equations():
    net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=7)
    net.b[1], net.b[2], net.b[3] = [[0.1, -0.2, 0.05]], [[0.3, -0.1]], [[0.2]]
    x, y = [0.5, -1.2, 0.3, 2.0], 1.0
    W1, W2, W3 = net.W[1], net.W[2], net.W[3]
    # forward, as the document writes it (with the sign of the logistic corrected)
    a0 = x
    a1 = [sig(z + b) for z, b in zip(row_times(a0, W1), net.b[1][0])]
    a2 = [sig(z + b) for z, b in zip(row_times(a1, W2), net.b[2][0])]
    a3 = sig(row_times(a2, W3)[0] + net.b[3][0][0])
    # backward, equation by equation
    g3a = (a3 - y) / (a3 * (1 - a3))
    g3z = a3 * (1 - a3) * g3a
    g3W = [[a2[0] * g3z], [a2[1] * g3z]]
    g2a = [W3[0][0] * g3z, W3[1][0] * g3z]
    g2z = [a2[j] * (1 - a2[j]) * g2a[j] for j in range(2)]
    g2W = [[a1[i] * g2z[j] for j in range(2)] for i in range(3)]
    g1a = [g2z[0] * W2[i][0] + g2z[1] * W2[i][1] for i in range(3)]  # row i of W^[2], not the document's slip
    g1z = [a1[i] * (1 - a1[i]) * g1a[i] for i in range(3)]
    g1W = [[a0[i] * g1z[j] for j in range(3)] for i in range(4)]
    for g in every_path(net, [x], [[y]]):
        assert gradcheck.relative_error(g.W[3], g3W) < 1e-12
        assert gradcheck.relative_error(g.b[3], [[g3z]]) < 1e-12
        assert gradcheck.relative_error(g.g_a[2], [g2a]) < 1e-12
        assert gradcheck.relative_error(g.W[2], g2W) < 1e-12
        assert gradcheck.relative_error(g.b[2], [g2z]) < 1e-12
        assert gradcheck.relative_error(g.g_a[1], [g1a]) < 1e-12
        assert gradcheck.relative_error(g.W[1], g1W) < 1e-12
        assert gradcheck.relative_error(g.b[1], [g1z]) < 1e-12
        assert abs(g3z - (a3 - y)) < 1e-15  # a canonical pair: yhat - y
        assert abs(g.loss - -((1 - y) * math.log(1 - a3) + y * math.log(a3))) < 1e-12
    assert gradcheck.check(net, [x], [[y]]).ok


# -- seed 001: 3-4-1, sigmoid, squared error; the vector-by-matrix derivative ---------------
def test_seed001_network_dC_dW1_closed_form():
    net = tb.Network([3, 4, 1], hidden="sigmoid", output="sigmoid", loss="squared_error", seed=11)
    x, y = [0.9, -0.4, 0.2], 0.3
    W1, w2 = net.W[1], [row[0] for row in net.W[2]]
    a = [sig(z) for z in row_times(x, W1)]
    yhat = sig(sum(w2[i] * a[i] for i in range(4)))
    dC_dz2 = (yhat - y) * yhat * (1 - yhat)
    # dC/dW1_ij = x_i * sigma'(z1_j) * w2_j * dC/dz2: the contraction of dz/dW with dC/dz
    expected = [[x[i] * a[j] * (1 - a[j]) * w2[j] * dC_dz2 for j in range(4)] for i in range(3)]
    for g in every_path(net, [x], [[y]]):
        assert gradcheck.relative_error(g.W[1], expected) < 1e-12
        assert abs(g.loss - 0.5 * (y - yhat) ** 2) < 1e-15
    assert gradcheck.check(net, [x], [[y]]).ok


# -- seed 000: sigmoid hidden, softmax output, cross entropy; gradient w.r.t. the input ----
@pytest.mark.parametrize("m", [1, 3])
def test_seed000_gradient_with_respect_to_x(m):
    net = tb.Network([5, 4, 3], hidden="sigmoid", output="softmax", loss="cross_entropy", seed=3)
    net.b[1], net.b[2] = [[0.1, 0.0, -0.3, 0.2]], [[0.05, -0.05, 0.0]]
    X = [[0.3 * r - 0.5 * k for k in range(5)] for r in range(m)]
    Y = [[1.0 if k == r % 3 else 0.0 for k in range(3)] for r in range(m)]
    W1, W2 = net.W[1], net.W[2]
    expected = []
    for x, y in zip(X, Y):
        h = [sig(z + b) for z, b in zip(row_times(x, W1), net.b[1][0])]
        theta = [z + b for z, b in zip(row_times(h, W2), net.b[2][0])]
        e = [math.exp(t) for t in theta]
        yhat = [v / sum(e) for v in e]
        delta = [(yhat[k] - y[k]) / m for k in range(3)]  # mean loss over the batch
        # ((yhat - y) W2^T o sigma'(h)) W1^T
        back = [sum(delta[k] * W2[j][k] for k in range(3)) * h[j] * (1 - h[j]) for j in range(4)]
        expected.append([sum(back[j] * W1[i][j] for j in range(4)) for i in range(5)])
    for g in every_path(net, X, Y):
        assert gradcheck.relative_error(g.x, expected) < 1e-12
    assert gradcheck.check(net, X, Y).ok


# -- Matt Mazur, "A Step by Step Backpropagation Example": published figures --------------
def mazur_network():
    net = tb.Network([2, 2, 2], hidden="sigmoid", output="sigmoid", loss="squared_error")
    # w1..w4 from the inputs, w5..w8 from the hidden layer; one shared bias per layer
    net.W[1] = [[0.15, 0.25], [0.20, 0.30]]  # row i = input i: [[w1, w3], [w2, w4]]
    net.b[1] = [[0.35, 0.35]]
    net.W[2] = [[0.40, 0.50], [0.45, 0.55]]  # [[w5, w7], [w6, w8]]
    net.b[2] = [[0.60, 0.60]]
    return net, [[0.05, 0.10]], [[0.01, 0.99]]


def test_mazur_published_figures():
    net, X, Y = mazur_network()
    for g in every_path(net, X, Y):
        assert round(g.loss, 9) == 0.298371109  # total error
        assert round(g.W[2][0][0], 9) == 0.082167041  # dE/dw5
        w5 = net.W[2][0][0] - 0.5 * g.W[2][0][0]
        w1 = net.W[1][0][0] - 0.5 * g.W[1][0][0]
        assert round(w5, 8) == 0.35891648
        assert round(w1, 9) == 0.149780716
