"""Small data sets shipped inside the package, and the two chores every data set needs.

Nothing is downloaded: XOR is four lines of code and the Iris measurements
(Fisher, 1936; 150 flowers x 4 measurements in cm, 3 species) are the public
CSV file that scikit-learn also ships, stored in ``tinybackprop/data/iris.csv``.

=================================  ===================================================
``xor()``                          X (4 x 2) and Y (4 x 1): the classic non-linear task
``load_iris()``                    X (150 x 4) floats and the species labels 0, 1, 2
``one_hot(labels, k)``             labels as rows of k zeros with a single 1
``binary(labels, positive)``       labels as [[1.0]] (the positive class) or [[0.0]]
``train_test_split(...)``          a seeded split into two disjoint parts
``Standardizer``                   (x - mean) / std with the statistics of the training part
``iris_task(...)``                 all of the above for Iris, ready to train on
=================================  ===================================================

The module only needs ``math`` and the package's own generator, so it runs
wherever the core runs.

>>> X, labels = load_iris()
>>> len(X), len(X[0]), sorted(set(labels))
(150, 4, [0, 1, 2])
>>> IRIS_CLASSES
['setosa', 'versicolor', 'virginica']
"""
import math

from ._compat import isint
from .errors import BackpropError
from .rng import Random

IRIS_FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
IRIS_CLASSES = ["setosa", "versicolor", "virginica"]


def _data_path(name):
    # The folder of this file, without os.path (MicroPython has no os.path).
    here = __file__
    cut = max(here.rfind("/"), here.rfind("\\"))
    folder = here[:cut] if cut >= 0 else "."
    return folder + "/data/" + name


def xor():
    """The XOR truth table: X is 4 x 2, Y is 4 x 1 (1 when exactly one input is 1).

    >>> X, Y = xor()
    >>> [(x, y) for x, y in zip(X, Y)][1]
    ([0.0, 1.0], [1.0])
    """
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    Y = [[float((int(a) + int(b)) % 2)] for a, b in X]
    return X, Y


def load_iris(path=None):
    """The Iris data: ``X`` (150 rows of 4 measurements) and ``labels`` (0 setosa,
    1 versicolor, 2 virginica), in the order of the file.

    ``path`` reads another file of the same layout instead: a header line
    ``rows,columns,class names...``, then one line per example with the
    measurements and the class number.  Anything malformed raises BackpropError
    naming the line.

    >>> X, labels = load_iris()
    >>> X[0], labels[0], labels[-1]
    ([5.1, 3.5, 1.4, 0.2], 0, 2)
    """
    if path is None:
        path = _data_path("iris.csv")
    with open(path) as f:
        text = f.read()
    return parse_csv(text, path)


def parse_csv(text, source="csv"):
    """Parse the scikit-learn data layout (see :func:`load_iris`): returns (X, labels).

    >>> parse_csv("2,2,a,b\\n1.0,2.0,0\\n3.0,4.0,1\\n")
    ([[1.0, 2.0], [3.0, 4.0]], [0, 1])
    >>> parse_csv("1,2,a\\n1.0,oops,0\\n", "demo.csv")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: demo.csv line 2: 'oops' is not a number
    """
    lines = [line.strip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        raise BackpropError("%s: the file is empty" % source)
    head = lines[0].split(",")
    try:
        rows, cols = int(head[0]), int(head[1])
    except (ValueError, IndexError):
        raise BackpropError("%s line 1: expected a header 'rows,columns,class names...', got %r"
                            % (source, lines[0]))
    n_classes = len(head) - 2
    if len(lines) - 1 != rows:
        raise BackpropError("%s: the header announces %d examples but the file has %d (truncated?)"
                            % (source, rows, len(lines) - 1))
    X, labels = [], []
    for k in range(1, len(lines)):
        fields = lines[k].split(",")
        if len(fields) != cols + 1:
            raise BackpropError("%s line %d: expected %d measurements and a class number, got %d fields"
                                % (source, k + 1, cols, len(fields)))
        row = []
        for field in fields[:cols]:
            try:
                x = float(field)
            except ValueError:
                raise BackpropError("%s line %d: %r is not a number" % (source, k + 1, field))
            if x != x or x in (float("inf"), float("-inf")):
                raise BackpropError("%s line %d: %r is not a finite number" % (source, k + 1, field))
            row.append(x)
        try:
            label = int(fields[cols])
        except ValueError:
            raise BackpropError("%s line %d: class %r is not a whole number" % (source, k + 1, fields[cols]))
        if n_classes and not 0 <= label < n_classes:
            raise BackpropError("%s line %d: class %d is outside 0..%d" % (source, k + 1, label, n_classes - 1))
        X.append(row)
        labels.append(label)
    return X, labels


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
        """Learn the column means and standard deviations of ``X``; returns self."""
        if not isinstance(X, (list, tuple)) or not X or not isinstance(X[0], (list, tuple)) or not X[0]:
            raise BackpropError("Standardizer.fit: X must be a non-empty list of rows")
        m, n = len(X), len(X[0])
        for r, row in enumerate(X):
            if len(row) != n:
                raise BackpropError("Standardizer.fit: X is ragged: row 0 has %d entries, row %d has %d"
                                    % (n, r, len(row)))
        mean = [sum(row[j] for row in X) / m for j in range(n)]
        std = []
        for j in range(n):
            var = sum((row[j] - mean[j]) ** 2 for row in X) / m
            s = math.sqrt(var)
            std.append(s if s > 0.0 else 1.0)
        self.mean, self.std = mean, std
        return self

    def transform(self, X):
        """Apply the fitted statistics to the rows of ``X``."""
        if self.mean is None:
            raise BackpropError("Standardizer.transform: call fit(X_train) first")
        n = len(self.mean)
        out = []
        for r, row in enumerate(X):
            if len(row) != n:
                raise BackpropError("Standardizer.transform: row %d has %d entries, the fitted data had %d"
                                    % (r, len(row), n))
            out.append([(x - mu) / s for x, mu, s in zip(row, self.mean, self.std)])
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
            mean = [float(x) for x in d["mean"]]
            std = [float(x) for x in d["std"]]
        except (KeyError, TypeError, ValueError):
            raise BackpropError("Standardizer: expected {'mean': [...], 'std': [...]} with numbers")
        if len(mean) != len(std) or not mean or min(std) <= 0.0:
            raise BackpropError("Standardizer: mean and std must have the same length and std must be > 0")
        return cls(mean, std)


class Task:
    """A data set ready for training: ``X_train, Y_train, X_test, Y_test``
    (inputs standardised with the training statistics), the ``standardizer``,
    the ``classes`` that the outputs stand for, and a ``description``."""

    def __init__(self, name, X_train, Y_train, X_test, Y_test, standardizer, classes, description):
        self.name = name
        self.X_train, self.Y_train = X_train, Y_train
        self.X_test, self.Y_test = X_test, Y_test
        self.standardizer = standardizer
        self.classes = classes
        self.description = description


def iris_task(kind="binary", positive="virginica", test_fraction=0.2, seed=0):
    """Iris ready to train on: a stratified seeded split, standardised with the
    training part's statistics.

    ``kind="binary"``: one target column, 1.0 for the ``positive`` species and
    0.0 for the two others (for a sigmoid output and bce).  ``kind="multiclass"``:
    three one-hot columns (for a softmax output and cross entropy).

    >>> t = iris_task()
    >>> len(t.X_train), len(t.X_test), t.Y_train[0], t.classes
    (120, 30, [0.0], ['not virginica', 'virginica'])
    >>> len(iris_task("multiclass").Y_test[0])
    3
    """
    X, labels = load_iris()
    if kind == "binary":
        if positive not in IRIS_CLASSES:
            raise BackpropError("iris_task: positive must be one of %s, got %r" % (", ".join(IRIS_CLASSES), positive))
        Y = binary(labels, IRIS_CLASSES.index(positive))
        classes = ["not " + positive, positive]
        description = "Iris, %s against the rest" % positive
    elif kind == "multiclass":
        Y = one_hot(labels, 3)
        classes = list(IRIS_CLASSES)
        description = "Iris, 3 species"
    else:
        raise BackpropError("iris_task: kind must be 'binary' or 'multiclass', got %r" % (kind,))
    X_tr, X_te, Y_tr, Y_te = train_test_split(X, Y, test_fraction, seed, stratify=labels)
    s = Standardizer().fit(X_tr)
    return Task("iris", s.transform(X_tr), Y_tr, s.transform(X_te), Y_te, s, classes, description)


def xor_task():
    """XOR as a task: four examples, no held-out part (the test part is the
    training part itself: there is nothing else to test on).

    >>> t = xor_task()
    >>> t.X_train == t.X_test, t.standardizer
    (True, None)
    """
    X, Y = xor()
    return Task("xor", X, Y, [list(r) for r in X], [list(r) for r in Y], None, ["0", "1"], "XOR (4 examples)")
