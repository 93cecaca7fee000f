r"""One backward pass of one example, laid out as the course derives it (docs/backward-neuron.md).

``explain(net, x, y)`` runs both backward paths on one example and writes out,
from the output layer back to layer 1 and then to the input, every per-element
equation with its ID (see :mod:`tinybackprop.show.equations`), its symbolic form in
the site's notation and its numbers, such as
``[bwd.gW] dL/dW^[3]_{1,1} = a^[2]_1 * g^[3z] = `` the two numbers ``=`` their
product; then the same layer by layer in matrix form (``g^[lz] = phi'(z^[l]) o g^[la]``,
``g^[lW] = (a^[l-1])^T g^[lz]``, ...) and the worst relative difference
between the two paths.  Every number shown is read from what the paths
computed: :func:`tinybackprop.per_neuron.backward` for the per-element steps,
:func:`tinybackprop.vectorized.backward` for the matrix ones, their forward
passes for ``z`` and ``a``, and the network's own activation derivative for
``phi'(z)``.  Nothing is recomputed another way.

==============================  ===============================================
``explain(net, x, y, fmt)``     the pass as text (``fmt="text"``) or Markdown
                                with LaTeX math (``fmt="markdown"``)
``explain_steps(net, x, y)``    the same steps as dicts: ``id``, ``symbolic``,
                                ``numbers``, ``value``, ``target``, ...
==============================  ===============================================

``x`` and ``y`` are one example: flat lists or 1 x n rows.  Equations:
docs/worked-examples.md shows this output for the course's three example networks.

>>> from tinybackprop import Network
>>> net = Network([2, 1], output="identity", loss="squared_error")
>>> net.W[1] = [[1.0], [2.0]]
>>> print(explain(net, [1.0, 1.0], [2.0]).splitlines()[-2])  # doctest: +ELLIPSIS
per_neuron.backward and vectorized.backward agree: worst relative difference 0 (W^[1..1], ...
"""
import math

from .. import gradcheck, per_neuron, vectorized
from ..errors import BackpropError
from ..matrix import isint
from .equations import EQUATIONS
from ..losses import is_canonical
from ..network import check_call
from .jupyter import explanation

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


def _n(v, tex):
    """A number inside an expression: a negative one in parentheses, so a factor reads
    the same wherever it stands."""
    s = _tex_num(v) if tex else _num(v)
    return "(" + s + ")" if v < 0 else s


def _mat(M, tex):
    if tex:
        rows = [" & ".join(_tex_num(v) for v in row) for row in M]
        return "\\begin{bmatrix} " + " \\\\ ".join(rows) + " \\end{bmatrix}"
    return "[" + ", ".join("[" + ", ".join(_num(v) for v in row) + "]" for row in M) + "]"


def _value(v, tex):
    if isinstance(v, list):
        return _mat(v, tex)
    return _tex_num(v) if tex else _num(v)


# -- one notation, rendered two ways ----------------------------------------------------
# Every expression is written once, in the text notation the text format shows
# (a^[2]_1, W^[3]_{1,1}, g^[3z], dL/dz^[2]_1, yhat, phi'_h(z^[1]_2), *, o, /, sum_k);
# :func:`_tex` renders it as LaTeX for the Markdown format.  Numbers are filled in
# afterwards, formatted for each rendering (:func:`_fill`).

def _is_letter(c):
    return ("a" <= c <= "z") or ("A" <= c <= "Z")


def _name_at(s, i, after_d=False):
    """(base, superscript, subscript, end) of the name starting at s[i] (``a^[2]_1``,
    ``W^[3]_{1,2}``, ``yhat_k``, ``g^[3z]``), or None.  Plain string scanning: the
    pages run this module on MicroPython, whose ``re`` has no look-arounds."""
    if i > 0 and not after_d and (_is_letter(s[i - 1]) or s[i - 1] == "\\"):
        return None
    base = "yhat" if s.startswith("yhat", i) else s[i]
    j = i + len(base)
    if not _is_letter(base[0]) or (j < len(s) and (_is_letter(s[j]) or s[j] == "'")):
        return None
    sup = sub = None
    if s.startswith("^[", j):
        k = s.index("]", j)
        sup, j = s[j + 2:k], k + 1
    if s.startswith("_{", j):
        k = s.index("}", j)
        sub, j = s[j + 2:k], k + 1
    elif s.startswith("_", j):
        k = j + 1
        while k < len(s) and (s[k].isdigit() or _is_letter(s[k])):
            k += 1
        if k > j + 1:
            sub, j = s[j + 1:k], k
    return base, sup, sub, j


def _tex_name(base, sup, sub):
    out = {"yhat": "\\hat{y}", "L": "\\mathcal{L}" if sup is None and sub is None else "L"}.get(base, base)
    if sub is not None:
        out += "_%s" % sub if len(sub) == 1 and _is_letter(sub) else "_{%s}" % sub
    if sup is not None:
        out += "^{[%s]}" % sup
    return out


def _tex_names(s):
    """Every name of ``s`` in LaTeX, ``dL/dq`` as a fraction of partial derivatives."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":  # a LaTeX command already made: copied as it is
            j = i + 1
            while j < len(s) and _is_letter(s[j]):
                j += 1
            out.append(s[i:j])
            i = j
            continue
        if s.startswith("dL/d", i) and _name_at(s, i + 4, True):
            base, sup, sub, j = _name_at(s, i + 4, True)
            out.append("\\frac{\\partial \\mathcal{L}}{\\partial %s}" % _tex_name(base, sup, sub))
            i = j
            continue
        found = _name_at(s, i)
        if found:
            out.append(_tex_name(*found[:3]))
            i = found[3]
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _delta(s):
    """``delta_kj`` and ``delta_1,k`` as ``\\delta_{kj}`` and ``\\delta_{1 k}``."""
    while "delta_" in s and "\\delta_" not in s:
        k = s.index("delta_") + 6
        e = k
        while e < len(s) and s[e] not in " )":
            e += 1
        s = s[:k - 6] + "\\delta_{%s}" % s[k:e].replace(",", " ") + s[e:]
    return s


def _times(s):
    """``3 x 1`` (a shape) as ``3 \\times 1``."""
    parts = s.split(" x ")
    out = parts[0]
    for p in parts[1:]:
        out += (" \\times " if out[-1:].isdigit() and p[:1].isdigit() else " x ") + p
    return out


def _group(s, i, step):
    """The end (step -1: the start) of the operand of `` / `` next to index ``i``: a
    bracketed group, or a run of characters up to a space or bracket."""
    if s[i] in ")(" and s[i] == (")" if step < 0 else "("):
        depth = 0
        while True:
            depth += 1 if s[i] in "([" else -1 if s[i] in ")]" else 0
            if depth == 0:
                return i
            i += step
    while 0 <= i + step < len(s) and s[i + step] not in " ()":
        i += step
    return i


def _fractions(s):
    """``A / B`` as ``\\frac{A}{B}``, a bracketed operand without its brackets."""
    while " / " in s:
        k = s.index(" / ")
        a0, b1 = _group(s, k - 1, -1), _group(s, k + 3, 1)
        if s[a0] == "-":  # a sign stays in front: -y / yhat is -(y / yhat)
            a0 += 1
        a, b = s[a0:k], s[k + 3:b1 + 1]
        a, b = (a[1:-1] if a[:1] == "(" else a), (b[1:-1] if b[:1] == "(" else b)
        s = s[:a0] + "\\frac{%s}{%s}" % (a, b) + s[b1 + 1:]
    return s


def _tex(s, matrix=False):
    r"""The LaTeX of an expression in the text notation; ``matrix``: ``/`` divides
    element by element (``\oslash``) instead of making a fraction.

    >>> _tex("dL/dW^[3]_{1,1} = a^[2]_1 * g^[3z]")
    '\\frac{\\partial \\mathcal{L}}{\\partial W_{1,1}^{[3]}} = a_{1}^{[2]} \\cdot g^{[3z]}'
    >>> _tex("(yhat - y) / (yhat (1 - yhat))"), _tex("-y / yhat", matrix=True)
    ('\\frac{\\hat{y} - y}{\\hat{y} (1 - \\hat{y})}', '-y \\oslash \\hat{y}')
    """
    if s == "o":  # the operator itself, named in a note
        return "\\circ"
    s = s.replace(" / ", " \\oslash ") if matrix else _fractions(s)
    s = s.replace("1/2 ", "\\frac{1}{2} ").replace("softmax(", "\\operatorname{softmax}(")
    if "sum_k [" in s:
        s = s.replace("sum_k [", "sum_k \\left[")
        k = s.rfind("]")
        s = s[:k] + "\\right]" + s[k + 1:]
    s = _delta(s.replace("sum_k", "\\sum_k").replace("log", "\\log").replace("phi'", "\\varphi'"))
    s = _times(s).replace(" * ", " \\cdot ").replace(" o ", " \\circ ")
    return _tex_names(s)


def _both(s, matrix=False):
    """(text, LaTeX) of an expression in the text notation."""
    return (s, _tex(s, matrix))


class _Bare:
    """A number filled in as it is, never bracketed (a relu's ``[z > 0]``)."""

    def __init__(self, v):
        self.v = v


def _fill(template, values, matrix=False):
    """(text, LaTeX) of ``template`` (the text notation, ``%s`` for each value) with
    the values formatted for each: numbers (negative ones in brackets), or matrices."""
    def fmt(v, tex):
        if isinstance(v, list):
            return _mat(v, tex)
        if isinstance(v, _Bare):
            return _tex_num(v.v) if tex else _num(v.v)
        return _n(v, tex)
    return (template % tuple(fmt(v, False) for v in values),
            _tex(template, matrix) % tuple(fmt(v, True) for v in values))


def _note(text):
    r"""(text, Markdown) of a note: math between backticks, rendered as ``$...$``;
    code (an equation ID) between double backticks.

    >>> _note("`a^[1]_2` feeds the `3 x 1` column of ``bwd.gW``")
    ('a^[1]_2 feeds the 3 x 1 column of bwd.gW', '$a_{2}^{[1]}$ feeds the $3 \\times 1$ column of `bwd.gW`')
    """
    plain, md = [], []
    for k, chunk in enumerate(text.split("``")):
        if k % 2:  # code
            plain.append(chunk)
            md.append("`%s`" % chunk)
            continue
        for n, part in enumerate(chunk.split("`")):
            plain.append(part)
            md.append("$%s$" % _tex(part) if n % 2 else part)
    return "".join(plain), "".join(md)


class _Names:
    """Names in the text notation: a^[l]_i, W^[l]_{i,j}, dL/dz^[l]_j, ... (0-based indices in)."""

    def __init__(self, net):
        self.L = net.L
        self.sizes = net.sizes

    def a(self, l, i):
        return "a^[%d]_%d" % (l, i + 1)

    def z(self, l, i):
        return "z^[%d]_%d" % (l, i + 1)

    def W(self, l, i, j):
        return "W^[%d]_{%d,%d}" % (l, i + 1, j + 1)

    def yhat(self, j):
        return "yhat" if self.sizes[-1] == 1 else "yhat_%d" % (j + 1)

    def y(self, j):
        return "y" if self.sizes[-1] == 1 else "y_%d" % (j + 1)

    def dz(self, l, j):
        return "g^[%dz]" % l if self.sizes[l] == 1 else "dL/d" + self.z(l, j)

    def da(self, l, j):
        if l == 0:
            return self.dx(j)
        return "g^[%da]" % l if self.sizes[l] == 1 else "dL/d" + self.a(l, j)

    def dW(self, l, i, j):
        return "dL/d" + self.W(l, i, j)

    def db(self, l, j):
        return "dL/db^[%d]_%d" % (l, j + 1)

    def dx(self, i):
        return "dL/dx_%d" % (i + 1)

    def gprime(self, l, j):
        return "phi'_%s(%s)" % ("o" if l == self.L else "h", self.z(l, j))


# -- the steps -------------------------------------------------------------------------

def _step(out, part, layer, eq_id, lhs, rhs, numbers, value, target, operands, note=None):
    """One step: ``lhs`` and ``rhs`` in the text notation, ``numbers`` a (text, LaTeX)
    pair from :func:`_fill` (or None), ``note`` in the text notation of :func:`_note`."""
    if eq_id not in EQUATIONS:  # a typo here would break the docs' cross-references
        raise BackpropError("explain: unknown equation ID %r" % eq_id)
    matrix = part == "matrix"
    lhs, rhs = _both(lhs, matrix), _both(rhs, matrix)
    out.append({
        "part": part, "layer": layer, "id": eq_id,
        "lhs": lhs, "rhs": rhs, "nums": numbers,
        "symbolic": lhs[0] + " = " + rhs[0],
        "numbers": (numbers[0] + " = " if numbers else "") + _value(value, False),
        "latex": " = ".join([lhs[1], rhs[1]] + ([numbers[1]] if numbers else []) + [_value(value, True)]),
        "value": value, "target": target, "operands": operands, "note": _note(note) if note else None,
    })


_CANONICAL_NOTE = {  # why g^[Lz] of a canonical pair is yhat - y, per output
    "sigmoid": "a canonical pair: `phi'_o(z) = yhat (1 - yhat)` cancels the denominator of "
               "`g^[La] = (yhat - y) / (yhat (1 - yhat))`, leaving `yhat - y`; the same number, without "
               "dividing by an output that may round to 0 or 1",
    "softmax": "a canonical pair: the softmax Jacobian times `-y / yhat` sums to `yhat - y`, because the "
               "targets sum to 1",
    "identity": "a canonical pair: `phi'_o = 1` and `dL/dyhat = yhat - y` already",
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
    """phi'(z_j) of an element-wise activation, as the paths use it: act.d(z, a)."""
    at, zt = names.a(l, j), names.z(l, j)
    rhs, nums = {
        "sigmoid": ("%s (1 - %s)" % (at, at), _fill("%s * (1 - %s)", [a, a])),
        "tanh": ("1 - (%s)^2" % at, _fill("1 - %s^2", [a])),
        "relu": ("[%s > 0]" % zt, _fill("[%s > 0]", [_Bare(z)])),
    }.get(act.name, ("1", None))  # identity
    return "act.%s.d" % act.name, rhs, nums, act.d(z, a)


def _loss_derivative(loss, yh, yv, names, j):
    """dl/dyhat_j for one example: the symbolic form of the loss derivative and its numbers."""
    h, y = names.yhat(j), names.y(j)
    if loss == "bce":
        return "(%s - %s) / (%s (1 - %s))" % (h, y, h, h), _fill("(%s - %s) / (%s * (1 - %s))", [yh, yv, yh, yh])
    if loss == "squared_error":
        return "%s - %s" % (h, y), _fill("%s - %s", [yh, yv])
    return "-%s / %s" % (y, h), _fill("-%s / %s", [yv, yh])


def _sum_terms(pairs, names_pairs):
    """sum_k u_k * v_k: symbolic (from name pairs) and numbers (from value pairs)."""
    return (" + ".join("%s * %s" % uv for uv in names_pairs),
            _fill(" + ".join(["%s * %s"] * len(pairs)), [x for uv in pairs for x in uv]))


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
                      ("g_a", L, j), [(("a", L, j), yh), (("y", j), yv)], note="``loss.%s.d`` with `m = 1`" % net.loss)
            else:
                n_next = sizes[l + 1]
                pairs = [(net.W[l + 1][j][k], g.g_z[l + 1][0][k]) for k in range(n_next)]
                sym, nums = _sum_terms(pairs, [(names.W(l + 1, j, k), names.dz(l + 1, k)) for k in range(n_next)])
                _step(out, part, l, "bwd.ga", names.da(l, j), sym, nums, g.g_a[l][0][j], ("g_a", l, j),
                      [(("weight", l + 1, j, k), pairs[k][0]) for k in range(n_next)]
                      + [(("g_z", l + 1, k), pairs[k][1]) for k in range(n_next)],
                      note="`%s` feeds the %d neurons of layer %d: one flow back from each, summed"
                           % (names.a(l, j), n_next, l + 1) if n_next > 1 else None)
            if act.is_softmax:
                n = sizes[L]
                terms = [(a[L][0][k], (1.0 if k == j else 0.0) - a[L][0][j], g.g_a[L][0][k]) for k in range(n)]
                _step(out, part, l, "bwd.gz_softmax", names.dz(L, j),
                      "sum_k a^[%d]_k (delta_%d,k - a^[%d]_%d) dL/da^[%d]_k" % (L, j + 1, L, j + 1, L),
                      _fill(" + ".join(["%s * %s * %s"] * n), [v for t in terms for v in t]),
                      g.g_z[L][0][j], ("g_z", L, j),
                      [(("a", L, k), terms[k][0]) for k in range(n)] + [(("g_a", L, k), terms[k][2]) for k in range(n)],
                      note="`z^[%d]_%d` moves every output of the softmax: one flow back from each, summed"
                           % (L, j + 1))
            else:
                eq, rhs, nums, d = _local_derivative(act, z[l][0][j], a[l][0][j], names, l, j)
                _step(out, part, l, eq, names.gprime(l, j), rhs, nums, d, ("gprime", l, j),
                      [(("a", l, j), a[l][0][j]), (("z", l, j), z[l][0][j])])
                _step(out, part, l, "bwd.gz", names.dz(l, j), "%s * %s" % (names.gprime(l, j), names.da(l, j)),
                      _fill("%s * %s", [d, g.g_a[l][0][j]]), g.g_z[l][0][j], ("g_z", l, j),
                      [(("gprime", l, j), d), (("g_a", l, j), g.g_a[l][0][j])])
            if l == L and canonical:
                yh, yv = a[L][0][j], Y[0][j]
                _step(out, part, l, "bwd.out", names.dz(L, j), "%s - %s" % (names.yhat(j), names.y(j)),
                      _fill("%s - %s", [yh, yv]), g.g_z[L][0][j], ("g_z", L, j),
                      [(("a", L, j), yh), (("y", j), yv)], note=_CANONICAL_NOTE[net.output])
            for i in range(sizes[l - 1]):
                ai, gz = a[l - 1][0][i], g.g_z[l][0][j]
                _step(out, part, l, "bwd.gW", names.dW(l, i, j), "%s * %s" % (names.a(l - 1, i), names.dz(l, j)),
                      _fill("%s * %s", [ai, gz]), g.W[l][i][j], ("W", l, i, j),
                      [(("a", l - 1, i), ai), (("g_z", l, j), gz)])
            _step(out, part, l, "bwd.gb", names.db(l, j), names.dz(l, j), None, g.b[l][0][j], ("b", l, j),
                  [(("g_z", l, j), g.g_z[l][0][j])])
    for i in range(sizes[0]):
        pairs = [(net.W[1][i][k], g.g_z[1][0][k]) for k in range(sizes[1])]
        sym, nums = _sum_terms(pairs, [(names.W(1, i, k), names.dz(1, k)) for k in range(sizes[1])])
        _step(out, "neuron", 0, "bwd.ga", names.dx(i), sym, nums, g.x[0][i], ("x", i),
              [(("weight", 1, i, k), pairs[k][0]) for k in range(sizes[1])]
              + [(("g_z", 1, k), pairs[k][1]) for k in range(sizes[1])],
              note="the gradient with respect to the input: `dL/dx = g^[0a]`")


def _matrix_steps(net, X, Y, f, g, out):
    """Matrix steps from layer L back, values from vectorized.backward."""
    L, sizes = net.L, net.sizes
    z, a = f.z, f.a
    part = "matrix"

    def G(l, k):
        return "g^[%d%s]" % (l, k)

    loss_sym = {"bce": "(yhat - y) / (yhat o (1 - yhat))", "squared_error": "yhat - y",
                "cross_entropy": "-y / yhat"}[net.loss]
    _step(out, part, L, "bwd.ga_out.mat", G(L, "a"), loss_sym, None, g.g_a[L], ("g_a", L),
          [(("a", L), a[L]), (("y",), Y)], note="element by element, with `m = 1`")
    if is_canonical(net.output, net.loss):
        _step(out, part, L, "bwd.out.mat", G(L, "z"), "yhat - y", _fill("%s - %s", [a[L], Y], True),
              g.g_z[L], ("g_z", L), [(("a", L), a[L]), (("y",), Y)])
    elif net.phi_o.is_softmax:
        from ..activations import softmax_jacobian
        J = softmax_jacobian(a[L][0])
        _step(out, part, L, "bwd.gz_softmax.mat", G(L, "z"), G(L, "a") + " J", _fill("%s %s", [g.g_a[L], J], True),
              g.g_z[L], ("g_z", L), [(("g_a", L), g.g_a[L]), (("J", L), J)],
              note="`J` is the softmax Jacobian, `J_kj = a_k (delta_kj - a_j)`")
    else:
        d = [[net.phi_o.d(zz, aa) for zz, aa in zip(z[L][0], a[L][0])]]
        _step(out, part, L, "bwd.gz.mat", G(L, "z"), "phi'_o(z^[%d]) o %s" % (L, G(L, "a")),
              _fill("%s o %s", [d, g.g_a[L]], True), g.g_z[L], ("g_z", L),
              [(("gprime", L), d), (("g_a", L), g.g_a[L])])
    for l in range(L, 0, -1):
        aT = [[v] for v in a[l - 1][0]]
        _step(out, part, l, "bwd.gW.mat", G(l, "W"), "(a^[%d])^T %s" % (l - 1, G(l, "z")),
              _fill("%s %s", [aT, g.g_z[l]], True), g.W[l], ("W", l), [(("a", l - 1), a[l - 1]), (("g_z", l), g.g_z[l])],
              note="a `%d x 1` column times a `1 x %d` row: the `%d x %d` shape of `W^[%d]`"
                   % (sizes[l - 1], sizes[l], sizes[l - 1], sizes[l], l))
        _step(out, part, l, "bwd.gb.mat", G(l, "b"), G(l, "z"), None, g.b[l], ("b", l),
              [(("g_z", l), g.g_z[l])], note="one example: the sum over the batch rows is the row itself")
        WT = [list(col) for col in zip(*net.W[l])]
        _step(out, part, l, "bwd.ga.mat", G(l - 1, "a") if l > 1 else G(0, "a") + " = dL/dx",
              "%s (W^[%d])^T" % (G(l, "z"), l), _fill("%s %s", [g.g_z[l], WT], True),
              g.g_a[l - 1], ("g_a", l - 1) if l > 1 else ("x",), [(("g_z", l), g.g_z[l]), (("weight", l), net.W[l])])
        if l > 1:
            d = [[net.phi_h.d(zz, aa) for zz, aa in zip(z[l - 1][0], a[l - 1][0])]]
            _step(out, part, l - 1, "bwd.gz.mat", G(l - 1, "z"), "phi'_h(z^[%d]) o %s" % (l - 1, G(l - 1, "a")),
                  _fill("%s o %s", [d, g.g_a[l - 1]], True), g.g_z[l - 1], ("g_z", l - 1),
                  [(("gprime", l - 1), d), (("g_a", l - 1), g.g_a[l - 1])],
                  note="`o` is the element-wise (Hadamard) product: each `phi'_h(z^[%d]_j)` multiplies its own "
                       "`dL/da^[%d]_j`" % (l - 1, l - 1))


_LOSS_FORMS = {"bce": "-sum_k [(1 - y_k) log(1 - yhat_k) + y_k log yhat_k]",
               "squared_error": "1/2 sum_k (y_k - yhat_k)^2", "cross_entropy": "-sum_k y_k log yhat_k"}


def _forward_steps(net, X, Y, f, g, out):
    L = net.L
    for l in range(1, L + 1):
        act = net.activation(l)
        _step(out, "forward", l, "fwd.z.mat", "z^[%d]" % l, "a^[%d] W^[%d] + b^[%d]" % (l - 1, l, l),
              None, f.z[l], ("fz", l), [(("a", l - 1), f.a[l - 1])])
        if act.is_softmax:
            eq, rhs = "fwd.softmax.mat", "softmax(z^[%d])" % l
        else:
            eq, rhs = "fwd.a.mat", "g_%s(z^[%d])" % ("o" if l == L else "h", l)
        _step(out, "forward", l, eq, "a^[%d]" % l, rhs, None, f.a[l], ("fa", l),
              [(("z", l), f.z[l])], note="%s, element by element" % act.name if not act.is_softmax else None)
    _step(out, "forward", L, "loss.%s" % net.loss, "L", _LOSS_FORMS[net.loss], None, g.loss, ("loss",),
          [(("a", L), f.a[L]), (("y",), Y)])


def _check_finite(net, f, g):
    """Every number shown must be one: z, a, the loss, every gradient."""
    named = [("z^[%d]" % l, f.z[l]) for l in range(1, net.L + 1)] + [("a^[%d]" % l, f.a[l]) for l in range(1, net.L + 1)]
    named += [("the loss", [[g.loss]])] + [("g^[%dz]" % l, g.g_z[l]) for l in range(1, net.L + 1)]
    named += [("g^[%da]" % l, g.g_a[l]) for l in range(net.L + 1)]
    named += [("g^[%dW]" % l, g.W[l]) for l in range(1, net.L + 1)]
    for name, rows in named:
        for row in rows or []:
            for v in row:
                if v - v != 0.0:  # NaN or an infinity
                    raise BackpropError("explain: %s is not a finite number (%r) for this example: x (or the "
                                        "weights) too large to compute with" % (name, v))


def _run(net, x, y):
    X, Y = _as_row(x, "x"), _as_row(y, "y")
    check_call(net, X, Y, "explain")  # once, here: the paths below run without the check (their _backward)
    f_n, g_n = per_neuron._backward(net, X, Y, True, True)
    f_v, g_v = vectorized._backward(net, X, Y, True, True)
    _check_finite(net, f_v, g_v)
    steps = []
    _forward_steps(net, X, Y, f_v, g_v, steps)
    _neuron_steps(net, X, Y, f_n, g_n, steps)
    _matrix_steps(net, X, Y, f_v, g_v, steps)
    diff = gradcheck.compare(g_n, g_v, sizes=gradcheck._term_sizes(net, X, Y))
    return X, Y, steps, max(diff.values())


def explain_steps(net, x, y):
    """The steps of :func:`explain` as a list of dicts, in the order shown.

    Each has ``part`` ("forward", "neuron" or "matrix"), ``layer``, ``id`` (a
    key of ``EQUATIONS``), ``symbolic`` and ``numbers`` (text), ``latex``,
    ``value`` (a float, or a matrix for the matrix steps), ``operands`` (a list
    of (source, value)) and ``target``: where the value lives, e.g. ``("W", l,
    i, j)`` for ``Gradients.W[l][i][j]``, ``("g_z", l, j)``, ``("g_a", l, j)``,
    ``("b", l, j)``, ``("x", i)``; ``("gprime", l, j)`` for phi'(z_j^[l]);
    ``("W", l)``, ``("g_z", l)``, ... for whole matrices; ``("fz", l)``,
    ``("fa", l)``, ``("loss",)`` for the forward pass.  Operand sources:
    ``("a", l, i)``, ``("z", l, i)`` (forward pass), ``("y", j)``,
    ``("weight", l, i, j)`` (``net.W[l][i][j]``), ``("g_z", l, j)``,
    ``("g_a", l, j)``, ``("gprime", l, j)``, and without the last index for
    whole rows.  Indices are 0-based; the text shows them 1-based as the
    site's equations do.

    >>> from tinybackprop import Network
    >>> steps = explain_steps(Network([4, 3, 2, 1], seed=0), [0.1, 0.2, 0.3, 0.4], [1.0])
    >>> [s["id"] for s in steps if s["part"] == "neuron"][:4]
    ['bwd.ga_out', 'act.sigmoid.d', 'bwd.gz', 'bwd.out']
    """
    return _run(net, x, y)[2]


WIDTH = 100  # the longest line of the text format

_LEGEND = (
    "Notation, as on the site's notation page: layers l = 0..L, neurons j = 1..n_l; "
    "z^[l]_j = sum_i W^[l]_{i,j} a^[l-1]_i + b^[l]_j and a^[l]_j = phi(z^[l]_j), phi the activation "
    "(phi_h hidden, phi_o output) and phi' its derivative; yhat = a^[L]. "
    "dL/dq is the partial derivative of the loss L by q. g^[la], g^[lz], g^[lW], g^[lb] are the "
    "names for all of layer l's dL/da^[l]_j, dL/dz^[l]_j, dL/dW^[l]_{i,j}, dL/db^[l]_j "
    "at once: g^[la] is the gradient with respect to layer l's activations, a row; in a layer of "
    "one neuron, g^[lz] is the number dL/dz^[l]_1. * multiplies numbers, o is the element-wise "
    "(Hadamard) product, ^T transposes; negative factors are in brackets. Lines starting with # "
    "are notes.",
    "Notation, as on the site's notation page: $z_j^{[l]} = \\sum_i W_{i,j}^{[l]} a_i^{[l-1]} + b_j^{[l]}$, "
    "$a_j^{[l]} = \\varphi(z_j^{[l]})$ with $\\varphi$ the activation ($\\varphi_h$ hidden, $\\varphi_o$ "
    "output) and $\\varphi'$ its derivative, $\\hat{y} = a^{[L]}$. $g^{[la]}$, $g^{[lz]}$, $g^{[lW]}$, $g^{[lb]}$ are "
    "the names for all of layer $l$'s partial derivatives "
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


def explain(net, x, y, fmt="text", links=None, level=2):
    """One backward pass of the example (x, y) through ``net``, as the course derives it.

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
