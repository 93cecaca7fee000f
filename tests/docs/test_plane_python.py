"""The playground's Python side in CPython: one epoch per call gives the floats of one long
``train`` call, and the command the 2-D playground shows repeats its run.

docs/python/tb_epochs.py hands ``train`` the rows of each epoch in the order that makes its
own first shuffle give the order of one long call; these tests compare the weights and every
loss bit for bit with ``training.train`` itself, for the plain step and for an optimizer with
state, on both paths the page uses.
"""
import contextlib
import io
import json
import shlex
import sys

import pytest

from docs_helpers import REPO

sys.path.insert(0, str(REPO / "docs" / "python"))
sys.path.insert(0, str(REPO))

import tb_epochs
import tb_plane
from tinybackprop import Network
from tinybackprop.cli import main
from tinybackprop.datasets import iris_task, planar
from tinybackprop.optimizers import make
from tinybackprop.training import train


@pytest.mark.parametrize("optimizer,path", [(None, "vectorized"), ("adam", "per_neuron"), ("nesterov", "vectorized")])
def test_one_epoch_per_call_is_one_long_call_bit_for_bit(optimizer, path):
    t = planar.planar_task("spiral", samples=150, seed=7)
    a = Network([2, 6, 5, 3], hidden="tanh", output="softmax", loss="cross_entropy", seed=7)
    b = Network([2, 6, 5, 3], hidden="tanh", output="softmax", loss="cross_entropy", seed=7)
    opt = (lambda: make(optimizer, 0.02)) if optimizer else (lambda: None)
    h = train(a, t.X_train, t.Y_train, epochs=9, lr=0.3, batch_size=7, seed=7, X_val=t.X_test, Y_val=t.Y_test,
              optimizer=opt(), path=path, evaluate_train=True)
    e = tb_epochs.Epochs(b, t.X_train, t.Y_train, 0.3, 7, 7, t.X_test, t.Y_test, opt(), path=path)
    steps = [e.step() for _ in range(9)]
    for l in range(1, 4):
        assert a.W[l] == b.W[l] and a.b[l] == b.b[l]
    assert [s["loss"] for s in steps] == h.loss
    assert [s["accuracy"] for s in steps] == h.accuracy
    assert [s["val_loss"] for s in steps] == h.val_loss
    if path == "vectorized":  # evaluate goes forward on the vectorized path, as train's evaluate_train does here
        assert [s["train_loss"] for s in steps] == h.train_loss


def test_the_iris_trainer_steps_like_train_live():
    import tb_playground
    long_run, stepped = [], []
    tb_playground.train_live(epochs=6, lr=0.01, optimizer="adam", emit=long_run.append)
    tb_playground.train_start(lr=0.01, optimizer="adam")
    for _ in range(6):
        tb_playground.train_step(emit=stepped.append)
    for x, y in zip(long_run[:-1], stepped):
        x, y = json.loads(x[3:]), json.loads(y[3:])
        for key in ("epoch", "loss", "accuracy", "train_loss", "val_loss", "W", "b"):
            assert x[key] == y[key], key
    # and both are `tinybackprop train --optimizer adam --lr 0.01`'s history
    out = io.StringIO()
    assert main(["train", "--optimizer", "adam", "--lr", "0.01", "--epochs", "6", "--json"], out=out, err=io.StringIO()) == 0
    hist = json.loads(out.getvalue())["history"]
    assert [json.loads(y[3:])["loss"] for y in stepped] == hist["loss"]
    assert iris_task().X_train  # the task the trainer uses loads


SETTINGS = {"data": "moons", "samples": 120, "noise": 0.2, "test_fraction": 0.25, "seed": 3,
            "features": ["x1", "x2", "x1x2", "sinx1"], "layers": [5, 4], "hidden": "relu", "init": "he",
            "optimizer": "adamw", "lr": 0.01, "weight_decay": 0.05, "batch_size": 9}


def _train_flags():
    """The train command's options, as the site's build hands them to the page (docs/hooks/tb_python.py)."""
    from tinybackprop.cli import make_parser
    return sorted(o for a in make_parser().commands["train"]._actions for o in a.option_strings if o.startswith("--"))


def _page_run(settings, epochs):
    lines = []
    tb_plane.start(dict(settings), flags=_train_flags(), emit=lines.append)
    for _ in range(epochs):
        tb_plane.step(emit=lines.append)
    tb_plane.final(emit=lines.append)
    return [json.loads(x[3:]) for x in lines]


@pytest.mark.parametrize("settings", [
    SETTINGS,
    dict(SETTINGS, data="bump", features=["x1", "x2", "x1sq", "x2sq"], hidden="tanh", optimizer="momentum", lr=0.05,
         weight_decay=0.0, layers=[6]),
    dict(SETTINGS, data="spiral", features=["x1", "x2"], hidden="sigmoid", optimizer="sgd", lr=0.5, weight_decay=0.0,
         init="xavier_normal", layers=[]),
])
def test_the_command_repeats_the_page_run_exactly(settings):
    got = _page_run(settings, 4)
    command = got[-2]["command"]
    argv = shlex.split(command)
    assert argv[:2] == ["tinybackprop", "train"] and "--epochs" in argv and argv[argv.index("--epochs") + 1] == "4"
    out = io.StringIO()
    assert main(argv[1:] + ["--json"], out=out, err=io.StringIO()) == 0, command
    r = json.loads(out.getvalue())
    assert "--val-fraction 0 " in command  # the page has train and test rows only: so has the command
    assert r["train_loss"] == got[-1]["train_loss"]  # the same interpreter: the same floats
    assert r["test_loss"] == got[-2]["test_loss"]  # the command measures its test rows once, at the end
    assert r["history"]["loss"] == [e["loss"] for e in got[1:-1]]
    for k in range(1, 4):  # the page's test curve: each point is what the command measures after k epochs
        argv_k = list(argv)
        argv_k[argv_k.index("--epochs") + 1] = str(k)
        out = io.StringIO()
        assert main(argv_k[1:] + ["--json"], out=out, err=io.StringIO()) == 0
        assert json.loads(out.getvalue())["test_loss"] == got[k]["test_loss"], k
    assert r["train_examples"] == len(got[0]["train"]) and r["test_examples"] == len(got[0]["test"])


def test_the_command_asks_for_no_validation_rows_where_train_has_that_option():
    s = dict(SETTINGS)
    assert "--val-fraction" not in tb_plane.command(s, 3, ["--epochs"])
    c = tb_plane.command(s, 3, ["--epochs", "--val-fraction"])
    assert " --test-fraction 0.25 --val-fraction 0 " in c


def test_picture_and_equations_in_cpython():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        tb_plane.start(dict(SETTINGS))
        tb_plane.step()
        tb_plane.picture(6)
        tb_plane.explain({"kind": "neuron", "l": 1, "j": 2, "row": 3})
    lines = buf.getvalue().splitlines()
    pic = json.loads(lines[2][4:])
    run = tb_plane.STATE["run"]
    assert len(pic["out"]) == 36 and [len(u) for u in pic["units"][1:]] == [5, 4, 1]
    # a unit's picture is its output at the grid's centres, in thousandths
    from tinybackprop import vectorized
    b = pic["box"]
    centre = [b[0] + 0.5 * (b[1] - b[0]) / 6, b[3] - 0.5 * (b[3] - b[2]) / 6]
    x = [centre[0], centre[1], centre[0] * centre[1], __import__("math").sin(centre[0])]
    a = vectorized.forward(run.net, [x]).a
    assert pic["units"][1][2][0] == int(round(a[1][0][2] * 1000))
    eq = json.loads(lines[3][3:])
    assert eq["x"] == run.X_train[3]
    assert [s["id"] for s in eq["forward"]] == ["fwd.z", "fwd.a"]
