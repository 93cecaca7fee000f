"""MkDocs helper: numbers for the course pages, computed by the package while the site is built
(``docs/hooks/teach.py`` gives them to the pages' ``<!--tb= ... -->`` expressions).

Two things the site teaches need numbers that are not a backward pass of a
layered network: the 1-1-1 warm-up drawn as a computational graph, node by
node, and the cost of backpropagation against finite differences.

===================================  ====================================================
``graph_111(x, y, seed, b1, b2)``    the 1-1-1 network as a computational graph: every
                                     node's value and gradient, read off tinybackprop.graph
``reverse_mode_counts(sizes)``       passes and multiply-adds: backprop against one
                                     perturbation (or forward-mode pass) per parameter
``parameter_count(sizes)``           how many weights and biases a network has
``adam_by_hand(steps)``              Adam's first steps on one weight of the 4-3-2-1
                                     network: g, m, v, their bias corrections, the step
``optimizer_runs(rows, epochs)``     the digits network trained with each optimizer
``early_stopping(patience)``         20 noisy points overfitted on purpose, without and with patience
``ravine_paths(steps)``              plain, momentum, Nesterov and Adam steps down a ravine
===================================  ====================================================

>>> parameter_count([4, 3, 2, 1])
26
>>> c = reverse_mode_counts([4, 3, 2, 1])
>>> c["backprop_passes"], c["central_difference_passes"]
(2, 52)
"""
from tinybackprop import vectorized
from tinybackprop.errors import BackpropError
from tinybackprop.network import Network


def parameter_count(sizes):
    """The number of weights and biases: sum over l of n_{l-1} n_l + n_l.

    >>> parameter_count([64, 32, 10])
    2410
    """
    return sum(a * b + b for a, b in zip(sizes, sizes[1:]))


def reverse_mode_counts(sizes):
    """What one gradient of the loss costs, for one example, three ways.

    Returns a dict:

    * ``parameters``: P, the number of weights and biases;
    * ``forward_madds``: multiply-adds of one forward pass, sum n_{l-1} n_l;
    * ``backward_madds``: multiply-adds of one backward pass: g^[lW] for every
      layer plus g^[l-1,a] for layers 2..L (dL/dx is not needed for training);
    * ``backprop_passes``: 2 (one forward, one backward) and
      ``backprop_madds``, their multiply-adds;
    * ``central_difference_passes``: 2 P forward passes (theta + h and
      theta - h for every parameter) and ``central_difference_madds``;
    * ``forward_mode_passes``: P, one forward-mode pass per parameter
      (each carries one tangent alongside the values);
    * ``ratio``: central-difference multiply-adds over backprop's.

    >>> c = reverse_mode_counts([64, 32, 10])
    >>> c["parameters"], c["forward_madds"], c["backward_madds"]
    (2410, 2368, 2688)
    >>> c["central_difference_passes"], c["forward_mode_passes"]
    (4820, 2410)
    """
    sizes = list(sizes)
    if len(sizes) < 2 or any(not isinstance(n, int) or n < 1 for n in sizes):
        raise BackpropError("reverse_mode_counts: sizes must be 2 or more layer widths >= 1, got %r" % (sizes,))
    products = [a * b for a, b in zip(sizes, sizes[1:])]
    P = parameter_count(sizes)
    fwd = sum(products)
    bwd = fwd + sum(products[1:])
    return {
        "sizes": sizes,
        "parameters": P,
        "forward_madds": fwd,
        "backward_madds": bwd,
        "backprop_passes": 2,
        "backprop_madds": fwd + bwd,
        "central_difference_passes": 2 * P,
        "central_difference_madds": 2 * P * fwd,
        "forward_mode_passes": P,
        "ratio": 2.0 * P * fwd / (fwd + bwd),
    }


def graph_111(x=0.5, y=1.0, seed=3, b1=0.1, b2=-0.2):
    """The 1-1-1 network (sigmoid, sigmoid, binary cross entropy) as a
    computational graph, with the value and the gradient dL/d(node) of each node.

    The weights come from ``Network([1, 1, 1], seed=seed)``; the biases are set
    to ``b1`` and ``b2`` so that the add gates have something to add.  Returns a
    list of dicts, in forward order: ``name`` (text), ``tex`` (LaTeX), ``kind``
    ("input", "parameter", "multiply", "add", "activation" or "loss"),
    ``inputs`` (names of the nodes it is computed from), ``value`` and
    ``grad``.  The nodes are those of :func:`tinybackprop.graph.build`, and
    every value and gradient is read off them after the loss node's
    ``backward`` (the tests compare them with :func:`tinybackprop.vectorized.backward`).

    >>> nodes = graph_111()
    >>> [n["name"] for n in nodes][:5]
    ['x', 'w1', 'p1', 'b1', 'z1']
    >>> nodes[-1]["name"], nodes[-1]["grad"]
    ('L', 1.0)
    """
    from tinybackprop import graph

    net = Network([1, 1, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=seed)
    net.b[1] = [[float(b1)]]
    net.b[2] = [[float(b2)]]
    G = graph.build(net, [[float(x)]], [[float(y)]])
    G.loss.backward()
    z1, z2 = G.z[1][0][0], G.z[2][0][0]
    p1, p2 = z1.parents[0][0], z2.parents[0][0]  # z = (w a) + b: the product is the first input

    def node(name, tex, kind, inputs, v):
        return {"name": name, "tex": tex, "kind": kind, "inputs": inputs, "value": v.data, "grad": v.grad}

    return [
        node("x", "x", "input", [], G.x[0][0]),
        node("w1", "w^{[1]}", "parameter", [], G.W[1][0][0]),
        node("p1", "w^{[1]} x", "multiply", ["w1", "x"], p1),
        node("b1", "b^{[1]}", "parameter", [], G.b[1][0][0]),
        node("z1", "z^{[1]}", "add", ["p1", "b1"], z1),
        node("a1", "a^{[1]}", "activation", ["z1"], G.a[1][0][0]),
        node("w2", "w^{[2]}", "parameter", [], G.W[2][0][0]),
        node("p2", "w^{[2]} a^{[1]}", "multiply", ["w2", "a1"], p2),
        node("b2", "b^{[2]}", "parameter", [], G.b[2][0][0]),
        node("z2", "z^{[2]}", "add", ["p2", "b2"], z2),
        node("yhat", "\\hat{y} = a^{[2]}", "activation", ["z2"], G.a[2][0][0]),
        node("L", "\\mathcal{L}", "loss", ["yhat"], G.loss),
    ]


def adam_by_hand(steps=3, lr=0.01, betas=(0.9, 0.999), eps=1e-8):
    """Adam's first ``steps`` steps on the 4-3-2-1 network (seed 0) and
    one example (x = 0.1, 0.2, 0.3, 0.4; y = 1), watched on the weight W^[3]_{1,1}.

    Returns one dict a step: ``t``, ``g`` (its gradient), ``gbar``, ``g2bar`` (the
    optimizer's buffers after the step: the running means of g and of g^2),
    ``gbar_hat``, ``g2bar_hat`` (bias-corrected), ``raw`` (what lr gbar / (sqrt(g2bar) + eps)
    would have moved it, uncorrected),
    ``change`` (what the step did move it: W before minus W after) and ``W``.

    >>> s = adam_by_hand(1)[0]
    >>> round(s["gbar"] / s["g"], 12), round(s["change"] / s["g"] * abs(s["g"]) / 0.01, 6)
    (0.1, 1.0)
    >>> round(s["raw"] / s["change"], 4)    # uncorrected, the first step would be sqrt(10) times larger
    3.1623
    """
    from tinybackprop.optimizers import Adam
    net = Network([4, 3, 2, 1], seed=0)
    X, Y = [[0.1, 0.2, 0.3, 0.4]], [[1.0]]
    opt = Adam(lr, betas=betas, eps=eps)
    out = []
    for t in range(1, steps + 1):
        g = vectorized.backward(net, X, Y)
        before = net.W[3][0][0]
        opt.step(net, g)
        gbar, g2bar = opt.state[3]["W"]["exp_avg"][0][0], opt.state[3]["W"]["exp_avg_sq"][0][0]
        out.append({"t": t, "g": g.W[3][0][0], "gbar": gbar, "g2bar": g2bar, "gbar_hat": gbar / (1.0 - betas[0] ** t),
                    "g2bar_hat": g2bar / (1.0 - betas[1] ** t), "raw": lr * gbar / (g2bar ** 0.5 + eps),
                    "change": before - net.W[3][0][0], "W": net.W[3][0][0]})
    return out


#: the optimizers of :func:`optimizer_runs`: (label, name, lr)
RUNS = (("sgd, lr 2", "sgd", 2.0), ("momentum, lr 0.2", "momentum", 0.2),
        ("nesterov, lr 0.2", "nesterov", 0.2), ("rmsprop, lr 0.003", "rmsprop", 0.003),
        ("adam, lr 0.01", "adam", 0.01), ("adamw, lr 0.01", "adamw", 0.01))


def optimizer_runs(rows=240, epochs=8, batch_size=16, seed=0):
    """The digits network (64-32-10, sigmoid, softmax, cross entropy, seed 0)
    trained on the first ``rows`` training images with each optimizer of
    ``RUNS``, from the same weights.  Returns a list of (label, History).

    >>> [label for label, h in optimizer_runs(rows=20, epochs=1)][:2]
    ['sgd, lr 2', 'momentum, lr 0.2']
    """
    from tinybackprop.datasets import digits_task
    from tinybackprop.optimizers import make
    from tinybackprop.training import train
    task = digits_task()
    X, Y = task.X_train[:rows], task.Y_train[:rows]
    out = []
    for label, name, lr in RUNS:
        net = Network([64, 32, 10], hidden="sigmoid", output="softmax", loss="cross_entropy", seed=seed)
        out.append((label, train(net, X, Y, epochs=epochs, batch_size=batch_size, seed=seed,
                                 optimizer=make(name, lr))))
    return out


_RUNS = {}  # type: dict


#: The run of :func:`early_stopping`: 60 noisy points of the moons, split three ways as
#: ``tinybackprop train`` splits: a third held out as test rows, half of the rest as validation rows.
STOPPING = {"data": "moons", "samples": 60, "noise": 0.3, "test_fraction": 1 / 3.0, "val_fraction": 0.5,
            "sizes": [2, 32, 32, 1], "hidden": "tanh", "lr": 0.5, "epochs": 240}


def early_stopping(patience=20, epochs=None):
    """A 2-32-32-1 tanh network, far larger than 20 training points need, trained full-batch
    (all 20 rows a step, so the curves are smooth) on the moons with noise: the validation
    loss falls, reaches its lowest point and climbs while the training loss keeps falling.
    Returns (the history of all ``epochs``, the history of the same run with ``patience``,
    which stops and keeps the weights of its ``best_epoch``); both measure the 20 test rows
    once, after training (``test_loss``).

    >>> full, stopped = early_stopping(epochs=60)
    >>> stopped.best_epoch == full.val_loss.index(min(full.val_loss[:stopped.epochs])) + 1
    True
    """
    epochs = epochs or STOPPING["epochs"]
    key = ("early_stopping", patience, epochs)
    if key in _RUNS:  # a page quotes several numbers of the same two runs
        return _RUNS[key]
    from tinybackprop.datasets import planar, split_validation
    from tinybackprop.training import train
    t = planar.planar_task(STOPPING["data"], samples=STOPPING["samples"], noise=STOPPING["noise"], seed=0,
                           test_fraction=STOPPING["test_fraction"])
    t = split_validation(t, STOPPING["val_fraction"], seed=0)
    runs = []
    for p in (None, patience):
        net = Network(STOPPING["sizes"], hidden=STOPPING["hidden"], seed=0)
        runs.append(train(net, t.X_train, t.Y_train, epochs=epochs, lr=STOPPING["lr"], batch_size=len(t.X_train),
                          X_val=t.X_val, Y_val=t.Y_val, X_test=t.X_test, Y_test=t.Y_test, patience=p,
                          evaluate_train=True))
    _RUNS[key] = runs[0], runs[1]
    return _RUNS[key]


def ravine_paths(steps=40):
    """The weights each optimizer visits on the ravine of the optimizers page: a 2-1 network
    (identity output, squared error, its bias held at 0) on the two examples x = (1, 0) and
    x = (0, 5) with target 0, whose mean loss is (w1^2 + 25 w2^2) / 4, from w = (2, 1).
    Returns a list of (title, [(w1, w2) after each step, the start first]), the steps taken
    by :mod:`tinybackprop.optimizers` on the network.

    >>> [(title, len(path)) for title, path in ravine_paths(steps=3)][:2]
    [('plain steps, \u03b1 = 0.1', 4), ('momentum, \u03b1 = 0.1, \u03bc = 0.7', 4)]
    """
    from tinybackprop import optimizers
    X, Y = [[1.0, 0.0], [0.0, 5.0]], [[0.0], [0.0]]
    out = []
    for title, opt in (("plain steps, \u03b1 = 0.1", optimizers.SGD(lr=0.1)),
                       ("momentum, \u03b1 = 0.1, \u03bc = 0.7", optimizers.SGD(lr=0.1, momentum=0.7)),
                       ("Nesterov, \u03b1 = 0.1, \u03bc = 0.7", optimizers.SGD(lr=0.1, momentum=0.7, nesterov=True)),
                       ("Adam, \u03b1 = 0.1", optimizers.Adam(lr=0.1))):
        net = Network([2, 1], output="identity", loss="squared_error")
        net.W[1], net.b[1] = [[2.0], [1.0]], [[0.0]]
        path = [(2.0, 1.0)]
        for _ in range(steps):
            g = vectorized.backward(net, X, Y)
            g.b[1] = [[0.0]]  # the bias stays out of it: only w1 and w2 move
            opt.step(net, g)
            path.append((net.W[1][0][0], net.W[1][1][0]))
        out.append((title, path))
    return out
