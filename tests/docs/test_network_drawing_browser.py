"""The network drawing fits its canvas, measured in headless Chromium: over a range of
network shapes (one layer to ten, one neuron to sixteen a layer), with the title Jupyter
gives it, with gradients and their long legend, with edge labels, and with the names of a
model's features and classes (long ones too), every <text> of the SVG lies inside the
picture's width and height, as the browser lays it out (getBBox).  Before the layout
measured its texts, Network([2, 4, 1])'s title in Jupyter ran from -21 to 501 px of a
480 px canvas.  A sheet of them goes to site-screenshots/network-drawings.png."""
import pathlib

import pytest

import tinybackprop as tb
from tinybackprop import vectorized
from tinybackprop.show import jupyter, svg

SHAPES = [[1, 1, 1], [2, 2, 1], [3, 1], [2, 4, 1], [4, 8, 3], [2, 16, 16, 3], [4, 3, 2, 1], [1, 1], [16, 1],
          [1, 16], [2] * 10 + [1], [5, 1, 5], [64, 10], [3, 12, 2]]
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "site-screenshots"


def pictures():
    out = []
    for sizes in SHAPES:
        many = sizes[-1] > 1
        net = tb.Network(sizes, hidden="tanh", output="softmax" if many else "sigmoid",
                         loss="cross_entropy" if many else "bce", seed=1)
        drawn = jupyter.network_svg(net)            # what Jupyter shows for the network
        if drawn is not None:
            out.append(("jupyter %s" % sizes, drawn))
        weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
        if weights <= 300:
            x, y = [0.1 * (i + 1) for i in range(sizes[0])], [1.0] + [0.0] * (sizes[-1] - 1)
            g = vectorized.backward(net, [x], [y])
            out.append(("gradients %s" % sizes, svg.network(net, g, title="network %s: gradients for one example "
                                                           "(loss %.4g)" % ("-".join(map(str, sizes)), g.loss))))
        if weights <= 120:
            out.append(("weights %s" % sizes, svg.network(net, labels="weights")))
        features = ["input %d, a feature with a long name (units)" % (i + 1) for i in range(sizes[0])]
        classes = ["class %d of the data" % k for k in range(max(2, sizes[-1]))]
        out.append(("names %s" % sizes, svg.network(net, features=features, classes=classes, title="named")))
    regression = tb.Network([2, 3, 1], output="identity", loss="squared_error", seed=0)
    out.append(("regression", svg.network(regression, features=["area (m2)", "rooms"], target="price in euros")))
    return out


OUTSIDE = """() => {
    const s = document.querySelector('svg');
    const W = +s.getAttribute('width'), H = +s.getAttribute('height');
    const out = [];
    for (const t of s.querySelectorAll('text')) {
        const b = t.getBBox();
        if (b.x < 0 || b.y < 0 || b.x + b.width > W || b.y + b.height > H)
            out.push([t.textContent, Math.round(b.x), Math.round(b.x + b.width), Math.round(b.y),
                      Math.round(b.y + b.height), W, H]);
    }
    return [out, s.querySelectorAll('text').length];
}"""


def test_every_text_of_the_network_drawing_is_inside_its_canvas(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    try:
        drawn = pictures()
        assert len(drawn) >= 40
        problems, texts = [], 0
        for name, text in drawn:
            page.set_content("<!doctype html><html><body style='margin:0'>%s</body></html>" % text)
            outside, count = page.evaluate(OUTSIDE)
            texts += count
            problems += [(name, o) for o in outside]
        assert not problems, problems[:10]
        assert texts > 1000
        SCREENSHOTS.mkdir(exist_ok=True)
        page.set_content("<!doctype html><html><body style='margin:0;background:#ccc'>%s</body></html>"
                         % " ".join(t for n, t in drawn if n.startswith(("jupyter [2, 4, 1]", "names [4, 8, 3]",
                                                                          "jupyter [3, 1]", "regression"))))
        page.screenshot(path=str(SCREENSHOTS / "network-drawings.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("sizes", [[2, 4, 1], [1, 1, 1], [3, 1]])
def test_the_title_jupyter_gives_is_no_wider_than_the_canvas_by_the_widths_table(sizes):
    """The same check without a browser, by the table of character widths the layout uses."""
    text = jupyter.network_svg(tb.Network(sizes, seed=0))
    width = float(text.split('width="', 1)[1].split('"', 1)[0])
    titles = [line.split(">", 1)[1].split("<", 1)[0] for line in text.splitlines() if 'class="title"' in line]
    assert titles and all(svg.text_width(t, 17, bold=True) <= width - 2 * svg.PAD for t in titles)
