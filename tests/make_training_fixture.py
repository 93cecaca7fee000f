"""Record the weights that train() gives, to pin them across a change of the code.

    python tests/make_training_fixture.py            # add this interpreter's run to the fixture
    python tests/make_training_fixture.py --check    # compare this interpreter's run with it

The fixture, tests/data/training_weights.json, holds for every configuration
below (both paths; batch 1, 16 and 24 = the whole set; sigmoid, tanh and relu
hidden layers; softmax + cross entropy, sigmoid + bce, identity and sigmoid
+ squared error; a few epochs; fixed seeds) the weights W^[l], b^[l] after
training.  The floats of a run depend on the interpreter's arithmetic
(``math.sumprod`` on CPython 3.12+, the compensated ``sum()`` of floats on
3.12+), so every interpreter that ran this script has its own entry, keyed
by :func:`arith_key`.  tests/core/test_training_fixture.py compares today's
weights with it: bit for bit on the interpreter that recorded them, within
1e-12 relative on any other.

The entries were recorded before the speed work changed the matrix loops (then a module of
their own, kernels.py) and the training loop (at commit 0f3cb5b of main), on CPython 3.11.7,
3.12.1 and 3.13.0.
Run it again only to add an interpreter, never to paper over a difference.
"""
import json
import os
import platform
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import tinybackprop as tb  # noqa: E402
from tinybackprop.rng import Random  # noqa: E402
from tinybackprop.training import train  # noqa: E402

PATH = os.path.join(HERE, "data", "training_weights.json")
ROWS = 24

#: (hidden, output, loss, sizes, lr)
NETWORKS = [
    ("sigmoid", "softmax", "cross_entropy", [5, 4, 3, 3], 0.5),
    ("tanh", "sigmoid", "bce", [5, 4, 3, 1], 0.3),
    ("relu", "identity", "squared_error", [5, 4, 3, 2], 0.05),
    ("sigmoid", "sigmoid", "squared_error", [5, 4, 3, 3], 0.5),
]
BATCHES = [1, 16, ROWS]
PATHS = ["vectorized", "per_neuron"]
EPOCHS = 3


def arith_key():
    """Which arithmetic produced a run: implementation and version, e.g. 'cpython-3.12'."""
    v = sys.version_info
    return "%s-%d.%d" % (platform.python_implementation().lower(), v[0], v[1])


def data(output, loss, n_in, n_out, seed):
    """X uniform in [-1, 1]; targets that fit the loss: one-hot rows for cross
    entropy, 0/1 labels for bce, values in [0, 1] for squared error."""
    r = Random(seed)
    X = [[r.uniform(-1.0, 1.0) for _ in range(n_in)] for _ in range(ROWS)]
    Y = []
    for _ in range(ROWS):
        if loss == "cross_entropy":
            k = r.randbelow(n_out)
            Y.append([1.0 if j == k else 0.0 for j in range(n_out)])
        elif loss == "bce":
            Y.append([float(r.randbelow(2)) for _ in range(n_out)])
        else:
            Y.append([r.uniform(0.0, 1.0) for _ in range(n_out)])
    return X, Y


def configs():
    """Every configuration, as a dict of train()'s arguments and the network's."""
    out = []
    for k, (hidden, output, loss, sizes, lr) in enumerate(NETWORKS):
        for batch in BATCHES:
            for path in PATHS:
                out.append({"name": "%s-%s-%s-batch%d-%s" % (hidden, output, loss, batch, path),
                            "sizes": sizes, "hidden": hidden, "output": output, "loss": loss,
                            "net_seed": 10 + k, "data_seed": 20 + k, "shuffle_seed": 30 + k,
                            "batch_size": batch, "path": path, "epochs": EPOCHS, "lr": lr})
    return out


def run(c):
    """Train the configuration ``c`` and return (W, b): lists over layers 1..L."""
    net = tb.Network(c["sizes"], hidden=c["hidden"], output=c["output"], loss=c["loss"], seed=c["net_seed"])
    X, Y = data(c["output"], c["loss"], c["sizes"][0], c["sizes"][-1], c["data_seed"])
    train(net, X, Y, epochs=c["epochs"], lr=c["lr"], batch_size=c["batch_size"], path=c["path"],
          seed=c["shuffle_seed"])
    return [[list(row) for row in W] for W in net.W], [[list(row) for row in b] for b in net.b]


def load():
    with open(PATH) as f:
        return json.load(f)


def main(argv):
    key = arith_key()
    if "--check" in argv:
        fixture = load()["runs"][key]
        bad = [c["name"] for c in configs() if list(run(c)) != [fixture[c["name"]]["W"], fixture[c["name"]]["b"]]]
        print("%s: %d of %d configurations differ from the fixture%s"
              % (key, len(bad), len(configs()), (": " + ", ".join(bad)) if bad else ""))
        return 1 if bad else 0
    doc = load() if os.path.exists(PATH) else {"about": __doc__.split("\n\n")[2].replace("\n", " "),
                                               "configs": configs(), "runs": {}}
    if doc["configs"] != configs():
        raise SystemExit("the configurations changed since the fixture was recorded; record it anew "
                         "from the code before the change, not from today's")
    runs = {}
    for c in configs():
        W, b = run(c)
        runs[c["name"]] = {"W": W, "b": b}
    doc["runs"][key] = runs
    if not os.path.isdir(os.path.dirname(PATH)):
        os.makedirs(os.path.dirname(PATH))
    with open(PATH, "w") as f:
        json.dump(doc, f, indent=0, sort_keys=True)
        f.write("\n")
    print("recorded %d configurations for %s in %s" % (len(runs), key, os.path.relpath(PATH)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
