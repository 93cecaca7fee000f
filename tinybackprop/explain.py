r"""One backward pass of one example, laid out as the document derives it.

``explain(net, x, y)`` runs both backward paths on one example and writes out,
from the output layer back to layer 1 and then to the input, every per-element
equation with its ID (see :mod:`tinybackprop.equations`), its symbolic form in
the document's notation and its numbers, such as
``[bwd.gW] dL/dW^[3]_{1,1} = a^[2]_1 * g^[3z] = `` the two numbers ``=`` their
product; then the same layer by layer in matrix form (``g^[lz] = g'(z^[l]) o g^[la]``,
``g^[lW] = (a^[l-1])^T g^[lz]``, ...) and the worst relative difference
between the two paths.  Every number shown is read from what the paths
computed: :func:`tinybackprop.per_neuron.backward` for the per-element steps,
:func:`tinybackprop.vectorized.backward` for the matrix ones, their forward
passes for ``z`` and ``a``, and the network's own activation derivative for
``g'(z)``.  Nothing is recomputed another way.

==============================  ===============================================
``explain(net, x, y, fmt)``     the pass as text (``fmt="text"``) or Markdown
                                with LaTeX math (``fmt="markdown"``)
``explain_steps(net, x, y)``    the same steps as dicts: ``id``, ``symbolic``,
                                ``numbers``, ``value``, ``target``, ...
==============================  ===============================================

``x`` and ``y`` are one example: flat lists or 1 x n rows.  Equations:
docs/worked-examples.md shows this output for the document's networks.

>>> from tinybackprop import Network
>>> net = Network([2, 1], output="identity", loss="squared_error")
>>> net.W[1] = [[1.0], [2.0]]
>>> print(explain(net, [1.0, 1.0], [2.0]).splitlines()[-2])  # doctest: +ELLIPSIS
per_neuron.backward and vectorized.backward agree: worst relative difference 0 (W^[1..1], ...
"""
import math

from . import gradcheck, per_neuron, vectorized
from ._compat import isint
from .errors import BackpropError
from .equations import EQUATIONS
from .losses import is_canonical
from .network import check_call
from ._display import explanation

FORMATS = ("text", "markdown")


# -- numbers ---------------------------------------------------------------------------

def _num(v):
    """A number as shown: 4 significant digits, in e-notation when tiny or huge.

    >>> _num(0.61214), _num(-0.0023456), _num(-0.00001234), _num(1.0), _num(0.0)
    ('0.6121', '-0.002346', '-1.234e-05', '1', '0')
    """
    a = abs(v)
    if a == 0:
        return "0"
    if a < 1e5 and v == int(v):
        return "%d" % int(v)
    if 1e-4 <= a < 1e5:
        return ("%." + str(max(4, 3 - int(math.floor(math.log10(a))))) + "f") % v
    return "%.3e" % v


def _tex_num(v):
    s = _num(v)
    if "e" in s:
        mant, exp = s.split("e")
        s = "%s \\times 10^{%d}" % (mant, int(exp))
    return s


def _n(v, tex, paren=False):
    """A number inside an expression; negative ones in parentheses where asked (always in LaTeX)."""
    s = _tex_num(v) if tex else _num(v)
    if v < 0 and (paren or tex):
        return "(" + s + ")"
    return s


def _mat(M, tex):
    if tex:
        rows = [" & ".join(_tex_num(v) for v in row) for row in M]
        return "\\begin{bmatrix} " + " \\\\ ".join(rows) + " \\end{bmatrix}"
    return "[" + ", ".join("[" + ", ".join(_num(v) for v in row) + "]" for row in M) + "]"


def _value(v, tex):
    if isinstance(v, list):
        return _mat(v, tex)
    return _tex_num(v) if tex else _num(v)


# -- names in the document's notation (text, LaTeX) --------------------------------------

class _Names:
    def __init__(self, net):
        self.L = net.L
        self.sizes = net.sizes

    def a(self, l, i):
        return ("a^[%d]_%d" % (l, i + 1), "a_{%d}^{[%d]}" % (i + 1, l))

    def z(self, l, i):
        return ("z^[%d]_%d" % (l, i + 1), "z_{%d}^{[%d]}" % (i + 1, l))

    def W(self, l, i, j):
        return ("W^[%d]_{%d,%d}" % (l, i + 1, j + 1), "W_{%d,%d}^{[%d]}" % (i + 1, j + 1, l))

    def yhat(self, j):
        if self.sizes[-1] == 1:
            return ("yhat", "\\hat{y}")
        return ("yhat_%d" % (j + 1), "\\hat{y}_{%d}" % (j + 1))

    def y(self, j):
        if self.sizes[-1] == 1:
            return ("y", "y")
        return ("y_%d" % (j + 1), "y_{%d}" % (j + 1))

    def _d(self, what, t, l):
        return ("dL/d%s" % t, "\\frac{\\partial \\mathcal{L}}{\\partial %s}" % l)

    def dz(self, l, j):
        if self.sizes[l] == 1:
            return ("g^[%dz]" % l, "g^{[%dz]}" % l)
        t, x = self.z(l, j)
        return self._d("z", t, x)

    def da(self, l, j):
        if l == 0:
            return self.dx(j)
        if self.sizes[l] == 1:
            return ("g^[%da]" % l, "g^{[%da]}" % l)
        t, x = self.a(l, j)
        return self._d("a", t, x)

    def dW(self, l, i, j):
        return self._d("W", *self.W(l, i, j))

    def db(self, l, j):
        return self._d("b", "b^[%d]_%d" % (l, j + 1), "b_{%d}^{[%d]}" % (j + 1, l))

    def dx(self, i):
        return ("dL/dx_%d" % (i + 1), "\\frac{\\partial \\mathcal{L}}{\\partial x_{%d}}" % (i + 1))

    def gprime(self, l, j):
        k = "o" if l == self.L else "h"
        t, x = self.z(l, j)
        return ("g'_%s(%s)" % (k, t), "g'_%s(%s)" % (k, x))


def _join(parts, sep_t, sep_x):
    return (sep_t.join(p[0] for p in parts), sep_x.join(p[1] for p in parts))


def _cat(*parts):
    """Concatenate (text, LaTeX) pairs and plain strings (used in both)."""
    t, x = [], []
    for p in parts:
        if isinstance(p, tuple):
            t.append(p[0])
            x.append(p[1])
        else:
            t.append(p)
            x.append(p)
    return ("".join(t), "".join(x))


def _prod(u, v):
    """The product of two names: ``u * v`` in text, ``u \\cdot v`` in LaTeX."""
    return (u[0] + " * " + v[0], u[1] + " \\cdot " + v[1])


def _nums(fmt_t, fmt_x, values, parens=None):
    """Fill a pattern with numbers, text and LaTeX alike: every negative number in
    parentheses, so a factor reads the same wherever it stands (``parens`` is kept
    for callers and ignored)."""
    t = fmt_t % tuple(_n(v, False, True) for v in values)
    x = fmt_x % tuple(_n(v, True) for v in values)
    return (t, x)


# -- the steps -------------------------------------------------------------------------

def _step(out, part, layer, eq_id, lhs, rhs, numbers, value, target, operands, note=None):
    if eq_id not in EQUATIONS:  # a typo here would break the docs' cross-references
        raise BackpropError("explain: unknown equation ID %r" % eq_id)
    if isinstance(note, str):
        note = (note, _note_math(note))
    out.append({
        "part": part, "layer": layer, "id": eq_id,
        "lhs": lhs, "rhs": rhs, "nums": numbers,
        "symbolic": lhs[0] + " = " + rhs[0],
        "numbers": (numbers[0] + " = " if numbers else "") + _value(value, False),
        "latex": " = ".join([lhs[1], rhs[1]] + ([numbers[1]] if numbers else []) + [_value(value, True)]),
        "value": value, "target": target, "operands": operands, "note": note,
    })


_NICE = {  # why g^[Lz] has the nice form yhat - y, per output (text, Markdown)
    "sigmoid": ("the nice form: g'_o(z) = yhat (1 - yhat) cancels the denominator of g^[La] = (yhat - y) / "
                "(yhat (1 - yhat)), leaving yhat - y; the same number, without dividing by an output "
                "that may round to 0 or 1",
                "the nice form: $g'_o(z) = \\hat{y}(1 - \\hat{y})$ cancels the denominator of "
                "$g^{[La]} = \\frac{\\hat{y} - y}{\\hat{y}(1 - \\hat{y})}$, leaving $\\hat{y} - y$; the same number, "
                "without dividing by an output that may round to 0 or 1"),
    "softmax": ("the nice form: the softmax Jacobian times -y / yhat sums to yhat - y, because the targets "
                "sum to 1",
                "the nice form: the softmax Jacobian times $-y / \\hat{y}$ sums to $\\hat{y} - y$, because the "
                "targets sum to 1"),
    "identity": ("the nice form: g'_o = 1 and dL/dyhat = yhat - y already",
                 "the nice form: $g'_o = 1$ and $\\frac{\\partial \\mathcal{L}}{\\partial \\hat{y}} = \\hat{y} - y$ "
                 "already"),
}


def _as_row(v, name):
    """One example as a 1 x n row (its numbers are checked with the network, once)."""
    if not isinstance(v, (list, tuple)):
        raise BackpropError("explain: %s must be one example, a flat list or a 1 x n row, got %s"
                            % (name, type(v).__name__))
    if len(v) > 0 and isinstance(v[0], (list, tuple)):
        if len(v) != 1:
            raise BackpropError("explain: %s must be ONE example (a flat list or a 1 x n row), got %d rows"
                                % (name, len(v)))
        return [list(v[0])]
    return [list(v)]


def _local_derivative(act, z, a, names, l, j):
    """g'(z_j) of an element-wise activation, as the paths use it: act.d(z, a)."""
    eq = "act.%s.d" % act.name
    at, ax = names.a(l, j)
    zt, zx = names.z(l, j)
    if act.name == "sigmoid":
        rhs = ("%s (1 - %s)" % (at, at), "%s (1 - %s)" % (ax, ax))
        nums = _nums("%s * (1 - %s)", "%s \\cdot (1 - %s)", [a, a], parens=(1,))
    elif act.name == "tanh":
        rhs = ("1 - (%s)^2" % at, "1 - (%s)^2" % ax)
        nums = _nums("1 - %s^2", "1 - %s^2", [a], parens=(0,))
    elif act.name == "relu":
        rhs = ("[%s > 0]" % zt, "[%s > 0]" % zx)
        nums = ("[%s > 0]" % _num(z), "[%s > 0]" % _tex_num(z))
    else:  # identity
        rhs = ("1", "1")
        nums = None
    return eq, rhs, nums, act.d(z, a)


def _loss_derivative(loss, yh, yv, names, j):
    """dl/dyhat_j for one example: the symbolic form of the loss derivative and its numbers."""
    ht, hx = names.yhat(j)
    yt, yx = names.y(j)
    if loss == "bce":
        rhs = ("(%s - %s) / (%s (1 - %s))" % (ht, yt, ht, ht),
               "\\frac{%s - %s}{%s (1 - %s)}" % (hx, yx, hx, hx))
        t = "(%s - %s) / (%s * (1 - %s))" % tuple(_n(v, False, True) for v in (yh, yv, yh, yh))
        x = "\\frac{%s - %s}{%s \\cdot (1 - %s)}" % tuple(_n(v, True) for v in (yh, yv, yh, yh))
        return rhs, (t, x)
    if loss == "squared_error":
        return (("%s - %s" % (ht, yt), "%s - %s" % (hx, yx)),
                _nums("%s - %s", "%s - %s", [yh, yv], parens=(1,)))
    return (("-%s / %s" % (yt, ht), "-\\frac{%s}{%s}" % (yx, hx)),
            ("-%s / %s" % (_n(yv, False, True), _n(yh, False, True)),
             "-\\frac{%s}{%s}" % (_tex_num(yv), _tex_num(yh))))


def _sum_terms(pairs, names_pairs):
    """sum_k u_k * v_k: symbolic (from name pairs) and numbers (from value pairs)."""
    sym = _join([_prod(u, v) for u, v in names_pairs], " + ", " + ")
    t = " + ".join("%s * %s" % (_n(u, False, True), _n(v, False, True)) for u, v in pairs)
    x = " + ".join("%s \\cdot %s" % (_n(u, True), _n(v, True)) for u, v in pairs)
    return sym, (t, x)


def _neuron_steps(net, X, Y, f, g, out):
    """Per-element steps from layer L back to the input, values from per_neuron.backward."""
    names, L, sizes = _Names(net), net.L, net.sizes
    z, a = f.z, f.a
    canonical = is_canonical(net.output, net.loss)
    for l in range(L, 0, -1):
        act = net.activation(l)
        for j in range(sizes[l]):
            part = "neuron"
            if l == L:
                yh, yv = a[L][0][j], Y[0][j]
                rhs, nums = _loss_derivative(net.loss, yh, yv, names, j)
                _step(out, part, l, "bwd.ga_out", names.da(L, j), rhs, nums, g.g_a[L][0][j],
                      ("g_a", L, j), [(("a", L, j), yh), (("y", j), yv)],
                      note=("loss.%s.d with m = 1" % net.loss, "`loss.%s.d` with $m = 1$" % net.loss))
            else:
                pairs = [(net.W[l + 1][j][k], g.g_z[l + 1][0][k]) for k in range(sizes[l + 1])]
                sym, nums = _sum_terms(pairs, [(names.W(l + 1, j, k), names.dz(l + 1, k))
                                               for k in range(sizes[l + 1])])
                _step(out, part, l, "bwd.ga", names.da(l, j), sym, nums, g.g_a[l][0][j], ("g_a", l, j),
                      [(("weight", l + 1, j, k), pairs[k][0]) for k in range(sizes[l + 1])]
                      + [(("g_z", l + 1, k), pairs[k][1]) for k in range(sizes[l + 1])],
                      note=("%s feeds the %d neurons of layer %d: one flow back from each, summed"
                            % (names.a(l, j)[0], sizes[l + 1], l + 1),
                            "$%s$ feeds the %d neurons of layer %d: one flow back from each, summed"
                            % (names.a(l, j)[1], sizes[l + 1], l + 1)) if sizes[l + 1] > 1 else None)
            if act.is_softmax:
                n = sizes[L]
                terms = [(a[L][0][k], (1.0 if k == j else 0.0) - a[L][0][j], g.g_a[L][0][k]) for k in range(n)]
                sym_t = "sum_k a^[%d]_k (delta_%d,k - a^[%d]_%d) dL/da^[%d]_k" % (L, j + 1, L, j + 1, L)
                sym_x = ("\\sum_k a_k^{[%d]} (\\delta_{%d k} - a_{%d}^{[%d]}) "
                         "\\frac{\\partial \\mathcal{L}}{\\partial a_k^{[%d]}}" % (L, j + 1, j + 1, L, L))
                nt = " + ".join("%s * %s * %s" % (_n(p, False, True), _n(q, False, True), _n(r, False, True))
                                for p, q, r in terms)
                nx = " + ".join("%s \\cdot %s \\cdot %s" % (_n(p, True), _n(q, True), _n(r, True))
                                for p, q, r in terms)
                _step(out, part, l, "bwd.gz_softmax", names.dz(L, j), (sym_t, sym_x), (nt, nx),
                      g.g_z[L][0][j], ("g_z", L, j),
                      [(("a", L, k), terms[k][0]) for k in range(n)] + [(("g_a", L, k), terms[k][2]) for k in range(n)],
                      note=("z^[%d]_%d moves every output of the softmax: one flow back from each, summed"
                            % (L, j + 1), "$z_{%d}^{[%d]}$ moves every output of the softmax: one flow back "
                            "from each, summed" % (j + 1, L)))
            else:
                eq, rhs, nums, d = _local_derivative(act, z[l][0][j], a[l][0][j], names, l, j)
                _step(out, part, l, eq, names.gprime(l, j), rhs, nums, d, ("gprime", l, j),
                      [(("a", l, j), a[l][0][j]), (("z", l, j), z[l][0][j])])
                _step(out, part, l, "bwd.gz", names.dz(l, j), _prod(names.gprime(l, j), names.da(l, j)),
                      _nums("%s * %s", "%s \\cdot %s", [d, g.g_a[l][0][j]]), g.g_z[l][0][j], ("g_z", l, j),
                      [(("gprime", l, j), d), (("g_a", l, j), g.g_a[l][0][j])])
            if l == L and canonical:
                yh, yv = a[L][0][j], Y[0][j]
                _step(out, part, l, "bwd.out", names.dz(L, j), _cat(names.yhat(j), " - ", names.y(j)),
                      _nums("%s - %s", "%s - %s", [yh, yv], parens=(1,)), g.g_z[L][0][j], ("g_z", L, j),
                      [(("a", L, j), yh), (("y", j), yv)],
                      note=_NICE[net.output])
            for i in range(sizes[l - 1]):
                ai, gz = a[l - 1][0][i], g.g_z[l][0][j]
                _step(out, part, l, "bwd.gW", names.dW(l, i, j), _prod(names.a(l - 1, i), names.dz(l, j)),
                      _nums("%s * %s", "%s \\cdot %s", [ai, gz]), g.W[l][i][j], ("W", l, i, j),
                      [(("a", l - 1, i), ai), (("g_z", l, j), gz)])
            _step(out, part, l, "bwd.gb", names.db(l, j), names.dz(l, j), None, g.b[l][0][j], ("b", l, j),
                  [(("g_z", l, j), g.g_z[l][0][j])])
    for i in range(sizes[0]):
        pairs = [(net.W[1][i][k], g.g_z[1][0][k]) for k in range(sizes[1])]
        sym, nums = _sum_terms(pairs, [(names.W(1, i, k), names.dz(1, k)) for k in range(sizes[1])])
        _step(out, "neuron", 0, "bwd.ga", names.dx(i), sym, nums, g.x[0][i], ("x", i),
              [(("weight", 1, i, k), pairs[k][0]) for k in range(sizes[1])]
              + [(("g_z", 1, k), pairs[k][1]) for k in range(sizes[1])],
              note=("the gradient with respect to the input: dL/dx = g^[0a]",
                    "the gradient with respect to the input: "
                    "$\\frac{\\partial \\mathcal{L}}{\\partial x} = g^{[0a]}$"))


def _matrix_steps(net, X, Y, f, g, out):
    """Matrix steps from layer L back, values from vectorized.backward."""
    L = net.L
    z, a = f.z, f.a
    part = "matrix"

    def G(l, k):
        return ("g^[%d%s]" % (l, k), "g^{[%d%s]}" % (l, k))

    yh = ("yhat", "\\hat{y}")
    loss_sym = {
        "bce": ("(yhat - y) / (yhat o (1 - yhat))", "(\\hat{y} - y) \\oslash (\\hat{y} \\circ (1 - \\hat{y}))"),
        "squared_error": ("yhat - y", "\\hat{y} - y"),
        "cross_entropy": ("-y / yhat", "-y \\oslash \\hat{y}"),
    }[net.loss]
    _step(out, part, L, "bwd.ga_out.mat", G(L, "a"), loss_sym, None, g.g_a[L], ("g_a", L),
          [(("a", L), a[L]), (("y",), Y)], note="element by element, with m = 1")
    if is_canonical(net.output, net.loss):
        _step(out, part, L, "bwd.out.mat", G(L, "z"), _cat(yh, " - y"),
              _cat((_mat(a[L], False), _mat(a[L], True)), " - ", (_mat(Y, False), _mat(Y, True))),
              g.g_z[L], ("g_z", L), [(("a", L), a[L]), (("y",), Y)])
    elif net.g_o.is_softmax:
        from .activations import softmax_jacobian
        J = softmax_jacobian(a[L][0])
        _step(out, part, L, "bwd.gz_softmax.mat", G(L, "z"), _cat(G(L, "a"), " J"),
              ("%s %s" % (_mat(g.g_a[L], False), _mat(J, False)), "%s %s" % (_mat(g.g_a[L], True), _mat(J, True))),
              g.g_z[L], ("g_z", L), [(("g_a", L), g.g_a[L]), (("J", L), J)],
              note=("J is the softmax Jacobian, J_kj = a_k (delta_kj - a_j)",
                    "$J$ is the softmax Jacobian, $J_{kj} = a_k (\\delta_{kj} - a_j)$"))
    else:
        d = [[net.g_o.d(zz, aa) for zz, aa in zip(z[L][0], a[L][0])]]
        _step(out, part, L, "bwd.gz.mat", G(L, "z"),
              ("g'_o(z^[%d]) o %s" % (L, G(L, "a")[0]), "g'_o(z^{[%d]}) \\circ %s" % (L, G(L, "a")[1])),
              ("%s o %s" % (_mat(d, False), _mat(g.g_a[L], False)),
               "%s \\circ %s" % (_mat(d, True), _mat(g.g_a[L], True))),
              g.g_z[L], ("g_z", L), [(("gprime", L), d), (("g_a", L), g.g_a[L])])
    for l in range(L, 0, -1):
        aT = [[v] for v in a[l - 1][0]]
        _step(out, part, l, "bwd.gW.mat", G(l, "W"),
              ("(a^[%d])^T %s" % (l - 1, G(l, "z")[0]), "(a^{[%d]})^T %s" % (l - 1, G(l, "z")[1])),
              ("%s %s" % (_mat(aT, False), _mat(g.g_z[l], False)), "%s %s" % (_mat(aT, True), _mat(g.g_z[l], True))),
              g.W[l], ("W", l), [(("a", l - 1), a[l - 1]), (("g_z", l), g.g_z[l])],
              note=("a %d x 1 column times a 1 x %d row: the %d x %d shape of W^[%d]"
                    % (net.sizes[l - 1], net.sizes[l], net.sizes[l - 1], net.sizes[l], l),
                    "a $%d \\times 1$ column times a $1 \\times %d$ row: the $%d \\times %d$ shape of $W^{[%d]}$"
                    % (net.sizes[l - 1], net.sizes[l], net.sizes[l - 1], net.sizes[l], l)))
        _step(out, part, l, "bwd.gb.mat", G(l, "b"), G(l, "z"), None, g.b[l], ("b", l),
              [(("g_z", l), g.g_z[l])], note="one example: the sum over the batch rows is the row itself")
        WT = [list(col) for col in zip(*net.W[l])]
        lhs = G(l - 1, "a") if l > 1 else _cat(G(0, "a"), " = ", ("dL/dx", "\\frac{\\partial \\mathcal{L}}{\\partial x}"))
        _step(out, part, l, "bwd.ga.mat", lhs,
              ("%s (W^[%d])^T" % (G(l, "z")[0], l), "%s (W^{[%d]})^T" % (G(l, "z")[1], l)),
              ("%s %s" % (_mat(g.g_z[l], False), _mat(WT, False)), "%s %s" % (_mat(g.g_z[l], True), _mat(WT, True))),
              g.g_a[l - 1], ("g_a", l - 1) if l > 1 else ("x",), [(("g_z", l), g.g_z[l]), (("weight", l), net.W[l])])
        if l > 1:
            d = [[net.g_h.d(zz, aa) for zz, aa in zip(z[l - 1][0], a[l - 1][0])]]
            _step(out, part, l - 1, "bwd.gz.mat", G(l - 1, "z"),
                  ("g'_h(z^[%d]) o %s" % (l - 1, G(l - 1, "a")[0]),
                   "g'_h(z^{[%d]}) \\circ %s" % (l - 1, G(l - 1, "a")[1])),
                  ("%s o %s" % (_mat(d, False), _mat(g.g_a[l - 1], False)),
                   "%s \\circ %s" % (_mat(d, True), _mat(g.g_a[l - 1], True))),
                  g.g_z[l - 1], ("g_z", l - 1), [(("gprime", l - 1), d), (("g_a", l - 1), g.g_a[l - 1])],
                  note=("o is the element-wise (Hadamard) product: each g'_h(z^[%d]_j) multiplies its own "
                        "dL/da^[%d]_j" % (l - 1, l - 1),
                        "$\\circ$ is the element-wise (Hadamard) product: each $g'_h(z_j^{[%d]})$ multiplies its "
                        "own $\\frac{\\partial \\mathcal{L}}{\\partial a_j^{[%d]}}$" % (l - 1, l - 1)))


def _forward_steps(net, X, Y, f, g, out):
    L = net.L
    for l in range(1, L + 1):
        act = net.activation(l)
        _step(out, "forward", l, "fwd.z.mat", ("z^[%d]" % l, "z^{[%d]}" % l),
              ("a^[%d] W^[%d] + b^[%d]" % (l - 1, l, l), "a^{[%d]} W^{[%d]} + b^{[%d]}" % (l - 1, l, l)),
              None, f.z[l], ("fz", l), [(("a", l - 1), f.a[l - 1])])
        k = "o" if l == L else "h"
        if act.is_softmax:
            eq, rhs = "fwd.softmax.mat", ("softmax(z^[%d])" % l, "\\operatorname{softmax}(z^{[%d]})" % l)
        else:
            eq, rhs = "fwd.a.mat", ("g_%s(z^[%d])" % (k, l), "g_%s(z^{[%d]})" % (k, l))
        _step(out, "forward", l, eq, ("a^[%d]" % l, "a^{[%d]}" % l), rhs, None, f.a[l], ("fa", l),
              [(("z", l), f.z[l])], note="%s, element by element" % act.name if not act.is_softmax else None)
    _step(out, "forward", L, "loss.%s" % net.loss, ("L", "\\mathcal{L}"),
          {"bce": ("-sum_k [(1 - y_k) log(1 - yhat_k) + y_k log yhat_k]",
                   "-\\sum_k \\left[(1 - y_k) \\log(1 - \\hat{y}_k) + y_k \\log \\hat{y}_k\\right]"),
           "squared_error": ("1/2 sum_k (y_k - yhat_k)^2", "\\frac{1}{2} \\sum_k (y_k - \\hat{y}_k)^2"),
           "cross_entropy": ("-sum_k y_k log yhat_k", "-\\sum_k y_k \\log \\hat{y}_k")}[net.loss],
          None, g.loss, ("loss",), [(("a", L), f.a[L]), (("y",), Y)])


def _run(net, x, y):
    X, Y = _as_row(x, "x"), _as_row(y, "y")
    check_call(net, X, Y, "explain")  # once, here: the paths below run unchecked
    f_n, f_v = per_neuron.forward(net, X, check=False), vectorized.forward(net, X, check=False)
    g_n, g_v = per_neuron.backward(net, X, Y, check=False), vectorized.backward(net, X, Y, check=False)
    steps = []
    _forward_steps(net, X, Y, f_v, g_v, steps)
    _neuron_steps(net, X, Y, f_n, g_n, steps)
    _matrix_steps(net, X, Y, f_v, g_v, steps)
    diff = gradcheck.compare(g_n, g_v)
    return X, Y, steps, max(diff.values())


def explain_steps(net, x, y):
    """The steps of :func:`explain` as a list of dicts, in the order shown.

    Each has ``part`` ("forward", "neuron" or "matrix"), ``layer``, ``id`` (a
    key of ``EQUATIONS``), ``symbolic`` and ``numbers`` (text), ``latex``,
    ``value`` (a float, or a matrix for the matrix steps), ``operands`` (a list
    of (source, value)) and ``target``: where the value lives, e.g. ``("W", l,
    i, j)`` for ``Gradients.W[l][i][j]``, ``("g_z", l, j)``, ``("g_a", l, j)``,
    ``("b", l, j)``, ``("x", i)``; ``("gprime", l, j)`` for g'(z_j^[l]);
    ``("W", l)``, ``("g_z", l)``, ... for whole matrices; ``("fz", l)``,
    ``("fa", l)``, ``("loss",)`` for the forward pass.  Operand sources:
    ``("a", l, i)``, ``("z", l, i)`` (forward pass), ``("y", j)``,
    ``("weight", l, i, j)`` (``net.W[l][i][j]``), ``("g_z", l, j)``,
    ``("g_a", l, j)``, ``("gprime", l, j)``, and without the last index for
    whole rows.  Indices are 0-based; the text shows them 1-based as the
    document does.

    >>> from tinybackprop import Network
    >>> steps = explain_steps(Network([4, 3, 2, 1], seed=0), [0.1, 0.2, 0.3, 0.4], [1.0])
    >>> [s["id"] for s in steps if s["part"] == "neuron"][:4]
    ['bwd.ga_out', 'act.sigmoid.d', 'bwd.gz', 'bwd.out']
    """
    return _run(net, x, y)[2]


WIDTH = 100  # the longest line of the text format

_LEGEND = (
    "Notation, as in the 4-3-2-1 derivation: layers l = 0..L, neurons j = 1..n_l; "
    "z^[l]_j = sum_i W^[l]_{i,j} a^[l-1]_i + b^[l]_j and a^[l]_j = g(z^[l]_j); yhat = a^[L]. "
    "dL/dq is the partial derivative of the loss L by q. g^[la], g^[lz], g^[lW], g^[lb] are the "
    "document's names for all of layer l's dL/da^[l]_j, dL/dz^[l]_j, dL/dW^[l]_{i,j}, dL/db^[l]_j "
    "at once: g^[la] is the gradient with respect to layer l's activations, a row; in a layer of "
    "one neuron, g^[lz] is the number dL/dz^[l]_1. * multiplies numbers, o is the element-wise "
    "(Hadamard) product, ^T transposes; negative factors are in brackets. Lines starting with # "
    "are notes.",
    "Notation, as in the 4-3-2-1 derivation: $z_j^{[l]} = \\sum_i W_{i,j}^{[l]} a_i^{[l-1]} + b_j^{[l]}$, "
    "$a_j^{[l]} = g(z_j^{[l]})$, $\\hat{y} = a^{[L]}$. $g^{[la]}$, $g^{[lz]}$, $g^{[lW]}$, $g^{[lb]}$ are "
    "the document's names for all of layer $l$'s partial derivatives "
    "$\\frac{\\partial \\mathcal{L}}{\\partial a_j^{[l]}}$, ... at once: $g^{[la]}$ is the gradient "
    "with respect to layer $l$'s activations, a row; in a layer of one neuron $g^{[lz]}$ is the number "
    "$\\frac{\\partial \\mathcal{L}}{\\partial z_1^{[l]}}$. $\\circ$ is the element-wise (Hadamard) "
    "product; negative factors are in brackets.",
)


def _wrap(line, width=WIDTH, indent="      ", at_equals=True):
    """``line`` as lines of at most ``width`` characters, broken at spaces (before
    an ``=`` where one is near the end), continued after ``indent``.  Joining the
    pieces with one space (indents removed) gives ``line`` back.

    >>> _wrap("  a = " + "1, " * 40 + "2", width=40)[:2]
    ['  a = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,', '      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,']
    """
    out = []
    while len(line) > width:
        lead = len(line) - len(line.lstrip(" #"))
        cut = line.rfind(" = ", lead + 1, width) if at_equals else -1
        if cut < width * 0.6:
            cut = line.rfind(" ", lead + 1, width + 1)
        if cut <= lead:
            cut = line.find(" ", width)  # one long word: leave it long
            if cut < 0:
                break
        out.append(line[:cut])
        line = indent + line[cut + 1:]
    out.append(line)
    return out


_PART_TITLES = {
    "forward": "Forward pass (vectorized.forward)",
    "neuron": "Backward pass, neuron by neuron (per_neuron.backward)",
    "matrix": "Backward pass in matrix form (vectorized.backward)",
}


def _layer_title(net, part, l):
    """The heading of one layer's group of steps (plain words: it is also a title on the site)."""
    if l == 0:
        return "The input x, the flows back from layer 1"
    if l == net.L:
        what = "Layer %d, the output layer (%s output, %s loss)" % (l, net.output, net.loss)
    else:
        what = "Layer %d, a hidden layer (%s)" % (l, net.hidden)
    return what + {"forward": ", forward", "neuron": "", "matrix": ", in matrix form"}[part]


def _note_math(text):
    """``W^[1]`` and ``a^[2]_1`` in a note, as inline LaTeX for the Markdown format.

    >>> _note_math("a^[1]_2 feeds W^[2]")
    '$a_{2}^{[1]}$ feeds $W^{[2]}$'
    """
    out, i = [], 0
    while i < len(text):
        j = text.find("^[", i)
        k = text.find("]", j + 2) if j > 0 else -1
        if j <= 0 or k < 0 or not text[j + 2:k].isdigit() or not text[j - 1].isalpha():
            out.append(text[i:])
            break
        start = j - 1
        while start > i and text[start - 1].isalpha():
            start -= 1
        sub, end = "", k + 1
        if text[end:end + 1] == "_":
            e = end + 1
            while e < len(text) and text[e].isdigit():
                e += 1
            if e > end + 1:
                sub, end = text[end + 1:e], e
        out.append(text[i:start])
        out.append("$%s%s^{[%s]}$" % (text[start:j], "_{%s}" % sub if sub else "", text[j + 2:k]))
        i = end
    return "".join(out)


def explain(net, x, y, fmt="text", links=None, level=2):
    """One backward pass of the example (x, y) through ``net``, as the document derives it.

    ``fmt``: "text" or "markdown" (LaTeX math between ``$`` signs).  ``links``
    (Markdown only): a dict equation ID -> URL; each ID shown links there.
    ``level``: the Markdown heading level of the parts.

    The result is a ``str`` (an ``Explanation``): print it or write it to a
    file.  As the value of a Jupyter cell it shows as Markdown with the math
    typeset (``_repr_markdown_``); in a terminal its repr is one line.

    >>> from tinybackprop import Network
    >>> text = explain(Network([4, 3, 2, 1], seed=0), [0.1, 0.2, 0.3, 0.4], [1.0])
    >>> text._repr_markdown_().startswith("The network 4-3-2-1")
    True
    >>> line = [line for line in text.splitlines() if "W^[3]_{1,1} =" in line][0]
    >>> line.split(" = ")[:2]
    ['  [bwd.gW] dL/dW^[3]_{1,1}', 'a^[2]_1 * g^[3z]']
    """
    if fmt not in FORMATS:
        raise BackpropError("explain: fmt must be one of %s, got %r" % (", ".join(FORMATS), fmt))
    if not isint(level) or not 1 <= level <= 5:
        raise BackpropError("explain: level must be an int from 1 to 5, got %r" % (level,))
    X, Y, steps, worst = _run(net, x, y)
    text = _lines(net, X, Y, steps, worst, fmt, links, level)
    if fmt == "markdown":
        return explanation(text, text)
    snapshot = net.copy()  # Jupyter asks for the Markdown later: of this network, as it is now
    snapshot.seed = net.seed
    return explanation(text, lambda: _lines(snapshot, X, Y, steps, worst, "markdown", links, level))


def _lines(net, X, Y, steps, worst, fmt, links, level):
    md = fmt == "markdown"
    links = links or {}
    lines = []
    head = "%s network %s (hidden %s, output %s, loss %s, seed %s), one example, m = 1" % (
        "The" if md else "explain: the", "-".join(str(n) for n in net.sizes), net.hidden, net.output,
        net.loss, net.seed)
    if md:
        lines.append(head + ".")
    else:
        lines += _wrap(head, at_equals=False)
    if md:
        lines.append("")
        lines.append("$" + "\\quad ".join(["x = a^{[0]} = " + _mat(X, True), "y = " + _mat(Y, True)]) + "$")
        lines.append("")
        for l in range(1, net.L + 1):
            lines.append("- $W^{[%d]} = %s, \\quad b^{[%d]} = %s$" % (l, _mat(net.W[l], True), l, _mat(net.b[l], True)))
        lines += ["", _LEGEND[1]]
    else:
        lines += _wrap("  x = a^[0] = %s, y = %s" % (_mat(X, False), _mat(Y, False)))
        for l in range(1, net.L + 1):
            lines += _wrap("  W^[%d] = %s, b^[%d] = %s" % (l, _mat(net.W[l], False), l, _mat(net.b[l], False)))
        lines.append("")
        lines += _wrap(_LEGEND[0], indent="", at_equals=False)
    part = layer = None
    for s in steps:
        if s["part"] != part:
            part, layer = s["part"], None
            lines.append("")
            lines.append(("#" * level + " " if md else "") + _PART_TITLES[part])
            if md:
                lines.append("")
        if s["layer"] != layer:
            layer = s["layer"]
            title = _layer_title(net, part, layer)
            if md:
                lines += ([] if lines[-1] == "" else [""]) + ["#" * (level + 1) + " " + title, ""]
            else:
                lines.append(title)
        if md:
            eq = "`%s`" % s["id"]
            if s["id"] in links:
                eq = "[%s](%s)" % (eq, links[s["id"]])
            note = " (%s)" % s["note"][1] if s["note"] else ""
            lines.append("- %s $\\displaystyle %s$%s" % (eq, s["latex"], note))
        else:
            lines += _wrap("  [%s] %s = %s" % (s["id"], s["symbolic"], s["numbers"]))
            if s["note"]:
                lines += _wrap("    # " + s["note"][0], indent="    #   ", at_equals=False)
    both = ("per_neuron.backward and vectorized.backward agree: worst relative difference %s "
            "(W^[1..%d], b^[1..%d], dL/dx)" % (_num(worst) if worst else "0", net.L, net.L))
    lines.append("")
    if md:
        lines += ["#" * level + " Both paths agree", "",
                  "`per_neuron.backward` and `vectorized.backward` agree: worst relative difference %s "
                  "($W^{[1]}, \\dots, W^{[%d]}$, $b^{[1]}, \\dots, b^{[%d]}$ and "
                  "$\\frac{\\partial \\mathcal{L}}{\\partial x}$)." % (_tex_num(worst) if worst else "0", net.L, net.L)]
    else:
        lines += _wrap(both, at_equals=False)
    return "\n".join(lines) + "\n"
