"""The handwritten digits (1,797 images of 8 x 8 pixels, values 0-16, digits 0-9):
the test part of UCI's "Optical Recognition of Handwritten Digits" (E. Alpaydin
and C. Kaynak, 1998, licensed CC BY 4.0, https://doi.org/10.24432/C50P49), as
scikit-learn ships them, in ``tinybackprop/data/digits.csv.gz`` (see
``tinybackprop/data/README.md``).  :mod:`tinybackprop.datasets` offers these
names too; they live here so that Iris never loads them.

=================================  ===================================================
``load_digits()``                  X (1797 x 64) pixel values 0..16 and the digits 0..9
``digits_task(...)``               ready to train on (pixels scaled to [0, 1])
=================================  ===================================================

``gzip`` (or MicroPython's ``deflate``) is imported only when the file is read.

>>> DIGITS_FEATURES[:2], DIGITS_CLASSES[-1]
(['pixel_0_0', 'pixel_0_1'], '9')
"""
from ..errors import BackpropError
from .prepare import Standardizer, Task, data_path, one_hot, train_test_split

DIGITS_CLASSES = [str(d) for d in range(10)]
#: The digits' 64 pixels, row by row: "pixel_r_c" for row r and column c (0..7) of the image.
DIGITS_FEATURES = ["pixel_%d_%d" % (r, c) for r in range(8) for c in range(8)]

#: The most bytes a digits file may hold, packed and unpacked (the shipped one: 57 kB
#: packed, 265 kB unpacked); a gzip bomb stops here, not at the memory's end.
DIGITS_MAX_BYTES = 10 * 1024 * 1024
#: The most images (lines) a digits file may hold: a million pixel values at most.
DIGITS_MAX_IMAGES = 15000


def _read_gzip_text(path, op):
    """The text of a gzip-compressed UTF-8 file of at most DIGITS_MAX_BYTES, packed
    and unpacked.  ``gzip`` (CPython, PyPy) or MicroPython's ``deflate`` is
    imported here, only when a caller needs it."""
    from .. import files
    packed = files.read_bytes(path, op, DIGITS_MAX_BYTES, "a digits file")
    try:
        import gzip
    except ImportError:
        gzip = None
    try:
        import io
        stream = io.BytesIO(packed)
        if gzip is not None:
            data = gzip.GzipFile(fileobj=stream).read(DIGITS_MAX_BYTES + 1)
        else:
            try:
                import deflate  # MicroPython 1.21+
            except ImportError:
                raise BackpropError("%s: this Python has neither the gzip nor the deflate module, so it cannot "
                                    "unpack %s" % (op, path))
            data = deflate.DeflateIO(stream, deflate.GZIP).read(DIGITS_MAX_BYTES + 1)
    except BackpropError:
        raise
    except (OSError, ValueError) as e:  # not gzip, corrupt (zlib.error is an Exception: below)
        raise BackpropError("%s: cannot unpack %s: %s" % (op, path, e))
    except EOFError:
        raise BackpropError("%s: %s is truncated" % (op, path))
    except Exception as e:  # noqa: BLE001 - zlib.error, which zlib does not export on every interpreter
        raise BackpropError("%s: cannot unpack %s: %s" % (op, path, e))
    if len(data) > DIGITS_MAX_BYTES:
        raise BackpropError("%s: %s unpacks to more than %d bytes, more than a digits file may have"
                            % (op, path, DIGITS_MAX_BYTES))
    try:
        return data.decode("utf-8")
    except UnicodeError:
        raise BackpropError("%s: %s is not UTF-8 text" % (op, path))


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
        path = data_path("digits.csv.gz")
    if path.endswith(".gz"):
        text = _read_gzip_text(path, op)
    else:
        from .. import files
        try:
            text = files.read_bytes(path, op, DIGITS_MAX_BYTES, "a digits file").decode("utf-8")
        except UnicodeError:
            raise BackpropError("%s: %s is not UTF-8 text" % (op, path))
    if text.count("\n") > DIGITS_MAX_IMAGES + 1:
        raise BackpropError("%s: %s has more than %d lines; a digits file holds at most %d images"
                            % (op, path, DIGITS_MAX_IMAGES, DIGITS_MAX_IMAGES))
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
