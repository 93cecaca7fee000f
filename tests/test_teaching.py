"""The numbers the course pages generate while the site is built (docs/hooks/course.py): the 1-1-1
graph and the cost counts of reverse mode against finite differences, each against an independent
computation."""
import math
import os
import sys

import pytest

import tinybackprop as tb
from tinybackprop import BackpropError, gradcheck

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "hooks"))
import course as teaching


def test_graph_111_values_and_gradients_by_hand():
    nodes = {n["name"]: n for n in teaching.graph_111(x=0.5, y=1.0, seed=3, b1=0.1, b2=-0.2)}
    net = tb.Network([1, 1, 1], seed=3)
    w1, w2, x, y = net.W[1][0][0], net.W[2][0][0], 0.5, 1.0
    sig = lambda v: 1.0 / (1.0 + math.exp(-v))  # noqa: E731
    z1 = w1 * x + 0.1
    a1 = sig(z1)
    z2 = w2 * a1 - 0.2
    yh = sig(z2)
    loss = -(y * math.log(yh) + (1 - y) * math.log(1 - yh))
    # the chain rule written out gate by gate
    d_yh = -y / yh + (1 - y) / (1 - yh)
    d_z2 = d_yh * yh * (1 - yh)          # activation: scale by its derivative
    d_p2, d_b2 = d_z2, d_z2              # add: pass on unchanged
    d_w2, d_a1 = a1 * d_p2, w2 * d_p2    # multiply: swap the inputs
    d_z1 = d_a1 * a1 * (1 - a1)
    d_w1, d_x = x * d_z1, w1 * d_z1
    want = {"x": (x, d_x), "w1": (w1, d_w1), "p1": (w1 * x, d_z1), "b1": (0.1, d_z1), "z1": (z1, d_z1),
            "a1": (a1, d_a1), "w2": (w2, d_w2), "p2": (w2 * a1, d_z2), "b2": (-0.2, d_b2), "z2": (z2, d_z2),
            "yhat": (yh, d_yh), "L": (loss, 1.0)}
    assert set(nodes) == set(want)
    for name, (v, g) in want.items():
        assert nodes[name]["value"] == pytest.approx(v, rel=1e-12), name
        assert nodes[name]["grad"] == pytest.approx(g, rel=1e-10), name


def test_graph_111_gradients_match_central_differences():
    nodes = {n["name"]: n for n in teaching.graph_111()}
    net = tb.Network([1, 1, 1], seed=3)
    net.b[1], net.b[2] = [[0.1]], [[-0.2]]
    num = gradcheck.numerical_gradients(net, [[0.5]], [[1.0]])
    assert nodes["w1"]["grad"] == pytest.approx(num.W[1][0][0], rel=1e-7)
    assert nodes["b2"]["grad"] == pytest.approx(num.b[2][0][0], rel=1e-7)
    assert nodes["x"]["grad"] == pytest.approx(num.x[0][0], rel=1e-7)


def test_parameter_count_by_enumeration():
    for sizes in ([4, 3, 2, 1], [64, 32, 10], [3, 4, 1]):
        net = tb.Network(sizes, output="softmax" if sizes[-1] > 1 else "sigmoid", seed=0)
        n = sum(len(row) for l in range(1, net.L + 1) for row in net.W[l]) + \
            sum(len(net.b[l][0]) for l in range(1, net.L + 1))
        assert teaching.parameter_count(sizes) == n


def test_central_differences_really_take_two_forward_passes_per_parameter(monkeypatch):
    calls = [0]
    real = gradcheck.forward_pass  # the network's own forward pass, which the central differences run

    def counting(net, X):
        calls[0] += 1
        return real(net, X)

    monkeypatch.setattr(gradcheck, "forward_pass", counting)
    sizes = [4, 3, 2, 1]
    net = tb.Network(sizes, seed=0)
    gradcheck.numerical_gradients(net, [[0.1, 0.2, 0.3, 0.4]], [[1.0]])
    n_inputs = 4  # numerical_gradients also perturbs the one example's inputs
    c = teaching.reverse_mode_counts(sizes)
    assert calls[0] == c["central_difference_passes"] + 2 * n_inputs + 1  # + the final loss


class CountingFloat(float):
    count = 0

    def __mul__(self, other):
        CountingFloat.count += 1
        return float(self) * float(other)

    __rmul__ = __mul__


class CountingNet:
    """What per_neuron.forward reads of a network, with weights that count their products."""

    def __init__(self, net):
        self.sizes, self.L, self._net = net.sizes, net.L, net
        self.W = {l: [[CountingFloat(w) for w in row] for row in net.W[l]] for l in range(1, net.L + 1)}
        self.b = {l: net.b[l] for l in range(1, net.L + 1)}

    def activation(self, l):
        return self._net.activation(l)


def test_forward_multiply_adds_are_counted_right():
    from tinybackprop import per_neuron
    for sizes in ([4, 3, 2, 1], [64, 32, 10]):
        net = tb.Network(sizes, output="softmax" if sizes[-1] > 1 else "sigmoid", seed=0)
        X = [[CountingFloat(0.1 * (i + 1)) for i in range(sizes[0])]]
        CountingFloat.count = 0
        f = per_neuron._forward(CountingNet(net), X)  # the loops, without the check (no Network here)
        assert CountingFloat.count == teaching.reverse_mode_counts(sizes)["forward_madds"]
        assert f.a[-1] == per_neuron.forward(net, [[0.1 * (i + 1) for i in range(sizes[0])]]).a[-1]


def test_reverse_mode_counts_refuse_nonsense():
    for bad in ([4], [4, 0], [4, 2.5]):
        with pytest.raises(BackpropError, match="reverse_mode_counts: sizes must be 2 or more layer widths"):
            teaching.reverse_mode_counts(bad)
