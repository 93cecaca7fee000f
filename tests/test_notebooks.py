"""The course as notebooks: every Learn page with runnable examples becomes a Jupyter
notebook (docs/hooks/notebooks.py, at build time), and each notebook runs, cell by cell,
under nbclient with a real IPython kernel, printing the same numbers as the page's
examples print (run here under CPython, as tests/docs/test_in_page_python.py runs them
in the browser).  The notebooks are built here from the pages' sources by the hook's own
function; the built site's copies are checked by tests/docs/test_site_static.py.

nbclient, nbformat and ipykernel are in the test extra; without them the execution is
skipped, saying so.
"""
import json
import os
import re
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "docs", "hooks"))
sys.path.insert(0, os.path.join(ROOT, "tests", "docs"))

import notebooks as hook  # noqa: E402  (docs/hooks/notebooks.py)
from runnable_helpers import run_page_cpython, same_output  # noqa: E402

import tinybackprop  # noqa: E402


def learn_pages():
    """The pages of mkdocs.yml's Learn section, in nav order (no YAML parser needed)."""
    text = open(os.path.join(ROOT, "mkdocs.yml"), encoding="utf-8").read()
    section = re.search(r"^  - Learn:\n(.*?)^  - ", text, re.S | re.M)
    assert section, "mkdocs.yml has no Learn section in its nav"
    return re.findall(r"^\s+- .*?:\s*\"?([\w./-]+\.md)\"?\s*$", section.group(1), re.M)


def page_notebooks():
    out = []
    for name in learn_pages():
        text = open(os.path.join(ROOT, "docs", name), encoding="utf-8").read()
        if hook.blocks(text):
            out.append((name, text, hook.notebook(text, tinybackprop.__version__)))
    return out


NOTEBOOKS = page_notebooks()
IDS = [n[0] for n in NOTEBOOKS]


def code_cells(nb):
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_most_learn_pages_have_a_notebook():
    assert len(NOTEBOOKS) >= 12, [n[0] for n in NOTEBOOKS]
    assert "index.md" in IDS and "training.md" in IDS


@pytest.mark.parametrize("name,text,nb", NOTEBOOKS, ids=IDS)
def test_the_notebook_is_the_install_cell_then_the_page(name, text, nb):
    cells = code_cells(nb)
    assert cells[0] == hook.install_cell(tinybackprop.__version__)
    assert '"tinybackprop==%s"' % tinybackprop.__version__ in cells[0]
    assert [c.rstrip("\n") for c in cells[1:]] == [b.rstrip("\n") for b in hook.blocks(text)]
    prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    title = text.split("\n", 1)[0]
    assert prose.startswith(title), "the notebook starts with the page's title"
    for marker in ("<!--", "\\label{", "!!! ", "??? ", "{.python"):
        assert marker not in prose, "%s: %r left in the notebook's text" % (name, marker)
    assert not re.search(r"\]\((?!https?:)[\w./-]+\.md\b", prose), "%s: a link to a .md source" % name
    assert len(prose) > 0.3 * len(text), "the page's text is in the notebook"


@pytest.mark.parametrize("name,text,nb", NOTEBOOKS, ids=IDS)
def test_the_notebook_is_valid_nbformat(name, text, nb):
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (test extra): not validated")
    nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))


#: Notebooks run at once, each in its own kernel (most of a kernel's time is its start).
AT_ONCE = 4


@pytest.fixture(scope="module")
def executed():
    """{page: the notebook after nbclient ran it}, every notebook run once, AT_ONCE at a time."""
    pytest.importorskip("nbclient", reason="nbclient is not installed (test extra): notebooks not executed")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed (test extra): notebooks not executed")
    import asyncio
    import nbclient
    import nbformat

    async def run(name, nb, gate):
        book = nbformat.reads(json.dumps(nb), as_version=4)
        async with gate:
            await nbclient.NotebookClient(book, timeout=300, kernel_name="python3",
                                          resources={"metadata": {"path": ROOT}}).async_execute()
        return name, book

    async def run_all():
        gate = asyncio.Semaphore(AT_ONCE)
        return dict(await asyncio.gather(*[run(name, nb, gate) for name, _, nb in NOTEBOOKS]))

    # in a thread of its own: playwright's sync API (the browser tests' shared Chromium) keeps an
    # event loop running in this thread for the whole session, and asyncio.run refuses to nest
    import threading
    done = {}

    def worker():
        try:
            done["books"] = asyncio.run(run_all())
        except BaseException as e:  # noqa: BLE001 - raised again below, in the test's thread
            done["error"] = e

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    if "error" in done:
        raise done["error"]
    return done["books"]


# slow: a kernel per notebook (about 25 s of CPU in all); what the pages' examples print on each
# interpreter is tests/docs/test_runnable_examples.py's, which runs everywhere
@pytest.mark.slow
@pytest.mark.parametrize("name,text,nb", NOTEBOOKS, ids=IDS)
def test_the_notebook_runs_and_prints_what_the_page_prints(executed, name, text, nb):
    cells = [c for c in executed[name].cells if c.cell_type == "code"]
    for c in cells:
        errors = [o for o in c.outputs if o.output_type == "error"]
        assert not errors, "%s: %s" % (name, errors)
    assert "".join(o.get("text", "") for o in cells[0].outputs) == "", "the install cell installs nothing here"
    expected = run_page_cpython(hook.blocks(text))
    assert len(cells) == len(expected) + 1
    for k, (cell, (out, err)) in enumerate(zip(cells[1:], expected)):
        assert not err
        got = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
        assert got.strip(), "%s, example %d printed nothing in the notebook" % (name, k + 1)
        problem = same_output(got, out, tol=1e-12)
        assert problem is None, "%s, example %d: %s\nnotebook:\n%s\npage:\n%s" % (name, k + 1, problem, got, out)
