"""The graph path (tinybackprop.graph) against PyTorch's float64 autograd, within 1e-12
normwise, on networks of every activation, output and loss with non-zero biases and batches
of 1 to 4 rows.  Skipped, saying so, when torch is not installed (pip install -e ".[torch]");
.ci/steps/0-setup.sh installs it into .venv, where the README command runs this file."""
import os
import sys

import pytest

import tinybackprop as tb
from tinybackprop import graph

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "core"))
from test_graph import CASES, assert_close, setup


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
