"""How the weights W^[l] start: the initialisation schemes of ``Network(..., init=...)``.

Every scheme draws W^[l] (n_{l-1} x n_l, row by row) from the network's seeded
generator and starts b^[l] at 0; ``init_scale`` multiplies every weight drawn.
n_in = n_{l-1} is the fan-in of a neuron of layer l, n_out = n_l its fan-out.

=====================  ===============================================================
``"uniform"``          the default: ``"xavier"``, or ``"he_uniform"`` for a relu layer
``"xavier"``           U(-r, r), r = sqrt(6 / (n_in + n_out)) (Glorot and Bengio, 2010)
``"xavier_normal"``    N(0, 2 / (n_in + n_out)): the same variance, normal
``"he"``               N(0, 2 / n_in) (He, Zhang, Ren and Sun, 2015)
``"he_uniform"``       U(-r, r), r = sqrt(6 / n_in): the same variance, uniform
``"normal"``           N(0, 1), times ``init_scale`` (e.g. 0.01: "small random numbers")
``"zeros"``            every weight 0: no neuron of a layer can differ from another
``SCHEMES``              the names above
``spread(...)``        (kind, r or sigma) of one layer under a scheme
``draw(...)``          one layer's W, drawn
=====================  ===============================================================

>>> spread("xavier", 3, 2, "sigmoid")
('uniform', 1.0954451150103321)
>>> spread("he", 8, 4, "relu")
('normal', 0.5)
"""
import math

from ._compat import TYPE_CHECKING
from .errors import BackpropError, show
from .matrix import finite_number, isint
from .rng import Random

if TYPE_CHECKING:
    from typing import Tuple
    from ._compat import Matrix

SCHEMES = ("uniform", "xavier", "xavier_normal", "he", "he_uniform", "normal", "zeros")
DEFAULT = "uniform"
#: The largest ``init_scale``: every weight drawn stays a finite number.  The widest
#: spread of any scheme is sqrt(6) (he_uniform with one input: U(-r, r), whose width
#: 2 r must be finite) or sqrt(2) (he: N(0, 2)), and a normal draw of the package's
#: generator is at most 12.01 standard deviations from 0 (rng.Random.gauss: its s is at
#: least 2^-104), so every weight stays below 1.8e308 by a wide margin.
MAX_SCALE = 1e306
#: The most weights :func:`draw` makes for one layer: a Network's own limit for all its
#: layers together (network.MAX_PARAMETERS, ten million) is never more.
MAX_WEIGHTS = 10 ** 7


def check_init(init: str, init_scale: float, op: str) -> None:
    """Refuse an unknown scheme or a scale that is not a number in (0, ``MAX_SCALE``]
(beyond it a weight drawn could be infinite).

    >>> check_init("glorot", 1.0, "Network")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: Network: init must be one of 'uniform', 'xavier', 'xavier_normal', 'he', 'he_uniform', 'normal', 'zeros', got 'glorot'
    """
    if not isinstance(init, str) or init not in SCHEMES:
        raise BackpropError("%s: init must be one of %s, got %s" % (op, ", ".join(repr(n) for n in SCHEMES), show(init)))
    if not finite_number(init_scale) or not 0 < init_scale <= MAX_SCALE:
        raise BackpropError("%s: init_scale must be a finite number > 0 and at most %g (larger ones draw weights "
                            "beyond the floats), got %s" % (op, MAX_SCALE, show(init_scale)))


def spread(init: str, n_in: int, n_out: int, activation: str, op: str = "spread") -> "Tuple[str, float]":
    """``("uniform", r)`` for weights drawn from U(-r, r), ``("normal", sigma)``
    for N(0, sigma^2), ``("zeros", 0.0)``: one layer of ``n_in`` inputs and
    ``n_out`` neurons with this ``activation`` (a name), before ``init_scale``; ``op``
    starts a refusal's message.

    >>> spread("uniform", 4, 3, "relu") == spread("he_uniform", 4, 3, "relu")
    True
    """
    check_init(init, 1.0, op)
    if not (isint(n_in) and isint(n_out) and n_in >= 1 and n_out >= 1 and n_in * n_out <= MAX_WEIGHTS):
        raise BackpropError("%s: n_in and n_out must be ints >= 1, at most %d weights in all, got %s and %s"
                            % (op, MAX_WEIGHTS, show(n_in), show(n_out)))
    if init == "uniform":
        init = "he_uniform" if activation == "relu" else "xavier"
    if init == "xavier":
        return "uniform", math.sqrt(6.0 / (n_in + n_out))  # [eq:init.xavier]
    if init == "he_uniform":
        return "uniform", math.sqrt(6.0 / n_in)  # [eq:init.he_uniform]
    if init == "xavier_normal":
        return "normal", math.sqrt(2.0 / (n_in + n_out))  # [eq:init.xavier_normal]
    if init == "he":
        return "normal", math.sqrt(2.0 / n_in)  # [eq:init.he]
    if init == "normal":
        return "normal", 1.0
    return "zeros", 0.0


def draw(rng: Random, init: str, init_scale: float, n_in: int, n_out: int, activation: str) -> "Matrix":
    """W^[l] for one layer: n_in rows of n_out weights, drawn row by row from ``rng``
    (a :class:`tinybackprop.rng.Random`).

    >>> from tinybackprop.rng import Random
    >>> draw(Random(0), "zeros", 1.0, 2, 3, "tanh")
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    >>> W = draw(Random(0), "he", 1.0, 1000, 2, "relu"); len(W), len(W[0])
    (1000, 2)
    """
    check_init(init, init_scale, "draw")
    if not isinstance(rng, Random):
        raise BackpropError("draw: rng must be a tinybackprop.rng.Random, got %s" % show(rng))
    kind, r = spread(init, n_in, n_out, activation, "draw")
    r = r * init_scale  # a scale of 1 leaves r as it is, bit for bit
    if kind == "uniform":
        return [[rng.uniform(-r, r) for _ in range(n_out)] for _ in range(n_in)]
    if kind == "normal":
        return [[rng.gauss(0.0, r) for _ in range(n_out)] for _ in range(n_in)]
    return [[0.0] * n_out for _ in range(n_in)]
