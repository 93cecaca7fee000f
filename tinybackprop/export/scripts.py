"""The text of a self-contained script: a tinybackprop model in PyTorch or NumPy.

==================================  ===================================================
``script(net, to, rows, data)``     the script ``tinybackprop export`` writes: the
                                    model inline, ``predict`` and ``classify`` on raw
                                    inputs, and a check of its own predictions
``literal(value)``                  the one way a script holds data: Python source that
                                    evaluates to exactly ``value``
==================================  ===================================================

Every string a user chose (the model file's name, the class, feature and target names)
reaches a script only through :func:`literal`, as the value of an assignment: never in
the docstring, a comment or code, so whatever it holds, it stays data.

>>> import ast
>>> from tinybackprop import Network
>>> text = script(Network([2, 1], seed=0), "numpy", [[0.5, -0.5]], source="m.json")
>>> ast.parse(text) is not None and "def predict(rows):" in text
True
"""
from ..errors import BackpropError, show
from ..network import check_network
from .prediction import predictions, preparation

#: The largest difference an exported script accepts between its predictions and
#: tinybackprop's, relative to the larger of the two (and to the output's unit: 1, or
#: a regression target's standard deviation, for values near 0).  Float64 on both
#: sides: only the order of the sums differs.
SCRIPT_TOLERANCE = 1e-9
TARGETS = ("torch", "numpy")

_DOC = '''#!/usr/bin/env python3
"""A tinybackprop model, the network %(sizes)s (hidden %(hidden)s, output %(output)s, loss %(loss)s), in %(what)s.

Written by `tinybackprop export --to %(to)s` from the model file named in SOURCE.
It needs only %(what)s, not tinybackprop.

    predict(rows)    what `tinybackprop predict --json` gives for raw inputs, one
                     example per row, in the order of FEATURES: each row prepared as
                     in training, x' = (x - MEAN) / STD, then the forward pass; the
                     outputs yhat, a row of them per row ("outputs"), or for a
                     regression one number per row in the units of TARGET,
                     yhat * TARGET_STD + TARGET_MEAN ("predictions").  MEAN, STD,
                     TARGET_MEAN, TARGET_STD are None where the model file records
                     no such step.
    classify(rows)   the name of the class each row predicts (CLASSES; "classes")
    outputs(rows)    yhat, the network's outputs, as an array

Run it: it predicts the rows in ROWS, prints the predictions and checks them against
EXPECTED, what `tinybackprop predict` computed for the same rows: exit status 1 if
any differs by more than TOLERANCE, relative to its size.

W[l - 1] is W^[l] of layer l, n_{l-1} x n_l (row i = input i, column j = neuron j);
B[l - 1] is b^[l], 1 x n_l; z = a W + b, with one example per row of a.
"""
import sys

'''

_TORCH_BODY = '''
ACTIVATION = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU,
              "identity": torch.nn.Identity, "softmax": lambda: torch.nn.Softmax(dim=1)}


def build():
    """The network as torch.nn.Sequential: Linear, activation, Linear, ...

    tinybackprop computes z = a W + b with W of shape n_in x n_out (rows are
    examples); nn.Linear computes x A^T + b and stores A as n_out x n_in. So each
    Linear gets A = W^T: the same numbers, transposed.
    """
    layers = []
    L = len(SIZES) - 1
    for l in range(1, L + 1):
        linear = torch.nn.Linear(SIZES[l - 1], SIZES[l], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(W[l - 1], dtype=torch.float64).T)   # A = W^T
            linear.bias.copy_(torch.tensor(B[l - 1][0], dtype=torch.float64))
        layers += [linear, ACTIVATION[HIDDEN if l < L else OUTPUT]()]
    return torch.nn.Sequential(*layers).eval()


MODEL = build()


def prepare(rows):
    """Raw inputs as the network takes them: x' = (x - MEAN) / STD, column by column."""
    x = torch.tensor(rows, dtype=torch.float64)
    if MEAN is not None:
        x = (x - torch.tensor(MEAN, dtype=torch.float64)) / torch.tensor(STD, dtype=torch.float64)
    return x


def outputs(rows):
    """yhat = a^[L], the network's outputs, for raw rows."""
    with torch.no_grad():
        return MODEL(prepare(rows))


def predict(rows):
    """The model's predictions for raw rows, as `tinybackprop predict` gives them."""
    yhat = outputs(rows)
    if TARGET_MEAN is not None:   # regression: one number per row, in the target's units
        yhat = yhat * torch.tensor(TARGET_STD, dtype=torch.float64) + torch.tensor(TARGET_MEAN, dtype=torch.float64)
        return yhat[:, 0].tolist()
    return yhat.tolist()
'''

_NUMPY_BODY = '''
def activation(name, z):
    if name == "sigmoid":
        e = np.exp(-np.abs(z))                            # never overflows
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))      # each row shifted by its maximum
        return e / e.sum(axis=1, keepdims=True)
    return z                                              # identity


def prepare(rows):
    """Raw inputs as the network takes them: x' = (x - MEAN) / STD, column by column."""
    x = np.array(rows, dtype=np.float64)
    if MEAN is not None:
        x = (x - np.array(MEAN)) / np.array(STD)
    return x


def outputs(rows):
    """yhat = a^[L], the network's outputs, for raw rows (z = a W + b, W n_in x n_out)."""
    a = prepare(rows)                                     # a^[0] = X, prepared
    L = len(SIZES) - 1
    for l in range(1, L + 1):
        z = a @ np.array(W[l - 1]) + np.array(B[l - 1])   # z^[l] = a^[l-1] W^[l] + b^[l]
        a = activation(HIDDEN if l < L else OUTPUT, z)    # a^[l] = phi(z^[l])
    return a


def predict(rows):
    """The model's predictions for raw rows, as `tinybackprop predict` gives them."""
    yhat = outputs(rows)
    if TARGET_MEAN is not None:   # regression: one number per row, in the target's units
        yhat = yhat * np.array(TARGET_STD) + np.array(TARGET_MEAN)
        return yhat[:, 0].tolist()
    return yhat.tolist()
'''

_MAIN = '''

def classify(rows):
    """The name of the class each raw row predicts (None for a model without classes):
    with one output, class 1 when yhat >= 0.5; with several, the largest output."""
    if CLASSES is None or OUTPUT == "identity":
        return [None] * len(rows)
    names = []
    for yhat in outputs(rows).tolist():
        k = (1 if yhat[0] >= 0.5 else 0) if len(yhat) == 1 else yhat.index(max(yhat))
        names.append(CLASSES[k])
    return names


def shown(text):
    """A name as it can be printed: escapes for what a terminal would act on."""
    return text if text.isprintable() else ascii(text)


def main():
    got, names = predict(ROWS), classify(ROWS)
    unit = TARGET_STD if TARGET_STD is not None else [1.0] * SIZES[-1]
    worst, bad = 0.0, len(got) != len(EXPECTED)
    for k, (row, want, name) in enumerate(zip(got, EXPECTED, names)):
        if TARGET_MEAN is not None:                       # one number per row
            row, want = [row], [want]
            shown_row = "%s = %.9g" % (shown(TARGET or "prediction"), row[0])
        else:
            shown_row = "yhat = [%s]" % ", ".join("%.6f" % v for v in row)
        print("row %d: %s%s" % (k, shown_row, "  ->  " + shown(name) if name is not None else ""))
        for u, v, s in zip(row, want, unit):
            diff = abs(u - v) / max(abs(u), abs(v), s)    # relative to the larger value
            bad = bad or not diff <= TOLERANCE            # (a NaN is never within it)
            worst = max(worst, diff) if diff == diff else float("inf")
    if bad:
        print("MISMATCH: these predictions differ from tinybackprop's by up to %.3g of their size (tolerance %g)"
              % (worst, TOLERANCE))
        return 1
    print("OK: %d rows agree with tinybackprop (largest relative difference %.3g, tolerance %g)"
          % (len(got), worst, TOLERANCE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''


def literal(value):
    """``value`` as Python source that evaluates to exactly it: the one way a generated
    script holds data.  Text goes through ``repr`` (quotes, backslashes, newlines and
    control characters escaped), numbers through ``repr(float(v))`` (finite only: a
    script has no name for NaN), lists item by item.

    >>> print(literal(["it's", "c\\\\N{x}", 1, None]))
    ["it's", 'c\\\\N{x}', 1.0, None]
    >>> name = chr(34) * 3 + "; import os"               # a string that ends a docstring
    >>> eval(literal(name)) == name
    True
    """
    if value is None:
        return "None"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BackpropError("export: cannot write %s into a script" % show(value))
    x = float(value)
    if x - x != 0.0:
        raise BackpropError("export: %r is not a finite number; a script cannot hold it" % x)
    return repr(x)


def _matrix_text(M, indent):
    return "[\n" + "".join("%s    %s,\n" % (indent, literal(list(row))) for row in M) + indent + "]"


def script(net, to, rows, data=None, source=None, expected=None):
    """The text of a self-contained Python script: the model inline (its
    weights, and from ``data``, a model file's data section, the preparation of
    its inputs and outputs and the names of its features and classes), its
    forward pass written with ``to`` ("torch" or "numpy"), ``predict(rows)`` and
    ``classify(rows)`` on raw inputs, and a ``main`` that prints the
    predictions for ``rows`` (raw inputs) and checks them against ``expected``
    (what :func:`predictions` gives when None), exiting with status 1 if any
    differs by more than ``SCRIPT_TOLERANCE``, relatively.  ``source`` (a model
    file's name) is kept as the script's ``SOURCE``.

    >>> import ast
    >>> from tinybackprop import Network
    >>> name = "m" + chr(34) * 3 + "\\\\N.json"          # a hostile file name
    >>> text = script(Network([2, 1], seed=0), "numpy", [[0.5, -0.5]], source=name)
    >>> tree = ast.parse(text); "import numpy as np" in text
    True
    >>> [ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "SOURCE"] == [name]
    True
    """
    op = "export"
    check_network(net, op)
    net.check_weights(op)
    if to not in TARGETS:
        raise BackpropError("%s: --to must be one of %s, got %s" % (op, ", ".join(TARGETS), show(to)))
    p = preparation(net, data, op)
    if expected is None:
        expected = predictions(net, rows, data, op)[0]
    net.check_X(rows, op)
    what = "PyTorch" if to == "torch" else "NumPy"
    head = _DOC % {"sizes": "-".join(str(int(n)) for n in net.sizes), "hidden": net.phi_h.name,
                   "output": net.phi_o.name, "loss": net.loss_fn.name, "what": what, "to": to}
    data_lines = [
        "", "",
        "SOURCE = %s  # the model file" % literal(source),
        "FEATURES = %s  # the inputs, in the order a row holds them (None: not named)" % literal(p["features"]),
        "CLASSES = %s  # the class each output stands for (one sigmoid output: [class 0, class 1])"
        % literal(p["classes"]),
        "TARGET = %s  # the column a regression predicts" % literal(p["target"]),
        "SIZES = %r" % [int(n) for n in net.sizes],
        "HIDDEN = %s" % literal(net.phi_h.name),
        "OUTPUT = %s" % literal(net.phi_o.name),
        "# the inputs as the network takes them: x' = (x - MEAN) / STD, one entry per input",
        "MEAN = %s" % literal(p["mean"]),
        "STD = %s" % literal(p["std"]),
        "# a regression's outputs in the target's units: yhat * TARGET_STD + TARGET_MEAN",
        "TARGET_MEAN = %s" % literal(p["target_mean"]),
        "TARGET_STD = %s" % literal(p["target_std"]),
        "TOLERANCE = %s" % literal(SCRIPT_TOLERANCE),
        "W = [",
    ]
    for l in range(1, net.L + 1):
        data_lines.append("    # W^[%d], %d x %d" % (l, net.sizes[l - 1], net.sizes[l]))
        data_lines.append("    " + _matrix_text(net.W[l], "    ") + ",")
    data_lines.append("]")
    data_lines.append("B = [")
    for l in range(1, net.L + 1):
        data_lines.append("    # b^[%d], 1 x %d" % (l, net.sizes[l]))
        data_lines.append("    " + _matrix_text(net.b[l], "    ") + ",")
    data_lines.append("]")
    data_lines.append("# raw inputs, one example per row, that main() predicts")
    data_lines.append("ROWS = " + _matrix_text(rows, ""))
    data_lines.append("# what `tinybackprop predict` gives for ROWS")
    if p["target_mean"] is not None:   # a regression's predictions: one number per row
        data_lines.append("EXPECTED = [\n" + "".join("    %s,\n" % literal(v) for v in expected) + "]")
    else:
        data_lines.append("EXPECTED = " + _matrix_text(expected, ""))
    body = _TORCH_BODY if to == "torch" else _NUMPY_BODY
    imports = "import torch\n" if to == "torch" else "import numpy as np\n"
    return head + imports + "\n".join(data_lines) + "\n" + body + _MAIN
