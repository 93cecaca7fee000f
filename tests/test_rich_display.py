"""Rich display in Jupyter: what IPython shows for the package's objects (the _repr_*_
methods it calls), checked here without IPython: each returns a complete document of its
kind (SVG that parses, HTML that parses, Markdown with the math), and the plain repr stays
one short line for a terminal.  ``import tinybackprop.show`` turns the display on (the
lesson's classes know nothing of pictures); a process that never imports it shows plain reprs."""
import subprocess
import sys
import xml.etree.ElementTree as ET

import tinybackprop as tb
import tinybackprop.show

SVG = "{http://www.w3.org/2000/svg}svg"


def test_history_shows_its_loss_curve():
    net = tb.Network([2, 3, 1], hidden="tanh", seed=0)
    X, Y = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [[0.0], [1.0], [1.0], [0.0]]
    h = tb.train(net, X, Y, epochs=12, lr=1.0, batch_size=4, X_val=X, Y_val=Y)
    svg = h._repr_svg_()
    root = ET.fromstring(svg)
    assert root.tag == SVG
    assert svg.count("<polyline") == 2          # training and test loss
    assert "12 epochs" in svg
    assert repr(h) == "History(epochs=12, loss=%r)" % h.loss[-1]
    empty = tb.History(classification=True, validation=False)
    assert empty._repr_svg_() is None            # nothing to draw: Jupyter falls back to repr


def test_network_shows_its_drawing_and_prints_one_line():
    net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
    svg = net._repr_svg_()
    root = ET.fromstring(svg)
    assert root.tag == SVG
    assert svg.count('class="node"') == 10 and svg.count('class="edge"') == 4 * 3 + 3 * 2 + 2 * 1
    assert repr(net) == "Network([4, 3, 2, 1], hidden='sigmoid', output='sigmoid', loss='bce')"
    assert "\n" not in repr(net)
    big = tb.Network([64, 32, 10], output="softmax", loss="cross_entropy")
    assert big._repr_svg_() is None              # too big to draw: Jupyter shows the repr


def test_gradients_show_as_tables_of_every_layer():
    from html.parser import HTMLParser
    from tinybackprop import vectorized
    net = tb.Network([3, 2, 1], seed=0)
    g = vectorized.backward(net, [[0.1, 0.2, 0.3], [0.5, -0.5, 1.0]], [[1.0], [0.0]])
    html = g._repr_html_()
    cells = []

    class Cells(HTMLParser):
        inside = False

        def handle_starttag(self, tag, attrs):
            if tag == "td":
                cells.append("")
                self.inside = True

        def handle_endtag(self, tag):
            if tag == "td":
                self.inside = False

        def handle_data(self, data):
            if self.inside:
                cells[-1] += data

    Cells().feed(html)
    numbers = [float(c) for c in cells]
    expected = [v for l in (1, 2) for M in (g.W[l], g.b[l]) for row in M for v in row] + [v for row in g.x for v in row]
    assert len(numbers) == len(expected)
    assert all(abs(a - b) <= 1e-4 * max(1.0, abs(b)) for a, b in zip(numbers, expected))
    assert html.count("<table") == 5                     # W and b of 2 layers, and dL/dX
    assert ("%.4g" % g.loss) in html
    assert repr(g).startswith("Gradients(loss=") and "\n" not in repr(g)


def test_gradients_of_a_wide_layer_show_a_corner():
    from tinybackprop import vectorized
    net = tb.Network([30, 20, 1], seed=0)
    g = vectorized.backward(net, [[0.1] * 30], [[1.0]])
    html = g._repr_html_()
    assert "30x20" in html and "first 12 rows and columns" in html
    assert html.count("<tr>") < 80


def test_explain_is_text_that_jupyter_shows_as_markdown():
    from tinybackprop.show.explain import explain
    net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=5)
    x, y = [0.1, 0.2, 0.3, 0.4], [1.0]
    e = explain(net, x, y)
    assert isinstance(e, str) and e.startswith("explain: the network 4-3-2-1")
    md = explain(net, x, y, fmt="markdown")
    net.W[1] = [[0.0] * 3] * 4                            # changed after: the Markdown is of the net explained
    assert e._repr_markdown_() == md
    assert "$\\displaystyle" in md and "seed 5" in md
    assert md._repr_markdown_() == md
    assert repr(e).startswith("Explanation(") and "\n" not in repr(e) and len(repr(e)) < 200


def test_without_importing_show_the_lesson_has_no_rich_display():
    """The lesson imports no tool: until tinybackprop.show is imported (as a board never does),
    a Network, Gradients and History have no _repr_svg_ or _repr_html_, so Jupyter shows their
    plain repr; importing it gives them the pictures."""
    code = ("import sys, tinybackprop as tb\n"
            "net = tb.Network([2, 1], seed=0)\n"
            "g = tb.vectorized.backward(net, [[1.0, 2.0]], [[1.0]])\n"
            "print(hasattr(net, '_repr_svg_'), hasattr(g, '_repr_html_'), hasattr(tb.History(True, False), '_repr_svg_'),"
            " [m for m in sys.modules if m.startswith('tinybackprop.show')])\n"
            "import tinybackprop.show\n"
            "print(net._repr_svg_().startswith('<svg'), '<table' in g._repr_html_())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["False False False []", "True True"]


def _names(svg_text):
    root = ET.fromstring(svg_text)
    return [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "name"]


def test_a_model_trained_on_named_features_and_classes_is_drawn_with_those_names(tmp_path):
    """From a CSV file's header and labels to the drawing: in Jupyter (show.jupyter.drawing
    of the model file, or of Network.read's net and data) and in `tinybackprop draw --model`
    the inputs carry the feature names, in the header's order, and the outputs the class
    names; a regression's output carries its target's name."""
    import io
    from tinybackprop import cli
    from tinybackprop.show.jupyter import Drawing, drawing

    header = ["petal width (cm)", "stem length (mm)", "kind"]
    with open(tmp_path / "plants.csv", "w") as f:
        f.write(",".join(header) + "\n")
        for i in range(60):
            f.write("%g,%g,%s\n" % (0.1 * (i % 13), 3.0 * (i % 7), ["fern", "moss", "reed"][i % 3]))
    with open(tmp_path / "prices.csv", "w") as f:
        f.write("area (m2),price\n" + "".join("%d,%d\n" % (30 + i, 1000 * (30 + i) + 7 * i) for i in range(40)))
    for name in ("plants", "prices"):
        err = io.StringIO()
        code = cli.main(["train", "--data", str(tmp_path / (name + ".csv")), "--epochs", "2", "--quiet",
                         "--save", str(tmp_path / (name + ".json"))], out=io.StringIO(), err=err)
        assert code == 0, err.getvalue()
    model = str(tmp_path / "plants.json")
    want = header[:2] + ["fern", "moss", "reed"]
    shown = drawing(model)
    assert isinstance(shown, Drawing) and shown._repr_svg_() is shown
    assert _names(shown) == want
    net, data = tb.Network.read(model)
    assert _names(drawing(net, data)) == want
    assert _names(net._repr_svg_()) == []                     # the network alone has no names to show
    out = tmp_path / "plants.svg"
    assert cli.main(["draw", "--model", model, "--out", str(out)], out=io.StringIO(), err=io.StringIO()) == 0
    assert _names(out.read_text()) == want
    assert _names(drawing(str(tmp_path / "prices.json"))) == ["area (m2)", "price"]


def test_jupyter_titles_name_only_what_the_network_has():
    assert "hidden" not in tb.Network([3, 1])._repr_svg_().split("<title>")[1].split("</title>")[0]
    assert "hidden tanh" in tb.Network([3, 2, 1], hidden="tanh")._repr_svg_()
