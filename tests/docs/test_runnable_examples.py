"""Every runnable example of the site (```{.python .tb-run}) runs under CPython.

The browser test (test_in_page_python.py) runs the same blocks in the page, on
MicroPython, and compares their output with what CPython prints here.
"""
import pytest

from runnable_helpers import pages_with_blocks, run_page_cpython, same_output

PAGES = pages_with_blocks()
LEARN_EXCLUDED = {"portability.md", "speed.md", "api.md"}  # Engineering / Reference pages


def test_at_least_twelve_runnable_examples_on_the_learn_pages():
    n = sum(len(blocks) for name, blocks in PAGES if name not in LEARN_EXCLUDED)
    assert n >= 12, "only %d runnable examples on the Learn pages" % n


@pytest.mark.parametrize("name, blocks", PAGES, ids=[p[0] for p in PAGES])
def test_every_block_runs_and_prints(name, blocks):
    for k, (out, err) in enumerate(run_page_cpython(blocks)):
        assert not err, "%s, example %d raised:\n%s" % (name, k + 1, err)
        assert out.strip(), "%s, example %d prints nothing: a learner pressing Run would see nothing" % (name, k + 1)


def test_same_output_compares_numbers_within_tolerance():
    assert same_output("a 0.1 b [1, 2.5e-3]", "a 0.1000000000001 b [1, 0.0025]") is None
    assert same_output("a 0.1", "a 0.2") is not None
    assert same_output("a 0.1", "b 0.1") is not None
    assert same_output("x 1e-20", "x 2e-20") is None          # absolute below 1
    assert same_output("x 1000000", "x 1000000.01") is not None  # relative above 1
