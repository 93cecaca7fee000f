"""The third path, tinybackprop.graph (a scalar reverse-mode autodiff): its numbers (Value),
each local derivative against a central difference, the graph it builds and its limits, and
the gradient check's graph row.  That the network's gradients and a training run are those of
the other two paths is tests/core/test_paths_agree.py (PyTorch's float64 autograd:
tests/test_graph_torch.py).  A core test: it runs wherever the core does, Pyodide included."""
import math

import pytest

import tinybackprop as tb
from tinybackprop import BackpropError, gradcheck, graph
from tinybackprop.graph import Value

from conftest import graph_case as setup


# -- the network's gradients: that the paths agree is tests/core/test_paths_agree.py -----------

def test_the_training_step_reads_the_forward_pass_off_the_same_graph():
    net, X, Y = setup("tanh", "softmax", "cross_entropy", 2, 3)
    f2, g2 = graph._backward(net, X, Y, True, True)
    f, g = graph.forward(net, X), graph.backward(net, X, Y)
    assert f2.z == f.z and f2.a == f.a
    assert g2.W == g.W and g2.b == g.b and g2.x == g.x and g2.loss == g.loss


def test_train_refuses_an_unknown_path_naming_the_graph():
    with pytest.raises(BackpropError, match="'graph'"):
        tb.train(tb.Network([1, 1]), [[0.0]], [[1.0]], path="autodiff")


def test_too_large_a_network_is_refused_before_any_node_is_made():
    net = tb.Network([784, 64, 10], output="softmax", loss="cross_entropy")
    X, Y = [[0.0] * 784] * 8, [[1.0] + [0.0] * 9] * 8
    with pytest.raises(BackpropError) as e:
        graph.backward(net, X, Y)
    msg = str(e.value)
    assert "784-64-10" in msg and "8 row(s)" in msg and "%d nodes" % graph.node_count([784, 64, 10], 8) in msg
    assert "vectorized" in msg
    with pytest.raises(BackpropError, match="train: a 2-5000-1 network on 16 row"):
        graph.check_nodes([2, 5000, 1], 16, "train")
    assert graph.check_nodes([1, 1, 1], 1, "train") == 12


def test_node_count_is_what_build_makes():
    for sizes, m in (([1, 1, 1], 1), ([2, 2, 1], 1), ([3, 4, 2], 3)):
        net = tb.Network(sizes, output="softmax" if sizes[-1] > 1 else "sigmoid")
        Y = [[1.0] + [0.0] * (sizes[-1] - 1)] * m
        G = graph.build(net, [[0.1] * sizes[0]] * m, Y)
        assert len(graph.topological(G.loss)) == G.size == graph.node_count(sizes, m)


# -- Value, by hand --------------------------------------------------------------------------

def test_a_times_a_plus_a():
    a = Value(3.0)
    (a * a + a).backward()
    assert a.grad == 7.0  # d(a^2 + a)/da = 2a + 1


def test_a_node_reached_along_two_paths_gets_both_contributions():
    x, w1, w2 = Value(2.0), Value(3.0), Value(-5.0)
    L = w1 * x + w2 * x  # x feeds two products: two flows back
    L.backward()
    assert x.grad == 3.0 + -5.0 and w1.grad == 2.0 and w2.grad == 2.0
    y = Value(0.5)
    u = y.exp()
    v = u * u.log()  # u used twice inside one node's parents and in another node
    v.backward()
    e = math.exp(0.5)
    assert abs(y.grad - (e * 0.5 + e * 1.0)) < 1e-15  # d(e^y * y)/dy = e^y y + e^y


def test_backward_twice_doubles_the_leaves_and_zero_grad_resets():
    a, b = Value(2.0), Value(-1.0)
    y = (a * b).tanh() * a
    y.backward()
    first = (a.grad, b.grad)
    y.backward()
    # doubled, to the rounding of adding a's two contributions a second time
    assert (a.grad, b.grad) == pytest.approx((2 * first[0], 2 * first[1]), rel=1e-15)
    y.zero_grad()
    assert a.grad == b.grad == 0.0
    y.backward()
    assert (a.grad, b.grad) == first


def test_a_10000_node_chain_goes_back_without_recursion_error():
    x = Value(0.5)
    v = x
    for _ in range(10000):
        v = v * 1.0001
    v.backward()
    assert abs(x.grad - 1.0001 ** 10000) < 1e-9 * 1.0001 ** 10000
    assert len(graph.topological(v)) == 20001  # 10,000 products, their 10,000 constants and x
    # Freed all at once, a chain this deep is freed node inside node in C, which overflows
    # Pyodide's stack: cut apart first, its nodes go one by one.
    graph.free(v)
    assert v.parents == () and x.grad > 2.718


def test_free_cuts_every_node_from_its_parents_and_keeps_the_numbers():
    a, b = Value(1.5), Value(-2.0)
    y = (a * b + a).exp()
    y.backward()
    nodes = graph.topological(y)
    grads = [n.grad for n in nodes]
    graph.free(y)
    assert all(n.parents == () for n in nodes) and [n.grad for n in nodes] == grads


OPS = [
    ("+", lambda u: u + 1.5, lambda t: t + 1.5),
    ("radd", lambda u: 1.5 + u, lambda t: 1.5 + t),
    ("-", lambda u: u - 0.25, lambda t: t - 0.25),
    ("rsub", lambda u: 2.0 - u, lambda t: 2.0 - t),
    ("*", lambda u: u * u, lambda t: t * t),
    ("rmul", lambda u: 3.0 * u, lambda t: 3.0 * t),
    ("/", lambda u: u / (u + 2.0), lambda t: t / (t + 2.0)),
    ("rdiv", lambda u: 1.0 / u, lambda t: 1.0 / t),
    ("neg", lambda u: -u, lambda t: -t),
    ("**3", lambda u: u ** 3, lambda t: t ** 3),
    ("**-0.5", lambda u: u ** -0.5, lambda t: t ** -0.5),
    ("exp", lambda u: u.exp(), math.exp),
    ("log", lambda u: u.log(), math.log),
    ("tanh", lambda u: u.tanh(), math.tanh),
    ("sigmoid", lambda u: u.sigmoid(), lambda t: 1.0 / (1.0 + math.exp(-t))),
    ("relu", lambda u: u.relu(), lambda t: max(0.0, t)),
    ("identity", lambda u: u.identity(), lambda t: t),
]


@pytest.mark.parametrize("name,op,f", OPS, ids=[o[0] for o in OPS])
@pytest.mark.parametrize("t", [0.7, 1.9])
def test_each_local_derivative_against_a_central_difference(name, op, f, t):
    u = Value(t)
    y = op(u)
    assert y.data == pytest.approx(f(t), rel=1e-15)
    y.backward()
    h = 1e-6
    assert u.grad == pytest.approx((f(t + h) - f(t - h)) / (2 * h), rel=1e-7, abs=1e-9)


def test_softmax_nodes_carry_the_softmax_jacobian():
    z = [Value(0.3), Value(-1.2), Value(2.0)]
    a = graph.softmax_nodes(z)
    e = [math.exp(v.data) for v in z]
    s = [v / sum(e) for v in e]
    for k in range(3):
        assert a[k].data == pytest.approx(s[k], rel=1e-15)
        for j, (parent, d) in enumerate(a[k].parents):
            assert parent is z[j]
            assert d == pytest.approx(s[k] * ((1.0 if k == j else 0.0) - s[j]), rel=1e-14)


def test_topological_order_puts_every_node_after_its_parents():
    x = Value(1.0)
    y = (x * 2.0 + x).exp() * x
    order = graph.topological(y)
    where = dict((id(n), k) for k, n in enumerate(order))
    assert order[-1] is y and len(where) == len(order)
    for n in order:
        for p, _ in n.parents:
            assert where[id(p)] < where[id(n)]


@pytest.mark.parametrize("make,match", [
    (lambda: Value("3"), "data must be a number, got '3'"),
    (lambda: Value(True), "data must be a number, got True"),
    (lambda: Value(1.0) / 0.0, "division by zero"),
    (lambda: Value(0.0).log(), r"log\(0.0\) is not defined"),
    (lambda: Value(2.0) ** Value(2.0), "the power must be a finite number"),
    (lambda: Value(0.0) ** -1, "division by zero"),
    (lambda: Value(-8.0) ** 0.5, "not a real number"),
    (lambda: Value(1.0) + "a", "cannot combine a Value with 'a'"),
])
def test_misuse_raises_backprop_error_saying_what(make, match):
    with pytest.raises(BackpropError, match=match):
        make()


def test_check_holds_the_graph_path_to_the_paths_tolerance():
    net, X, Y = setup("tanh", "softmax", "bce", 1, 2)
    r = gradcheck.check(net, X, Y, graph=True)
    assert r.ok and set(r.graph) == set(p for p, _, _ in r.rows) and max(r.graph.values()) < 1e-12
    assert "graph vs vectorized" in str(r) and "graph" in r.to_dict()["rows"][0]
    assert gradcheck.check(net, X, Y).graph is None


def test_check_fails_when_the_graph_path_is_wrong(monkeypatch):
    net, X, Y = setup("sigmoid", "sigmoid", "bce", 1, 1)
    real = Value.sigmoid

    def slipped(self):  # sigma' written as sigma (1 + sigma)
        s = real(self)
        return Value(s.data, ((self, s.data * (1.0 + s.data)),), "sigmoid")

    monkeypatch.setattr(Value, "sigmoid", slipped)
    r = gradcheck.check(net, X, Y, graph=True)
    assert not r.ok and r.graph["W1"] > 1e-3
