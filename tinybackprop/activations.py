"""Activation functions, each with its derivative right beside it.

Every activation is an :class:`Activation` with ``f(z)`` (the forward value of
one neuron) and ``d(z, a)`` (its local derivative ``phi'(z)``, given ``z`` and
``a = phi(z)``, so the sigmoid can use ``a (1 - a)``, which needs no new exponential).  The
per-neuron path calls them entry by entry.  Beside each, ``f_row`` and ``d_row``
apply the same formula to a whole row (``sigmoid_row``, ``sigmoid_d_row``, ...): the
matrix form takes phi and phi' of a layer a row at a time, with no Python call per
entry, and gets the same floats (the tests compare them bit for bit).  The
softmax is not element-wise: it maps a whole row, and its derivative is a full
Jacobian (``softmax_jacobian``).
Equations on the site: docs/forward.md#eq-act-sigmoid and the other anchors
``eq-`` + ID with dots as dashes (the softmax Jacobian: docs/losses.md#eq-act-softmax-d).

=============  ==================================  =====================
name           phi(z)                              phi'(z)
=============  ==================================  =====================
``sigmoid``    1 / (1 + e^-z)                      a (1 - a)
``tanh``       tanh z                              1 - a^2
``relu``       max(0, z)                           1 if z > 0 else 0
``identity``   z                                   1
``softmax``    e^z_j / sum_k e^z_k (a whole row)   a_k (delta_kj - a_j)
=============  ==================================  =====================

Hidden layers accept ``sigmoid tanh relu identity``; the output layer
``sigmoid softmax identity``.

>>> sigmoid(0.0), sigmoid_d(0.0, sigmoid(0.0))
(0.5, 0.25)
>>> sigmoid(-1000.0), sigmoid(1000.0)
(0.0, 1.0)
"""
import math

from ._compat import TYPE_CHECKING, exp, log1p
from .errors import BackpropError, show

if TYPE_CHECKING:
    from typing import Callable
    from ._compat import Matrix, Row


def sigmoid(z: float) -> float:
    """The logistic function; exp only ever sees a non-positive argument.

    >>> round(sigmoid(2.0), 6)
    0.880797
    """
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))  # [eq:act.sigmoid]
    e = math.exp(z)  # math.exp directly: a non-positive argument cannot overflow
    return e / (1.0 + e)  # [eq:act.sigmoid] the same value, written for z < 0


def sigmoid_d(z: float, a: float) -> float:
    """sigma'(z) = a (1 - a) with a = sigma(z).

    >>> sigmoid_d(0.0, 0.5)
    0.25
    """
    return a * (1.0 - a)  # [eq:act.sigmoid.d]


def sigmoid_row(z_row: "Row") -> "Row":
    """:func:`sigmoid` of every entry of a row (the same formula, the same floats).

    >>> sigmoid_row([0.0, -1000.0])
    [0.5, 0.0]
    """
    exp = math.exp
    return [1.0 / (1.0 + exp(-z)) if z >= 0.0 else (e := exp(z)) / (1.0 + e) for z in z_row]


def sigmoid_d_row(z_row: "Row", a_row: "Row") -> "Row":
    """:func:`sigmoid_d` of every entry: a (1 - a).

    >>> sigmoid_d_row([0.0], [0.5])
    [0.25]
    """
    return [a * (1.0 - a) for a in a_row]


def tanh(z: float) -> float:
    """Hyperbolic tangent.

    >>> tanh(0.0)
    0.0
    """
    return math.tanh(z)  # [eq:act.tanh]


def tanh_d(z: float, a: float) -> float:
    """tanh'(z) = 1 - a^2 with a = tanh(z).

    >>> tanh_d(0.0, 0.0)
    1.0
    """
    return 1.0 - a * a  # [eq:act.tanh.d]


def tanh_row(z_row: "Row") -> "Row":
    """:func:`tanh` of every entry of a row.

    >>> tanh_row([0.0])
    [0.0]
    """
    return list(map(math.tanh, z_row))


def tanh_d_row(z_row: "Row", a_row: "Row") -> "Row":
    """:func:`tanh_d` of every entry: 1 - a^2.

    >>> tanh_d_row([0.0], [0.0])
    [1.0]
    """
    return [1.0 - a * a for a in a_row]


def relu(z: float) -> float:
    """max(0, z).

    >>> relu(-2.0), relu(3.0)
    (0.0, 3.0)
    """
    return z if z > 0.0 else 0.0  # [eq:act.relu]


def relu_d(z: float, a: float) -> float:
    """1 for z > 0, else 0 (the convention at the kink z = 0).

    >>> relu_d(-1.0, 0.0), relu_d(2.0, 2.0)
    (0.0, 1.0)
    """
    return 1.0 if z > 0.0 else 0.0  # [eq:act.relu.d]


def relu_row(z_row: "Row") -> "Row":
    """:func:`relu` of every entry of a row.

    >>> relu_row([-2.0, 3.0])
    [0.0, 3.0]
    """
    return [z if z > 0.0 else 0.0 for z in z_row]


def relu_d_row(z_row: "Row", a_row: "Row") -> "Row":
    """:func:`relu_d` of every entry.

    >>> relu_d_row([-1.0, 2.0], [0.0, 2.0])
    [0.0, 1.0]
    """
    return [1.0 if z > 0.0 else 0.0 for z in z_row]


def identity(z: float) -> float:
    """z itself.

    >>> identity(1.5)
    1.5
    """
    return z  # [eq:act.identity]


def identity_d(z: float, a: float) -> float:
    """1.

    >>> identity_d(7.0, 7.0)
    1.0
    """
    return 1.0  # [eq:act.identity.d]


def identity_row(z_row: "Row") -> "Row":
    """:func:`identity` of every entry of a row: a new list with the same numbers.

    >>> identity_row([1.5])
    [1.5]
    """
    return list(z_row)


def identity_d_row(z_row: "Row", a_row: "Row") -> "Row":
    """:func:`identity_d` of every entry: ones.

    >>> identity_d_row([7.0, 8.0], [7.0, 8.0])
    [1.0, 1.0]
    """
    return [1.0] * len(z_row)


def softmax(z_row: "Row") -> "Row":
    """Softmax of one row (a flat list), shifted by the row maximum so exp never overflows.

    >>> softmax([0.0, 0.0])
    [0.5, 0.5]
    >>> softmax([1000.0, 0.0])
    [1.0, 0.0]
    """
    top = max(z_row)  # [eq:act.softmax] (from here to the return)
    e = [math.exp(z - top) for z in z_row]  # z - top <= 0: no overflow
    s = sum(e)
    return [e_j / s for e_j in e]  # [eq:act.softmax]


def softmax_jacobian(a_row: "Row") -> "Matrix":
    """J[k][j] = d a_k / d z_j = a_k (delta_kj - a_j), from a = softmax(z).

    >>> softmax_jacobian([0.5, 0.5])
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    return [[a_k * ((1.0 if k == j else 0.0) - a_j) for j, a_j in enumerate(a_row)]  # [eq:act.softmax.d]
            for k, a_k in enumerate(a_row)]


def log_sigmoid(z: float) -> float:
    """log sigma(z) = -log(1 + e^-z), finite for every finite z.

    >>> log_sigmoid(-1000.0)
    -1000.0
    """
    return -softplus(-z)


def softplus(z: float) -> float:
    """log(1 + e^z) without overflow: max(z, 0) + log1p(e^-|z|).

    >>> softplus(1000.0)
    1000.0
    """
    return (z if z > 0.0 else 0.0) + log1p(exp(-abs(z)))


class Activation:
    """An activation: its name, ``f(z)`` and ``d(z, a)`` of one entry, ``f_row(z_row)`` and
    ``d_row(z_row, a_row)`` of a whole row; ``is_softmax`` for the softmax, whose ``f_row``
    is the softmax of a row and which has no per-entry ``f`` or ``d``.

    >>> get_hidden("tanh").name, get_hidden("relu").f_row([-1.0, 2.0])
    ('tanh', [0.0, 2.0])
    """

    def __init__(self, name: str, f: "Callable[[float], float]", d: "Callable[[float, float], float]",
                 f_row: "Callable[[Row], Row]", d_row: "Callable[[Row, Row], Row] | None",
                 is_softmax: bool = False) -> None:
        self.name = name
        self.f = f
        self.d = d
        self.f_row = f_row
        self.d_row = d_row
        self.is_softmax = is_softmax

    def __repr__(self) -> str:
        return "Activation(%r)" % self.name


SIGMOID = Activation("sigmoid", sigmoid, sigmoid_d, sigmoid_row, sigmoid_d_row)
TANH = Activation("tanh", tanh, tanh_d, tanh_row, tanh_d_row)
RELU = Activation("relu", relu, relu_d, relu_row, relu_d_row)
IDENTITY = Activation("identity", identity, identity_d, identity_row, identity_d_row)
SOFTMAX = Activation("softmax", None, None, softmax, None, is_softmax=True)  # type: ignore[arg-type]  # no per-entry f, d

HIDDEN = {"sigmoid": SIGMOID, "tanh": TANH, "relu": RELU, "identity": IDENTITY}
OUTPUT = {"sigmoid": SIGMOID, "softmax": SOFTMAX, "identity": IDENTITY}


def _names(table):
    return ", ".join(sorted(table))


def _where(op):
    return op + ": " if op else ""


def get_hidden(name: str, op: "str | None" = None) -> Activation:
    """The hidden-layer activation called ``name``; ``op`` (the calling
    operation) starts the message when the name is refused.

    >>> get_hidden("relu").f(-1.0)
    0.0
    >>> get_hidden("Tanh", "Network")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: Network: unknown hidden activation 'Tanh' (names are lower case: 'tanh'); choose one of: identity, relu, sigmoid, tanh
    """
    if name == "softmax":
        raise BackpropError(_where(op) + "hidden activation 'softmax' is not supported: softmax mixes a whole "
                            "layer and belongs on the output; choose one of: " + _names(HIDDEN))
    if not isinstance(name, str) or name not in HIDDEN:
        raise BackpropError("%sunknown hidden activation %s%s; choose one of: %s"
                            % (_where(op), show(name), _case_hint(name, HIDDEN), _names(HIDDEN)))
    return HIDDEN[name]


def get_output(name: str, op: "str | None" = None) -> Activation:
    """The output-layer activation called ``name``.

    >>> get_output("softmax").is_softmax
    True
    >>> get_output("relu", "Network")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: Network: unknown output activation 'relu' (relu is for hidden layers only); choose one of: identity, sigmoid, softmax
    """
    if isinstance(name, str) and name in HIDDEN and name not in OUTPUT:
        raise BackpropError("%sunknown output activation %r (%s is for hidden layers only); choose one of: %s"
                            % (_where(op), name, name, _names(OUTPUT)))
    if not isinstance(name, str) or name not in OUTPUT:
        raise BackpropError("%sunknown output activation %s%s; choose one of: %s"
                            % (_where(op), show(name), _case_hint(name, OUTPUT), _names(OUTPUT)))
    return OUTPUT[name]


def _case_hint(name, table):
    if isinstance(name, str):
        low = name.strip().lower()
        if low != name and low in table:
            return " (names are lower case: %r)" % low
    return ""
