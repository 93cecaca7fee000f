"""Teaching pictures for the course pages, as plain SVG text (built with the site).

Each function returns a standalone SVG document (a ``str``), computed with the
package's own functions: the curves are the activations of
:mod:`tinybackprop.activations`, the descent path is steps of the update rule.

==========================  ==========================================================
``activations()``           sigma, tanh and relu with their derivatives, side by side
``fork()``                  a value used twice: the two gradients flowing back add up
``loss_step(w, lr)``        one step on a loss curve: the loss, its slope, the step
``descent(lr, steps)``      a loss surface over two weights (contours) and the path
                            that gradient descent takes down it
==========================  ==========================================================

>>> import xml.etree.ElementTree as ET
>>> [ET.fromstring(f()).tag.endswith("svg") for f in (activations, fork, loss_step, descent)]
[True, True, True, True]
"""
from tinybackprop.activations import relu, relu_d, sigmoid, sigmoid_d, tanh, tanh_d
from tinybackprop.show.svg import NS, FONT, escape, fmt

INK = "#333333"
FUNC = "#1f5fa8"     # the function
DERIV = "#d9541a"    # its derivative
GRID = "#e3e3e3"
ARROW = ('<defs><marker id="%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
         'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker></defs>')


def _num(x):
    """A coordinate with at most 2 decimals."""
    s = ("%.2f" % x).rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _header(width, height, title):
    """The opening of a standalone SVG picture with a white background."""
    return ['<svg xmlns="%s" width="%d" height="%d" viewBox="0 0 %d %d" %s>' % (NS, width, height, width, height, FONT),
            "<title>%s</title>" % escape(title), '<rect width="100%" height="100%" fill="#ffffff"/>']


def _text(x, y, s, size=13, anchor="middle", color=INK, extra=""):
    return ('<text x="%s" y="%s" font-size="%d" text-anchor="%s" fill="%s"%s>%s</text>'
            % (_num(x), _num(y), size, anchor, color, extra, escape(s)))


def _line(x1, y1, x2, y2, color=INK, width=1.2, extra=""):
    return ('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>'
            % (_num(x1), _num(y1), _num(x2), _num(y2), color, _num(width), extra))


def _polyline(points, color, width=2.2, dash=""):
    return ('<polyline points="%s" fill="none" stroke="%s" stroke-width="%s"%s/>'
            % (" ".join("%s,%s" % (_num(x), _num(y)) for x, y in points), color, _num(width),
               ' stroke-dasharray="%s"' % dash if dash else ""))


def _panel(x0, y0, w, h, title, f, d, jump=False, lo=-4.0, hi=4.0, ylo=-1.2, yhi=1.6):
    """One plot of f (solid) and f' (dashed) on [lo, hi]; ``jump``: f' jumps at 0 (relu)."""
    def X(v):
        return x0 + (v - lo) / (hi - lo) * w

    def Y(v):
        return y0 + (1.0 - (v - ylo) / (yhi - ylo)) * h

    out = ['<g class="panel">', _text(x0 + w / 2.0, y0 - 10, title, 15, extra=' font-weight="bold"')]
    for v in (-1.0, 0.5, 1.0, 1.5):
        out.append(_line(x0, Y(v), x0 + w, Y(v), GRID, 1))
        out.append(_text(x0 - 5, Y(v) + 4, fmt(v), 11, "end"))
    out.append(_line(x0, Y(0), x0 + w, Y(0), INK, 1.2))
    out.append(_line(X(0), y0, X(0), y0 + h, INK, 1.2))
    for v in (lo, hi):
        out.append(_text(X(v), Y(0) + 15, fmt(v), 11))
    n = 160
    xs = [lo + (hi - lo) * k / n for k in range(n + 1)]
    out.append(_polyline([(X(v), Y(f(v))) for v in xs if f(v) <= yhi], FUNC))
    pieces, cur = [], []
    for v in xs:
        if jump and cur and (v > 0) != (cur[-1][0] > 0):  # two pieces, not a vertical line
            pieces.append(cur)
            cur = []
        cur.append((v, d(v)))
    pieces.append(cur)
    for piece in pieces:
        out.append(_polyline([(X(v), Y(y)) for v, y in piece], DERIV, 2.2, "6 4"))
    out.append(_text(x0 + w / 2.0, y0 + h + 22, "z", 13, extra=' font-style="italic"'))
    out.append("</g>")
    return out


def activations():
    """sigma, tanh and relu (solid) with their derivatives (dashed), on z in [-4, 4].

    >>> "tanh" in activations()
    True
    """
    w, h, gap, left, top = 230, 170, 70, 58, 62
    width, height = left + 3 * w + 2 * gap + 20, top + h + 80
    out = _header(width, height, "The activations and their derivatives")
    out.append(_text(width / 2.0, 24, "The activations g(z) (solid) and their derivatives g'(z) (dashed)", 16,
                     extra=' font-weight="bold"'))
    specs = (("sigmoid \u03c3", sigmoid, lambda z: sigmoid_d(z, sigmoid(z)), False),
             ("tanh", tanh, lambda z: tanh_d(z, tanh(z)), False),
             ("relu", relu, lambda z: relu_d(z, relu(z)), True))
    for k, (title, f, d, jump) in enumerate(specs):
        out += _panel(left + k * (w + gap), top, w, h, title, f, d, jump)
    ly = height - 16
    out.append(_line(width / 2.0 - 190, ly - 4, width / 2.0 - 160, ly - 4, FUNC, 2.2))
    out.append(_text(width / 2.0 - 154, ly, "g(z)", 13, "start"))
    out.append(_line(width / 2.0 + 20, ly - 4, width / 2.0 + 50, ly - 4, DERIV, 2.2, ' stroke-dasharray="6 4"'))
    out.append(_text(width / 2.0 + 56, ly, "g'(z), the local gradient", 13, "start"))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def fork():
    """A value x used by two nodes: the gradients that flow back along both add up.

    >>> "add up" in fork()
    True
    """
    width, height = 640, 300
    out = _header(width, height, "A fork: two flows back add up")
    out.append(ARROW % ("tb-fwd", INK) + ARROW % ("tb-bwd", DERIV))
    out.append(_text(width / 2.0, 26, "A value used twice: its gradient is the sum of the two flows back", 16,
                     extra=' font-weight="bold"'))
    nodes = {"x": (90, 160), "u": (300, 85), "v": (300, 235), "L": (520, 160)}
    labels = {"x": "x", "u": "u = f(x)", "v": "v = h(x)", "L": "L(u, v)"}
    for a, b in (("x", "u"), ("x", "v"), ("u", "L"), ("v", "L")):
        (x1, y1), (x2, y2) = nodes[a], nodes[b]
        out.append(_line(x1 + 34, y1 + (y2 - y1) * 0.14, x2 - 40, y2 - (y2 - y1) * 0.14, INK, 1.6,
                         ' marker-end="url(#tb-fwd)"'))
        # the gradient, drawn backwards below/above the edge
        dy = 16 if y2 >= y1 else -16
        if a == "x":
            dy = -dy
        out.append(_line(x2 - 46, y2 - (y2 - y1) * 0.14 + dy, x1 + 40, y1 + (y2 - y1) * 0.14 + dy, DERIV, 1.8,
                         ' stroke-dasharray="5 3" marker-end="url(#tb-bwd)"'))
    for k, (x, y) in nodes.items():
        out.append('<ellipse cx="%s" cy="%s" rx="42" ry="24" fill="#ffffff" stroke="%s" stroke-width="1.6"/>'
                   % (_num(x), _num(y), INK))
        out.append(_text(x, y + 5, labels[k], 13))
    out.append(_text(420, 100, "\u2202L/\u2202u", 13, color=DERIV))
    out.append(_text(420, 236, "\u2202L/\u2202v", 13, color=DERIV))
    out.append(_text(200, 98, "\u2202L/\u2202u \u00b7 f'(x)", 13, color=DERIV))
    out.append(_text(200, 236, "\u2202L/\u2202v \u00b7 h'(x)", 13, color=DERIV))
    out.append(_text(width / 2.0, height - 14,
                     "\u2202L/\u2202x = \u2202L/\u2202u \u00b7 f'(x) + \u2202L/\u2202v \u00b7 h'(x): the two flows add up",
                     14, color=DERIV))
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


def descent(lr=0.3, steps=12):
    """Contours of a loss over two weights and the path of gradient descent on it.

    >>> s = descent()
    >>> s.count("<circle") == 13 + 1   # the 13 weights visited, and the minimum
    True
    """
    width, height = 640, 400
    left, top, pw, ph = 60, 50, 540, 300
    lo1, hi1, lo2, hi2 = -3.0, 3.0, -0.8, 1.9

    def X(v):
        return left + (v - lo1) / (hi1 - lo1) * pw

    def Y(v):
        return top + (1.0 - (v - lo2) / (hi2 - lo2)) * ph

    out = _header(width, height, "Gradient descent on a loss surface")
    out.append(ARROW % ("tb-step", DERIV))
    out.append(_text(width / 2.0, 28, "A loss over two weights (contours) and gradient descent on it", 16,
                     extra=' font-weight="bold"'))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="#fbfbfb" stroke="%s"/>' % (left, top, pw, ph, INK))
    # contours: the ellipses L = c, traced by marching along angles (the loss is a quadratic form)
    import math
    a, b, c = 0.5, 2.5, 0.6
    for level in (0.05, 0.2, 0.5, 1.0, 1.8, 2.8, 4.0, 5.5):
        pts = []
        for k in range(121):
            t = 2 * math.pi * k / 120
            u1, u2 = math.cos(t), math.sin(t)
            q = a * u1 * u1 + b * u2 * u2 + c * u1 * u2
            r = math.sqrt(level / q)
            w1, w2 = 1.0 + r * u1, 0.5 + r * u2
            pts.append((X(max(lo1, min(hi1, w1))), Y(max(lo2, min(hi2, w2)))))
        out.append(_polyline(pts, "#9fb6d6", 1.1))
    path = descent_path(lr, steps)
    for (p1, p2), (q1, q2) in zip(path, path[1:]):
        out.append(_line(X(p1), Y(p2), X(q1), Y(q2), DERIV, 2, ' marker-end="url(#tb-step)"'))
    for k, (p1, p2) in enumerate(path):
        out.append('<circle cx="%s" cy="%s" r="%s" fill="%s"/>' % (_num(X(p1)), _num(Y(p2)), "4.5" if k == 0 else "3",
                                                                   DERIV))
    out.append(_text(X(path[0][0]) + 8, Y(path[0][1]) - 10, "start", 13, "start"))
    out.append(_text(X(1.0) + 8, Y(0.5) + 26, "minimum", 13, "start"))
    out.append('<circle cx="%s" cy="%s" r="4" fill="none" stroke="%s" stroke-width="1.6"/>'
               % (_num(X(1.0)), _num(Y(0.5)), INK))
    out.append(_text(left + pw / 2.0, top + ph + 30, "weight w\u2081", 13))
    out.append(_text(20, top + ph / 2.0, "weight w\u2082", 13, extra=' transform="rotate(-90 20 %s)"' % _num(top + ph / 2.0)))
    out.append(_text(width / 2.0, height - 8, "each step: w \u2190 w \u2212 \u03b1 \u2202L/\u2202w (\u03b1 = %s), across the "
                     "contours, steepest where they are close" % fmt(lr), 12))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def loss_step(w=-1.2, lr=0.35):
    """One gradient step on a loss of one weight: the loss, its slope at w, the step.

    >>> "slope" in loss_step()
    True
    """
    def L(v):
        return 0.5 * (v - 1.0) ** 2 + 0.15

    def dL(v):
        return v - 1.0

    width, height = 640, 330
    left, top, pw, ph = 50, 50, 560, 220
    lo, hi, ylo, yhi = -1.8, 3.0, 0.0, 3.2

    def X(v):
        return left + (v - lo) / (hi - lo) * pw

    def Y(v):
        return top + (1.0 - (v - ylo) / (yhi - ylo)) * ph

    out = _header(width, height, "Loss, gradient, step")
    out.append(ARROW % ("tb-ls", DERIV))
    out.append(_text(width / 2.0, 26, "1. the loss  \u2192  2. its gradient  \u2192  3. a step downhill", 16,
                     extra=' font-weight="bold"'))
    out.append(_line(left, top + ph, left + pw, top + ph, INK, 1.2))
    out.append(_line(left, top, left, top + ph, INK, 1.2))
    xs = [lo + (hi - lo) * k / 100 for k in range(101)]
    out.append(_polyline([(X(v), Y(L(v))) for v in xs if L(v) <= yhi], FUNC))
    out.append(_text(X(2.6), Y(L(2.6)) - 6, "loss L(w)", 13, "end", FUNC))
    # the tangent at w: its slope is the gradient
    slope = dL(w)
    t0, t1 = w - 0.35, w + 0.75
    out.append(_line(X(t0), Y(L(w) + slope * (t0 - w)), X(t1), Y(L(w) + slope * (t1 - w)), DERIV, 1.8, ' stroke-dasharray="6 4"'))
    out.append(_text(X(w) + 16, Y(L(w)) - 6, "slope \u2202L/\u2202w = %s" % fmt(slope), 13, "start", DERIV))
    w2 = w - lr * slope
    out.append('<circle cx="%s" cy="%s" r="5" fill="%s"/>' % (_num(X(w)), _num(Y(L(w))), FUNC))
    out.append('<circle cx="%s" cy="%s" r="5" fill="%s"/>' % (_num(X(w2)), _num(Y(L(w2))), DERIV))
    out.append(_line(X(w), top + ph - 12, X(w2) - 4, top + ph - 12, DERIV, 2.2, ' marker-end="url(#tb-ls)"'))
    out.append(_text((X(w) + X(w2)) / 2.0, top + ph - 20, "step \u2212\u03b1 \u2202L/\u2202w", 13, color=DERIV))
    out.append(_text(X(w), top + ph + 20, "w", 13, extra=' font-style="italic"'))
    out.append(_text(X(w2), top + ph + 20, "new w", 13))
    out.append(_text(width / 2.0, height - 10, "The loss falls from %s to %s; a network does this for every weight at once"
                     % (fmt(L(w)), fmt(L(w2))), 12))
    out.append("</svg>")
    return "\n".join(out) + "\n"
