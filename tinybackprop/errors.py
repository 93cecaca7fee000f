"""The package's one exception class.

Every refusal in tinybackprop raises :class:`BackpropError`, a ``ValueError``
subclass, with a message that names the operation, the shapes involved and,
for a bad value, its row and column.

>>> from tinybackprop import matmul, BackpropError
>>> try:
...     matmul([[1.0, 2.0, 3.0, 4.0]], [[1.0, 0.0, 0.0]] * 3)
... except BackpropError as e:
...     print(e)
matmul: cannot multiply 1x4 by 3x3 (inner sizes 4 and 3 differ)
"""


class BackpropError(ValueError):
    """Raised for any input tinybackprop cannot use, with a message saying why.

    >>> issubclass(BackpropError, ValueError)
    True
    """


def show(x, limit=80):
    """``repr(x)`` for a message about input we refuse: cut to ``limit``
    characters, and never failing itself (an int too long to print, a list
    nested too deeply).

    >>> show("sigmod")
    "'sigmod'"
    >>> show(list(range(100)), 20)
    '[0, 1, 2, 3, 4, 5...'
    """
    try:
        s = repr(x)
    except Exception:  # noqa: BLE001 - any repr may fail, e.g. an int with more digits than str() allows
        if isinstance(x, int):
            return "an int of %d bits" % x.bit_length()
        return "a %s that cannot be printed" % type(x).__name__
    if len(s) > limit:
        s = s[:limit - 3] + "..."
    return s
