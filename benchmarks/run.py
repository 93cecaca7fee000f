"""tinybackprop speed benchmarks: against the best pure-Python idioms and against peers.

    python3 benchmarks/run.py            # full run on this interpreter, then PyPy and 3.12+/3.13 if present
    python3 benchmarks/run.py --quick    # smaller and shorter (the CI smoke test)
    python3 benchmarks/run.py --only-this-python [--parts matmul,steps,online,sumprod,peers,grid]
    python3 benchmarks/run.py --wall-clock   # time with the wall clock, not the process's CPU time

Prints a table with PASS/MISS for every target and writes JSON to
benchmarks/results/ (git-ignored).  Every comparison is measured in one
process, interleaved, as the median of several repeats (see timing.py).  No
target fails the command: timing noise must not fail CI.

The network is a 64-32-10 MLP (the digits' shape): sigmoid hidden layer, softmax output,
mean cross-entropy loss, batch 32; a training step is forward, loss, backward
(every weight and bias gradient; not dL/dX, which training does not need) and
a gradient-descent update.  One row also shows the step computing dL/dX.
Rows "p": each optimizer of ``tinybackprop.optimizers`` in both forms (the per-element
loop, the update train() runs on every path, and the matrix lines): the training step
with it, in ms; then its update alone on fixed gradients: the passes over the weights
each form makes (per element: its loops over i, j, from the source, plus any kernel call;
matrix lines: kernel calls per parameter matrix, counted), without and with weight decay,
and its extra time over one plain update of every weight (the update train() runs, the
unit).

Online SGD (rows "o"): one epoch of ``tb.train`` at batch 1 (both
paths) and at batch 32 on a 64-32-10 network with sigmoid units and squared
error, against the plainest from-scratch code (``scratch.py``, a dict per
neuron, in the style of Brownlee's "backpropagation from scratch" tutorial),
after checking that it computes the same updates.  The targets are measured on
320 rows of the shipped handwritten digits (about half the pixels are 0, and a
step on one row skips the zero rows of its outer product); the same rows of
numbers follow for 320 dense rows (uniform in [0, 1], no 0), with no target.  Then (g) ``board.py`` gives
milliseconds per step at batch 1 and 32 on every interpreter, MicroPython's
WebAssembly build included, to predict a digits epoch on a board.
"""
import json
import math
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)  # a clean clone runs without installing anything

import tinybackprop as tb  # noqa: E402
from tinybackprop import _compat, matrix, per_neuron, training, vectorized  # noqa: E402
from tinybackprop.rng import Random  # noqa: E402

import peers  # noqa: E402
import reference as ref  # noqa: E402
import scratch  # noqa: E402
import timing  # noqa: E402
from timing import compare, median, time_calls  # noqa: E402

timer = getattr(time, "perf_counter", time.time)
SIZES = [64, 32, 10]
BATCH = 32
LR = 0.01

TARGETS = {
    "matmul": ("tb.matmul / best idiom, 128x128", "<=", 1.05),
    "step_vs_fused": ("vectorized training step / hand-fused step", "<=", 1.15),
    "per_neuron_vs_vec": ("per-neuron step / vectorized step", "<=", 2.0),
    "validation": ("checked step / unchecked step", "<=", 1.10),
    "micrograd": ("micrograd step / vectorized step", ">=", 50.0),
    "sumprod": ("step on sum(map) / step on math.sumprod", ">=", 1.8),
    "flat": ("ns per multiply-add, max/min over batch >= 32", "<=", 1.5),
    "online_vec": ("batch 1 epoch: from-scratch / vectorized", ">=", 1.2),
    "online_pn": ("batch 1 epoch: per-neuron / from-scratch", "<=", 1.25),
    "per_row": ("time per row: batch 1 / batch 32", "<=", 2.0),
}
# rows "p": "an optimizer costs no more than one extra pass over the weights".  The plain update is
# one pass (a loop over every entry of every W and b); the update train() runs with an optimizer is
# its per-element loop, every equation of an entry before the next entry: one pass, whatever the
# rule and its settings, so it adds no pass (counted, with and without weight decay).  Time is
# reported in plain updates, with a target for sgd only (the optimizer's loop, with its branches,
# against the plain update's): each further operation per entry costs about as much as a plain
# update's own on CPython, so momentum's buffer (a load, a multiply-add, a store) takes about one
# plain update more, and RMSprop's and Adam's square root and division some two to four more,
# whatever the passes.  (On PyPy these sub-millisecond updates move with the JIT's traces; read its
# rows as rough.)
for _name in ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"):
    TARGETS["passes_" + _name] = ("%s: extra passes over the weights (train's update)" % _name, "<=", 1)
TARGETS["extra_sgd"] = ("sgd update: extra time, plain updates", "<=", 1.0)
ONLINE_SIZES = [64, 32, 10]
ONLINE_ROWS = 320
ONLINE_LR = 0.1


def interpreter():
    impl = platform.python_implementation()
    v = sys.version_info
    return "%s %d.%d.%d" % (impl, v[0], v[1], v[2])


# -- the problem ----------------------------------------------------------------------------------
def make_problem(sizes, m, seed=1):
    net = tb.Network(sizes, hidden="sigmoid", output="softmax", loss="cross_entropy", seed=0)
    r = Random(seed)
    X = [[r.uniform(-1.0, 1.0) for _ in range(sizes[0])] for _ in range(m)]
    Y = []
    for _ in range(m):
        k = r.randbelow(sizes[-1])
        Y.append([1.0 if j == k else 0.0 for j in range(sizes[-1])])
    return net, X, Y


def online_problem(rows, data="digits", seed=3):
    """The online-SGD setup: 64-32-10, sigmoid units, squared error, ``rows`` rows with
    inputs in [0, 1] and one-hot targets (what the from-scratch tutorial trains).

    ``data="digits"``: the first ``rows`` training rows of the handwritten digits shipped
    with the package (pixels / 16, about half of them 0: the images' background), the data
    a 64-32-10 network is for; ``data="dense"``: inputs drawn uniformly from [0, 1], none 0,
    the worst case for the step on one row (no row of the outer product is skipped)."""
    net = tb.Network(ONLINE_SIZES, hidden="sigmoid", output="sigmoid", loss="squared_error", seed=0)
    if data == "digits":
        from tinybackprop.datasets.digits import digits_task
        t = digits_task()
        return net, t.X_train[:rows], t.Y_train[:rows]
    r = Random(seed)
    X = [[r.uniform(0.0, 1.0) for _ in range(ONLINE_SIZES[0])] for _ in range(rows)]
    Y = []
    for _ in range(rows):
        k = r.randbelow(ONLINE_SIZES[-1])
        Y.append([1.0 if j == k else 0.0 for j in range(ONLINE_SIZES[-1])])
    return net, X, Y


def train_order(m, seed):
    """The order in which train(..., seed=seed) visits m rows in its first epoch."""
    order = list(range(m))
    Random(seed).shuffle(order)
    return order


def update(net, g, lr):
    """W^[l] <- W^[l] - lr g^[lW] (and b), in place, as train() updates them."""
    for l in range(1, net.L + 1):
        training._subtract_scaled(net.W[l], lr, g.W[l])
        training._subtract_scaled(net.b[l], lr, g.b[l])


def lib_step(path, net, X, Y, lr=LR, input_grad=False, checked=True):
    """One training step of tinybackprop: the public backward (which checks X, Y and the
    weights, and computes dL/dX) and the update; with ``checked=False`` the path's unchecked
    backward (``_backward``, what train()'s step calls), with dL/dX when ``input_grad``."""
    def step():
        g = path.backward(net, X, Y) if checked else path._backward(net, X, Y, input_grad, True)[1]
        update(net, g, lr)
        return g.loss
    return step


def train_like_step(path, net, X, Y, lr=LR):
    """A step as tinybackprop.training.train takes it: training._step (the unchecked forward
    and backward without dL/dX, and the in-place update)."""
    def step():
        return training._step(path, net, X, Y, lr, None)[0]
    return step



def validation_only(net, X, Y):
    def check():
        net.check_weights("bench")
        net.check_XY(X, Y, "bench")
    return check


def params_of(net):
    """[W1, b1, W2, b2] as fresh lists (b flat), for the hand-fused step and the peers."""
    return [matrix.copy(net.W[1]), list(net.b[1][0]), matrix.copy(net.W[2]), list(net.b[2][0])]


def madds(sizes, m, input_grad=False):
    """Multiply-adds of one step: z = aW (forward), g_W = a^T g_z and g_a = g_z W^T
    (backward; for layer 1, g_a is dL/dX, left out unless input_grad)."""
    per_layer = [sizes[l - 1] * sizes[l] for l in range(1, len(sizes))]
    return m * (3 * sum(per_layer) - (0 if input_grad else per_layer[0]))


def optimizer_passes(opt, net, G):
    """(matrix lines, per element): how many passes over each parameter matrix one update makes.
    The matrix lines: the matrix-helper calls of one step (not the first, which makes the
    buffers), per W^[l] or b^[l]; each call is a loop over all the entries.  Per element: the
    loops over i, j at the top of ``per_element`` (its source, read with ast), plus any
    helper call it makes."""
    import ast
    import inspect
    import textwrap
    from tinybackprop import optimizers as kernels  # the helpers as the optimizers module calls them
    calls = [0]
    saved = dict((k, v) for k, v in vars(kernels).items()
                 if callable(v) and (getattr(v, "__module__", None) == matrix.__name__ or k == "_assign"))

    def counting(f):
        def g(*a, **kw):
            calls[0] += 1
            return f(*a, **kw)
        return g
    n, per_matrix = net.copy(), 2 * net.L
    counts = []
    for per_element in (False, True):
        opt.step(n, G, per_element=per_element)  # the first step makes the buffers (outside the count)
        calls[0] = 0
        for k, f in saved.items():
            setattr(kernels, k, counting(f))
        try:
            opt.step(n, G, per_element=per_element)
        finally:
            for k, f in saved.items():
                setattr(kernels, k, f)
        counts.append(calls[0] / float(per_matrix))
    fn = ast.parse(textwrap.dedent(inspect.getsource(type(opt).per_element))).body[0]
    loops = [st for st in ast.walk(fn) if isinstance(st, ast.For)]
    inner = set(id(x) for st in loops for x in ast.walk(st) if x is not st and isinstance(x, ast.For))
    outer = [st for st in loops if id(st) not in inner]
    m, pe = counts
    return (int(m) if m == int(m) else m, len(outer) + (int(pe) if pe == int(pe) else pe))


def max_abs_diff(A, B):
    return max(abs(x - y) for ra, rb in zip(A, B) for x, y in zip(ra, rb))


# -- the measurements -----------------------------------------------------------------------------
class Bench:
    def __init__(self, quick):
        self.quick = quick
        # many short samples: a ratio is the median of paired samples taken close together
        self.repeats = 7 if quick else 15
        self.min_time = 0.03 if quick else 0.04
        self.child = False  # another interpreter run by the first: a smaller matmul and grid
        self.warmup = 2 if platform.python_implementation() == "PyPy" else 0
        self.rows = []  # (id, what, value, unit/target text, status)
        self.data = {"interpreter": interpreter(), "executable": sys.executable, "quick": quick,
                     "clock": timing.CLOCK_NAME,
                     "sumprod": "math.sumprod" if _compat.sumprod is getattr(math, "sumprod", None)
                     else "sum(map(mul, row, col))",
                     "comparisons": {}, "targets": {}, "checks": {}, "skipped": []}

    def compare(self, key, candidates, **kw):
        kw.setdefault("repeats", self.repeats)
        kw.setdefault("min_time", self.min_time)
        kw.setdefault("warmup", self.warmup)
        c = compare(candidates, **kw)
        self.data["comparisons"][key] = c.to_dict()
        return c

    def row(self, rid, what, value, fmt="%.3g", target=None):
        status = ""
        if target is not None:
            desc, op, limit = TARGETS[target]
            ok = value <= limit if op == "<=" else value >= limit
            status = "PASS" if ok else "MISS"
            self.data["targets"][target] = {"what": desc, "value": value, "op": op, "limit": limit,
                                            "pass": ok}
            tgt = "%s %g" % (op, limit)
        else:
            tgt = ""
        self.rows.append((rid, what, fmt % value if isinstance(value, float) else str(value), tgt, status))

    def skip(self, rid, what, why):
        self.rows.append((rid, what, "skipped", "", why))
        self.data["skipped"].append({"id": rid, "what": what, "why": why})

    # (a) matrix product
    def matmul(self):
        r = Random(2)
        # The check looks at 2 n^2 entries, the product does n^3 multiply-adds: the
        # target is read at n = 128; smaller sizes show what the check costs there.
        sizes = ((128, "matmul"), (64, None)) if self.child else ((128, "matmul"), (64, None), (32, None))
        for n, target in sizes:
            A = [[r.uniform(-1, 1) for _ in range(n)] for _ in range(n)]
            B = [[r.uniform(-1, 1) for _ in range(n)] for _ in range(n)]
            assert max_abs_diff(tb.matmul(A, B), ref.index_matmul(A, B)) < 1e-12 * n
            cands = [("best", lambda: ref.best_matmul(A, B)), ("tb.matmul", lambda: tb.matmul(A, B)),
                     ("unchecked", lambda: matrix._matmul(A, B))]
            if n == 64:
                cands.append(("index", lambda: ref.index_matmul(A, B)))
            c = self.compare("matmul_%d" % n, cands)
            mflops = 2.0 * n ** 3 / c.time("best") / 1e6
            self.row("a", "%dx%d matmul, best idiom %s: MFLOP/s" % (n, n, ref.BEST_IDIOM), mflops, "%.0f")
            self.row("a", "  tb.matmul (checked) / best idiom", c.ratio("tb.matmul", "best"), "%.3f", target)
            self.row("a", "  its loop alone (no check) / best idiom", c.ratio("unchecked", "best"), "%.3f")
            if n == 64:
                self.row("a", "  index triple loop / best idiom", c.ratio("index", "best"), "%.2f")
                self.data["mflops_best_idiom"] = mflops

    # (b), (c), validation
    def steps(self):
        net, X, Y = make_problem(SIZES, BATCH)
        P = params_of(net)
        # same network, same numbers: the hand-fused step against vectorized.backward
        g = vectorized.backward(net, X, Y)
        loss, gW1, gb1, gW2, gb2, gX = ref.fused_step(params_of(net), X, Y, 0.0, input_grad=True)
        diff = max(abs(loss - g.loss), max_abs_diff(gW1, g.W[1]), max_abs_diff(gW2, g.W[2]),
                   max_abs_diff([gb1], g.b[1]), max_abs_diff([gb2], g.b[2]), max_abs_diff(gX, g.x))
        self.data["checks"]["fused_vs_vectorized_max_abs_diff"] = diff
        assert diff < 1e-12, "the hand-fused step does not compute what vectorized.backward does: %g" % diff
        net_pn, net_x, net_u, net_t = net.copy(), net.copy(), net.copy(), net.copy()
        unchecked = True
        P_x = params_of(net)
        no_x = True
        self.data["step_without_input_grad"] = no_x
        c = self.compare("step", [
            ("fused", lambda: ref.fused_step(P, X, Y, LR, input_grad=not no_x)),
            ("vectorized", lib_step(vectorized, net, X, Y)),
            ("per_neuron", lib_step(per_neuron, net_pn, X, Y)),
            ("validation", validation_only(net, X, Y)),
        ] + ([("unchecked", lib_step(vectorized, net_u, X, Y, checked=False)),
               ("train_like", train_like_step(vectorized, net_t, X, Y))] if unchecked else []))
        ms = 1e3
        nm = madds(SIZES, BATCH, input_grad=not no_x)
        self.data["step_ms"] = dict((n, c.time(n) * ms) for n in c.names)
        # The training step is what train() runs: its arguments checked once before the first
        # step, then the unchecked forward and backward and the in-place update (as the hand-fused
        # step, which checks nothing).  The step through the public backward(), which checks X, Y
        # and the weights at every call, is shown below it.
        step = "train_like" if unchecked else "vectorized"
        self.data["step_ms"]["train_step"] = c.time(step) * ms
        self.row("b", "64-32-10 step, batch 32: hand-fused reference, ms", c.time("fused") * ms, "%.2f")
        self.row("b", "  vectorized training step (as train() runs it), ms", c.time(step) * ms, "%.2f")
        self.row("b", "  vectorized, ns per multiply-add", c.time(step) / nm * 1e9, "%.1f")
        self.row("b", "  vectorized training step / hand-fused", c.ratio(step, "fused"), "%.3f", "step_vs_fused")
        self.row("b", "  step through the checked backward(), ms", c.time("vectorized") * ms, "%.2f")
        self.row("b", "  step through the checked backward() / hand-fused", c.ratio("vectorized", "fused"), "%.3f")
        if no_x:
            cx = self.compare("step_with_input_grad", [
                ("fused", lambda: ref.fused_step(P_x, X, Y, LR, input_grad=True)),
                ("vectorized", lib_step(vectorized, net_x, X, Y, input_grad=True)),
            ])
            self.row("b", "the same step also computing dL/dX: hand-fused, ms", cx.time("fused") * ms, "%.2f")
            self.row("b", "  vectorized, ms", cx.time("vectorized") * ms, "%.2f")
            self.row("b", "  vectorized / hand-fused", cx.ratio("vectorized", "fused"), "%.3f")
        self.row("c", "per-neuron step, ms", c.time("per_neuron") * ms, "%.2f")
        self.row("c", "  per-neuron / vectorized", c.ratio("per_neuron", "vectorized"), "%.3f", "per_neuron_vs_vec")
        self.row("v", "validation alone (weights, X, Y), ms", c.time("validation") * ms, "%.3f")
        self.row("v", "  validation / vectorized step", c.ratio("validation", "vectorized"), "%.3f")
        if unchecked:
            self.row("v", "  unchecked step (_backward + update), ms", c.time("unchecked") * ms,
                     "%.2f")
            self.row("v", "  unchecked step / hand-fused", c.ratio("unchecked", "fused"), "%.3f")
            self.row("v", "  checked step / unchecked step", c.ratio("vectorized", "unchecked"), "%.3f",
                     "validation")
            self.row("v", "  train()'s step / checked step", c.ratio("train_like", "vectorized"), "%.3f")
        else:
            self.skip("v", "unchecked step", "this tinybackprop has no vectorized.backward(..., check=False)")

    # sumprod against sum(map) on the same interpreter
    def sumprod(self):
        if getattr(math, "sumprod", None) is None:
            self.skip("s", "step on sum(map) / step on math.sumprod", "no math.sumprod before CPython 3.12")
            return
        net, X, Y = make_problem(SIZES, BATCH)
        net2 = net.copy()
        # matmul looks up matrix._products at every call: swap it from here
        own = matrix._products
        try:
            c = self.compare("sumprod", [("sumprod", lib_step(vectorized, net, X, Y)),
                                         ("summap", lib_step(vectorized, net2, X, Y))],
                             setups={"sumprod": lambda: setattr(matrix, "_products", own),
                                     "summap": lambda: setattr(matrix, "_products", ref.mm_cols_map)})
        finally:
            matrix._products = own
        self.row("s", "vectorized step on math.sumprod, ms", c.time("sumprod") * 1e3, "%.2f")
        self.row("s", "  on sum(map(mul, ...)), ms", c.time("summap") * 1e3, "%.2f")
        self.row("s", "  sum(map) / sumprod", c.ratio("summap", "sumprod"), "%.2f", "sumprod")

    # (d) peers
    def peers(self):
        net, X, Y = make_problem(SIZES, BATCH)
        first = vectorized.backward(net, X, Y).loss
        cands = [("tinybackprop", lib_step(vectorized, net, X, Y))]
        for name, make in peers.PEERS:
            try:
                W1, b1, W2, b2 = params_of(net)
                step = make(W1, b1, W2, b2, X, Y, LR)
            except ImportError as e:
                self.skip("d", name, "not installed (%s); pip install -e '.[%s]'"
                          % (e, "torch" if name == "torch" else "bench"))
                continue
            loss = step()  # the first step, on the same weights as tinybackprop
            self.data["checks"]["%s_first_loss_diff" % name] = abs(loss - first)
            assert abs(loss - first) < 1e-9, "%s computes another loss: %r vs %r" % (name, loss, first)
            cands.append((name, step))
        self.graph_path(net, X, Y, first, cands[0])
        if len(cands) == 1:
            return
        tiny = cands[0]
        fast = [cand for cand in cands[1:] if cand[0] != "micrograd"]
        slow = [cand for cand in cands[1:] if cand[0] == "micrograd"]
        if slow:
            c = self.compare("micrograd", [tiny] + slow, repeats=3 if self.quick else 5)
            self.data.setdefault("peer_ms", {})["micrograd"] = c.time("micrograd") * 1e3
            self.row("d", "micrograd step, gc off, ms (%s)" % peers.version_of("micrograd"),
                     c.time("micrograd") * 1e3, "%.0f")
            self.row("d", "  micrograd / tinybackprop", c.ratio("micrograd", "tinybackprop"), "%.0f", "micrograd")
            if not self.quick:  # with the garbage collector on, as a script runs by default: seconds,
                # so one sample each, no calibration (a single call is long enough to time)
                t_mg = time_calls(slow[0][1], 1, gc_off=False)
                t_tb = time_calls(tiny[1], 20, gc_off=False)
                self.data["peer_ms"]["micrograd_gc_on"] = t_mg * 1e3
                self.row("d", "  micrograd step, gc on (one sample), ms", t_mg * 1e3, "%.0f")
                self.row("d", "  micrograd / tinybackprop, gc on", t_mg / t_tb, "%.0f")
        if fast:
            c = self.compare("peers", [tiny] + fast)
            for name in c.names[1:]:
                self.data.setdefault("peer_ms", {})[name] = c.time(name) * 1e3
                self.row("d", "%s step, ms (%s)" % (name, peers.version_of(name)), c.time(name) * 1e3, "%.3f")
                self.row("d", "  tinybackprop / %s" % name, c.ratio("tinybackprop", name), "%.0f")

    def graph_path(self, net, X, Y, first, tiny):
        """The third path, tinybackprop.graph: the same step through a graph of scalar
        Values (about 157,000 nodes for the 64-32-10 network on 32 rows).  No target:
        it is slow by nature; the row says how slow."""
        from tinybackprop import graph

        loss = graph.backward(net, X, Y).loss
        self.data["checks"]["graph_first_loss_diff"] = abs(loss - first)
        assert abs(loss - first) < 1e-12 * abs(first), "the graph path computes another loss"
        c = self.compare("graph", [tiny, ("graph", lib_step(graph, net, X, Y))], repeats=3 if self.quick else 5)
        self.data.setdefault("peer_ms", {})["graph"] = c.time("graph") * 1e3
        self.row("d", "tinybackprop graph path step, ms (%d nodes)" % graph.node_count(SIZES, BATCH),
                 c.time("graph") * 1e3, "%.0f")
        self.row("d", "  graph path / vectorized", c.ratio("graph", "tinybackprop"), "%.0f")

    # (o) online SGD: one row per step, against the from-scratch per-neuron code
    def online(self):
        rows = 96 if self.quick else ONLINE_ROWS
        for data in ("digits", "dense"):
            self.online_on(data, rows)

    def online_on(self, data, rows):
        """The targets on the digits rows; the same measurements on dense rows, reported beside them."""
        net, X, Y = online_problem(rows, data)
        W0, b0 = [matrix.copy(W) for W in net.W], [matrix.copy(b) for b in net.b]
        # the honest guard: one epoch of each gives the same weights (same rows, same order)
        peer = scratch.from_tinybackprop(W0, b0)
        scratch.train_epoch(peer, X, Y, ONLINE_LR, train_order(rows, 5))
        W_s, b_s = scratch.to_tinybackprop(peer)
        for name in ("vectorized", "per_neuron"):
            twin = net.copy()
            tb.train(twin, X, Y, epochs=1, lr=ONLINE_LR, batch_size=1, path=name, seed=5)
            diff = max(max_abs_diff(twin.W[l], W_s[l - 1]) for l in (1, 2))
            diff = max([diff] + [max_abs_diff(twin.b[l], b_s[l - 1]) for l in (1, 2)])
            self.data["checks"]["scratch_vs_%s_max_abs_weight_diff_%s" % (name, data)] = diff
            assert diff < 1e-12, "the from-scratch code does not compute %s's updates: %g" % (name, diff)
        order = list(range(rows))
        net_v, net_p, net_32 = net.copy(), net.copy(), net.copy()

        def epoch(n, path, batch):
            return lambda: tb.train(n, X, Y, epochs=1, lr=ONLINE_LR, batch_size=batch, path=path, seed=5)
        c = self.compare("online_" + data, [
            ("scratch", lambda: scratch.train_epoch(peer, X, Y, ONLINE_LR, order)),
            ("vectorized", epoch(net_v, "vectorized", 1)),
            ("per_neuron", epoch(net_p, "per_neuron", 1)),
            ("vectorized_b32", epoch(net_32, "vectorized", 32)),
        ], repeats=5 if self.quick else 11)
        ms = 1e3 / rows
        digits = data == "digits"
        self.data["online_ms_per_row" if digits else "online_dense_ms_per_row"] = dict(
            (n, c.time(n) * ms) for n in c.names)
        self.row("o", "64-32-10 sigmoid/squared error, %d %s rows: from-scratch, ms per row"
                 % (rows, "digits" if digits else "dense (uniform, no 0)"), c.time("scratch") * ms, "%.3f")
        self.row("o", "  tb.train vectorized, batch 1, ms per row", c.time("vectorized") * ms, "%.3f")
        self.row("o", "  tb.train per_neuron, batch 1, ms per row", c.time("per_neuron") * ms, "%.3f")
        self.row("o", "  tb.train vectorized, batch 32, ms per row", c.time("vectorized_b32") * ms, "%.3f")
        self.row("o", "  from-scratch / vectorized (batch 1)", c.ratio("scratch", "vectorized"), "%.2f",
                 "online_vec" if digits else None)
        self.row("o", "  per-neuron / from-scratch (batch 1)", c.ratio("per_neuron", "scratch"), "%.2f",
                 "online_pn" if digits else None)
        self.row("o", "  vectorized time per row, batch 1 / batch 32", c.ratio("vectorized", "vectorized_b32"),
                 "%.2f", "per_row" if digits else None)
        if not digits:
            self.data["online_dense"] = {"online_vec": c.ratio("scratch", "vectorized"),
                                         "online_pn": c.ratio("per_neuron", "scratch"),
                                         "per_row": c.ratio("vectorized", "vectorized_b32")}

    # (e) ns per multiply-add over batch and width
    def grid(self):
        if self.quick:
            batches, widths = [8, 32, 128], [16, 64, 128]
        elif self.child:
            batches, widths = [8, 32, 64, 128], [16, 64, 256]
        else:
            batches, widths = [8, 16, 32, 64, 128], [16, 32, 64, 128, 256]
        cands, counts = [], {}
        for w in widths:
            for m in batches:
                net, X, Y = make_problem([w, w, 10], m)
                key = "w%d_m%d" % (w, m)
                cands.append((key, lib_step(vectorized, net, X, Y)))
                counts[key] = madds([w, w, 10], m)
        c = self.compare("grid", cands, repeats=3 if self.quick else 5, min_time=self.min_time / 2)
        ns = dict((k, c.time(k) / counts[k] * 1e9) for k in c.names)
        self.data["grid"] = {"network": "[w, w, 10]", "batches": batches, "widths": widths, "ns_per_madd": ns}
        self.grid_table = (batches, widths, ns)
        # flatness of a width: max/min over batches >= 32 of ns per multiply-add, taken
        # within each round (the cells of a round ran close together), median over rounds
        worst = 1.0
        for w in widths:
            keys = ["w%d_m%d" % (w, m) for m in batches if m >= 32]
            per_round = []
            for r in range(len(c.samples[keys[0]])):
                vals = [c.samples[k][r] / counts[k] for k in keys]
                per_round.append(max(vals) / min(vals))
            worst = max(worst, median(per_round))
        self.row("e", "ns per multiply-add, [w, w, 10] nets, batch 32-128, worst width", worst, "%.2f", "flat")

    # (p) the optimizers (tinybackprop.optimizers): the update alone and a training step, both forms
    def optimizers(self):
        from tinybackprop import optimizers as O
        net, X, Y = make_problem(SIZES, BATCH)
        G = vectorized.backward(net, X, Y)
        n_pass = net.copy()

        def one_pass():  # one plain update of every W and b: the unit of the extra cost
            update(n_pass, G, LR)

        def update_only(opt, per_element):  # the optimizer's update alone, on the same gradients
            n = net.copy()
            opt.step(n, G, per_element=per_element)  # the buffers exist: every timed call is a later step

            def step():
                opt.step(n, G, per_element=per_element)
            return step

        def with_optimizer(opt, per_element):
            n = net.copy()

            def step():
                g = vectorized._backward(n, X, Y, False, True)[1]  # as train()'s step
                opt.step(n, g, per_element=per_element)
            return step
        # the update alone, every optimizer (cheap: a fraction of a millisecond each)
        cands = [("pass", one_pass)]
        for name in O.OPTIMIZERS:
            cands.append((name, update_only(O.make(name, LR), False)))
            cands.append((name + "/pe", update_only(O.make(name, LR), True)))
        u = self.compare("optimizer_updates", cands)
        # whole training steps (forward, backward, update): what the extra costs next to the rest
        names = ("momentum", "adam") if self.quick else O.OPTIMIZERS
        cands = [("plain", train_like_step(vectorized, net.copy(), X, Y))]
        for name in names:
            cands.append((name, with_optimizer(O.make(name, LR), False)))
            cands.append((name + "/pe", with_optimizer(O.make(name, LR), True)))
        c = self.compare("optimizers", cands)
        ms, unit = 1e3, u.time("pass")
        self.data["optimizer_step_ms"] = dict((n, c.time(n) * ms) for n in c.names)
        self.data["optimizer_update_ms"] = dict((n, u.time(n) * ms) for n in u.names)
        passes = dict((name, optimizer_passes(O.make(name, LR), net, G)) for name in O.OPTIMIZERS)
        decayed = dict((name, optimizer_passes(O.make(name, LR, weight_decay=0.01), net, G)) for name in O.OPTIMIZERS)
        self.data["optimizer_passes"] = passes
        self.data["optimizer_passes_weight_decay"] = decayed
        self.row("p", "64-32-10 step, batch 32, plain update (as train() runs it), ms", c.time("plain") * ms, "%.2f")
        self.row("p", "  one plain update of every W and b (the unit: a pass over the weights), ms", unit * ms, "%.3f")
        for name in names:
            self.row("p", "  %-8s step, ms: train's update (per element), matrix lines" % name,
                     "%.2f, %.2f" % (c.time(name + "/pe") * ms, c.time(name) * ms), "%s")
        self.row("p", "  the update alone: passes over the weights (also with weight_decay=0.01), extra time", "", "%s")
        self.row("p", "  in plain updates (update / unit - 1), train's update (per element) and matrix lines:", "", "%s")
        for name in O.OPTIMIZERS:
            extra_pe, extra_m = u.ratio(name + "/pe", "pass") - 1.0, u.ratio(name, "pass") - 1.0
            (m, pe), (m_wd, pe_wd) = passes[name], decayed[name]
            self.row("p", "  %-8s passes %s (%s) / matrix lines %s (%s); extra passes, train's update"
                     % (name, pe, pe_wd, m, m_wd), max(pe, pe_wd) - 1, "%d", "passes_" + name)
            self.row("p", "  %-8s extra time: train's update; matrix lines %.1f" % (name, extra_m), extra_pe, "%.1f",
                     "extra_" + name if "extra_" + name in TARGETS else None)

    def run(self, parts):
        self.data["seconds"] = {}
        for p in parts:
            t0 = timer()
            getattr(self, p)()
            self.data["seconds"][p] = round(timer() - t0, 1)
        return self


# -- output ---------------------------------------------------------------------------------------
def format_table(bench):
    took = ", ".join("%s %.0f s" % kv for kv in bench.data["seconds"].items())
    lines = ["tinybackprop benchmarks on %s (%s)" % (bench.data["interpreter"], sys.executable),
             "kernels use: %s; %s mode; clock: %s; took: %s"
             % (bench.data["sumprod"], "quick" if bench.quick else "full", timing.CLOCK_NAME, took),
             ""]
    w = max(len(r[1]) for r in bench.rows)
    lines.append("%-2s %-*s %10s  %-8s %s" % ("", w, "measurement", "value", "target", ""))
    for rid, what, value, tgt, status in bench.rows:
        lines.append("%-2s %-*s %10s  %-8s %s" % (rid, w, what, value, tgt, status))
    if getattr(bench, "grid_table", None):
        batches, widths, ns = bench.grid_table
        lines += ["", "(e) ns per multiply-add of a vectorized step, networks [w, w, 10]",
                  "width \\ batch " + "".join("%8d" % m for m in batches)]
        for wd in widths:
            lines.append("%13d " % wd + "".join("%8.1f" % ns["w%d_m%d" % (wd, m)] for m in batches))
    return "\n".join(lines)


def other_pythons():
    """(label, executable) of the other interpreters to run, and (label, reason) of missing ones."""
    found, missing = [], []
    wanted = [("PyPy", ["pypy3"]),
              ("CPython 3.12", ["/root/.pyenv/versions/3.12.1/bin/python3", "python3.12"]),
              ("CPython 3.13", ["/root/.pyenv/versions/3.13.0/bin/python3", "python3.13"])]
    me = os.path.realpath(sys.executable)
    for label, cands in wanted:
        exe = None
        for c in cands:
            path = c if os.path.isabs(c) else _which(c)
            if path and os.path.exists(path):
                exe = path
                break
        if exe is None:
            missing.append((label, "not found (tried %s)" % ", ".join(cands)))
        elif os.path.realpath(exe) != me:
            found.append((label, exe))
    return found, missing


def _which(name):
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def results_dir():
    d = os.path.join(HERE, "results")
    if not os.path.isdir(d):
        os.makedirs(d)
    return d


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    quick = "--quick" in argv
    child = "--child" in argv
    only = child or "--only-this-python" in argv
    out = None
    if "--json" in argv:
        out = argv[argv.index("--json") + 1]
    parts = ["matmul", "steps", "optimizers", "online", "sumprod", "peers", "grid"]
    if child:
        parts = ["matmul", "steps", "optimizers", "online", "sumprod", "grid"] if not quick else [
            "matmul", "steps", "optimizers", "online", "sumprod"]
    if "--wall-clock" in argv:
        timing.use_wall_clock()
    if "--parts" in argv:  # e.g. --parts matmul,steps (for working on one measurement)
        parts = argv[argv.index("--parts") + 1].split(",")
    bench = Bench(quick)
    bench.child = child
    bench.run(parts)
    text = format_table(bench)
    print(text)
    print()
    sys.stdout.flush()
    tag = "%s-%d.%d" % (platform.python_implementation().lower(), sys.version_info[0], sys.version_info[1])
    path = out or os.path.join(results_dir(), "bench-%s%s.json" % (tag, "-quick" if quick else ""))
    with open(path, "w") as f:
        json.dump(bench.data, f, indent=1, sort_keys=True)
    all_data = [bench.data]
    if not only:
        found, missing = other_pythons()
        for label, why in missing:
            print("(f) %s: skipped, %s" % (label, why))
        for label, exe in found:
            sub = os.path.join(results_dir(), "bench-%s%s.json" % (label.replace(" ", "-").lower(),
                                                                    "-quick" if quick else ""))
            env = dict(os.environ)
            env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
            cmd = [exe, os.path.abspath(__file__), "--child", "--json", sub] + (["--quick"] if quick else []) \
                + (["--wall-clock"] if "--wall-clock" in argv else [])
            print("(f) running on %s: %s" % (label, exe))
            sys.stdout.flush()
            r = subprocess.call(cmd, env=env)
            if r != 0:
                print("(f) %s: the benchmark failed with exit status %d" % (label, r))
                continue
            with open(sub) as f:
                all_data.append(json.load(f))
        print(summary(all_data))
        print(online_summary(all_data))
        board_steps([("this interpreter", sys.executable)] + found, quick)
        with open(os.path.join(results_dir(), "latest%s.json" % ("-quick" if quick else "")), "w") as f:
            json.dump(all_data, f, indent=1, sort_keys=True)
    print("JSON written to %s" % (os.path.relpath(results_dir()) if not only else path))
    return 0


def summary(all_data):
    keys = ["matmul", "step_vs_fused", "per_neuron_vs_vec", "validation", "micrograd", "sumprod", "flat",
            "online_vec", "online_pn", "per_row"]
    names = [d["interpreter"] for d in all_data]
    w = 46
    lines = ["", "Targets on every interpreter (value, PASS/MISS; - = not measured there)",
             "%-*s" % (w, "target") + "".join("%18s" % n for n in names)]
    for k in keys:
        desc, op, limit = TARGETS[k]
        cells = []
        for d in all_data:
            t = d["targets"].get(k)
            cells.append("%18s" % ("-" if t is None else "%.3g %s" % (t["value"], "PASS" if t["pass"] else "MISS")))
        lines.append("%-*s" % (w, "%s %s %g" % (desc, op, limit)) + "".join(cells))
    lines.append("%-*s" % (w, "vectorized training step, ms") +
                 "".join("%18s" % ("%.2f" % d["step_ms"].get("train_step", d["step_ms"]["vectorized"])
                                   if "step_ms" in d else "-") for d in all_data))
    lines.append("%-*s" % (w, "hand-fused step, ms") +
                 "".join("%18s" % ("%.2f" % d["step_ms"]["fused"] if "step_ms" in d else "-") for d in all_data))
    lines.append("%-*s" % (w, "per-neuron step, ms") +
                 "".join("%18s" % ("%.2f" % d["step_ms"]["per_neuron"] if "step_ms" in d else "-") for d in all_data))
    return "\n".join(lines)


def board_steps(pythons, quick):
    """benchmarks/board.py (ms per digits-sized step at batch 1 and 32, wall clock) on every
    interpreter, and on MicroPython's WebAssembly build under Node where node_modules has it."""
    print("\n(g) ms per training step, 64-32-10 softmax/cross entropy (benchmarks/board.py; CPU time, "
          "MicroPython the wall clock)")
    sys.stdout.flush()
    board = os.path.join(HERE, "board.py")
    extra = ["--quick"] if quick else []
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    for label, exe in pythons:
        subprocess.call([exe, board] + extra, env=env, cwd=ROOT)
    node = _which("node")
    wasm = os.path.join(ROOT, "node_modules", "@micropython", "micropython-webassembly-pyscript")
    if node is None or not os.path.isdir(wasm):
        print("MicroPython (wasm): skipped, %s" % ("no node on PATH" if node is None else "npm ci not run (%s missing)"
                                                   % os.path.relpath(wasm, ROOT)))
        return
    r = subprocess.call([node, os.path.join(ROOT, "portability", "run_wasm.mjs"), "micropython",
                         "--pkg", os.path.join(ROOT, "tinybackprop"), board] + extra, cwd=ROOT)
    if r != 0:
        print("MicroPython (wasm): board.py failed with exit status %d" % r)


def online_summary(all_data):
    """ms per training row at batch 1 and 32, and of the from-scratch code, on every interpreter;
    digits rows (the targets' rows), then dense rows."""
    names = [d["interpreter"] for d in all_data]
    w = 46
    lines = []
    for rows_key, title in (("online_ms_per_row", "digits rows"), ("online_dense_ms_per_row", "dense rows")):
        lines += ["", "ms per training row, 64-32-10 sigmoid/squared error, %s (online = batch 1)" % title,
                  "%-*s" % (w, "") + "".join("%18s" % n for n in names)]
        for label, key in (("tb.train vectorized, batch 1", "vectorized"),
                           ("tb.train per_neuron, batch 1", "per_neuron"),
                           ("tb.train vectorized, batch 32", "vectorized_b32"), ("from-scratch code", "scratch")):
            lines.append("%-*s" % (w, label) + "".join(
                "%18s" % ("%.3f" % d[rows_key][key] if rows_key in d else "-") for d in all_data))
    dense = [d.get("online_dense") for d in all_data]
    if any(dense):
        lines += ["", "The three batch-1 ratios on dense rows (no target there; see docs/speed.md)"]
        for k in ("online_vec", "online_pn", "per_row"):
            lines.append("%-*s" % (w, TARGETS[k][0]) + "".join(
                "%18s" % ("%.2f" % x[k] if x else "-") for x in dense))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
