"""The handwritten digits: shipped data, ``train --data digits``, its confusion matrix,
predict on 64 pixels, and the drawing of misclassified digits and first-layer weights.

Expected values come from outside the code under test: the file is read again with
the gzip and csv modules; the class counts are the ones UCI publishes for the
optdigits test set (optdigits.names); predictions and counts are recomputed with a
forward pass written here with ``math`` alone."""
import csv
import gzip
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import tinybackprop as tb
from tinybackprop import cli
from tinybackprop import datasets as ds

from conftest import model_file_forward as forward

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = os.path.dirname(tb.__file__)
DIGITS = os.path.join(PKG, "datasets", "data", "digits.csv.gz")
# UCI optdigits.names, "Class distribution", testing set (optdigits.tes, the 1,797 images shipped here)
PUBLISHED_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
SVG = "{http://www.w3.org/2000/svg}"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def independent_rows():
    with gzip.open(DIGITS, "rt", newline="") as f:
        return [[int(v) for v in row] for row in csv.reader(f) if row]


def test_digits_file_is_inside_the_package_and_credited():
    assert os.path.isfile(DIGITS)
    readme = open(os.path.join(PKG, "datasets", "data", "README.md")).read()
    for words in ("Alpaydin", "Kaynak", "CC BY 4.0", "10.24432/C50P49", "digits.csv.gz"):
        assert words in readme
    assert "CC BY 4.0" in ds.__doc__ and "10.24432/C50P49" in ds.load_digits.__doc__


def test_load_digits_matches_an_independent_reading_and_the_published_counts():
    rows = independent_rows()
    X, labels = ds.load_digits()
    assert len(X) == len(rows) == 1797 and all(len(r) == 64 for r in X)
    assert X == [[float(v) for v in r[:64]] for r in rows]
    assert labels == [r[64] for r in rows]
    assert [labels.count(d) for d in range(10)] == PUBLISHED_COUNTS
    assert min(min(r) for r in X) == 0.0 and max(max(r) for r in X) == 16.0


def test_digits_task_scales_pixels_and_splits_by_class():
    t = ds.digits_task(seed=0)
    X, labels = ds.load_digits()
    assert len(t.X_train) + len(t.X_test) == 1797
    assert [sum(1 for y in t.Y_test if y[d] == 1.0) for d in range(10)] == [round(0.2 * n) for n in PUBLISHED_COUNTS]
    assert all(0.0 <= v <= 1.0 for r in t.X_train + t.X_test for v in r)
    raw_test = ds.train_test_split(X, X, 0.2, seed=0, stratify=labels)[1]
    assert t.X_test == [[v / 16.0 for v in r] for r in raw_test]


def test_the_package_imports_no_gzip_until_the_digits_are_loaded():
    code = ("import sys, tinybackprop, tinybackprop.datasets, tinybackprop.cli\n"
            "before = 'gzip' in sys.modules\n"
            "tinybackprop.datasets.load_digits()\n"
            "print(before, 'gzip' in sys.modules)")
    env = dict(os.environ, PYTHONPATH=ROOT)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert p.stdout.split() == ["False", "True"], p.stderr


def test_load_digits_refuses_a_bad_file(tmp_path):
    bad = tmp_path / "d.csv.gz"
    with gzip.open(str(bad), "wt") as f:
        f.write(",".join(["0"] * 64) + ",3\n" + ",".join(["0"] * 63) + ",3\n")
    with pytest.raises(tb.BackpropError, match="line 2: expected 64 pixel values"):
        ds.load_digits(str(bad))
    with gzip.open(str(bad), "wt") as f:
        f.write(",".join(["17"] * 64) + ",3\n")
    with pytest.raises(tb.BackpropError, match="0..16"):
        ds.load_digits(str(bad))


def train_digits(tmp_path_factory, *options):
    folder = tmp_path_factory.mktemp("digits")
    model, sheet = str(folder / "digits.json"), str(folder / "sheet.svg")
    code, out, err = run("train", "--data", "digits", "--json", "--save", model, "--draw", sheet, *options)
    assert code == 0, err
    with open(model) as f:
        return json.loads(out), json.load(f), sheet


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """The digits command, with --save and --draw, cut to 2 epochs: a trained model (not the
    default run's accuracy, which test_default_digits_run_reaches_the_promised_accuracy checks)."""
    return train_digits(tmp_path_factory, "--epochs", "2")


@pytest.mark.slow  # the default digits run: 20 epochs
def test_default_digits_run_reaches_the_promised_accuracy(tmp_path_factory):
    r, model, _ = train_digits(tmp_path_factory)
    assert r["layers"] == [64, 32, 10] and r["output"] == "softmax" and r["loss"] == "cross_entropy"
    assert r["test_examples"] == 359 and r["val_examples"] == 287 and r["train_examples"] == 1151
    assert r["test_accuracy"] >= 0.96, r["test_accuracy"]
    assert "seconds" in r and r["seconds"] > 0  # the time is reported, not asserted (see benchmarks/)


def test_confusion_matrix_agrees_with_an_independent_count(trained):
    r, model, _ = trained
    rows = independent_rows()
    X = [[float(v) for v in row[:64]] for row in rows]
    labels = [row[64] for row in rows]
    _, test_X, _, test_y = ds.train_test_split(X, [[c] for c in labels], 0.2, seed=0, stratify=labels)
    counts = [[0] * 10 for _ in range(10)]
    for x, (y,) in zip(test_X, test_y):
        yhat = forward(model, x)
        counts[y][max(range(10), key=lambda j: yhat[j])] += 1
    assert r["confusion"] == counts
    assert r["test_accuracy"] == pytest.approx(sum(counts[d][d] for d in range(10)) / len(test_X), abs=1e-15)
    assert [sum(row) for row in counts] == [round(0.2 * n) for n in PUBLISHED_COUNTS]


def test_confusion_matrix_is_printed():
    code, out, err = run("train", "--data", "digits", "--epochs", "1", "--quiet", "--json")
    one = json.loads(out)["confusion"]
    code, out, err = run("train", "--data", "digits", "--epochs", "1")
    assert code == 0, err
    lines = out.splitlines()
    k = next(i for i, line in enumerate(lines) if line.startswith("true \\ predicted"))
    assert lines[k].split()[3:] == [str(d) for d in range(10)]
    table = [[int(v) for v in line.split()] for line in lines[k + 1:k + 11]]
    assert [row[0] for row in table] == list(range(10))
    assert [row[1:] for row in table] == one


def test_predict_takes_64_pixels_and_names_the_digit(trained, tmp_path):
    r, model, _ = trained
    path = str(tmp_path / "m.json")
    with open(path, "w") as f:
        json.dump(model, f)
    rows = independent_rows()[:3]
    code, out, err = run("predict", "--model", path, "--json",
                         *sum((["--x", ",".join(map(str, row[:64]))] for row in rows), []))
    assert code == 0, err
    d = json.loads(out)
    assert d["class_names"] == [str(k) for k in range(10)]
    for row, p in zip(rows, d["predictions"]):
        want = forward(model, row[:64])
        assert p["output"] == pytest.approx(want, rel=1e-9, abs=1e-12)
        assert p["class"] == str(max(range(10), key=lambda j: want[j]))
        assert p["probabilities"] == dict((str(k), v) for k, v in enumerate(p["output"]))
    code, out, err = run("predict", "--model", path, "--x", ",".join(map(str, rows[0][:64])))
    first = d["predictions"][0]
    assert code == 0 and ("->  %s  (0 %.3f, 1 %.3f," % (first["class"], first["output"][0], first["output"][1])) in out
    code, out, err = run("predict", "--model", path, "--x", "1,2,3")
    assert code == 2 and "64 inputs" in err and err.count("\n") == 1


def test_drawing_shows_every_misclassified_test_digit_and_every_first_layer_neuron(trained, tmp_path):
    r, model, sheet = trained
    root = ET.parse(sheet).getroot()
    images = root.findall(".//%srect[@class='image']" % SVG)
    wrong = sum(r["confusion"][i][j] for i in range(10) for j in range(10) if i != j)
    assert len(images) == wrong + 32
    captions = [t.text for t in root.findall(".//%stext" % SVG) if t.get("font-size") == "10" and ", true " in t.text]
    want = sorted("%d, true %d" % (j, i) for i in range(10) for j in range(10) if i != j
                  for _ in range(r["confusion"][i][j]))
    assert sorted(captions) == want
    # the same sheet from the saved model with `draw`; and each part alone
    path = str(tmp_path / "m.json")
    with open(path, "w") as f:
        json.dump(model, f)
    for which, n in (("both", wrong + 32), ("errors", wrong), ("weights", 32)):
        out = str(tmp_path / (which + ".svg"))
        argv = ["draw", "--model", path, "--out", out] + ([] if which == "both" else ["--digits", which])
        code, _, err = run(*argv)
        assert code == 0, err
        assert len(ET.parse(out).getroot().findall(".//%srect[@class='image']" % SVG)) == n


def test_weight_images_show_the_sign_and_size_of_each_weight(tmp_path):
    model = str(tmp_path / "m.json")
    assert run("train", "--data", "digits", "--epochs", "1", "--quiet", "--save", model)[0] == 0
    net = tb.Network.load(model)
    out = str(tmp_path / "w.svg")
    assert run("draw", "--model", model, "--digits", "weights", "--out", out)[0] == 0
    root = ET.parse(out).getroot()
    # every pixel square of neuron j=1 (the first image, at x=16, y=...) carries the colour of sign(W_i1)
    first = root.find(".//%srect[@class='image']" % SVG)
    x0, y0 = float(first.get("x")), float(first.get("y"))
    shade = {}
    for path in root.findall(".//%spath[@class='pixels']" % SVG):
        for seg in path.get("d").split("M")[1:]:
            x, rest = seg.split(" ", 1)
            y = rest.split("h", 1)[0]
            shade[(float(x), float(y))] = (path.get("fill"), float(path.get("fill-opacity")))
    col = [net.W[1][i][0] for i in range(64)]
    biggest = max(abs(w) for w in col)
    for i, w in enumerate(col):
        level = round(16 * abs(w) / biggest)
        key = (x0 + (i % 8) * 6, y0 + (i // 8) * 6)
        if level == 0:
            assert key not in shade
        else:
            assert shade[key] == ("#2166ac" if w > 0 else "#b2182b", pytest.approx(level / 16, abs=0.006))


def test_digits_options_that_do_not_fit_exit_2_with_one_line(tmp_path):
    for argv, words in (
            (["train", "--data", "digits", "--layers", "4,3,10"], "must start with 64"),
            (["train", "--data", "digits", "--layers", "64,32,3"], "must end with 10"),
            (["train", "--data", "digits", "--target", "x"], "--target is for your own CSV file"),
            (["train", "--draw", str(tmp_path / "x.svg")], "--draw draws the digits"),
            (["draw", "--digits", "errors", "--out", str(tmp_path / "x.svg")], "--digits draws a network trained"),
    ):
        code, out, err = run(*argv)
        assert code == 2 and out == "" and err.count("\n") == 1 and words in err, (argv, err)
