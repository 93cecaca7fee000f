"""``tinybackprop export --model MODEL.json --to torch|numpy --out FILE.py``: the scripts it
writes run with exit status 0 on the model's own test rows (raw measurements, as
``tinybackprop predict`` takes them), and with 1 once a weight in them is tampered with;
models trained on CSV files with named features (a classifier and a regression) give, in
the script's ``predict`` and ``classify``, what ``tinybackprop predict --json`` gives for
the same raw rows; it refuses an existing file unless --force, and misuse exits 2 with one
line, as every command does.  Running a script needs its library: those runs are skipped,
saying which, where it is not installed."""
import ast
import csv
import io
import json
import random
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
    # the rows are the test part of the model's own split (seed 3), as raw measurements of Iris
    net = tb.Network.load(iris_model)
    from tinybackprop import datasets
    task = datasets.iris_task("binary", seed=3)
    text = script.read_text()
    rows = ast.literal_eval(text.split("\nROWS = ", 1)[1].split("\n# ", 1)[0])
    measured = [list(map(float, row)) for row in datasets.load_iris()[0]]
    assert len(rows) == len(task.X_test) == 30 and all(row in measured for row in rows)
    assert all(abs(a - b) <= 1e-12 for row, t in zip(rows, task.standardizer.transform(rows))
               for a, b in zip(t, task.X_test[rows.index(row)]))
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


# -- models trained on CSV files with named features: the script predicts as the CLI does ------------

def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


@pytest.fixture(scope="module")
def csv_models(tmp_path_factory):
    """A classifier (3 named classes, 3 named features on very different scales) and a
    regression whose target is near 3e8, each trained and saved by the CLI."""
    d = tmp_path_factory.mktemp("csv")
    rnd = random.Random(7)
    rows = []
    for _ in range(90):
        k = rnd.randrange(3)
        rows.append(["%.3f" % (1000 + 300 * k + rnd.gauss(0, 120)), "%.4f" % (0.01 * k + rnd.gauss(0, 0.004)),
                     "%.2f" % rnd.uniform(-5, 5), ["low", "middle", "high"][k]])
    write_csv(d / "kinds.csv", ["weight (g)", "ratio", "noise", "kind"], rows)
    rows = []
    for _ in range(80):
        area, rooms = rnd.uniform(30, 200), rnd.randint(1, 6)
        rows.append(["%.1f" % area, rooms, "%.0f" % (3e8 + 1e6 * area + 5e6 * rooms + rnd.gauss(0, 1e6))])
    write_csv(d / "houses.csv", ["area (m2)", "rooms", "price"], rows)
    for name, extra in (("kinds", []), ("houses", ["--lr", "0.1"])):
        code, _, err = run("train", "--data", str(d / (name + ".csv")), "--epochs", "30", "--quiet",
                           "--save", str(d / (name + ".json")), *extra)
        assert code == 0, err
    return d


def cli_predict(model, rows):
    """What ``tinybackprop predict --json`` says of ``rows``: each row's outputs, its class name
    (None for a regression) and, for a regression, its value in the target's units."""
    code, out, err = run("predict", "--model", str(model), "--json", *[a for row in rows for a in ("--x", ",".join(map(repr, row)))])
    assert code == 0, err
    p = json.loads(out)["predictions"]
    return {"outputs": [r["output"] for r in p], "classes": [r.get("class") for r in p],
            "predictions": [r.get("value") for r in p]}


@pytest.mark.parametrize("to", ["numpy", "torch"])
@pytest.mark.parametrize("name", ["kinds", "houses"])
def test_the_script_of_a_csv_model_predicts_raw_rows_as_the_cli(tmp_path, csv_models, name, to):
    pytest.importorskip(to, reason="%s is not installed: the exported script cannot run here" % to)
    model = csv_models / (name + ".json")
    script = tmp_path / ("%s_%s.py" % (name, to))
    code, out, err = run("export", "--model", str(model), "--to", to, "--out", str(script))
    assert code == 0, err
    r = run_script(script)
    assert r.returncode == 0 and "OK: 8 rows agree" in r.stdout, r.stdout + r.stderr
    values = {n.targets[0].id: ast.literal_eval(n.value) for n in ast.parse(script.read_text()).body
              if isinstance(n, ast.Assign) and n.targets[0].id in ("FEATURES", "CLASSES", "TARGET", "MEAN")}
    _, data = tb.Network.read(str(model))
    assert values["FEATURES"] == data["features"] and values["CLASSES"] == data["classes"]
    assert values["TARGET"] == data.get("target") and values["MEAN"] == data["standardize"]["mean"]
    rnd = random.Random(3)   # raw rows the script has never seen, on the data's own scales
    rows = [[m + s * rnd.uniform(-2.5, 2.5) for m, s in zip(data["standardize"]["mean"], data["standardize"]["std"])]
            for _ in range(12)]
    want = cli_predict(model, rows)
    probe = ("import json, runpy, sys; ns = runpy.run_path(sys.argv[1]); rows = json.loads(sys.argv[2]); "
             "print(json.dumps([ns['predict'](rows), ns['classify'](rows)]))")
    got, names = json.loads(subprocess.run([sys.executable, "-c", probe, str(script), json.dumps(rows)],
                                           capture_output=True, text=True, check=True).stdout)
    if name == "houses":    # one number per row, in the target's units, as "predictions"
        assert len(got) == 12 and all(abs(g - w) <= 1e-12 * abs(w) for g, w in zip(got, want["predictions"]))
    else:                   # the outputs, a row of them per row, as "outputs"
        assert len(got) == 12 and all(abs(g - w) <= 1e-12 * max(1.0, abs(w))
                                      for g_row, w_row in zip(got, want["outputs"]) for g, w in zip(g_row, w_row))
    assert names == want["classes"]
    if name == "houses":
        assert min(want["predictions"]) > 1e8 and names == [None] * 12
        assert "price = " in r.stdout
    else:
        assert set(names) <= {"low", "middle", "high"} and len(set(names)) > 1
        assert all(line.rsplit("->  ", 1)[1] in ("low", "middle", "high")
                   for line in r.stdout.splitlines() if line.startswith("row "))


def test_to_torch_of_a_csv_model_takes_raw_rows_as_the_cli(csv_models):
    torch = pytest.importorskip("torch", reason="torch is not installed: to_torch not run")
    from tinybackprop.export import from_torch, to_numpy, to_torch
    for name in ("kinds", "houses"):
        net, data = tb.Network.read(str(csv_models / (name + ".json")))
        rows = [[m + s * k / 4.0 for m, s in zip(data["standardize"]["mean"], data["standardize"]["std"])]
                for k in range(-8, 9)]
        want = cli_predict(csv_models / (name + ".json"), rows)
        expected = [[v] for v in want["predictions"]] if name == "houses" else want["outputs"]
        module = to_torch(net, data)
        with torch.no_grad():
            got = module(rows).tolist()
        got_numpy = to_numpy(net, data)[2](rows).tolist()
        for G in (got, got_numpy):
            assert max(abs(g - w) / max(1.0, abs(w)) for gr, wr in zip(G, expected) for g, w in zip(gr, wr)) <= 1e-12
        back = from_torch(module, like=net)
        assert all(back.W[l] == net.W[l] and back.b[l] == net.b[l] for l in range(1, net.L + 1))
        assert module.model_data["standardize"] == data["standardize"]
