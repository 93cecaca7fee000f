"""MkDocs hook: render every formula to HTML with KaTeX at build time.

Nothing is rendered in the reader's browser and nothing is fetched from a CDN:

* ``pymdownx.arithmatex`` (``generic: true``) turns ``$...$`` / ``\\(...\\)`` into
  ``<span class="arithmatex">`` and ``$$...$$`` / ``\\[...\\]`` / ``\\begin{env}`` blocks
  into ``<div class="arithmatex">``.
* A display formula may carry one ``\\label{eq:ID}``.  A small Markdown tree
  processor (registered below, so it runs inside every Markdown render, also in
  mkdocstrings docstrings) removes the label and gives the block the HTML id
  ``eq-`` + ID with dots replaced by ``-`` (``bwd.gW.mat`` -> ``eq-bwd-gW-mat``).
  Because this happens before MkDocs collects anchors, links such as
  ``[..](backward.md#eq-bwd-gW-mat)`` are checked by ``mkdocs build --strict``.
* ``on_page_content`` sends all formulas of a page, in one batch, to a single
  ``node`` process per build (``katex_render.cjs``) and puts the returned HTML in
  place.  A formula KaTeX rejects (parse error or strict-mode violation) fails the
  build with the page and the formula named; so do math delimiters left over in the
  text (``$$``, ``\\(``, ``\\[`` outside code), a malformed label and a duplicate
  equation id on one page.
* ``katex.min.css`` and its fonts are copied from ``node_modules/katex/dist`` (from
  ``npm ci`` at the repository root) into ``site/assets/katex/``; they are never
  committed.
* ``site/assets/equations.json`` lists every labelled equation: ID -> page and anchor.
* Every stylesheet and script the theme links must be local: the hook refuses an
  external ``extra_css``, ``extra_javascript`` or ``extra.polyfills`` entry (the
  Material ``offline`` plugin would otherwise add a CDN worker shim).

Optional KaTeX macros: ``extra: {katex_macros: {"\\\\RR": "\\\\mathbb{R}"}}`` in
mkdocs.yml.
"""

import html
import json
import logging
import os
import re
import subprocess

from markdown import Extension
from markdown.treeprocessors import Treeprocessor
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.katex_math")

HERE = os.path.dirname(os.path.abspath(__file__))
RENDERER = os.path.join(HERE, "katex_render.cjs")
KATEX_DEST = "assets/katex"

# An equation ID as used in code comments `# [eq:ID]`: letters, digits, `_`, `.`.
ID_RE = r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*"
LABEL_RE = re.compile(r"\\label\s*\{([^{}]*)\}")
LABEL_OK_RE = re.compile(r"eq:(" + ID_RE + r")\Z")

# What arithmatex (generic mode) leaves in the HTML: the TeX is escaped text.
MATH_RE = re.compile(
    r'<(?P<tag>div|span) class="arithmatex"(?P<attrs>[^>]*)>(?P<body>.*?)</(?P=tag)>',
    re.S,
)
ATTR_RE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"')
# Blocks whose text may legitimately contain `$$` or `\(`: code, scripts, styles.
VERBATIM_RE = re.compile(r"<(pre|code|script|style|textarea)\b.*?</\1>", re.S | re.I)
TAG_RE = re.compile(r"<[^>]+>")
LEFTOVER_RE = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]")
# KaTeX writes each formula twice: MathML (for screen readers) and HTML (for the
# eye). The search index should hold it once, as shown; Material's indexer skips an
# element marked data-search-exclude, but only reliably when that element's tag does
# not occur inside it, hence a wrapper element of its own.
MATHML_RE = re.compile(r'<span class="katex-mathml">.*?</math></span>', re.S)


def _hide_from_search(m):
    return "<tb-noindex data-search-exclude>" + m.group(0) + "</tb-noindex>"


def anchor_for(eq_id):
    """HTML id of an equation: ``bwd.gW.mat`` -> ``eq-bwd-gW-mat``."""
    return "eq-" + eq_id.replace(".", "-")


# ---------------------------------------------------------------------------
# Markdown side: \label{eq:ID} -> id="eq-..." (before MkDocs collects anchors)
# ---------------------------------------------------------------------------


class _LabelTreeprocessor(Treeprocessor):
    def run(self, root):
        for el in root.iter():
            if "arithmatex" not in (el.get("class") or "").split():
                continue
            text = el.text or ""
            labels = LABEL_RE.findall(text)
            if not labels:
                continue
            if el.tag != "div":
                el.set("data-label-error", "\\label is only allowed in display math ($$ ... $$)")
                continue
            if len(labels) > 1:
                el.set("data-label-error", "more than one \\label in one formula: " + ", ".join(labels))
                continue
            m = LABEL_OK_RE.match(labels[0].strip())
            if not m:
                el.set(
                    "data-label-error",
                    "bad label {%s}: write \\label{eq:ID}, ID like bwd.gW.mat" % labels[0],
                )
                continue
            eq_id = m.group(1)
            # Keep the text an AtomicString (same type) so nothing re-parses it.
            el.text = type(text)(LABEL_RE.sub("", text))
            el.set("id", anchor_for(eq_id))
            el.set("data-eq", eq_id)


class EquationLabelExtension(Extension):
    def extendMarkdown(self, md):
        # After inline patterns (20) made the inline math spans, before toc and
        # MkDocs' anchor extraction (5) read the ids.
        md.treeprocessors.register(_LabelTreeprocessor(md), "tb_equation_labels", 15)


# ---------------------------------------------------------------------------
# The node process
# ---------------------------------------------------------------------------


class _KaTeX:
    """One ``node katex_render.cjs`` process; one JSON line per batch."""

    def __init__(self, root, macros):
        try:
            self.proc = subprocess.Popen(
                ["node", RENDERER, root, json.dumps(macros)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                encoding="utf-8",
                bufsize=1,
            )
        except FileNotFoundError:
            raise PluginError("katex_math: `node` is not on PATH; it is needed to render math (install Node.js)")
        hello = self._read()
        if not hello.get("ready"):
            self.close()
            raise PluginError(
                "katex_math: KaTeX could not be loaded (%s). Run `npm ci` in %s." % (hello.get("error"), root)
            )
        self.version = hello["version"]
        self.dist = hello["dist"]
        self.next_id = 0

    def _read(self):
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            raise PluginError("katex_math: the KaTeX node process exited (code %s)" % code)
        return json.loads(line)

    def render(self, items):
        self.next_id += 1
        self.proc.stdin.write(json.dumps({"id": self.next_id, "items": items}) + "\n")
        self.proc.stdin.flush()
        reply = self._read()
        if reply.get("id") != self.next_id or len(reply.get("results", ())) != len(items):
            raise PluginError("katex_math: KaTeX node process answered out of step: %r" % (reply,)[:300])
        return reply["results"]

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except Exception:  # noqa: BLE001 - whatever went wrong closing it, the process is killed
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


_state = {"katex": None, "root": None, "macros": {}, "errors": [], "formulas": 0, "equations": {}}


def _renderer():
    if _state["katex"] is None:
        _state["katex"] = _KaTeX(_state["root"], _state["macros"])
    return _state["katex"]


def _stop():
    k = _state["katex"]
    _state["katex"] = None
    if k is not None:
        k.close()


# ---------------------------------------------------------------------------
# MkDocs events
# ---------------------------------------------------------------------------


def _is_external(url):
    url = str(url).strip().lower()
    return url.startswith(("http://", "https://", "//"))


def on_config(config):
    root = os.path.dirname(os.path.abspath(config.config_file_path))
    _state["root"] = root
    _state["macros"] = dict(config.extra.get("katex_macros") or {})

    if "pymdownx.arithmatex" not in config.markdown_extensions:
        raise PluginError("katex_math: add `pymdownx.arithmatex: {generic: true}` to markdown_extensions")
    if not (config.mdx_configs.get("pymdownx.arithmatex") or {}).get("generic"):
        raise PluginError("katex_math: pymdownx.arithmatex needs `generic: true`")
    config.markdown_extensions.append(EquationLabelExtension())

    # Snippet paths are relative to the repository root whatever the cwd.
    snip = config.mdx_configs.get("pymdownx.snippets")
    if snip is not None:
        bases = snip.get("base_path", ["."])
        if isinstance(bases, str):
            bases = [bases]
        snip["base_path"] = [b if os.path.isabs(b) else os.path.normpath(os.path.join(root, b)) for b in bases]

    css = KATEX_DEST + "/katex.min.css"
    if css not in [str(c) for c in config.extra_css]:
        config.extra_css.insert(0, css)

    external = [str(u) for u in list(config.extra_css) + list(config.extra_javascript) if _is_external(u)]
    external += [str(u) for u in config.extra.get("polyfills", []) if _is_external(u)]
    if external:
        raise PluginError(
            "katex_math: the site must not load anything from the network, but these are external: "
            + ", ".join(external)
        )
    return config


def on_pre_build(config):
    _state["errors"] = []
    _state["formulas"] = 0
    _state["equations"] = {}


def on_files(files, config):
    """Copy katex.min.css and its fonts from node_modules into the site."""
    dist = os.path.join(_state["root"], "node_modules", "katex", "dist")
    if not os.path.isfile(os.path.join(dist, "katex.min.css")):
        # Ask node where KaTeX is (and fail clearly when it is not installed).
        dist = _renderer().dist
    sources = [("katex.min.css", os.path.join(dist, "katex.min.css"))]
    fonts = os.path.join(dist, "fonts")
    for name in sorted(os.listdir(fonts)):
        sources.append(("fonts/" + name, os.path.join(fonts, name)))
    for rel, src in sources:
        uri = KATEX_DEST + "/" + rel
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=src))
    return files


def _attrs(text):
    return dict((k, html.unescape(v)) for k, v in ATTR_RE.findall(text))


def _short(tex, limit=160):
    tex = " ".join(tex.split())
    return tex if len(tex) <= limit else tex[: limit - 3] + "..."


def _strip_delimiters(body, display):
    tex = body.strip()
    if display and tex.startswith("\\[") and tex.endswith("\\]"):
        return tex[2:-2]
    if not display and tex.startswith("\\(") and tex.endswith("\\)"):
        return tex[2:-2]
    return tex  # \begin{env} ... \end{env} blocks come without \[ \]


# A backward-pass equation links to the playground at that equation (docs/playground.md;
# tb-playground.js reads the #eq=ID&... and steps to it). The softmax Jacobian step only
# happens with a softmax output and a loss that is not its own (here squared error).
PLAYGROUND_PAGE = "playground.md"
STEP_SETUPS = {"bwd.gz_softmax": "&sizes=4,3,3&output=softmax&loss=squared_error",
               "bwd.gz_softmax.mat": "&sizes=4,3,3&output=softmax&loss=squared_error"}


def _step_link(eq_id, page):
    if not eq_id.startswith("bwd.") or page.file.src_uri == PLAYGROUND_PAGE:
        return ""
    import posixpath

    here = posixpath.dirname(page.file.url)
    href = posixpath.relpath("playground.html", here or ".") + "#eq=" + eq_id + STEP_SETUPS.get(eq_id, "")
    return ('<a class="tb-eq__step" href="%s" title="Open the playground at this equation, with numbers">'
            'step through this</a>' % html.escape(href))


def on_page_content(html_text, page, config, files):
    where = page.file.src_uri
    matches = list(MATH_RE.finditer(html_text))
    errors = _state["errors"]

    # Delimiters that arithmatex did not turn into math are mistakes.
    rest = VERBATIM_RE.sub(" ", MATH_RE.sub(" ", html_text))
    rest = html.unescape(TAG_RE.sub(" ", rest))
    for m in LEFTOVER_RE.finditer(rest):
        context = rest[max(0, m.start() - 40): m.end() + 40]
        errors.append("%s: math delimiter %r left in the text (not rendered): ...%s..." % (where, m.group(0), _short(context)))

    _render_toc(page, where, errors)
    if not matches:
        return html_text

    items, infos = [], []
    seen = {}
    for m in matches:
        attrs = _attrs(m.group("attrs"))
        display = m.group("tag") == "div"
        tex = _strip_delimiters(html.unescape(m.group("body")), display)
        if attrs.get("data-label-error"):
            errors.append("%s: %s in formula: %s" % (where, attrs["data-label-error"], _short(tex)))
            tex = LABEL_RE.sub("", tex)  # reported once, not again as a KaTeX error
        eq_id = attrs.get("data-eq")
        if eq_id:
            if eq_id in seen:
                errors.append("%s: equation id eq:%s is used twice on this page" % (where, eq_id))
            seen[eq_id] = True
            _state["equations"].setdefault(eq_id, []).append(
                {"src": where, "url": page.file.url + "#" + anchor_for(eq_id)}
            )
        items.append({"tex": tex, "display": display})
        infos.append((display, eq_id, tex))

    results = _renderer().render(items)
    _state["formulas"] += len(items)

    out = []
    pos = 0
    for m, (display, eq_id, tex), res in zip(matches, infos, results):
        out.append(html_text[pos: m.start()])
        pos = m.end()
        if "error" in res:
            msg = res["error"]
            if "\\label" in tex and not display:
                msg = "\\label is only allowed in display math ($$ ... $$); " + msg
            errors.append("%s: KaTeX cannot render %s formula `%s`: %s" % (
                where, "display" if display else "inline", _short(tex), msg))
            out.append(m.group(0))
            continue
        rendered = MATHML_RE.sub(_hide_from_search, res["html"])
        if not display:
            out.append(rendered)
        elif eq_id:
            anchor = anchor_for(eq_id)
            step = _step_link(eq_id, page)
            out.append(
                '<div class="tb-math tb-eq" id="%s" data-eq="%s">%s '
                '<span class="tb-eq__side"><a class="tb-eq__id" href="#%s" title="Equation %s: this ID marks its code">%s</a>%s</span></div>'
                % (anchor, html.escape(eq_id), rendered, anchor, html.escape(eq_id), html.escape(eq_id), step)
            )
        else:
            out.append('<div class="tb-math">%s</div>' % rendered)
    out.append(html_text[pos:])
    return "".join(out)


TOC_MATH_RE = re.compile(r"\\\((.+?)\\\)", re.S)


def _toc_items(items):
    for item in items:
        yield item
        for child in _toc_items(item.children):
            yield child


def _render_toc(page, where, errors):
    """Math in a heading: render it in the table of contents too (titles are HTML there)."""
    if page.title and ("\\(" in page.title or "\\[" in page.title):
        errors.append("%s: math in the page title %r: the browser tab and navigation cannot show it; "
                      "write the first heading in words" % (where, page.title))
    todo = []
    for item in _toc_items(page.toc or []):
        for m in TOC_MATH_RE.finditer(item.title):
            todo.append((item, m.group(0), html.unescape(m.group(1))))
    if not todo:
        return
    results = _renderer().render([{"tex": tex, "display": False} for _, _, tex in todo])
    _state["formulas"] += len(todo)
    for (item, raw, tex), res in zip(todo, results):
        if "error" in res:
            errors.append("%s: KaTeX cannot render heading formula `%s`: %s" % (where, _short(tex), res["error"]))
        else:
            item.title = item.title.replace(raw, MATHML_RE.sub(_hide_from_search, res["html"]), 1)


def on_post_build(config):
    k = _state["katex"]
    version = k.version if k is not None else "?"
    _stop()
    errors = _state["errors"]
    if errors:
        raise PluginError(
            "katex_math: %d math error(s):\n  " % len(errors) + "\n  ".join(errors)
        )
    log.info("katex_math: rendered %d formulas with KaTeX %s", _state["formulas"], version)
    # Where each labelled equation is: {ID: [{"src": "backward.md", "url": "backward.html#eq-..."}]},
    # for cross-reference checks and tools; in the site as assets/equations.json.
    out = os.path.join(config.site_dir, "assets", "equations.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(dict(sorted(_state["equations"].items())), f, indent=1, sort_keys=True)
        f.write("\n")


def on_build_error(error):
    _stop()


def on_shutdown():
    _stop()
