"""Two-dimensional toy data sets, generated from a seed: points in the plane and their classes.

Small enough to train on in seconds, and a classifier of two inputs can be
drawn: every point of the plane coloured by the class the network gives it
(:mod:`tinybackprop.show.boundary`).  The points come from the package's own
generator, so a seed gives the same data on every interpreter; ``noise`` is
the standard deviation of a normal jitter added to each coordinate.

==========================  ==============================================================
``moons``                   2 classes: two interleaving half circles
``circles``                 2 classes: a ring around a smaller ring
``spiral``                  3 classes: three arms winding out from the centre
``blobs``                   3 classes: three round clouds (``noise`` is their spread)
``bump``                    regression: points spread evenly over a square, the target a
                            smooth bump exp(-(x1^2 + x2^2) / (2 * 0.5^2)), ``noise`` added
                            to the target
``make_points(name, ...)``  X (samples x 2) and the class labels 0..k-1
``make_bump(...)``          X (samples x 2) and the bump's height at each point
``planar_task(name, ...)``  the same as a :class:`tinybackprop.datasets.prepare.Task`, split, ready to
                            train; ``features=[...]`` turns each point into the inputs named
                            (:mod:`tinybackprop.datasets.features`: x1^2, x1 x2, sin x1, ...)
``DATASETS``, ``CLASSES``   the classification sets, and the number of classes of each
``REGRESSION``              the regression sets: ``("bump",)``
==========================  ==============================================================

>>> X, labels = make_points("spiral", samples=30, seed=1)
>>> len(X), len(X[0]), sorted(set(labels))
(30, 2, [0, 1, 2])
"""
import math

from ..errors import BackpropError, show
from ..matrix import finite_number, isint
from ..rng import Random
from .prepare import Task, binary, one_hot, train_test_split

DATASETS = ("moons", "circles", "spiral", "blobs")
CLASSES = {"moons": 2, "circles": 2, "spiral": 3, "blobs": 3}
#: The 2-D regression sets (a number to predict at each point, not a class).
REGRESSION = ("bump",)
#: The noise each data set has unless told otherwise.
NOISE = {"moons": 0.1, "circles": 0.08, "spiral": 0.05, "blobs": 0.35, "bump": 0.05}
#: The bump: its points fill the square [-BUMP_HALF, BUMP_HALF]^2; its width (standard deviation).
BUMP_HALF = 1.5
BUMP_WIDTH = 0.5
SAMPLES = 300
MAX_SAMPLES = 100000
MAX_NOISE = 10.0


def check_points(name, samples, noise, op, seed=0):
    """Refuse an unknown name, a count or a noise out of range, a seed that is not an int.

    >>> check_points("moons", 1, 0.1, "make_points")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: make_points: samples must be an int from 4 to 100000 (2 per class at least), got 1
    """
    if not isinstance(name, str) or (name not in DATASETS and name not in REGRESSION):
        raise BackpropError("%s: the 2-D data sets are %s, got %s" % (op, ", ".join(DATASETS + REGRESSION),
                                                                       show(name)))
    k = CLASSES.get(name, 2)  # a regression set: 4 points at least, so that a split leaves some on each side
    if not isint(samples) or not 2 * k <= samples <= MAX_SAMPLES:
        raise BackpropError("%s: samples must be an int from %d to %d (%s), got %s"
                            % (op, 2 * k, MAX_SAMPLES, "2 per class at least" if name in CLASSES else "at least 4",
                               show(samples)))
    if not finite_number(noise) or not 0 <= noise <= MAX_NOISE:
        raise BackpropError("%s: noise must be a number from 0 to %s (the standard deviation of the jitter), got %s"
                            % (op, MAX_NOISE, show(noise)))
    if not isint(seed):
        raise BackpropError("%s: seed must be an int, got %s" % (op, show(seed)))


def _point(name, k, t):
    """The noiseless point of class ``k`` at position ``t`` in [0, 1] along its shape."""
    if name == "moons":
        a = math.pi * t
        if k == 0:
            return math.cos(a) - 0.5, math.sin(a) - 0.25
        return 0.5 - math.cos(a), 0.25 - math.sin(a)
    if name == "circles":
        a = 2.0 * math.pi * t
        r = 1.0 if k == 0 else 0.5
        return r * math.cos(a), r * math.sin(a)
    if name == "spiral":
        r = 0.05 + 0.95 * t
        a = 2.0 * math.pi * k / 3.0 + 4.0 * r  # each arm turns by 4 radians
        return r * math.cos(a), r * math.sin(a)
    a = 2.0 * math.pi * k / 3.0 + math.pi / 2.0  # blobs: centres on a circle of radius 1.2
    return 1.2 * math.cos(a), 1.2 * math.sin(a)


def make_points(name, samples=SAMPLES, noise=None, seed=0):
    """``(X, labels)``: ``samples`` points (as evenly shared between the classes
    as they go), each a row [x1, x2], and the class number of each.  ``noise``
    defaults to the data set's own (``NOISE``).

    >>> X, labels = make_points("moons", samples=4, noise=0.0)
    >>> [[round(v, 3) for v in row] for row in X]
    [[0.5, -0.25], [-1.5, -0.25], [-0.5, 0.25], [1.5, 0.25]]
    >>> labels
    [0, 0, 1, 1]
    """
    if noise is None and isinstance(name, str) and name in NOISE:
        noise = NOISE[name]
    check_points(name, samples, noise, "make_points", seed)
    if name in REGRESSION:
        raise BackpropError("make_points: %s is a regression set (a height at each point, no classes): "
                            "use make_bump" % name)
    k_all = CLASSES[name]
    rng = Random(seed)
    X, labels = [], []
    for k in range(k_all):
        n = samples // k_all + (1 if k < samples % k_all else 0)
        for i in range(n):
            t = i / (n - 1.0) if n > 1 else 0.0
            x1, x2 = _point(name, k, t)
            if noise:
                x1 += rng.gauss(0.0, noise)
                x2 += rng.gauss(0.0, noise)
            X.append([x1, x2])
            labels.append(k)
    return X, labels


def bump_height(x1, x2):
    """The bump's height at (x1, x2), without noise: 1 at the centre, falling off smoothly.

    >>> bump_height(0.0, 0.0), round(bump_height(0.5, 0.0), 4)
    (1.0, 0.6065)
    """
    return math.exp(-(x1 * x1 + x2 * x2) / (2.0 * BUMP_WIDTH * BUMP_WIDTH))


def make_bump(samples=SAMPLES, noise=None, seed=0):
    """``(X, heights)``: ``samples`` points drawn evenly over the square
    [-1.5, 1.5]^2 by the package's generator, and the bump's height at each
    (:func:`bump_height`) plus a normal jitter of standard deviation ``noise``
    (default ``NOISE["bump"]``).  A regression target: a network with one
    identity output and squared error learns it.

    >>> X, h = make_bump(samples=4, noise=0.0, seed=1)
    >>> len(X), len(X[0]), all(0.0 < v <= 1.0 for v in h), h[0] == bump_height(*X[0])
    (4, 2, True, True)
    """
    if noise is None:
        noise = NOISE["bump"]
    check_points("bump", samples, noise, "make_bump", seed)
    rng = Random(seed)
    X, heights = [], []
    for _ in range(samples):
        x1, x2 = rng.uniform(-BUMP_HALF, BUMP_HALF), rng.uniform(-BUMP_HALF, BUMP_HALF)
        h = bump_height(x1, x2)
        if noise:
            h += rng.gauss(0.0, noise)
        X.append([x1, x2])
        heights.append(h)
    return X, heights


def planar_task(name, samples=SAMPLES, noise=None, outputs=None, test_fraction=0.2, seed=0, features=None):
    """A 2-D data set ready to train on: a stratified seeded split, the
    coordinates as they are (they are already centred, of size about 1, and a
    drawing of the plane is clearer without a change of scale).  ``outputs``:
    1 (two classes, one target column, for a sigmoid output) or the number of
    classes (one-hot columns, for a softmax); by default 1 for two classes.
    The regression set ``bump``: one target column, its height as it is, a
    plain seeded split (no classes to stratify by); ``kind`` is "regression".

    ``features`` (default ``["x1", "x2"]``): the inputs the network sees,
    computed from each point after the split (:func:`tinybackprop.datasets.features.expand`),
    e.g. ``["x1", "x2", "x1sq", "x2sq"]``; ``task.features`` names them.

    >>> t = planar_task("circles", samples=100)
    >>> len(t.X_train), len(t.X_test), t.Y_train[0], t.classes, t.standardizer
    (80, 20, [0.0], ['outer', 'inner'], None)
    >>> t = planar_task("bump", samples=10, features=["x1", "x2", "x1sq"])
    >>> t.kind, len(t.X_train), len(t.X_train[0]), t.features
    ('regression', 8, 3, ['x1', 'x2', 'x1sq'])
    """
    from .features import check_features, expand
    op = "planar_task"
    check_points(name, samples, NOISE.get(name) if noise is None and isinstance(name, str) else noise, op, seed)
    if not finite_number(test_fraction) or not 0.0 < test_fraction < 1.0:
        raise BackpropError("%s: test_fraction must lie strictly between 0 and 1, got %s" % (op, show(test_fraction)))
    names_in = check_features(["x1", "x2"] if features is None else features, op)
    if name in REGRESSION:
        if outputs not in (None, 1):
            raise BackpropError("planar_task: %s is a regression set: a network for it has 1 output, got %s"
                                % (name, show(outputs)))
        X, heights = make_bump(samples, noise, seed)
        X_tr, X_te, Y_tr, Y_te = train_test_split(X, [[h] for h in heights], test_fraction, seed)
        description = "%s (%d points in the plane, noise %s, a height to predict)" % (
            name, samples, show(noise if noise is not None else NOISE[name]))
        return Task(name, expand(X_tr, names_in), Y_tr, expand(X_te, names_in), Y_te, None, None, description,
                    kind="regression", features=names_in, target="height")
    X, labels = make_points(name, samples, noise, seed)
    k = CLASSES[name]
    names = {"moons": ["upper", "lower"], "circles": ["outer", "inner"]}.get(name, ["class %d" % c for c in range(k)])
    if outputs is None:
        outputs = 1 if k == 2 else k
    if not isint(outputs) or outputs not in ((1, 2) if k == 2 else (k,)):
        raise BackpropError("%s: %s has %d classes: a network for it has %s outputs, got %s"
                            % (op, name, k, "1 or 2" if k == 2 else str(k), show(outputs)))
    Y = binary(labels, 1) if outputs == 1 else one_hot(labels, k)
    X_tr, X_te, Y_tr, Y_te = train_test_split(X, Y, test_fraction, seed, stratify=labels)
    description = "%s (%d points in the plane, noise %s, %d classes)" % (name, samples, show(noise if noise is not None
                                                                                          else NOISE[name]), k)
    return Task(name, expand(X_tr, names_in), Y_tr, expand(X_te, names_in), Y_te, None, names, description,
                features=names_in)
