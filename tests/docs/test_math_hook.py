"""The docs build machinery on small throw-away sites: math, equation anchors, equation code, snippets.

Each test builds a tiny project that inherits the real mkdocs.yml and uses the real
hook (docs/hooks/katex_math.py), so what passes here is what content authors get.
"""

import html
import json
import re
import textwrap
from html.parser import HTMLParser

import pytest

from docs_helpers import make_project, require_docs_tools, run_mkdocs_build

MODULE = '''\
"""A module for the docs tests."""


def double(x):
    """Return twice ``x``; see :mod:`pkg.mod`.

    ==========  ===================
    ``x``       a number, e.g. W[0][1]
    ==========  ===================

    >>> double(2.0)
    4.0
    >>> [double(v) for v in [[1]][0]]
    [2]

    Args:
        x: a number.
    """
    s = x  # [eq:ex.double] (and the next line)
    y = s + x  # [eq:ex.double]
    return y


def half(x):
    """Return half of ``x``."""
    t = 0.0
    for _ in range(1):
        t += x / 2  # [eq:ex.half]
    return t
'''

# pymdownx.snippets (the slips page's excerpts of tests/core/test_slips.py) still works
SNIPPET_MODULE = '''\
def triple(x):
    # --8<-- [start:ex-triple]
    return 3 * x
    # --8<-- [end:ex-triple]
'''

GOOD_A = r'''# A

## Doubling $2x$

Inline $x^2$ and \(y_1\).

$$
d(x) = 2\,x
\label{eq:ex.double}
$$

<!-- code: pkg/mod.py eq:ex.double -->

<!-- code: pkg/mod.py eq:ex.half -->

```python
--8<-- "pkg/snip.py:ex-triple"
```

Implemented by [`double`][pkg.mod.double].
'''

GOOD_B = '''# B

See [the doubling equation](a.md#eq-ex-double).

::: pkg.mod
'''


class _Collect(HTMLParser):
    """Elements by id, and the text inside <pre><code> blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = {}
        self.hrefs = []
        self.code_blocks = []
        self._in_pre = 0
        self._buf = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] = (tag, attrs)
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag == "pre":
            self._in_pre += 1
            self._buf = []

    def handle_endtag(self, tag):
        if tag == "pre" and self._in_pre:
            self._in_pre -= 1
            self.code_blocks.append("".join(self._buf))
            self._buf = None

    def handle_data(self, data):
        if self._in_pre and self._buf is not None:
            self._buf.append(data)


def _parse(path):
    p = _Collect()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _lines(source, first, last):
    """Source lines from the one that starts with ``first`` to the one that starts with
    ``last`` (stripped), dedented: what the page must show, found here independently."""
    lines = source.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip().startswith(first))
    end = next(i for i, l in enumerate(lines) if i >= start and l.strip().startswith(last))
    return textwrap.dedent("\n".join(lines[start:end + 1]))


@pytest.fixture(autouse=True)
def _tools():
    require_docs_tools()


def test_math_anchor_snippet_and_api_link(tmp_path):
    config = make_project(tmp_path, {"a.md": GOOD_A, "b.md": GOOD_B},
                          {"pkg/__init__.py": "", "pkg/mod.py": MODULE, "pkg/snip.py": SNIPPET_MODULE})
    proc = run_mkdocs_build(config, tmp_path / "site", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    a_html = (tmp_path / "site" / "a.html").read_text(encoding="utf-8")
    a = _parse(tmp_path / "site" / "a.html")
    # The four formulas written above, all rendered, none left for the browser...
    article = a_html[a_html.index("<article"): a_html.index("</article>")]
    assert len(re.findall(r'class="katex"', article)) == 4
    assert len(re.findall(r'class="katex-display"', article)) == 1
    assert "arithmatex" not in a_html
    # ... not even in the table of contents (the heading's formula is rendered there too).
    assert "\\(" not in a_html and "\\)" not in a_html and "$" not in article
    assert "\\label" not in a_html
    # The labelled equation: id = "eq-" + ID with dots as dashes, ID kept in data-eq.
    tag, attrs = a.ids["eq-ex-double"]
    assert tag == "div" and attrs.get("data-eq") == "ex.double"
    assert "#eq-ex-double" in a.hrefs
    # The equation's code is the source's own lines, pulled by its tag, not a pasted copy:
    # both tagged lines of ex.double; the loop of the accumulation ex.half with its start value.
    shown = [html.unescape(b).strip() for b in a.code_blocks]
    assert _lines(MODULE, "s = x", "y = s + x") in shown
    assert _lines(MODULE, "t = 0.0", "t += x / 2") in shown
    assert "return y" not in "\n".join(shown)
    assert "<!-- code:" not in a_html
    # A snippet section (the slips page's way) still comes in.
    assert "return 3 * x" in shown
    assert "--8<--" not in a_html
    # The API entry exists (mkdocstrings) and the autoref points at it.
    b = _parse(tmp_path / "site" / "b.html")
    assert "pkg.mod.double" in b.ids
    assert "b.html#pkg.mod.double" in a.hrefs
    assert "a.html#eq-ex-double" in b.hrefs
    # The map of labelled equations the hook writes for tools.
    with open(tmp_path / "site" / "assets" / "equations.json", encoding="utf-8") as f:
        assert json.load(f) == {"ex.double": [{"src": "a.md", "url": "a.html#eq-ex-double"}]}
    # KaTeX's stylesheet and every font it refers to are in the site.
    css = (tmp_path / "site" / "assets" / "katex" / "katex.min.css").read_text(encoding="utf-8")
    fonts = set(re.findall(r"url\((fonts/[^)]+)\)", css))
    assert fonts
    for font in fonts:
        assert (tmp_path / "site" / "assets" / "katex" / font).is_file(), font


def test_math_errors_fail_the_build_and_name_page_and_formula(tmp_path):
    pages = {
        "parse.md": "# P\n\nBroken: $\\frac{1}{$ here.\n",
        "twice.md": "# T\n\n$$\nx\n\\label{eq:ex.one}\n$$\n\n$$\ny\n\\label{eq:ex.one}\n$$\n",
        "inline.md": "# I\n\nInline $x \\label{eq:ex.two}$ here.\n",
        "badlabel.md": "# B\n\n$$\nz\n\\label{ex.three}\n$$\n",
        "leftover.md": "# L\n\nThis costs $$ 5, unclosed.\n",
    }
    config = make_project(tmp_path, pages)
    proc = run_mkdocs_build(config, tmp_path / "site", cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert re.search(r"parse\.md: KaTeX cannot render inline formula `\\frac\{1\}\{`", out), out
    assert "twice.md: equation id eq:ex.one is used twice" in out, out
    assert "inline.md: " in out and "only allowed in display math" in out, out
    assert "badlabel.md: bad label {ex.three}" in out, out
    assert "leftover.md: math delimiter '$$' left in the text" in out, out


def test_missing_snippet_section_fails_the_build(tmp_path):
    page = '# S\n\n```python\n--8<-- "pkg/snip.py:no-such-section"\n```\n'
    config = make_project(tmp_path, {"s.md": page}, {"pkg/snip.py": SNIPPET_MODULE})
    proc = run_mkdocs_build(config, tmp_path / "site", cwd=tmp_path)
    assert proc.returncode != 0
    assert "no-such-section" in proc.stdout + proc.stderr


@pytest.mark.parametrize("directive, message", [
    ("<!-- code: pkg/mod.py eq:ex.nope -->", "pkg/mod.py carries no # [eq:ex.nope]"),
    ("<!-- code: pkg/nope.py eq:ex.double -->", "no file pkg/nope.py"),
    ('<!-- code: pkg/mod.py eq:ex.double matching "z * z" -->', 'contains "z * z"'),
    ("<!-- code: pkg/mod.py ex.double -->", "malformed code directive"),
])
def test_missing_equation_code_fails_the_build(tmp_path, directive, message):
    page = "# S\n\nText.\n\n%s\n" % directive
    config = make_project(tmp_path, {"s.md": page}, {"pkg/mod.py": MODULE})
    proc = run_mkdocs_build(config, tmp_path / "site", cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "s.md:5" in out and message in out, out[-2000:]


def test_a_directive_inside_a_code_block_is_shown_as_written(tmp_path):
    page = "# S\n\n```markdown\n<!-- code: pkg/mod.py eq:ex.nope -->\n```\n"
    config = make_project(tmp_path, {"s.md": page}, {"pkg/mod.py": MODULE})
    proc = run_mkdocs_build(config, tmp_path / "site", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "&lt;!-- code: pkg/mod.py eq:ex.nope --&gt;" in (tmp_path / "site" / "s.html").read_text(encoding="utf-8")


def test_link_to_a_missing_equation_anchor_fails_the_build(tmp_path):
    pages = {"a.md": GOOD_A.replace("Implemented by [`double`][pkg.mod.double].", ""),
             "b.md": "# B\n\nSee [nothing](a.md#eq-ex-nope).\n"}
    config = make_project(tmp_path, pages, {"pkg/mod.py": MODULE, "pkg/snip.py": SNIPPET_MODULE})
    proc = run_mkdocs_build(config, tmp_path / "site", cwd=tmp_path)
    assert proc.returncode != 0
    assert "eq-ex-nope" in proc.stdout + proc.stderr


def test_hook_anchors_agree_with_the_core(tmp_path):
    # The hook (docs side) and tinybackprop.show.equations.anchor (code side) must name every
    # equation's anchor the same way; checked here for every ID in the table.
    import importlib.util

    from docs_helpers import HOOK
    from tinybackprop.show.equations import EQUATIONS, anchor

    spec = importlib.util.spec_from_file_location("katex_math_hook", str(HOOK))
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    assert EQUATIONS
    for eq_id in EQUATIONS:
        assert hook.anchor_for(eq_id) == anchor(eq_id), eq_id
        assert hook.LABEL_OK_RE.match("eq:" + eq_id), eq_id  # every ID can be written as a label
