"""Optimizers: update rules beyond the plain step, each per element and in matrix form.

The plain step of :func:`tinybackprop.train` is W <- W - alpha g_W.  The rules here
change what is subtracted, with PyTorch's names, arguments, defaults and arithmetic
(``torch.optim``), so a learner can check one against the other.  Each rule is
written twice, as the backward pass is: one loop over the rows i and entries j, one
statement per per-element equation (``per_element``: a single pass over the weights,
whatever the rule, so it is what :meth:`Optimizer.step` and ``train`` run on every
path), and one line of matrix helpers per matrix equation (``matrix``, ``step(...,
per_element=False)``: ``add``, ``scale``, ``hadamard``, ``apply``), which is what the
site shows beside the equations; both give the same floats.  An optimizer keeps its
state (buffers, step count) itself, keyed by layer, and updates the buffers in place:
``opt.state[l]["W"]["exp_avg"]`` is Adam's gbar (the running mean of g) for W^[l], ``opt.steps`` the steps taken.

==================================  ===============================================
``SGD(lr, momentum, nesterov, ...)``  plain, momentum (heavy ball) or Nesterov steps
``RMSprop(lr, alpha, eps, ...)``      divides by a running root mean square of g
``Adam(lr, betas, eps, ...)``         momentum and RMSprop, bias-corrected; L2 decay
``AdamW(lr, betas, eps, ...)``        Adam with decoupled weight decay
``StepLR(step_size, gamma)``          lr times gamma (0 < gamma <= 1) every step_size epochs
``CosineAnnealingLR(T_max, eta_min)`` lr follows half a cosine down to eta_min
``OPTIMIZERS``                             name -> how to build it (the CLI's --optimizer)
==================================  ===============================================

>>> from tinybackprop import Network, vectorized
>>> net = Network([2, 1], output="identity", loss="squared_error")
>>> net.W[1] = [[1.0], [1.0]]
>>> opt = Adam(lr=0.1)
>>> opt.step(net, vectorized.backward(net, [[1.0, 2.0]], [[0.0]]))
>>> [round(w, 6) for (w,) in net.W[1]], opt.steps   # Adam's first step moves each weight by about lr
([0.9, 0.9], 1)
"""
import math

from ._compat import TYPE_CHECKING
from .errors import BackpropError, show
from .matrix import add, apply, copy, finite_number, hadamard, isint, scale, subtract, zeros
from .network import check_network

if TYPE_CHECKING:
    from typing import Any, Dict, Sequence, Tuple

    from ._compat import Json, Matrix
    from .network import Gradients, Network


def _number(op: str, name: str, x: "Any", low: float, high: "float | None" = None, low_ok: bool = True,
            high_ok: bool = False, why: str = "") -> float:
    """x as a float, after checking that it is a finite number in [low, high) (``low_ok=False``:
    above low; ``high_ok=True``: up to high); ``why`` ends the message of a refusal."""
    if (not finite_number(x) or (x < low if low_ok else x <= low)
            or (high is not None and (x > high if high_ok else x >= high))):
        want = ("a finite number %s %s" % (">=" if low_ok else ">", low) if high is None
                else "a number in %s%s, %s%s" % ("[" if low_ok else "(", low, high, "]" if high_ok else ")"))
        raise BackpropError("%s: %s must be %s, got %s%s" % (op, name, want, show(x), why))
    return float(x)


def _columns(M: "Any") -> "int | None":
    """The common length of the rows of M, or None when M is empty, ragged or not a list of rows (a
    cheap check, row lengths only)."""
    try:
        lengths = set(map(len, M))
    except TypeError:  # M, or a row of it, has no length
        return None
    return lengths.pop() if len(lengths) == 1 else None


def _shape(M: "Any") -> str:
    n = _columns(M)
    return show(M, 40) if n is None else "%dx%d" % (len(M), n)


def _epoch(op: str, lr: float, epoch: int) -> None:
    """A schedule's arguments: the base learning rate, a finite number > 0, and the epoch, an int >= 0."""
    _number(op, "lr", lr, 0.0, low_ok=False)
    if not isint(epoch) or epoch < 0 or not finite_number(epoch):
        raise BackpropError("%s: epoch must be an int >= 0 (counted from 0), got %s" % (op, show(epoch)))


_INF = float("inf")
#: Why eps must be > 0 (RMSprop, Adam, AdamW): it is all that keeps a step finite where
#: sqrt(v) is 0 (a gradient entry that was exactly 0, or so small that its square is 0).
EPS_WHY = " (it keeps g / (sqrt(v) + eps) finite where v is 0)"


class Optimizer:
    """What every optimizer shares: ``lr``, ``weight_decay``, ``state``, ``steps``.

    ``step(net, g)`` updates every W^[l] and b^[l] of ``net`` in place from the
    gradients ``g`` (a :class:`~tinybackprop.network.Gradients`); ``lr`` overrides
    the learning rate for this step (a schedule's); the update is the loop over i, j
    (one pass over each W^[l] and b^[l]), or with ``per_element=False`` the matrix lines
    (a pass per line; the same floats).

    >>> SGD(lr=0.5).state, SGD(lr=0.5).steps
    ({}, 0)
    """
    name = "sgd"
    BUFFERS: "Tuple[str, ...]" = ()

    def __init__(self, lr: float, weight_decay: float) -> None:
        op = type(self).__name__
        self.lr = _number(op, "lr", lr, 0.0, low_ok=False)
        self.weight_decay = _number(op, "weight_decay", weight_decay, 0.0)
        self.state = {}  # type: Dict[int, Dict[str, Dict[str, Matrix]]]  # layer -> "W"/"b" -> buffer name -> matrix
        self.steps = 0

    def settings(self) -> "Json":
        """The hyper-parameters, as plain data (what a saved model records).

        >>> Adam(lr=0.01).settings()["betas"]
        [0.9, 0.999]
        """
        return {"optimizer": self.name, "lr": self.lr, "weight_decay": self.weight_decay}

    def check_state(self, net: "Network", op: str = "train") -> None:
        """Refuse a state made for another network shape (before any step changes anything).

        >>> from tinybackprop import Network
        >>> opt = SGD(lr=0.1, momentum=0.9); opt.state[1] = {"W": {"momentum_buffer": [[0.0]]}}
        >>> opt.check_state(Network([2, 1]))
        Traceback (most recent call last):
          ...
        tinybackprop.errors.BackpropError: train: the optimizer's state holds a 1x1 momentum_buffer for W^[1], but the network's W^[1] is 2x1 (a state from another network shape: use a new optimizer)
        """
        if not isinstance(self.state, dict):
            raise BackpropError("%s: the optimizer's state must be a dict (layer -> buffers), got %s: use a new "
                                "optimizer" % (op, type(self.state).__name__))
        for l in self.state:  # (no matrix helper is called on a step's way: benchmarks/ counts them as passes)
            if type(l) is not int or not 1 <= l <= net.L:
                raise BackpropError("%s: the optimizer's state has a layer %s, but the network's layers are 1..%d "
                                    "(a state from another network shape: use a new optimizer)" % (op, show(l), net.L))
            layer = self.state[l]
            for kind in ("W", "b"):
                P = (net.W if kind == "W" else net.b)[l]
                bufs = layer.get(kind, {}) if isinstance(layer, dict) else None
                if not isinstance(bufs, dict) or any(buf not in bufs for buf in self.BUFFERS):
                    raise BackpropError("%s: the optimizer's state for %s^[%d] is not the %s buffers %s keeps: "
                                        "use a new optimizer" % (op, kind, l, "/".join(self.BUFFERS) or "no",
                                                                 type(self).__name__))
                for buf, B in bufs.items():
                    if not isinstance(B, list) or len(B) != len(P) or _columns(B) != len(P[0]):
                        raise BackpropError(
                            "%s: the optimizer's state holds a %dx%d %s for %s^[%d], but the network's %s^[%d] is "
                            "%dx%d (a state from another network shape: use a new optimizer)"
                            % (op, len(B) if isinstance(B, list) else 0,
                               len(B[0]) if isinstance(B, list) and B and isinstance(B[0], list) else 0,
                               buf, kind, l, kind, l, len(P), len(P[0])))

    def check_step(self, net: "Network", g: "Gradients", lr: "float | None" = None, op: "str | None" = None) -> None:
        """Refuse, before anything changes, what :meth:`step` cannot use: ``net`` not a Network
        (or its W^[l], b^[l] no longer of their shapes), gradients ``g`` of another shape, a
        state from another network, ``lr`` not a finite number >= 0.  Row lengths only: the
        gradients of a backward pass hold finite numbers already.

        >>> from tinybackprop import Network, vectorized
        >>> g = vectorized.backward(Network([2, 1]), [[1.0, 0.0]], [[1.0]])
        >>> SGD(lr=0.1).check_step(Network([3, 1]), g)
        Traceback (most recent call last):
          ...
        tinybackprop.errors.BackpropError: SGD.step: g.W[1] is 2x1 but the network's W^[1] is 3x1 (gradients of another network: compute them for this one)
        """
        op = op or type(self).__name__ + ".step"
        check_network(net, op)
        if lr is not None and not (type(lr) is float and 0.0 <= lr < _INF):  # a schedule's: 0 at its end
            _number(op, "lr", lr, 0.0)
        GW, Gb = getattr(g, "W", None), getattr(g, "b", None)
        if not isinstance(GW, list) or not isinstance(Gb, list) or len(GW) != net.L + 1 or len(Gb) != net.L + 1:
            raise BackpropError("%s: g must be the Gradients of this %d-layer network (from a backward pass), got %s"
                                % (op, net.L, show(g)))
        for l in range(1, net.L + 1):
            for kind, P, G in (("W", net.W[l], GW[l]), ("b", net.b[l], Gb[l])):
                n = _columns(P)
                if n is None or type(P[0]) is not list:
                    raise BackpropError("%s: the network's %s^[%d] is no longer a matrix of its shape (changed in "
                                        "place?)" % (op, kind, l))
                if not isinstance(G, (list, tuple)) or len(G) != len(P) or _columns(G) != n:
                    raise BackpropError("%s: g.%s[%d] is %s but the network's %s^[%d] is %dx%d (gradients of another "
                                        "network: compute them for this one)"
                                        % (op, kind, l, _shape(G), kind, l, len(P), n))
        self.check_state(net, op)

    def per_element(self, P: "Matrix", G: "Matrix", s: "Dict[str, Matrix]", lr: float) -> None:
        """Update one parameter matrix ``P`` (a W^[l] or b^[l]) in place from its gradient ``G``,
        entry by entry; ``s`` holds its buffers (``state[l]["W"]``), changed in place too.

        >>> from tinybackprop import optimizers
        >>> P = [[1.0, 2.0]]; optimizers.SGD(lr=0.5).per_element(P, [[2.0, 2.0]], {}, 0.5); P
        [[0.0, 1.0]]
        """
        raise NotImplementedError("an Optimizer subclass defines per_element")

    def matrix(self, P: "Matrix", G: "Matrix", s: "Dict[str, Matrix]", lr: float) -> None:
        """What :meth:`per_element` does, written with the matrix helpers; the same floats.

        >>> from tinybackprop import optimizers
        >>> P = [[1.0, 2.0]]; optimizers.SGD(lr=0.5).matrix(P, [[2.0, 2.0]], {}, 0.5); P
        [[0.0, 1.0]]
        """
        raise NotImplementedError("an Optimizer subclass defines matrix")

    def step(self, net: "Network", g: "Gradients", lr: "float | None" = None, per_element: bool = True) -> None:
        """One update of every W^[l] and b^[l] of ``net`` from the gradients ``g`` (a
        :class:`~tinybackprop.network.Gradients`): ``steps`` goes up by one.

        Everything is checked first (:meth:`check_step`): a step either updates every
        weight or, refused, changes nothing.

        >>> from tinybackprop import Network, vectorized
        >>> net = Network([2, 1]); opt = SGD(lr=0.1)
        >>> opt.step(net, vectorized.backward(net, [[1.0, 0.0]], [[1.0]])); opt.steps
        1
        """
        self.check_step(net, g, lr)
        lr = self.lr if lr is None else lr
        self.steps += 1
        for l in range(1, net.L + 1):
            if l not in self.state:
                self.state[l] = {kind: dict((name, zeros(len(P), len(P[0]))) for name in self.BUFFERS)
                                 for kind, P in (("W", net.W[l]), ("b", net.b[l]))}
            for kind, P, G in (("W", net.W[l], g.W[l]), ("b", net.b[l], g.b[l])):
                if per_element:
                    self.per_element(P, G, self.state[l][kind], lr)
                else:
                    self.matrix(P, G, self.state[l][kind], lr)

    def __repr__(self) -> str:
        return "%s(%s)" % (type(self).__name__, ", ".join(
            "%s=%r" % (k, v) for k, v in sorted(self.settings().items()) if k != "optimizer"))


def _assign(A: "Matrix", B: "Matrix") -> None:
    """A <- B, in place: the entries of B are copied into the rows of A (the weights and
    the buffers keep their lists)."""
    for ra, rb in zip(A, B):
        for j in range(len(ra)):  # not ra[:] = rb: slice assignment is optional in MicroPython
            ra[j] = rb[j]


class SGD(Optimizer):
    """Gradient descent, with momentum (``torch.optim.SGD``: buffer q <- mu q + g, the
    first step q = g; the step is q, or g + mu q with ``nesterov``) and L2 weight
    decay (g + lambda W).  ``SGD(lr)`` alone is the plain step.  The momentum mu is
    in [0, 1): with mu >= 1 the buffer never forgets a gradient and the steps grow
    whatever the learning rate (PyTorch accepts it; nothing can train so).

    >>> SGD(lr=0.1, nesterov=True)
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: SGD: nesterov needs momentum > 0, got momentum=0.0
    """
    BUFFERS = ("momentum_buffer",)

    def __init__(self, lr: float = 0.001, momentum: float = 0.0, nesterov: bool = False,
                 weight_decay: float = 0.0) -> None:
        Optimizer.__init__(self, lr, weight_decay)
        self.momentum = _number("SGD", "momentum", momentum, 0.0, 1.0,
                                why=" (mu >= 1 never lets the buffer forget a gradient: the steps grow "
                                    "whatever the learning rate)")
        if nesterov is not True and nesterov is not False:
            raise BackpropError("SGD: nesterov must be True or False, got %s" % show(nesterov))
        if nesterov and self.momentum == 0.0:
            raise BackpropError("SGD: nesterov needs momentum > 0, got momentum=%r" % self.momentum)
        self.nesterov = nesterov
        self.name = "nesterov" if nesterov else ("momentum" if self.momentum else "sgd")

    def settings(self) -> "Json":
        d = Optimizer.settings(self)
        d["momentum"], d["nesterov"] = self.momentum, self.nesterov
        return d

    def per_element(self, P: "Matrix", G: "Matrix", s: "Dict[str, Matrix]", lr: float) -> None:
        mu, wd, first, nesterov = self.momentum, self.weight_decay, self.steps == 1, self.nesterov
        Q = s.get("momentum_buffer", P)  # (read only with momentum)
        for P_i, G_i, Q_i in zip(P, G, Q):  # row i of each
            for j in range(len(P_i)):  # one pass: every equation of entry (i, j), then the next entry
                g_ij = G_i[j]
                if wd:
                    g_ij = g_ij + wd * P_i[j]  # [eq:opt.l2]
                if mu:
                    q_ij = Q_i[j] = g_ij if first else mu * Q_i[j] + g_ij  # [eq:opt.momentum]
                    g_ij = g_ij + mu * q_ij if nesterov else q_ij  # [eq:opt.nesterov]
                P_i[j] -= lr * g_ij  # [eq:opt.sgd]

    def matrix(self, P: "Matrix", G: "Matrix", s: "Dict[str, Matrix]", lr: float) -> None:
        mu, wd = self.momentum, self.weight_decay
        if wd:
            G = add(G, scale(P, wd))  # [eq:opt.l2.mat]
        if mu:
            Q = copy(G) if self.steps == 1 else add(scale(s["momentum_buffer"], mu), G)  # [eq:opt.momentum.mat]
            _assign(s["momentum_buffer"], Q)
            G = add(G, scale(Q, mu)) if self.nesterov else Q  # [eq:opt.nesterov.mat]
        _assign(P, subtract(P, scale(G, lr)))  # [eq:opt.sgd.mat]


class RMSprop(Optimizer):
    """``torch.optim.RMSprop``: g2bar <- alpha g2bar + (1 - alpha) g o g (the running mean of g
    squared; the site's rho is PyTorch's ``alpha``), step lr g / (sqrt(g2bar) + eps).

    >>> RMSprop(lr=0.01, alpha=1.0)
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: RMSprop: alpha must be a number in [0.0, 1.0), got 1.0
    """
    name = "rmsprop"
    BUFFERS = ("square_avg",)

    def __init__(self, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        Optimizer.__init__(self, lr, weight_decay)
        self.alpha = _number("RMSprop", "alpha", alpha, 0.0, 1.0)
        self.eps = _number("RMSprop", "eps", eps, 0.0, low_ok=False, why=EPS_WHY)

    def settings(self) -> "Json":
        d = Optimizer.settings(self)
        d["alpha"], d["eps"] = self.alpha, self.eps
        return d

    def per_element(self, P: "Matrix", G: "Matrix", s: "Dict[str, Matrix]", lr: float) -> None:
        rho, eps, wd, sqrt = self.alpha, self.eps, self.weight_decay, math.sqrt
        one_minus_rho = 1.0 - rho
        for P_i, G_i, g2bar_i in zip(P, G, s["square_avg"]):  # row i of each
            for j in range(len(P_i)):  # one pass: every equation of entry (i, j), then the next entry
                g_ij = G_i[j]
                if wd:
                    g_ij = g_ij + wd * P_i[j]  # [eq:opt.l2]
                g2bar_ij = g2bar_i[j] = rho * g2bar_i[j] + one_minus_rho * (g_ij * g_ij)  # [eq:opt.rmsprop.v]
                P_i[j] -= lr * (g_ij / (sqrt(g2bar_ij) + eps))  # [eq:opt.rmsprop.step]

    def matrix(self, P: "Matrix", G: "Matrix", s: "Dict[str, Matrix]", lr: float) -> None:
        rho, eps, wd, sqrt = self.alpha, self.eps, self.weight_decay, math.sqrt
        if wd:
            G = add(G, scale(P, wd))  # [eq:opt.l2.mat]
        g2bar = add(scale(s["square_avg"], rho), scale(hadamard(G, G), 1.0 - rho))  # [eq:opt.rmsprop.v.mat]
        _assign(s["square_avg"], g2bar)
        _assign(P, subtract(P, scale(apply(lambda g_ij, g2_ij: g_ij / (sqrt(g2_ij) + eps), G, g2bar), lr)))  # [eq:opt.rmsprop.step.mat]


class Adam(Optimizer):
    """``torch.optim.Adam``: gbar and g2bar, running means of g and g o g, bias-corrected by
    1 - beta^t; the step is lr gbar_hat / (sqrt(g2bar_hat) + eps).  ``weight_decay`` adds
    lambda W to the gradient (L2), as PyTorch's Adam does.

    >>> Adam(betas=(0.9, 1.5))
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: Adam: betas[1] (beta2) must be a number in [0.0, 1.0), got 1.5
    """
    name = "adam"
    BUFFERS = ("exp_avg", "exp_avg_sq")
    DECOUPLED = False

    def __init__(self, lr: float = 0.001, betas: "Sequence[float]" = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        Optimizer.__init__(self, lr, weight_decay)
        op = type(self).__name__
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise BackpropError("%s: betas must be a pair (beta1, beta2), got %s" % (op, show(betas)))
        self.betas = (_number(op, "betas[0] (beta1)", betas[0], 0.0, 1.0),
                      _number(op, "betas[1] (beta2)", betas[1], 0.0, 1.0))
        self.eps = _number(op, "eps", eps, 0.0, low_ok=False, why=EPS_WHY)

    def settings(self) -> "Json":
        d = Optimizer.settings(self)
        d["betas"], d["eps"] = list(self.betas), self.eps
        return d

    def _factors(self, lr: float) -> "Tuple[float, float]":
        """lr / (1 - beta1^t) and sqrt(1 - beta2^t): the bias corrections of step t, as PyTorch forms them."""
        b1, b2 = self.betas
        return lr / (1.0 - b1 ** self.steps), math.sqrt(1.0 - b2 ** self.steps)

    def per_element(self, P: "Matrix", G: "Matrix", s: "Dict[str, Matrix]", lr: float) -> None:
        (b1, b2), eps, wd, sqrt = self.betas, self.eps, self.weight_decay, math.sqrt
        one_minus_b1, one_minus_b2, one_minus_lr_wd = 1.0 - b1, 1.0 - b2, 1.0 - lr * wd
        l2, decoupled = wd and not self.DECOUPLED, wd and self.DECOUPLED
        step, c2 = self._factors(lr)
        for P_i, G_i, gbar_i, g2bar_i in zip(P, G, s["exp_avg"], s["exp_avg_sq"]):  # row i of each
            for j in range(len(P_i)):  # one pass: every equation of entry (i, j), then the next entry
                g_ij = G_i[j]
                if decoupled:
                    P_i[j] *= one_minus_lr_wd  # [eq:opt.adamw.decay]
                elif l2:
                    g_ij = g_ij + wd * P_i[j]  # [eq:opt.l2]
                gbar_ij = gbar_i[j] = b1 * gbar_i[j] + one_minus_b1 * g_ij  # [eq:opt.adam.m]
                g2bar_ij = g2bar_i[j] = b2 * g2bar_i[j] + one_minus_b2 * (g_ij * g_ij)  # [eq:opt.adam.v]
                P_i[j] -= step * (gbar_ij / (sqrt(g2bar_ij) / c2 + eps))  # [eq:opt.adam.step]

    def matrix(self, P: "Matrix", G: "Matrix", s: "Dict[str, Matrix]", lr: float) -> None:
        (b1, b2), eps, wd, sqrt = self.betas, self.eps, self.weight_decay, math.sqrt
        step, c2 = self._factors(lr)
        if wd and self.DECOUPLED:
            _assign(P, scale(P, 1.0 - lr * wd))  # [eq:opt.adamw.decay.mat]
        elif wd:
            G = add(G, scale(P, wd))  # [eq:opt.l2.mat]
        gbar = add(scale(s["exp_avg"], b1), scale(G, 1.0 - b1))  # [eq:opt.adam.m.mat]
        g2bar = add(scale(s["exp_avg_sq"], b2), scale(hadamard(G, G), 1.0 - b2))  # [eq:opt.adam.v.mat]
        _assign(s["exp_avg"], gbar)
        _assign(s["exp_avg_sq"], g2bar)
        _assign(P, subtract(P, scale(apply(lambda g_ij, g2_ij: g_ij / (sqrt(g2_ij) / c2 + eps), gbar, g2bar), step)))  # [eq:opt.adam.step.mat]


class AdamW(Adam):
    """``torch.optim.AdamW``: Adam whose weight decay is decoupled from the gradient:
    W <- (1 - lr lambda) W before the Adam step (default lambda = 0.01).

    >>> AdamW(lr=0.001).weight_decay
    0.01
    """
    name = "adamw"
    DECOUPLED = True

    def __init__(self, lr: float = 0.001, betas: "Sequence[float]" = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01) -> None:
        Adam.__init__(self, lr, betas, eps, weight_decay)


class StepLR:
    """``torch.optim.lr_scheduler.StepLR``: the learning rate of epoch e (counted from
    0) is lr gamma^floor(e / step_size), a decay: 0 < gamma <= 1 (a gamma above 1
    would grow the learning rate beyond any that trains, and beyond the floats).

    >>> [StepLR(2, gamma=0.5)(1.0, e) for e in range(5)]
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    def __init__(self, step_size: int, gamma: float = 0.1) -> None:
        if not isint(step_size) or step_size < 1:
            raise BackpropError("StepLR: step_size must be an int >= 1, got %s" % show(step_size))
        self.step_size = step_size
        self.gamma = _number("StepLR", "gamma", gamma, 0.0, 1.0, low_ok=False, high_ok=True,
                             why=" (the factor of the decay)")

    def __call__(self, lr: float, epoch: int) -> float:
        _epoch("StepLR", lr, epoch)
        return lr * self.gamma ** (epoch // self.step_size)  # [eq:opt.sched.step]

    def settings(self) -> "Json":
        return {"schedule": "step", "step_size": self.step_size, "gamma": self.gamma}


class CosineAnnealingLR:
    """``torch.optim.lr_scheduler.CosineAnnealingLR``: the learning rate of epoch e
    (from 0) falls from lr to eta_min along half a cosine, reaching it at e = T_max.

    >>> [round(CosineAnnealingLR(4)(1.0, e), 4) for e in range(5)]
    [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """
    def __init__(self, T_max: int, eta_min: float = 0.0) -> None:
        if not isint(T_max) or T_max < 1 or not finite_number(T_max):
            raise BackpropError("CosineAnnealingLR: T_max must be an int >= 1 (within the float range), got %s"
                                % show(T_max))
        self.T_max = T_max
        self.eta_min = _number("CosineAnnealingLR", "eta_min", eta_min, 0.0)

    def __call__(self, lr: float, epoch: int) -> float:
        _epoch("CosineAnnealingLR", lr, epoch)
        return self.eta_min + (lr - self.eta_min) * (1.0 + math.cos(math.pi * epoch / self.T_max)) / 2.0  # [eq:opt.sched.cosine]

    def settings(self) -> "Json":
        return {"schedule": "cosine", "T_max": self.T_max, "eta_min": self.eta_min}


def make(name: str, lr: float, momentum: float = 0.9, betas: "Sequence[float]" = (0.9, 0.999), eps: float = 1e-8,
         weight_decay: "float | None" = None) -> "Optimizer":
    """The optimizer called ``name`` (one of ``OPTIMIZERS``), the CLI's way: ``momentum``
    is used by "momentum" and "nesterov" only, ``weight_decay=None`` keeps each
    optimizer's own default.

    >>> make("nesterov", 0.1)
    SGD(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.0)
    """
    kw = {} if weight_decay is None else {"weight_decay": weight_decay}  # type: Dict[str, Any]  # only weight_decay, a float
    if name == "sgd":
        return SGD(lr, **kw)
    if name in ("momentum", "nesterov"):
        return SGD(lr, momentum=momentum, nesterov=name == "nesterov", **kw)
    if name == "rmsprop":
        return RMSprop(lr, eps=eps, **kw)
    if name in ("adam", "adamw"):
        return (Adam if name == "adam" else AdamW)(lr, betas=betas, eps=eps, **kw)
    raise BackpropError("optimizer must be one of %s, got %s" % (", ".join(OPTIMIZERS), show(name)))


OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw")
