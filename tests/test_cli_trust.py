"""Training you can trust, from the command line: the test rows choose nothing, a run says when
it went wrong (and the README's runs say nothing), progress on a terminal, resuming a saved
model, and one command line (every option of every command: one spelling per meaning, one
overwrite rule).

The numbers behind each warning are recomputed here from the saved model with plain Python
(and the gradient sizes with PyTorch, float64, when it is installed), not read from the
package's own diagnostics."""
import json
import math
import os
import re
import shlex
import subprocess
import sys
import time

import pytest

import tinybackprop as tb
from tinybackprop import cli, datasets
from tinybackprop.show import diagnose

from conftest import run_cli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*argv, cwd=None):
    return run_cli(argv, cwd)


def train_json(*argv, cwd=None):
    code, out, err = run("train", "--json", *argv, cwd=cwd)
    assert code == 0, err
    return json.loads(out), err


def warnings_of(err):
    return [line.split(": ")[2] for line in err.splitlines() if line.startswith("tinybackprop: warning: ")]


# -- 1. three sets: changing only the test rows changes no training result --------------------------

def _csv(path, rows):
    with open(str(path), "w") as f:
        f.write("a,b,c,d,label\n")
        for row in rows:
            f.write(",".join("%r" % v for v in row[:4]) + ",%s\n" % row[4])


def test_changing_only_the_test_rows_changes_no_training_result_from_the_command_line(tmp_path):
    X, labels = datasets.load_iris()
    rows = [x + [("setosa", "versicolor", "virginica")[c]] for x, c in zip(X, labels)]
    # the rows the split makes test rows (by index: the split sees only the labels and the seed)
    idx = [[float(i)] for i in range(150)]
    test_idx = {int(r[0]) for r in datasets.train_test_split(idx, idx, 0.2, seed=0, stratify=labels)[1]}
    assert len(test_idx) == 30
    changed = [list(r) for r in rows]
    for i in test_idx:  # other measurements, far out, for every test flower; the labels stay
        changed[i][:4] = [v * 3.0 + 7.0 for v in changed[i][:4]]
    _csv(tmp_path / "a.csv", rows)
    _csv(tmp_path / "b.csv", changed)
    args = ["--layers", "4,6,3", "--hidden", "tanh", "--lr", "0.3", "--epochs", "80", "--patience", "8"]
    a, _ = train_json("--data", "a.csv", "--save", "a.json", *args, cwd=tmp_path)
    b, _ = train_json("--data", "b.csv", "--save", "b.json", *args, cwd=tmp_path)
    for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "epochs", "train_examples",
                "val_examples", "test_examples", "training"):
        assert a[key] == b[key], key
    for key in ("loss", "accuracy", "train_loss", "val_loss", "val_accuracy", "lr", "best_epoch"):
        assert a["history"][key] == b["history"][key], key
    assert a["training"]["best_epoch"] is not None  # early stopping chose, on the validation rows
    assert a["test_loss"] != b["test_loss"]  # the test rows were changed, and are measured
    ma, mb = (json.load(open(str(tmp_path / n))) for n in ("a.json", "b.json"))
    assert ma["W"] == mb["W"] and ma["b"] == mb["b"]
    assert ma["data"]["standardize"] == mb["data"]["standardize"]  # the test rows never touch the statistics


def test_the_split_is_the_tests_then_validation_from_the_rest():
    r, _ = train_json("--epochs", "1", "--val-fraction", "0.25")
    assert (r["train_examples"], r["val_examples"], r["test_examples"]) == (90, 30, 30)
    r0, _ = train_json("--epochs", "1", "--val-fraction", "0")
    assert (r0["train_examples"], r0["val_examples"], r0["test_examples"]) == (120, 0, 30)
    assert r0["val_loss"] is None and r0["history"]["val_loss"] is None
    # --val-fraction 0 is the run of before validation existed: every training row trains
    task = datasets.iris_task("binary", seed=0)
    net = tb.Network([4, 3, 2, 1], seed=0)
    h = tb.train(net, task.X_train, task.Y_train, epochs=1, lr=0.5, batch_size=16, seed=0)
    assert r0["history"]["loss"] == h.loss


@pytest.mark.parametrize("argv,words", [
    (["--patience", "5", "--val-fraction", "0"], "--patience chooses the epoch on the validation rows"),
    (["--data", "xor", "--val-fraction", "0.2", "--layers", "2,3,1"], "XOR has only its 4 rows"),
    (["--val-fraction", "1"], "must be from 0"),
])
def test_validation_misuse_exits_2_with_one_line(argv, words):
    code, out, err = run("train", *argv)
    assert code == 2 and err.count("\n") == 1 and words in err, err


# -- 2. a run that says when it went wrong -----------------------------------------------------------

README = os.path.join(ROOT, "README.md")


def readme_train_commands():
    with open(README, encoding="utf-8") as f:
        text = f.read()
    found = []
    for block in re.findall(r"```(?:bash|sh)\n(.*?)```", text, re.S):
        for line in block.splitlines():
            code = line.split("#", 1)[0].strip()
            for cmd in (c.strip() for c in code.split("&&")):
                words = shlex.split(cmd)
                for k, w in enumerate(words):
                    if (w.endswith("bin/tinybackprop") and words[k + 1:k + 2] == ["train"]) or \
                            words[k:k + 3] == ["-m", "tinybackprop.cli", "train"]:
                        found.append(words[k + 2 if w.endswith("tinybackprop") else k + 3:])
    return found


def test_the_readme_has_train_commands():
    cmds = readme_train_commands()
    assert len(cmds) >= 5 and [] in cmds  # the first one: plain `train`


@pytest.fixture(scope="module")
def readme_folder(tmp_path_factory):
    """One folder for the README's commands, run in its order: a later one reads what an
    earlier one saved (train --model model.json)."""
    return tmp_path_factory.mktemp("readme")


@pytest.mark.parametrize("argv", readme_train_commands(), ids=lambda a: " ".join(a) or "(defaults)")
def test_the_readmes_runs_give_no_warning(argv, readme_folder):
    code, out, err = run("train", *argv, cwd=readme_folder)
    assert code == 0, err
    assert err == "", err


# (the command, the warning it must give) — each a held-out run: none of them is tuned to its threshold
SYMPTOMS = [
    (["--lr", "50"], {"loss_rising", "collapsed"}),
    (["--lr", "0.0001"], {"not_learning", "collapsed"}),
    (["--layers", "4,8,3", "--hidden", "tanh", "--output", "softmax", "--init-scale", "10"], {"start_loss"}),
    (["--layers", "4,16,1", "--hidden", "tanh", "--lr", "1.0", "--batch-size", "8", "--epochs", "300"],
     {"overfitting"}),
    (["--data", "moons", "--layers", "2,32,32,1", "--hidden", "relu", "--lr", "3", "--epochs", "30"],
     {"dead_units"}),
    (["--data", "moons", "--samples", "200", "--layers", "2,16,16,16,16,16,16,16,16,16,1", "--epochs", "5"],
     {"vanishing_gradients"}),
    (["--data", "moons", "--layers", "2,32,32,32,32,32,32,32,32,1", "--hidden", "relu", "--init", "normal",
      "--lr", "0.0001", "--epochs", "2"], {"exploding_gradients", "start_loss"}),
]


@pytest.mark.parametrize("argv,want", SYMPTOMS, ids=[" ".join(sorted(w)) for _, w in SYMPTOMS])
def test_each_symptom_gives_its_warning(argv, want, tmp_path):
    r, err = train_json("--save", "m.json", *argv, cwd=tmp_path)
    got = {w["check"] for w in r["warnings"]}
    assert want <= got, (got, err)
    assert sorted(warnings_of(err)) == sorted(w["check"] for w in r["warnings"])  # one line each on stderr
    for w in r["warnings"]:
        assert "\n" not in w["message"] and re.search(r"\d", w["message"])  # the number behind it
        assert re.search(r"lower|raise|start the weights|stop at|use fewer|check that|train for", w["message"])
    model = json.load(open(str(tmp_path / "m.json")))
    _check_the_numbers(model, r, argv)
    # --strict: the same run, exit status 1, results still there
    code, out, err = run("train", "--strict", "--json", *argv, cwd=tmp_path)
    assert code == 1 and json.loads(out)["warnings"] == r["warnings"]


def _task_of(argv, model):
    """The training rows of the run, made again from the saved model's data section."""
    d = model["data"]
    split = d["split"] if "split" in d else {"seed": 0, "test_fraction": 0.2, "val_fraction": 0.2}
    if d["dataset"] == "iris":
        kind = "binary" if model["sizes"][-1] == 1 else "multiclass"
        task = datasets.iris_task(kind, test_fraction=split["test_fraction"], seed=split["seed"])
    else:
        from tinybackprop.datasets import planar
        task = planar.planar_task(d["dataset"], samples=d["points"]["samples"], noise=d["points"]["noise"],
                                  outputs=model["sizes"][-1], test_fraction=split["test_fraction"],
                                  seed=split["seed"])
    return datasets.split_validation(task, split["val_fraction"], seed=split["seed"])


def _forward(model, x):
    """z^[l] and a^[l] of one row, by hand (row convention: z = a W + b)."""
    def sigmoid(z):
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    act = {"sigmoid": sigmoid, "tanh": math.tanh, "relu": lambda z: max(z, 0.0), "identity": lambda z: z}
    a, zs = list(x), []
    L = len(model["W"])
    for l in range(L):
        W, b = model["W"][l], model["b"][l][0]
        z = [sum(a[i] * W[i][j] for i in range(len(a))) + b[j] for j in range(len(b))]
        zs.append(z)
        if l < L - 1:
            a = [act[model["hidden"]](v) for v in z]
        elif model["output"] == "softmax":
            top = max(z)
            e = [math.exp(v - top) for v in z]
            a = [v / sum(e) for v in e]
        else:
            a = [act[model["output"]](v) for v in z]
    return zs, a


def _check_the_numbers(model, r, argv):
    task = _task_of(argv, model)
    by = dict((w["check"], w) for w in r["warnings"])
    if "start_loss" in by:  # before training: the seeded network of the options, its loss by hand
        net = tb.Network(model["sizes"], hidden=model["hidden"], output=model["output"], loss=model["loss"],
                         seed=0, init=model["init"], init_scale=model["init_scale"])
        d = net.to_dict()
        loss = 0.0
        for x, y in zip(task.X_train, task.Y_train):  # from z^[L], so that no log(0) is taken
            z = _forward(d, x)[0][-1]
            if model["output"] == "softmax":
                top = max(z)
                loss += top + math.log(sum(math.exp(v - top) for v in z)) - z[y.index(1.0)]
            else:
                loss += sum(max(zk, 0.0) - zk * yk + math.log(1.0 + math.exp(-abs(zk))) for zk, yk in zip(z, y))
        loss /= len(task.X_train)
        assert by["start_loss"]["value"] == pytest.approx(loss, rel=1e-9)
        chance = math.log(3) if model["output"] == "softmax" else math.log(2)
        assert "%.4g" % chance in by["start_loss"]["message"] and loss > 2 * chance
    if "collapsed" in by:  # every training row gets one class
        classes = set()
        for x in task.X_train:
            p = _forward(model, x)[1]
            classes.add((p[0] >= 0.5) if len(p) == 1 else p.index(max(p)))
        assert len(classes) == 1
    if "dead_units" in by:  # neurons whose z <= 0 on every training row, counted by hand
        zs = [_forward(model, x)[0] for x in task.X_train]
        for l in range(len(model["W"]) - 1):
            dead = sum(1 for j in range(model["sizes"][l + 1]) if all(z[l][j] <= 0.0 for z in zs))
            if dead >= model["sizes"][l + 1] / 2:
                assert "%d of the %d neurons of hidden layer %d" % (dead, model["sizes"][l + 1], l + 1) in \
                    by["dead_units"]["message"]
    if "loss_rising" in by or "not_learning" in by:
        hist = r["history"]["train_loss"]
        assert hist[-1] == pytest.approx(r["train_loss"], rel=1e-12)
        if "loss_rising" in by:
            assert hist[-1] > 1.25 * min(hist)
    for check in ("vanishing_gradients", "exploding_gradients"):
        if check in by:
            _check_gradient_ratio(model, task, by[check]["value"], check)


def _check_gradient_ratio(model, task, value, check):
    """The RMS of g^[1z] over that of g^[Lz] before training, with PyTorch's autograd (float64)."""
    torch = pytest.importorskip("torch")
    net = tb.Network(model["sizes"], hidden=model["hidden"], output=model["output"], loss=model["loss"], seed=0,
                     init=model["init"], init_scale=model["init_scale"])
    X = torch.tensor(task.X_train[:diagnose.GRADIENT_ROWS], dtype=torch.float64)
    Y = torch.tensor(task.Y_train[:diagnose.GRADIENT_ROWS], dtype=torch.float64)
    a, zs = X, []
    for l in range(1, net.L + 1):
        W = torch.tensor(net.W[l], dtype=torch.float64, requires_grad=True)
        z = a @ W + torch.tensor(net.b[l], dtype=torch.float64, requires_grad=True)
        z.retain_grad()
        zs.append(z)
        a = torch.relu(z) if (l < net.L and net.hidden == "relu") else torch.sigmoid(z)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(zs[-1], Y, reduction="sum") / len(Y)
    loss.backward()
    rms = [float(z.grad.pow(2).mean().sqrt()) for z in zs]
    assert value == pytest.approx(rms[0] / rms[-1], rel=1e-6)
    assert (value < 1e-3) if check == "vanishing_gradients" else (value > 1e3)


def test_a_short_run_that_has_not_learned_yet_says_so_and_strict_still_writes(tmp_path):
    code, out, err = run("train", "--epochs", "1", "--strict", "--save", "m.json", cwd=tmp_path)
    assert code == 1 and "collapsed" in err and "train for more --epochs" in err
    assert (tmp_path / "m.json").exists() and "test" in out


# -- 4. progress under a pseudo-terminal ---------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals here (not POSIX)")
def test_a_digits_run_on_a_terminal_shows_progress_with_an_eta_at_least_every_2_s():
    import pty  # noqa: F401  (POSIX)
    import select
    master, slave = os.openpty()
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.Popen([sys.executable, "-m", "tinybackprop.cli", "train", "--data", "digits", "--epochs", "4"],
                         stdout=subprocess.PIPE, stderr=slave, env=env, cwd=ROOT)
    os.close(slave)
    seen, buf, t0 = [], b"", time.time()
    while True:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            buf += chunk
            for piece in re.split(rb"[\r\n]", chunk):
                if b"ETA" in piece:
                    seen.append(time.time() - t0)
        elif p.poll() is not None:
            break
    out = p.stdout.read().decode()
    p.wait()
    os.close(master)
    text = buf.decode()
    assert p.returncode == 0, text
    assert text.count("\r") >= 3 and "epoch 4/4" in text and "ETA" in text
    assert text.rstrip().splitlines()[-1].startswith("4 epochs in ")  # then the summary line
    gaps = [b - a for a, b in zip(seen, seen[1:])]
    assert seen and max(gaps or [0]) <= 2.0, gaps
    assert "\r" not in out and out.startswith("trained the network")  # stdout (a pipe): the results only


def test_piped_output_stays_clean():
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run([sys.executable, "-m", "tinybackprop.cli", "train", "--epochs", "30", "--json"],
                       capture_output=True, text=True, env=env, cwd=ROOT)
    assert p.returncode == 0 and "\r" not in p.stdout + p.stderr and "epoch 1/" not in p.stderr
    json.loads(p.stdout)


# -- 6. resuming ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("opts", [[], ["--optimizer", "momentum"], ["--optimizer", "adam"]])
def test_resuming_a_saved_model_is_the_whole_run_bit_for_bit(tmp_path, opts):
    r, _ = train_json("--epochs", "30", "--save", "whole.json", *opts, cwd=tmp_path)
    train_json("--epochs", "12", "--save", "half.json", *opts, cwd=tmp_path)
    r2, err = train_json("--model", "half.json", "--epochs", "18", "--save", "more.json", cwd=tmp_path)
    whole, more = (json.load(open(str(tmp_path / n))) for n in ("whole.json", "more.json"))
    assert more["W"] == whole["W"] and more["b"] == whole["b"]
    assert more["data"].get("optimizer_state") == whole["data"].get("optimizer_state")
    assert r2["initial_epoch"] == 12 and r2["epochs"] == 18 and more["data"]["training"]["epochs"] == 30
    assert r2["history"]["loss"] == r["history"]["loss"][12:]
    assert r2["test_loss"] == r["test_loss"] and r2["val_loss"] == r["val_loss"]
    note = r2["resumed"]["optimizer_state"]
    assert ("restored" in note) if opts else ("no state" in note)


def test_resuming_keeps_the_saved_schedule(tmp_path):
    train_json("--epochs", "12", "--schedule", "cosine", "--save", "m.json", cwd=tmp_path)
    r, _ = train_json("--model", "m.json", "--epochs", "3", cwd=tmp_path)
    assert r["training"]["schedule"] == {"schedule": "cosine", "T_max": 12, "eta_min": 0.0}
    # epochs 13..15 of a half cosine over 12 epochs, counted from 0 as PyTorch counts: lr (1 + cos(pi e / 12)) / 2
    assert r["history"]["lr"] == pytest.approx([0.5 * (1 + math.cos(math.pi * e / 12)) / 2 for e in (12, 13, 14)],
                                               abs=1e-15)


def test_resuming_without_the_optimizer_state_says_so(tmp_path):
    train_json("--epochs", "3", "--optimizer", "adam", "--save", "m.json", cwd=tmp_path)
    d = json.load(open(str(tmp_path / "m.json")))
    assert d["data"]["optimizer_state"]["steps"] == 3 * 6  # 96 rows, 16 a step
    del d["data"]["optimizer_state"]
    with open(str(tmp_path / "bare.json"), "w") as f:  # closed at once (PyPy closes a file only when collected)
        json.dump(d, f)
    r, err = train_json("--model", "bare.json", "--epochs", "2", cwd=tmp_path)
    assert "no adam state was saved with it: adam starts with fresh buffers" in err
    assert "fresh buffers" in r["resumed"]["optimizer_state"]
    code, out, err = run("train", "--model", "m.json", "--epochs", "1", cwd=tmp_path)
    assert code == 0 and "its adam state restored (18 steps taken)" in out and "resumed from m.json" in out


@pytest.mark.parametrize("argv,words", [
    (["--layers", "4,5,1"], "--layers: the network is the one in --model m.json"),
    (["--seed", "3"], "resuming keeps the same rows"),
    (["--val-fraction", "0.3"], "resuming keeps the same rows"),
    (["--data", "digits"], "was trained on iris"),
    (["--save", "m.json", "--force"], "is the same file as --model"),
])
def test_resuming_refuses_what_would_change_the_network_or_its_rows(tmp_path, argv, words):
    assert run("train", "--epochs", "2", "--save", "m.json", cwd=tmp_path)[0] == 0
    code, out, err = run("train", "--model", "m.json", *argv, cwd=tmp_path)
    assert code == 2 and err.count("\n") == 1 and words in err, err


# -- 5. one command line ------------------------------------------------------------------------------

#: The one spelling of each meaning; the spellings no command may use for it.
NEVER = {"--batch": "--batch-size", "--graph": "--path graph", "--overwrite": "--force", "--output-file": "--out",
         "--save-model": "--save", "--quiet-mode": "--quiet"}
PATH_WORDS = {"vectorized", "per_neuron", "graph", "both"}


def test_every_option_of_every_command_has_one_spelling_per_meaning():
    rows = cli.option_table()
    by_command = {}
    for command, spell, takes, help_text in rows:
        by_command.setdefault(command, {})[spell] = (takes, help_text)
    assert sorted(by_command) == sorted(["train", "check", "explain", "predict", "draw", "export", "exercise"])
    spellings = {s for _, spell, _, _ in rows for s in spell.split(", ")}
    assert not set(NEVER) & spellings, set(NEVER) & spellings
    for command, options in by_command.items():
        assert "--json" in options, command  # every command has output to read
        names = set(options)
        if any(o == "--out" or o.startswith("--out,") for o in names):
            assert "--out, -o" in names, command  # --out has -o everywhere
        if names & {"--out, -o", "--save"}:
            assert "--force" in names, command  # one overwrite rule
        assert "model" not in names, command  # a saved model is always --model
    for command in ("train", "predict", "draw", "export"):
        assert "--model" in by_command[command], command
    for command in ("train", "check", "explain", "draw"):
        takes = by_command[command]["--path"][0]
        assert set(takes.strip("{}").split(",")) <= PATH_WORDS, (command, takes)
    for command in ("train", "check"):
        assert "--batch-size" in by_command[command]
    # the same option means the same on every command: the same type of value
    seen = {}
    for command, spell, takes, _ in rows:
        if spell in ("--seed", "--batch-size", "--json", "--quiet", "--force", "--model", "--layers", "--x", "--y"):
            seen.setdefault(spell, set()).add("" if spell in ("--seed", "--batch-size") else takes.split("{")[0])
    assert all(len(v) == 1 for v in seen.values()), seen


def test_one_overwrite_rule_on_every_command(tmp_path):
    assert run("train", "--epochs", "1", "--save", "m.json", cwd=tmp_path)[0] == 0
    (tmp_path / "taken.svg").write_text("mine")
    (tmp_path / "taken.py").write_text("mine")
    (tmp_path / "taken.json").write_text("mine")
    for argv, flag, name in ((["train", "--epochs", "1", "--save", "taken.json"], "--save", "taken.json"),
                             (["train", "--epochs", "1", "--plot", "taken.svg"], "--plot", "taken.svg"),
                             (["draw", "--out", "taken.svg"], "--out", "taken.svg"),
                             (["draw", "-o", "taken.svg", "--path", "graph", "--layers", "2,1"], "--out", "taken.svg"),
                             (["export", "--model", "m.json", "--to", "numpy", "-o", "taken.py"], "--out", "taken.py")):
        code, out, err = run(*argv, cwd=tmp_path)
        assert code == 2 and err == "tinybackprop: error: %s %s exists; add --force to replace it\n" % (flag, name)
        assert (tmp_path / name).read_text() == "mine"
        code, out, err = run(*argv + ["--force", "--quiet"], cwd=tmp_path)
        assert code == 0, err
        assert (tmp_path / name).read_text() != "mine"
        (tmp_path / name).write_text("mine")


def test_train_help_lists_each_data_sets_defaults_and_wraps_no_sentence():
    env_columns = os.environ.get("COLUMNS")
    try:
        for width in (80, 100):
            os.environ["COLUMNS"] = str(width)
            code, out, err = run("train", "--help")
            assert code == 0
            epilog = out[out.index("examples:"):]
            lines = epilog.splitlines()
            assert max(len(l) for l in lines) <= width, [l for l in lines if len(l) > width]
            paragraphs = [p.splitlines() for p in epilog.split("\n\n")]
            for p in paragraphs:
                prose = [l for l in p if not l.startswith(" ")]
                for l in prose[:-1]:  # a paragraph's lines are filled: no sentence cut into a short line
                    assert len(l) >= width - 25, (width, l)
    finally:
        if env_columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = env_columns
    table = out[out.index("defaults by data set"):]
    rows = {l.split()[0]: l.split() for l in table.splitlines()[1:12] if l.startswith("  ") and l.split()}
    assert rows["iris"][1:] == ["4,3,2,1", "sigmoid", "100", "0.5", "16", "0.2"]
    assert rows["xor"][1:] == ["2,4,1", "sigmoid", "100", "0.5", "16", "0"]
    assert rows["digits"][1:] == ["64,32,10", "softmax", "20", "2", "16", "0.2"]
    assert rows["spiral"][1:] == ["2,16,16,3", "softmax", "300", "0.3", "16", "0.2"]
    assert rows["moons"][1:] == ["2,16,16,1", "sigmoid", "100", "0.3", "16", "0.2"]
    assert "train() has no data set to tune for: it starts from lr 0.1" in " ".join(out.split())


def test_wording_plurals_and_no_hidden_layer():
    code, out, err = run("train", "--epochs", "1", "--layers", "4,1")
    assert "4-1 (no hidden layer, output sigmoid, loss bce)" in out and "\n1 epoch, lr" in out
    assert "1 epochs" not in out and "hidden sigmoid" not in out
    code, out, err = run("check", "--layers", "3,1")
    assert "3-1 (no hidden layer" in out


def test_bare_command_lists_every_command_and_an_unknown_option_names_its_commands_help():
    code, out, err = run()
    assert code == 2
    for name in ("train", "check", "explain", "predict", "draw", "export", "exercise"):
        assert name in err
    code, out, err = run("train", "--epoch", "3")
    assert code == 2 and "did you mean --epochs?" in err and "(see 'tinybackprop train --help')" in err
    code, out, err = run("predict", "m.json", "--x", "1")
    assert code == 2 and "--model m.json" in err


def test_explain_and_exercise_and_draw_and_export_print_json(tmp_path):
    code, out, err = run("explain", "--layers", "2,2,1", "--json")
    d = json.loads(out)
    net = tb.Network([2, 2, 1], seed=0)
    g = tb.per_neuron.backward(net, [[0.1, 0.2]], [[1.0]])
    assert d["g_x"] == pytest.approx(g.x[0], rel=1e-12) and d["loss_value"] == pytest.approx(g.loss, rel=1e-12)
    flat = [v for layer in d["per_layer"] for row in layer["g_W"] for v in row]
    assert flat == pytest.approx([v for l in (1, 2) for row in g.W[l] for v in row], rel=1e-12)
    code, out, err = run("draw", "-o", "n.svg", "--json", cwd=tmp_path)
    assert json.loads(out)["wrote"] == "n.svg" and json.loads(out)["picture"] == "network"
    code, out, err = run("draw", "-o", "g.svg", "--example", "111", "--json", cwd=tmp_path)
    assert json.loads(out)["nodes"] == 12
