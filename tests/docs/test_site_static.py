"""The real site, built with --strict: checks on its files (no browser needed)."""

import re
import subprocess
from html.parser import HTMLParser
from urllib.parse import urlsplit

from docs_helpers import REPO, built_site, site_pages  # noqa: F401 (built_site is a fixture)

# Elements that make the browser fetch something on its own.
FETCHING = {
    ("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("iframe", "src"),
    ("source", "src"), ("source", "srcset"), ("video", "src"), ("audio", "src"), ("embed", "src"),
    ("object", "data"), ("input", "src"),
}


class _Fetches(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls = []
        self.inline_styles = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (tag, name) in FETCHING and value:
                if tag == "link" and dict(attrs).get("rel") in ("canonical", "prev", "next", "alternate"):
                    continue  # navigation hints, not fetched
                self.urls.append((tag, value))
            if name == "style" and value:
                self.inline_styles.append(value)


def _leaves_the_machine(url):
    parts = urlsplit(url.strip())
    if url.strip().startswith("//"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss", "ftp")


def test_built_pages_fetch_nothing_from_the_network(built_site):
    pages = site_pages(built_site)
    assert pages, "the site has no pages"
    offenders = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parser = _Fetches()
        parser.feed(text)
        offenders += ["%s: <%s> %s" % (page.name, t, u) for t, u in parser.urls if _leaves_the_machine(u)]
        for host in ("fonts.googleapis.com", "fonts.gstatic.com", "unpkg.com", "cdn.jsdelivr.net", "cdnjs"):
            if host in text:
                offenders.append("%s mentions %s" % (page.name, host))
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8", errors="replace")):
            if _leaves_the_machine(url):
                offenders.append("%s: url(%s)" % (css.relative_to(built_site), url))
        for url in re.findall(r"@import\s+(?:url\()?['\"]?([^'\");]+)", css.read_text(encoding="utf-8", errors="replace")):
            if _leaves_the_machine(url):
                offenders.append("%s: @import %s" % (css.relative_to(built_site), url))
    assert not offenders, "\n".join(offenders)


def test_every_page_has_its_math_rendered(built_site):
    # Which pages have math is read from the Markdown sources (code removed), not from the output.
    math_in_source = re.compile(r"\$[^\s$]|\$\$|\\\(|\\\[|\\begin\{")
    code = re.compile(r"```.*?```|`[^`\n]*`", re.S)
    problems = []
    checked = 0
    for md in sorted((REPO / "docs").rglob("*.md")):
        rel = md.relative_to(REPO / "docs")
        page = built_site / rel.with_suffix(".html")
        if not page.is_file():
            continue  # excluded from the site
        html_text = page.read_text(encoding="utf-8")
        if "arithmatex" in html_text:
            problems.append("%s: unrendered arithmatex element" % rel)
        if math_in_source.search(code.sub("", md.read_text(encoding="utf-8"))):
            checked += 1
            if 'class="katex"' not in html_text:
                problems.append("%s: has math in its source but no KaTeX output" % rel)
    assert checked >= 1, "no page with math was found in docs/"
    assert not problems, "\n".join(problems)


def test_katex_stylesheet_and_fonts_are_in_the_site(built_site):
    css = built_site / "assets" / "katex" / "katex.min.css"
    assert css.is_file()
    fonts = set(re.findall(r"url\((fonts/[^)]+)\)", css.read_text(encoding="utf-8")))
    assert any(f.endswith(".woff2") for f in fonts)
    missing = [f for f in fonts if not (css.parent / f).is_file()]
    assert not missing, missing
    for page in site_pages(built_site):
        assert "assets/katex/katex.min.css" in page.read_text(encoding="utf-8"), page.name


def test_search_index_is_inlined_for_file_urls(built_site):
    # Material's offline plugin: search/search_index.js defines the index for file://.
    js = (built_site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert js.startswith("var __index = ")
    assert "hadamard" in js.lower()


def test_no_katex_or_site_files_are_committed():
    try:
        proc = subprocess.run(["git", "ls-files"], cwd=str(REPO), capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        import pytest

        pytest.skip("git is not installed")
    if proc.returncode != 0:
        import pytest

        pytest.skip("not a git checkout: " + proc.stderr.strip())
    tracked = proc.stdout.splitlines()
    bad = [f for f in tracked if re.search(r"(^|/)(katex(\.min)?\.(css|js)|KaTeX_[^/]*\.(woff2?|ttf))$", f)
           or f.startswith(("site/", "node_modules/"))]
    assert not bad, bad


def test_every_link_to_an_equation_anchor_resolves(built_site):
    # the API pages' docstring pointers, the equation index, the worked examples: all of them
    import posixpath

    ids = {}
    for page in site_pages(built_site):
        ids[page.relative_to(built_site).as_posix()] = set(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))
    checked, broken = 0, []
    for page in site_pages(built_site):
        rel = page.relative_to(built_site).as_posix()
        for href in re.findall(r'href="([^"#]*)#(eq-[^"]+)"', page.read_text(encoding="utf-8")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), href[0])) if href[0] else rel
            checked += 1
            if href[1] not in ids.get(target, ()):
                broken.append("%s -> %s#%s" % (rel, target, href[1]))
    assert checked > 100, checked
    assert not broken, broken[:20]
    # and the API pages link the site, not leave docs/PAGE.md# as text
    api = (built_site / "api" / "network.html").read_text(encoding="utf-8")
    assert 'href="../losses.html#eq-loss-mean"' in api


def test_the_plotted_training_loss_ends_at_the_printed_one(built_site):
    """issue 20: one training loss: the curve's last train value (the training set after the
    last epoch) is the loss printed beside it, on the training and the digits page."""
    import re

    for name in ("training.html", "digits.html"):
        text = (built_site / name).read_text(encoding="utf-8")
        printed = re.search(r"train\s+loss ([0-9.]+)", text)
        plotted = re.search(r">train \(last ([0-9.]+)\)<", text)
        assert printed and plotted, name
        assert abs(float(printed.group(1)) - float(plotted.group(1))) <= 0.0005 + 1e-9, (name, printed.group(0), plotted.group(0))


def test_every_learn_page_with_examples_links_its_notebook(built_site):
    """docs/hooks/notebooks.py: notebooks/PAGE.ipynb beside the site, the repository's own
    notebook byte for byte, linked under the page's title (at the end of the home page, which
    opens with its drawing), holding the setup cell and then the page's examples."""
    import json
    from runnable_helpers import pages_with_blocks

    learn = re.search(r"^  - Learn:\n(.*?)^  - ", (REPO / "mkdocs.yml").read_text(encoding="utf-8"), re.S | re.M)
    names = set(re.findall(r"([\w-]+\.md)", learn.group(1)))
    pages = [(name, blocks) for name, blocks in pages_with_blocks() if name in names]
    assert len(pages) >= 12
    for name, blocks in pages:
        stem = name[:-3]
        nb_path = built_site / "notebooks" / (stem + ".ipynb")
        assert nb_path.is_file(), "no notebook for %s" % name
        assert nb_path.read_bytes() == (REPO / "notebooks" / (stem + ".ipynb")).read_bytes()
        html_text = (built_site / (stem + ".html")).read_text(encoding="utf-8")
        assert '<a href="notebooks/%s.ipynb" download>' % stem in html_text, "%s: no download link" % name
        assert "<!-- notebook:" not in html_text, "%s: a notebook's own cell is on the page" % name
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert "import tinybackprop.show" in "".join(code[0]["source"]) and "pip" in "".join(code[0]["source"])
        examples = ["".join(c["source"]) for c in code if "example" in c["metadata"].get("tags", [])]
        assert examples == [b.rstrip("\n") for b in blocks]
        prose = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        assert "<!--" not in prose and "\\label{" not in prose, name
    assert not (built_site / "notebooks" / "api.ipynb").exists()   # the Reference pages have none
