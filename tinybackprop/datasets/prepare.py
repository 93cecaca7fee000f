"""What every data set needs before a network trains on it: class numbers as
targets, a seeded split, inputs standardised with the training part's statistics,
and the :class:`Task` that holds the result.  :mod:`tinybackprop.datasets` offers
all of it, with the data sets themselves.

=================================  ===================================================
``one_hot(labels, k)``             labels as rows of k zeros with a single 1
``binary(labels, positive)``       labels as [[1.0]] (the positive class) or [[0.0]]
``train_test_split(...)``          a seeded split into two disjoint parts
``split_validation(task, ...)``    validation rows taken from a task's training rows
``Standardizer``                   (x - mean) / std with the statistics of the training part
``Task``                           a data set ready for training
``data_path(name)``                the file ``name`` in the package's ``data/`` folder
=================================  ===================================================

>>> one_hot([0, 2], 3)
[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
"""
import gc
import math

from ..matrix import isint
from ..errors import BackpropError, show
from ..rng import Random

#: While a data set is read on MicroPython, the collector runs after every this many bytes
#: allocated (see :func:`collect_often`).
COLLECT_EVERY = 4096


def collect_often():
    """On MicroPython: have the collector run after every ``COLLECT_EVERY`` bytes allocated
    (``gc.threshold``, unless a smaller one is set) and return the threshold to give back
    to :func:`collect_as_before`; elsewhere nothing (None).

    Reading a data set leaves a little garbage beside every row it keeps (the line of text,
    its fields).  A collector that waits for a full heap, MicroPython's default, finds the
    rows kept spread over the whole heap among the holes that garbage leaves, and a list of
    a hundred rows then finds no room in one piece: the Iris run needed 150 kB of heap to be
    read that way, and 110 kB once the loader collects often (measured on a 32-bit build).
    CPython frees garbage as it goes and has no ``gc.threshold``.

    >>> collect_as_before(collect_often())
    """
    threshold = getattr(gc, "threshold", None)
    if threshold is None:
        return None
    old = threshold()
    if old < 0 or old > COLLECT_EVERY:
        threshold(COLLECT_EVERY)
    return old


def collect_as_before(old):
    """Give back the threshold :func:`collect_often` returned."""
    if old is not None:
        gc.threshold(old)


def data_path(name):
    """The path of the shipped file ``name`` (``tinybackprop/datasets/data/NAME``),
    found without os.path (MicroPython has no os.path).

    >>> data_path("iris.csv").endswith("data/iris.csv")
    True
    """
    folder = __file__  # tinybackprop/datasets/prepare.py -> tinybackprop/datasets
    cut = max(folder.rfind("/"), folder.rfind("\\"))
    folder = folder[:cut] if cut >= 0 else "."
    return folder + "/data/" + name



def _check_labels(labels, op):
    if not isinstance(labels, (list, tuple)) or not labels:
        raise BackpropError("%s: labels must be a non-empty list of class numbers" % op)
    for r, c in enumerate(labels):
        if not isint(c) or c < 0:
            raise BackpropError("%s: labels[%d] is %r, not a class number (an int >= 0)" % (op, r, c))


def one_hot(labels, k=None):
    """Each label c as a row of ``k`` numbers: 1.0 at position c, 0.0 elsewhere.

    >>> one_hot([0, 2], 3)
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    _check_labels(labels, "one_hot")
    if k is None:
        k = max(labels) + 1
    if max(labels) >= k:
        raise BackpropError("one_hot: label %d does not fit in %d classes" % (max(labels), k))
    return [[1.0 if j == c else 0.0 for j in range(k)] for c in labels]


def binary(labels, positive):
    """A one-column target: [1.0] for the ``positive`` class, [0.0] for every other.

    >>> binary([0, 1, 2], 2)
    [[0.0], [0.0], [1.0]]
    """
    _check_labels(labels, "binary")
    return [[1.0 if c == positive else 0.0] for c in labels]


def train_test_split(X, Y, test_fraction=0.2, seed=0, stratify=None):
    """Split the rows of ``X`` and ``Y`` into a training and a test part:
    returns ``(X_train, X_test, Y_train, Y_test)``.

    The rows are shuffled by the package's generator seeded with ``seed``, so
    the same seed gives the same split on every interpreter; every row lands in
    exactly one part.  With ``stratify`` (one class number per row) each class
    is split on its own, so both parts keep the class proportions.

    >>> X = [[float(i)] for i in range(10)]
    >>> Xtr, Xte, Ytr, Yte = train_test_split(X, X, test_fraction=0.3, seed=1)
    >>> len(Xtr), len(Xte), sorted(Xtr + Xte) == X
    (7, 3, True)
    """
    op = "train_test_split"
    if not isinstance(X, (list, tuple)) or not isinstance(Y, (list, tuple)):
        raise BackpropError("%s: X and Y must be lists of rows" % op)
    m = len(X)
    if len(Y) != m:
        raise BackpropError("%s: X has %d rows but Y has %d" % (op, m, len(Y)))
    if not isinstance(test_fraction, (int, float)) or isinstance(test_fraction, bool) \
            or not 0.0 < test_fraction < 1.0:
        raise BackpropError("%s: test_fraction must lie strictly between 0 and 1, got %r" % (op, test_fraction))
    if m < 2:
        raise BackpropError("%s: need at least 2 rows to split, got %d" % (op, m))
    rng = Random(seed)
    if stratify is None:
        groups = [list(range(m))]
    else:
        _check_labels(stratify, op)
        if len(stratify) != m:
            raise BackpropError("%s: stratify has %d labels for %d rows" % (op, len(stratify), m))
        groups = [[r for r in range(m) if stratify[r] == c] for c in sorted(set(stratify))]
    train_rows, test_rows = [], []
    for rows in groups:
        rng.shuffle(rows)
        n_test = int(round(test_fraction * len(rows)))
        test_rows.extend(rows[:n_test])
        train_rows.extend(rows[n_test:])
    if not train_rows or not test_rows:
        raise BackpropError("%s: test_fraction %r leaves one part empty for %d rows" % (op, test_fraction, m))
    train_rows.sort()
    test_rows.sort()
    return ([list(X[r]) for r in train_rows], [list(X[r]) for r in test_rows],
            [list(Y[r]) for r in train_rows], [list(Y[r]) for r in test_rows])


def split_validation(task, val_fraction, seed=0):
    """Take validation rows out of ``task``'s training rows, in place; returns ``task``.

    The test rows are not touched: the split that made them stays as it was, and the
    validation rows come from the training rows only, ``val_fraction`` of them (each
    class on its own for a classification, as :func:`train_test_split` stratifies,
    shuffled by ``Random(seed)``).  ``val_fraction`` 0 takes none (``X_val`` stays
    None).  The inputs keep the standardisation fitted on the training rows before
    the split (training and validation rows together, as Keras's ``validation_split``
    and scikit-learn's ``validation_fraction`` do): the test rows never touch it.

    >>> from tinybackprop.datasets import iris_task
    >>> t = split_validation(iris_task(), 0.2)
    >>> len(t.X_train), len(t.X_val), len(t.X_test)
    (96, 24, 30)
    """
    op = "split_validation"
    if not isinstance(val_fraction, (int, float)) or isinstance(val_fraction, bool) \
            or not 0.0 <= val_fraction < 1.0:
        raise BackpropError("%s: val_fraction must be a number from 0 up to (not including) 1, got %s"
                            % (op, show(val_fraction)))
    if task.X_val is not None:
        raise BackpropError("%s: this task already has validation rows" % op)
    if val_fraction == 0:
        return task
    from ..training import predicted_class  # on first use: a board that only predicts never loads training
    labels = [predicted_class(y) for y in task.Y_train] if task.kind == "classification" else None
    try:
        X_tr, X_val, Y_tr, Y_val = train_test_split(task.X_train, task.Y_train, test_fraction=val_fraction,
                                                    seed=seed, stratify=labels)
    except BackpropError as e:
        raise BackpropError("%s: val_fraction %r of %d training rows: %s" % (
            op, val_fraction, len(task.X_train), str(e).split(": ", 1)[-1].replace("test_fraction", "the fraction")))
    task.X_train, task.Y_train, task.X_val, task.Y_val = X_tr, Y_tr, X_val, Y_val
    task.val_fraction = float(val_fraction)
    return task


def _finite(v, op, where):
    """``v`` as a finite float, or BackpropError saying what it is."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise BackpropError("%s: %s is %s, not a number" % (op, where, show(v)))
    try:
        x = float(v)
    except OverflowError:
        raise BackpropError("%s: %s is an int too large for a float (%s)" % (op, where, show(v)))
    if x - x != 0.0:
        raise BackpropError("%s: %s is %r; only finite numbers can be standardised" % (op, where, x))
    return x


def _mean_std(col, m):
    """Mean and population standard deviation of the floats ``col``; in units of
    the largest |value| when the plain sums overflow or underflow."""
    try:
        mu = sum(col) / m
        s = math.sqrt(sum((v - mu) ** 2 for v in col) / m)
        if mu - mu == 0.0 and (s > 1e-150 or min(col) == max(col)):
            return mu, s
    except OverflowError:  # a square beyond the float range
        pass
    scale = max(abs(v) for v in col)
    u = [v / scale for v in col]
    mu_u = sum(u) / m
    return mu_u * scale, math.sqrt(sum((v - mu_u) ** 2 for v in u) / m) * scale


def _check_row(new, row, op, r, formula):
    for j, v in enumerate(new):
        if v - v != 0.0:
            raise BackpropError("%s: row %d: %s is not a finite number for column %d (x = %s): too large for "
                                "the float range" % (op, r, formula, j, show(row[j] if j < len(row) else None)))


class Standardizer:
    """x' = (x - mean) / std per column, with mean and std fitted on ONE data set
    (the training part) and then applied unchanged to any other (the test part,
    new inputs), so nothing about the test data leaks into training.

    ``std`` is the population standard deviation; a constant column gets std 1.

    >>> s = Standardizer().fit([[1.0, 10.0], [3.0, 10.0]])
    >>> s.mean, s.std
    ([2.0, 10.0], [1.0, 1.0])
    >>> s.transform([[5.0, 12.0]])
    [[3.0, 2.0]]
    """

    def __init__(self, mean=None, std=None):
        self.mean = mean
        self.std = std

    def fit(self, X):
        """Learn the column means and standard deviations of ``X``; returns self.
        Every entry must be a finite number.  Columns of numbers near the ends
        of the float range (1e300, 1e-200) are measured in units of their
        largest value, so that no square overflows or vanishes.

        >>> s = Standardizer().fit([[1e-200], [3e-200]])
        >>> round(s.mean[0] / 1e-200, 12), round(s.std[0] / 1e-200, 12)
        (2.0, 1.0)
        """
        op = "Standardizer.fit"
        if not isinstance(X, (list, tuple)) or not X or not isinstance(X[0], (list, tuple)) or not X[0]:
            raise BackpropError("%s: X must be a non-empty list of rows" % op)
        m, n = len(X), len(X[0])
        for r, row in enumerate(X):
            if len(row) != n:
                raise BackpropError("%s: X is ragged: row 0 has %d entries, row %d has %d" % (op, n, r, len(row)))
            for j, v in enumerate(row):
                if type(v) is not float or v - v != 0.0:  # the name of the entry is written only for a bad one
                    _finite(v, op, "X[%d][%d]" % (r, j))
        mean, std = [], []
        for j in range(n):
            mu, s = _mean_std([float(row[j]) for row in X], m)
            if s - s != 0.0:
                raise BackpropError("%s: column %d spreads too widely: its standard deviation is beyond the float "
                                    "range" % (op, j))
            mean.append(mu)
            std.append(s if s > 0.0 else 1.0)
        self.mean, self.std = mean, std
        return self

    def transform(self, X):
        """Apply the fitted statistics to the rows of ``X``: (x - mean) / std,
        refused where that is not a finite number (naming the row)."""
        if self.mean is None:
            raise BackpropError("Standardizer.transform: call fit(X_train) first")
        n = len(self.mean)
        out = []
        for r, row in enumerate(X):
            if len(row) != n:
                raise BackpropError("Standardizer.transform: row %d has %d entries, the fitted data had %d"
                                    % (r, len(row), n))
            try:
                new = [(x - mu) / s for x, mu, s in zip(row, self.mean, self.std)]
            except (OverflowError, TypeError):
                new = [float("nan")]
            total = sum(new)
            if total - total != 0.0:  # an entry that is not finite (or a sum that overflows): which one
                _check_row(new, row, "Standardizer.transform", r, "(x - mean) / std")
            out.append(new)
        return out

    def inverse(self, X):
        """Undo :meth:`transform`: x = x' std + mean (a prediction back in the data's units),
        refused where that is not a finite number (naming the row).

        >>> Standardizer([10.0], [2.0]).inverse([[1.5]])
        [[13.0]]
        """
        if self.mean is None:
            raise BackpropError("Standardizer.inverse: call fit(X_train) first")
        out = []
        for r, row in enumerate(X):
            try:
                new = [z * sd + mu for z, mu, sd in zip(row, self.mean, self.std)]
            except (OverflowError, TypeError):
                new = [float("nan")]
            _check_row(new, row, "Standardizer.inverse", r, "x' std + mean")
            out.append(new)
        return out

    def to_dict(self):
        """The statistics as plain data (for saving beside a model).

        >>> Standardizer([1.0], [2.0]).to_dict()
        {'mean': [1.0], 'std': [2.0]}
        """
        return {"mean": list(self.mean), "std": list(self.std)}

    @classmethod
    def from_dict(cls, d):
        """Rebuild from :meth:`to_dict` data, checking it.

        >>> Standardizer.from_dict({"mean": [1.0], "std": [2.0]}).transform([[5.0]])
        [[2.0]]
        """
        try:
            mean = [_finite(x, "Standardizer", "mean[%d]" % i) for i, x in enumerate(d["mean"])]
            std = [_finite(x, "Standardizer", "std[%d]" % i) for i, x in enumerate(d["std"])]
        except (KeyError, TypeError, IndexError):
            raise BackpropError("Standardizer: expected {'mean': [...], 'std': [...]} with numbers")
        if len(mean) != len(std) or not mean or min(std) <= 0.0:
            raise BackpropError("Standardizer: mean and std must have the same length and std must be > 0")
        return cls(mean, std)


class Task:
    """A data set ready for training: ``X_train, Y_train, X_test, Y_test``
    (inputs standardised with the training statistics), the ``standardizer``,
    the ``classes`` that the outputs stand for, and a ``description``.
    ``X_val, Y_val``: validation rows, None until :func:`split_validation` takes
    them from the training rows.

    ``kind`` is ``"classification"`` or ``"regression"``; ``features`` names
    the input columns.  A regression task also has ``target`` (the column's
    name) and ``target_standardizer``: its targets are standardised with the
    training part's mean and standard deviation, which turn predictions back
    into the target's units (``target_standardizer.inverse``)."""

    def __init__(self, name, X_train, Y_train, X_test, Y_test, standardizer, classes, description,
                 kind="classification", features=None, target=None, target_standardizer=None):
        self.name = name
        self.X_train, self.Y_train = X_train, Y_train
        self.X_test, self.Y_test = X_test, Y_test
        self.standardizer = standardizer
        self.classes = classes
        self.description = description
        self.kind = kind
        self.features = features
        self.target = target
        self.target_standardizer = target_standardizer
        self.X_val = self.Y_val = None
        self.val_fraction = 0.0
