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


def show(x: object, limit: int = 80) -> str:
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


def printable(text: str, keep: str = "\n") -> str:
    """``text`` with every character that can drive a terminal written as a
    visible escape: control characters (C0, DEL, C1: ESC and CSI start the
    sequences that clear a screen or set its title), lone surrogates (an
    undecodable byte of a file name), the bidirectional overrides that reorder
    what is shown, and the line and paragraph separators; the characters in
    ``keep`` stay.  For every user string a message or an output echoes.

    >>> printable("m\\x1b[2J.json")
    'm\\\\x1b[2J.json'
    >>> printable("caf\\u00e9 \\udcff \\u202e")
    'caf\u00e9 \\\\udcff \\\\u202e'
    """
    if not _ESCAPES:
        for o in (list(range(32)) + list(range(0x7f, 0xa0)) + list(range(0xd800, 0xe000)) + list(range(0x202a, 0x202f))
                  + list(range(0x2066, 0x206a)) + [0x2028, 0x2029, 0x200e, 0x200f, 0x061c]):
            _ESCAPES[o] = "\\x%02x" % o if o < 256 else "\\u%04x" % o
    table = _TABLES.get(keep)
    if table is None:
        table = dict(_ESCAPES)
        for c in keep:
            table.pop(ord(c), None)
        if len(_TABLES) < 8:
            _TABLES[keep] = table
    return text.translate(table)


_ESCAPES = {}  # type: dict  # code point -> its escape, for printable (filled on first use)
_TABLES = {}  # type: dict  # keep -> the escapes without those characters
