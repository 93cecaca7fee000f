"""``tinybackprop export MODEL.json --to torch|numpy --out FILE.py``: the scripts it
writes run with exit status 0 on the model's own test rows, and with 1 once a weight in
them is tampered with; it refuses an existing file unless --force, and misuse exits 2
with one line, as every command does.  Running a script needs its library: those runs
are skipped, saying which, where it is not installed."""
import io
import subprocess
import sys

import pytest

import tinybackprop as tb
from tinybackprop import cli


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def run_script(path):
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def iris_model(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("export") / "iris.json")
    code, _, err = run("train", "--epochs", "5", "--seed", "3", "--quiet", "--save", path)
    assert code == 0, err
    return path


@pytest.mark.parametrize("to", ["numpy", "torch"])
def test_the_script_checks_the_models_test_rows_and_catches_a_tampered_weight(tmp_path, iris_model, to):
    pytest.importorskip(to, reason="%s is not installed: the exported script cannot run here" % to)
    script = tmp_path / ("iris_%s.py" % to)
    code, out, err = run("export", "--model", iris_model, "--to", to, "--out", str(script))
    assert code == 0, err
    assert "the 30 test rows of Iris" in out
    r = run_script(script)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "OK: 30 rows agree with tinybackprop" in r.stdout
    # the rows are the test part of the model's own split (seed 3), prepared as the model takes them
    net = tb.Network.load(iris_model)
    from tinybackprop import datasets
    task = datasets.iris_task("binary", seed=3)
    text = script.read_text()
    assert repr(task.X_test[0][0]) in text
    first = repr(net.W[1][0][0])
    assert text.count(first) == 1
    script.write_text(text.replace(first, repr(net.W[1][0][0] + 0.5)))
    r = run_script(script)
    assert r.returncode == 1 and "MISMATCH" in r.stdout, r.stdout + r.stderr


def test_a_model_without_data_is_checked_on_seeded_rows(tmp_path):
    model = tmp_path / "plain.json"
    tb.Network([3, 2], hidden="tanh", output="softmax", loss="cross_entropy", seed=1).save(str(model))
    code, out, err = run("export", "--model", str(model), "--to", "numpy", "--out", str(tmp_path / "plain.py"))
    assert code == 0, err
    assert "8 seeded random rows" in out
    compile((tmp_path / "plain.py").read_text(), "plain.py", "exec")


def test_an_existing_file_is_kept_unless_force(tmp_path, iris_model):
    target = tmp_path / "kept.py"
    target.write_text("# mine\n")
    code, out, err = run("export", "--model", iris_model, "--to", "numpy", "--out", str(target))
    assert code == 2 and out == ""
    assert err.strip() == "tinybackprop: error: --out %s exists; add --force to replace it" % target
    assert target.read_text() == "# mine\n"
    code, out, err = run("export", "--model", iris_model, "--to", "numpy", "--out", str(target), "--force")
    assert code == 0, err
    assert "import numpy as np" in target.read_text()


@pytest.mark.parametrize("argv,message", [
    (["--to", "jax", "--out", "x.py"], "invalid choice: 'jax'"),
    (["--out", "x.py"], "the following arguments are required: --to"),
    (["--to", "numpy", "--out", "x.txt"], "give a file name ending in .py"),
])
def test_misuse_exits_2_with_one_line(tmp_path, iris_model, argv, message):
    code, out, err = run("export", "--model", iris_model, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("tinybackprop: error: ") and message in err, err


def test_a_missing_or_bad_model_exits_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "tinybackprop-network"')
    for model in (str(tmp_path / "missing.json"), str(bad)):
        code, out, err = run("export", "--model", model, "--to", "numpy", "--out", str(tmp_path / "s.py"))
        assert code == 2 and err.startswith("tinybackprop: error: ") and err.count("\n") == 1, err
        assert not (tmp_path / "s.py").exists()
