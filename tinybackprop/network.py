"""The network: sizes, activations, loss, and the weights W^[l], b^[l] for l = 1..L.

The batch loss ``[eq:loss.mean]`` is on the site at docs/losses.md#eq-loss-mean.

====================  ====================================================
``Network(...)``      a seeded fully connected network (row vectors, z = aW + b)
``net.W[l]``          W^[l], n_{l-1} x n_l: row i = input i, column j = neuron j
``net.b[l]``          b^[l], 1 x n_l
``net.predict(X)``    yhat = a^[L] for a batch X (m x n_0): ``forward_pass``, the
                      forward pass in matrix form, z^[l] = a^[l-1] W^[l] + b^[l]
``net.loss_value``    the mean loss over a batch
``net.save(path)``    readable JSON, written atomically (see ``modelfile``)
``Network.load``      read it back, refusing anything malformed
``Network.read``      the network and the extra ``data`` saved beside it, one read
====================  ====================================================

>>> net = Network([4, 3, 2, 1], seed=0)
>>> net.sizes, net.L
([4, 3, 2, 1], 3)
>>> [len(net.W[l]) for l in (1, 2, 3)], [len(net.W[l][0]) for l in (1, 2, 3)]
([4, 3, 2], [3, 2, 1])
>>> net.b[1]
[[0.0, 0.0, 0.0]]
"""

from . import activations, init as inits, losses
from ._compat import TYPE_CHECKING
from .errors import BackpropError, show
from .matrix import add, apply_rows, check_matrix, isint, matmul
from .rng import Random

if TYPE_CHECKING:
    from typing import Callable, Iterator, Sequence, Tuple
    from ._compat import ByLayer, Json, Matrix, MatrixLike

#: Rows per forward pass where a batch is only evaluated (``predict``, ``loss_value``,
#: and the loss and accuracy that ``train`` records after every epoch): the activations
#: of at most this many rows are alive at once, which is what lets training fit the heap
#: of a microcontroller board.  The numbers do not depend on it.
CHUNK = 16
FORMAT = "tinybackprop-network"
#: The most weights and biases a Network may have: ten million floats in lists
#: are already about a gigabyte, and one training step takes minutes.
MAX_PARAMETERS = 10 ** 7
#: The most layers (L) a Network may have: every layer is a few Python lists, and a
#: million layers of width 1 would take a gigabyte before the first number.
MAX_LAYERS = 1000
VERSION = 1
#: ``Network(..., seed=_READ_FROM_FILE)``: checks sizes and names, draws no weights (from_dict).
_READ_FROM_FILE = object()


class Layers:
    """``net.W`` or ``net.b``: indexed by layer l = 1..L, as in the site's notation.

    Reading ``net.W[l]`` gives the stored matrix; assigning checks the shape and
    the numbers and stores a copy.  ``len(net.W)`` is L; iterating gives
    W^[1] .. W^[L].

    >>> net = Network([2, 1], seed=0)
    >>> net.W[1] = [[0.5], [-0.5]]
    >>> net.W[1]
    [[0.5], [-0.5]]
    """

    def __init__(self, net: "Network", kind: str, items: "ByLayer") -> None:
        self._net = net
        self._kind = kind
        self._items = [None] + list(items)  # type: ByLayer  # index 0 (the input layer) is unused

    def _index(self, l):
        L = self._net.L
        if not isint(l):
            raise BackpropError("net.%s[%s]: a layer number must be an int from 1 to %d" % (self._kind, show(l), L))
        if -L <= l < 0:
            l += L + 1
        if l == 0:
            raise BackpropError("net.%s[0]: layer 0 is the input and has no %s; layers are numbered 1 to %d"
                                % (self._kind, "weights" if self._kind == "W" else "biases", L))
        if not 1 <= l <= L:
            raise BackpropError("net.%s[%s]: this network has layers 1 to %d" % (self._kind, show(l), L))
        return l

    def expected_shape(self, l: int) -> "Tuple[int, int]":
        """(rows, cols) that layer ``l`` needs."""
        sizes = self._net.sizes
        return (sizes[l - 1], sizes[l]) if self._kind == "W" else (1, sizes[l])

    def __getitem__(self, l: int) -> "Matrix":
        if type(l) is int and 0 < l < len(self._items):  # a layer 1..L, what the paths ask for at every step
            return self._items[l]
        return self._items[self._index(l)]

    def __setitem__(self, l: int, value: "MatrixLike") -> None:
        l = self._index(l)
        op = "net.%s[%d]" % (self._kind, l)
        name = "W^[%d]" % l if self._kind == "W" else "b^[%d]" % l
        got = check_matrix(value, op, name)
        want = self.expected_shape(l)
        if got != want:
            raise BackpropError("%s: %s must be %dx%d for sizes %r, got %dx%d"
                                % (op, name, want[0], want[1], self._net.sizes, got[0], got[1]))
        self._items[l] = [list(map(float, row)) for row in value]

    def __len__(self) -> int:
        return self._net.L

    def __iter__(self) -> "Iterator[Matrix]":
        return iter(self._items[1:])

    def __repr__(self) -> str:
        return "Layers(%s, %r)" % (self._kind, self._items[1:])


def _check_sizes(sizes):
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
        raise BackpropError("Network: sizes must be a list of at least 2 layer widths, e.g. [4, 3, 2, 1], got %s"
                            % show(sizes))
    if len(sizes) > MAX_LAYERS + 1:
        raise BackpropError("Network: sizes has %d layer widths, more than the %d (L = %d layers) a network may have"
                            % (len(sizes), MAX_LAYERS + 1, MAX_LAYERS))
    for l, n in enumerate(sizes):
        if not isint(n) or n < 1:
            raise BackpropError("Network: sizes[%d] is %s; every layer width must be an int >= 1" % (l, show(n)))
    count = sum(sizes[l - 1] * sizes[l] + sizes[l] for l in range(1, len(sizes)))
    if count > MAX_PARAMETERS:
        raise BackpropError("Network: sizes %s give %s weights and biases, more than the %d that plain Python "
                            "lists can hold usefully; use smaller layers" % (show(list(sizes)), show(count),
                                                                             MAX_PARAMETERS))
    return [int(n) for n in sizes]


class Network:
    """A fully connected network in the site's notation (docs/notation.md).

    ``sizes`` gives n_0 .. n_L; ``hidden`` is the activation phi_h of layers
    1..L-1, ``output`` is phi_o of layer L, ``loss`` the per-example loss (the
    batch loss is their mean).  Weights are drawn by the scheme ``init`` (see
    :mod:`tinybackprop.init`; the default ``"uniform"`` is Glorot-uniform, He-uniform
    for relu), times ``init_scale``, from the package's own generator seeded by
    ``seed``; biases start at 0.

    >>> net = Network([3, 4, 1], hidden="sigmoid", output="sigmoid", loss="squared_error", seed=1)
    >>> len(net.predict([[0.1, 0.2, 0.3]])[0])
    1
    """

    def __init__(self, sizes: "Sequence[int]", hidden: str = "sigmoid", output: str = "sigmoid", loss: str = "bce",
                 seed: int = 0, init: str = inits.DEFAULT, init_scale: float = 1.0) -> None:
        drawn = seed is not _READ_FROM_FILE  # from_dict fills the weights in, unchecked ones are never drawn
        if not drawn:
            seed = 0
        self.sizes = _check_sizes(sizes)
        self.L = len(self.sizes) - 1
        self.phi_h = activations.get_hidden(hidden, "Network")
        self.phi_o = activations.get_output(output, "Network")
        self.loss_fn = losses.get(loss, "Network")
        losses.check_pair(output, loss, self.sizes[-1], "Network")
        if not isint(seed):
            raise BackpropError("Network: seed must be an int, got %s" % show(seed))
        inits.check_init(init, init_scale, "Network")
        self.hidden, self.output, self.loss = hidden, output, loss
        self.seed = seed
        self.init, self.init_scale = init, init_scale
        W, b = [None] * self.L, [None] * self.L  # type: ByLayer, ByLayer
        if drawn:
            rng = Random(seed)
            for l in range(1, self.L + 1):
                n_in, n_out = self.sizes[l - 1], self.sizes[l]
                W[l - 1] = inits.draw(rng, init, init_scale, n_in, n_out, self.activation(l).name)
                b[l - 1] = [[0.0] * n_out]
        self._W = Layers(self, "W", W)
        self._b = Layers(self, "b", b)

    # net.W and net.b are fixed; their layers are assigned one at a time, checked.
    def _get_W(self):
        return self._W

    def _get_b(self):
        return self._b

    def _set_W(self, value):
        raise BackpropError("Network: net.W cannot be replaced as a whole; assign one layer at a time, "
                            "net.W[l] = (an n_{l-1} x n_l matrix) for l = 1..%d" % self.L)

    def _set_b(self, value):
        raise BackpropError("Network: net.b cannot be replaced as a whole; assign one layer at a time, "
                            "net.b[l] = (a 1 x n_l row) for l = 1..%d" % self.L)

    W = property(_get_W, _set_W)
    b = property(_get_b, _set_b)

    def activation(self, l: int) -> "activations.Activation":
        """The activation of layer ``l``: phi_h for 1..L-1, phi_o for L.

        >>> Network([2, 2, 1], hidden="tanh").activation(1).name
        'tanh'
        """
        return self.phi_o if l == self.L else self.phi_h

    def __repr__(self) -> str:
        return "Network(%r, hidden=%r, output=%r, loss=%r)" % (self.sizes, self.hidden, self.output, self.loss)

    # -- input checks, once at the boundary -------------------------------------------
    def check_X(self, X: "MatrixLike", op: str) -> int:
        """Check a batch X (m x n_0) and return m.

        >>> Network([2, 1]).check_X([[1.0, 2.0]], "predict")
        1
        """
        m, n = check_matrix(X, op, "X")
        if n != self.sizes[0]:
            raise BackpropError("%s: X is %dx%d but the network takes %d inputs (sizes %r); "
                                "X needs one example per row, %d numbers each"
                                % (op, m, n, self.sizes[0], self.sizes, self.sizes[0]))
        return m

    def check_XY(self, X: "MatrixLike", Y: "MatrixLike", op: str) -> int:
        """Check a batch X (m x n_0) and its targets Y (m x n_L) and return m.

        >>> Network([2, 1]).check_XY([[1.0, 2.0]], [[1.0]], "backward")
        1
        """
        m = self.check_X(X, op)
        mY, nY = check_matrix(Y, op, "Y")
        if mY != m:
            raise BackpropError("%s: X has %d rows but Y has %d; each example needs one row of targets"
                                % (op, m, mY))
        if nY != self.sizes[-1]:
            raise BackpropError("%s: Y is %dx%d but the network has %d outputs (sizes %r)"
                                % (op, mY, nY, self.sizes[-1], self.sizes))
        losses.check_targets(self.loss, Y, op)
        return m

    def check_weights(self, op: str) -> None:
        """Check that every W^[l] and b^[l] still has its shape and finite numbers
        (their entries can be changed in place, bypassing the checks on assignment).

        >>> Network([2, 1]).check_weights("forward")
        """
        for kind, layers in (("W", self.W), ("b", self.b)):
            for l in range(1, self.L + 1):
                got = check_matrix(layers[l], op, "net.%s[%d]" % (kind, l))
                want = layers.expected_shape(l)
                if got != want:
                    raise BackpropError("%s: net.%s[%d] is %dx%d but must be %dx%d for sizes %r"
                                        % (op, kind, l, got[0], got[1], want[0], want[1], self.sizes))

    # -- using the network -------------------------------------------------------------
    def predict(self, X: "Matrix") -> "Matrix":
        """yhat = a^[L] for a batch ``X`` (m x n_0), as an m x n_L matrix.

        >>> net = Network([2, 1], output="identity", loss="squared_error")
        >>> net.W[1] = [[1.0], [2.0]]
        >>> net.predict([[1.0, 1.0], [0.5, 0.0]])
        [[3.0], [0.5]]
        """
        m = check_call(self, X, None, "predict", targets=False)
        yhat = []  # type: Matrix
        for start in range(0, m, CHUNK):  # CHUNK rows at a time; each row's numbers are its own
            yhat.extend(forward_pass(self, X[start:start + CHUNK]).a[self.L])
        check_finite(yhat, "predict", "the output")
        return yhat

    def loss_value(self, X: "Matrix", Y: "Matrix") -> float:
        """The mean loss over the batch (X, Y).

        >>> net = Network([1, 1], output="identity", loss="squared_error")
        >>> net.W[1] = [[2.0]]
        >>> net.loss_value([[1.0]], [[3.0]])
        0.5
        """
        check_call(self, X, Y, "loss_value")
        loss = loss_in_chunks(self, X, Y)[0]
        if loss - loss != 0.0:  # NaN or infinite: name the row that makes it so
            try:
                self.predict(X)
            except BackpropError as e:  # the row whose output is not finite
                raise BackpropError("loss_value" + str(e)[len("predict"):])
            raise BackpropError("loss_value: the loss is not a finite number (%r): the outputs are too close to "
                                "0 or 1, or too large, to compute it with" % loss)
        return loss

    def copy(self) -> "Network":
        """An independent copy (same sizes, names and weights).

        >>> net = Network([2, 1]); twin = net.copy(); twin.W[1] = [[0.0], [0.0]]
        >>> net.W[1] == twin.W[1]
        False
        """
        return Network.from_dict(self.to_dict())

    # -- saving and loading -------------------------------------------------------------
    def to_dict(self) -> "Json":
        """Everything needed to rebuild the network, as plain JSON-ready data.

        >>> sorted(Network([2, 1]).to_dict())
        ['W', 'b', 'format', 'hidden', 'init', 'init_scale', 'loss', 'output', 'sizes', 'version']
        """
        return {
            "format": FORMAT, "version": VERSION, "sizes": list(self.sizes),
            "hidden": self.hidden, "output": self.output, "loss": self.loss,
            "init": self.init, "init_scale": self.init_scale,
            "W": [[list(row) for row in W] for W in self.W], "b": [[list(row) for row in b] for b in self.b],
        }

    @classmethod
    def from_dict(cls, d: "Json", source: str = "from_dict") -> "Network":
        """Rebuild a network from ``to_dict()`` data, checking every field.
        The declared sizes are checked against the weights given before
        anything is built, so a small file cannot make a huge network.

        >>> net = Network([2, 2, 1], seed=3)
        >>> Network.from_dict(net.to_dict()).W[2] == net.W[2]
        True
        """
        if not isinstance(d, dict):
            raise BackpropError("%s: expected a JSON object with the network, got %s" % (source, type(d).__name__))
        if d.get("format") != FORMAT:
            raise BackpropError("%s: not a tinybackprop network (field 'format' is %s, expected %r)"
                                % (source, show(d.get("format")), FORMAT))
        if d.get("version") != VERSION or isinstance(d.get("version"), bool):
            raise BackpropError("%s: unsupported format version %s (this tinybackprop reads version %d)"
                                % (source, show(d.get("version")), VERSION))
        for key in ("sizes", "hidden", "output", "loss", "W", "b"):
            if key not in d:
                raise BackpropError("%s: field %r is missing" % (source, key))
        try:  # sizes and names checked; no weights drawn: the file's are checked against the sizes below
            net = cls(d["sizes"], hidden=d["hidden"], output=d["output"], loss=d["loss"], seed=_READ_FROM_FILE,  # type: ignore[arg-type]  # the one non-int seed: draw nothing
                      init=d.get("init", inits.DEFAULT), init_scale=d.get("init_scale", 1.0))  # older files: none
        except BackpropError as e:
            raise BackpropError("%s: %s" % (source, e))
        for kind in ("W", "b"):
            mats = d[kind]
            if not isinstance(mats, list) or len(mats) != net.L:
                raise BackpropError("%s: field %r must be a list of %d matrices (one per layer 1..%d)"
                                    % (source, kind, net.L, net.L))
            layers = getattr(net, kind)
            for l in range(1, net.L + 1):
                try:
                    layers[l] = mats[l - 1]
                except BackpropError as e:
                    raise BackpropError("%s: %s" % (source, e))
        return net

    def save(self, path: str, data: "Json | None" = None, what: str = "save") -> None:
        """Write the network to ``path`` as readable JSON, atomically: the data
        go to a new temporary file beside it first, which then replaces ``path``,
        so an interrupted save never leaves a half-written model (see
        :mod:`tinybackprop.files`).  ``data``: an optional JSON object stored
        under the key ``"data"`` (``tinybackprop train --save`` keeps there how
        inputs are prepared and what the outputs mean).  ``what`` starts every
        message (the CLI passes its flag, ``--save``).  Checks first what
        :meth:`read` will demand: intact weights, names that are the ones the
        network computes with, a file no bigger than ``modelfile.MAX_FILE_BYTES``,
        strict JSON in ``data``; nothing is written that :meth:`load` would refuse.

        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "net.json")
        >>> net = Network([2, 1], seed=5); net.save(p)
        >>> Network.load(p).W[1] == net.W[1]
        True
        >>> net.loss = "bogus"; net.save("never-written.json")
        Traceback (most recent call last):
          ...
        tinybackprop.errors.BackpropError: save: net.loss is 'bogus' but the network computes with 'bce'; a network's names are fixed when it is made (make a new Network)
        """
        from . import files
        files.write_atomic(path, self.file_text(path, data, what), what)

    def file_text(self, path: str, data: "Json | None" = None, what: str = "save") -> str:
        """The text :meth:`save` writes to ``path``, checked as :meth:`save`
        checks it, without writing: for a caller that writes several files all
        or none (``tinybackprop train --save --plot``).

        >>> Network([1, 1]).file_text("m.json").startswith('{\\n "format": "tinybackprop-network"')
        True
        """
        from . import modelfile  # here, not at the top: training never loads it (a board's heap)
        check_network(self, what)
        modelfile.check_writable(path, what)
        self.check_weights(what)
        for attr, fn in (("hidden", self.phi_h), ("output", self.phi_o), ("loss", self.loss_fn)):
            if getattr(self, attr) != fn.name:
                raise BackpropError("%s: net.%s is %s but the network computes with %r; a network's names are "
                                    "fixed when it is made (make a new Network)"
                                    % (what, attr, show(getattr(self, attr)), fn.name))
        d = self.to_dict()
        Network.from_dict(d, source=what)  # what load demands, checked before writing
        return modelfile.model_text(modelfile.with_data(d, data, what), path, what)

    @classmethod
    def load(cls, path: str) -> "Network":
        """Read a network written by :meth:`save`.  The file is read once (at
        most ``modelfile.MAX_FILE_BYTES``, as UTF-8), parsed as JSON (never
        evaluated) and every field is checked; a truncated, malformed, oversized
        or wrong-shaped file, a folder, device or FIFO raises BackpropError.

        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "bad.json")
        >>> _ = open(p, "w").write('{"format": "tinybackprop-network", "ver')
        >>> Network.load(p)
        Traceback (most recent call last):
          ...
        tinybackprop.errors.BackpropError: load: ... is not valid JSON (truncated or corrupt?): ...
        """
        return cls.read(path)[0]

    @classmethod
    def read(cls, path: str, what: str = "load") -> "Tuple[Network, Json | None]":
        """``(net, data)`` from a file written by :meth:`save`, read once: the
        network, checked, and the object stored under ``"data"`` (None when
        there is none; checking it is the caller's part).  ``what`` starts every
        message.

        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "m.json")
        >>> Network([2, 1]).save(p, data={"classes": ["no", "yes"]})
        >>> Network.read(p)[1]
        {'classes': ['no', 'yes']}
        """
        from . import modelfile
        d, data = modelfile.read_model(path, what)
        return cls.from_dict(d, source="%s: %s" % (what, path)), data


def check_network(net: "Network", op: str) -> None:
    """Refuse anything that is not a :class:`Network` where one is needed.

    >>> check_network([4, 3, 1], "vectorized.backward")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: vectorized.backward: net must be a Network, e.g. Network([4, 3, 1]), got list
    """
    if not isinstance(net, Network):
        raise BackpropError("%s: net must be a Network, e.g. Network([4, 3, 1]), got %s" % (op, type(net).__name__))


def check_finite(rows: "Matrix", op: str, what: str) -> None:
    """Refuse a result (a matrix) holding NaN or an infinity, naming its row of X:
    finite but huge weights or inputs overflow, and a NaN must never pass for a number.

    >>> check_finite([[1.0], [float("inf")]], "predict", "the output")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: predict: the output for row 2 of X is not a finite number (inf): the weights or this input are too large to compute with
    """
    for r, row in enumerate(rows):
        for v in row:
            if v - v != 0.0:  # NaN or an infinity (inf - inf is NaN)
                raise BackpropError("%s: %s for row %d of X is not a finite number (%r): the weights or this input "
                                    "are too large to compute with" % (op, what, r + 1, v))


def check_gradients(g: "Gradients", outputs: "Matrix", op: str) -> "Gradients":
    """:func:`check_finite` for a backward pass: its ``outputs`` (a^[L], a row
    per example), the loss, then every gradient (named by layer).  Returns ``g``."""
    check_finite(outputs, op, "the output")
    if g.loss - g.loss != 0.0:
        raise BackpropError("%s: the loss is not a finite number (%r): the outputs are too close to 0 or 1, or "
                            "too large, to compute it with" % (op, g.loss))
    for kind, mats in (("W", g.W), ("b", g.b)):
        for l in range(1, len(mats)):
            if mats[l] is None:
                continue
            for row in mats[l]:
                for v in row:
                    if v - v != 0.0:
                        raise BackpropError("%s: a gradient of %s^[%d] is not a finite number (%r): the weights or "
                                            "the inputs are too large to compute with" % (op, kind, l, v))
    if g.x is not None:
        check_finite(g.x, op, "dL/dX")
    return g


def check_call(net: "Network", X: "MatrixLike", Y: "MatrixLike | None", op: str, targets: bool = True) -> int:
    """The boundary check of every public entry point that takes a network and a
    batch: ``net`` is a Network with intact weights, ``X`` fits its input and
    ``Y`` fits its output and loss (a missing ``Y``, None, is refused); with
    ``targets=False`` (a forward pass, predict) there is no ``Y`` to check.
    Returns m.

    >>> check_call(Network([2, 1]), [[1.0, 2.0]], None, "predict", targets=False)
    1
    >>> check_call(Network([2, 1]), [[1.0, 2.0]], [[2.0]], "backward")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: backward: Y[0][0] is 2.0, but bce labels must lie in [0, 1]
    """
    check_network(net, op)
    net.check_weights(op)
    return net.check_XY(X, Y, op) if targets else net.check_X(X, op)  # type: ignore[arg-type]  # a call with targets has Y


# -- the forward pass in matrix form ---------------------------------------------------------
# The network's own: predict and loss_value run it, and vectorized.forward is it, behind the
# boundary check (network.py imports neither path; both import it).

def forward_pass(net: "Network", X: "Matrix") -> "Forward":
    """z^[l] and a^[l] of every layer for a batch ``X`` (m x n_0), a layer at a
    time, as a :class:`Forward`; unchecked: :func:`tinybackprop.vectorized.forward`
    checks ``net`` and ``X`` first, ``predict`` and ``loss_value`` check them themselves.

    >>> net = Network([2, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[1.0], [2.0]]
    >>> forward_pass(net, [[1.0, 1.0]]).z[1]
    [[3.0]]
    """
    z = [None]  # type: ByLayer
    a = [[list(row) for row in X]]
    for l in range(1, net.L + 1):
        act = net.activation(l)
        z_l = add(matmul(a[l - 1], net.W[l]), net.b[l])  # [eq:fwd.z.mat]
        if act.is_softmax:
            a_l = apply_rows(activations.softmax, z_l)  # [eq:fwd.softmax.mat]
        else:
            a_l = apply_rows(act.f_row, z_l)  # [eq:fwd.a.mat]
        z.append(z_l)
        a.append(a_l)
    return Forward(z, a)


def mean_loss(net: "Network", Z: "Matrix", A: "Matrix", Y: "Matrix") -> float:
    """L = (1/m) sum over rows of the per-example loss, from z^[L], a^[L] and Y.

    >>> net = Network([1, 1], output="identity", loss="squared_error")
    >>> mean_loss(net, [[1.0], [3.0]], [[1.0], [3.0]], [[0.0], [3.0]])
    0.25
    """
    ell = net.loss_fn.of_example  # [eq:loss.mean] (and the next line)
    return sum(ell(z, a, y, net.output) for z, a, y in zip(Z, A, Y)) / len(Y)  # [eq:loss.mean]


def loss_in_chunks(net: "Network", X: "Matrix", Y: "Matrix", forward: "Callable[[Network, Matrix], Forward] | None" = None,
                   count_right: "Callable[[Matrix, Matrix], int] | None" = None, chunk: int = CHUNK) -> "Tuple[float, int]":
    """(mean loss, rows right) over (X, Y), going forward ``chunk`` rows at a time
    with ``forward(net, X)`` (a forward pass without the checks: the network's own, or
    a path's; None: :func:`forward_pass`), so that only that many rows' activations are
    alive at once.  The per-row losses are added in row
    order, as :func:`mean_loss` adds them: the same float as one pass over all
    rows.  ``count_right(Yhat, Y)``, when given, counts the rows classified
    right in each chunk; otherwise rows right is 0.

    >>> net = Network([2, 1], seed=0)
    >>> X, Y = [[0.5, -1.0]] * 5, [[1.0]] * 5
    >>> f = forward_pass(net, X)
    >>> loss_in_chunks(net, X, Y, chunk=2)[0] == mean_loss(net, f.z[1], f.a[1], Y)
    True
    """
    forward = forward or forward_pass
    ell, output, L = net.loss_fn.of_example, net.output, net.L
    right = [0]

    def row_losses():  # one chunk alive at a time; sum() takes the rows as they come
        for start in range(0, len(X), chunk):
            f = forward(net, X[start:start + chunk])
            Y_c = Y[start:start + chunk]
            for z, a, y in zip(f.z[L], f.a[L], Y_c):
                yield ell(z, a, y, output)
            if count_right is not None:
                right[0] += count_right(f.a[L], Y_c)

    # the same sum() over the same per-row losses in the same order as mean_loss (on CPython
    # 3.12+ sum() of floats is compensated, so a plain += would differ in the last bits)
    total = sum(row_losses())
    return total / len(Y), right[0]


class Forward:
    """The forward pass of a batch: ``z[l]`` and ``a[l]`` for l = 0..L (``z[0]`` is None, ``a[0]`` is X).

    >>> Forward([None], [[[1.0]]]).a[0]
    [[1.0]]
    """

    def __init__(self, z: "ByLayer", a: "ByLayer") -> None:
        self.z = z
        self.a = a


class Gradients:
    """Gradients of the mean loss: ``W[l]``, ``b[l]`` (l = 1..L, index 0 is None),
    ``x`` (dL/dX), ``loss``, and the intermediate ``g_a[l]`` (l = 0..L, g_a[0] is x)
    and ``g_z[l]`` (l = 1..L), each m x n_l.

    >>> g = Gradients([None, [[1.0]]], [None, [[2.0]]], [[[3.0]], [[4.0]]], [None, [[5.0]]], 0.5)
    >>> g.x, g.W[1], g.loss
    ([[3.0]], [[1.0]], 0.5)
    """

    def __init__(self, W: "ByLayer", b: "ByLayer", g_a: "ByLayer", g_z: "ByLayer", loss: float) -> None:
        self.W = W
        self.b = b
        self.g_a = g_a
        self.g_z = g_z
        self.x = g_a[0]
        self.loss = loss

    def __repr__(self) -> str:
        return "Gradients(loss=%r, layers=%d)" % (self.loss, len(self.W) - 1)
