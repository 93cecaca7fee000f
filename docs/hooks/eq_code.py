"""MkDocs hook: the code of an equation, pulled from the source by its ``# [eq:ID]`` tag.

A page asks for it with an HTML comment on a line of its own::

    <!-- code: tinybackprop/per_neuron.py eq:fwd.z -->
    <!-- code: tinybackprop/per_neuron.py eq:bwd.gz matching "phi_h.d" -->

and gets a fenced ``python`` block titled with the file, holding the lines of that file
that compute the equation, exactly as they are in the source (only the common
indentation is removed).  Which lines, for each ``# [eq:ID]`` comment in the file:

1. the statement on the comment's line (all of it, if it spans several lines; a
   comment on a ``for`` or ``if`` line takes the whole loop or block);
2. if that statement is the only one in the body of a ``for`` or ``while`` loop, the
   loop instead -- and if it accumulates into a name (``z_j += ...``) that the
   statement just before the loop sets (``z_j = b[j]``), that statement too;
3. tagged statements in one block are shown together, with the lines between them;
   a tagged statement inside an ``if`` (or loop) whose block also holds another
   tagged statement of the ID is shown with its ``if`` (one level up, not more).

What is still apart after rule 3 is shown as separate blocks, in file order; blocks of
the very same lines (the L2 decay of three optimizers) are shown once.
``matching "TEXT"`` keeps only the blocks that contain TEXT (and at least one must).

A missing file, an ID the file does not carry, a tag on a line without code, a
``matching`` that matches nothing or a malformed comment fails the build with the page
named.  Directives inside fenced code blocks are left alone (so a page can show the
syntax).  ``tools/check_xref.py`` uses :func:`excerpts` from this file too, so the
checker and the site agree on what each ID's code is.  This module imports MkDocs only
inside the hook functions: the checker runs without MkDocs.
"""

import ast
import io
import os
import re
import textwrap
import tokenize

ID = r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*"
TAG_RE = re.compile(r"\[eq:(" + ID + r")\]")
DIRECTIVE_START_RE = re.compile(r"^(\s*)<!--\s*code:")
DIRECTIVE_RE = re.compile(
    r'^(?P<indent>\s*)<!--\s*code:\s+(?P<file>[^\s"]+)\s+eq:(?P<id>' + ID + r')'
    r'(?:\s+matching\s+"(?P<match>[^"]+)")?\s*-->\s*$'
)
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")


class ExcerptError(Exception):
    """The code of an equation cannot be found; the message says why."""


# A site build and the checker ask for many IDs of the same few files: each text is
# tokenized and parsed once (keyed by the text itself, so an edited file is read anew).
_TAGS = {}
_STATEMENTS = {}


def _remember(cache, source, compute):
    if source not in cache:
        if len(cache) > 64:
            cache.clear()
        cache[source] = compute(source)
    return cache[source]


def tags(source):
    """[(line, ID, has code)] of every ``[eq:ID]`` in a comment of ``source`` (strings are not comments)."""
    return list(_remember(_TAGS, source, _tags))


def _tags(source):
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            for eq_id in TAG_RE.findall(tok.string):
                found.append((tok.start[0], eq_id, tok.line[: tok.start[1]].strip() != ""))
    return found


def _parsed(source):
    """(every statement with its block, where each statement sits) of ``source``."""
    stmts = _statements(ast.parse(source))
    return stmts, dict((id(s), (p, f, k)) for s, p, f, k in stmts)


def _statements(tree):
    """Every statement with its block: (stmt, parent node, field name, index in the block)."""
    out = []
    for parent in ast.walk(tree):
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(parent, field, None)
            if not isinstance(block, list):
                continue
            for k, stmt in enumerate(block):
                if isinstance(stmt, (ast.stmt, ast.excepthandler)):
                    out.append((stmt, parent, field, k))
    return out


def _innermost(stmts, line):
    best = None
    for entry in stmts:
        stmt = entry[0]
        if isinstance(stmt, ast.stmt) and stmt.lineno <= line <= stmt.end_lineno:
            if best is None or (stmt.end_lineno - stmt.lineno) < (best[0].end_lineno - best[0].lineno):
                best = entry
    return best


def excerpts(source, eq_id, where="the source"):
    """The code of ``eq_id`` in ``source``: a list of excerpts, each the exact source
    lines (common indentation removed) that the rules in this module's docstring pick.
    Raises ExcerptError when the file carries no such tag or a tag has no code."""
    lines = source.split("\n")
    found = [(n, has_code) for n, tag, has_code in tags(source) if tag == eq_id]
    if not found:
        raise ExcerptError("%s carries no # [eq:%s] comment" % (where, eq_id))
    stmts, where_is = _remember(_STATEMENTS, source, _parsed)
    units = []  # [parent, field, first index, last index]
    for n, has_code in found:
        entry = _innermost(stmts, n) if has_code else None
        if entry is None:
            raise ExcerptError("%s:%d: # [eq:%s] is on a line without code; put it on the line that "
                               "computes the equation" % (where, n, eq_id))
        stmt, parent, field, k = entry
        first = k
        block = getattr(parent, field)
        if isinstance(parent, (ast.For, ast.While)) and field == "body" and len(block) == 1 \
                and id(parent) in where_is:
            loop = parent
            parent, field, k = where_is[id(loop)]
            first = k
            block = getattr(parent, field)
            target = getattr(stmt, "target", None) if isinstance(stmt, ast.AugAssign) else None
            if isinstance(target, ast.Name) and k > 0:
                before = block[k - 1]
                if isinstance(before, ast.Assign) and len(before.targets) == 1 \
                        and isinstance(before.targets[0], ast.Name) and before.targets[0].id == target.id:
                    first = k - 1
        units.append([parent, field, first, k])
    # rule 3: lift a unit one level when its enclosing statement shares a block with another unit
    blocks = set((id(u[0]), u[1]) for u in units)
    for u in units:
        owner = where_is.get(id(u[0]))
        if owner is not None and (id(owner[0]), owner[1]) in blocks and (id(u[0]), u[1]) not in \
                set((id(v[0]), v[1]) for v in units if v is not u):
            u[:] = [owner[0], owner[1], owner[2], owner[2]]
    merged = {}
    for parent, field, first, last in units:
        key = (id(parent), field)
        if key in merged:
            m = merged[key]
            m[2], m[3] = min(m[2], first), max(m[3], last)
        else:
            merged[key] = [parent, field, first, last]
    spans = []
    for parent, field, first, last in merged.values():
        block = getattr(parent, field)
        spans.append((block[first].lineno, block[last].end_lineno))
    out = []
    for start, end in sorted(spans):
        out.append(textwrap.dedent("\n".join(lines[start - 1:end])))
    return out


def directives(markdown):
    """[(line index, match or None, text)] of the code directives of a page, outside fenced blocks."""
    out, fence = [], None
    for i, line in enumerate(markdown.split("\n")):
        m = FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(1)
            continue
        if fence is not None:
            if line.strip().startswith(fence) and line.strip() == line.strip()[0] * len(line.strip()):
                fence = None
            continue
        if DIRECTIVE_START_RE.match(line):
            out.append((i, DIRECTIVE_RE.match(line), line))
    return out


def resolve(root, m):
    """The excerpts a directive asks for (a DIRECTIVE_RE match), or raise ExcerptError."""
    rel, eq_id, text = m.group("file"), m.group("id"), m.group("match")
    path = os.path.normpath(os.path.join(root, rel))
    if not path.startswith(os.path.abspath(root) + os.sep) or not os.path.isfile(path):
        raise ExcerptError("no file %s" % rel)
    with open(path, encoding="utf-8") as f:
        source = f.read()
    found = excerpts(source, eq_id, rel)
    found = [e for k, e in enumerate(found) if e not in found[:k]]  # the same lines in several places: once
    if text is not None:
        found = [e for e in found if text in e]
        if not found:
            raise ExcerptError('no code of eq:%s in %s contains "%s"' % (eq_id, rel, text))
    return found


def render(root, markdown, where):
    """The page with each directive replaced by its code blocks; raises ExcerptError."""
    lines = markdown.split("\n")
    for i, m, line in reversed(directives(markdown)):
        if m is None:
            raise ExcerptError('%s:%d: malformed code directive %r; write <!-- code: FILE eq:ID --> '
                               'or <!-- code: FILE eq:ID matching "TEXT" -->' % (where, i + 1, line.strip()))
        try:
            found = resolve(root, m)
        except ExcerptError as e:
            raise ExcerptError("%s:%d: %s: %s" % (where, i + 1, line.strip(), e))
        indent, rel = m.group("indent"), m.group("file")
        block = []
        for k, code in enumerate(found):
            if k:
                block.append("")
            block.append('```python title="%s"' % rel)
            block += code.split("\n")
            block.append("```")
        lines[i:i + 1] = [(indent + b) if b else b for b in block]
    return "\n".join(lines)


# -- the MkDocs hook --------------------------------------------------------------------

_state = {"root": None}


def on_config(config):
    _state["root"] = os.path.dirname(os.path.abspath(config.config_file_path))
    return config


def on_page_markdown(markdown, page, config, files):
    if "<!--" not in markdown:
        return markdown
    try:
        return render(_state["root"], markdown, page.file.src_uri)
    except ExcerptError as e:
        from mkdocs.exceptions import PluginError

        raise PluginError("eq_code: %s" % e)
