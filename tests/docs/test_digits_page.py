"""The digits page: its numbers are the build-time run's, and its drawing pad reads a digit
in the page exactly as CPython's tinybackprop does.

Static part: the page's training run, confusion matrix, pictures and the numbers quoted
in the exercise solutions agree with each other and with the model shipped in the page,
evaluated here again with tinybackprop on CPython.

Browser part: headless Debian Chromium (Playwright) opens the page from file:// with every
request that is not a local file refused, draws a digit with the mouse (and, on a 390 px
phone-sized page, with a finger through touch events), waits for the ten softmax bars, and
compares them with ``Network.predict`` run here, in CPython, on the same 64 pixels.
"""

import html
import json
import re
from urllib.parse import urlsplit

import pytest

from docs_helpers import REPO, built_site, require_browser  # noqa: F401 (fixtures)

import tinybackprop as tb
from tinybackprop.cli import metrics
from tinybackprop import datasets as ds

LOCAL = ("file", "data", "blob", "about", "chrome-error")
SHOTS = REPO / "site-screenshots"


@pytest.fixture(scope="module")
def page_html(built_site):
    return (built_site / "digits.html").read_text(encoding="utf-8")


def shipped_model(text):
    m = re.search(r'<script type="application/json" id="tb-digits-model">(.*?)</script>', text, re.S)
    assert m, "the page ships no model"
    return json.loads(m.group(1).replace("<\\/", "</"))


def test_page_numbers_agree_with_the_shipped_model(page_html):
    assert "<!--digits:" not in page_html and "digits-pad -->" not in page_html
    text = html.unescape(re.sub(r"<[^>]+>", "", page_html))
    run = re.search(r"test\s+loss [0-9.]+\s+accuracy ([0-9.]+)\s+\((\d+) examples[^)]*\)", text)
    assert run, "no training run on the page"
    printed_acc, n_test = float(run.group(1)), int(run.group(2))
    # the shipped model, evaluated again here on its test split
    d = shipped_model(page_html)
    net = tb.Network.from_dict(d)
    task = ds.digits_task(test_fraction=d["data"]["split"]["test_fraction"], seed=d["data"]["split"]["seed"])
    C = metrics.confusion(net.predict(task.X_test), task.Y_test)
    right = sum(C[k][k] for k in range(10))
    assert len(task.X_test) == n_test and round(right / n_test, 3) == printed_acc
    # the confusion matrix printed in the run
    start = text.index("true \\ predicted")
    rows = [[int(v) for v in line.split()] for line in text[start:].splitlines()[1:11]]
    assert [r[1:] for r in rows] == C
    # exercise 1's solution quotes the same numbers
    assert "%d / %d = %.3f" % (right, n_test, right / n_test) in text
    assert "= %d, and the drawing" % (n_test - right) in " ".join(text.split())
    # the picture of the mistakes shows that many images, and the weights 32
    svgs = re.findall(r"<svg .*?</svg>", page_html, re.S)
    errors = [s for s in svgs if "Misclassified test digits" in s]
    weights = [s for s in svgs if "First layer: the weights" in s]
    assert len(errors) == 1 and errors[0].count('class="image"') == n_test - right
    assert len(weights) == 1 and weights[0].count('class="image"') == 32
    assert any("mean loss" in s for s in svgs), "no loss curve"


# -- the drawing pad in a real browser ------------------------------------------------------------

@pytest.fixture(scope="module")
def playwright_(chromium):
    return chromium


def _context(browser, refused, **options):
    context = browser.new_context(**options)  # a fresh profile, in the session's one Chromium
    profile = None

    def route(r):
        if urlsplit(r.request.url).scheme in LOCAL:
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context, profile


def _cpython(page_html, pixels):
    d = shipped_model(page_html)
    net = tb.Network.from_dict(d)
    std = ds.Standardizer.from_dict(d["data"]["standardize"])
    return net.predict(std.transform([pixels]))[0]


def _wait_done(page):
    page.wait_for_function(
        "['done', 'error'].includes(document.querySelector('.tb-digits-pad').getAttribute('data-state'))",
        timeout=240000)
    pad = page.locator(".tb-digits-pad")
    assert pad.get_attribute("data-state") == "done", page.inner_text(".tb-pad-status")
    return json.loads(pad.get_attribute("data-pixels")), json.loads(pad.get_attribute("data-outputs"))


def _check_bars(page, pixels, outputs, page_html):
    want = _cpython(page_html, pixels)
    assert len(pixels) == 64 and all(0 <= v <= 16 for v in pixels) and sum(pixels) > 0
    assert outputs == pytest.approx(want, rel=1e-9, abs=1e-15)
    shown = [float(t) for t in page.locator(".tb-pad-value").all_inner_texts()]
    assert shown == [float("%.3f" % p) for p in want]
    best = max(range(10), key=lambda k: want[k])
    assert page.locator(".tb-pad-best .tb-pad-label").inner_text() == str(best)
    assert page.inner_text(".tb-pad-answer").endswith("reads %d" % best)


def test_pad_draws_with_the_mouse_and_matches_cpython(built_site, page_html, playwright_):
    refused = []
    context, profile = _context(playwright_, refused, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((built_site / "digits.html").as_uri(), wait_until="load")
        canvas = page.locator(".tb-pad-canvas")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()

        def at(x, y):
            return box["x"] + x * box["width"], box["y"] + y * box["height"]

        page.mouse.move(*at(0.3, 0.2))  # a 7: the bar, then the stroke down
        page.mouse.down()
        for k in range(1, 11):
            page.mouse.move(*at(0.3 + 0.04 * k, 0.2))
        for k in range(1, 16):
            page.mouse.move(*at(0.7 - 0.02 * k, 0.2 + 0.045 * k))
        page.mouse.up()
        pixels, outputs = _wait_done(page)
        _check_bars(page, pixels, outputs, page_html)
        SHOTS.mkdir(exist_ok=True)
        page.locator(".tb-digits-pad").screenshot(path=str(SHOTS / "digits-pad-1280.png"))
        # Clear empties the pad and the bars
        page.click(".tb-pad-clear")
        assert page.locator(".tb-digits-pad").get_attribute("data-state") == "idle"
        assert page.locator(".tb-pad-value").all_inner_texts() == [""] * 10
        assert not errors, errors
    finally:
        context.close()
    assert refused == [], "requests left the machine: %s" % refused


def test_pad_draws_with_a_finger_on_a_phone(built_site, page_html, playwright_):
    refused = []
    context, profile = _context(playwright_, refused, viewport={"width": 390, "height": 844}, has_touch=True,
                                is_mobile=True, device_scale_factor=2)
    try:
        page = context.new_page()
        page.goto((built_site / "digits.html").as_uri(), wait_until="load")
        canvas = page.locator(".tb-pad-canvas")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # the pad fits the phone's width
        cdp = context.new_cdp_session(page)

        def touch(kind, x, y):
            points = [] if kind == "touchEnd" else [{"x": box["x"] + x * box["width"],
                                                     "y": box["y"] + y * box["height"]}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", 0.5, 0.1)  # a 1: one stroke down
        for k in range(1, 17):
            touch("touchMove", 0.5 - 0.004 * k, 0.1 + 0.05 * k)
        touch("touchEnd", 0, 0)
        pixels, outputs = _wait_done(page)
        _check_bars(page, pixels, outputs, page_html)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "digits-pad-390.png"))
    finally:
        context.close()
    assert refused == [], "requests left the machine: %s" % refused
