"""The runnable examples of the site (```{.python .tb-run} blocks) outside the browser.

Used by tests/docs/test_runnable_examples.py (every block under CPython) and
tests/docs/test_in_page_python.py (every block in the page, compared with CPython).
The fence pattern is the one docs/hooks/tb_python.py turns into ``.tb-runnable``
elements; test_in_page_python checks that the built pages hold as many as found here.
"""
import contextlib
import io
import math
import os
import re
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
FENCE_RE = re.compile(
    r"^(?P<indent>[ \t]*)```\s*\{\s*\.python\s+\.tb-run\s*\}[ \t]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.S | re.M,
)
NUMBER_RE = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|\bnan\b|\binf\b")


def _dedent(code, indent):
    lines = code.split("\n")
    if indent:
        lines = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip(" \t") for ln in lines]
    return "\n".join(lines).rstrip("\n") + "\n"


def pages_with_blocks():
    """[(page name such as "forward.md", [code, ...])] for every page with runnable blocks."""
    out = []
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        blocks = [_dedent(m.group("code"), m.group("indent")) for m in FENCE_RE.finditer(text)]
        if blocks:
            out.append((path.name, blocks))
    return out


def run_page_cpython(blocks):
    """Run a page's blocks in order in one namespace (as the page does): [(stdout, error text)]."""
    ns = {"__name__": "__main__"}
    results = []
    old = os.getcwd()
    os.chdir(str(REPO))
    try:
        for i, code in enumerate(blocks):
            buf = io.StringIO()
            err = ""
            with contextlib.redirect_stdout(buf):
                try:
                    exec(compile(code, "<example %d>" % (i + 1), "exec"), ns)
                except Exception:  # noqa: BLE001 - a learner's example: any error is recorded
                    err = traceback.format_exc()
            results.append((buf.getvalue(), err))
    finally:
        os.chdir(old)
    return results


def same_output(a, b, tol=1e-9):
    """None when the two outputs are the same text with numbers equal within ``tol``
    (relative to the larger size, or absolute below 1); else a message saying where not."""
    na, nb = NUMBER_RE.findall(a), NUMBER_RE.findall(b)
    ta, tb = NUMBER_RE.sub("#", a).rstrip(), NUMBER_RE.sub("#", b).rstrip()
    if ta != tb:
        for k, (x, y) in enumerate(zip(ta.splitlines(), tb.splitlines())):
            if x != y:
                return "text differs at line %d: %r vs %r" % (k + 1, x, y)
        return "text differs: %r vs %r" % (ta[-200:], tb[-200:])
    if len(na) != len(nb):
        return "%d numbers vs %d" % (len(na), len(nb))
    for x, y in zip(na, nb):
        fx, fy = float(x), float(y)
        if math.isnan(fx) and math.isnan(fy):
            continue
        if fx == fy:
            continue
        if abs(fx - fy) > tol * max(1.0, abs(fx), abs(fy)):
            return "number %s vs %s" % (x, y)
    return None
