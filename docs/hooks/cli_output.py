"""MkDocs hook: the output of ``tinybackprop`` commands, generated while the site is built.

A page asks for it with an HTML comment on a line of its own::

    <!-- tinybackprop explain --layers 4,3,2,1 --seed 0 --x 0.1,0.2,0.3,0.4 --y 1 -->
    <!-- tinybackprop check --layers 3,4,1 --loss squared_error --seed 1 -->

The comment is replaced by what the command prints, run in this process through
``tinybackprop.cli.main`` from the repository being built:

* ``explain`` gets ``--format markdown`` and is put in as Markdown: its LaTeX is then
  rendered by the KaTeX hook like any other math on the page, its headings move one
  level down (under the page's own heading), each layer's group of steps becomes a
  collapsed block, and each equation ID it shows links to that equation's anchor on
  the site (found from the ``\\label{eq:ID}`` of the pages);
* ``draw`` gets ``--out`` a temporary file, and the SVG picture it writes is put
  in the page inline (no separate file to go missing offline);
* any other command (``check``, ``train``, ``predict``) goes in a ``text`` code block,
  followed by the warnings it gives on stderr (``tinybackprop: warning: ...``, what a
  terminal shows too); a ``train`` command's ``--plot`` loss curve and ``--draw`` digits
  sheet follow it as inline pictures.

Commands run in one working folder for the whole build (:func:`workspace`), so a page
can train and save a model once and use it further down:
``<!-- tinybackprop train --data digits --save digits.json -->`` then
``<!-- tinybackprop draw --model digits.json --digits errors -->``.

A line above each block names the command, so a reader can run it. Numbers on the
site are therefore never pasted: they are what the code computes at build time. A
command that fails (non-zero exit status) fails the build with its error message.
"""

import io
import os
import shutil
import tempfile
import posixpath
import re
import shlex
import sys

from mkdocs.exceptions import PluginError

MARKER_RE = re.compile(r"^<!--\s*tinybackprop\s+(.*?)\s*-->\s*$", re.M)
LABEL_RE = re.compile(r"\\label\s*\{eq:([^{}]+)\}")
ITEM_ID_RE = re.compile(r"^- `([A-Za-z][A-Za-z0-9_.]*)` ", re.M)
HEADING_RE = re.compile(r"^(#{1,5}) ", re.M)
COMMANDS = ("explain", "check", "train", "draw", "predict")

_state = {"root": None, "anchors": {}}


def _cli():
    root = _state["root"]
    if root not in sys.path:
        sys.path.insert(0, root)
    try:
        from tinybackprop import cli
    except ImportError as exc:
        raise PluginError("cli_output: cannot import tinybackprop.cli from %s: %s" % (root, exc))
    return cli


def workspace():
    """The folder the commands run in, the same for every hook of this build (process).

    Other hooks (docs/hooks/digits_page.py) read the files the commands wrote there."""
    return os.path.join(tempfile.gettempdir(), "tinybackprop-docs-%d" % os.getpid())


def run(argv):
    """Run ``tinybackprop ARGV`` in :func:`workspace`; return its standard output or raise PluginError."""
    return run_both(argv)[0]


def run_both(argv):
    """:func:`run`, returning (standard output, standard error)."""
    cli = _cli()
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.makedirs(workspace(), exist_ok=True)
    os.chdir(workspace())
    try:
        code = cli.main(list(argv), out, err)
    finally:
        os.chdir(here)
    if code not in (0, None):
        raise PluginError("cli_output: `tinybackprop %s` exited with status %s: %s"
                          % (" ".join(argv), code, (err.getvalue() or out.getvalue()).strip()[-500:]))
    return out.getvalue(), err.getvalue()


def on_config(config):
    _state["root"] = os.path.dirname(os.path.abspath(config.config_file_path))
    return config


def on_post_build(config):
    shutil.rmtree(workspace(), ignore_errors=True)


def on_pre_build(config):
    """Where each equation ID is anchored: {ID: page path relative to docs/}."""
    anchors = {}
    docs = config.docs_dir
    for folder, dirs, files in os.walk(docs):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) != os.path.join(docs, "hooks")]
        for fn in files:
            if fn.endswith(".md"):
                path = os.path.join(folder, fn)
                with open(path, encoding="utf-8") as f:
                    for eq_id in LABEL_RE.findall(f.read()):
                        anchors[eq_id.strip()] = os.path.relpath(path, docs).replace(os.sep, "/")
    _state["anchors"] = anchors


def _link_ids(markdown, page_uri):
    here = posixpath.dirname(page_uri)

    def link(m):
        eq_id = m.group(1)
        target = _state["anchors"].get(eq_id)
        if target is None:
            return m.group(0)
        href = posixpath.relpath(target, here or ".") + "#eq-" + eq_id.replace(".", "-")
        return "- [`%s`](%s) " % (eq_id, href)

    return ITEM_ID_RE.sub(link, markdown)


def _collapsible(markdown):
    """Each layer's group of steps (a level-4 heading and what follows it, up to the
    next heading) as a collapsed ``??? example "title"`` block (pymdownx.details)."""
    out, body, title = [], [], None

    def close():
        if title is not None:
            while body and not body[-1].strip():
                body.pop()
            out.append('??? example "%s"' % title.replace('"', "'"))
            out.extend(("    " + l) if l.strip() else "" for l in body)
            out.append("")

    for line in markdown.split("\n"):
        if line.startswith("#### "):
            close()
            title, body = line[5:].strip(), []
        elif line.startswith("#"):
            close()
            title, body = None, []
            out.append(line)
        elif title is not None:
            body.append(line)
        else:
            out.append(line)
    close()
    return "\n".join(out)


def _replace(m, page):
    args = shlex.split(m.group(1))
    if not args or args[0] not in COMMANDS:
        raise PluginError("cli_output: %s: unknown command in %r (use one of: %s)"
                          % (page.file.src_uri, m.group(0).strip(), ", ".join(COMMANDS)))
    if "--format" in args or "--out" in args or "-o" in args:
        raise PluginError("cli_output: %s: leave out --format in %r (the hook chooses them)"
                          % (page.file.src_uri, m.group(0).strip()))
    shown = "tinybackprop " + " ".join(shlex.quote(a) for a in args)
    if args[0] == "explain":
        text = run(args + ["--format", "markdown"])
        text = HEADING_RE.sub(lambda h: "#" + h.group(1) + " ", text)
        text = _link_ids(text, page.file.src_uri)
        text = _collapsible(text)
        return "*Generated during the build by* `%s --format markdown`*:*\n\n%s\n" % (shown, text.strip())
    if args[0] == "draw":
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "net.svg")
            run(args + ["--out", out])
            with open(out, encoding="utf-8") as f:
                svg = f.read()
        svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg).strip()
        if "\n\n" in svg:  # a blank line would end the raw HTML block
            svg = re.sub(r"\n\s*\n", "\n", svg)
        return ('*Drawn during the build by* `%s`*:*\n\n<figure class="tb-drawing">\n%s\n</figure>\n'
                % (shown, svg))
    text, err = run_both(args)
    warnings = "".join(line + "\n" for line in err.splitlines() if line.startswith("tinybackprop: warning: "))
    block = "*Generated during the build by* `%s`*:*\n\n```text\n%s\n```\n" % (shown, (text + warnings).rstrip())
    if args[0] == "train":
        for flag in ("--plot", "--draw"):
            if flag in args:
                with open(os.path.join(workspace(), args[args.index(flag) + 1]), encoding="utf-8") as f:
                    block += "\n" + _figure(f.read())
    return block


def _figure(svg):
    """A drawing as a figure; drawings side by side in one SVG (``boundary.side_by_side``: the
    loss curve and the decision regions) as a row of figures, which wraps on a phone."""
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg).strip()
    svg = re.sub(r"\n\s*\n", "\n", svg)  # a blank line would end the raw HTML block
    inner = re.findall(r'<svg x="\d+" y="0" (.*?</svg>)', svg, re.S)
    if inner and "<title>" not in svg.split(">", 1)[0]:
        return '<div class="tb-panels" markdown="0">\n%s</div>\n' % "".join(
            '<figure class="tb-drawing">\n<svg %s\n</figure>\n' % part for part in inner)
    return '<figure class="tb-drawing">\n%s\n</figure>\n' % svg


def on_page_markdown(markdown, page, config, files):
    if "tinybackprop" not in markdown:
        return markdown
    return MARKER_RE.sub(lambda m: _replace(m, page), markdown)
