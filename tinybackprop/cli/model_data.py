"""The model file's ``data`` section: what ``train --save`` writes, and the ONE check of it on load.

``tinybackprop train --save`` stores, beside the network, how its inputs were
prepared and what its outputs mean, as the JSON object ``"data"`` (all keys
optional, so older model files still load; each one is checked on load by
:func:`check_model_data`):

=======================  =================================================================
``dataset``              ``"iris"``, ``"xor"``, ``"digits"`` or ``"csv"``
``task``                 a one-line description (``"handwritten digits, ..."``)
``kind``                 ``"classification"`` or ``"regression"``
``classes``              class names, one per output (two for a single sigmoid output:
                         ``[class 0, class 1]``); null for regression
``standardize``          ``{"mean": [...], "std": [...]}``, one entry per input: x' = (x - mean) / std
``features``             the input names, in the order the network takes them
``target``               the CSV column the network predicts
``target_standardize``   regression: ``{"mean": [m], "std": [s]}``; a prediction is yhat s + m
``split``                ``{"seed": int, "test_fraction": float, "val_fraction": float}``:
                         the test rows, then the validation rows taken from the rest
                         (``val_fraction`` absent: 0, files saved before it existed)
``training``             how it was trained: optimizer and its settings, lr, epochs (all of
                         them, resumed runs included), batch size, path, seed, schedule,
                         patience, the epoch early stopping kept (written by ``train
                         --save``; what ``train --model`` resumes with; not needed to predict)
``optimizer_state``      the optimizer's buffers and step count at the end of training
                         (``{"steps": int, "layers": {"1": {"W": {"exp_avg": [[...]]}, "b":
                         ...}}}``), so that ``train --model`` resumes it; absent for the plain
                         step, which has none
=======================  =================================================================

>>> from tinybackprop import Network
>>> check_model_data({"kind": "clustering"}, Network([2, 2]), "m.json")
Traceback (most recent call last):
  ...
tinybackprop.errors.BackpropError: m.json: field 'data'.'kind' must be 'classification' or 'regression', got 'clustering'
"""
from .. import datasets as ds
from .._compat import isfinite
from ..errors import BackpropError, show
from ..matrix import isnumber
from ..modelfile import MODEL_DATA_KEY
from ..network import Network

KINDS = ("classification", "regression")


def data_section(task, seed, test_fraction, val_fraction=0.0):
    """The ``data`` object ``train --save`` writes beside the network."""
    d = {
        "dataset": task.name, "task": task.description, "kind": task.kind, "classes": task.classes,
        "standardize": task.standardizer.to_dict() if task.standardizer else None,
        "features": task.features,
    }
    if task.name in ("digits", "csv", "iris"):  # export rebuilds the test rows of Iris and the digits from it
        d["split"] = {"seed": seed, "test_fraction": test_fraction, "val_fraction": val_fraction}
    if task.target is not None:
        d["target"] = task.target
    if task.target_standardizer is not None:
        d["target_standardize"] = task.target_standardizer.to_dict()
    return d


def load_model(path, what="load"):
    """The network in ``path`` and the extra data ``train --save`` stores beside
    it (or {}), from ONE read of the file, the data checked field by field."""
    net, extra = Network.read(path, what)
    if extra is None:
        extra = {}
    check_model_data(extra, net, "%s: %s" % (what, path))
    return net, extra



def _need(ok, source, key, want, value):
    if not ok:
        raise BackpropError("%s: %s.%s must be %s, got %s" % (source, MODEL_DATA_KEY, key, want, show(value)))


def _strings(value, n, source, key):
    _need(isinstance(value, list) and len(value) == n and all(isinstance(v, str) and v for v in value),
          source, key, "a list of %d non-empty strings" % n, value)


def _finite(v):
    if not isnumber(v):
        return False
    try:
        return isfinite(float(v))
    except OverflowError:  # an int beyond the float range
        return False


def _numbers(value, n, source, key, positive=False):
    _need(isinstance(value, list) and len(value) == n, source, key, "a list of %d numbers (one per input)" % n, value)
    for i, v in enumerate(value):
        _need(_finite(v) and (not positive or v > 0), source, "%s[%d]" % (key, i),
              "a finite number > 0 (a standard deviation)" if positive else "a finite number", v)


def check_model_data(data, net, source):
    """Check the ``data`` object saved beside a model against its network, every
    field the CLI uses: ``classes`` (one name per output, two for a single output,
    distinct; null for regression), ``standardize`` (``mean`` and ``std``: one
    finite number per input, std > 0), ``features`` (one name per input),
    ``dataset``, ``task`` and ``target`` (text), ``kind``, ``target_standardize``
    (regression only) and ``split``.  Errors name the key.  Other keys are kept
    for other tools and ignored here.

    >>> check_model_data({"standardize": {"mean": [0.0], "std": [0.0]}}, Network([1, 1]), "load: m.json")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: load: m.json: data.standardize.std[0] must be a finite number > 0 (a standard deviation), got 0.0
    """
    if not isinstance(data, dict):
        raise BackpropError("%s: field %r must be an object, got %s" % (source, MODEL_DATA_KEY, show(data)))
    n_in, n_out = net.sizes[0], net.sizes[-1]
    for key in ("dataset", "task"):
        if data.get(key) is not None:
            _need(isinstance(data[key], str), source, key, "text", data[key])
    if data.get("classes") is not None:
        classes = data["classes"]
        n = 2 if n_out == 1 else n_out
        _strings(classes, n, source, "classes")
        _need(len(set(classes)) == n, source, "classes", "%d different names" % n, classes)
    if data.get("features") is not None:
        _strings(data["features"], n_in, source, "features")
    std = data.get("standardize")
    if std is not None:
        _need(isinstance(std, dict), source, "standardize", "an object {\"mean\": [...], \"std\": [...]}", std)
        for key in ("mean", "std"):
            _need(key in std, source, "standardize", "an object with %r" % key, std)
        _numbers(std["mean"], n_in, source, "standardize.mean")
        _numbers(std["std"], n_in, source, "standardize.std", positive=True)
    # the keys that training on the digits or on a CSV file adds
    if data.get("target") is not None and not isinstance(data["target"], str):
        raise BackpropError("%s: field 'data'.'target' must be a string, got %s" % (source, show(data["target"])))
    kind = data.get("kind")
    if kind is not None and kind not in KINDS:
        raise BackpropError("%s: field 'data'.'kind' must be 'classification' or 'regression', got %s"
                            % (source, show(kind)))
    if data.get("classes") is not None and kind == "regression":
        raise BackpropError("%s: field 'data'.'classes' must be null for a regression model" % source)
    ts = data.get("target_standardize")
    if ts is not None:
        if kind != "regression":
            raise BackpropError("%s: field 'data'.'target_standardize' belongs to a regression model only" % source)
        try:
            s = ds.Standardizer.from_dict(ts)
        except (BackpropError, TypeError, AttributeError, KeyError) as e:
            raise BackpropError("%s: field 'data'.'target_standardize': %s" % (source, e if isinstance(e, BackpropError)
                                                                             else "expected {'mean': [...], 'std': [...]}"))
        if len(s.mean) != n_out or len(s.std) != n_out or not all(
                x == x and abs(x) != float("inf") for x in s.mean + s.std) or not all(x > 0 for x in s.std):
            raise BackpropError("%s: field 'data'.'target_standardize' must hold %d finite mean(s) and "
                                "standard deviation(s) > 0" % (source, n_out))
    split = data.get("split")
    if split is not None:
        seed = split.get("seed") if isinstance(split, dict) else None
        frac = split.get("test_fraction") if isinstance(split, dict) else None
        val = split.get("val_fraction", 0.0) if isinstance(split, dict) else None
        if not isinstance(seed, int) or isinstance(seed, bool) or not isinstance(frac, (int, float)) \
                or isinstance(frac, bool) or not 0 < frac < 1 or not isinstance(val, (int, float)) \
                or isinstance(val, bool) or not 0 <= val < 1:
            raise BackpropError("%s: field 'data'.'split' must be {'seed': int, 'test_fraction': number in (0, 1), "
                                "'val_fraction': number in [0, 1)}, got %s" % (source, show(split)))
    if data.get("optimizer_state") is not None:
        check_optimizer_state(data["optimizer_state"], net, source)


def optimizer_state(optimizer):
    """The optimizer's buffers and step count as plain data (``data.optimizer_state``).

    >>> from tinybackprop import Network, vectorized
    >>> from tinybackprop.optimizers import SGD
    >>> net = Network([1, 1]); opt = SGD(lr=0.1, momentum=0.9)
    >>> opt.step(net, vectorized.backward(net, [[1.0]], [[1.0]]))
    >>> d = optimizer_state(opt); d["steps"], sorted(d["layers"]["1"]["W"])
    (1, ['momentum_buffer'])
    """
    return {"steps": optimizer.steps,
            "layers": dict((str(l), dict((kind, dict((name, [list(r) for r in B]) for name, B in bufs.items()))
                                         for kind, bufs in per_layer.items()))
                           for l, per_layer in optimizer.state.items())}


def check_optimizer_state(d, net, source):
    """Refuse a ``data.optimizer_state`` that does not fit ``net``: layers 1..L, ``W`` and
    ``b`` buffers of the parameters' shapes, finite numbers, a whole ``steps`` >= 0."""
    where = "%s: field 'data'.'optimizer_state'" % source
    if not isinstance(d, dict) or not isinstance(d.get("layers"), dict):
        raise BackpropError("%s must be {'steps': int, 'layers': {...}}, got %s" % (where, show(d)))
    steps = d.get("steps")
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 0:
        raise BackpropError("%s.steps must be a whole number >= 0, got %s" % (where, show(steps)))
    for key, per_layer in d["layers"].items():
        if not (isinstance(key, str) and key.isdigit() and 1 <= int(key) <= net.L) or not isinstance(per_layer, dict):
            raise BackpropError("%s: layer %s: the network's layers are 1..%d" % (where, show(key), net.L))
        l = int(key)
        for kind, bufs in per_layer.items():
            if kind not in ("W", "b") or not isinstance(bufs, dict):
                raise BackpropError("%s: layer %d: %s is not W or b with its buffers" % (where, l, show(kind)))
            P = (net.W if kind == "W" else net.b)[l]
            for name, B in bufs.items():
                ok = isinstance(B, list) and len(B) == len(P) and all(
                    isinstance(r, list) and len(r) == len(P[0]) and all(_finite(v) for v in r) for r in B)
                if not ok:
                    raise BackpropError("%s: layer %d: %s %s must be %dx%d finite numbers (the shape of %s^[%d])"
                                        % (where, l, kind, show(name), len(P), len(P[0]), kind, l))


def restore_optimizer_state(optimizer, d):
    """Put a checked ``data.optimizer_state`` into ``optimizer`` (as floats); refused when
    its buffers are not this optimizer's (a state saved by another optimizer)."""
    state = {}
    for key, per_layer in d["layers"].items():
        state[int(key)] = dict((kind, dict((name, [[float(v) for v in r] for r in B]) for name, B in bufs.items()))
                               for kind, bufs in per_layer.items())
        for kind, bufs in per_layer.items():
            if sorted(bufs) != sorted(optimizer.BUFFERS):
                raise BackpropError("the saved optimizer state holds %s, not the buffers of %s (%s)"
                                    % (", ".join(sorted(bufs)) or "no buffers", optimizer.name,
                                       ", ".join(optimizer.BUFFERS) or "none"))
    optimizer.state, optimizer.steps = state, d["steps"]

