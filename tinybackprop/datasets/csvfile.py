"""Your own CSV file, as a data set: a header row, one example a row, numeric
features and a target column (class names or a quantity).
:mod:`tinybackprop.datasets` offers these names too; they live here so that Iris
never loads them.

=================================  ===================================================
``load_csv(path, target, task)``   X, Y and the class names (or the target's mean and
                                   standard deviation)
``csv_task(path, ...)``            the same, split and standardised, ready to train on
``read_csv(path, ...)``            the checked table (:class:`CsvTable`)
``read_rows(path, features)``      rows of a CSV file to predict, by column name
``csv_columns(path, target)``      the header's feature and target names, read first
=================================  ===================================================

>>> CSV_MAX_BYTES // (1024 * 1024), CSV_MAX_COLUMNS, CSV_MAX_VALUES, CSV_MAX_AUTO_CLASSES
(10, 10000, 1000000, 10)
"""
from ..errors import BackpropError, show
from ._csvtext import CSV_MAX_BYTES, CSV_MAX_COLUMNS, CSV_MAX_VALUES  # noqa: F401 - the limits, read here by datasets
from ._csvtext import csv_fields as _csv_fields, header as _header, lines as _lines, number as _number
from ._csvtext import read_csv_text as _read_csv_text
from .prepare import Standardizer, Task, binary, one_hot, train_test_split

#: A numeric target with at most this many distinct values, all whole numbers, is
#: read as class labels (classification); with more, as a quantity (regression).
CSV_MAX_AUTO_CLASSES = 10
#: Fields that mean "no value" in a CSV file (compared in lower case).
CSV_MISSING = ("", "na", "n/a", "nan", "null", "none", "?", "-")


def csv_columns(path, target=None):
    """``(features, target)``: the names of the header of the CSV file
    ``path``, read before any row (the cheap facts a caller checks first:
    how many inputs a network needs).

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "t.csv")
    >>> with open(p, "w") as f:
    ...     _ = f.write("a,b,label\\n1,2,x\\n")
    >>> csv_columns(p)
    (['a', 'b'], 'label')
    """
    text = _read_csv_text(path, "load_csv", CSV_MAX_BYTES)
    names, t = _names(text, path, target)
    return names[:t] + names[t + 1:], names[t]


def _names(text, source, target):
    """The header's names and the target's index, checked."""
    head_row, head_line = _header(text, source)
    if head_line is None:
        raise BackpropError("load_csv: %s is empty (expected a header row, then one row per example)" % source)
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
        return names, len(names) - 1
    if not isinstance(target, str) or target not in names:
        raise BackpropError("%s: there is no column %s to use as the target; the columns are: %s"
                            % (source, show(target), ", ".join(names)))
    return names, names.index(target)


def _class_key(text, v):
    """The class a numeric label stands for, exactly: '9007199254740993' is not
    '9007199254740992' (as floats they are one number); '1' and '1.0' are one."""
    if len(text) < 40:
        try:
            return int(text)
        except ValueError:
            pass
    return int(v) if v == int(v) else v


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
    text = _read_csv_text(path, op, CSV_MAX_BYTES)
    names, t = _names(text, source, target)
    lines = _lines(text, source, len(names))
    head_row = next(lines)[0]
    features = names[:t] + names[t + 1:]
    X, raw_targets, rows = [], [], []
    for row, line in lines:
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
    if not rows:
        raise BackpropError("%s: the file has a header row (row %d) but no data rows" % (source, head_row))
    values = [_number(v) for v in raw_targets]
    numeric = None not in values
    if task == "regression" and not numeric:
        r = values.index(None)
        raise BackpropError("%s row %d, column %r: %s is not a number (a regression target must be numeric)"
                            % (source, rows[r], names[t], show(raw_targets[r])))
    keys = [_class_key(text, v) for text, v in zip(raw_targets, values)] if numeric else None
    if task is None:
        whole = numeric and all(isinstance(k, int) for k in keys)
        task = "classification" if (not numeric or (whole and len(set(keys)) <= CSV_MAX_AUTO_CLASSES)) \
            else "regression"
    name = names[t]
    if task == "regression":
        if min(values) == max(values):
            raise BackpropError("%s column %r: the target has the same value %s in every row; there is nothing "
                                "to learn" % (source, name, raw_targets[0]))
        return CsvTable(source, features, name, X, "regression", None, None, values, rows)
    if numeric:  # class names of numbers: the same number written alike ('1' and '1.0'), in numeric order
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
    >>> with open(p, "w") as f:
    ...     _ = f.write("kind,colour,weight\\npear,0.3,120\\n")
    >>> read_rows(p, ["weight", "colour"])
    [[120.0, 0.3]]
    """
    text = _read_csv_text(path, "predict --csv", CSV_MAX_BYTES)
    head_row, head_line = _header(text, path)
    if head_line is None:
        raise BackpropError("%s is empty: expected one row of input values per line" % path)
    n = len(features) if features else None
    first = _csv_fields(head_line, head_row, path)
    lines = _lines(text, path, len(first))
    columns = None
    if any(_number(f) is None for f in first):
        if not features:
            raise BackpropError("%s row 1: a header row, but the model does not name its inputs; give the values "
                                "only" % path)
        missing = [f for f in features if f not in first]
        if missing:
            raise BackpropError("%s row %d: no column %r; the model needs the columns %s"
                                % (path, head_row, missing[0], ", ".join(features)))
        columns = [first.index(f) for f in features]
        header = first
        next(lines)
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
    if not rows:
        raise BackpropError("%s has a header row but no rows to predict" % path)
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
    single row, a name used twice, an unknown target, a file over
    ``CSV_MAX_BYTES`` (10 MiB), over ``CSV_MAX_COLUMNS`` (10,000) columns or
    over ``CSV_MAX_VALUES`` (a million) fields, or one that is not a regular file.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "fruit.csv")
    >>> with open(p, "w") as f:
    ...     _ = f.write("weight,colour,kind\\n150,0.8,apple\\n120,0.3,pear\\n"
    ...                 "170,0.9,apple\\n110,0.2,pear\\n")
    >>> X, Y, classes = load_csv(p)
    >>> X[0], Y[:2], classes
    ([150.0, 0.8], [[0.0], [1.0]], ['apple', 'pear'])
    >>> q = os.path.join(os.path.dirname(p), "line.csv")
    >>> with open(q, "w") as f:
    ...     _ = f.write("y,x\\n1.5,0\\n3.5,1\\n5.5,2\\n")
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
    >>> with open(p, "w") as f:
    ...     _ = f.write("x,y\\n" + "".join("%d,%d\\n" % (i, 3 * i + 1) for i in range(20)))
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
