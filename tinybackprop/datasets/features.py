"""Input features of a point in the plane: what a network with 2-D data is given to look at.

A point is (x1, x2).  A network given only x1 and x2 has to build curved
boundaries from its hidden units; given x1^2 and x2^2 as well, a circle is a
straight cut in those inputs, and one layer (or none) is enough.  The names
below are what ``tinybackprop train --features`` and the playground take.

========================  ====================================================
``FEATURES``              the names, in the playground's order: x1, x2, x1sq,
                          x2sq, x1x2, sinx1, sinx2
``LABELS``                how each reads in mathematics (``x1sq``: x1^2)
``expand(X, names)``      the rows of X (points) as the named features
``check_features(names)`` the names as a list, or a BackpropError naming the
                          unknown one
========================  ====================================================

>>> expand([[2.0, 3.0]], ["x1", "x1sq", "x1x2"])
[[2.0, 4.0, 6.0]]
"""
import math

from ..errors import BackpropError, show

FEATURES = ("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")
LABELS = {"x1": "x1", "x2": "x2", "x1sq": "x1^2", "x2sq": "x2^2", "x1x2": "x1 x2", "sinx1": "sin(x1)",
          "sinx2": "sin(x2)"}


def _value(name, x1, x2):
    if name == "x1":
        return x1
    if name == "x2":
        return x2
    if name == "x1sq":
        return x1 * x1
    if name == "x2sq":
        return x2 * x2
    if name == "x1x2":
        return x1 * x2
    if name == "sinx1":
        return math.sin(x1)
    return math.sin(x2)


def check_features(names, op="features"):
    """``names`` as a new list, after checking it: a non-empty list of distinct names from ``FEATURES``.

    >>> check_features(["x1", "x2sq"])
    ['x1', 'x2sq']
    >>> check_features(["x1", "x3"], "train --features")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: train --features: the features are x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2, got 'x3'
    """
    if not isinstance(names, (list, tuple)) or not names:
        raise BackpropError("%s: give a non-empty list of features from %s, got %s"
                            % (op, ", ".join(FEATURES), show(names)))
    for name in names:
        if not isinstance(name, str) or name not in FEATURES:
            raise BackpropError("%s: the features are %s, got %s" % (op, ", ".join(FEATURES), show(name)))
    for k, name in enumerate(names):
        if name in names[:k]:
            raise BackpropError("%s: %s is named twice" % (op, name))
    return list(names)


def expand(X, names):
    """The points ``X`` (rows [x1, x2]) as rows of the features ``names``, in that order.

    >>> expand([[0.0, 1.0], [1.0, 0.0]], ["x2", "x1"])
    [[1.0, 0.0], [0.0, 1.0]]
    """
    names = check_features(names, "expand")
    if names == ["x1", "x2"]:
        return [list(row) for row in X]
    return [[_value(n, row[0], row[1]) for n in names] for row in X]
