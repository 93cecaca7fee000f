"""Same seed, same weights as before the speed work of issue 15.

tests/data/training_weights.json holds the weights that train() gave before
the kernels and the training loop changed (made by tests/make_training_fixture.py
at main's commit 0f3cb5b, on CPython 3.11, 3.12, 3.13 and PyPy 3.9).  On an
interpreter that recorded an entry the weights must be the same bit for bit:
the change keeps the order of every sum and every rounding.  On any other
interpreter (different sum() and sumprod arithmetic) they must agree within
1e-12, relative to the largest weight of the matrix.
"""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_training_fixture as fx  # noqa: E402

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


@pytest.mark.parametrize("c", CONFIGS, ids=[c["name"] for c in CONFIGS])
def test_training_gives_the_weights_recorded_before_the_change(c):
    W, b = fx.run(c)
    key = fx.arith_key()
    if key in FIXTURE["runs"]:
        want = FIXTURE["runs"][key][c["name"]]
        assert W == want["W"], "W differs from the weights recorded on %s" % key
        assert b == want["b"], "b differs from the weights recorded on %s" % key
        return
    want = FIXTURE["runs"]["cpython-3.11"][c["name"]]  # another interpreter's arithmetic: close, not equal
    for P, Q in zip(W + b, want["W"] + want["b"]):
        scale = max(abs(x) for row in Q for x in row) or 1.0
        assert max(abs(x - y) for rp, rq in zip(P, Q) for x, y in zip(rp, rq)) <= 1e-12 * scale
