"""SVG pictures: well-formed XML, the right number of marks, marks that follow the data."""
import math
import xml.etree.ElementTree as ET

import pytest

import tinybackprop as tb
from tinybackprop import BackpropError, per_neuron
from tinybackprop.show import svg

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(text):
    root = ET.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def points(polyline):
    return [tuple(float(v) for v in p.split(",")) for p in polyline.get("points").split()]


def test_loss_curve_is_wellformed_and_follows_the_data():
    train = [0.9, 0.5, 0.7, 0.2, 0.1]
    test = [1.0, 0.6, 0.65, 0.3, 0.25]
    root = parse(svg.loss_curve(train, test, title="a < b & c"))
    lines = root.findall(".//s:polyline", NS)
    assert len(lines) == 2
    for poly, vals in zip(lines, (train, test)):
        pts = points(poly)
        assert len(pts) == len(vals)
        xs = [p[0] for p in pts]
        assert xs == sorted(xs) and len(set(xs)) == len(xs)  # one point per epoch, left to right
        # screen y grows downwards: a larger loss is drawn higher (smaller y), and linearly
        for (x1, y1), (x2, y2), v1, v2 in zip(pts, pts[1:], vals, vals[1:]):
            assert (y1 > y2) == (v1 < v2)
        scale = (pts[-1][1] - pts[0][1]) / (vals[-1] - vals[0])
        for (x, y), v in zip(pts, vals):
            assert y == pytest.approx(pts[0][1] + (v - vals[0]) * scale, abs=0.03)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "a < b & c" in texts and "epoch" in texts and "mean loss" in texts
    # tick labels: 0 on the y axis, numbers on the x axis up to the last epoch
    assert "0.0" in texts or "0" in texts
    assert "5" in texts


def test_loss_curve_accepts_a_history():
    from tinybackprop.training import History
    h = History(classification=False, validation=True)
    h.loss.extend([0.5, 0.4, 0.3])
    h.val_loss.extend([0.6, 0.5, 0.45])
    h.test_loss = 0.47
    root = parse(svg.loss_curve(h))
    assert len(root.findall(".//s:polyline", NS)) == 2
    # the test loss is one mark after the last epoch, at the height of its value
    mark = root.find(".//s:path[@class='mark']", NS)
    xs = [p[0] for p in points(root.findall(".//s:polyline", NS)[1])]
    ys = [p[1] for p in points(root.findall(".//s:polyline", NS)[1])]
    coords = [float(v) for v in mark.get("d").replace("M", "").replace("L", "").replace("Z", "").split()]
    x, y = coords[0], coords[3]  # the top vertex's x, the right vertex's y: the centre
    assert x == pytest.approx(xs[-1], abs=0.01)  # after the last epoch
    # linear in the loss: 0.47 lies between the validation curve's 0.5 (epoch 2) and 0.45 (epoch 3)
    assert y == pytest.approx(ys[2] + (ys[1] - ys[2]) * (0.47 - 0.45) / (0.5 - 0.45), abs=0.05)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "test (0.47)" in texts and "validation (last 0.45)" in texts


def test_loss_curve_of_a_resumed_run_counts_its_epochs_on():
    from tinybackprop.training import History
    h = History(classification=False, validation=False, initial_epoch=100)
    h.loss.extend([0.5, 0.4, 0.3])
    root = parse(svg.loss_curve(h))
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "103" in texts or "102" in texts
    assert "0" not in [t for t in texts if t.isdigit() and int(t) < 100]


@pytest.mark.parametrize("lo,hi", [(0.0, 0.73), (0.0, 1.0), (0.0, 0.00123), (1, 100), (0, 7), (0.2, 0.25)])
def test_nice_ticks_cover_the_range_with_round_steps(lo, hi):
    t = svg.nice_ticks(lo, hi)
    assert t[0] <= lo + 1e-12 and t[-1] >= hi - 1e-12
    steps = [b - a for a, b in zip(t, t[1:])]
    assert max(steps) == pytest.approx(min(steps))
    mantissa = steps[0] / 10 ** math.floor(math.log10(steps[0]))
    assert min(abs(mantissa - m) for m in (1, 2, 2.5, 5, 10)) < 1e-9
    assert 3 <= len(t) <= 12


@pytest.mark.parametrize("lo,hi", [(0.0, 4e-18), (0.0, 5e-324), (1e-300, 1e300), (-1.7e308, 1.7e308), (0.0, 1.7e308),
                                   (1e300, 1e300), (1.7e308, 1.7e308), (-3.0, -3.0), (0.0, 0.0), (1.0, 1.0 + 2 ** -52),
                                   (123456789.0, 123456789.5), (-1e-310, 1e-310), (0.0, 1e7)])
def test_nice_ticks_at_every_scale_are_distinct_finite_and_cover_the_range(lo, hi):
    """(Their labels, each its own, are checked on the charts below.)"""
    t = svg.nice_ticks(lo, hi)
    assert len(t) >= 2 and all(math.isfinite(v) for v in t)
    assert all(b > a for a, b in zip(t, t[1:])), t
    span = max(abs(lo), abs(hi), 1e-300)
    assert t[0] <= lo + 1e-9 * span and t[-1] >= hi - 1e-9 * span, (t[0], t[-1])


def test_a_chart_of_tiny_or_huge_losses_has_distinct_tick_labels():
    for losses in ([4e-18, 3e-18], [1.2e-32, 6e-33], [1e300, 1.7e308], [5e-324, 1e-323], [-1.7e308, 1.7e308],
                   [123456789.0, 123456789.5], [1.0, 1.0 + 2 ** -52]):
        root = parse(svg.loss_curve(losses))
        labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("text-anchor") == "end"]
        assert len(labels) >= 2 and len(set(labels)) == len(labels), (losses, labels)


def edges(root):
    return [e for e in root.iter("{http://www.w3.org/2000/svg}line") if e.get("class") == "edge"]


@pytest.mark.parametrize("sizes", [[4, 3, 2, 1], [2, 5, 3], [3, 1]])
def test_network_has_a_node_per_neuron_and_an_edge_per_weight(sizes):
    net = tb.Network(sizes, output="softmax" if sizes[-1] > 1 else "sigmoid", seed=2)
    root = parse(svg.network(net))
    nodes = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"]
    assert len(nodes) == sum(sizes)
    assert len(edges(root)) == sum(a * b for a, b in zip(sizes, sizes[1:]))
    labels = ["".join(n.find("s:text", NS).itertext()) for n in nodes]
    want = ["a[%d]%d" % (l, j + 1) for l, n in enumerate(sizes) for j in range(n)]
    assert labels == want


def test_edges_follow_the_weights():
    net = tb.Network([4, 3, 2, 1], seed=0)
    root = parse(svg.network(net))
    weights = [net.W[l][i][j] for l in range(1, 4) for i in range(net.sizes[l - 1]) for j in range(net.sizes[l])]
    es = edges(root)
    assert len(es) == len(weights)
    for e, w in zip(es, weights):
        assert e.get("stroke") == (svg.POSITIVE if w >= 0 else svg.NEGATIVE)
    # wider for larger |W|, strictly
    pairs = sorted(zip([abs(w) for w in weights], [float(e.get("stroke-width")) for e in es]))
    for (w1, s1), (w2, s2) in zip(pairs, pairs[1:]):
        if w2 > w1 + 1e-3:
            assert s2 > s1


def test_gradient_labels_match_the_other_path():
    net = tb.Network([4, 3, 2, 1], seed=1)
    X, Y = [[0.5, -0.1, 0.3, 0.9]], [[1.0]]
    g_v = tb.vectorized.backward(net, X, Y)
    g_n = per_neuron.backward(net, X, Y)  # independent path for the expected numbers
    root = parse(svg.network(net, g_v, title="gradients"))
    group = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge-labels"][0]
    shown = [t.text for t in group.findall("s:text", NS)]
    want = [g_n.W[l][i][j] for l in range(1, 4) for i in range(net.sizes[l - 1]) for j in range(net.sizes[l])]
    assert len(shown) == len(want)
    for text, v in zip(shown, want):
        assert float(text.replace("\u2212", "-")) == pytest.approx(v, rel=5e-3, abs=1e-12)
    # and every edge's tooltip has the full-precision gradient
    for e, v in zip(edges(root), want):
        tip = e.find("s:title", NS).text
        assert float(tip.split("= ")[-1]) == pytest.approx(v, rel=1e-5)


def test_weight_labels_and_no_labels():
    net = tb.Network([2, 2, 1], seed=0)
    with_w = parse(svg.network(net, labels="weights"))
    group = [g for g in with_w.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge-labels"][0]
    assert len(group.findall("s:text", NS)) == 6
    bare = parse(svg.network(net))
    assert not [g for g in bare.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge-labels"]
    with pytest.raises(BackpropError, match="labels='gradients' needs grads"):
        svg.network(net, labels="gradients")
    with pytest.raises(BackpropError, match="labels must be None, 'weights' or 'gradients'"):
        svg.network(net, labels="biases")


def test_fmt_and_escape():
    assert svg.fmt(-0.5) == "\u22120.5"
    assert svg.fmt(0) == "0"
    assert float(svg.fmt(123456.0)) == pytest.approx(123456.0, rel=1e-2)
    assert ET.fromstring("<t>%s</t>" % svg.escape("<&>\"")).text == "<&>\""


@pytest.mark.parametrize("sizes", [[4, 3, 2, 1], [4, 8, 3], [2, 6, 6, 1], [3, 1]])
def test_edge_labels_do_not_overlap(sizes):
    net = tb.Network(sizes, output="softmax" if sizes[-1] > 1 else "sigmoid", seed=0)
    root = parse(svg.network(net, labels="weights"))
    group = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge-labels"][0]
    boxes = [tuple(float(r.get(k)) for k in ("x", "y", "width", "height")) for r in group.findall("s:rect", NS)]
    assert len(boxes) == sum(a * b for a, b in zip(sizes, sizes[1:]))
    for k, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[k + 1:]:
            apart = x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1
            assert apart, ((x1, y1, w1, h1), (x2, y2, w2, h2))


def test_gradient_drawing_encodes_the_gradients_and_puts_each_label_on_its_own_edge():
    net = tb.Network([4, 3, 2, 1], seed=0)
    X, Y = [[0.1, 0.2, 0.3, 0.4]], [[1.0]]
    g_n = per_neuron.backward(net, X, Y)  # the other path gives the expected numbers
    root = parse(svg.network(net, tb.vectorized.backward(net, X, Y)))
    grads = [g_n.W[l][i][j] for l in range(1, 4) for i in range(net.sizes[l - 1]) for j in range(net.sizes[l])]
    weights = [net.W[l][i][j] for l in range(1, 4) for i in range(net.sizes[l - 1]) for j in range(net.sizes[l])]
    es = edges(root)
    # colour is the sign of dL/dW (not of W: some differ, so this can fail)
    assert any((w >= 0) != (g >= 0) for w, g in zip(weights, grads))
    for e, g in zip(es, grads):
        assert e.get("stroke") == (svg.POSITIVE if g >= 0 else svg.NEGATIVE)
    pairs = sorted(zip([abs(g) for g in grads], [float(e.get("stroke-width")) for e in es]))
    for (g1, s1), (g2, s2) in zip(pairs, pairs[1:]):
        assert s2 >= s1  # never thinner for a larger gradient (widths are rounded to 0.01 px)
    assert pairs[-1][1] > pairs[0][1] + 4  # and the largest is much wider than the smallest
    legend = [t for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "legend"][0].text
    assert "\u2202L/\u2202W" in legend.split("\u2014")[0] and "width" in legend
    # every label's centre is on its own edge, and no two label boxes overlap
    group = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "edge-labels"][0]
    texts = group.findall("s:text", NS)
    assert len(texts) == len(es)
    for t, e in zip(texts, es):
        x, y = float(t.get("x")), float(t.get("y")) - 3.5
        x1, y1, x2, y2 = (float(e.get(k)) for k in ("x1", "y1", "x2", "y2"))
        assert min(x1, x2) <= x <= max(x1, x2)
        assert abs((y2 - y1) * (x - x1) - (x2 - x1) * (y - y1)) / math.hypot(x2 - x1, y2 - y1) < 0.5
    boxes = [tuple(float(r.get(k)) for k in ("x", "y", "width", "height")) for r in group.findall("s:rect", NS)]
    for k, (a, b, w, h) in enumerate(boxes):
        for c, d, w2, h2 in boxes[k + 1:]:
            assert a + w <= c or c + w2 <= a or b + h <= d or d + h2 <= b
    # the labels of the first layer's 12 edges are not stacked in one column any more
    assert len(set(round(float(t.get("x"))) for t in texts[:12])) >= 3


def test_every_refusal_is_a_backprop_error():
    with pytest.raises(BackpropError, match="loss_curve: no finite values to plot"):
        svg.loss_curve([float("nan"), float("inf")])
    with pytest.raises(BackpropError, match="images: panel 'p' image 0 has 3 values, not 8 x 8"):
        svg.images([svg.Panel("p", [[0.1, 0.2, 0.3]], ["a"])])
