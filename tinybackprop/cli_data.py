"""What the command line does with data sets: metrics, the model file's ``data`` section, rows to predict.

``tinybackprop train --save`` stores, beside the network, how its inputs were
prepared and what its outputs mean, as the JSON object ``"data"`` (all keys
optional, so older model files still load; each one is checked on load by
:func:`check_data`):

=======================  =================================================================
``dataset``              ``"iris"``, ``"xor"``, ``"digits"`` or ``"csv"``
``task``                 a one-line description (``"handwritten digits, ..."``)
``kind``                 ``"classification"`` or ``"regression"``
``classes``              class names, one per output (two for a single sigmoid output:
                         ``[class 0, class 1]``); null for regression
``standardize``          ``{"mean": [...], "std": [...]}``, one entry per input: x' = (x - mean) / std
``features``             the input names, in the order the network takes them
``target``               the CSV column the network predicts
``target_standardize``   regression: ``{"mean": [m], "std": [s]}``; a prediction is yhat s + m
``split``                ``{"seed": int, "test_fraction": float}``: the train/test split
=======================  =================================================================

>>> confusion([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
[[1, 0], [1, 1]]
"""
import math

from . import datasets as ds
from .errors import BackpropError, show
from .training import argmax

KINDS = ("classification", "regression")


# -- metrics ---------------------------------------------------------------------------------

def predicted_class(yhat):
    """The class an output row stands for: yhat >= 0.5 for one output, else the argmax.

    >>> predicted_class([0.7]), predicted_class([0.1, 0.6, 0.3])
    (1, 1)
    """
    if len(yhat) == 1:
        return 1 if yhat[0] >= 0.5 else 0
    return argmax(yhat)


def confusion(Yhat, Y):
    """Counts C[i][j] of the rows whose true class is i and whose predicted class is j."""
    k = max(2, len(Y[0]))
    C = [[0] * k for _ in range(k)]
    for yhat, y in zip(Yhat, Y):
        C[predicted_class(y)][predicted_class(yhat)] += 1
    return C


def format_confusion(C, classes):
    """The confusion matrix as text: one row per true class, one column per prediction.

    >>> print(format_confusion([[5, 1], [0, 4]], ["cat", "dog"]))
    true \\ predicted  cat  dog
                 cat    5    1
                 dog    0    4
    """
    names = [str(c) for c in classes]
    width = max([len(n) for n in names] + [len(str(v)) for row in C for v in row] + [3])
    corner = "true \\ predicted"
    left = max([len(corner)] + [len(n) for n in names])
    lines = [corner.ljust(left) + "".join("  " + n.rjust(width) for n in names)]
    for name, row in zip(names, C):
        lines.append(name.rjust(left) + "".join("  " + str(v).rjust(width) for v in row))
    return "\n".join(lines)


def regression_metrics(y_pred, y_true):
    """RMSE and R^2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2 of two lists of numbers
    (R^2 is None when all the true values are equal).

    >>> regression_metrics([2.0, 4.0], [1.0, 5.0])  # errors 1 and 1; spread 2 either side of 3
    (1.0, 0.75)
    """
    n = len(y_true)
    mean = sum(y_true) / n
    ss_res = sum((y - p) ** 2 for p, y in zip(y_pred, y_true))
    ss_tot = sum((y - mean) ** 2 for y in y_true)
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else None  # undefined when every y is the same
    return math.sqrt(ss_res / n), r2


# -- the model file's data section -------------------------------------------------------------

def data_section(task, seed, test_fraction):
    """The ``data`` object ``train --save`` writes beside the network."""
    d = {
        "dataset": task.name, "task": task.description, "kind": task.kind, "classes": task.classes,
        "standardize": task.standardizer.to_dict() if task.standardizer else None,
        "features": task.features,
    }
    if task.name in ("digits", "csv"):
        d["split"] = {"seed": seed, "test_fraction": test_fraction}
    if task.target is not None:
        d["target"] = task.target
    if task.target_standardizer is not None:
        d["target_standardize"] = task.target_standardizer.to_dict()
    return d


def check_data(extra, net, source):
    """Check the keys of a model file's ``data`` section that training on the digits or
    on a CSV file adds (``kind``, ``target``, ``target_standardize``, ``split``) against
    its network; raise BackpropError naming the field.  The keys every model has
    (``classes``, ``features``, ``standardize``, ...) are checked by the CLI's
    ``check_model_data``, which calls this.  Returns ``extra``.

    >>> from tinybackprop import Network
    >>> check_data({"kind": "clustering"}, Network([2, 2]), "m.json")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: m.json: field 'data'.'kind' must be 'classification' or 'regression', got 'clustering'
    """
    n_out = net.sizes[-1]
    if extra.get("target") is not None and not isinstance(extra["target"], str):
        raise BackpropError("%s: field 'data'.'target' must be a string, got %s" % (source, show(extra["target"])))
    kind = extra.get("kind")
    if kind is not None and kind not in KINDS:
        raise BackpropError("%s: field 'data'.'kind' must be 'classification' or 'regression', got %s"
                            % (source, show(kind)))
    if extra.get("classes") is not None and kind == "regression":
        raise BackpropError("%s: field 'data'.'classes' must be null for a regression model" % source)
    ts = extra.get("target_standardize")
    if ts is not None:
        if kind != "regression":
            raise BackpropError("%s: field 'data'.'target_standardize' belongs to a regression model only" % source)
        try:
            s = ds.Standardizer.from_dict(ts)
        except (BackpropError, TypeError, AttributeError, KeyError) as e:
            raise BackpropError("%s: field 'data'.'target_standardize': %s" % (source, e if isinstance(e, BackpropError)
                                                                             else "expected {'mean': [...], 'std': [...]}"))
        if len(s.mean) != n_out or len(s.std) != n_out or not all(
                x == x and abs(x) != float("inf") for x in s.mean + s.std) or not all(x > 0 for x in s.std):
            raise BackpropError("%s: field 'data'.'target_standardize' must hold %d finite mean(s) and "
                                "standard deviation(s) > 0" % (source, n_out))
    split = extra.get("split")
    if split is not None:
        seed = split.get("seed") if isinstance(split, dict) else None
        frac = split.get("test_fraction") if isinstance(split, dict) else None
        if not isinstance(seed, int) or isinstance(seed, bool) or not isinstance(frac, (int, float)) \
                or isinstance(frac, bool) or not 0 < frac < 1:
            raise BackpropError("%s: field 'data'.'split' must be {'seed': int, 'test_fraction': number in (0, 1)}, "
                                "got %s" % (source, show(split)))
    return extra
