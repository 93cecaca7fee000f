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
                                   (read a line at a time: ``parse_lines``)
``load_digits()``                  X (1797 x 64) pixel values 0..16 and the digits 0..9
``load_csv(path, target, task)``   your own CSV file: X, Y and the class names (or the
                                   target's mean and standard deviation)
``one_hot(labels, k)``             labels as rows of k zeros with a single 1
``binary(labels, positive)``       labels as [[1.0]] (the positive class) or [[0.0]]
``train_test_split(...)``          a seeded split into two disjoint parts
``split_validation(task, ...)``    validation rows taken from a task's training rows
``Standardizer``                   (x - mean) / std with the statistics of the training part
``iris_task(...)``                 all of the above for Iris, ready to train on
``digits_task(...)``               the same for the digits (pixels scaled to [0, 1])
``csv_task(path, ...)``            the same for a CSV file
``read_rows(path, features)``      rows of a CSV file to predict, by column name
=================================  ===================================================

The module needs only what the core needs, so it runs wherever the core runs.
What Iris does not need loads on first use, from its own module, which leaves
its memory to a board's heap: the digits (:mod:`tinybackprop.datasets.digits`, which
imports ``gzip``, or MicroPython's ``deflate``, only when it reads the file) and
CSV files (:mod:`tinybackprop.datasets.csvfile`).  The chores every data set needs are
in :mod:`tinybackprop.datasets.prepare`.

>>> X, labels = load_iris()
>>> len(X), len(X[0]), sorted(set(labels))
(150, 4, [0, 1, 2])
>>> IRIS_CLASSES
['setosa', 'versicolor', 'virginica']
"""
from .._compat import TYPE_CHECKING
from ..errors import BackpropError
from .prepare import (Standardizer, Task, binary, collect_as_before, collect_often, data_path, one_hot,
                      split_validation, train_test_split)

_INF, _NEG_INF = float("inf"), float("-inf")
IRIS_FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
IRIS_CLASSES = ["setosa", "versicolor", "virginica"]
#: The largest file :func:`load_iris` reads (the shipped one: 2.7 kB).
IRIS_MAX_BYTES = 10 * 1024 * 1024
#: Names that load on first use from the module that holds them ({name: module}):
#: the Iris path never imports them.
LAZY = {"DIGITS_CLASSES": "digits", "DIGITS_FEATURES": "digits", "load_digits": "digits",
        "digits_task": "digits", "CSV_MAX_BYTES": "csvfile", "CSV_MAX_AUTO_CLASSES": "csvfile",
        "CSV_MISSING": "csvfile", "CsvTable": "csvfile", "read_csv": "csvfile", "read_rows": "csvfile",
        "load_csv": "csvfile", "csv_task": "csvfile", "csv_columns": "csvfile", "CSV_MAX_COLUMNS": "csvfile",
        "CSV_MAX_VALUES": "csvfile"}
if TYPE_CHECKING:  # what type checkers see; at run time, __getattr__ below
    from .csvfile import (CSV_MAX_AUTO_CLASSES, CSV_MAX_BYTES, CSV_MAX_COLUMNS, CSV_MAX_VALUES, CSV_MISSING,
                          CsvTable, csv_columns, csv_task, load_csv, read_csv, read_rows)
    from .digits import DIGITS_CLASSES, DIGITS_FEATURES, digits_task, load_digits


def __getattr__(name):
    if name == "planar":  # the 2-D toy sets: ``from tinybackprop.datasets import planar`` on MicroPython too
        __import__("tinybackprop.datasets.planar")  # sets this package's attribute, as any import
        return globals()[name]
    if LAZY.get(name) == "digits":
        from . import digits
        return getattr(digits, name)
    if LAZY.get(name) == "csvfile":
        from . import csvfile
        return getattr(csvfile, name)
    if name[:1] != "_":  # a submodule on first use: `from tinybackprop.datasets import digits` asks
        try:  # here on MicroPython before it looks for the file (as tinybackprop.__getattr__ says)
            __import__("tinybackprop.datasets." + name)
        except ImportError as e:
            if ("tinybackprop.datasets." + name) not in str(e):
                raise
        else:
            return globals()[name]
    raise AttributeError("module 'tinybackprop.datasets' has no attribute %r" % (name,))


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
    if path is None:  # the shipped file: nothing to check before reading it
        path = data_path("iris.csv")
    else:  # a file of yours: checked before a line is read (files.py loads only for it: a board's heap)
        from .. import files
        files.check_readable(path, "load_iris", IRIS_MAX_BYTES, "an Iris-layout file")
    old = collect_often()  # on MicroPython: the rows kept lie together, not among the lines read
    try:
        with open(path) as f:  # a line at a time: the file's text is never held whole (a board's heap)
            return parse_lines(f, path)
    except UnicodeError:
        raise BackpropError("load_iris: %s is not UTF-8 text" % path)
    finally:
        collect_as_before(old)


def parse_csv(text, source="csv"):
    """Parse the scikit-learn data layout (see :func:`load_iris`): returns (X, labels).

    >>> parse_csv("2,2,a,b\\n1.0,2.0,0\\n3.0,4.0,1\\n")
    ([[1.0, 2.0], [3.0, 4.0]], [0, 1])
    >>> parse_csv("1,2,a\\n1.0,oops,0\\n", "demo.csv")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: demo.csv line 2: 'oops' is not a number
    """
    return parse_lines(text.split("\n"), source)


def parse_lines(lines, source="csv"):
    """:func:`parse_csv` over any iterable of lines (an open file: one line in memory at a time).

    >>> parse_lines(["1,2,a", "1.0,2.0,0", ""])
    ([[1.0, 2.0]], [0])
    """
    X, labels = [], []
    head = None
    blank = 0  # blank lines seen and not yet followed by a row: fine at the end only
    k = 0
    for k, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            blank = blank or k
            continue
        if head is None:
            if blank:  # the first line was empty: as before, the header is what is wrong
                raise BackpropError("%s line 1: expected a header 'rows,columns,class names...', got ''" % source)
            head = line.split(",")
            try:
                rows, cols = int(head[0]), int(head[1])
            except (ValueError, IndexError):
                raise BackpropError("%s line 1: expected a header 'rows,columns,class names...', got %r"
                                    % (source, line))
            if rows < 0 or cols < 1 or rows * (cols + 1) > 10 ** 6:  # the cheap facts, before any row
                raise BackpropError("%s line 1: the header announces %d examples of %d measurements; at most a "
                                    "million values in all" % (source, rows, cols))
            n_classes = len(head) - 2
            continue
        if len(X) == rows:  # more rows than announced: refused before they are held
            raise BackpropError("%s: the header announces %d examples but the file has more" % (source, rows))
        if blank:  # an empty line between rows
            raise BackpropError("%s line %d: expected %d measurements and a class number, got 1 fields"
                                % (source, blank, cols))
        fields = line.split(",")
        if len(fields) != cols + 1:
            raise BackpropError("%s line %d: expected %d measurements and a class number, got %d fields"
                                % (source, k, cols, len(fields)))
        row = [0.0] * cols  # the row, then its numbers: on a board's heap they lie together
        for j in range(cols):
            try:
                x = row[j] = float(fields[j])
            except ValueError:
                raise BackpropError("%s line %d: %r is not a number" % (source, k, fields[j]))
            if x != x or x == _INF or x == _NEG_INF:  # compared, not computed: no garbage between the numbers
                raise BackpropError("%s line %d: %r is not a finite number" % (source, k, fields[j]))
        try:
            label = int(fields[cols])
        except ValueError:
            raise BackpropError("%s line %d: class %r is not a whole number" % (source, k, fields[cols]))
        if n_classes and not 0 <= label < n_classes:
            raise BackpropError("%s line %d: class %d is outside 0..%d" % (source, k, label, n_classes - 1))
        X.append(row)
        labels.append(label)
    if head is None:
        raise BackpropError("%s: the file is empty" % source)
    if len(X) != rows:
        raise BackpropError("%s: the header announces %d examples but the file has %d (truncated?)"
                            % (source, rows, len(X)))
    return X, labels


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
    old = collect_often()  # on MicroPython, as load_iris: what is kept lies together
    try:
        return _iris_task(kind, positive, test_fraction, seed)
    finally:
        collect_as_before(old)


def _iris_task(kind, positive, test_fraction, seed):
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
