"""Every runnable example on the course pages (```{.python .tb-run}) runs without error
under CPython too, printing something: a learner who pastes one into a terminal gets output."""
import contextlib
import io
import os
import re

import pytest

DOCS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs")
BLOCK_RE = re.compile(r"^```\{\.python \.tb-run\}[^\n]*\n(.*?)^```", re.S | re.M)


def blocks():
    out = []
    for fn in sorted(os.listdir(DOCS)):
        if fn.endswith(".md"):
            with open(os.path.join(DOCS, fn), encoding="utf-8") as f:
                for k, code in enumerate(BLOCK_RE.findall(f.read())):
                    out.append(("%s#%d" % (fn, k + 1), code))
    return out


@pytest.mark.parametrize("where, code", blocks(), ids=[b[0] for b in blocks()])
def test_runnable_example_runs(where, code):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, where, "exec"), {"__name__": "__main__"})
    assert out.getvalue().strip(), where
