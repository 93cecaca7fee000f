"""From tinybackprop to PyTorch and NumPy: the same model, the same numbers.

PyTorch and NumPy are optional: each is imported inside the function that needs
it, never by ``import tinybackprop``; without it the function raises
:class:`~tinybackprop.errors.BackpropError` naming the extra to install.

=====================================  =================================================
``to_torch(net, data=None)``           a ``torch.nn.Module`` (float64): ``module(X)`` is
                                       ``net.predict(X)``, ``module.loss(X, Y)`` the mean
                                       loss, whose ``.backward()`` gives
                                       ``vectorized.backward``'s gradients; with a model
                                       file's ``data``, X is raw (the module prepares it)
``from_torch(module, like=net)``       the module's weights back in a new Network with the
                                       sizes and names of ``like`` (exact round trip)
``to_numpy(net, data=None)``           ``(W, b, forward)``: the weights as NumPy arrays and
                                       a forward pass of a few lines
``predictions(net, rows, data)``       what ``tinybackprop predict`` gives for raw rows
``preparation(net, data)``             a model file's preparation and names, checked
``script(net, to, rows, data=None)``   a self-contained Python script with the model
                                       inline that checks its predictions
                                       (``tinybackprop export``; :mod:`.scripts`)
=====================================  =================================================

**The row convention.**  tinybackprop computes ``z^[l] = a^[l-1] W^[l] + b^[l]``
with rows for examples and ``W^[l]`` of shape ``n_{l-1} x n_l`` (row i = input i,
column j = neuron j).  ``torch.nn.Linear(n_in, n_out)`` computes ``x A^T + b``
and stores ``A = linear.weight`` as ``n_out x n_in``: the same numbers,
transposed.  So ``to_torch`` sets each ``linear.weight`` to the transpose of
W^[l], ``from_torch`` transposes it back, and the biases are the same row.

**The preparation.**  A model saved by ``tinybackprop train --save`` keeps, beside
the network, how its inputs were prepared (``data["standardize"]``: x' = (x - mean)
/ std per input), for regression how its targets were (``data["target_standardize"]``:
a prediction in the target's units is yhat std + mean), and the names of its features
and classes (see :mod:`tinybackprop.cli.model_data`).  Given that ``data``
(``net, data = Network.read(path)``), ``to_torch``, ``to_numpy`` and ``script`` take
raw inputs and give what ``tinybackprop predict`` gives.

**Generated text.**  A script holds every string that comes from a user (the model
file's name, class, feature and target names) only as a Python literal written by
``repr`` (:func:`tinybackprop.export.scripts.literal`), never inside its docstring or a
comment: whatever a name holds (quotes, backslashes, newlines, control characters), the
script parses, and the name is data in it, never code.

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
from ..errors import BackpropError
from ..network import check_network
from .prediction import predictions, preparation  # noqa: F401 (the package's names)
from .scripts import SCRIPT_TOLERANCE, TARGETS, script  # noqa: F401 (the package's names)

#: The extra that brings each optional package: ``pip install "tinybackprop[torch]"``.
EXTRAS = {"torch": "torch", "numpy": "numpy"}


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

    def buffer(values):
        return None if values is None else torch.tensor(values, dtype=torch.float64)

    class TinybackpropNet(torch.nn.Module):
        """A tinybackprop model as a float64 ``nn.Module``: ``self.layers[l - 1]``
        is layer l, an ``nn.Linear`` whose ``weight`` is (W^[l])^T and whose
        ``bias`` is b^[l].  ``forward(X)`` returns yhat = a^[L]; ``logits(X)``
        returns z^[L]; ``loss(X, Y)`` the mean loss computed as tinybackprop
        computes it (the cross entropies from z^[L]).

        With a preparation (buffers ``mean``, ``std``; for regression
        ``target_mean``, ``target_std``) every method takes raw inputs X and
        prepares them, x' = (X - mean) / std; ``forward`` returns predictions in
        the target's units, yhat target_std + target_mean, and ``loss`` takes Y in
        those units and standardises it as training did.  ``model_data`` is the
        model file's ``data`` section again, read from the buffers."""

        def __init__(self, sizes, hidden, output, loss, prep=None):
            super().__init__()
            self.sizes, self.hidden, self.output, self.loss_name = list(sizes), hidden, output, loss
            self.layers = torch.nn.ModuleList(torch.nn.Linear(sizes[l - 1], sizes[l], dtype=torch.float64)
                                              for l in range(1, len(sizes)))
            prep = prep or {}
            for name in ("mean", "std", "target_mean", "target_std"):
                self.register_buffer(name, buffer(prep.get(name)))
            self.features, self.classes, self.target = prep.get("features"), prep.get("classes"), prep.get("target")

        def prepare(self, X):
            """Raw inputs as the network takes them: x' = (X - mean) / std (X itself without a preparation)."""
            X = torch.as_tensor(X, dtype=torch.float64)
            return X if self.mean is None else (X - self.mean) / self.std

        def logits(self, X):
            a = self.prepare(X)
            L = len(self.layers)
            for l, linear in enumerate(self.layers, 1):
                z = linear(a)                  # z^[l] = a^[l-1] W^[l] + b^[l]: a A^T + b with A = (W^[l])^T
                if l < L:
                    a = hidden_fn[self.hidden](z)   # a^[l] = phi_h(z^[l])
            return z

        def forward(self, X):
            yhat = output_fn[self.output](self.logits(X))   # yhat = a^[L] = phi_o(z^[L])
            return yhat if self.target_mean is None else yhat * self.target_std + self.target_mean

        def loss(self, X, Y):
            z = self.logits(X)
            Y = torch.as_tensor(Y, dtype=torch.float64)
            if self.target_mean is not None:
                Y = (Y - self.target_mean) / self.target_std   # the targets as training saw them
            if self.loss_name == "squared_error":
                per_example = 0.5 * ((Y - output_fn[self.output](z)) ** 2).sum(dim=1)
            elif self.loss_name == "cross_entropy":
                per_example = -(Y * log_outputs(z, self.output)[0]).sum(dim=1)
            else:  # bce
                log_p, log_q = log_outputs(z, self.output)
                per_example = -((1.0 - Y) * log_q + Y * log_p).sum(dim=1)
            return per_example.mean()   # the batch loss is the mean over its rows

        @property
        def model_data(self):
            """The preparation and names as a model file's ``data`` section (keys left out when absent)."""
            d = {}
            for key, value in (("features", self.features), ("classes", self.classes), ("target", self.target)):
                if value is not None:
                    d[key] = list(value) if isinstance(value, list) else value
            if self.mean is not None:
                d["standardize"] = {"mean": self.mean.tolist(), "std": self.std.tolist()}
            if self.target_mean is not None:
                d["kind"] = "regression"
                d["target_standardize"] = {"mean": self.target_mean.tolist(), "std": self.target_std.tolist()}
            return d

        def extra_repr(self):
            return "sizes=%r, hidden=%r, output=%r, loss=%r%s" % (
                self.sizes, self.hidden, self.output, self.loss_name,
                ", prepared inputs" if self.mean is not None else "")

    _CLASS.append(TinybackpropNet)
    return TinybackpropNet


def to_torch(net, data=None):
    """The network as a float64 ``torch.nn.Module`` with a copy of its weights.

    ``module(X)`` gives ``net.predict(X)`` (as a tensor); ``module.loss(X, Y)``
    gives the mean loss, and after ``module.loss(X, Y).backward()`` each
    ``module.layers[l - 1].weight.grad`` is ``(g^[lW])^T`` and ``.bias.grad`` is
    g^[lb] of :func:`tinybackprop.vectorized.backward`.  nn.Linear keeps its
    weight as n_out x n_in, so ``weight`` holds ``W^[l]`` transposed.

    ``data``: the model file's data section (``net, data = Network.read(path)``).
    When it records a preparation, the module takes raw inputs: ``module(X)`` is
    what ``tinybackprop predict`` prints (a regression's predictions in the
    target's units), ``module.prepare(X)`` the inputs the network takes; its
    names are ``module.features``, ``module.classes``, ``module.target``.

    >>> from tinybackprop import Network
    >>> net = Network([2, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[1.0], [2.0]]
    >>> try:
    ...     print(to_torch(net)([[1.0, 1.0]]).tolist(),
    ...           to_torch(net, {"standardize": {"mean": [1.0, 1.0], "std": [1.0, 0.5]}})([[1.0, 2.0]]).tolist())
    ... except BackpropError:
    ...     print([[3.0]], [[4.0]])         # what PyTorch prints, where it is installed
    [[3.0]] [[4.0]]
    """
    torch = _require("torch", "to_torch")
    _check(net, "to_torch")
    prep = preparation(net, data, "to_torch")
    module = _torch_class(torch)(net.sizes, net.phi_h.name, net.phi_o.name, net.loss_fn.name, prep)
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
    ``net``'s weights; a module made with a preparation keeps it in
    ``module.model_data``, to save beside them (``net.save(path, data=module.model_data)``).

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
    net.check_weights("from_torch")
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


def to_numpy(net, data=None):
    """``(W, b, forward)``: float64 NumPy copies of the weights, indexed like
    ``net.W`` (``W[l]`` is W^[l], n_{l-1} x n_l; ``W[0]`` is None; ``b[l]`` is
    1 x n_l and broadcasts over the rows), and ``forward(X)``, the forward pass
    on them: ``net.predict(X)`` as an array.  The row convention is kept, so the
    forward pass is one line per equation: ``z = a @ W[l] + b[l]``.  With a model
    file's ``data`` (as for :func:`to_torch`) ``forward`` takes raw inputs and gives
    what ``tinybackprop predict`` gives.

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
    p = preparation(net, data, "to_numpy")
    W = [None] + [np.array(net.W[l], dtype=np.float64) for l in range(1, net.L + 1)]
    b = [None] + [np.array(net.b[l], dtype=np.float64) for l in range(1, net.L + 1)]
    act = [None] + [_numpy_activation(np, net.activation(l).name) for l in range(1, net.L + 1)]
    arrays = dict((k, None if p[k] is None else np.array(p[k], dtype=np.float64))
                  for k in ("mean", "std", "target_mean", "target_std"))

    def forward(X):
        a = np.asarray(X, dtype=np.float64)        # a^[0] = X, m x n_0
        if arrays["mean"] is not None:
            a = (a - arrays["mean"]) / arrays["std"]   # raw inputs prepared: x' = (x - mean) / std
        for l in range(1, len(W)):
            z = a @ W[l] + b[l]                    # z^[l] = a^[l-1] W^[l] + b^[l]
            a = act[l](z)                          # a^[l] = phi(z^[l])
        if arrays["target_mean"] is not None:
            a = a * arrays["target_std"] + arrays["target_mean"]   # in the target's units
        return a                                   # yhat = a^[L]

    return W, b, forward

