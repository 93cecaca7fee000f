"""The ``pycon`` examples on the documentation pages run as doctests.

What a page shows after ``>>>`` is what the code prints, so an example cannot drift
from the code. Every page's examples run in one namespace, top to bottom.
"""
import doctest
import os
import re

import pytest

DOCS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs")
BLOCK_RE = re.compile(r"^```pycon[^\n]*\n(.*?)^```", re.S | re.M)


def pages_with_examples():
    out = []
    for fn in sorted(os.listdir(DOCS)):
        if fn.endswith(".md"):
            with open(os.path.join(DOCS, fn), encoding="utf-8") as f:
                blocks = BLOCK_RE.findall(f.read())
            if blocks:
                out.append((fn, blocks))
    return out


def test_some_pages_have_examples():
    assert len(pages_with_examples()) >= 2


@pytest.mark.parametrize("fn, blocks", pages_with_examples(), ids=[p[0] for p in pages_with_examples()])
def test_examples_on_the_page_print_what_they_show(fn, blocks):
    text = "\n".join(blocks)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {}, fn, fn, 0)
    assert test.examples, fn
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, "%s: %d of %d examples failed (see output above)" % (fn, result.failed, result.attempted)
