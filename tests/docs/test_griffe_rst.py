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



def test_site_pointers_become_links_to_the_built_page():
    text = _convert()("On the site at docs/losses.md#eq-loss-mean and docs/forward.md.")
    assert "[the losses page, equation loss-mean](../losses.md#eq-loss-mean)" in text
    assert "[the forward page](../forward.md)" in text
    assert "docs/" not in text.replace("](../", "")


def test_the_documents_notation_becomes_math_but_code_stays_code():
    text = _convert()("W^[l]_ij joins a^[l-1]_i to z^[l]_j; see ``g^[lz] = g'(z^[l]) o g^[la]`` and\n"
                   "``a^[0] = [[x1, x2]]`` and ``net.W[l][i][j]``.")
    assert "$W^{[l]}_{ij}$ joins $a^{[l-1]}_{i}$ to $z^{[l]}_{j}$" in text
    assert "$g^{[lz]} = g'(z^{[l]}) \\circ g^{[la]}$" in text
    assert "``a^[0] = [[x1, x2]]``" in text  # a Python literal: left as code
    assert "`net.W[l][i][j]`" in text


def test_an_indented_formula_is_display_math():
    text = _convert()("The rule:\n\n    W^[k]_{s+1} = W^[k]_s - alpha dL/dW^[k]_s      (and the same for b^[k])\n\nafter.")
    assert "$$\nW^{[k]}_{s+1} = W^{[k]}_{s} - \\alpha \\partial \\mathcal{L} / \\partial W^{[k]}_{s}" in text
    assert "\\text{(and the same for $b^{[k]}$)}" in text
    # an indented Python line stays a code block
    assert "    x = [1, 2]" in _convert()("Code:\n\n    x = [1, 2]\n")
