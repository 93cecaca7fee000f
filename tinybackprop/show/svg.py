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
                                    and the names of the inputs and outputs
``text_width(text, size)``          how wide a text is drawn, at most (every text of the
                                    network drawing fits its canvas by it)
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

from ..errors import BackpropError, show
from ..matrix import finite_number, isint, isnumber
from ..network import check_network

NS = "http://www.w3.org/2000/svg"
# One meaning per colour, in every drawing of the package and the site: blue and red are a
# sign, amber is a highlight (an outline, drawn thicker), purple is a gradient (what flows
# backward). Nothing else is drawn in them: curves and classes take the colours below.
POSITIVE = "#2166ac"  # blue: a value > 0
NEGATIVE = "#b2182b"  # red: a value < 0
HIGHLIGHT = "#e69f00"  # amber: the outline of what is pointed at (never a fill that means a sign)
GRADIENT = "#762a83"  # purple: a gradient dL/d(something), a derivative
NAN_COLOR = "#999999"  # grey: a weight or gradient that is NaN
TRAIN_COLOR = "#333333"  # ink, solid
VAL_COLOR = "#1b9e77"  # teal, dashed: the validation curve
TEST_COLOR = "#a6761d"  # brown: the test loss, one mark after the last epoch (measured once)
#: colours of :func:`curves`, one per curve (none of them a sign, highlight or gradient colour)
PALETTE = ("#333333", "#1b9e77", "#a6761d", "#66a61e", "#e7298a", "#17becf", "#999999")
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
    if not isnumber(x) or not isint(digits) or not 1 <= digits <= 17:
        raise BackpropError("fmt: x must be a number and digits an int from 1 to 17, got %s and %s"
                            % (show(x), show(digits)))
    if not finite_number(x) and type(x) is not float:  # an int beyond the float range
        return "an int of %d bits" % x.bit_length()
    if x == 0:
        return "0"
    s = "%.*g" % (digits, x)
    return s.replace("-", "\u2212", 1) if s.startswith("-") else s


def nice_ticks(lo, hi, count=5):
    """About ``count`` evenly spaced round values (steps of 1, 2 or 5 times a
    power of ten) from at or below ``lo`` to at or above ``hi``: at least two,
    whatever the range (a tiny, a huge or an empty one); where a round value
    beyond the range would pass the float range, the end of the range itself.

    >>> nice_ticks(0.0, 0.73)
    [0.0, 0.2, 0.4, 0.6, 0.8]
    >>> nice_ticks(1, 100)
    [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    >>> nice_ticks(0.0, 4e-18)
    [0.0, 1e-18, 2e-18, 3e-18, 4e-18]
    """
    if not (finite_number(lo) and finite_number(hi)):
        raise BackpropError("nice_ticks: lo and hi must be finite numbers, got %s and %s" % (show(lo), show(hi)))
    if not isint(count) or not 1 <= count <= 100:
        raise BackpropError("nice_ticks: count must be an int from 1 to 100, got %s" % show(count))
    lo, hi = float(lo), float(hi)
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        if lo + 1.0 != lo:
            hi = lo + 1.0
        elif lo > 0:
            lo = lo * 0.5
        else:
            hi = hi * 0.5
    raw = (hi - lo) / count
    if raw - raw != 0.0:  # a range wider than the floats
        raw = hi / count - lo / count
    # a step of at most 1e308, at least 1e-300 and a trillionth of the values (finer steps are
    # not apart in floats of that size)
    raw = min(max(raw, 1e-300, 1e-12 * max(abs(lo), abs(hi))), 1e308)
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = factor * power
        if step >= raw:
            break
    start = math.floor(lo / step + 1e-9)
    stop = max(math.ceil(hi / step - 1e-9), start + 1)
    digits = 1 - int(math.floor(math.log10(step)))  # what a tick needs after the point (2.5: one more)
    ticks = []
    for k in range(int(start), int(stop) + 1):
        v = round(k * step, digits) + 0.0
        ticks.append(hi if v > hi and v - v != 0.0 else (lo if v < lo and v - v != 0.0 else v))
    return ticks


def _tick_label(v, step):
    """A tick's text: as many decimals as the step needs, or powers of ten (``2e-18``) for a
    tiny step or a large value."""
    if 1e-4 <= step and abs(v) < 1e6:
        if step >= 1 and abs(v - round(v)) < 1e-9:
            return "%d" % round(v)
        decimals = max(0, -int(math.floor(math.log10(step) + 1e-9)))
        if abs(step * 10 ** decimals - round(step * 10 ** decimals)) > 1e-9:
            decimals += 1
        s = "%.*f" % (decimals, v)
    elif v == 0:
        s = "0"
    else:  # significant digits down to the step's: 1e-18, 2.5e-18; 1e+300
        digits = int(math.floor(math.log10(abs(v)))) - int(math.floor(math.log10(step))) + 2
        s = "%.*g" % (max(1, min(17, digits)), v)
        if "e" in s:
            mantissa, _, exponent = s.partition("e")
            if "." in mantissa:
                mantissa = mantissa.rstrip("0").rstrip(".")
            s = mantissa + "e" + exponent
    return s.replace("-", "\u2212", 1) if v < 0 else s


def check_size(width, height, what="svg", hint="draw fewer or narrower layers"):
    """Refuse a picture wider or taller than :data:`MAX_SIDE` (or of a size that is no number).

    >>> check_size(170140, 200, "draw")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: draw: the picture would be 170140 x 200 px, more than the 16384 px a side any picture may have; draw fewer or narrower layers
    """
    if not (finite_number(width) and finite_number(height)):
        raise BackpropError("%s: the picture's size is not a number of px (%s x %s)" % (what, show(width), show(height)))
    if not (width <= MAX_SIDE and height <= MAX_SIDE):
        raise BackpropError("%s: the picture would be %d x %d px, more than the %d px a side any picture may have; "
                            "%s" % (what, width, height, MAX_SIDE, hint))


def check_side(value, name, low, op, high=MAX_SIDE):
    """Refuse a size in px (a width, a gap, a radius) that is not a number from ``low`` to ``high``.

    >>> check_side(-5, "size", 200, "regions")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: regions: size must be a number of px from 200 to 16384, got -5
    """
    if not finite_number(value) or not low <= value <= high:
        raise BackpropError("%s: %s must be a number of px from %g to %g, got %s" % (op, name, low, high, show(value)))
    return value


def _header(width, height, title):
    check_size(width, height)
    return ['<svg xmlns="%s" width="%d" height="%d" viewBox="0 0 %d %d" %s>' % (NS, width, height, width, height, FONT),
            "<title>%s</title>" % escape(title),
            '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (width, height)]


def loss_curve(train, val=None, title="Loss per epoch", xlabel="epoch", ylabel="mean loss",
               width=480, height=360, train_label="train", val_label="validation", test=None, test_label="test",
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
    if hasattr(val, "loss"):
        val = val.train_loss if getattr(val, "train_loss", None) else val.loss
    series = [(train_label, _values(train, "loss_curve", "train"), TRAIN_COLOR, "")]
    if val is not None and not (isinstance(val, (list, tuple)) and not val):
        series.append((val_label, _values(val, "loss_curve", "val"), VAL_COLOR, ' stroke-dasharray="7 4"'))
    marks = []
    if test is not None:
        if not isnumber(test):
            raise BackpropError("loss_curve: test must be one number (the test loss, measured once), got %s"
                                % show(test))
        marks = [(test_label, float(test), TEST_COLOR)]
    if not isint(first_epoch) or not 1 <= first_epoch <= 10 ** 15:
        raise BackpropError("loss_curve: first_epoch must be an int from 1 to 10**15, got %s" % show(first_epoch))
    return _chart(series, title, xlabel, ylabel, width, height, marks=marks, first=first_epoch)


def curves(named, title="Loss per epoch", xlabel="epoch", ylabel="mean loss", width=480, height=400):
    """Several curves on one chart: ``named`` is a list of (label, values per epoch or
    a training ``History``, whose ``loss`` is drawn), in the colours of ``PALETTE``.

    >>> svg = curves([("sgd", [0.7, 0.5]), ("adam", [0.6, 0.2])], title="two")
    >>> svg.count("<polyline"), "adam (last 0.2)" in svg
    (2, True)
    """
    try:
        named = [(label, vals) for label, vals in named]
    except (TypeError, ValueError):
        raise BackpropError("curves: named must be a list of (label, values) pairs, got %s" % show(named))
    series = [(label, _values(getattr(vals, "loss", vals), "curves", label), PALETTE[k % len(PALETTE)], "")
              for k, (label, vals) in enumerate(named)]
    return _chart(series, title, xlabel, ylabel, width, height, "curves")


def _values(vals, op, what):
    """A curve's values as floats (NaN for one that is not finite: it is not drawn); a value
    that is not a number is refused."""
    if isinstance(vals, (str, bytes)) or not hasattr(vals, "__iter__"):
        raise BackpropError("%s: %s must be a list of numbers (one per epoch), got %s" % (op, show(what), show(vals)))
    out = []
    for v in vals:
        if not isnumber(v):
            raise BackpropError("%s: the values of %s must be numbers, got %s" % (op, show(what), show(v)))
        out.append(float(v) if finite_number(v) else float("nan"))
    return out


def _thinned(vals, columns):
    """(index, value) of the finite values of a curve, at most two per pixel column (of
    ``columns``): each column's lowest and highest, in their order (what a line that long
    shows; a million losses are drawn with about a thousand points)."""
    n = len(vals)
    if n <= 2 * columns:
        return [(i, v) for i, v in enumerate(vals) if v == v]
    kept, column = [], None
    for i, v in enumerate(vals):
        if v != v:
            continue
        c = i * columns // n
        if c != column:
            column, low, high = c, (i, v), (i, v)
            kept.append([low, high])
        else:
            low, high = kept[-1]
            if v < low[1]:
                kept[-1][0] = (i, v)
            elif v > high[1]:
                kept[-1][1] = (i, v)
    return [p for low, high in kept for p in sorted(set([low, high]))]


def _step(ticks):
    """The step between ticks (the smallest gap: an end may be the range's own), for their labels."""
    return min(max(min(b - a for a, b in zip(ticks, ticks[1:])), 1e-300), 1e308) if len(ticks) > 1 else 1.0


def _chart(series, title, xlabel, ylabel, width, height, op="loss_curve", marks=(), first=1):
    check_side(width, "width", 200, op)
    check_side(height, "height", 150, op)
    marks = [(name, v, color) for name, v, color in marks if finite_number(v)]  # not finite: not drawn
    lows = [min(v for v in vals if v == v) for _, vals, _, _ in series if any(v == v for v in vals)]
    if not lows:
        raise BackpropError("%s: no finite values to plot" % op)
    low, high = min(lows), max(max(v for v in vals if v == v) for _, vals, _, _ in series if any(v == v for v in vals))
    low, high = min([low] + [v for _, v, _ in marks]), max([high] + [v for _, v, _ in marks])
    n = max(len(vals) for _, vals, _, _ in series)
    # 480 units wide and text of 13 or more: on a phone's 358 px column no text is below 9 px
    left, right, top, bottom = 62, 16, 44, 52
    pw, ph = width - left - right, height - top - bottom
    yt = nice_ticks(min(0.0, low), high)
    ylo, yhi = yt[0], yt[-1]
    xlo, xhi = float(first - 1), float(first - 1 + max(n, 1))
    xt = [t for t in nice_ticks(xlo, xhi, count=6) if xlo <= t <= xhi and t == int(t)]  # whole epochs
    ystep, xstep = _step(yt), max(1.0, _step(xt))

    def X(e):
        return left + (e - xlo) / (xhi - xlo) * pw

    def Y(v):  # halves: yhi - ylo may pass the float range
        return top + (1.0 - (v * 0.5 - ylo * 0.5) / (yhi * 0.5 - ylo * 0.5)) * ph

    out = _header(width, height, title)
    out.append('<text x="%s" y="26" font-size="15" font-weight="bold" text-anchor="middle">%s</text>'
               % (_num(width / 2.0), escape(title)))
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
    out.append('<g class="ticklabels" font-size="13" fill="#333333">')
    for v in yt:
        out.append('<text x="%s" y="%s" text-anchor="end">%s</text>'
                   % (_num(left - 8), _num(Y(v) + 4), _tick_label(v, ystep)))
    for e in xt:
        out.append('<text x="%s" y="%s" text-anchor="middle">%s</text>'
                   % (_num(X(e)), _num(top + ph + 19), _tick_label(e, xstep)))
    out.append("</g>")
    out.append('<text x="%s" y="%s" font-size="13" text-anchor="middle">%s</text>'
               % (_num(left + pw / 2.0), _num(height - 14), escape(xlabel)))
    out.append('<text x="16" y="%s" font-size="13" text-anchor="middle" transform="rotate(-90 16 %s)">%s</text>'
               % (_num(top + ph / 2.0), _num(top + ph / 2.0), escape(ylabel)))
    for name, vals, color, dash in series:
        pts = " ".join("%s,%s" % (_num(X(i + first)), _num(Y(v))) for i, v in _thinned(vals, int(pw)))
        if len(vals) == 1 and vals[0] == vals[0]:
            out.append('<circle class="series" cx="%s" cy="%s" r="3" fill="%s"><title>%s</title></circle>'
                       % (_num(X(first)), _num(Y(vals[0])), color, escape(name)))
        elif len(vals) > 1:
            out.append('<polyline class="series" points="%s" fill="none" stroke="%s" stroke-width="2"%s>'
                       '<title>%s</title></polyline>' % (pts, color, dash, escape(name)))
    for name, v, color in marks:  # a diamond after the last epoch: measured once, after training
        x, y = X(first - 1 + n), Y(v)
        out.append('<path class="mark" d="M %s %s L %s %s L %s %s L %s %s Z" fill="%s" stroke="#ffffff"><title>%s'
                   '</title></path>' % (_num(x), _num(y - 6), _num(x + 6), _num(y), _num(x), _num(y + 6), _num(x - 6),
                                        _num(y), color, escape("%s: %s" % (name, fmt(v)))))
    # legend, top right inside the plot (a name cut to 40 characters)
    series = [(_short_name(name), vals, color, dash) for name, vals, color, dash in series]
    marks = [(_short_name(name), v, color) for name, v, color in marks]
    longest = max([len(name) + len(fmt(vals[-1] if vals else float("nan"))) for name, vals, _, _ in series]
                  + [len(name) + len(fmt(v)) + 2 for name, v, _ in marks])
    lw = max(150, 8 * longest + 60)  # about 8 px a character at font size 13
    lx, ly = left + pw - lw, top + 12
    out.append('<g class="legend" font-size="13">')
    out.append('<rect x="%s" y="%s" width="%d" height="%d" fill="#ffffff" fill-opacity="0.85" stroke="#bbbbbb"/>'
               % (_num(lx - 10), _num(ly - 4), lw, 8 + 19 * (len(series) + len(marks))))
    for k, (name, vals, color, dash) in enumerate(series):
        y = ly + 9 + 19 * k
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="2"%s/>'
                   % (_num(lx + 8), _num(y), _num(lx + 36), _num(y), color, dash))
        final = vals[-1] if vals else float("nan")
        out.append('<text x="%s" y="%s">%s (last %s)</text>' % (_num(lx + 42), _num(y + 4), escape(name), fmt(final)))
    for k, (name, v, color) in enumerate(marks, len(series)):
        y = ly + 9 + 19 * k
        x = lx + 22
        out.append('<path d="M %s %s L %s %s L %s %s L %s %s Z" fill="%s"/>'
                   % (_num(x), _num(y - 5), _num(x + 5), _num(y), _num(x), _num(y + 5), _num(x - 5), _num(y), color))
        out.append('<text x="%s" y="%s">%s (%s)</text>' % (_num(lx + 42), _num(y + 4), escape(name), fmt(v)))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _short_name(name, limit=40):
    name = str(name)
    return name if len(name) <= limit else name[:limit - 1] + "\u2026"


def _node_label(l, j, x, y, size=15):
    """a^[l]_j as SVG text: 'a', a raised '[l]', a lowered 'j' (1-based)."""
    small = int(size * 0.68)
    return ('<text x="%s" y="%s" font-size="%d" text-anchor="middle" font-style="italic">a'
            '<tspan font-size="%d" font-style="normal" dy="-6">[%d]</tspan>'
            '<tspan font-size="%d" dy="10">%d</tspan></text>'
            % (_num(x), _num(y + 4), size, small, l, small, j + 1))


#: Advance widths of the printable ASCII characters (32 to 126), in thousandths of the
#: font size: the wider of DejaVu Sans and Arial (the first fonts ``FONT`` asks for; a
#: browser without them falls back to narrower ones), measured in Chromium.  Any other
#: character counts as 1000 (a full em, as wide as a CJK character).
_WIDTHS = (318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337, 637, 637, 637, 637, 637,
           637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 557, 1016, 685, 687, 723, 771, 667, 611, 778, 752, 295,
           500, 667, 558, 863, 749, 788, 667, 788, 723, 667, 611, 732, 685, 989, 686, 667, 686, 391, 337, 391, 838,
           557, 500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612, 635, 635, 412, 521,
           393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838)
_BOLD_WIDTHS = (349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 366, 696, 696, 696, 696,
                696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 611, 1000, 774, 763, 734, 831, 684, 684, 821,
                837, 373, 557, 775, 638, 996, 837, 851, 733, 851, 771, 721, 683, 813, 774, 1104, 771, 725, 726, 458,
                366, 458, 838, 557, 500, 675, 716, 593, 716, 679, 436, 716, 712, 343, 343, 666, 343, 1042, 712, 688,
                716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 366, 712, 838)


def text_width(text, size, bold=False):
    """How wide ``text`` is drawn at font size ``size`` (px), at most: the sum of its
    characters' advance widths in the widest of the fonts a picture asks for.

    >>> text_width("layer 0", 12.5), text_width("W", 10, bold=True)
    (43.325, 11.04)
    """
    table = _BOLD_WIDTHS if bold else _WIDTHS
    return sum(table[ord(c) - 32] if 32 <= ord(c) < 127 else 1000 for c in text) * size / 1000.0


def wrap(text, size, width, bold=False):
    """``text`` in lines no wider than ``width`` px at font size ``size``: broken
    between words, and inside a word only where the word alone is too wide.

    >>> wrap("Network 2-4-1 (hidden sigmoid, output sigmoid, loss bce)", 17, 300, bold=True)
    ['Network 2-4-1 (hidden', 'sigmoid, output sigmoid, loss', 'bce)']
    """
    lines, line = [], ""
    for word in text.split(" "):
        candidate = word if not line else line + " " + word
        if text_width(candidate, size, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for c in word:   # a word wider than a line is cut where it must be
            if line and text_width(line + c, size, bold) > width:
                lines.append(line)
                line = ""
            line += c
    if line or not lines:
        lines.append(line)
    return lines


def _label_width(text):
    return text_width(text, 12) + 6


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


#: The longest name drawn beside an input or output node, in characters (a longer one
#: is cut, with an ellipsis; the node's tooltip has it whole).
NAME_CHARS = 28
#: Font sizes of the network drawing: title, layer captions, biases, node names, legend.
TITLE_SIZE, CAPTION_SIZE, BIAS_SIZE, NAME_SIZE, LEGEND_SIZE = 17, 12.5, 10.5, 12, 11.5
#: Room kept free between any text and the edge of the canvas, in px.
PAD = 10


def _short(name):
    name = str(name)
    return name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1] + "\u2026"


def output_names(net, classes=None, target=None):
    """What each output of ``net`` stands for, as drawn beside it: the class names
    (a single sigmoid output is the probability of the second class, ``classes[1]``),
    a regression's target, or None.

    >>> from tinybackprop import Network
    >>> output_names(Network([4, 1]), ["not virginica", "virginica"])
    ['P(virginica)']
    >>> output_names(Network([2, 1], output="identity", loss="squared_error"), target="price")
    ['price']
    """
    n = net.sizes[-1]
    if classes and net.phi_o.name != "identity":
        if n == 1 and len(classes) == 2:
            return ["P(%s)" % classes[1]]
        if len(classes) == n:
            return list(classes)
    if target is not None and n == 1:
        return [target]
    return None


def network(net, grads=None, labels=None, title=None, layer_gap=None, node_gap=None, radius=23,
            features=None, classes=None, target=None):
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

    ``features`` (one name per input), ``classes`` (the class names of a model
    file: one per output, two for a single sigmoid output) and ``target`` (a
    regression's) name the inputs and outputs beside their nodes.  Every text
    fits the canvas: it grows to hold the names, and the title and the legend
    wrap onto more lines where they are wider than the drawing.

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
    check_network(net, "network")
    sizes, L = net.sizes, net.L
    if features is not None and len(features) != sizes[0]:
        raise BackpropError("network: features must name the %d inputs, got %d names" % (sizes[0], len(features)))
    outs = output_names(net, classes, target)
    for name, value, low in (("layer_gap", layer_gap, 0), ("node_gap", node_gap, 0), ("radius", radius, 1)):
        if value is not None:
            check_side(value, name, low, "network", MAX_SIDE if name != "radius" else 1000)
    if layer_gap is None:
        layer_gap = 290 if labels else 170
    if node_gap is None:
        # with labels, neighbouring labels of one column sit node_gap / (n_l + 1) apart: keep that >= 15 px
        fan = max(min(a, b) for a, b in zip(sizes, sizes[1:]))
        node_gap = max(130, 19 * (fan + 1)) if labels else 80
    tallest = max(sizes)
    # a first bound before any text is measured: the columns and rows alone
    check_size(int(140 + layer_gap * L), int(120 + node_gap * (tallest - 1) + 2 * radius), "network")
    _check_drawable(net, grads)
    # What the edges encode: the gradients when they are drawn, else the weights.  A weight that
    # is NaN (a diverged run) is drawn grey and thin, an infinite one as wide as the widest.
    show_grads = labels == "gradients"
    enc = grads.W if show_grads else net.W
    biggest = max([abs(v) for l in range(1, L + 1) for row in enc[l] for v in row if v - v == 0.0] + [1e-300])

    # The texts beside the first and last columns decide the margins; the widest of the
    # drawing, the title and the legend the width.
    def bias_text(l, j):
        text = "b = %s" % fmt(net.b[l][0][j])
        if grads is not None:
            text += ", \u2202b = %s" % fmt(grads.b[l][0][j])
        return text

    def caption(l):
        if l == 0:
            return "layer 0", "input x, n = %d" % sizes[0]
        what = "output %s" % net.output if l == L else "hidden %s" % net.hidden
        return "layer %d" % l, "%s, n = %d" % (what, sizes[l])

    def half(l):   # the widest centred text under column l, halved
        texts = [text_width(caption(l)[0], CAPTION_SIZE, bold=True), text_width(caption(l)[1], CAPTION_SIZE)]
        if l > 0:
            texts += [text_width(bias_text(l, j), BIAS_SIZE) for j in range(sizes[l])]
        return max(max(texts) / 2.0, radius)

    in_names = [_short(n) for n in features] if features else []
    out_names = [_short(n) for n in outs] if outs else []
    side = radius + 8   # a name starts this far from its node's centre
    left = max(70.0, PAD + half(0), PAD + side + max([text_width(n, NAME_SIZE) for n in in_names] + [0]))
    right = max(70.0, PAD + half(L), PAD + side + max([text_width(n, NAME_SIZE) for n in out_names] + [0]))
    width = left + layer_gap * L + right
    if labels == "gradients":
        legend = ("edges and labels: \u2202L/\u2202W \u2014 blue \u2202L/\u2202W > 0, red < 0, width \u221d "
                  "|\u2202L/\u2202W|; loss %s" % fmt(grads.loss, 4))
    else:
        legend = "edges: blue W > 0, red W < 0, width \u221d |W|" + ("; edge labels: W" if labels == "weights" else "")
    # a title or legend wider than the drawing widens it up to 640 px (a small network's
    # title on one line), and wraps beyond that
    for text, size, bold in ((title or "", TITLE_SIZE, True), (legend, LEGEND_SIZE, False)):
        width = max(width, min(640.0, text_width(text, size, bold) + 2 * PAD))
    width = int(math.ceil(width))
    extra = (width - (left + layer_gap * L + right)) / 2.0   # the drawing centred on a widened canvas
    left += extra
    title_lines = wrap(title, TITLE_SIZE, width - 2 * PAD, bold=True) if title else []
    legend_lines = wrap(legend, LEGEND_SIZE, width - 2 * PAD)
    margin_top = 8 + 22 * len(title_lines) + 24 if title else 30
    margin_bottom = 74 + 15 * len(legend_lines)
    height = int(margin_top + margin_bottom + node_gap * (tallest - 1) + 2 * radius)
    mid = margin_top + radius + node_gap * (tallest - 1) / 2.0

    check_size(width, height, "network")

    def pos(l, j):
        return left + layer_gap * l, mid + (j - (sizes[l] - 1) / 2.0) * node_gap

    out = _header(width, height, title or "network %s" % "-".join(str(n) for n in sizes))
    for k, line in enumerate(title_lines):
        out.append('<text class="title" x="%s" y="%d" font-size="%d" font-weight="bold" text-anchor="middle">%s'
                   '</text>' % (_num(width / 2.0), 28 + 22 * k, TITLE_SIZE, escape(line)))
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
                color = POSITIVE if v >= 0 else (NEGATIVE if v < 0 else NAN_COLOR)
                sw = 0.8 + 5.2 * min(1.0, abs(v) / biggest) if v == v else 0.8
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
            if l == 0 and features:
                tip += ": %s" % features[j]
            elif l == L and outs:
                tip += ": %s" % outs[j]
            out.append('<g class="node"><title>%s</title>' % escape(tip))
            out.append('<circle cx="%s" cy="%s" r="%d" fill="%s" stroke="#444444" stroke-width="1.5"/>'
                       % (_num(x), _num(y), radius, fill))
            out.append(_node_label(l, j, x, y))
            if l > 0:
                out.append('<text class="bias" x="%s" y="%s" font-size="%s" text-anchor="middle" fill="#555555" '
                           'paint-order="stroke" stroke="#ffffff" stroke-width="5" stroke-linejoin="round">'
                           '%s</text>' % (_num(x), _num(y + radius + 13), BIAS_SIZE, escape(bias_text(l, j))))
            name, anchor, nx = None, "end", x - side
            if l == 0 and in_names:
                name = in_names[j]
            elif l == L and out_names:
                name, anchor, nx = out_names[j], "start", x + side
            if name is not None:
                out.append('<text class="name" x="%s" y="%s" font-size="%d" text-anchor="%s" fill="#222222" '
                           'paint-order="stroke" stroke="#ffffff" stroke-width="4" stroke-linejoin="round">%s'
                           '</text>' % (_num(nx), _num(y + 4), NAME_SIZE, anchor, escape(name)))
            out.append("</g>")
    out.append("</g>")
    # layer captions
    base = height - margin_bottom + 30
    out.append('<g class="captions" font-size="%s" text-anchor="middle" fill="#333333">' % CAPTION_SIZE)
    for l in range(L + 1):
        x = pos(l, 0)[0]
        name, what = caption(l)
        out.append('<text x="%s" y="%s" font-weight="bold">%s</text>' % (_num(x), _num(base), name))
        out.append('<text x="%s" y="%s">%s</text>' % (_num(x), _num(base + 16), escape(what)))
    out.append("</g>")
    for k, line in enumerate(legend_lines):
        out.append('<text class="legend" x="%s" y="%s" font-size="%s" text-anchor="middle" fill="#555555">%s</text>'
                   % (_num(width / 2.0), _num(height - 12 - 15 * (len(legend_lines) - 1 - k)), LEGEND_SIZE,
                      escape(line)))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _check_drawable(net, grads):
    """Refuse weights (or gradients) that are no longer matrices of numbers of the network's
    shape (changed in place by hand); NaN and infinities are drawn."""
    L, sizes = net.L, net.sizes
    for what, Ws, bs in (("the network's", net.W, net.b),) + ((("the gradients'", getattr(grads, "W", None),
                                                                getattr(grads, "b", None)),) if grads is not None else ()):
        try:
            ok = all(_matrix_of(Ws[l], sizes[l - 1], sizes[l]) and _matrix_of(bs[l], 1, sizes[l])
                     for l in range(1, L + 1))
        except (TypeError, IndexError, KeyError):
            ok = False
        if not ok:
            raise BackpropError("network: %s W^[l] and b^[l] are not matrices of numbers of the shapes of a %s network"
                                % (what, "-".join(map(str, sizes))))
    if grads is not None and not (type(getattr(grads, "loss", None)) is float or finite_number(grads.loss)):
        raise BackpropError("network: the gradients' loss is not a number: %s" % show(getattr(grads, "loss", None)))


def _matrix_of(M, m, n):
    return (isinstance(M, list) and len(M) == m
            and all(isinstance(r, list) and len(r) == n and all(type(v) is float or finite_number(v) for v in r)
                    for r in M))


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


def _check_panels(panels, columns, cell):
    """Refuse panels, a number of columns or a cell size that :func:`images` cannot draw."""
    if not isinstance(panels, (list, tuple)) or not panels or not all(isinstance(p, Panel) for p in panels):
        raise BackpropError("images: panels must be a Panel or a non-empty list of Panels, got %s" % show(panels))
    if not isint(columns) or not 1 <= columns <= 1000:
        raise BackpropError("images: columns must be an int from 1 to 1000, got %s" % show(columns))
    if not isint(cell) or not 1 <= cell <= 256:
        raise BackpropError("images: cell (px a pixel) must be an int from 1 to 256, got %s" % show(cell))
    for p in panels:
        what = "images: panel %s" % show(p.title, 40)
        if not isinstance(p.title, str) or not isint(p.side) or not 1 <= p.side <= MAX_SIDE:
            raise BackpropError("%s: the title must be text and side an int from 1 to %d, got %s"
                                % (what, MAX_SIDE, show(p.side)))
        if p.columns is not None and (not isint(p.columns) or not 1 <= p.columns <= 1000):
            raise BackpropError("%s: columns must be None or an int from 1 to 1000, got %s" % (what, show(p.columns)))
        if p.vmax is not None and not (finite_number(p.vmax) and p.vmax > 0):
            raise BackpropError("%s: vmax must be None or a finite number > 0, got %s" % (what, show(p.vmax)))
        if p.captions is not None and (not isinstance(p.captions, (list, tuple)) or len(p.captions) < len(p.images)):
            raise BackpropError("%s: captions must be None or one per image (%d), got %s"
                                % (what, len(p.images), show(p.captions, 40)))
        for k, img in enumerate(p.images):
            if not isinstance(img, (list, tuple)) or len(img) != p.side * p.side:
                raise BackpropError("images: panel %r image %d has %s values, not %d x %d"
                                    % (p.title, k, len(img) if isinstance(img, (list, tuple)) else "no list of",
                                       p.side, p.side))


def _check_pixels(panels):
    """Refuse a pixel that is not a number (NaN is left white, an infinity is full ink)."""
    for p in panels:
        for k, img in enumerate(p.images):
            if not all(type(v) is float or finite_number(v) for v in img):
                raise BackpropError("images: panel %s: image %d holds something other than numbers"
                                    % (show(p.title, 40), k))


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
    _check_panels(panels, columns, cell)
    pad, gap_x, caption_h, heading_h = 16, 12, 16, 28
    widest = max(p.side for p in panels) * cell
    n_cols = max(1, min(columns, max([len(p.images) for p in panels] + [1])))
    width = int(2 * pad + n_cols * widest + (n_cols - 1) * gap_x)
    widest_title = max([len(p.title) for p in panels] + [len(title or "")])
    width = max(width, int(2 * pad + 7.2 * widest_title))
    width = max(width, 360)
    top = 34 if title else pad
    y = top  # the height first: a picture too big is refused before any pixel is drawn
    for p in panels:
        per_row = max(1, min(p.columns or columns, len(p.images)))
        y += heading_h + (24 if not p.images else -(-len(p.images) // per_row) * (p.side * cell + caption_h + 8) + 10)
    check_size(width, int(y + pad - 10), "images")
    _check_pixels(panels)
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
            vmax = max([abs(v) for img in p.images for v in img if v - v == 0.0] + [0.0]) or 1.0
        inks = {}  # (colour, level 1..16) -> path segments of the pixels of that shade, in the whole panel
        for k, img in enumerate(p.images):
            if len(img) != side * side:
                raise BackpropError("images: panel %r image %d has %d values, not %d x %d"
                                    % (p.title, k, len(img), side, side))
            col, row = k % n_cols, k // n_cols
            x0 = pad + col * (widest + gap_x)
            y0 = y + row * (size + caption_h + 8)
            scale = vmax if not p.signed else (max([abs(v) for v in img if v - v == 0.0] + [0.0]) or 1.0)
            cap = p.captions[k] if p.captions else ""
            out.append('<rect class="image" x="%s" y="%s" width="%d" height="%d" fill="#ffffff" stroke="#999999" '
                       'stroke-width="0.6"><title>%s</title></rect>' % (_num(x0), _num(y0), size, size, escape(cap)))
            for i, v in enumerate(img):
                if v != v:  # NaN: left white
                    continue
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
