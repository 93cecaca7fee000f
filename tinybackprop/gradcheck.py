"""Gradient checking: does backpropagation give the derivatives it claims?

Central differences perturb one number at a time (every weight, bias and
input) and measure how the mean loss moves; the two backward paths must agree
with that and with each other.
Equations on the site: docs/gradient-checking.md#eq-check-central and
docs/gradient-checking.md#eq-check-relerr.

=============================  ==================================================
``numerical_gradients``        central differences for every W, b and X
``relative_error(A, B)``       max |A - B| / max(max |A|, max |B|), one number
``term_sizes(net, X, Y)``      for every gradient entry, the sum of the absolute
                               values of the terms that were added to make it
``compare(g1, g2, sizes=...)``  the relative error of every parameter, by name,
                               measured against the size of its terms (``sizes``)
``check(net, X, Y)``           both paths against each other and against
                               central differences: a :class:`CheckReport`
=============================  ==================================================

>>> from tinybackprop import Network
>>> net = Network([3, 4, 1], loss="squared_error", seed=1)
>>> report = check(net, [[0.5, -0.2, 0.1]], [[1.0]])
>>> report.ok
True
"""
from . import per_neuron, vectorized
from ._compat import TYPE_CHECKING
from .errors import BackpropError, show
from .losses import EPS, is_canonical
from .matrix import check_matrix, finite_number
from .network import Gradients, check_call, forward_pass, mean_loss

if TYPE_CHECKING:
    from typing import Dict, List, Tuple
    from ._compat import Json, Matrix
    from .network import Network


#: The defaults of :func:`check` (and of ``tinybackprop check``): the step h of the
#: central differences (why 1e-5: see NUMERIC_FLOOR below), the tolerance against
#: them, and the tolerance between the two paths, which compute the same sums.
H = 1e-5
TOL = 1e-6
PATHS_TOL = 1e-10


def _loss(net, X, Y):
    f = forward_pass(net, X)  # unchecked: the caller checked net, X and Y once
    return mean_loss(net, f.z[net.L], f.a[net.L], Y)


def _central(matrix, i, j, loss_at, h):
    """(L(theta + h) - L(theta - h)) / 2h for the entry matrix[i][j]; restores it."""
    theta = matrix[i][j]  # [eq:check.central] (from here to the return)
    matrix[i][j] = theta + h
    up = loss_at()
    matrix[i][j] = theta - h
    down = loss_at()
    matrix[i][j] = theta
    return (up - down) / (2.0 * h)  # [eq:check.central]


def numerical_gradients(net: "Network", X: "Matrix", Y: "Matrix", h: float = H) -> Gradients:
    """Central-difference gradients of the mean loss for every W^[l], b^[l] and X.

    Nothing given is changed: the perturbations happen on copies.

    >>> from tinybackprop import Network
    >>> net = Network([1, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[2.0]]
    >>> g = numerical_gradients(net, [[1.0]], [[3.0]])
    >>> round(g.W[1][0][0], 6), round(g.x[0][0], 6)
    (-1.0, -2.0)
    """
    op = "numerical_gradients"
    _check_positive(op, "h", h)
    check_call(net, X, Y, op)
    return _numerical_gradients(net, X, Y, h)


def _numerical_gradients(net, X, Y, h):
    work = net.copy()
    Xw = [[float(x) for x in row] for row in X]

    def loss_at():
        return _loss(work, Xw, Y)

    L = net.L
    g_W, g_b = [None] * (L + 1), [None] * (L + 1)
    for l in range(1, L + 1):
        for out, mat in ((g_W, work.W[l]), (g_b, work.b[l])):
            out[l] = [[_central(mat, i, j, loss_at, h) for j in range(len(mat[0]))] for i in range(len(mat))]
    g_x = [[_central(Xw, i, j, loss_at, h) for j in range(len(Xw[0]))] for i in range(len(Xw))]
    return Gradients(g_W, g_b, [g_x] + [None] * L, [None] * (L + 1), loss_at())


def _check_positive(op, name, v):
    if not finite_number(v) or v <= 0:
        raise BackpropError("%s: %s must be a finite number > 0, got %s" % (op, name, show(v)))


def relative_error(A: "Matrix", B: "Matrix", floor: float = 0.0, sizes: "Matrix | None" = None) -> float:
    """The normwise relative error of two matrices:
    max |A - B| / max(max |A|, max |B|, max sizes, floor) (0.0 when both are zero).

    Entry-wise ratios would blow up on entries that are zero up to rounding;
    this compares each parameter as a whole.  ``sizes`` (a matrix of the same
    shape, from :func:`term_sizes`) gives for each entry the sum of |terms|
    that were added to make it: two sums of the same terms can differ by
    rounding only in proportion to that, not to a result that cancelled to
    about 0.  ``floor`` keeps the denominator from vanishing when every entry
    is tiny (see ``NUMERIC_FLOOR``).

    >>> relative_error([[1.0, 2.0]], [[1.0, 2.002]])
    0.000999...
    >>> relative_error([[1e-7]], [[1.1e-7]], floor=1e-4)
    0.0001...
    >>> relative_error([[0.0]], [[-3.6e-34]], sizes=[[40.0]])   # 40 - 20 - 20 + 3.6e-34
    9e-36
    """
    sa, sb = check_matrix(A, "relative_error", "A"), check_matrix(B, "relative_error", "B")
    if sa != sb:
        raise BackpropError("relative_error: shapes %dx%d and %dx%d differ (both must be the same)"
                            % (sa[0], sa[1], sb[0], sb[1]))
    if not finite_number(floor) or floor < 0:
        raise BackpropError("relative_error: floor must be a finite number >= 0, got %s" % show(floor))
    if sizes is not None:
        ss = check_matrix(sizes, "relative_error", "sizes")
        if ss != sa:
            raise BackpropError("relative_error: sizes is %dx%d but A and B are %dx%d (one size per entry)"
                                % (ss[0], ss[1], sa[0], sa[1]))
        floor = max(floor, max(abs(s) for row in sizes for s in row))
    diff = max(abs(x - y) for ra, rb in zip(A, B) for x, y in zip(ra, rb))  # [eq:check.relerr] (to the return)
    size = max(max(abs(x), abs(y)) for ra, rb in zip(A, B) for x, y in zip(ra, rb))
    size = size if size > floor else floor
    return diff / size if size > 0.0 else (0.0 if diff == 0.0 else float("inf"))  # [eq:check.relerr]


def _abs_matmul(A, B):
    """|A| |B|: every product of the matrix product, counted by its size."""
    cols = list(zip(*B))
    return [[sum(abs(x) * abs(y) for x, y in zip(row, col)) for col in cols] for row in A]


def _loss_d_size(loss, a, y):
    """The size of the terms of dL/dyhat for one output: the numerator's
    yhat - y counted as |yhat| + |y| (the clipping as in ``losses``)."""
    if loss == "bce":
        a = EPS if a < EPS else (1.0 - EPS if a > 1.0 - EPS else a)
        return (abs(a) + abs(y)) / (a * (1.0 - a))
    if loss == "cross_entropy":
        return abs(y) / (a if a > EPS else EPS)
    return abs(a) + abs(y)


def term_sizes(net: "Network", X: "Matrix", Y: "Matrix") -> Gradients:
    """For every entry of every gradient, the sum of the absolute values of the
    terms that backpropagation adds up to make it, propagated through the
    layers: the same backward pass as :mod:`vectorized`, with every product
    taken in absolute value and every difference ``p - q`` counted as
    ``|p| + |q|``.  Returned as :class:`Gradients` (``W``, ``b``, ``x``).

    A sum of n terms carries a rounding error of at most about n * 1.1e-16 times
    this size, whatever the order of the additions or the precision of the
    accumulator (``math.sumprod`` on 3.12+ rounds once; a plain loop rounds at
    every step), so two correct implementations agree to about 1e-15 relative
    to these sizes even where the result cancels to about 0.

    >>> from tinybackprop import Network
    >>> net = Network([1, 3], output="softmax", loss="cross_entropy")
    >>> net.W[1] = [[-40.0, 40.0, 40.0]]
    >>> s = term_sizes(net, [[1.0]], [[0.0, 1.0, 0.0]])
    >>> s.x     # dL/dx = -40 p_0 + 40 (p_1 - 1) + 40 p_2 cancels to about -4e-34
    [[80.0...]]
    """
    check_call(net, X, Y, "term_sizes")
    return _term_sizes(net, X, Y)


def _term_sizes(net, X, Y):
    """:func:`term_sizes` without the check (the caller checked net, X and Y)."""
    m = len(X)
    f = forward_pass(net, X)
    z, a, L = f.z, f.a, net.L
    yhat = a[L]
    S_W, S_b, S_a, S_z = [None] * (L + 1), [None] * (L + 1), [None] * (L + 1), [None] * (L + 1)
    if is_canonical(net.output, net.loss):  # g^[Lz] = (yhat - y) / m
        S_z[L] = [[(abs(p) + abs(y)) / m for p, y in zip(pr, yr)] for pr, yr in zip(yhat, Y)]
    else:
        S_a[L] = [[_loss_d_size(net.loss, p, y) / m for p, y in zip(pr, yr)] for pr, yr in zip(yhat, Y)]
        if net.phi_o.is_softmax:  # g^[Lz]_k = sum_j g^[La]_j p_j (delta_jk - p_k)
            S_z[L] = [[p_k * (S_a_r[k] + sum(s * p for s, p in zip(S_a_r, p_r)))
                       for k, p_k in enumerate(p_r)] for S_a_r, p_r in zip(S_a[L], yhat)]
        else:
            S_z[L] = [[abs(net.phi_o.d(zz, p)) * s for zz, p, s in zip(zr, pr, sr)]
                      for zr, pr, sr in zip(z[L], yhat, S_a[L])]
    for l in range(L, 0, -1):
        S_W[l] = _abs_matmul(list(zip(*a[l - 1])), S_z[l])
        S_b[l] = [[sum(col) for col in zip(*S_z[l])]]
        S_a[l - 1] = _abs_matmul(S_z[l], list(zip(*net.W[l])))
        if l > 1:
            S_z[l - 1] = [[abs(net.phi_h.d(zz, p)) * s for zz, p, s in zip(zr, pr, sr)]
                          for zr, pr, sr in zip(z[l - 1], a[l - 1], S_a[l - 1])]
    return Gradients(S_W, S_b, S_a, S_z, None)


#: Central differences cannot resolve a gradient much below round-off / h:
#: L(theta + h) and L(theta - h) each carry a rounding error of about
#: 1e-16 |L|, divided by 2h = 2e-5 that is about 1e-11 (and the truncation
#: error h^2/6 L''' is of the same size: h = 1e-5 balances the two).  A parameter whose
#: gradient entries are all smaller than this floor (vanishing gradients in a
#: deep sigmoid network) is compared relative to the floor instead, i.e. to an
#: absolute accuracy of tol * NUMERIC_FLOOR = 1e-10 with the default tol.
NUMERIC_FLOOR = 1e-4


def compare(g1: Gradients, g2: Gradients, floor: float = 0.0, sizes: "Gradients | None" = None) -> "Dict[str, float]":
    """Relative error of every parameter, by name: ``W1, b1, ..., WL, bL, x``.

    Two backward passes of one network and batch: give ``sizes``, what
    :func:`term_sizes` returns for them, and each difference is measured against
    the size of the terms that were summed to make the gradient.  So a gradient
    that cancels to -3.6e-34 in one path and to 0.0 in the other differs by
    about 1e-35 of its terms, not by 100 %.  Without ``sizes`` (central
    differences are not a sum of these terms) the comparison is relative to the
    gradients themselves.

    >>> from tinybackprop import Network, per_neuron, vectorized
    >>> net, X, Y = Network([2, 2, 1], seed=0), [[1.0, 2.0]], [[0.0]]
    >>> g_n, g_v = per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)
    >>> max(compare(g_n, g_v, sizes=term_sizes(net, X, Y)).values()) < 1e-12
    True
    """
    for name, g in (("g1", g1), ("g2", g2)):
        if not isinstance(g, Gradients):
            raise BackpropError("compare: %s must be Gradients (what backward returns), got %s"
                                % (name, type(g).__name__))
    if len(g1.W) != len(g2.W):
        raise BackpropError("compare: g1 has %d layers but g2 has %d; compare gradients of one network"
                            % (len(g1.W) - 1, len(g2.W) - 1))
    if sizes is not None and (not isinstance(sizes, Gradients) or len(sizes.W) != len(g1.W)):
        raise BackpropError("compare: sizes must be what term_sizes(net, X, Y) returns for this network, got %s"
                            % type(sizes).__name__)
    out = {}
    for l in range(1, len(g1.W)):
        out["W%d" % l] = relative_error(g1.W[l], g2.W[l], floor, sizes and sizes.W[l])  # type: ignore[arg-type]  # a Gradients is true: this is its matrix
        out["b%d" % l] = relative_error(g1.b[l], g2.b[l], floor, sizes and sizes.b[l])  # type: ignore[arg-type]  # a Gradients is true: this is its matrix
    if g1.x is not None or g2.x is not None:
        out["x"] = relative_error(g1.x, g2.x, floor, sizes and sizes.x)  # type: ignore[arg-type]  # a Gradients is true: this is its matrix
    return out


class CheckReport:
    """The result of :func:`check`.

    ``rows``: (parameter, per-neuron vs vectorized, vectorized vs central
    differences); ``graph``: when the graph path was checked too, its relative
    error against the vectorized path by parameter (else None);
    ``worst_paths`` (over both comparisons of paths), ``worst_numeric``; ``ok``
    when both are within their tolerances.

    >>> CheckReport([("W1", 0.0, 1e-9)], 1e-10, 1e-6).ok
    True
    """

    def __init__(self, rows: "List[Tuple[str, float, float]]", paths_tol: float, tol: float,
                 graph: "Dict[str, float] | None" = None) -> None:
        self.rows = rows
        self.paths_tol = paths_tol
        self.tol = tol
        self.graph = graph
        self.worst_paths = max(r[1] for r in rows)
        if graph:
            self.worst_paths = max(self.worst_paths, max(graph.values()))
        self.worst_numeric = max(r[2] for r in rows)
        self.ok = self.worst_paths <= paths_tol and self.worst_numeric <= tol

    def to_dict(self) -> "Json":
        """Plain data, for ``--json``.

        >>> sorted(CheckReport([("W1", 0.0, 0.0)], 1e-10, 1e-6).to_dict())
        ['ok', 'paths_tol', 'rows', 'tol', 'worst_numeric', 'worst_paths']
        """
        rows = []
        for p, e1, e2 in self.rows:
            row = {"parameter": p, "paths": e1, "numeric": e2}
            if self.graph:
                row["graph"] = self.graph[p]
            rows.append(row)
        return {"ok": self.ok, "tol": self.tol, "paths_tol": self.paths_tol,
                "worst_paths": self.worst_paths, "worst_numeric": self.worst_numeric, "rows": rows}

    def __str__(self) -> str:
        col = " %-22s" % "graph vs vectorized" if self.graph else ""
        lines = ["%-6s %-26s%s %-26s" % ("param", "per_neuron vs vectorized", col, "vectorized vs central diff")]
        for p, e1, e2 in self.rows:
            col = " %-22.3e" % self.graph[p] if self.graph else ""
            lines.append("%-6s %-26.3e%s %-26.3e" % (p, e1, col, e2))
        lines.append("worst: paths %.3e (tolerance %.0e), numeric %.3e (tolerance %.0e): %s"
                     % (self.worst_paths, self.paths_tol, self.worst_numeric, self.tol,
                        "OK" if self.ok else "FAILED"))
        return "\n".join(lines)


def check(net: "Network", X: "Matrix", Y: "Matrix", tol: float = TOL, h: float = H, paths_tol: float = PATHS_TOL,
          graph: bool = False) -> CheckReport:
    """Check both backward paths against each other (relative error at most
    ``paths_tol``) and against central differences (at most ``tol``, relative to
    each parameter's largest gradient or ``NUMERIC_FLOOR``, whichever is larger).
    With ``graph=True`` the third path, :func:`tinybackprop.graph.backward`, is
    held to ``paths_tol`` against the vectorized one as well (``report.graph``).

    >>> from tinybackprop import Network
    >>> r = check(Network([2, 3, 2], output="softmax", loss="cross_entropy"), [[0.3, -0.1]], [[0.0, 1.0]])
    >>> r.ok, r.worst_paths < 1e-12
    (True, True)
    >>> check(Network([2, 1]), [[0.3, -0.1]], [[1.0]], graph=True).graph["W1"] < 1e-12
    True
    """
    for name, v in (("tol", tol), ("h", h), ("paths_tol", paths_tol)):
        _check_positive("check", name, v)
    check_call(net, X, Y, "check")
    g_n = per_neuron.backward(net, X, Y)
    g_v = vectorized.backward(net, X, Y)
    g_c = _numerical_gradients(net, X, Y, h)
    sizes = _term_sizes(net, X, Y)  # checked above
    paths = compare(g_n, g_v, sizes=sizes)
    numeric = compare(g_v, g_c, NUMERIC_FLOOR)
    rows = [(p, paths[p], numeric[p]) for p in paths]
    by_graph = None
    if graph:
        from . import graph as graph_path

        by_graph = compare(graph_path.backward(net, X, Y), g_v, sizes=sizes)
    return CheckReport(rows, paths_tol, tol, by_graph)
