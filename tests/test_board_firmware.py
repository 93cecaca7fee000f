"""The board guide (docs/board.md) on MicroPython FIRMWARE: an Arm Cortex-M3 board (MPS2-AN385)
emulated by qemu-system-arm, reached through its serial port by the real mpremote, as a board
on USB is (portability/qemu_board.py says how the emulated board stands in for a real one).

The firmware is not in this repository and cannot be: neither MicroPython's code nor a binary
built from it may be committed here. These tests run when MICROPYTHON_FIRMWARE names one or
more images (separated by os.pathsep) and are a visible skip with that reason otherwise. What
they check, on each image, against CPython: every command of the guide runs and the training
reaches CPython's test accuracy (>= 0.9) in the image's fixed heap; the seeded weights and the
gradients of the 4-3-2-1 network on both paths agree within float32 precision, and the saturated
softmax + bce network keeps every gradient finite; the model saved on the board loads here; the
board's predictions are the computer's; and the heap each stage leaves is printed."""
import json
import os
import re
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "portability"))
import board  # noqa: E402
import qemu_board  # noqa: E402

import tinybackprop as tb  # noqa: E402
from tinybackprop import datasets, per_neuron, vectorized  # noqa: E402

pytestmark = pytest.mark.skipif(qemu_board.missing() is not None, reason=str(qemu_board.missing()))

SEEDED = """import json
import tinybackprop as tb
from tinybackprop import per_neuron, vectorized
from tinybackprop.datasets import iris_task
t = iris_task("binary", positive="virginica", test_fraction=0.2, seed=0)
net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
X, Y = t.X_train[:8], t.Y_train[:8]
t = None
L = (1, 2, 3)
gv, gp = vectorized.backward(net, X, Y), per_neuron.backward(net, X, Y)
r = {"W": [net.W[l] for l in L], "b": [net.b[l] for l in L], "gv": [gv.W[l] for l in L] + [gv.b[l] for l in L],
     "gp": [gp.W[l] for l in L] + [gp.b[l] for l in L], "float_bits": 32 if 1.0 + 2.0 ** -30 == 1.0 else 64}
gv = gp = None
net = tb.Network([3, 4, 2], hidden="identity", output="softmax", loss="bce", seed=5)
g = [m.backward(net, [[32, -16, 8]], [[1, 0]]) for m in (vectorized, per_neuron)]
r["repro"] = [[x.loss] + [v for l in (1, 2) for M in (x.W[l], x.b[l]) for row in M for v in row] for x in g]
print(json.dumps(r))
"""

MEASURE = """import gc
gc.collect(); free0 = gc.mem_free()
import tinybackprop as tb
gc.collect(); free1 = gc.mem_free()
from tinybackprop.datasets import iris_task
gc.collect(); free2 = gc.mem_free()
t = iris_task("binary", positive="virginica", test_fraction=0.2, seed=0)
gc.collect(); free3 = gc.mem_free()
print(free0, free1, free2, free3)
"""


@pytest.fixture(scope="module", params=qemu_board.firmwares() or ["none"])
def emulated(request):
    b = qemu_board.EmulatedBoard(request.param).boot()
    yield b
    b.stop()


@pytest.fixture(scope="module")
def guide_run(emulated, tmp_path_factory):
    work = str(tmp_path_factory.mktemp("firmware-guide"))
    results, work, flash = board.run_guide(emulated, work=work, log=lambda s: None)
    return {"results": results, "work": work, "flash": flash}


def output_of(run, command):
    return next(out for cmd, rc, out in run["results"] if cmd == command)


def test_every_command_of_the_guide_runs_on_the_firmware(guide_run):
    assert [rc for _, rc, _ in guide_run["results"]] == [0] * len(board.commands()), guide_run["results"][-1]


def test_training_on_the_firmware_matches_cpython(emulated, guide_run):
    t = datasets.iris_task("binary", positive="virginica", test_fraction=0.2, seed=0)
    net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
    h = tb.train(net, t.X_train, t.Y_train, epochs=100, lr=0.5, batch_size=16, seed=0, X_test=t.X_test,
                 Y_test=t.Y_test)
    out = output_of(guide_run, "mpremote run train_iris.py")
    loss, acc = map(float, re.search(r"test loss ([0-9.]+), test accuracy ([0-9.]+)", out).groups())
    assert acc == round(h.test_accuracy, 3) and acc >= 0.9
    assert abs(loss - h.test_loss) <= 1e-4
    ms = float(re.search(r"([0-9.]+) ms per step", out).group(1))
    free = int(re.search(r"heap free: (\d+) bytes", out).group(1))
    print("\n%s: heap %d bytes; %.1f ms per step of 16 rows (EMULATED: QEMU's speed on this machine, not a "
          "board's); %d bytes free after training and saving" % (emulated.name(), emulated.heap(), ms, free))
    board_net = tb.Network.load(os.path.join(guide_run["work"], "board-net.json"))  # saved on the board
    for l in range(1, 4):
        for r1, r2 in zip(board_net.W[l], net.W[l]):
            assert r1 == pytest.approx(r2, rel=1e-3, abs=1e-4)


def test_prediction_on_the_firmware_matches_the_command_line(guide_run):
    out = output_of(guide_run, "mpremote run predict_iris.py")
    rows = re.findall(r"\[([0-9., ]+)\] ([0-9.]+) (.+)", out)
    assert len(rows) == 3
    net = tb.Network.load(os.path.join(guide_run["work"], "iris-net.json"))
    with open(os.path.join(guide_run["work"], "iris-net.json")) as f:
        data = json.load(f)["data"]
    s = data["standardize"]
    for x, prob, label in rows:
        row = [(float(v) - m) / sd for v, m, sd in zip(x.split(","), s["mean"], s["std"])]
        y = net.predict([row])[0][0]
        assert abs(float(prob) - y) <= 0.0005 + 1e-4  # printed with 3 decimals; float32 within 1e-4
        assert label.strip() == data["classes"][1 if y >= 0.5 else 0]


def test_seeded_weights_and_gradients_match_cpython_in_float32(emulated, guide_run, tmp_path):
    script = tmp_path / "seeded.py"
    script.write_text(SEEDED)
    rc, out, _ = emulated.run(str(script), guide_run["flash"])
    assert rc == 0, out
    r = json.loads(out.strip().splitlines()[-1])
    t = datasets.iris_task("binary", positive="virginica", test_fraction=0.2, seed=0)
    net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
    X, Y = t.X_train[:8], t.Y_train[:8]
    g = vectorized.backward(net, X, Y)
    assert tb.gradcheck.relative_error(per_neuron.backward(net, X, Y).W[1], g.W[1]) <= 1e-12
    L = (1, 2, 3)
    want = {"W": [net.W[l] for l in L], "b": [net.b[l] for l in L],
            "gv": [g.W[l] for l in L] + [g.b[l] for l in L], "gp": [g.W[l] for l in L] + [g.b[l] for l in L]}
    assert r["float_bits"] == 32
    for key in want:  # both paths on the board against CPython's (binary64) numbers
        for A, B in zip(r[key], want[key]):
            for ra, rb in zip(A, B):
                assert ra == pytest.approx(rb, rel=1e-5, abs=1e-6), key  # binary32: 24 bits, ~6e-8
    # the saturated softmax + bce network: every gradient finite on both paths, in binary32
    assert all(v == v and abs(v) != float("inf") for path in r["repro"] for v in path)
    assert r["repro"][0][0] == pytest.approx(46.137, rel=1e-4)


def test_the_heap_the_firmware_leaves(emulated, guide_run, tmp_path):
    """Printed, for the guide's table: free heap after each stage, in bytes."""
    script = tmp_path / "measure.py"
    script.write_text(MEASURE)
    rc, out, _ = emulated.run(str(script), guide_run["flash"])
    assert rc == 0, out
    free0, free1, free2, free3 = map(int, out.split()[-4:])
    print("\n%s: heap %d; free at start %d, after import tinybackprop %d, after import datasets %d, "
          "with the Iris task loaded %d (bytes)" % (emulated.name(), emulated.heap(), free0, free1, free2, free3))
    assert free0 > free1 > 0 and free3 > 0
