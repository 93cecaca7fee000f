"""What a microcontroller board needs: evaluation and
prediction a few rows at a time, numbers that mean something in binary32, a core that
needs no ``os``, and training that fits a board-sized heap.

Each check compares with an independent computation: the one-pass evaluation the
chunked one replaces, the exact closed form of the loss, a run without ``os``."""
import math

import pytest

import tinybackprop as tb
from tinybackprop import datasets, network, per_neuron, training, vectorized
from tinybackprop.network import mean_loss

from conftest import count_rows

PATHS = {"vectorized": vectorized, "per_neuron": per_neuron}


# --- 1. evaluation and prediction go CHUNK rows at a time --------------------------------------


def one_pass(module, net, X, Y):
    """The evaluation as it was: one forward pass over all rows."""
    f = module.forward(net, X)
    return mean_loss(net, f.z[net.L], f.a[net.L], Y), f.a[net.L]


def rows_right(Yhat, Y):
    """Rows classified right, written here: one output at 0.5, several by the largest."""
    def top(row):
        return max(range(len(row)), key=lambda j: row[j])
    return sum(((p[0] >= 0.5) == (y[0] >= 0.5)) if len(y) == 1 else (top(p) == top(y)) for p, y in zip(Yhat, Y))


@pytest.mark.parametrize("m", [1, 15, 16, 17, 37, 120])
@pytest.mark.parametrize("arch", [([4, 3, 2, 1], "sigmoid", "sigmoid", "bce"),
                                  ([4, 5, 3], "tanh", "softmax", "cross_entropy"),
                                  ([4, 3, 2], "relu", "identity", "squared_error")])
def test_chunked_evaluation_is_the_one_pass_float(m, arch):
    sizes, hidden, output, loss = arch
    net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=3)
    X, _ = datasets.load_iris()
    X = [[v / 4.0 for v in row] for row in X[:m]]
    Y = [[float((r + k) % 2 == 0) if output == "sigmoid" else float(k == r % sizes[-1])
          for k in range(sizes[-1])] for r in range(m)]
    for name, module in PATHS.items():
        loss_ref, yhat_ref = one_pass(module, net, X, Y)
        loss, right = network.loss_in_chunks(net, X, Y, lambda n, X_c: module.forward(n, X_c),
                                       rows_right)
        assert loss == loss_ref  # bit for bit: the same per-row losses added in the same order
        assert right == rows_right(yhat_ref, Y)
    assert net.predict(X) == one_pass(vectorized, net, X, Y)[1]
    assert net.loss_value(X, Y) == one_pass(vectorized, net, X, Y)[0]


def test_predict_and_loss_value_never_go_forward_with_more_than_chunk_rows(monkeypatch):
    net = tb.Network([4, 3, 2, 1], seed=0)
    X, _ = datasets.load_iris()
    seen = count_rows(monkeypatch, vectorized)
    assert len(net.predict(X)) == 150
    net.loss_value(X, [[1.0]] * 150)
    assert seen and max(seen) == network.CHUNK and sum(seen) == 2 * 150


@pytest.mark.parametrize("path", ["vectorized", "per_neuron"])
def test_training_history_is_unchanged_and_evaluation_is_chunked(monkeypatch, path):
    """The history of the default Iris run equals the one recorded with one-pass evaluation."""
    t = datasets.iris_task("binary", seed=0)
    kw = dict(epochs=5, lr=0.5, batch_size=16, path=path, seed=0, X_val=t.X_test, Y_val=t.Y_test)
    module = PATHS[path]
    net = tb.Network([4, 3, 2, 1], seed=0)
    seen = count_rows(monkeypatch, module)
    h = training.train(net, t.X_train, t.Y_train, **kw)
    assert max(seen) <= max(network.CHUNK, 16)  # steps go 16 rows (batch_size), evaluation CHUNK
    monkeypatch.undo()

    ref = tb.Network([4, 3, 2, 1], seed=0)
    ref_loss, ref_acc, ref_tl, ref_ta = [], [], [], []

    def one_pass_record(epoch, hist):
        # recompute what train just recorded with the one-pass evaluation of the old code
        for X, Y, loss_list, accs in ((t.X_train, t.Y_train, ref_loss, ref_acc), (t.X_test, t.Y_test, ref_tl, ref_ta)):
            loss, yhat = one_pass(module, ref, X, Y)
            loss_list.append(loss)
            accs.append(rows_right(yhat, Y) / len(Y))

    training.train(ref, t.X_train, t.Y_train, callback=one_pass_record, **kw)
    # h.loss and h.accuracy are what the epoch's steps saw (no extra pass over the rows; see
    # tests/core/test_training.py); the training set after training, chunked, is evaluate()'s
    assert training.evaluate(net, t.X_train, t.Y_train) == (ref_loss[-1], ref_acc[-1])
    assert h.val_loss == ref_tl and h.val_accuracy == ref_ta
    assert training.accuracy(net, t.X_test, t.Y_test) == h.val_accuracy[-1]


# --- 2. numbers that mean something in binary32 -------------------------------------------------

import os  # noqa: E402
import sys  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "portability"))
import float32  # noqa: E402
import matrix  # noqa: E402

from tinybackprop import _compat, losses  # noqa: E402

# A softmax output trained with bce (not the canonical pair, so the
# gradient takes the general chain through bce_d), driven into saturation.
REPRO = dict(sizes=[3, 4, 2], hidden="identity", output="softmax", loss="bce", seed=5)
REPRO_X, REPRO_Y = [[32.0, -16.0, 8.0]], [[1.0, 0.0]]


def repro_net():
    return tb.Network(REPRO["sizes"], hidden=REPRO["hidden"], output=REPRO["output"], loss=REPRO["loss"],
                      seed=REPRO["seed"])


def all_finite(g):
    vals = [g.loss] + [v for l in range(1, len(g.W)) for M in (g.W[l], g.b[l]) for row in M for v in row]
    vals += [v for row in g.x for v in row]
    return all(math.isfinite(v) for v in vals)


def test_binary64_constants_are_unchanged():
    assert _compat.EPSILON == 2.0 ** -52
    assert losses.EPS == 1e-15 and losses.EPS_ONE == 1e-15  # the clamps of before: the same numbers


def test_binary32_constants_keep_one_minus_eps_below_one():
    eps32 = float32.F32(2.0 ** -23)
    assert float32.F32(1.0) - float32.F32(1e-15) == 1.0  # the old clamp is lost in binary32
    with float32.float32_arithmetic():
        assert _compat.EPSILON == eps32 and losses.EPS_ONE == 4 * eps32
        assert float32.F32(1.0) - losses.EPS_ONE < 1.0
        one, zero = float32.F32(1.0), float32.F32(0.0)
        for a, y in ((one, one), (one, zero), (zero, one), (zero, zero)):  # saturated outputs
            assert math.isfinite(losses.bce_d(a, y))
        assert losses.bce_d(one, one) == pytest.approx(-1.0, rel=1e-5)  # the limit -1/a as a -> 1


def test_repro_in_binary64_is_finite_and_matches_the_closed_form():
    """For two softmax outputs and y = [1, 0], bce is -log a_0 - log(1 - a_1) = -2 log a_0,
    so dL/dz^[2] = [-2 a_1, 2 a_1] and L = 2 (logsumexp(z) - z_0)."""
    net = repro_net()
    z1 = [sum(REPRO_X[0][i] * net.W[1][i][j] for i in range(3)) for j in range(4)]  # identity hidden
    z2 = [sum(z1[i] * net.W[2][i][j] for i in range(4)) for j in range(2)]
    top = max(z2)
    lse = top + math.log(sum(math.exp(z - top) for z in z2))
    a1 = math.exp(z2[1] - lse)
    for module in (per_neuron, vectorized):
        g = module.backward(net, REPRO_X, REPRO_Y)
        assert all_finite(g)
        assert g.loss == pytest.approx(2 * (lse - z2[0]), rel=1e-12)
        assert g.loss == pytest.approx(46.14, abs=0.005)
        assert g.b[2][0] == pytest.approx([-2 * a1, 2 * a1], rel=1e-6)


def test_repro_in_binary32_is_finite_on_both_paths():
    with float32.float32_arithmetic():
        net = repro_net()
        assert type(net.W[1][0][0]) is float32.F32
        gp = per_neuron.backward(net, REPRO_X, REPRO_Y)
        gv = vectorized.backward(net, REPRO_X, REPRO_Y)
    for g in (gp, gv):
        assert all_finite(g)
        assert g.loss == pytest.approx(46.137, rel=1e-4)  # the loss comes from z: as good as binary64's
        # the general chain cannot know 1 - a_1 once a_1 rounds to 1 in binary32: the output
        # gradient keeps its sign and order of size (exact: -2, 2), no more
        assert -2.5 < g.b[2][0][0] < -0.5 and 0.5 < g.b[2][0][1] < 2.5
    assert max(matrix.rel_diff(p, v) for p, v in zip(gp.W[1][0] + gp.b[2][0], gv.W[1][0] + gv.b[2][0])) < 1e-4


def test_binary32_emulation_sees_the_old_division_by_zero():
    """With the old clamp (1 - 1e-15, which is 1 in binary32) the emulation fails as a board did."""
    with float32.float32_arithmetic():
        losses.EPS_ONE = float32.F32(1e-15)  # restored on exit
        net = repro_net()
        with pytest.raises(ZeroDivisionError):
            vectorized.backward(net, REPRO_X, REPRO_Y)
    assert losses.EPS_ONE == 1e-15 and type(losses.EPS_ONE) is float


def test_whole_probe_runs_in_binary32_and_stays_near_binary64():
    values, _ = float32.run_probe()
    assert [k for k in float32.nonfinite(values) if not k.startswith("edge/")] == []
    ref, _ = float32.run_probe(binary32=False)
    problems, _, worst_paths = matrix.compare_docs({"values": ref}, {"values": values}, rtol=1e-3)
    # weights (exact) are rounded to binary32, saved texts follow; far-out inputs ("extreme/",
    # products of thousands) cancel to different small numbers; everything else within 1e-3
    assert [p for p in problems if not p.startswith(("weights/", "savetext/", "extreme/"))] == []
    assert worst_paths <= 1e-4


# --- 3. the core needs no os (and no sys) ------------------------------------------------------

NO_OS = r'''
import builtins, json as _json, sys as _sys

ALLOWED = {"math", "json"}
seen, blocked = set(), set()
real_import = builtins.__import__

def guarded(name, globals=None, locals=None, fromlist=(), level=0):
    importer = (globals or {}).get("__name__", "")
    if level == 0 and importer.startswith("tinybackprop"):
        top = name.split(".")[0]
        seen.add(top)
        if top not in ALLOWED:
            blocked.add(top)
            raise ImportError("no module named %r (blocked: a board's build without it)" % top)
    return real_import(name, globals, locals, fromlist, level)

builtins.__import__ = guarded
for name in ("os", "sys", "operator"):
    _sys.modules[name] = None  # `import os` anywhere now raises ImportError, as on such a build

import tinybackprop as tb
from tinybackprop import per_neuron, vectorized
from tinybackprop.training import train

X, Y = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [[0.0], [1.0], [1.0], [0.0]]
net = tb.Network([2, 4, 1], hidden="tanh", seed=1)
h = train(net, X, Y, epochs=300, lr=0.5, batch_size=4)
g1, g2 = per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)
try:
    net.save("never-written.json")
    save = "saved"
except tb.BackpropError as e:
    save = str(e)
builtins.__import__ = real_import
print(_json.dumps({"seen": sorted(seen), "blocked": sorted(blocked), "acc": h.accuracy[-1],
                   "loss": [h.loss[0], h.loss[-1]], "paths": max(abs(a - b) for a, b in zip(g1.W[1][0], g2.W[1][0])),
                   "save": save, "predict": net.predict(X)}))
'''


def test_import_train_and_backward_without_os_sys_or_operator(tmp_path):
    import json
    import subprocess

    p = subprocess.run([sys.executable, "-c", NO_OS], cwd=str(tmp_path), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, env=dict(os.environ, PYTHONPATH=ROOT))
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert set(r["seen"]) - {"os", "operator"} == {"math", "json"}  # all the core asks for
    assert set(r["blocked"]) <= {"os", "operator"}  # tried, and did without
    assert r["acc"] == 1.0 and r["loss"][1] < r["loss"][0] and r["paths"] < 1e-12
    assert r["save"].startswith("save: this Python has no os module") and "Network.load" in r["save"]
    assert not (tmp_path / "never-written.json").exists()
    net = tb.Network([2, 4, 1], hidden="tanh", seed=1)
    training.train(net, [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [[0.0], [1.0], [1.0], [0.0]],
                   epochs=300, lr=0.5, batch_size=4)
    assert r["predict"] == net.predict([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])  # same numbers as with os


# --- 4. memory: what `import tinybackprop` loads -----------------------------------------------


def test_import_leaves_the_tools_unloaded_until_used():
    import subprocess

    code = ("import sys, tinybackprop as tb\n"
            "before = sorted(m for m in sys.modules if m.startswith('tinybackprop.'))\n"
            "ok = tb.gradcheck.check(tb.Network([2, 1]), [[1.0, 0.5]], [[1.0]]).ok\n"
            "print(before, ok, tb.graph.__name__, tb.optimizers.__name__)\n"
            "try:\n    tb.nope\nexcept AttributeError as e:\n    print(e)\n")
    p = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, env=dict(os.environ, PYTHONPATH=ROOT))
    assert p.returncode == 0, p.stderr
    first, second = p.stdout.strip().splitlines()
    # what a plain training run does not use loads on first use: the other paths, the gradient
    # check, the optimizers, saving and loading, and every tool
    for lazy in ("gradcheck", "graph", "scalar", "optimizers", "files", "modelfile", "datasets", "show", "cli"):
        assert "tinybackprop.%s'" % lazy not in first.split("]")[0]
    assert first.endswith("True tinybackprop.graph tinybackprop.optimizers")
    assert second == "module 'tinybackprop' has no attribute 'nope'"


def test_train_reads_float_data_without_copying_it_and_converts_the_rest(monkeypatch):
    rows_seen = []
    real = vectorized._forward

    def spy(net, X):
        rows_seen.extend(X)
        return real(net, X)

    monkeypatch.setattr(vectorized, "_forward", spy)
    X, Y = [[0.5, 1.0], [2.0, -1.0]], [[1.0], [0.0]]
    training.train(tb.Network([2, 1], seed=0), X, Y, epochs=1, batch_size=2)
    assert rows_seen and all(any(r is x for x in X) for r in rows_seen)  # the caller's rows: no copy
    rows_seen[:] = []
    Xi = [[1, 2], [0, 1]]
    training.train(tb.Network([2, 1], seed=0), Xi, Y, epochs=1, batch_size=2)
    assert all(type(v) is float for r in rows_seen for v in r)  # ints became floats, in a copy
    assert Xi == [[1, 2], [0, 1]] and type(Xi[0][0]) is int
    monkeypatch.undo()
    # ints and floats train to the same network
    net1, net2 = tb.Network([2, 1], seed=0), tb.Network([2, 1], seed=0)
    training.train(net1, [[0, 1], [1, 0]], [[1], [0]], epochs=3, batch_size=1)
    training.train(net2, [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]], epochs=3, batch_size=1)
    assert net1.W[1] == net2.W[1]
