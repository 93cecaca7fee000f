"""From tinybackprop to PyTorch and NumPy: the same network, the same numbers.

PyTorch and NumPy are optional: each is imported inside the function that needs
it, never by ``import tinybackprop``; without it the function raises
:class:`~tinybackprop.errors.BackpropError` naming the extra to install.

=================================  =====================================================
``to_torch(net)``                  a ``torch.nn.Module`` (float64): ``module(X)`` is
                                   ``net.predict(X)``, ``module.loss(X, Y)`` the mean loss,
                                   whose ``.backward()`` gives ``vectorized.backward``'s
                                   gradients
``from_torch(module, like=net)``   the module's weights back in a new Network with the
                                   sizes and names of ``like`` (exact round trip)
``to_numpy(net)``                  ``(W, b, forward)``: the weights as NumPy arrays and a
                                   forward pass of a few lines
``script(net, to, rows, ...)``     a self-contained Python script with the weights inline
                                   that checks its predictions (``tinybackprop export``)
=================================  =====================================================

**The row convention.**  tinybackprop computes ``z^[l] = a^[l-1] W^[l] + b^[l]``
with rows for examples and ``W^[l]`` of shape ``n_{l-1} x n_l`` (row i = input i,
column j = neuron j).  ``torch.nn.Linear(n_in, n_out)`` computes ``x A^T + b``
and stores ``A = linear.weight`` as ``n_out x n_in``: the same numbers,
transposed.  So ``to_torch`` sets each ``linear.weight`` to the transpose of
W^[l], ``from_torch`` transposes it back, and the biases are the same row.

>>> from tinybackprop import Network
>>> net = Network([4, 3, 1], seed=0)
>>> try:
...     module = to_torch(net)
... except BackpropError as e:       # without PyTorch: the message names the extra
...     print("tinybackprop[torch]" in str(e))
... else:
...     print(from_torch(module, like=net).W[1] == net.W[1])
True
"""
from ..errors import BackpropError, show
from ..network import check_network

#: The extra that brings each optional package: ``pip install "tinybackprop[torch]"``.
EXTRAS = {"torch": "torch", "numpy": "numpy"}
#: The largest difference an exported script accepts between its predictions and
#: tinybackprop's (float64 on both sides: only the order of the sums differs).
SCRIPT_TOLERANCE = 1e-9
TARGETS = ("torch", "numpy")


def _require(module, op):
    """Import ``module`` (torch or numpy) or say which extra brings it.

    >>> _require("not_a_module_at_all", "to_torch")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: to_torch: needs not_a_module_at_all, which is not installed: pip install "tinybackprop[not_a_module_at_all]"
    """
    try:
        return __import__(module)
    except ImportError:
        raise BackpropError('%s: needs %s, which is not installed: pip install "tinybackprop[%s]"'
                            % (op, module, EXTRAS.get(module, module)))


def _check(net, op):
    check_network(net, op)
    net.check_weights(op)


# -- PyTorch ---------------------------------------------------------------------------
_CLASS = []  # the nn.Module subclass, made once on the first call (it needs torch)


def _torch_class(torch):
    if _CLASS:
        return _CLASS[0]
    F = torch.nn.functional
    hidden_fn = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "identity": lambda z: z}
    output_fn = {"sigmoid": torch.sigmoid, "identity": lambda z: z, "softmax": lambda z: torch.softmax(z, dim=1)}

    def log_outputs(z, output):
        """(log yhat, log(1 - yhat)) from z^[L], stably, as tinybackprop's losses take them."""
        if output == "sigmoid":
            return F.logsigmoid(z), F.logsigmoid(-z)
        lse = torch.logsumexp(z, dim=1, keepdim=True)
        n = z.shape[1]
        others = z.unsqueeze(1).expand(-1, n, n).masked_fill(torch.eye(n, dtype=torch.bool), float("-inf"))
        return z - lse, torch.logsumexp(others, dim=2) - lse   # log(1 - yhat_k) = log sum_{j != k} e^z_j - lse

    class TinybackpropNet(torch.nn.Module):
        """A tinybackprop network as a float64 ``nn.Module``: ``self.layers[l - 1]``
        is layer l, an ``nn.Linear`` whose ``weight`` is (W^[l])^T and whose
        ``bias`` is b^[l].  ``forward(X)`` returns yhat = a^[L]; ``logits(X)``
        returns z^[L]; ``loss(X, Y)`` the mean loss computed as tinybackprop
        computes it (the cross entropies from z^[L])."""

        def __init__(self, sizes, hidden, output, loss):
            super().__init__()
            self.sizes, self.hidden, self.output, self.loss_name = list(sizes), hidden, output, loss
            self.layers = torch.nn.ModuleList(torch.nn.Linear(sizes[l - 1], sizes[l], dtype=torch.float64)
                                              for l in range(1, len(sizes)))

        def logits(self, X):
            a = torch.as_tensor(X, dtype=torch.float64)
            L = len(self.layers)
            for l, linear in enumerate(self.layers, 1):
                z = linear(a)                  # z^[l] = a^[l-1] W^[l] + b^[l]: a A^T + b with A = (W^[l])^T
                if l < L:
                    a = hidden_fn[self.hidden](z)   # a^[l] = phi_h(z^[l])
            return z

        def forward(self, X):
            return output_fn[self.output](self.logits(X))   # yhat = a^[L] = phi_o(z^[L])

        def loss(self, X, Y):
            z = self.logits(X)
            Y = torch.as_tensor(Y, dtype=torch.float64)
            if self.loss_name == "squared_error":
                per_example = 0.5 * ((Y - output_fn[self.output](z)) ** 2).sum(dim=1)
            elif self.loss_name == "cross_entropy":
                per_example = -(Y * log_outputs(z, self.output)[0]).sum(dim=1)
            else:  # bce
                log_p, log_q = log_outputs(z, self.output)
                per_example = -((1.0 - Y) * log_q + Y * log_p).sum(dim=1)
            return per_example.mean()   # the batch loss is the mean over its rows

        def extra_repr(self):
            return "sizes=%r, hidden=%r, output=%r, loss=%r" % (self.sizes, self.hidden, self.output, self.loss_name)

    _CLASS.append(TinybackpropNet)
    return TinybackpropNet


def to_torch(net):
    """The network as a float64 ``torch.nn.Module`` with a copy of its weights.

    ``module(X)`` gives ``net.predict(X)`` (as a tensor); ``module.loss(X, Y)``
    gives the mean loss, and after ``module.loss(X, Y).backward()`` each
    ``module.layers[l - 1].weight.grad`` is ``(g^[lW])^T`` and ``.bias.grad`` is
    g^[lb] of :func:`tinybackprop.vectorized.backward`.  nn.Linear keeps its
    weight as n_out x n_in, so ``weight`` holds ``W^[l]`` transposed.

    >>> from tinybackprop import Network
    >>> net = Network([2, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[1.0], [2.0]]
    >>> try:
    ...     print(to_torch(net)([[1.0, 1.0]]).tolist())
    ... except BackpropError:
    ...     print([[3.0]])               # what PyTorch prints, where it is installed
    [[3.0]]
    """
    torch = _require("torch", "to_torch")
    _check(net, "to_torch")
    module = _torch_class(torch)(net.sizes, net.hidden, net.output, net.loss)
    with torch.no_grad():
        for l, linear in enumerate(module.layers, 1):
            linear.weight.copy_(torch.tensor(net.W[l], dtype=torch.float64).T)   # A = (W^[l])^T, n_l x n_{l-1}
            linear.bias.copy_(torch.tensor(net.b[l][0], dtype=torch.float64))
    return module


def from_torch(module, like):
    """A new Network with the sizes and names of ``like`` and the weights of
    ``module``'s ``nn.Linear`` layers, in the order ``module.modules()`` gives
    them (a module made by :func:`to_torch`, or an ``nn.Sequential`` of Linear
    and activation layers): W^[l] = ``weight``^T, b^[l] = ``bias`` (zeros for a
    layer without one).  ``from_torch(to_torch(net), like=net)`` has exactly
    ``net``'s weights.

    >>> from tinybackprop import Network
    >>> net = Network([3, 2, 1], seed=4)
    >>> try:
    ...     back = from_torch(to_torch(net), like=net)
    ... except BackpropError:
    ...     back = net                     # without PyTorch
    >>> [back.W[l] == net.W[l] and back.b[l] == net.b[l] for l in (1, 2)]
    [True, True]
    """
    torch = _require("torch", "from_torch")
    check_network(like, "from_torch")
    if not isinstance(module, torch.nn.Module):
        raise BackpropError("from_torch: module must be a torch.nn.Module, got %s" % type(module).__name__)
    linears = [m for m in module.modules() if isinstance(m, torch.nn.Linear)]
    if len(linears) != like.L:
        raise BackpropError("from_torch: the module has %d nn.Linear layers but sizes %r need %d"
                            % (len(linears), like.sizes, like.L))
    net = like.copy()
    for l, linear in enumerate(linears, 1):
        want = (like.sizes[l], like.sizes[l - 1])
        got = tuple(linear.weight.shape)
        if got != want:
            raise BackpropError("from_torch: layer %d's weight is %dx%d but sizes %r need %dx%d (n_l x n_{l-1}: "
                                "nn.Linear stores W^[%d] transposed)" % (l, got[0], got[1], like.sizes,
                                                                         want[0], want[1], l))
        weight = linear.weight.detach().to("cpu", torch.float64)
        net.W[l] = weight.T.tolist()                                   # W^[l] = A^T, n_{l-1} x n_l
        bias = linear.bias
        net.b[l] = [bias.detach().to("cpu", torch.float64).tolist() if bias is not None else [0.0] * want[0]]
    return net


# -- NumPy -----------------------------------------------------------------------------

def _numpy_activation(np, name):
    if name == "sigmoid":
        def sigmoid(z):
            e = np.exp(-np.abs(z))                         # never overflows
            return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        return sigmoid
    if name == "tanh":
        return np.tanh
    if name == "relu":
        return lambda z: np.maximum(z, 0.0)
    if name == "softmax":
        def softmax(z):
            e = np.exp(z - z.max(axis=1, keepdims=True))   # each row shifted by its maximum
            return e / e.sum(axis=1, keepdims=True)
        return softmax
    return lambda z: z                                     # identity


def to_numpy(net):
    """``(W, b, forward)``: float64 NumPy copies of the weights, indexed like
    ``net.W`` (``W[l]`` is W^[l], n_{l-1} x n_l; ``W[0]`` is None; ``b[l]`` is
    1 x n_l and broadcasts over the rows), and ``forward(X)``, the forward pass
    on them: ``net.predict(X)`` as an array.  The row convention is kept, so the
    forward pass is one line per equation: ``z = a @ W[l] + b[l]``.

    >>> from tinybackprop import Network
    >>> net = Network([2, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[1.0], [2.0]]
    >>> try:
    ...     W, b, forward = to_numpy(net)
    ...     print(forward([[1.0, 1.0]]).tolist())
    ... except BackpropError:
    ...     print([[3.0]])               # what NumPy prints, where it is installed
    [[3.0]]
    """
    np = _require("numpy", "to_numpy")
    _check(net, "to_numpy")
    W = [None] + [np.array(net.W[l], dtype=np.float64) for l in range(1, net.L + 1)]
    b = [None] + [np.array(net.b[l], dtype=np.float64) for l in range(1, net.L + 1)]
    act = [None] + [_numpy_activation(np, net.activation(l).name) for l in range(1, net.L + 1)]

    def forward(X):
        a = np.asarray(X, dtype=np.float64)        # a^[0] = X, m x n_0
        for l in range(1, len(W)):
            z = a @ W[l] + b[l]                    # z^[l] = a^[l-1] W^[l] + b^[l]
            a = act[l](z)                          # a^[l] = g(z^[l])
        return a                                   # yhat = a^[L]

    return W, b, forward


# -- a self-contained script -----------------------------------------------------------

_TORCH_BODY = '''
import torch

ACTIVATION = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU,
              "identity": torch.nn.Identity, "softmax": lambda: torch.nn.Softmax(dim=1)}


def build():
    """The network as torch.nn.Sequential: Linear, activation, Linear, ...

    tinybackprop computes z = a W + b with W of shape n_in x n_out (rows are
    examples); nn.Linear computes x A^T + b and stores A as n_out x n_in. So each
    Linear gets A = W^T: the same numbers, transposed.
    """
    layers = []
    L = len(SIZES) - 1
    for l in range(1, L + 1):
        linear = torch.nn.Linear(SIZES[l - 1], SIZES[l], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(W[l - 1], dtype=torch.float64).T)   # A = W^T
            linear.bias.copy_(torch.tensor(B[l - 1][0], dtype=torch.float64))
        layers += [linear, ACTIVATION[HIDDEN if l < L else OUTPUT]()]
    return torch.nn.Sequential(*layers)


def predict(rows):
    with torch.no_grad():
        return build()(torch.tensor(rows, dtype=torch.float64)).tolist()
'''

_NUMPY_BODY = '''
import numpy as np


def activation(name, z):
    if name == "sigmoid":
        e = np.exp(-np.abs(z))                            # never overflows
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))      # each row shifted by its maximum
        return e / e.sum(axis=1, keepdims=True)
    return z                                              # identity


def predict(rows):
    """yhat = a^[L] for a batch of rows, one example per row (z = a W + b, W n_in x n_out)."""
    a = np.array(rows, dtype=np.float64)                  # a^[0] = X
    L = len(SIZES) - 1
    for l in range(1, L + 1):
        z = a @ np.array(W[l - 1]) + np.array(B[l - 1])   # z^[l] = a^[l-1] W^[l] + b^[l]
        a = activation(HIDDEN if l < L else OUTPUT, z)    # a^[l] = g(z^[l])
    return a.tolist()
'''

_MAIN = '''

def main():
    got = predict(ROWS)
    worst = 0.0
    for k, (row, want) in enumerate(zip(got, EXPECTED)):
        print("row %d: yhat = [%s]" % (k, ", ".join("%.6f" % v for v in row)))
        worst = max([worst] + [abs(u - v) for u, v in zip(row, want)])
    if len(got) != len(EXPECTED) or worst > TOLERANCE:
        print("MISMATCH: these predictions differ from tinybackprop's by up to %.3g (tolerance %g)"
              % (worst, TOLERANCE))
        return 1
    print("OK: %d rows agree with tinybackprop (largest difference %.3g, tolerance %g)"
          % (len(got), worst, TOLERANCE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''


def _matrix_text(M, indent):
    return "[\n" + "".join("%s    [%s],\n" % (indent, ", ".join(repr(float(v)) for v in row)) for row in M) + indent + "]"


def script(net, to, rows, expected=None, source=None):
    """The text of a self-contained Python script: the network's weights inline,
    its forward pass written with ``to`` ("torch" or "numpy"), and a ``main``
    that prints the predictions for ``rows`` (the numbers the network takes)
    and checks them against ``expected`` (``net.predict(rows)`` when None),
    exiting with status 1 if any differs by more than ``SCRIPT_TOLERANCE``.
    ``source`` (a model file's name) goes in the docstring.

    >>> from tinybackprop import Network
    >>> text = script(Network([2, 1], seed=0), "numpy", [[0.5, -0.5]])
    >>> compile(text, "net.py", "exec") is not None, "import numpy as np" in text
    (True, True)
    """
    op = "export"
    _check(net, op)
    if to not in TARGETS:
        raise BackpropError("%s: --to must be one of %s, got %s" % (op, ", ".join(TARGETS), show(to)))
    net.check_X(rows, op)
    if expected is None:
        expected = net.predict(rows)
    what = "PyTorch" if to == "torch" else "NumPy"
    sizes = "-".join(map(str, net.sizes))
    lines = [
        "#!/usr/bin/env python3",
        '"""A tinybackprop network %s (hidden %s, output %s, loss %s) in %s%s.' % (
            sizes, net.hidden, net.output, net.loss, what, ", from %s" % source if source else ""),
        "",
        "Written by `tinybackprop export --to %s`; it needs only %s (not tinybackprop)." % (to, what),
        "Run it: it prints the predictions for the %d rows below and checks them" % len(rows),
        "against the values tinybackprop computed; exit status 1 if they differ.",
        "",
        "W[l - 1] is W^[l] of layer l, n_{l-1} x n_l (row i = input i, column j = neuron j);",
        "B[l - 1] is b^[l], 1 x n_l; each row of ROWS is one example, z = a W + b.",
        '"""',
        "import sys",
    ]
    body = _TORCH_BODY if to == "torch" else _NUMPY_BODY
    data = [
        "", "", "SIZES = %r" % (net.sizes,), "HIDDEN = %r" % net.hidden, "OUTPUT = %r" % net.output,
        "TOLERANCE = %r" % SCRIPT_TOLERANCE,
        "W = [",
    ]
    for l in range(1, net.L + 1):
        data.append("    # W^[%d], %d x %d" % (l, net.sizes[l - 1], net.sizes[l]))
        data.append("    " + _matrix_text(net.W[l], "    ") + ",")
    data.append("]")
    data.append("B = [")
    for l in range(1, net.L + 1):
        data.append("    # b^[%d], 1 x %d" % (l, net.sizes[l]))
        data.append("    " + _matrix_text(net.b[l], "    ") + ",")
    data.append("]")
    data.append("# the rows the network takes (inputs already prepared as it was trained)")
    data.append("ROWS = " + _matrix_text(rows, ""))
    data.append("# tinybackprop's predictions for ROWS")
    data.append("EXPECTED = " + _matrix_text(expected, ""))
    return "\n".join(lines) + body + "\n".join(data) + "\n" + _MAIN
