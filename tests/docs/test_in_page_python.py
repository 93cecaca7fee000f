"""Python in the page, in a real browser: headless Debian Chromium driven by Playwright.

The built site is opened from disk (file://) with every request that is not a local
file refused, and then:

* every runnable example (``.tb-runnable``) of every page is run in the page, in
  order, and its output compared with CPython's (numbers equal within 1e-9);
* the playground is stepped through one full backward pass; every dL/dW it shows
  equals CPython's ``per_neuron.backward`` for the same network; so do the edge
  boxes, and after a weight is edited the numbers are those of the edited network;
* the playground trains 5 epochs and its losses equal ``tinybackprop train --json``'s;
  a long run can be stopped;
* at 390 px (touch) the playground works by tapping.

It reports (on the terminal, and in site-screenshots/in-page-python.txt) the time from
the first click on Run to the first output, and the weight the in-page Python adds to
the site. Screenshots at 1280 and 390 px go to site-screenshots/: look at them.
"""
import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from docs_helpers import REPO, built_site, require_browser  # noqa: F401 (fixtures)
from runnable_helpers import pages_with_blocks, run_page_cpython, same_output

SCREENSHOTS = REPO / "site-screenshots"
REPORT = SCREENSHOTS / "in-page-python.txt"
X, Y = [0.1, 0.2, 0.3, 0.4], [1.0]   # the playground's default example


def _report(line):
    SCREENSHOTS.mkdir(exist_ok=True)
    with open(REPORT, "a", encoding="utf-8") as f:
        f.write(line + "\n")
    sys.__stderr__.write("\n[in-page python] " + line + "\n")


_CLEARED = []  # the report is begun once a session, not again by each module that imports the fixture


@pytest.fixture(scope="module")
def browser(chromium):
    if not _CLEARED and REPORT.exists():
        REPORT.unlink()
    _CLEARED.append(True)
    return chromium


class Page:
    """A page opened from file:// in a fresh context; anything not local is refused and recorded."""

    def __init__(self, browser, site, name, width=1280, touch=False):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, has_touch=touch,
                                           is_mobile=touch, device_scale_factor=1)
        self.refused, self.errors = [], []

        def route(r):
            if urlsplit(r.request.url).scheme in ("file", "data", "blob", "about"):
                r.continue_()
            else:
                self.refused.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.goto((site / name).as_uri(), wait_until="load")

    def close(self):
        self.context.close()
        assert not self.refused, "requests that left the machine: %s" % self.refused
        assert not self.errors, "errors in the page: %s" % self.errors


# Click Run on block k and wait for its output; returns (text, milliseconds from click to output).
RUN_BLOCK_JS = r"""
async (k) => {
  const block = document.querySelectorAll(".tb-runnable:not([data-tb-exercise])")[k];
  const out = block.querySelector(".tb-output");
  const button = [...block.querySelectorAll("button")].find(b => b.textContent.trim() === "Run");
  block.removeAttribute("data-tb-state");
  const t0 = performance.now();
  button.click();
  while (!block.getAttribute("data-tb-state")) await new Promise(r => setTimeout(r, 5));
  return [out.textContent, performance.now() - t0, block.getAttribute("data-tb-state")];
}
"""


def test_every_runnable_block_matches_cpython(built_site, browser):
    pages = pages_with_blocks()
    assert pages, "no runnable examples in docs/"
    first_ms = None
    total = 0
    problems = []
    for name, blocks in pages:
        html_name = name[:-3] + ".html"
        expected = run_page_cpython(blocks)
        pg = Page(browser, built_site, html_name)
        n = pg.page.locator(".tb-runnable:not([data-tb-exercise])").count()
        assert n == len(blocks), "%s: %d .tb-runnable elements, %d blocks in the Markdown" % (html_name, n, len(blocks))
        for k in range(n):
            block = pg.page.locator(".tb-runnable:not([data-tb-exercise])").nth(k)
            assert block.locator("textarea, .tb-code").count() >= 1
            assert block.locator("button", has_text="Run").count() == 1
            assert block.locator(".tb-output").count() == 1
            text, ms, state = pg.page.evaluate(RUN_BLOCK_JS, k)
            if first_ms is None:
                first_ms = ms
            (cp_out, cp_err) = expected[k]
            assert not cp_err, cp_err
            if state != "ok":
                problems.append("%s example %d failed in the page:\n%s" % (html_name, k + 1, text))
                continue
            diff = same_output(text, cp_out)
            if diff:
                problems.append("%s example %d: MicroPython in the page and CPython differ: %s\n--- page:\n%s--- CPython:\n%s"
                                % (html_name, k + 1, diff, text, cp_out))
            total += 1
        if html_name == "backward-neuron.html":
            for width in (1280, 390):
                pg.page.set_viewport_size({"width": width, "height": 900})
                pg.page.locator(".tb-runnable:not([data-tb-exercise])").first.scroll_into_view_if_needed()
                pg.page.screenshot(path=str(SCREENSHOTS / ("runnable-%d.png" % width)))
        pg.close()
    _report("first click on Run to first output (runtime not loaded yet): %.0f ms (target < 1500 ms)" % first_ms)
    _report("runnable examples run in the page and equal to CPython: %d on %d pages" % (total, len(pages)))
    weights = {}
    for rel in ("assets/tb-python/micropython.js", "assets/tb-python/tinybackprop.js",
                "assets/javascripts/tb-python.js", "assets/javascripts/tb-playground.js", "assets/katex/katex.min.js"):
        weights[rel] = (built_site / rel).stat().st_size
    _report("weight: on every page %d B (tb-python.js, loader) + %d B (tb-python.css); loaded on first Run: "
            "%d B (MicroPython glue + wasm as base64) + %d B (tinybackprop sources); playground only: %d B "
            "(tb-playground.js) + %d B (katex.min.js)"
            % (weights["assets/javascripts/tb-python.js"], (built_site / "assets/stylesheets/tb-python.css").stat().st_size,
               weights["assets/tb-python/micropython.js"], weights["assets/tb-python/tinybackprop.js"],
               weights["assets/javascripts/tb-playground.js"], weights["assets/katex/katex.min.js"]))
    assert not problems, "\n\n".join(problems)


def _cpython_backward(W=None):
    sys.path.insert(0, str(REPO))
    from tinybackprop import Network, per_neuron
    net = Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
    if W is not None:
        for l, i, j, v in W:
            net.W[l][i][j] = v
    return net, per_neuron.backward(net, [X], [Y])


def _close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def _wait_ready(page):
    page.wait_for_selector("#tb-playground[data-tb-ready]", state="attached", timeout=30000)


STEP_JS = r"""
() => {
  const s = document.querySelector(".tb-pg-step");
  const v = s.querySelector(".tb-pg-value");
  return [s.getAttribute("data-id"), s.getAttribute("data-target"), v ? v.getAttribute("data-value") : null,
          v ? v.textContent : "", s.textContent];
}
"""


def test_playground_backward_pass_shows_cpython_gradients(built_site, browser):
    pg = Page(browser, built_site, "playground.html")
    page = pg.page
    _wait_ready(page)
    net, g = _cpython_backward()
    shown = {}
    bwd = page.locator("[data-act=bwd]")
    steps = 0
    while bwd.is_enabled():
        bwd.click()
        steps += 1
        eq_id, target, value, value_text, text = page.evaluate(STEP_JS)
        assert "[eq:%s]" % eq_id in text, "the step does not show its equation ID"
        assert "# [eq:%s]" % eq_id in text, "the step does not show its code line with [eq:%s]" % eq_id
        t = json.loads(target)
        if eq_id == "bwd.gW":
            shown[tuple(t[1:])] = (float(value), value_text)
        assert steps < 500
    expected = {(l, i, j): g.W[l][i][j] for l in range(1, 4) for i in range(net.sizes[l - 1]) for j in range(net.sizes[l])}
    assert set(shown) == set(expected), "the backward pass did not show every dL/dW: %s" % sorted(set(expected) - set(shown))
    for key, (v, text) in shown.items():
        assert _close(v, expected[key]), "dL/dW^[%d]_%d,%d: page %r, CPython %r" % (key + (v, expected[key]))
        shown_number = float(text.split(":")[1])
        assert abs(shown_number - expected[key]) <= 5e-4 * abs(expected[key]) + 1e-12, (text, expected[key])
    # The vectorized view: the same gradients as whole matrices.
    page.locator("input[name=tb-pg-view][value=matrix]").check()
    page.locator("[data-act=reset]").click()
    while bwd.is_enabled():
        bwd.click()
        eq_id, target, value, _, _ = page.evaluate(STEP_JS)
        if eq_id == "bwd.gW.mat":
            l = json.loads(target)[1]
            M = json.loads(value)
            for i, row in enumerate(M):
                for j, v in enumerate(row):
                    assert _close(v, g.W[l][i][j]), ("matrix view", l, i, j, v, g.W[l][i][j])
    # Every edge, hovered: W_ij, a_i, dL/dz_j and dL/dW_ij = a_i dL/dz_j.
    for (l, i, j), v in expected.items():
        # dispatched to the edge itself: edges cross, and the mouse at an edge's middle may be over another one
        page.locator("line.tb-edge-hit[data-edge='%d,%d,%d']" % (l, i, j)).dispatch_event("mouseenter")
        info = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.tb-pg-edgeinfo [data-value]')]
                                  .map(e => [e.className, Number(e.getAttribute('data-value'))]))""")
        assert _close(info["tb-pg-edge-gW"], v)
        assert _close(info["tb-pg-edge-weight"], net.W[l][i][j])
        assert _close(info["tb-pg-edge-gz"], g.g_z[l][0][j])
    # Edit a weight: everything is recomputed by the package for the edited network.
    page.locator("details.tb-pg-weights summary").click()
    cell = page.locator("input[data-w='W,3,0,0']")
    cell.fill("1.5")
    cell.dispatch_event("change")
    page.wait_for_function("document.querySelector('.tb-pg-status').textContent.indexOf('Loss') >= 0 && "
                           "document.querySelector('[data-w=\"W,3,0,0\"]').value === '1.5'")
    page.wait_for_timeout(300)
    net2, g2 = _cpython_backward([(3, 0, 0, 1.5)])
    page.locator("line.tb-edge-hit[data-edge='2,1,0']").dispatch_event("click")
    got = page.evaluate("() => Number(document.querySelector('.tb-pg-edge-gW').getAttribute('data-value'))")
    assert _close(got, g2.W[2][1][0]) and not _close(got, g.W[2][1][0])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SCREENSHOTS / "playground-1280.png"), full_page=True)
    pg.close()


def _train_in_page(page, epochs):
    page.fill(".tb-pg-train-controls input[name=epochs]", str(epochs))
    page.locator("[data-act=train]").click()
    page.wait_for_function("document.getElementById('tb-playground').getAttribute('data-tb-training') !== 'running'",
                           timeout=120000)
    assert page.get_attribute("#tb-playground", "data-tb-training") == "done"
    return json.loads(page.get_attribute("#tb-playground", "data-tb-history"))


def test_playground_trains_like_the_command_line(built_site, browser):
    cli = subprocess.run([sys.executable, "-m", "tinybackprop.cli", "train", "--epochs", "5", "--json"],
                         cwd=str(REPO), capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr
    expected = json.loads(cli.stdout)["history"]
    pg = Page(browser, built_site, "playground.html")
    got = _train_in_page(pg.page, 5)
    assert [e["epoch"] for e in got] == [1, 2, 3, 4, 5]
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        for e, want in zip(got, expected[key]):
            assert _close(e[key], want), (key, e["epoch"], e[key], want)
    _report("5 epochs in the page: losses %s; tinybackprop train --json: %s"
            % ([round(e["loss"], 12) for e in got], [round(v, 12) for v in expected["loss"]]))
    # A long run stops when asked, and the page answers at once afterwards.
    pg.page.fill(".tb-pg-train-controls input[name=epochs]", "100000")
    pg.page.locator("[data-act=train]").click()
    pg.page.wait_for_function(r"/epoch ([3-9]|\d\d+)\//.test(document.querySelector('.tb-pg-train-status').textContent)",
                              timeout=60000)
    pg.page.locator("[data-act=stop]").click()
    assert pg.page.get_attribute("#tb-playground", "data-tb-training") == "stopped"
    pg.page.wait_for_function("!document.querySelector('[data-act=train]').disabled")
    pg.close()


def test_the_optimizer_selector_trains_with_that_optimizer(built_site, browser):
    """Adam chosen beside the curve: the page's losses are CPython's train_live with
    optimizer="adam" (docs/python/tb_playground.py), and not the plain step's."""
    sys.path.insert(0, str(REPO / "docs" / "python"))
    import tb_playground
    lines = []
    tb_playground.train_live(epochs=3, lr=0.01, optimizer="adam", emit=lines.append)
    expected = [json.loads(x[3:]) for x in lines[:-1]]
    pg = Page(browser, built_site, "playground.html")
    pg.page.select_option(".tb-pg-train-controls select[name=optimizer]", "adam")
    assert pg.page.input_value(".tb-pg-train-controls input[name=lr]") == "0.01"
    got = _train_in_page(pg.page, 3)
    for e, want in zip(got, expected):
        assert _close(e["loss"], want["loss"]) and _close(e["val_loss"], want["val_loss"]), (e, want)
    plain = []
    tb_playground.train_live(epochs=1, lr=0.01, emit=plain.append)
    assert not _close(got[0]["loss"], json.loads(plain[0][3:])["loss"])
    pg.close()


def test_playground_on_a_phone_by_tapping(built_site, browser):
    pg = Page(browser, built_site, "playground.html", width=390, touch=True)
    page = pg.page
    _wait_ready(page)
    net, g = _cpython_backward()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, "the page scrolls sideways at 390 px (%d px wide)" % width
    page.locator("[data-act=fwd]").tap()
    page.locator("[data-act=bwd]").tap()
    eq_id, _, _, _, _ = page.evaluate(STEP_JS)
    assert eq_id == "bwd.ga_out"
    page.locator("line.tb-edge-hit[data-edge='3,1,0']").tap(force=True)
    got = page.evaluate("() => Number(document.querySelector('.tb-pg-edge-gW').getAttribute('data-value'))")
    assert _close(got, g.W[3][1][0])
    for _ in range(5):
        page.locator("[data-act=bwd]").tap()
    page.locator(".tb-pg-buttons").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "playground-390.png"), full_page=True)
    pg.close()


def test_playground_graph_view_steps_through_every_node(built_site, browser):
    """The graph view: one backward step per node of tinybackprop.graph's graph, in the order
    backward visits them, each showing [eq:graph.chain] and its code line; every weight (a
    leaf) shows CPython's per_neuron dL/dW."""
    sys.path.insert(0, str(REPO))
    from tinybackprop import graph
    pg = Page(browser, built_site, "playground.html")
    page = pg.page
    _wait_ready(page)
    net, g = _cpython_backward()
    page.locator("input[name=tb-pg-view][value=graph]").check()
    page.locator("[data-act=reset]").click()
    bwd = page.locator("[data-act=bwd]")
    shown, steps = {}, 0
    while bwd.is_enabled():
        bwd.click()
        steps += 1
        eq_id, target, value, _, text = page.evaluate(STEP_JS)
        assert eq_id == "graph.chain" and "# [eq:graph.chain]" in text, text
        t = json.loads(target)
        if t[0] == "W" and "a leaf" in text:
            shown[tuple(t[1:])] = float(value)
        assert steps <= 200
    assert steps == graph.node_count(net.sizes, 1)
    expected = {(l, i, j): g.W[l][i][j] for l in range(1, 4) for i in range(net.sizes[l - 1]) for j in range(net.sizes[l])}
    assert set(shown) == set(expected)
    for key, v in shown.items():
        assert _close(v, expected[key]), (key, v, expected[key])
    pg.close()
