"""Training: gradient descent on mini-batches, with any of the three backward paths.

The update rule, for every layer l and step t,

    W^[l]_{t+1} = W^[l]_t - alpha dL/dW^[l]_t      (and the same for b^[l])

is applied once per mini-batch.  Each epoch visits every training row once, in
an order shuffled by the package's own generator (:class:`tinybackprop.rng.Random`),
so the same seed gives the same run on every interpreter.

The loop checks its arguments once, before the first step; a step (``_step``, the
one place where training takes shortcuts) then runs the path's forward and backward
passes without checking again, leaves out dL/dX (which no update needs), and updates
the weights in place.  A step on one row builds no g^[lW]: for a single example it is
the outer product (a^[l-1])^T g^[lz], which the update takes from W^[l] entry by entry.  The loss and accuracy of an
epoch come from the forward passes its steps already ran: no extra pass over
the training rows.  Validation and test rows, and :func:`evaluate`, go forward
``network.CHUNK`` rows at a time, so no more activations than that are alive at once.

Three sets, as the field names them: the training rows (the steps learn from them),
the validation rows (``X_val``: watched after every epoch; early stopping chooses on
them and on nothing else) and the test rows (``X_test``: measured once, after
training; no result of training depends on them).

==========================  =====================================================
``train(net, X, Y, ...)``   train ``net`` in place; returns a :class:`History`
``History``                 loss (and accuracy) of every epoch; the test's, once
``evaluate(net, X, Y)``     mean loss and accuracy, network.CHUNK rows at a time
``accuracy(net, X, Y)``     share of rows classified right (threshold 0.5 or argmax)
``predicted_class(yhat)``   the class one row of outputs predicts
==========================  =====================================================

>>> from tinybackprop import Network
>>> from tinybackprop.datasets import xor
>>> X, Y = xor()
>>> net = Network([2, 4, 1], hidden="tanh", seed=1)
>>> h = train(net, X, Y, epochs=300, lr=0.5, batch_size=4)
>>> h.loss[-1] < h.loss[0], h.accuracy[-1]
(True, 1.0)
"""
from . import network, vectorized
from ._compat import TYPE_CHECKING
from .errors import BackpropError, show
from .matrix import check_matrix, finite_number, isint
from .network import check_call, check_network
from .rng import Random

if TYPE_CHECKING:
    from typing import Any, Callable, List, Sequence, Tuple

    from ._compat import Json, Matrix, MatrixLike, Row
    from .network import Network
    from .optimizers import Optimizer
    from .progress import Progress

#: The backward paths by name; "per_neuron" and "graph" (slow by nature) are imported on
#: first use, so that a board's heap does not pay for what a plain run does not use.
PATHS = {"vectorized": vectorized, "per_neuron": None, "graph": None}
_FLOAT = {float}


class History:
    """What happened during :func:`train`, one entry per epoch, with the three sets named
    as the field names them: the *training* rows (the steps learn from them), the
    *validation* rows (watched after each epoch; early stopping chooses on them) and the
    *test* rows (held out, measured once, after training).

    ``loss``: the *running* loss, the epoch's mean training loss with each
    row's loss taken in the forward pass of the step that trained on it (on
    the weights just before that step; what Keras and PyTorch loops report),
    so recording it costs no extra pass; ``accuracy``: the training accuracy,
    counted the same way, or None when the task is not a classification.
    ``train_loss`` and ``train_accuracy``: the loss and accuracy of the whole
    training set on the weights *after* the epoch, what :func:`evaluate` gives
    then (so the last one is the loss a printout after training shows);
    recorded when ``train(..., evaluate_train=True)``, else None.
    ``val_loss`` and ``val_accuracy``: loss and accuracy on the validation rows
    (``X_val, Y_val``) after each epoch (None when none were given).
    ``test_loss`` and ``test_accuracy``: two numbers, not lists: the test rows
    (``X_test, Y_test``) measured once, on the weights training ends with (None
    when none were given).
    ``lr``: the learning rate of each epoch (a schedule changes it);
    ``best_epoch``: the epoch whose weights early stopping kept (None without
    ``patience``), counted as ``callback`` counts; ``initial_epoch``: the epochs
    trained before this call (``train(..., initial_epoch=k)``, resuming), so entry
    ``i`` of a list is epoch ``initial_epoch + i + 1``.

    >>> h = History(classification=True, validation=False)
    >>> h.loss, h.accuracy, h.val_loss, h.test_loss, h.train_loss, h.epochs
    ([], [], None, None, None, 0)
    """

    def __init__(self, classification: bool, validation: bool, evaluated: bool = False, initial_epoch: int = 0) -> None:
        self.loss = []  # type: List[float]
        self.accuracy = [] if classification else None  # type: Any  # these five: a list of floats, or None
        self.train_loss = [] if evaluated else None  # type: Any
        self.train_accuracy = [] if (evaluated and classification) else None  # type: Any
        self.val_loss = [] if validation else None  # type: Any
        self.val_accuracy = [] if (validation and classification) else None  # type: Any
        self.test_loss = None  # type: float | None
        self.test_accuracy = None  # type: float | None
        self.lr = []  # type: List[float]
        self.best_epoch = None  # type: Any  # an int once early stopping keeps an epoch
        self.initial_epoch = initial_epoch

    @property
    def epochs(self) -> int:
        """Number of epochs recorded (by this call of :func:`train`)."""
        return len(self.loss)

    def at(self, name: str, epoch: int) -> float:
        """The value of the list ``name`` (``"val_loss"``, ...) recorded for ``epoch``, counted as
        ``callback`` and ``best_epoch`` count it (from ``initial_epoch + 1``).

        >>> h = History(False, True, initial_epoch=10); h.val_loss += [0.5, 0.4]
        >>> h.at("val_loss", 12)
        0.4
        """
        return getattr(self, name)[epoch - self.initial_epoch - 1]

    def to_dict(self) -> "Json":
        """Plain data (lists of floats, numbers or None), for JSON.

        >>> sorted(History(False, False).to_dict())  # doctest: +NORMALIZE_WHITESPACE
        ['accuracy', 'best_epoch', 'initial_epoch', 'loss', 'lr', 'test_accuracy', 'test_loss', 'train_accuracy',
         'train_loss', 'val_accuracy', 'val_loss']
        """
        d = {"loss": list(self.loss), "lr": list(self.lr), "best_epoch": self.best_epoch,
             "initial_epoch": self.initial_epoch, "test_loss": self.test_loss, "test_accuracy": self.test_accuracy}
        for name in ("accuracy", "train_loss", "train_accuracy", "val_loss", "val_accuracy"):
            v = getattr(self, name)
            d[name] = None if v is None else list(v)
        return d

    def __repr__(self) -> str:
        return "History(epochs=%d, loss=%r)" % (self.epochs, self.loss[-1] if self.loss else None)


def is_classification(net: "Network", Y: "MatrixLike") -> bool:
    """True when accuracy makes sense: the outputs are probabilities (sigmoid or
    softmax) and every target is 0 or 1.

    >>> from tinybackprop import Network
    >>> is_classification(Network([2, 1]), [[0.0], [1.0]]), is_classification(Network([2, 1]), [[0.3]])
    (True, False)
    """
    if net.output not in ("sigmoid", "softmax"):
        return False
    for row in Y:
        for y in row:
            if y != 0.0 and y != 1.0:
                return False
    return True


def argmax(row: "Sequence[float]") -> int:
    """The index of the largest entry (the first one, on a tie).

    >>> argmax([0.1, 0.6, 0.3])
    1
    """
    best = 0
    for j in range(1, len(row)):
        if row[j] > row[best]:
            best = j
    return best


def predicted_class(yhat: "Sequence[float]") -> int:
    """The class one row of outputs predicts: with one output (a sigmoid's probability
    of class 1), 1 when yhat >= 0.5 else 0; with several, the largest (argmax).

    >>> predicted_class([0.7]), predicted_class([0.2]), predicted_class([0.1, 0.6, 0.3])
    (1, 0, 1)
    """
    if len(yhat) == 1:
        return 1 if yhat[0] >= 0.5 else 0
    return argmax(yhat)


def _count_right(Yhat: "Matrix", Y: "MatrixLike") -> int:
    """How many rows are classified right (the targets' class read as the outputs' is)."""
    right = 0
    for yhat, y in zip(Yhat, Y):
        right += predicted_class(yhat) == predicted_class(y)
    return right


def _evaluate(module: "Any", net: "Network", X: "Any", Y: "Any", classification: bool) -> "Tuple[float, Any]":
    """Mean loss and accuracy (None unless ``classification``) of (X, Y), going
    forward network.CHUNK rows at a time: no pass keeps every row's activations alive."""
    loss, right = network.loss_in_chunks(net, X, Y, module._forward, _count_right if classification else None)
    return loss, (right / len(Y) if classification else None)


def evaluate(net: "Network", X: "MatrixLike", Y: "MatrixLike") -> "Tuple[float, float | None]":
    """(mean loss, accuracy) of the network on (X, Y); accuracy is None unless
    the outputs are probabilities and every target is 0 or 1 (see
    :func:`is_classification`).  The rows go forward ``network.CHUNK`` at a time.

    >>> from tinybackprop import Network
    >>> net = Network([1, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[2.0]]
    >>> evaluate(net, [[1.0], [0.0]], [[3.0], [0.0]])
    (0.25, None)
    """
    check_call(net, X, Y, "evaluate")
    return _evaluate(vectorized, net, X, Y, is_classification(net, Y))


def accuracy(net: "Network", X: "MatrixLike", Y: "MatrixLike") -> float:
    """Share of rows classified right: one output is read as class 1 when
    yhat >= 0.5; several outputs pick the largest (argmax), compared with the
    largest target.

    >>> from tinybackprop import Network
    >>> net = Network([1, 1])
    >>> net.W[1] = [[10.0]]
    >>> accuracy(net, [[1.0], [-1.0], [2.0]], [[1.0], [0.0], [0.0]])
    0.6666666666666666
    """
    check_call(net, X, Y, "accuracy")
    return _evaluate(vectorized, net, X, Y, True)[1]


def _floats(M: "MatrixLike") -> "Matrix":
    """M itself when it is a list of lists of floats, else a copy made of floats: no second
    copy of the training data on a board's heap."""
    if type(M) is list:
        for row in M:
            if type(row) is not list or not _FLOAT.issuperset(map(type, row)):
                break
        else:
            return M
    return [[float(x) for x in row] for row in M]


def _check_args(net: "Network", X: "MatrixLike", Y: "MatrixLike", epochs: int, lr: float, batch_size: int, path: str,
                seed: int, callback: "Callable[[int, History], Any] | None", X_val: "MatrixLike | None", Y_val: "Any") -> int:  # Y_val: None with X_val
    op = "train"
    check_network(net, op)
    if not (finite_number(lr) and lr > 0):
        raise BackpropError("%s: lr (the learning rate alpha) must be a finite number > 0, got %s" % (op, show(lr)))
    for name, v in (("epochs", epochs), ("batch_size", batch_size)):
        if not isint(v) or v < 1:
            raise BackpropError("%s: %s must be an int >= 1, got %s" % (op, name, show(v)))
    if not isint(seed):
        raise BackpropError("%s: seed must be an int, got %s" % (op, show(seed)))
    if not isinstance(path, str) or path not in PATHS:
        raise BackpropError("%s: path must be 'vectorized', 'per_neuron' or 'graph', got %s" % (op, show(path)))
    if callback is not None and not callable(callback):
        raise BackpropError("%s: callback must be a function callback(epoch, history) or None" % op)
    net.check_weights(op)
    m = net.check_XY(X, Y, op)
    if (X_val is None) != (Y_val is None):
        raise BackpropError("%s: give both X_val and Y_val, or neither" % op)
    if X_val is not None:
        net.check_XY(X_val, Y_val, op + " (validation data)")
    return m


def _check_finite(net: "Network", epoch: int, lr: float) -> None:
    """Raise when the steps of an epoch made a weight infinite or NaN.

    Once per epoch is enough: w - lr g is never finite again once w is infinite
    or NaN, so this finds every divergence a check after each step would find.
    """
    for l in range(1, net.L + 1):
        for M in (net.W[l], net.b[l]):
            try:
                check_matrix(M, "train")
            except BackpropError:
                raise BackpropError("train: epoch %d: a gradient step made W^[%d] or b^[%d] infinite or NaN; "
                                    "the learning rate %r is too large" % (epoch, l, l, lr))


def _check_training_args(net: "Network", optimizer: "Optimizer | None",
                         schedule: "Callable[[float, int], float] | None", patience: "int | None",
                         X_val: "MatrixLike | None") -> None:
    """The checks of ``optimizer``, ``schedule`` and ``patience`` (before any step)."""
    op = "train"
    if optimizer is not None:
        from .optimizers import Optimizer
        if not isinstance(optimizer, Optimizer):
            raise BackpropError("%s: optimizer must be None (the plain step) or one of tinybackprop.optimizers "
                                "(SGD, RMSprop, Adam, AdamW), got %s" % (op, type(optimizer).__name__))
        optimizer.check_state(net, op)
    if schedule is not None and not callable(schedule):
        raise BackpropError("%s: schedule must be a function schedule(lr, epoch) -> lr, e.g. "
                            "optimizers.StepLR(10), or None" % op)
    if patience is not None:
        if not isint(patience) or patience < 1:
            raise BackpropError("%s: patience must be an int >= 1 or None, got %s" % (op, show(patience)))
        if X_val is None:
            raise BackpropError("%s: patience (early stopping) watches the validation loss: give X_val and Y_val" % op)


def _step(module, net, X_b, Y_b, lr, optimizer):
    """One training step on the batch (X_b, Y_b), in place: the one place where training takes
    shortcuts.  The path's forward and backward passes run without checking again (``train``
    checked everything once, before the first step) and without dL/dX, which no update needs;
    then W <- W - lr g_W and b <- b - lr g_b on every layer, or ``optimizer``'s step.  A step
    on one row builds no g^[lW]: it is the outer product (a^[l-1])^T g^[lz], taken from W^[l]
    entry by entry.  Returns ``(loss, yhat)``: the batch's mean loss and its outputs a^[L] before
    the step, all the loop records; the step's other activations and gradients are freed as it
    returns (on a board's heap they would otherwise stay alive through the next step)."""
    one_row = len(X_b) == 1 and optimizer is None  # an optimizer needs the whole g^[lW]
    f, g = module._backward(net, X_b, Y_b, False, not one_row)  # no dL/dX; no g^[lW] for one row
    if optimizer is not None:
        optimizer.step(net, g, lr)  # its loop over i, j: one pass over the weights, on every path
        return g.loss, f.a[net.L]
    for l in range(1, net.L + 1):  # the stored matrices, updated in place
        if one_row:  # g^[lW] is an outer product: taken from W entry by entry
            _subtract_outer(net.W[l], lr, f.a[l - 1][0], g.g_z[l][0])  # [eq:train.step]
        else:
            _subtract_scaled(net.W[l], lr, g.W[l])  # [eq:train.step]
        _subtract_scaled(net.b[l], lr, g.b[l])  # [eq:train.step]
    return g.loss, f.a[net.L]


def _subtract_scaled(P: "Matrix", lr: float, G: "Matrix") -> None:
    """P <- P - lr G, in place: p_ij loses lr g_ij."""
    for p_i, g_i in zip(P, G):
        for j in range(len(p_i)):  # in place: measured faster than building a new row
            p_i[j] -= lr * g_i[j]


def _subtract_outer(W: "Matrix", lr: float, a: "Row", g_z: "Row") -> None:
    """W <- W - lr a^T g_z, in place, for one row ``a`` and its ``g_z``: w_ij loses
    a_i (lr g_j).  That is lr (a_i g_j), what the step with the outer product built
    takes, with the two multiplications in the other order (the results can differ in
    the last bit): lr g is formed once, so each weight costs one multiplication.  A row
    whose a_i is 0 loses nothing and is skipped (a NaN a_i is not: it spreads)."""
    lr_g = [lr * g_j for g_j in g_z]
    n = len(lr_g)
    for w_i, a_i in zip(W, a):
        if a_i:  # a_i = 0 makes row i of the outer product zero: that row of W stays as it is
            for j in range(n):
                w_i[j] -= a_i * lr_g[j]


def _weights(net: "Network") -> "List[Matrix]":
    return [[list(row) for row in M] for M in list(net.W) + list(net.b)]


def _restore(net: "Network", saved: "List[Matrix]") -> None:
    for l in range(1, net.L + 1):
        for P, Q in ((net.W[l], saved[l - 1]), (net.b[l], saved[net.L + l - 1])):
            for p, q in zip(P, Q):
                for j in range(len(p)):
                    p[j] = q[j]


def _check_test(net: "Network", op: str, X_test: "MatrixLike | None", Y_test: "Any") -> None:  # None with X_test
    if (X_test is None) != (Y_test is None):
        raise BackpropError("%s: give both X_test and Y_test, or neither" % op)
    if X_test is not None:
        net.check_XY(X_test, Y_test, op + " (test data)")


def _progress(verbose: "int | Progress", op: str) -> "Progress | None":
    """``verbose`` as a :class:`~tinybackprop.progress.Progress` (or None for 0).  The module
    loads on first use: a run that prints nothing (a board's) never pays for it."""
    if isint(verbose) and verbose == 0:
        return None
    from .progress import Progress
    if isinstance(verbose, Progress):
        return verbose
    if isint(verbose) and verbose in (1, 2):
        return Progress(verbose)
    raise BackpropError("%s: verbose must be 0 (silent), 1 (a line updated in place), 2 (a line per epoch) "
                        "or a Progress, got %s" % (op, show(verbose)))


def train(net: "Network", X: "MatrixLike", Y: "MatrixLike", epochs: int = 100, lr: float = 0.1, batch_size: int = 16,
          path: str = "vectorized", seed: int = 0, callback: "Callable[[int, History], Any] | None" = None,
          X_val: "MatrixLike | None" = None, Y_val: "MatrixLike | None" = None, optimizer: "Optimizer | None" = None,
          schedule: "Callable[[float, int], float] | None" = None, patience: "int | None" = None,
          evaluate_train: bool = False, X_test: "MatrixLike | None" = None, Y_test: "MatrixLike | None" = None,
          verbose: "int | Progress" = 0, initial_epoch: int = 0) -> "History":
    """Train ``net`` in place by mini-batch gradient descent on the mean loss.

    Every epoch shuffles the rows of (X, Y) with ``Random(seed)``, cuts them
    into batches of ``batch_size`` rows (the last one may be smaller), and for
    each batch computes the gradients with ``path`` (``"vectorized"``,
    ``"per_neuron"`` or ``"graph"``: all give the same numbers; the graph
    of scalars is much the slowest) and takes one step
    W <- W - lr g_W, b <- b - lr g_b; or, given an ``optimizer`` (see
    :mod:`tinybackprop.optimizers`; its own ``lr`` replaces ``lr``), that
    optimizer's step (its per-element loop, one pass over the weights, on every path).
    ``schedule(lr, epoch)`` (e.g. ``optimizers.StepLR(10)``) gives the learning rate of
    each epoch, counted from 0 as PyTorch's schedulers count.

    Three sets, as the field names them.  ``X, Y``: the training rows, the only ones
    the steps learn from.  ``X_val, Y_val`` (optional): the *validation* rows, measured
    after every epoch; everything that chooses looks at them and at nothing else: with
    ``patience`` (early stopping) training stops once the validation loss has not gone
    below its best for ``patience`` epochs, and the network gets back the weights of its
    best epoch (``history.best_epoch``).  ``X_test, Y_test`` (optional): the *test* rows,
    measured once, after training (and after early stopping put its weights back):
    ``history.test_loss`` and ``history.test_accuracy``.  No result of training depends
    on them.

    Each epoch records its loss (and, for classification, its accuracy),
    taken from the steps' own forward passes (see :class:`History`), those of the
    validation rows, and with ``evaluate_train=True`` those of ``X, Y`` after the
    epoch (one more forward pass over the training rows per epoch).  Then
    ``callback(epoch, history)`` runs if given (epoch counts from 1); if it
    returns True, training stops there.

    ``verbose``: 0 prints nothing (the default), 1 a line updated in place, 2 a line per
    epoch (see :class:`tinybackprop.progress.Progress`, which may be given instead, with a
    clock).
    ``initial_epoch``: the epochs this network was already trained for, to resume a run:
    the epochs are then numbered from ``initial_epoch + 1``, the batches are shuffled as
    those epochs of the first run would have been, and the schedule goes on from there; so
    ``epochs=a`` then ``epochs=b, initial_epoch=a`` (with the same optimizer object, or one
    holding its state) gives the weights that ``epochs=a + b`` gives, bit for bit.  (Keras's
    ``fit`` counts ``epochs`` as the last epoch's number; here it is how many to run.)

    Returns a :class:`History`.  Raises BackpropError for bad arguments, and
    when a step makes a weight infinite or NaN (the learning rate is too large;
    checked at the end of every epoch, which leaves the network as that
    epoch's steps made it).

    >>> from tinybackprop import Network
    >>> net = Network([2, 1], seed=0)
    >>> X, Y = [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]]
    >>> h = train(net, X, Y, epochs=20, lr=1.0, batch_size=2, X_val=X, Y_val=Y)
    >>> h.epochs, h.val_loss[-1] < h.val_loss[0]
    (20, True)
    """
    m = _check_args(net, X, Y, epochs, lr, batch_size, path, seed, callback, X_val, Y_val)
    _check_test(net, "train", X_test, Y_test)
    _check_training_args(net, optimizer, schedule, patience, X_val)
    if not isint(initial_epoch) or initial_epoch < 0:
        raise BackpropError("train: initial_epoch must be an int >= 0 (the epochs already trained), got %s"
                            % show(initial_epoch))
    progress = _progress(verbose, "train")
    module = PATHS[path]  # type: Any  # a path's module; per_neuron and graph imported on first use
    if path == "per_neuron":
        from . import per_neuron as module
    elif path == "graph":
        from . import graph as module
        module.check_nodes(net.sizes, min(batch_size, m), "train")  # the largest batch's graph, before any step
    X, Y = _floats(X), _floats(Y)
    classification = is_classification(net, Y)
    history = History(classification, X_val is not None, bool(evaluate_train), initial_epoch)
    rng = Random(seed)
    order = list(range(m))
    for _ in range(initial_epoch):  # the shuffles of the epochs already trained: the same batches as one run
        rng.shuffle(order)
    base_lr = lr if optimizer is None else optimizer.lr
    best = None
    first, last = initial_epoch + 1, initial_epoch + epochs
    if progress is not None:
        progress.begin(first, last, m)
    finished = False
    try:
        for epoch in range(first, last + 1):
            rng.shuffle(order)
            total, right = 0.0, 0
            lr = base_lr if schedule is None else schedule(base_lr, epoch - 1)
            if schedule is not None and not (finite_number(lr) and lr >= 0):  # a schedule of your own
                raise BackpropError("train: schedule(%r, %d) gave %s; a learning rate must be a finite number >= 0"
                                    % (base_lr, epoch - 1, show(lr)))
            try:
                for start in range(0, m, batch_size):
                    rows = order[start:start + batch_size]
                    X_b, Y_b = [X[r] for r in rows], [Y[r] for r in rows]
                    loss, yhat = _step(module, net, X_b, Y_b, lr, optimizer)
                    total += loss * len(rows)
                    if classification:
                        right += _count_right(yhat, Y_b)
                    if progress is not None:
                        progress.step(epoch, start + len(rows), history)
            except (ArithmeticError, ValueError) as e:  # a number too large: exp, log, or a helper's refusal
                _check_finite(net, epoch, lr)  # a weight gone infinite or NaN: said so
                raise BackpropError("train: epoch %d: a gradient step made the numbers too large to compute with "
                                    "(%s); the learning rate %r is too large" % (epoch, e, lr))
            _check_finite(net, epoch, lr)
            history.loss.append(total / m)
            history.lr.append(lr)
            if classification:
                history.accuracy.append(right / m)
            if evaluate_train:
                loss, acc = _evaluate(module, net, X, Y, classification)
                history.train_loss.append(loss)
                if classification:
                    history.train_accuracy.append(acc)
            if X_val is not None:
                loss, acc = _evaluate(module, net, X_val, Y_val, classification)
                history.val_loss.append(loss)
                if classification:
                    history.val_accuracy.append(acc)
            stop = False
            if patience is not None:  # early stopping chooses on the validation rows only
                if best is None or history.val_loss[-1] < history.at("val_loss", history.best_epoch):
                    history.best_epoch, best = epoch, _weights(net)
                elif epoch - history.best_epoch >= patience:
                    stop = True
            if progress is not None:
                progress.epoch(epoch, history)
            if stop or (callback is not None and callback(epoch, history) is True):
                break
        if best is not None:
            _restore(net, best)
        if X_test is not None:  # the test rows: measured once, on the weights training ends with
            history.test_loss, history.test_accuracy = _evaluate(module, net, X_test, Y_test,
                                                                 is_classification(net, Y_test))  # type: ignore[arg-type]  # not None here
        finished = True
    finally:
        if progress is not None:
            progress.end(history if finished else None)
    return history
