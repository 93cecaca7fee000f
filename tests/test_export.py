"""tinybackprop.export: the same network in PyTorch and NumPy gives the same numbers.

On random networks of every hidden activation, output and loss the package accepts:
``to_torch(net)`` predicts what ``net.predict`` predicts (within 1e-12), its loss's
autograd gradients are ``vectorized.backward``'s (within 1e-12), and
``from_torch(to_torch(net), like=net)`` has exactly the same weights; NumPy's forward
pass predicts the same too.  With a model file's preparation (standardised inputs, a
regression's standardised target) both take raw inputs and give what a hand computation
gives: x' = (x - mean) / std, then the network, then yhat std + mean.  The scripts
``export.script`` writes run, agree, check themselves with a relative tolerance, fail
when a weight is tampered with, and hold every name a user gave (file, classes,
features, target) as a literal that ``ast`` reads back exactly, never as code.  torch
and numpy are optional: the tests that need one are skipped, saying which, when it is
not installed; the messages for a missing one are checked with the module hidden.
"""
import ast
import json
import random
import re
import subprocess
import sys

import pytest

import tinybackprop as tb
from tinybackprop import BackpropError, export, vectorized

from conftest import random_batch, random_net, random_targets, valid_combinations

TOL = 1e-12
COMBOS = valid_combinations()


def need(name):
    return pytest.importorskip(name, reason="%s is not installed: pip install -e '.[%s]'" % (name, name))


def worst(A, B):
    """Largest difference relative to max(1, |value|) between two matrices (lists of lists)."""
    assert len(A) == len(B) and all(len(a) == len(b) for a, b in zip(A, B)), "shapes differ"
    return max(abs(x - y) / max(1.0, abs(y)) for a, b in zip(A, B) for x, y in zip(a, b))


def case(k, hidden, output, loss):
    """A random network of this kind with nonzero biases, and a batch for it."""
    rnd = random.Random(1000 + k)
    depth = rnd.randint(1, 3)
    sizes = [rnd.randint(1, 5)] + [rnd.randint(1, 5) for _ in range(depth - 1)] + [rnd.randint(2, 4)]
    net = random_net(rnd, sizes, hidden, output, loss, seed=k)
    m = rnd.randint(1, 6)
    return net, random_batch(rnd, m, sizes[0], scale=2.0), random_targets(rnd, loss, m, sizes[-1])


IDS = ["-".join(c) for c in COMBOS]


@pytest.mark.parametrize("k,combo", list(enumerate(COMBOS)), ids=IDS)
def test_to_torch_predicts_and_differentiates_as_tinybackprop(k, combo):
    torch = need("torch")
    net, X, Y = case(k, *combo)
    module = export.to_torch(net)
    assert worst(module(X).tolist(), net.predict(X)) <= TOL
    Xt = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    loss = module.loss(Xt, Y)
    loss.backward()
    g = vectorized.backward(net, X, Y)
    assert abs(loss.item() - g.loss) <= TOL * max(1.0, abs(g.loss))
    for l in range(1, net.L + 1):
        linear = module.layers[l - 1]
        assert worst(linear.weight.grad.T.tolist(), g.W[l]) <= TOL, "g^[%dW]" % l
        assert worst([linear.bias.grad.tolist()], g.b[l]) <= TOL, "g^[%db]" % l
    assert worst(Xt.grad.tolist(), g.x) <= TOL, "dL/dX"


@pytest.mark.parametrize("k,combo", list(enumerate(COMBOS)), ids=IDS)
def test_from_torch_gives_back_exactly_the_same_weights(k, combo):
    need("torch")
    net, X, _ = case(k, *combo)
    back = export.from_torch(export.to_torch(net), like=net)
    assert back is not net
    assert (back.sizes, back.hidden, back.output, back.loss) == (net.sizes, net.hidden, net.output, net.loss)
    for l in range(1, net.L + 1):
        assert back.W[l] == net.W[l] and back.b[l] == net.b[l]
    assert back.predict(X) == net.predict(X)


def test_the_weight_is_stored_transposed_in_nn_linear():
    need("torch")
    net = tb.Network([3, 2], output="identity", loss="squared_error")
    net.W[1] = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]    # n_0 x n_1 = 3 x 2
    linear = export.to_torch(net).layers[0]
    assert linear.weight.tolist() == [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]    # n_1 x n_0: W^T


def test_from_torch_reads_a_plain_sequential_trained_in_torch():
    torch = need("torch")
    like = tb.Network([2, 3, 1], hidden="tanh", output="sigmoid", loss="bce", seed=0)
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3, dtype=torch.float64), torch.nn.Tanh(),
                              torch.nn.Linear(3, 1, dtype=torch.float64), torch.nn.Sigmoid())
    X = [[0.5, -1.0], [2.0, 0.25]]
    net = export.from_torch(seq, like=like)
    with torch.no_grad():
        assert worst(seq(torch.tensor(X, dtype=torch.float64)).tolist(), net.predict(X)) <= TOL


def test_from_torch_refuses_what_does_not_fit():
    torch = need("torch")
    like = tb.Network([2, 3, 1], seed=0)
    with pytest.raises(BackpropError, match=r"has 1 nn.Linear layers but sizes \[2, 3, 1\] need 2"):
        export.from_torch(torch.nn.Linear(2, 1), like=like)
    wrong = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Linear(3, 1))
    with pytest.raises(BackpropError, match=r"layer 1's weight is 2x3 but sizes \[2, 3, 1\] need 3x2"):
        export.from_torch(wrong, like=like)
    with pytest.raises(BackpropError, match="module must be a torch.nn.Module, got list"):
        export.from_torch([[1.0]], like=like)


def test_full_batch_training_in_torch_matches_tinybackprop_train():
    """The same network trained 30 epochs by full-batch gradient descent: tinybackprop's
    train and a plain torch.optim.SGD loop end with the same weights."""
    torch = need("torch")
    rnd = random.Random(5)
    net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
    X = random_batch(rnd, 8, 4)
    Y = [[float(rnd.randrange(2))] for _ in X]
    module = export.to_torch(net)
    tb.train(net, X, Y, epochs=30, lr=0.5, batch_size=len(X))
    opt = torch.optim.SGD(module.parameters(), lr=0.5)
    for _ in range(30):
        opt.zero_grad()
        module.loss(X, Y).backward()
        opt.step()
    back = export.from_torch(module, like=net)
    for l in range(1, net.L + 1):
        assert worst(back.W[l], net.W[l]) <= 1e-10 and worst(back.b[l], net.b[l]) <= 1e-10


@pytest.mark.parametrize("k,combo", list(enumerate(COMBOS)), ids=IDS)
def test_to_numpy_forward_predicts_as_tinybackprop(k, combo):
    need("numpy")
    net, X, _ = case(k, *combo)
    W, b, forward = export.to_numpy(net)
    assert W[0] is None and b[0] is None and len(W) == net.L + 1
    assert [w.shape for w in W[1:]] == [(net.sizes[l - 1], net.sizes[l]) for l in range(1, net.L + 1)]
    assert all(W[l].tolist() == net.W[l] and b[l].tolist() == net.b[l] for l in range(1, net.L + 1))
    assert worst(forward(X).tolist(), net.predict(X)) <= TOL


def test_to_numpy_saturated_sigmoid_stays_finite():
    need("numpy")
    net = tb.Network([1, 1], output="sigmoid", loss="bce")
    net.W[1] = [[1.0]]
    X = [[-1000.0], [1000.0], [0.0]]
    assert export.to_numpy(net)[2](X).tolist() == net.predict(X) == [[0.0], [1.0], [0.5]]


@pytest.mark.parametrize("name,call", [
    ("torch", lambda net: export.to_torch(net)),
    ("torch", lambda net: export.from_torch(None, like=net)),
    ("numpy", lambda net: export.to_numpy(net)),
])
def test_a_missing_package_names_the_extra(monkeypatch, name, call):
    monkeypatch.setitem(sys.modules, name, None)   # import now raises ImportError
    with pytest.raises(BackpropError) as e:
        call(tb.Network([2, 1]))
    assert 'pip install "tinybackprop[%s]"' % name in str(e.value)
    assert "needs %s, which is not installed" % name in str(e.value)


def test_export_refuses_what_is_not_a_network():
    need("numpy")
    with pytest.raises(BackpropError, match="to_numpy: net must be a Network"):
        export.to_numpy([4, 3, 1])


def test_import_tinybackprop_loads_no_third_party_module():
    if not hasattr(sys, "stdlib_module_names"):
        pytest.skip("sys.stdlib_module_names needs Python 3.10+; the 3.10+ runs check this")
    code = ("import sys; before = set(sys.modules); import tinybackprop as tb; tb.Network([2, 1]).predict([[1.0, 2.0]]); "
            "import tinybackprop.export; "
            "print(' '.join(sorted({m.split('.')[0] for m in set(sys.modules) - before})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = set(out.split())
    assert "tinybackprop" in loaded
    third = sorted(m for m in loaded - {"tinybackprop"} if m not in sys.stdlib_module_names)
    assert not third, "import tinybackprop loaded %s" % third
    assert "torch" not in loaded and "numpy" not in loaded


# -- the scripts -------------------------------------------------------------------------

def run_script(path):
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)


# -- the preparation a model file records -------------------------------------------------

MEAN, STD = [5.0, -3.0, 100.0], [2.0, 0.5, 40.0]


def by_hand(net, X_raw, target=None):
    """yhat for raw rows, computed here: x' = (x - mean) / std, the network, then yhat s + m."""
    X = [[(x - m) / s for x, m, s in zip(row, MEAN, STD)] for row in X_raw]
    Yhat = net.predict(X)
    if target is not None:
        Yhat = [[y * target[1] + target[0]] for (y,) in Yhat]
    return X, Yhat


def prepared_case(kind):
    rnd = random.Random(11)
    X_raw = [[m + s * rnd.uniform(-2, 2) for m, s in zip(MEAN, STD)] for _ in range(7)]
    if kind == "classification":
        net = random_net(rnd, [3, 4, 3], "tanh", "softmax", "cross_entropy", seed=1)
        data = {"kind": "classification", "classes": ["a", "b", "c"], "features": ["f1", "f2", "f3"],
                "standardize": {"mean": MEAN, "std": STD}}
        return net, data, X_raw, random_targets(rnd, "cross_entropy", 7, 3), None
    net = random_net(rnd, [3, 5, 1], "sigmoid", "identity", "squared_error", seed=2)
    data = {"kind": "regression", "features": ["f1", "f2", "f3"], "target": "price", "classes": None,
            "standardize": {"mean": MEAN, "std": STD}, "target_standardize": {"mean": [3e8], "std": [4e7]}}
    Y_raw = [[3e8 + 4e7 * rnd.uniform(-1, 1)] for _ in range(7)]
    return net, data, X_raw, Y_raw, (3e8, 4e7)


@pytest.mark.parametrize("kind", ["classification", "regression"])
def test_to_torch_with_the_preparation_takes_raw_inputs_and_raw_targets(kind):
    torch = need("torch")
    net, data, X_raw, Y_raw, target = prepared_case(kind)
    module = export.to_torch(net, data)
    X, Yhat = by_hand(net, X_raw, target)
    assert worst(module(X_raw).tolist(), Yhat) <= TOL
    assert worst(module.prepare(X_raw).tolist(), X) == 0.0
    assert (module.features, module.classes) == (data["features"], data.get("classes"))
    # the loss and its gradients: tinybackprop's on the prepared rows (targets standardised as in training)
    Y = Y_raw if target is None else [[(y - target[0]) / target[1]] for (y,) in Y_raw]
    g = vectorized.backward(net, X, Y)
    loss = module.loss(X_raw, Y_raw)
    loss.backward()
    assert abs(loss.item() - g.loss) <= TOL * max(1.0, g.loss)
    for l in range(1, net.L + 1):
        assert worst(module.layers[l - 1].weight.grad.T.tolist(), g.W[l]) <= TOL, "g^[%dW]" % l
    # the round trip: the same weights, and the preparation and names as the model file had them
    back = export.from_torch(module, like=net)
    assert all(back.W[l] == net.W[l] and back.b[l] == net.b[l] for l in range(1, net.L + 1))
    kept = module.model_data
    for key in ("standardize", "target_standardize", "features", "target"):
        assert kept.get(key) == data.get(key), key
    if kind == "classification":
        assert kept["classes"] == data["classes"]
    assert worst(export.to_torch(back, kept)(X_raw).tolist(), Yhat) <= TOL
    with torch.no_grad():
        module.mean += 1.0    # the buffers are the preparation: a changed one is what model_data reports
    assert module.model_data["standardize"]["mean"] == [m + 1.0 for m in MEAN]


@pytest.mark.parametrize("kind", ["classification", "regression"])
def test_to_numpy_with_the_preparation_takes_raw_inputs(kind):
    need("numpy")
    net, data, X_raw, _, target = prepared_case(kind)
    W, b, forward = export.to_numpy(net, data)
    assert worst(forward(X_raw).tolist(), by_hand(net, X_raw, target)[1]) <= TOL
    assert W[1].tolist() == net.W[1]


@pytest.mark.parametrize("kind", ["classification", "regression"])
def test_predictions_are_the_hand_computation(kind):
    net, data, X_raw, _, target = prepared_case(kind)
    values, classes = export.predictions(net, X_raw, data)
    X, Yhat = by_hand(net, X_raw, target)
    # the same operations in the same order: equal to the last bit; a regression's one number per row
    assert values == (Yhat if target is None else [y for (y,) in Yhat])
    if kind == "classification":
        want = [data["classes"][max(range(3), key=lambda j: (row[j], -j))] for row in net.predict(X)]
        assert classes == want
    else:
        assert classes == [None] * len(X_raw)


def test_a_bad_preparation_is_refused_naming_the_field():
    net = tb.Network([3, 1])
    with pytest.raises(BackpropError, match=r"export: data.standardize.std\[1\] must be a finite number > 0"):
        export.script(net, "numpy", [[1.0, 2.0, 3.0]], data={"standardize": {"mean": [0, 0, 0], "std": [1, 0, 1]}})
    with pytest.raises(BackpropError, match=r"data.classes must be a list of 2 non-empty strings"):
        export.predictions(net, [[1.0, 2.0, 3.0]], {"classes": ["only one"]})


@pytest.mark.parametrize("to", ["torch", "numpy"])
def test_the_script_predicts_raw_rows_as_tinybackprop_and_prints_class_names(tmp_path, to):
    need(to)
    for kind in ("classification", "regression"):
        net, data, X_raw, _, target = prepared_case(kind)
        path = tmp_path / ("%s_%s.py" % (kind, to))
        path.write_text(export.script(net, to, X_raw, data=data, source="m.json"))
        r = run_script(path)
        assert r.returncode == 0 and "OK: 7 rows agree" in r.stdout, r.stdout + r.stderr
        code = ("import json, runpy, sys; ns = runpy.run_path(sys.argv[1]); rows = json.loads(sys.argv[2]); "
                "print(json.dumps([ns['predict'](rows), ns['classify'](rows)]))")
        new = [[m + s * k / 3.0 for m, s in zip(MEAN, STD)] for k in range(-3, 4)]   # rows not in the script
        out = subprocess.run([sys.executable, "-c", code, str(path), json.dumps(new)], capture_output=True,
                             text=True, check=True).stdout
        got, names = json.loads(out)
        want, want_names = export.predictions(net, new, data)
        if target is not None:      # a regression's predictions: one number per row, as predict --json gives
            assert all(isinstance(v, float) for v in got + want)
            got, want = [[v] for v in got], [[v] for v in want]
        assert worst(got, want) <= TOL and worst(got, by_hand(net, new, target)[1]) <= TOL
        assert names == want_names
        if kind == "classification":    # each row printed with the name of its class
            assert classes_of(r) == export.predictions(net, X_raw, data)[1] and set(names) <= {"a", "b", "c"}
        else:
            assert classes_of(r) == [] and len(re.findall(r"^row \d: price = \d{9}$", r.stdout, re.M)) == 7


def classes_of(r):
    return [line.rsplit("->  ", 1)[1] for line in r.stdout.splitlines() if line.startswith("row ") and "->" in line]


@pytest.mark.parametrize("to", ["torch", "numpy"])
def test_the_self_check_is_relative_to_the_size_of_the_outputs(tmp_path, to):
    """Outputs near 3e8 differ in their last bits when the sums run in another order (an
    absolute tolerance of 1e-9 called that a MISMATCH); a relative one accepts a difference
    of 1e-12 of their size and refuses one of 1e-6."""
    need(to)
    net, data, X_raw, _, _ = prepared_case("regression")
    expected = export.predictions(net, X_raw, data)[0]
    assert min(abs(v) for v in expected) > 1e8
    for scale, code in ((1e-12, 0), (1e-6, 1)):
        nudged = [v * (1.0 + scale) for v in expected]
        assert abs(nudged[0] - expected[0]) > 1e-9    # more than an absolute 1e-9 allows
        path = tmp_path / ("s%d_%s.py" % (code, to))
        path.write_text(export.script(net, to, X_raw, data=data, expected=nudged))
        r = run_script(path)
        assert r.returncode == code, r.stdout + r.stderr
        assert ("OK: 7 rows agree" if code == 0 else "MISMATCH") in r.stdout


# -- every name a user gave is a literal in the script, never code -------------------------

HOSTILE = ['m"""\nopen("PWNED", "w").write("x")\n"""', "back\\x", "back\\N", "back\\u12", "it's \"quoted\"",
           "new\nline", "tab\tbell\x07 esc\x1b[2J", "\ud800 lone surrogate", "\u202e right-to-left", "\\",
           "#comment", "é ü 日本"]


def script_data(tree, to_torch):
    """{NAME: value} of the script's top-level assignments, read by ast.literal_eval; and
    checks that the top level holds nothing else that runs: a docstring, imports,
    assignments of literals, function definitions, and (a torch script's, after the
    data) ACTIVATION and MODEL = build(), and the main guard."""
    values = {}
    for k, node in enumerate(tree.body):
        if isinstance(node, ast.Expr):
            assert k == 0 and isinstance(node.value, ast.Constant), ast.dump(node)[:200]
        elif isinstance(node, (ast.Import, ast.FunctionDef)):
            pass
        elif isinstance(node, ast.Assign):
            name = node.targets[0].id
            if name in ("ACTIVATION", "MODEL"):   # the torch template's, after all the data
                assert to_torch and "EXPECTED" in values, name
            else:
                values[name] = ast.literal_eval(node.value)
        elif isinstance(node, ast.If):
            assert ast.unparse(node.test) == "__name__ == '__main__'" if hasattr(ast, "unparse") else True
        else:
            raise AssertionError("the script's top level runs %s" % ast.dump(node)[:200])
    return values


@pytest.mark.parametrize("to", ["torch", "numpy"])
def test_hostile_names_are_data_in_the_script(tmp_path, to):
    net = tb.Network([3, 2, 3], hidden="tanh", output="softmax", loss="cross_entropy", seed=3)
    rows = [[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]]
    for k, name in enumerate(HOSTILE):
        data = {"classes": [name, name + "2", "c"], "features": [name, "f2", "f3"], "target": name}
        text = export.script(net, to, rows, data=data, source=name)
        text.encode("utf-8")                       # a script the file system can hold
        values = script_data(ast.parse(text), to == "torch")
        assert values["SOURCE"] == name and values["CLASSES"][0] == name and values["FEATURES"][0] == name
        assert values["TARGET"] == name and values["W"][0] == net.W[1]
        assert values["ROWS"] == rows and values["EXPECTED"] == net.predict(rows)
        if k < 2 and need_quietly(to):
            path = tmp_path / ("hostile%d.py" % k)
            path.write_text(text, encoding="utf-8")
            r = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120,
                               cwd=str(tmp_path))
            assert r.returncode == 0 and "OK: 2 rows agree" in r.stdout, r.stdout + r.stderr
            assert not (tmp_path / "PWNED").exists()


def need_quietly(name):
    try:
        __import__(name)
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("to", ["torch", "numpy"])
def test_the_script_runs_agrees_and_fails_when_a_weight_is_tampered_with(tmp_path, to):
    need(to)
    rnd = random.Random(3)
    net = random_net(rnd, [4, 5, 3], "tanh", "softmax", "cross_entropy", seed=2)
    rows = random_batch(rnd, 6, 4)
    text = export.script(net, to, rows, source="model.json")
    path = tmp_path / ("net_%s.py" % to)
    path.write_text(text)
    r = run_script(path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("row ") == 6 and "OK: 6 rows agree" in r.stdout
    first = repr(net.W[1][0][0])
    assert text.count(first) == 1
    path.write_text(text.replace(first, repr(net.W[1][0][0] + 0.01)))
    r = run_script(path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "MISMATCH" in r.stdout


def test_the_script_is_self_contained():
    text = export.script(tb.Network([2, 1], seed=0), "numpy", [[0.5, -0.5]])
    assert "tinybackprop" not in "\n".join(ln for ln in text.splitlines() if ln.startswith(("import", "from")))
    with pytest.raises(BackpropError, match="--to must be one of torch, numpy, got 'jax'"):
        export.script(tb.Network([2, 1]), "jax", [[0.5, -0.5]])
    with pytest.raises(BackpropError, match="X is 1x3 but the network takes 2 inputs"):
        export.script(tb.Network([2, 1]), "numpy", [[0.5, -0.5, 1.0]])
