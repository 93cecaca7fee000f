"""Unchecked matrix kernels: the fast inner loops behind ``matrix.py``.

The same functions as :mod:`tinybackprop.matrix` (same names, same results)
without the input checks: the two paths check their input once, at the
boundary, and then call these.  Besides them, what a training step runs:

================================  ===============================================
``matmul(A, B)``                  each entry one ``rows_times_cols`` sum (from
                                  ``_compat``; looked up at every call, so a
                                  benchmark or an emulation can swap it); an inner
                                  dimension of 1 is an outer product
``matmul_t(A, B)``                A B^T from the rows of B: g^[lz] (W^[l])^T
                                  copies no W
``subtract_scaled(A, c, B)``      the update A <- A - c B, in place
``subtract_outer(A, c, u, v)``    A <- A - c u^T v in place, never building u^T v
                                  (batch size 1: the weight gradient is an outer
                                  product)
================================  ===============================================

and what an optimizer's step runs (``optimizers.py``), one pass over the entries each:

======================================  =========================================
``add_scaled(A, c, B)``                 A + c B, a new matrix (L2 decay, Nesterov)
``scale_into(A, c)``                    A <- c A, in place (AdamW's decay)
``assign(A, B)``                        A <- B, in place (the entries are copied)
``average(A, a, B, c)``                 A <- a A + c B, in place (momentum, Adam's m)
``average_squares(A, a, B, c)``         A <- a A + c B o B, in place (RMSprop, Adam's v)
``subtract_adaptive(A, s, M, V, c, e)`` A <- A - s M / (sqrt(V) / c + e), in place,
                                        entry by entry (Adam's and RMSprop's step)
======================================  =========================================

Each gives the same floats as the general form, except ``subtract_outer`` (its
docstring says how); docs/speed.md has the measurements behind these idioms.

>>> matmul([[1.0, 2.0]], [[3.0], [4.0]])
[[11.0]]
"""
import math

from ._compat import mul, rows_times_cols


def zeros(m, n):
    """m x n matrix of zeros.

    >>> zeros(1, 2)
    [[0.0, 0.0]]
    """
    return [[0.0] * n for _ in range(m)]


def copy(A):
    """A new matrix with the same entries.

    >>> copy([[1.0]])
    [[1.0]]
    """
    return [list(row) for row in A]


def transpose(A):
    """A^T.

    >>> transpose([[1.0, 2.0]])
    [[1.0], [2.0]]
    """
    if len(A) == 1:  # a row becomes a column
        return [[x] for x in A[0]]
    return [list(col) for col in zip(*A)]


def matmul(A, B):
    """A B.

    >>> matmul([[1.0, 0.0]], [[2.0, 3.0], [4.0, 5.0]])
    [[2.0, 3.0]]
    >>> matmul([[2.0], [3.0]], [[1.0, 10.0]])  # inner dimension 1: an outer product
    [[2.0, 20.0], [3.0, 30.0]]
    """
    if len(B) == 1:  # inner dimension 1: each row of A holds one number
        b = B[0]
        return [[a * x for x in b] for (a,) in A]
    return matmul_t(A, list(zip(*B)))


def matmul_t(A, B):
    """A B^T, from the rows of B (no transposed copy of B is made).

    >>> matmul_t([[1.0, 2.0]], [[3.0, 4.0], [5.0, 6.0]])
    [[11.0, 17.0]]
    """
    return rows_times_cols(A, B)


def hadamard(A, B):
    """Element-wise product A o B.

    >>> hadamard([[1.0, 2.0]], [[3.0, 4.0]])
    [[3.0, 8.0]]
    """
    return [list(map(mul, ra, rb)) for ra, rb in zip(A, B)]


def outer(u, v):
    """u^T v for two flat vectors.

    >>> outer([1.0, 2.0], [3.0])
    [[3.0], [6.0]]
    """
    return [[ui * vj for vj in v] for ui in u]


def add(A, B):
    """A + B; a 1 x n B is added to every row of A.

    >>> add([[1.0], [2.0]], [[10.0]])
    [[11.0], [12.0]]
    """
    if len(B) == 1 and len(A) != 1:
        b = B[0]
        return [[x + y for x, y in zip(row, b)] for row in A]
    return [[x + y for x, y in zip(ra, rb)] for ra, rb in zip(A, B)]


def subtract(A, B):
    """A - B.

    >>> subtract([[3.0]], [[1.0]])
    [[2.0]]
    """
    return [[x - y for x, y in zip(ra, rb)] for ra, rb in zip(A, B)]


def scale(A, c):
    """c A.

    >>> scale([[1.0, 2.0]], 0.5)
    [[0.5, 1.0]]
    """
    return [[c * x for x in row] for row in A]


def subtract_scaled(A, c, B):
    """A <- A - c B, in place (the rows of A are updated; returns None).

    >>> A = [[1.0, 2.0]]; subtract_scaled(A, 0.5, [[2.0, 2.0]]); A
    [[0.0, 1.0]]
    """
    for ra, rb in zip(A, B):
        for j in range(len(ra)):  # in place: measured faster than building a new row
            ra[j] -= c * rb[j]


def subtract_outer(A, c, u, v):
    """A <- A - c u^T v, in place, for two flat vectors u and v (returns None): entry (i, j)
    loses u_i (c v_j).  That is c (u_i v_j), what ``subtract_scaled(A, c, outer(u, v))``
    takes, with the two multiplications in the other order (the results can differ in the
    last bit): c v is formed once, so each entry costs one multiplication, not two.  A row
    with u_i = 0 loses nothing and is skipped (a NaN u_i is not: it spreads as it should).

    >>> A = [[1.0, 1.0], [1.0, 1.0]]; subtract_outer(A, 0.5, [1.0, 2.0], [2.0, 4.0]); A
    [[0.0, -1.0], [-1.0, -3.0]]
    """
    cv = [c * v_j for v_j in v]
    n = len(cv)
    for ra, u_i in zip(A, u):
        if u_i:  # u_i = 0 makes row i of u^T v zero: that row of A stays as it is
            for j in range(n):
                ra[j] -= u_i * cv[j]


def add_scaled(A, c, B):
    """A + c B, a new matrix (entry (i, j) is a_ij + c b_ij, rounded as written).

    >>> add_scaled([[1.0, 2.0]], 0.5, [[2.0, 4.0]])
    [[2.0, 4.0]]
    """
    return [[x + c * y for x, y in zip(ra, rb)] for ra, rb in zip(A, B)]


def scale_into(A, c):
    """A <- c A, in place (the rows of A are updated; returns None).

    >>> A = [[1.0, -2.0]]; scale_into(A, 0.5); A
    [[0.5, -1.0]]
    """
    for ra in A:
        for j in range(len(ra)):
            ra[j] *= c


def assign(A, B):
    """A <- B, in place: the entries of B are copied into the rows of A (returns None).

    >>> A = [[0.0, 0.0]]; row = A[0]; assign(A, [[1.0, 2.0]]); A, A[0] is row
    ([[1.0, 2.0]], True)
    """
    for ra, rb in zip(A, B):
        for j in range(len(ra)):  # not ra[:] = rb: slice assignment is optional in MicroPython
            ra[j] = rb[j]


def average(A, a, B, c):
    """A <- a A + c B, in place: a running average (or, with c = 1, a running sum) of B.
    With c = 1 the loop leaves out the multiplication by 1.0, which changes no float
    (measured: that loop is then a little faster than ``subtract_scaled``'s).

    >>> A = [[1.0, 2.0]]; average(A, 0.5, [[4.0, 0.0]], 0.25); A
    [[1.5, 1.0]]
    >>> average(A, 2.0, [[1.0, 1.0]], 1.0); A
    [[4.0, 3.0]]
    """
    if c == 1.0:
        for ra, rb in zip(A, B):
            for j in range(len(ra)):
                ra[j] = a * ra[j] + rb[j]
        return
    for ra, rb in zip(A, B):
        for j in range(len(ra)):
            ra[j] = a * ra[j] + c * rb[j]


def average_squares(A, a, B, c):
    """A <- a A + c B o B, in place: a running average of the squares of B's entries.

    >>> A = [[1.0, 2.0]]; average_squares(A, 0.5, [[4.0, -2.0]], 0.25); A
    [[4.5, 2.0]]
    """
    for ra, rb in zip(A, B):
        for j in range(len(ra)):
            b = rb[j]
            ra[j] = a * ra[j] + c * (b * b)


def subtract_adaptive(A, s, M, V, c, e):
    """A <- A - s M / (sqrt(V) / c + e), in place, entry by entry: a_ij loses
    s (m_ij / (sqrt(v_ij) / c + e)), rounded as written (Adam's step; RMSprop's with c = 1,
    as dividing by 1.0 changes no float).  Returns None.

    >>> A = [[1.0, 1.0]]; subtract_adaptive(A, 0.5, [[2.0, -1.0]], [[16.0, 1.0]], 2.0, 0.0); A
    [[0.5, 2.0]]
    """
    sqrt = math.sqrt
    for ra, rm, rv in zip(A, M, V):
        for j in range(len(ra)):
            ra[j] -= s * (rm[j] / (sqrt(rv[j]) / c + e))


def colsum(A):
    """Column sums as a 1 x n row: what the bias gradient sums over the batch.

    >>> colsum([[1.0, 2.0], [3.0, 4.0]])
    [[4.0, 6.0]]
    """
    if len(A) == 1:
        return [list(A[0])]  # one row: its own sum
    return [[sum(col) for col in zip(*A)]]


def apply(f, A):
    """f applied to every entry.

    >>> apply(abs, [[-1.0]])
    [[1.0]]
    """
    return [list(map(f, row)) for row in A]


def apply2(f, A, B):
    """f(a, b) for every pair of entries at the same position.

    >>> apply2(max, [[1.0, 5.0]], [[3.0, 2.0]])
    [[3.0, 5.0]]
    """
    return [list(map(f, ra, rb)) for ra, rb in zip(A, B)]
