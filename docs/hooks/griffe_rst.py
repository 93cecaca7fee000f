"""Griffe extension: show the core's reStructuredText-flavoured docstrings as Markdown.

The package documents itself for ``help()`` and doctest: RST simple tables, doctest
blocks, ````literals```` and ``:mod:`x``` roles.  mkdocstrings renders docstrings as
Markdown, where ``W[i][j]`` is a reference link (and an unresolved one fails
``mkdocs build --strict``) and a doctest is a run-on paragraph.  This extension
rewrites the docstring text mkdocstrings sees; the source files stay as they are:

* a doctest block (``>>>`` lines and their output, up to a blank line) becomes a
  fenced ``pycon`` code block;
* an RST simple table (``====  ====`` borders) becomes a Markdown table, or a list
  when it has no header row;
* ``:mod:`x```, ``:func:`x``` and the other roles become code spans;
* outside code, a word with two or more index brackets (``J[k][j]``,
  ``net.W[l][i][j]``) becomes a code span;
* the document's notation becomes math: outside code, each name with a layer
  superscript (``W^[l]_ij``, ``g^[lz]``, ``(a^[l-1])^T``) becomes inline LaTeX
  (``$W^{[l]}_{ij}$``), and a code literal that is a formula in that notation
  (````g^[lz] = g'(z^[l]) o g^[la]````) becomes one inline formula;
* a pointer to the site, ``docs/PAGE.md#eq-ID`` or ``docs/PAGE.md``, becomes a
  link to that page of the built site (the API pages are one folder down, in
  ``api/``; set ``SITE_PREFIX`` to change that).

Enabled in mkdocs.yml under the python handler: ``extensions: [docs/hooks/griffe_rst.py]``.
"""

import re

import griffe

BORDER_RE = re.compile(r"^(\s*)=+(?: +=+)+\s*$")
ROLE_RE = re.compile(r":(?:py:)?(?:mod|func|class|meth|attr|data|exc|obj|const):`~?([^`]+)`")
CODE_SPAN_RE = re.compile(r"(``.+?``|`[^`]+`)")
INDEXED_RE = re.compile(r"(?<![`\w])([A-Za-z_][\w.^']*(?:\[[^\[\]\s]*\]){2,})")
# W^[l]_ij, g^[lz], (a^[l-1])^T, b^[l]_j, W^[k]_{s+1}: a name with a layer superscript
NOTATION_RE = re.compile(r"(?<![\w`$\\/])(\(?)(dL/d)?([A-Za-z]+'?)\^\[([^\[\]\s]+)\](\)\^T)?(_\{[^{}\s]+\}|_[A-Za-z0-9]+)?")
# a code literal that is a formula: only the notation's characters, at least one superscript
FORMULA_RE = re.compile(r"^[A-Za-z0-9_{}()\[\]^'/*+=., -]+$")
POINTER_RE = re.compile(r"(?<![\w/.(])docs/([A-Za-z0-9_-]+)\.md(#eq-[A-Za-z0-9_-]+)?")
SITE_PREFIX = "../"


def _tex_name(m):
    """One name of the notation as LaTeX (without the $)."""
    open_, d, name, sup = m.group(1), m.group(2), m.group(3), m.group(4)
    closeT, sub = m.group(5) or "", m.group(6) or ""
    name = "\\hat{y}" if name == "yhat" else name
    if d:
        name = "\\partial \\mathcal{L} / \\partial " + name
    if sub.startswith("_") and not sub.startswith("_{"):
        sub = "_{%s}" % sub[1:]
    return "%s%s^{[%s]}%s%s" % (open_, name, sup, closeT, sub)


def to_tex(formula):
    """A formula in the document's ASCII notation as LaTeX, or None when it is not one.

    >>> to_tex("g^[lz] = g'(z^[l]) o g^[la]")
    "g^{[lz]} = g'(z^{[l]}) \\circ g^{[la]}"
    """
    if "^[" not in formula or not FORMULA_RE.match(formula) or "[[" in formula or formula.strip().endswith("="):
        return None
    tex = NOTATION_RE.sub(_tex_name, formula)
    tex = re.sub(r"\byhat\b", r"\\hat{y}", tex)
    tex = re.sub(r"\b(alpha|delta|sigma)\b", r"\\\1", tex)
    tex = tex.replace(" o ", " \\circ ").replace(" * ", " \\cdot ").replace("..", "\\dots ")
    return tex


DISPLAY_RE = re.compile(r"^(\s{4,})(\S.*?)(?:\s{2,}\(([^()]*)\))?\s*$")


def _display(line):
    """An indented line that is a formula in the notation (with an optional note in
    brackets after two spaces) as a display formula; None for anything else."""
    m = DISPLAY_RE.match(line)
    if not m or "^[" not in m.group(2):
        return None
    tex = to_tex(m.group(2))
    if tex is None:
        return None
    if m.group(3):
        note = NOTATION_RE.sub(lambda n: "$%s$" % _tex_name(n), m.group(3))
        tex += " \\qquad \\text{(%s)}" % note
    return ["", "$$", tex, "$$", ""]


def _pointer(m):
    page, frag = m.group(1), m.group(2) or ""
    text = "the %s page" % page.replace("-", " ") + (", equation %s" % frag[4:] if frag else "")
    return "[%s](%s%s.md%s)" % (text, SITE_PREFIX, page, frag)


def _code_span(span):
    inner = span[2:-2] if span.startswith("``") else span[1:-1]
    tex = to_tex(inner)
    return "$%s$" % tex if tex else span


def _inline(text):
    text = ROLE_RE.sub(lambda m: "`%s`" % m.group(1), text)
    parts = CODE_SPAN_RE.split(text)
    for i in range(0, len(parts)):
        if i % 2:  # a code span
            parts[i] = _code_span(parts[i])
            continue
        part = INDEXED_RE.sub(lambda m: "`%s`" % m.group(1), parts[i])
        part = POINTER_RE.sub(_pointer, part)
        sub = CODE_SPAN_RE.split(part)  # the INDEXED_RE spans are code now: leave them
        for k in range(0, len(sub), 2):
            sub[k] = NOTATION_RE.sub(lambda m: "$%s$" % _tex_name(m), sub[k])
        parts[i] = "".join(sub)
    return "".join(parts)


def _columns(border):
    return [(m.start(), m.end()) for m in re.finditer(r"=+", border)]


def _cells(line, cols):
    cells = []
    for n, (start, _end) in enumerate(cols):
        stop = cols[n + 1][0] if n + 1 < len(cols) else len(line)
        cells.append(line[start:stop].strip())
    return cells


def _table(lines, indent):
    """lines: the whole table including its borders. Returns Markdown lines."""
    cols = _columns(lines[0])
    borders = [i for i, line in enumerate(lines) if BORDER_RE.match(line)]
    header = None
    body = lines[1:-1]
    if len(borders) >= 3:  # top border, header rows, border, body rows, bottom border
        header = [_cells(line, cols) for line in lines[1:borders[1]]]
        body = lines[borders[1] + 1:-1]
    rows = []
    for line in body:
        if not line.strip():
            continue
        cells = _cells(line, cols)
        if rows and not cells[0]:  # continuation line: text belongs to the row above
            for n, cell in enumerate(cells):
                if cell:
                    rows[-1][n] = (rows[-1][n] + " " + cell).strip()
        else:
            rows.append(cells)
    out = [""]
    if header:
        head = [" ".join(c[n] for c in header).strip() for n in range(len(cols))]
        out.append(indent + "| " + " | ".join(_inline(c) for c in head) + " |")
        out.append(indent + "|" + "|".join("---" for _ in cols) + "|")
        out += [indent + "| " + " | ".join(_inline(c) for c in row) + " |" for row in rows]
    else:
        for row in rows:
            first, rest = row[0], [c for c in row[1:] if c]
            out.append(indent + "- " + _inline(first) + ((": " + _inline(" ".join(rest))) if rest else ""))
    out.append("")
    return out


def convert(text):
    """The Markdown for one RST-flavoured docstring."""
    lines = text.splitlines()
    out = []
    i = 0
    fence = None
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if fence is not None:  # inside a fenced block written in the docstring: copy
            out.append(line)
            if stripped.startswith(fence):
                fence = None
            i += 1
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            out.append(line)
            i += 1
            continue
        if stripped.startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].strip())
                i += 1
            out += ["", indent + "```pycon"] + [indent + b for b in block] + [indent + "```", ""]
            continue
        shown = _display(line) if (not out or not out[-1].strip()) else None
        if shown:  # an indented formula after a blank line: display math, not a code block
            out += shown
            i += 1
            continue
        m = BORDER_RE.match(line)
        if m:
            # The table ends at a border followed by a blank line (or the end).
            j = i + 1
            while j < len(lines):
                if BORDER_RE.match(lines[j]) and (j + 1 == len(lines) or not lines[j + 1].strip()):
                    break
                j += 1
            if j < len(lines):
                out += _table(lines[i:j + 1], m.group(1))
                i = j + 1
                continue
        out.append(_inline(line))
        i += 1
    return "\n".join(out)


class RstDocstrings(griffe.Extension):
    """Rewrite every docstring as it is loaded (see the module docstring)."""

    def on_instance(self, *, obj, **kwargs):
        if obj.docstring is not None and obj.docstring.value:
            obj.docstring.value = convert(obj.docstring.value)
