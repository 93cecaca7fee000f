"""Small data sets shipped inside the package, your own CSV file, and the chores every data set needs.

Nothing is downloaded: XOR is four lines of code; the Iris measurements
(Fisher, 1936; 150 flowers x 4 measurements in cm, 3 species) are the public
CSV file that scikit-learn also ships, stored in ``tinybackprop/data/iris.csv``;
the handwritten digits (1,797 images of 8 x 8 pixels, values 0-16, digits 0-9)
are the test part of UCI's "Optical Recognition of Handwritten Digits" (E.
Alpaydin and C. Kaynak, 1998, licensed CC BY 4.0, https://doi.org/10.24432/C50P49),
as scikit-learn ships them, in ``tinybackprop/data/digits.csv.gz`` (see
``tinybackprop/data/README.md``).

=================================  ===================================================
``xor()``                          X (4 x 2) and Y (4 x 1): the classic non-linear task
``load_iris()``                    X (150 x 4) floats and the species labels 0, 1, 2
``load_digits()``                  X (1797 x 64) pixel values 0..16 and the digits 0..9
``load_csv(path, target, task)``   your own CSV file: X, Y and the class names (or the
                                   target's mean and standard deviation)
``one_hot(labels, k)``             labels as rows of k zeros with a single 1
``binary(labels, positive)``       labels as [[1.0]] (the positive class) or [[0.0]]
``train_test_split(...)``          a seeded split into two disjoint parts
``Standardizer``                   (x - mean) / std with the statistics of the training part
``iris_task(...)``                 all of the above for Iris, ready to train on
``digits_task(...)``               the same for the digits (pixels scaled to [0, 1])
``csv_task(path, ...)``            the same for a CSV file
``read_rows(path, features)``      rows of a CSV file to predict, by column name
=================================  ===================================================

The module needs ``math`` and the package's own generator, so it runs wherever
the core runs; only ``load_digits`` imports ``gzip`` (or MicroPython's
``deflate``), and only when it is called.

>>> X, labels = load_iris()
>>> len(X), len(X[0]), sorted(set(labels))
(150, 4, [0, 1, 2])
>>> IRIS_CLASSES
['setosa', 'versicolor', 'virginica']
"""
import math

from ._compat import isint
from .errors import BackpropError, show
from .rng import Random

IRIS_FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
IRIS_CLASSES = ["setosa", "versicolor", "virginica"]
DIGITS_CLASSES = [str(d) for d in range(10)]
#: The digits' 64 pixels, row by row: "pixel_r_c" for row r and column c (0..7) of the image.
DIGITS_FEATURES = ["pixel_%d_%d" % (r, c) for r in range(8) for c in range(8)]
#: The largest CSV file :func:`load_csv` reads, in bytes (10 MiB): pure Python trains on
#: thousands of rows, not millions, and a bigger file is almost surely a mistake.
CSV_MAX_BYTES = 10 * 1024 * 1024
#: A numeric target with at most this many distinct values, all whole numbers, is
#: read as class labels (classification); with more, as a quantity (regression).
CSV_MAX_AUTO_CLASSES = 10
#: Fields that mean "no value" in a CSV file (compared in lower case).
CSV_MISSING = ("", "na", "n/a", "nan", "null", "none", "?", "-")


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


def _read_gzip_text(path, op):
    """The text of a gzip-compressed UTF-8 file.  ``gzip`` (CPython, PyPy) or
    MicroPython's ``deflate`` is imported here, only when a caller needs it."""
    try:
        import gzip
    except ImportError:
        gzip = None
    try:
        if gzip is not None:
            with gzip.open(path, "rb") as f:
                data = f.read()
        else:
            try:
                import deflate  # MicroPython 1.21+
            except ImportError:
                raise BackpropError("%s: this Python has neither the gzip nor the deflate module, so it cannot "
                                    "unpack %s" % (op, path))
            with open(path, "rb") as raw:
                data = deflate.DeflateIO(raw, deflate.GZIP).read()
    except OSError as e:
        raise BackpropError("%s: cannot read %s: %s" % (op, path, e))
    except EOFError:
        raise BackpropError("%s: %s is truncated" % (op, path))
    return data.decode("utf-8")


def load_digits(path=None):
    """The handwritten digits: ``X`` (1797 images, each 64 pixel values 0..16,
    row by row) and ``labels`` (the digit 0..9 each image shows), in the order
    of the file ``tinybackprop/data/digits.csv.gz``.

    Source: E. Alpaydin and C. Kaynak (1998), "Optical Recognition of
    Handwritten Digits", UCI Machine Learning Repository,
    https://doi.org/10.24432/C50P49, licensed CC BY 4.0 (its test part, as
    scikit-learn ships it).  ``path`` reads another file of the same layout
    (65 whole numbers a line, gzip-compressed if the name ends in ``.gz``).

    >>> X, labels = load_digits()
    >>> len(X), len(X[0]), labels[:10]
    (1797, 64, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    >>> X[0][:8]  # the top row of the first image, a 0
    [0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]
    """
    op = "load_digits"
    if path is None:
        path = _data_path("digits.csv.gz")
    if path.endswith(".gz"):
        text = _read_gzip_text(path, op)
    else:
        with open(path) as f:
            text = f.read()
    X, labels = [], []
    for k, line in enumerate(text.split("\n")):
        line = line.strip()
        if not line:
            continue
        fields = line.split(",")
        if len(fields) != 65:
            raise BackpropError("%s: %s line %d: expected 64 pixel values and a digit, got %d fields"
                                % (op, path, k + 1, len(fields)))
        try:
            values = [int(v) for v in fields]
        except ValueError:
            raise BackpropError("%s: %s line %d: every field must be a whole number" % (op, path, k + 1))
        if min(values[:64]) < 0 or max(values[:64]) > 16 or not 0 <= values[64] <= 9:
            raise BackpropError("%s: %s line %d: pixels must lie in 0..16 and the digit in 0..9"
                                % (op, path, k + 1))
        X.append([float(v) for v in values[:64]])
        labels.append(values[64])
    if not X:
        raise BackpropError("%s: %s holds no images" % (op, path))
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

    def inverse(self, X):
        """Undo :meth:`transform`: x = x' std + mean (a prediction back in the data's units).

        >>> Standardizer([10.0], [2.0]).inverse([[1.5]])
        [[13.0]]
        """
        if self.mean is None:
            raise BackpropError("Standardizer.inverse: call fit(X_train) first")
        return [[z * sd + mu for z, mu, sd in zip(row, self.mean, self.std)] for row in X]

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
    the ``classes`` that the outputs stand for, and a ``description``.

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
    return Task("iris", s.transform(X_tr), Y_tr, s.transform(X_te), Y_te, s, classes, description,
                features=list(IRIS_FEATURES))


def xor_task():
    """XOR as a task: four examples, no held-out part (the test part is the
    training part itself: there is nothing else to test on).

    >>> t = xor_task()
    >>> t.X_train == t.X_test, t.standardizer
    (True, None)
    """
    X, Y = xor()
    return Task("xor", X, Y, [list(r) for r in X], [list(r) for r in Y], None, ["0", "1"], "XOR (4 examples)",
                features=["x1", "x2"])


def digits_task(test_fraction=0.2, seed=0):
    """The handwritten digits ready to train on: pixels scaled to [0, 1]
    (divided by 16, kept as a Standardizer with mean 0 and std 16 so that a
    saved model scales new images the same way), the ten digits one-hot (for a
    softmax output and cross entropy), a stratified seeded split.

    >>> t = digits_task()
    >>> len(t.X_train), len(t.X_test), t.classes[:3], max(max(r) for r in t.X_train)
    (1438, 359, ['0', '1', '2'], 1.0)
    """
    X, labels = load_digits()
    Y = one_hot(labels, 10)
    X_tr, X_te, Y_tr, Y_te = train_test_split(X, Y, test_fraction, seed, stratify=labels)
    s = Standardizer([0.0] * 64, [16.0] * 64)
    return Task("digits", s.transform(X_tr), Y_tr, s.transform(X_te), Y_te, s, list(DIGITS_CLASSES),
                "handwritten digits (8x8)", features=list(DIGITS_FEATURES))


# -- your own CSV file ---------------------------------------------------------------------

def _csv_fields(line, row, source):
    """One CSV line as its fields: commas separate, double quotes protect commas
    and (doubled) quotes; spaces around a field are dropped."""
    if '"' not in line:
        return [f.strip() for f in line.split(",")]
    fields, field, quoted, k, n = [], [], False, 0, len(line)
    while k < n:
        ch = line[k]
        if quoted:
            if ch == '"':
                if k + 1 < n and line[k + 1] == '"':
                    field.append('"')
                    k += 1
                else:
                    quoted = False
            else:
                field.append(ch)
        elif ch == '"':
            quoted = True
        elif ch == ",":
            fields.append("".join(field).strip())
            field = []
        else:
            field.append(ch)
        k += 1
    if quoted:
        raise BackpropError("%s row %d: a quoted field is not closed (a field cannot span lines)" % (source, row))
    fields.append("".join(field).strip())
    return fields


def _number(text):
    """float(text) when it is a finite number, else None."""
    try:
        x = float(text)
    except ValueError:
        return None
    if x != x or x in (float("inf"), float("-inf")):
        return None
    return x


def _read_csv_text(path, op):
    try:
        with open(path, "rb") as f:
            data = f.read(CSV_MAX_BYTES + 1)
    except OSError as e:
        raise BackpropError("%s: cannot read %s: %s" % (op, path, getattr(e, "strerror", None) or e))
    if len(data) > CSV_MAX_BYTES:
        raise BackpropError("%s: %s is larger than the limit of %d MiB for a CSV file (pure Python trains on "
                            "thousands of rows, not millions)" % (op, path, CSV_MAX_BYTES // (1024 * 1024)))
    if data[:3] == b"\xef\xbb\xbf":  # a byte-order mark, as spreadsheets write
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeError as e:
        start = getattr(e, "start", None)
        where = " (row %d)" % (data[:start].count(b"\n") + 1) if isinstance(start, int) else ""
        raise BackpropError("%s: %s is not UTF-8 text%s" % (op, path, where))


class CsvTable:
    """A checked CSV file: ``features`` (names), ``target`` (name), ``X`` (the
    feature values, floats), ``kind`` (``"classification"`` or
    ``"regression"``), ``classes`` and ``labels`` (class number per row) or
    ``y`` (the target's values), ``rows`` (each example's row number in the
    file, the header being row 1) and ``source`` (the file)."""

    def __init__(self, source, features, target, X, kind, classes, labels, y, rows):
        self.source, self.features, self.target, self.X = source, features, target, X
        self.kind, self.classes, self.labels, self.y, self.rows = kind, classes, labels, y, rows


def read_csv(path, target=None, task=None):
    """Read and check a CSV file with a header row: every column but the target
    must be numeric.  Returns a :class:`CsvTable`.  See :func:`load_csv` for
    the rules; every refusal is a BackpropError naming the row and column."""
    op = "load_csv"
    if not isinstance(path, str) or not path:
        raise BackpropError("%s: path must be a file name, got %s" % (op, show(path)))
    if task not in (None, "classification", "regression"):
        raise BackpropError("%s: task must be None, 'classification' or 'regression', got %s" % (op, show(task)))
    source = path
    text = _read_csv_text(path, op)
    lines = []  # (row number in the file, text)
    for k, line in enumerate(text.split("\n")):
        line = line.rstrip("\r")
        if line.strip():
            lines.append((k + 1, line))
    if not lines:
        raise BackpropError("%s: %s is empty (expected a header row, then one row per example)" % (op, source))
    head_row, head_line = lines[0]
    names = _csv_fields(head_line, head_row, source)
    for j, name in enumerate(names):
        if not name:
            raise BackpropError("%s row %d, column %d: the header has an empty column name" % (source, head_row, j + 1))
        if name in names[:j]:
            raise BackpropError("%s row %d, column %d: the column name %r appears twice (columns %d and %d); "
                                "every column needs its own name" % (source, head_row, j + 1, name,
                                                                    names.index(name) + 1, j + 1))
    if len(names) < 2:
        hint = " (is it separated by ';' or tabs? tinybackprop reads commas)" if (";" in head_line or "\t" in head_line) else ""
        raise BackpropError("%s row %d: the header names only one column %r; a CSV file needs at least one feature "
                            "column and a target column%s" % (source, head_row, names[0], hint))
    if target is None:
        t = len(names) - 1
    elif not isinstance(target, str) or target not in names:
        raise BackpropError("%s: there is no column %s to use as the target; the columns are: %s"
                            % (source, show(target), ", ".join(names)))
    else:
        t = names.index(target)
    if len(lines) == 1:
        raise BackpropError("%s: the file has a header row (row %d) but no data rows" % (source, head_row))
    features = names[:t] + names[t + 1:]
    X, raw_targets, rows = [], [], []
    for row, line in lines[1:]:
        fields = _csv_fields(line, row, source)
        if len(fields) != len(names):
            raise BackpropError("%s row %d: %d fields, but the header (row %d) names %d columns"
                                % (source, row, len(fields), head_row, len(names)))
        x = []
        for j, field in enumerate(fields):
            if field.lower() in CSV_MISSING:
                raise BackpropError("%s row %d, column %r: missing value %s (every field needs a value)"
                                    % (source, row, names[j], show(field)))
            if j == t:
                continue
            v = _number(field)
            if v is None:
                raise BackpropError("%s row %d, column %r: %s is not a number (every column but the target %r "
                                    "must be numeric; to predict %r instead, make it the target: --target %s)"
                                    % (source, row, names[j], show(field), names[t], names[j], names[j]))
            x.append(v)
        X.append(x)
        raw_targets.append(fields[t])
        rows.append(row)
    values = [_number(v) for v in raw_targets]
    numeric = None not in values
    if task == "regression" and not numeric:
        r = values.index(None)
        raise BackpropError("%s row %d, column %r: %s is not a number (a regression target must be numeric)"
                            % (source, rows[r], names[t], show(raw_targets[r])))
    if task is None:
        whole = numeric and all(v == int(v) for v in values)
        task = "classification" if (not numeric or (whole and len(set(values)) <= CSV_MAX_AUTO_CLASSES)) \
            else "regression"
    name = names[t]
    if task == "regression":
        if min(values) == max(values):
            raise BackpropError("%s column %r: the target has the same value %s in every row; there is nothing "
                                "to learn" % (source, name, raw_targets[0]))
        return CsvTable(source, features, name, X, "regression", None, None, values, rows)
    if numeric:  # class names of numbers: the same number written alike ('1' and '1.0'), in numeric order
        keys = [int(v) if v == int(v) else v for v in values]
        classes_sorted = sorted(set(keys))
        classes = [str(c) for c in classes_sorted]
        index = {c: i for i, c in enumerate(classes_sorted)}
        labels = [index[k] for k in keys]
    else:
        classes = sorted(set(raw_targets))
        index = {c: i for i, c in enumerate(classes)}
        labels = [index[c] for c in raw_targets]
    if len(classes) < 2:
        raise BackpropError("%s column %r: every row has the class %r; a classifier needs at least 2 classes"
                            % (source, name, classes[0]))
    if len(rows) < 2 * len(classes):
        raise BackpropError("%s column %r: %d data rows for %d classes; a classifier needs at least 2 rows per "
                            "class (one to learn from, one to test on)" % (source, name, len(rows), len(classes)))
    counts = [0] * len(classes)
    for c in labels:
        counts[c] += 1
    for c, n in enumerate(counts):
        if n < 2:
            raise BackpropError("%s row %d, column %r: the class %r has this one row only; every class needs at "
                                "least 2 rows (one to learn from, one to test on)"
                                % (source, rows[labels.index(c)], name, classes[c]))
    return CsvTable(source, features, name, X, "classification", classes, labels, None, rows)


def read_rows(path, features=None):
    """The rows of a CSV file to predict (``tinybackprop predict --csv``): a list of
    lists of floats in the order of ``features`` (the model's input names).

    With a header row (any field not a number), each feature is taken from the
    column of that name, in any order, and other columns (the target, say) are
    ignored; without one, every row must hold the feature values in order.
    Raises BackpropError naming the row and column of anything unusable.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "new.csv")
    >>> _ = open(p, "w").write("kind,colour,weight\\npear,0.3,120\\n")
    >>> read_rows(p, ["weight", "colour"])
    [[120.0, 0.3]]
    """
    text = _read_csv_text(path, "predict --csv")
    lines = [(k + 1, line.rstrip("\r")) for k, line in enumerate(text.split("\n")) if line.strip()]
    if not lines:
        raise BackpropError("%s is empty: expected one row of input values per line" % path)
    n = len(features) if features else None
    first = _csv_fields(lines[0][1], lines[0][0], path)
    columns = None
    if any(_number(f) is None for f in first):
        if not features:
            raise BackpropError("%s row 1: a header row, but the model does not name its inputs; give the values "
                                "only" % path)
        missing = [f for f in features if f not in first]
        if missing:
            raise BackpropError("%s row %d: no column %r; the model needs the columns %s"
                                % (path, lines[0][0], missing[0], ", ".join(features)))
        columns = [first.index(f) for f in features]
        header, lines = first, lines[1:]
        if not lines:
            raise BackpropError("%s has a header row but no rows to predict" % path)
    rows = []
    for row, line in lines:
        fields = _csv_fields(line, row, path)
        if columns is not None:
            if len(fields) != len(header):
                raise BackpropError("%s row %d: %d fields, but the header names %d columns"
                                    % (path, row, len(fields), len(header)))
            picked = [(fields[c], header[c]) for c in columns]
        else:
            if n is not None and len(fields) != n:
                raise BackpropError("%s row %d: %d values, but the model takes %d inputs (%s)"
                                    % (path, row, len(fields), n, ", ".join(features[:6])
                                       + (", ..." if n > 6 else "")))
            picked = [(f, "column %d" % (j + 1)) for j, f in enumerate(fields)]
        values = []
        for field, name in picked:
            v = _number(field)
            if v is None:
                what = "missing value" if field.lower() in CSV_MISSING else "%s is not a number" % show(field)
                raise BackpropError("%s row %d, %s: %s" % (path, row, name if columns is None else "column %r" % name,
                                                           what))
            values.append(v)
        rows.append(values)
    return rows


def load_csv(path, target=None, task=None):
    """Read your own CSV file: returns ``(X, Y, info)``.

    The first row names the columns; ``target`` names the one to predict (by
    default the last one); every other column is a numeric feature.  A target
    of text labels, or of at most 10 distinct whole numbers, is read as
    classes (``task="classification"``): ``info`` is the list of class names
    (sorted) and ``Y`` is ready for training: one column 0.0/1.0 for two
    classes (1.0 is ``info[1]``, for a sigmoid output and bce), one-hot rows
    for more (softmax and cross entropy).  Any other numeric target, or
    ``task="regression"``, is a quantity: ``Y`` holds its values as one
    column, and ``info`` is ``{"name": ..., "mean": ..., "std": ...}``, the
    target's statistics over the whole file (``csv_task`` standardises with
    the training part's instead).

    A bad file raises BackpropError naming the row (the header is row 1) and
    column: empty, a header only, a row with too few or too many fields, a
    missing value, text in a feature column, a single class, a class with a
    single row, a name used twice, an unknown target, or a file over
    ``CSV_MAX_BYTES`` (10 MiB).

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "fruit.csv")
    >>> _ = open(p, "w").write("weight,colour,kind\\n150,0.8,apple\\n120,0.3,pear\\n"
    ...                        "170,0.9,apple\\n110,0.2,pear\\n")
    >>> X, Y, classes = load_csv(p)
    >>> X[0], Y[:2], classes
    ([150.0, 0.8], [[0.0], [1.0]], ['apple', 'pear'])
    >>> q = os.path.join(os.path.dirname(p), "line.csv")
    >>> _ = open(q, "w").write("y,x\\n1.5,0\\n3.5,1\\n5.5,2\\n")
    >>> X, Y, stats = load_csv(q, target="y", task="regression")
    >>> X, Y, stats
    ([[0.0], [1.0], [2.0]], [[1.5], [3.5], [5.5]], {'name': 'y', 'mean': 3.5, 'std': 1.632993161855452})
    >>> load_csv(p, target="price")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: ...fruit.csv: there is no column 'price' to use as the target; the columns are: weight, colour, kind
    """
    table = read_csv(path, target, task)
    if table.kind == "regression":
        s = Standardizer().fit([[v] for v in table.y])
        return table.X, [[v] for v in table.y], {"name": table.target, "mean": s.mean[0], "std": s.std[0]}
    k = len(table.classes)
    Y = binary(table.labels, 1) if k == 2 else one_hot(table.labels, k)
    return table.X, Y, list(table.classes)


def csv_task(path, target=None, task=None, test_fraction=0.2, seed=0):
    """A CSV file ready to train on (see :func:`load_csv` for how it is read):
    a seeded split (stratified by class for classification), the features
    standardised with the training part's statistics, and for regression the
    target too (``task.target_standardizer``).

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "line.csv")
    >>> _ = open(p, "w").write("x,y\\n" + "".join("%d,%d\\n" % (i, 3 * i + 1) for i in range(20)))
    >>> t = csv_task(p)
    >>> t.kind, t.target, t.features, len(t.X_train), len(t.X_test)
    ('regression', 'y', ['x'], 16, 4)
    >>> t.target_standardizer.inverse(t.Y_test)[0] == [3.0 * (t.standardizer.inverse(t.X_test)[0][0]) + 1]
    True
    """
    table = read_csv(path, target, task)
    short = path.replace("\\", "/").rsplit("/", 1)[-1]
    n_features = len(table.features)
    if table.kind == "regression":
        Y = [[v] for v in table.y]
        X_tr, X_te, Y_tr, Y_te = train_test_split(table.X, Y, test_fraction, seed)
        sy = Standardizer().fit(Y_tr)
        s = Standardizer().fit(X_tr)
        description = "%s: %r from %d feature%s (regression)" % (short, table.target, n_features,
                                                                  "" if n_features == 1 else "s")
        return Task("csv", s.transform(X_tr), sy.transform(Y_tr), s.transform(X_te), sy.transform(Y_te), s, None,
                    description, kind="regression", features=list(table.features), target=table.target,
                    target_standardizer=sy)
    k = len(table.classes)
    Y = binary(table.labels, 1) if k == 2 else one_hot(table.labels, k)
    X_tr, X_te, Y_tr, Y_te = train_test_split(table.X, Y, test_fraction, seed, stratify=table.labels)
    s = Standardizer().fit(X_tr)
    description = "%s: %r from %d feature%s, %d classes" % (short, table.target, n_features,
                                                             "" if n_features == 1 else "s", k)
    return Task("csv", s.transform(X_tr), Y_tr, s.transform(X_te), Y_te, s, list(table.classes), description,
                features=list(table.features), target=table.target)
