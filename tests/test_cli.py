"""The command line: the promised results, JSON output, save/load/predict, the
gradient check catching a broken path, and one-line errors with exit status 2."""
import io
import json
import os
import statistics
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import tinybackprop as tb
from tinybackprop import activations, cli, datasets, vectorized
from tinybackprop.training import train

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THREE_CLASS = ["--layers", "4,8,3", "--hidden", "tanh", "--output", "softmax", "--loss", "cross_entropy"]


def run(*argv):
    """main() in-process: (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def run_process(*argv, cwd=None):
    """``python -m tinybackprop.cli`` in a child process, as a user runs it."""
    env = dict(os.environ)
    env.pop("TINYBACKPROP_DEBUG", None)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "tinybackprop.cli"] + list(argv), capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, stdin=subprocess.DEVNULL)


# -- train -----------------------------------------------------------------------------

def test_default_train_reaches_the_promised_accuracy():
    code, out, err = run("train", "--json")
    assert code == 0, err
    r = json.loads(out)
    assert r["layers"] == [4, 3, 2, 1] and r["hidden"] == "sigmoid" and r["loss"] == "bce"
    assert r["test_accuracy"] >= 0.95


def test_three_class_command_reaches_the_promised_accuracy():
    code, out, err = run("train", "--json", *THREE_CLASS)
    assert code == 0, err
    r = json.loads(out)
    assert r["layers"] == [4, 8, 3] and r["output"] == "softmax"
    assert r["test_accuracy"] >= 0.93


def test_json_keys_and_values_agree_with_an_independent_evaluation(tmp_path):
    model = str(tmp_path / "m.json")
    code, out, err = run("train", "--json", "--epochs", "60", "--seed", "3", "--save", model)
    assert code == 0, err
    assert out.count("\n") == 1 and err == ""  # one JSON object, no progress lines, no warning
    r = json.loads(out)
    for key in ("train_loss", "val_loss", "test_loss", "test_accuracy", "val_accuracy", "train_accuracy", "epochs",
                "seconds", "warnings", "train_examples", "val_examples", "test_examples"):
        assert key in r
    assert r["epochs"] == 60 and len(r["history"]["loss"]) == 60 and r["seconds"] >= 0
    assert len(r["history"]["val_loss"]) == 60 and r["history"]["test_loss"] == r["test_loss"]
    assert r["warnings"] == []
    net = tb.Network.load(model)
    # the three sets rebuilt by hand: the test rows as before, the validation rows from the rest
    X, labels = datasets.load_iris()
    task = datasets.iris_task("binary", seed=3)
    assert (r["train_examples"], r["val_examples"], r["test_examples"]) == (96, 24, 30)
    rest_rows = [x for x in task.X_train]
    val = datasets.split_validation(datasets.iris_task("binary", seed=3), 0.2, seed=3)
    assert sorted(val.X_train + val.X_val) == sorted(rest_rows) and val.X_test == task.X_test
    yhat = net.predict(task.X_test)
    right = sum((p[0] >= 0.5) == (y[0] == 1.0) for p, y in zip(yhat, task.Y_test))
    assert r["test_accuracy"] == right / len(task.Y_test)
    assert r["test_loss"] == pytest.approx(net.loss_value(task.X_test, task.Y_test), rel=1e-12)
    assert r["val_loss"] == pytest.approx(net.loss_value(val.X_val, val.Y_val), rel=1e-12)
    assert r["train_loss"] == pytest.approx(net.loss_value(val.X_train, val.Y_train), rel=1e-12)


def test_both_paths_from_the_command_line_agree():
    results = [json.loads(run("train", "--json", "--epochs", "5", "--path", p)[1]) for p in ("vectorized", "per_neuron")]
    a, b = results
    assert a["path"] == "vectorized" and b["path"] == "per_neuron"
    for x, y in zip(a["history"]["loss"], b["history"]["loss"]):
        assert abs(x - y) <= 1e-9


def test_xor_training():
    code, out, err = run("train", "--data", "xor", "--layers", "2,4,1", "--hidden", "tanh", "--epochs", "300",
                         "--batch-size", "4", "--json", "--seed", "1")
    assert code == 0, err
    assert json.loads(out)["train_accuracy"] == 1.0


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_updates_in_place_on_a_terminal_and_only_the_results_otherwise():
    out, err = io.StringIO(), FakeTTY()
    assert cli.main(["train"], out=out, err=err) == 0
    text = err.getvalue()
    # one line updated in place (at the last epoch at least), ended, then the summary line
    assert text.count("\r") >= 1 and text.endswith("\n") and text.count("\n") == 2
    in_place, summary = text.split("\n")[:2]
    assert "epoch 100/100" in in_place and "val loss" in in_place and "elapsed" in in_place
    assert summary.startswith("100 epochs in ") and "val loss" in summary
    code, out, err = run("train")
    assert code == 0 and err == ""  # not a terminal: the results only
    assert "test" in out and "validation" in out and "accuracy" in out
    code, out2, err = run("train", "--progress")
    assert "\r" not in err and err.splitlines()[-1].startswith("100 epochs in ") and out2.splitlines() == \
        out.splitlines()[:1] + out2.splitlines()[1:]


def test_plot_writes_a_loss_curve(tmp_path):
    plot = str(tmp_path / "loss.svg")
    code, out, err = run("train", "--epochs", "12", "--plot", plot, "--quiet")
    assert code == 0, err
    root = ET.parse(plot).getroot()
    lines = root.findall(".//{http://www.w3.org/2000/svg}polyline")
    assert len(lines) == 2 and all(len(p.get("points").split()) == 12 for p in lines)  # train, validation
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path[@class='mark']")) == 1  # the test loss, once


# -- save, load, predict -----------------------------------------------------------------

def test_save_load_predict_give_the_original_outputs(tmp_path):
    model = str(tmp_path / "model.json")
    code, out, err = run("train", "--save", model, "--quiet", "--epochs", "40", "--seed", "5")
    assert code == 0, err
    # the same run through the library: the original network, in memory
    task = datasets.split_validation(datasets.iris_task("binary", seed=5), cli.DEFAULTS["val_fraction"], seed=5)
    original = tb.Network([4, 3, 2, 1], seed=5)
    train(original, task.X_train, task.Y_train, epochs=40, lr=cli.DEFAULTS["lr"],
          batch_size=cli.DEFAULTS["batch_size"], seed=5)
    loaded = tb.Network.load(model)
    for l in range(1, 4):
        assert loaded.W[l] == original.W[l] and loaded.b[l] == original.b[l]
    assert loaded.predict(task.X_test) == original.predict(task.X_test)
    # predict takes raw measurements and standardises them with the TRAINING statistics
    X, labels = datasets.load_iris()
    raw_train = datasets.train_test_split(X, [[0.0]] * 150, 0.2, seed=5, stratify=labels)[0]
    raw = [[5.1, 3.5, 1.4, 0.2], [6.9, 3.1, 5.4, 2.1]]
    mu = [statistics.fmean(r[j] for r in raw_train) for j in range(4)]
    sd = [statistics.pstdev([r[j] for r in raw_train]) for j in range(4)]
    code, out, err = run("predict", "--model", model, "--json",
                         *sum((["--x", ",".join(map(str, r))] for r in raw), []))
    assert code == 0, err
    r = json.loads(out)
    assert r["class_names"] == ["not virginica", "virginica"]
    preds = r["predictions"]
    assert [p["output"] for p in preds] == original.predict([p["standardized_input"] for p in preds])
    for row_in, p in zip(raw, preds):
        assert p["input"] == row_in
        assert p["standardized_input"] == pytest.approx([(x - m) / s for x, m, s in zip(row_in, mu, sd)], rel=1e-12)
        assert p["class"] == ("virginica" if p["output"][0] >= 0.5 else "not virginica")
        assert p["probabilities"] == {"virginica": p["output"][0], "not virginica": 1.0 - p["output"][0]}
    code, out, err = run("predict", "--model", model, "--x", "6.9,3.1,5.4,2.1")
    p = preds[1]["output"][0]
    assert code == 0 and out.endswith("->  virginica  (not virginica %.3f, virginica %.3f)\n" % (1 - p, p)), out


def test_predict_three_classes(tmp_path):
    model = str(tmp_path / "m3.json")
    assert run("train", "--save", model, "--quiet", *THREE_CLASS)[0] == 0
    code, out, err = run("predict", "--model", model, "--json", "--x", "5.1,3.5,1.4,0.2", "--x", "6.9,3.1,5.4,2.1")
    assert code == 0, err
    preds = json.loads(out)["predictions"]
    assert [p["class"] for p in preds] == ["setosa", "virginica"]  # the first rows of the file's classes 0 and 2
    for p in preds:  # a softmax: the probabilities are its outputs, by class name
        assert p["probabilities"] == dict(zip(["setosa", "versicolor", "virginica"], p["output"]))
    code, out, err = run("predict", "--model", model, "--x", "5.1,3.5,1.4,0.2")
    assert "->  setosa  (setosa 0.9" in out and "versicolor 0.0" in out and "virginica 0.0" in out


def test_corrupt_and_truncated_models_are_refused(tmp_path):
    model = tmp_path / "model.json"
    assert run("train", "--save", str(model), "--quiet", "--epochs", "2")[0] == 0
    text = model.read_text()
    cases = {
        "truncated.json": text[: len(text) // 2],
        "empty.json": "",
        "garbage.json": "not json at all",
        "wrongshape.json": text.replace('"sizes": [\n  4,', '"sizes": [\n  5,', 1),
        "list.json": "[1, 2, 3]",
    }
    for name, content in cases.items():
        p = tmp_path / name
        p.write_text(content)
        with pytest.raises(tb.BackpropError):
            tb.Network.load(str(p))
        code, out, err = run("predict", "--model", str(p), "--x", "1,2,3,4")
        assert code == 2, name
        assert err.startswith("tinybackprop: error: ") and err.count("\n") == 1, (name, err)
        assert out == ""


# -- check -----------------------------------------------------------------------------

@pytest.mark.parametrize("opts", [[], THREE_CLASS, ["--layers", "3,4,1", "--output", "identity"],
                                  ["--layers", "2,3,2", "--hidden", "relu", "--output", "softmax", "--loss", "bce"]])
def test_check_passes_on_the_real_paths(opts):
    code, out, err = run("check", "--json", *opts)
    assert code == 0, out + err
    r = json.loads(out)
    assert r["ok"] is True and r["worst_paths"] <= 1e-10 and r["worst_numeric"] <= 1e-6
    assert {row["parameter"] for row in r["rows"]} >= {"W1", "b1", "x"}


def test_check_catches_a_wrong_activation_derivative(monkeypatch):
    # sigma'(z) written as a instead of a (1 - a), in both forms (an entry, a row): the slip of a
    # derivation that drops the (1 - a) factor
    monkeypatch.setattr(activations.SIGMOID, "d", lambda z, a: a)
    monkeypatch.setattr(activations.SIGMOID, "d_row", lambda z_row, a_row: list(a_row))
    code, out, err = run("check", "--json")
    assert code == 1
    r = json.loads(out)
    assert r["ok"] is False and r["worst_numeric"] > 1e-3
    code, out, err = run("check")
    assert code == 1 and "FAILED" in out


def test_check_catches_a_path_that_disagrees_with_the_other(monkeypatch):
    # break only the matrix path: its element-wise product loses the last column
    real = vectorized.hadamard

    def broken(A, B):
        C = real(A, B)
        return [row[:-1] + [0.0] for row in C] if len(C[0]) > 1 else C

    monkeypatch.setattr(vectorized, "hadamard", broken)
    code, out, err = run("check", "--json", "--tol", "1e-6")
    assert code == 1
    r = json.loads(out)
    assert r["worst_paths"] > 1e-6


def test_check_exit_status_from_a_child_process():
    p = run_process("check", "--quiet")
    assert p.returncode == 0 and p.stdout == "" and p.stderr == ""


# -- explain ---------------------------------------------------------------------------

def test_explain_is_wired_to_explain_function(monkeypatch):
    calls = []

    def explain(net, x, y, fmt="text"):
        calls.append((net.sizes, net.hidden, net.output, net.loss, net.W[1], x, y, fmt))
        return "EXPLAINED"

    monkeypatch.setattr("tinybackprop.cli.explain.explain", explain)  # the command module's name for it
    code, out, err = run("explain", "--layers", "3,2,2", "--output", "softmax", "--seed", "4",
                         "--x", "1,2,3", "--y", "0,1", "--format", "markdown")
    assert code == 0, err
    assert out == "EXPLAINED\n"
    sizes, hidden, output, loss, W1, x, y, fmt = calls[0]
    assert (sizes, hidden, output, loss, fmt) == ([3, 2, 2], "sigmoid", "softmax", "cross_entropy", "markdown")
    assert W1 == tb.Network([3, 2, 2], output="softmax", loss="cross_entropy", seed=4).W[1]
    assert x == [[1.0, 2.0, 3.0]] and y == [[0.0, 1.0]]
    code, out, err = run("explain", "--layers", "3,2,2", "--x", "1,2")
    assert code == 2 and "--x has 2 numbers" in err


def test_explain_with_the_real_module():
    for fmt in ("text", "markdown"):
        code, out, err = run("explain", "--format", fmt)
        assert code == 0, err
        assert len(out.splitlines()) > 5


# -- draw ------------------------------------------------------------------------------

def test_draw_network_with_gradients(tmp_path):
    path = str(tmp_path / "net.svg")
    code, out, err = run("draw", "--out", path, "--gradients", "--x", "0.5,0.1,-0.3,0.2", "--y", "0")
    assert code == 0, err
    root = ET.parse(path).getroot()
    es = [e for e in root.iter("{http://www.w3.org/2000/svg}line") if e.get("class") == "edge"]
    assert len(es) == 4 * 3 + 3 * 2 + 2 * 1
    net = tb.Network([4, 3, 2, 1], seed=0)
    g = tb.per_neuron.backward(net, [[0.5, 0.1, -0.3, 0.2]], [[0.0]])
    tip = es[0].find("{http://www.w3.org/2000/svg}title").text
    assert float(tip.split("= ")[-1]) == pytest.approx(g.W[1][0][0], rel=1e-5)


def test_draw_a_saved_model(tmp_path):
    model, path = str(tmp_path / "m.json"), str(tmp_path / "n.svg")
    assert run("train", "--save", model, "--quiet", "--epochs", "3", *THREE_CLASS)[0] == 0
    assert run("draw", "--model", model, "-o", path, "--labels", "weights")[0] == 0
    root = ET.parse(path).getroot()
    assert len([e for e in root.iter("{http://www.w3.org/2000/svg}line") if e.get("class") == "edge"]) == 4 * 8 + 8 * 3


# -- misuse: status 2, one line, no traceback ----------------------------------------------

MISUSE = [
    [],
    ["fly"],
    ["train", "--layers", "4,x,1"],
    ["train", "--layers", "4"],
    ["train", "--lr", "-1"],
    ["train", "--lr", "nan"],
    ["train", "--epochs", "0"],
    ["train", "--batch-size", "two"],
    ["train", "--hidden", "softmax"],
    ["train", "--bogus"],
    ["train", "--layers", "5,3,1"],
    ["train", "--layers", "4,3,2"],
    ["train", "--output", "softmax"],                     # the core refuses softmax with one output
    ["train", "--output", "identity", "--loss", "bce"],   # and bce on an unbounded output
    ["train", "--save", "/nonexistent-folder/m.json"],
    ["train", "--data", "xor"  , "--layers", "4,3,1"],
    ["train", "--test-fraction", "1.5"],
    ["check", "--layers", "0,1"],
    ["check", "--tol", "0"],
    ["predict", "--model", "does-not-exist.json", "--x", "1,2,3,4"],
    ["predict", "model.json", "--x", "1,2,3,4"],          # the model goes after --model on every command
    ["check", "--batch", "3"],                            # one spelling: --batch-size
    ["predict"],
    ["draw"],
    ["draw", "--out", "x.svg", "--gradients", "--y", "1,2"],
]


@pytest.mark.parametrize("argv", MISUSE, ids=[" ".join(a) or "(none)" for a in MISUSE])
def test_misuse_exits_2_with_one_line(argv):
    code, out, err = run(*argv)
    assert code == 2
    assert err.startswith("tinybackprop: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize("argv", [["train", "--lr", "0"], ["predict", "--model", "missing.json", "--x", "1"],
                                  ["nope"]])
def test_misuse_in_a_real_process(argv, tmp_path):
    p = run_process(*argv, cwd=str(tmp_path))
    assert p.returncode == 2
    assert p.stderr.startswith("tinybackprop: error: ") and p.stderr.count("\n") == 1, p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""


@pytest.mark.parametrize("cmd", [[], ["train"], ["check"], ["explain"], ["predict"], ["draw"], ["export"],
                                 ["exercise"]])
def test_help_everywhere(cmd):
    code, out, err = run(*cmd, "--help")
    assert code == 0 and out.startswith("usage: tinybackprop") and err == ""
    assert "--help" in out


def test_version():
    p = run_process("--version")
    assert p.returncode == 0 and p.stdout.strip() == "tinybackprop " + tb.__version__


def test_divergence_on_a_terminal_ends_the_progress_line_before_the_error():
    out, err = io.StringIO(), FakeTTY()
    code = cli.main(["train", "--layers", "4,3,1", "--hidden", "relu", "--output", "identity", "--lr", "1e12",
                     "--epochs", "50"], out=out, err=err)
    assert code == 2
    last = err.getvalue().split("\n")[-2]
    assert last.startswith("tinybackprop: error: training diverged") and "lower --lr" in last


def test_predict_a_network_saved_by_the_library(tmp_path):
    net = tb.Network([3, 2, 2], output="softmax", loss="cross_entropy", seed=7)
    path = str(tmp_path / "lib.json")
    net.save(path)
    code, out, err = run("predict", "--model", path, "--json", "--x", "0.5,-1,2", "--x", "0,0,0")
    assert code == 0, err
    r = json.loads(out)
    outputs = net.predict([[0.5, -1.0, 2.0], [0.0, 0.0, 0.0]])
    assert [p["standardized_input"] for p in r["predictions"]] == [None, None]
    assert [p["output"] for p in r["predictions"]] == outputs
    assert r["class_names"] == ["class 0", "class 1"]  # no names saved: the classes by number
    assert [p["class"] for p in r["predictions"]] == ["class %d" % (0 if o[0] >= o[1] else 1) for o in outputs]


def test_the_check_defaults_are_gradchecks():
    import inspect

    from tinybackprop import gradcheck
    args = cli.make_parser().parse_args(["check"])
    sig = inspect.signature(gradcheck.check).parameters
    assert (args.h, args.tol, args.paths_tol) == (sig["h"].default, sig["tol"].default, sig["paths_tol"].default)
    assert args.h == 1e-5 == inspect.signature(gradcheck.numerical_gradients).parameters["h"].default


def test_check_builds_its_own_network_with_random_biases():
    args = cli.make_parser().parse_args(["check", "--layers", "3,2,1", "--seed", "4"])
    net, X, Y = cli.check_problem(args)
    plain = cli.build_network(args)
    assert [net.W[l] for l in (1, 2)] == [plain.W[l] for l in (1, 2)]
    assert all(v != 0.0 for l in (1, 2) for v in net.b[l][0])  # drawn, not the new network's zeros
    assert len(X) == len(Y) == args.batch_size
