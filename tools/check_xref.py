#!/usr/bin/env python3
"""Cross-references between the code and the documentation site, both ways.

Run it from anywhere: ``python tools/check_xref.py [ROOT]`` (ROOT defaults to the
repository this file is in); it prints every problem and exits 1 if there is one.
Import it to use ``check(root) -> list of problems`` (tests/test_xref.py does).

The rules, for the equation IDs of ``tinybackprop/equations.py`` (``EQUATIONS``):

1. code -> table: every ``# [eq:ID]`` comment in ``tinybackprop/*.py`` names an ID
   of ``EQUATIONS``;
2. table -> code: every ID of ``EQUATIONS`` is used by at least one such comment;
3. table -> site: every ID has exactly one anchor on the site, i.e. one display
   formula with ``\\label{eq:ID}`` in one ``docs/**/*.md`` page (the math hook turns
   it into the HTML id ``eq-`` + ID with dots as ``-``); and no page labels an ID
   that is not in ``EQUATIONS``;
4. site -> code: under each anchor (before the next anchor on the page) the page
   includes the ID's code by its snippet section, ``--8<-- "FILE:SECTION"`` with
   SECTION = the ID with dots and underscores as ``-`` (``bwd.ga_out`` ->
   ``bwd-ga-out``), and links an API entry (a mkdocstrings reference
   ``[...][tinybackprop.…]``);
5. snippets: every ``--8<-- "FILE"`` / ``"FILE:SECTION"`` include in the docs names
   a file that exists and, for a section, one with both its start and its end
   marker (``# --8<-- [start:SECTION]`` ... ``# --8<-- [end:SECTION]``); the section
   of an ID holds that ID's ``# [eq:ID]`` line; every marker in the package is
   paired (one start, then one end);
6. code -> site: every ``docs/PAGE.md`` or ``docs/PAGE.md#eq-...`` mentioned in the
   package's docstrings and comments exists, and so does the anchor on that page.
"""
import os
import re
import sys

ID = r"[a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*"
CODE_ID_RE = re.compile(r"#.*?\[eq:(" + ID + r")\]")
LABEL_RE = re.compile(r"\\label\s*\{eq:([^{}]*)\}")
INCLUDE_RE = re.compile(r'^\s*--8<--\s+"([^"]+)"\s*$', re.M)
MARKER_RE = re.compile(r"#\s*--8<--\s*\[(start|end):([A-Za-z][-_0-9A-Za-z]*)\]")
API_REF_RE = re.compile(r"\]\[tinybackprop(?:\.[A-Za-z_][A-Za-z0-9_]*)+\]")
DOC_REF_RE = re.compile(r"docs/([A-Za-z0-9_/-]+\.md)(?:#(eq-[A-Za-z0-9_-]+))?")
FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})")


def anchor(eq_id):
    """The HTML id of an equation on the site: ``eq-`` and the ID with dots as ``-``."""
    return "eq-" + eq_id.replace(".", "-")


def section_for(eq_id):
    """The snippet section of an ID: dots and underscores as ``-`` (``bwd.ga_out`` -> ``bwd-ga-out``)."""
    return eq_id.replace(".", "-").replace("_", "-")


def load_equations(root):
    """EQUATIONS read from ROOT/tinybackprop/equations.py (not from an installed package)."""
    ns = {}
    path = os.path.join(root, "tinybackprop", "equations.py")
    with open(path, encoding="utf-8") as f:
        exec(compile(f.read(), path, "exec"), ns)
    return ns["EQUATIONS"]


def _read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def _package_files(root):
    pkg = os.path.join(root, "tinybackprop")
    return sorted(os.path.join(pkg, fn) for fn in os.listdir(pkg) if fn.endswith(".py"))


def _doc_pages(root):
    docs = os.path.join(root, "docs")
    pages = []
    for folder, dirs, files in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if not (folder == docs and d == "hooks"))  # not part of the site
        pages += [os.path.join(folder, fn) for fn in sorted(files) if fn.endswith(".md")]
    return pages


def _strip_code_blocks(text):
    """The page with fenced code blocks blanked (line numbers kept), except snippet include lines."""
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
            out.append(line if INCLUDE_RE.match(line) else "")
        else:
            out.append(line)
    return "\n".join(out)


def sections_of(path):
    """{section: (start line, end line)} of a source file, and a list of marker problems."""
    rel = path
    found, open_, problems = {}, {}, []
    for n, line in enumerate(_read(path).split("\n"), 1):
        for kind, name in MARKER_RE.findall(line):
            if kind == "start":
                if name in open_ or name in found:
                    problems.append("%s:%d: section %r starts twice" % (rel, n, name))
                open_[name] = n
            else:
                if name not in open_:
                    problems.append("%s:%d: section %r ends without a start marker" % (rel, n, name))
                    continue
                found[name] = (open_.pop(name), n)
    for name, n in open_.items():
        problems.append("%s:%d: section %r has no end marker" % (rel, n, name))
    return found, problems


def check(root):
    """Every cross-reference problem in the repository at ``root``, as a list of strings."""
    root = os.path.abspath(root)
    problems = []

    def rel(p):
        return os.path.relpath(p, root)

    equations = load_equations(root)

    # -- the code: IDs used, snippet sections
    used = {}
    sections = {}
    for path in _package_files(root):
        text = _read(path)
        for n, line in enumerate(text.split("\n"), 1):
            for eq_id in CODE_ID_RE.findall(line):
                used.setdefault(eq_id, []).append((rel(path), n))
        found, marker_problems = sections_of(path)
        problems += [p.replace(path, rel(path)) for p in marker_problems]
        sections[rel(path)] = found
    for eq_id in sorted(set(used) - set(equations)):
        problems.append("%s:%d: [eq:%s] is not an ID of EQUATIONS (tinybackprop/equations.py)"
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
        # rule 5: every include resolves
        for i, line in enumerate(lines):
            m = INCLUDE_RE.match(line)
            if not m:
                continue
            spec = m.group(1)
            fname, _, section = spec.partition(":")
            path = os.path.join(root, fname)
            if not os.path.isfile(path):
                problems.append("%s:%d: snippet include %r: no file %s" % (rel(page), i + 1, spec, fname))
                continue
            if section:
                if fname not in sections:
                    sections[fname] = sections_of(path)[0]
                if section not in sections[fname]:
                    problems.append("%s:%d: snippet include %r: %s has no section %r (start and end markers)"
                                    % (rel(page), i + 1, spec, fname, section))
        # rule 4: under each anchor, its code and an API link
        for k, (i, eq_id) in enumerate(marks):
            if eq_id not in equations:
                continue
            stop = marks[k + 1][0] if k + 1 < len(marks) else len(lines)
            block = lines[i:stop]
            want = section_for(eq_id)
            includes = [INCLUDE_RE.match(l).group(1) for l in block if INCLUDE_RE.match(l)]
            mine = [s for s in includes if s.partition(":")[2] == want]
            if not mine:
                problems.append("%s:%d: equation %s has no snippet include of its section %r under it "
                                "(before the next equation)" % (rel(page), i + 1, eq_id, want))
            for spec in mine:
                fname = spec.partition(":")[0]
                span = sections.get(fname, {}).get(want)
                if span is None:
                    continue  # reported above
                body = _read(os.path.join(root, fname)).split("\n")[span[0]:span[1] - 1]
                if not any(eq_id in CODE_ID_RE.findall(l) for l in body):
                    problems.append("%s:%d: section %r of %s does not hold a # [eq:%s] line"
                                    % (rel(page), i + 1, want, fname, eq_id))
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
