"""The command line's third path: train --path graph, check --graph, explain --path graph and
draw --graph, each checked against the matrix path or the package's own graph."""
import io
import json
import xml.etree.ElementTree as ET

from tinybackprop import cli, graph
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
    for key in ("loss", "test_loss"):
        for a, b in zip(runs["graph"]["history"][key], runs["vectorized"]["history"][key]):
            assert abs(a - b) <= 1e-12 * abs(b)


def test_check_graph_adds_the_third_path_and_passes():
    code, out, err = run("check", "--graph", "--layers", "3,4,2", "--hidden", "tanh", "--output", "softmax",
                         "--loss", "cross_entropy", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["ok"] and all(row["graph"] < 1e-12 for row in d["rows"])
    code, out, _ = run("check", "--graph", "--layers", "2,2,1")
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
        code, out, err = run("draw", "--graph", arg, "--out", str(target))
        assert code == 0, err
        text = target.read_text()
        ET.fromstring(text)
        assert text.count('class="gnode"') == nodes and text.count('class="visit"') == nodes
    target = tmp_path / "net.svg"
    code, out, err = run("draw", "--graph", "--layers", "2,3,1", "--x", "0.5,-1", "--y", "1", "--out", str(target))
    assert code == 0, err
    net = tb.Network([2, 3, 1], seed=0)
    g = tb.vectorized.backward(net, [[0.5, -1.0]], [[1.0]])
    assert "dL/d(node) = %.6g" % g.W[1][0][0] in target.read_text()  # the weight W^[1]_1,1's box


def test_draw_graph_refuses_a_graph_too_large_to_read(tmp_path):
    code, out, err = run("draw", "--graph", "--layers", "6,6,6", "--out", str(tmp_path / "big.svg"))
    assert code == 2 and not (tmp_path / "big.svg").exists()
    assert err.count("\n") == 1 and "graph of %d nodes" % graph.node_count([6, 6, 6], 1) in err
