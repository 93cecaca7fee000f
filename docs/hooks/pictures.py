"""Teaching pictures for the course pages, as plain SVG text (built with the site).

Each function returns a standalone SVG document (a ``str``), or a list of them for a
picture in panels (side by side on a wide screen, one under the other on a phone),
computed with the package's own functions: the curves are the activations of
:mod:`tinybackprop.activations`, the descent path is steps of the update rule, the ravine
paths are steps of :mod:`tinybackprop.optimizers`.

Drawn for a phone: every picture is at most :data:`WIDTH` units wide with text of 13 or
more, so on a 390 px screen no text is smaller than 9 px (docs/hooks/figures.py and
tests/docs/test_site_browser.py hold the site to that). The colours keep the site's one
meaning each: ink for values and functions, :data:`GRAD` (purple) for derivatives and
gradients; blue and red mean a sign and amber a highlight, so they are not used here.

==========================  ==========================================================
``activations()``           sigma, tanh and relu with their derivatives: three panels
``fork()``                  a value used twice: the two gradients flowing back add up
``loss_step(w, lr)``        one step on a loss curve: the loss, its slope, the step
``descent(lr, steps)``      a loss surface over two weights (contours) and the path
                            that gradient descent takes down it
``ravine(paths)``           the ravine of the optimizers page and each optimizer's path
                            down it: one panel per optimizer
``early_stopping(...)``     training and validation loss, the lowest point, the stop
==========================  ==========================================================

>>> import xml.etree.ElementTree as ET
>>> [ET.fromstring(f()).tag.endswith("svg") for f in (fork, loss_step, descent)]
[True, True, True]
>>> [ET.fromstring(s).tag.endswith("svg") for s in activations()]
[True, True, True]
"""
import math

from tinybackprop.activations import relu, relu_d, sigmoid, sigmoid_d, tanh, tanh_d
from tinybackprop.show.svg import FONT, GRADIENT, NS, escape, fmt

INK = "#333333"
GRAD = GRADIENT      # a derivative, a gradient: what flows backward
GRID = "#e3e3e3"
CONTOUR = "#b9b9b9"
WIDTH = 460          # the widest picture: 460 units on a 358 px column keeps 13-unit text above 9 px
ARROW = ('<defs><marker id="%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
         'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker></defs>')


def _num(x):
    """A coordinate with at most 2 decimals."""
    s = ("%.2f" % x).rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _header(width, height, title):
    """The opening of a standalone SVG picture with a white background and its title, drawn."""
    return ['<svg xmlns="%s" width="%d" height="%d" viewBox="0 0 %d %d" %s>' % (NS, width, height, width, height, FONT),
            "<title>%s</title>" % escape(title), '<rect width="100%" height="100%" fill="#ffffff"/>',
            _text(width / 2.0, 22, title, 15, extra=' font-weight="bold"')]


def _text(x, y, s, size=13, anchor="middle", color=INK, extra=""):
    return ('<text x="%s" y="%s" font-size="%s" text-anchor="%s" fill="%s"%s>%s</text>'
            % (_num(x), _num(y), _num(size), anchor, color, extra, escape(s)))


def _line(x1, y1, x2, y2, color=INK, width=1.2, extra=""):
    return ('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>'
            % (_num(x1), _num(y1), _num(x2), _num(y2), color, _num(width), extra))


def _polyline(points, color, width=2.2, dash=""):
    return ('<polyline points="%s" fill="none" stroke="%s" stroke-width="%s"%s/>'
            % (" ".join("%s,%s" % (_num(x), _num(y)) for x, y in points), color, _num(width),
               ' stroke-dasharray="%s"' % dash if dash else ""))


def _activation(title, name, f, d, jump=False, lo=-4.0, hi=4.0, ylo=-1.2, yhi=1.6):
    """One panel: f (solid) and f' (dashed) on [lo, hi]; ``jump``: f' jumps at 0 (relu)."""
    width, height = 300, 268
    x0, y0, w, h = 44, 40, 240, 168

    def X(v):
        return x0 + (v - lo) / (hi - lo) * w

    def Y(v):
        return y0 + (1.0 - (v - ylo) / (yhi - ylo)) * h

    out = _header(width, height, title)
    for v in (-1.0, 0.5, 1.0, 1.5):
        out.append(_line(x0, Y(v), x0 + w, Y(v), GRID, 1))
        out.append(_text(x0 - 5, Y(v) + 4, fmt(v), 13, "end"))
    out.append(_line(x0, Y(0), x0 + w, Y(0), INK, 1.2))
    out.append(_line(X(0), y0, X(0), y0 + h, INK, 1.2))
    for v in (lo, hi):
        out.append(_text(X(v) + (12 if v == lo else -12), Y(0) + 17, fmt(v), 13))
    n = 160
    xs = [lo + (hi - lo) * k / n for k in range(n + 1)]
    out.append(_polyline([(X(v), Y(f(v))) for v in xs if f(v) <= yhi], INK, 2.4))
    pieces, cur = [], []
    for v in xs:
        if jump and cur and (v > 0) != (cur[-1][0] > 0):  # two pieces, not a vertical line
            pieces.append(cur)
            cur = []
        cur.append((v, d(v)))
    pieces.append(cur)
    for piece in pieces:
        out.append(_polyline([(X(v), Y(y)) for v, y in piece], GRAD, 2.4, "6 4"))
    out.append(_text(X(hi) - 2, y0 + h + 18, "z", 13, "end", extra=' font-style="italic"'))
    ly = height - 14
    out.append(_line(x0, ly - 4, x0 + 28, ly - 4, INK, 2.4))
    out.append(_text(x0 + 34, ly, "%s(z)" % name, 13, "start"))
    out.append(_line(x0 + 120, ly - 4, x0 + 148, ly - 4, GRAD, 2.4, ' stroke-dasharray="6 4"'))
    out.append(_text(x0 + 154, ly, "%s\u2032(z)" % name, 13, "start", GRAD))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def activations():
    """sigma, tanh and relu (solid, ink) with their derivatives (dashed, purple) on z in
    [-4, 4]: three panels.

    >>> [s.count("<polyline") for s in activations()]
    [2, 2, 3]
    """
    return [
        _activation("The sigmoid \u03c3 and its derivative", "\u03c3", sigmoid, lambda z: sigmoid_d(z, sigmoid(z))),
        _activation("tanh and its derivative", "tanh", tanh, lambda z: tanh_d(z, tanh(z))),
        _activation("relu and its derivative", "relu", relu, lambda z: relu_d(z, relu(z)), jump=True),
    ]


def fork():
    """A value x used by two nodes: the gradients that flow back along both add up.

    >>> "add up" in fork()
    True
    """
    width, height = WIDTH, 330
    out = _header(width, height, "A value used twice: its two flows back add up")
    out.append(ARROW % ("tb-fwd", INK) + ARROW % ("tb-bwd", GRAD))
    nodes = {"x": (62, 170), "u": (230, 92), "v": (230, 248), "L": (398, 170)}
    labels = {"x": "x", "u": "u = f\u2081(x)", "v": "v = f\u2082(x)", "L": "L(u, v)"}
    for a, b in (("x", "u"), ("x", "v"), ("u", "L"), ("v", "L")):
        (x1, y1), (x2, y2) = nodes[a], nodes[b]
        sx, ex = (x1 + 30, x2 - 48) if a == "x" else (x1 + 48, x2 - 30)
        out.append(_line(sx, y1 + (y2 - y1) * 0.2, ex, y2 - (y2 - y1) * 0.2, INK, 1.6, ' marker-end="url(#tb-fwd)"'))
        dy = 14 if (y2 > y1) == (a == "x") else -14
        dy = -dy
        out.append(_line(ex - 4, y2 - (y2 - y1) * 0.2 + dy, sx + 4, y1 + (y2 - y1) * 0.2 + dy, GRAD, 1.8,
                         ' stroke-dasharray="5 3" marker-end="url(#tb-bwd)"'))
    for k, (x, y) in nodes.items():
        rx = 28 if k in ("x", "L") and labels[k] == "x" else 46
        out.append('<ellipse cx="%s" cy="%s" rx="%d" ry="22" fill="#ffffff" stroke="%s" stroke-width="1.6"/>'
                   % (_num(x), _num(y), rx, INK))
        out.append(_text(x, y + 5, labels[k], 13))
    out.append(_text(352, 104, "\u2202L/\u2202u", 13, color=GRAD))
    out.append(_text(352, 246, "\u2202L/\u2202v", 13, color=GRAD))
    out.append(_text(112, 100, "\u2202L/\u2202u \u00b7 f\u2081\u2032(x)", 13, color=GRAD))
    out.append(_text(112, 252, "\u2202L/\u2202v \u00b7 f\u2082\u2032(x)", 13, color=GRAD))
    out.append(_text(width / 2.0, height - 34, "\u2202L/\u2202x = \u2202L/\u2202u \u00b7 f\u2081\u2032(x) + "
                     "\u2202L/\u2202v \u00b7 f\u2082\u2032(x)", 14, color=GRAD))
    out.append(_text(width / 2.0, height - 12, "the two flows add up", 13, color=GRAD))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _quad(w1, w2):
    """The loss surface of :func:`descent`: a long, tilted valley (a bowl that is steep one way)."""
    return 0.5 * (w1 - 1.0) ** 2 + 2.5 * (w2 - 0.5) ** 2 + 0.6 * (w1 - 1.0) * (w2 - 0.5)


def _quad_grad(w1, w2):
    return (w1 - 1.0) + 0.6 * (w2 - 0.5), 5.0 * (w2 - 0.5) + 0.6 * (w1 - 1.0)


def descent_path(lr=0.3, steps=12, start=(-2.2, 1.6)):
    """The weights gradient descent visits on the loss of :func:`descent`:
    w <- w - lr dL/dw, ``steps`` times from ``start``.

    >>> path = descent_path(lr=0.3, steps=12)
    >>> len(path), abs(path[-1][0] - 1.0) < abs(path[0][0] - 1.0)
    (13, True)
    """
    w1, w2 = start
    path = [(w1, w2)]
    for _ in range(steps):
        g1, g2 = _quad_grad(w1, w2)
        w1, w2 = w1 - lr * g1, w2 - lr * g2
        path.append((w1, w2))
    return path


def _ellipses(out, X, Y, a, b, c, centre, levels, box):
    """Contours a u1^2 + b u2^2 + c u1 u2 = level around ``centre``, clipped to ``box``."""
    lo1, hi1, lo2, hi2 = box
    for level in levels:
        pts = []
        for k in range(121):
            t = 2 * math.pi * k / 120
            u1, u2 = math.cos(t), math.sin(t)
            r = math.sqrt(level / (a * u1 * u1 + b * u2 * u2 + c * u1 * u2))
            w1, w2 = centre[0] + r * u1, centre[1] + r * u2
            pts.append((X(max(lo1, min(hi1, w1))), Y(max(lo2, min(hi2, w2)))))
        out.append(_polyline(pts, CONTOUR, 1.1))


def descent(lr=0.3, steps=12):
    """Contours of a loss over two weights and the path of gradient descent on it.

    >>> s = descent()
    >>> s.count("<circle") == 13 + 1   # the 13 weights visited, and the minimum
    True
    """
    width, height = WIDTH, 372
    left, top, pw, ph = 46, 40, 400, 250
    lo1, hi1, lo2, hi2 = -3.0, 3.0, -0.8, 1.9

    def X(v):
        return left + (v - lo1) / (hi1 - lo1) * pw

    def Y(v):
        return top + (1.0 - (v - lo2) / (hi2 - lo2)) * ph

    out = _header(width, height, "Gradient descent on a loss of two weights")
    out.append(ARROW % ("tb-step", INK))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="#fbfbfb" stroke="%s"/>' % (left, top, pw, ph, INK))
    _ellipses(out, X, Y, 0.5, 2.5, 0.6, (1.0, 0.5), (0.05, 0.2, 0.5, 1.0, 1.8, 2.8, 4.0, 5.5), (lo1, hi1, lo2, hi2))
    path = descent_path(lr, steps)
    for (p1, p2), (q1, q2) in zip(path, path[1:]):
        out.append(_line(X(p1), Y(p2), X(q1), Y(q2), INK, 1.8, ' marker-end="url(#tb-step)"'))
    for k, (p1, p2) in enumerate(path):
        out.append('<circle cx="%s" cy="%s" r="%s" fill="%s"/>' % (_num(X(p1)), _num(Y(p2)), "4.5" if k == 0 else "3",
                                                                   INK))
    out.append(_text(X(path[0][0]) + 8, Y(path[0][1]) - 10, "start", 13, "start"))
    out.append(_text(X(1.0) + 8, Y(0.5) + 26, "minimum", 13, "start"))
    out.append('<circle cx="%s" cy="%s" r="4" fill="none" stroke="%s" stroke-width="1.6"/>'
               % (_num(X(1.0)), _num(Y(0.5)), INK))
    out.append(_text(left + pw / 2.0, top + ph + 22, "weight w\u2081", 13))
    out.append(_text(16, top + ph / 2.0, "weight w\u2082", 13, extra=' transform="rotate(-90 16 %s)"' % _num(top + ph / 2.0)))
    out.append(_text(width / 2.0, height - 26, "each step: w \u2190 w \u2212 \u03b1 \u2202L/\u2202w, \u03b1 = %s," % fmt(lr), 13))
    out.append(_text(width / 2.0, height - 8, "across the contours, steepest where they are close", 13))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def ravine(paths, box=(-0.7, 2.3, -1.3, 1.3)):
    """The ravine of the optimizers page, L = (w1^2 + 25 w2^2) / 4 (contours), and the
    weights each optimizer visits on it: ``paths`` is a list of (title, [(w1, w2), ...]);
    one panel each.

    >>> panels = ravine([("plain", [(2.0, 1.0), (1.9, -0.25)]), ("other", [(2.0, 1.0)])])
    >>> len(panels), panels[0].count("<circle")
    (2, 3)
    """
    lo1, hi1, lo2, hi2 = box
    width, height = 300, 304
    left, top, pw = 40, 36, 250
    ph = pw * (hi2 - lo2) / (hi1 - lo1)  # the same scale on both axes: the ravine's real shape

    def X(v):
        return left + (v - lo1) / (hi1 - lo1) * pw

    def Y(v):
        return top + (1.0 - (v - lo2) / (hi2 - lo2)) * ph

    panels = []
    for title, path in paths:
        out = _header(width, height, title)
        out.append(ARROW % ("tb-rv", INK))
        out.append('<rect x="%d" y="%d" width="%d" height="%s" fill="#fbfbfb" stroke="%s"/>'
                   % (left, top, pw, _num(ph), INK))
        _ellipses(out, X, Y, 0.25, 6.25, 0.0, (0.0, 0.0), (0.02, 0.1, 0.3, 0.7, 1.3, 2.2, 3.5, 5.0), box)
        inside = [(max(lo1, min(hi1, a)), max(lo2, min(hi2, b))) for a, b in path]
        out.append(_polyline([(X(a), Y(b)) for a, b in inside], INK, 1.6))
        for k, (a, b) in enumerate(inside):
            out.append('<circle cx="%s" cy="%s" r="%s" fill="%s"/>' % (_num(X(a)), _num(Y(b)), "4" if k == 0 else "2.4",
                                                                       INK))
        out.append('<circle cx="%s" cy="%s" r="4.5" fill="none" stroke="%s" stroke-width="1.6"/>'
                   % (_num(X(0.0)), _num(Y(0.0)), INK))
        end = path[-1]
        out.append(_text(X(path[0][0]) - 6, Y(path[0][1]) - 8, "start", 13, "end"))
        out.append(_text(left + pw / 2.0, top + ph + 18, "w\u2081", 13))
        out.append(_text(14, top + ph / 2.0, "w\u2082", 13))
        out.append(_text(width / 2.0, height - 10, "after %d steps: (%s, %s)" % (len(path) - 1, fmt(end[0]), fmt(end[1])),
                         13))
        out.append("</svg>")
        panels.append("\n".join(out) + "\n")
    return panels


def loss_step(w=-1.2, lr=0.35):
    """One gradient step on a loss of one weight: the loss, its slope at w, the step.

    >>> "slope" in loss_step()
    True
    """
    def L(v):
        return 0.5 * (v - 1.0) ** 2 + 0.15

    def dL(v):
        return v - 1.0

    width, height = WIDTH, 330
    left, top, pw, ph = 24, 40, 420, 220
    lo, hi, ylo, yhi = -1.8, 3.0, 0.0, 3.2

    def X(v):
        return left + (v - lo) / (hi - lo) * pw

    def Y(v):
        return top + (1.0 - (v - ylo) / (yhi - ylo)) * ph

    out = _header(width, height, "1. the loss \u2192 2. its gradient \u2192 3. a step downhill")
    out.append(ARROW % ("tb-ls", INK))
    out.append(_line(left, top + ph, left + pw, top + ph, INK, 1.2))
    out.append(_line(left, top, left, top + ph, INK, 1.2))
    xs = [lo + (hi - lo) * k / 100 for k in range(101)]
    out.append(_polyline([(X(v), Y(L(v))) for v in xs if L(v) <= yhi], INK, 2.4))
    out.append(_text(X(2.45), Y(L(2.45)) + 4, "loss L(w)", 13, "start"))
    # the tangent at w: its slope is the gradient
    slope = dL(w)
    t0, t1 = w - 0.3, w + 0.75
    out.append(_line(X(t0), Y(L(w) + slope * (t0 - w)), X(t1), Y(L(w) + slope * (t1 - w)), GRAD, 2,
                     ' stroke-dasharray="6 4"'))
    out.append(_text(X(w) + 16, Y(L(w)) - 4, "slope \u2202L/\u2202w = %s" % fmt(slope), 13, "start", GRAD))
    w2 = w - lr * slope
    out.append('<circle cx="%s" cy="%s" r="5" fill="#ffffff" stroke="%s" stroke-width="2"/>'
               % (_num(X(w)), _num(Y(L(w))), INK))
    out.append('<circle cx="%s" cy="%s" r="5" fill="%s"/>' % (_num(X(w2)), _num(Y(L(w2))), INK))
    out.append(_line(X(w), top + ph - 12, X(w2) - 4, top + ph - 12, INK, 2.2, ' marker-end="url(#tb-ls)"'))
    out.append(_text((X(w) + X(w2)) / 2.0, top + ph - 20, "step \u2212\u03b1 \u2202L/\u2202w", 13))
    out.append(_text(X(w), top + ph + 18, "w", 13, extra=' font-style="italic"'))
    out.append(_text(X(w2), top + ph + 18, "new w", 13))
    out.append(_text(width / 2.0, height - 26, "The loss falls from %s to %s;" % (fmt(L(w)), fmt(L(w2))), 13))
    out.append(_text(width / 2.0, height - 8, "a network does this for every weight at once", 13))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def early_stopping(train, val, best, stopped, patience):
    """The training and validation loss after each epoch (``train``, ``val``: lists), the
    lowest validation loss (epoch ``best``) marked, and where ``patience`` epochs without a
    new lowest stop the run (epoch ``stopped``).

    >>> s = early_stopping([0.7, 0.5, 0.3, 0.2], [0.7, 0.6, 0.65, 0.7], 2, 4, 2)
    >>> "epoch 2" in s and "stops at epoch 4" in s
    True
    """
    from tinybackprop.show.svg import TRAIN_COLOR, VAL_COLOR, nice_ticks
    width, height = WIDTH, 360
    left, top, pw, ph = 52, 78, 392, 214
    n = len(train)
    yt = nice_ticks(0.0, max(max(train), max(val)))

    def X(e):
        return left + e / float(n) * pw

    def Y(v):
        return top + (1.0 - v / yt[-1]) * ph

    out = _header(width, height, "Training and validation loss, and where to stop")
    for v in yt:
        out.append(_line(left, Y(v), left + pw, Y(v), GRID, 1))
        out.append(_text(left - 6, Y(v) + 4, fmt(v), 13, "end"))
    for e in nice_ticks(0, n, count=5):
        if e <= n:
            out.append(_text(X(e), top + ph + 18, fmt(e), 13))
    out.append(_line(left, top + ph, left + pw, top + ph, INK, 1.2))
    out.append(_line(left, top, left, top + ph, INK, 1.2))
    out.append(_text(left + pw / 2.0, top + ph + 38, "epoch", 13))
    for x in (best, stopped):
        out.append(_line(X(x), top - 4, X(x), top + ph, "#777777", 1.2, ' stroke-dasharray="2 3"'))
    out.append(_text(X(best) - 4, top - 26, "lowest validation loss:", 13, "end"))
    out.append(_text(X(best) - 4, top - 10, "epoch %d" % best, 13, "end"))
    out.append(_text(X(stopped) + 4, top - 26, "patience %d" % patience, 13, "start"))
    out.append(_text(X(stopped) + 4, top - 10, "stops at epoch %d" % stopped, 13, "start"))
    out.append(_polyline([(X(e + 1), Y(v)) for e, v in enumerate(train)], TRAIN_COLOR, 2.2))
    out.append(_polyline([(X(e + 1), Y(v)) for e, v in enumerate(val)], VAL_COLOR, 2.2, "7 4"))
    ly = height - 10
    out.append(_line(left, ly - 4, left + 28, ly - 4, TRAIN_COLOR, 2.2))
    out.append(_text(left + 34, ly, "training loss", 13, "start"))
    out.append(_line(left + 170, ly - 4, left + 198, ly - 4, VAL_COLOR, 2.2, ' stroke-dasharray="7 4"'))
    out.append(_text(left + 204, ly, "validation loss", 13, "start"))
    out.append("</svg>")
    return "\n".join(out) + "\n"
