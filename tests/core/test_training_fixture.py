"""Same seed, same weights as before the speed work on the matrix loops and the training loop.

tests/data/training_weights.json holds the weights that train() gave before
the matrix loops (then kernels.py) and the training loop changed (made by tests/make_training_fixture.py
at main's commit 0f3cb5b, on CPython 3.11, 3.12, 3.13 and PyPy 3.9).  On an
interpreter that recorded an entry the weights must be the same bit for bit
wherever the change keeps the order of every sum and every rounding.  One
place does not: a step on one row (batch size 1) takes a_i (lr g_j) from
W_ij, where the recorded runs took lr (a_i g_j) -- the same two
multiplications in the other order -- so those configurations must agree
within 1e-12, relative to the largest weight of the matrix, as must every
configuration on an interpreter that recorded nothing (different sum() and
sumprod arithmetic).
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/: the fixture maker
import make_training_fixture as fx

FIXTURE = fx.load()
CONFIGS = fx.configs()


def test_the_fixture_covers_what_the_issue_asks_and_matches_its_script():
    assert FIXTURE["configs"] == CONFIGS  # the script's configurations are the recorded ones
    seen = set((c["path"], c["batch_size"], c["hidden"], c["loss"]) for c in CONFIGS)
    for path in ("vectorized", "per_neuron"):
        for batch in (1, 16):
            for hidden in ("sigmoid", "tanh", "relu"):
                assert any(s[:3] == (path, batch, hidden) for s in seen)
            for loss in ("cross_entropy", "bce", "squared_error"):
                assert any(s[0] == path and s[1] == batch and s[3] == loss for s in seen)
    assert {"cpython-3.11", "cpython-3.12"} <= set(FIXTURE["runs"])


def _flat(mats):
    return [x for M in mats for row in M for x in row]


@pytest.mark.parametrize("key", sorted(FIXTURE["runs"]))
def test_the_recorded_weights_are_a_real_training_run(key):
    """Independent of the code under test: the recorded weights moved away from
    the seeded start, and the two paths recorded the same numbers (to 1e-12)."""
    runs = FIXTURE["runs"][key]
    import tinybackprop as tb
    for c in CONFIGS:
        start = tb.Network(c["sizes"], hidden=c["hidden"], output=c["output"], loss=c["loss"], seed=c["net_seed"])
        assert _flat(runs[c["name"]]["W"]) != _flat([start.W[l] for l in range(1, start.L + 1)])
        if c["path"] == "per_neuron":
            twin = runs[c["name"].replace("per_neuron", "vectorized")]
            for P, Q in zip(runs[c["name"]]["W"] + runs[c["name"]]["b"], twin["W"] + twin["b"]):
                scale = max(abs(x) for row in Q for x in row) or 1.0
                assert max(abs(x - y) for rp, rq in zip(P, Q) for x, y in zip(rp, rq)) <= 1e-12 * scale


def _one_row_steps(c):
    """True when some step of the run trains on a single row."""
    return c["batch_size"] == 1 or fx.ROWS % c["batch_size"] == 1


def _largest_relative_difference(W, b, want):
    worst = 0.0
    for P, Q in zip(W + b, want["W"] + want["b"]):
        scale = max(abs(x) for row in Q for x in row) or 1.0
        worst = max([worst] + [abs(x - y) / scale for rp, rq in zip(P, Q) for x, y in zip(rp, rq)])
    return worst


@pytest.mark.parametrize("c", CONFIGS, ids=[c["name"] for c in CONFIGS])
def test_training_gives_the_weights_recorded_before_the_change(c):
    W, b = fx.run(c)
    key = fx.arith_key()
    if key in FIXTURE["runs"] and not _one_row_steps(c):
        want = FIXTURE["runs"][key][c["name"]]
        assert W == want["W"], "W differs from the weights recorded on %s" % key
        assert b == want["b"], "b differs from the weights recorded on %s" % key
        return
    # a step on one row multiplies in the other order, or another interpreter's arithmetic: close, not equal
    want = FIXTURE["runs"].get(key, FIXTURE["runs"]["cpython-3.11"])[c["name"]]
    assert _largest_relative_difference(W, b, want) <= 1e-12


def test_one_row_steps_differ_from_the_recorded_weights_only_by_rounding():
    """The batch-1 runs do not pass the test above by being equal anyway (which would make
    its tolerance untested), and they are far closer than 1e-12."""
    key = fx.arith_key()
    if key not in FIXTURE["runs"]:
        pytest.skip("no weights recorded for %s" % key)
    worst = [_largest_relative_difference(*fx.run(c), want=FIXTURE["runs"][key][c["name"]])
             for c in CONFIGS if _one_row_steps(c)]
    assert worst and max(worst) > 0.0 and max(worst) <= 1e-13
