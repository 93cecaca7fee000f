"""Input features of 2-D points (datasets/features.py), the bump (regression in the plane),
and ``tinybackprop train --features`` / ``--data bump``: each checked against a computation
written out here, not taken from the code under test."""
import json
import math

import pytest

import tinybackprop as tb
from tinybackprop.datasets import features, planar, split_validation
from tinybackprop.training import evaluate, train

from conftest import run_cli as run


def by_hand(x1, x2, name):
    return {"x1": x1, "x2": x2, "x1sq": x1 ** 2, "x2sq": x2 ** 2, "x1x2": x1 * x2,
            "sinx1": math.sin(x1), "sinx2": math.sin(x2)}[name]


def test_every_feature_is_its_formula():
    rows = [[0.5, -2.0], [-1.25, 0.75], [0.0, 3.0]]
    got = features.expand(rows, list(features.FEATURES))
    for row, out in zip(rows, got):
        assert out == [by_hand(row[0], row[1], n) for n in features.FEATURES]
    assert features.expand(rows, ["x2", "x1"]) == [[r[1], r[0]] for r in rows]
    assert set(features.LABELS) == set(features.FEATURES)


@pytest.mark.parametrize("names,words", [
    ([], "give a non-empty list of features"),
    (["x1", "x3"], "the features are x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2, got 'x3'"),
    (["x1", "x1"], "x1 is named twice"),
    ("x1", "give a non-empty list of features"),
])
def test_bad_feature_lists_are_refused(names, words):
    with pytest.raises(tb.BackpropError) as e:
        features.check_features(names, "expand")
    assert words in str(e.value)


def test_the_bump_is_its_formula_plus_seeded_noise():
    X, h = planar.make_bump(samples=400, noise=0.0, seed=3)
    assert all(-1.5 <= v <= 1.5 for row in X for v in row)
    for (x1, x2), v in zip(X, h):
        assert v == math.exp(-(x1 * x1 + x2 * x2) / 0.5)  # 2 * 0.5^2 = 0.5
    # spread over the square: every quarter holds about a quarter of the points
    quarters = [sum(1 for x1, x2 in X if (x1 > 0) == a and (x2 > 0) == b) for a in (0, 1) for b in (0, 1)]
    assert min(quarters) > 70
    X2, noisy = planar.make_bump(samples=400, noise=0.1, seed=3)
    d = [b - planar.bump_height(*p) for p, b in zip(X2, noisy)]
    assert abs(sum(v * v for v in d) / len(d) - 0.01) < 0.004  # N(0, 0.1^2) on the target
    assert planar.make_bump(samples=400, noise=0.1, seed=3) == (X2, noisy)
    with pytest.raises(tb.BackpropError, match="make_points: bump is a regression set"):
        planar.make_points("bump")


def test_a_task_with_features_is_the_plain_task_expanded_row_by_row():
    plain = planar.planar_task("moons", samples=60, seed=5)
    rich = planar.planar_task("moons", samples=60, seed=5, features=["x1sq", "x1x2", "sinx2"])
    assert rich.Y_train == plain.Y_train and rich.Y_test == plain.Y_test
    for P, R in ((plain.X_train, rich.X_train), (plain.X_test, rich.X_test)):
        assert R == [[p[0] ** 2, p[0] * p[1], math.sin(p[1])] for p in P]
    assert rich.features == ["x1sq", "x1x2", "sinx2"]
    bump = planar.planar_task("bump", samples=50, seed=2, test_fraction=0.3)
    assert bump.kind == "regression" and bump.classes is None and bump.target_standardizer is None
    assert len(bump.X_test) == 15 and len(bump.X_train) == 35
    X, h = planar.make_bump(samples=50, seed=2)
    pairs = {tuple(x): v for x, v in zip(X, h)}
    assert all(pairs[tuple(x)] == y[0] for x, y in zip(bump.X_train + bump.X_test, bump.Y_train + bump.Y_test))


def test_train_features_trains_the_network_on_the_expanded_inputs(tmp_path):
    """The command's numbers equal those of a network trained here on inputs expanded here."""
    code, out, err = run(["train", "--data", "circles", "--features", "x1sq,x2sq", "--layers", "2,1", "--epochs", "7",
                          "--lr", "0.5", "--json"], tmp_path)
    assert code == 0, err
    r = json.loads(out)
    t = split_validation(planar.planar_task("circles", seed=0), 0.2, seed=0)  # the command's three sets
    sq = [[x1 * x1, x2 * x2] for x1, x2 in t.X_train]
    sq_test = [[x1 * x1, x2 * x2] for x1, x2 in t.X_test]
    net = tb.Network([2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
    train(net, sq, t.Y_train, epochs=7, lr=0.5, batch_size=16, seed=0)
    assert r["train_loss"] == evaluate(net, sq, t.Y_train)[0]
    assert r["test_loss"] == evaluate(net, sq_test, t.Y_test)[0]
    assert r["test_accuracy"] == 1.0  # a circle is a straight cut in x1^2, x2^2: no hidden layer needed


def test_train_data_bump_is_a_regression_on_the_height(tmp_path):
    code, out, err = run(["train", "--data", "bump", "--layers", "2,8,1", "--hidden", "tanh", "--epochs", "60",
                          "--lr", "0.3", "--json", "--save", "bump.json"], tmp_path)
    assert code == 0, err
    r = json.loads(out)
    assert r["output"] == "identity" and r["loss"] == "squared_error" and r["target"] == "height"
    # the loss is the mean of (yhat - y)^2 / 2 on the height itself: RMSE = sqrt(2 loss)
    assert abs(r["train_rmse"] - math.sqrt(2 * r["train_loss"])) < 1e-12
    assert r["test_r2"] > 0.5
    code, out, err = run(["train", "--data", "bump", "--layers", "2,8,1", "--epochs", "3"], tmp_path)
    assert "(RMSE and the loss in the units of 'height': the target is not standardised)" in out
    net = tb.Network.read(str(tmp_path / "bump.json"))[0]
    code, out, err = run(["predict", "--model", "bump.json", "--x", "0,0", "--json"], tmp_path)
    assert code == 0, err
    assert abs(json.loads(out)["predictions"][0]["output"][0] - net.predict([[0.0, 0.0]])[0][0]) < 1e-12


@pytest.mark.parametrize("argv,words", [
    (["--data", "iris", "--features", "x1"], "--features is for the 2-D data sets"),
    (["--data", "moons", "--features", "x1,x3"], "the features are x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2, got 'x3'"),
    (["--data", "moons", "--features", "x1,x2,x1sq", "--layers", "2,4,1"],
     "--layers must start with 3 (got 2): the number of --features (x1,x2,x1sq)"),
    (["--data", "bump", "--layers", "2,4,1", "--output", "sigmoid"], "--output must be identity, got sigmoid"),
    (["--data", "bump", "--layers", "2,4,2"], "--layers must end with 1 (got 2)"),
])
def test_misuse_of_the_new_options_is_refused_in_one_line(tmp_path, argv, words):
    code, out, err = run(["train"] + argv + ["--epochs", "1"], tmp_path)
    assert code == 2 and words in err, err
