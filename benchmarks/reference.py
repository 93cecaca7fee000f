"""What tinybackprop is measured against: the best pure-Python idioms, written here.

* ``best_matmul(A, B)``: the fastest pure-Python matrix product known to us on
  this interpreter: ``math.sumprod(row, col)`` on CPython 3.12+, else
  ``sum(map(mul, row, col))``, over the columns from ``zip(*B)``.
* ``index_matmul(A, B)``: the index-based triple loop, for scale.
* ``fused_step(P, X, Y, lr)``: one training step (forward, loss, backward,
  update) of a two-layer network with sigmoid hidden units, softmax output and
  mean cross-entropy loss, written by hand with every loop fused that can be,
  no check of anything, and nothing from tinybackprop: the bias added inside the
  sigmoid, the softmax, the loss and the output gradient in one loop per row, the
  sigmoid's derivative inside the hidden gradient, and the fastest idiom measured for
  each part (``math.sumprod`` for every product on 3.12+; the update in place, entry by
  entry).  It computes what ``vectorized.backward`` returns -- the loss, every weight
  and bias gradient, and dL/dX when ``input_grad`` is true -- and then updates the
  weights in place.
"""
import math
from operator import mul

_sumprod = getattr(math, "sumprod", None)
BEST_IDIOM = "math.sumprod" if _sumprod is not None else "sum(map(mul, row, col))"


def mm_cols_map(A, cols):
    """A times B given by its columns, with ``sum(map(mul, row, col))``; the benchmarks
    put it in ``tinybackprop.matrix._products`` to time the step without math.sumprod."""
    return [[sum(map(mul, row, col)) for col in cols] for row in A]


def _mm_sumprod(A, cols):
    sp = _sumprod
    return [[sp(row, col) for col in cols] for row in A]


#: A times B, with B given by its columns; the best idiom on this interpreter.
mm_cols = _mm_sumprod if _sumprod is not None else mm_cols_map


def best_matmul(A, B):
    """A B with the best pure-Python idiom of this interpreter."""
    return mm_cols(A, list(zip(*B)))


def map_matmul(A, B):
    """A B with ``sum(map(mul, row, col))`` (the best idiom before CPython 3.12)."""
    return mm_cols_map(A, list(zip(*B)))


def index_matmul(A, B):
    """A B with an index-based triple loop."""
    m, k, n = len(A), len(B), len(B[0])
    C = [[0.0] * n for _ in range(m)]
    for i in range(m):
        for j in range(n):
            s = 0.0
            for t in range(k):
                s += A[i][t] * B[t][j]
            C[i][j] = s
    return C


def fused_step(P, X, Y, lr, input_grad=False):
    """One step on parameters P = [W1, b1, W2, b2] (b as flat lists), in place.

    Returns (loss, gW1, gb1, gW2, gb2, gX) computed before the update; gX is
    None unless ``input_grad``.
    """
    W1, b1, W2, b2 = P
    exp, log = math.exp, math.log
    m = len(X)
    inv_m = 1.0 / m
    # forward: H = sigmoid(X W1 + b1), Z2 = H W2 + b2
    H = [[1.0 / (1.0 + exp(-(s + b))) for s, b in zip(row, b1)] for row in mm_cols(X, list(zip(*W1)))]
    Z2 = [[s + b for s, b in zip(row, b2)] for row in mm_cols(H, list(zip(*W2)))]
    # softmax, mean cross entropy and G2 = (softmax - Y) / m, one row at a time
    loss = 0.0
    G2 = []
    for z, y in zip(Z2, Y):
        top = max(z)
        e = [exp(v - top) for v in z]
        s = sum(e)
        loss += top + log(s) - sum(map(mul, y, z))  # -sum y log p, with sum y = 1
        c = inv_m / s
        G2.append([ei * c - yi * inv_m for ei, yi in zip(e, y)])
    loss *= inv_m
    # backward
    G2c = list(zip(*G2))
    gW2 = mm_cols(list(zip(*H)), G2c)
    gb2 = [sum(col) for col in G2c]
    G1 = [[g * h * (1.0 - h) for g, h in zip(ga, hr)] for ga, hr in zip(mm_cols(G2, W2), H)]
    G1c = list(zip(*G1))
    gW1 = mm_cols(list(zip(*X)), G1c)
    gb1 = [sum(col) for col in G1c]
    gX = mm_cols(G1, W1) if input_grad else None
    # update, in place, entry by entry (measured faster than building new rows on 3.11-3.13)
    for W, gW in ((W1, gW1), (W2, gW2)):
        for wr, gr in zip(W, gW):
            for j in range(len(wr)):
                wr[j] -= lr * gr[j]
    for b, gb in ((b1, gb1), (b2, gb2)):
        for j in range(len(b)):
            b[j] -= lr * gb[j]
    return loss, gW1, gb1, gW2, gb2, gX
