"""The same network and step in micrograd, NumPy and PyTorch (each optional).

Every ``make_*`` function takes the starting weights (W1, b1, W2, b2 as lists,
b flat) and a batch (X, Y as lists) and returns ``(step, first_loss)`` where
``step()`` runs one training step (forward, mean cross-entropy loss, backward
to the weights and biases, update with learning rate ``lr``) and ``first_loss`` is the loss of the first
step on the given weights, to check that it is the same network.  A library
that is not installed raises ImportError; the caller skips it visibly.
"""
import math


# -- micrograd: scalar autodiff, one Value per number ---------------------------------------
def make_micrograd(W1, b1, W2, b2, X, Y, lr):
    from micrograd.engine import Value  # ImportError when absent

    # micrograd 0.1.0 has +, *, ** and relu; the three nodes this network needs
    # more (exp, log and the logistic function) follow its pattern.
    def v_exp(v):
        out = Value(math.exp(v.data), (v,), "exp")

        def _backward():
            v.grad += out.data * out.grad
        out._backward = _backward
        return out

    def v_log(v):
        out = Value(math.log(v.data), (v,), "log")

        def _backward():
            v.grad += out.grad / v.data
        out._backward = _backward
        return out

    def v_sigmoid(v):
        s = 1.0 / (1.0 + math.exp(-v.data))
        out = Value(s, (v,), "sigmoid")

        def _backward():
            v.grad += s * (1.0 - s) * out.grad
        out._backward = _backward
        return out

    w1 = [[Value(w) for w in row] for row in W1]
    c1 = [Value(b) for b in b1]
    w2 = [[Value(w) for w in row] for row in W2]
    c2 = [Value(b) for b in b2]
    params = [p for row in w1 for p in row] + c1 + [p for row in w2 for p in row] + c2
    n1, n2, m = len(c1), len(c2), len(X)

    def step():
        total = Value(0.0)
        for x, y in zip(X, Y):
            h = [v_sigmoid(sum((w1[i][j] * x_i for i, x_i in enumerate(x)), c1[j])) for j in range(n1)]
            z = [sum((w2[i][k] * h_i for i, h_i in enumerate(h)), c2[k]) for k in range(n2)]
            top = max(v.data for v in z)
            lse = v_log(sum(v_exp(v - top) for v in z)) + top
            total = total + lse - sum(z_k * y_k for z_k, y_k in zip(z, y) if y_k != 0.0)
        loss = total * (1.0 / m)
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= lr * p.grad
        return loss.data

    return step


# -- NumPy: the same step with float64 arrays -------------------------------------------------
def make_numpy(W1, b1, W2, b2, X, Y, lr):
    import numpy as np

    P = [np.array(W1, dtype=np.float64), np.array(b1, dtype=np.float64),
         np.array(W2, dtype=np.float64), np.array(b2, dtype=np.float64)]
    Xa, Ya = np.array(X, dtype=np.float64), np.array(Y, dtype=np.float64)
    m = Xa.shape[0]

    def step():
        w1, c1, w2, c2 = P
        H = 1.0 / (1.0 + np.exp(-(Xa @ w1 + c1)))
        Z = H @ w2 + c2
        top = Z.max(axis=1, keepdims=True)
        E = np.exp(Z - top)
        S = E.sum(axis=1, keepdims=True)
        loss = float(np.mean(top[:, 0] + np.log(S[:, 0]) - (Ya * Z).sum(axis=1)))
        G2 = (E / S - Ya) / m
        gW2, gb2 = H.T @ G2, G2.sum(axis=0)
        G1 = (G2 @ w2.T) * H * (1.0 - H)
        gW1, gb1 = Xa.T @ G1, G1.sum(axis=0)
        w1 -= lr * gW1
        c1 -= lr * gb1
        w2 -= lr * gW2
        c2 -= lr * gb2
        return loss

    return step


# -- PyTorch: autograd on float64 tensors ------------------------------------------------------
def make_torch(W1, b1, W2, b2, X, Y, lr):
    import torch

    torch.set_num_threads(1)  # one core, as the pure-Python code uses; the batch is too small to share
    dt = torch.float64
    P = [torch.tensor(W1, dtype=dt, requires_grad=True), torch.tensor(b1, dtype=dt, requires_grad=True),
         torch.tensor(W2, dtype=dt, requires_grad=True), torch.tensor(b2, dtype=dt, requires_grad=True)]
    Xt = torch.tensor(X, dtype=dt)  # no dL/dX: a training step does not need it
    Yt = torch.tensor(Y, dtype=dt)

    def step():
        w1, c1, w2, c2 = P
        H = torch.sigmoid(Xt @ w1 + c1)
        Z = H @ w2 + c2
        loss = -(Yt * torch.log_softmax(Z, dim=1)).sum(dim=1).mean()
        for p in P:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in P:
                p -= lr * p.grad
        return loss.item()

    return step


PEERS = [("micrograd", make_micrograd), ("numpy", make_numpy), ("torch", make_torch)]


def version_of(name):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:  # noqa: BLE001 - no importlib.metadata (PyPy 3.7 and older) or not installed
        pass
    try:
        mod = __import__(name)
    except ImportError:
        return None
    return getattr(mod, "__version__", "installed")
