"""MkDocs hook: Python in the page (MicroPython-wasm), runnable examples, the playground.

Three jobs, all done while the site is built, nothing fetched by the reader:

* **The runtime assets.**  Two scripts are generated into ``site/assets/tb-python/``
  (never committed):

  - ``micropython.js``: MicroPython's WebAssembly glue (``micropython.mjs``, an ES
    module) turned into text that a classic script can run, and ``micropython.wasm``
    as base64, both from ``node_modules/@micropython/micropython-webassembly-pyscript``
    (the version pinned in package.json);
  - ``tinybackprop.js``: every file of the ``tinybackprop`` package of this checkout
    (``*.py`` and ``data/*.csv``), so the page runs exactly the code the Reference
    pages show.

  ``docs/assets/javascripts/tb-python.js`` (a few KB, on every page) loads them with
  ``<script>`` tags on the first ``tbPython.ready()``: a page opened from disk
  (file://) may not ``fetch()`` files, but it may run scripts.

* **Runnable examples.**  A fenced block written ```` ```{.python .tb-run} ```` becomes
  ``<div class="tb-runnable">`` holding the code in a ``<textarea class="tb-code">``, a
  ``Run`` button and a ``<div class="tb-output">``.

* **The playground.**  A line ``<!-- tb-playground -->`` becomes the playground's
  markup, with every equation of ``tinybackprop.show.equations.EQUATIONS`` rendered by
  KaTeX at build time (the katex hook renders them: they go in as ``$$`` blocks); a line
  ``<!-- tb-plane -->`` becomes its 2-D mode's controls, their choices read from the
  package (the data sets, features, activations, initialisations, optimizers) and the
  options of ``tinybackprop train`` (``data-train-flags``), so that the command the page
  shows is one this checkout's command line takes.
"""

import base64
import html
import json
import os
import re
import sys

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

MP_PACKAGE = "@micropython/micropython-webassembly-pyscript"
ASSET_DIR = "assets/tb-python"
PLAYGROUND_PY = os.path.join("docs", "python", "tb_playground.py")
PLANE_PY = os.path.join("docs", "python", "tb_plane.py")
EPOCHS_PY = os.path.join("docs", "python", "tb_epochs.py")
FENCE_RE = re.compile(
    r"^(?P<indent>[ \t]*)```\s*\{\s*\.python\s+\.tb-run\s*\}[ \t]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.S | re.M,
)
# An exercise cell: ```{.python .tb-exercise name="g_W"} -> the same editor with a Check
# button that runs exercises.grade (the checker of `tinybackprop exercise NAME FILE.py`).
EXERCISE_RE = re.compile(
    r'^(?P<indent>[ \t]*)```\s*\{\s*\.python\s+\.tb-exercise\s+name="(?P<name>\w+)"\s*\}[ \t]*\n'
    r"(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.S | re.M,
)
PLACEHOLDER = '<div class="tb-runnable-placeholder" data-tb-run="%d"></div>'
PLACEHOLDER_RE = re.compile(r'(?:<p>)?<div class="tb-runnable-placeholder" data-tb-run="(\d+)"></div>(?:</p>)?')
PLAYGROUND_MARK_RE = re.compile(r"^<!--\s*tb-playground\s*-->\s*$", re.M)

_state = {"root": None, "blocks": {}}


# ---------------------------------------------------------------------------
# The runtime assets
# ---------------------------------------------------------------------------

def _patch_glue(text, version):
    """``micropython.mjs`` (an ES module) -> the body of a classic script.

    A page opened from file:// cannot load an ES module (Chromium treats it as a
    cross-origin request), so the two ``export`` keywords go, ``import.meta.url`` becomes
    a fixed name (only used to find the .wasm file, which we hand over as bytes), and
    ``loadMicroPython`` passes ``options.wasmBinary`` to Emscripten so nothing is
    fetched.  Each change must apply exactly as expected, or the build fails: a newer
    MicroPython needs this function looked at again.
    """
    edits = [
        ("export default _createMicroPythonModule", "", 1),
        ("export async function loadMicroPython(", "async function loadMicroPython(", 1),
        ("let Module={locateFile:", "let Module={wasmBinary:options&&options.wasmBinary,locateFile:", 1),
        ("import.meta.url", "__tbMetaUrl", None),
        # the WebAssembly memory, for the page to show (and its tests to watch) how much it holds
        ("function updateMemoryViews(){var b=wasmMemory.buffer;",
         "function updateMemoryViews(){var b=wasmMemory.buffer;Module.tbMemory=wasmMemory;", 1),
    ]
    for old, new, count in edits:
        found = text.count(old)
        if found == 0 or (count is not None and found != count):
            raise PluginError(
                "tb_python: MicroPython %s's micropython.mjs has %d x %r (expected %s); "
                "docs/hooks/tb_python.py _patch_glue needs updating" % (version, found, old, count or "some"))
        text = text.replace(old, new)
    if "import.meta" in text or re.search(r"^\s*export\s", text, re.M):
        raise PluginError("tb_python: micropython.mjs still has module syntax after patching")
    # Top-level `await` (a Node-only branch at the end) needs an async function around it.
    return ('(async function () {\nvar __tbMetaUrl = "file:///tb-python/micropython.mjs";\n'
            + text + '\n})().catch(function (e) { console.error("micropython glue:", e); });\n')


def _micropython_asset(root):
    pkg = os.path.join(root, "node_modules", *MP_PACKAGE.split("/"))
    mjs, wasm = os.path.join(pkg, "micropython.mjs"), os.path.join(pkg, "micropython.wasm")
    if not (os.path.isfile(mjs) and os.path.isfile(wasm)):
        raise PluginError("tb_python: %s is not installed: run `npm ci` at the repository root" % MP_PACKAGE)
    with open(os.path.join(pkg, "package.json"), encoding="utf-8") as f:
        version = json.load(f)["version"]
    with open(mjs, encoding="utf-8") as f:
        glue = _patch_glue(f.read(), version)
    with open(wasm, "rb") as f:
        b64 = base64.b64encode(f.read()).decode("ascii")
    payload = {"version": version, "glue": glue, "wasm": b64}
    return ("/* Generated by docs/hooks/tb_python.py from %s %s (MIT licence). Do not edit. */\n"
            "window.__tbMicroPython = %s;\n" % (MP_PACKAGE, version, json.dumps(payload)))


def package_files(root):
    """{path inside the package, e.g. "tinybackprop/network.py": text} for the page."""
    pkg = os.path.join(root, "tinybackprop")
    out = {}
    for folder, dirs, files in os.walk(pkg):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
        for fn in sorted(files):
            if fn.endswith((".py", ".csv")):
                path = os.path.join(folder, fn)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                with open(path, encoding="utf-8") as f:
                    out[rel] = f.read()
    if "tinybackprop/__init__.py" not in out:
        raise PluginError("tb_python: no tinybackprop package at %s" % pkg)
    # The playground's Python side (lays out what the package computes), importable in the page:
    # tb_playground.py, tb_plane.py (its 2-D mode) and tb_epochs.py (one epoch per call)
    for path in (PLAYGROUND_PY, PLANE_PY, EPOCHS_PY):
        with open(os.path.join(root, path), encoding="utf-8") as f:
            out[os.path.basename(path)] = f.read()
    return out


def _sources_asset(root):
    return ("/* Generated by docs/hooks/tb_python.py: the tinybackprop package of this checkout. */\n"
            "window.__tbSources = %s;\n" % json.dumps({"files": package_files(root)}, sort_keys=True))


def on_config(config):
    _state["root"] = os.path.dirname(os.path.abspath(config.config_file_path))
    for js in ("assets/javascripts/tb-python.js",):
        if js not in [str(x) for x in config.extra_javascript]:
            config.extra_javascript.append(js)
    for css in ("assets/stylesheets/tb-python.css",):
        if css not in [str(x) for x in config.extra_css]:
            config.extra_css.append(css)
    return config


def on_files(files, config):
    root = _state["root"]
    for name, make in (("micropython.js", _micropython_asset), ("tinybackprop.js", _sources_asset)):
        uri = ASSET_DIR + "/" + name
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, content=make(root)))
    # KaTeX's renderer, for the playground only (it shows each step's equation with its numbers).
    uri = "assets/katex/katex.min.js"
    src = os.path.join(root, "node_modules", "katex", "dist", "katex.min.js")
    if files.get_file_from_path(uri) is None and os.path.isfile(src):
        files.append(File.generated(config, uri, abs_src_path=src))
    return files


# ---------------------------------------------------------------------------
# Runnable examples and the playground
# ---------------------------------------------------------------------------

def runnable_blocks(markdown):
    """The code of every ```{.python .tb-run} block, in page order (indentation removed)."""
    return [_dedent(m.group("code"), m.group("indent")) for m in FENCE_RE.finditer(markdown)]


def _dedent(code, indent):
    lines = code.split("\n")
    if indent:
        lines = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip(" \t") for ln in lines]
    return "\n".join(lines).rstrip("\n") + "\n"


def _runnable_html(code, n, exercise=None):
    rows = max(2, code.count("\n"))
    check = ""
    extra = ""
    if exercise:
        extra = ' data-tb-exercise="%s"' % html.escape(exercise)
        check = ('<button type="button" class="md-button md-button--primary tb-check" '
                 'title="Run the checker of tinybackprop exercise %s on your function">Check</button>' % html.escape(exercise))
    return (
        '<div class="tb-runnable"%s data-tb-index="%d">'
        '<textarea class="tb-code" spellcheck="false" autocapitalize="off" autocomplete="off" '
        'aria-label="Python code (editable)" rows="%d">%s</textarea>'
        '<div class="tb-bar">%s<button type="button" class="md-button%s tb-run">Run</button>'
        '<button type="button" class="md-button tb-stop" title="Stop this code" disabled>Stop</button>'
        '<button type="button" class="md-button tb-reset" title="Put the original code back">Reset</button>'
        '<span class="tb-status" aria-live="polite">Runs in your browser, in the background (MicroPython, offline)</span></div>'
        '<pre class="tb-output" aria-live="polite" hidden></pre>'
        "</div>" % (extra, n, rows, html.escape(code), check, "" if exercise else " md-button--primary")
    )


def _equation_set(root):
    """Every equation of EQUATIONS as a hidden Markdown block with $$ math (KaTeX renders it)."""
    if root not in sys.path:
        sys.path.insert(0, root)
    from tinybackprop.show.equations import EQUATIONS

    parts = ['<div class="tb-pg-eqset" hidden markdown="1">', ""]
    for eq_id in sorted(EQUATIONS):
        title, tex = EQUATIONS[eq_id]
        parts += ['<div data-eq-src="%s" title="%s" markdown="1">' % (html.escape(eq_id), html.escape(title)),
                  "", "$$", tex, "$$", "", "</div>", ""]
    parts += ["</div>", ""]
    return "\n".join(parts)


PLAYGROUND_HTML = """
<div class="tb-playground" id="tb-playground">
<form class="tb-pg-controls" onsubmit="return false">
<label>Sizes <input name="sizes" value="4,3,2,1" inputmode="text" size="9" aria-label="layer sizes, e.g. 4,3,2,1"></label>
<label>Hidden <select name="hidden"><option>sigmoid</option><option>tanh</option><option>relu</option><option>identity</option></select></label>
<label>Output <select name="output"><option>sigmoid</option><option>softmax</option><option>identity</option></select></label>
<label>Loss <select name="loss"><option>bce</option><option>squared_error</option><option>cross_entropy</option></select></label>
<label>Seed <input name="seed" value="0" inputmode="numeric" size="3"></label>
<label>Input x <input name="x" value="0.1,0.2,0.3,0.4" size="16"></label>
<label>Target y <input name="y" value="1" size="6"></label>
<button type="button" class="md-button" data-act="build">New network</button>
</form>
<div class="tb-pg-status" aria-live="polite">The playground starts MicroPython when you open it&hellip;</div>
<div class="tb-pg-main">
<div class="tb-pg-buttons">
<button type="button" class="md-button md-button--primary" data-act="fwd">Forward step</button>
<button type="button" class="md-button md-button--primary" data-act="bwd">Backward step</button>
<button type="button" class="md-button" data-act="back" title="Undo the last step">Step back</button>
<button type="button" class="md-button" data-act="all">Run all</button>
<button type="button" class="md-button" data-act="reset">Start over</button>
<span class="tb-pg-view" role="radiogroup" aria-label="view">
<label><input type="radio" name="tb-pg-view" value="neuron" checked> per neuron</label>
<label><input type="radio" name="tb-pg-view" value="matrix"> vectorized</label>
<label><input type="radio" name="tb-pg-view" value="graph"> graph</label>
</span>
</div>
<svg class="tb-pg-svg" role="img" aria-label="the network with its values"></svg>
<div class="tb-pg-edgeinfo" aria-live="polite">Tap or hover an edge (a weight) to see its gradient.</div>
<div class="tb-pg-step" aria-live="polite"></div>
</div>
<details class="tb-pg-weights"><summary>Edit the weights and biases</summary><div class="tb-pg-wtables"></div></details>
<div class="tb-pg-train">
<h3>Train it on Iris</h3>
<p class="tb-pg-train-help">The 4-3-2-1 network (sigmoid, sigmoid, bce), virginica against the rest, as
<code>tinybackprop train</code> does it by default, run by <code>tinybackprop.training.train</code> in your browser.</p>
<form class="tb-pg-train-controls" onsubmit="return false">
<label>Epochs <input name="epochs" value="100" inputmode="numeric" size="4"></label>
<label>lr <input name="lr" value="0.5" inputmode="decimal" size="4"></label>
<label>Batch <input name="batch_size" value="16" inputmode="numeric" size="3"></label>
<label>Seed <input name="seed" value="0" inputmode="numeric" size="3"></label>
<label>Optimizer <select name="optimizer"><option>sgd</option><option>momentum</option><option>nesterov</option><option>rmsprop</option><option>adam</option><option>adamw</option></select></label>
<button type="button" class="md-button md-button--primary" data-act="train">Train</button>
<button type="button" class="md-button" data-act="stop" disabled>Stop</button>
</form>
<svg class="tb-pg-curve" viewBox="0 0 400 200" role="img" aria-label="training loss per epoch"></svg>
<div class="tb-pg-train-status" aria-live="polite"></div>
<pre class="tb-pg-train-log"></pre>
</div>
</div>
"""


PLANE_MARK_RE = re.compile(r"^<!--\s*tb-plane\s*-->\s*$", re.M)


def _options(values, selected):
    return "".join('<option%s>%s</option>' % (" selected" if v == selected else "", html.escape(v)) for v in values)


def plane_html(root):
    """The 2-D playground's markup: every choice from the package, the train command's options."""
    if root not in sys.path:
        sys.path.insert(0, root)
    from tinybackprop import activations
    from tinybackprop.cli import make_parser
    from tinybackprop.datasets import planar
    from tinybackprop.datasets.features import FEATURES
    from tinybackprop.init import DEFAULT, SCHEMES
    from tinybackprop.optimizers import OPTIMIZERS

    parser = make_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    flags = sorted(o for a in sub.choices["train"]._actions for o in a.option_strings if o.startswith("--"))
    math_name = {"x1": "x\u2081", "x2": "x\u2082", "x1sq": "x\u2081\u00b2", "x2sq": "x\u2082\u00b2",
                 "x1x2": "x\u2081x\u2082", "sinx1": "sin x\u2081", "sinx2": "sin x\u2082"}
    features = "".join(
        '<label class="tb-plane-feature"><input type="checkbox" name="feature" value="%s"%s> %s</label>'
        % (f, " checked" if f in ("x1", "x2") else "", math_name.get(f, html.escape(f))) for f in FEATURES)
    return PLANE_HTML % {
        "flags": html.escape(json.dumps(flags)), "features": features,
        "data": _options(list(planar.DATASETS) + list(planar.REGRESSION), "moons"),
        "noise": html.escape(json.dumps(planar.NOISE)),
        "hidden": _options([a for a in activations.HIDDEN], "tanh"),
        "init": _options(list(SCHEMES), DEFAULT), "optimizer": _options(list(OPTIMIZERS), "sgd"),
    }


PLANE_HTML = """
<div id="tb-plane" class="tb-plane" data-train-flags="%(flags)s" data-noise="%(noise)s">
<div class="tb-plane-bar" role="toolbar" aria-label="training">
<button type="button" class="md-button md-button--primary" data-plane="play" disabled>Play</button>
<button type="button" class="md-button" data-plane="step" disabled title="train one epoch">Step</button>
<button type="button" class="md-button" data-plane="reset" disabled title="new weights, epoch 0">Reset</button>
<span class="tb-plane-epoch-box">Epoch <output class="tb-plane-epoch">0</output> of <input name="epochs" type="number" min="1" max="5000" value="300" aria-label="epochs to train"></span>
</div>
<form class="tb-plane-controls" onsubmit="return false">
<fieldset><legend>Training</legend>
<label>Learning rate <input name="lr" type="number" step="any" min="0" value="0.3"></label>
<label>Activation <select name="hidden">%(hidden)s</select></label>
<label>Optimizer <select name="optimizer">%(optimizer)s</select></label>
<label>Weight decay &lambda; <input name="weight_decay" type="number" step="any" min="0" value="0"></label>
<span class="tb-plane-decay-kind" aria-live="polite"></span>
<label>Initialisation <select name="init">%(init)s</select></label>
<label>Batch size <input name="batch_size" type="number" min="1" max="1000" value="16"></label>
</fieldset>
<fieldset><legend>Data</legend>
<label>Data set <select name="data">%(data)s</select></label>
<label>Training share <input name="train_percent" type="range" min="10" max="90" step="5" value="80"> <output class="tb-plane-ratio">80%%</output></label>
<label>Noise <input name="noise" type="number" step="0.01" min="0" max="2" value="0.1"></label>
<label>Points <input name="samples" type="number" min="20" max="1000" value="200"></label>
<label>Seed <input name="seed" type="number" min="0" value="0"></label>
<label class="tb-plane-check"><input type="checkbox" name="show_test" checked> show test data</label>
</fieldset>
<fieldset class="tb-plane-features"><legend>Features (the inputs)</legend>%(features)s</fieldset>
</form>
<div class="tb-plane-status" aria-live="polite">The 2-D playground starts its own MicroPython when you scroll here&hellip;</div>
<div class="tb-plane-main">
<div class="tb-plane-netbox">
<div class="tb-plane-layers" aria-label="hidden layers"></div>
<svg class="tb-plane-net" role="img" aria-label="the network: each neuron's output over the plane, the edges by weight"></svg>
<p class="tb-plane-legend">Each square: that neuron's output over the plane (blue &gt; 0, red &lt; 0, white 0). Edges: blue positive weights, red negative, thicker when larger. Click a neuron or an edge for its equations.</p>
</div>
<div class="tb-plane-outbox">
<svg class="tb-plane-figure" viewBox="0 0 300 300" role="img" aria-label="the data and the network's output over the plane"></svg>
<svg class="tb-plane-curve" viewBox="0 0 300 130" role="img" aria-label="train and test loss per epoch"></svg>
<div class="tb-plane-stats" aria-live="polite"></div>
</div>
</div>
<div class="tb-plane-eq" aria-live="polite"></div>
<div class="tb-plane-cmd"><p>The same run in your terminal (the same numbers, to the last digits):</p><pre><code class="tb-plane-command"></code></pre></div>
<pre class="tb-plane-log"></pre>
</div>
"""


def on_page_markdown(markdown, page, config, files):
    blocks = []

    def repl(m):
        name = m.groupdict().get("name")
        blocks.append((_dedent(m.group("code"), m.group("indent")), name))
        return m.group("indent") + PLACEHOLDER % (len(blocks) - 1)

    markdown = FENCE_RE.sub(repl, markdown)
    markdown = EXERCISE_RE.sub(repl, markdown)
    _state["blocks"][page.file.src_uri] = blocks
    if PLAYGROUND_MARK_RE.search(markdown):
        markdown = PLAYGROUND_MARK_RE.sub(
            lambda m: PLAYGROUND_HTML.strip() + "\n\n" + _equation_set(_state["root"]), markdown, count=1)
    if PLANE_MARK_RE.search(markdown):
        markdown = PLANE_MARK_RE.sub(lambda m: plane_html(_state["root"]).strip() + "\n", markdown, count=1)
    return markdown


def on_page_content(html_text, page, config, files):
    blocks = _state["blocks"].get(page.file.src_uri) or []
    if not blocks:
        return html_text
    used = set()

    def repl(m):
        n = int(m.group(1))
        used.add(n)
        return _runnable_html(blocks[n][0], n, blocks[n][1])

    html_text = PLACEHOLDER_RE.sub(repl, html_text)
    if len(used) != len(blocks):
        raise PluginError("tb_python: %s: %d runnable block(s) were lost in rendering"
                          % (page.file.src_uri, len(blocks) - len(used)))
    return html_text


def on_post_build(config):
    """404.html is written with root-absolute links (/assets/...), which from disk (file://)
    point at the root of the file system: no styles, no scripts. It sits at the site's root,
    so the same links relative to it (./assets/...) work from disk and from a server's root."""
    path = os.path.join(config.site_dir, "404.html")
    if not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r'(\s(?:href|src)=")/(?!/)', r"\1./", text)
    # Material's settings (search index and worker) relative too
    text = text.replace('"base": "/"', '"base": "."', 1).replace('": "/assets/', '": "./assets/')
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
