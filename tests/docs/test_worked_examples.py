"""The worked examples are generated during the build (docs/hooks/cli_output.py).

The numbers on the built page are compared with what the two backward paths compute
here, formatted independently; a failing command must fail the build.
"""
import json
import re


from docs_helpers import HOOK, REPO, built_site, make_project, require_docs_tools, run_mkdocs_build  # noqa: F401

import tinybackprop as tb
from tinybackprop import per_neuron, vectorized

CLI_HOOK = REPO / "docs" / "hooks" / "cli_output.py"


def _page(site, name):
    return (site / name).read_text(encoding="utf-8")


def _markers(name):
    text = (REPO / "docs" / name).read_text(encoding="utf-8")
    return re.findall(r"^<!--\s*tinybackprop\s+(.*?)\s*-->\s*$", text, re.M)


def test_every_command_was_replaced_by_its_output(built_site):
    for name in ("worked-examples", "gradient-checking", "training"):
        html = _page(built_site, name + ".html")
        assert "<!-- tinybackprop" not in html and "&lt;!-- tinybackprop" not in html, name
        assert html.count("Generated during the build by") == len(_markers(name + ".md")) > 0, name


def _digits(v):
    """|v| with 4 decimals, written here (not by explain): for 0.1 <= |v| < 1 that is 4 significant digits."""
    return "%.4f" % abs(v)


def test_the_documents_network_numbers_are_those_of_both_paths(built_site):
    html = _page(built_site, "worked-examples.html")
    assert "tinybackprop explain --layers 4,3,2,1 --seed 0 --x 0.1,0.2,0.3,0.4 --y 1" in _markers_text()
    net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
    X, Y = [[0.1, 0.2, 0.3, 0.4]], [[1.0]]
    g1, g2 = per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)
    shown = 0
    for l in (1, 2, 3):
        for A, B in ((g1.W[l], g2.W[l]), (g1.b[l], g2.b[l]), (g1.g_z[l], g2.g_z[l]), (g1.g_a[l], g2.g_a[l])):
            for ra, rb in zip(A, B):
                for u, v in zip(ra, rb):
                    assert _digits(u) == _digits(v)
                    if 0.1 <= abs(u) < 1.0:
                        assert _digits(u) in html, (l, u)
                        shown += 1
    assert shown >= 5


def _markers_text():
    return "\n".join("tinybackprop " + m for m in _markers("worked-examples.md"))


def test_equation_ids_in_the_examples_link_to_their_anchors(built_site):
    html = _page(built_site, "worked-examples.html")
    links = set(re.findall(r'href="([a-z-]+\.html)#(eq-[A-Za-z0-9_-]+)"', html))
    assert len(links) >= 10
    for page, anchor in links:
        assert 'id="%s"' % anchor in _page(built_site, page), (page, anchor)
    equations = json.loads((built_site / "assets" / "equations.json").read_text(encoding="utf-8")) \
        if (built_site / "assets" / "equations.json").is_file() else None
    if equations is not None:
        assert "bwd.gW" in equations


def _project_with_hook(tmp_path, page):
    require_docs_tools()
    config = make_project(tmp_path, {"index.md": page})
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"^hooks: .*$", "hooks: [%s, %s]" % (json.dumps(str(CLI_HOOK)), json.dumps(str(HOOK))), text,
                  flags=re.M)
    config.write_text(text, encoding="utf-8")
    return config


def test_a_failing_command_fails_the_build(tmp_path):
    config = _project_with_hook(tmp_path, "# Bad\n\n<!-- tinybackprop explain --layers 3,1 --x 1,2 --y 1 -->\n")
    proc = run_mkdocs_build(config, tmp_path / "site", cwd=tmp_path)
    assert proc.returncode != 0
    assert "tinybackprop explain --layers 3,1 --x 1,2 --y 1" in proc.stdout + proc.stderr


def test_a_good_command_renders_math(tmp_path):
    config = _project_with_hook(tmp_path, "# Good\n\n<!-- tinybackprop explain --layers 2,1 --seed 3 -->\n")
    proc = run_mkdocs_build(config, tmp_path / "site", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'class="katex"' in html and "arithmatex" not in html
    assert "bwd.gW" in html


def test_network_drawings_are_inline_and_show_the_gradients_of_both_paths(built_site):
    """`<!-- tinybackprop draw ... -->` becomes an inline SVG (nothing to go missing offline);
    on the backward page its edge labels are dL/dW of the example, as both paths compute it."""
    assert "<!-- tinybackprop" not in _page(built_site, "notation.html")
    html = _page(built_site, "backward-neuron.html")
    assert '<figure class="tb-drawing">' in html and "<svg" in html
    net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
    X, Y = [[0.1, 0.2, 0.3, 0.4]], [[1.0]]
    g1, g2 = per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)
    for l in (2, 3):
        for ra, rb in zip(g1.W[l], g2.W[l]):
            for u, v in zip(ra, rb):
                label = ("%.3g" % u).replace("-", "\u2212")  # 3 significant digits, a true minus sign
                assert label == ("%.3g" % v).replace("-", "\u2212")
                assert ">%s<" % label in html, (l, u)
