"""Shared helpers and the built_site fixture for the documentation-site tests.

Not a conftest.py: tests/conftest.py is imported by name (`from conftest import ...`)
by the core tests, and a second module named conftest could shadow it.

These tests need the ``docs`` extra (MkDocs), Node.js with ``npm ci`` done at the
repository root (KaTeX), and for the browser test the ``docs-browser`` extra
(Playwright) plus Debian's ``chromium``. Anything missing is a visible skip, or a
failure when ``REQUIRE_BROWSER=1`` is set (as CI's README command in .ci/run does).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOOK = REPO / "docs" / "hooks" / "katex_math.py"
CODE_HOOK = REPO / "docs" / "hooks" / "eq_code.py"


def missing(reason):
    """Skip (visibly) or, under REQUIRE_BROWSER=1, fail: a missing tool is never a pass."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("REQUIRE_BROWSER=1 but " + reason, pytrace=False)
    pytest.skip(reason)


#: The Chromium the browser tests drive (Debian's; CHROMIUM=... for another one).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def require_browser():
    """Playwright and an executable Chromium, or a visible skip (a failure under REQUIRE_BROWSER=1)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("playwright not installed (pip install -e '.[docs-browser]')")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing("%s not found (apt-get install chromium)" % CHROMIUM)


#: Chromium's flags for every browser test: headless, offline, nothing of Google's services.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
    "--metrics-recording-only", "--disable-domain-reliability",
]


def launch_chromium():
    """One headless Chromium, as a generator for a fixture: tests/conftest.py's session fixture
    `chromium` (a fixture imported into several test modules would be one per module). Each test
    opens contexts of its own in it (browser.new_context(): a fresh profile each)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


def require_docs_tools():
    try:
        import mkdocs  # noqa: F401
        import material  # noqa: F401
        import mkdocstrings  # noqa: F401
        import pymdownx  # noqa: F401
    except ImportError as exc:
        missing("docs tools not installed (pip install -e '.[docs]'): %s" % exc)
    if shutil.which("node") is None:
        missing("node is not on PATH (needed to render math with KaTeX)")
    if not (REPO / "node_modules" / "katex" / "dist" / "katex.min.css").is_file():
        missing("KaTeX not installed: run `npm ci` at the repository root")


def run_mkdocs_build(config_file, site_dir, cwd=None):
    """`mkdocs build --strict`; returns the CompletedProcess (never raises on failure)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(site_dir)],
        cwd=str(cwd or REPO),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def make_project(tmp_path, pages, files=None, nav=None):
    """A throw-away MkDocs project that inherits the real mkdocs.yml and uses the real hook.

    ``pages``: {"name.md": text}; ``files``: other files {relative path: text}, e.g. a
    Python module to take an equation's code or a snippet from (paths are relative to the
    project, which is also the snippets base path and the mkdocstrings search path).
    Returns its mkdocs.yml.
    """
    import json

    docs = tmp_path / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "docs" / "assets", docs / "assets")
    shutil.copytree(REPO / "docs" / "hooks", docs / "hooks")  # griffe_rst.py, found relative to mkdocs.yml
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    for rel, text in (files or {}).items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    lines = [
        "INHERIT: " + json.dumps(str(REPO / "mkdocs.yml")),
        "docs_dir: docs",
        "site_dir: site",
        "hooks: [" + json.dumps(str(CODE_HOOK)) + ", " + json.dumps(str(HOOK)) + "]",
    ]
    # Always a nav of its own: the real one names pages this project does not have.
    lines.append("nav: " + json.dumps(nav if nav is not None else sorted(pages)))
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config_file


_BUILT = {}  # each test module that imports built_site gets its own fixture: build once for all


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real site, built once per session with --strict into a temporary folder."""
    require_docs_tools()
    if "site" in _BUILT and _BUILT["site"].is_dir():
        return _BUILT["site"]
    site = tmp_path_factory.mktemp("site")
    proc = run_mkdocs_build(REPO / "mkdocs.yml", site)
    if proc.returncode != 0:
        pytest.fail("mkdocs build --strict failed:\n" + proc.stdout[-4000:] + proc.stderr[-4000:], pytrace=False)
    _BUILT["site"] = site
    return site


def site_pages(site):
    """Every HTML page of a built site except the 404 page."""
    return sorted(p for p in Path(site).rglob("*.html") if p.name != "404.html")
