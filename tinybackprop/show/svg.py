"""Pictures as plain SVG text, drawn with nothing but string formatting.

No plotting library is needed: every function returns a complete, standalone
SVG document as a ``str`` (write it to a ``.svg`` file and open it in a browser,
or inline it in HTML/Markdown).

==================================  ===================================================
``loss_curve(train, val=None)``     loss per epoch (train, validation; the test loss as a
                                    final mark), with axes, ticks, labels and a legend
``curves(named)``                   several named curves per epoch on one chart
``network(net, grads=None)``        the network: a node per neuron labelled a^[l]_j, an
                                    edge per weight, and optionally the weight or the
                                    gradient on every edge (its colour = sign, width = size)
``images(panels, title)``           small square images (8x8 digits, weights) in a grid,
                                    each with a caption, in one or more ``Panel``s
``nice_ticks(lo, hi)``              round tick values covering [lo, hi]
``MAX_SIDE``                        the one size cap of every picture: 16,384 px a side
==================================  ===================================================

Every picture is well-formed XML whatever its text: characters XML cannot hold
(control characters, lone surrogates, U+FFFE, U+FFFF) are written as visible
escapes (``\\x1b``).  A picture wider or taller than ``MAX_SIDE``, or a number
to draw that is not finite, raises :class:`~tinybackprop.errors.BackpropError`
before anything is drawn.

>>> import xml.etree.ElementTree as ET
>>> root = ET.fromstring(loss_curve([0.7, 0.4, 0.3], [0.75, 0.5, 0.45]))
>>> root.tag
'{http://www.w3.org/2000/svg}svg'
"""
import math

from ..errors import BackpropError

NS = "http://www.w3.org/2000/svg"
POSITIVE = "#2166ac"  # blue: weight > 0
NEGATIVE = "#b2182b"  # red: weight < 0
TRAIN_COLOR = "#1f5fa8"
TEST_COLOR = "#d9541a"  # the validation curve (the second of loss_curve)
MARK_COLOR = "#2ca02c"  # the test loss: one mark, after the last epoch
#: colours of :func:`curves`, one per curve (distinguishable in colour-blind vision)
PALETTE = ("#1f5fa8", "#d9541a", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")
FONT = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\""
#: The widest and tallest any picture may be, in px: one cap for every picture
#: (a network of many or wide layers is refused, not drawn 170,000 px wide).
MAX_SIDE = 16384


def _xml_char(c):
    o = ord(c)
    if o < 32:
        return c in "\t\n\r"
    return not (0x7f <= o < 0xa0 or 0xd800 <= o < 0xe000 or o in (0xfffe, 0xffff))


def escape(text):
    """Text made safe for an SVG/XML document: markup characters as entities,
    characters XML 1.0 cannot hold (and C1 controls) as visible escapes.

    >>> escape('a < b & "c"')
    'a &lt; b &amp; &quot;c&quot;'
    >>> escape("bell\\x07 \\ud800")
    'bell\\\\x07 \\\\ud800'
    """
    text = str(text)
    if not all(_xml_char(c) for c in text):
        text = "".join(c if _xml_char(c) else ("\\x%02x" % ord(c) if ord(c) < 256 else "\\u%04x" % ord(c))
                       for c in text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _num(x):
    """Coordinates with at most 2 decimals, no trailing zeros; a coordinate that
    is not a finite number is refused (SVG has no NaN)."""
    if x != x or x in (float("inf"), float("-inf")):
        raise BackpropError("svg: a number to draw is not finite (%r): the picture would be broken" % (x,))
    s = "%.2f" % x
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def fmt(x, digits=3):
    """A short, readable number: 3 significant digits, a true minus sign.

    >>> fmt(0.123456), fmt(-2.0), fmt(1234.5), fmt(0.0000123)
    ('0.123', '\u22122', '1.23e+03', '1.23e-05')
    """
    if x == 0:
        return "0"
    s = "%.*g" % (digits, x)
    return s.replace("-", "\u2212", 1) if s.startswith("-") else s


def nice_ticks(lo, hi, count=5):
    """About ``count`` evenly spaced round values (steps of 1, 2 or 5 times a
    power of ten) from at or below ``lo`` to at or above ``hi``.

    >>> nice_ticks(0.0, 0.73)
    [0.0, 0.2, 0.4, 0.6, 0.8]
    >>> nice_ticks(1, 100)
    [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    """
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(1, count)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = factor * power
        if step >= raw:
            break
    start = math.floor(lo / step + 1e-9)
    stop = math.ceil(hi / step - 1e-9)
    ticks = []
    for k in range(int(start), int(stop) + 1):
        v = k * step
        ticks.append(round(v, 12) + 0.0)
    return ticks


def _tick_label(v, step):
    if step >= 1 and abs(v - round(v)) < 1e-9:
        return "%d" % round(v)
    decimals = max(0, -int(math.floor(math.log10(step) + 1e-9)))
    if abs(step * 10 ** decimals - round(step * 10 ** decimals)) > 1e-9:
        decimals += 1
    s = "%.*f" % (decimals, v)
    return s.replace("-", "\u2212", 1) if v < 0 else s


def check_size(width, height, what="svg"):
    """Refuse a picture wider or taller than :data:`MAX_SIDE`.

    >>> check_size(170140, 200, "draw")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: draw: the picture would be 170140 x 200 px, more than the 16384 px a side any picture may have; draw fewer or narrower layers
    """
    if not (width <= MAX_SIDE and height <= MAX_SIDE):
        raise BackpropError("%s: the picture would be %d x %d px, more than the %d px a side any picture may have; "
                            "draw fewer or narrower layers" % (what, width, height, MAX_SIDE))


def _header(width, height, title):
    check_size(width, height)
    return ['<svg xmlns="%s" width="%d" height="%d" viewBox="0 0 %d %d" %s>' % (NS, width, height, width, height, FONT),
            "<title>%s</title>" % escape(title),
            '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (width, height)]


def loss_curve(train, val=None, title="Loss per epoch", xlabel="epoch", ylabel="mean loss",
               width=640, height=400, train_label="train", val_label="validation", test=None, test_label="test",
               first_epoch=1):
    """An SVG line chart of the loss after every epoch: the training curve, the
    validation curve, and the test loss as one mark after the last epoch (the test rows
    are measured once, after training).

    ``train`` is a list of losses (epoch 1, 2, ...) or a training ``History``
    (then its ``train_loss``, the loss after each epoch, where it was recorded, else
    its running ``loss``; its ``val_loss`` for ``val`` and its ``test_loss`` for ``test``
    unless given).  ``val`` is an optional second list of the same kind; ``test`` one
    number.  ``first_epoch``: the number of the first epoch drawn (a resumed run's).
    The y axis starts at 0.

    >>> svg = loss_curve([0.7, 0.5, 0.2], title="demo")
    >>> svg.startswith("<svg") and "demo" in svg and svg.count("<polyline") == 1
    True
    >>> "test (0.3)" in loss_curve([0.7, 0.5], [0.8, 0.6], test=0.3)
    True
    """
    if hasattr(train, "loss"):
        if val is None:
            val = getattr(train, "val_loss", None)
        if test is None:
            test = getattr(train, "test_loss", None)
        first_epoch = getattr(train, "initial_epoch", 0) + 1
        train = train.train_loss if getattr(train, "train_loss", None) else train.loss
    series = [(train_label, list(train), TRAIN_COLOR, "")]
    if val:
        series.append((val_label, list(val), TEST_COLOR, ' stroke-dasharray="7 4"'))
    marks = [(test_label, test, MARK_COLOR)] if test is not None else []
    return _chart(series, title, xlabel, ylabel, width, height, marks=marks, first=first_epoch)


def curves(named, title="Loss per epoch", xlabel="epoch", ylabel="mean loss", width=640, height=400):
    """Several curves on one chart: ``named`` is a list of (label, values per epoch or
    a training ``History``, whose ``loss`` is drawn), in the colours of ``PALETTE``.

    >>> svg = curves([("sgd", [0.7, 0.5]), ("adam", [0.6, 0.2])], title="two")
    >>> svg.count("<polyline"), "adam (last 0.2)" in svg
    (2, True)
    """
    series = [(label, list(getattr(vals, "loss", vals)), PALETTE[k % len(PALETTE)], "")
              for k, (label, vals) in enumerate(named)]
    return _chart(series, title, xlabel, ylabel, width, height)


def _chart(series, title, xlabel, ylabel, width, height, marks=(), first=1):
    marks = [(name, v, color) for name, v, color in marks if v == v and abs(v) != float("inf")]
    values = [v for _, vals, _, _ in series for v in vals if v == v and abs(v) != float("inf")]
    if not values:
        raise BackpropError("loss_curve: no finite values to plot")
    values += [v for _, v, _ in marks]
    n = max(len(vals) for _, vals, _, _ in series)
    left, right, top, bottom = 72, 24, 44, 58
    pw, ph = width - left - right, height - top - bottom
    yt = nice_ticks(min(0.0, min(values)), max(values))
    ylo, yhi = yt[0], yt[-1]
    xlo, xhi = float(first - 1), float(first - 1 + max(n, 1))
    xt = [t for t in nice_ticks(xlo, xhi, count=6) if xlo <= t <= xhi and t == int(t)]  # whole epochs
    ystep = yt[1] - yt[0] if len(yt) > 1 else 1.0
    xstep = max(1.0, xt[1] - xt[0]) if len(xt) > 1 else 1.0

    def X(e):
        return left + (e - xlo) / (xhi - xlo) * pw

    def Y(v):
        return top + (1.0 - (v - ylo) / (yhi - ylo)) * ph

    out = _header(width, height, title)
    out.append('<text x="%s" y="26" font-size="17" font-weight="bold" text-anchor="middle">%s</text>'
               % (_num(left + pw / 2.0), escape(title)))
    out.append('<g class="grid" stroke="#e3e3e3" stroke-width="1">')
    for v in yt:
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s"/>' % (_num(left), _num(Y(v)), _num(left + pw), _num(Y(v))))
    for e in xt:
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s"/>' % (_num(X(e)), _num(top), _num(X(e)), _num(top + ph)))
    out.append("</g>")
    out.append('<g class="axes" stroke="#333333" stroke-width="1.2">')
    out.append('<line x1="%s" y1="%s" x2="%s" y2="%s"/>' % (_num(left), _num(top + ph), _num(left + pw), _num(top + ph)))
    out.append('<line x1="%s" y1="%s" x2="%s" y2="%s"/>' % (_num(left), _num(top), _num(left), _num(top + ph)))
    for v in yt:
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s"/>' % (_num(left - 5), _num(Y(v)), _num(left), _num(Y(v))))
    for e in xt:
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s"/>'
                   % (_num(X(e)), _num(top + ph), _num(X(e)), _num(top + ph + 5)))
    out.append("</g>")
    out.append('<g class="ticklabels" font-size="12" fill="#333333">')
    for v in yt:
        out.append('<text x="%s" y="%s" text-anchor="end">%s</text>'
                   % (_num(left - 8), _num(Y(v) + 4), _tick_label(v, ystep)))
    for e in xt:
        out.append('<text x="%s" y="%s" text-anchor="middle">%s</text>'
                   % (_num(X(e)), _num(top + ph + 19), _tick_label(e, xstep)))
    out.append("</g>")
    out.append('<text x="%s" y="%s" font-size="13" text-anchor="middle">%s</text>'
               % (_num(left + pw / 2.0), _num(height - 14), escape(xlabel)))
    out.append('<text x="18" y="%s" font-size="13" text-anchor="middle" transform="rotate(-90 18 %s)">%s</text>'
               % (_num(top + ph / 2.0), _num(top + ph / 2.0), escape(ylabel)))
    for name, vals, color, dash in series:
        pts = " ".join("%s,%s" % (_num(X(i + first)), _num(Y(v))) for i, v in enumerate(vals)
                       if v == v and abs(v) != float("inf"))
        if len(vals) == 1:
            out.append('<circle class="series" cx="%s" cy="%s" r="3" fill="%s"><title>%s</title></circle>'
                       % (_num(X(first)), _num(Y(vals[0])), color, escape(name)))
        else:
            out.append('<polyline class="series" points="%s" fill="none" stroke="%s" stroke-width="2"%s>'
                       '<title>%s</title></polyline>' % (pts, color, dash, escape(name)))
    for name, v, color in marks:  # a diamond after the last epoch: measured once, after training
        x, y = X(first - 1 + n), Y(v)
        out.append('<path class="mark" d="M %s %s L %s %s L %s %s L %s %s Z" fill="%s" stroke="#ffffff"><title>%s'
                   '</title></path>' % (_num(x), _num(y - 6), _num(x + 6), _num(y), _num(x), _num(y + 6), _num(x - 6),
                                        _num(y), color, escape("%s: %s" % (name, fmt(v)))))
    # legend, top right inside the plot
    longest = max([len(name) + len(fmt(vals[-1] if vals else float("nan"))) for name, vals, _, _ in series]
                  + [len(name) + len(fmt(v)) for name, v, _ in marks])
    lw = max(150, 7 * longest + 62)  # about 7 px a character at font size 12
    lx, ly = left + pw - lw, top + 12
    out.append('<g class="legend" font-size="12">')
    out.append('<rect x="%s" y="%s" width="%d" height="%d" fill="#ffffff" fill-opacity="0.85" stroke="#bbbbbb"/>'
               % (_num(lx - 10), _num(ly - 4), lw, 8 + 18 * (len(series) + len(marks))))
    for k, (name, vals, color, dash) in enumerate(series):
        y = ly + 9 + 18 * k
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"%s/>'
                   % (_num(lx + 8), _num(y), _num(lx + 36), _num(y), color, dash))
        final = vals[-1] if vals else float("nan")
        out.append('<text x="%s" y="%s">%s (last %s)</text>' % (_num(lx + 42), _num(y + 4), escape(name), fmt(final)))
    for k, (name, v, color) in enumerate(marks, len(series)):
        y = ly + 9 + 18 * k
        x = lx + 22
        out.append('<path d="M %s %s L %s %s L %s %s L %s %s Z" fill="%s"/>'
                   % (_num(x), _num(y - 5), _num(x + 5), _num(y), _num(x), _num(y + 5), _num(x - 5), _num(y), color))
        out.append('<text x="%s" y="%s">%s (%s)</text>' % (_num(lx + 42), _num(y + 4), escape(name), fmt(v)))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _node_label(l, j, x, y, size=15):
    """a^[l]_j as SVG text: 'a', a raised '[l]', a lowered 'j' (1-based)."""
    small = int(size * 0.68)
    return ('<text x="%s" y="%s" font-size="%d" text-anchor="middle" font-style="italic">a'
            '<tspan font-size="%d" font-style="normal" dy="-6">[%d]</tspan>'
            '<tspan font-size="%d" dy="10">%d</tspan></text>'
            % (_num(x), _num(y + 4), size, small, l, small, j + 1))


def _label_width(text):
    return 7.0 * len(text) + 4


def _place_label(x1, y1, x2, y2, text, j, n_l, placed):
    """A point on the edge (x1, y1)-(x2, y2) where the label's box overlaps no box in
    ``placed`` (then added to it): tried from the fraction of the way that spreads
    the edges into neuron j apart, outwards.  Falls back to the least overlap."""
    w, h = _label_width(text) + 2, 17.0
    prefer = 0.2 + 0.6 * (j + 0.5) / n_l
    ts = sorted((k / 40.0 for k in range(4, 37)), key=lambda t: abs(t - prefer))

    def overlap(box):
        bx, by, bw, bh = box
        return sum(max(0.0, min(bx + bw, px + pw) - max(bx, px)) * max(0.0, min(by + bh, py + ph) - max(by, py))
                   for px, py, pw, ph in placed)

    best = None
    for t in ts:
        x, y = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
        box = (x - w / 2.0, y - h / 2.0, w, h)
        o = overlap(box)
        if best is None or o < best[0]:
            best = (o, x, y, box)
        if o == 0.0:
            break
    placed.append(best[3])
    return best[1], best[2]


def network(net, grads=None, labels=None, title=None, layer_gap=None, node_gap=None, radius=23):
    """An SVG drawing of ``net``: one column of nodes per layer (labelled
    a^[l]_j), one edge per weight W^[l]_ij from node i of layer l-1 to node j of
    layer l; each node of layers 1..L shows its bias b^[l]_j underneath.  The
    edges encode what they are labelled with: the weights (blue for positive,
    red for negative, wider for larger |W|), or with gradient labels the
    gradients dL/dW_ij (same colours and widths, for their sign and size).
    Each label sits on its own edge, where it overlaps no other label or node.

    ``grads`` (a ``Gradients`` from either backward path) adds the gradients:
    ``labels`` then defaults to ``"gradients"`` (each edge labelled dL/dW_ij,
    each bias with dL/db_j).  ``labels="weights"`` labels the edges with the
    weights instead; ``labels=None`` without grads draws no edge labels.

    >>> from tinybackprop import Network
    >>> svg = network(Network([4, 3, 2, 1], seed=0))
    >>> svg.count('class="node"'), svg.count('class="edge"')
    (10, 20)
    """
    if labels is None:
        labels = "gradients" if grads is not None else None
    if labels not in (None, "weights", "gradients"):
        raise BackpropError("network: labels must be None, 'weights' or 'gradients', got %r" % (labels,))
    if labels == "gradients" and grads is None:
        raise BackpropError("network: labels='gradients' needs grads (from per_neuron/vectorized.backward)")
    sizes, L = net.sizes, net.L
    if layer_gap is None:
        layer_gap = 290 if labels else 170
    if node_gap is None:
        # with labels, neighbouring labels of one column sit node_gap / (n_l + 1) apart: keep that >= 15 px
        fan = max(min(a, b) for a, b in zip(sizes, sizes[1:]))
        node_gap = max(130, 19 * (fan + 1)) if labels else 80
    tallest = max(sizes)
    margin_x, margin_top, margin_bottom = 70, 62 if title else 30, 92
    width = int(2 * margin_x + layer_gap * L)
    height = int(margin_top + margin_bottom + node_gap * (tallest - 1) + 2 * radius)
    mid = margin_top + radius + node_gap * (tallest - 1) / 2.0

    def pos(l, j):
        return margin_x + layer_gap * l, mid + (j - (sizes[l] - 1) / 2.0) * node_gap

    # What the edges encode: the gradients when they are drawn, else the weights.
    show_grads = labels == "gradients"
    enc = grads.W if show_grads else net.W
    biggest = max([abs(v) for l in range(1, L + 1) for row in enc[l] for v in row] + [1e-300])
    out = _header(width, height, title or "network %s" % "-".join(str(n) for n in sizes))
    if title:
        out.append('<text x="%s" y="28" font-size="17" font-weight="bold" text-anchor="middle">%s</text>'
                   % (_num(width / 2.0), escape(title)))
    # edges first, so the nodes sit on top of them
    label_items = []
    placed = [(x - radius, y - radius, 2 * radius, 2 * radius)
              for l in range(L + 1) for x, y in [pos(l, j) for j in range(sizes[l])]]
    out.append('<g class="edges">')
    for l in range(1, L + 1):
        W = net.W[l]
        n_prev, n_l = sizes[l - 1], sizes[l]
        for i in range(n_prev):
            x1, y1 = pos(l - 1, i)
            for j in range(n_l):
                x2, y2 = pos(l, j)
                w = W[i][j]
                v = enc[l][i][j]
                color = POSITIVE if v >= 0 else NEGATIVE
                sw = 0.8 + 5.2 * abs(v) / biggest
                tip = "W^[%d]_%d,%d = %.6g" % (l, i + 1, j + 1, w)
                if grads is not None:
                    tip += "; dL/dW^[%d]_%d,%d = %.6g" % (l, i + 1, j + 1, grads.W[l][i][j])
                out.append('<line class="edge" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s" '
                           'stroke-opacity="0.8"><title>%s</title></line>'
                           % (_num(x1 + radius), _num(y1), _num(x2 - radius), _num(y2), color, _num(sw), escape(tip)))
                if labels:
                    text = fmt(grads.W[l][i][j] if show_grads else w)
                    lx, ly = _place_label(x1 + radius, y1, x2 - radius, y2, text, j, n_l, placed)
                    label_items.append((lx, ly, text, color))
    out.append("</g>")
    if label_items:
        out.append('<g class="edge-labels" font-size="12" text-anchor="middle" paint-order="stroke" '
                   'stroke="#ffffff" stroke-width="5" stroke-linejoin="round">')
        for lx, ly, text, color in label_items:
            w = _label_width(text)  # a white box behind the label hides the edge under it
            out.append('<rect x="%s" y="%s" width="%s" height="15" rx="3" fill="#ffffff" fill-opacity="0.9" '
                       'stroke="%s" stroke-width="0.8"/>' % (_num(lx - w / 2.0), _num(ly - 7.5), _num(w), color))
            out.append('<text x="%s" y="%s" fill="%s" stroke="none">%s</text>'
                       % (_num(lx), _num(ly + 4), color, escape(text)))
        out.append("</g>")
    out.append('<g class="nodes">')
    for l in range(L + 1):
        act = "input" if l == 0 else net.activation(l).name
        for j in range(sizes[l]):
            x, y = pos(l, j)
            fill = "#f2f2f2" if l == 0 else ("#fff4d6" if l == L else "#e8f1fb")
            tip = "a^[%d]_%d" % (l, j + 1) + ("" if l == 0 else " = %s(z^[%d]_%d)" % (act, l, j + 1))
            out.append('<g class="node"><title>%s</title>' % escape(tip))
            out.append('<circle cx="%s" cy="%s" r="%d" fill="%s" stroke="#444444" stroke-width="1.5"/>'
                       % (_num(x), _num(y), radius, fill))
            out.append(_node_label(l, j, x, y))
            if l > 0:
                b = net.b[l][0][j]
                text = "b = %s" % fmt(b)
                if grads is not None:
                    text += ", \u2202b = %s" % fmt(grads.b[l][0][j])
                out.append('<text class="bias" x="%s" y="%s" font-size="10.5" text-anchor="middle" fill="#555555" '
                           'paint-order="stroke" stroke="#ffffff" stroke-width="5" stroke-linejoin="round">'
                           '%s</text>' % (_num(x), _num(y + radius + 13), escape(text)))
            out.append("</g>")
    out.append("</g>")
    # layer captions
    base = height - margin_bottom + 30
    out.append('<g class="captions" font-size="12.5" text-anchor="middle" fill="#333333">')
    for l in range(L + 1):
        x = pos(l, 0)[0]
        if l == 0:
            name, what = "layer 0", "input x"
        elif l == L:
            name, what = "layer %d" % l, "output %s" % net.output
        else:
            name, what = "layer %d" % l, "hidden %s" % net.hidden
        out.append('<text x="%s" y="%s" font-weight="bold">%s</text>' % (_num(x), _num(base), name))
        out.append('<text x="%s" y="%s">%s, n = %d</text>' % (_num(x), _num(base + 16), escape(what), sizes[l]))
    out.append("</g>")
    if labels == "gradients":
        legend = ("edges and labels: \u2202L/\u2202W \u2014 blue \u2202L/\u2202W > 0, red < 0, width \u221d "
                  "|\u2202L/\u2202W|; loss %s" % fmt(grads.loss, 4))
    else:
        legend = "edges: blue W > 0, red W < 0, width \u221d |W|" + ("; edge labels: W" if labels == "weights" else "")
    out.append('<text class="legend" x="%s" y="%s" font-size="11.5" text-anchor="middle" fill="#555555">%s</text>'
               % (_num(width / 2.0), _num(height - 12), escape(legend)))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _superscripts(text):
    """Escaped text in which each ^[l] is raised, as in W^[1]."""
    parts = escape(text).split("^[")
    out = [parts[0]]
    for part in parts[1:]:
        inner, _, rest = part.partition("]")
        out.append('<tspan dy="-5" font-size="75%%">[%s]</tspan><tspan dy="5">%s</tspan>' % (inner, rest))
    return "".join(out)


class Panel:
    """One titled grid of square images for :func:`images`.

    ``images``: a list of images, each ``side * side`` numbers row by row (an
    8x8 digit is 64 pixels); ``captions``: one short text per image.  With
    ``signed=False`` a value is ink: 0 white, ``vmax`` (default: the largest
    value in the panel) black.  With ``signed=True`` (weights) positive values
    are blue and negative red, each image scaled by its own largest |value|.
    """

    def __init__(self, title, images, captions=None, signed=False, vmax=None, side=8, columns=None):
        self.title, self.images, self.captions = title, list(images), captions
        self.signed, self.vmax, self.side, self.columns = signed, vmax, side, columns


def images(panels, title=None, columns=10, cell=6):
    """An SVG of one or more :class:`Panel`s of small square images: ``columns``
    images a row, each pixel a ``cell`` x ``cell`` square, captions below.
    The pixels are drawn in 16 shades, one ``<path>`` per shade and colour.

    >>> one = [0.0] * 63 + [16.0]
    >>> svg = images([Panel("a panel", [one, one], ["a", "b"], vmax=16.0)], title="demo")
    >>> svg.count('class="image"'), svg.count("h6v6h-6z"), "a panel" in svg
    (2, 2, True)
    """
    if isinstance(panels, Panel):
        panels = [panels]
    pad, gap_x, caption_h, heading_h = 16, 12, 16, 28
    widest = max(p.side for p in panels) * cell
    n_cols = max(1, min(columns, max([len(p.images) for p in panels] + [1])))
    width = int(2 * pad + n_cols * widest + (n_cols - 1) * gap_x)
    widest_title = max([len(p.title) for p in panels] + [len(title or "")])
    width = max(width, int(2 * pad + 7.2 * widest_title))
    width = max(width, 360)
    top = 34 if title else pad
    out, y = [], top
    for p in panels:
        side, size = p.side, p.side * cell
        n_cols = max(1, min(p.columns or columns, len(p.images)))
        out.append('<text x="%d" y="%s" font-size="13" font-weight="bold">%s</text>'
                   % (pad, _num(y + 14), _superscripts(p.title)))
        y += heading_h
        if not p.images:
            out.append('<text x="%d" y="%s" font-size="12" fill="#555555">(none)</text>' % (pad, _num(y + 12)))
            y += 24
            continue
        vmax = p.vmax
        if not p.signed and vmax is None:
            vmax = max(max(img) for img in p.images) or 1.0
        inks = {}  # (colour, level 1..16) -> path segments of the pixels of that shade, in the whole panel
        for k, img in enumerate(p.images):
            if len(img) != side * side:
                raise BackpropError("images: panel %r image %d has %d values, not %d x %d"
                                    % (p.title, k, len(img), side, side))
            col, row = k % n_cols, k // n_cols
            x0 = pad + col * (widest + gap_x)
            y0 = y + row * (size + caption_h + 8)
            scale = vmax if not p.signed else (max(abs(v) for v in img) or 1.0)
            cap = p.captions[k] if p.captions else ""
            out.append('<rect class="image" x="%s" y="%s" width="%d" height="%d" fill="#ffffff" stroke="#999999" '
                       'stroke-width="0.6"><title>%s</title></rect>' % (_num(x0), _num(y0), size, size, escape(cap)))
            for i, v in enumerate(img):
                level = int(round(16 * min(1.0, abs(v) / scale)))
                if level == 0:
                    continue
                color = "#000000" if not p.signed else (POSITIVE if v > 0 else NEGATIVE)
                inks.setdefault((color, level), []).append(
                    "M%s %sh%dv%dh-%dz" % (_num(x0 + (i % side) * cell), _num(y0 + (i // side) * cell), cell, cell, cell))
            if cap:
                out.append('<text x="%s" y="%s" font-size="10" text-anchor="middle">%s</text>'
                           % (_num(x0 + size / 2.0), _num(y0 + size + 12), escape(cap)))
        for (color, level), segments in sorted(inks.items()):
            out.append('<path class="pixels" fill="%s" fill-opacity="%s" d="%s"/>'
                       % (color, _num(level / 16.0), "".join(segments)))
        rows = (len(p.images) + n_cols - 1) // n_cols
        y += rows * (size + caption_h + 8) + 10
    height = int(y + pad - 10)
    head = _header(width, height, title or "images")
    head[0] = head[0].replace("<svg ", '<svg shape-rendering="crispEdges" ', 1)
    if title:
        head.append('<text x="%s" y="22" font-size="15" font-weight="bold" text-anchor="middle">%s</text>'
                    % (_num(width / 2.0), escape(title)))
    return "\n".join(head + out + ["</svg>"]) + "\n"
