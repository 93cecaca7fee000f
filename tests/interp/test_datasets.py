"""Shipped data: XOR, Iris, the seeded split and the standardisation.

Expected values come from outside the code under test: the csv module reads
the file independently, the Iris summary statistics are the published ones
(Fisher 1936 / UCI: means 5.843, 3.057, 3.758, 1.199 cm), and the statistics
module recomputes means and standard deviations."""
import csv
import os
import statistics

import pytest

import tinybackprop as tb
from tinybackprop import datasets as ds

PKG = os.path.dirname(tb.__file__)


def test_iris_file_is_inside_the_package():
    assert os.path.isfile(os.path.join(PKG, "datasets", "data", "iris.csv"))


def test_iris_matches_an_independent_reading_of_the_csv():
    with open(os.path.join(PKG, "datasets", "data", "iris.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert header[:2] == ["150", "4"] and header[2:] == ds.IRIS_CLASSES
    X, labels = ds.load_iris()
    assert X == [[float(v) for v in r[:4]] for r in body]
    assert labels == [int(r[4]) for r in body]


def test_iris_published_statistics():
    X, labels = ds.load_iris()
    assert len(X) == 150 and all(len(r) == 4 for r in X)
    assert [labels.count(c) for c in range(3)] == [50, 50, 50]
    means = [statistics.fmean(r[j] for r in X) for j in range(4)]
    assert means == pytest.approx([5.843, 3.057, 3.758, 1.199], abs=1e-3)


def test_xor_truth_table():
    X, Y = ds.xor()
    assert [(int(a), int(b), int(y[0])) for (a, b), y in zip(X, Y)] == [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]


def test_one_hot_and_binary():
    assert ds.one_hot([2, 0, 1]) == [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    assert ds.binary([2, 0, 2], 2) == [[1.0], [0.0], [1.0]]
    with pytest.raises(tb.BackpropError):
        ds.one_hot([3], 3)
    with pytest.raises(tb.BackpropError):
        ds.binary([-1], 0)


def tagged(m):
    """Rows that carry their own index, so a split can be traced back."""
    return [[float(i), float(i * i)] for i in range(m)], [[float(i)] for i in range(m)]


@pytest.mark.parametrize("m,frac", [(150, 0.2), (10, 0.3), (7, 0.5)])
def test_split_is_disjoint_complete_and_keeps_pairs(m, frac):
    X, Y = tagged(m)
    Xtr, Xte, Ytr, Yte = ds.train_test_split(X, Y, frac, seed=3)
    train_ids = [int(r[0]) for r in Xtr]
    test_ids = [int(r[0]) for r in Xte]
    assert set(train_ids).isdisjoint(test_ids)
    assert sorted(train_ids + test_ids) == list(range(m))
    assert len(test_ids) == round(frac * m)
    assert [int(y[0]) for y in Ytr] == train_ids and [int(y[0]) for y in Yte] == test_ids


def test_split_is_seeded():
    X, Y = tagged(50)
    a = ds.train_test_split(X, Y, 0.2, seed=1)
    b = ds.train_test_split(X, Y, 0.2, seed=1)
    c = ds.train_test_split(X, Y, 0.2, seed=2)
    assert a == b
    assert a[1] != c[1]


def test_split_does_not_touch_the_global_random_module():
    import random
    random.seed(123)
    expected = random.random()
    random.seed(123)
    X, Y = tagged(20)
    ds.train_test_split(X, Y, 0.25, seed=0)
    assert random.random() == expected


def test_stratified_split_keeps_class_proportions():
    X, labels = ds.load_iris()
    Y = [[float(c)] for c in labels]
    _, _, Ytr, Yte = ds.train_test_split(X, Y, 0.2, seed=0, stratify=labels)
    assert [sum(1 for y in Yte if y[0] == c) for c in range(3)] == [10, 10, 10]
    assert [sum(1 for y in Ytr if y[0] == c) for c in range(3)] == [40, 40, 40]


@pytest.mark.parametrize("frac", [0, 1, 1.5, -0.1, "0.2", True])
def test_split_refuses_bad_fractions(frac):
    X, Y = tagged(10)
    with pytest.raises(tb.BackpropError):
        ds.train_test_split(X, Y, frac)


def test_split_refuses_mismatched_rows():
    X, Y = tagged(10)
    with pytest.raises(tb.BackpropError, match="rows"):
        ds.train_test_split(X, Y[:9])


def test_standardizer_against_statistics_module():
    X = [[1.0, 5.0, 2.0], [2.0, 5.0, 4.0], [4.0, 5.0, 9.0]]
    s = ds.Standardizer().fit(X)
    for j in range(3):
        col = [r[j] for r in X]
        assert s.mean[j] == pytest.approx(statistics.fmean(col), rel=1e-15)
        want = statistics.pstdev(col) or 1.0  # a constant column is left unscaled
        assert s.std[j] == pytest.approx(want, rel=1e-12)
    Z = s.transform([[3.0, 6.0, 1.0]])
    assert Z[0][0] == pytest.approx((3.0 - statistics.fmean([1, 2, 4])) / statistics.pstdev([1, 2, 4]))
    assert Z[0][1] == pytest.approx(1.0)


def test_iris_task_standardises_with_the_training_part_only():
    seed = 4
    X, labels = ds.load_iris()
    Y = ds.binary(labels, 2)
    raw_train, raw_test, _, _ = ds.train_test_split(X, Y, 0.2, seed=seed, stratify=labels)
    task = ds.iris_task("binary", seed=seed)
    for j in range(4):
        train_col = [r[j] for r in raw_train]
        mu, sd = statistics.fmean(train_col), statistics.pstdev(train_col)
        all_mu = statistics.fmean(r[j] for r in X)
        assert task.standardizer.mean[j] == pytest.approx(mu, rel=1e-12)
        assert task.standardizer.std[j] == pytest.approx(sd, rel=1e-12)
        assert abs(task.standardizer.mean[j] - all_mu) > 1e-9  # not the statistics of all 150 rows
        for raw, z in zip(raw_test, task.X_test):
            assert z[j] == pytest.approx((raw[j] - mu) / sd, rel=1e-12, abs=1e-12)
        # the training part is centred and scaled exactly; the test part only roughly
        assert statistics.fmean(r[j] for r in task.X_train) == pytest.approx(0.0, abs=1e-12)
        assert statistics.pstdev([r[j] for r in task.X_train]) == pytest.approx(1.0, rel=1e-12)


def test_iris_tasks_targets():
    b = ds.iris_task("binary", positive="setosa")
    assert b.classes == ["not setosa", "setosa"]
    assert sum(y[0] for y in b.Y_train + b.Y_test) == 50
    mc = ds.iris_task("multiclass")
    assert all(sorted(y) == [0.0, 0.0, 1.0] for y in mc.Y_train + mc.Y_test)
    with pytest.raises(tb.BackpropError):
        ds.iris_task("binary", positive="rose")
    with pytest.raises(tb.BackpropError):
        ds.iris_task("regression")


@pytest.mark.parametrize("text,words", [
    ("", "empty"),
    ("3,2,a,b\n1,2,0\n3,4,1\n", "announces 3"),          # truncated
    ("2,2,a,b\n1,2,0\n3,4\n", "line 3"),                  # a field missing
    ("2,2,a,b\n1,2,0\n3,x,1\n", "'x' is not a number"),
    ("2,2,a,b\n1,2,0\n3,nan,1\n", "finite"),
    ("2,2,a,b\n1,2,0\n3,4,7\n", "class 7"),
    ("rows,cols\n1,2,0\n", "header"),
])
def test_malformed_csv_is_refused(text, words):
    with pytest.raises(tb.BackpropError, match=words):
        ds.parse_csv(text, "t.csv")


def test_load_iris_from_another_path(tmp_path):
    p = tmp_path / "mini.csv"
    p.write_text("2,4,a,b\n1,2,3,4,0\n5,6,7,8,1\n")
    assert ds.load_iris(str(p)) == ([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]], [0, 1])
