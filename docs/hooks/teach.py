"""MkDocs hook: numbers and tables for the course pages, computed by the package at build time.

Two markers, in the Markdown of a page:

* ``<!--tb= EXPRESSION -->``: the value of a Python expression, evaluated with the
  package of the repository being built (names below). Alone on a line it may
  return a block of Markdown (a table, an inline SVG figure); inside a sentence or
  a formula it returns a number as text. Examples::

      The loss is <!--tb= num(warmup["L"]["value"]) -->.
      <!--tb= counts_table([[4, 3, 2, 1], [64, 32, 10]]) -->

* ``<!-- tb-equation-index -->``: a table of every equation ID of
  ``tinybackprop/show/equations.py`` with its page (a link to its anchor), its
  formula and the source file and line that compute it.

Names available to an expression: ``tb`` (the package), ``per_neuron``,
``vectorized``, ``gradcheck``, ``teaching``, ``svg``, ``Network``, ``num(v)`` (4
significant digits, ASCII, fit for LaTeX), ``pn(v)`` (the same, bracketed when negative),
``warmup`` (the 1-1-1 graph's nodes by name, see ``teaching.graph_111``),
``graph_table()``, ``graph_figure()``, ``counts_table(list of sizes)``,
``explain_net(sizes, seed, x, y)`` (forward and backward of one example:
``(net, f, g)``), ``grad_tables(sizes)`` (dL/dW of every layer as tables),
``graph`` (``tinybackprop.graph``), ``value_graph_figure(kind)`` (the graph of the
1-1-1 warm-up, ``"111"``, or of a 2-2-1 network, ``"221"``, after its backward, drawn by
``svg_graph.value_graph``; ``down=True``: drawn top to bottom, narrow enough for a phone) and
``value_graph_of(kind)`` (that graph's loss node).
``gradflow``, ``planar``, ``boundary``, ``jacobian`` and ``inits`` (``tinybackprop.init``),
``figure(svg_text)`` (an SVG drawing as a figure of the page), ``panels(list of svg_text)``
(drawings side by side, one under the other on a phone), ``graduating``
(docs/hooks/graduating.py: the Graduating page's examples run, their numbers side by side),
``wrong`` (the page "When training goes wrong": ``docs/hooks/goes_wrong.py``) and
``cli_options()`` (every option of every command, as a table, from
``tinybackprop.cli.option_table``).

An expression that fails fails the build, with the page named.
"""

import os
import posixpath
import re
import sys

from mkdocs.exceptions import PluginError

EXPR_RE = re.compile(r"(?<!`)<!--tb=\s*(.*?)\s*-->", re.S)
INDEX_RE = re.compile(r"^<!--\s*tb-equation-index\s*-->\s*$", re.M)
LABEL_RE = re.compile(r"\\label\s*\{eq:([^{}]+)\}")
CODE_ID_RE = re.compile(r"#.*?\[eq:([a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\]")

_state = {"root": None, "anchors": {}, "ns": None}


def on_config(config):
    _state["root"] = os.path.dirname(os.path.abspath(config.config_file_path))
    if _state["root"] not in sys.path:
        sys.path.insert(0, _state["root"])
    _state["ns"] = None
    return config


def on_pre_build(config):
    anchors = {}
    docs = config.docs_dir
    for folder, dirs, files in os.walk(docs):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) != os.path.join(docs, "hooks")]
        for fn in sorted(files):
            if fn.endswith(".md"):
                path = os.path.join(folder, fn)
                with open(path, encoding="utf-8") as f:
                    for eq_id in LABEL_RE.findall(f.read()):
                        anchors[eq_id.strip()] = os.path.relpath(path, docs).replace(os.sep, "/")
    _state["anchors"] = anchors


def num(v, digits=4):
    """A number with ``digits`` significant digits, plain ASCII (it may go into LaTeX)."""
    if v == 0:
        return "0"
    s = "%.*g" % (digits, v)
    if "e" in s:
        mant, exp = s.split("e")
        return "%s \\times 10^{%d}" % (mant, int(exp))
    return s


def pn(v, digits=4):
    """:func:`num`, in parentheses when negative: for a factor in a product."""
    s = num(v, digits)
    return "(%s)" % s if v < 0 else s


def _hook_module(name):
    """docs/hooks/NAME.py, a helper only the site's build uses (graph_svg: the computational
    graph's drawing; course: the numbers of the course pages; pictures: the course's drawings)."""
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py")
    spec = importlib.util.spec_from_file_location("tb_hook_" + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _graph_svg():
    return _hook_module("graph_svg")


def _namespace():
    if _state["ns"] is not None:
        return _state["ns"]
    import tinybackprop as tb
    from tinybackprop.show import boundary, gradflow, jacobian, svg
    from tinybackprop import gradcheck, per_neuron, vectorized
    from tinybackprop.datasets import planar
    from tinybackprop import init as inits

    teaching = _hook_module("course")
    warm = teaching.graph_111()
    by_name = dict((n["name"], n) for n in warm)

    def graph_figure():
        text = _graph_svg().graph(warm, title="The 1-1-1 network as a computational graph")
        return '<figure class="tb-drawing" markdown="0">\n%s</figure>' % text

    def picture(name, **kw):
        """A figure of docs/hooks/pictures.py, drawn now (``<!--tb= picture("activations") -->``);
        a picture in panels (a list of SVGs) is a row of figures that wraps on a phone."""
        drawn = getattr(_hook_module("pictures"), name)(**kw)
        if isinstance(drawn, list):
            return '<div class="tb-panels" markdown="0">\n%s</div>' % "".join(
                '<figure class="tb-drawing">\n%s</figure>\n' % one for one in drawn)
        return '<figure class="tb-drawing" markdown="0">\n%s</figure>' % drawn

    runs = {}

    def default_run():
        """``tinybackprop train``'s default run (4-3-2-1 on Iris, virginica against the rest;
        30 test rows, 24 validation rows, 96 to train on), with the training set's loss after
        each epoch: (loss before training, History)."""
        if "iris" not in runs:
            from tinybackprop.datasets import iris_task, split_validation

            task = split_validation(iris_task("binary", positive="virginica", test_fraction=0.2, seed=0), 0.2)
            net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
            start = net.loss_value(task.X_train, task.Y_train)
            h = tb.train(net, task.X_train, task.Y_train, epochs=100, lr=0.5, batch_size=16, seed=0,
                         X_val=task.X_val, Y_val=task.Y_val, X_test=task.X_test, Y_test=task.Y_test,
                         evaluate_train=True)
            runs["iris"] = (start, h)
        return runs["iris"]

    def graph_table():
        gate = {"input": "input", "parameter": "parameter", "multiply": "multiply",
                "add": "add", "activation": "sigmoid", "loss": "loss"}
        rows = ["| node | computed by | value | gradient $\\partial \\mathcal{L} / \\partial \\text{node}$ |",
                "|---|---|---|---|"]
        for n in warm:
            rows.append("| $%s$ | %s | $%s$ | $%s$ |" % (n["tex"], gate[n["kind"]], num(n["value"]), num(n["grad"])))
        return "\n".join(rows)

    def counts_table(all_sizes):
        # the two ratios first: on a phone the table scrolls, and they are what it is for
        rows = ["| network | backprop cheaper by | backward / forward | parameters $P$ "
                "| multiply-adds, one forward pass | backprop: passes, multiply-adds "
                "| central differences: passes, multiply-adds | forward mode: passes |",
                "|---|---|---|---|---|---|---|---|"]
        for sizes in all_sizes:
            c = teaching.reverse_mode_counts(sizes)
            rows.append("| %s | %.0f x | %.2f | %d | %d | %d, %d | %d, %d | %d |" % (
                "-".join(map(str, sizes)), c["ratio"], c["backward_madds"] / c["forward_madds"],
                c["parameters"], c["forward_madds"], c["backprop_passes"],
                c["backprop_madds"], c["central_difference_passes"], c["central_difference_madds"],
                c["forward_mode_passes"]))
        return "\n".join(rows)

    cache = {}

    def explain_net(sizes, seed=0, x=None, y=None, **kw):
        key = repr((sizes, seed, x, y, sorted(kw.items())))
        if key not in cache:
            cache[key] = _explain_net(sizes, seed, x, y, **kw)
        return cache[key]

    def _explain_net(sizes, seed=0, x=None, y=None, **kw):
        net = tb.Network(sizes, seed=seed, **kw)
        x = x or [round(0.1 * (i + 1), 10) for i in range(sizes[0])]
        y = y or ([1.0] if sizes[-1] == 1 else [1.0] + [0.0] * (sizes[-1] - 1))
        return net, vectorized.forward(net, [x]), vectorized.backward(net, [x], [y])

    def grad_tables(sizes, seed=0):
        """dL/dW^[l] of every layer as Markdown tables, for the default example of
        ``tinybackprop draw`` (x_i = 0.1 i, y = 1 or the first class)."""
        net, f, g = explain_net(sizes, seed)
        out = []
        for l in range(1, net.L + 1):
            head = "| $\\frac{\\partial \\mathcal{L}}{\\partial W_{i,j}^{[%d]}}$ | " % l + " | ".join(
                "$j = %d$" % (j + 1) for j in range(sizes[l])) + " |"
            out += [head, "|---|" + "---|" * sizes[l]]
            for i in range(sizes[l - 1]):
                out.append("| $i = %d$ | " % (i + 1) + " | ".join("$%s$" % num(v) for v in g.W[l][i]) + " |")
            out.append("")
        return "\n".join(out)

    from tinybackprop import graph

    def value_graph_of(kind):
        if kind not in cache:
            cache[kind] = _value_graph(kind)
        return cache[kind]

    def _value_graph(kind):
        from tinybackprop.show import svg_graph

        G = svg_graph.example(kind)  # the same graphs as `tinybackprop draw --example`
        G.loss.backward()
        return G.loss

    def value_graph_figure(kind, title, down=False):
        from tinybackprop.show import svg_graph

        text = svg_graph.value_graph(value_graph_of(kind), title=title, down=down)
        return '<figure class="tb-drawing" markdown="0">\n%s</figure>' % text

    def cli_options():
        from tinybackprop.cli import option_table

        rows = ["| command | option | takes | what it does |", "|---|---|---|---|"]
        for command, spell, takes, help_text in option_table():
            cell = " ".join(help_text.replace("|", "\\|").split())
            rows.append("| `%s` | `%s` | %s | %s |" % (command, spell, ("`%s`" % takes) if takes else "", cell))
        return "\n".join(rows)

    _state["ns"] = {
        "tb": tb, "per_neuron": per_neuron, "vectorized": vectorized, "gradcheck": gradcheck,
        "teaching": teaching, "svg": svg, "Network": tb.Network, "num": num, "pn": pn, "warmup": by_name,
        "graph_table": graph_table, "graph_figure": graph_figure, "counts_table": counts_table,
        "explain_net": explain_net, "grad_tables": grad_tables, "picture": picture, "default_run": default_run,
        "graph": graph, "value_graph_of": value_graph_of, "value_graph_figure": value_graph_figure,
        "gradflow": gradflow, "planar": planar, "boundary": boundary, "inits": inits, "jacobian": jacobian,
        "figure": lambda text: '<figure class="tb-drawing" markdown="0">\n%s</figure>' % text,
        "panels": lambda texts: '<div class="tb-panels" markdown="0">\n%s</div>' % "".join(
            '<figure class="tb-drawing">\n%s</figure>\n' % t for t in texts),
        "graduating": _hook_module("graduating"),
        "wrong": _hook_module("goes_wrong"), "cli_options": cli_options,
    }
    return _state["ns"]


def _code_lines(root):
    where = {}
    pkg = os.path.join(root, "tinybackprop")
    for folder, dirs, files in os.walk(pkg):  # sub-packages (cli/, datasets/) included
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for fn in sorted(files):
            if fn.endswith(".py"):
                path = os.path.join(folder, fn)
                with open(path, encoding="utf-8") as f:
                    for n, line in enumerate(f, 1):
                        for eq_id in CODE_ID_RE.findall(line):
                            where.setdefault(eq_id, []).append((os.path.relpath(path, pkg).replace(os.sep, "/"), n))
    return where


def _equation_index(page_uri):
    from tinybackprop.show.equations import EQUATIONS

    here = posixpath.dirname(page_uri)
    code = _code_lines(_state["root"])
    rows = ["| ID | equation | on the page | computed in |", "|---|---|---|---|"]
    for eq_id in sorted(EQUATIONS):
        title, tex = EQUATIONS[eq_id]
        page = _state["anchors"].get(eq_id)
        if page is None:
            raise PluginError("teach: equation %s has no \\label on any page" % eq_id)
        href = posixpath.relpath(page, here or ".") + "#eq-" + eq_id.replace(".", "-")
        places = []
        for fn, n in code.get(eq_id, []):
            api = posixpath.relpath("api/%s.md" % fn[:-3], here or ".")
            exists = os.path.isfile(os.path.join(_state["root"], "docs", "api", fn[:-3] + ".md"))
            places.append(("[`%s`](%s) line %d" % (fn, api, n)) if exists else "`%s` line %d" % (fn, n))
        rows.append("| [`%s`](%s) | $%s$ | [%s](%s) | %s |" % (
            eq_id, href, tex.replace("|", "\\vert "), title, href, "<br>".join(places)))
    return "\n".join(rows)


def on_page_markdown(markdown, page, config, files):
    if "<!--tb=" not in markdown and "tb-equation-index" not in markdown:
        return markdown
    ns = _namespace()
    where = page.file.src_uri

    def expr(m):
        try:
            value = eval(m.group(1), dict(ns))  # the project's own pages, like a doctest
        except Exception as e:  # noqa: BLE001 - any failure becomes the build's error, naming the page
            raise PluginError("teach: %s: %r failed: %s: %s" % (where, m.group(1), type(e).__name__, e))
        if isinstance(value, str):
            return value
        if isinstance(value, int):
            return str(value)
        return num(value)

    markdown = INDEX_RE.sub(lambda m: _equation_index(where), markdown)
    return EXPR_RE.sub(expr, markdown)
