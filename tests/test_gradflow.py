"""The numbers of the gradient-flow figure (gradflow.py), recomputed without the package's backward pass."""
import math
import xml.etree.ElementTree as ET

import pytest

import tinybackprop as tb
from tinybackprop.show import gradflow

NS = "{http://www.w3.org/2000/svg}"


def independent_flow(net, X, Y):
    """Forward and backward for sigmoid output + bce written out here, one example at a time:
    delta^[L] = (yhat - y) / m, delta^[l] = g'(z^[l]) * (W^[l+1] delta^[l+1]), dW^[l]_ij += a^[l-1]_i delta^[l]_j."""
    def sig(z):  # without overflow far out
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    act = {"sigmoid": (sig, lambda z, a: a * (1.0 - a)),
           "tanh": (math.tanh, lambda z, a: 1.0 - a * a),
           "relu": (lambda z: z if z > 0 else 0.0, lambda z, a: 1.0 if z > 0 else 0.0)}[net.hidden]
    L, m = net.L, len(X)
    W = [None] + [net.W[l] for l in range(1, L + 1)]
    b = [None] + [net.b[l][0] for l in range(1, L + 1)]
    gW = [None] + [[[0.0] * net.sizes[l] for _ in range(net.sizes[l - 1])] for l in range(1, L + 1)]
    acts = [[] for _ in range(L)]
    for x, y in zip(X, Y):
        a, zs = [list(x)], [None]
        for l in range(1, L + 1):
            z = [b[l][j] + sum(a[-1][i] * W[l][i][j] for i in range(net.sizes[l - 1])) for j in range(net.sizes[l])]
            zs.append(z)
            a.append([sig(v) for v in z] if l == L else [act[0](v) for v in z])
            if l < L:
                acts[l].extend(a[-1])
        delta = [(a[L][0] - y[0]) / m]
        for l in range(L, 0, -1):
            for i in range(net.sizes[l - 1]):
                ai, row = a[l - 1][i], gW[l][i]
                for j in range(net.sizes[l]):
                    row[j] += ai * delta[j]
            if l > 1:
                delta = [act[1](zs[l - 1][i], a[l - 1][i]) * sum(W[l][i][j] * delta[j] for j in range(net.sizes[l]))
                         for i in range(net.sizes[l - 1])]
    norms = [math.sqrt(sum(v * v for row in gW[l] for v in row)) for l in range(1, L + 1)]
    stds = []
    for vals in acts[1:]:
        mean = sum(vals) / len(vals)
        stds.append(math.sqrt(sum((v - mean) ** 2 for v in vals) / len(vals)))
    return norms, stds


@pytest.fixture(scope="module")
def figure_lines():
    root = ET.fromstring(gradflow.figure())
    return dict(((p.get("data-hidden"), p.get("data-start"), p.get("data-quantity")),
                 [float(v) for v in p.get("data-values").split()]) for p in root.iter(NS + "polyline"))


def test_figure_numbers_are_recomputed(figure_lines):
    X, Y = gradflow.probe_batch()
    assert len(figure_lines) == 2 * len(gradflow.ACTIVATIONS) * len(gradflow.STARTS)
    for h in gradflow.ACTIVATIONS:
        for init, scale, label, _ in gradflow.STARTS:
            net = gradflow.deep_network(h, init, scale)
            norms, stds = independent_flow(net, X, Y)
            got_g, got_a = figure_lines[(h, label, "g_W")], figure_lines[(h, label, "a_std")]
            assert len(got_g) == 10 and len(got_a) == 9
            for got, want in zip(got_g + got_a, norms + stds):
                assert got == pytest.approx(want, rel=1e-9, abs=1e-300), (h, label)


def test_the_figure_shows_what_the_page_says(figure_lines):
    g = dict(((h, s), v) for (h, s, q), v in figure_lines.items() if q == "g_W")
    # sigmoid: each layer down multiplies by sigma' <= 1/4 (times the weights): layer 1 gets far less
    assert g[("sigmoid", "Xavier (Glorot)")][0] < 1e-4 * g[("sigmoid", "Xavier (Glorot)")][-1]
    # relu with He and tanh with Xavier: about the same size in every layer
    for key in (("relu", "He"), ("tanh", "Xavier (Glorot)")):
        assert max(g[key]) < 3 * min(g[key])
    # N(0, 1) weights: tanh's gradients grow towards the input, relu's are huge everywhere
    assert g[("tanh", "N(0, 1)")][0] > 50 * g[("tanh", "N(0, 1)")][-1]
    assert min(g[("relu", "N(0, 1)")]) > 1e4


def test_dead_units_counted_independently():
    net = tb.Network([2, 6, 5, 1], hidden="relu", seed=3)
    X = [[0.3, -1.2], [1.0, 0.4], [-0.7, 0.9], [0.0, 0.0]]
    net.W[1] = [[1.0, -1.0, 0.5, -2.0, 0.0, 1.0], [0.0, -0.1, 0.5, -2.0, 0.0, -1.0]]
    net.b[1] = [[0.0, -5.0, 0.0, 0.0, -0.1, 0.0]]
    # layer 1, by hand: neuron 2 (b = -5), neuron 5 (W = 0, b = -0.1) are <= 0 everywhere; neuron 4 is
    # -2(x1 + x2) <= 0 only where x1 + x2 >= 0, not on row 1 (x1 + x2 = -0.9): alive
    assert gradflow.dead_units(net, X)[0] == 2

