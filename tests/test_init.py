"""Initialisation schemes: Network(..., init=..., init_scale=...) and Random.gauss."""
import json
import math

import pytest

import tinybackprop as tb
from tinybackprop import gradcheck, init as inits
from tinybackprop.rng import Random, ln

from conftest import random_batch, random_targets


def old_default_weights(sizes, hidden, seed):
    """The weights Network drew before schemes existed, written out again here: Glorot
    uniform, He uniform for a relu layer, one generator, row by row, layer by layer."""
    rng, L, W = Random(seed), len(sizes) - 1, []
    for l in range(1, L + 1):
        n_in, n_out = sizes[l - 1], sizes[l]
        relu = hidden == "relu" and l < L
        r = math.sqrt(6.0 / n_in) if relu else math.sqrt(6.0 / (n_in + n_out))
        W.append([[rng.uniform(-r, r) for _ in range(n_out)] for _ in range(n_in)])
    return W


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "identity"])
@pytest.mark.parametrize("sizes", [[4, 3, 2, 1], [2, 16, 16, 3], [5, 7, 7, 7, 2]])
def test_default_is_unchanged_bit_for_bit(sizes, hidden):
    output, loss = ("softmax", "cross_entropy") if sizes[-1] > 1 else ("sigmoid", "bce")
    for seed in (0, 1, 123456789):
        want = old_default_weights(sizes, hidden, seed)
        for kwargs in ({}, {"init": "uniform"}, {"init": "uniform", "init_scale": 1.0}):
            net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=seed, **kwargs)
            assert list(net.W) == want
            assert net.init == "uniform" and net.init_scale == 1.0


def sample_variance(W):
    xs = [x for row in W for x in row]
    mean = sum(xs) / len(xs)
    return sum((x - mean) ** 2 for x in xs) / (len(xs) - 1), mean


# The papers' variances, written out: Glorot and Bengio (2010) use U(-r, r) with
# r = sqrt(6) / sqrt(n_in + n_out), whose variance r^2 / 3 is 2 / (n_in + n_out);
# He et al. (2015) use a zero-mean Gaussian with variance 2 / n_in. Over a 1000 x 1000 layer
# the sample variance is within 0.15% of the true one (one standard deviation: sqrt(2/n) for a
# normal, sqrt(0.8/n) for a uniform), so 3% is far outside chance and far inside the factor of
# two that n_in for n_in + n_out (or the other way round) would make.
@pytest.mark.parametrize("init,n_in,n_out,variance", [
    pytest.param("xavier", 1000, 1000, 2.0 / 2000, marks=pytest.mark.slow),  # a million draws
    pytest.param("he", 1000, 1000, 2.0 / 1000, marks=pytest.mark.slow),
    ("xavier_normal", 300, 500, 2.0 / 800),
    ("he_uniform", 300, 500, 2.0 / 300),
])
def test_variance_matches_the_formula(init, n_in, n_out, variance):
    W = inits.draw(Random(7), init, 1.0, n_in, n_out, "relu")
    var, mean = sample_variance(W)
    assert abs(var / variance - 1.0) < 0.03
    assert abs(mean) < 5 * math.sqrt(variance / (n_in * n_out))


def test_uniform_schemes_stay_in_range_and_normal_ones_do_not():
    r = math.sqrt(6.0 / 300)
    W = [x for row in inits.draw(Random(1), "he_uniform", 1.0, 300, 40, "relu") for x in row]
    assert all(-r <= x < r for x in W) and max(W) > 0.95 * r
    sigma = math.sqrt(2.0 / 300)
    W = [x for row in inits.draw(Random(1), "he", 1.0, 300, 40, "relu") for x in row]
    inside = sum(1 for x in W if abs(x) < sigma) / len(W)
    assert abs(inside - 0.6827) < 0.02  # a normal: 68% within one standard deviation
    assert max(abs(x) for x in W) > 3 * sigma


def test_gauss_is_the_polar_method_with_an_exact_log():
    """The same draws as the polar method written with math.log, to rounding."""
    a, b = Random(3), Random(3)
    for _ in range(500):
        got = a.gauss(1.5, 2.0)
        while True:
            u, v = 2.0 * b.random() - 1.0, 2.0 * b.random() - 1.0
            s = u * u + v * v
            if 0.0 < s < 1.0:
                break
        want = 1.5 + 2.0 * u * math.sqrt(-2.0 * math.log(s) / s)
        assert abs(got - want) <= 1e-13 * max(1.0, abs(want))
    for x in (1e-300, 2.0 ** -60, 0.01, 0.3, 0.5, 0.70710678, 0.7071068, 0.9, 0.999999):
        assert abs(ln(x) - math.log(x)) <= 4e-16 * abs(math.log(x))
    with pytest.raises(tb.BackpropError, match="mu and sigma must be finite numbers"):
        Random(0).gauss(0.0, float("inf"))


def test_init_scale_multiplies_every_weight():
    for init in ("uniform", "xavier", "he", "normal", "xavier_normal"):
        one = tb.Network([6, 5, 2], hidden="tanh", seed=4, init=init)
        tenth = tb.Network([6, 5, 2], hidden="tanh", seed=4, init=init, init_scale=0.1)
        for l in (1, 2):
            for r1, r2 in zip(one.W[l], tenth.W[l]):
                for w1, w2 in zip(r1, r2):
                    assert w2 == pytest.approx(0.1 * w1, rel=1e-14, abs=1e-300)
    # "normal" is N(0, 1) before the scale
    var, _ = sample_variance(tb.Network([200, 200, 1], init="normal", seed=2).W[1])
    assert abs(var - 1.0) < 0.03


def test_xavier_equals_the_default_for_sigmoid_and_he_uniform_for_relu():
    assert list(tb.Network([4, 3, 2, 1], init="xavier").W) == list(tb.Network([4, 3, 2, 1]).W)
    relu = tb.Network([4, 3, 2, 1], hidden="relu")
    mixed = tb.Network([4, 3, 2, 1], hidden="relu", init="he_uniform")
    assert relu.W[1] == mixed.W[1] and relu.W[2] == mixed.W[2]
    assert relu.W[3] != mixed.W[3]  # the sigmoid output layer: Glorot by default, He when asked


def test_zero_init_keeps_every_hidden_neuron_equal():
    """With all weights 0, the neurons of a hidden layer get the same gradient and stay equal."""
    X = [[0.2, -1.0, 0.5], [1.5, 0.3, -0.7], [-0.4, 0.8, 1.1], [0.9, -0.2, 0.0]]
    Y = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]
    net = tb.Network([3, 4, 4, 2], hidden="tanh", output="softmax", loss="cross_entropy", init="zeros")
    assert all(w == 0.0 for W in net.W for row in W for w in row)
    tb.train(net, X, Y, epochs=30, lr=0.5, batch_size=2, seed=1)
    for l in (1, 2):  # every column (neuron) of a hidden layer is the same
        for row in net.W[l]:
            assert all(w == row[0] for w in row)
        assert all(b == net.b[l][0][0] for b in net.b[l][0])
    assert net.W[1] == [[0.0] * 4] * 3  # tanh(0) = 0 upstream: the first layer never moved at all


@pytest.mark.parametrize("init", inits.SCHEMES)
def test_every_init_gives_correct_gradients(init):
    import random
    rnd = random.Random(1)
    net = tb.Network([3, 5, 4, 2], hidden="tanh", output="softmax", loss="cross_entropy", seed=3, init=init,
                     init_scale=0.5 if init == "normal" else 1.0)
    X = random_batch(rnd, 4, 3)
    Y = random_targets(rnd, "cross_entropy", 4, 2)
    report = gradcheck.check(net, X, Y)
    assert report.ok, report


@pytest.mark.parametrize("init", inits.SCHEMES)
def test_save_and_load_keep_the_init(init, tmp_path):
    net = tb.Network([2, 3, 1], seed=9, init=init, init_scale=0.25)
    p = str(tmp_path / "m.json")
    net.save(p)
    back = tb.Network.load(p)
    assert (back.init, back.init_scale) == (init, 0.25)
    assert list(back.W) == list(net.W)
    with open(p) as f:
        d = json.load(f)
    assert d["init"] == init and d["init_scale"] == 0.25
    del d["init"], d["init_scale"]  # a file saved before schemes existed: the default
    old = tb.Network.from_dict(d)
    assert (old.init, old.init_scale) == ("uniform", 1.0) and list(old.W) == list(net.W)


@pytest.mark.parametrize("kwargs,words", [
    (dict(init="glorot"), "init must be one of 'uniform', 'xavier', 'xavier_normal', 'he', 'he_uniform', "
                          "'normal', 'zeros', got 'glorot'"),
    (dict(init=None), "init must be one of"),
    (dict(init_scale=0.0), "init_scale must be a finite number > 0 and at most 1e+306 (larger ones draw weights "
                           "beyond the floats), got 0.0"),
    (dict(init_scale=-1), "init_scale must be a finite number > 0"),
    (dict(init_scale=float("nan")), "init_scale must be a finite number > 0"),
    (dict(init_scale=True), "init_scale must be a finite number > 0"),
    (dict(init_scale="1"), "init_scale must be a finite number > 0"),
])
def test_bad_init_is_refused(kwargs, words):
    with pytest.raises(tb.BackpropError) as e:
        tb.Network([2, 1], **kwargs)
    assert words in str(e.value)
    d = tb.Network([2, 1]).to_dict()
    d.update(kwargs)
    with pytest.raises(tb.BackpropError, match="from_dict: Network: init"):
        tb.Network.from_dict(d)


@pytest.mark.parametrize("init", inits.SCHEMES)
def test_every_init_trains_in_binary32(init):
    """A board with 32-bit floats: the weights drawn, rounded to binary32, and training with
    every operation rounded to binary32 (portability/float32.py) stays finite and learns."""
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "portability"))
    import float32
    X = [[0.5, -1.0], [1.0, 0.2], [-0.3, 0.8], [-1.0, -0.5], [0.1, 0.1], [0.7, -0.4]]
    Y = [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]
    with float32.float32_arithmetic():
        net = tb.Network([2, 5, 2], hidden="tanh", output="softmax", loss="cross_entropy", seed=2, init=init,
                         init_scale=0.5 if init == "normal" else 1.0)
        assert type(net.W[1][0][0]) is float32.F32
        h = tb.train(net, float32.to32(X), float32.to32(Y), epochs=40, lr=0.5, batch_size=3, seed=0)
    assert all(math.isfinite(v) for v in h.loss)
    assert h.loss[-1] < h.loss[0]
