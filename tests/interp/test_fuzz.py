"""Property-based tests (hypothesis) over random architectures and random garbage.

* Valid input (random sizes, activations, losses, batches, weights): the two
  backward paths agree (normwise relative error <= 1e-10), every number is
  finite, and nothing given is modified.
* Invalid input (ragged, empty, text, None, nested lists, bools, NaN, inf,
  wrong widths, mismatched rows, bad labels, bad names, bad sizes, bad weights,
  bad hyperparameters, corrupt files), fed to every entry point it applies to:
  exactly ``BackpropError``, never another exception, and nothing given is
  modified.

The examples are derandomized, so CI runs the same few thousand cases every
time.  For a deeper local search set ``TINYBACKPROP_FUZZ_SCALE=10`` (ten times
the examples) and ``TINYBACKPROP_FUZZ_RANDOM=1`` (new random cases each run).
"""
import copy
import json
import math
import os

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="the fuzz suite needs hypothesis (pip install -e '.[test]')")
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import tinybackprop as tb  # noqa: E402
from tinybackprop import BackpropError, gradcheck, per_neuron, vectorized  # noqa: E402
from tinybackprop.show import jacobian  # noqa: E402

from tinybackprop import training  # noqa: E402

SCALE = float(os.environ.get("TINYBACKPROP_FUZZ_SCALE", "1"))
FUZZ = settings(derandomize=not os.environ.get("TINYBACKPROP_FUZZ_RANDOM"), deadline=None, database=None,
                suppress_health_check=list(HealthCheck), print_blob=True)


def examples(n):
    return settings(FUZZ, max_examples=max(1, int(n * SCALE)))


HIDDEN = ["sigmoid", "tanh", "relu", "identity"]
PAIRS = [("sigmoid", "bce"), ("sigmoid", "squared_error"), ("sigmoid", "cross_entropy"),
         ("softmax", "bce"), ("softmax", "squared_error"), ("softmax", "cross_entropy"),
         ("identity", "squared_error")]
NAMES = set(HIDDEN) | {"softmax", "bce", "squared_error", "cross_entropy"}
NAN, INF = float("nan"), float("inf")

#: Things that are not a finite number (each one alone makes a matrix invalid).
BAD_SCALARS = ["0.5", "", "nan", None, True, False, 1j, {}, {"x": 1.0}, [0.5], [[0.5]], (0.5,), [],
               NAN, INF, -INF, 10 ** 400, -10 ** 400, b"1", object(), set()]
bad_scalar = st.sampled_from(BAD_SCALARS)
#: Things that are not a matrix at all (a tuple of tuples IS a matrix, so none here).
not_a_matrix = st.sampled_from([None, "", "[[1, 2]]", 0.5, 3, True, {}, {"rows": [[1.0]]}, b"\x00", 1j]) | st.text(max_size=5)


# -- valid cases ----------------------------------------------------------------------------------

def numbers(max_abs):
    k = int(min(max_abs, 1000))
    return st.floats(-max_abs, max_abs, allow_nan=False, allow_infinity=False) | st.integers(-k, k)


def matrix(m, n, elements):
    return st.lists(st.lists(elements, min_size=n, max_size=n), min_size=m, max_size=m)


@st.composite
def targets(draw, loss, m, n):
    if loss == "bce":
        return draw(matrix(m, n, st.floats(0.0, 1.0) | st.sampled_from([0, 1, 0.0, 1.0])))
    if loss == "cross_entropy":
        Y = []
        for _ in range(m):
            w = draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n))
            s = sum(w)
            if s < 1e-3:
                k = draw(st.integers(0, n - 1))
                w, s = [1.0 if j == k else 0.0 for j in range(n)], 1.0
            Y.append([x / s for x in w])
        return Y
    return draw(matrix(m, n, numbers(1e3)))


@st.composite
def valid_case(draw, max_abs=1e3, max_layers=3, max_width=5, max_m=5):
    """A dict with everything needed to build a network and a valid batch for it."""
    L = draw(st.integers(1, max_layers))
    sizes = draw(st.lists(st.integers(1, max_width), min_size=L + 1, max_size=L + 1))
    hidden = draw(st.sampled_from(HIDDEN))
    output, loss = draw(st.sampled_from(PAIRS))
    if output == "softmax" and sizes[-1] < 2:
        sizes[-1] = draw(st.integers(2, max_width))
    m = draw(st.integers(1, max_m))
    case = {"sizes": sizes, "hidden": hidden, "output": output, "loss": loss,
            "seed": draw(st.integers(0, 2 ** 40)),
            "X": draw(matrix(m, sizes[0], numbers(max_abs))),
            "Y": draw(targets(loss, m, sizes[-1]))}
    if draw(st.booleans()):
        case["b"] = [draw(matrix(1, n, st.floats(-1.0, 1.0))) for n in sizes[1:]]
    return case


def build(case):
    net = tb.Network(case["sizes"], hidden=case["hidden"], output=case["output"], loss=case["loss"],
                     seed=case["seed"])
    for l, b in enumerate(case.get("b", []), start=1):
        net.b[l] = b
    return net


def snapshot(*things):
    """A picture of the arguments to compare after a call (repr: NaN-safe, sees every nesting)."""
    return [_repr(t) for t in things]


def _repr(t):
    if isinstance(t, tb.Network):
        t = [list(t.W), list(t.b)]
    try:
        return repr(t)
    except ValueError:  # an int with more digits than str() allows: describe the structure instead
        return _structure(t)


def _structure(t):
    if isinstance(t, (list, tuple)):
        return "%s(%s)" % (type(t).__name__, ", ".join(_structure(x) for x in t))
    if isinstance(t, int):
        return "int(%d bits, %d)" % (t.bit_length(), t % 1000003)
    return repr(t)


def finite(g):
    vals = [g.loss] + [x for row in g.x for x in row]
    for l in range(1, len(g.W)):
        vals += [x for row in g.W[l] for x in row] + [x for row in g.b[l] for x in row]
    return all(math.isfinite(v) for v in vals)


@examples(700)
@given(valid_case(max_abs=1e6))
def test_valid_batches_both_paths_agree_and_are_finite(case):
    """A gradient that is zero in exact arithmetic comes out of both paths as
    different rounding residue (a softmax output under squared error with equal
    dL/dyhat: ~1e-18 against 0.0), so each parameter is compared relative to the
    size of the terms summed to make it (gradcheck.term_sizes), not to itself."""
    net, X, Y = build(case), case["X"], case["Y"]
    before = snapshot(net, X, Y)
    g_n, g_v = per_neuron.backward(net, X, Y), vectorized.backward(net, X, Y)
    assert finite(g_n) and finite(g_v)
    errors = gradcheck.compare(g_n, g_v, sizes=gradcheck.term_sizes(net, X, Y))
    assert max(errors.values()) <= 1e-10, errors
    f_n, f_v = per_neuron.forward(net, X), vectorized.forward(net, X)
    assert gradcheck.relative_error(f_n.a[net.L], f_v.a[net.L]) <= 1e-10
    assert net.predict(X) == f_v.a[net.L]
    assert abs(net.loss_value(X, Y) - g_v.loss) <= 1e-12 * max(1.0, abs(g_v.loss))
    assert snapshot(net, X, Y) == before


@examples(150)
@given(valid_case(max_abs=1.0, max_layers=2, max_width=4, max_m=6), st.floats(1e-3, 1.0), st.integers(1, 7))
def test_valid_training_both_paths_agree(case, lr, batch_size):
    """Two epochs with each path end with the same weights; when a step diverges
    (a weight becomes infinite), both paths refuse it with the same message."""
    X, Y = case["X"], case["Y"]
    before = snapshot(X, Y)
    outcome = []
    for path in ("vectorized", "per_neuron"):
        net = build(case)
        try:
            h = training.train(net, X, Y, epochs=2, lr=lr, batch_size=batch_size, path=path)
            outcome.append((net, h))
        except BackpropError as e:
            outcome.append(str(e))
    assert snapshot(X, Y) == before
    if isinstance(outcome[0], str) or isinstance(outcome[1], str):
        assert outcome[0] == outcome[1] and "learning rate" in outcome[0], outcome
        return
    (n1, h1), (n2, h2) = outcome
    for l in range(1, n1.L + 1):
        assert gradcheck.relative_error(n1.W[l], n2.W[l]) <= 1e-9
    for a, b in zip(h1.loss, h2.loss):
        assert a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b)), (h1.loss, h2.loss)


# -- garbage: corrupting one valid matrix ------------------------------------------------------------

#: Corruptions that make any matrix invalid, whatever shape was expected.
INTRINSIC = ["ragged", "bad_entry", "empty", "empty_rows", "empty_row", "flat", "not_a_matrix", "bad_row"]
#: ... and those that make it the wrong shape for a network's X, Y, W or b.
CORRUPTIONS = INTRINSIC + ["drop_entry", "add_entry", "add_column", "drop_column"]


@st.composite
def corrupt(draw, M, kind=None):
    """An always-invalid variant of the valid m x n matrix M (M itself is left alone)."""
    M = copy.deepcopy(M)
    m, n = len(M), len(M[0])
    kind = kind or draw(st.sampled_from(CORRUPTIONS))
    r, c = draw(st.integers(0, m - 1)), draw(st.integers(0, n - 1))
    if kind == "ragged":
        if m == 1:
            M.append(M[0] + [0.5])
            return M
        kind = draw(st.sampled_from(["drop_entry", "add_entry"]))
        r = draw(st.integers(1, m - 1))
    if kind == "drop_entry":  # ragged, or the wrong width when there is one row
        del M[r][c]
    elif kind == "add_entry":
        M[r].insert(c, 0.5)
    elif kind == "bad_entry":
        M[r][c] = draw(bad_scalar)
    elif kind == "empty":
        M = []
    elif kind == "empty_rows":
        M = [[] for _ in range(m)]
    elif kind == "empty_row":
        M[r] = []
    elif kind == "flat":  # a row vector written without its outer brackets
        M = M[0]
    elif kind == "not_a_matrix":
        M = draw(not_a_matrix)
    elif kind == "bad_row":
        M[r] = draw(bad_scalar | st.just((x for x in M[r])))
        row = M[r]
        assume(not isinstance(row, (list, tuple)) or len(row) != n
               or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in row))
    elif kind == "add_column":
        for row in M:
            row.append(0.5)
    elif kind == "drop_column":
        for row in M:
            del row[c]
    return M


@st.composite
def bad_targets(draw, case):
    """Y that breaks the loss's rules, the rows or the width."""
    Y = copy.deepcopy(case["Y"])
    m, n = len(Y), len(Y[0])
    kinds = ["corrupt", "rows"]
    if case["loss"] == "bce":
        kinds.append("bce_label")
    if case["loss"] == "cross_entropy":
        kinds += ["ce_sum", "ce_negative"]
    kind = draw(st.sampled_from(kinds))
    r, c = draw(st.integers(0, m - 1)), draw(st.integers(0, n - 1))
    if kind == "corrupt":
        return draw(corrupt(Y))
    if kind == "rows":
        if m > 1 and draw(st.booleans()):
            return Y[:-1]
        return Y + [list(Y[0])]
    if kind == "bce_label":
        Y[r][c] = draw(st.floats(1.0, 1e6, exclude_min=True) | st.floats(-1e6, 0.0, exclude_max=True)
                       | st.sampled_from([2, -1, 1 + 1e-12]))
        return Y
    if kind == "ce_sum":
        f = draw(st.floats(0.0, 0.999) | st.floats(1.001, 1e6))
        Y[r] = [y * f for y in Y[r]]
        return Y
    # ce_negative: a negative entry, the row still summing to 1
    d = draw(st.floats(1e-6, 10.0))
    old = Y[r][c]
    Y[r][c] = -d
    if n > 1:
        Y[r][(c + 1) % n] += old + d
    return Y


def _train(net, X, Y):
    return training.train(net, X, Y, epochs=1, lr=0.1, batch_size=2)


ENTRIES = {
    "per_neuron.forward": lambda net, X, Y: per_neuron.forward(net, X),
    "vectorized.forward": lambda net, X, Y: vectorized.forward(net, X),
    "predict": lambda net, X, Y: net.predict(X),
    "per_neuron.backward": per_neuron.backward,
    "vectorized.backward": vectorized.backward,
    "loss_value": lambda net, X, Y: net.loss_value(X, Y),
    "numerical_gradients": gradcheck.numerical_gradients,
    "check": gradcheck.check,
}
if training is not None:
    ENTRIES["train"] = _train
    ENTRIES["accuracy"] = training.accuracy
X_ONLY = {"per_neuron.forward", "vectorized.forward", "predict"}


def only_backprop_error(fn, *args):
    """fn(*args) must raise exactly BackpropError with a one-line message and leave its arguments alone."""
    before = snapshot(*args)
    with pytest.raises(Exception) as info:
        fn(*args)
    e = info.value
    assert type(e) is BackpropError, "%s: %s" % (type(e).__name__, e)
    assert str(e) and "\n" not in str(e)
    assert snapshot(*args) == before, "a refused call changed its arguments"
    return str(e)


@examples(900)
@given(valid_case(), st.data())
def test_garbage_X_is_refused_by_every_entry_point(case, data):
    X = data.draw(corrupt(case["X"]), label="X")
    for name, fn in ENTRIES.items():
        msg = only_backprop_error(fn, build(case), X, case["Y"])
        assert msg.startswith(name + ":") or name in ("check",) and msg.startswith("check:"), msg


@examples(700)
@given(valid_case(), st.data())
def test_garbage_Y_is_refused_by_every_entry_point_that_takes_Y(case, data):
    Y = data.draw(bad_targets(case), label="Y")
    for name, fn in ENTRIES.items():
        if name not in X_ONLY:
            msg = only_backprop_error(fn, build(case), case["X"], Y)
            assert msg.startswith(name + ":"), msg


@examples(400)
@given(valid_case(), st.data())
def test_garbage_weights_are_refused_on_assignment_and_after_in_place_edits(case, data):
    net = build(case)
    kind = data.draw(st.sampled_from(["W", "b"]), label="kind")
    layers = getattr(net, kind)
    l = data.draw(st.integers(1, net.L), label="l")
    current = copy.deepcopy(layers[l])
    bad = data.draw(corrupt(current) | st.just(tb.transpose(current)).filter(lambda T: len(T) != len(current)),
                    label="value")
    before = snapshot(net)
    only_backprop_error(layers.__setitem__, l, bad)
    assert snapshot(net) == before  # a refused assignment changes nothing
    # the same damage done in place (bypassing the assignment check) is caught at the next call
    stored = layers[l]
    r, c = data.draw(st.integers(0, len(stored) - 1)), data.draw(st.integers(0, len(stored[0]) - 1))
    how = data.draw(st.sampled_from(["entry", "append_row", "append_col", "pop_col", "clear"]))
    if how == "entry":
        stored[r][c] = data.draw(bad_scalar)
    elif how == "append_row":
        stored.append(list(stored[0]))
    elif how == "append_col":
        stored[r].append(0.0)
    elif how == "pop_col":
        stored[r].pop()
    else:
        del stored[:]
    for name, fn in ENTRIES.items():
        msg = only_backprop_error(fn, net, case["X"], case["Y"])
        assert msg.startswith(name + ":") and "net.%s[%d]" % (kind, l) in msg, msg


@examples(300)
@given(st.data())
def test_garbage_layer_numbers_are_refused(data):
    net = tb.Network(data.draw(st.lists(st.integers(1, 4), min_size=2, max_size=4)))
    l = data.draw(st.integers(-50, 50).filter(lambda k: not (1 <= k <= net.L or -net.L <= k <= -1))
                  | bad_scalar | st.floats() | st.text(max_size=3))
    kind = data.draw(st.sampled_from(["W", "b"]))
    only_backprop_error(lambda: getattr(net, kind)[l])
    only_backprop_error(lambda: getattr(net, kind).__setitem__(l, [[0.0]]))


bad_name = (st.text(max_size=12).filter(lambda s: s not in NAMES) | bad_scalar
            | st.sampled_from(["Sigmoid", "RELU", " tanh", "tanh ", "soft max", "mse", "crossentropy"]))
bad_width = (st.integers(max_value=0) | st.floats() | bad_scalar
             | st.sampled_from([2.0, "3", True, 10 ** 8, 10 ** 400, -10 ** 5000]))


@examples(500)
@given(valid_case(), st.data())
def test_garbage_names_sizes_and_seeds_are_refused_by_network(case, data):
    args = dict(sizes=case["sizes"], hidden=case["hidden"], output=case["output"], loss=case["loss"],
                seed=case["seed"])
    what = data.draw(st.sampled_from(["sizes", "width", "hidden", "softmax_hidden", "output", "loss", "pair",
                                      "softmax_one_output", "seed"]))
    if what == "sizes":
        args["sizes"] = data.draw(not_a_matrix | st.lists(st.integers(1, 4), max_size=1))
    elif what == "width":
        sizes = list(case["sizes"])
        sizes[data.draw(st.integers(0, len(sizes) - 1))] = data.draw(bad_width)
        args["sizes"] = sizes
    elif what in ("hidden", "output", "loss"):
        args[what] = data.draw(bad_name)
    elif what == "softmax_hidden":
        args["hidden"] = "softmax"
    elif what == "pair":
        args["output"], args["loss"] = data.draw(st.sampled_from([("identity", "bce"), ("identity", "cross_entropy")]))
    elif what == "softmax_one_output":
        args["sizes"] = case["sizes"][:-1] + [1]
        args["output"] = "softmax"
    else:
        args["seed"] = data.draw(st.floats() | st.text(max_size=3) | st.sampled_from([None, True, [1]]))
    msg = only_backprop_error(lambda: tb.Network(**args))
    assert msg.startswith("Network:"), msg


@examples(400)
@given(valid_case(max_layers=2, max_width=3, max_m=3), st.data())
def test_garbage_hyperparameters_are_refused(case, data):
    net, X, Y = build(case), case["X"], case["Y"]
    bad_positive = (st.floats(max_value=0.0) | st.just(NAN) | st.just(INF) | bad_scalar
                    | st.integers(max_value=0)).filter(lambda v: not (isinstance(v, float) and v > 0 and v < INF))
    bad_count = (st.integers(max_value=0) | st.floats() | bad_scalar | st.sampled_from([1.0, "2", True, False])
                 ).filter(lambda v: not (isinstance(v, int) and not isinstance(v, bool) and v >= 1))
    target = data.draw(st.sampled_from(["lr", "epochs", "batch_size", "path", "seed", "h", "tol", "paths_tol",
                                        "numerical_h"]))
    if target in ("lr", "epochs", "batch_size", "path", "seed"):
        kw = dict(epochs=1, lr=0.1, batch_size=2, path="vectorized", seed=0)
        kw[target] = data.draw({"lr": bad_positive, "epochs": bad_count, "batch_size": bad_count,
                                "path": bad_name, "seed": st.floats() | st.text(max_size=2) | st.sampled_from([None, True])}[target])
        msg = only_backprop_error(lambda: training.train(net, X, Y, **kw))
        assert msg.startswith("train: " + target), msg
    elif target == "numerical_h":
        msg = only_backprop_error(lambda: gradcheck.numerical_gradients(net, X, Y, h=data.draw(bad_positive)))
        assert msg.startswith("numerical_gradients: h"), msg
    else:
        msg = only_backprop_error(lambda: gradcheck.check(net, X, Y, **{target: data.draw(bad_positive)}))
        assert msg.startswith("check: " + target), msg


# -- garbage: the matrix helpers -------------------------------------------------------------------------

@st.composite
def helper_call(draw):
    """(op, call) where exactly one operand of a matrix helper is corrupted."""
    m, k, n = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    A = draw(matrix(m, k, numbers(10.0)))
    B = draw(matrix(k, n, numbers(10.0)))
    C = draw(matrix(m, k, numbers(10.0)))
    op = draw(st.sampled_from(["shape", "copy", "transpose", "colsum", "scale", "apply", "matmul", "hadamard",
                               "add", "subtract", "outer"]))
    first = draw(st.booleans())
    one = {"shape": tb.shape, "copy": tb.copy, "transpose": tb.transpose, "colsum": tb.colsum,
           "scale": lambda X: tb.scale(X, 2.0), "apply": lambda X: tb.apply(abs, X)}
    if op in one:
        return op, one[op], (draw(corrupt(A, draw(st.sampled_from(INTRINSIC)))),)
    if op == "outer":
        u, v = A[0], B[0]
        bad = draw(corrupt([u], draw(st.sampled_from(["bad_entry", "empty_row", "not_a_matrix", "ragged"]))))
        if draw(st.booleans()) and isinstance(bad, list) and len(bad) == 1:
            bad = bad[0]  # the flat form of the bad vector
        return op, tb.outer, ((bad, v) if first else (u, bad))
    other = B if op == "matmul" else C
    kinds = list(INTRINSIC)
    # wrong sizes: not for add (a 1 x k row is a valid second operand, added to every row), nor for
    # matmul's B (only its rows must match)
    if op != "add" and not (op == "matmul" and not first):
        kinds += ["drop_entry", "add_entry", "add_column"]
    if first:
        return op, getattr(tb, op), (draw(corrupt(A, draw(st.sampled_from(kinds)))), other)
    return op, getattr(tb, op), (A, draw(corrupt(other, draw(st.sampled_from(kinds)))))


def _numbers_the_loop_takes(args):
    """True when every bad entry of ``args`` is a number to a helper's loop: a bool (0 or 1), a NaN,
    an infinity or a big int, which the arithmetic helpers take as Python arithmetic has them."""
    def entries(x):
        if isinstance(x, (list, tuple)):
            for y in x:
                yield from entries(y)
        else:
            yield x
    odd = [x for a in args for x in entries(a)
           if isinstance(x, bool) or (isinstance(x, float) and (x != x or x in (INF, -INF)))
           or (isinstance(x, int) and abs(x) > 2 ** 1024)]
    return bool(odd)


@examples(600)
@given(helper_call())
def test_garbage_is_refused_by_the_matrix_helpers(call):
    op, fn, args = call
    if op not in ("shape", "outer") and _numbers_the_loop_takes(args):
        # an arithmetic helper checks shapes and number types (its loop, or a sum of each result row):
        # a bool, NaN, infinity or big int is a number there; it computes, or refuses with BackpropError
        before = snapshot(*args)
        try:
            fn(*args)
        except BackpropError as e:
            assert str(e).startswith(op + ":") and "\n" not in str(e), str(e)
        assert snapshot(*args) == before
        return
    msg = only_backprop_error(fn, *args)
    assert msg.startswith(op + ":"), msg


@examples(200)
@given(st.data())
def test_garbage_is_refused_by_the_jacobians(data):
    z = data.draw(st.lists(numbers(10.0), min_size=1, max_size=4))
    bad = data.draw(corrupt([z], data.draw(st.sampled_from(["bad_entry", "empty_row", "not_a_matrix", "ragged"]))))
    which = data.draw(st.sampled_from(["activation_jacobian", "softmax_jacobian", "dz_dW", "vector_jacobian",
                                       "hadamard_equals_jacobian", "name"]))
    if which == "activation_jacobian":
        only_backprop_error(jacobian.activation_jacobian, "tanh", bad)
    elif which == "softmax_jacobian":
        only_backprop_error(jacobian.activation_jacobian, "softmax", bad)
    elif which == "dz_dW":
        if data.draw(st.booleans()):
            only_backprop_error(jacobian.dz_dW, bad, 2)
        else:
            only_backprop_error(jacobian.dz_dW, z, data.draw(bad_width))
    elif which == "vector_jacobian":
        only_backprop_error(jacobian.vector_jacobian, bad, [[1.0] * len(z)] * len(z))
    elif which == "hadamard_equals_jacobian":
        only_backprop_error(jacobian.hadamard_equals_jacobian, z, bad)
    else:
        only_backprop_error(jacobian.activation_jacobian, data.draw(bad_name), z)  # "softmax" is a name it takes


# -- garbage: files ------------------------------------------------------------------------------------

json_values = st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                                       max_size=4),
                           max_leaves=20)


@examples(400)
@given(valid_case(max_layers=2, max_width=3), st.data())
def test_corrupt_model_files_are_refused(tmp_path_factory, case, data):
    folder = tmp_path_factory.mktemp("models")
    path = str(folder / "net.json")
    d = build(case).to_dict()
    text = json.dumps(d)
    how = data.draw(st.sampled_from(["truncate", "field", "matrix", "json", "bytes", "edit"]))
    maybe_valid = False
    if how == "truncate":
        text = text[:data.draw(st.integers(0, len(text) - 1))]
    elif how == "field":  # a field replaced by anything, or removed
        key = data.draw(st.sampled_from(sorted(d)))
        value = data.draw(json_values)
        assume(value != d[key])
        if data.draw(st.booleans()):
            d[key] = value
            maybe_valid = isinstance(value, str) and value in NAMES  # e.g. "tanh" for "sigmoid": still a network
            # another init, or another init scale > 0: the record of how it started, still a network
            maybe_valid = maybe_valid or (key == "init" and value in tb.init.SCHEMES) or (
                key == "init_scale" and type(value) in (int, float) and 0 < value < float("inf"))
        else:
            del d[key]
            maybe_valid = key in ("init", "init_scale")  # optional: files saved before inits existed have none
        text = json.dumps(d)
    elif how == "matrix":  # one weight matrix corrupted
        kind = data.draw(st.sampled_from(["W", "b"]))
        l = data.draw(st.integers(0, len(d[kind]) - 1))
        d[kind][l] = data.draw(corrupt(d[kind][l]).filter(lambda M: not isinstance(M, (bytes, complex, set))
                                                           and _jsonable(M)))
        text = json.dumps(d)
    elif how == "json":  # some other JSON document
        text = json.dumps(data.draw(json_values))
    elif how == "bytes":
        text = None
        blob = data.draw(st.binary(max_size=200))
    else:  # one character replaced: may still be a valid network (a digit of a weight)
        i = data.draw(st.integers(0, len(text) - 1))
        text = text[:i] + data.draw(st.characters()) + text[i + 1:]
        maybe_valid = True
    if text is None:
        with open(path, "wb") as f:
            f.write(blob)
    else:
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as f:
            f.write(text)
    try:
        net = tb.Network.load(path)
    except Exception as e:  # noqa: BLE001
        assert type(e) is BackpropError, "%s: %s" % (type(e).__name__, e)
        assert str(e).startswith("load: "), str(e)
        return
    # loaded: only an edit that kept it valid may get here, and the network must work
    assert maybe_valid, "a corrupt file (%s) was accepted" % how
    X = [[0.5] * net.sizes[0]]
    assert all(math.isfinite(v) for v in net.predict(X)[0])


def _jsonable(M):
    try:
        json.dumps(M, allow_nan=True)
        return True
    except (TypeError, ValueError):
        return False
