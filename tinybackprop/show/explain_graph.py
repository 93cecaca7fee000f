"""One backward pass by the graph of numbers, node by node, in the order backward visits them.

The third path (:mod:`tinybackprop.graph`) has no equations per layer: every node
applies one rule, [eq:graph.chain], and passes its local derivative times its own
gradient to each parent.  This module lays that pass out with the numbers of one
example, for ``tinybackprop explain --path graph``.

===================================  ===================================================
``explain_graph(net, x, y, fmt)``    the trace, as text or Markdown: every node in the
                                     order backward visits it, its value, its gradient
                                     and what it adds to each parent's gradient
===================================  ===================================================

>>> from tinybackprop import Network
>>> text = explain_graph(Network([1, 1, 1], seed=3), [0.5], [1.0])
>>> [line.split()[1] for line in text.splitlines() if line[:5].strip().rstrip(".").isdigit()][:3]
['L', 'a^[2]_1', 'z^[2]_1']
"""
import textwrap

from .. import graph, vectorized
from ..errors import BackpropError
from ..gradcheck import compare


def _num(v):
    s = "%.4g" % v
    return "0" if s in ("0", "-0") else s


def _paren(v):
    return "(%s)" % _num(v) if v < 0 else _num(v)


def explain_graph(net, x, y, fmt="text"):
    """The backward pass of the example (x, y) through ``net`` by
    :func:`tinybackprop.graph.build` and the loss node's ``backward``: one entry
    per node, in the order ``backward`` visits them (1: the loss), each with its
    value, its gradient dL/d(node) (complete when it is visited) and, for each
    parent, local derivative * gradient, the share it adds there.  Ends with the
    comparison against :func:`tinybackprop.vectorized.backward`.  ``fmt``:
    "text" or "markdown".

    >>> from tinybackprop import Network
    >>> text = explain_graph(Network([1, 1], output="identity", loss="squared_error"), [1.0], [0.0])
    >>> [line for line in text.splitlines() if line.startswith("   1. ")]
    ['   1. L = 0.8979 (loss): dL/dL = 1']
    """
    if fmt not in ("text", "markdown"):
        raise BackpropError("explain: fmt must be one of text, markdown, got %r" % (fmt,))
    X, Y = [list(x)], [list(y)]
    G = graph.build(net, X, Y, op="explain")
    G.loss.backward()
    g = vectorized.backward(net, X, Y)
    worst = max(compare(graph.backward(net, X, Y), g).values())
    md = fmt == "markdown"
    sizes = "-".join(str(n) for n in net.sizes)
    head = ("%s %s network (hidden %s, output %s, loss %s, seed %s), one example, m = 1, as a graph of %d numbers"
            % ("The" if md else "explain --path graph: the", sizes, net.hidden, net.output, net.loss, net.seed,
               G.size))
    rule = ("Backward visits the nodes from the loss back to the leaves, in reverse topological order; each "
            "node, its gradient complete, adds (local derivative) * (its gradient) to each parent's "
            "gradient [graph.chain].")
    if md:
        lines = [head + ".", "", rule, ""]
    else:
        lines = textwrap.wrap(head, 100) + [""] + textwrap.wrap(rule, 100) + [""]
    if md:
        lines += ["| visit | node | operation | value | $\\partial \\mathcal{L} / \\partial \\text{node}$ "
                  "| adds to its parents |", "|---:|---|---|---:|---:|---|"]
    for k, (node, passes) in enumerate(graph.visits(G.loss), 1):
        name, op = graph.label(node), node.op or "leaf"
        shares = ["%s += %s * %s = %s" % (graph.label(p), _paren(d), _paren(node.grad), _num(c))
                  for p, d, c in passes]
        if md:
            lines.append("| %d | `%s` | %s | %s | %s | %s |" % (
                k, name, op, _num(node.data), _num(node.grad),
                "<br>".join("`%s`" % t for t in shares) if shares else "(a leaf)"))
        else:
            lines.append("%4d. %s = %s (%s): dL/d%s = %s" % (
                k, name, _num(node.data), op, name if node.name else "(node)", _num(node.grad)))
            lines += ["        -> " + t for t in shares]
    agree = ("graph.backward and vectorized.backward agree: worst relative difference %s "
             "(W^[1..%d], b^[1..%d], dL/dx)" % (_num(worst) if worst else "0", net.L, net.L))
    lines += ["", agree + ("." if md else "")]
    return "\n".join(lines) + "\n"
