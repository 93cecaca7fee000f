"""Matrix helpers on lists of lists: each one checks its arguments, then runs one fast loop.

A matrix is a list of rows, each a list of numbers; a row vector is a 1 x n
matrix (``a^[0] = [[x1, x2, x3, x4]]``).  Every helper returns new lists and
never changes the ones it was given.

==============  =================================================
``shape(A)``    (rows, columns), after checking every entry
``zeros``       m x n matrix of zeros
``copy``        a new matrix with the same entries
``transpose``   A^T
``matmul``      A B
``hadamard``    A o B, element-wise
``outer``       u^T v for two vectors
``add``         A + B (a 1 x n B is added to every row)
``subtract``    A - B
``scale``       c A
``colsum``      column sums as a 1 x n row (the bias gradient)
``apply``       f(x) for every entry x of A, or f(x, y, ...) for the entries of
                several matrices at the same place
``apply_rows``  f(row) for every row of A (a function of a whole row, such as the
                softmax or an activation's row form), or f(row, row_B, ...)
==============  =================================================

How a helper checks: first the shapes (lists of rows, every row as long as the
first, sizes that fit together), which costs a step per row, not per entry;
then the loop runs, and every entry of its result must be a number.  Only when
the loop fails on an entry (text, None, a list) does the helper look at every
entry, to name the one at fault: so a well-formed call pays almost nothing for
its check, and a bad one gets a message that says which entry is wrong.  NaN and
infinities go through as IEEE arithmetic has them (the network's entry points
refuse them in their inputs and results); a ``bool`` entry is the number 0 or 1,
as in Python arithmetic.  The training loop and both backward paths call these
same helpers.

The checks behind them, which the rest of the package uses too: ``check_matrix``
(every entry, for a boundary such as a network's input), ``check_vector``,
``finite_number``, and ``isnumber``/``isint`` (int or float, or int, never bool,
on every interpreter).

Bad input raises :class:`~tinybackprop.errors.BackpropError`:

>>> matmul([[1.0, 2.0, 3.0, 4.0]], [[0.0] * 3] * 3)
Traceback (most recent call last):
  ...
tinybackprop.errors.BackpropError: matmul: cannot multiply 1x4 by 3x3 (inner sizes 4 and 3 differ)
>>> matmul([[1.0, "2"]], [[1.0], [2.0]])
Traceback (most recent call last):
  ...
tinybackprop.errors.BackpropError: matmul: A[0][1] is '2' (str), not a number; convert text to numbers with float() first
"""
from ._compat import HAVE_OPERATOR, TYPE_CHECKING, isfinite, mul, sumprod, sumprod_py
from .errors import BackpropError, show

if TYPE_CHECKING:
    from typing import Any, Callable, Tuple
    from ._compat import Matrix, MatrixLike, Row


def isnumber(x: object) -> bool:
    """True for an int or float (bool excluded on every interpreter).

    >>> isnumber(1), isnumber(2.5), isnumber(True), isnumber("3")
    (True, True, False, False)
    """
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def isint(x: object) -> bool:
    """True for an int (bool excluded on every interpreter).

    >>> isint(3), isint(3.0), isint(True)
    (True, False, False)
    """
    return isinstance(x, int) and not isinstance(x, bool)


#: The largest matrix a helper builds from sizes alone (zeros): 10^8 entries.
MAX_ENTRIES = 10 ** 8


def _kind(x):
    return type(x).__name__


def finite_number(x: "Any") -> bool:
    """True for an int or float (not a bool) that is finite as a float.

    >>> finite_number(2.5), finite_number(float("nan")), finite_number(10 ** 400), finite_number(True)
    (True, False, False, False)
    """
    if not isnumber(x):
        return False
    try:
        return isfinite(x)
    except OverflowError:  # an int beyond the float range
        return False


_PLAIN = {int, float}
_ROW = {list, tuple}


def _looks_fine(A):
    """A quick test that passes for a well-formed matrix of finite numbers.

    It looks at the types of a row at once (``map(type, row)``, a C loop: a row of
    floats is ``n`` times ``float``, compared as a list, else every type must be int or
    float) and at its sum: the sum of a row is finite only if every entry is, so one
    ``isfinite`` per row replaces one per entry.  It may say False for a matrix that is
    fine (a sum that overflows, a float subclass); the full check below then decides,
    and writes the message.
    """
    if not isinstance(A, (list, tuple)) or len(A) == 0:
        return False
    n = len(A[0]) if isinstance(A[0], (list, tuple)) else 0
    if n == 0:
        return False
    floats = [float] * n
    plain = _PLAIN.issuperset
    try:
        for row in A:
            if type(row) not in _ROW or len(row) != n or (list(map(type, row)) != floats and not plain(map(type, row))) \
                    or not isfinite(sum(row)):
                return False
    except OverflowError:  # the sum of huge ints does not fit a float
        return False
    return True


def check_matrix(A: "MatrixLike", op: str, name: str = "A") -> "Tuple[int, int]":
    """Return (rows, cols) of matrix ``A`` or raise BackpropError saying what is wrong.

    A well-formed matrix passes :func:`_looks_fine` and is done.  Otherwise the
    rows are checked in order, each again in one go (plain numbers, finite sum);
    only a row that fails that is scanned entry by entry, to name the bad value's
    position.

    >>> check_matrix([[1, 2], [3, 4]], "demo")
    (2, 2)
    >>> check_matrix([[1.0, 2.0], [3.0, float("nan")]], "demo", "X")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: demo: X[1][1] is nan; only finite numbers are allowed
    """
    if _looks_fine(A):  # the common case, at a fraction of the cost of the loop below
        return len(A), len(A[0])
    if not isinstance(A, (list, tuple)):
        raise BackpropError("%s: %s must be a list of rows (a list of lists of numbers), got %s"
                            % (op, name, _kind(A)))
    if len(A) == 0:
        raise BackpropError("%s: %s is empty (it has no rows)" % (op, name))
    n = None
    for r, row in enumerate(A):
        if not isinstance(row, (list, tuple)):
            raise BackpropError("%s: %s[%d] must be a row (a list of numbers), got %s %s; "
                                "a row vector is written [[x1, x2, ...]]"
                                % (op, name, r, _kind(row), show(row)))
        if n is None:
            n = len(row)
            if n == 0:
                raise BackpropError("%s: %s[0] is empty (a row needs at least one number)" % (op, name))
        elif len(row) != n:
            raise BackpropError("%s: %s is ragged: row 0 has %d entries but row %d has %d"
                                % (op, name, n, r, len(row)))
        try:
            ok = _PLAIN.issuperset(map(type, row)) and isfinite(sum(row))
        except OverflowError:  # an int beyond the float range
            ok = False
        if not ok:
            _scan_row(row, r, op, name)
    return len(A), n  # type: ignore[return-value]  # n is an int: A has at least one row


def _scan_row(row, r, op, name):
    """Look at every entry of a row that failed the fast check; raise for the first bad one.

    (A row of huge but finite numbers can fail the fast check only because their
    sum overflows; such a row passes here.)
    """
    for c, x in enumerate(row):
        if not isnumber(x):
            hint = ""
            if isinstance(x, (list, tuple)):
                hint = "; a matrix is nested exactly two deep, [[x11, x12], [x21, x22]]"
            elif isinstance(x, str):
                hint = "; convert text to numbers with float() first"
            raise BackpropError("%s: %s[%d][%d] is %s (%s), not a number%s"
                                % (op, name, r, c, show(x), _kind(x), hint))
        try:
            finite = isfinite(x)
        except OverflowError:
            raise BackpropError("%s: %s[%d][%d] is an int too large for a float (|x| > 1.8e308)"
                                % (op, name, r, c))
        if not finite:
            raise BackpropError("%s: %s[%d][%d] is %r; only finite numbers are allowed"
                                % (op, name, r, c, x))


def check_vector(u: "Row", op: str, name: str) -> "Row":
    """Accept a flat list of numbers or a 1 x n row; return the flat list
    (or raise BackpropError, naming ``op`` and ``name``).

    >>> check_vector([[1.0, 2.0]], "demo", "u"), check_vector([3.0], "demo", "u")
    ([1.0, 2.0], [3.0])
    """
    if isinstance(u, (list, tuple)) and len(u) > 0 and isinstance(u[0], (list, tuple)):
        m, n = check_matrix(u, op, name)
        if m != 1:
            raise BackpropError("%s: %s must be a vector (a flat list or a 1 x n row), got %dx%d"
                                % (op, name, m, n))
        return u[0]
    check_matrix([u] if isinstance(u, (list, tuple)) else u, op, name)
    return u


def _fmt(s):
    return "%dx%d" % s


# -- the checks of the helpers: shapes first, entries only when something is wrong ------------

def _rows(A, op, name):
    """(rows, cols) of ``A`` from its shape alone: a non-empty list of non-empty rows of one
    length, looked at in two C loops (the rows' types, their lengths).  The entries are looked
    at by :func:`_entries` when needed; anything less plain (a subclass of list) gets the
    full check, which accepts it."""
    if type(A) in _ROW and A and _ROW.issuperset(map(type, A)):
        n = len(A[0])
        if n and len(set(map(len, A))) == 1:
            return len(A), n
    return check_matrix(A, op, name)  # raises, naming what is wrong


def _entries(op, named):
    """Look at every entry of the arguments ``named`` ((name, matrix) pairs); raise for the
    first that is not a finite number.  Called when a loop failed or gave a non-finite result."""
    for name, A in named:
        check_matrix(A, op, name)


def _run(op, named, loop, *args):
    """``loop(*args)``, a helper's result, once every entry of it is a number: one ``sum`` per
    row, all in C (``sum(map(sum, C))``), which fails on text, None or a list, then a comparison
    that refuses a complex number.  When the loop or that sum fails (an int too big for a float
    too), the arguments ``named`` ((name, matrix) pairs) are checked entry by entry, to name the
    one at fault.  A NaN or an infinity is a number: it goes through, as IEEE arithmetic has it
    (the network's entry points refuse non-finite inputs and results)."""
    try:
        C = loop(*args)
        sum(map(sum, C)) < 0.0
    except (TypeError, OverflowError):  # text, None, a list where a number belongs; an int too big
        _entries(op, named)
        raise
    return C


def _same_shape(op, A, B):
    sa, sb = _rows(A, op, "A"), _rows(B, op, "B")
    if sa != sb:
        raise BackpropError("%s: shapes %s and %s differ (both must be the same)"
                            % (op, _fmt(sa), _fmt(sb)))
    return sa


# -- the fast loops (one per helper, no check) --------------------------------------------------

if sumprod is not sumprod_py:  # math.sumprod (CPython 3.12+): one C call per entry
    def _products(A, cols):
        return [[sumprod(row, col) for col in cols] for row in A]
elif HAVE_OPERATOR:  # sum(map(mul, ...)) written out: no Python-level call per entry
    def _products(A, cols):
        return [[sum(map(mul, row, col)) for col in cols] for row in A]
else:  # MicroPython: sumprod_py's index loop
    def _products(A, cols):
        return [[sumprod_py(row, col) for col in cols] for row in A]


def _matmul(A, B):
    if len(B) == 1:  # inner dimension 1: each row of A holds one number (an outer product)
        b = B[0]
        return [[a * x for x in b] for (a,) in A]
    return _products(A, list(zip(*B)))


def _transpose(A):
    if len(A) == 1:  # a row becomes a column
        return [[x] for x in A[0]]
    return [list(col) for col in zip(*A)]


def _add(A, B):
    if len(B) == 1 and len(A) != 1:
        b = B[0]
        return [[x + y for x, y in zip(row, b)] for row in A]
    return [[x + y for x, y in zip(ra, rb)] for ra, rb in zip(A, B)]


def _subtract(A, B):
    return [[x - y for x, y in zip(ra, rb)] for ra, rb in zip(A, B)]


def _scale(A, c):
    return [[c * x for x in row] for row in A]


def _colsum(A):
    if len(A) == 1:  # one row: its own sum
        return [list(A[0])]
    return [[sum(col) for col in zip(*A)]]


def _apply(f, A, more):
    if not more:
        return [list(map(f, row)) for row in A]
    return [list(map(f, *rows)) for rows in zip(A, *more)]


def _copy(A):
    return [list(row) for row in A]


def _outer(u, v):
    return [[ui * vj for vj in v] for ui in u]


def _applied(op, f, A, more):
    """apply's and apply_rows's checks (f a function, the matrices of one shape): the names
    of the matrices, for :func:`_run`'s message."""
    if not callable(f):
        raise BackpropError("%s: f must be a function, got %s" % (op, _kind(f)))
    for B in more:
        _same_shape(op, A, B)
    if not more:
        _rows(A, op, "A")
    return tuple(zip("ABCDEFGH", (A,) + more))


def _apply_rows(f, A, more):
    C = list(map(f, A, *more))
    n = len(A[0])
    if not (_ROW.issuperset(map(type, C)) and set(map(len, C)) == {n}):  # each a row of A's length
        for row in C:
            if not isinstance(row, (list, tuple)) or len(row) != n:
                raise BackpropError("apply_rows: f made %s from a row of %d; it must keep the length"
                                    % ("a row of %d entries" % len(row) if isinstance(row, (list, tuple))
                                       else "%s, not a row," % _kind(row), n))
    return C


# -- the helpers -----------------------------------------------------------------------------------

def shape(A: "Matrix") -> "Tuple[int, int]":
    """(rows, columns) of a matrix, after checking every entry.

    >>> shape([[1.0, 2.0, 3.0]])
    (1, 3)
    """
    return check_matrix(A, "shape")


def zeros(m: int, n: int) -> "Matrix":
    """m x n matrix of zeros.

    >>> zeros(2, 3)
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    for name, v in (("m", m), ("n", n)):
        if not isint(v) or v < 1:
            raise BackpropError("zeros: %s must be an int >= 1, got %s" % (name, show(v)))
    if m * n > MAX_ENTRIES:
        raise BackpropError("zeros: %s x %s is more than %d entries" % (show(m), show(n), MAX_ENTRIES))
    return [[0.0] * n for _ in range(m)]


def copy(A: "Matrix") -> "Matrix":
    """A new matrix with the same entries (changing it leaves ``A`` alone).

    >>> copy([[1.0, 2.0]])
    [[1.0, 2.0]]
    """
    _rows(A, "copy", "A")
    return _run("copy", (("A", A),), _copy, A)


def transpose(A: "Matrix") -> "Matrix":
    """A^T: row i of the result is column i of ``A``.

    >>> transpose([[1.0, 2.0, 3.0]])
    [[1.0], [2.0], [3.0]]
    """
    _rows(A, "transpose", "A")
    return _run("transpose", (("A", A),), _transpose, A)


def matmul(A: "Matrix", B: "Matrix") -> "Matrix":
    """The matrix product A B of an m x k and a k x n matrix: entry (i, j) is
    row i of A times column j of B, summed.

    >>> matmul([[1.0, 2.0]], [[3.0, 4.0], [5.0, 6.0]])
    [[13.0, 16.0]]
    >>> matmul([[2.0], [3.0]], [[1.0, 10.0]])  # inner size 1: an outer product
    [[2.0, 20.0], [3.0, 30.0]]
    """
    sa, sb = _rows(A, "matmul", "A"), _rows(B, "matmul", "B")
    if sa[1] != sb[0]:
        raise BackpropError("matmul: cannot multiply %s by %s (inner sizes %d and %d differ)"
                            % (_fmt(sa), _fmt(sb), sa[1], sb[0]))
    return _run("matmul", (("A", A), ("B", B)), _matmul, A, B)


def hadamard(A: "Matrix", B: "Matrix") -> "Matrix":
    """The element-wise (Hadamard) product A o B of two matrices of one shape.

    >>> hadamard([[1.0, 2.0]], [[3.0, 4.0]])
    [[3.0, 8.0]]
    """
    _same_shape("hadamard", A, B)
    return _run("hadamard", (("A", A), ("B", B)), _apply, mul, A, (B,))


def outer(u: "Row", v: "Row") -> "Matrix":
    """The outer product u^T v of two vectors (flat lists or 1 x n rows).

    For one example, the weight gradient ``(a^[l-1])^T g^[lz]`` is this outer product.

    >>> outer([1.0, 2.0], [[3.0, 4.0, 5.0]])
    [[3.0, 4.0, 5.0], [6.0, 8.0, 10.0]]
    """
    u, v = check_vector(u, "outer", "u"), check_vector(v, "outer", "v")
    return _run("outer", (), _outer, u, v)


def add(A: "Matrix", B: "Matrix") -> "Matrix":
    """A + B for matrices of one shape, or for an m x n ``A`` and a 1 x n row ``B``
    added to every row (as the bias in ``z = aW + b`` over a batch).

    >>> add([[1.0, 2.0], [3.0, 4.0]], [[10.0, 20.0]])
    [[11.0, 22.0], [13.0, 24.0]]
    """
    sa, sb = _rows(A, "add", "A"), _rows(B, "add", "B")
    if sa != sb and not (sb[0] == 1 and sb[1] == sa[1]):
        raise BackpropError("add: cannot add %s and %s (B must be %s or a 1x%d row)"
                            % (_fmt(sa), _fmt(sb), _fmt(sa), sa[1]))
    return _run("add", (("A", A), ("B", B)), _add, A, B)


def subtract(A: "Matrix", B: "Matrix") -> "Matrix":
    """A - B for matrices of one shape.

    >>> subtract([[5.0, 5.0]], [[1.0, 2.0]])
    [[4.0, 3.0]]
    """
    _same_shape("subtract", A, B)
    return _run("subtract", (("A", A), ("B", B)), _subtract, A, B)


def scale(A: "Matrix", c: float) -> "Matrix":
    """c A for a finite number ``c``.

    >>> scale([[1.0, -2.0]], 3)
    [[3.0, -6.0]]
    """
    _rows(A, "scale", "A")
    if not finite_number(c):
        raise BackpropError("scale: c must be a finite number, got %s" % show(c))
    return _run("scale", (("A", A),), _scale, A, c)


def colsum(A: "Matrix") -> "Matrix":
    """Column sums as a 1 x n row; summing ``g^[lz]`` over the batch gives ``g^[lb]``.

    >>> colsum([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    [[9.0, 12.0]]
    """
    _rows(A, "colsum", "A")
    return _run("colsum", (("A", A),), _colsum, A)


def apply(f: "Callable[..., float]", A: "Matrix", *more: "Matrix") -> "Matrix":
    """f(x) for every entry x of ``A``; with more matrices of the same shape,
    f(x, y, ...) for the entries at the same place (``apply(phi.d, z, a)`` gives
    phi'(z) from z and a = phi(z) entry by entry).

    >>> apply(lambda x: 2 * x, [[1.0, 2.0]])
    [[2.0, 4.0]]
    >>> apply(max, [[1.0, 5.0]], [[3.0, 2.0]])
    [[3.0, 5.0]]
    """
    return _run("apply", _applied("apply", f, A, more), _apply, f, A, more)


def apply_rows(f: "Callable[..., Row]", A: "Matrix", *more: "Matrix") -> "Matrix":
    """f(row) for every row of ``A``, where ``f`` maps a whole row (a list) to a row of the
    same length, as the softmax does; with more matrices of the same shape, f(row, row_B,
    ...) for the rows at the same place.  An activation's row form applies phi, or phi',
    to a layer a row at a time: ``apply_rows(phi.d_row, z, a)`` gives phi'(z), entry by
    entry what ``apply(phi.d, z, a)`` gives, without a Python call per entry.

    >>> apply_rows(lambda r: [x / sum(r) for x in r], [[1.0, 3.0], [2.0, 2.0]])
    [[0.25, 0.75], [0.5, 0.5]]
    >>> apply_rows(lambda r: r[:1], [[1.0, 3.0]])
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: apply_rows: f made a row of 1 entries from a row of 2; it must keep the length
    """
    return _run("apply_rows", _applied("apply_rows", f, A, more), _apply_rows, f, A, more)
