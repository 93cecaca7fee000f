"""Your own CSV file: load_csv, ``train --data PATH.csv``, ``predict`` (--x and --csv), and
the one-line refusal of every kind of malformed file.

The files are real CSV files written here, of several shapes: binary text labels,
several classes with the target in the first column, a few integer classes, and a
numeric regression target. Expected numbers come from outside the code under test:
the csv module reads the files, the statistics module recomputes means and standard
deviations, and the network's outputs, R^2 and RMSE are recomputed here from the
saved model's numbers with ``math`` alone."""
import csv
import io
import json
import math
import os
import random
import statistics
import subprocess
import sys

import pytest

import tinybackprop as tb
from tinybackprop import cli
from tinybackprop import datasets as ds
from tinybackprop.datasets import csvfile

from conftest import model_file_forward as forward

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def write_csv(path, header, rows):
    with open(str(path), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


@pytest.fixture
def binary_file(tmp_path):
    """Two overlapping clouds: 'benign' and 'malignant', the label last (text)."""
    rng = random.Random(1)
    rows = []
    for k in range(160):
        bad = k % 3 == 0
        c = 1.5 if bad else 0.0
        rows.append(["%.3f" % rng.gauss(10 + 4 * c, 2), "%.3f" % rng.gauss(-c, 1), "%.3f" % rng.gauss(0, 1),
                     "malignant" if bad else "benign"])
    return write_csv(tmp_path / "cells.csv", ["radius", "texture", "noise", "diagnosis"], rows)


@pytest.fixture
def three_class_file(tmp_path):
    """Three species with the target in the FIRST column, quoted names."""
    rng = random.Random(2)
    centres = {"Iris setosa": (5.0, 3.4, 1.5), "Iris versicolor": (5.9, 2.8, 4.3), "Iris virginica": (6.6, 3.0, 5.6)}
    rows = []
    for k in range(150):
        name = sorted(centres)[k % 3]
        rows.append([name] + ["%.2f" % rng.gauss(m, 0.3) for m in centres[name]])
    return write_csv(tmp_path / "flowers.csv", ["species", "sepal length", "sepal width", "petal length"], rows)


@pytest.fixture
def regression_file(tmp_path):
    """price = 3 area - 20 age + 50 + noise, in the middle column."""
    rng = random.Random(3)
    rows = []
    for _ in range(200):
        area, age = rng.uniform(30, 150), rng.uniform(0, 40)
        rows.append(["%.1f" % area, "%.2f" % (3 * area - 20 * age + 50 + rng.gauss(0, 15)), "%.1f" % age])
    return write_csv(tmp_path / "houses.csv", ["area", "price", "age"], rows)


def split_rows(path, target_col, labels=None):
    """The training and test rows as train --data PATH.csv splits them (seed 0, 20%)."""
    header, body = read_csv(path)
    idx = [[float(i)] for i in range(len(body))]
    tr, te, _, _ = ds.train_test_split(idx, idx, 0.2, seed=0, stratify=labels)
    return [body[int(r[0])] for r in tr], [body[int(r[0])] for r in te]


# -- the Python API -------------------------------------------------------------------------

def test_load_csv_binary_text_labels(binary_file):
    X, Y, classes = ds.load_csv(binary_file)
    header, body = read_csv(binary_file)
    assert classes == ["benign", "malignant"]
    assert X == [[float(v) for v in r[:3]] for r in body]
    assert Y == [[1.0 if r[3] == "malignant" else 0.0] for r in body]


def test_load_csv_target_first_column_one_hot(three_class_file):
    X, Y, classes = ds.load_csv(three_class_file, target="species")
    header, body = read_csv(three_class_file)
    assert classes == ["Iris setosa", "Iris versicolor", "Iris virginica"]
    assert X == [[float(v) for v in r[1:]] for r in body]
    assert Y == [[1.0 if classes[j] == r[0] else 0.0 for j in range(3)] for r in body]


def test_load_csv_regression_statistics(regression_file):
    X, Y, stats = ds.load_csv(regression_file, target="price")
    header, body = read_csv(regression_file)
    prices = [float(r[1]) for r in body]
    assert Y == [[p] for p in prices] and X == [[float(r[0]), float(r[2])] for r in body]
    assert stats["name"] == "price"
    assert stats["mean"] == pytest.approx(statistics.fmean(prices), rel=1e-12)
    assert stats["std"] == pytest.approx(statistics.pstdev(prices), rel=1e-12)


def test_few_whole_numbers_are_classes_unless_told_otherwise(tmp_path):
    rows = [["%d" % i, "%d" % (i % 3)] for i in range(30)]
    path = write_csv(tmp_path / "c.csv", ["x", "grade"], rows)
    X, Y, classes = ds.load_csv(path)
    assert classes == ["0", "1", "2"] and len(Y[0]) == 3
    X, Y, stats = ds.load_csv(path, task="regression")
    assert Y[:4] == [[0.0], [1.0], [2.0], [0.0]] and set(stats) == {"name", "mean", "std"}
    # many distinct values: a quantity
    rows = [["%d" % i, "%d" % (7 * i)] for i in range(30)]
    assert isinstance(ds.load_csv(write_csv(tmp_path / "r.csv", ["x", "y"], rows))[2], dict)
    # '1' and '1.0' are the same class
    rows = [["1", "1"], ["2", "1.0"], ["3", "2"], ["4", "2.0"]]
    assert ds.load_csv(write_csv(tmp_path / "s.csv", ["x", "y"], rows))[2] == ["1", "2"]


def test_csv_task_standardises_with_the_training_part(regression_file):
    t = ds.csv_task(regression_file, target="price")
    train_rows, test_rows = split_rows(regression_file, 1)
    area = [float(r[0]) for r in train_rows]
    price = [float(r[1]) for r in train_rows]
    assert t.standardizer.mean[0] == pytest.approx(statistics.fmean(area), rel=1e-12)
    assert t.standardizer.std[0] == pytest.approx(statistics.pstdev(area), rel=1e-12)
    assert t.target_standardizer.mean[0] == pytest.approx(statistics.fmean(price), rel=1e-12)
    assert t.target_standardizer.std[0] == pytest.approx(statistics.pstdev(price), rel=1e-12)
    assert [r[0] for r in t.target_standardizer.inverse(t.Y_test)] == pytest.approx([float(r[1]) for r in test_rows])


# -- train and predict from the command line ----------------------------------------------------

def test_binary_text_labels_train_one_sigmoid_output(binary_file, tmp_path):
    model = str(tmp_path / "m.json")
    code, out, err = run("train", "--data", binary_file, "--json", "--save", model)
    assert code == 0, err
    r = json.loads(out)
    assert r["layers"] == [3, 16, 1] and r["output"] == "sigmoid" and r["loss"] == "bce"
    assert r["classes"] == ["benign", "malignant"] and r["target"] == "diagnosis"
    assert r["test_accuracy"] >= 0.85
    with open(model) as f:
        m = json.load(f)
    assert m["data"]["classes"] == ["benign", "malignant"] and m["data"]["features"] == ["radius", "texture", "noise"]
    # the test part, predicted here from the model file alone; the classes counted here
    header, body = read_csv(binary_file)
    labels = [1 if r[3] == "malignant" else 0 for r in body]
    _, test_rows = split_rows(binary_file, 3, labels)
    counts = [[0, 0], [0, 0]]
    for row in test_rows:
        p = forward(m, [float(v) for v in row[:3]])[0]
        counts[row[3] == "malignant"][p >= 0.5] += 1
    assert r["confusion"] == counts
    assert r["test_accuracy"] == pytest.approx((counts[0][0] + counts[1][1]) / len(test_rows), abs=1e-15)
    # predict --csv: the same file with its header (the target column is ignored), one line per row
    code, out, err = run("predict", "--model", model, "--csv", binary_file)
    assert code == 0, err
    want = ["malignant" if forward(m, [float(v) for v in row[:3]])[0] >= 0.5 else "benign" for row in body]
    assert [line.split("  (")[0] for line in out.splitlines()] == want  # the class first, then the probabilities
    p = forward(m, [float(v) for v in body[0][:3]])[0]
    assert out.splitlines()[0].endswith("(benign %.3f, malignant %.3f)" % (1 - p, p))
    # predict --x: the features in the header's order
    code, out, err = run("predict", "--model", model, "--json", "--x", ",".join(body[0][:3]))
    assert code == 0, err
    assert [q["class"] for q in json.loads(out)["predictions"]] == [want[0]]


def test_several_classes_with_the_target_first(three_class_file, tmp_path):
    model = str(tmp_path / "m.json")
    code, out, err = run("train", "--data", three_class_file, "--target", "species", "--save", model)
    assert code == 0, err
    assert "3-16-3" in out and "softmax" in out and "cross_entropy" in out
    lines = out.splitlines()
    k = next(i for i, line in enumerate(lines) if line.startswith("true \\ predicted"))
    table = lines[k + 1:k + 4]
    assert [line.split()[:2] for line in table] == [["Iris", "setosa"], ["Iris", "versicolor"], ["Iris", "virginica"]]
    assert [sum(int(v) for v in line.split()[2:]) for line in table] == [10, 10, 10]  # stratified: 50 each, 20%
    with open(model) as f:
        m = json.load(f)
    header, body = read_csv(three_class_file)
    # rows without a header, features in order; and with a shuffled header plus the target
    plain = write_csv(tmp_path / "plain.csv", ["sepal length", "sepal width", "petal length"], [r[1:] for r in body[:5]])
    with open(plain) as f:
        text = f.read().split("\n", 1)[1]
    with open(plain, "w") as f:
        f.write(text)
    shuffled = write_csv(tmp_path / "shuffled.csv", ["petal length", "species", "sepal length", "sepal width"],
                         [[r[3], r[0], r[1], r[2]] for r in body[:5]])
    names = m["data"]["classes"]
    want = [names[max(range(3), key=lambda j: forward(m, [float(v) for v in r[1:]])[j])] for r in body[:5]]
    for path in (plain, shuffled):
        code, out, err = run("predict", "--model", model, "--csv", path)
        assert code == 0, err
        assert [line.split("  (")[0] for line in out.splitlines()] == want


def test_numeric_regression_reports_rmse_and_r2_in_the_targets_units(regression_file, tmp_path):
    model = str(tmp_path / "m.json")
    code, out, err = run("train", "--data", regression_file, "--target", "price", "--json", "--save", model)
    assert code == 0, err
    r = json.loads(out)
    assert r["layers"] == [2, 16, 1] and r["output"] == "identity" and r["loss"] == "squared_error"
    assert "test_accuracy" not in r and r["target"] == "price"
    with open(model) as f:
        m = json.load(f)
    # R^2 and RMSE of the test part, computed here: the training part's price statistics
    # (statistics module) turn the network's output back into prices
    train_rows, test_rows = split_rows(regression_file, 1)
    mu = statistics.fmean(float(row[1]) for row in train_rows)
    sd = statistics.pstdev([float(row[1]) for row in train_rows])
    pred = [forward(m, [float(row[0]), float(row[2])])[0] * sd + mu for row in test_rows]
    true = [float(row[1]) for row in test_rows]
    ss_res = sum((y - p) ** 2 for y, p in zip(true, pred))
    ss_tot = sum((y - statistics.fmean(true)) ** 2 for y in true)
    assert r["test_r2"] == pytest.approx(1 - ss_res / ss_tot, rel=1e-9)
    assert r["test_rmse"] == pytest.approx(math.sqrt(ss_res / len(true)), rel=1e-9)
    assert r["test_r2"] > 0.9  # the price is nearly linear in the features
    # predict: the price in its units
    code, out, err = run("predict", "--model", model, "--json", "--x", "%s,%s" % (test_rows[0][0], test_rows[0][2]))
    assert code == 0, err
    assert [q["value"] for q in json.loads(out)["predictions"]] == [pytest.approx(pred[0], rel=1e-9)]
    code, out, err = run("predict", "--model", model, "--csv", regression_file)
    assert code == 0, err
    values = [float(v) for v in out.split()]
    assert len(values) == 200 and values[:1] == [pytest.approx(forward(
        m, [float(read_csv(regression_file)[1][0][0]), float(read_csv(regression_file)[1][0][2])])[0] * sd + mu,
        rel=1e-5)]


def test_task_regression_overrides_the_guess(tmp_path):
    rows = [["%.2f" % (i / 10), "%d" % (i % 4)] for i in range(40)]
    path = write_csv(tmp_path / "g.csv", ["x", "level"], rows)
    code, out, err = run("train", "--data", path, "--json", "--epochs", "2")
    assert code == 0 and json.loads(out)["output"] == "softmax"
    code, out, err = run("train", "--data", path, "--json", "--epochs", "2", "--task", "regression")
    assert code == 0 and json.loads(out)["output"] == "identity" and "test_r2" in json.loads(out)


# -- malformed files: exit 2, one line naming the row and column ------------------------------

GOOD_ROWS = [["1.0", "2.0", "a"], ["2.0", "1.0", "b"], ["3.0", "0.5", "a"], ["4.0", "0.1", "b"]] * 3
MALFORMED = {
    "empty": ("", ["is empty"]),
    "blank-lines": ("\n\n  \n", ["is empty"]),
    "header-only": ("x,y,label\n", ["header row", "no data rows"]),
    "ragged-short": ("x,y,label\n1,2,a\n3,b\n1,2,b\n", ["row 3", "2 fields", "3 columns"]),
    "ragged-long": ("x,y,label\n1,2,a\n3,4,5,b\n1,2,b\n", ["row 3", "4 fields"]),
    "missing-value": ("x,y,label\n1,2,a\n3,,b\n1,2,b\n", ["row 3", "column 'y'", "missing value"]),
    "missing-na": ("x,y,label\n1,2,a\n3,NA,b\n1,2,b\n", ["row 3", "column 'y'", "missing value"]),
    "missing-target": ("x,y,label\n1,2,a\n3,4,\n1,2,b\n", ["row 3", "column 'label'", "missing value"]),
    "non-numeric": ("x,y,label\n1,2,a\n3,four,b\n1,2,b\n", ["row 3", "column 'y'", "'four' is not a number"]),
    "infinite": ("x,y,label\n1,2,a\n3,inf,b\n1,2,b\n", ["row 3", "column 'y'", "'inf' is not a number"]),
    "single-class": ("x,y,label\n1,2,a\n3,4,a\n5,6,a\n", ["column 'label'", "every row has the class 'a'"]),
    "fewer-rows-than-classes": ("x,y,label\n1,2,a\n3,4,b\n5,6,c\n", ["column 'label'", "3 data rows for 3 classes"]),
    "class-with-one-row": ("x,y,label\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n9,9,c\n1,1,a\n", ["row 6", "column 'label'",
                                                                                     "'c' has this one row only"]),
    "duplicate-names": ("x,y,x\n1,2,a\n3,4,b\n", ["row 1", "column 3", "'x' appears twice", "columns 1 and 3"]),
    "empty-name": ("x,,label\n1,2,a\n3,4,b\n", ["row 1", "column 2", "empty column name"]),
    "one-column": ("x;y;label\n1;2;a\n", ["row 1", "only one column", "';'"]),
    "open-quote": ('x,y,label\n1,2,"a\n3,4,b\n', ["row 2", "quoted field is not closed"]),
    "constant-target": ("x,y\n1,2.5\n2,2.5\n3,2.5\n", ["column 'y'", "same value 2.5 in every row"]),
    "not-utf8": (b"x,y,label\n1,2,a\n3,4,\xff\xfe\n", ["not UTF-8", "row 3"]),
}


def assert_one_line_exit_2(argv, words):
    code, out, err = run(*argv)
    assert code == 2, (argv, code, out, err)
    assert out == "" and err.startswith("tinybackprop: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "Error: " not in err, err
    for w in words:
        assert w in err, (w, err)
    return err


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_csv_exits_2_with_one_line_naming_row_and_column(name, tmp_path):
    content, words = MALFORMED[name]
    path = tmp_path / (name + ".csv")
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    err = assert_one_line_exit_2(["train", "--data", str(path)], words)
    assert str(path) in err
    with pytest.raises(tb.BackpropError):
        ds.load_csv(str(path))


def test_unknown_target_names_the_columns(tmp_path):
    path = write_csv(tmp_path / "ok.csv", ["x", "y", "label"], GOOD_ROWS)
    assert_one_line_exit_2(["train", "--data", path, "--target", "price"],
                           ["no column 'price'", "the columns are: x, y, label"])
    assert_one_line_exit_2(["train", "--data", path, "--task", "regression"],
                           ["row 2", "column 'label'", "'a' is not a number", "regression target"])
    assert_one_line_exit_2(["train", "--data", path, "--layers", "3,4,1"], ["must start with 2"])
    assert_one_line_exit_2(["train", "--data", path, "--layers", "2,4,2"], ["must end with 1"])
    assert_one_line_exit_2(["train", "--data", str(tmp_path / "nope.csv")], ["nope.csv"])


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = write_csv(tmp_path / "big.csv", ["x", "y", "label"], GOOD_ROWS)
    size = os.path.getsize(path)
    monkeypatch.setattr(csvfile, "CSV_MAX_BYTES", size - 1)
    assert_one_line_exit_2(["train", "--data", path], ["larger than the limit"])
    monkeypatch.setattr(csvfile, "CSV_MAX_BYTES", size)
    assert run("train", "--data", path, "--epochs", "1", "--quiet")[0] == 0


def test_help_states_the_size_limit():
    code, out, err = run("train", "--help")
    assert code == 0 and "at most %d MiB" % (ds.CSV_MAX_BYTES // (1024 * 1024)) in " ".join(out.split())


def test_malformed_csv_in_a_real_process(tmp_path):
    (tmp_path / "bad.csv").write_text("a,b,c\n1,2,x\n3,oops,y\n")
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("TINYBACKPROP_DEBUG", None)
    p = subprocess.run([sys.executable, "-m", "tinybackprop.cli", "train", "--data", "bad.csv"], capture_output=True,
                       text=True, cwd=str(tmp_path), env=env, stdin=subprocess.DEVNULL, timeout=120)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr == ("tinybackprop: error: bad.csv row 3, column 'b': 'oops' is not a number (every column but "
                        "the target 'c' must be numeric; to predict 'b' instead, make it the target: --target b)\n")


# -- predict's input file, and the model's data section ---------------------------------------

def test_bad_rows_to_predict_exit_2_with_one_line(binary_file, tmp_path):
    model = str(tmp_path / "m.json")
    assert run("train", "--data", binary_file, "--save", model, "--quiet", "--epochs", "2")[0] == 0
    cases = {
        "short.csv": ("1,2\n", ["row 1", "2 values", "3 inputs"]),
        "text.csv": ("1,2,3\n1,x,3\n", ["row 2", "column 2", "'x' is not a number"]),
        "header-missing-column.csv": ("radius,noise\n1,2\n", ["row 1", "no column 'texture'"]),
        "header-only.csv": ("radius,texture,noise\n", ["no rows to predict"]),
        "missing.csv": ("radius,texture,noise\n1,,2\n", ["row 2", "column 'texture'", "missing value"]),
        "empty.csv": ("", ["is empty"]),
    }
    for name, (content, words) in cases.items():
        p = tmp_path / name
        p.write_text(content)
        assert_one_line_exit_2(["predict", "--model", model, "--csv", str(p)], words)
    assert_one_line_exit_2(["predict", "--model", model], ["required: --x (or --csv FILE)"])
    assert_one_line_exit_2(["predict", "--model", model, "--x", "1,2,3", "--csv", str(p)], ["not both"])
    assert_one_line_exit_2(["predict", "--model", model, "--x", "1,2"], ["2 numbers", "3 inputs", "radius, texture, noise"])


def test_the_models_data_section_is_checked_on_load(regression_file, binary_file, tmp_path):
    reg, clf = str(tmp_path / "reg.json"), str(tmp_path / "clf.json")
    assert run("train", "--data", regression_file, "--save", reg, "--quiet", "--epochs", "1")[0] == 0
    assert run("train", "--data", binary_file, "--save", clf, "--quiet", "--epochs", "1")[0] == 0
    edits = [
        (clf, lambda d: d.__setitem__("classes", ["a", "b", "c"]), "data.classes must be a list of 2"),
        (clf, lambda d: d.__setitem__("classes", [1, 2]), "data.classes must be a list of 2"),
        (clf, lambda d: d.__setitem__("features", ["a"]), "data.features must be a list of 3"),
        (clf, lambda d: d.__setitem__("kind", "clustering"), "'kind' must be 'classification' or 'regression'"),
        (clf, lambda d: d.__setitem__("split", {"seed": "x"}), "'split' must be"),
        (clf, lambda d: d.__setitem__("target_standardize", {"mean": [1.0], "std": [1.0]}), "regression model only"),
        (reg, lambda d: d.__setitem__("target_standardize", "x"), "'target_standardize'"),
        (reg, lambda d: d.__setitem__("target_standardize", {"mean": [1.0, 2.0], "std": [1.0, 1.0]}),
         "'target_standardize' must hold 1 finite"),
        (reg, lambda d: d.__setitem__("target_standardize", {"mean": [1.0], "std": [0.0]}), "std must be > 0"),
        (reg, lambda d: d.__setitem__("classes", ["a", "b"]), "must be null for a regression model"),
        (reg, lambda d: d.__setitem__("target", 5), "'target' must be a string"),
    ]
    for k, (source, edit, words) in enumerate(edits):
        with open(source) as f:
            m = json.load(f)
        edit(m["data"])
        path = str(tmp_path / ("bad%d.json" % k))
        with open(path, "w") as f:
            json.dump(m, f)
        assert_one_line_exit_2(["predict", "--model", path, "--x", "1,2" if source == reg else "1,2,3"], [words, path])
