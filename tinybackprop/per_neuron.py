"""Backpropagation neuron by neuron: one statement per per-element equation.

The per-element equations as code.  Loops run over examples, over the
neurons ``j`` of a layer and over their incoming weights ``i``; each line that
computes an equation carries its ID (``# [eq:...]``, see
:mod:`tinybackprop.show.equations`).  No matrix helper is called inside the loops:
read it beside :mod:`tinybackprop.vectorized`, which has the same functions in
the same order, one matrix equation per line, and gives the same numbers.
On the site each ID is the anchor ``eq-`` + ID with dots as dashes, e.g.
``[eq:bwd.gW]`` is at docs/backward-neuron.md#eq-bwd-gW and
``[eq:fwd.z]`` at docs/forward.md#eq-fwd-z.

=======================  ===========================================
``forward(net, X)``      z^[l] and a^[l] of every layer, neuron by neuron
``backward(net, X, Y)``  gradients of the mean loss, neuron by neuron
=======================  ===========================================

>>> from tinybackprop import Network
>>> net = Network([4, 3, 2, 1], seed=0)
>>> g = backward(net, [[0.1, 0.2, 0.3, 0.4]], [[1.0]])
>>> [len(g.W[l]) for l in (1, 2, 3)], len(g.x[0])
([4, 3, 2], 4)
"""
from ._compat import TYPE_CHECKING
from .activations import softmax
from .losses import is_canonical
from .network import Forward, Gradients, check_call, check_gradients, mean_loss

if TYPE_CHECKING:
    from ._compat import Matrix
    from .network import Network


def forward(net: "Network", X: "Matrix") -> Forward:
    """The forward pass of a batch ``X`` (m x n_0), one neuron at a time, after
    checking ``net`` and ``X``.

    >>> from tinybackprop import Network
    >>> net = Network([2, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[1.0], [2.0]]
    >>> forward(net, [[1.0, 1.0]]).z[1]
    [[3.0]]
    """
    check_call(net, X, None, "per_neuron.forward", targets=False)
    return _forward(net, X)


def backward(net: "Network", X: "Matrix", Y: "Matrix") -> Gradients:
    """Gradients of the mean loss over the batch (X, Y), one neuron at a time:
    ``g.W[l]``, ``g.b[l]``, ``g.x`` (dL/dX) and ``g.loss``.

    Each example goes back from the output layer L to layer 1 as the per-element
    equations go; the weight and bias gradients add up over the examples.

    >>> from tinybackprop import Network
    >>> net = Network([1, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[2.0]]
    >>> g = backward(net, [[1.0]], [[3.0]])
    >>> g.loss, g.W[1], g.b[1], g.x
    (0.5, [[-1.0]], [[-1.0]], [[-2.0]])
    """
    check_call(net, X, Y, "per_neuron.backward")
    f, g = _backward(net, X, Y, True, True)
    # a NaN never passes for a gradient (the training loop checks its steps itself)
    return check_gradients(g, f.a[net.L], "per_neuron.backward")


def _forward(net, X):
    """The loops of :func:`forward`, unchecked (the training step calls them)."""
    z = [None]
    a = [[list(row) for row in X]]
    for l in range(1, net.L + 1):
        W, b, act = net.W[l], net.b[l][0], net.activation(l)
        n_prev, n_l = net.sizes[l - 1], net.sizes[l]
        z_l, a_l = [], []
        for a_prev in a[l - 1]:  # one example (one row of the batch) at a time
            z_r = []
            for j in range(n_l):  # neuron j of layer l
                z_j = b[j]
                for i in range(n_prev):  # its incoming weights
                    z_j += W[i][j] * a_prev[i]  # [eq:fwd.z]
                z_r.append(z_j)
            if act.is_softmax:
                a_r = softmax(z_r)  # [eq:fwd.softmax]
            else:
                a_r = [act.f(z_j) for z_j in z_r]  # [eq:fwd.a]
            z_l.append(z_r)
            a_l.append(a_r)
        z.append(z_l)
        a.append(a_l)
    return Forward(z, a)


def _backward(net, X, Y, input_grad, weight_grad):
    """The forward pass and the loops of :func:`backward`, unchecked: ``(f, g)``.
    The training step (:func:`tinybackprop.training.train`) leaves out dL/dX
    (``input_grad``) and, for a batch of one row, g^[lW] (``weight_grad``)."""
    f = _forward(net, X)
    m = len(X)
    z, a, L, sizes = f.z, f.a, net.L, net.sizes
    loss = mean_loss(net, z[L], a[L], Y)
    d_loss, phi_o, phi_h = net.loss_fn.d, net.phi_o, net.phi_h
    canonical = is_canonical(net.output, net.loss)
    g_W = [None] + ([[[0.0] * sizes[l] for _ in range(sizes[l - 1])] for l in range(1, L + 1)] if weight_grad
                    else [None] * L)
    g_b = [None] + [[[0.0] * sizes[l]] for l in range(1, L + 1)]
    g_a = [[] for _ in range(L + 1)]
    g_z = [None] + [[] for _ in range(L)]
    n_L = sizes[L]

    for r in range(m):  # one example at a time
        yhat, y, z_L = a[L][r], Y[r], z[L][r]
        # -- the output layer L
        g_a_r = [d_loss(yhat[j], y[j]) / m for j in range(n_L)]  # [eq:bwd.ga_out]
        if canonical:
            # A canonical output and loss pair: phi'_o(z) * dL/dyhat cancels to yhat - y.  It is
            # also the stable form: no division by yhat (1 - yhat), which is 0 when an output saturates.
            g_z_r = [(yhat[j] - y[j]) / m for j in range(n_L)]  # [eq:bwd.out]
        elif phi_o.is_softmax:
            g_z_r = []
            for j in range(n_L):
                g_z_j = 0.0
                for k in range(n_L):  # z_j moves every output a_k: one flow back from each, summed
                    g_z_j += yhat[k] * ((1.0 if k == j else 0.0) - yhat[j]) * g_a_r[k]  # [eq:bwd.gz_softmax]
                g_z_r.append(g_z_j)
        else:
            g_z_r = [phi_o.d(z_L[j], yhat[j]) * g_a_r[j] for j in range(n_L)]  # [eq:bwd.gz]
        g_a[L].append(g_a_r)
        g_z[L].append(g_z_r)

        for l in range(L, 0, -1):  # from the output layer back to layer 1
            W, a_prev, g_W_l, g_b_l = net.W[l], a[l - 1][r], g_W[l], g_b[l][0]
            n_prev, n_l = sizes[l - 1], sizes[l]
            for j in range(n_l):
                g_b_l[j] += g_z_r[j]  # [eq:bwd.gb]
                if weight_grad:
                    for i in range(n_prev):
                        g_W_l[i][j] += a_prev[i] * g_z_r[j]  # [eq:bwd.gW]
            if l == 1 and not input_grad:
                break  # dL/dX not wanted
            g_a_prev = []
            for i in range(n_prev):
                g_a_i = 0.0
                for j in range(n_l):  # a_i feeds every neuron j of layer l: one flow back from each, summed
                    g_a_i += W[i][j] * g_z_r[j]  # [eq:bwd.ga]
                g_a_prev.append(g_a_i)
            g_a[l - 1].append(g_a_prev)
            if l > 1:
                z_prev = z[l - 1][r]
                g_z_r = [phi_h.d(z_prev[i], a_prev[i]) * g_a_prev[i] for i in range(n_prev)]  # [eq:bwd.gz]
                g_z[l - 1].append(g_z_r)

    if not input_grad:
        g_a[0] = None
    return f, Gradients(g_W, g_b, g_a, g_z, loss)
