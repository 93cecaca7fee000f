"""The playground's 2-D mode, Python side: runs in the page (MicroPython) and, for the tests, in CPython.

docs/assets/javascripts/tb-plane.js keeps one background MicroPython (tbPython.worker(),
the runner the runnable cells use) and calls, each a short call so that the page's memory
stays flat (see tb_epochs.py):

``start(settings)``   the data, split and expanded into features, and the network: prints
                      ``TB {...}`` with the points, the sizes, the weights and the command
``step()``            one epoch of ``training.train`` on the per-neuron path (tb_epochs.Epochs):
                      ``TB {...}`` with its running loss, the test loss after it, the weights
                      and the command
``final()``           ``TB {...}``: the training set's loss and accuracy now (``evaluate``), what
                      ``tinybackprop train`` prints at the end
``picture(cells)``    ``PIC {...}``: the network's output and every unit's output over a grid
                      of the plane (``vectorized.forward``), the dead relu units, and the loss
                      and the size of each layer's gradient over the training set
                      (``vectorized.backward``)
``explain(sel)``      ``EQ {...}``: the equations of one neuron or edge for one example, with
                      their numbers (``show.explain.explain_steps`` and the per-neuron forward
                      steps of tb_playground.py)

Every number comes from tinybackprop: the data from ``datasets.planar`` and
``datasets.features``, the training from ``training.train``, the pictures from its
forward pass.  Training takes the per-neuron path (``path="per_neuron"``: the same numbers
as the vectorized one up to rounding, and the faster of the two in this MicroPython; the
command says ``--path per_neuron``, so it repeats the very same floats).  ``command(settings, epochs)`` is the ``tinybackprop train`` line that
repeats the run in CPython, with the same numbers.
"""
import json
import math

from tinybackprop import Network, vectorized
from tinybackprop.datasets import planar
from tinybackprop.datasets.features import expand
from tinybackprop.show.boundary import CLASS_COLORS, box, predicted
from tinybackprop.training import evaluate
from tb_epochs import Epochs

OUTPUT = {1: ("sigmoid", "bce"), "softmax": ("softmax", "cross_entropy"), "regression": ("identity", "squared_error")}
#: The backward path the page trains with (and its command asks for).
PATH = "per_neuron"
STATE = {"run": None}
#: Numbers sent for the pictures: thousandths, as whole numbers (a short line).
SCALE = 1000


class Run:
    """One run of the playground: data, network, optimizer and the epochs done."""

    def __init__(self, s):
        self.s = s
        data, features = s["data"], list(s["features"])
        self.regression = data in planar.REGRESSION
        # the points as they are (for the drawing), then as the network sees them: planar_task's
        # own split and expand, so these rows are the ones `tinybackprop train --features` makes
        raw = planar.planar_task(data, samples=s["samples"], noise=s["noise"], test_fraction=s["test_fraction"],
                                 seed=s["seed"])
        self.raw_train, self.raw_test = raw.X_train, raw.X_test
        self.features = features
        self.X_train, self.X_test = expand(raw.X_train, features), expand(raw.X_test, features)
        self.Y_train, self.Y_test = raw.Y_train, raw.Y_test
        self.classes = raw.classes
        if self.regression:
            n_out, (output, loss) = 1, OUTPUT["regression"]
        elif planar.CLASSES[data] == 2:
            n_out, (output, loss) = 1, OUTPUT[1]
        else:
            n_out, (output, loss) = planar.CLASSES[data], OUTPUT["softmax"]
        self.sizes = [len(features)] + list(s["layers"]) + [n_out]
        self.net = Network(self.sizes, hidden=s["hidden"], output=output, loss=loss, seed=s["seed"], init=s["init"])
        self.optimizer = optimizer_for(s["optimizer"], s["lr"], s["weight_decay"])
        self.epochs = Epochs(self.net, self.X_train, self.Y_train, s["lr"], s["batch_size"], s["seed"],
                             optimizer=self.optimizer, path=PATH, evaluate_train=False,
                             X_test=self.X_test, Y_test=self.Y_test)
        self.last = None

    def labels(self, Y):
        if self.regression:
            return [row[0] for row in Y]
        return [predicted(row)[0] if len(row) > 1 else int(row[0]) for row in Y]


def optimizer_for(name, lr, weight_decay):
    """What ``tinybackprop train --optimizer NAME --lr LR --weight-decay WD`` builds: None
    (train's own plain step) for sgd without weight decay, else ``optimizers.make`` with the
    command line's defaults (momentum 0.9, betas (0.9, 0.999), eps 1e-8)."""
    if name == "sgd" and not weight_decay:
        return None
    from tinybackprop.optimizers import make
    return make(name, lr, momentum=0.9, betas=(0.9, 0.999), eps=1e-8, weight_decay=weight_decay)


def _num(v):
    """A float as the command line must read it: the shortest text that gives the same float."""
    text = repr(float(v))
    return text if float(text) == v else "%.17g" % v


def command(s, epochs, flags=()):
    """The ``tinybackprop train`` command that repeats the run ``s`` for ``epochs`` epochs in
    CPython: the same data, split, features, network, seed and steps, so the same losses.
    ``flags``: the train command's options (from its parser, at build time); where it has
    ``--val-fraction`` the command asks for none, so that the training rows are these.

    >>> command({"data": "moons", "samples": 200, "noise": 0.1, "test_fraction": 0.2, "seed": 0,
    ...          "features": ["x1", "x2"], "layers": [8], "hidden": "tanh", "init": "uniform",
    ...          "optimizer": "sgd", "lr": 0.3, "weight_decay": 0.0, "batch_size": 16}, 5)
    'tinybackprop train --data moons --samples 200 --noise 0.1 --test-fraction 0.2 --layers 2,8,1 --hidden tanh --init uniform --optimizer sgd --lr 0.3 --weight-decay 0.0 --batch-size 16 --path per_neuron --epochs 5 --seed 0'
    """
    regression = s["data"] in planar.REGRESSION
    n_out = 1 if regression or planar.CLASSES[s["data"]] == 2 else planar.CLASSES[s["data"]]
    sizes = [len(s["features"])] + list(s["layers"]) + [n_out]
    parts = ["tinybackprop", "train", "--data", s["data"], "--samples", str(s["samples"]), "--noise", _num(s["noise"]),
             "--test-fraction", _num(s["test_fraction"])]
    if "--val-fraction" in flags:
        parts += ["--val-fraction", "0"]
    if list(s["features"]) != ["x1", "x2"]:
        parts += ["--features", ",".join(s["features"])]
    parts += ["--layers", ",".join(str(n) for n in sizes), "--hidden", s["hidden"]]
    if n_out > 1:
        parts += ["--output", "softmax"]
    parts += ["--init", s["init"], "--optimizer", s["optimizer"], "--lr", _num(s["lr"]),
              "--weight-decay", _num(s["weight_decay"]), "--batch-size", str(s["batch_size"]),
              "--path", PATH, "--epochs", str(epochs), "--seed", str(s["seed"])]
    return " ".join(parts)


def _weights(net):
    return {"W": [None] + [[list(r) for r in net.W[l]] for l in range(1, net.L + 1)],
            "b": [None] + [list(net.b[l][0]) for l in range(1, net.L + 1)]}


def start(settings, flags=(), emit=print):
    """A new run (``settings``: a dict or its JSON): prints ``TB {...}`` with what the page draws
    before training: the points (raw x1, x2 and their class or height), the sizes and the weights."""
    s = json.loads(settings) if isinstance(settings, str) else settings
    run = STATE["run"] = None  # the old run's memory goes before the new one is made
    run = STATE["run"] = Run(s)
    run.flags = list(flags)
    emit("TB " + json.dumps({
        "start": True, "sizes": run.sizes, "features": run.features, "kind": "regression" if run.regression else
        "classification", "classes": run.classes, "colors": CLASS_COLORS[:max(2, run.sizes[-1])],
        "box": list(box(run.raw_train + run.raw_test)),
        "train": [[p[0], p[1], v] for p, v in zip(run.raw_train, run.labels(run.Y_train))],
        "test": [[p[0], p[1], v] for p, v in zip(run.raw_test, run.labels(run.Y_test))],
        "hidden": run.net.hidden, "output": run.net.output, "loss": run.net.loss,
        "command": command(s, 0, flags), "weights": _weights(run.net),
        "train_loss": evaluate(run.net, run.X_train, run.Y_train)[0],
        "test_loss": evaluate(run.net, run.X_test, run.Y_test)[0]}))


def step(emit=print):
    """One epoch; prints ``TB {...}``: the epoch's losses (tb_epochs.Epochs.step), the weights
    after it and the command for the epochs so far."""
    run = STATE["run"]
    out = run.epochs.step()
    out["weights"] = _weights(run.net)
    out["command"] = command(run.s, run.epochs.epoch, run.flags)
    run.last = out
    emit("TB " + json.dumps(out))


def final(emit=print):
    """Prints ``TB {...}``: ``epoch``, ``train_loss`` and ``train_accuracy`` of the training set
    now (``training.evaluate``: what ``tinybackprop train`` reports as train_loss at the end)."""
    run = STATE["run"]
    loss, acc = evaluate(run.net, run.X_train, run.Y_train)
    emit("TB " + json.dumps({"epoch": run.epochs.epoch, "final": True, "train_loss": loss, "train_accuracy": acc}))


def _grid(b, cells):
    """The centres of a cells x cells grid over the box b, row by row from the top (largest x2)."""
    x0, x1, y0, y1 = b
    dx, dy = (x1 - x0) / cells, (y1 - y0) / cells
    return [[x0 + (c + 0.5) * dx, y1 - (r + 0.5) * dy] for r in range(cells) for c in range(cells)]


def _ints(values):
    return [int(round(v * SCALE)) for v in values]


def picture(cells=20, emit=print):
    """Prints ``PIC {...}``: over a cells x cells grid of the plane (the box around the points),
    ``inputs`` (each feature), ``units`` (every neuron of layers 1..L, as ``vectorized.forward``
    computes it) in thousandths, ``out`` (per cell: the class and its probability, or the
    predicted height), and for the training set ``train_loss`` (the mean loss, as ``backward``
    computes it: ``evaluate``'s up to rounding), ``dead`` (per hidden layer, the relu units whose
    output is 0 on every training point: no step changes their incoming weights) and ``grad`` (the size sqrt(sum of squares) of dL/dW^[l]
    and dL/db^[l] of the mean loss over the training set, per layer: ``vectorized.backward``)."""
    run = STATE["run"]
    net = run.net
    b = box(run.raw_train + run.raw_test)
    G = expand(_grid(b, cells), run.features)
    f = vectorized.forward(net, G)
    inputs = [_ints([row[i] for row in G]) for i in range(net.sizes[0])]
    units = [None] + [[_ints([row[j] for row in f.a[l]]) for j in range(net.sizes[l])] for l in range(1, net.L + 1)]
    if run.regression:
        out = _ints([row[0] for row in f.a[net.L]])
    else:
        out = []
        for row in f.a[net.L]:
            k, p = predicted(row)
            out.append([k, int(round(p * SCALE))])
    f = None
    dead = [None] + [[] for l in range(1, net.L)]
    if net.hidden == "relu":
        a = vectorized.forward(net, run.X_train).a
        for l in range(1, net.L):
            dead[l] = [j for j in range(net.sizes[l]) if all(row[j] == 0.0 for row in a[l])]
        a = None
    g = vectorized.backward(net, run.X_train, run.Y_train)
    grad = [None] + [math.sqrt(sum(v * v for row in g.W[l] for v in row) + sum(v * v for v in g.b[l][0]))
                     for l in range(1, net.L + 1)]
    emit("PIC " + json.dumps({"epoch": run.epochs.epoch, "cells": cells, "box": list(b), "inputs": inputs,
                              "units": units, "out": out, "dead": dead, "grad": grad, "train_loss": g.loss}))


def explain(sel, emit=print):
    """Prints ``EQ {...}``: the steps of one neuron or edge for one example, at the current
    weights. ``sel``: {"kind": "neuron" or "edge", "l", "j" (and "i" for an edge: W^[l]_{i,j}),
    "part": "train" or "test", "row"}. Three lists, each step with its ``id``, ``symbolic``,
    ``latex``, ``numbers``, ``value`` and ``target`` (0-based indices): ``forward`` (this
    neuron's z and a, per neuron), ``neuron`` (the backward lines of the per-neuron path that
    write or read it), ``matrix`` (its layer's lines in matrix form)."""
    from tinybackprop import per_neuron
    from tinybackprop.show.explain import explain_steps
    from tb_playground import _clean, _neuron_forward_steps
    s = json.loads(sel) if isinstance(sel, str) else sel
    run = STATE["run"]
    net = run.net
    X, Y, raw = (run.X_train, run.Y_train, run.raw_train) if s.get("part", "train") == "train" else \
        (run.X_test, run.Y_test, run.raw_test)
    r = s.get("row", 0)
    x, y = X[r], Y[r]
    l, j, i = s["l"], s["j"], s.get("i")
    steps = explain_steps(net, x, y)
    fwd = _neuron_forward_steps(net, per_neuron.forward(net, [x]))
    loss = [st for st in steps if st["part"] == "forward" and st["target"][0] == "loss"]

    def mine(t):
        if s["kind"] == "edge":
            return tuple(t) in (("W", l, i, j), ("g_z", l, j))
        if l == 0:
            return tuple(t) == ("x", j)
        return len(t) == 3 and t[1] == l and t[2] == j and t[0] in ("g_a", "gprime", "g_z", "b") or \
            len(t) == 4 and t[0] == "W" and t[1] == l and t[3] == j

    forward = [st for st in fwd if st["target"][1] == l and st["target"][2] == j
               and (s["kind"] == "neuron" or st["target"][0] == "fz")] if l > 0 else []
    if l == net.L and s["kind"] == "neuron":
        forward += loss
    neuron = [st for st in steps if st["part"] == "neuron" and mine(st["target"])]
    if l == 0:  # an input: the matrix line that reads it (layer 1's z)
        matrix = [st for st in steps if st["part"] == "forward" and st["target"][0] == "fz" and st["target"][1] == 1]
    else:
        matrix = [st for st in steps if st["part"] == "forward" and st["target"][0] in ("fz", "fa")
                  and st["target"][1] == l and (s["kind"] == "neuron" or st["target"][0] == "fz")]
        matrix += [st for st in steps if st["part"] == "matrix" and len(st["target"]) > 1 and st["target"][1] == l
                   and (s["kind"] == "neuron" or st["target"][0] in ("W", "g_z"))]

    def plain(st):
        c = _clean(st)
        c["target"] = list(c["target"])
        c.pop("operands", None)
        return c
    emit("EQ " + json.dumps({"epoch": run.epochs.epoch, "sel": s, "x": list(x), "y": list(y), "point": list(raw[r]),
                             "features": run.features, "forward": [plain(st) for st in forward],
                             "neuron": [plain(st) for st in neuron], "matrix": [plain(st) for st in matrix]}))
