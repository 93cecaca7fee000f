"""The command line with 2-D data, decision regions and every init: train --data spiral|moons|...,
train --plot, draw --boundary, and check / explain / a CSV file with each --init."""
import json
import xml.etree.ElementTree as ET

import pytest

import tinybackprop as tb
from tinybackprop.show import boundary
from tinybackprop import init as inits

from conftest import SPIRAL, run_cli as run
from test_planar import cell_colour_at

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def spiral(tmp_path_factory):
    """The README's spiral command cut to 100 epochs (its drawings need a trained model, not an
    accurate one): (folder, --json output)."""
    d = tmp_path_factory.mktemp("spiral")
    argv = SPIRAL[:SPIRAL.index("--epochs") + 1] + ["100"] + SPIRAL[SPIRAL.index("--epochs") + 2:]
    code, out, err = run(argv + ["--save", "spiral.json", "--plot", "spiral.svg", "--json"], d)
    assert code == 0, err
    return d, json.loads(out)


@pytest.mark.slow
def test_the_spiral_reaches_095_on_the_test_points(spiral_run):
    """The README's command itself, 300 epochs (conftest's spiral_run, once a session)."""
    _, r = spiral_run
    assert r["test_accuracy"] >= 0.95
    assert r["test_examples"] == 60 and r["layers"] == [2, 16, 16, 3]
    assert (r["init"], r["init_scale"]) == ("uniform", 1.0)


def test_draw_boundary_colours_each_training_point_as_predict_does(spiral):
    d, _ = spiral
    code, out, err = run(["draw", "--model", "spiral.json", "--boundary", "--out", "regions.svg"], d)
    assert code == 0, err
    with open(str(d / "regions.svg")) as f:
        svg = f.read()
    points = [c for c in ET.fromstring(svg).iter(NS + "circle") if c.get("class") == "point"]
    assert len(points) == 192  # the training points (not the validation or test ones), made again from the file
    # the same points made here from the saved seed and split, and the command predict asked about each
    from tinybackprop.datasets import planar, split_validation
    task = split_validation(planar.planar_task("spiral", samples=300, noise=0.05, outputs=3, test_fraction=0.2,
                                               seed=0), 0.2, seed=0)
    code, out, err = run(["predict", "--model", "spiral.json", "--json"]
                         + ["--x=%r,%r" % tuple(x) for x in task.X_train], d)
    assert code == 0, err
    names = ["class 0", "class 1", "class 2"]
    pred = [names.index(p["class"]) for p in json.loads(out)["predictions"]]
    agree = sum(cell_colour_at(svg, *x) == boundary.CLASS_COLORS[p] for x, p in zip(task.X_train, pred))
    assert agree >= 0.99 * len(task.X_train)
    assert [int(c.get("data-label")) for c in points] == boundary.labels(task.Y_train)


def test_train_plot_shows_the_regions_beside_the_loss_curve(spiral):
    d, _ = spiral
    root = ET.fromstring(open(str(d / "spiral.svg")).read())
    inner = [e for e in root if e.tag == NS + "svg"]
    assert len(inner) == 2  # the loss curve, then the regions
    assert any(p.get("class") == "series" for p in inner[0].iter(NS + "polyline"))
    assert sum(1 for c in inner[1].iter(NS + "circle") if c.get("class") == "point") == 192


def test_iris_plot_is_still_the_loss_curve_alone(tmp_path):
    code, out, err = run(["train", "--epochs", "2", "--plot", "loss.svg"], tmp_path)
    assert code == 0, err
    root = ET.fromstring(open(str(tmp_path / "loss.svg")).read())
    assert not [e for e in root if e.tag == NS + "svg"] and "wrote the loss curves to loss.svg" in out


@pytest.mark.parametrize("name,outputs", [("moons", 1), ("moons", 2), ("circles", 1), ("blobs", 3)])
def test_each_2d_set_trains_from_the_command_line(tmp_path, name, outputs):
    layers = "2,8,%d" % outputs
    code, out, err = run(["train", "--data", name, "--layers", layers, "--hidden", "tanh", "--epochs", "30",
                          "--samples", "120", "--noise", "0.05", "--json", "--val-fraction", "0"], tmp_path)
    assert code == 0, err
    r = json.loads(out)
    assert (r["train_examples"], r["val_examples"], r["test_examples"]) == (96, 0, 24)  # no validation rows
    assert r["output"] == ("sigmoid" if outputs == 1 else "softmax")
    assert r["test_accuracy"] >= 0.8


@pytest.mark.parametrize("argv,words", [
    (["train", "--noise", "0.1"], "--noise is for the 2-D data sets (--data moons|circles|spiral|blobs|bump), not --data iris"),
    (["train", "--data", "digits", "--samples", "10"], "--samples is for the 2-D data sets"),
    (["train", "--data", "spiral", "--samples", "5"], "train --data spiral: samples must be an int from 6 to 100000"),
    (["train", "--data", "moons", "--noise", "-1"], "--noise: must be a number from 0 to 10"),
    (["train", "--data", "spiral", "--layers", "2,8,2"], "spiral (points in the plane, 3 classes): --layers must end "
                                                         "with 3 (got 2)"),
    (["train", "--data", "blobs", "--layers", "3,8,3"], "--layers must start with 2 (got 3)"),
    (["train", "--init", "glorot"], "argument --init: invalid choice: 'glorot'"),
    (["train", "--init-scale", "0"], "argument --init-scale: must be a number > 0"),
    (["draw", "--boundary", "--out", "b.svg"], "--boundary draws a trained network: give --model MODEL.json"),
])
def test_misuse_is_refused_in_one_line(tmp_path, argv, words):
    code, out, err = run(argv, tmp_path)
    assert code == 2 and words in err, err


def test_draw_boundary_refuses_what_is_not_a_2d_classifier(tmp_path):
    assert run(["train", "--epochs", "1", "--save", "iris.json", "--quiet"], tmp_path)[0] == 0
    code, _, err = run(["draw", "--model", "iris.json", "--boundary", "--out", "b.svg"], tmp_path)
    assert code == 2 and "--boundary draws a network with 2 inputs in the plane; this one has 4" in err
    net = tb.Network([2, 3, 1], output="identity", loss="squared_error")
    net.save(str(tmp_path / "reg.json"))
    code, _, err = run(["draw", "--model", "reg.json", "--boundary", "--out", "b.svg"], tmp_path)
    assert code == 2 and "not output identity" in err
    tb.Network([2, 3, 1]).save(str(tmp_path / "bare.json"))
    code, _, err = run(["draw", "--model", "bare.json", "--boundary", "--out", "b.svg"], tmp_path)
    assert code == 2 and "needs the points the model was trained on" in err


def test_draw_boundary_of_xor(tmp_path):
    assert run(["train", "--data", "xor", "--layers", "2,4,1", "--hidden", "tanh", "--epochs", "300",
                "--batch-size", "4", "--save", "xor.json", "--quiet"], tmp_path)[0] == 0
    code, _, err = run(["draw", "--model", "xor.json", "--boundary", "--out", "xor.svg"], tmp_path)
    assert code == 0, err
    svg = open(str(tmp_path / "xor.svg")).read()
    net = tb.Network.load(str(tmp_path / "xor.json"))
    for x, row in zip(tb.datasets.xor()[0], net.predict(tb.datasets.xor()[0])):
        assert cell_colour_at(svg, *x) == boundary.CLASS_COLORS[boundary.predicted(row)[0]]


@pytest.mark.parametrize("init", inits.SCHEMES)
def test_check_explain_and_a_csv_file_work_with_every_init(tmp_path, init):
    scale = ["--init-scale", "0.5"] if init == "normal" else []
    code, out, err = run(["check", "--layers", "3,4,2", "--hidden", "tanh", "--output", "softmax", "--init", init,
                          "--json"] + scale, tmp_path)
    assert code == 0, out + err
    assert json.loads(out)["ok"] is True
    code, out, err = run(["explain", "--layers", "2,2,1", "--init", init] + scale, tmp_path)
    assert code == 0 and "W^[1] = " in out
    want = tb.Network([2, 2, 1], seed=0, init=init, init_scale=0.5 if scale else 1.0).W[1]
    shown = out.split("W^[1] = [[", 1)[1].split("]", 1)[0].split(", ")  # the first row, as explain prints it
    assert [float(v) for v in shown] == pytest.approx(want[0], rel=2e-3, abs=1e-4)
    rows = ["a,b,label"] + ["%g,%g,%s" % (i / 10.0, (i * 7 % 10) / 10.0, "yes" if i % 3 else "no") for i in range(30)]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n")
    code, out, err = run(["train", "--data", "d.csv", "--epochs", "3", "--init", init, "--save", "m.json",
                          "--json"] + scale, tmp_path)
    assert code == 0, err
    assert json.loads(out)["init"] == init
    with open(str(tmp_path / "m.json")) as f:
        assert json.load(f)["init"] == init
    code, out, err = run(["predict", "--model", "m.json", "--x", "0.3,0.4"], tmp_path)
    assert code == 0, err
