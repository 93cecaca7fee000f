"""The course as notebooks, kept in the repository's notebooks/ (docs/hooks/notebooks.py,
made by ``python tools/make_notebooks.py``):

* each one is what its page makes now: the command's check, which expands the pages
  as the site's build does (it needs the docs extra: MkDocs; without it that one test
  is skipped, saying so), fails when a page changed and its notebook was not remade;
* each starts with the setup cell, then holds the page's examples exactly, and a picture
  cell where the page gives one; it is valid nbformat 4.5;
* each runs, cell by cell, under nbclient with a real IPython kernel, prints the same
  numbers as the page's examples print under CPython (within 1e-12), and every picture
  cell shows a picture through rich display (an image/svg+xml or text/html output):
  every notebook whose page shows a picture has such outputs;
* the setup cell installs nothing where the kernel imports tinybackprop.

nbclient, nbformat and ipykernel are in the test extra; without them the execution is
skipped, saying so.  CI also runs every notebook in a fresh virtual environment with no
network, the package installed from its wheel, and the setup cell where the kernel lacks
the package: from a wheel beside the notebook, and from the checkout
(.ci/steps/2f-notebooks.sh).
"""
import json
import os
import re
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "docs", "hooks"))
sys.path.insert(0, os.path.join(ROOT, "tests", "docs"))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import notebooks as hook  # noqa: E402  (docs/hooks/notebooks.py)
from runnable_helpers import run_page_cpython, same_output  # noqa: E402

FOLDER = os.path.join(ROOT, "notebooks")


def repository_notebooks():
    out = []
    for src in hook.pages_with_notebooks(ROOT):
        with open(os.path.join(ROOT, "docs", src), encoding="utf-8") as f:
            text = f.read()
        path = os.path.join(ROOT, hook.notebook_name(src))
        nb = json.load(open(path, encoding="utf-8")) if os.path.isfile(path) else None
        out.append((src, text, nb))
    return out


NOTEBOOKS = repository_notebooks()
IDS = [n[0] for n in NOTEBOOKS]


def tagged(nb, tag):
    return ["".join(c["source"]) for c in nb["cells"] if tag in c.get("metadata", {}).get("tags", [])]


def shows_pictures(page_text):
    """The page draws a picture: a drawing made when the site is built."""
    return bool(re.search(r"<!--tb=[^>]*(figure|svg\.|picture\()|<!-- tinybackprop (draw|train [^>]*--plot)",
                          page_text))


def test_every_learn_page_with_examples_has_its_notebook_in_the_repository():
    assert len(NOTEBOOKS) >= 12, IDS
    assert "index.md" in IDS and "training.md" in IDS and "graduating.md" in IDS
    missing = [src for src, _, nb in NOTEBOOKS if nb is None]
    assert not missing, "no notebook for %s: run python tools/make_notebooks.py" % missing
    extra = sorted(set(os.listdir(FOLDER)) - {os.path.basename(hook.notebook_name(s)) for s in IDS})
    assert not extra, "notebooks/ holds %s, which no page makes" % extra


def test_the_notebooks_are_what_the_pages_make_now():
    pytest.importorskip("mkdocs", reason="MkDocs is not installed (docs extra): the pages cannot be expanded, "
                                         "so the notebooks are not compared with them")
    import make_notebooks as tool  # tools/make_notebooks.py
    made, stale = tool.differences(ROOT)
    assert len(made) == len(NOTEBOOKS)
    assert not stale, "%s differ from what their pages make: run python tools/make_notebooks.py" % stale


@pytest.mark.parametrize("src,text,nb", NOTEBOOKS, ids=IDS)
def test_the_notebook_is_the_setup_cell_then_the_page(src, text, nb):
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "".join(code[0]["source"]) == hook.SETUP and code[0]["metadata"]["tags"] == ["setup"]
    assert "import tinybackprop.show" in hook.SETUP and "pip" in hook.SETUP and "tinybackprop==" not in hook.SETUP
    assert tagged(nb, "example") == [b.rstrip("\n") for b in hook.blocks(text)]
    assert tagged(nb, "picture") == hook.picture_cells(text)
    assert all(c.get("metadata", {}).get("tags") for c in code), "every code cell says what it is"
    prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert prose.startswith(text.split("\n", 1)[0]), "the notebook starts with the page's title"
    for marker in ("<!--", "\\label{", "!!! ", "??? ", "{.python", "<svg", "<figure"):
        assert marker not in prose, "%s: %r left in the notebook's text" % (src, marker)
    assert not re.search(r"\]\((?!https?:|attachment:|\.\./docs/)[\w./-]+\.md\b", prose), "a link to a .md page"
    for target in re.findall(r"\]\(([\w.-]+\.ipynb)", prose):
        assert os.path.isfile(os.path.join(FOLDER, target)), target
    for target in re.findall(r"\]\(\.\./docs/([\w./-]+\.md)", prose):
        assert os.path.isfile(os.path.join(ROOT, "docs", target)), target
    for c in nb["cells"]:
        for name in re.findall(r"\(attachment:([\w.-]+)\)", "".join(c["source"])):
            assert name in c.get("attachments", {}), (src, name)
    assert len(prose) > 0.3 * len(text), "the page's text is in the notebook"


@pytest.mark.parametrize("src,text,nb", NOTEBOOKS, ids=IDS)
def test_the_notebook_is_valid_nbformat(src, text, nb):
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (test extra): not validated")
    nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))


def test_a_page_that_shows_a_picture_has_a_picture_cell():
    assert sum(shows_pictures(text) for _, text, _ in NOTEBOOKS) >= 7
    for src, text, nb in NOTEBOOKS:
        if shows_pictures(text):
            assert tagged(nb, "picture"), "%s shows pictures; its notebook draws none" % src


#: Notebooks run at once, each in its own kernel (most of a kernel's time is its start).
AT_ONCE = 4


def execute(books, cwd, kernel="python3"):
    """{name: the notebook after nbclient ran it}, AT_ONCE at a time, each in ``cwd``."""
    import asyncio
    import nbclient
    import nbformat

    async def run(name, nb, gate):
        book = nbformat.reads(json.dumps(nb), as_version=4)
        async with gate:
            await nbclient.NotebookClient(book, timeout=300, kernel_name=kernel,
                                          resources={"metadata": {"path": cwd}}).async_execute()
        return name, book

    async def run_all():
        gate = asyncio.Semaphore(AT_ONCE)
        return dict(await asyncio.gather(*[run(name, nb, gate) for name, nb in books]))

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


def need_kernel():
    pytest.importorskip("nbclient", reason="nbclient is not installed (test extra): notebooks not executed")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed (test extra): notebooks not executed")


@pytest.fixture(scope="module")
def executed():
    """{page: the repository's notebook after nbclient ran it in notebooks/}."""
    need_kernel()
    return execute([(src, nb) for src, _, nb in NOTEBOOKS], FOLDER)


def outputs(cell):
    return cell.outputs if hasattr(cell, "outputs") else []


def rich(cell):
    return [o for o in outputs(cell) if o.output_type in ("display_data", "execute_result")
            and ("image/svg+xml" in o.data or "text/html" in o.data)]


# slow: a kernel per notebook (about 25 s of CPU in all); what the pages' examples print on each
# interpreter is tests/docs/test_runnable_examples.py's, which runs everywhere
@pytest.mark.slow
@pytest.mark.parametrize("src,text,nb", NOTEBOOKS, ids=IDS)
def test_the_notebook_runs_prints_what_the_page_prints_and_draws_its_pictures(executed, src, text, nb):
    cells = [c for c in executed[src].cells if c.cell_type == "code"]
    for c in cells:
        errors = [o for o in outputs(c) if o.output_type == "error"]
        assert not errors, "%s: %s" % (src, errors)
    assert not outputs(cells[0]), "the setup cell installs nothing where tinybackprop is installed"
    examples = [c for c in cells if "example" in c.metadata.get("tags", [])]
    expected = run_page_cpython(hook.blocks(text))
    assert len(examples) == len(expected)
    for k, (cell, (out, err)) in enumerate(zip(examples, expected)):
        assert not err
        got = "".join(o.get("text", "") for o in outputs(cell) if o.output_type == "stream" and o.name == "stdout")
        assert got.strip(), "%s, example %d printed nothing in the notebook" % (src, k + 1)
        problem = same_output(got, out, tol=1e-12)
        assert problem is None, "%s, example %d: %s\nnotebook:\n%s\npage:\n%s" % (src, k + 1, problem, got, out)
    for k, cell in enumerate(c for c in cells if "picture" in c.metadata.get("tags", [])):
        assert rich(cell), "%s, picture cell %d shows no picture: %s" % (src, k + 1, outputs(cell))
        for o in rich(cell):
            if "image/svg+xml" in o.data:
                import xml.etree.ElementTree as ET
                assert ET.fromstring(o.data["image/svg+xml"]).tag.endswith("svg")
    if shows_pictures(text):
        assert any(rich(c) for c in cells), "%s shows pictures; its notebook shows none" % src
