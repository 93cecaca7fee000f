"""Matrix helpers: results against index loops written here, refusals with messages
that name the operation and the shapes, and inputs left untouched."""
import copy
import random

import pytest

import tinybackprop as tb
from tinybackprop import _compat, matrix, training


def rand(rnd, m, n):
    return [[rnd.uniform(-2, 2) for _ in range(n)] for _ in range(m)]


def naive_matmul(A, B):
    return [[sum(A[i][k] * B[k][j] for k in range(len(B))) for j in range(len(B[0]))] for i in range(len(A))]


@pytest.mark.parametrize("m,k,n", [(1, 1, 1), (1, 4, 3), (5, 3, 2), (7, 8, 9)])
def test_helpers_against_index_loops(m, k, n):
    rnd = random.Random(m * 100 + k * 10 + n)
    A, B, C = rand(rnd, m, k), rand(rnd, k, n), rand(rnd, m, k)
    P = tb.matmul(A, B)
    ref = naive_matmul(A, B)
    assert all(abs(P[i][j] - ref[i][j]) <= 1e-12 for i in range(m) for j in range(n))
    assert tb.transpose(A) == [[A[i][j] for i in range(m)] for j in range(k)]
    assert tb.hadamard(A, C) == [[A[i][j] * C[i][j] for j in range(k)] for i in range(m)]
    assert tb.add(A, C) == [[A[i][j] + C[i][j] for j in range(k)] for i in range(m)]
    assert tb.subtract(A, C) == [[A[i][j] - C[i][j] for j in range(k)] for i in range(m)]
    assert tb.scale(A, 3.0) == [[3.0 * A[i][j] for j in range(k)] for i in range(m)]
    assert tb.colsum(A) == [[sum(A[i][j] for i in range(m)) for j in range(k)]]
    row = rand(rnd, 1, k)
    assert tb.add(A, row) == [[A[i][j] + row[0][j] for j in range(k)] for i in range(m)]
    u, v = rand(rnd, 1, m)[0], rand(rnd, 1, n)[0]
    assert tb.outer(u, v) == [[u[i] * v[j] for j in range(n)] for i in range(m)]
    assert tb.outer([u], [v]) == tb.outer(u, v)
    assert tb.shape(A) == (m, k)
    assert tb.zeros(m, n) == [[0.0] * n for _ in range(m)]
    assert tb.apply(abs, A) == [[abs(x) for x in r] for r in A]


def test_outer_is_the_one_example_weight_gradient():
    a, g = [[0.5, -1.0, 2.0]], [[3.0, 4.0]]
    assert tb.outer(a, g) == tb.matmul(tb.transpose(a), g)


def test_the_training_updates_against_index_loops():
    """The training step's updates (training._subtract_scaled and _subtract_outer: the step of a
    batch, and of one row) change A in place: checked entry by entry against the formulas, with a
    zero in u whose row must stay."""
    rnd = random.Random(7)
    A, B = rand(rnd, 4, 3), rand(rnd, 4, 3)
    u, v = [0.5, 0.0, -1.5, 2.0], [1.0, -0.25, 3.0]
    want = [[A[i][j] - 0.1 * B[i][j] for j in range(3)] for i in range(4)]
    rows = list(A)
    assert training._subtract_scaled(A, 0.1, B) is None and A == want and all(r is s for r, s in zip(A, rows))
    A = rand(rnd, 4, 3)
    before = copy.deepcopy(A)
    training._subtract_outer(A, 0.1, u, v)
    assert A == [[before[i][j] - u[i] * (0.1 * v[j]) for j in range(3)] for i in range(4)]
    assert A[1] == before[1]  # u_1 = 0: row 1 of u^T v is zero
    # the same step as subtract_scaled with the outer product built, up to the order of the
    # two multiplications (one rounding each)
    built = copy.deepcopy(before)
    training._subtract_scaled(built, 0.1, tb.outer(u, v))
    assert all(x == pytest.approx(y, rel=1e-15, abs=1e-16) for r, s in zip(A, built) for x, y in zip(r, s))
    nan = float("nan")
    training._subtract_outer(A, 0.1, [nan, 0.0, 0.0, 0.0], v)  # a NaN is not skipped: it spreads
    assert all(x != x for x in A[0]) and A[1] == before[1]


def test_both_sumprod_idioms_agree(monkeypatch):
    # matmul's loop looks up matrix._products at every call, so it can be swapped from outside
    # (the benchmarks and the float32 emulation do): with the pure-Python sumprod it gives the same numbers
    rnd = random.Random(1)
    A, B = rand(rnd, 6, 7), rand(rnd, 7, 5)
    fast = tb.matmul(A, B)
    monkeypatch.setattr(matrix, "_products",
                        lambda A, cols: [[_compat.sumprod_py(row, col) for col in cols] for row in A])
    slow = tb.matmul(A, B)
    want = [[sum(A[i][k] * B[k][j] for k in range(7)) for j in range(5)] for i in range(6)]
    for got in (slow, fast):
        assert all(abs(x - y) <= 1e-12 for r, s in zip(got, want) for x, y in zip(r, s))


def test_nan_and_infinity_go_through_the_helpers_as_ieee_arithmetic_has_them():
    # the helpers check shapes and number types; the network's entry points refuse non-finite numbers
    nan, inf = float("nan"), float("inf")
    P = tb.matmul([[1.0, nan]], [[1.0], [2.0]])
    assert P[0][0] != P[0][0]
    assert tb.add([[inf]], [[1.0]]) == [[inf]] and tb.scale([[1e308]], 10.0) == [[inf]]


def test_helpers_do_not_modify_their_arguments():
    rnd = random.Random(2)
    A, B, row = rand(rnd, 3, 3), rand(rnd, 3, 3), rand(rnd, 1, 3)
    saved = copy.deepcopy((A, B, row))
    for f in (tb.matmul, tb.hadamard, tb.add, tb.subtract):
        f(A, B)
    tb.add(A, row), tb.transpose(A), tb.scale(A, 2.0), tb.colsum(A), tb.copy(A), tb.outer(row, row)
    assert (A, B, row) == saved
    C = tb.copy(A)
    C[0][0] = 99.0
    assert A[0][0] != 99.0


@pytest.mark.parametrize("call,words", [
    (lambda: tb.matmul([[1.0, 2.0, 3.0, 4.0]], [[1.0, 0.0, 0.0]] * 3),
     "matmul: cannot multiply 1x4 by 3x3 (inner sizes 4 and 3 differ)"),
    (lambda: tb.matmul([[1.0, 2.0], [3.0]], [[1.0], [2.0]]), "matmul: A is ragged: row 0 has 2 entries but row 1 has 1"),
    (lambda: tb.matmul([], [[1.0]]), "matmul: A is empty"),
    (lambda: tb.matmul([[]], [[1.0]]), "matmul: A[0] is empty"),
    (lambda: tb.matmul([[1.0, "x"]], [[1.0], [2.0]]), "matmul: A[0][1] is 'x' (str), not a number"),
    (lambda: tb.matmul([[1.0, None]], [[1.0], [2.0]]), "matmul: A[0][1] is None"),
    (lambda: tb.matmul([[1.0, [2.0]]], [[1.0], [2.0]]), "matmul: A[0][1] is [2.0] (list)"),
    (lambda: tb.shape([[1.0, True]]), "shape: A[0][1] is True (bool)"),
    (lambda: tb.shape([[1.0]] + [[float("nan")]]), "shape: A[1][0] is nan; only finite numbers"),
    (lambda: tb.hadamard([[1.0, 2.0]], [[1.0], [2.0]]), "hadamard: shapes 1x2 and 2x1 differ"),
    (lambda: tb.add([[1.0, 2.0]], [[1.0, 2.0, 3.0]]), "add: cannot add 1x2 and 1x3"),
    (lambda: tb.subtract([[1.0]], [[1.0], [2.0]]), "subtract: shapes 1x1 and 2x1 differ"),
    (lambda: tb.scale([[1.0]], float("inf")), "scale: c must be a finite number"),
    (lambda: tb.transpose([1.0, 2.0]), "transpose: A[0] must be a row"),
    (lambda: tb.outer([[1.0], [2.0]], [1.0]), "outer: u must be a vector"),
    (lambda: tb.zeros(0, 2), "zeros: m must be an int >= 1"),
    (lambda: tb.colsum("abc"), "colsum: A must be a list of rows"),
])
def test_refusals_name_the_operation_and_shapes(call, words):
    with pytest.raises(tb.BackpropError) as e:
        call()
    assert words in str(e.value)
    assert isinstance(e.value, ValueError)
