"""docs/graduating.md: the XOR network trained by tinybackprop (the runnable block), by
PyTorch written as PyTorch code is written (nn.Sequential, BCEWithLogitsLoss, a
DataLoader, zero_grad/backward/step, eval and no_grad) and by NumPy lines of the
vectorized path, prints the same losses and predictions, within 1e-12; the softmax
example's CrossEntropyLoss is tinybackprop's cross entropy; every Python block of the
page runs on its own (every name it uses is defined); the tables that put tinybackprop
beside PyTorch and NumPy hold lines of the page's examples and of the package's source.
The numbers the page shows come from docs/hooks/graduating.py, which runs the same
examples when the site is built; its table is checked here too.  The tinybackprop half
always runs; the PyTorch and NumPy halves are skipped, saying so, when the package is
not installed (CI installs both)."""
import contextlib
import importlib.util
import io
import os
import re

import pytest

import tinybackprop as tb
from tinybackprop.show.equations import EQUATIONS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = open(os.path.join(ROOT, "docs", "graduating.md"), encoding="utf-8").read()
_spec = importlib.util.spec_from_file_location("tb_hook_graduating", os.path.join(ROOT, "docs", "hooks", "graduating.py"))
hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hook)

TB_CODE = re.search(r"^```\{\.python \.tb-run\}\n(.*?)^```", PAGE, re.S | re.M).group(1)
BLOCKS = dict(re.findall(r'^```python title="([\w.]+)"\n(.*?)^```', PAGE, re.S | re.M))


def need(name):
    return pytest.importorskip(name, reason="%s is not installed: pip install -e '.[%s]'; that half not run"
                               % (name, name))


def run(code):
    out = io.StringIO()
    ns = {"__name__": "__main__"}
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/graduating.md", "exec"), ns)
    return out.getvalue(), ns


def numbers(text):
    return [float(v) for v in re.findall(r"-?\d+\.\d+", text)]


def test_the_page_has_its_examples_and_every_example_is_one_the_hook_runs():
    assert set(BLOCKS) == {"xor_torch.py", "xor_numpy.py", "iris_cross_entropy.py", "shapes.py"}
    assert set(hook.EXAMPLES) == set(BLOCKS) | {"tinybackprop"}
    assert all(hook.example(name) == code for name, code in BLOCKS.items())
    assert hook.example("tinybackprop") == TB_CODE
    assert "per_example" not in PAGE           # the old fragment with an undefined name


def test_tinybackprop_prints_four_losses_and_four_predictions():
    out, ns = run(TB_CODE)
    assert re.findall(r"^epoch +(\d+)  loss 0\.\d{12}$", out, re.M) == ["1", "10", "100", "300"]
    assert len(re.findall(r"0\.\d{6}", out.splitlines()[-1])) == 4
    assert ns["history"].loss[-1] < 0.02           # XOR learned


def test_pytorch_in_its_own_idioms_prints_what_tinybackprop_prints():
    need("torch")
    code = BLOCKS["xor_torch.py"]
    for idiom in ("nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))", "nn.BCEWithLogitsLoss()",
                  "DataLoader(TensorDataset(X, Y), batch_size=4)", "opt.zero_grad()", "loss.backward()",
                  "opt.step()", "model.eval()", "with torch.no_grad():", "model.train()"):
        assert idiom in code, idiom
    assert "to_torch" not in code and "model.loss" not in code     # built by hand, not by the package
    tb_out, tb_ns = run(TB_CODE)
    out, ns = run(code)
    assert out == tb_out
    assert abs(ns["loss"].item() - tb_ns["history"].loss[-1]) <= 1e-12
    yhat = ns["yhat"][:, 0].tolist()
    assert max(abs(a - b[0]) for a, b in zip(yhat, tb_ns["net"].predict(tb_ns["X"]))) <= 1e-12


def test_numpy_lines_of_the_vectorized_path_print_what_tinybackprop_prints():
    need("numpy")
    tb_out, tb_ns = run(TB_CODE)
    out, ns = run(BLOCKS["xor_numpy.py"])
    assert out == tb_out
    assert abs(float(ns["loss"]) - tb_ns["history"].loss[-1]) <= 1e-12
    for l in (1, 2):      # the trained weights themselves, not only what is printed
        assert abs(ns["W"][l] - tb_ns["net"].W[l]).max() <= 1e-12 and abs(ns["b"][l] - tb_ns["net"].b[l]).max() <= 1e-12


def test_cross_entropy_loss_on_logits_is_tinybackprops_cross_entropy():
    need("torch")
    out, ns = run(BLOCKS["iris_cross_entropy.py"])
    a, b = numbers(out)
    assert abs(a - b) <= 1e-12 and abs(ns["loss"].item() - ns["net"].loss_value(ns["task"].X_train,
                                                                              ns["task"].Y_train)) <= 1e-12


def test_the_weight_is_stored_transposed():
    need("torch")
    out, ns = run(BLOCKS["shapes.py"])
    assert out == "W^[1]: 2 x 4   nn.Linear(2, 4).weight: (4, 2)\nTrue\n"


def test_the_tables_numbers_are_the_examples_and_agree():
    need("torch")
    need("numpy")
    table = hook.losses_table()
    rows = [line for line in table.splitlines() if line.startswith("| loss") or line.startswith("| $")]
    assert len(rows) == 5
    for line in rows:
        cells = line.strip("|").split("|")[1:]
        values = [numbers(c) for c in cells]
        assert len(values) == 3 and values[0] and all(v == values[0] for v in values), line
    tb_out, _ = run(TB_CODE)
    shown = [numbers(line.strip("|").split("|")[1])[0] for line in table.splitlines() if line.startswith("| loss")]
    assert shown == [numbers(line)[-1] for line in tb_out.splitlines() if line.startswith("epoch")]


def test_each_numpy_line_stands_beside_the_source_line_of_its_equation():
    html = hook.numpy_pairs()
    tags = re.findall(r"# \[eq:([\w.]+)\]", BLOCKS["xor_numpy.py"])
    assert tags and all(t in EQUATIONS for t in tags)
    rows = re.findall(r"<tr><td><a href=\"([\w-]+\.html)#eq-([\w-]+)\">[^<]*</a></td><td><code>(.*?)</code></td>"
                      r"<td><code>(.*?)</code></td></tr>", html)
    assert [r[1] for r in rows] == [t.replace(".", "-") for t in dict.fromkeys(tags)]
    source = "".join(open(os.path.join(ROOT, "tinybackprop", f), encoding="utf-8").read()
                     for f in ("network.py", "vectorized.py", "training.py"))
    import html as html_module
    for page, anchor, tb_cell, np_cell in rows:
        assert "\\label{eq:%s}" % anchor.replace("-", ".") in \
            open(os.path.join(ROOT, "docs", page[:-5] + ".md"), encoding="utf-8").read()      # the link lands
        for line in html_module.unescape(tb_cell).split("<br>"):
            assert line and line in source, line
        for line in html_module.unescape(np_cell).split("<br>"):
            assert line in BLOCKS["xor_numpy.py"], line


def test_the_line_by_line_table_holds_lines_of_the_examples():
    """Each code cell of the table is a piece of its example, or an expression that
    evaluates after the example ran (every name in it is defined)."""
    section = PAGE.split("## Line by line", 1)[1]
    table = re.search(r"^(\|.*\n)+", section, re.M).group(0)
    rows = [r.strip("|").split("|") for r in table.splitlines()[2:]]
    assert len(rows) >= 8
    examples = [(TB_CODE, run(TB_CODE)[1])]
    if have("torch"):
        examples.append((BLOCKS["xor_torch.py"], run(BLOCKS["xor_torch.py"])[1]))
    for what, *cells in rows:
        for (code, ns), cell in zip(examples, cells):
            for piece in re.findall(r"`([^`]+)`", cell):
                if piece.split("...")[0] not in code:
                    eval(piece, dict(ns))       # raises for a name the example does not define


def have(name):
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def test_every_python_block_of_the_page_runs_on_its_own():
    need("torch")
    need("numpy")
    for name, code in BLOCKS.items():
        out, _ = run(code)
        assert out.strip(), name


def test_exercise_2_one_step_in_pytorch_is_tinybackprops_second_epoch():
    need("torch")
    import torch
    code = BLOCKS["xor_torch.py"].split("model.train()", 1)[0]    # everything before the loop
    _, ns = run(code)
    model, loss_fn, opt, X, Y = ns["model"], ns["loss_fn"], ns["opt"], ns["X"], ns["Y"]
    opt.zero_grad()
    loss_fn(model(X), Y).backward()
    opt.step()
    second = tb.train(tb.Network([2, 4, 1], hidden="tanh", output="sigmoid", loss="bce", seed=0),
                      X.tolist(), Y.tolist(), epochs=2, lr=1.0, batch_size=4).loss[1]
    with torch.no_grad():
        assert abs(loss_fn(model(X), Y).item() - second) <= 1e-12
