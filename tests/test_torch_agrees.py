"""PyTorch, given the same weights, computes the same loss and the same gradients as
tinybackprop (within 1e-9), and the PyTorch code shown on docs/speed.md is the code
run here.  Skipped, saying so, when torch is not installed (pip install -e ".[torch]")."""
import os
import re

import pytest

import tinybackprop as tb
from conftest import seeded_batch
from tinybackprop import per_neuron, vectorized

torch = pytest.importorskip("torch", reason="torch is not installed: pip install -e '.[torch]'")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEED_PAGE = os.path.join(ROOT, "docs", "speed.md")
TOL = 1e-9


def worst(t, M):
    """Largest absolute difference between a tensor and a list of lists."""
    return max(abs(x - y) for rt, rm in zip(t.tolist(), M) for x, y in zip(rt, rm))


ACT = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "identity": lambda z: z}


def torch_loss(z, Yt, output, loss):
    """The mean loss from the output pre-activation z, written with PyTorch's own functions."""
    if loss == "cross_entropy":
        logp = torch.log_softmax(z, dim=1) if output == "softmax" else torch.nn.functional.logsigmoid(z)
        return -(Yt * logp).sum(dim=1).mean()
    if loss == "bce":
        if output == "sigmoid":
            per = torch.nn.functional.binary_cross_entropy_with_logits(z, Yt, reduction="none")
        else:  # softmax outputs read as independent probabilities
            p = torch.softmax(z, dim=1)
            per = -(Yt * torch.log(p) + (1 - Yt) * torch.log(1 - p))
        return per.sum(dim=1).mean()
    yhat = {"sigmoid": torch.sigmoid, "identity": lambda v: v, "softmax": lambda v: torch.softmax(v, dim=1)}[output](z)
    return (0.5 * ((Yt - yhat) ** 2).sum(dim=1)).mean()


CASES = [
    ([4, 3, 2, 1], "sigmoid", "sigmoid", "bce"),          # the document's network
    ([64, 32, 10], "sigmoid", "softmax", "cross_entropy"),  # the benchmark's network
    ([3, 4, 1], "sigmoid", "sigmoid", "squared_error"),
    ([5, 4, 3, 2], "tanh", "softmax", "bce"),
    ([3, 5, 2], "relu", "identity", "squared_error"),
    ([4, 6, 3], "tanh", "softmax", "squared_error"),
]


@pytest.mark.parametrize("path", [vectorized, per_neuron], ids=["vectorized", "per_neuron"])
@pytest.mark.parametrize("sizes,hidden,output,loss", CASES, ids=["-".join(map(str, c[0])) + "-" + c[3] for c in CASES])
def test_torch_autograd_gives_the_same_gradients(path, sizes, hidden, output, loss):
    net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=7)
    X, Y = seeded_batch(sizes, 5, loss, seed=11)
    g = path.backward(net, X, Y)

    dt = torch.float64
    Ws = [torch.tensor(net.W[l], dtype=dt, requires_grad=True) for l in range(1, net.L + 1)]
    bs = [torch.tensor(net.b[l], dtype=dt, requires_grad=True) for l in range(1, net.L + 1)]
    Xt = torch.tensor(X, dtype=dt, requires_grad=True)
    a = Xt
    for l in range(net.L):
        z = a @ Ws[l] + bs[l]
        if l < net.L - 1:
            a = ACT[hidden](z)
    L = torch_loss(z, torch.tensor(Y, dtype=dt), output, loss)
    L.backward()

    assert abs(L.item() - g.loss) <= TOL * max(1.0, abs(g.loss))
    for l in range(1, net.L + 1):
        assert worst(Ws[l - 1].grad, g.W[l]) <= TOL, "W%d" % l
        assert worst(bs[l - 1].grad, g.b[l]) <= TOL, "b%d" % l
    assert worst(Xt.grad, g.x) <= TOL, "x"


def page_code():
    """The Python block under the heading 'The same network in PyTorch' on docs/speed.md."""
    text = open(SPEED_PAGE, encoding="utf-8").read()
    part = text.split("## The same network in PyTorch", 1)
    assert len(part) == 2, "docs/speed.md lost its PyTorch section"
    m = re.search(r"```python\n(.*?)```", part[1], re.S)
    assert m, "no python block in the PyTorch section of docs/speed.md"
    return m.group(1)


def test_the_pytorch_code_on_the_speed_page_runs_and_agrees(capsys):
    ns = {}
    exec(compile(page_code(), "docs/speed.md", "exec"), ns)
    g = ns["g"]
    assert abs(ns["loss"].item() - g.loss) <= TOL
    assert worst(ns["W1"].grad, g.W[1]) <= TOL
    assert worst(ns["b1"].grad, g.b[1]) <= TOL
    assert worst(ns["W2"].grad, g.W[2]) <= TOL
    assert worst(ns["b2"].grad, g.b[2]) <= TOL
    assert worst(ns["Xt"].grad, g.x) <= TOL
    printed = capsys.readouterr().out.split()
    assert printed and all(float(v) <= TOL for v in printed), printed
