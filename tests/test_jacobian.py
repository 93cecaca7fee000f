"""Seed 000's question (why element-wise?) and seed 001's (a vector-by-matrix derivative),
answered by building the Jacobians and contracting them."""
import random

import pytest

import tinybackprop as tb
from tinybackprop.show import jacobian
from tinybackprop import vectorized


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_diagonal_jacobian_contraction_is_the_hadamard_product_exactly(name):
    rnd = random.Random(4)
    net = tb.Network([3, 4, 2, 1], hidden=name, output="sigmoid", loss="bce", seed=1)
    X, Y = [[rnd.uniform(-1, 1) for _ in range(3)]], [[1.0]]
    f = vectorized.forward(net, X)
    g = vectorized.backward(net, X, Y)
    for l in (1, 2):
        J = jacobian.activation_jacobian(name, f.z[l])
        assert all(J[i][j] == 0.0 for i in range(len(J)) for j in range(len(J)) if i != j)
        assert jacobian.vector_jacobian(g.g_a[l], J) == g.g_z[l]
        assert jacobian.hadamard_equals_jacobian(f.z[l], g.g_a[l], name)


def test_dz_dW_contraction_is_a_transpose_times_g_z_exactly():
    rnd = random.Random(5)
    net = tb.Network([3, 4, 1], loss="squared_error", seed=2)
    X, Y = [[rnd.uniform(-1, 1) for _ in range(3)]], [[0.2]]
    f, g = vectorized.forward(net, X), vectorized.backward(net, X, Y)
    for l in (1, 2):
        T = jacobian.dz_dW(f.a[l - 1], net.sizes[l])
        assert len(T) == net.sizes[l] and len(T[0]) == net.sizes[l - 1] and len(T[0][0]) == net.sizes[l]
        assert jacobian.contract_dzdW(g.g_z[l], T) == g.W[l]
        assert jacobian.contract_dzdW(g.g_z[l], T) == tb.matmul(tb.transpose(f.a[l - 1]), g.g_z[l])


def test_softmax_jacobian_is_full_and_its_contraction_matches_the_backward_pass():
    net = tb.Network([2, 3], output="softmax", loss="squared_error", seed=3)
    X, Y = [[0.4, -0.7]], [[0.2, 0.3, 0.5]]
    f, g = vectorized.forward(net, X), vectorized.backward(net, X, Y)
    J = jacobian.activation_jacobian("softmax", f.z[1])
    assert all(J[i][j] != 0.0 for i in range(3) for j in range(3))
    for k in range(3):  # each column sums to 0: the outputs always sum to 1
        assert abs(sum(J[i][k] for i in range(3))) < 1e-16
    got = jacobian.vector_jacobian(g.g_a[1], J)
    assert tb.gradcheck.relative_error(got, g.g_z[1]) < 1e-15


def test_jacobian_refusals():
    with pytest.raises(tb.BackpropError, match="vector_jacobian: cannot multiply 1x2 by 3x3"):
        jacobian.vector_jacobian([1.0, 2.0], [[0.0] * 3] * 3)
    with pytest.raises(tb.BackpropError, match="dz_dW: n_out must be an int >= 1"):
        jacobian.dz_dW([1.0], 0)
    with pytest.raises(tb.BackpropError, match="unknown hidden activation 'softsign'"):
        jacobian.activation_jacobian("softsign", [1.0])


def test_the_softmax_jacobian_is_full_and_the_others_diagonal():
    J = jacobian.activation_jacobian("softmax", [0.1, 0.2])
    assert J[0][1] != 0.0 and J[0][1] == J[1][0]
    assert jacobian.activation_jacobian("tanh", [0.1, 0.2])[0][1] == 0.0


def test_unknown_activation_name_refused_by_jacobians():
    refused(lambda: jacobian.activation_jacobian("swish", [0.1]), "activation_jacobian: unknown hidden activation 'swish'")
    refused(lambda: jacobian.hadamard_equals_jacobian([0.1], [0.2], "swish"),
            "hadamard_equals_jacobian: unknown hidden activation 'swish'")


def test_jacobians_refuse_bad_vectors():
    refused(lambda: jacobian.activation_jacobian("softmax", [[0.1, 0.2], [0.3, 0.4]]), "activation_jacobian: z must be a vector")
    refused(lambda: jacobian.vector_jacobian([1.0, 2.0], [[1.0]]), "vector_jacobian: cannot multiply 1x2 by 1x1")
    refused(lambda: jacobian.dz_dW([1.0], 0), "dz_dW: n_out must be an int >= 1, got 0")
    refused(lambda: jacobian.contract_dzdW([1.0, 2.0], [[[1.0]]]), "contract_dzdW: T must be a list of 2 matrices")
    refused(lambda: jacobian.hadamard_equals_jacobian([0.1, 0.2], [1.0]),
            "hadamard_equals_jacobian: z has 2 entries but g_a has 1")


# -- save and load ----------------------------------------------------------------------------------



def refused(call, *words):
    with pytest.raises(tb.BackpropError) as e:
        call()
    for w in words:
        assert w in str(e.value), (w, str(e.value))
