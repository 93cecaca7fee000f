"""What a saved model predicts for raw inputs: the preparation its file records, applied.

=================================  ===================================================
``preparation(net, data)``         a model file's ``data`` section, checked, as what
                                   prediction needs: the input statistics, a
                                   regression's target statistics, the names
``predictions(net, rows, data)``   what ``tinybackprop predict`` gives for raw rows:
                                   the outputs (in the target's units for regression)
                                   and the class names
=================================  ===================================================

>>> from tinybackprop import Network
>>> net = Network([1, 2], output="softmax", loss="cross_entropy"); net.W[1] = [[1.0, -1.0]]
>>> predictions(net, [[3.0]], {"standardize": {"mean": [1.0], "std": [2.0]}, "classes": ["no", "yes"]})[1]
['no']
"""


def preparation(net, data, op="preparation"):
    """What prediction needs from a model file's ``data`` section (checked as the CLI
    checks it; ``op`` starts the messages): ``mean``, ``std`` (inputs), ``target_mean``,
    ``target_std`` (a regression's outputs), each a list of floats or None, and the names
    ``features``, ``classes``, ``target`` (or None).

    >>> from tinybackprop import Network
    >>> p = preparation(Network([2, 1]), {"standardize": {"mean": [1, 2], "std": [0.5, 4]}})
    >>> p["mean"], p["std"], p["target_mean"], p["classes"]
    ([1.0, 2.0], [0.5, 4.0], None, None)
    """
    if data is None:
        data = {}
    from ..cli.model_data import check_model_data  # the ONE check of a model file's data section
    check_model_data(data, net, op)
    std = data.get("standardize") or {}
    target = data.get("target_standardize") or {}

    def floats(values):
        return None if values is None else [float(v) for v in values]

    return {"mean": floats(std.get("mean")), "std": floats(std.get("std")),
            "target_mean": floats(target.get("mean")), "target_std": floats(target.get("std")),
            "features": data.get("features"), "classes": data.get("classes"), "target": data.get("target")}


def predictions(net, rows, data=None, op="predict"):
    """``(values, classes)`` for raw ``rows`` as ``tinybackprop predict --json`` gives
    them: each row standardised with ``data["standardize"]`` (x' = (x - mean) / std), then
    the network's outputs yhat, a row of them per row (``"outputs"``), or for a regression
    with a standardised target one number per row in the target's units, yhat std + mean
    (``"predictions"``); and the class name each row predicts (``"classes"``: None where
    the model has no classes).  What an exported script's ``predict`` and ``classify``
    give.

    >>> from tinybackprop import Network
    >>> net = Network([1, 1], output="identity", loss="squared_error"); net.W[1] = [[2.0]]
    >>> predictions(net, [[3.0]], {"standardize": {"mean": [1.0], "std": [4.0]}, "kind": "regression",
    ...                          "target_standardize": {"mean": [10.0], "std": [100.0]}})
    ([110.0], [None])
    """
    from ..datasets import Standardizer
    from ..training import predicted_class
    p = preparation(net, data, op)
    net.check_X(rows, op)
    X = rows
    if p["mean"] is not None:
        X = Standardizer(p["mean"], p["std"]).transform(rows)         # x' = (x - mean) / std
    outputs = values = net.predict(X)
    if p["target_mean"] is not None:
        target = Standardizer(p["target_mean"], p["target_std"])
        values = [target.inverse([yhat])[0][0] for yhat in outputs]      # yhat std + mean
    if p["classes"] is None or net.phi_o.name == "identity":
        return values, [None] * len(values)
    return values, [p["classes"][predicted_class(y)] for y in outputs]
