"""Every listed kind of bad input, at every public entry point it applies to, is
refused with exactly ``BackpropError`` and a message that names the operation
and what is wrong where (the shapes, or the row and column of the bad value).

The cases: ragged or empty matrices; non-numbers (strings, None,
nested lists, bools); NaN or infinity; X and Y with different numbers of rows;
widths that do not match the network; bce labels outside [0, 1];
cross-entropy rows that are not probability distributions; unknown activation
or loss names; softmax as a hidden activation; weights of the wrong shape;
non-positive learning rate, epochs or batch size.  The command line has its
own file, ``test_cli_misuse.py``.
"""
import copy
import json
import os

import pytest

import tinybackprop as tb
from tinybackprop import BackpropError, gradcheck, per_neuron, vectorized

from tinybackprop import training

NAN, INF = float("nan"), float("inf")


def refused(fn, *words):
    """Call ``fn``; it must raise exactly BackpropError (not a subclass, not another
    error) with a one-line message containing every one of ``words``."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the point is to see which exception
        assert type(e) is BackpropError, "expected BackpropError, got %s: %s" % (type(e).__name__, e)
        msg = str(e)
        for w in words:
            assert w in msg, "%r is not in the message %r" % (w, msg)
        assert "\n" not in msg
        return msg
    pytest.fail("no exception: %r was accepted" % (fn,))


# -- the entry points that take a batch ------------------------------------------------------

def _train(net, X, Y):
    return training.train(net, X, Y, epochs=1, lr=0.1, batch_size=2)


def _accuracy(net, X, Y):
    return training.accuracy(net, X, Y)


#: name -> (the operation named in messages, call(net, X, Y)); the first three use X only.
ENTRIES = {
    "per_neuron.forward": ("per_neuron.forward", lambda net, X, Y: per_neuron.forward(net, X)),
    "vectorized.forward": ("vectorized.forward", lambda net, X, Y: vectorized.forward(net, X)),
    "predict": ("predict", lambda net, X, Y: net.predict(X)),
    "per_neuron.backward": ("per_neuron.backward", per_neuron.backward),
    "vectorized.backward": ("vectorized.backward", vectorized.backward),
    "loss_value": ("loss_value", lambda net, X, Y: net.loss_value(X, Y)),
    "numerical_gradients": ("numerical_gradients", gradcheck.numerical_gradients),
    "check": ("check", gradcheck.check),
    "train": ("train", _train),
    "accuracy": ("accuracy", _accuracy),
}
X_ONLY = ("per_neuron.forward", "vectorized.forward", "predict")
ALL = sorted(ENTRIES)
WITH_Y = sorted(set(ENTRIES) - set(X_ONLY))


def net3():
    """A 3-2-1 sigmoid/bce network with nonzero biases."""
    net = tb.Network([3, 2, 1], hidden="tanh", output="sigmoid", loss="bce", seed=1)
    net.b[1] = [[0.1, -0.2]]
    return net


def good_X():
    return [[0.1, 0.2, 0.3], [0.4, -0.5, 0.6]]


def good_Y():
    return [[1.0], [0.0]]


def call(entry, net, X, Y):
    op, fn = ENTRIES[entry]
    return op, (lambda: fn(net, X, Y))


def test_the_good_batch_is_accepted_everywhere():
    # so that every refusal below is caused by the one thing each test breaks
    for entry in ALL:
        ENTRIES[entry][1](net3(), good_X(), good_Y())


# -- ragged or empty -------------------------------------------------------------------------

@pytest.mark.parametrize("entry", ALL)
def test_ragged_X_refused(entry):
    op, f = call(entry, net3(), [[0.1, 0.2, 0.3], [0.4, 0.5]], good_Y())
    refused(f, op + ":", "X is ragged: row 0 has 3 entries but row 1 has 2")


@pytest.mark.parametrize("entry", WITH_Y)
def test_ragged_Y_refused(entry):
    net = tb.Network([3, 2], output="softmax", loss="cross_entropy")
    op, f = call(entry, net, good_X(), [[1.0, 0.0], [1.0]])
    refused(f, op + ":", "Y is ragged: row 0 has 2 entries but row 1 has 1")


@pytest.mark.parametrize("entry", ALL)
def test_empty_X_refused(entry):
    op, f = call(entry, net3(), [], good_Y())
    refused(f, op + ":", "X is empty (it has no rows)")
    op, f = call(entry, net3(), [[], []], good_Y())
    refused(f, op + ":", "X[0] is empty")


@pytest.mark.parametrize("entry", WITH_Y)
def test_empty_Y_refused(entry):
    op, f = call(entry, net3(), good_X(), [])
    refused(f, op + ":", "Y is empty")


@pytest.mark.parametrize("entry", ALL)
def test_flat_vector_X_refused(entry):
    # the commonest slip: one example written as a flat list instead of a 1 x n row
    op, f = call(entry, net3(), [0.1, 0.2, 0.3], [[1.0]])
    refused(f, op + ":", "X[0] must be a row", "got float 0.1", "[[x1, x2, ...]]")


@pytest.mark.parametrize("entry", ALL)
def test_X_not_a_list_refused(entry):
    for X, kind in (("0.1,0.2,0.3", "str"), (None, "NoneType"), (3.0, "float"), ({"x": 1}, "dict")):
        op, f = call(entry, net3(), X, good_Y())
        refused(f, op + ":", "X must be a list of rows", "got " + kind)


# -- non-numbers -------------------------------------------------------------------------------

NON_NUMBERS = [("0.6", "'0.6' (str), not a number", "float()"),
               (None, "None (NoneType), not a number", ""),
               ([0.6], "[0.6] (list), not a number", "nested exactly two deep"),
               (True, "True (bool), not a number", ""),
               (1 + 2j, "(1+2j) (complex), not a number", "")]


@pytest.mark.parametrize("entry", ALL)
@pytest.mark.parametrize("bad,words,hint", NON_NUMBERS, ids=["str", "None", "nested", "bool", "complex"])
def test_non_number_in_X_refused(entry, bad, words, hint):
    X = good_X()
    X[1][2] = bad
    op, f = call(entry, net3(), X, good_Y())
    refused(f, op + ":", "X[1][2] is " + words, hint)


@pytest.mark.parametrize("entry", WITH_Y)
@pytest.mark.parametrize("bad,words,hint", NON_NUMBERS, ids=["str", "None", "nested", "bool", "complex"])
def test_non_number_in_Y_refused(entry, bad, words, hint):
    op, f = call(entry, net3(), good_X(), [[1.0], [bad]])
    refused(f, op + ":", "Y[1][0] is " + words, hint)


# -- NaN and infinity --------------------------------------------------------------------------

@pytest.mark.parametrize("entry", ALL)
@pytest.mark.parametrize("bad,shown", [(NAN, "nan"), (INF, "inf"), (-INF, "-inf")])
def test_nan_or_inf_in_X_refused(entry, bad, shown):
    X = good_X()
    X[1][0] = bad
    op, f = call(entry, net3(), X, good_Y())
    refused(f, op + ":", "X[1][0] is %s; only finite numbers are allowed" % shown)


@pytest.mark.parametrize("entry", ALL)
def test_int_beyond_float_range_in_X_refused(entry):
    X = good_X()
    X[0][1] = 10 ** 400
    op, f = call(entry, net3(), X, good_Y())
    refused(f, op + ":", "X[0][1] is an int too large for a float")


@pytest.mark.parametrize("entry", WITH_Y)
@pytest.mark.parametrize("bad,shown", [(NAN, "nan"), (INF, "inf")])
def test_nan_or_inf_in_Y_refused(entry, bad, shown):
    op, f = call(entry, net3(), good_X(), [[bad], [0.0]])
    refused(f, op + ":", "Y[0][0] is %s; only finite numbers are allowed" % shown)


# -- rows and widths ---------------------------------------------------------------------------

@pytest.mark.parametrize("entry", WITH_Y)
def test_X_and_Y_row_counts_differ_refused(entry):
    op, f = call(entry, net3(), good_X(), [[1.0], [0.0], [1.0]])
    refused(f, op + ":", "X has 2 rows but Y has 3")


@pytest.mark.parametrize("entry", ALL)
def test_X_width_not_the_network_input_refused(entry):
    op, f = call(entry, net3(), [[0.1, 0.2, 0.3, 0.4]] * 2, good_Y())
    refused(f, op + ":", "X is 2x4 but the network takes 3 inputs (sizes [3, 2, 1])")


@pytest.mark.parametrize("entry", WITH_Y)
def test_Y_width_not_the_network_output_refused(entry):
    op, f = call(entry, net3(), good_X(), [[1.0, 0.0], [0.0, 1.0]])
    refused(f, op + ":", "Y is 2x2 but the network has 1 outputs (sizes [3, 2, 1])")


# -- targets the loss is not defined for --------------------------------------------------------

@pytest.mark.parametrize("entry", WITH_Y)
@pytest.mark.parametrize("label", [1.5, -0.5, 2])
def test_bce_label_outside_0_1_refused(entry, label):
    op, f = call(entry, net3(), good_X(), [[1.0], [label]])
    refused(f, op + ":", "Y[1][0] is %r, but bce labels must lie in [0, 1]" % label)


@pytest.mark.parametrize("entry", WITH_Y)
def test_bce_label_outside_0_1_refused_with_softmax_output(entry):
    net = tb.Network([3, 2], output="softmax", loss="bce")
    op, f = call(entry, net, good_X(), [[0.0, 1.0], [1.0, 1.25]])
    refused(f, op + ":", "Y[1][1] is 1.25, but bce labels must lie in [0, 1]")


@pytest.mark.parametrize("entry", WITH_Y)
@pytest.mark.parametrize("row,words", [([0.5, 0.0, 0.0], "Y[1] sums to 0.5"),
                                       ([1.0, 1.0, 0.0], "Y[1] sums to 2.0"),
                                       ([0.0, 0.0, 0.0], "Y[1] sums to 0.0"),
                                       ([1.5, -0.5, 0.0], "Y[1][1] is -0.5, but cross-entropy targets must be >= 0")])
def test_cross_entropy_row_not_a_distribution_refused(entry, row, words):
    net = tb.Network([3, 4, 3], output="softmax", loss="cross_entropy")
    op, f = call(entry, net, good_X(), [[0.0, 1.0, 0.0], row])
    msg = refused(f, op + ":", words)
    if "sums" in words:
        assert "probability distribution" in msg


@pytest.mark.parametrize("entry", WITH_Y)
def test_cross_entropy_with_sigmoid_outputs_also_needs_distributions(entry):
    net = tb.Network([3, 2], output="sigmoid", loss="cross_entropy")
    op, f = call(entry, net, good_X(), [[1.0, 0.0], [1.0, 1.0]])
    refused(f, op + ":", "Y[1] sums to 2.0")


# -- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,words", [
    (dict(hidden="sigmod"), "Network: unknown hidden activation 'sigmod'; choose one of: identity, relu, sigmoid, tanh"),
    (dict(hidden="Tanh"), "names are lower case: 'tanh'"),
    (dict(hidden=None), "Network: unknown hidden activation None"),
    (dict(hidden=["tanh"]), "Network: unknown hidden activation ['tanh']"),
    (dict(output="softmx"), "Network: unknown output activation 'softmx'; choose one of: identity, sigmoid, softmax"),
    (dict(output="relu"), "Network: unknown output activation 'relu' (relu is for hidden layers only)"),
    (dict(output=1), "Network: unknown output activation 1"),
    (dict(loss="mse"), "Network: unknown loss 'mse'; choose one of: bce, cross_entropy, squared_error"),
    (dict(loss={"name": "bce"}), "Network: unknown loss {'name': 'bce'}"),
])
def test_unknown_activation_or_loss_name_refused(kwargs, words):
    refused(lambda: tb.Network([3, 2, 2], **kwargs), words)


def test_softmax_hidden_refused():
    refused(lambda: tb.Network([3, 4, 2], hidden="softmax", output="softmax", loss="cross_entropy"),
            "Network: hidden activation 'softmax' is not supported", "belongs on the output")


@pytest.mark.parametrize("kwargs,words", [
    (dict(output="identity", loss="bce"), "Network: loss 'bce' takes log(yhat) and log(1 - yhat)"),
    (dict(output="identity", loss="cross_entropy"), "Network: loss 'cross_entropy' takes log(yhat)"),
])
def test_output_and_loss_that_cannot_pair_refused(kwargs, words):
    refused(lambda: tb.Network([3, 2], **kwargs), words)


def test_softmax_with_one_output_refused():
    refused(lambda: tb.Network([3, 1], output="softmax", loss="cross_entropy"),
            "Network: output 'softmax' needs at least 2 output neurons")


@pytest.mark.parametrize("sizes,words", [
    ([4], "at least 2 layer widths"), ([], "at least 2 layer widths"), ("4,3,1", "got '4,3,1'"),
    (None, "got None"), ([4, 0, 1], "sizes[1] is 0"), ([4, -3, 1], "sizes[1] is -3"),
    ([4, 2.0, 1], "sizes[1] is 2.0"), ([4, True, 1], "sizes[1] is True"), ([4, "3", 1], "sizes[1] is '3'"),
])
def test_bad_layer_sizes_refused(sizes, words):
    refused(lambda: tb.Network(sizes), "Network:", words)


@pytest.mark.parametrize("seed", [1.5, "0", None, True])
def test_bad_seed_refused(seed):
    refused(lambda: tb.Network([2, 1], seed=seed), "Network: seed must be an int")


# -- weights -------------------------------------------------------------------------------------

def test_W_of_the_wrong_shape_refused():
    net = net3()
    refused(lambda: net.W.__setitem__(1, [[0.0, 0.0, 0.0]] * 2),
            "net.W[1]: W^[1] must be 3x2 for sizes [3, 2, 1], got 2x3")
    refused(lambda: net.W.__setitem__(2, [[0.0, 0.0]]), "net.W[2]: W^[2] must be 2x1", "got 1x2")


def test_b_of_the_wrong_shape_refused():
    net = net3()
    refused(lambda: net.b.__setitem__(1, [[0.0], [0.0]]), "net.b[1]: b^[1] must be 1x2", "got 2x1")
    refused(lambda: net.b.__setitem__(2, [0.5]), "net.b[2]: b^[2][0] must be a row", "[[x1, x2, ...]]")


@pytest.mark.parametrize("bad,words", [
    ([[0.1, 0.2], [0.3]], "W^[1] is ragged: row 0 has 2 entries but row 1 has 1"),
    ([], "W^[1] is empty"),
    ([[0.1, 0.2], [0.3, NAN], [0.0, 0.0]], "W^[1][1][1] is nan"),
    ([[0.1, 0.2], [0.3, INF], [0.0, 0.0]], "W^[1][1][1] is inf"),
    ([[0.1, "x"], [0.3, 0.4], [0.0, 0.0]], "W^[1][0][1] is 'x' (str)"),
    ([[0.1, None], [0.3, 0.4], [0.0, 0.0]], "W^[1][0][1] is None"),
    ([[0.1, [0.2]], [0.3, 0.4], [0.0, 0.0]], "W^[1][0][1] is [0.2] (list)"),
])
def test_W_assignment_with_bad_values_refused(bad, words):
    net = net3()
    before = copy.deepcopy(net.W[1])
    refused(lambda: net.W.__setitem__(1, bad), "net.W[1]:", words)
    assert net.W[1] == before  # a refused assignment changes nothing


@pytest.mark.parametrize("l,words", [(0, "net.W[0]: layer 0 is the input and has no weights"),
                                     (3, "net.W[3]: this network has layers 1 to 2"),
                                     ("1", "net.W['1']: a layer number must be an int from 1 to 2"),
                                     (1.0, "net.W[1.0]: a layer number must be an int"),
                                     (slice(1, 2), "a layer number must be an int")])
def test_W_layer_number_refused(l, words):
    net = net3()
    refused(lambda: net.W[l], words)
    refused(lambda: net.W.__setitem__(l, [[0.0, 0.0]] * 3), words)


def test_replacing_W_or_b_as_a_whole_refused():
    net = net3()
    refused(lambda: setattr(net, "W", [[[0.0, 0.0]] * 3, [[0.0], [0.0]]]),
            "Network: net.W cannot be replaced as a whole", "net.W[l] =")
    refused(lambda: setattr(net, "b", []), "Network: net.b cannot be replaced as a whole")


@pytest.mark.parametrize("entry", ALL)
def test_weights_edited_in_place_to_the_wrong_shape_refused(entry):
    net = net3()
    net.W[1].append([0.0, 0.0])  # bypasses the check on assignment
    op, f = call(entry, net, good_X(), good_Y())
    refused(f, op + ":", "net.W[1] is 4x2 but must be 3x2 for sizes [3, 2, 1]")
    net = net3()
    net.b[2][0].append(0.0)
    op, f = call(entry, net, good_X(), good_Y())
    refused(f, op + ":", "net.b[2] is 1x2 but must be 1x1")


@pytest.mark.parametrize("entry", ALL)
def test_weights_edited_in_place_to_nan_refused(entry):
    net = net3()
    net.W[2][1][0] = NAN
    op, f = call(entry, net, good_X(), good_Y())
    refused(f, op + ":", "net.W[2][1][0] is nan")


@pytest.mark.parametrize("entry", sorted(set(ALL) - {"predict", "loss_value"}))  # (methods of a Network)
def test_net_that_is_not_a_network_refused(entry):
    for net, kind in ((None, "NoneType"), ([3, 2, 1], "list"), ("net", "str")):
        op, f = call(entry, net, good_X(), good_Y())
        refused(f, op + ": net must be a Network", "got " + kind)


# -- hyperparameters -------------------------------------------------------------------------------

@pytest.mark.parametrize("lr", [0, 0.0, -0.1, NAN, INF, "0.1", None, True, 10 ** 400])
def test_non_positive_learning_rate_refused(lr):
    refused(lambda: training.train(net3(), good_X(), good_Y(), epochs=1, lr=lr, batch_size=2),
            "train: lr (the learning rate alpha) must be a finite number > 0")


@pytest.mark.parametrize("epochs", [0, -1, 2.5, "3", None, True])
def test_non_positive_epochs_refused(epochs):
    refused(lambda: training.train(net3(), good_X(), good_Y(), epochs=epochs, lr=0.1, batch_size=2),
            "train: epochs must be an int >= 1")


@pytest.mark.parametrize("batch_size", [0, -4, 1.0, "2", None, False])
def test_non_positive_batch_size_refused(batch_size):
    refused(lambda: training.train(net3(), good_X(), good_Y(), epochs=1, lr=0.1, batch_size=batch_size),
            "train: batch_size must be an int >= 1")


@pytest.mark.parametrize("path", ["matrix", None, ["vectorized"]])
def test_unknown_training_path_refused(path):
    refused(lambda: training.train(net3(), good_X(), good_Y(), epochs=1, path=path),
            "train: path must be 'vectorized', 'per_neuron' or 'graph'")


def test_validation_data_refused_like_training_data():
    refused(lambda: training.train(net3(), good_X(), good_Y(), epochs=1, X_val=good_X()),
            "train: give both X_val and Y_val")
    refused(lambda: training.train(net3(), good_X(), good_Y(), epochs=1, X_val=good_X(), Y_val=[[1.0], [3.0]]),
            "train (validation data): Y[1][0] is 3.0, but bce labels must lie in [0, 1]")


@pytest.mark.parametrize("name,value", [("h", 0.0), ("h", -1e-5), ("tol", 0), ("paths_tol", NAN), ("tol", "1e-6"),
                                        ("h", INF), ("h", 10 ** 400), ("tol", True)])
def test_non_positive_gradient_check_step_or_tolerance_refused(name, value):
    refused(lambda: gradcheck.check(net3(), good_X(), good_Y(), **{name: value}),
            "check: %s must be a finite number > 0" % name)
    if name == "h":
        refused(lambda: gradcheck.numerical_gradients(net3(), good_X(), good_Y(), h=value),
                "numerical_gradients: h must be a finite number > 0")


def test_gradient_comparisons_refuse_mismatched_input():
    refused(lambda: gradcheck.relative_error([[1.0, 2.0]], [[1.0], [2.0]]),
            "relative_error: shapes 1x2 and 2x1 differ")
    refused(lambda: gradcheck.relative_error([[1.0]], [[1.0]], floor=-1.0), "relative_error: floor must be")
    refused(lambda: gradcheck.relative_error([], [[1.0]]), "relative_error: A is empty")
    g = vectorized.backward(net3(), good_X(), good_Y())
    refused(lambda: gradcheck.compare(g, None), "compare: g2 must be Gradients")
    other = vectorized.backward(tb.Network([3, 1]), good_X(), good_Y())
    refused(lambda: gradcheck.compare(g, other), "compare: g1 has 2 layers but g2 has 1")


# -- the matrix helpers -----------------------------------------------------------------------------

ONE_MATRIX = {
    "shape": tb.shape, "copy": tb.copy, "transpose": tb.transpose, "colsum": tb.colsum,
    "scale": lambda A: tb.scale(A, 2.0), "apply": lambda A: tb.apply(abs, A),
    "matmul": lambda A: tb.matmul(A, [[1.0], [1.0]]), "hadamard": lambda A: tb.hadamard(A, [[1.0, 1.0]] * 2),
    "add": lambda A: tb.add(A, [[1.0, 1.0]]), "subtract": lambda A: tb.subtract(A, [[1.0, 1.0]] * 2),
}
BAD_MATRICES = [
    ([[1.0, 2.0], [3.0]], "A is ragged: row 0 has 2 entries but row 1 has 1"),
    ([], "A is empty"),
    ([[], []], "A[0] is empty"),
    ([[1.0, 2.0], [3.0, "4"]], "A[1][1] is '4' (str), not a number"),
    ([[1.0, None], [3.0, 4.0]], "A[0][1] is None (NoneType), not a number"),
    ([[1.0, 2.0], [[3.0], 4.0]], "A[1][0] is [3.0] (list), not a number"),
    ([[1.0, 2.0], [3.0, False]], "A[1][1] is False (bool), not a number"),
    ([[1.0, 2.0], [NAN, 4.0]], "A[1][0] is nan; only finite numbers are allowed"),
    ([[1.0, -INF], [3.0, 4.0]], "A[0][1] is -inf; only finite numbers are allowed"),
    ([1.0, 2.0], "A[0] must be a row"),
    ("1,2", "A must be a list of rows"),
]


@pytest.mark.parametrize("op", sorted(ONE_MATRIX))
@pytest.mark.parametrize("bad,words", BAD_MATRICES,
                         ids=["ragged", "empty", "empty-row", "str", "None", "nested", "bool", "nan", "inf",
                              "flat", "text"])
def test_matrix_helper_refuses_bad_matrix(op, bad, words):
    if "bool" in words and op != "shape":
        # an arithmetic helper checks shapes, then runs its loop: a bool there is the number 0 or 1, as in
        # Python (the loop cannot tell it from an int); shape() and every boundary look at each entry
        assert ONE_MATRIX[op](bad) == ONE_MATRIX[op]([[1.0, 2.0], [3.0, 0]])
        return
    if "only finite numbers" in words and op != "shape":
        # NaN and infinities are numbers to the helpers (IEEE arithmetic); the entry points refuse them
        ONE_MATRIX[op](bad)
        return
    refused(lambda: ONE_MATRIX[op](bad), op + ": " + words)


@pytest.mark.parametrize("op,call_,words", [
    ("matmul", lambda: tb.matmul([[1.0, 2.0]], [[1.0, 2.0]]), "matmul: cannot multiply 1x2 by 1x2 (inner sizes 2 and 1 differ)"),
    ("hadamard", lambda: tb.hadamard([[1.0, 2.0]], [[1.0], [2.0]]), "hadamard: shapes 1x2 and 2x1 differ"),
    ("subtract", lambda: tb.subtract([[1.0, 2.0]], [[1.0, 2.0, 3.0]]), "subtract: shapes 1x2 and 1x3 differ"),
    ("add", lambda: tb.add([[1.0, 2.0]], [[1.0, 2.0, 3.0]]), "add: cannot add 1x2 and 1x3"),
    ("matmul B", lambda: tb.matmul([[1.0]], [[1.0], [2.0, 3.0]]), "matmul: B is ragged"),
])
def test_matrix_helper_refuses_mismatched_shapes(op, call_, words):
    refused(call_, words)


def test_matrix_helper_refuses_bad_scalars_and_functions():
    for c, shown in ((NAN, "nan"), (INF, "inf"), ("2", "'2'"), (None, "None"), (True, "True"), (10 ** 400, "1000")):
        refused(lambda: tb.scale([[1.0]], c), "scale: c must be a finite number, got " + shown)
    refused(lambda: tb.apply("abs", [[1.0]]), "apply: f must be a function, got str")
    for m in (0, -1, 2.0, "3", True):
        refused(lambda: tb.zeros(m, 2), "zeros: m must be an int >= 1")


def test_outer_refuses_bad_vectors():
    refused(lambda: tb.outer([[1.0], [2.0]], [1.0]), "outer: u must be a vector (a flat list or a 1 x n row), got 2x1")
    refused(lambda: tb.outer([1.0, NAN], [1.0]), "outer: u[0][1] is nan")
    refused(lambda: tb.outer([1.0], []), "outer: v[0] is empty")
    refused(lambda: tb.outer([1.0], "ab"), "outer: v must be a list of rows")


def saved(tmp_path, edit=None, text=None, name="net.json"):
    """Write a good network's file, optionally edited (as data) or replaced (as text)."""
    p = str(tmp_path / name)
    d = net3().to_dict()
    if edit:
        edit(d)
    with open(p, "w") as f:
        f.write(text if text is not None else json.dumps(d))
    return p


def test_a_good_file_loads(tmp_path):
    assert tb.Network.load(saved(tmp_path)).W[1] == net3().W[1]


@pytest.mark.parametrize("edit,words", [
    (lambda d: d["W"].__setitem__(0, [[0.1, 0.2], [0.3]]), "W^[1] is ragged: row 0 has 2 entries but row 1 has 1"),
    (lambda d: d["W"].__setitem__(0, []), "W^[1] is empty"),
    (lambda d: d["W"][1][0].__setitem__(0, "0.5"), "W^[2][0][0] is '0.5' (str), not a number"),
    (lambda d: d["W"][1][0].__setitem__(0, None), "W^[2][0][0] is None"),
    (lambda d: d["W"][1][0].__setitem__(0, [0.5]), "W^[2][0][0] is [0.5] (list)"),
    (lambda d: d["b"][0][0].__setitem__(1, NAN), "b^[1][0][1] is nan"),
    (lambda d: d["b"][0][0].__setitem__(1, INF), "b^[1][0][1] is inf"),
    (lambda d: d["W"].__setitem__(1, [[0.5, 0.5]]), "net.W[2]: W^[2] must be 2x1 for sizes [3, 2, 1], got 1x2"),
    (lambda d: d.__setitem__("sizes", [4, 2, 1]), "net.W[1]: W^[1] must be 4x2"),
    (lambda d: d["W"].pop(), "field 'W' must be a list of 2 matrices"),
    (lambda d: d.__setitem__("hidden", "swish"), "Network: unknown hidden activation 'swish'"),
    (lambda d: d.__setitem__("hidden", "softmax"), "Network: hidden activation 'softmax' is not supported"),
    (lambda d: d.__setitem__("output", "tanh"), "Network: unknown output activation 'tanh'"),
    (lambda d: d.__setitem__("loss", "hinge"), "Network: unknown loss 'hinge'"),
    (lambda d: d.pop("b"), "field 'b' is missing"),
    (lambda d: d.__setitem__("format", "keras"), "not a tinybackprop network (field 'format' is 'keras'"),
    (lambda d: d.__setitem__("version", 2), "unsupported format version 2"),
    (lambda d: d.__setitem__("version", True), "unsupported format version True"),
], ids=["ragged", "empty", "str", "None", "nested", "nan", "inf", "W-shape", "sizes", "layers", "hidden",
        "softmax-hidden", "output", "loss", "missing", "format", "version", "version-bool"])
def test_load_refuses_a_malformed_file(tmp_path, edit, words):
    p = saved(tmp_path, edit)
    refused(lambda: tb.Network.load(p), "load: " + p, words)
    with open(p) as f:
        d = json.load(f)
    refused(lambda: tb.Network.from_dict(d), "from_dict:", words)


@pytest.mark.parametrize("text,words", [
    ("", "is not valid JSON (truncated or corrupt?)"),
    ('{"format": "tinybackprop-network", "ver', "is not valid JSON (truncated or corrupt?)"),
    ("not json", "is not valid JSON"),
    ("[1, 2, 3]", "expected a JSON object with the network, got list"),
    ("null", "expected a JSON object with the network, got NoneType"),
    ("[" * 100000 + "]" * 100000, "nested too deeply"),
], ids=["empty", "truncated", "text", "list", "null", "deep"])
def test_load_refuses_a_corrupt_or_truncated_file(tmp_path, text, words):
    p = saved(tmp_path, text=text)
    refused(lambda: tb.Network.load(p), "load: " + p, words)


def test_load_refuses_a_truncated_saved_network(tmp_path):
    p = str(tmp_path / "net.json")
    net3().save(p)
    with open(p) as f:
        text = f.read()
    for cut in range(0, len(text) - 2, max(1, len(text) // 40)):  # every prefix length, in 40 steps
        with open(p, "w") as f:
            f.write(text[:cut])
        refused(lambda: tb.Network.load(p), "load: " + p)


def test_load_refuses_a_binary_file(tmp_path):
    p = str(tmp_path / "net.json")
    with open(p, "wb") as f:
        f.write(bytes(range(128, 256)) * 4)
    refused(lambda: tb.Network.load(p), "load: " + p)


def test_load_refuses_a_missing_file_or_a_folder(tmp_path):
    missing = str(tmp_path / "nope.json")
    refused(lambda: tb.Network.load(missing), "load: cannot read " + missing)
    refused(lambda: tb.Network.load(str(tmp_path)), "load: cannot read " + str(tmp_path))
    for bad in (None, "", 3, ["net.json"]):
        refused(lambda: tb.Network.load(bad), "load: path must be a file name")


def test_save_refuses_a_bad_path_or_bad_weights(tmp_path):
    net = net3()
    where = str(tmp_path / "no-such-folder" / "net.json")
    refused(lambda: net.save(where), "save: cannot write " + where)
    assert not os.path.exists(os.path.dirname(where))
    refused(lambda: net.save(str(tmp_path)), "save: cannot write")
    assert os.listdir(str(tmp_path)) == []  # no temporary file left behind
    for bad in (None, "", 3):
        refused(lambda: net.save(bad), "save: path must be a file name")
    net.W[1][0][0] = NAN  # edited in place: saving would write a file nobody can load
    refused(lambda: net.save(str(tmp_path / "nan.json")), "save: net.W[1][0][0] is nan")
    assert not os.path.exists(str(tmp_path / "nan.json"))


# -- the generator ------------------------------------------------------------------------------------

def test_generator_refuses_bad_arguments():
    r = tb.Random(0)
    refused(lambda: tb.Random(1.5), "Random: seed must be an int")
    refused(lambda: r.uniform(0.0, INF), "uniform: a and b must be numbers")
    refused(lambda: r.uniform("0", 1.0), "uniform: a and b must be numbers")
    refused(lambda: r.uniform(0, 10 ** 400), "uniform: a and b must be numbers")
    refused(lambda: r.randbelow(0), "randbelow: n must be an int >= 1")
    refused(lambda: r.shuffle((1, 2, 3)), "shuffle: x must be a list", "got tuple")


# -- messages never fail themselves ---------------------------------------------------------------------

def test_messages_survive_values_too_big_to_print():
    huge = -10 ** 5000  # more digits than str() allows
    refused(lambda: tb.Network([3, huge, 1]), "Network: sizes[1] is an int of 16610 bits")
    refused(lambda: tb.zeros(huge, 1), "zeros: m must be an int >= 1, got an int of")
    refused(lambda: net3().W[huge], "net.W[an int of")
    long_name = "x" * 10000
    msg = refused(lambda: tb.Network([2, 1], hidden=long_name), "Network: unknown hidden activation 'xxx")
    assert len(msg) < 300


def test_a_missing_Y_is_refused_by_every_entry_point_that_takes_Y():
    """Y=None must not pass the boundary check as 'no targets' (the fuzz found it reaching
    the backward pass's arithmetic)."""
    from tinybackprop import gradcheck, per_neuron, training, vectorized
    net, X = tb.Network([2, 1]), [[0.5, -0.5]]
    for name, fn in (("per_neuron.backward", per_neuron.backward), ("vectorized.backward", vectorized.backward),
                     ("loss_value", net.loss_value), ("numerical_gradients", gradcheck.numerical_gradients),
                     ("check", gradcheck.check), ("term_sizes", gradcheck.term_sizes),
                     ("accuracy", training.accuracy)):
        args = (X, None) if name == "loss_value" else (net, X, None)
        refused(lambda: fn(*args), name + ": Y")


def test_the_log_of_an_output_that_is_no_probability_is_refused():
    from tinybackprop import losses
    for f in (losses.log_yhat, losses.log_outputs):
        with pytest.raises(tb.BackpropError, match="no probabilities"):
            f([0.0, 1.0], "identity")
    # softmax and sigmoid are computed as they are, not one as the other
    assert losses.log_yhat([0.0, 1.0], "sigmoid") != losses.log_yhat([0.0, 1.0], "softmax")


@pytest.mark.parametrize("call", ["accuracy", "predict", "loss_value"])
def test_each_entry_point_checks_its_input_once(monkeypatch, call):
    from conftest import count_checks

    from tinybackprop import training
    net = tb.Network([3, 2, 1], seed=0)
    x, y = [0.1, 0.2, 0.3], [1.0]
    seen = count_checks(monkeypatch)
    {"accuracy": lambda: training.accuracy(net, [x], [y]), "predict": lambda: net.predict([x]),
     "loss_value": lambda: net.loss_value([x], [y])}[call]()
    assert seen.count("X") == 1, seen
    assert seen.count("Y") == (0 if call == "predict" else 1), seen
