"""Everything that differs between Python interpreters, in one place.

The core runs unchanged on CPython 3.8+, PyPy, Pyodide and MicroPython.  Where an
interpreter lacks a function (MicroPython has no ``operator.mul``,
``math.log1p``; only CPython 3.12+ has ``math.sumprod``), the fallback lives here
and nowhere else.

===================  ==============================================================
``mul``              ``operator.mul`` or a plain function
``sumprod``          ``math.sumprod`` (3.12+) or ``sumprod_py``
``sumprod_py``       ``sum(map(mul, p, q))`` (an index loop without ``operator``)
``rows_times_cols``  each row of A times each column: the inside of a matmul
``isint``            an int, never bool, on every interpreter
``log1p``            ``math.log1p`` or an accurate fallback
``exp``              ``math.exp`` that returns ``inf`` instead of raising
``isnumber``         int or float, never bool, on every interpreter
``isfinite``         ``math.isfinite`` or a fallback
``json_dumps``       ``json.dumps(obj, indent=...)``; one line where there is no indent
===================  ==============================================================

>>> sumprod([1.0, 2.0], [3.0, 4.0])
11.0
"""
import json
import math

try:
    from operator import mul
    HAVE_OPERATOR = True
except ImportError:  # MicroPython has no operator module
    HAVE_OPERATOR = False

    def mul(a, b):
        return a * b

    def sumprod_py(p, q):
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
    def sumprod_py(p, q):
        """sum of p[i] * q[i] in pure Python, for sequences of equal length.

        >>> sumprod_py([1.0, 2.0], [3.0, 4.0])
        11.0
        """
        return sum(map(mul, p, q))


try:
    sumprod = math.sumprod  # type: ignore[attr-defined,unused-ignore]  # novm (guarded: CPython 3.12+)
except AttributeError:
    sumprod = sumprod_py

if sumprod is sumprod_py and HAVE_OPERATOR:
    def rows_times_cols(A, cols):
        """[[row . col for col in cols] for row in A]: sum(map(mul, ...)) written
        out, so no Python-level call runs per entry (CPython before 3.12, PyPy).

        >>> rows_times_cols([[1.0, 2.0]], [(3.0, 4.0)])
        [[11.0]]
        """
        return [[sum(map(mul, row, col)) for col in cols] for row in A]
else:
    def rows_times_cols(A, cols):
        """[[row . col for col in cols] for row in A], one ``sumprod`` per entry.

        >>> rows_times_cols([[1.0, 2.0]], [(3.0, 4.0)])
        [[11.0]]
        """
        return [[sumprod(row, col) for col in cols] for row in A]


try:
    log1p = math.log1p
except AttributeError:  # MicroPython
    def log1p(x):
        u = 1.0 + x
        if u == 1.0:
            return x
        return math.log(u) * x / (u - 1.0)  # corrects the rounding of 1 + x


def exp(x):
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


def isnumber(x):
    """True for an int or float (bool excluded on every interpreter).

    >>> isnumber(1), isnumber(2.5), isnumber(True), isnumber("3")
    (True, True, False, False)
    """
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def isint(x):
    """True for an int (bool excluded on every interpreter).

    >>> isint(3), isint(3.0), isint(True)
    (True, False, False)
    """
    return isinstance(x, int) and not isinstance(x, bool)


def json_dumps(obj, indent=None):
    """``json.dumps(obj, indent=indent)``; MicroPython's ``json.dumps`` takes no
    ``indent`` (it raises TypeError), so there the same JSON comes on one line.

    >>> json.loads(json_dumps({"a": [1.5, 2]}, indent=1)) == {"a": [1.5, 2]}
    True
    """
    try:
        return json.dumps(obj, indent=indent)
    except TypeError:
        return json.dumps(obj)
