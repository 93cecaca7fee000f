"""The graph of a :class:`tinybackprop.scalar.Value` as SVG: every node with its value, its
gradient and the order in which ``backward`` visits it.

Drawn with the conventions of :mod:`tinybackprop.show.svg` (its font, colours and number
format); used by ``tinybackprop draw --graph`` and by the page "The third way: a graph
of numbers" (docs/graph.md).

=========================  =====================================================
``value_graph(root)``      the graph below ``root``, drawn left to right in columns
                           by depth, the backward visit numbered
``example(kind)``          the warm-up's 1-1-1 network ("111") or a 2-2-1 network
                           ("221") as a graph, loss node on top (``draw --graph``)
=========================  =====================================================
"""
from . import svg
from .. import graph
from ..errors import BackpropError, show
from ..network import Network
from ..scalar import Value, topological


def _num(x):
    """A coordinate with at most 2 decimals, no trailing zeros."""
    s = "%.2f" % x
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _header(width, height, title):
    """The opening of an SVG document of this size, with its title and a white background."""
    return ['<svg xmlns="%s" width="%d" height="%d" viewBox="0 0 %d %d" %s>'
            % (svg.NS, width, height, width, height, svg.FONT),
            "<title>%s</title>" % svg.escape(title),
            '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (width, height)]


_OP = {"*": "\u00d7", "+": "+", "-": "\u2212", "/": "\u00f7", "neg": "\u2212", "sigmoid": "\u03c3",
       "tanh": "tanh", "relu": "relu", "identity": "id", "softmax": "soft", "exp": "exp", "log": "log",
       "loss": "L"}


def _name_text(name, x, y, size=14):
    """A node name as SVG text: ``W^[1]_2,1`` with the [1] raised and the 2,1 lowered."""
    base, _, sub = name.partition("_")
    base, _, sup = base.partition("^")
    out = '<text x="%s" y="%s" font-size="%d" text-anchor="middle">%s' % (_num(x), _num(y), size, svg.escape(base))
    if sup:
        out += '<tspan font-size="%d" dy="-5">%s</tspan>' % (size - 3, svg.escape(sup))
    if sub:
        out += '<tspan font-size="%d" dy="%d">%s</tspan>' % (size - 3, 8 if sup else 4, svg.escape(sub))
    return out + "</text>"


def value_graph(root, title=None, down=False):
    """The graph of a :class:`tinybackprop.scalar.Value`, after its ``backward``:
    one box per node, drawn in columns by depth, left to right (``down=True``: in rows,
    top to bottom, narrow enough for a phone), with its name (or its operation), its value
    above in black, its gradient dL/d(node) below in purple, and in its corner the number
    of its visit in the backward pass (1: the root, which starts it).  A graph too deep or
    too wide for ``svg.MAX_SIDE`` px a side (a chain of more than about 130 steps, more than
    about 190 nodes side by side) is refused before it is laid out.

    >>> from tinybackprop import Network, graph
    >>> G = graph.build(Network([1, 1, 1], seed=3), [[0.5]], [[1.0]])
    >>> G.loss.backward()
    >>> svg = value_graph(G.loss)
    >>> svg.count('class="gnode"'), svg.count('class="gedge"'), svg.count('class="visit"')
    (12, 11, 12)
    >>> value_graph(G.loss, down=True).count('class="gnode"')
    12
    """
    if not isinstance(root, Value):
        raise BackpropError("value_graph: root must be a Value (tinybackprop.scalar), got %s" % show(root))
    order = topological(root)
    visit = dict((id(n), len(order) - k) for k, n in enumerate(order))
    depth, users = {}, {}
    for n in order:
        depth[id(n)] = 1 + max([depth[id(p)] for p, _ in n.parents]) if n.parents else 0
        for p, _ in n.parents:
            users.setdefault(id(p), []).append(n)
    col = {}
    for n in order:  # a leaf stands in the column just before its first user
        col[id(n)] = depth[id(n)] if n.parents else max(0, min(depth[id(u)] for u in users.get(id(n), [n])) - 1)
    ncols = max(col.values()) + 1
    columns = [[] for _ in range(ncols)]
    for n in order:
        columns[col[id(n)]].append(n)
    box_w, box_h = 96, 30
    rows = max(len(c) for c in columns)
    top = (48 if title else 14) + 20
    if down:  # depth goes down the page, the nodes of one depth side by side
        step_x, step_y, left = 120, 92, 16
        width = max(330, left * 2 + step_x * (rows - 1) + box_w)  # room for the legend's two lines
        height = top + step_y * (ncols - 1) + box_h + 60
    else:
        step_x, step_y, left = 124, 84, 20
        width = left * 2 + step_x * (ncols - 1) + box_w
        height = top + step_y * (rows - 1) + box_h + 64
    svg.check_size(width, height, "value_graph", "this graph is %d deep with up to %d nodes side by side; "
                   "draw a smaller graph" % (ncols, rows))
    row = {}
    for sweep in (0, 1):  # place by the parents' rows, then the leaves by their users' rows
        for c in range(ncols):
            def key(n, k):
                near = [p for p, _ in n.parents] if n.parents else (users.get(id(n), []) if sweep else [])
                near = [p for p in near if id(p) in row]
                return (sum(row[id(p)] for p in near) / len(near) if near else -1.0 + k * 1e-3, k)
            ranked = sorted(range(len(columns[c])), key=lambda k: key(columns[c][k], k))
            columns[c] = [columns[c][k] for k in ranked]
            for r, n in enumerate(columns[c]):
                row[id(n)] = r - (len(columns[c]) - 1) / 2.0
    if down:
        mid = left + box_w / 2.0 + step_x * (rows - 1) / 2.0
        pos = dict((id(n), (mid + step_x * row[id(n)], top + box_h / 2.0 + step_y * col[id(n)])) for n in order)
    else:
        mid = top + step_y * (rows - 1) / 2.0 + box_h / 2.0
        pos = dict((id(n), (left + box_w / 2.0 + step_x * col[id(n)], mid + step_y * row[id(n)])) for n in order)
    out = _header(int(width), int(height), title or "computational graph")
    if title:
        out.append('<text x="%s" y="28" font-size="16" font-weight="bold" text-anchor="middle">%s</text>'
                   % (_num(width / 2.0), svg.escape(title)))
    out.append('<defs><marker id="tb-varrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
               'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#888888"/>'
               '</marker></defs>')
    out.append('<g class="gedges" stroke="#888888" stroke-width="1.3" fill="none">')
    for n in order:
        x2, y2 = pos[id(n)]
        for p, _ in n.parents:
            x1, y1 = pos[id(p)]
            if down:  # from below the parent's gradient to above the node's value
                a, b = (x1, y1 + box_h / 2.0 + 21), (x2, y2 - box_h / 2.0 - 19)
            else:
                a, b = (x1 + box_w / 2.0, y1), (x2 - box_w / 2.0 - 2, y2)
            out.append('<line class="gedge" x1="%s" y1="%s" x2="%s" y2="%s" marker-end="url(#tb-varrow)"/>'
                       % (_num(a[0]), _num(a[1]), _num(b[0]), _num(b[1])))
    out.append("</g>")
    for n in order:
        x, y = pos[id(n)]
        label = n.name or _OP.get(n.op, n.op) or svg.fmt(n.data, 3)
        fill = "#e4e4e4" if n is root else ("#ffffff" if n.parents else ("#eef7ee" if n.name else "#f2f2f2"))
        out.append('<g class="gnode"><title>%s (%s) = %.6g; dL/d(node) = %.6g; visited %d%s</title>'
                   % (svg.escape(n.name or "node"), svg.escape(n.op or "leaf"), n.data, n.grad, visit[id(n)],
                      " (first)" if n is root else ""))
        out.append('<rect x="%s" y="%s" width="%d" height="%d" rx="6" fill="%s" stroke="#444444" stroke-width="1.2"/>'
                   % (_num(x - box_w / 2.0), _num(y - box_h / 2.0), box_w, box_h, fill))
        if n.name and n.parents:  # a named operation: its name, the operation in a small circle
            op = _OP.get(n.op, n.op)
            out.append('<circle cx="%s" cy="%s" r="11" fill="#ffffff" stroke="#444444"/>'
                       '<text x="%s" y="%s" font-size="%s" text-anchor="middle" font-weight="bold">%s</text>'
                       % (_num(x - box_w / 2.0), _num(y - box_h / 2.0), _num(x - box_w / 2.0),
                          _num(y - box_h / 2.0 + 4), "10" if len(op) > 1 else "13", svg.escape(op)))
        out.append(_name_text(label, x, y + 5))
        out.append('<text class="value" x="%s" y="%s" font-size="13" text-anchor="middle" fill="#222222">%s</text>'
                   % (_num(x), _num(y - box_h / 2.0 - 6), "= " + svg.fmt(n.data, 4)))
        out.append('<text class="grad" x="%s" y="%s" font-size="13" text-anchor="middle" fill="%s">%s</text>'
                   % (_num(x), _num(y + box_h / 2.0 + 15), svg.GRADIENT, "\u2202L: " + svg.fmt(n.grad, 4)))
        out.append('<g class="visit"><circle cx="%s" cy="%s" r="10" fill="#444444"/><text x="%s" y="%s" '
                   'font-size="11" text-anchor="middle" fill="#ffffff">%d</text></g>'
                   % (_num(x + box_w / 2.0), _num(y - box_h / 2.0), _num(x + box_w / 2.0),
                      _num(y - box_h / 2.0 + 4), visit[id(n)]))
        out.append("</g>")
    legend = ("black: the value; purple \u2202L: dL/d(node);", "dark circle: the order of the backward visit")
    if down:
        for k, line in enumerate(legend):
            out.append('<text class="legend" x="%s" y="%s" font-size="12" text-anchor="middle" fill="#555555">%s</text>'
                       % (_num(width / 2.0), _num(height - 30 + 17 * k), svg.escape(line)))
    else:
        out.append('<text class="legend" x="%s" y="%s" font-size="12" text-anchor="middle" fill="#555555">%s</text>'
                   % (_num(width / 2.0), _num(height - 12), svg.escape(" ".join(legend))))
    out.append("</svg>")
    return "\n".join(out) + "\n"


EXAMPLES = {
    "111": ([1, 1, 1], 3, [[0.1], [-0.2]], [0.5], [1.0]),
    "221": ([2, 2, 1], 0, [[0.1, -0.2], [0.3]], [0.5, -1.0], [1.0]),
}


def example(kind="111"):
    """A small network's forward pass and loss as a graph of Values
    (:func:`tinybackprop.graph.build`), before its backward: ``"111"`` is the
    warm-up's 1-1-1 network and example (x = 0.5, y = 1; seed 3, biases 0.1 and -0.2), ``"221"`` a
    2-2-1 network (sigmoid, sigmoid, binary cross entropy; seed 0, biases
    0.1, -0.2 and 0.3) on x = (0.5, -1), y = 1.

    >>> G = example("221")
    >>> G.size, G.loss.op
    (27, 'loss')
    """
    if not isinstance(kind, str) or kind not in EXAMPLES:
        raise BackpropError("svg_graph.example: kind must be one of %s, got %s" % (", ".join(sorted(EXAMPLES)), show(kind)))
    sizes, seed, biases, x, y = EXAMPLES[kind]
    net = Network(sizes, hidden="sigmoid", output="sigmoid", loss="bce", seed=seed)
    for l, b in enumerate(biases, 1):
        net.b[l] = [list(b)]
    return graph.build(net, [list(x)], [list(y)])
