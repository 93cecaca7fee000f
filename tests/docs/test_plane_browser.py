"""The playground's 2-D mode in headless Chromium: it trains in the page, and its numbers are CPython's.

The built site is opened from disk, the moons are trained for a few epochs by pressing
Train, and then: every epoch's losses and accuracies equal those of the same run of
``docs/python/tb_plane.py`` under CPython (within 1e-9), the decision regions drawn in the
page are there with one point per training example, a long run stops when asked, and at
390 px the page does not scroll sideways. Screenshots go to site-screenshots/.
"""
import contextlib
import io
import json
import sys

from docs_helpers import REPO, built_site  # noqa: F401 (built_site is a fixture)
from test_in_page_python import SCREENSHOTS, Page, browser  # noqa: F401 (browser is a fixture)

EPOCHS = 6


def tb_plane():
    sys.path.insert(0, str(REPO / "docs" / "python"))
    sys.path.insert(0, str(REPO))
    import tb_plane
    return tb_plane


def cpython_run(**kw):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        tb_plane().train_live(**kw)
    return [json.loads(line[3:]) for line in buf.getvalue().splitlines() if line.startswith("TB ")
            and "done" not in line]


def _close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def _train(page, epochs):
    page.fill("#tb-plane input[name=epochs]", str(epochs))
    page.locator("[data-plane=train]").click()
    page.wait_for_function("document.getElementById('tb-plane').getAttribute('data-tb-training') !== 'running'",
                           timeout=180000)
    assert page.get_attribute("#tb-plane", "data-tb-training") == "done"
    return json.loads(page.get_attribute("#tb-plane", "data-tb-history"))


def test_plane_trains_in_the_page_like_cpython(built_site, browser):
    pg = Page(browser, built_site, "playground.html")
    page = pg.page
    page.wait_for_selector("#tb-plane[data-tb-ready]", state="attached", timeout=30000)
    page.select_option("#tb-plane select[name=data]", "blobs")
    assert page.input_value("#tb-plane input[name=noise]") == "0.35"  # the data set's own noise
    page.fill("#tb-plane input[name=layers]", "6")
    got = _train(page, EPOCHS)
    want = cpython_run(data="blobs", hidden_sizes=[6], hidden="tanh", samples=200, noise=0.35, epochs=EPOCHS,
                       lr=0.3, seed=0)
    assert [e["epoch"] for e in got] == list(range(1, EPOCHS + 1))
    for e, w in zip(got, want):
        for key in ("loss", "accuracy", "test_loss", "test_accuracy"):
            assert _close(e[key], w[key]), (key, e, w)
    assert got[-1]["test_accuracy"] >= 0.9  # three blobs: learned within a few epochs
    assert page.get_attribute("#tb-plane", "data-tb-drawn") == str(EPOCHS)
    task = tb_plane().setup("blobs", [6], "tanh", samples=200, noise=0.35, seed=0)[0]
    assert page.locator("#tb-plane .tb-plane-figure circle.point").count() == len(task.X_train)
    assert page.locator("#tb-plane .tb-plane-figure rect.cell").count() > 3
    page.locator("#tb-plane").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "plane-1280.png"), full_page=False)
    # a long run stops when asked
    page.fill("#tb-plane input[name=epochs]", "5000")
    page.locator("[data-plane=train]").click()
    page.wait_for_function(r"/epoch ([2-9]|\d\d+)\//.test(document.querySelector('.tb-plane-status').textContent)",
                           timeout=60000)
    page.locator("[data-plane=stop]").click()
    assert page.get_attribute("#tb-plane", "data-tb-training") == "stopped"
    page.wait_for_function("!document.querySelector('[data-plane=train]').disabled")
    pg.close()


def test_plane_on_a_phone(built_site, browser):
    pg = Page(browser, built_site, "playground.html", width=390, touch=True)
    page = pg.page
    page.wait_for_selector("#tb-plane[data-tb-ready]", state="attached", timeout=30000)
    page.fill("#tb-plane input[name=layers]", "4")
    page.fill("#tb-plane input[name=epochs]", "2")
    page.locator("[data-plane=train]").tap()
    page.wait_for_function("document.getElementById('tb-plane').getAttribute('data-tb-training') === 'done'",
                           timeout=180000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, "the page scrolls sideways at 390 px (%d px wide)" % width
    page.locator("#tb-plane").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "plane-390.png"), full_page=False)
    pg.close()
