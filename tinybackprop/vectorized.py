"""Backpropagation in matrix form: one matrix-helper line per matrix equation.

The same functions in the same order as :mod:`tinybackprop.per_neuron`, giving
the same numbers; each line that computes an equation carries its ID
(``# [eq:...]``).  A batch X is m x n_0, one example per row, so every equation
holds row by row and ``(a^[l-1])^T g^[lz]`` sums the weight gradient over the
batch.  The input is checked once here, at the boundary; inside, the unchecked
kernels of :mod:`tinybackprop.kernels` do the arithmetic.
On the site: docs/backward-matrix.md#eq-bwd-gW-mat and the other anchors
``eq-`` + ID with dots as dashes; the forward ones from docs/forward.md#eq-fwd-z-mat.

=======================  ===========================================
``forward(net, X)``      z^[l] and a^[l] of every layer, a matrix at a time
``backward(net, X, Y)``  gradients of the mean loss, a matrix at a time
=======================  ===========================================

>>> from tinybackprop import Network, per_neuron
>>> net = Network([4, 3, 2, 1], seed=0)
>>> X, Y = [[0.1, 0.2, 0.3, 0.4]], [[1.0]]
>>> abs(backward(net, X, Y).W[1][0][0] - per_neuron.backward(net, X, Y).W[1][0][0]) < 1e-15
True
"""
from .activations import softmax, softmax_jacobian
from .kernels import add, apply, apply2, colsum, hadamard, matmul, matmul_t, scale, subtract, transpose
from .losses import is_canonical
from .network import Forward, Gradients, check_call, check_gradients, mean_loss, provide_forward


def forward(net, X, check=True):
    """The forward pass of a batch ``X`` (m x n_0), a layer at a time.

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
    z = [None]
    a = [[list(row) for row in X]]
    for l in range(1, net.L + 1):
        g = net.activation(l)
        z_l = add(matmul(a[l - 1], net.W[l]), net.b[l])  # [eq:fwd.z.mat]
        if g.is_softmax:
            a_l = [softmax(z_r) for z_r in z_l]  # [eq:fwd.softmax.mat]
        else:
            a_l = apply(g.f, z_l)  # [eq:fwd.a.mat]
        z.append(z_l)
        a.append(a_l)
    return Forward(z, a)


def backward(net, X, Y, input_grad=True, check=True, forward_pass=None, weight_grad=True):
    """Gradients of the mean loss over the batch (X, Y), a matrix at a time.

    With ``input_grad=False`` the last product, dL/dX = g^[1z] (W^[1])^T, is
    left out (``g.x`` is None): a training step needs only the weight and bias
    gradients, and for a wide input layer dL/dX is one of the largest products.
    With ``weight_grad=False`` the products g^[lW] = (a^[l-1])^T g^[lz] are
    left out (``g.W[l]`` is None) for a caller that uses a^[l-1] and g^[lz]
    itself: at batch size 1 a training step subtracts that outer product from
    W^[l] entry by entry (``kernels.subtract_outer``) and never stores it.
    ``check=False`` skips the boundary check of ``net``, ``X`` and ``Y``, for a
    caller that has done it (a training loop checks its data once, not every step).
    ``forward_pass``, when given, is this batch's :func:`forward`, already
    computed (a training loop reads its outputs for the epoch's accuracy).

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
        # A canonical output and loss pair: the short form, also the stable one (no yhat (1 - yhat) divisor).
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
    g.inputs = (net, X, Y)  # lets gradcheck.compare measure against the size of the terms summed
    if check:  # a NaN never passes for a gradient (a training loop checks its steps itself)
        check_gradients(g, a[L], "vectorized.backward")
    return g


provide_forward(forward)  # net.predict and net.loss_value run this forward pass
