"""The real site in a real browser: headless Debian Chromium driven by Playwright.

The site is built with --strict and every page is opened from file://, once at 1280 and
once at 390 px (the checks of each page read that one visit): KaTeX output must be there and styled by the local KaTeX stylesheet and fonts, no
math delimiter may be left in the text, and no request may leave the machine (all
are recorded; any to another host is refused and reported). Search must find
"hadamard" both over http and from file://. Screenshots go to site-screenshots/
(git-ignored; every page in full with TINYBACKPROP_SCREENSHOTS=1); look at them.

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
SCREENSHOT_PAGES = ("backward-neuron.html",)
# A full-page screenshot of every page (site-screenshots/PAGE.png) with TINYBACKPROP_SCREENSHOTS=1:
# what a person looks at; about a second a page, so CI does not take them. The viewport of every
# Learn page at both widths (learn-PAGE-WIDTH.png) and backward-page.png are always taken.
FULL_SCREENSHOTS = os.environ.get("TINYBACKPROP_SCREENSHOTS") == "1"  # saved as backward-page.png; the page must exist

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


def test_every_page_renders_math_offline(built_site, browser, visits):
    """Every page from file:// (the harder case: a USB stick, a school's intranet), network
    refused: KaTeX output there, styled by the local stylesheet and fonts, no math delimiter
    left in the text, no console error, no request leaving the machine."""
    context, log = browser
    seen = visits(1280)
    assert seen
    with_math = 0
    problems = []
    for path in site_pages(built_site):
        rel = path.relative_to(built_site).as_posix()
        v = seen[rel]
        state, text = v["katex"], v["leftover"]
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
        if v["console"]:
            problems.append("%s: console errors: %s" % (rel, v["console"]))
    SCREENSHOTS.mkdir(exist_ok=True)
    for name in SCREENSHOT_PAGES:
        if (built_site / name).is_file():
            page, _ = _open(context, (built_site / name).as_uri())
            page.evaluate(KATEX_STATE_JS)  # waits for the fonts
            page.screenshot(path=str(SCREENSHOTS / "backward-page.png"), full_page=False)
            page.close()
            break
    else:
        problems.append("none of %s was built: no screenshot of the backward pass" % (SCREENSHOT_PAGES,))
    if FULL_SCREENSHOTS:
        page, _ = _open(context, "about:blank")
        for path in site_pages(built_site):
            page.goto(path.as_uri(), wait_until="load")
            page.evaluate(KATEX_STATE_JS)
            rel = path.relative_to(built_site).as_posix()
            page.screenshot(path=str(SCREENSHOTS / (rel.replace("/", "_")[: -len(".html")] + ".png")), full_page=True)
        page.close()
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

NOT_TEACHING = ("index.md", "worked-examples.md", "slips.md", "playground.md")


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


# Every page is opened once at each width (file://, as from a USB stick); what the tests below
# look at is read during that one visit: exercises (before the folded sections are opened), the
# text a reader sees, the formulas, then, all sections open, the layout.
EXERCISES_JS = r"""
() => { const ex = [...document.querySelectorAll("article details")]
          .filter(d => /^Exercise\b/.test(d.querySelector("summary").textContent.trim()));
        return {count: ex.length, closed: ex.filter(d => !d.open).length}; }
"""

# Each exercise opened (and nothing else): the solution must not show. It sits in a fold of
# its own, "Show solution", closed, after the exercise's Check editor when it has one.
SOLUTIONS_JS = r"""
() => {
  const out = [];
  const ex = [...document.querySelectorAll("article details")]
    .filter(d => /^Exercise\b/.test(d.querySelector("summary").textContent.trim()));
  ex.forEach(d => { d.open = true; });
  ex.forEach(d => {
    const name = d.querySelector("summary").textContent.trim().slice(0, 40);
    const fold = [...d.querySelectorAll(":scope > details")]
      .find(f => /^Show solution$/.test(f.querySelector("summary").textContent.trim()));
    if (!fold) { out.push(name + ": no 'Show solution' fold"); return; }
    if (fold.open) out.push(name + ": the solution fold is open");
    if (/\bSolution\b/.test(d.innerText.replace(/Show solution/g, ""))) out.push(name + ": the solution shows");
    const editor = d.querySelector(".tb-runnable");
    if (editor && (editor.compareDocumentPosition(fold) & Node.DOCUMENT_POSITION_FOLLOWING) === 0)
      out.push(name + ": the solution comes before the Check editor");
  });
  ex.forEach(d => { d.open = false; });
  return out;
}
"""

# Every drawing of the page (all its folds open): the smallest text as rendered (its font size
# times the drawing's scale on the screen), and any text that lies outside the drawing (cut off).
FIGURES_JS = r"""
() => [...document.querySelectorAll("article figure.tb-drawing svg")].filter(svg => !svg.parentElement.closest("svg"))
  .map(svg => {
    const title = (svg.querySelector("title") || {}).textContent || "";
    const box = svg.getBoundingClientRect();
    let smallest = Infinity, which = "";
    const cut = [];
    svg.querySelectorAll("text").forEach(t => {
      const m = t.getScreenCTM();
      const r = t.getBoundingClientRect();
      if (!m || r.width === 0) return;
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
      if (px < smallest) { smallest = px; which = t.textContent.slice(0, 30); }
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        cut.push(t.textContent.slice(0, 40));
    });
    const fig = svg.closest("figure");
    const cap = fig.querySelector(":scope > figcaption");
    if (cap && cap.scrollWidth > cap.clientWidth + 1) cut.push("caption: " + cap.textContent.slice(0, 40));
    return {title: title.slice(0, 70), smallest: smallest, which: which, cut: cut};
  })
"""

UNHINTED_JS = r"""
() => [...document.querySelectorAll("article .tb-math")]
  .filter(b => { const k = b.querySelector(".katex-display");
                 return k && k.scrollWidth > k.clientWidth + 1 && !b.classList.contains("tb-overflows"); })
  .map(b => b.textContent.slice(0, 50))
"""


@pytest.fixture(scope="module")
def visits(built_site, browser):
    """visits(width) -> {page (relative path): what was read on it}, each page opened once per width."""
    context, log = browser
    done = {}  # width -> what was read (the fixture lives as long as the module)

    def at(width):
        if width in done:
            return done[width]
        learn = set(_html(md) for md in learn_pages())
        SCREENSHOTS.mkdir(exist_ok=True)
        page, console = _open(context, "about:blank")
        page.set_viewport_size({"width": width, "height": 900})
        seen = {}
        for path in site_pages(built_site):
            rel = path.relative_to(built_site).as_posix()
            del console[:]
            page.goto(path.as_uri(), wait_until="load")
            v = {"katex": page.evaluate(KATEX_STATE_JS),  # waits for the fonts
                 "leftover": page.evaluate(LEFTOVER_JS),
                 "body": page.evaluate("() => document.body.innerText"), "learn": rel in learn}
            if rel in learn:
                v["exercises"] = page.evaluate(EXERCISES_JS)
                v["solutions"] = page.evaluate(SOLUTIONS_JS)
                v["visible"] = page.evaluate(VISIBLE_TEXT_JS)
                v["article"] = page.evaluate("() => document.querySelector('article').innerText")
            page.evaluate("() => document.querySelectorAll('article details').forEach(d => d.open = true)")
            # two frames: the ResizeObserver of tb-scroll-hint.js marks the formulas the open sections resized
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            v["layout"] = page.evaluate(LAYOUT_JS)
            v["figures"] = page.evaluate(FIGURES_JS)
            if rel in learn:
                v["unhinted"] = page.evaluate(UNHINTED_JS)
                page.evaluate("() => document.querySelectorAll('article details').forEach(d => d.open = false)")
                page.screenshot(path=str(SCREENSHOTS / ("learn-%s-%d.png" % (rel[: -len(".html")], width))),
                                full_page=False)
            v["console"] = list(console)
            seen[rel] = v
        page.close()
        assert not log["refused"], log["refused"]
        done[width] = seen
        return seen
    return at


@pytest.mark.parametrize("width", [1280, 390])
def test_course_pages_are_not_clipped(visits, width):
    """From file://, at 1280 and 390 px: no formula scrolls sideways without a hint, every
    teaching page ends with two or more exercises (their solutions folded), and no raw LaTeX
    or notation is left as text. (Code boxes: test_no_page_is_wider_than_the_window...)"""
    seen = visits(width)
    pages = [rel for rel, v in seen.items() if v["learn"]]
    assert len(pages) >= 10, pages
    problems = []
    for rel in pages:
        v, md = seen[rel], rel[: -len(".html")] + ".md"
        if v["unhinted"]:
            problems.append("%s: %d formula(s) scroll sideways at %d px without a hint: %s"
                            % (md, len(v["unhinted"]), width, v["unhinted"]))
        for pattern in (r"\\(?:frac|partial|mathcal|begin|hat)\b", r"\^\{\[", r"\bg\^\[\d?[a-zA-Z]\]"):
            m = re.search(pattern, v["visible"])
            if m:
                problems.append("%s: raw LaTeX or notation in the text: ...%s..."
                                % (md, v["visible"][max(0, m.start() - 40): m.end() + 40]))
        for what in v["solutions"]:
            problems.append("%s: %s" % (md, what))
        if md not in NOT_TEACHING:
            n, closed = v["exercises"]["count"], v["exercises"]["closed"]
            if n < 2:
                problems.append("%s: %d exercises (at least 2 wanted)" % (md, n))
            if closed != n:
                problems.append("%s: %d of %d exercise solutions are open" % (md, n - closed, n))
    assert not problems, "\n".join(problems)


def test_no_page_names_a_source_document_by_file_or_leaves_a_docs_pointer(visits):
    problems = []
    for rel, v in visits(1280).items():
        text = v["body"]
        for pattern in (r"(?i)\bseed\s*00\d", r"\b00[012]_[0-9a-f]{16}", r"docs/[\w/-]+\.md#"):
            m = re.search(pattern, text)
            if m:
                problems.append("%s: %r in the text: ...%s..." % (rel, m.group(0), text[max(0, m.start() - 40): m.end() + 40]))
    assert not problems, "\n".join(problems)


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


# -- issue 20: a site that stands on its own, works on a phone, and never freezes --------------

# Everything that makes a page wider than the window, or hides part of a box: the page's own
# width, editable and static code whose text is cut, drawings that stick out of their figure.
# Formulas may scroll inside their own box (KaTeX's SVG pieces are theirs, not drawings).
LAYOUT_JS = r"""
() => {
  const W = document.documentElement.clientWidth;
  const out = {width: document.documentElement.scrollWidth, viewport: W, cut: [], clipped: []};
  document.querySelectorAll("article textarea, article pre > code").forEach(e => {
    if (e.scrollWidth > e.clientWidth + 1)
      out.cut.push(e.tagName + ": " + (e.value || e.textContent).trim().split("\n")[0].slice(0, 60));
  });
  document.querySelectorAll("article svg, article img").forEach(e => {
    if (e.closest(".katex")) return;
    const box = e.parentElement;  // a drawing kept at full size scrolls in its own box: not cut
    if (["auto", "scroll"].includes(getComputedStyle(box).overflowX) && box.getBoundingClientRect().right <= W + 1) return;
    const b = e.getBoundingClientRect(), p = box.getBoundingClientRect();
    if (b.width > 0 && (b.right > W + 1 || b.left < -1 || b.right > p.right + 1))
      out.clipped.push(e.tagName + " " + Math.round(b.width) + " px in " + Math.round(p.width) + " px: "
                       + (e.querySelector("title") ? e.querySelector("title").textContent : e.getAttribute("class") || ""));
  });
  return out;
}
"""


@pytest.mark.parametrize("width", [1280, 390])
def test_no_page_is_wider_than_the_window_and_nothing_is_cut(visits, width):
    """Every page from file://, its folded sections open: the page never scrolls sideways,
    no editor or code box hides part of its text, no drawing sticks out of its figure."""
    problems = []
    for rel, v in visits(width).items():
        r = v["layout"]
        if r["width"] > r["viewport"]:
            problems.append("%s: the page is %d px wide in a %d px window" % (rel, r["width"], r["viewport"]))
        for what in r["cut"]:
            problems.append("%s: text cut in %s" % (rel, what))
        for what in r["clipped"]:
            problems.append("%s: a drawing sticks out: %s" % (rel, what))
    assert not problems, "at %d px:\n" % width + "\n".join(problems)


#: The smallest text a drawing may show, in CSS pixels, at any width (issue 36: at 390 px).
MIN_FIGURE_TEXT_PX = 9.0


@pytest.mark.parametrize("width", [1280, 390])
def test_every_drawing_is_readable_and_nothing_of_it_is_cut(visits, width):
    """Every drawing of every page from file://, its folds open: its smallest text is rendered
    at 9 px or more (a drawing scrolls rather than shrink further, docs/hooks/figures.py), and
    no text of it (nor its caption, the drawing's title) lies outside what is drawn."""
    problems, measured = [], 0
    for rel, v in visits(width).items():
        for f in v["figures"]:
            measured += 1
            if f["smallest"] < MIN_FIGURE_TEXT_PX:
                problems.append("%s: %r: text %r at %.1f px" % (rel, f["title"], f["which"], f["smallest"]))
            for what in f["cut"]:
                problems.append("%s: %r: cut off: %r" % (rel, f["title"], what))
    assert measured >= 15, measured
    assert not problems, "at %d px:\n" % width + "\n".join(problems)


#: Wording that leans on a text the reader never gets (issue 36): on no page but the slips page.
UNNAMED_SOURCE = (r"(?i)\bthe document\b", r"(?i)\bsource documents?\b", r"(?i)\bthe derivation\b",
                  r"(?i)\bthe author\b", r"(?i)\bthis project's sources?\b", r"(?i)\bas in the text\b",
                  r"(?i)the 3-4-1 question", r"(?i)the softmax exercise", r"(?i)\bas printed\b")
SLIPS_PAGE = "slips.html"


def test_learn_pages_stand_on_their_own_and_home_leads_to_the_playground(built_site, browser, visits):
    context, log = browser
    seen = visits(1280)
    page = context.new_page()
    problems = []
    for rel, v in seen.items():
        if rel == SLIPS_PAGE:
            continue  # the one page that names where each slip was seen
        text = v["body"]
        for pattern in UNNAMED_SOURCE:
            m = re.search(pattern, text)
            if m:
                problems.append("%s: %r: ...%s..." % (rel, m.group(0), text[max(0, m.start() - 50): m.end() + 50]))
    nav = [p for section in _nav() for p in _pages_of(list(section.values())[0])]
    learn = learn_pages()
    for md in ("slips.md", "notation.md"):
        assert md in nav and md not in learn, "%s belongs under Reference" % md
    page.goto((built_site / "index.html").as_uri(), wait_until="load")
    links = page.evaluate("() => [...document.querySelectorAll('article a')].map(a => a.getAttribute('href'))")
    for target in ("playground.html", "digits.html", "graph.html", "optimizers.html", "initialisation.html",
                   "graduating.html", "troubleshooting.html", "backward-neuron.html", "backward-matrix.html"):
        assert target in links, "the home page does not link %s" % target
    # the first screen: the network drawn before any text, then a loss -> gradient -> step sketch
    first = page.evaluate("() => document.querySelector('article h1').nextElementSibling.tagName")
    assert first == "FIGURE", first
    # every backward-pass equation can be stepped through in the playground, at that equation
    for md in ("backward-neuron.md", "backward-matrix.md"):
        page.goto((built_site / _html(md)).as_uri(), wait_until="load")
        eqs = page.evaluate("""() => [...document.querySelectorAll('.tb-eq[data-eq^="bwd."]')].map(e =>
            [e.getAttribute('data-eq'), (e.querySelector('a.tb-eq__step') || {}).href || null])""")
        assert eqs, md
        for eq_id, href in eqs:
            if not href or ("playground.html#eq=" + eq_id) not in href:
                problems.append("%s: equation %s has no 'step through this' link (%s)" % (md, eq_id, href))
    page.close()
    assert not problems, "\n".join(problems)


def test_a_cell_that_never_ends_can_be_stopped_and_the_page_stays_responsive(built_site, browser):
    """A cell runs in the background: `while True: pass` leaves the page answering clicks
    (within 1 s), Stop ends it and says so; `from tinybackprop import NAME` works for every
    submodule, as on CPython; an exercise's Check runs exercises.grade as the CLI does."""
    context, log = browser
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((built_site / "index.html").as_uri(), wait_until="load")
    block = page.locator(".tb-runnable").first
    code = block.locator("textarea")
    # a control that cannot be used looks it: Stop, before anything runs, is disabled and faded
    stop_style = page.evaluate("""() => { const b = document.querySelector('.tb-runnable button.tb-stop');
        const r = document.querySelector('.tb-runnable button.tb-run');
        return [b.disabled, parseFloat(getComputedStyle(b).opacity), parseFloat(getComputedStyle(r).opacity),
                getComputedStyle(b).cursor]; }""")
    assert stop_style[0] and stop_style[1] <= 0.5 < stop_style[2] and stop_style[3] == "not-allowed", stop_style

    def run(source, wait=True):
        code.fill(source)
        page.evaluate("() => document.querySelector('.tb-runnable').removeAttribute('data-tb-state')")
        block.locator("button.tb-run").click()
        if wait:
            page.wait_for_function("document.querySelector('.tb-runnable').getAttribute('data-tb-state')",
                                   timeout=60000)
        return block.locator(".tb-output").inner_text()

    out = run("from tinybackprop import exercises, show\nfrom tinybackprop.show import explain\n"
              "print(exercises.__name__, explain.__name__, show.__name__)\nkept = 42\n")
    assert out.strip() == "tinybackprop.exercises tinybackprop.show.explain tinybackprop.show", out
    run("print('looping')\nwhile True: pass\n", wait=False)
    page.wait_for_function("document.querySelector('.tb-runnable .tb-output').textContent.indexOf('looping') >= 0",
                           timeout=60000)
    page.wait_for_timeout(500)  # the loop is running now
    # the page answers: a click on a button of the page is handled, and quickly
    page.evaluate("""() => { window.__tbClicked = 0; document.querySelector('.tb-runnable .tb-reset')
        .addEventListener('click', () => { window.__tbClicked = performance.now(); }, {once: true}); }""")
    t0 = page.evaluate("performance.now()")
    block.locator("button.tb-reset").click(timeout=5000)
    answered = page.evaluate("window.__tbClicked") - t0
    assert 0 < answered < 1000, "the click was answered after %.0f ms" % answered
    assert page.get_attribute(".tb-runnable", "data-tb-state") is None, "the loop ended by itself?"
    t0 = page.evaluate("performance.now()")
    block.locator("button.tb-stop").click(timeout=5000)
    page.wait_for_function("document.querySelector('.tb-runnable').getAttribute('data-tb-state') === 'stopped'",
                           timeout=5000)
    assert page.evaluate("performance.now()") - t0 < 1000
    assert "Stopped" in block.locator(".tb-output").inner_text()
    # a fresh interpreter after Stop, which says so: the names of before are gone
    out = run("print('kept' in globals())\n")
    assert out.strip() == "False", out
    # Check: the exercise checker in the page gives what it gives in CPython
    from tinybackprop import exercises

    page.goto((built_site / "forward.html").as_uri(), wait_until="load")
    ex = page.locator(".tb-runnable[data-tb-exercise=sigmoid_d]")
    page.evaluate("() => document.querySelectorAll('article details').forEach(d => d.open = true)")
    for source, ok in (("import math\n\ndef sigmoid_d(z):\n    s = 1 / (1 + math.exp(-z))\n    return s * (1 - s)\n", True),
                       ("def sigmoid_d(z):\n    return 0.25\n", False)):
        ex.locator("textarea").fill(source)
        page.evaluate("() => document.querySelector('[data-tb-exercise=sigmoid_d]').removeAttribute('data-tb-state')")
        ex.locator("button.tb-check").click()
        page.wait_for_function("document.querySelector('[data-tb-exercise=sigmoid_d]').getAttribute('data-tb-state')",
                               timeout=60000)
        ns = {}
        exec(source, ns)
        want = exercises.grade("sigmoid_d", ns["sigmoid_d"]).message
        got = ex.locator(".tb-output").inner_text().strip()
        assert want.startswith("pass" if ok else "wrong")
        assert got.split("\n")[0] == want.split("\n")[0], (got, want)
    page.close()
    assert not errors, errors
    assert not log["refused"], log["refused"]
