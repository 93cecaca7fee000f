"""Network construction, weight assignment, initialisation, save and load."""
import copy
import json
import math
import os

import pytest

import tinybackprop as tb


def test_contract_shapes():
    net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
    assert net.sizes == [4, 3, 2, 1]
    for l, (n_in, n_out) in enumerate([(4, 3), (3, 2), (2, 1)], start=1):
        assert len(net.W[l]) == n_in and all(len(r) == n_out for r in net.W[l])
        assert net.b[l] == [[0.0] * n_out]
    assert len(net.W) == 3 and list(net.W)[0] is net.W[1]
    assert net.W[-1] is net.W[3]


@pytest.mark.parametrize("hidden,bound", [("sigmoid", lambda i, o: math.sqrt(6 / (i + o))),
                                          ("relu", lambda i, o: math.sqrt(6 / i))])
def test_initialisation_ranges_and_seeding(hidden, bound):
    net = tb.Network([30, 20, 2], hidden=hidden, output="softmax", loss="cross_entropy", seed=5)
    r = bound(30, 20)
    w = [x for row in net.W[1] for x in row]
    assert all(-r <= x < r for x in w)
    assert max(w) > 0.8 * r and min(w) < -0.8 * r  # spread over the range
    assert abs(sum(w) / len(w)) < 0.1 * r
    same = tb.Network([30, 20, 2], hidden=hidden, output="softmax", loss="cross_entropy", seed=5)
    other = tb.Network([30, 20, 2], hidden=hidden, output="softmax", loss="cross_entropy", seed=6)
    assert same.W[1] == net.W[1] and other.W[1] != net.W[1]


def test_assignment_checks_shape_and_copies():
    net = tb.Network([2, 3, 1])
    new = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    net.W[1] = new
    new[0][0] = 100.0
    assert net.W[1][0][0] == 1.0
    with pytest.raises(tb.BackpropError, match=r"net.W\[1\]: W\^\[1\] must be 2x3 .* got 3x2"):
        net.W[1] = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    with pytest.raises(tb.BackpropError, match=r"net.b\[2\]: b\^\[2\] must be 1x1"):
        net.b[2] = [[1.0, 2.0]]
    with pytest.raises(tb.BackpropError, match=r"layer 0 is the input and has no weights"):
        net.W[0]
    with pytest.raises(tb.BackpropError, match=r"this network has layers 1 to 2"):
        net.W[3] = [[1.0]]
    with pytest.raises(tb.BackpropError, match=r"is nan"):
        net.b[1] = [[0.0, float("nan"), 0.0]]


@pytest.mark.parametrize("kwargs,words", [
    (dict(sizes=[4]), "at least 2 layer widths"),
    (dict(sizes=[4, 0, 1]), "sizes[1] is 0"),
    (dict(sizes=[4, 2.5, 1]), "sizes[1] is 2.5"),
    (dict(sizes=[2, 1], hidden="softmax"), "hidden activation 'softmax' is not supported"),
    (dict(sizes=[2, 1], hidden="swish"), "unknown hidden activation 'swish'"),
    (dict(sizes=[2, 1], output="tanh"), "unknown output activation 'tanh'"),
    (dict(sizes=[2, 1], loss="hinge"), "unknown loss 'hinge'"),
    (dict(sizes=[2, 1], output="identity", loss="bce"), "needs outputs in (0, 1)"),
    (dict(sizes=[2, 1], output="softmax", loss="cross_entropy"), "softmax' needs at least 2 output neurons"),
])
def test_construction_refusals(kwargs, words):
    with pytest.raises(tb.BackpropError) as e:
        tb.Network(**kwargs)
    assert words in str(e.value)


def test_save_load_round_trip_is_exact(tmp_path):
    net = tb.Network([4, 5, 3], hidden="tanh", output="softmax", loss="cross_entropy", seed=9)
    net.b[1] = [[0.1, 1 / 3, -2e-17, 7e300, -0.0]]
    p = str(tmp_path / "model.json")
    net.save(p)
    back = tb.Network.load(p)
    assert back.sizes == net.sizes and (back.hidden, back.output, back.loss) == ("tanh", "softmax", "cross_entropy")
    for l in (1, 2):
        assert back.W[l] == net.W[l] and back.b[l] == net.b[l]
    X = [[0.3, -0.2, 1.5, 0.0], [1.0, 2.0, 3.0, 4.0]]
    assert back.predict(X) == net.predict(X)
    assert os.listdir(str(tmp_path)) == ["model.json"]  # no temporary file left behind
    doc = json.load(open(p))
    assert doc["format"] == "tinybackprop-network" and doc["version"] == 1


def test_interrupted_save_keeps_the_old_file(tmp_path, monkeypatch):
    net = tb.Network([2, 1], seed=1)
    p = str(tmp_path / "model.json")
    net.save(p)
    before = open(p).read()

    def boom(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        tb.Network([2, 1], seed=2).save(p)
    assert open(p).read() == before
    assert os.listdir(str(tmp_path)) == ["model.json"]


@pytest.mark.parametrize("mutate,words", [
    (lambda t: t[: len(t) // 2], "not valid JSON"),
    (lambda t: "", "not valid JSON"),
    (lambda t: "[1, 2]", "expected a JSON object"),
    (lambda t: t.replace('"tinybackprop-network"', '"other"'), "not a tinybackprop network"),
    (lambda t: t.replace('"version": 1', '"version": 99'), "unsupported format version 99"),
    (lambda t: json.dumps({k: v for k, v in json.loads(t).items() if k != "b"}), "field 'b' is missing"),
    (lambda t: json.dumps(dict(json.loads(t), W=json.loads(t)["W"][:1])), "must be a list of 2 matrices"),
    (lambda t: json.dumps(dict(json.loads(t), sizes=[3, 3, 1])), "W^[1] must be 3x3"),
    (lambda t: json.dumps(dict(json.loads(t), hidden="__import__('os')")), "unknown hidden activation"),
    (lambda t: json.dumps(dict(json.loads(t), b=[[["0.0", 0.0, 0.0]], [[0.0]]])), "is '0.0' (str), not a number"),
])
def test_load_refuses_bad_files(tmp_path, mutate, words):
    p = str(tmp_path / "model.json")
    tb.Network([2, 3, 1], seed=4).save(p)
    text = open(p).read()
    with open(p, "w") as f:
        f.write(mutate(text))
    with pytest.raises(tb.BackpropError) as e:
        tb.Network.load(p)
    assert words in str(e.value)


def test_backward_does_not_modify_its_arguments():
    net = tb.Network([3, 4, 2], hidden="relu", output="softmax", loss="cross_entropy", seed=2)
    X, Y = [[0.1, -0.2, 0.3], [1.0, 0.0, -1.0]], [[1.0, 0.0], [0.0, 1.0]]
    saved = copy.deepcopy((X, Y, net.to_dict()))
    for path in (tb.per_neuron, tb.vectorized):
        path.backward(net, X, Y)
        path.forward(net, X)
    tb.gradcheck.check(net, X, Y)
    net.predict(X)
    assert (X, Y, net.to_dict()) == saved


def test_weights_changed_in_place_are_checked_at_the_boundary():
    net = tb.Network([2, 2, 1])
    net.W[2].append([1.0])  # now 3x1 instead of 2x1
    with pytest.raises(tb.BackpropError, match=r"vectorized.backward: net.W\[2\] is 3x1 but must be 2x1"):
        tb.vectorized.backward(net, [[1.0, 2.0]], [[1.0]])


@pytest.mark.parametrize("X,Y,words", [
    ([[1.0, 2.0, 3.0]], [[1.0]], "X is 1x3 but the network takes 2 inputs"),
    ([[1.0, 2.0]], [[1.0], [0.0]], "X has 1 rows but Y has 2"),
    ([[1.0, 2.0]], [[1.0, 0.0]], "Y is 1x2 but the network has 1 outputs"),
    ([[1.0, 2.0]], [[1.5]], "Y[0][0] is 1.5, but bce labels must lie in [0, 1]"),
    ([[1.0, float("inf")]], [[1.0]], "X[0][1] is inf"),
])
def test_backward_refusals(X, Y, words):
    net = tb.Network([2, 2, 1])
    for path in (tb.per_neuron, tb.vectorized):
        with pytest.raises(tb.BackpropError) as e:
            path.backward(net, X, Y)
        assert words in str(e.value) and path.__name__.split(".")[-1] in str(e.value)


def test_cross_entropy_targets_must_be_distributions():
    net = tb.Network([2, 3], output="softmax", loss="cross_entropy")
    with pytest.raises(tb.BackpropError, match=r"Y\[1\] sums to 2.0"):
        tb.vectorized.backward(net, [[1.0, 2.0], [0.0, 1.0]], [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
