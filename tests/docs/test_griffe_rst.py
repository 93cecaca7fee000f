"""docs/hooks/griffe_rst.py: RST-flavoured docstrings shown as Markdown."""

import importlib.util

from docs_helpers import REPO, missing

DOC = '''Summary with :mod:`pkg.mod` and J[k][j] but not ``W[i][j]``.

==========  ==========
name        meaning
==========  ==========
``f(x)``    first line
            continued
``g``       G[i][k] here
==========  ==========

>>> f(1)
[[2]]

```python
keep J[a][b] as written
```
'''


def _convert():
    try:
        import griffe  # noqa: F401
    except ImportError:
        missing("griffe not installed (pip install -e '.[docs]')")
    spec = importlib.util.spec_from_file_location("griffe_rst", str(REPO / "docs" / "hooks" / "griffe_rst.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.convert


def test_roles_and_indexed_words_become_code_spans():
    first = _convert()(DOC).splitlines()[0]
    assert first == "Summary with `pkg.mod` and `J[k][j]` but not ``W[i][j]``."


def test_table_with_header_becomes_a_markdown_table():
    out = _convert()(DOC)
    assert "| name | meaning |" in out
    assert "| ``f(x)`` | first line continued |" in out
    assert "| ``g`` | `G[i][k]` here |" in out
    assert "====" not in out


def test_headerless_table_becomes_a_list():
    out = _convert()("Intro.\n\n======  =====\n``a``   one\n``b``   two\n======  =====\n")
    assert "- ``a``: one" in out.splitlines()
    assert "- ``b``: two" in out.splitlines()


def test_doctest_is_fenced_and_fenced_code_is_left_alone():
    out = _convert()(DOC).splitlines()
    i = out.index("```pycon")
    assert out[i + 1: i + 4] == [">>> f(1)", "[[2]]", "```"]
    assert "keep J[a][b] as written" in out

