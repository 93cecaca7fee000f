"""When training goes wrong: the checks a careful practitioner makes, each a number and a threshold.

CS231n's "babysitting the learning process" lists what to look at while a network
trains; each check here measures one of them with the package's own passes, and
:func:`findings_before` and :func:`findings_after` turn those past their threshold into
:class:`Finding` objects: one line naming the symptom, the number behind it and what to
try.  ``tinybackprop train`` prints them (``tinybackprop: warning: ...``, and under
``"warnings"`` in ``--json``); the Learn page "When training goes wrong" reproduces each.

======================================  ================================================
``chance_loss(net, Y)``                 the loss of a network that knows nothing: ln C
                                        for softmax + cross entropy, ln 2 per output
                                        for sigmoid + bce; predicting each target's
                                        mean for squared error
``gradient_sizes(net, X, Y)``           per layer l, the root mean square of g^[lW]
                                        and of g^[lz]
``update_ratios(net, X, Y, lr)``        per layer, the size of one plain step against
                                        the size of the weights: lr |g^[lW]| / |W^[l]|
                                        (about 1e-3)
``gradflow.dead_units(net, X)``         per hidden layer, the neurons with z <= 0 on
                                        every row
``Snapshot(net, X, Y, lr)``             what is measured before the first step
``findings_before(net, snapshot)``      the checks before training: a list of Findings
``findings_after(net, X, Y, history)``  the checks after training: a list of Findings
``Finding``                             one warning: ``check``, ``value``, ``message``
======================================  ================================================

The checks and their thresholds (``THRESHOLDS``):

* ``start_loss``: the loss before the first step is over twice its chance value (or
  under a third of it): the first outputs are confidently wrong (or the task leaks its
  answer into the inputs).
* ``not_learning``: the training loss after training is still over 0.9 times the loss at
  the start.
* ``loss_rising``: the training loss after the last epoch is over 1.25 times its lowest
  (the loss before training included), and over it by a tenth of the chance loss: the
  steps overshoot.
* ``overfitting``: the validation loss after the last epoch is over 1.25 times its
  lowest (and over it by a tenth of the chance loss) while the training loss went on
  falling.
* ``collapsed``: every training row is predicted as one class, while the targets hold
  more than one.
* ``dead_units``: half or more of a relu layer's neurons are 0 on every training row.
* ``vanishing_gradients`` and ``exploding_gradients``: before the first step, the root
  mean square of g^[1z] (the gradient the backward pass carries back to the first
  layer) is under 1e-3 (over 1e3) times that of g^[Lz], where it starts.

>>> from tinybackprop import Network
>>> round(chance_loss(Network([4, 3]), [[1.0, 0.0, 0.0]]), 4)  # softmax? no: 3 sigmoid outputs, 3 ln 2
2.0794
>>> round(chance_loss(Network([4, 3], output="softmax", loss="cross_entropy"), [[1.0, 0.0, 0.0]]), 4)
1.0986
"""
import math

from .. import vectorized
from ..training import predicted_class
from .gradflow import dead_units

#: The thresholds of the checks (see the module's docstring).
THRESHOLDS = {"start_high": 2.0, "start_low": 1.0 / 3.0, "not_learning": 0.9, "rising": 1.25, "rising_by": 0.1,
          "dead_share": 0.5, "vanishing": 1e-3, "exploding": 1e3}
#: The most training rows the gradient checks go backward over (the first ones).
GRADIENT_ROWS = 128


def chance_loss(net, Y):
    """The mean loss of a network that has learned nothing: ln C for a softmax over C
    classes with cross entropy (each class 1/C), ln 2 per output for sigmoid outputs with
    bce (each 1/2); for squared error, the loss of predicting each target's mean over
    ``Y``, 1/2 sum_k var(y_k).  None for a pairing with no such value (identity + bce).

    >>> from tinybackprop import Network
    >>> chance_loss(Network([2, 1], output="identity", loss="squared_error"), [[1.0], [3.0]])
    0.5
    """
    k = len(Y[0])
    if net.loss == "cross_entropy" and net.output == "softmax":
        return math.log(k)
    if net.loss == "bce" and net.output == "sigmoid":
        return k * math.log(2.0)
    if net.loss == "squared_error":
        total = 0.0
        for j in range(k):
            col = [row[j] for row in Y]
            mean = sum(col) / len(col)
            total += sum((v - mean) ** 2 for v in col) / len(col)
        return 0.5 * total
    return None


def _rms(M):
    return math.sqrt(sum(v * v for row in M for v in row) / (len(M) * len(M[0])))


def gradient_sizes(net, X, Y):
    """``(g_W, g_z)``: per layer l = 1..L, the root mean square of the entries of g^[lW]
    and of g^[lz], the gradient of the mean loss over the first ``GRADIENT_ROWS`` rows.
    Per entry, so layers of different widths compare.  g^[lz] is what the backward pass
    carries from layer to layer (g^[l-1,z] = phi'(z^[l-1]) o g^[lz] (W^[l])^T): where it
    shrinks or grows layer by layer, the gradients vanish or explode.

    >>> from tinybackprop import Network
    >>> g_W, g_z = gradient_sizes(Network([2, 3, 1], seed=0), [[1.0, 0.0]], [[1.0]])
    >>> len(g_W), len(g_z), all(v > 0 for v in g_W + g_z)
    (2, 2, True)
    """
    g = vectorized.backward(net, X[:GRADIENT_ROWS], Y[:GRADIENT_ROWS])
    return [_rms(g.W[l]) for l in range(1, net.L + 1)], [_rms(g.g_z[l]) for l in range(1, net.L + 1)]


def update_ratios(net, X, Y, lr):
    """Per layer, how large one plain step is against the weights it moves:
    lr |g^[lW]| / |W^[l]| (root mean squares; None where the weights are all 0).
    CS231n's rule of thumb: about 1e-3; far above, the steps overshoot; far below, the
    network barely moves.

    >>> from tinybackprop import Network
    >>> r = update_ratios(Network([4, 3, 2, 1], seed=0), [[0.1, 0.2, 0.3, 0.4]], [[1.0]], 0.5)
    >>> len(r), all(v > 0 for v in r)
    (3, True)
    """
    out = []
    for l, size in enumerate(gradient_sizes(net, X, Y)[0], 1):
        w = _rms(net.W[l])
        out.append(lr * size / w if w > 0 else None)
    return out


class Snapshot:
    """What :func:`findings_after` compares with, measured before the first step: the
    training loss (``loss``), its ``chance`` value, the gradient sizes per layer
    (``gradients``: g^[lW]; ``signal``: g^[lz], see :func:`gradient_sizes`) and the update ratios (``ratios``) for learning rate ``lr``;
    ``resumed``: the network was trained before (its loss is meant to be far from chance).

    >>> from tinybackprop import Network
    >>> s = Snapshot(Network([2, 2, 1], seed=0), [[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]], 0.5)
    >>> round(s.chance, 4), len(s.gradients)
    (0.6931, 2)
    """

    def __init__(self, net, X, Y, lr, resumed=False):
        self.resumed = resumed
        self.loss = net.loss_value(X, Y)
        self.chance = chance_loss(net, Y)
        self.gradients, self.signal = gradient_sizes(net, X, Y)
        weights = [_rms(net.W[l]) for l in range(1, net.L + 1)]
        self.ratios = [lr * s / w if w > 0 else None for s, w in zip(self.gradients, weights)]
        self.lr = lr

    def to_dict(self):
        return {"start_loss": self.loss, "chance_loss": self.chance, "g_W_rms": self.gradients,
                "g_z_rms": self.signal, "update_ratio": self.ratios}


class Finding:
    """One warning: ``check`` (its name, a key of the module's list), ``value`` (the number
    behind it) and ``message`` (one line: the symptom, the number, what to try).

    >>> Finding("collapsed", 1.0, "every row is predicted as one class").to_dict()["check"]
    'collapsed'
    """

    def __init__(self, check, value, message):
        self.check, self.value, self.message = check, value, message

    def to_dict(self):
        return {"check": self.check, "value": self.value, "message": self.message}

    def __repr__(self):
        return "Finding(%r, %r)" % (self.check, self.value)


def _opt(name, cli):
    """How the reader sets a thing: the command's flag, or train()'s argument."""
    return {"lr": ("--lr", "lr"), "init_scale": ("--init-scale", "init_scale"), "init": ("--init", "init"),
            "patience": ("--patience", "patience"), "hidden": ("--hidden", "hidden"),
            "epochs": ("--epochs", "epochs")}[name][0 if cli else 1]


def _g(v):
    return "%.3g" % v


def findings_before(net, start, cli=False, init_scale=None):
    """The checks that need no training, on the :class:`Snapshot` ``start`` taken before
    the first step: ``start_loss`` (left out when ``start.resumed``: a trained network is
    meant to be far below chance), ``vanishing_gradients`` and ``exploding_gradients``.
    Returns the :class:`Finding` objects (empty when all is well); the command line prints them
    before it trains.

    >>> from tinybackprop import Network
    >>> net = Network([2, 2, 1], seed=0, init_scale=30.0)
    >>> [f.check for f in findings_before(net, Snapshot(net, [[3.0, -3.0], [-3.0, 3.0]], [[0.0], [1.0]], 0.5))]
    ['start_loss']
    """
    found = []
    chance = start.chance
    if chance and not start.resumed:
        ratio = start.loss / chance
        scale = "" if init_scale is None else ", now %g" % init_scale
        if ratio > THRESHOLDS["start_high"]:
            found.append(Finding("start_loss", start.loss, (
                "the loss before training is %.4g, %.1f times its chance value %.4g (%s): the first outputs are "
                "confidently wrong; start the weights smaller (%s%s) or with the default %s"
                % (start.loss, ratio, chance, _chance_words(net), _opt("init_scale", cli), scale, _opt("init", cli)))))
        elif ratio < THRESHOLDS["start_low"]:
            found.append(Finding("start_loss", start.loss, (
                "the loss before training is %.4g, only %.2f of its chance value %.4g (%s): an untrained "
                "network cannot know the answers; check that no input column holds the target"
                % (start.loss, ratio, chance, _chance_words(net)))))
    sizes = start.signal
    if net.L > 1 and sizes[0] > 0 and sizes[-1] > 0:
        r = sizes[0] / sizes[-1]
        said = "(root mean square per entry: %s against %s)" % (_g(sizes[0]), _g(sizes[-1]))
        if r < THRESHOLDS["vanishing"]:
            found.append(Finding("vanishing_gradients", r, (
                "gradients vanish on the way back: before training g^[1z] is %s the size of g^[%dz] %s, so the "
                "first layers barely learn; use fewer layers, or %s relu with %s he"
                % (_g(r), net.L, said, _opt("hidden", cli), _opt("init", cli)))))
        elif r > THRESHOLDS["exploding"]:
            found.append(Finding("exploding_gradients", r, (
                "gradients explode on the way back: before training g^[1z] is %s times the size of g^[%dz] %s; "
                "start the weights smaller (%s) or with %s xavier or he"
                % (_g(r), net.L, said, _opt("init_scale", cli), _opt("init", cli)))))
    return found


def findings_after(net, X, Y, history, start=None, classes=None, cli=False, lr=None):
    """The checks of a finished run, on a network after :func:`~tinybackprop.train`:
    ``X, Y`` its training rows, ``history`` what ``train`` returned, ``start`` the
    :class:`Snapshot` taken before the first step (``not_learning`` compares with it, and
    is left out without one or when ``start.resumed``), ``classes`` the class names (for
    the messages).  ``cli``: name the command line's flags (``--lr``) rather than
    train()'s arguments; ``lr``: the learning rate asked for (default: the first epoch's,
    before any schedule), which the advice names.  Returns the :class:`Finding` objects, in
    the order of the module's list (empty when all is well).

    >>> from tinybackprop import Network, train
    >>> X, Y = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [[1.0], [0.0], [0.0]]
    >>> net = Network([2, 2, 1], seed=0); s = Snapshot(net, X, Y, 50.0)
    >>> h = train(net, X, Y, epochs=30, lr=50.0, batch_size=1)
    >>> [f.check for f in findings_after(net, X, Y, h, s)]
    ['loss_rising', 'collapsed']
    """
    found = []
    if lr is None:
        lr = history.lr[0] if history.lr else None
    lower = "lower %s%s" % (_opt("lr", cli), "" if lr is None else " (now %g), e.g. %s %g" % (lr, _opt("lr", cli),
                                                                                          lr / 10.0))
    raise_lr = "raise %s%s" % (_opt("lr", cli), "" if lr is None else " (now %g), e.g. %s %g" % (
        lr, _opt("lr", cli), lr * 10.0))
    losses = history.train_loss if history.train_loss else history.loss
    chance = start.chance if start is not None else chance_loss(net, Y)
    margin = THRESHOLDS["rising_by"] * (chance or 1.0)
    first = history.initial_epoch + 1
    rising = False
    if losses:
        # the lowest of the curve, the loss before training counting as epoch first - 1
        curve = ([start.loss] if start is not None and not start.resumed else []) + list(losses)
        offset = first - (len(curve) - len(losses))
        low = min(curve)
        if losses[-1] > THRESHOLDS["rising"] * low and losses[-1] - low > margin:
            rising = True
            at = offset + curve.index(low)
            found.append(Finding("loss_rising", losses[-1], (
                "the training loss rose: %.4g after epoch %d, %.2f times its lowest, %.4g %s; the steps "
                "overshoot: %s" % (losses[-1], first + len(losses) - 1, losses[-1] / low, low,
                                   "before training" if at < first else "after epoch %d" % at, lower))))
    if (start is not None and not start.resumed and losses and not rising
            and losses[-1] > THRESHOLDS["not_learning"] * start.loss):
        found.append(Finding("not_learning", losses[-1], (
            "the training loss barely fell: %.4g after %d epoch%s, %.4g before training (%+.1f%%); %s, train for "
            "more %s, or check that the targets go with the inputs"
            % (losses[-1], history.epochs, "" if history.epochs == 1 else "s", start.loss,
               100.0 * (losses[-1] / start.loss - 1.0), raise_lr, _opt("epochs", cli)))))
    if history.val_loss and history.best_epoch is None:
        v = history.val_loss
        low = min(v)
        at = v.index(low)
        if v[-1] > THRESHOLDS["rising"] * low and v[-1] - low > margin and losses and losses[-1] <= losses[at]:
            found.append(Finding("overfitting", v[-1], (
                "the validation loss rose while the training loss fell: %.4g after epoch %d, %.2f times its "
                "lowest, %.4g after epoch %d; the network learns its training rows by heart: stop at the best "
                "epoch (%s 10), train for fewer %s, or use a smaller network"
                % (v[-1], first + len(v) - 1, v[-1] / low, low, first + at, _opt("patience", cli),
                   _opt("epochs", cli)))))
    if net.output in ("sigmoid", "softmax"):
        truth = [predicted_class(y) for y in Y]
        if len(set(truth)) > 1:
            said = set()
            for row in range(0, len(X), 256):
                for yhat in net.predict(X[row:row + 256]):
                    said.add(predicted_class(yhat))
                if len(said) > 1:
                    break
            if len(said) == 1:
                k = said.pop()
                name = ("class %r" % classes[k]) if classes and k < len(classes) else "class %d" % k
                others = sum(1 for t in truth if t != k)
                why = lower if rising else "train for more %s, or %s" % (_opt("epochs", cli), raise_lr)
                found.append(Finding("collapsed", others / len(X), (
                    "every training row is predicted as one class, %s: all %d of them, though %d %s to "
                    "another (training accuracy %.3f); the prediction does not depend on the input: %s"
                    % (name, len(X), others, "belongs" if others == 1 else "belong", 1.0 - others / len(X), why))))
    if net.hidden == "relu" and net.L > 1:
        dead = [(l, n) for l, n in enumerate(dead_units(net, X), 1) if n >= THRESHOLDS["dead_share"] * net.sizes[l]]
        if dead:
            found.append(Finding("dead_units", max(n / net.sizes[l] for l, n in dead), (
                "dead relu units: %s %s 0 on every training row, so no gradient reaches their weights and they "
                "never come back; %s, or try %s he or %s tanh"
                % ("; ".join("%d of the %d neurons of hidden layer %d" % (n, net.sizes[l], l) for l, n in dead),
                   "is" if len(dead) == 1 and dead[0][1] == 1 else "are", lower, _opt("init", cli),
                   _opt("hidden", cli)))))
    return found


def _chance_words(net):
    if net.output == "softmax":
        return "ln %d, softmax over %d classes" % (net.sizes[-1], net.sizes[-1])
    if net.output == "sigmoid" and net.loss == "bce":
        return "ln 2 per output" if net.sizes[-1] > 1 else "ln 2, one sigmoid output"
    return "the loss of predicting each target's mean"

