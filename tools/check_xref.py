#!/usr/bin/env python3
"""Cross-references between the code and the documentation site, both ways.

Run it from anywhere: ``python tools/check_xref.py [ROOT]`` (ROOT defaults to the
repository this file is in); it prints every problem and exits 1 if there is one.
Import it to use ``check(root) -> list of problems`` (tests/test_xref.py does).

The rules, for the equation IDs of ``tinybackprop/show/equations.py`` (``EQUATIONS``):

1. code -> table: every ``# [eq:ID]`` comment in ``tinybackprop/*.py`` names an ID
   of ``EQUATIONS``;
2. table -> code: every ID of ``EQUATIONS`` is used by at least one such comment;
3. table -> site: every ID has exactly one anchor on the site, i.e. one display
   formula with ``\\label{eq:ID}`` in one ``docs/**/*.md`` page (the math hook turns
   it into the HTML id ``eq-`` + ID with dots as ``-``); and no page labels an ID
   that is not in ``EQUATIONS``;
4. site -> code: under each anchor (before the next anchor on the page) the page
   pulls in the ID's code with a code directive, ``<!-- code: FILE eq:ID -->`` (see
   docs/hooks/README.md), and links an API entry (a mkdocstrings reference
   ``[...][tinybackprop.…]``);
5. code directives: every ``<!-- code: ... -->`` line in the docs is well formed, names
   an equation ID of ``EQUATIONS`` and a file that exists and carries ``# [eq:ID]``, and
   gives code (``matching "TEXT"`` matches at least one excerpt); every ``# [eq:ID]``
   in the package is on a line with code, so the docs hook (docs/hooks/eq_code.py,
   whose :func:`excerpts` this checker uses) can show it; and no ``--8<--`` snippet
   marker is left in the package (the code carries no doc scaffolding);
6. code -> site: every ``docs/PAGE.md`` or ``docs/PAGE.md#eq-...`` mentioned in the
   package's docstrings and comments exists, and so does the anchor on that page.
"""
import os
import re
import sys

ID = r"[a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*"
CODE_ID_RE = re.compile(r"#.*?\[eq:(" + ID + r")\]")
LABEL_RE = re.compile(r"\\label\s*\{eq:([^{}]*)\}")
API_REF_RE = re.compile(r"\]\[tinybackprop(?:\.[A-Za-z_][A-Za-z0-9_]*)+\]")
DOC_REF_RE = re.compile(r"docs/([A-Za-z0-9_/-]+\.md)(?:#(eq-[A-Za-z0-9_-]+))?")
FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})")
SNIPPET_MARKER = "--8<--"


def anchor(eq_id):
    """The HTML id of an equation on the site: ``eq-`` and the ID with dots as ``-``."""
    return "eq-" + eq_id.replace(".", "-")


def load_equations(root):
    """EQUATIONS read from ROOT/tinybackprop/show/equations.py (not from an installed package)."""
    ns = {}
    path = os.path.join(root, "tinybackprop", "show", "equations.py")
    with open(path, encoding="utf-8") as f:
        exec(compile(f.read(), path, "exec"), ns)
    return ns["EQUATIONS"]


def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def _package_files(root):
    """Every .py file of the package, its sub-packages (cli/, datasets/) included."""
    pkg = os.path.join(root, "tinybackprop")
    found = []
    for folder, dirs, files in os.walk(pkg):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [os.path.join(folder, fn) for fn in files if fn.endswith(".py")]
    return sorted(found)


def _doc_pages(root):
    docs = os.path.join(root, "docs")
    pages = []
    for folder, dirs, files in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if not (folder == docs and d == "hooks"))  # not part of the site
        pages += [os.path.join(folder, fn) for fn in sorted(files) if fn.endswith(".md")]
    return pages


def _strip_code_blocks(text):
    """The page with fenced code blocks blanked (line numbers kept)."""
    out, fence = [], None
    for line in text.split("\n"):
        m = FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(2)
            out.append("")
        elif fence is not None and line.strip().startswith(fence[0] * len(fence)) and \
                line.strip() == line.strip()[0] * len(line.strip()):
            fence = None
            out.append("")
        elif fence is not None:
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


def load_hook(root):
    """docs/hooks/eq_code.py of the repository at ``root``: the docs hook that pulls an
    equation's code into a page, whose rules this checker applies too."""
    import importlib.util

    path = os.path.join(root, "docs", "hooks", "eq_code.py")
    spec = importlib.util.spec_from_file_location("eq_code_of_%d" % abs(hash(path)), path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def check(root):
    """Every cross-reference problem in the repository at ``root``, as a list of strings."""
    root = os.path.abspath(root)
    problems = []

    def rel(p):
        return os.path.relpath(p, root)

    equations = load_equations(root)

    hook = load_hook(root)

    # -- the code: IDs used, each tag on a line with code, no snippet markers
    used = {}
    for path in _package_files(root):
        text = _read(path)
        for n, line in enumerate(text.split("\n"), 1):
            for eq_id in CODE_ID_RE.findall(line):
                used.setdefault(eq_id, []).append((rel(path), n))
            if SNIPPET_MARKER in line:
                problems.append("%s:%d: snippet marker %s left in the package; pages pull code by "
                                "# [eq:ID] (docs/hooks/README.md)" % (rel(path), n, SNIPPET_MARKER))
        for eq_id in sorted(set(tag for _, tag, _ in hook.tags(text))):
            try:
                hook.excerpts(text, eq_id, rel(path))
            except hook.ExcerptError as e:
                problems.append(str(e))
            except SyntaxError as e:
                problems.append("%s: cannot be parsed: %s" % (rel(path), e))
                break
    for eq_id in sorted(set(used) - set(equations)):
        problems.append("%s:%d: [eq:%s] is not an ID of EQUATIONS (tinybackprop/show/equations.py)"
                        % (used[eq_id][0] + (eq_id,)))
    for eq_id in sorted(set(equations) - set(used)):
        problems.append("EQUATIONS has %r but no line of tinybackprop/*.py carries # [eq:%s]" % (eq_id, eq_id))

    # -- the site: anchors, includes, API links
    labels = {}  # ID -> [(page, line)]
    pages = _doc_pages(root)
    page_anchors = {}
    for page in pages:
        text = _strip_code_blocks(_read(page))
        lines = text.split("\n")
        marks = []  # (line index, ID)
        for i, line in enumerate(lines):
            for eq_id in LABEL_RE.findall(line):
                eq_id = eq_id.strip()
                marks.append((i, eq_id))
                labels.setdefault(eq_id, []).append((rel(page), i + 1))
        page_anchors[rel(page)] = set(anchor(e) for _, e in marks)
        # rule 5: every code directive is well formed and resolves
        pulled = {}  # line index -> ID it pulls
        for i, m, line in hook.directives(text):
            if m is None:
                problems.append("%s:%d: malformed code directive %r (write <!-- code: FILE eq:ID -->)"
                                % (rel(page), i + 1, line.strip()))
                continue
            eq_id = m.group("id")
            if eq_id not in equations:
                problems.append("%s:%d: code directive of eq:%s, which is not an ID of EQUATIONS"
                                % (rel(page), i + 1, eq_id))
                continue
            try:
                hook.resolve(root, m)
            except hook.ExcerptError as e:
                problems.append("%s:%d: code directive %r: %s" % (rel(page), i + 1, line.strip(), e))
                continue
            except SyntaxError as e:
                problems.append("%s:%d: code directive %r: cannot parse %s: %s"
                                % (rel(page), i + 1, line.strip(), m.group("file"), e))
                continue
            pulled[i] = eq_id
        # rule 4: under each anchor, its code and an API link
        for k, (i, eq_id) in enumerate(marks):
            if eq_id not in equations:
                continue
            stop = marks[k + 1][0] if k + 1 < len(marks) else len(lines)
            block = lines[i:stop]
            if not any(pulled.get(j) == eq_id for j in range(i, stop)):
                problems.append("%s:%d: equation %s has no code directive <!-- code: FILE eq:%s --> under it "
                                "(before the next equation)" % (rel(page), i + 1, eq_id, eq_id))
            if not API_REF_RE.search("\n".join(block)):
                problems.append("%s:%d: equation %s has no link to its API entry ([...][tinybackprop.…]) "
                                "under it" % (rel(page), i + 1, eq_id))
    for eq_id in sorted(equations):
        where = labels.get(eq_id, [])
        if not where:
            problems.append("equation %s has no anchor on the site: no \\label{eq:%s} in docs/*.md" % (eq_id, eq_id))
        elif len(where) > 1:
            problems.append("equation %s has %d anchors (%s); it needs exactly one"
                            % (eq_id, len(where), ", ".join("%s:%d" % w for w in where)))
    for eq_id in sorted(set(labels) - set(equations)):
        problems.append("%s:%d: \\label{eq:%s} is not an ID of EQUATIONS" % (labels[eq_id][0] + (eq_id,)))

    # -- rule 6: the code's links to the site
    for path in _package_files(root):
        for n, line in enumerate(_read(path).split("\n"), 1):
            for page, frag in DOC_REF_RE.findall(line):
                key = "docs/" + page
                if key not in page_anchors:
                    problems.append("%s:%d: links %s, which does not exist" % (rel(path), n, key))
                elif frag and frag not in page_anchors[key]:
                    problems.append("%s:%d: links %s#%s, but that page has no such anchor"
                                    % (rel(path), n, key, frag))
    return problems


def summary(root):
    equations = load_equations(root)
    return "%d equation IDs: each used in the code, anchored once on the site with its code and API link" % len(
        equations)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    root = argv[0] if argv else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print("check_xref: %d problem(s)" % len(problems))
        return 1
    print("check_xref: OK, " + summary(root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
