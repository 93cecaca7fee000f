"""docs/graduating.md: the network trained with tinybackprop and with PyTorch prints the
output shown on the page, both times; the NumPy block predicts what tinybackprop predicts.
The tinybackprop half always runs; the PyTorch and NumPy halves are skipped, saying so,
when the package is not installed."""
import contextlib
import io
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = open(os.path.join(ROOT, "docs", "graduating.md"), encoding="utf-8").read()


def block(after, lang):
    """The first fenced block of language ``lang`` after the text ``after``."""
    part = PAGE.split(after, 1)
    assert len(part) == 2, "docs/graduating.md lost %r" % after
    m = re.search(r"^```%s\n(.*?)^```" % re.escape(lang), part[1], re.S | re.M)
    assert m, "no %s block after %r" % (lang, after)
    return m.group(1)


TB_CODE = block("First with tinybackprop", "{.python .tb-run}")
TORCH_CODE = block("Then the same network in PyTorch", "python")
NUMPY_CODE = block("## NumPy", "python")
SHOWN = block("Both print", "text")


def run(code, ns=None):
    ns = {"__name__": "__main__"} if ns is None else ns
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/graduating.md", "exec"), ns)
    return out.getvalue(), ns


def test_tinybackprop_prints_the_output_shown():
    assert run(TB_CODE)[0] == SHOWN


def test_pytorch_prints_the_same_output():
    pytest.importorskip("torch", reason="torch is not installed: pip install -e '.[torch]'; PyTorch half not run")
    assert run(TORCH_CODE)[0] == SHOWN


def test_the_shown_output_has_the_losses_of_four_epochs_and_four_predictions():
    assert re.findall(r"^epoch +(\d+)  loss (0\.\d{12})$", SHOWN, re.M)[-1][0] == "300"
    assert len(re.findall(r"0\.\d{6}", SHOWN.splitlines()[-1])) == 4


def test_numpy_predicts_what_tinybackprop_predicts():
    pytest.importorskip("numpy", reason="numpy is not installed: pip install -e '.[numpy]'; NumPy block not run")
    _, ns = run(TB_CODE)
    out, _ = run(NUMPY_CODE, ns)
    assert out == "(2, 4) %s\n" % [round(row[0], 6) for row in ns["net"].predict(ns["X"])]


def test_exercise_2_pytorch_after_one_step_is_tinybackprops_second_epoch():
    torch = pytest.importorskip("torch", reason="torch is not installed: PyTorch half not run")
    import tinybackprop as tb
    from tinybackprop.export import to_torch
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    Y = [[0.0], [1.0], [1.0], [0.0]]
    net = tb.Network([2, 4, 1], hidden="tanh", output="sigmoid", loss="bce", seed=0)
    model = to_torch(net)
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    model.loss(X, Y).backward()
    opt.step()
    second = tb.train(net, X, Y, epochs=2, lr=1.0, batch_size=4).loss[1]
    assert abs(model.loss(X, Y).item() - second) <= 1e-12
