"""Shared helpers for the tests: random networks, batches and targets. Which folder a test
goes in (and so where CI runs it): tests/README.md."""
import math
import os
import random
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
# The tests' tensors and arrays are tiny (PyTorch, NumPy): one thread each.  With a thread per
# core, torch's threads wait on each other: on a 2-core machine, tests/interp/test_optimizers.py
# and tests/test_torch_agrees.py took 36 s of CPU (135 s wall, the machine busy) instead of 10 s
# (25 s).  Set before torch or NumPy is imported, so their scripts in subprocesses get it too;
# a value already in the environment is kept.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import tinybackprop as tb  # noqa: E402

HIDDEN = ["sigmoid", "tanh", "relu", "identity"]
OUTPUT = ["sigmoid", "softmax", "identity"]
LOSS = ["bce", "squared_error", "cross_entropy"]


def valid_combinations():
    """Every (hidden, output, loss) the package accepts."""
    out = []
    for h in HIDDEN:
        for o in OUTPUT:
            for lo in LOSS:
                if o == "identity" and lo != "squared_error":
                    continue
                out.append((h, o, lo))
    return out


def random_batch(rnd, m, n, scale=1.0):
    return [[rnd.uniform(-scale, scale) for _ in range(n)] for _ in range(m)]


def random_targets(rnd, loss, m, n):
    if loss == "bce":
        return [[rnd.choice([0.0, 1.0, rnd.random()]) for _ in range(n)] for _ in range(m)]
    if loss == "cross_entropy":
        Y = []
        for _ in range(m):
            row = [0.0] * n
            row[rnd.randrange(n)] = 1.0
            Y.append(row)
        return Y
    return [[rnd.uniform(-1.0, 1.0) for _ in range(n)] for _ in range(m)]


def seeded_batch(sizes, m, loss, seed):
    """X (m rows, inputs in [-2, 2)) and targets Y that fit ``loss``, from tinybackprop's own
    seeded generator: the same numbers on every interpreter."""
    r = tb.Random(seed)
    X = random_batch(r, m, sizes[0], scale=2.0)
    if loss == "cross_entropy":
        Y = []
        for _ in range(m):
            k = r.randbelow(sizes[-1])
            Y.append([1.0 if j == k else 0.0 for j in range(sizes[-1])])
    elif loss == "bce":
        Y = [[float(r.randbelow(2)) for _ in range(sizes[-1])] for _ in range(m)]
    else:
        Y = [[r.uniform(-1.0, 1.0) for _ in range(sizes[-1])] for _ in range(m)]
    return X, Y


def random_net(rnd, sizes, hidden, output, loss, seed=0, bias_scale=0.3):
    """A network with nonzero biases too, so bias paths are exercised."""
    net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=seed)
    for l in range(1, net.L + 1):
        net.b[l] = [[rnd.uniform(-bias_scale, bias_scale) for _ in range(sizes[l])]]
    return net


def max_abs(A):
    return max(abs(x) for row in A for x in row)


def model_file_forward(model, x):
    """yhat for one raw input row, from the model file's numbers alone (sigmoid or tanh
    hidden layers, softmax or sigmoid output)."""
    std = model["data"]["standardize"]
    a = [(v - m) / s for v, m, s in zip(x, std["mean"], std["std"])]
    L = len(model["W"])
    for l in range(L):
        W, b = model["W"][l], model["b"][l][0]
        z = [sum(a[i] * W[i][j] for i in range(len(a))) + b[j] for j in range(len(b))]
        kind = model["hidden"] if l < L - 1 else model["output"]
        if kind == "sigmoid":
            a = [1.0 / (1.0 + math.exp(-v)) for v in z]
        elif kind == "tanh":
            a = [math.tanh(v) for v in z]
        elif kind == "softmax":
            top = max(z)
            e = [math.exp(v - top) for v in z]
            a = [v / sum(e) for v in e]
        else:
            a = z
    return a


def count_rows(monkeypatch, module):
    """Record the number of rows of every forward pass of ``module`` (its forward pass without
    the check, which its backward, the training step and the evaluation after an epoch run)."""
    seen = []
    real = getattr(module, "_forward")

    def spy(net, X):
        seen.append(len(X))
        return real(net, X)

    monkeypatch.setattr(module, "_forward", spy)
    if module is tb.vectorized:  # predict and loss_value run the network's own forward pass, which vectorized's is
        real_pass = tb.network.forward_pass

        def pass_spy(net, X):
            seen.append(len(X))
            return real_pass(net, X)

        monkeypatch.setattr(tb.network, "forward_pass", pass_spy)
    return seen


def count_checks(monkeypatch):
    """Record the name of every matrix that matrix.check_matrix is asked to check (as the
    network, the training loop and the helpers call it): an entry point checks its input once."""
    from tinybackprop import matrix, network, training
    seen = []
    real = matrix.check_matrix

    def counting(A, op, name="A"):
        seen.append(name)
        return real(A, op, name)

    for mod in (matrix, network, training):
        monkeypatch.setattr(mod, "check_matrix", counting)
    return seen


def iris(task="binary", seed=0, test_fraction=0.2):
    """(X, Y, X_test, Y_test): the Iris flowers, read here from the package's CSV file with
    plain Python (not tinybackprop.datasets: the core's tests need no tool), shuffled by the
    package's generator, split and standardised with the training rows' mean and deviation.
    ``task``: "binary" (virginica or not, one output) or "multiclass" (one-hot, 3 outputs)."""
    path = os.path.join(ROOT, "tinybackprop", "datasets", "data", "iris.csv")
    with open(path) as f:
        rows = [line.strip().split(",") for line in f.read().splitlines()[1:] if line.strip()]
    X = [[float(v) for v in r[:4]] for r in rows]
    labels = [int(r[4]) for r in rows]
    order = list(range(len(X)))
    tb.Random(seed).shuffle(order)
    n_test = int(round(test_fraction * len(X)))
    test, train = order[:n_test], order[n_test:]
    mean = [sum(X[i][j] for i in train) / len(train) for j in range(4)]
    std = [math.sqrt(sum((X[i][j] - mean[j]) ** 2 for i in train) / len(train)) for j in range(4)]

    def rows_of(idx):
        Xs = [[(X[i][j] - mean[j]) / std[j] for j in range(4)] for i in idx]
        if task == "binary":
            Ys = [[1.0 if labels[i] == 2 else 0.0] for i in idx]
        else:
            Ys = [[1.0 if labels[i] == k else 0.0 for k in range(3)] for i in idx]
        return Xs, Ys

    (Xa, Ya), (Xb, Yb) = rows_of(train), rows_of(test)
    return Xa, Ya, Xb, Yb


def xor():
    """The four XOR points and their labels."""
    return [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [[0.0], [1.0], [1.0], [0.0]]


#: README's spiral command (the third row of its table): plain mini-batch gradient descent,
#: 300 epochs (the spiral's default), lr 0.3
SPIRAL = ["train", "--data", "spiral", "--layers", "2,16,16,3", "--hidden", "tanh", "--output", "softmax",
          "--loss", "cross_entropy", "--epochs", "300", "--lr", "0.3"]


@pytest.fixture(scope="session")
def spiral_run(tmp_path_factory):
    """README's spiral command, run once a session (a long run: the tests that use it are marked
    slow), with ``--save spiral.json --plot spiral.svg --json`` in a folder of its own, which is
    the working directory while it runs: (that folder, the --json output as a dict).
    tests/test_readme.py checks the table's row against it, tests/test_cli_plane.py the accuracy
    (its drawings read a shorter run of the same command)."""
    import io
    import json

    from tinybackprop.cli import main
    d = tmp_path_factory.mktemp("spiral")
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(str(d))
    try:
        code = main(SPIRAL + ["--save", "spiral.json", "--plot", "spiral.svg", "--json"], out=out, err=err)
    finally:
        os.chdir(here)
    assert code == 0, err.getvalue()
    return d, json.loads(out.getvalue())


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for every browser test of the session (tests/docs/docs_helpers.py)."""
    from docs_helpers import launch_chromium  # tests/docs/, on sys.path once a docs test is collected
    yield from launch_chromium()


def graph_case(h, o, lo, depth, m, seed=0):
    """A 3-4(-4)-k network of activation h, output o and loss lo (``depth`` hidden layers of 4;
    k = 3 for a softmax, else 2) with non-zero biases, a batch of m rows and its targets, all
    seeded: the cases of the graph path's tests (tests/core/test_graph.py, test_graph_torch.py)."""
    rnd = random.Random(1000 * seed + 17 * depth + m)
    n_out = 3 if o == "softmax" else 2
    sizes = [3] + [4] * depth + [n_out]
    net = random_net(rnd, sizes, h, o, lo, seed=seed + depth, bias_scale=0.5)  # non-zero biases
    X = random_batch(rnd, m, sizes[0])
    Y = random_targets(rnd, lo, m, n_out)
    return net, X, Y


def run_cli(argv, cwd=None):
    """``tinybackprop ARGV`` in this process, in the folder ``cwd`` (the one it was in, after):
    (exit status, stdout, stderr)."""
    import io

    from tinybackprop.cli import main  # on first use: tests/core (Pyodide) never calls it
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    if cwd is not None:
        os.chdir(str(cwd))
    try:
        code = main(list(argv), out=out, err=err)
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()
