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
