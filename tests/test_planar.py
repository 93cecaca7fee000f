"""2-D data sets (planar.py) and decision-region drawings (boundary.py)."""
import math
import xml.etree.ElementTree as ET

import pytest

import tinybackprop as tb
from tinybackprop.show import boundary
from tinybackprop.datasets import planar

NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("name", planar.DATASETS)
def test_data_sets_are_seeded_balanced_and_noisy_as_asked(name):
    X, labels = planar.make_points(name, samples=301, seed=4)
    k = planar.CLASSES[name]
    assert len(X) == 301 and all(len(r) == 2 for r in X)
    counts = [labels.count(c) for c in range(k)]
    assert max(counts) - min(counts) <= 1
    assert planar.make_points(name, samples=301, seed=4) == (X, labels)
    assert planar.make_points(name, samples=301, seed=5)[0] != X
    clean, _ = planar.make_points(name, samples=301, noise=0.0, seed=4)
    noisy, _ = planar.make_points(name, samples=301, noise=0.2, seed=4)
    d = [(a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 for a, b in zip(clean, noisy)]
    # each coordinate gets N(0, 0.2^2): the mean squared displacement is 2 * 0.04
    assert abs(sum(d) / len(d) - 0.08) < 0.02


def test_shapes_without_noise():
    X, labels = planar.make_points("circles", samples=40, noise=0.0)
    radii = [math.hypot(*r) for r in X]
    assert all(abs(rad - (1.0 if lab == 0 else 0.5)) < 1e-12 for rad, lab in zip(radii, labels))
    X, labels = planar.make_points("moons", samples=40, noise=0.0)
    for (x1, x2), lab in zip(X, labels):  # the upper moon: a half circle of radius 1 around (-0.5, -0.25)
        cx, cy = (-0.5, -0.25) if lab == 0 else (0.5, 0.25)
        assert abs(math.hypot(x1 - cx, x2 - cy) - 1.0) < 1e-12
        assert (x2 >= cy - 1e-12) if lab == 0 else (x2 <= cy + 1e-12)
    X, labels = planar.make_points("spiral", samples=30, noise=0.0)
    assert all(0.04 < math.hypot(*r) <= 1.0 + 1e-12 for r in X)


@pytest.mark.parametrize("args,words", [
    (("wave", 100, 0.1), "the 2-D data sets are moons, circles, spiral, blobs, bump, got 'wave'"),
    (("spiral", 5, 0.1), "samples must be an int from 6 to 100000"),
    (("moons", 100, -0.1), "noise must be a number from 0 to 10.0"),
    (("moons", 100, float("nan")), "noise must be a number"),
])
def test_bad_arguments(args, words):
    with pytest.raises(tb.BackpropError) as e:
        planar.make_points(*args)
    assert words in str(e.value)
    with pytest.raises(tb.BackpropError, match="circles has 2 classes: a network for it has 1 or 2 outputs, got 3"):
        planar.planar_task("circles", outputs=3)


def cell_colour_at(svg, x1, x2):
    """The fill of the region cell that covers the point (x1, x2), found from the SVG alone."""
    root = ET.fromstring(svg)
    g = root.find(NS + "g[@class='regions']")
    assert int(g.get("data-cells")) > 0
    bx0, bx1, by0, by1 = [float(v) for v in g.get("data-box").split()]
    frame = [r for r in root.findall(NS + "rect") if r.get("fill") == "none"][0]
    left, top, size = float(frame.get("x")), float(frame.get("y")), float(frame.get("width"))
    px = left + (x1 - bx0) / (bx1 - bx0) * size
    py = top + (by1 - x2) / (by1 - by0) * size
    for r in g.findall(NS + "rect"):
        x, y, w, h = (float(r.get(a)) for a in ("x", "y", "width", "height"))
        if x <= px < x + w and y <= py < y + h:
            return r.get("fill")
    raise AssertionError("no cell at %r" % ((x1, x2),))


@pytest.mark.parametrize("name,sizes,output,loss", [
    ("moons", [2, 8, 1], "sigmoid", "bce"),
    ("blobs", [2, 6, 3], "softmax", "cross_entropy"),
])
def test_region_colour_at_each_point_agrees_with_predict(name, sizes, output, loss):
    t = planar.planar_task(name, samples=200, seed=2, outputs=sizes[-1])
    net = tb.Network(sizes, hidden="tanh", output=output, loss=loss, seed=0)
    tb.train(net, t.X_train, t.Y_train, epochs=60, lr=0.5, batch_size=16, seed=0)
    labels = [boundary.predicted(y)[0] for y in t.Y_train] if sizes[-1] > 1 else [int(y[0]) for y in t.Y_train]
    svg = boundary.regions(net, t.X_train, labels, classes=t.classes, cells=100)
    root = ET.fromstring(svg)
    assert len(root.findall(".//%scircle[@class='point']" % NS)) == len(t.X_train)
    pred = [boundary.predicted(row)[0] for row in net.predict(t.X_train)]
    agree = sum(cell_colour_at(svg, *x) == boundary.CLASS_COLORS[p] for x, p in zip(t.X_train, pred))
    assert agree >= 0.99 * len(t.X_train)
    assert len(set(pred)) == planar.CLASSES[name]  # it learned something: every class is predicted somewhere


def test_regions_refuses_a_network_that_is_not_2d():
    with pytest.raises(ValueError, match="must have 2 inputs"):
        boundary.regions(tb.Network([3, 1]), [[0.0, 0.0, 0.0]], [0])
