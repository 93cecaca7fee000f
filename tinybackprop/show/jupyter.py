"""Rich display in Jupyter: what IPython shows for the package's objects.

IPython calls an object's ``_repr_svg_``, ``_repr_html_`` or ``_repr_markdown_``
when the object is a cell's value.  The lesson's classes know nothing of pictures:
:func:`attach` (run when ``tinybackprop.show`` is imported) gives ``Network``,
``Gradients`` and ``History`` those methods from here, so ``import tinybackprop.show``
in a notebook's first cell turns the pictures on.  Without it (and on a board, which
has the lesson only) the objects show their plain repr.

==========================  ===================================================
``network_svg(net)``        ``Network._repr_svg_``: the network drawn
                            (:func:`tinybackprop.show.svg.network`), or None when too big
``drawing(model)``          a saved model (a file, or ``net, data``) drawn with
                            its feature and class names: a ``Drawing``, which
                            Jupyter shows as the picture
``gradients_html(g)``       ``Gradients._repr_html_``: the loss and every
                            g^[lW], g^[lb] and dL/dX as small tables
``history_svg(h)``          ``History._repr_svg_``: the loss curve
``explanation(text, md)``   what :func:`tinybackprop.show.explain.explain` returns: an
                            ``Explanation``, a ``str`` that Jupyter shows as Markdown
                            with its math
==========================  ===================================================

>>> from tinybackprop import Network
>>> network_svg(Network([2, 2, 1], seed=0)).startswith("<svg")
True
"""
from ..errors import BackpropError, show
from ..matrix import isnumber
from ..network import Gradients, Network, check_network
from ..training import History

#: The largest network ``network_svg`` draws: neurons in one layer, weights in all.
#: A bigger drawing is too tall to read; Jupyter then shows the plain repr.
DRAW_WIDTH = 16
DRAW_WEIGHTS = 400
#: Rows and columns of a matrix that ``gradients_html`` shows; the rest is left out, saying so.
TABLE_LIMIT = 12


def network_svg(net):
    """The drawing of ``net`` as SVG text, or None past ``DRAW_WIDTH`` neurons in
    a layer or ``DRAW_WEIGHTS`` weights.  Weights that are NaN or infinite (a run
    that diverged) or near the float's limit are drawn; weights no longer of their
    shape (changed in place by hand) give None: Jupyter then shows the plain repr,
    never a traceback.

    >>> from tinybackprop import Network
    >>> network_svg(Network([100, 1])) is None
    True
    """
    sizes = net.sizes
    if max(sizes) > DRAW_WIDTH or sum(a * b for a, b in zip(sizes, sizes[1:])) > DRAW_WEIGHTS:
        return None
    from . import svg
    try:
        return svg.network(net, title=_title(net))
    except BackpropError:  # weights that are no longer a network's: the plain repr
        return None


def _title(net):
    hidden = "hidden %s, " % net.phi_h.name if net.L > 1 else ""
    return "Network %s (%soutput %s, loss %s)" % ("-".join(map(str, net.sizes)), hidden, net.phi_o.name,
                                                 net.loss_fn.name)


def drawing(model, data=None, title=None):
    """A saved model drawn with its names: its inputs by feature name, its outputs by
    class name (or a regression's target), as a :class:`Drawing` that Jupyter shows as
    the picture.  ``model`` is a model file's path (``tinybackprop train --save``), or a
    Network with the file's ``data`` section (``net, data = Network.read(path)``).

    >>> from tinybackprop import Network
    >>> d = drawing(Network([2, 1], seed=0), {"features": ["height", "weight"], "classes": ["no", "yes"]})
    >>> d._repr_svg_() is d, ">height</text>" in d, ">P(yes)</text>" in d
    (True, True, True)
    """
    from . import svg
    if isinstance(model, str):
        from ..cli.model_data import load_model   # the network and its data, each field checked
        model, data = load_model(model, "drawing")
    else:
        from ..cli.model_data import check_model_data
        check_network(model, "drawing")
        check_model_data(data or {}, model, "drawing")
    data = data or {}
    return Drawing(svg.network(model, title=title or _title(model), features=data.get("features"),
                               classes=data.get("classes"), target=data.get("target")))


class Drawing(str):
    """An SVG picture (a ``str``: write it to a file) that Jupyter shows as the picture;
    its repr is one line, for a terminal.

    >>> Drawing('<svg width="10"></svg>')
    Drawing(SVG, 22 characters)
    """

    def _repr_svg_(self):
        return self

    def __repr__(self):
        return "Drawing(SVG, %d characters)" % len(self)


def history_svg(h):
    """The loss curve of a training ``History`` (and its test loss), or None before any epoch
    (and when no loss is a finite number, or a list holds something else).

    >>> from tinybackprop import History
    >>> history_svg(History(classification=False, validation=False)) is None
    True
    """
    if not h.loss:
        return None
    from . import svg
    try:
        return svg.loss_curve(h, title="Loss per epoch (%d epochs)" % h.epochs)
    except BackpropError:
        return None


def _cell(v):
    """A number as a table shows it (anything else by its short repr, escaped)."""
    if isnumber(v):
        try:
            return "%.4g" % v
        except OverflowError:  # an int beyond the float range
            return "an int of %d bits" % v.bit_length()
    return _escape(show(v, 20))


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(title, M, limit=TABLE_LIMIT):
    if M is None:
        return ""
    if not isinstance(M, list) or not all(isinstance(row, list) for row in M[:limit]):
        return "<p>%s: %s</p>" % (title, _escape(show(M, 40)))
    rows, cols = len(M), len(M[0]) if M else 0
    cut = rows > limit or cols > limit
    caption = "%s, %dx%d%s" % (title, rows, cols, " (first %d rows and columns)" % limit if cut else "")
    body = "".join("<tr>%s</tr>" % "".join("<td>%s</td>" % _cell(v) for v in row[:limit]) for row in M[:limit])
    return ('<table style="display:inline-table;margin:0 1.5em 1em 0;vertical-align:top">'
            '<caption style="caption-side:top;text-align:left;white-space:nowrap">%s</caption>%s</table>' % (caption, body))


def gradients_html(g):
    """The loss, then for each layer l the tables of g^[lW] and g^[lb], then dL/dX
    (left out when the backward pass did not compute it), as HTML.

    >>> from tinybackprop import Network, vectorized
    >>> html = gradients_html(vectorized.backward(Network([2, 1], seed=0), [[1.0, 2.0]], [[1.0]]))
    >>> html.count("<table")
    3
    """
    parts = ["<div><p>Gradients of the mean loss, loss = %s</p>" % _cell(g.loss)]
    W, b = g.W, g.b
    if not isinstance(W, list) or not isinstance(b, list) or len(W) != len(b):
        return None
    for l in range(1, len(W)):
        parts.append("<div>")
        parts.append(_table("&part;L/&part;W<sup>[%d]</sup>" % l, W[l]))
        parts.append(_table("&part;L/&part;b<sup>[%d]</sup>" % l, b[l]))
        parts.append("</div>")
    if g.x is not None:
        parts.append(_table("&part;L/&part;X", g.x))
    parts.append("</div>")
    return "".join(parts)


def attach():
    """Give ``Network``, ``Gradients`` and ``History`` their rich display (``_repr_svg_``,
    ``_repr_html_``): what importing ``tinybackprop.show`` does.

    >>> from tinybackprop import History
    >>> attach(); History(classification=False, validation=False)._repr_svg_() is None
    True
    """
    Network._repr_svg_ = network_svg
    Gradients._repr_html_ = gradients_html
    History._repr_svg_ = history_svg


def explanation(text, markdown):
    """An :class:`Explanation` of ``text``; the plain ``text`` where ``str`` cannot be
    subclassed so (MicroPython: explain runs in the site's pages, where no Jupyter asks).

    >>> explanation("a pass", "**a pass**")._repr_markdown_()
    '**a pass**'
    """
    try:
        return Explanation(text, markdown)
    except (AttributeError, TypeError):
        return text


class Explanation(str):
    """The text of one backward pass (a ``str``: print it, write it to a file),
    which Jupyter shows as Markdown with the math typeset: ``markdown`` is that
    Markdown, or a function that makes it when first asked.  Its repr is one
    line, for a terminal.

    >>> e = Explanation("explain: a pass\\n  [bwd.gW] ...\\n", "**a pass**")
    >>> print(e, end=""); e._repr_markdown_()
    explain: a pass
      [bwd.gW] ...
    '**a pass**'
    >>> e
    Explanation(2 lines: 'explain: a pass'; print() it)
    """

    def __new__(cls, text, markdown):
        self = str.__new__(cls, text)
        self._markdown = markdown
        return self

    def _repr_markdown_(self):
        if callable(self._markdown):
            self._markdown = self._markdown()
        return self._markdown

    def __repr__(self):
        lines = self.splitlines()
        return "Explanation(%d lines: %r; print() it)" % (len(lines), lines[0] if lines else "")
