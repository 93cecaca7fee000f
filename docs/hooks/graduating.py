"""The Graduating page's numbers and tables (docs/graduating.md), made while the site is built.

The page's own examples run here under CPython, each in a fresh namespace, and what they
print is put on the page side by side, so the numbers a reader sees equal are the
numbers the code prints (PyTorch and NumPy where they are installed; the page says so
where one is not):

==========================  ==============================================================
``EXAMPLES``                the examples by name: ``"tinybackprop"`` (the runnable block),
                            and the blocks titled ``xor_torch.py``, ``xor_numpy.py``,
                            ``iris_cross_entropy.py``, ``shapes.py``
``example(name)``           the code of one, as the page holds it
``printed(name)``           what it prints, or None when its library is not installed
``losses_table()``          the losses at epochs 1, 10, 100, 300 and the predictions, from
                            tinybackprop, PyTorch and NumPy, one column each
``numpy_pairs()``           each line of xor_numpy.py that carries an equation ID beside
                            the line of tinybackprop that computes that equation (pulled
                            from the source by its ``# [eq:ID]`` tag, docs/hooks/eq_code.py)
==========================  ==============================================================

``teach.py`` gives the page this module as ``graduating``; ``tests/test_graduating.py``
runs the same examples and checks that the numbers agree within 1e-12.
"""
import contextlib
import html
import io
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = os.path.join(ROOT, "docs", "graduating.md")
TITLED_RE = re.compile(r'^```python title="(?P<title>[\w.]+)"\n(?P<code>.*?)^```', re.S | re.M)
RUN_RE = re.compile(r"^```\{\.python \.tb-run\}\n(?P<code>.*?)^```", re.S | re.M)
EQ_TAG_RE = re.compile(r"\s*# \[eq:(?P<id>[\w.]+)\]\s*$")
#: Which library each example needs beyond tinybackprop.
NEEDS = {"tinybackprop": None, "xor_torch.py": "torch", "xor_numpy.py": "numpy",
         "iris_cross_entropy.py": "torch", "shapes.py": "torch"}
EXAMPLES = tuple(NEEDS)
#: Where the tinybackprop line of each equation of xor_numpy.py is, and which of its lines.
SOURCE_OF = {"fwd.z.mat": ("network.py", None), "fwd.a.mat": ("network.py", None),
             "loss.mean": ("network.py", None), "bwd.out.mat": ("vectorized.py", None),
             "bwd.gW.mat": ("vectorized.py", None), "bwd.gb.mat": ("vectorized.py", None),
             "bwd.ga.mat": ("vectorized.py", None), "bwd.gz.mat": ("vectorized.py", "phi_h"),
             "train.step": ("training.py", "_subtract_scaled")}

_cache = {}


def _page():
    with open(PAGE, encoding="utf-8") as f:
        return f.read()


def example(name):
    """The code of the example ``name`` (see ``EXAMPLES``), as the page holds it."""
    text = _page()
    if name == "tinybackprop":
        found = [m.group("code") for m in RUN_RE.finditer(text)]
    else:
        found = [m.group("code") for m in TITLED_RE.finditer(text) if m.group("title") == name]
    if len(found) != 1:
        raise LookupError("graduating: docs/graduating.md has %d examples named %s, not 1" % (len(found), name))
    return found[0]


def _installed(module):
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def printed(name):
    """What the example ``name`` prints, run in a namespace of its own; None when the
    library it needs is not installed."""
    if name not in _cache:
        need = NEEDS[name]
        if need is not None and not _installed(need):
            _cache[name] = None
        else:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(example(name), "docs/graduating.md: " + name, "exec"), {"__name__": "__main__"})
            _cache[name] = out.getvalue()
    return _cache[name]


def _columns(text):
    """{epoch: loss text} and the predictions' text, from an example's print-out."""
    losses = dict(re.findall(r"^epoch +(\d+)  loss (\S+)$", text, re.M))
    yhat = re.search(r"^yhat (.*)$", text, re.M)
    return losses, yhat.group(1) if yhat else ""


def losses_table():
    """The mean loss at epochs 1, 10, 100 and 300 and the trained network's predictions
    as tinybackprop, PyTorch and NumPy print them, a column each."""
    names = [("tinybackprop", "tinybackprop"), ("PyTorch", "xor_torch.py"), ("NumPy", "xor_numpy.py")]
    cols = []
    for label, name in names:
        text = printed(name)
        cols.append((label, _columns(text) if text is not None else None, NEEDS[name]))
    epochs = sorted(cols[0][1][0], key=int)
    rows = ["| | " + " | ".join(label for label, _, _ in cols) + " |", "|---|" + "---|" * len(cols)]
    for e in epochs:
        rows.append("| loss, epoch %s | " % e + " | ".join(
            "`%s`" % c[0][e] if c else "(%s is not installed where this page was built)" % need
            for _, c, need in cols) + " |")
    rows.append("| $\\hat{y}$ after epoch %s | " % epochs[-1] + " | ".join(
        "`%s`" % c[1] if c else "" for _, c, _ in cols) + " |")
    return "\n".join(rows)


def _anchor_page(eq_id):
    """The page (docs/NAME.md) whose formula carries ``\\label{eq:ID}``."""
    docs = os.path.join(ROOT, "docs")
    for name in sorted(os.listdir(docs)):
        if name.endswith(".md"):
            with open(os.path.join(docs, name), encoding="utf-8") as f:
                if "\\label{eq:%s}" % eq_id in f.read():
                    return name
    raise LookupError("graduating: no page labels the equation %s" % eq_id)


def _code_cell(lines):
    text = "<br>".join(html.escape(line) for line in lines)
    return "<td><code>%s</code></td>" % text


def numpy_pairs():
    """An HTML table: for each equation xor_numpy.py computes (its lines end with
    ``# [eq:ID]``), the equation's name (a link to it), the tinybackprop line that
    computes it (from the package's source) and the NumPy line(s)."""
    import sys
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    import eq_code
    from tinybackprop.show.equations import EQUATIONS

    order, numpy_lines = [], {}
    for line in example("xor_numpy.py").split("\n"):
        m = EQ_TAG_RE.search(line)
        if m:
            eq_id = m.group("id")
            if eq_id not in numpy_lines:
                order.append(eq_id)
            numpy_lines.setdefault(eq_id, []).append(line[:m.start()].strip())
    rows = ['<table>', '<thead><tr><th>equation</th><th>tinybackprop</th><th>NumPy</th></tr></thead>', '<tbody>']
    for eq_id in order:
        fn, matching = SOURCE_OF[eq_id]
        with open(os.path.join(ROOT, "tinybackprop", fn), encoding="utf-8") as f:
            found = eq_code.excerpts(f.read(), eq_id, fn)
        if matching:
            found = [e for e in found if matching in e]
        lines = [ln for e in found for ln in e.split("\n")
                 if "[eq:%s]" % eq_id in ln and (matching is None or matching in ln)]
        tb_lines = [re.sub(r"\s*# \[eq:[\w.]+\].*$", "", ln).strip() for ln in lines]
        href = "%s#eq-%s" % (_anchor_page(eq_id)[:-3] + ".html", eq_id.replace(".", "-"))
        title = EQUATIONS[eq_id][0]
        rows.append('<tr><td><a href="%s">%s</a></td>%s%s</tr>' % (href, html.escape(title), _code_cell(tb_lines),
                                                                  _code_cell(numpy_lines[eq_id])))
    rows += ["</tbody>", "</table>"]
    return "\n".join(rows)
