"""The graph path (tinybackprop.graph) against PyTorch's float64 autograd, within 1e-12
normwise, on networks of every activation, output and loss with non-zero biases and batches
of 1 to 4 rows.  Skipped, saying so, when torch is not installed (pip install -e ".[torch]");
.ci/steps/0-setup.sh installs it into .venv, where the README command runs this file."""
import math

import pytest

import tinybackprop as tb
from tinybackprop import graph

from conftest import graph_case as setup, valid_combinations

TOL = 1e-12
# every activation x output x loss, one and two hidden layers, batches of 1 to 4 rows
CASES = [(h, o, lo, depth, 1 + (k + depth) % 4)
         for k, (h, o, lo) in enumerate(valid_combinations()) for depth in (1, 2)]


def norm(M):
    return math.sqrt(sum(x * x for row in M for x in row))


def normwise(A, B):
    """||A - B|| / ||B|| (Frobenius), and 0 when both are exactly zero."""
    diff = norm([[a - b for a, b in zip(ra, rb)] for ra, rb in zip(A, B)])
    return diff / norm(B) if diff else 0.0


def assert_close(g, ref, tol=TOL, what=""):
    L = len(ref.W) - 1
    for l in range(1, L + 1):
        assert normwise(g.W[l], ref.W[l]) <= tol, "%s W%d" % (what, l)
        assert normwise(g.b[l], ref.b[l]) <= tol, "%s b%d" % (what, l)
    assert normwise(g.x, ref.x) <= tol, "%s dL/dX" % what
    assert abs(g.loss - ref.loss) <= tol * abs(ref.loss), "%s loss" % what


def test_graph_backward_equals_pytorch_float64():
    torch = pytest.importorskip("torch", reason="torch is not installed: pip install -e '.[torch]'")
    dt = torch.float64
    act = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "identity": lambda v: v}
    out = {"sigmoid": torch.sigmoid, "identity": lambda v: v, "softmax": lambda v: torch.softmax(v, dim=1)}
    for h, o, lo, depth, m in CASES:
        net, X, Y = setup(h, o, lo, depth, m, seed=2)
        g = graph.backward(net, X, Y)
        Ws = [torch.tensor(net.W[l], dtype=dt, requires_grad=True) for l in range(1, net.L + 1)]
        bs = [torch.tensor(net.b[l], dtype=dt, requires_grad=True) for l in range(1, net.L + 1)]
        Xt = torch.tensor(X, dtype=dt, requires_grad=True)
        Yt = torch.tensor(Y, dtype=dt)
        a = Xt
        for l in range(net.L):
            z = a @ Ws[l] + bs[l]
            a = act[h](z) if l < net.L - 1 else out[o](z)
        if lo == "bce":
            per = -(Yt * torch.log(a) + (1 - Yt) * torch.log(1 - a)).sum(dim=1)
        elif lo == "cross_entropy":
            per = -(Yt * torch.log(a)).sum(dim=1)
        else:
            per = 0.5 * ((Yt - a) ** 2).sum(dim=1)
        loss = per.mean()
        loss.backward()
        ref = tb.Gradients([None] + [W.grad.tolist() for W in Ws], [None] + [b.grad.tolist() for b in bs],
                           [Xt.grad.tolist()], [None], loss.item())
        assert_close(g, ref, what="graph vs torch %s-%s-%s-L%d-m%d" % (h, o, lo, depth, m))
