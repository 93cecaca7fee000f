"""The real site in a real browser: headless Debian Chromium driven by Playwright.

The site is built with --strict, served on 127.0.0.1, and every page is opened:
KaTeX output must be there and styled by the local KaTeX stylesheet and fonts, no
math delimiter may be left in the text, and no request may leave the machine (all
are recorded; any to another host is refused and reported). Search must find
"hadamard" both over http and from file://. Screenshots go to site-screenshots/
(git-ignored); look at them.

Needs: the ``docs`` and ``docs-browser`` extras, ``npm ci`` at the repo root, and
``apt-get install chromium``. Missing pieces skip visibly, or fail with REQUIRE_BROWSER=1.
"""

import functools
import http.server
import os
import re
import threading
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest

from docs_helpers import REPO, built_site, require_browser, site_pages  # noqa: F401 (fixtures)
SCREENSHOTS = REPO / "site-screenshots"
SCREENSHOT_PAGES = ("backward-neuron.html",)  # saved as backward-page.png; the page must exist

LOOPBACK = ("127.0.0.1", "localhost", "[::1]", "::1")
LOCAL_SCHEMES = ("data", "blob", "file", "about", "chrome-error")

# Raw delimiters in the page's text: title, navigation, table of contents, article (code removed).
LEFTOVER_JS = r"""
() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll("pre, code, .katex, script, style").forEach(e => e.remove());
  return document.title + "\n" + copy.textContent;
}
"""

# Is KaTeX really styled? The MathML copy is visually hidden by katex.min.css, and
# the KaTeX fonts are loaded (from the site) once the fonts are ready.
KATEX_STATE_JS = r"""
async () => {
  await document.fonts.ready;
  const katex = document.querySelectorAll(".katex");
  const mathml = document.querySelector(".katex .katex-mathml");
  const html = document.querySelector(".katex .katex-html");
  const loaded = [];
  document.fonts.forEach(f => { if (f.status === "loaded") loaded.push(f.family); });
  return {
    count: katex.length,
    display: document.querySelectorAll(".katex-display").length,
    mathmlPosition: mathml ? getComputedStyle(mathml).position : null,
    htmlWidth: html ? html.getBoundingClientRect().width : 0,
    fontsLoaded: loaded,
  };
}
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(built_site):
    require_browser()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(built_site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d/" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(chromium):
    # one context (a fresh profile) in the session's one Chromium, for this module's tests
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    log = {"requests": [], "refused": [], "errors": []}

    def route(r):
        url = r.request.url
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname in LOOPBACK:
            r.continue_()
        else:
            log["refused"].append(url)
            r.abort()

    context.route("**/*", route)
    context.on("request", lambda req: log["requests"].append(req.url))
    context.on("weberror", lambda e: log["errors"].append(str(e.error)))
    try:
        yield context, log
    finally:
        context.close()


def _offsite(urls):
    bad = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in LOCAL_SCHEMES and parts.hostname not in LOOPBACK:
            bad.append(url)
    return bad


def _open(context, url):
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append("%s: %s" % (m.type, m.text)) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append("pageerror: %s" % e))
    page.goto(url, wait_until="load")
    return page, console


def test_every_page_renders_math_offline(built_site, served, browser):
    context, log = browser
    SCREENSHOTS.mkdir(exist_ok=True)
    pages = site_pages(built_site)
    assert pages
    with_math = 0
    problems = []
    for path in pages:
        rel = path.relative_to(built_site).as_posix()
        page, console = _open(context, served + rel)
        state = page.evaluate(KATEX_STATE_JS)
        text = page.evaluate(LEFTOVER_JS)
        for token in ("$$", "\\(", "\\)", "\\[", "\\]"):
            if token in text:
                i = text.index(token)
                problems.append("%s: raw %r in the page text: ...%s..." % (rel, token, text[max(0, i - 40): i + 40]))
        if 'class="katex"' in path.read_text(encoding="utf-8"):
            with_math += 1
            if state["count"] == 0:
                problems.append("%s: no KaTeX element in the browser" % rel)
            if state["mathmlPosition"] != "absolute":
                problems.append("%s: katex.min.css not applied (MathML copy visible)" % rel)
            if state["htmlWidth"] <= 0:
                problems.append("%s: KaTeX output has no width" % rel)
            if not any(f.startswith("KaTeX_") for f in state["fontsLoaded"]):
                problems.append("%s: no KaTeX font loaded (%s)" % (rel, state["fontsLoaded"]))
        if console:
            problems.append("%s: console errors: %s" % (rel, console))
        page.screenshot(path=str(SCREENSHOTS / (rel.replace("/", "_")[: -len(".html")] + ".png")), full_page=True)
        page.close()
    for name in SCREENSHOT_PAGES:
        if (built_site / name).is_file():
            page, _ = _open(context, served + name)
            page.evaluate(KATEX_STATE_JS)  # waits for the fonts
            page.screenshot(path=str(SCREENSHOTS / "backward-page.png"), full_page=False)
            page.close()
            break
    else:
        problems.append("none of %s was built: no screenshot of the backward pass" % (SCREENSHOT_PAGES,))
    assert with_math >= 1, "no page of the site has math"
    assert not problems, "\n".join(problems)
    assert not log["refused"], "requests to other hosts: %s" % log["refused"]
    assert not _offsite(log["requests"]), _offsite(log["requests"])
    assert any(u.endswith(".woff2") for u in log["requests"]), "no KaTeX font was requested"


def _search(page, query):
    box = page.locator("input.md-search__input")
    try:
        box.wait_for(state="visible", timeout=10000)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError, whose module path changes
        pytest.fail("the search box is hidden: Material disables search when its worker cannot start", pytrace=False)
    box.click()
    box.press_sequentially(query, delay=20)
    first = page.locator(".md-search-result__item").first
    first.wait_for(state="visible", timeout=15000)
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")


@pytest.mark.parametrize("via", ["http", "file"])
def test_search_finds_hadamard(built_site, served, browser, via):
    context, log = browser
    start = served + "index.html" if via == "http" else (built_site / "index.html").as_uri()
    page, console = _open(context, start)
    hrefs = _search(page, "hadamard")
    assert hrefs, "no search result"
    # Every page the results point to really contains the word.
    for href in hrefs:
        path = url2pathname(urlsplit(href).path)
        html_file = built_site / (path.lstrip("/") if via == "http" else os.path.relpath(path, str(built_site)))
        assert re.search("hadamard", html_file.read_text(encoding="utf-8"), re.I), href
    if via == "file":
        page.screenshot(path=str(SCREENSHOTS / "search-file-url.png"))
    assert not console, console
    page.close()
    assert not log["refused"], log["refused"]
    assert not _offsite(log["requests"]), _offsite(log["requests"])


# -- nothing misleading or clipped on the course pages, and the teaching layer ------------

NOT_TEACHING = ("index.md", "worked-examples.md", "errata.md", "playground.md")


def _nav():
    import yaml  # comes with mkdocs

    with open(REPO / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml.safe_load(f)
    return config["nav"]


def _pages_of(section):
    out = []
    for item in section:
        value = list(item.values())[0] if isinstance(item, dict) else item
        if isinstance(value, list):
            out += _pages_of(value)
        else:
            out.append(value)
    return out


def learn_pages():
    for item in _nav():
        if "Learn" in item:
            return [p for p in _pages_of(item["Learn"]) if p.endswith(".md")]
    return []


def _html(md):
    return md[: -len(".md")] + ".html"


# Text a reader sees, without code, math and scripts.
VISIBLE_TEXT_JS = r"""
() => {
  const copy = document.querySelector("article").cloneNode(true);
  copy.querySelectorAll("pre, code, textarea, .tb-runnable, .katex, script, style, svg").forEach(e => e.remove());
  return copy.textContent;
}
"""

OVERFLOW_JS = r"""
() => [...document.querySelectorAll("article pre > code")]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent.trim().split("\n")[0].slice(0, 70))
"""


def test_navigation_has_the_three_sections(built_site, served, browser):
    context, log = browser
    assert [list(item)[0] for item in _nav()] == ["Learn", "Reference", "Engineering"]
    page, console = _open(context, served + "index.html")
    titles = page.evaluate(r"""() => [...document.querySelectorAll(
        ".md-nav--primary > .md-nav__list > .md-nav__item--section > .md-nav__link, "
      + ".md-nav--primary > .md-nav__list > .md-nav__item--section > label.md-nav__link")]
        .map(e => e.textContent.trim())""")
    page.close()
    for name in ("Learn", "Reference", "Engineering"):
        assert name in titles, titles
    assert not console, console


@pytest.mark.parametrize("width", [1280, 390])
def test_course_pages_are_not_clipped(built_site, browser, width):
    """From file://, at 1280 and 390 px: no code block needs a sideways scroll, every
    teaching page ends with two or more exercises, and no page names a source document
    by file name or leaves a docs/PAGE.md# pointer or raw LaTeX as text."""
    context, log = browser
    pages = learn_pages()
    assert len(pages) >= 10, pages
    problems = []
    SCREENSHOTS.mkdir(exist_ok=True)
    for md in pages:
        page = context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.goto((built_site / _html(md)).as_uri(), wait_until="load")
        page.evaluate(KATEX_STATE_JS)  # waits for the fonts
        over = page.evaluate(OVERFLOW_JS)
        if over and width == 1280:
            problems.append("%s: %d code block(s) scroll sideways at %d px: %s" % (md, len(over), width, over))
        page.wait_for_timeout(400)  # tb-scroll-hint.js marks wide formulas once the fonts are in
        unhinted = page.evaluate(r"""() => [...document.querySelectorAll("article .tb-math")]
            .filter(b => { const k = b.querySelector(".katex-display");
                           return k && k.scrollWidth > k.clientWidth + 1 && !b.classList.contains("tb-overflows"); })
            .map(b => b.textContent.slice(0, 50))""")
        if unhinted:
            problems.append("%s: %d formula(s) scroll sideways at %d px without a hint: %s"
                            % (md, len(unhinted), width, unhinted))
        text = page.evaluate(VISIBLE_TEXT_JS)
        for pattern in (r"\\(?:frac|partial|mathcal|begin|hat)\b", r"\^\{\[", r"\bg\^\[\d?[a-zA-Z]\]"):
            m = re.search(pattern, text)
            if m:
                problems.append("%s: raw LaTeX or notation in the text: ...%s..." % (md, text[max(0, m.start() - 40): m.end() + 40]))
        if md not in NOT_TEACHING:
            n = page.evaluate(r"""() => [...document.querySelectorAll("article details > summary")]
                .filter(s => /^Exercise\b/.test(s.textContent.trim())).length""")
            closed = page.evaluate(r"""() => [...document.querySelectorAll("article details")]
                .filter(d => /^Exercise\b/.test(d.querySelector("summary").textContent.trim()) && !d.open).length""")
            if n < 2:
                problems.append("%s: %d exercises (at least 2 wanted)" % (md, n))
            if closed != n:
                problems.append("%s: %d of %d exercise solutions are open" % (md, n - closed, n))
        page.screenshot(path=str(SCREENSHOTS / ("learn-%s-%d.png" % (md[:-3], width))), full_page=False)
        page.close()
    assert not problems, "\n".join(problems)
    assert not log["refused"], log["refused"]


def test_no_page_names_a_source_document_by_file_or_leaves_a_docs_pointer(built_site, browser):
    context, log = browser
    problems = []
    for path in site_pages(built_site):
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        text = page.evaluate("() => document.body.innerText")
        rel = path.relative_to(built_site).as_posix()
        for pattern in (r"(?i)\bseed\s*00\d", r"\b00[012]_[0-9a-f]{16}", r"docs/[\w/-]+\.md#"):
            m = re.search(pattern, text)
            if m:
                problems.append("%s: %r in the text: ...%s..." % (rel, m.group(0), text[max(0, m.start() - 40): m.end() + 40]))
        page.close()
    assert not problems, "\n".join(problems)
    assert not log["refused"], log["refused"]


def test_exercises_that_ask_for_a_number_get_it_from_the_build(built_site):
    # at least one exercise per teaching page shows a number computed at build time: its
    # source has a <!--tb= ...--> or command marker inside an exercise
    src = REPO / "docs"
    for md in learn_pages():
        if md in NOT_TEACHING:
            continue
        text = (src / md).read_text(encoding="utf-8")
        exercises = text[text.find("## Exercises"):]
        assert "## Exercises" in text, md
        assert re.search(r"<!--tb=|<!--digits:|<!-- tinybackprop ", exercises), md
    # and across the course, at least three ask to implement a function and check it
    commands = set()
    for md in learn_pages():
        commands |= set(re.findall(r"tinybackprop exercise (\w+)", (src / md).read_text(encoding="utf-8")))
    from tinybackprop.exercises import EXERCISES

    assert len(commands & set(EXERCISES)) >= 3, commands
