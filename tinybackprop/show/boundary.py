"""Decision regions of a classifier with two inputs, drawn as SVG by the network itself.

Every cell of a grid over the plane is coloured by the class the network gives
its centre, shaded by how sure the network is there (the probability of that
class); the data points are drawn on top, coloured by their true class.

=====================================  =============================================================
``regions(net, X, labels, ...)``       the SVG picture: regions, shading, points, axes, legend
``predicted(row)``                     (class, probability) from one output row of the network
``grid(net, box, cells)``              the predicted (class, probability) of every cell centre
``box(X)``                             the drawn part of the plane: the points' range, with margins
``side_by_side(*svgs)``                several SVG pictures in one, left to right
``with_loss(history, net, X, Y)``      the loss curve and the regions side by side (``train --plot``)
``labels(Y)``                          class numbers of target rows (one column: 0/1; one-hot: argmax)
``CLASS_COLORS``                       the colour of class 0, 1, 2, ...
=====================================  =============================================================

>>> from tinybackprop import Network
>>> net = Network([2, 3, 1], seed=0)
>>> svg = regions(net, [[0.0, 1.0], [1.0, 0.0]], [0, 1], cells=10)
>>> svg.startswith("<svg") and svg.count('class="point"') == 2
True
"""
from .svg import FONT, NS, check_side, check_size, escape, fmt, nice_ticks
from ..errors import BackpropError, show
from ..matrix import check_matrix, finite_number, isint
from ..network import check_network
from ..training import predicted_class

#: One colour per class: none of them blue, red, amber or purple, which mean a sign, a highlight
#: and a gradient in every drawing (:mod:`tinybackprop.show.svg`).
CLASS_COLORS = ["#1b9e77", "#a6761d", "#e7298a", "#66a61e", "#666666", "#17becf", "#808000", "#333333",
                "#bf812d", "#01665e"]
#: Shading steps: a cell's opacity grows with the network's certainty in this many steps.
LEVELS = 6
#: The most cells a side of the grid may have (each cell is a forward pass of the network;
#: 400 x 400 is 160,000 of them, finer than the pixels of a picture of the default size).
MAX_CELLS = 400
#: The smallest picture :func:`regions` draws, in px a side (its axes and legend need that much).
MIN_SIZE = 200


def coord(x):
    """An SVG coordinate: at most 2 decimals, no trailing zeros.

    >>> coord(12.3456), coord(3.0), coord(-0.001)
    ('12.35', '3', '0')
    """
    if not finite_number(x):
        raise BackpropError("svg: a number to draw is not finite (%s): the picture would be broken" % show(x))
    s = ("%.2f" % x).rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


_num = coord


def predicted(row):
    """(class, probability) of one output row: a single sigmoid output gives class
    1 when it is at least 0.5; several outputs give the largest.

    >>> predicted([0.8]), predicted([0.1, 0.7, 0.2])
    ((1, 0.8), (1, 0.7))
    """
    if not isinstance(row, (list, tuple)) or not row:
        raise BackpropError("predicted: row must be a non-empty row of outputs, got %s" % show(row))
    k = predicted_class(row)
    if len(row) == 1:
        return k, row[0] if k == 1 else 1.0 - row[0]
    return k, row[k]


def box(X, margin=0.12):
    """(x_min, x_max, y_min, y_max) around the points, ``margin`` of their range
    added on each side, and square (the same range on both axes), so that
    circles look round.  Points all in one place get a small square around them.

    >>> box([[0.0, 0.0], [1.0, 2.0]], margin=0.0)
    (-0.5, 1.5, 0.0, 2.0)
    """
    op = "box"
    m, n = check_matrix(X, op, "X")
    if n < 2:
        raise BackpropError("%s: X must have 2 columns (the points in the plane), it has %d" % (op, n))
    if not finite_number(margin) or not 0 <= margin <= 10:
        raise BackpropError("%s: margin must be a number from 0 to 10, got %s" % (op, show(margin)))
    xs, ys = [float(r[0]) for r in X], [float(r[1]) for r in X]
    cx, cy = min(xs) / 2.0 + max(xs) / 2.0, min(ys) / 2.0 + max(ys) / 2.0  # halves: a sum may pass the float range
    spread = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9, 1e-9 * max(abs(cx), abs(cy)))
    half = spread / 2.0 * (1.0 + 2.0 * margin)
    b = (cx - half, cx + half, cy - half, cy + half)
    if not all(v - v == 0.0 for v in b + (b[1] - b[0],)):
        raise BackpropError("%s: the points spread too far for the float range (the drawn square would span %r); "
                            "scale them down" % (op, spread * (1.0 + 2.0 * margin)))
    return b


def _check_grid(box_, cells, op):
    if not isint(cells) or not 1 <= cells <= MAX_CELLS:
        raise BackpropError("%s: cells must be an int from 1 to %d (cells a side of the grid), got %s"
                            % (op, MAX_CELLS, show(cells)))
    if (not isinstance(box_, (list, tuple)) or len(box_) != 4 or not all(finite_number(v) for v in box_)
            or not (box_[0] < box_[1] and box_[2] < box_[3]) or not finite_number(box_[1] - box_[0])
            or not finite_number(box_[3] - box_[2])):
        raise BackpropError("%s: box must be (x_min, x_max, y_min, y_max), finite with x_min < x_max and y_min < "
                            "y_max, got %s" % (op, show(box_)))


def grid(net, box_, cells):
    """The predicted (class, probability) at each cell centre, row by row from
    the top (largest x2) down, ``cells`` x ``cells`` of them (at most ``MAX_CELLS``).

    >>> from tinybackprop import Network
    >>> len(grid(Network([2, 1]), (0.0, 1.0, 0.0, 1.0), 4))
    4
    """
    check_network(net, "grid")
    if net.sizes[0] != 2:
        raise BackpropError("grid: the network must have 2 inputs (a point in the plane), it has %d" % net.sizes[0])
    _check_grid(box_, cells, "grid")
    return [_grid_row(net, box_, cells, r) for r in range(cells)]


def _grid_row(net, box_, cells, r):
    """Row ``r`` (from the top) of :func:`grid`: one forward pass of ``cells`` points."""
    x0, x1, y0, y1 = box_
    dx, dy = (x1 - x0) / cells, (y1 - y0) / cells
    return [predicted(row) for row in net.predict([[x0 + (c + 0.5) * dx, y1 - (r + 0.5) * dy] for c in range(cells)])]


def _level(p, k):
    """Opacity step 0..LEVELS-1 of probability p among k classes (1/k is a guess)."""
    sure = (p - 1.0 / k) / (1.0 - 1.0 / k) if k > 1 else 1.0
    return min(LEVELS - 1, max(0, int(sure * LEVELS)))


def regions(net, X, labels, classes=None, title="Decision regions", cells=100, size=440):
    """An SVG of the decision regions of ``net`` (2 inputs) over the plane around
    the points ``X`` (m x 2), and the points themselves coloured by ``labels``
    (their true class numbers).  ``classes``: names for the legend.  ``size``: the
    picture's width in px, from ``MIN_SIZE`` to ``svg.MAX_SIDE``; ``cells``: cells a side
    of the grid, from 1 to ``MAX_CELLS`` (each row of cells is one forward pass).

    >>> from tinybackprop import Network
    >>> net = Network([2, 4, 3], output="softmax", loss="cross_entropy", seed=1)
    >>> "class 2" in regions(net, [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]], [0, 1, 2], cells=8)
    True
    """
    op = "regions"
    check_network(net, op)
    if net.sizes[0] != 2:
        raise BackpropError("regions: the network must have 2 inputs to be drawn in the plane, it has %d"
                         % net.sizes[0])
    size = check_side(size, "size", MIN_SIZE, op)
    _check_grid((0.0, 1.0, 0.0, 1.0), cells, op)
    m = net.check_X(X, op)
    if (not isinstance(labels, (list, tuple)) or len(labels) != m
            or not all(isint(lab) and 0 <= lab < 10 ** 9 for lab in labels)):
        raise BackpropError("%s: labels must be one class number (an int >= 0) for each of the %d points, got %s"
                            % (op, m, show(labels)))
    if classes is not None and (not isinstance(classes, (list, tuple)) or not all(isinstance(c, str) for c in classes)):
        raise BackpropError("%s: classes must be None or a list of names (text), got %s" % (op, show(classes)))
    k = max(2, net.sizes[-1])
    names = list(classes) if classes else ["class %d" % c for c in range(k)]
    left, top, plot = 52, 40, size - 52 - 16
    legend_rows = (len(names) + 2) // 3
    height = top + plot + 44 + 20 * legend_rows
    check_size(size, height, op, "give a smaller size or fewer class names")
    b = box(X)
    x0, x1, y0, y1 = b
    cell = float(plot) / cells

    def px(x):
        return left + (x - x0) / (x1 - x0) * plot

    def py(y):
        return top + (y1 - y) / (y1 - y0) * plot

    out = ['<svg xmlns="%s" width="%d" height="%d" viewBox="0 0 %d %d" %s>' % (NS, size, height, size, height, FONT),
           "<title>%s</title>" % escape(title),
           '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (size, height),
           '<text x="%s" y="24" font-size="16" font-weight="bold" text-anchor="middle">%s</text>'
           % (_num(left + plot / 2.0), escape(title)),
           '<g class="regions" shape-rendering="crispEdges" data-cells="%d" data-box="%r %r %r %r">'
           % (cells, x0, x1, y0, y1)]
    for r in range(cells):  # a row of cells at a time: one forward pass each, never the whole grid at once
        row = _grid_row(net, b, cells, r)
        c = 0
        while c < cells:  # one rect per run of cells of the same class and shade
            cls, p = row[c]
            lev = _level(p, k)
            end = c + 1
            while end < cells and row[end][0] == cls and _level(row[end][1], k) == lev:
                end += 1
            out.append('<rect class="cell" x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="%s"/>'
                       % (_num(left + c * cell), _num(top + r * cell), _num((end - c) * cell + 0.01),
                          _num(cell + 0.01), CLASS_COLORS[cls % len(CLASS_COLORS)], "%.2f" % (0.15 + 0.1 * lev)))
            c = end
    out.append("</g>")
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333333"/>' % (left, top, plot, plot))
    out.append('<g class="ticklabels" font-size="11" fill="#333333">')
    for v in nice_ticks(x0, x1):
        if x0 <= v <= x1:
            out.append('<text x="%s" y="%s" text-anchor="middle">%s</text>' % (_num(px(v)), top + plot + 15, fmt(v)))
    for v in nice_ticks(y0, y1):
        if y0 <= v <= y1:
            out.append('<text x="%d" y="%s" text-anchor="end">%s</text>' % (left - 6, _num(py(v) + 4), fmt(v)))
    out.append("</g>")
    out.append('<text x="%s" y="%d" font-size="12" text-anchor="middle">x1</text>' % (_num(left + plot / 2.0),
                                                                                        top + plot + 31))
    out.append('<text x="14" y="%s" font-size="12" text-anchor="middle">x2</text>' % _num(top + plot / 2.0))
    out.append('<g class="points" stroke="#ffffff" stroke-width="1">')
    for row, lab in zip(X, labels):
        out.append('<circle class="point" cx="%s" cy="%s" r="3.6" fill="%s" data-label="%d"/>'
                   % (_num(px(row[0])), _num(py(row[1])), CLASS_COLORS[lab % len(CLASS_COLORS)], lab))
    out.append("</g>")
    out.append('<g class="legend" font-size="12">')
    for i, name in enumerate(names):
        lx, ly = left + (i % 3) * (plot / 3.0), top + plot + 48 + 20 * (i // 3)
        out.append('<circle cx="%s" cy="%s" r="5" fill="%s"/><text x="%s" y="%s">%s</text>'
                   % (_num(lx + 6), _num(ly - 4), CLASS_COLORS[i % len(CLASS_COLORS)], _num(lx + 15), _num(ly),
                      escape(name)))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def side_by_side(*svgs):
    """Several SVG documents in one, left to right, each at its own size.

    >>> from tinybackprop.show.svg import loss_curve
    >>> both = side_by_side(loss_curve([1.0, 0.5]), loss_curve([0.9, 0.4]))
    >>> both.count("<svg") == 3
    True
    """
    parts, x, height = [], 0, 0
    for s in svgs:
        try:
            head, rest = s.split(">", 1)
            w = int(float(head.split(' width="', 1)[1].split('"', 1)[0]))
            h = int(float(head.split(' height="', 1)[1].split('"', 1)[0]))
            ok = s.startswith("<svg ") and s.rstrip().endswith("</svg>")
        except (AttributeError, IndexError, ValueError, OverflowError):
            ok = False
        if not ok:
            raise BackpropError("side_by_side: each picture must be an SVG document (text starting <svg with its width "
                                "and height), got %s" % show(s, 60))
        check_side(w, "a picture's width", 0, "side_by_side")
        check_side(h, "a picture's height", 0, "side_by_side")
        parts.append(head.replace("<svg ", '<svg x="%d" y="0" ' % x, 1) + ">" + rest.rstrip("\n"))
        x += w
        height = max(height, h)
    check_size(x, height, "side_by_side", "put fewer pictures side by side")
    return ('<svg xmlns="%s" width="%d" height="%d" viewBox="0 0 %d %d">\n' % (NS, x, height, x, height)
            + "\n".join(parts) + "\n</svg>\n")


def labels(Y):
    """The class number of each target row: a single column is class 1 where it
    is at least 0.5; one-hot rows give the position of their largest entry.

    >>> labels([[1.0], [0.0]]), labels([[0.0, 1.0, 0.0]])
    ([1, 0], [1])
    """
    check_matrix(Y, "labels", "Y")
    return [predicted(row)[0] for row in Y]


def with_loss(history, net, X, Y, classes=None, title="Decision regions"):
    """The loss curve of a training ``history`` and the decision regions of
    ``net`` with the points ``X`` (targets ``Y``), side by side in one SVG.

    >>> from tinybackprop import Network, train
    >>> net = Network([2, 2, 1], seed=0); X, Y = [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]]
    >>> svg = with_loss(train(net, X, Y, epochs=3, batch_size=2), net, X, Y)
    >>> svg.count("<polyline") >= 1 and svg.count('class="point"') == 2
    True
    """
    from .svg import loss_curve
    return side_by_side(loss_curve(history), regions(net, X, labels(Y), classes, title=title))
