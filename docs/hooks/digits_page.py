"""MkDocs hook: the digits page's numbers and its drawing pad, from a model trained at build time.

The page first trains and saves a network with the CLI-output hook
(``<!-- tinybackprop train --data digits --save digits.json -->``, run in
``cli_output.workspace()``).  This hook then reads that ``digits.json`` and

* replaces each inline marker ``<!--digits: NAME -->`` with a number computed from it
  (``train``, ``steps``, ``test``, ``right``, ``wrong``, ``accuracy``, ``parameters``, ``W1``), so a solution
  can quote the run's numbers without pasting them;
* replaces a line ``<!-- digits-pad -->`` with the drawing pad: a 32x32 drawing
  surface reduced to 8x8 block counts 0-16 (as the data set was made), the network
  itself inlined as JSON, and ten bars for the softmax outputs, computed in the page by
  MicroPython through ``window.tbPython`` (docs/assets/javascripts/digits-pad.js).

A page that uses either without having saved ``digits.json`` fails the build.
"""

import json
import os
import re
import sys
import tempfile

from mkdocs.exceptions import PluginError

MODEL = "digits.json"
VALUE_RE = re.compile(r"<!--\s*digits:\s*([A-Za-z0-9_]+)\s*-->")
PAD_RE = re.compile(r"^<!--\s*digits-pad\s*-->\s*$", re.M)
_state = {"root": None}


def _workspace():
    # the same folder as docs/hooks/cli_output.py's workspace(): one per build process
    return os.path.join(tempfile.gettempdir(), "tinybackprop-docs-%d" % os.getpid())


def on_config(config):
    _state["root"] = os.path.dirname(os.path.abspath(config.config_file_path))
    if "assets/javascripts/digits-pad.js" not in [str(x) for x in config.extra_javascript]:
        config.extra_javascript.append("assets/javascripts/digits-pad.js")
    if "assets/stylesheets/digits-pad.css" not in [str(x) for x in config.extra_css]:
        config.extra_css.append("assets/stylesheets/digits-pad.css")
    return config


def _load(page):
    path = os.path.join(_workspace(), MODEL)
    if not os.path.isfile(path):
        raise PluginError("digits_page: %s: train and save the model first, above the markers: "
                          "<!-- tinybackprop train --data digits --save %s -->" % (page.file.src_uri, MODEL))
    with open(path, encoding="utf-8") as f:
        return f.read()


def values(model_text):
    """The numbers the page may quote, computed from the saved model and its test split."""
    root = _state["root"]
    if root not in sys.path:
        sys.path.insert(0, root)
    from tinybackprop import Network, cli
    from tinybackprop.cli import metrics
    from tinybackprop import datasets as ds

    d = json.loads(model_text)
    net = Network.from_dict(d)
    split = d["data"]["split"]
    task = ds.digits_task(test_fraction=split["test_fraction"], seed=split["seed"])
    task = ds.split_validation(task, split.get("val_fraction", 0.0), seed=split["seed"])  # the rows it trained on
    C = metrics.confusion(net.predict(task.X_test), task.Y_test)
    right = sum(C[k][k] for k in range(len(C)))
    n = len(task.X_test)
    sizes = net.sizes
    return {
        "train": "{:,}".format(len(task.X_train)), "steps": str(-(-len(task.X_train) // cli.DATA_DEFAULTS["digits"]["batch_size"])),
        "test": str(n), "right": str(right), "wrong": str(n - right), "accuracy": "%.3f" % (right / n),
        "parameters": str(sum(sizes[l - 1] * sizes[l] + sizes[l] for l in range(1, len(sizes)))),
        "W1": "%d \u00d7 %d" % (sizes[0], sizes[1]),
    }


PAD_HTML = """<div class="tb-digits-pad" id="tb-digits-pad">
<div class="tb-pad-row">
<div class="tb-pad-col">
<canvas class="tb-pad-canvas" width="256" height="256" aria-label="drawing pad: draw a digit with the mouse or a finger"></canvas>
<div class="tb-pad-buttons">
<button type="button" class="md-button md-button--primary tb-pad-clear">Clear</button>
<label class="tb-pad-norm"><input type="checkbox" class="tb-pad-fit" checked> fit to the box, as the data set's digits are</label>
</div>
</div>
<div class="tb-pad-col">
<div class="tb-pad-caption">What the network sees: 8&times;8 pixels, 0&ndash;16</div>
<canvas class="tb-pad-seen" width="128" height="128" aria-label="the 8x8 image given to the network"></canvas>
</div>
<div class="tb-pad-col tb-pad-barcol">
<div class="tb-pad-caption">Softmax outputs <span class="tb-pad-answer"></span></div>
<div class="tb-pad-bars" role="list"></div>
</div>
</div>
<div class="tb-pad-status" aria-live="polite">Draw a digit: the network below runs in this page (MicroPython) once you start.</div>
</div>
<script type="application/json" id="tb-digits-model">%s</script>
"""


def on_page_markdown(markdown, page, config, files):
    if not (PAD_RE.search(markdown) or VALUE_RE.search(markdown)):
        return markdown
    model_text = _load(page)
    known = values(model_text)

    def value(m):
        name = m.group(1)
        if name not in known:
            raise PluginError("digits_page: %s: unknown value <!--digits: %s --> (known: %s)"
                              % (page.file.src_uri, name, ", ".join(sorted(known))))
        return known[name]

    markdown = VALUE_RE.sub(value, markdown)
    compact = json.dumps(json.loads(model_text), separators=(",", ":")).replace("</", "<\\/")
    return PAD_RE.sub(lambda m: PAD_HTML % compact, markdown, count=1)
