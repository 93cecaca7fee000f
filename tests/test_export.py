"""tinybackprop.export: the same network in PyTorch and NumPy gives the same numbers.

On random networks of every hidden activation, output and loss the package accepts:
``to_torch(net)`` predicts what ``net.predict`` predicts (within 1e-12), its loss's
autograd gradients are ``vectorized.backward``'s (within 1e-12), and
``from_torch(to_torch(net), like=net)`` has exactly the same weights; NumPy's forward
pass predicts the same too; the scripts ``export.script`` writes run, agree, and fail
when a weight is tampered with.  torch and numpy are optional: the tests that need one
are skipped, saying which, when it is not installed; the messages for a missing one
are checked with the module hidden.
"""
import random
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
