"""How gradients flow through a deep network at the start of training, and what the start does to it.

The numbers behind the page "Initialisation and the flow of gradients",
computed by the package's own forward and backward passes:

===============================  ==============================================================
``deep_network(hidden, init)``   a 10-layer network (L = 10), 32 neurons wide, one sigmoid output
``probe_batch()``                the seeded batch it is measured on: X ~ N(0, 1), y = [x_1 > 0]
``flow(net, X, Y)``              per layer: the norm of g^[lW] (l = 1..L), the spread of a^[l] (l < L)
``flow_table()``                 ``flow`` for every activation and every start of ``STARTS``
``figure(table, quantity)``      the table drawn: layers on the x axis, log scale, one SVG
``dead_units(net, X)``           per hidden layer, the relu neurons that are 0 on every row
``zero_init_run()``              an all-zero start, trained: its hidden neurons stay equal
``dead_relu_run(lr)``            dead relu units before and after training on the moons
``zero_or_random(init)``         test accuracy on the moons of a 2-4-1 sigmoid network so started
===============================  ==============================================================

>>> net = deep_network("tanh", "xavier")
>>> X, Y = probe_batch()
>>> r = flow(net, X, Y)
>>> len(r["g_W"]), len(r["a_std"])
(10, 9)
"""
import math

from .. import activations, vectorized
from ..errors import BackpropError, show
from ..init import check_init
from ..matrix import check_matrix, finite_number, isint
from ..network import MAX_LAYERS, Network
from ..rng import Random
from .boundary import coord as _num
from .svg import FONT, NS, check_size, escape

DEPTH, WIDTH, ROWS = 10, 32, 64
#: The most numbers :func:`probe_batch` draws (rows x width), and the most starts and
#: activations :func:`flow_table` and :func:`figure` compare (each is a network measured).
MAX_PROBE = 10 ** 6
MAX_STARTS = 10
ACTIVATIONS = ("sigmoid", "tanh", "relu")
#: The starts compared: (init, init_scale, label, colour).
STARTS = (("xavier", 1.0, "Xavier (Glorot)", "#1b9e77"),
          ("he", 1.0, "He", "#a6761d"),
          ("normal", 1.0, "N(0, 1)", "#e7298a"),
          ("normal", 0.01, "N(0, 0.01\u00b2)", "#666666"))


def deep_network(hidden, init, init_scale=1.0, depth=DEPTH, width=WIDTH, seed=0):
    """``depth`` layers of weights: ``width`` inputs, ``depth - 1`` hidden layers
    of ``width`` neurons with activation ``hidden``, one sigmoid output, bce.

    >>> deep_network("relu", "he").sizes[:3], deep_network("relu", "he").L
    ([32, 32, 32], 10)
    """
    if not isint(depth) or not 1 <= depth <= MAX_LAYERS or not isint(width) or width < 1:
        raise BackpropError("deep_network: depth must be an int from 1 to %d and width an int >= 1, got %s and %s"
                            % (MAX_LAYERS, show(depth), show(width)))
    return Network([width] * depth + [1], hidden=hidden, output="sigmoid", loss="bce", seed=seed, init=init,
                   init_scale=init_scale)


def probe_batch(rows=ROWS, width=WIDTH, seed=1):
    """``(X, Y)``: ``rows`` inputs drawn from N(0, 1), the label 1 where x_1 > 0.

    >>> X, Y = probe_batch(rows=3, width=2); len(X), Y[0][0] in (0.0, 1.0)
    (3, True)
    """
    if not isint(rows) or not isint(width) or rows < 1 or width < 1 or rows * width > MAX_PROBE:
        raise BackpropError("probe_batch: rows and width must be ints >= 1, at most %d numbers in all, got %s and %s"
                            % (MAX_PROBE, show(rows), show(width)))
    rng = Random(seed)
    X = [[rng.gauss(0.0, 1.0) for _ in range(width)] for _ in range(rows)]
    return X, [[1.0 if x[0] > 0 else 0.0] for x in X]


def std(M):
    """The standard deviation of all the entries of a matrix (divided by their count).

    >>> std([[1.0, 3.0], [1.0, 3.0]])
    1.0
    """
    check_matrix(M, "std", "M")
    xs = [float(v) for row in M for v in row]
    mean = sum(xs) / len(xs)
    return math.sqrt(sum((v - mean) ** 2 for v in xs) / len(xs))


def flow(net, X, Y):
    """``{"g_W": [...], "a_std": [...]}``, entry l - 1 for layer l: the
    Frobenius norm sqrt(sum_ij (g^[lW]_ij)^2) of the gradient of the mean loss
    (l = 1..L), and the standard deviation of the entries of the hidden
    activations a^[l] over the batch (l = 1..L-1).

    >>> from tinybackprop import Network
    >>> r = flow(Network([2, 2, 1], seed=0), [[1.0, 0.0], [0.0, 1.0]], [[1.0], [0.0]])
    >>> [v > 0 for v in r["g_W"]]
    [True, True]
    """
    f = vectorized.forward(net, X)
    g = vectorized.backward(net, X, Y)
    return {"g_W": [math.sqrt(sum(v * v for row in g.W[l] for v in row)) for l in range(1, net.L + 1)],
            "a_std": [std(f.a[l]) for l in range(1, net.L)]}


_CACHE = {}


def _remember(key, value):
    """Keep ``value`` in the cache of the site's numbers (a few dozen entries at most)."""
    if len(_CACHE) >= 64:
        _CACHE.clear()
    _CACHE[key] = value
    return value


def _check_compared(hidden, starts, op):
    """``hidden`` (activation names) and ``starts`` ((init, init_scale, label, colour) each) as
    tuples, after checking them: at most ``MAX_STARTS`` of each, the labels different."""
    if not isinstance(hidden, (list, tuple)) or not 1 <= len(hidden) <= MAX_STARTS or not all(
            isinstance(h, str) and h in activations.HIDDEN for h in hidden):
        raise BackpropError("%s: hidden must be a list of 1 to %d of %s, got %s"
                            % (op, MAX_STARTS, ", ".join(activations.HIDDEN), show(hidden)))
    if not isinstance(starts, (list, tuple)) or not 1 <= len(starts) <= MAX_STARTS:
        raise BackpropError("%s: starts must be a list of 1 to %d (init, init_scale, label, colour), got %s"
                            % (op, MAX_STARTS, show(starts)))
    out = []
    for start in starts:
        if (not isinstance(start, (list, tuple)) or len(start) != 4 or not isinstance(start[2], str)
                or not isinstance(start[3], str)):
            raise BackpropError("%s: each start must be (init, init_scale, label, colour), got %s" % (op, show(start)))
        check_init(start[0], start[1], op)
        out.append(tuple(start))
    if len(set(s[2] for s in out)) != len(out):
        raise BackpropError("%s: the starts' labels must differ, got %s" % (op, show([s[2] for s in out])))
    return tuple(hidden), tuple(out)


def flow_table(hidden=ACTIVATIONS, starts=STARTS):
    """``{(hidden, label): flow(...)}`` on :func:`probe_batch`, every activation
    under every start.

    >>> t = flow_table(hidden=("tanh",), starts=STARTS[:1])
    >>> sorted(t)
    [('tanh', 'Xavier (Glorot)')]
    """
    hidden, starts = _check_compared(hidden, starts, "flow_table")
    key = ("flow", hidden, starts)
    if key not in _CACHE:  # a page asks for the figure and for numbers from it
        X, Y = probe_batch()
        _remember(key, dict(((h, label), flow(deep_network(h, init, scale), X, Y))
                            for h in hidden for init, scale, label, _ in starts))
    return _CACHE[key]


def _decades(values):
    """(lo, hi): the powers of ten around the positive finite values (-1, 0 when there are none)."""
    pos = [v for v in values if 0 < v < float("inf")]
    if not pos:
        return -1, 0
    lo, hi = math.floor(math.log10(min(pos))), math.ceil(math.log10(max(pos)))
    return lo, max(hi, lo + 1)


def _check_table(table, hidden, starts):
    """Refuse a table that lacks a line of the figure or holds something else than numbers."""
    for h in hidden:
        for _, _, label, _ in starts:
            r = table.get((h, label)) if isinstance(table, dict) else None
            if not isinstance(r, dict) or not all(
                    isinstance(r.get(k), list) and 1 <= len(r[k]) <= MAX_LAYERS
                    and all(isinstance(v, float) or finite_number(v) for v in r[k]) for k in ("g_W", "a_std")):
                raise BackpropError("figure: the table has no lists of numbers g_W and a_std for (%s, %s)"
                                    % (show(h), show(label)))


QUANTITIES = (("g_W", "\u2016g^[lW]\u2016, the gradient's size"), ("a_std", "std of a^[l], the spread"))


def figure(table=None, hidden=ACTIVATIONS, starts=STARTS, quantity=None):
    """One SVG: for each activation, the norm of g^[lW] and the spread of a^[l] against the
    layer l, on a log scale, side by side; with ``quantity`` (``"g_W"`` or ``"a_std"``) only
    that one, the activations one under the other (narrow enough for a phone).  Each line
    carries its numbers in ``data-values`` (for a test to recompute).

    >>> svg = figure(flow_table(hidden=("relu",)), hidden=("relu",))
    >>> svg.count("<polyline")
    8
    >>> figure(flow_table(hidden=("relu",)), hidden=("relu",), quantity="g_W").count("<polyline")
    4
    """
    hidden, starts = _check_compared(hidden, starts, "figure")
    table = table if table is not None else flow_table(hidden, starts)
    _check_table(table, hidden, starts)
    shown = [q for q in QUANTITIES if quantity is None or q[0] == quantity]
    pw, ph, left, gap, row_h = 250, 160, 58, 70, 226
    top = 100 if len(shown) == 1 else 62
    width = left + len(shown) * pw + (len(shown) - 1) * gap + 20
    height = top + row_h * len(hidden) + 4
    check_size(width, height, "figure", "compare fewer activations")
    title = ("Gradient and activation sizes, layer by layer, at the start" if quantity is None
             else "%s, layer by layer, at the start" % shown[0][1])
    out = ['<svg xmlns="%s" width="%d" height="%d" viewBox="0 0 %d %d" %s>' % (NS, width, height, width, height, FONT),
           "<title>%s</title>" % escape(title),
           '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (width, height),
           '<text x="%s" y="20" font-size="15" font-weight="bold" text-anchor="middle">%s</text>'
           % (_num(width / 2.0), escape(title))]
    per_row = 2 if len(shown) == 1 else len(starts)
    for k, (_, _, label, colour) in enumerate(starts):  # the legend, on top
        lx = left - 40 + (k % per_row) * (width - left + 20) / per_row
        ly = 44 + 20 * (k // per_row)
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="3"/>'
                   '<text x="%s" y="%s" font-size="13">%s</text>'
                   % (_num(lx), _num(ly - 5), _num(lx + 22), _num(ly - 5), escape(colour), _num(lx + 28), _num(ly),
                      escape(label)))
    for r, h in enumerate(hidden):
        for c, (key, what) in enumerate(shown):
            x0, y0 = left + c * (pw + gap), top + r * row_h
            vals = [v for _, _, label, _ in starts for v in table[(h, label)][key]]
            lo, hi = _decades(vals)
            depth = max([DEPTH] + [len(table[(h, label)][key]) for _, _, label, _ in starts])

            def Y(v):  # a value below the axis (0, NaN) at its foot, an infinite one at its top
                v = min(max(v, 10.0 ** lo), 10.0 ** hi) if v == v else 10.0 ** lo
                return y0 + ph - (math.log10(v) - lo) / (hi - lo) * ph

            def X(l):
                return x0 + (l - 1) / (depth - 1.0) * pw

            out.append('<text x="%s" y="%s" font-size="13" font-weight="bold">%s</text>'
                       % (_num(x0), _num(y0 - 9), escape(h if len(shown) == 1 else "%s: %s" % (h, what))))
            step = max(1, (hi - lo + 4) // 5)
            for e in range(lo, hi + 1):
                out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e3e3e3"/>' % (_num(x0), _num(Y(10.0 ** e)),
                                                                                         _num(x0 + pw), _num(Y(10.0 ** e))))
                if (e - lo) % step == 0:
                    out.append('<text x="%s" y="%s" font-size="13" text-anchor="end">1e%d</text>'
                               % (_num(x0 - 5), _num(Y(10.0 ** e) + 4), e))
            for l in range(1, DEPTH + 1):
                out.append('<text x="%s" y="%s" font-size="13" text-anchor="middle">%d</text>'
                           % (_num(X(l)), _num(y0 + ph + 16), l))
            out.append('<text x="%s" y="%s" font-size="13" text-anchor="middle">layer l</text>'
                       % (_num(x0 + pw / 2.0), _num(y0 + ph + 33)))
            out.append('<rect x="%s" y="%s" width="%d" height="%d" fill="none" stroke="#333333"/>'
                       % (_num(x0), _num(y0), pw, ph))
            for _, _, label, colour in starts:
                v = table[(h, label)][key]
                pts = " ".join("%s,%s" % (_num(X(l + 1)), _num(Y(x))) for l, x in enumerate(v))
                out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2" data-hidden="%s" '
                           'data-start="%s" data-quantity="%s" data-values="%s"><title>%s</title></polyline>'
                           % (pts, escape(colour), escape(h), escape(label), key, " ".join(repr(x) for x in v),
                              escape(label)))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def dead_units(net, X):
    """Per hidden layer l = 1..L-1, how many neurons have z^[l]_j <= 0 on every
    row of ``X``: for relu, a^[l]_j = 0 and relu'(z) = 0 there, so no gradient
    reaches their weights and they never come back.

    >>> from tinybackprop import Network
    >>> net = Network([1, 2, 1], hidden="relu"); net.W[1] = [[1.0, -1.0]]
    >>> dead_units(net, [[1.0], [2.0]])
    [1]
    """
    f = vectorized.forward(net, X)
    return [sum(1 for j in range(net.sizes[l]) if all(row[j] <= 0.0 for row in f.z[l])) for l in range(1, net.L)]


def zero_init_run(X, Y, sizes, hidden="sigmoid", epochs=50, lr=0.5, seed=0):
    """Train a network that starts with every weight 0 (init="zeros"); return
    ``(net, first, history)``: the network after training, the gradients of its
    first step, and the training history.

    >>> net, g, h = zero_init_run([[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]], [2, 3, 1], epochs=2)
    >>> net.W[1][0][0] == net.W[1][0][1] == net.W[1][0][2]
    True
    """
    from ..training import train
    net = Network(sizes, hidden=hidden, output="sigmoid", loss="bce", seed=seed, init="zeros")
    first = vectorized.backward(net, X, Y)
    history = train(net, X, Y, epochs=epochs, lr=lr, batch_size=16, seed=seed)
    return net, first, history


def dead_relu_run(lr, epochs=30, sizes=(2, 32, 32, 1), seed=0):
    """Train a relu network on the moons (200 points, 160 to train on) with
    learning rate ``lr``; return ``(dead before, dead after, test accuracy)``,
    the dead units per hidden layer as :func:`dead_units` counts them on the
    training points.

    >>> before, after, acc = dead_relu_run(0.5, epochs=2)
    >>> len(before), len(after)
    (2, 2)
    """
    _check_run("dead_relu_run", lr, epochs, seed)
    if not isinstance(sizes, (list, tuple)) or not all(isint(n) for n in sizes):
        raise BackpropError("dead_relu_run: sizes must be a list of layer widths (ints), got %s" % show(sizes))
    key = ("dead", lr, epochs, tuple(sizes), seed)
    if key not in _CACHE:
        from ..datasets.planar import planar_task
        from ..training import accuracy, train
        t = planar_task("moons", samples=200, seed=seed)
        net = Network(list(sizes), hidden="relu", seed=seed)
        before = dead_units(net, t.X_train)
        train(net, t.X_train, t.Y_train, epochs=epochs, lr=lr, batch_size=16, seed=seed)
        _remember(key, (before, dead_units(net, t.X_train), accuracy(net, t.X_test, t.Y_test)))
    return _CACHE[key]


def zero_or_random(init, epochs=50, seed=0):
    """Test accuracy of a 2-4-1 sigmoid network started with ``init`` and trained
    for ``epochs`` on the moons (100 points, 80 to train on), learning rate 0.5.

    >>> zero_or_random("zeros", epochs=1) <= 1.0
    True
    """
    _check_run("zero_or_random", 0.5, epochs, seed)
    check_init(init, 1.0, "zero_or_random")
    key = ("zr", init, epochs, seed)
    if key not in _CACHE:
        from ..datasets.planar import planar_task
        from ..training import accuracy, train
        t = planar_task("moons", samples=100, seed=seed)
        net = Network([2, 4, 1], hidden="sigmoid", seed=seed, init=init)
        train(net, t.X_train, t.Y_train, epochs=epochs, lr=0.5, batch_size=16, seed=seed)
        _remember(key, accuracy(net, t.X_test, t.Y_test))
    return _CACHE[key]


def _check_run(op, lr, epochs, seed):
    """The arguments of a cached training run, checked before they make its key."""
    if not finite_number(lr) or not lr > 0:
        raise BackpropError("%s: lr must be a finite number > 0, got %s" % (op, show(lr)))
    if not isint(epochs) or epochs < 1 or not isint(seed):
        raise BackpropError("%s: epochs must be an int >= 1 and seed an int, got %s and %s"
                            % (op, show(epochs), show(seed)))
