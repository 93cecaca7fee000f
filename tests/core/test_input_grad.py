"""The training step's shortcuts: a path's backward without dL/dX (input_grad=False) leaves out
dL/dX and nothing else, and without the weight gradients (weight_grad=False, a batch of one
row) leaves out those and nothing else.  They are the unchecked entry ``_backward(net, X, Y,
input_grad, weight_grad)`` that training.train's step calls; the public ``backward(net, X, Y)``
computes everything."""
import pytest

import tinybackprop as tb
from tinybackprop import graph, per_neuron, vectorized


@pytest.mark.parametrize("path", [per_neuron, vectorized, graph], ids=["per_neuron", "vectorized", "graph"])
@pytest.mark.parametrize("sizes,hidden,output,loss", [
    ([4, 3, 2, 1], "sigmoid", "sigmoid", "bce"),
    ([5, 4, 3], "tanh", "softmax", "cross_entropy"),
    ([3, 2], "relu", "identity", "squared_error"),
])
def test_without_input_grad_everything_else_is_the_same(path, sizes, hidden, output, loss):
    net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=3)
    r = tb.Random(4)
    X = [[r.uniform(-2, 2) for _ in range(sizes[0])] for _ in range(3)]
    Y = [[r.random() for _ in range(sizes[-1])] for _ in range(3)]
    if loss == "cross_entropy":
        Y = [[y / sum(row) for y in row] for row in Y]
    full = path.backward(net, X, Y)
    part = path._backward(net, X, Y, False, True)[1]
    assert full.x is not None and len(full.x) == 3
    assert part.x is None and part.g_a[0] is None
    assert part.loss == full.loss
    for l in range(1, net.L + 1):
        assert part.W[l] == full.W[l]
        assert part.b[l] == full.b[l]
        assert part.g_z[l] == full.g_z[l]
    for l in range(1, net.L + 1):
        assert part.g_a[l] == full.g_a[l]


@pytest.mark.parametrize("path", [per_neuron, vectorized, graph], ids=["per_neuron", "vectorized", "graph"])
@pytest.mark.parametrize("sizes,hidden,output,loss", [
    ([4, 3, 2, 1], "sigmoid", "sigmoid", "bce"),
    ([5, 4, 3], "tanh", "softmax", "cross_entropy"),
])
@pytest.mark.parametrize("input_grad", [True, False])
def test_without_weight_grad_everything_else_is_the_same(path, sizes, hidden, output, loss, input_grad):
    net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=5)
    r = tb.Random(6)
    X = [[r.uniform(-2, 2) for _ in range(sizes[0])]]
    Y = [[r.random() for _ in range(sizes[-1])]]
    if loss == "cross_entropy":
        Y = [[y / sum(row) for y in row] for row in Y]
    full = path._backward(net, X, Y, input_grad, True)[1]
    part = path._backward(net, X, Y, input_grad, False)[1]
    assert (full.x is None) != input_grad and full.W[1] == path.backward(net, X, Y).W[1]
    assert part.W == [None] * (net.L + 1) and part.loss == full.loss and part.x == full.x
    for l in range(1, net.L + 1):
        assert full.W[l] is not None
        assert part.b[l] == full.b[l]
        assert part.g_z[l] == full.g_z[l]
        assert part.g_a[l] == full.g_a[l]
