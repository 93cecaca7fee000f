"""The command line under misuse: bad flags, bad numbers and bad files exit with
status 2 and exactly one line on stderr (``tinybackprop: error: ...``), no
traceback, nothing on stdout.

The one line must also be an anticipated refusal, not the name of an internal
exception (``KeyError: ...``, ``AttributeError: ...``): an error the program did
not foresee would still be caught by the last-resort handler and printed on one
line, so that alone would prove nothing.
"""
import io
import json
import os
import re
import subprocess
import sys

import pytest

import tinybackprop as tb
from tinybackprop import cli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNFORESEEN = re.compile(r"^tinybackprop: error: [A-Z][A-Za-z]*(Error|Exception|Warning): ")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def assert_refused(argv, *words, code=2):
    status, out, err = run(*argv)
    assert status == code, (argv, status, out, err)
    assert err.startswith("tinybackprop: error: "), err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err and out == "", (out, err)
    assert not UNFORESEEN.match(err), "an unforeseen exception reached the user: " + err
    for w in words:
        assert w in err, (w, err)
    return err


# -- bad flags -----------------------------------------------------------------------------------

BAD_FLAGS = [
    ([], "a command is required"),
    (["fly"], "invalid choice: 'fly'"),
    (["train", "--bogus"], "unrecognized arguments: --bogus"),
    (["train", "extra"], "unrecognized arguments: extra"),
    (["train", "--lr"], "--lr: expected one argument"),
    (["train", "--hidden"], "--hidden: expected one argument"),
    (["train", "--hidden", "softmax"], "invalid choice: 'softmax'"),
    (["train", "--hidden", "Sigmoid"], "invalid choice: 'Sigmoid'"),
    (["train", "--output", "relu"], "invalid choice: 'relu'"),
    (["train", "--loss", "mse"], "invalid choice: 'mse'"),
    (["train", "--data", "mnist"], "invalid choice: 'mnist'"),
    (["train", "--path", "gpu"], "invalid choice: 'gpu'"),
    (["train", "--positive", "rose"], "invalid choice: 'rose'"),
    (["check", "--loss", "hinge"], "invalid choice: 'hinge'"),
    (["explain", "--format", "html"], "invalid choice: 'html'"),
    (["predict"], "the following arguments are required: --model"),
    (["draw"], "the following arguments are required: --out"),
    (["draw", "--labels", "all", "--out", "x.svg"], "invalid choice: 'all'"),
]


@pytest.mark.parametrize("argv,words", BAD_FLAGS, ids=[" ".join(a) or "(none)" for a, _ in BAD_FLAGS])
def test_bad_flags_exit_2_with_one_line(argv, words):
    assert_refused(argv, words)


def test_predict_without_inputs_exits_2(tmp_path):
    model = str(tmp_path / "m.json")
    tb.Network([4, 3, 1]).save(model)
    assert_refused(["predict", "--model", model], "the following arguments are required: --x")


# -- bad numbers ---------------------------------------------------------------------------------

BAD_NUMBERS = [
    (["train", "--lr", "-1"], "--lr", "> 0"),
    (["train", "--lr", "0"], "--lr", "> 0"),
    (["train", "--lr", "nan"], "--lr", "> 0"),
    (["train", "--lr", "inf"], "--lr", ""),
    (["train", "--lr", "1e999"], "--lr", ""),
    (["train", "--lr", "abc"], "--lr", "not a number"),
    (["train", "--lr", ""], "--lr", "not a number"),
    (["train", "--epochs", "0"], "--epochs", ">= 1"),
    (["train", "--epochs", "-3"], "--epochs", ">= 1"),
    (["train", "--epochs", "2.5"], "--epochs", "not a whole number"),
    (["train", "--epochs", "1e3"], "--epochs", "not a whole number"),
    (["train", "--batch-size", "0"], "--batch-size", ">= 1"),
    (["train", "--batch-size", "two"], "--batch-size", "not a whole number"),
    (["train", "--layers", "4,x"], "--layers", "'4,x'"),
    (["train", "--layers", "4,x,1"], "--layers", "'4,x,1'"),
    (["train", "--layers", "4"], "--layers", "at least 2 layer widths"),
    (["train", "--layers", ""], "--layers", ""),
    (["train", "--layers", "4,,1"], "--layers", "'4,,1'"),
    (["train", "--layers", "4,-3,1"], "--layers", ">= 1"),
    (["train", "--layers", "4,0,1"], "--layers", ">= 1"),
    (["train", "--layers", "4,3.5,1"], "--layers", "'4,3.5,1'"),
    (["train", "--layers", "5,3,1"], "Iris has 4 measurements", "--layers must start with 4"),
    (["train", "--layers", "4,3,2"], "Iris has 3 species", "must end with 1"),
    (["train", "--data", "xor", "--layers", "4,3,1"], "XOR has 2 inputs and 1 output", ""),
    (["train", "--layers", "4,100000000,1"], "--layers", "at most 10000 neurons"),
    (["train", "--layers", "4,3000,3000,1"], "--layers 4,3000,3000,1: train takes at most", "use fewer or smaller"),
    (["train", "--seed", "x"], "--seed", "invalid int value"),
    (["train", "--seed", "1.5"], "--seed", "invalid int value"),
    (["train", "--test-fraction", "0"], "--test-fraction", ""),
    (["train", "--test-fraction", "1.5"], "test", ""),
    (["train", "--output", "softmax"], "--output softmax needs at least 2 outputs", "end --layers with 2"),
    (["train", "--output", "identity", "--loss", "bce"], "--loss bce takes log(yhat)", "--output sigmoid or softmax"),
    (["check", "--tol", "0"], "--tol", "> 0"),
    (["check", "--h", "-1"], "--h", "> 0"),
    (["check", "--paths-tol", "nan"], "--paths-tol", "> 0"),
    (["check", "--batch-size", "0"], "--batch-size", ">= 1"),
    (["check", "--layers", "0,1"], "--layers", ">= 1"),
    (["draw", "--out", "x.svg", "--x", "1,nan"], "--x", "finite"),
    (["draw", "--out", "x.svg", "--x", "a,b"], "--x", "not a comma-separated list of numbers"),
    (["draw", "--out", "x.svg", "--gradients", "--x", "1,2"], "--x has 2 numbers but the network takes 4 inputs", ""),
    (["draw", "--out", "x.svg", "--gradients", "--y", "1,2"], "--y has 2 numbers but the network has 1 outputs", ""),
    (["draw", "--out", "x.svg", "--gradients", "--y", "5"], "Y[0][0] is 5.0, but bce labels must lie in [0, 1]", ""),
    (["draw", "--out", "x.svg", "--gradients", "--layers", "4,3,3", "--output", "softmax", "--y", "1,1,0"],
     "Y[0] sums to 2.0", "probability distribution"),
]


@pytest.mark.parametrize("argv,w1,w2", BAD_NUMBERS, ids=[" ".join(a) for a, _, _ in BAD_NUMBERS])
def test_bad_numbers_exit_2_with_one_line(argv, w1, w2, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may be written anyway
    assert_refused(argv, w1, w2)
    assert os.listdir(str(tmp_path)) == []


# -- bad files -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def good_model(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("model") / "model.json")
    code, out, err = run("train", "--quiet", "--epochs", "2", "--save", path)
    assert code == 0, err
    with open(path) as f:
        return f.read()


def write(tmp_path, name, content):
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content)
    return str(p)


def edited(text, edit):
    d = json.loads(text)
    edit(d)
    return json.dumps(d)


def test_the_good_model_predicts(good_model, tmp_path):
    code, out, err = run("predict", "--model", write(tmp_path, "m.json", good_model), "--x", "5.1,3.5,1.4,0.2")
    assert code == 0, err


BAD_FILES = {
    "empty": lambda t: "",
    "half": lambda t: t[: len(t) // 2],
    "all-but-the-brace": lambda t: t.rstrip()[:-1],
    "one-char": lambda t: t[:1],
    "not-json": lambda t: "this is not JSON",
    "binary": lambda t: bytes(range(256)) * 3,
    "list": lambda t: "[1, 2, 3]",
    "empty-object": lambda t: "{}",
    "nan-weight": lambda t: t.replace("[", "[NaN, ", 3).replace("[NaN, ", "[", 2),
    "wrong-shape": lambda t: edited(t, lambda d: d["W"][0].pop()),
    "ragged": lambda t: edited(t, lambda d: d["W"][0][0].pop()),
    "string-weight": lambda t: edited(t, lambda d: d["W"][1][0].__setitem__(0, "0.5")),
    "unknown-hidden": lambda t: edited(t, lambda d: d.__setitem__("hidden", "swish")),
    "softmax-hidden": lambda t: edited(t, lambda d: d.__setitem__("hidden", "softmax")),
    "unknown-loss": lambda t: edited(t, lambda d: d.__setitem__("loss", "hinge")),
    "wrong-format": lambda t: edited(t, lambda d: d.__setitem__("format", "keras")),
    "no-W": lambda t: edited(t, lambda d: d.pop("W")),
    "data-not-object": lambda t: edited(t, lambda d: d.__setitem__("data", 5)),
    "standardize-garbage": lambda t: edited(t, lambda d: d["data"].__setitem__("standardize", "x")),
    "standardize-short": lambda t: edited(t, lambda d: d["data"]["standardize"]["mean"].pop()),
    "deep": lambda t: "[" * 100000 + "]" * 100000,
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_model_files_exit_2_with_one_line(good_model, tmp_path, name):
    path = write(tmp_path, name + ".json", BAD_FILES[name](good_model))
    assert_refused(["predict", "--model", path, "--x", "5.1,3.5,1.4,0.2"])
    if not name.startswith("standardize"):  # draw does not use how inputs are prepared
        assert_refused(["draw", "--model", path, "--out", str(tmp_path / "n.svg")])
        assert not os.path.exists(str(tmp_path / "n.svg"))


def test_truncated_model_at_every_length_exits_2(good_model, tmp_path):
    path = str(tmp_path / "m.json")
    text = good_model.rstrip()
    for cut in range(0, len(text), max(1, len(text) // 60)):
        with open(path, "w") as f:
            f.write(text[:cut])
        assert_refused(["predict", "--model", path, "--x", "5.1,3.5,1.4,0.2"], path)


def test_missing_or_unreadable_model_exits_2(tmp_path):
    missing = str(tmp_path / "nope.json")
    assert_refused(["predict", "--model", missing, "--x", "1,2,3,4"], "nope.json")
    assert_refused(["predict", "--model", str(tmp_path), "--x", "1,2,3,4"])  # a folder
    assert_refused(["draw", "--model", missing, "--out", str(tmp_path / "n.svg")], "nope.json")


def test_predict_inputs_of_the_wrong_width_exit_2(good_model, tmp_path):
    path = write(tmp_path, "m.json", good_model)
    assert_refused(["predict", "--model", path, "--x", "1,2"], "2 numbers", "4 inputs")
    assert_refused(["predict", "--model", path, "--raw", "--x", "1,2"], "--x number 1 has 2 numbers but the model takes 4 inputs")
    assert_refused(["predict", "--model", path, "--x", "1,2,3,4", "--x", "1,2,3"], "3 numbers")


def test_unwritable_outputs_exit_2_before_any_work(tmp_path):
    nowhere = str(tmp_path / "no-such-folder" / "out")
    assert_refused(["train", "--save", nowhere + ".json"], "does not exist")
    assert_refused(["train", "--plot", nowhere + ".svg"], "does not exist")
    assert_refused(["train", "--save", str(tmp_path)], "is a folder")
    assert_refused(["draw", "--out", nowhere + ".svg"], "does not exist")


# -- a real process: the console entry point, exit status and stderr as a user sees them --------------

def run_process(argv, cwd):
    env = dict(os.environ)
    env.pop("TINYBACKPROP_DEBUG", None)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "tinybackprop.cli"] + argv, capture_output=True, text=True,
                          cwd=cwd, env=env, stdin=subprocess.DEVNULL, timeout=120)


@pytest.mark.parametrize("argv", [
    ["train", "--lr", "-1"], ["train", "--layers", "4,x"], ["train", "--bogus"], ["check", "--h", "0"],
    ["predict", "--model", "truncated.json", "--x", "1,2,3,4"], ["predict", "--model", "missing.json", "--x", "1,2,3,4"],
], ids=lambda a: " ".join(a))
def test_misuse_in_a_real_process_exits_2_with_one_line(argv, tmp_path):
    (tmp_path / "truncated.json").write_text('{"format": "tinybackprop-network", "version": 1, "sizes": [4,')
    p = run_process(argv, str(tmp_path))
    assert p.returncode == 2, p
    assert p.stderr.startswith("tinybackprop: error: ") and p.stderr.count("\n") == 1, p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""
    assert not UNFORESEEN.match(p.stderr), p.stderr
