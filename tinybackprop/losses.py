"""Losses of one example, each with its derivative right beside it.

A batch's loss is the mean of these over its rows (``[eq:loss.mean]``, in the
two paths).  Each loss takes what it uses: the squared error the outputs
``a^[L]`` (yhat) and the targets; the two cross entropies the output layer's
pre-activation ``z^[L]``, the targets and the output activation (log-sigmoid
and log-sum-exp), so they never take ``log(0)`` and stay finite for any finite
``z``, even when the output saturates at 0 or 1.  ``Loss.of_example`` hands
each the arguments it takes.
Equations on the site: docs/losses.md#eq-loss-bce and the other anchors ``eq-``
+ ID with dots as dashes.

===================  ===========================================  =====================
name                 L(yhat, y) for one example                   dL/dyhat_k
===================  ===========================================  =====================
``bce``              -sum [(1-y) log(1-yhat) + y log yhat]        (yhat - y) / (yhat (1 - yhat))
``squared_error``    1/2 sum (y - yhat)^2                         yhat - y
``cross_entropy``    -sum y log yhat                              -y / yhat
===================  ===========================================  =====================

With the output activation that "belongs" to each loss (sigmoid + bce, softmax +
cross_entropy, identity + squared_error) the chain through ``phi'_o`` collapses
to ``g^[Lz] = (yhat - y) / m``: these pairs are in ``CANONICAL``.

>>> squared_error([0.5], [1.0])
0.125
>>> round(bce([-1000.0], [1.0], "sigmoid"), 6)
1000.0
"""
import math

from ._compat import EPSILON, TYPE_CHECKING, isfinite
from .activations import log_sigmoid
from .errors import BackpropError, show

if TYPE_CHECKING:
    from typing import Callable, Tuple
    from ._compat import MatrixLike, Row

#: The canonical output and loss pairs: their g^[Lz] is (yhat - y) / m.  The one table
#: of them (the CLI and explain read it).
CANONICAL = (("sigmoid", "bce"), ("softmax", "cross_entropy"), ("identity", "squared_error"))

#: Outputs are kept at least EPS from 0 and at least EPS_ONE from 1 in the
#: derivatives' denominators, so the general chain stays finite when an output
#: saturates.  EPS = 1e-15 works with binary64 and binary32 floats alike (1 / EPS
#: is far below either's largest float); 1 - 1e-15, though, rounds to 1 in binary32
#: (the floats of many boards), so EPS_ONE is four machine epsilons there
#: (2^-21 ~ 4.8e-7) and EPS itself with binary64: 1 - EPS_ONE is always a float below 1.
EPS = 1e-15
EPS_ONE = max(EPS, 4.0 * EPSILON)


def _clip(p):
    return EPS if p < EPS else (1.0 - EPS_ONE if p > 1.0 - EPS_ONE else p)


def _logsumexp(values):
    top = max(values)
    return top + math.log(sum([math.exp(v - top) for v in values]))  # v - top <= 0: no overflow


def _check_probabilities(output, op):
    if output not in ("sigmoid", "softmax"):
        raise BackpropError("%s: output %s gives no probabilities to take the log of; use 'sigmoid' or "
                            "'softmax'" % (op, show(output)))


def log_yhat(z_row: "Row", output: str) -> "Row":
    """log yhat_k for every output of a sigmoid or softmax layer, computed stably from z^[L].

    >>> [round(v, 6) for v in log_yhat([0.0, 0.0], "softmax")]
    [-0.693147, -0.693147]
    >>> log_yhat([0.0], "identity")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: log_yhat: output 'identity' gives no probabilities to take the log of; use 'sigmoid' or 'softmax'
    """
    _check_probabilities(output, "log_yhat")
    if output == "sigmoid":
        return [log_sigmoid(z) for z in z_row]
    lse = _logsumexp(z_row)  # softmax
    return [z - lse for z in z_row]


def log_outputs(z_row: "Row", output: str) -> "Tuple[Row, Row]":
    """(log yhat_k, log(1 - yhat_k)) for every output, computed stably from z^[L].

    >>> [round(v, 6) for v in log_outputs([0.0], "sigmoid")[0]]
    [-0.693147]
    """
    _check_probabilities(output, "log_outputs")
    if output == "sigmoid":
        return log_yhat(z_row, output), [log_sigmoid(-z) for z in z_row]
    lse = _logsumexp(z_row)  # softmax
    log_q = [_logsumexp(z_row[:k] + z_row[k + 1:]) - lse for k in range(len(z_row))]
    return log_yhat(z_row, output), log_q


def bce(z_row: "Row", y_row: "Row", output: str) -> float:
    """Binary cross entropy of one example, from z^[L] of a sigmoid or softmax ``output``.

    >>> round(bce([0.0], [1.0], "sigmoid"), 6)
    0.693147
    """
    log_p, log_q = log_outputs(z_row, output)  # [eq:loss.bce] (and the next line)
    return -sum([(1.0 - y) * lq + y * lp for y, lp, lq in zip(y_row, log_p, log_q)])  # [eq:loss.bce]


def bce_d(a: float, y: float) -> float:
    """dL/dyhat_k of binary cross entropy (yhat kept inside [EPS, 1 - EPS_ONE]).

    >>> bce_d(0.5, 1.0)
    -2.0
    """
    a = _clip(a)  # [eq:loss.bce.d] (and the next line)
    return (a - y) / (a * (1.0 - a))  # [eq:loss.bce.d]


def bce_d_row(a_row: "Row", y_row: "Row") -> "Row":
    """:func:`bce_d` of every output of a row (the same formula, the same floats).

    >>> bce_d_row([0.5], [1.0])
    [-2.0]
    """
    return [(a - y) / (a * (1.0 - a)) for a, y in zip(map(_clip, a_row), y_row)]


def squared_error(a_row: "Row", y_row: "Row") -> float:
    """Half the squared error of one example, from its outputs a^[L] (yhat).

    >>> squared_error([0.25], [0.75])
    0.125
    """
    return 0.5 * sum((y - a) * (y - a) for a, y in zip(a_row, y_row))  # [eq:loss.squared_error]


def squared_error_d(a: float, y: float) -> float:
    """dL/dyhat_k of the half squared error.

    >>> squared_error_d(0.25, 0.75)
    -0.5
    """
    return a - y  # [eq:loss.squared_error.d]


def squared_error_d_row(a_row: "Row", y_row: "Row") -> "Row":
    """:func:`squared_error_d` of every output of a row.

    >>> squared_error_d_row([0.25], [0.75])
    [-0.5]
    """
    return [a - y for a, y in zip(a_row, y_row)]


def cross_entropy(z_row: "Row", y_row: "Row", output: str) -> float:
    """Cross entropy of one example (labels form a probability distribution), from
    z^[L] of a softmax or sigmoid ``output``.

    >>> round(cross_entropy([0.0, 0.0], [1.0, 0.0], "softmax"), 6)
    0.693147
    """
    log_p = log_yhat(z_row, output)  # [eq:loss.cross_entropy] needs no log(1 - yhat)
    return -sum([y * lp for y, lp in zip(y_row, log_p)])  # [eq:loss.cross_entropy]


def cross_entropy_d(a: float, y: float) -> float:
    """dL/dyhat_k of cross entropy (yhat kept at least EPS).

    >>> cross_entropy_d(0.5, 1.0)
    -2.0
    """
    return -y / (a if a > EPS else EPS)  # [eq:loss.cross_entropy.d]


def cross_entropy_d_row(a_row: "Row", y_row: "Row") -> "Row":
    """:func:`cross_entropy_d` of every output of a row.

    >>> cross_entropy_d_row([0.5, 0.25], [1.0, 0.0])
    [-2.0, -0.0]
    """
    return [-y / (a if a > EPS else EPS) for a, y in zip(a_row, y_row)]


class Loss:
    """A loss: ``loss`` of one example, which takes z^[L] (``from_z``: the row, the
    targets and the output activation's name) or else a^[L] (the row and the
    targets), its derivative ``d(a, y)`` of one output and ``d_row(a_row, y_row)`` of a
    whole row (the same formula: the matrix form takes it a row at a time).

    >>> get("bce").name, get("bce").from_z, get("squared_error").from_z
    ('bce', True, False)
    """

    def __init__(self, name: str, loss: "Callable[..., float]", d: "Callable[[float, float], float]",
                 d_row: "Callable[[Row, Row], Row]", from_z: bool) -> None:
        self.name = name
        self.loss = loss
        self.d = d
        self.d_row = d_row
        self.from_z = from_z

    def of_example(self, z_row: "Row", a_row: "Row", y_row: "Row", output: str) -> float:
        """The loss of one example from what the output layer computed, z^[L] and
        a^[L]: each loss gets the arguments it takes.

        >>> get("squared_error").of_example([9.0], [0.5], [1.0], "identity")
        0.125
        """
        if self.from_z:
            return self.loss(z_row, y_row, output)
        return self.loss(a_row, y_row)

    def __repr__(self) -> str:
        return "Loss(%r)" % self.name


LOSSES = {
    "bce": Loss("bce", bce, bce_d, bce_d_row, from_z=True),
    "squared_error": Loss("squared_error", squared_error, squared_error_d, squared_error_d_row, from_z=False),
    "cross_entropy": Loss("cross_entropy", cross_entropy, cross_entropy_d, cross_entropy_d_row, from_z=True),
}


def get(name: str, op: "str | None" = None) -> Loss:
    """The loss called ``name``; ``op`` (the calling operation) starts the
    message when the name is refused.

    >>> get("cross_entropy").d(0.25, 1.0)
    -4.0
    >>> get("mse", "Network")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: Network: unknown loss 'mse'; choose one of: bce, cross_entropy, squared_error
    """
    if not isinstance(name, str) or name not in LOSSES:
        raise BackpropError("%sunknown loss %s; choose one of: %s"
                            % (op + ": " if op else "", show(name), ", ".join(sorted(LOSSES))))
    return LOSSES[name]


def is_canonical(output: str, loss: str) -> bool:
    """True when g^[Lz] = (yhat - y) / m for this output activation and loss.

    >>> is_canonical("sigmoid", "bce"), is_canonical("sigmoid", "squared_error")
    (True, False)
    """
    return (output, loss) in CANONICAL


def canonical_loss(output: str) -> str:
    """The loss that forms a canonical pair with the output activation ``output``.

    >>> canonical_loss("softmax")
    'cross_entropy'
    """
    for o, loss in CANONICAL:
        if o == output:
            return loss
    raise BackpropError("no canonical loss for output %s; outputs: %s"
                        % (show(output), ", ".join(o for o, _ in CANONICAL)))


def check_pair(output: str, loss: str, n_out: int, op: "str | None" = None) -> None:
    """Refuse output and loss pairs that cannot work (``op``, the calling
    operation, starts the message).

    >>> check_pair("identity", "bce", 1)
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: loss 'bce' takes log(yhat) and log(1 - yhat), so it needs outputs in (0, 1): use output 'sigmoid' or 'softmax', not 'identity'
    """
    where = op + ": " if op else ""
    if loss in ("bce", "cross_entropy") and output == "identity":
        what = "log(yhat) and log(1 - yhat)" if loss == "bce" else "log(yhat)"
        raise BackpropError("%sloss %r takes %s, so it needs outputs in (0, 1): use output 'sigmoid' "
                            "or 'softmax', not 'identity'" % (where, loss, what))
    if output == "softmax" and n_out < 2:
        raise BackpropError("%soutput 'softmax' needs at least 2 output neurons (with 1 it is always 1.0); "
                            "use 'sigmoid' for a single output" % where)


def check_targets(loss: str, Y: "MatrixLike", op: str) -> None:
    """Refuse targets the loss is not defined for (labels outside [0, 1] for bce,
    rows that are not probability distributions for cross entropy).

    >>> check_targets("bce", [[1.5]], "backward")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: backward: Y[0][0] is 1.5, but bce labels must lie in [0, 1]
    """
    # Y has passed check_matrix (finite numbers): a look at all rows at once (min, max, the row
    # sums, each a C loop), and the rows one by one only when that finds something wrong
    if loss == "bce":
        if min(map(min, Y)) < 0.0 or max(map(max, Y)) > 1.0:
            for r, row in enumerate(Y):
                for c, y in enumerate(row):
                    if not 0.0 <= y <= 1.0:
                        raise BackpropError("%s: Y[%d][%d] is %r, but bce labels must lie in [0, 1]"
                                            % (op, r, c, y))
    elif loss == "cross_entropy":
        sums = [sum(row, 0.0) for row in Y]
        if min(map(min, Y)) < 0.0 or not (1.0 - 1e-6 <= min(sums) and max(sums) <= 1.0 + 1e-6):
            for r, row in enumerate(Y):
                for c, y in enumerate(row):
                    if y < 0.0:
                        raise BackpropError("%s: Y[%d][%d] is %r, but cross-entropy targets must be >= 0"
                                            % (op, r, c, y))
                s = sums[r]
                if not isfinite(s) or abs(s - 1.0) > 1e-6:
                    raise BackpropError("%s: Y[%d] sums to %r, but a cross-entropy target row must be a "
                                        "probability distribution (sum 1), e.g. one-hot [0, 1, 0]"
                                        % (op, r, s))
