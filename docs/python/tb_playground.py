"""The playground's Python side: runs in the page (MicroPython) and, for the tests, in CPython.

docs/assets/javascripts/tb-playground.js calls these and draws what they print (JSON).
Every number comes from tinybackprop itself: the forward pass and the gradients from
``per_neuron.forward`` / ``per_neuron.backward``, the equation steps from
``explain.explain_steps`` (which reads both paths), the graph view's steps from
``graph.build`` and ``graph.visits`` (one step per node, in the order ``backward``
visits it), training from ``training.train``.
Nothing here computes a derivative; it only lays out what the package computed.

``state(...)``       the network, its forward pass, its gradients and every step
``train_live(...)``  ``tinybackprop train``'s default run (4-3-2-1 on Iris), one JSON
                     line per epoch (``TB {...}``) through ``train``'s callback, with the
                     training set's loss after each epoch (``train_loss``), as plotted; with
                     ``optimizer`` (the selector beside the curve) one of ``optimizers.OPTIMIZERS``
``train_start(...)`` the same run, one epoch per call of ``train_step()`` (what the page
                     calls: its memory stays flat, see tb_epochs.py); the same numbers
"""
import json

from tinybackprop import Network, graph, per_neuron
from tinybackprop.datasets import iris_task, split_validation
from tinybackprop.show.explain import explain_steps
from tinybackprop.training import evaluate, train


def _fmt(v):
    """4 significant digits, as the steps show numbers."""
    if v == 0:
        return "0"
    if v == int(v) and abs(v) < 1e5:
        return "%d" % int(v)
    s = "%.4g" % v
    return s


def _paren(v):
    s = _fmt(v)
    return "(" + s + ")" if v < 0 else s


def _neuron_forward_steps(net, f):
    """z_j and a_j neuron by neuron, the numbers read from per_neuron.forward."""
    out = []
    L = net.L
    for l in range(1, L + 1):
        n_prev, n = net.sizes[l - 1], net.sizes[l]
        act = net.activation(l)
        for j in range(n):
            terms = " + ".join("W^[%d]_{%d,%d} a^[%d]_%d" % (l, i + 1, j + 1, l - 1, i + 1) for i in range(n_prev))
            tex_terms = " + ".join("W_{%d,%d}^{[%d]} a_{%d}^{[%d]}" % (i + 1, j + 1, l, i + 1, l - 1)
                                   for i in range(n_prev))
            nums = " + ".join("%s * %s" % (_paren(net.W[l][i][j]), _paren(f.a[l - 1][0][i])) for i in range(n_prev))
            nums += " + " + _paren(net.b[l][0][j])
            zv = f.z[l][0][j]
            out.append({
                "part": "forward_neuron", "layer": l, "id": "fwd.z",
                "symbolic": "z^[%d]_%d = %s + b^[%d]_%d" % (l, j + 1, terms, l, j + 1),
                "latex": "z_{%d}^{[%d]} = %s + b_{%d}^{[%d]}" % (j + 1, l, tex_terms, j + 1, l),
                "numbers": nums + " = " + _fmt(zv), "value": zv, "target": ("fz", l, j),
                "operands": [(("a", l - 1, i), f.a[l - 1][0][i]) for i in range(n_prev)]
                + [(("weight", l, i, j), net.W[l][i][j]) for i in range(n_prev)],
                "note": None,
            })
        for j in range(n):
            av = f.a[l][0][j]
            if act.is_softmax:
                eq, sym = "fwd.softmax", "a^[%d]_%d = exp(z^[%d]_%d) / sum_k exp(z^[%d]_k)" % (l, j + 1, l, j + 1, l)
                nums = "exp(%s) / (%s) = %s" % (_fmt(f.z[l][0][j]),
                                                " + ".join("exp(%s)" % _fmt(zk) for zk in f.z[l][0]), _fmt(av))
                ops = [(("z", l, k), f.z[l][0][k]) for k in range(n)]
            else:
                eq, sym = "fwd.a", "a^[%d]_%d = %s(z^[%d]_%d)" % (l, j + 1, act.name, l, j + 1)
                nums = "%s(%s) = %s" % (act.name, _fmt(f.z[l][0][j]), _fmt(av))
                ops = [(("z", l, j), f.z[l][0][j])]
            out.append({"part": "forward_neuron", "layer": l, "id": eq, "symbolic": sym, "latex": None,
                        "numbers": nums, "value": av, "target": ("fa", l, j), "operands": ops, "note": None})
    return out


def _layers(seq, L, first=1):
    """Per-layer data as a plain list (index 0 None when layer 0 has none), for JSON."""
    return [None] * first + [[list(r) for r in seq[l]] for l in range(first, L + 1)]


def _clean(step):
    keep = ("part", "layer", "id", "symbolic", "numbers", "latex", "value", "target", "operands", "note")
    return dict((k, step.get(k)) for k in keep)


def _graph_target(node, L):
    """Where a node of the graph sits on the drawing: its weight (an edge), its bias, its
    neuron's z or a, or (for a product or a partial sum) the weight or neuron it belongs to."""
    n = node
    while not n.name and n.parents:
        n = n.parents[0][0]  # a product's first parent is its weight; a sum's, a product
    name = n.name
    if name == "L":
        return ["loss"]
    base, _, idx = name.partition("_")
    nums = [int(k) - 1 for k in idx.split(",")] if idx else []
    layer = int(base[base.index("[") + 1:base.index("]")]) if "[" in base else 0
    kind = base[0]
    if kind == "W":
        return ["W", layer] + nums if node.op != "+" else ["g_z", layer, nums[1]]
    if kind == "b":
        return ["b", layer, nums[0]]
    if kind == "x":
        return ["x", nums[0]]
    return ["g_" + kind, layer, nums[0]]  # z or a


def _graph_steps(net, X, Y):
    """One step per node of the graph, in the order ``backward`` visits it: its gradient,
    complete, and what it adds to each parent's gradient (local derivative times it)."""
    G = graph.build(net, X, Y)
    G.loss.backward()
    out = []
    for node, passes in graph.visits(G.loss):
        name = graph.label(node)
        shares = ["%s += %s * %s = %s" % (graph.label(p), _paren(d), _paren(node.grad), _fmt(c))
                  for p, d, c in passes]
        out.append({
            "part": "graph", "layer": None, "id": "graph.chain",
            "symbolic": "dL/d(%s) = %s%s" % (name, _fmt(node.grad),
                                             "" if passes else " (a leaf: nothing to pass on)"),
            "numbers": "; ".join(shares) if shares else _fmt(node.grad),
            "latex": None, "value": node.grad, "target": _graph_target(node, net.L),
            "operands": [_graph_target(p, net.L) for p, _, _ in passes],
            "note": None,
        })
    return out


def state(sizes, hidden, output, loss, seed, x, y, W=None, b=None):
    """Everything the playground shows, as a dict of plain data.

    ``W``/``b`` (lists indexed by layer, index 0 None) replace the seeded weights when given.
    """
    net = Network(sizes, hidden=hidden, output=output, loss=loss, seed=seed)
    if W is not None:
        for l in range(1, net.L + 1):
            net.W[l] = W[l]
    if b is not None:
        for l in range(1, net.L + 1):
            net.b[l] = b[l]
    X, Y = [list(x)], [list(y)]
    L = net.L
    f = per_neuron.forward(net, X)
    g = per_neuron.backward(net, X, Y)
    steps = explain_steps(net, x, y)
    forward_matrix = [_clean(s) for s in steps if s["part"] == "forward"]
    loss_step = forward_matrix[-1]
    out = {
        "sizes": net.sizes, "hidden": net.hidden, "output": net.output, "loss": net.loss,
        "W": _layers(net.W, L), "b": _layers(net.b, L), "x": X, "y": Y,
        "z": _layers(f.z, L), "a": _layers(f.a, L, 0),
        "g": {"W": _layers(g.W, L), "b": _layers(g.b, L), "g_z": _layers(g.g_z, L), "g_a": _layers(g.g_a, L, 0),
              "x": [list(r) for r in g.x], "loss": g.loss},
        "steps": {
            "forward": {"neuron": [_clean(s) for s in _neuron_forward_steps(net, f)] + [loss_step],
                        "matrix": forward_matrix},
            "backward": {"neuron": [_clean(s) for s in steps if s["part"] == "neuron"],
                         "matrix": [_clean(s) for s in steps if s["part"] == "matrix"],
                         "graph": _graph_steps(net, X, Y)},
        },
    }
    out["steps"]["forward"]["graph"] = out["steps"]["forward"]["neuron"]  # the graph goes forward as the neurons do
    return out


def state_json(*args, **kwargs):
    return json.dumps(state(*args, **kwargs))


def optimizer_for(name, lr):
    """The selector's choice: None for "sgd" (train's own plain step), else
    ``optimizers.make(name, lr)`` with its defaults (momentum 0.9, PyTorch's betas)."""
    if name == "sgd":
        return None
    from tinybackprop.optimizers import make
    return make(name, lr)


def train_live(epochs=100, lr=0.5, batch_size=16, seed=0, emit=print, optimizer="sgd"):
    """``tinybackprop train``'s default run: the 4-3-2-1 network (sigmoid, sigmoid, bce)
    on Iris, virginica against the rest, 20% held out as test rows and a fifth of the rest
    as validation rows, everything seeded by ``seed``, the vectorized path; one ``TB {json}``
    line per epoch (the validation loss after it), then ``TB {"done": ...}`` with the test
    loss, measured once."""
    net = Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=seed)
    task = split_validation(iris_task("binary", positive="virginica", test_fraction=0.2, seed=seed), 0.2, seed=seed)

    def callback(epoch, h):
        # loss/accuracy: the running values during the epoch; train_*: the training set after it
        emit("TB " + json.dumps({
            "epoch": epoch, "loss": h.loss[-1], "accuracy": h.accuracy[-1],
            "train_loss": h.train_loss[-1], "train_accuracy": h.train_accuracy[-1],
            "val_loss": h.val_loss[-1], "val_accuracy": h.val_accuracy[-1],
            "W": _layers(net.W, net.L), "b": _layers(net.b, net.L)}))

    h = train(net, task.X_train, task.Y_train, epochs=epochs, lr=lr, batch_size=batch_size,
              path="vectorized", seed=seed, callback=callback, X_val=task.X_val, Y_val=task.Y_val,
              X_test=task.X_test, Y_test=task.Y_test, optimizer=optimizer_for(optimizer, lr), evaluate_train=True)
    emit("TB " + json.dumps({"done": True, "history": h.to_dict(), "test_loss": h.test_loss,
                             "test_accuracy": h.test_accuracy}))
    return h


IRIS = {"run": None}


def train_start(lr=0.5, batch_size=16, seed=0, optimizer="sgd"):
    """``train_live``'s run, to be trained one epoch per call of :func:`train_step`."""
    from tb_epochs import Epochs
    IRIS["run"] = None
    net = Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=seed)
    task = split_validation(iris_task("binary", positive="virginica", test_fraction=0.2, seed=seed), 0.2, seed=seed)
    IRIS["run"] = Epochs(net, task.X_train, task.Y_train, lr, batch_size, seed, task.X_val, task.Y_val,
                         optimizer_for(optimizer, lr))
    IRIS["task"] = task


def train_step(emit=print):
    """One epoch of the run :func:`train_start` made: one ``TB {json}`` line, as ``train_live``
    prints it."""
    run = IRIS["run"]
    out = run.step()
    net = run.net
    out["W"], out["b"] = _layers(net.W, net.L), _layers(net.b, net.L)
    emit("TB " + json.dumps(out))


def train_test(emit=print):
    """The test rows of the run :func:`train_start` made, measured once, after its last epoch:
    ``TB {"done": true, ...}`` as ``train_live`` ends."""
    task = IRIS["task"]
    loss, acc = evaluate(IRIS["run"].net, task.X_test, task.Y_test)
    emit("TB " + json.dumps({"done": True, "test_loss": loss, "test_accuracy": acc}))
