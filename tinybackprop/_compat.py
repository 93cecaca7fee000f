"""Everything that differs between Python interpreters, in one place.

The core runs unchanged on CPython 3.8+, PyPy, Pyodide and MicroPython.  Where an
interpreter lacks a function (MicroPython has no ``operator.mul``,
``math.log1p``; only CPython 3.12+ has ``math.sumprod``), the fallback lives here
and nowhere else; what the file system offers on each (``os.open``, ``os.replace``,
fsync) lives with its one user, :mod:`tinybackprop.files`.

===================  ==============================================================
``mul``              ``operator.mul`` or a plain function
``sumprod``          ``math.sumprod`` (3.12+) or ``sumprod_py``
``sumprod_py``       ``sum(map(mul, p, q))`` (an index loop without ``operator``)
``log1p``            ``math.log1p`` or an accurate fallback
``exp``              ``math.exp`` that returns ``inf`` instead of raising
``isfinite``         ``math.isfinite`` or a fallback
``json_dumps``       strict ``json.dumps(obj, indent=...)``; one line where there is no indent
``EPSILON``          machine epsilon of this float: 2^-52 (binary64), 2^-23 (binary32 boards)
``TYPE_CHECKING``    False when the code runs; type checkers (mypy, pyright) take it as True
``Matrix``, ``Row``  the types of the signatures (``List[List[float]]``, ...), for type checkers only
===================  ==============================================================

The signatures carry their types as strings (``def matmul(A: "Matrix", B: "Matrix") ->
"Matrix":``): every interpreter accepts them, none evaluates them, and ``typing``
(which MicroPython lacks) is imported only under ``if TYPE_CHECKING:``, a block that
never runs.

>>> sumprod([1.0, 2.0], [3.0, 4.0])
11.0
"""
import json
import math

#: True only for a type checker (mypy and pyright read any ``TYPE_CHECKING`` as True); at run
#: time False, so the block below, the one place the package names ``typing``, never runs.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Sequence, Union
    Number = Union[int, float]  # a plain number; a bool is refused where it counts (matrix.isnumber)
    Row = List[float]  # one row: an example's inputs x, one row of z, a, y
    Matrix = List[List[float]]  # a list of rows: X, Y, W^[l], b^[l] (one row), Z^[l], A^[l], the gradients
    MatrixLike = Sequence[Sequence[Number]]  # what a check accepts: rows of ints or floats, lists or tuples
    ByLayer = List[Union[Matrix, Any]]  # one matrix per layer, l = 0..L; at l = 0 the input X or None
    Json = Dict[str, Any]  # a dict that json.dumps can write: Network.to_dict(), History.to_dict()

def _machine_epsilon() -> float:
    e = 1.0
    while 1.0 + e / 2.0 != 1.0:
        e = e / 2.0
    return e


#: The gap between 1.0 and the next float: 2^-52 where floats are IEEE-754 binary64
#: (CPython, PyPy, Pyodide, MicroPython's unix and WebAssembly ports), 2^-23 where a
#: board's MicroPython builds them as binary32 (RP2040, ESP32, most STM32), 2^-21 or so
#: where they are 30 bits.  Every epsilon and threshold of the package is checked against it.
EPSILON = _machine_epsilon()

try:
    from operator import mul
    HAVE_OPERATOR = True
except ImportError:  # MicroPython has no operator module
    HAVE_OPERATOR = False

    def mul(a, b):
        return a * b

    def sumprod_py(p: "Sequence[float]", q: "Sequence[float]") -> float:
        """sum of p[i] * q[i] in pure Python, for sequences of equal length.

        >>> sumprod_py([1.0, 2.0], [3.0, 4.0])
        11.0
        """
        # Here map(mul, ...) would call a Python function per element: an index
        # loop is about twice as fast on MicroPython and adds the same products in
        # the same order (the same float).
        s = 0.0
        for i in range(len(p)):
            s += p[i] * q[i]
        return s
else:
    def sumprod_py(p: "Sequence[float]", q: "Sequence[float]") -> float:
        """sum of p[i] * q[i] in pure Python, for sequences of equal length.

        >>> sumprod_py([1.0, 2.0], [3.0, 4.0])
        11.0
        """
        return sum(map(mul, p, q))


try:
    sumprod = math.sumprod  # type: ignore[attr-defined,unused-ignore]  # novm (guarded: CPython 3.12+)
except AttributeError:
    sumprod = sumprod_py

try:
    log1p = math.log1p
except AttributeError:  # MicroPython
    def log1p(x):
        u = 1.0 + x
        if u == 1.0:
            return x
        return math.log(u) * x / (u - 1.0)  # corrects the rounding of 1 + x


def exp(x: float) -> float:
    """``math.exp`` that gives ``inf`` on overflow on every interpreter.

    >>> exp(1000.0)
    inf
    """
    try:
        return math.exp(x)
    except (OverflowError, ValueError):  # MicroPython raises ValueError
        return float("inf")


try:
    isfinite = math.isfinite
except AttributeError:  # pragma: no cover - very old ports
    def isfinite(x):
        return x == x and x not in (float("inf"), float("-inf"))


def json_dumps(obj: "Any", indent: "int | None" = None) -> str:
    """``json.dumps(obj, indent=indent)``, strict: NaN and infinities raise
    ValueError (they are not JSON).  MicroPython's ``json.dumps`` takes neither
    ``indent`` nor ``allow_nan`` (it raises TypeError): there the numbers are
    checked here and the same JSON comes on one line.

    >>> json.loads(json_dumps({"a": [1.5, 2]}, indent=1)) == {"a": [1.5, 2]}
    True
    >>> json_dumps([float("nan")])
    Traceback (most recent call last):
      ...
    ValueError: Out of range float values are not JSON compliant...
    """
    try:
        return json.dumps(obj, indent=indent, allow_nan=False)
    except TypeError:
        _check_json_finite(obj)
        return json.dumps(obj)


def _check_json_finite(obj: "Any") -> None:
    stack = [obj]
    while stack:
        x = stack.pop()
        if isinstance(x, float) and not isfinite(x):
            raise ValueError("Out of range float values are not JSON compliant: %r" % x)
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, (list, tuple)):
            stack.extend(x)
