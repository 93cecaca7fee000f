"""Backpropagation in matrix form: one matrix-helper line per matrix equation.

The same functions in the same order as :mod:`tinybackprop.per_neuron`, giving
the same numbers; each line that computes an equation carries its ID
(``# [eq:...]``).  A batch X is m x n_0, one example per row, so every equation
holds row by row and ``(a^[l-1])^T g^[lz]`` sums the weight gradient over the
batch.  The input is checked once here, at the boundary; inside, the unchecked
kernels of :mod:`tinybackprop.kernels` do the arithmetic.
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
from .activations import softmax_jacobian
from .kernels import apply2, colsum, hadamard, matmul, matmul_t, scale, subtract, transpose
from .losses import is_canonical
from .network import Gradients, check_call, check_gradients, forward_pass, mean_loss


def forward(net, X, check=True):
    """The forward pass of a batch ``X`` (m x n_0), a layer at a time: the
    network's own (:func:`tinybackprop.network.forward_pass`, where its equations
    are), behind the boundary check.

    ``check=False`` skips the boundary check of ``net`` and ``X`` (see
    :func:`tinybackprop.network.check_call`), for a caller that has done it.

    >>> from tinybackprop import Network
    >>> net = Network([2, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[1.0], [2.0]]
    >>> forward(net, [[1.0, 1.0]]).z[1]
    [[3.0]]
    """
    if check:
        check_call(net, X, None, "vectorized.forward", targets=False)
    return forward_pass(net, X)


def backward(net, X, Y, input_grad=True, check=True, forward_pass=None, weight_grad=True):
    """Gradients of the mean loss over the batch (X, Y), a matrix at a time.

    What a training step skips (:func:`tinybackprop.training.train`):
    ``input_grad=False`` (no dL/dX = g^[1z] (W^[1])^T; ``g.x`` is None),
    ``weight_grad=False`` (no g^[lW]; ``g.W[l]`` is None), ``check=False`` (no
    boundary check) and ``forward_pass`` (this batch's :func:`forward`, already
    computed).

    >>> from tinybackprop import Network
    >>> net = Network([1, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[2.0]]
    >>> g = backward(net, [[1.0]], [[3.0]])
    >>> g.loss, g.W[1], g.b[1], g.x
    (0.5, [[-1.0]], [[-1.0]], [[-2.0]])
    """
    if check:
        check_call(net, X, Y, "vectorized.backward")
    m = len(X)
    f = forward(net, X, check=False) if forward_pass is None else forward_pass
    z, a, L = f.z, f.a, net.L
    loss = mean_loss(net, z[L], a[L], Y)
    yhat = a[L]
    g_W, g_b, g_a, g_z = [None] * (L + 1), [None] * (L + 1), [None] * (L + 1), [None] * (L + 1)

    # -- the output layer L
    g_a[L] = scale(apply2(net.loss_fn.d, yhat, Y), 1.0 / m)  # [eq:bwd.ga_out.mat]
    if is_canonical(net.output, net.loss):
        # A canonical pair of output and loss: yhat - y, also the stable form (no yhat (1 - yhat) divisor).
        g_z[L] = scale(subtract(yhat, Y), 1.0 / m)  # [eq:bwd.out.mat]
    elif net.g_o.is_softmax:
        g_z[L] = [matmul([g_a_r], softmax_jacobian(a_r))[0] for g_a_r, a_r in zip(g_a[L], yhat)]  # [eq:bwd.gz_softmax.mat]
    else:
        g_z[L] = hadamard(apply2(net.g_o.d, z[L], yhat), g_a[L])  # [eq:bwd.gz.mat]

    for l in range(L, 0, -1):  # from the output layer back to layer 1
        if weight_grad:
            g_W[l] = matmul(transpose(a[l - 1]), g_z[l])  # [eq:bwd.gW.mat]
        g_b[l] = colsum(g_z[l])  # [eq:bwd.gb.mat]
        if l == 1 and not input_grad:
            break  # dL/dX not wanted
        # matmul_t(A, B) is A B^T, computed from the rows of B: no transposed copy of W
        g_a[l - 1] = matmul_t(g_z[l], net.W[l])  # [eq:bwd.ga.mat]
        if l > 1:
            g_z[l - 1] = hadamard(apply2(net.g_h.d, z[l - 1], a[l - 1]), g_a[l - 1])  # [eq:bwd.gz.mat]

    g = Gradients(g_W, g_b, g_a, g_z, loss)
    if check:  # a NaN never passes for a gradient (a training loop checks its steps itself)
        check_gradients(g, a[L], "vectorized.backward")
    return g

