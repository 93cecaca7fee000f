"""One probe of tinybackprop's numbers, run unchanged on every interpreter.

    python probe.py            -> one JSON document on stdout (the probe)
    python probe.py bench N R  -> one JSON document with the time of N training epochs (best of R)

The probe imports only the core (no CLI, SVG or datasets) and prints ONE JSON document:

    {"probe": 1, "implementation": ..., "version": ..., "values": [[key, kind, data], ...]}

`kind` says how portability/matrix.py compares `data` with the reference interpreter's:
"exact" (bit for bit: seeded weights, the generator's stream, booleans), "rel" (within a
relative tolerance: gradients and losses, where libm and summation order may differ by an ulp)
or "json" (a saved network's text, parsed by the harness: the same values, however formatted).

Floats are written as "f" + the 16 hex digits of their IEEE-754 double, little-endian
(struct.pack("<d", x)), so that no interpreter's float formatting or parsing can change
a bit on the way. Inputs are built from small integers divided by powers of two, so they
are exact on every interpreter too.

Runs on CPython 3.8+, PyPy, Pyodide and MicroPython: only sys, os, json, struct and time,
no f-string debugging, no typing.
"""
import sys
import os
import json
import struct

try:
    import time

    if hasattr(time, "perf_counter"):
        _clock = time.perf_counter
    elif hasattr(time, "ticks_us"):  # MicroPython

        def _clock():
            return time.ticks_us() / 1e6

    else:
        _clock = time.time
except ImportError:  # pragma: no cover - every supported interpreter has time

    def _clock():
        return 0.0


import tinybackprop as tb
from tinybackprop import per_neuron, vectorized

# (name, sizes, hidden, output, loss): every hidden activation, every output, every loss,
# the canonical pairs and the ones that take the long way (bwd.ga_out, bwd.gz_softmax).
ARCHS = [
    ("A", [4, 3, 2, 1], "sigmoid", "sigmoid", "bce"),
    ("B", [3, 4, 1], "sigmoid", "sigmoid", "squared_error"),
    ("C", [4, 5, 3], "tanh", "softmax", "cross_entropy"),
    ("D", [2, 3, 3, 1], "relu", "identity", "squared_error"),
    ("E", [3, 4, 2], "identity", "softmax", "bce"),
    ("F", [2, 5, 2], "tanh", "softmax", "squared_error"),
]
SEEDS = [0, 7]
M = 6  # examples in the fixed batch
EPOCHS = 4
LR = 0.25
SAVE_PATH = "tinybackprop-probe-net.json"  # in the current directory (the harness runs in a temp dir)


def enc(v):
    """Encode a value for the JSON document: floats as hex of their bytes, lists recursively."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, float):
        return "f" + "".join("%02x" % c for c in struct.pack("<d", v))
    if isinstance(v, int):
        return v
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, str):
        return v
    raise TypeError("probe cannot encode %r" % (v,))


def inputs(n_in, n_out, output, m=M):
    """A fixed batch: X entries k/8 in [-5/8, 5/8], Y matching the output's range. Exact everywhere."""
    X = [[((r * 7 + i * 3 + 1) % 11 - 5) / 8.0 for i in range(n_in)] for r in range(m)]
    if output == "softmax":
        Y = [[1.0 if k == (r * 5 + 1) % n_out else 0.0 for k in range(n_out)] for r in range(m)]
    elif output == "sigmoid":
        Y = [[float((r + k) % 2) for k in range(n_out)] for r in range(m)]
    else:
        Y = [[((r * 3 + k * 5) % 9 - 4) / 4.0 for k in range(n_out)] for r in range(m)]
    return X, Y


def grads_dict(g, L):
    d = {"loss": g.loss, "x": g.x}
    for l in range(1, L + 1):
        d["W%d" % l] = g.W[l]
        d["b%d" % l] = g.b[l]
    return d


def _history_losses(hist):
    """The per-epoch losses of a training History."""
    losses = getattr(hist, "losses", None)
    if losses is None:
        losses = getattr(hist, "loss", None)
    return [float(x) for x in losses]


def train_losses(net, X, Y):
    """Per-epoch losses of a few epochs of training, and how they were obtained."""
    try:
        from tinybackprop.training import train
    except ImportError:  # training.py not there (yet)
        train = getattr(tb, "train", None)
    if train is not None:
        hist = train(net, X, Y, epochs=EPOCHS, lr=LR, batch_size=4, path="vectorized", seed=3)
        return "tb.train", _history_losses(hist)
    # Fallback while training.py has not landed: full-batch steps W <- W - lr g_W.
    losses = []
    for _ in range(EPOCHS):
        g = vectorized.backward(net, X, Y)
        for l in range(1, net.L + 1):
            net.W[l] = [[w - LR * gw for w, gw in zip(rw, rg)] for rw, rg in zip(net.W[l], g.W[l])]
            net.b[l] = [[b - LR * gb for b, gb in zip(net.b[l][0], g.b[l][0])]]
        losses.append(net.loss_value(X, Y))
    return "manual full-batch steps", losses


def probe():
    values = []

    def put(key, kind, data):
        values.append([key, kind, enc(data)])

    # The package's own generator: the same stream on every interpreter.
    r = tb.Random(12345) if hasattr(tb, "Random") else None
    if r is None:
        from tinybackprop.rng import Random

        r = Random(12345)
    put("rng/random", "exact", [r.random() for _ in range(8)])
    put("rng/uniform", "exact", [r.uniform(-2.0, 3.0) for _ in range(4)])
    put("rng/randbelow", "exact", [r.randbelow(n) for n in (1, 2, 3, 10, 1000, 2 ** 31 - 1)])
    lst = list(range(12))
    r.shuffle(lst)
    put("rng/shuffle", "exact", lst)

    put("weights/normal-draws", "exact", [r.gauss(0.0, 1.0) for _ in range(8)] if hasattr(r, "gauss") else [])

    # Every initialisation scheme (tinybackprop.init): the same weights bit for bit everywhere.
    try:
        from tinybackprop.init import SCHEMES as INITS
    except ImportError:  # init.py not there (an older tree)
        INITS = ()
    for init in INITS:
        for hidden in ("tanh", "relu"):
            net = tb.Network([3, 5, 4, 2], hidden=hidden, output="softmax", loss="cross_entropy", seed=11,
                             init=init, init_scale=0.5 if init == "normal" else 1.0)
            put("weights/init-%s/%s" % (init, hidden), "exact", [net.W[l] for l in range(1, net.L + 1)])

    notes = []
    for name, sizes, hidden, output, loss in ARCHS:
        for seed in SEEDS:
            tag = "%s%s-%s-%s-%s/seed%d" % (name, sizes, hidden, output, loss, seed)
            tag = tag.replace(" ", "")
            net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=seed)
            for l in range(1, net.L + 1):
                put("weights/%s/W%d" % (tag, l), "exact", net.W[l])
                put("weights/%s/b%d" % (tag, l), "exact", net.b[l])
            X, Y = inputs(sizes[0], sizes[-1], output)
            put("forward/%s/predict" % tag, "rel", net.predict(X))
            put("forward/%s/loss" % tag, "rel", net.loss_value(X, Y))
            gp = grads_dict(per_neuron.backward(net, X, Y), net.L)
            gv = grads_dict(vectorized.backward(net, X, Y), net.L)
            for k in sorted(gp):
                put("grad/%s/per_neuron/%s" % (tag, k), "rel", gp[k])
                put("grad/%s/vectorized/%s" % (tag, k), "rel", gv[k])
            if seed == SEEDS[0]:  # the third path, a graph of scalar Values (slow: one seed)
                from tinybackprop import graph

                gg = grads_dict(graph.backward(net, X, Y), net.L)
                for k in sorted(gg):
                    put("grad/%s/graph/%s" % (tag, k), "rel", gg[k])
            # save/load through JSON text, and through a file saved twice (the second replaces
            # the first), gives back the very same network
            back = tb.Network.from_dict(json.loads(json.dumps(net.to_dict())))
            put("saveload/%s/dict" % tag, "exact", same_net(back, net))
            net.save(SAVE_PATH)
            net.save(SAVE_PATH)
            put("saveload/%s/file" % tag, "exact", same_net(tb.Network.load(SAVE_PATH), net))
            # the saved text itself: the harness parses it on the reference interpreter, so a
            # network saved here (on a board, say) must load there as the very same numbers
            with open(SAVE_PATH) as f:
                put("savetext/%s" % tag, "json", f.read())
            os.remove(SAVE_PATH)
            how, losses = train_losses(net.copy(), X, Y)
            put("train/%s/losses" % tag, "rel", losses)
            if how not in notes:
                notes.append(how)

    # The optimizers (momentum, Nesterov, RMSprop, Adam, AdamW), a schedule and early stopping:
    # a few full-batch epochs on both paths (per-element loops and matrix lines).
    from tinybackprop import optimizers as O

    for oname in O.OPTIMIZERS:
        for path in ("vectorized", "per_neuron"):
            net = tb.Network([4, 3, 2, 1], seed=1)
            X, Y = inputs(4, 1, "sigmoid")
            opt = O.make(oname, 0.05, weight_decay=0.01)
            hist = tb.train(net, X, Y, epochs=EPOCHS, batch_size=M, path=path, optimizer=opt,
                            schedule=O.CosineAnnealingLR(EPOCHS))
            tag = "optim/%s/%s" % (oname, path)
            put(tag + "/losses", "rel", _history_losses(hist))
            put(tag + "/W1", "rel", net.W[1])
            put(tag + "/b3", "rel", net.b[3])
            put(tag + "/steps", "exact", opt.steps)
    put("optim/step_lr", "rel", [O.StepLR(2, 0.5)(0.1, e) for e in range(5)])
    net = tb.Network([3, 4, 2], hidden="tanh", output="softmax", loss="cross_entropy", seed=2)
    X, Y = inputs(3, 2, "softmax")
    hist = tb.train(net, X, Y, epochs=30, lr=2.0, batch_size=2, X_val=X[:3], Y_val=Y[:3], patience=3)
    put("optim/patience", "exact", [hist.epochs, hist.best_epoch])
    for label, call in (("adam_betas", lambda: O.Adam(betas=(1.0, 0.9))),
                        ("nesterov", lambda: O.SGD(0.1, nesterov=True))):
        try:
            call()
            put("errors/%s" % label, "exact", "no error")
        except tb.BackpropError as e:
            put("errors/%s" % label, "exact", "BackpropError: %s" % e)
    # The graph of Values: a node used twice, a 10,000-node chain (no recursion), train on it.
    from tinybackprop import graph

    a = graph.Value(3.0)
    (a * a + a).backward()
    v = x0 = graph.Value(0.5)
    for _ in range(10000):
        v = v * 1.0001
    v.backward()
    put("graph/a*a+a", "rel", a.grad)
    put("graph/chain10000", "rel", x0.grad)
    graph.free(v)  # cut apart before it goes: freeing 10,000 nested nodes at once overflows Pyodide's C stack
    net = tb.Network([2, 3, 1], hidden="tanh", seed=4)
    X, Y = inputs(2, 1, "sigmoid", m=4)
    put("graph/train", "rel", _history_losses(tb.train(net, X, Y, epochs=2, lr=0.5, batch_size=2, path="graph")))

    # Far-out inputs: exp must not raise (MicroPython's raises ValueError), losses stay finite.
    for name, sizes, hidden, output, loss in ARCHS:
        net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=5)
        X, Y = inputs(sizes[0], sizes[-1], output, m=3)
        X = [[v * 4096.0 for v in row] for row in X]
        g = vectorized.backward(net, X, Y)
        tag = "%s-%s-%s-%s" % (name, hidden, output, loss)
        put("extreme/%s/loss" % tag, "rel", g.loss)
        put("extreme/%s/W1" % tag, "rel", g.W[1])
        put("extreme/%s/per_neuron_loss" % tag, "rel", per_neuron.backward(net, X, Y).loss)

    # Scalar edges: exp of +-1000 (ValueError on MicroPython), log1p (a fallback there),
    # every activation and its derivative far out, and the stable loss helpers.
    from tinybackprop import _compat, activations

    zs = [-1000.0, -745.5, -40.0, -1e-9, 0.0, 1e-9, 0.5, 40.0, 745.5, 1000.0]
    put("edge/exp", "rel", [_compat.exp(z) for z in zs])
    put("edge/log1p", "rel", [_compat.log1p(v) for v in (-0.5, -1e-10, 0.0, 1e-18, 1e-10, 1e-5, 0.25, 3.0)])
    for nm in ("sigmoid", "tanh", "relu", "identity"):
        act = activations.get_hidden(nm)
        put("edge/%s/f" % nm, "rel", [act.f(z) for z in zs])
        put("edge/%s/d" % nm, "rel", [act.d(z, act.f(z)) for z in zs])
    put("edge/softmax", "rel", activations.softmax([-1000.0, 0.0, 1000.0, 999.0]))
    put("edge/log_sigmoid", "rel", [activations.log_sigmoid(z) for z in zs])
    put("edge/softplus", "rel", [activations.softplus(z) for z in zs])

    # Invalid input gives the same BackpropError message everywhere (bool is not a number,
    # even on MicroPython where isinstance(True, int) is False).
    net = tb.Network([2, 2, 1], seed=0)
    for label, call in (
        ("bool_in_X", lambda: net.predict([[True, 0.5]])),
        ("short_row", lambda: net.predict([[0.5]])),
        ("W0", lambda: net.W[0]),
        ("bad_shape", lambda: net.W.__setitem__(1, [[1.0, 2.0]])),
        ("bad_name", lambda: tb.Network([2, 1], hidden="swish")),
        ("matmul", lambda: tb.matmul([[1.0, 2.0]], [[1.0, 2.0]])),
    ):
        try:
            call()
            put("errors/%s" % label, "exact", "no error")
        except tb.BackpropError as e:
            put("errors/%s" % label, "exact", "BackpropError: %s" % e)
    return values, notes


def same_net(a, b):
    return a.sizes == b.sizes and all(a.W[l] == b.W[l] and a.b[l] == b.b[l] for l in range(1, b.L + 1))


def bench(epochs, repeat=3):
    """Time `epochs` full-batch gradient steps of a fixed network on each path (best of `repeat`)."""
    sizes = [4, 16, 16, 3]
    net = tb.Network(sizes, hidden="tanh", output="softmax", loss="cross_entropy", seed=1)
    X, Y = inputs(sizes[0], sizes[-1], "softmax", m=32)
    out = {}
    for pathname, mod in (("per_neuron", per_neuron), ("vectorized", vectorized)):
        best = None
        for _ in range(repeat):
            n = net.copy()
            t0 = _clock()
            for _ in range(epochs):
                g = mod.backward(n, X, Y)
                for l in range(1, n.L + 1):
                    n.W[l] = [[w - LR * gw for w, gw in zip(rw, rg)] for rw, rg in zip(n.W[l], g.W[l])]
                    n.b[l] = [[b - LR * gb for b, gb in zip(n.b[l][0], g.b[l][0])]]
            dt = _clock() - t0
            best = dt if best is None or dt < best else best
        out[pathname] = best
    return {"bench": {"sizes": sizes, "m": len(X), "epochs": epochs, "repeat": repeat, "seconds": out}}


def header():
    impl = sys.implementation
    ver = getattr(impl, "version", None)
    ver = ".".join(str(x) for x in tuple(ver)[:3]) if ver is not None else "?"
    return {
        "probe": 1,
        "implementation": impl.name,
        "implementation_version": ver,
        "version": sys.version.split("\n")[0],
        "platform": sys.platform,
        "float_bits": 64 if struct.calcsize("d") == 8 and 1.0 + 2.0 ** -52 != 1.0 else 32,
        # which file the core came from: .py, or .mpy when precompiled by mpy-cross
        "module_file": getattr(tb.network, "__file__", "?").split("/")[-1],
    }


def main(argv):
    doc = header()
    t0 = _clock()
    if len(argv) > 1 and argv[1] == "bench":
        doc.update(bench(int(argv[2]) if len(argv) > 2 else 20, int(argv[3]) if len(argv) > 3 else 3))
    else:
        values, notes = probe()
        doc["values"] = values
        doc["notes"] = notes
    doc["seconds"] = _clock() - t0
    print(json.dumps(doc))


if __name__ == "__main__":
    main(sys.argv)
