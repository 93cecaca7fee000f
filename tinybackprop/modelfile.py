"""The model file: a network and the data saved beside it, as JSON on disk, within limits.

==========================================  ==================================================
``check_writable(path, what)``              refuse, before any work, a name that cannot be
                                            saved to (and a Python without ``os``)
``write_model(d, path, data, what)``        ``Network.to_dict()`` data and the extra ``data``
                                            as readable JSON, written atomically
``read_model(path, what)``                  ``(d, data)`` from ONE bounded read of the file
``model_text(d, path, what)``              the file's text, refused as load would refuse it
``MAX_FILE_BYTES``, ``MAX_DEPTH``, ...      what reading a model file may cost (checked
                                            before parsing, and before writing)
``MODEL_DATA_KEY``                          the key of the extra data: ``"data"``
==========================================  ==================================================

This module knows the file, not the network: :meth:`Network.save
<tinybackprop.network.Network.save>` checks the network and hands its ``to_dict()``
here; :meth:`Network.read <tinybackprop.network.Network.read>` rebuilds it from what
:func:`read_model` returns.  ``what`` is how the caller names the file's purpose
(``"save"``, ``"load"``, the CLI's ``"--save"``): every message starts with it.

>>> import tempfile, os
>>> p = os.path.join(tempfile.mkdtemp(), "m.json")
>>> write_model({"format": "tinybackprop-network"}, p, {"classes": ["no", "yes"]}, "save")
>>> read_model(p, "load")
({'format': 'tinybackprop-network', 'data': {'classes': ['no', 'yes']}}, {'classes': ['no', 'yes']})
"""
import json

from . import files
from ._compat import TYPE_CHECKING, json_dumps
from .errors import BackpropError

if TYPE_CHECKING:
    from typing import Any, Tuple

    from ._compat import Json

#: The largest model file ``load`` reads (checked before reading, and by ``save``
#: before writing): JSON of about a million weights.  Parsing JSON can take some
#: 20 times its size in memory, so this bounds what a file can cost.
MAX_FILE_BYTES = 32 * 2 ** 20
#: The deepest nesting of JSON brackets ``load`` parses (a model needs 4 or 5).
MAX_DEPTH = 16
#: The most values (numbers, strings, lists, objects) ``load`` parses, counted before
#: parsing: a network of a million weights needs at most two million (a weight, and
#: the row it sits in), its data section a few thousand.  Each costs the parser
#: 30 to 60 bytes, so this, not the file's size, bounds what reading it costs.
MAX_FILE_ITEMS = 21 * 10 ** 5
#: The longest whole number (in digits) a model file may hold: parsing one is
#: quadratic in its length on Python 3.8-3.10, and a model has no use for it.
MAX_INT_DIGITS = 100
#: The key under which ``save(path, data=...)`` stores extra data beside the network.
MODEL_DATA_KEY = "data"


def check_writable(path: str, what: str = "save") -> None:
    """Refuse, before the network is even checked, a ``path`` that cannot be saved
    to, or a Python without the ``os`` module that an atomic write needs.

    >>> check_writable("", "save")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: save: path must be a file name (a non-empty str), got ''
    """
    if files.os is None:
        raise BackpropError("%s: this Python has no os module, which writing a file atomically needs "
                            "(os.rename); write json.dumps(net.to_dict()) to a file yourself, and read it "
                            "back with Network.load" % what)
    files.check_target(path, what)


def write_model(d: "Json", path: str, data: "Json | None" = None, what: str = "save") -> None:
    """Write the network's ``d`` (``Network.to_dict()``, already checked) and
    ``data`` (a JSON object, or None) to ``path`` as readable JSON, atomically,
    refusing what :func:`read_model` would refuse: data that is not strict JSON,
    a file over ``MAX_FILE_BYTES``.

    >>> write_model({}, "never-written.json", data=[1, 2])
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: save: data must be a dict (a JSON object), got list
    """
    files.write_atomic(path, model_text(with_data(d, data, what), path, what), what)


def with_data(d: "Json", data: "Json | None", what: str = "save") -> "Json":
    """``d`` with ``data`` (a dict, or None for none) under ``MODEL_DATA_KEY``.

    >>> with_data({}, {"a": 1})
    {'data': {'a': 1}}
    """
    if data is not None:
        if not isinstance(data, dict):
            raise BackpropError("%s: data must be a dict (a JSON object), got %s" % (what, type(data).__name__))
        d[MODEL_DATA_KEY] = data
    return d


def model_text(d: "Json", path: str, what: str = "save") -> str:
    """The text of the model file ``d`` (with its data) would be, checked
    before anything is written as :func:`read_model` will check it, with the
    same words: its size, its nesting, its number of values, its numbers.

    >>> model_text({"data": {"n": 10 ** 200}}, "m.json")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: save: m.json: a whole number has more than 100 digits (a model file holds floats and small ints)
    """
    try:
        text = json_dumps(d, indent=1) + "\n"
    except (TypeError, ValueError) as e:
        raise BackpropError("%s: data cannot be saved as JSON: %s" % (what, e))
    data = text.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise BackpropError("%s: the network's file would be %d bytes, more than the %d that load reads; "
                            "use smaller layers" % (what, len(data), MAX_FILE_BYTES))
    files.check_json_bytes(data, what, path, MAX_DEPTH, MAX_FILE_ITEMS)
    if MODEL_DATA_KEY in d:  # the network's part was checked by Network.from_dict; the data is anything
        _parse(json_dumps(d[MODEL_DATA_KEY]), what, path)
    return text


def _parse(text: str, what: str, path: str) -> "Any":
    """json.loads, with whole numbers of at most MAX_INT_DIGITS digits."""
    def whole(digits: str) -> int:
        if len(digits) > MAX_INT_DIGITS + 1:
            raise BackpropError("%s: %s: a whole number has more than %d digits (a model file holds floats and "
                                "small ints)" % (what, path, MAX_INT_DIGITS))
        return int(digits)

    try:
        try:
            return json.loads(text, parse_int=whole)
        except TypeError:  # MicroPython: no parse_int (and no quadratic int parsing)
            return json.loads(text)
    except ValueError as e:
        if isinstance(e, BackpropError):
            raise
        raise BackpropError("%s: %s is not valid JSON (truncated or corrupt?): %s" % (what, path, e))
    except RuntimeError:  # RecursionError on CPython; MicroPython raises RuntimeError
        raise BackpropError("%s: %s: its JSON is nested too deeply (more than %d levels, the most load reads)"
                            % (what, path, MAX_DEPTH))


def read_model(path: str, what: str = "load") -> "Tuple[Any, Json | None]":
    """``(d, data)`` from the model file ``path``, read once (at most
    ``MAX_FILE_BYTES``, as UTF-8, at most ``MAX_DEPTH`` brackets deep) and parsed
    as JSON, never evaluated: ``d`` the whole object (``Network.from_dict`` checks
    it), ``data`` what is stored under ``"data"`` (None when there is none, or when
    ``d`` is no object; checking it is the caller's part).

    >>> read_model("/no/such/model.json")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: load: cannot read /no/such/model.json: ...
    """
    text = files.read_text(path, what, MAX_FILE_BYTES, max_depth=MAX_DEPTH, max_items=MAX_FILE_ITEMS)
    d = _parse(text, what, path)
    return d, (d.get(MODEL_DATA_KEY) if isinstance(d, dict) else None)
