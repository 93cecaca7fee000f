"""Backpropagation in matrix form: one matrix-helper line per matrix equation.

The same functions in the same order as :mod:`tinybackprop.per_neuron`, giving
the same numbers; each line that computes an equation carries its ID
(``# [eq:...]``).  A batch X is m x n_0, one example per row, so every equation
holds row by row and ``(a^[l-1])^T g^[lz]`` sums the weight gradient over the
batch.  The helpers of :mod:`tinybackprop.matrix` do the arithmetic.
On the site: docs/backward-matrix.md#eq-bwd-gW-mat and the other anchors
``eq-`` + ID with dots as dashes; the forward ones (computed in network.py) from docs/forward.md#eq-fwd-z-mat.

=======================  ===========================================
``forward(net, X)``      z^[l] and a^[l] of every layer, a matrix at a time
                         (the network's own forward pass, checked)
``backward(net, X, Y)``  gradients of the mean loss, a matrix at a time
=======================  ===========================================

>>> from tinybackprop import Network, per_neuron
>>> net = Network([4, 3, 2, 1], seed=0)
>>> X, Y = [[0.1, 0.2, 0.3, 0.4]], [[1.0]]
>>> abs(backward(net, X, Y).W[1][0][0] - per_neuron.backward(net, X, Y).W[1][0][0]) < 1e-15
True
"""
from ._compat import TYPE_CHECKING
from .activations import softmax_jacobian
from .losses import is_canonical
from .matrix import apply_rows, colsum, hadamard, matmul, scale, subtract, transpose
from .network import Gradients, check_call, check_gradients, forward_pass, mean_loss

if TYPE_CHECKING:
    from ._compat import Matrix
    from .network import Forward, Network


def forward(net: "Network", X: "Matrix") -> "Forward":
    """The forward pass of a batch ``X`` (m x n_0), a layer at a time: the
    network's own (:func:`tinybackprop.network.forward_pass`, where its equations
    are), after checking ``net`` and ``X``.

    >>> from tinybackprop import Network
    >>> net = Network([2, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[1.0], [2.0]]
    >>> forward(net, [[1.0, 1.0]]).z[1]
    [[3.0]]
    """
    check_call(net, X, None, "vectorized.forward", targets=False)
    return forward_pass(net, X)


def backward(net: "Network", X: "Matrix", Y: "Matrix") -> Gradients:
    """Gradients of the mean loss over the batch (X, Y), a matrix at a time:
    ``g.W[l]``, ``g.b[l]``, ``g.x`` (dL/dX) and ``g.loss``.

    >>> from tinybackprop import Network
    >>> net = Network([1, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[2.0]]
    >>> g = backward(net, [[1.0]], [[3.0]])
    >>> g.loss, g.W[1], g.b[1], g.x
    (0.5, [[-1.0]], [[-1.0]], [[-2.0]])
    """
    check_call(net, X, Y, "vectorized.backward")
    f, g = _backward(net, X, Y, True, True)
    # a NaN never passes for a gradient (the training loop checks its steps itself)
    return check_gradients(g, f.a[net.L], "vectorized.backward")


def _forward(net, X):
    """:func:`forward` without the check: the network's own forward pass."""
    return forward_pass(net, X)


def _backward(net, X, Y, input_grad, weight_grad):
    """The forward pass and the equations of :func:`backward`, unchecked: ``(f, g)``.
    The training step (:func:`tinybackprop.training.train`) leaves out dL/dX
    (``input_grad``) and, for a batch of one row, g^[lW] (``weight_grad``)."""
    f = _forward(net, X)
    z, a, L = f.z, f.a, net.L
    m = len(Y)
    loss = mean_loss(net, z[L], a[L], Y)
    yhat = a[L]
    g_W, g_b, g_a, g_z = [None] * (L + 1), [None] * (L + 1), [None] * (L + 1), [None] * (L + 1)

    # -- the output layer L
    g_a[L] = scale(apply_rows(net.loss_fn.d_row, yhat, Y), 1.0 / m)  # [eq:bwd.ga_out.mat]
    if is_canonical(net.output, net.loss):
        # A canonical pair of output and loss: yhat - y, also the stable form (no yhat (1 - yhat) divisor).
        g_z[L] = scale(subtract(yhat, Y), 1.0 / m)  # [eq:bwd.out.mat]
    elif net.phi_o.is_softmax:
        g_z[L] = [matmul([g_a_r], softmax_jacobian(a_r))[0] for g_a_r, a_r in zip(g_a[L], yhat)]  # [eq:bwd.gz_softmax.mat]
    else:
        g_z[L] = hadamard(apply_rows(net.phi_o.d_row, z[L], yhat), g_a[L])  # [eq:bwd.gz.mat]

    for l in range(L, 0, -1):  # from the output layer back to layer 1
        if weight_grad:
            g_W[l] = matmul(transpose(a[l - 1]), g_z[l])  # [eq:bwd.gW.mat]
        g_b[l] = colsum(g_z[l])  # [eq:bwd.gb.mat]
        if l == 1 and not input_grad:
            break  # dL/dX not wanted
        g_a[l - 1] = matmul(g_z[l], transpose(net.W[l]))  # [eq:bwd.ga.mat]
        if l > 1:
            g_z[l - 1] = hadamard(apply_rows(net.phi_h.d_row, z[l - 1], a[l - 1]), g_a[l - 1])  # [eq:bwd.gz.mat]

    return f, Gradients(g_W, g_b, g_a, g_z, loss)
