"""The warm-up page's computational graph as SVG (docs/warm-up.md): only the site draws it.

``graph(nodes)`` draws the nodes ``course.graph_111`` (docs/hooks/course.py) returns, with the
package's SVG conventions (:mod:`tinybackprop.show.svg`: its colours, font and number format).
Loaded by teach.py; tests/docs/test_graph_svg.py runs the doctest below.
"""
from tinybackprop.show import svg


def num(x):
    """Coordinates with at most 2 decimals, no trailing zeros."""
    s = "%.2f" % x
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def header(width, height, title):
    return ['<svg xmlns="%s" width="%d" height="%d" viewBox="0 0 %d %d" %s>'
            % (svg.NS, width, height, width, height, svg.FONT),
            "<title>%s</title>" % svg.escape(title),
            '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (width, height)]


GATE = {"multiply": "\u00d7", "add": "+", "activation": "\u03c3", "loss": "BCE"}
PLAIN = {"x": "x", "w1": "w[1]", "p1": "w[1]\u00b7x", "b1": "b[1]", "z1": "z[1]", "a1": "a[1]",
          "w2": "w[2]", "p2": "w[2]\u00b7a[1]", "b2": "b[2]", "z2": "z[2]", "yhat": "\u0177 = a[2]", "L": "L"}


def graph(nodes, title=None):
    """A computational graph drawn top to bottom (narrow enough for a phone): one box per
    node of ``nodes`` (as ``course.graph_111`` (docs/hooks/course.py) returns them), its
    gate (x, +, sigma, the loss) in a circle, its value in black above and its gradient
    dL/d(node) in purple below; the chain of gates runs down the right column and the
    input and the parameters stand in the left one, each beside the gate that uses it.

    >>> from course import graph_111
    >>> text = graph(graph_111())
    >>> text.count('class="gnode"'), text.count('class="gedge"')
    (12, 11)
    """
    chain = [n for n in nodes if n["kind"] != "parameter" and n["kind"] != "input"]
    side = [n for n in nodes if n["kind"] in ("parameter", "input")]
    step, box_w, box_h = 96, 112, 34
    top = 66 if title else 34
    cx_chain, cx_side = 262, 84
    width = 340
    pos = {}
    for k, n in enumerate(chain):
        pos[n["name"]] = (cx_chain, top + step * k)
    for n in side:  # beside the first gate that takes it as an input; the input one row above
        user = [c["name"] for c in chain if n["name"] in c["inputs"]][0]
        x, y = pos[user]
        pos[n["name"]] = (cx_side, y - (step if n["kind"] == "input" else 0))
    shift = top - min(y for x, y in pos.values())
    pos = dict((k, (x, y + shift)) for k, (x, y) in pos.items())
    height = max(y for x, y in pos.values()) + box_h / 2.0 + 62
    out = header(width, int(height), title or "computational graph")
    if title:
        out.append('<text x="%s" y="26" font-size="16" font-weight="bold" text-anchor="middle">%s</text>'
                   % (num(width / 2.0), svg.escape(title)))
    out.append('<defs><marker id="tb-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
               'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#666666"/>'
               '</marker></defs>')
    out.append('<g class="gedges" stroke="#666666" stroke-width="1.6" fill="none">')
    for n in nodes:
        for src in n["inputs"]:
            x1, y1 = pos[src]
            x2, y2 = pos[n["name"]]
            if x1 == x2:  # down the chain: from below the gradient to above the value
                a, b = (x1, y1 + box_h / 2.0 + 20), (x2, y2 - box_h / 2.0 - 18)
            else:  # from the left column into the gate's box
                a, b = (x1 + box_w / 2.0, y1), (x2 - box_w / 2.0 - 2, y2)
            out.append('<line class="gedge" x1="%s" y1="%s" x2="%s" y2="%s" marker-end="url(#tb-arrow)"/>'
                       % (num(a[0]), num(a[1]), num(b[0]), num(b[1])))
    out.append("</g>")
    for n in nodes:
        x, y = pos[n["name"]]
        fill = {"input": "#f2f2f2", "parameter": "#eef7ee", "loss": "#e4e4e4"}.get(n["kind"], "#ffffff")
        out.append('<g class="gnode"><title>%s = %.6g; dL/d%s = %.6g</title>'
                   % (svg.escape(PLAIN.get(n["name"], n["name"])), n["value"], svg.escape(n["name"]), n["grad"]))
        out.append('<rect x="%s" y="%s" width="%d" height="%d" rx="6" fill="%s" stroke="#444444" stroke-width="1.3"/>'
                   % (num(x - box_w / 2.0), num(y - box_h / 2.0), box_w, box_h, fill))
        out.append('<text x="%s" y="%s" font-size="14" text-anchor="middle">%s</text>'
                   % (num(x), num(y + 5), svg.escape(PLAIN.get(n["name"], n["name"]))))
        gate = GATE.get(n["kind"])
        if gate:
            out.append('<circle cx="%s" cy="%s" r="13" fill="#ffffff" stroke="#444444"/>'
                       '<text x="%s" y="%s" font-size="%s" text-anchor="middle" font-weight="bold">%s</text>'
                       % (num(x + box_w / 2.0), num(y - box_h / 2.0), num(x + box_w / 2.0),
                          num(y - box_h / 2.0 + 4.5), "10" if len(gate) > 1 else "14", svg.escape(gate)))
        out.append('<text class="value" x="%s" y="%s" font-size="13" text-anchor="middle" fill="#222222">'
                   '%s</text>' % (num(x), num(y - box_h / 2.0 - 6), "= " + svg.fmt(n["value"], 4)))
        out.append('<text class="grad" x="%s" y="%s" font-size="13" text-anchor="middle" fill="%s">'
                   '%s</text>' % (num(x), num(y + box_h / 2.0 + 16), svg.GRADIENT, "\u2202L: " + svg.fmt(n["grad"], 4)))
        out.append("</g>")
    for k, line in enumerate(("black: the value (forward pass);", "purple \u2202L: the gradient dL/d(node) (backward)")):
        out.append('<text class="legend" x="%s" y="%s" font-size="12.5" text-anchor="middle" fill="#555555">%s</text>'
                   % (num(width / 2.0), num(height - 28 + 17 * k), svg.escape(line)))
    out.append("</svg>")
    return "\n".join(out) + "\n"
