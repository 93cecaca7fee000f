"""The portability harness (portability/matrix.py, probe.py, run_wasm.mjs) checks what it claims.

The comparison must flag any injected difference, pass equal documents, and the probe must
report the numbers that the package computes when called directly. The full matrix over
interpreters runs in CI (.ci/steps/2c-portability.sh); here only the current interpreter, and
MicroPython in Node when it is installed (skipped with the reason otherwise).
"""
import copy
import json
import os
import shutil
import struct
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "portability"))

import matrix  # noqa: E402
import probe  # noqa: E402

import tinybackprop as tb  # noqa: E402
from tinybackprop import matrix as tb_matrix, per_neuron, vectorized  # noqa: E402
import tinybackprop._compat as tb_compat  # noqa: E402  (the compat layer, tested directly)


@pytest.fixture(scope="module")
def doc():
    """The probe's document, computed in this process (cwd in a temp dir: the probe saves a file)."""
    return probe_doc_here()


def probe_doc_here():
    old = os.getcwd()
    tmp = __import__("tempfile").mkdtemp()
    try:
        os.chdir(tmp)
        values, notes = probe.probe()
    finally:
        os.chdir(old)
        shutil.rmtree(tmp, ignore_errors=True)
    d = probe.header()
    d["values"] = values
    d["notes"] = notes
    # through JSON text, as the harness receives it
    return json.loads(json.dumps(d))


def values_of(d):
    return {k: matrix.decode(v) for k, _, v in d["values"]}


def bits(x):
    return struct.pack("<d", x)


# --- encoding ------------------------------------------------------------------------------


@pytest.mark.parametrize("x", [0.0, -0.0, 1.0, 0.1, 1 / 3.0, 5e-324, 1.7976931348623157e308, float("inf"), -2.5e-300])
def test_float_encoding_is_exact(x):
    e = probe.enc(x)
    assert isinstance(e, str) and len(e) == 17
    assert bits(matrix.decode(e)) == bits(x)


def test_encoding_keeps_ints_bools_and_nesting():
    v = [[1.5, 2], [True, None, "s"]]
    assert matrix.decode(json.loads(json.dumps(probe.enc(v)))) == v
    with pytest.raises(TypeError):
        probe.enc({"a": 1})


# --- comparison ----------------------------------------------------------------------------


def test_identical_documents_pass(doc):
    problems, worst, worst_paths = matrix.compare_docs(doc, copy.deepcopy(doc))
    assert problems == []
    assert worst == 0.0
    assert worst_paths <= matrix.RTOL


def _edit(d, prefix, fn):
    """Apply fn to the first float leaf of the first value whose key starts with prefix."""
    d = copy.deepcopy(d)
    for entry in d["values"]:
        if entry[0].startswith(prefix):
            v = matrix.decode(entry[2])
            leaf = v
            parent = None
            while isinstance(leaf, list):
                parent, leaf = leaf, leaf[0]
            if parent is None:
                v = fn(v)
            else:
                parent[0] = fn(parent[0])
            entry[2] = probe.enc(v)
            return d, entry[0]
    raise AssertionError("no key starting with %s" % prefix)


def _next_float(x):
    (i,) = struct.unpack("<q", bits(x))
    return struct.unpack("<d", struct.pack("<q", i + 1))[0]


def test_one_ulp_in_a_weight_fails(doc):
    bad, key = _edit(doc, "weights/", _next_float)
    problems, _, _ = matrix.compare_docs(doc, bad)
    assert len(problems) == 1 and key in problems[0] and "differs" in problems[0]


def test_sign_of_zero_counts_in_exact_values():
    ref = {"values": [["weights/x", "exact", probe.enc([0.0])]]}
    got = {"values": [["weights/x", "exact", probe.enc([-0.0])]]}
    assert matrix.compare_docs(ref, got)[0]


@pytest.mark.parametrize("factor, fails", [(1 + 1e-10, True), (1 + 2e-12, True), (1 + 1e-14, False)])
def test_relative_tolerance_on_gradients(doc, factor, fails):
    bad, key = _edit(doc, "grad/", lambda x: x * factor)
    problems, worst, _ = matrix.compare_docs(doc, bad)
    assert bool(problems) == fails
    assert worst == pytest.approx(abs(factor - 1) / factor, rel=1e-3) or worst == 0.0


def test_losses_beyond_tolerance_fail(doc):
    bad, key = _edit(doc, "train/", lambda x: x * (1 + 1e-9))
    problems, _, _ = matrix.compare_docs(doc, bad)
    assert any(key in p for p in problems)


def test_paths_disagreeing_on_one_interpreter_fail(doc):
    # the same edit on the reference and on the run: only the per-neuron vs vectorized check sees it
    bad, key = _edit(doc, "grad/A", lambda x: x * (1 + 1e-9) + 1e-9)
    assert "/per_neuron/" in key or "/vectorized/" in key
    problems, _, worst_paths = matrix.compare_docs(bad, bad)
    assert any("per_neuron vs vectorized" in p for p in problems)
    assert worst_paths > matrix.RTOL


def test_missing_and_unexpected_keys_and_shapes_fail(doc):
    fewer = copy.deepcopy(doc)
    dropped = fewer["values"].pop(0)[0]
    assert any(dropped in p and "missing" in p for p in matrix.compare_docs(doc, fewer)[0])
    assert any(dropped in p and "unexpected" in p for p in matrix.compare_docs(fewer, doc)[0])
    ref = {"values": [["k", "rel", probe.enc([[1.0, 2.0]])]]}
    got = {"values": [["k", "rel", probe.enc([[1.0], [2.0]]) ]]}
    assert matrix.compare_docs(ref, got)[0]


def test_saved_text_is_compared_by_its_values(doc):
    key = next(k for k, kind, _ in doc["values"] if kind == "json")
    text = next(v for k, _, v in doc["values"] if k == key)
    d = json.loads(text)
    assert d["W"][0][0][0] == values_of(doc)[key.replace("savetext/", "weights/") + "/W1"][0][0]
    # reformatted (one line, other key order) but the same numbers: passes
    same = copy.deepcopy(doc)
    for entry in same["values"]:
        if entry[0] == key:
            entry[2] = json.dumps(dict(reversed(list(d.items()))))
    assert matrix.compare_docs(doc, same)[0] == []
    # one weight one ulp off: fails
    d["W"][0][0][0] = _next_float(d["W"][0][0][0])
    for entry in same["values"]:
        if entry[0] == key:
            entry[2] = json.dumps(d)
    problems = matrix.compare_docs(doc, same)[0]
    assert len(problems) == 1 and key in problems[0]


def test_nan_never_matches_a_number():
    assert matrix.rel_diff(float("nan"), 1.0) == float("inf")
    assert matrix.rel_diff(1.0, 1.0 + 2 ** -52) == pytest.approx(2 ** -52, rel=1e-6)
    assert matrix.rel_diff(0.0, 0.0) == 0.0
    assert matrix.rel_diff(True, 1) == float("inf")


# --- the probe reports the package's numbers -----------------------------------------------


def test_probe_weights_and_gradients_are_the_packages(doc):
    vals = values_of(doc)
    name, sizes, hidden, output, loss = probe.ARCHS[2]
    seed = probe.SEEDS[1]
    tag = ("%s%s-%s-%s-%s/seed%d" % (name, sizes, hidden, output, loss, seed)).replace(" ", "")
    net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=seed)
    X, Y = probe.inputs(sizes[0], sizes[-1], output)
    gp = per_neuron.backward(net, X, Y)
    gv = vectorized.backward(net, X, Y)
    for l in range(1, net.L + 1):
        assert vals["weights/%s/W%d" % (tag, l)] == net.W[l]
        assert vals["weights/%s/b%d" % (tag, l)] == net.b[l]
        assert vals["grad/%s/per_neuron/W%d" % (tag, l)] == gp.W[l]
        assert vals["grad/%s/vectorized/b%d" % (tag, l)] == gv.b[l]
    assert vals["grad/%s/vectorized/x" % tag] == gv.x
    assert vals["grad/%s/per_neuron/loss" % tag] == gp.loss
    assert vals["forward/%s/predict" % tag] == net.predict(X)


def test_probe_training_losses_match_an_independent_loop(doc):
    """The manual fallback in the probe, recomputed here step by step (or tb.train's history)."""
    vals = values_of(doc)
    name, sizes, hidden, output, loss = probe.ARCHS[0]
    tag = ("%s%s-%s-%s-%s/seed0" % (name, sizes, hidden, output, loss)).replace(" ", "")
    net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=0)
    X, Y = probe.inputs(sizes[0], sizes[-1], output)
    losses = vals["train/%s/losses" % tag]
    assert len(losses) == probe.EPOCHS
    if "manual full-batch steps" in doc["notes"]:
        expected = []
        for _ in range(probe.EPOCHS):
            g = per_neuron.backward(net, X, Y)  # the other path: agreement within rounding
            for l in range(1, net.L + 1):
                net.W[l] = [[w - probe.LR * d for w, d in zip(rw, rd)] for rw, rd in zip(net.W[l], g.W[l])]
                net.b[l] = [[b - probe.LR * d for b, d in zip(net.b[l][0], g.b[l][0])]]
            expected.append(net.loss_value(X, Y))
        for a, b in zip(losses, expected):
            assert a == pytest.approx(b, rel=1e-12)
        assert losses[-1] < losses[0]
    else:
        from tinybackprop.training import train

        hist = train(net, X, Y, epochs=probe.EPOCHS, lr=probe.LR, batch_size=4, path="per_neuron", seed=3)
        for a, b in zip(losses, probe._history_losses(hist)):
            assert a == pytest.approx(b, rel=1e-12)


def test_probe_generator_stream_is_the_packages(doc):
    vals = values_of(doc)
    r = tb.Random(12345)
    assert vals["rng/random"] == [r.random() for _ in range(8)]
    assert all(0.0 <= x < 1.0 for x in vals["rng/random"])
    assert sorted(vals["rng/shuffle"]) == list(range(12))


def test_probe_errors_are_backprop_errors(doc):
    vals = values_of(doc)
    errs = {k: v for k, v in vals.items() if k.startswith("errors/")}
    assert errs and all(v.startswith("BackpropError: ") for v in errs.values())
    assert "bool" in errs["errors/bool_in_X"]


def test_probe_in_a_subprocess_with_only_the_core_files_gives_the_same_numbers(doc):
    here = matrix.Interp("here", "cpython", [sys.executable])
    got, _, err = matrix.run_probe(here, core_only=True)
    assert got is not None, err
    ref = {k: v for k, _, v in doc["values"]}
    assert {k: v for k, _, v in got["values"]} == ref  # bit for bit on the same interpreter


def test_core_files_leave_out_the_tools():
    files = matrix.core_files()
    from core_tests import core
    assert files == sorted(name + ".py" for name in core())  # the top of the package's folder
    assert "network.py" in files and not [f for f in files if "/" in f or f.startswith(("svg", "explain"))]
    for f in ("__init__.py", "_compat.py", "network.py", "per_neuron.py", "vectorized.py", "rng.py", "modelfile.py"):
        assert f in files
    tools = [d for d in os.listdir(os.path.join(ROOT, "tinybackprop")) if os.path.isdir(os.path.join(ROOT, "tinybackprop", d))
             and os.path.isfile(os.path.join(ROOT, "tinybackprop", d, "__init__.py"))]
    assert {"cli", "datasets", "show", "exercises", "export"} <= set(tools)
    for f in tools:  # no sub-package, nor a module of the same name
        assert not [c for c in files if c.split("/")[0] in (f, f + ".py")], f


# --- the harness's verdicts ----------------------------------------------------------------


def _fake_interps(extra):
    here = matrix.Interp("cpython3.%d" % matrix.REFERENCE_MINOR, "cpython", [sys.executable])
    return lambda: [here] + extra


def test_missing_interpreter_is_skipped_visibly_not_passed(monkeypatch, capsys):
    monkeypatch.setattr(matrix, "find_interpreters", _fake_interps([matrix.Interp("pypy", "pypy", skip="not here")]))
    rc = matrix.main(["--require", ""])
    out = capsys.readouterr().out
    assert rc == 0
    assert "SKIPPED" in out and "not here" in out
    assert out.strip().splitlines()[-1].startswith("1 passed, 0 failed, 1 skipped")


def test_required_interpreter_that_is_missing_fails(monkeypatch, capsys):
    monkeypatch.setattr(matrix, "find_interpreters", _fake_interps([matrix.Interp("pypy", "pypy", skip="not here")]))
    rc = matrix.main(["--require", "micropython,pypy"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "required but skipped" in out
    assert out.strip().splitlines()[-1].startswith("1 passed, 1 failed, 0 skipped")


def test_an_interpreter_that_crashes_fails(monkeypatch, capsys):
    broken = matrix.Interp("brokenpy", "cpython", [sys.executable, "-c", "raise SystemExit(3)"])
    monkeypatch.setattr(matrix, "find_interpreters", _fake_interps([broken]))
    rc = matrix.main(["--require", ""])
    out = capsys.readouterr().out
    assert rc == 1 and "exit 3" in out


# --- MicroPython in Node (skipped visibly without node or npm ci) --------------------------

NODE = shutil.which("node")
MP = os.path.join(ROOT, "node_modules", "@micropython", "micropython-webassembly-pyscript")
needs_mp = pytest.mark.skipif(
    not (NODE and os.path.isdir(MP)), reason="MicroPython webassembly not installed (node and npm ci needed)"
)


@needs_mp
@pytest.mark.parametrize("body, rc", [("raise SystemExit(3)", 3), ("raise ValueError('boom')", 1), ("print('ok')", 0)])
def test_run_wasm_passes_exit_status(tmp_path, body, rc):
    script = tmp_path / "s.py"
    script.write_text(body + "\n")
    p = subprocess.run([NODE, matrix.RUN_WASM, "micropython", str(script)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    assert p.returncode == rc, p.stderr
    if rc == 1:
        assert "ValueError" in p.stderr and "boom" in p.stderr


@needs_mp
def test_micropython_probe_agrees_with_this_interpreter(doc):
    mp = matrix.Interp("micropython", "micropython", [NODE, matrix.RUN_WASM, "micropython"])
    got, _, err = matrix.run_probe(mp)
    assert got is not None, err
    assert got["implementation"] == "micropython"
    problems, _, _ = matrix.compare_docs(doc, got)
    assert problems == []


# --- the 3.8 syntax check can fail ---------------------------------------------------------

VERMIN = shutil.which("vermin", path=os.path.dirname(sys.executable)) or shutil.which("vermin")


@pytest.mark.skipif(not VERMIN, reason="vermin not installed (pip install -e '.[portability]')")
def test_vermin_flags_newer_syntax_and_passes_the_package(tmp_path):
    args = [VERMIN, "-t=3.8-", "--violations", "--no-tips", "--eval-annotations"]
    (tmp_path / "new.py").write_text("def f(x):\n    match x:\n        case 1:\n            return x\n")
    bad = subprocess.run(args + [str(tmp_path)], stdout=subprocess.PIPE, universal_newlines=True)
    assert bad.returncode != 0 and "3.10" in bad.stdout
    good = subprocess.run(args + [os.path.join(ROOT, "tinybackprop")], stdout=subprocess.PIPE, universal_newlines=True)
    assert good.returncode == 0, good.stdout


# --- the binary32 emulation behind the docs' tolerance table -------------------------------


def test_float32_emulation_rounds_and_restores():
    import float32

    one = float32.F32(1.0)
    assert one + 2.0 ** -24 == 1.0 and one + 2.0 ** -23 != 1.0  # binary32 epsilon
    assert float32.F32(0.1) != 0.1 and float32.F32(0.1) == struct.unpack("<f", struct.pack("<f", 0.1))[0]
    assert type(2.0 - one) is float32.F32 and type(one / 3) is float32.F32
    before = (tb.activations.math, tb_matrix._products, tb_compat.log1p)
    with float32.float32_arithmetic():
        assert type(tb.activations.sigmoid(float32.F32(0.3))) is float32.F32
        net = float32.net32(tb.Network([2, 2, 1], seed=0))
        assert type(net.W[1][0][0]) is float32.F32
    assert (tb.activations.math, tb_matrix._products, tb_compat.log1p) == before
    assert type(tb.Network([2, 1]).W[1][0][0]) is float


@needs_mp
def test_micropython_catches_what_cpython_does_not(tmp_path, doc):
    """Drop the MicroPython branch of _compat.exp: CPython still passes, MicroPython fails."""
    pkg = tmp_path / "tinybackprop"
    shutil.copytree(os.path.join(ROOT, "tinybackprop"), str(pkg))
    compat = pkg / "_compat.py"
    src = compat.read_text()
    assert "except (OverflowError, ValueError):" in src
    compat.write_text(src.replace("except (OverflowError, ValueError):", "except OverflowError:"))
    here = matrix.Interp("here", "cpython", [sys.executable])
    got, _, err = matrix.run_probe(here, pkg=str(pkg))
    assert got is not None and matrix.compare_docs(doc, got)[0] == [], err
    mp = matrix.Interp("micropython", "micropython", [NODE, matrix.RUN_WASM, "micropython"])
    got, _, err = matrix.run_probe(mp, pkg=str(pkg))
    assert got is None and "ValueError" in err
