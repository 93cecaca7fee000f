"""The Learn pages as Jupyter notebooks: made from the pages by a command, kept in the
repository's ``notebooks/``, served with the site.

Every page of the nav's "Learn" section that has ```` ```{.python .tb-run} ```` blocks
becomes ``notebooks/PAGE.ipynb``, made from the page's source by ``python
tools/make_notebooks.py`` (``--check`` says which differ; ``tests/test_notebooks.py`` fails
when one has drifted from its page).  A notebook holds, in page order:

* a setup cell: it imports tinybackprop, and only where that fails installs it from a
  wheel (``tinybackprop-*.whl`` beside the notebook or in the repository's ``dist/``)
  or from the repository the notebook sits in (the package is not on PyPI yet), all
  offline; then ``import tinybackprop.show``, which turns on the rich display;
* the page's text as Markdown cells (one per ``##`` section), with what the site's
  build puts in: the code of each equation (``<!-- code: ... -->``, docs/hooks/eq_code.py),
  the numbers and tables of ``<!--tb= ... -->`` (docs/hooks/teach.py); a command whose
  output the site shows (``<!-- tinybackprop ... -->``) as the command to run;
* each runnable block as a code cell, exactly as on the page (tag ``example``);
* each picture the page shows: where the page gives the code that draws it with the
  package, ``<!-- notebook: CODE -->`` right after the picture, that code as a cell
  whose last line is a Network, Gradients, History or SVG, which Jupyter draws (rich
  display: an image/svg+xml or text/html output; tag ``picture``); a picture that only
  the site's build draws (docs/hooks/pictures.py) as an image attached to its Markdown
  cell.

While the site is built this hook copies the notebooks into ``site/notebooks/`` and puts a
download link under each page's title.  Nothing here needs nbformat: a notebook is JSON
(nbformat 4.5).
"""

import base64
import json
import os
import re
import shutil

FENCE_RE = re.compile(
    r"^(?P<indent>[ \t]*)```\s*\{\s*\.python\s+\.tb-run\s*\}[ \t]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.S | re.M,
)
#: ``<!-- notebook: CODE -->``: a cell of the notebook only (the site shows nothing of it).
CELL_RE = re.compile(r"^<!--\s*notebook:[ \t]*\n(?P<code>.*?)^-->[ \t]*$\n?", re.S | re.M)
TB_RE = re.compile(r"(?<!`)<!--tb=\s*(.*?)\s*-->", re.S)
CLI_RE = re.compile(r"^<!--\s*tinybackprop\s+(.*?)\s*-->\s*$", re.M)
ADMONITION_RE = re.compile(r'^(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+"(?P<title>[^"]*)")?[ \t]*$')
COMMENT_RE = re.compile(r"<!--.*?-->\n?", re.S)
LABEL_RE = re.compile(r"\s*\\label\s*\{eq:[^{}]+\}")
FENCE_ATTR_RE = re.compile(r"^(?P<indent>[ \t]*)```[ \t]*(?:\{[ \t]*\.?(?P<lang1>[\w-]+)[^}\n]*\}|(?P<lang2>[\w-]+)[^\n]*)$",
                           re.M)
HEADING_ATTR_RE = re.compile(r"^(#+ .*?)\s*\{[^{}\n]*\}\s*$", re.M)
LINK_MD_RE = re.compile(r"\]\((?!https?:)([\w./-]+)\.md(#[^)\s]*)?\)")
CROSSREF_RE = re.compile(r"\[([^\[\]\n]+)\]\[[\w.]+\]")
SVG_RE = re.compile(r"<svg\b.*?</svg>", re.S)
SVG_TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)
FOLDER = "notebooks"
NBFORMAT_MINOR = 5

SETUP = '''\
# Setup: tinybackprop (pure Python, no dependencies) and its pictures in Jupyter.
# The package is not on PyPI yet: only where this kernel cannot import it, this cell
# installs it, offline, from a wheel (tinybackprop-*.whl) beside this notebook or in the
# repository's dist/ folder, or else from the repository this notebook is part of.
import glob
import importlib
import os
import subprocess
import sys
try:
    import tinybackprop
except ImportError:
    wheels = sorted(glob.glob("tinybackprop-*.whl") + glob.glob(os.path.join("..", "dist", "tinybackprop-*.whl")))
    root = os.path.abspath("..")
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps"]
    if wheels:
        subprocess.check_call(pip + [wheels[-1]])
    elif os.path.isfile(os.path.join(root, "tinybackprop", "__init__.py")):
        if subprocess.call(pip + ["--no-build-isolation", root], stderr=subprocess.DEVNULL) != 0:
            sys.path.insert(0, root)    # no build backend here: the checkout's package, as it is
    else:
        raise ImportError("tinybackprop is not installed: put a wheel beside this notebook (in the "
                          "repository, python -m build writes one to dist/) or open it from notebooks/")
    importlib.invalidate_caches()
    import tinybackprop
import tinybackprop.show   # a Network, its Gradients and a training History now draw themselves'''

_state = {"root": None, "learn": set()}


# -- the page's parts -----------------------------------------------------------------------

def _dedent(code, indent):
    lines = code.split("\n")
    if indent:
        lines = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip(" \t") for ln in lines]
    return "\n".join(lines).rstrip("\n")


def blocks(markdown):
    """The page's runnable blocks, in order, each as the code a cell holds."""
    return [_dedent(m.group("code"), m.group("indent")) for m in FENCE_RE.finditer(markdown)]


def picture_cells(markdown):
    """The code of the page's ``<!-- notebook: ... -->`` cells, in order."""
    return [m.group("code").rstrip("\n") for m in CELL_RE.finditer(markdown)]


def _admonitions(text):
    """``!!! note "Title"`` and ``??? question "Title"`` blocks -> a bold title and the body, dedented."""
    out, lines, k = [], text.split("\n"), 0
    while k < len(lines):
        m = ADMONITION_RE.match(lines[k])
        if not m:
            out.append(lines[k])
            k += 1
            continue
        if m.group("title"):
            out.append("**%s**" % m.group("title"))
        k += 1
        body = []
        while k < len(lines) and (lines[k].startswith("    ") or not lines[k].strip()):
            body.append(lines[k][4:])
            k += 1
        out.append(_admonitions("\n".join(body)))  # a fold inside (an exercise's "Show solution")
    return "\n".join(out)


def _markdown_text(text, has_notebook):
    """Page Markdown made readable by Jupyter: no hook comments, no equation labels, no
    attribute lists, plain fence languages; a link to another page goes to its notebook
    (beside this one) where it has one, else to its source in the repository."""
    text = COMMENT_RE.sub("", text)
    text = LABEL_RE.sub("", text)
    text = FENCE_ATTR_RE.sub(lambda m: m.group("indent") + "```" + (m.group("lang1") or m.group("lang2") or ""),
                             text)
    text = HEADING_ATTR_RE.sub(r"\1", text)

    def link(m):
        page, anchor = m.group(1), m.group(2) or ""
        if has_notebook(page + ".md"):
            return "](%s.ipynb%s)" % (os.path.basename(page), anchor)
        return "](../docs/%s.md%s)" % (page, anchor)

    text = LINK_MD_RE.sub(link, text)
    return CROSSREF_RE.sub(r"\1", text)   # mkdocstrings cross-references: the text stays


def _markdown_cells(text, has_notebook, attachments):
    """Markdown cells, one per section (a cut before each ``## `` heading); each cell
    carries the attachments its text refers to."""
    text = _markdown_text(text, has_notebook)
    cells, current = [], []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if line.startswith("## ") and not fenced and "\n".join(current).strip():
            cells.append("\n".join(current))
            current = []
        current.append(line)
    if "\n".join(current).strip():
        cells.append("\n".join(current))
    out = []
    for c in cells:
        c = re.sub(r"\n{3,}", "\n\n", c).strip("\n")
        used = dict((name, data) for name, data in attachments.items() if "(attachment:%s)" % name in c)
        out.append(_cell("markdown", c, attachments=used))
    return out


def _cell(kind, source, tag=None, attachments=None):
    lines = source.split("\n")
    cell = {"cell_type": kind, "metadata": {"tags": [tag]} if tag else {},
            "source": [ln + "\n" for ln in lines[:-1]] + [lines[-1]]}
    if kind == "code":
        cell.update({"execution_count": None, "outputs": []})
    if attachments:
        cell["attachments"] = attachments
    return cell


# -- a page, expanded as the site's build expands it ----------------------------------------------

class _Config(dict):
    """What the hooks read of MkDocs' config, outside a build."""

    def __init__(self, root):
        super().__init__(docs_dir=os.path.join(root, "docs"))
        self.config_file_path = os.path.join(root, "mkdocs.yml")
        self.docs_dir = self["docs_dir"]


class _Page:
    def __init__(self, src):
        self.file = type("File", (), {"src_uri": src})()


def _hook(name):
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py")
    spec = importlib.util.spec_from_file_location("tb_notebook_" + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _expanded(root, src, text, hooks):
    """The page's Markdown with the equations' code, the numbers and tables in (as the
    build puts them); each picture as ``(attachment:NAME)`` or, where the page gives the
    code that draws it (``<!-- notebook: -->`` right after it), dropped for that cell;
    each command as the command to run.  Returns (text, {NAME: attachment})."""
    eq_code, teach, config = hooks
    text = eq_code.render(root, text, src)
    page = _Page(src)
    pictures = {}

    def value(m):
        out = teach.on_page_markdown(m.group(0), page, config, None)
        svg = SVG_RE.search(out)
        if svg is None:
            return out
        rest = text[m.end():].lstrip()
        if rest.startswith("<!--") and CELL_RE.match(rest):
            return ""     # the cell after it draws the picture
        name = "figure-%d.svg" % (len(pictures) + 1)
        title = SVG_TITLE_RE.search(svg.group(0))
        pictures[name] = {"image/svg+xml": base64.b64encode(svg.group(0).encode("utf-8")).decode("ascii")}
        return "![%s](attachment:%s)" % (title.group(1).replace("]", ")") if title else "picture", name)

    text = TB_RE.sub(value, text)
    text = CLI_RE.sub(lambda m: "*Run it in a terminal (or in a cell, after `!`):*\n\n```bash\ntinybackprop %s\n```\n"
                      % m.group(1), text)
    return text, pictures


def notebook(root, src, hooks, has_notebook):
    """The notebook (a dict, nbformat 4.5) of the page ``docs/SRC``."""
    with open(os.path.join(root, "docs", src), encoding="utf-8") as f:
        text = f.read()
    text, attachments = _expanded(root, src, text, hooks)
    text = _admonitions(text)
    parts = []   # (start, end, cell) of the runnable blocks and the picture cells, in page order
    for m in FENCE_RE.finditer(text):
        parts.append((m.start(), m.end(), _cell("code", _dedent(m.group("code"), m.group("indent")), "example")))
    for m in CELL_RE.finditer(text):
        parts.append((m.start(), m.end(), _cell("code", m.group("code").rstrip("\n"), "picture")))
    cells, pos = [_cell("code", SETUP, "setup")], 0
    for start, end, cell in sorted(parts, key=lambda p: p[0]):
        cells += _markdown_cells(text[pos:start], has_notebook, attachments)
        cells.append(cell)
        pos = end
    cells += _markdown_cells(text[pos:], has_notebook, attachments)
    for k, cell in enumerate(cells):
        cell["id"] = "cell-%d" % k   # nbformat 4.5: every cell has an id
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": NBFORMAT_MINOR,
    }


def learn_pages(nav):
    """The file names of the pages in the nav's "Learn" section (a parsed mkdocs nav)."""
    found = []

    def walk(item):
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            for v in item.values():
                walk(v)
        elif isinstance(item, list):
            for v in item:
                walk(v)

    for entry in nav or []:
        if isinstance(entry, dict) and "Learn" in entry:
            walk(entry["Learn"])
    return found


def _learn_pages_of(root):
    """The Learn section of ``ROOT/mkdocs.yml``, read without a YAML parser (its entries
    are ``- Title: page.md`` lines, indented under ``- Learn:``)."""
    with open(os.path.join(root, "mkdocs.yml"), encoding="utf-8") as f:
        text = f.read()
    section = re.search(r"^  - Learn:\n(.*?)^  - ", text, re.S | re.M)
    return re.findall(r"^\s+- .*?:\s*\"?([\w./-]+\.md)\"?\s*$", section.group(1), re.M) if section else []


def notebook_name(page_src):
    return FOLDER + "/" + os.path.splitext(os.path.basename(page_src))[0] + ".ipynb"


def pages_with_notebooks(root):
    """The Learn pages that have runnable blocks, in nav order."""
    out = []
    for src in _learn_pages_of(root):
        with open(os.path.join(root, "docs", src), encoding="utf-8") as f:
            if FENCE_RE.search(f.read()):
                out.append(src)
    return out


def build(root):
    """{notebooks/PAGE.ipynb: its text} for every Learn page with runnable blocks, made
    from the pages' sources (needs MkDocs: the build's hooks expand the pages)."""
    config = _Config(root)
    eq_code, teach = _hook("eq_code"), _hook("teach")
    teach.on_config(config)
    teach.on_pre_build(config)
    pages = pages_with_notebooks(root)
    names = set(pages)
    out = {}
    for src in pages:
        nb = notebook(root, src, (eq_code, teach, config), lambda page: page in names)
        out[notebook_name(src)] = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    return out


# -- the hook: the notebooks beside the site, a link under each page's title --------------------

def link_html(page_src):
    """The download link put under the page's title."""
    href = "../" * page_src.count("/") + notebook_name(page_src)
    return ('<p class="tb-notebook"><a href="%s" download>Download this page as a Jupyter notebook</a> '
            '(the text, every example and the pictures of this page; runs in Jupyter)</p>' % href)


def on_config(config):
    _state["root"] = os.path.dirname(os.path.abspath(config.config_file_path))
    _state["learn"] = set(learn_pages(config["nav"]))
    return config


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    markdown = CELL_RE.sub("", markdown)   # the notebook's own cells: not on the site
    if src not in _state["learn"] or not os.path.isfile(os.path.join(_state["root"], notebook_name(src))):
        return markdown
    if src == "index.md":  # the home page opens with its drawing: the link goes at its end
        return markdown.rstrip("\n") + "\n\n" + link_html(src) + "\n"
    lines = markdown.split("\n")
    for k, line in enumerate(lines):
        if line.startswith("# "):   # under the title
            return "\n".join(lines[:k + 1] + ["", link_html(src), ""] + lines[k + 1:])
    return link_html(src) + "\n\n" + markdown


def on_post_build(config):
    folder = os.path.join(_state["root"], FOLDER)
    target = os.path.join(config["site_dir"], FOLDER)
    os.makedirs(target, exist_ok=True)
    for name in sorted(os.listdir(folder)):
        if name.endswith(".ipynb"):
            shutil.copyfile(os.path.join(folder, name), os.path.join(target, name))
