"""MkDocs hook: every Learn page with runnable examples, as a Jupyter notebook.

While the site is built, each page of the nav's "Learn" section that has
```` ```{.python .tb-run} ```` blocks becomes ``site/notebooks/PAGE.ipynb``:

* the first cell installs tinybackprop (this version, pure Python) when the kernel
  lacks it, so the notebook runs as it is in Colab or a fresh Jupyter;
* then the page itself, in order: its text as Markdown cells (one per section, with
  the code and numbers the other hooks have put in, math left for Jupyter to render)
  and each runnable block as a code cell, exactly as on the page.

The page gets a download link under its title.  The hook runs after ``teach.py``
(numbers filled in) and before ``tb_python.py`` (which turns the blocks into
editors).  Nothing here needs nbformat: a notebook is JSON (nbformat 4.5), and
``tests/test_notebooks.py`` validates and runs the same notebooks with nbclient,
built by :func:`notebook` from the pages' sources.
"""

import json
import os
import re

FENCE_RE = re.compile(
    r"^(?P<indent>[ \t]*)```\s*\{\s*\.python\s+\.tb-run\s*\}[ \t]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.S | re.M,
)
ADMONITION_RE = re.compile(r'^(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+"(?P<title>[^"]*)")?[ \t]*$')
COMMENT_RE = re.compile(r"<!--.*?-->\n?", re.S)
LABEL_RE = re.compile(r"\s*\\label\s*\{eq:[^{}]+\}")
FENCE_ATTR_RE = re.compile(r"^(?P<indent>[ \t]*)```[ \t]*(?:\{[ \t]*\.?(?P<lang1>[\w-]+)[^}\n]*\}|(?P<lang2>[\w-]+)[^\n]*)$",
                           re.M)
HEADING_ATTR_RE = re.compile(r"^(#+ .*?)\s*\{[^{}\n]*\}\s*$", re.M)
LINK_MD_RE = re.compile(r"\]\((?!https?:)([\w./-]+)\.md(#[^)\s]*)?\)")
CROSSREF_RE = re.compile(r"\[([^\[\]\n]+)\]\[[\w.]+\]")
FOLDER = "notebooks"
NBFORMAT_MINOR = 5

_state = {"learn": set(), "built": {}, "version": None}


def install_cell(version):
    """The first cell: install tinybackprop ``version`` unless the kernel already has it."""
    return ("# Colab or any fresh Jupyter: install tinybackprop (pure Python, no dependencies)\n"
            "import importlib.util, subprocess, sys\n"
            "if importlib.util.find_spec(\"tinybackprop\") is None:\n"
            "    subprocess.check_call([sys.executable, \"-m\", \"pip\", \"install\", \"-q\", "
            "\"tinybackprop==%s\"])" % version)


def _dedent(code, indent):
    lines = code.split("\n")
    if indent:
        lines = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip(" \t") for ln in lines]
    return "\n".join(lines).rstrip("\n")


def blocks(markdown):
    """The page's runnable blocks, in order, each as the code a cell holds."""
    return [_dedent(m.group("code"), m.group("indent")) for m in FENCE_RE.finditer(markdown)]


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


def _markdown_text(text, link_base):
    """Page Markdown made readable by Jupyter: no hook comments, no equation labels, no
    attribute lists, plain fence languages, links to the site's pages."""
    text = COMMENT_RE.sub("", text)
    text = LABEL_RE.sub("", text)
    text = FENCE_ATTR_RE.sub(lambda m: m.group("indent") + "```" + (m.group("lang1") or m.group("lang2") or ""),
                             text)
    text = HEADING_ATTR_RE.sub(r"\1", text)
    text = LINK_MD_RE.sub(lambda m: "](%s%s.html%s)" % (link_base, m.group(1), m.group(2) or ""), text)
    text = CROSSREF_RE.sub(r"\1", text)   # mkdocstrings cross-references: the text stays
    return text


def _markdown_cells(text, link_base):
    """Markdown cells, one per section (a cut before each ``## `` heading)."""
    text = _markdown_text(text, link_base)
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
    return [re.sub(r"\n{3,}", "\n\n", c).strip("\n") for c in cells]


def _cell(kind, source):
    lines = source.split("\n")
    cell = {"cell_type": kind, "metadata": {},
            "source": [ln + "\n" for ln in lines[:-1]] + [lines[-1]]}
    if kind == "code":
        cell.update({"execution_count": None, "outputs": []})
    return cell


def notebook(markdown, version, link_base=""):
    """The notebook (a dict, nbformat 4.5) of a page's Markdown: the install cell,
    then the text and the runnable blocks in page order.  ``link_base`` goes before
    links to other pages (``forward.md`` -> ``link_base + "forward.html"``)."""
    markdown = _admonitions(markdown)
    cells = [_cell("code", install_cell(version))]
    pos = 0
    for m in FENCE_RE.finditer(markdown):
        cells += [_cell("markdown", c) for c in _markdown_cells(markdown[pos:m.start()], link_base)]
        cells.append(_cell("code", _dedent(m.group("code"), m.group("indent"))))
        pos = m.end()
    cells += [_cell("markdown", c) for c in _markdown_cells(markdown[pos:], link_base)]
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


def notebook_name(page_src):
    return FOLDER + "/" + os.path.splitext(os.path.basename(page_src))[0] + ".ipynb"


def link_html(page_src):
    """The download link put under the page's title."""
    href = "../" * page_src.count("/") + notebook_name(page_src)
    return ('<p class="tb-notebook"><a href="%s" download>Download this page as a Jupyter notebook</a> '
            '(the text and every example of this page; runs in Jupyter or Colab)</p>' % href)


def _version(root):
    with open(os.path.join(root, "tinybackprop", "__init__.py"), encoding="utf-8") as f:
        return re.search(r'^__version__ = "([^"]+)"', f.read(), re.M).group(1)


def on_config(config):
    _state["learn"] = set(learn_pages(config["nav"]))
    _state["built"] = {}
    _state["version"] = _version(os.path.dirname(os.path.abspath(config.config_file_path)))
    return config


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if src not in _state["learn"] or not FENCE_RE.search(markdown):
        return markdown
    depth = src.count("/")
    _state["built"][notebook_name(src)] = notebook(markdown, _state["version"], link_base="../" * (depth + 1))
    if src == "index.md":  # the home page opens with its drawing: the link goes at its end
        return markdown.rstrip("\n") + "\n\n" + link_html(src) + "\n"
    lines = markdown.split("\n")
    for k, line in enumerate(lines):
        if line.startswith("# "):   # under the title
            return "\n".join(lines[:k + 1] + ["", link_html(src), ""] + lines[k + 1:])
    return link_html(src) + "\n\n" + markdown


def on_post_build(config):
    for name, nb in sorted(_state["built"].items()):
        path = os.path.join(config["site_dir"], name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(nb, f, indent=1, ensure_ascii=False)
            f.write("\n")
