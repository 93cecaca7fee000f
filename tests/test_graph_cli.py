"""The tools around the third path: the command line's train --path graph, check --path graph,
explain --path graph and draw --path graph, the warm-up page's graph and the explain_graph
trace, each checked against the matrix path or the package's own graph.  (The core's
tests of tinybackprop.graph are in tests/test_graph.py, which runs wherever the core does.)"""
import io
import json
import xml.etree.ElementTree as ET

import pytest

from tinybackprop import BackpropError, cli, graph, vectorized
import tinybackprop as tb


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_train_on_the_graph_path_gives_the_matrix_paths_losses():
    runs = {}
    for path in ("graph", "vectorized"):
        code, out, err = run("train", "--path", path, "--epochs", "3", "--json")
        assert code == 0, err
        runs[path] = json.loads(out)
    assert runs["graph"]["path"] == "graph"
    for key in ("loss", "val_loss"):
        for a, b in zip(runs["graph"]["history"][key], runs["vectorized"]["history"][key]):
            assert abs(a - b) <= 1e-12 * abs(b)


def test_check_graph_adds_the_third_path_and_passes():
    code, out, err = run("check", "--path", "graph", "--layers", "3,4,2", "--hidden", "tanh", "--output", "softmax",
                         "--loss", "cross_entropy", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["ok"] and all(row["graph"] < 1e-12 for row in d["rows"])
    code, out, _ = run("check", "--path", "graph", "--layers", "2,2,1")
    assert code == 0 and "graph vs vectorized" in out


def test_explain_path_graph_lists_every_node_once():
    code, out, err = run("explain", "--path", "graph", "--layers", "2,3,1")
    assert code == 0, err
    numbered = [line for line in out.splitlines() if line[:5].strip().rstrip(".").isdigit()]
    assert len(numbered) == graph.node_count([2, 3, 1], 1)
    assert numbered[0].split()[1] == "L" and "[graph.chain]" in out
    code, md, _ = run("explain", "--path", "graph", "--layers", "1,1", "--format", "markdown")
    assert code == 0 and "| visit |" in md


def test_draw_graph_writes_the_sites_examples_and_small_networks(tmp_path):
    for arg, nodes in (("111", 12), ("221", 27)):
        target = tmp_path / ("g%s.svg" % arg)
        code, out, err = run("draw", "--example", arg, "--out", str(target))
        assert code == 0, err
        text = target.read_text()
        ET.fromstring(text)
        assert text.count('class="gnode"') == nodes and text.count('class="visit"') == nodes
    target = tmp_path / "net.svg"
    code, out, err = run("draw", "--path", "graph", "--layers", "2,3,1", "--x", "0.5,-1", "--y", "1", "--out", str(target))
    assert code == 0, err
    net = tb.Network([2, 3, 1], seed=0)
    g = tb.vectorized.backward(net, [[0.5, -1.0]], [[1.0]])
    assert "dL/d(node) = %.6g" % g.W[1][0][0] in target.read_text()  # the weight W^[1]_1,1's box


def test_draw_graph_refuses_a_graph_too_large_to_read(tmp_path):
    code, out, err = run("draw", "--path", "graph", "--layers", "6,6,6", "--out", str(tmp_path / "big.svg"))
    assert code == 2 and not (tmp_path / "big.svg").exists()
    assert err.count("\n") == 1 and "graph of %d nodes" % graph.node_count([6, 6, 6], 1) in err


def test_the_warm_up_graph_is_read_off_graph_and_agrees_with_the_matrix_path():
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "hooks"))
    import course as teaching  # docs/hooks/course.py: the warm-up page's numbers

    nodes = dict((n["name"], n) for n in teaching.graph_111())
    net = tb.Network([1, 1, 1], seed=3)
    net.b[1], net.b[2] = [[0.1]], [[-0.2]]
    g = vectorized.backward(net, [[0.5]], [[1.0]])
    for name, ref in (("x", g.x), ("w1", g.W[1]), ("b1", g.b[1]), ("z1", g.g_z[1]), ("a1", g.g_a[1]),
                      ("w2", g.W[2]), ("b2", g.b[2]), ("z2", g.g_z[2]), ("yhat", g.g_a[2])):
        assert nodes[name]["grad"] == pytest.approx(ref[0][0], rel=1e-14), name
    assert nodes["p1"]["grad"] == nodes["z1"]["grad"]  # an add gate passes the gradient on unchanged
    assert nodes["L"]["value"] == g.loss


def test_explain_graph_lists_every_node_in_the_order_backward_visits_them():
    from tinybackprop.show.explain_graph import explain_graph

    net = tb.Network([2, 2, 1], seed=0)
    text = explain_graph(net, [0.5, -1.0], [1.0])
    visits = [line.split(". ", 1)[1] for line in text.splitlines() if line[:5].strip().rstrip(".").isdigit()]
    G = graph.build(net, [[0.5, -1.0]], [[1.0]])
    G.loss.backward()
    order = list(reversed(graph.topological(G.loss)))
    assert len(visits) == len(order) == G.size
    for shown, node in zip(visits, order):
        assert shown.startswith(graph.label(node) + " = ")
    g = vectorized.backward(net, [[0.5, -1.0]], [[1.0]])
    assert "dL/dW^[2]_1,1 = %.4g" % g.W[2][0][0] in text  # a leaf's line: its gradient, from any path
    md = explain_graph(net, [0.5, -1.0], [1.0], fmt="markdown")
    assert md.count("\n| ") == G.size + 1 and "agree" in md
    with pytest.raises(BackpropError, match="fmt"):
        explain_graph(net, [0.5, -1.0], [1.0], fmt="html")
