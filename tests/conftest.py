"""Shared helpers for the tests: random networks, batches and targets."""
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

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


def random_net(rnd, sizes, hidden, output, loss, seed=0, bias_scale=0.3):
    """A network with nonzero biases too, so bias paths are exercised."""
    net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=seed)
    for l in range(1, net.L + 1):
        net.b[l] = [[rnd.uniform(-bias_scale, bias_scale) for _ in range(sizes[l])]]
    return net


def max_abs(A):
    return max(abs(x) for row in A for x in row)
