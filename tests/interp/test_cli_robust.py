"""The command line attacked: tampered model data sections, divergent training, strict
JSON, size limits, the --save/--plot/--out names, and the rough edges (abbreviations,
negative --x, closed or ASCII-only stdout, TINYBACKPROP_DEBUG=0, broken pipes)."""
import io
import json
import os
import subprocess
import sys

import pytest

cli = pytest.importorskip("tinybackprop.cli", reason="tinybackprop/cli.py is not in this tree")
import tinybackprop as tb  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def refused(argv, *words):
    code, out, err = run(*argv)
    assert code == 2, (argv, code, out, err)
    assert err.startswith("tinybackprop: error: ") and err.count("\n") == 1, err
    assert out == "" and "Traceback" not in err
    for w in words:
        assert w in err, (w, err)
    return err


def process(*argv, env=None, shell=None, **kw):
    e = dict(os.environ, PYTHONPATH=ROOT)
    e.pop("TINYBACKPROP_DEBUG", None)
    e.update(env or {})
    cmd = shell if shell else [sys.executable, "-m", "tinybackprop.cli"] + list(argv)
    return subprocess.run(cmd, capture_output=True, text=True, env=e, shell=bool(shell), timeout=120, **kw)


def strict_json(text):
    def refuse(name):
        raise ValueError("not JSON: %s" % name)
    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("model") / "m.json")
    assert run("train", "--quiet", "--epochs", "5", "--save", path)[0] == 0
    return path


@pytest.fixture(scope="module")
def model3(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("model3") / "m3.json")
    assert run("train", "--quiet", "--epochs", "5", "--layers", "4,5,3", "--output", "softmax", "--save", path)[0] == 0
    return path


def tampered(tmp_path, model, change):
    d = json.load(open(model))
    change(d["data"])
    path = str(tmp_path / "t.json")
    with open(path, "w") as f:
        f.write(json.dumps(d))
    return path


# -- the data section -----------------------------------------------------------------------------

def _set(path, value):
    def change(data):
        keys = path.split(".")
        target = data
        for k in keys[:-1]:
            target = target[k]
        target[keys[-1]] = value
    return change


TAMPERED = [
    ("standardize.mean", ["5.8", "3.0", "3.8", "1.2"], "data.standardize.mean[0] must be a finite number"),
    ("standardize.std", [float("inf"), 1.0, 1.0, 1.0], "data.standardize.std[0] must be a finite number > 0"),
    ("standardize.std", [0.0, 1.0, 1.0, 1.0], "data.standardize.std[0] must be a finite number > 0"),
    ("standardize.std", [True, 1.0, 1.0, 1.0], "data.standardize.std[0]"),
    ("standardize.std", [-1.0, 1.0, 1.0, 1.0], "data.standardize.std[0]"),
    ("standardize.std", [1.0, 1.0, 1.0], "data.standardize.std must be a list of 4 numbers"),
    ("standardize.mean", 3.0, "data.standardize.mean must be a list of 4 numbers"),
    ("standardize.mean", [1e400, 0, 0, 0], "data.standardize.mean[0]"),
    ("standardize", [1, 2], "data.standardize must be an object"),
    ("standardize", {"mean": [0, 0, 0, 0]}, "data.standardize must be an object with 'std'"),
    ("classes", {"0": "a", "1": "b"}, "data.classes must be a list of 2 non-empty strings"),
    ("classes", [0, 1], "data.classes must be a list of 2"),
    ("classes", ["only"], "data.classes must be a list of 2"),
    ("classes", ["a", "a"], "data.classes must be 2 different names"),
    ("classes", ["a", ""], "data.classes"),
    ("features", ["a"], "data.features must be a list of 4"),
    ("task", 7, "data.task must be text"),
]


@pytest.mark.parametrize("key,value,words", TAMPERED, ids=["%s=%r" % (k, v) for k, v, _ in TAMPERED])
def test_a_tampered_data_section_is_refused_naming_the_key(tmp_path, model, key, value, words):
    if isinstance(value, list) and value and value[0] == float("inf"):
        path = tampered(tmp_path, model, _set(key, value))
        text = open(path).read()
        assert "Infinity" in text  # what a tampered file can hold (Python's json reads it)
    else:
        path = tampered(tmp_path, model, _set(key, value))
    refused(["predict", "--model", path, "--x", "5.1,3.5,1.4,0.2"], "load: %s: " % path, words)


def test_classes_of_a_3_class_model_are_checked_against_its_outputs(tmp_path, model3):
    path = tampered(tmp_path, model3, _set("classes", ["a", "b"]))
    refused(["predict", "--model", path, "--x", "5.1,3.5,1.4,0.2"], "data.classes must be a list of 3")


def test_the_data_section_must_be_an_object(tmp_path, model):
    d = json.load(open(model))
    d["data"] = [1]
    path = str(tmp_path / "t.json")
    with open(path, "w") as f:  # closed before the CLI reads it (PyPy closes files only when collected)
        f.write(json.dumps(d))
    refused(["predict", "--model", path, "--x", "5.1,3.5,1.4,0.2"], "field 'data' must be an object")


def test_what_train_saves_predict_accepts_for_every_task(tmp_path):
    for args in (["--layers", "4,3,1", "--positive", "setosa"], ["--layers", "4,5,3", "--output", "softmax"],
                 ["--data", "xor", "--layers", "2,3,1"], ["--layers", "4,2,1", "--output", "identity"]):
        path = str(tmp_path / "m.json")
        assert run("train", "--quiet", "--epochs", "2", "--save", path, "--force", *args)[0] == 0
        x = "0,1" if "xor" in args else "5.1,3.5,1.4,0.2"
        code, out, err = run("predict", "--model", path, "--x", x, "--json")
        assert code == 0, err
        strict_json(out)


def test_predict_reads_the_model_file_once(model, monkeypatch):
    from tinybackprop import files
    calls = []
    real = files.open_read
    monkeypatch.setattr(files, "open_read", lambda p: calls.append(p) or real(p))
    assert run("predict", "--model", model, "--x", "5.1,3.5,1.4,0.2")[0] == 0
    assert calls == [model]


def test_predict_on_a_device_or_a_pipe_is_refused_without_hanging(tmp_path, model):
    r = process("predict", "--model", "/dev/zero", "--x", "1,2,3,4")
    assert r.returncode == 2 and "cannot read /dev/zero: it is not a regular file" in r.stderr, r
    r = process("predict", "--model", "/dev/stdin", "--x", "1,2,3,4", input=open(model).read())
    assert r.returncode == 2 and "cannot read /dev/stdin: it is not a regular file" in r.stderr, r


# -- never a silent NaN ---------------------------------------------------------------------------

def test_divergent_training_stops_saves_nothing_and_says_lower_lr(tmp_path):
    path, plot = str(tmp_path / "m.json"), str(tmp_path / "loss.svg")
    refused(["train", "--quiet", "--lr", "1e300", "--save", path, "--plot", plot],
                  "training diverged", "lower --lr (now 1e+300)")
    assert not os.path.exists(path) and not os.path.exists(plot)
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize("lr", ["1e308", "1e300", "1e30", "1e6"])
def test_json_output_of_a_diverging_run_is_an_error_never_infinity(lr):
    code, out, err = run("train", "--json", "--lr", lr)
    assert code == 2 and out == "" and "training diverged" in err, (code, out, err)


def test_a_normal_run_is_not_taken_for_divergence():
    # (the README's 3-class command is run by test_cli.py, which would fail the same way)
    for args in ([], ["--lr", "5", "--epochs", "30"],
                 ["--data", "xor", "--layers", "2,4,1", "--hidden", "tanh", "--epochs", "300", "--batch-size", "4"]):
        code, out, err = run("train", "--json", *args)
        assert code == 0, (args, err)
        strict_json(out)


def test_predict_with_non_finite_outputs_is_an_error(tmp_path, model):
    d = json.load(open(model))
    d["W"][0] = [[1e308 if i % 2 == 0 else -1e308] * len(row) for i, row in enumerate(d["W"][0])]
    path = str(tmp_path / "big.json")
    with open(path, "w") as f:  # closed before the CLI reads it (PyPy closes files only when collected)
        f.write(json.dumps(d))
    net = tb.Network.load(path)
    with pytest.raises(tb.BackpropError, match="row 1 of X is not a finite number"):  # inf - inf = NaN, refused
        net.predict([[10.0, 10.0, 10.0, 10.0]])
    refused(["predict", "--model", path, "--x", "80,80,80,80"], "--x number 1", "not a finite number")
    refused(["predict", "--model", path, "--x", "80,80,80,80", "--json"], "not a finite number")


def test_predict_with_inputs_too_large_to_standardise_is_an_error(model):
    refused(["predict", "--model", model, "--x", "1e308,-1e308,1e308,1e308"], "--x number 1")


def test_every_json_output_is_strict(model, tmp_path):
    outs = [run("train", "--json", "--epochs", "3")[1], run("check", "--json")[1],
            run("predict", "--model", model, "--x", "5.1,3.5,1.4,0.2", "--json")[1]]
    for text in outs:
        strict_json(text)


def test_dump_json_refuses_nan():
    with pytest.raises(tb.BackpropError, match="--json: a result is not a finite number"):
        cli.dump_json({"loss": float("nan")})


# -- bounded work ---------------------------------------------------------------------------------

LIMITED = [
    (["check", "--batch-size", "1000000000"], "--batch-size", "at most"),
    (["check", "--layers", "4,300,300,1"], "central differences would take", "--batch"),
    (["draw", "--out", "n.svg", "--layers", "4,3000,3000,1"], "--layers 4,3000,3000,1: draw takes at most"),
    (["draw", "--out", "n.svg", "--layers", "4,300,1"], "--layers 4,300,1: too big to draw"),
    (["draw", "--out", "n.svg", "--layers", "4,70,70,1"], "--layers 4,70,70,1: draw takes at most 5000"),
    (["explain", "--layers", "4,3000,1"], "explain takes at most"),
    (["train", "--layers", "4,3000,3000,1"], "train takes at most"),
    (["train", "--layers", "4,100001,1"], "at most 10000 neurons"),
    (["train", "--layers", ",".join(["4"] * 60)], "at most 50 layers"),
    (["train", "--epochs", "1000000000"], "--epochs", "at most"),
    (["train", "--batch-size", "1000000000"], "--batch-size", "at most"),
]


@pytest.mark.parametrize("case", LIMITED, ids=[" ".join(c[0])[:40] for c in LIMITED])
def test_every_size_argument_has_a_limit(tmp_path, monkeypatch, case):
    monkeypatch.chdir(str(tmp_path))
    refused(case[0], *case[1:])
    assert os.listdir(str(tmp_path)) == []


def test_draw_refuses_a_saved_model_too_big_to_draw(tmp_path):
    path = str(tmp_path / "big.json")
    tb.Network([4, 300, 30, 1]).save(path)
    refused(["draw", "--out", str(tmp_path / "n.svg"), "--model", path], "--model %s: too big to draw" % path)


def test_predict_limits_the_number_of_examples(model, monkeypatch):
    assert cli.LIMITS["x_rows"] == 10000
    monkeypatch.setitem(cli.LIMITS, "x_rows", 3)  # the same check, without parsing 10001 options
    refused(["predict", "--model", model] + ["--x", "1,2,3,4"] * 4, "--x: at most 3 examples at a time, got 4")
    assert run("predict", "--model", model, *["--x", "1,2,3,4"] * 3)[0] == 0


# -- file names -----------------------------------------------------------------------------------

def test_save_and_plot_to_one_file_is_refused_before_training(tmp_path):
    same = str(tmp_path / "x")
    refused(["train", "--save", same + ".svg", "--plot", same + ".svg"], "--save and --plot name the same file")
    os.symlink(same + ".svg", str(tmp_path / "link.svg"))
    refused(["train", "--save", str(tmp_path / "link.svg"), "--plot", same + ".svg"], "the same file")
    assert sorted(os.listdir(str(tmp_path))) == ["link.svg"]


def test_an_empty_save_name_is_refused():
    refused(["train", "--save", ""], "--save: path must be a file name")
    refused(["train", "--plot", ""], "--plot: path must be a file name")
    refused(["draw", "--out", ""], "--out: path must be a file name")


def test_an_unwritable_target_is_found_before_training(tmp_path):
    fifo = str(tmp_path / "fifo")
    os.mkfifo(fifo)  # (never the system's /dev/null: a regression would replace it, as root)
    for argv in (["--save", str(tmp_path / "no" / "m.json")], ["--save", fifo], ["--save", str(tmp_path)],
                 ["--plot", str(tmp_path / "no" / "l.svg")]):
        code, out, err = run("train", *argv)  # not --quiet: a started training would print its progress
        assert code == 2 and "epoch" not in err and "cannot write" in err, (argv, err)
        assert "tbtmp" not in err


@pytest.mark.parametrize("argv", [["train", "--plot", "x.png"], ["draw", "--out", "x.png"], ["draw", "--out", "x"]])
def test_pictures_must_be_named_svg(tmp_path, monkeypatch, argv):
    monkeypatch.chdir(str(tmp_path))
    refused(argv, "the picture is SVG; give a file name ending in .svg")
    assert os.listdir(str(tmp_path)) == []


def test_draw_refuses_to_overwrite_its_model(tmp_path):
    path = str(tmp_path / "m.svg")
    tb.Network([2, 1]).save(path)
    refused(["draw", "--model", path, "--out", path], "is the same file as --model", "would destroy that input")


def test_errors_name_the_users_path(tmp_path, monkeypatch):
    from tinybackprop import files
    monkeypatch.setattr(files, "replace", lambda a, b: (_ for _ in ()).throw(OSError(13, "Permission denied")))
    path = str(tmp_path / "m.json")
    err = refused(["train", "--quiet", "--save", path], "--save: cannot write %s: Permission denied" % path)
    assert "tbtmp" not in err and os.listdir(str(tmp_path)) == []


# -- rough edges ----------------------------------------------------------------------------------

def test_options_are_not_taken_from_abbreviations():
    refused(["train", "--epoch", "3"], "unrecognized arguments: --epoch")
    refused(["check", "--bat", "3"], "unrecognized arguments: --bat")


def test_positive_is_refused_for_a_network_with_several_outputs():
    refused(["train", "--layers", "4,8,3", "--output", "softmax", "--positive", "setosa"],
            "--positive picks the class of a network with 1 output", "3 outputs")
    refused(["train", "--data", "xor", "--positive", "setosa"], "--positive", "XOR")
    assert run("train", "--quiet", "--epochs", "1", "--positive", "setosa")[0] == 0


def test_negative_numbers_in_x_and_y(model, tmp_path):
    code, out, err = run("predict", "--model", model, "--x", "-1.5,2,3,4", "--x", "1,-2,3,4")
    assert code == 0 and out.startswith("x = [-1.5, 2, 3, 4]"), err
    code, out, err = run("explain", "--layers", "2,1", "--output", "identity", "--x", "-1.5,2", "--y", "-0.5")
    assert code == 0, err
    code, out, err = run("draw", "--out", str(tmp_path / "n.svg"), "--gradients", "--x", "-1,2,3,4", "--y", "1")
    assert code == 0 and os.path.exists(str(tmp_path / "n.svg")), err


def test_messages_use_the_flag_names_not_internal_ones():
    for argv in (["train", "--test-fraction", "1.5"], ["train", "--layers", "4,3000,3000,1"],
                 ["train", "--output", "softmax"], ["check", "--output", "identity", "--loss", "bce"]):
        err = refused(argv)
        assert "train_test_split" not in err and "Network:" not in err and "Standardizer" not in err, err


def test_a_closed_stdout_does_not_crash_and_the_work_is_done(tmp_path):
    path = str(tmp_path / "m.json")
    r = process(shell="%s -m tinybackprop.cli train --epochs 3 --save %s >&-" % (sys.executable, path))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert tb.Network.load(path).sizes == [4, 3, 2, 1]


def test_an_ascii_only_stdout_does_not_crash():
    env = {"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"}
    for argv in (["explain"], ["explain", "--format", "markdown"], ["train", "--epochs", "2"], ["--help"]):
        r = process(*argv, env=env)
        assert r.returncode == 0 and "Traceback" not in r.stderr, (argv, r.stderr)


def test_a_closed_pipe_ends_quietly():
    r = process(shell="%s -m tinybackprop.cli explain --layers 4,30,1 | head -1" % sys.executable)
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr and "Exception" not in r.stderr, r.stderr


@pytest.mark.parametrize("value,traceback", [("0", False), ("", False), ("no", False), ("false", False),
                                             ("1", True), ("yes", True)])
def test_debug_zero_means_off(value, traceback):
    r = process("predict", "--model", "/no/such/file.json", "--x", "1,2,3,4", env={"TINYBACKPROP_DEBUG": value})
    assert r.returncode != 0
    assert ("Traceback" in r.stderr) == traceback, r.stderr


def test_seed_help_says_what_each_command_seeds():
    helps = {}
    for cmd in ("train", "check", "explain", "draw"):
        out = io.StringIO()
        cli.main([cmd, "--help"], out=out, err=io.StringIO())
        text = " ".join(out.getvalue().split())
        helps[cmd] = text[text.rindex("--seed SEED"):].split(" --", 1)[0]  # the options entry, after the usage line
    assert "test and validation rows" in helps["train"] and "batch order" in helps["train"]
    for cmd in ("check", "explain", "draw"):
        assert "validation rows" not in helps[cmd] and "batch order" not in helps[cmd], helps[cmd]
    assert "random batch" in helps["check"]
