"""The model file: a network and the data saved beside it, as JSON on disk, within limits.

==========================================  ==================================================
``check_target(path, what)``                refuse, before any work, a name that cannot be
                                            saved to (and a Python without ``os``)
``write_model(d, path, data, what)``        ``Network.to_dict()`` data and the extra ``data``
                                            as readable JSON, written atomically
``read_model(path, what)``                  ``(d, data)`` from ONE bounded read of the file
``MAX_FILE_BYTES``, ``MAX_DEPTH``           what reading a model file may cost
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
from ._compat import json_dumps
from .errors import BackpropError

#: The largest model file ``load`` reads (checked before reading, and by ``save``
#: before writing): JSON of about a million weights.  Parsing JSON can take some
#: 20 times its size in memory, so this bounds what a file can cost.
MAX_FILE_BYTES = 32 * 2 ** 20
#: The deepest nesting of JSON brackets ``load`` parses (a model needs 4 or 5).
MAX_DEPTH = 16
#: The key under which ``save(path, data=...)`` stores extra data beside the network.
MODEL_DATA_KEY = "data"


def check_target(path, what="save"):
    """Refuse, before the network is even checked, a ``path`` that cannot be saved
    to, or a Python without the ``os`` module that an atomic write needs.

    >>> check_target("", "save")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: save: path must be a file name (a non-empty str), got ''
    """
    if files.os is None:
        raise BackpropError("%s: this Python has no os module, which writing a file atomically needs "
                            "(os.rename); write json.dumps(net.to_dict()) to a file yourself, and read it "
                            "back with Network.load" % what)
    files.check_target(path, what)


def write_model(d, path, data=None, what="save"):
    """Write the network's ``d`` (``Network.to_dict()``, already checked) and
    ``data`` (a JSON object, or None) to ``path`` as readable JSON, atomically,
    refusing what :func:`read_model` would refuse: data that is not strict JSON,
    a file over ``MAX_FILE_BYTES``.

    >>> write_model({}, "never-written.json", data=[1, 2])
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: save: data must be a dict (a JSON object), got list
    """
    if data is not None:
        if not isinstance(data, dict):
            raise BackpropError("%s: data must be a dict (a JSON object), got %s" % (what, type(data).__name__))
        d[MODEL_DATA_KEY] = data
    try:
        text = json_dumps(d, indent=1) + "\n"
    except (TypeError, ValueError) as e:
        raise BackpropError("%s: data cannot be saved as JSON: %s" % (what, e))
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise BackpropError("%s: the network's file would be %d bytes, more than the %d that load reads; "
                            "use smaller layers" % (what, size, MAX_FILE_BYTES))
    files.write_atomic(path, text, what)


def read_model(path, what="load"):
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
    text = files.read_text(path, what, MAX_FILE_BYTES, max_depth=MAX_DEPTH)
    try:
        d = json.loads(text)
    except ValueError as e:
        raise BackpropError("%s: %s is not valid JSON (truncated or corrupt?): %s" % (what, path, e))
    except RuntimeError:  # RecursionError on CPython; MicroPython raises RuntimeError
        raise BackpropError("%s: %s is not a saved network (its JSON is nested too deeply)" % (what, path))
    return d, (d.get(MODEL_DATA_KEY) if isinstance(d, dict) else None)
