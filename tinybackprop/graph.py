"""Backpropagation by a graph of numbers: the third way, reverse-mode autodiff.

The two other paths were derived by hand, once per-element and once in matrix
form.  This one knows no derivation: every number is a :class:`Value` that
remembers the numbers it was made from (its parents) and, for each, the local
derivative d(this)/d(parent), computed beside the forward value.  ``backward``
walks the graph from the loss back to the leaves in reverse topological order
and applies the chain rule at every node, [eq:graph.chain]: a node's gradient is
the sum, over every node made from it, of that node's local derivative times
that node's gradient.  Built out of the network's weights, biases and inputs,
the graph gives the same gradients as the other two paths.
On the site: docs/graph.md#eq-graph-chain.

==============================  =====================================================
``Value(data)``                 a number that remembers how it was made: ``parents``
                                (each with its local derivative) and ``op``
``+ - * / **``, ``exp log``     the operations, each with its local derivatives;
``tanh sigmoid relu``           ``**`` only by a number
``v.backward()``                dL/d(node) into ``.grad`` of every node of v's graph,
                                without recursion (any depth)
``v.zero_grad()``               every ``.grad`` of v's graph back to 0
``topological(v)``              v's graph, each node after its parents
``build(net, X, Y)``            the network's forward pass (and loss) as Values
``forward(net, X)``             z^[l] and a^[l] read off the graph
``backward(net, X, Y)``         gradients of the mean loss: ``Gradients``, as the
                                other two paths return them
``node_count(sizes, m)``        the nodes ``build`` makes; at most ``MAX_NODES``
==============================  =====================================================

>>> a = Value(3.0)
>>> (a * a + a).backward()
>>> a.grad
7.0
"""
import math

from .activations import sigmoid as _sigmoid, softmax as _softmax
from ._compat import exp as _exp, isnumber
from .errors import BackpropError, show
from .network import Forward, Gradients, check_call, mean_loss

#: The most nodes :func:`build` makes before it refuses: each takes about 200 bytes on
#: CPython, so this is some 80 MB.  A 784-32-10 network on one row needs about 77,000.
MAX_NODES = 400000


def _as_value(x, op):
    if isinstance(x, Value):
        return x
    if isnumber(x):
        return Value(x)
    raise BackpropError("Value %s: cannot combine a Value with %s; use a number or a Value" % (op, show(x)))


class Value:
    """One number of a computational graph.

    ``data`` is its value, ``grad`` the derivative dL/d(this) that
    :meth:`backward` leaves in it, ``parents`` the Values it was computed from,
    each as a pair (parent, local derivative d(this)/d(parent)), ``op`` the
    operation's name and ``name`` an optional label.

    >>> x, w = Value(2.0, name="x"), Value(-3.0, name="w")
    >>> z = w * x
    >>> z.data, z.op, [d for _, d in z.parents]
    (-6.0, '*', [2.0, -3.0])
    """

    __slots__ = ("data", "grad", "parents", "op", "name")

    def __init__(self, data, parents=(), op="", name=""):
        if type(data) is not float:
            if not isnumber(data):
                raise BackpropError("Value: data must be a number, got %s" % show(data))
            data = float(data)
        self.data = data
        self.grad = 0.0
        self.parents = parents
        self.op = op
        self.name = name

    def __repr__(self):
        return "Value(data=%r, grad=%r%s)" % (self.data, self.grad, ", name=%r" % self.name if self.name else "")

    # -- the operations: each forward value with its local derivatives beside it
    def __add__(self, other):
        """u + v; d/du = 1, d/dv = 1: the gradient passes on unchanged to both.

        >>> (Value(1.0) + 2).data
        3.0
        """
        other = _as_value(other, "+")
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)), "+")

    def __radd__(self, other):
        return _as_value(other, "+") + self

    def __mul__(self, other):
        """u v; d/du = v, d/dv = u.  For a product W_ij a_i of z = aW + b these
        are the two flows back: to the weight, a_i, and to the input, W_ij.

        >>> p = Value(2.0) * Value(5.0)
        >>> [d for _, d in p.parents]
        [5.0, 2.0]
        """
        other = _as_value(other, "*")
        return Value(self.data * other.data,
                     ((self, other.data),  # d(uv)/du = v, as dz_j/dW_ij = a_i  [eq:bwd.gW]
                      (other, self.data)),  # d(uv)/dv = u, as dz_j/da_i = W_ij  [eq:bwd.ga]
                     "*")

    def __rmul__(self, other):
        return _as_value(other, "*") * self

    def __neg__(self):
        """-u; d/du = -1.

        >>> (-Value(2.0)).data
        -2.0
        """
        return Value(-self.data, ((self, -1.0),), "neg")

    def __sub__(self, other):
        """u - v; d/du = 1, d/dv = -1.

        >>> (Value(1.0) - 3).data
        -2.0
        """
        other = _as_value(other, "-")
        return Value(self.data - other.data, ((self, 1.0), (other, -1.0)), "-")

    def __rsub__(self, other):
        return _as_value(other, "-") - self

    def __truediv__(self, other):
        """u / v; d/du = 1/v, d/dv = -u/v^2.

        >>> q = Value(1.0) / Value(4.0)
        >>> q.data, [d for _, d in q.parents]
        (0.25, [0.25, -0.0625])
        """
        other = _as_value(other, "/")
        if other.data == 0.0:
            raise BackpropError("Value /: division by zero (%r / 0.0)" % self.data)
        return Value(self.data / other.data,
                     ((self, 1.0 / other.data), (other, -self.data / (other.data * other.data))), "/")

    def __rtruediv__(self, other):
        return _as_value(other, "/") / self

    def __pow__(self, k):
        """u ** k for a number k; d/du = k u^(k-1).

        >>> s = Value(3.0) ** 2
        >>> s.data, s.parents[0][1]
        (9.0, 6.0)
        """
        if isinstance(k, Value) or not isnumber(k):
            raise BackpropError("Value **: the power must be a number (int or float), got %s" % show(k))
        try:
            out, local = self.data ** k, k * self.data ** (k - 1)
        except ZeroDivisionError:
            raise BackpropError("Value **: 0.0 ** %r is a division by zero" % (k,))
        if isinstance(out, complex) or isinstance(local, complex):
            raise BackpropError("Value **: %r ** %r is not a real number" % (self.data, k))
        return Value(out, ((self, float(local)),), "**%s" % (k,))

    def exp(self):
        """e^u; d/du = e^u.

        >>> Value(0.0).exp().parents[0][1]
        1.0
        """
        e = _exp(self.data)
        return Value(e, ((self, e),), "exp")

    def log(self):
        """log u for u > 0; d/du = 1/u.

        >>> Value(2.0).log().parents[0][1]
        0.5
        """
        if not self.data > 0.0:
            raise BackpropError("Value log: log(%r) is not defined; the argument must be > 0" % self.data)
        return Value(math.log(self.data), ((self, 1.0 / self.data),), "log")

    def tanh(self):
        """tanh u; d/du = 1 - tanh^2 u.

        >>> Value(0.0).tanh().parents[0][1]
        1.0
        """
        t = math.tanh(self.data)
        return Value(t, ((self, 1.0 - t * t),), "tanh")  # [eq:act.tanh.d]

    def sigmoid(self):
        """sigma(u) = 1 / (1 + e^-u); d/du = sigma (1 - sigma).

        >>> Value(0.0).sigmoid().parents[0][1]
        0.25
        """
        s = _sigmoid(self.data)
        return Value(s, ((self, s * (1.0 - s)),), "sigmoid")  # [eq:act.sigmoid.d]

    def relu(self):
        """max(0, u); d/du = 1 for u > 0, else 0.

        >>> Value(-2.0).relu().parents[0][1], Value(2.0).relu().parents[0][1]
        (0.0, 1.0)
        """
        return Value(self.data if self.data > 0.0 else 0.0,
                     ((self, 1.0 if self.data > 0.0 else 0.0),), "relu")  # [eq:act.relu.d]

    def identity(self):
        """u itself, as a node of its own; d/du = 1.

        >>> Value(2.0).identity().data
        2.0
        """
        return Value(self.data, ((self, 1.0),), "identity")  # [eq:act.identity.d]

    # -- backward
    def backward(self):
        """dL/d(node) for every node of this Value's graph, with L this Value.

        The nodes are visited from this one back to the leaves, in reverse
        topological order: each node passes its gradient on only once every node
        made from it has added its share, so the gradient it passes is complete.
        The interior nodes' gradients are this pass's alone; a leaf's (a Value
        made by you, not by an operation) is added to, as in PyTorch: a second
        ``backward`` doubles them, until :meth:`zero_grad`.

        >>> a = Value(3.0)
        >>> y = a * a + a
        >>> y.backward(); a.grad
        7.0
        >>> y.backward(); a.grad
        14.0
        """
        order = topological(self)
        for node in order:
            if node.parents:
                node.grad = 0.0
        self.grad += 1.0  # dL/dL = 1
        for k in range(len(order) - 1, -1, -1):  # the root first, the leaves last
            node = order[k]
            g = node.grad
            for parent, local in node.parents:
                parent.grad += local * g  # [eq:graph.chain]

    def zero_grad(self):
        """Set ``grad`` of every node of this Value's graph to 0.

        >>> a = Value(3.0); y = a * a; y.backward(); y.zero_grad(); a.grad
        0.0
        """
        for node in topological(self):
            node.grad = 0.0


def topological(root):
    """The nodes of ``root``'s graph, each after all its parents (``root`` last),
    found by a depth-first search with a list as its stack: no recursion, so a
    graph of any depth works.

    >>> a = Value(1.0, name="a"); b = a * 2.0; c = b + a
    >>> [n.name or n.op for n in topological(c)]
    ['a', '', '*', '+']
    """
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)  # all its parents are in order already
            continue
        key = id(node)
        if key in seen:
            continue
        seen.add(key)
        stack.append((node, True))
        parents = node.parents
        for k in range(len(parents) - 1, -1, -1):  # the first parent on top: visited first
            if id(parents[k][0]) not in seen:
                stack.append((parents[k][0], False))
    return order


def node_count(sizes, m, loss=True):
    """How many nodes :func:`build` makes for a network of layer widths ``sizes``
    on ``m`` rows: the leaves (weights, biases, inputs) and, per row and layer,
    n_{l-1} n_l products, n_{l-1} n_l additions (the bias included) and n_l
    activations; and one loss node.

    >>> node_count([1, 1, 1], 1), node_count([784, 32, 10], 1)
    (12, 77093)
    """
    params = sum(a * b + b for a, b in zip(sizes, sizes[1:]))
    per_row = sum(2 * a * b + b for a, b in zip(sizes, sizes[1:]))
    return params + m * sizes[0] + m * per_row + (1 if loss else 0)


class Graph:
    """The network's forward pass on a batch as Values: ``x`` (m x n_0), ``W[l]``,
    ``b[l]`` (1 x n_l), ``z[l]`` and ``a[l]`` (m x n_l) for l = 1..L (index 0:
    None; ``a[0]`` is ``x``), ``loss`` (None without targets) and ``size``,
    the number of nodes.  Every entry is a :class:`Value`.
    """

    def __init__(self, x, W, b, z, a, loss, size):
        self.x, self.W, self.b, self.z, self.a, self.loss, self.size = x, W, b, z, a, loss, size


def _label(base, l, j, i=None, row=None):
    sub = ("%d,%d" % (i + 1, j + 1)) if i is not None else "%d" % (j + 1)
    text = "%s^[%d]_%s" % (base, l, sub) if l is not None else "%s_%s" % (base, sub)
    return text + (" (row %d)" % (row + 1) if row is not None else "")


def build(net, X, Y=None, max_nodes=None, check=True, op="graph.build"):
    """The forward pass of ``net`` on the batch ``X`` (m x n_0) built out of
    Values, and with targets ``Y`` the mean loss on top: a :class:`Graph`.

    z_j = sum_i W_ij a_i + b_j is made of products and additions, each a node;
    an activation is one node per neuron (the softmax one per output, made
    from every z of its row); the loss is one node made from every output,
    its local derivatives dL/dyhat_k divided by m.  Refuses, before making
    any node, a graph of more than ``max_nodes`` nodes (default ``MAX_NODES``).

    >>> from tinybackprop import Network
    >>> G = build(Network([1, 1, 1], seed=3), [[0.5]], [[1.0]])
    >>> G.size, G.loss.op, G.z[1][0][0].name
    (12, 'loss', 'z^[1]_1')
    """
    if check:
        if Y is None:
            check_call(net, X, None, op, targets=False)
        else:
            check_call(net, X, Y, op)
    limit = MAX_NODES if max_nodes is None else max_nodes
    m, sizes, L = len(X), net.sizes, net.L
    size = node_count(sizes, m, Y is not None)
    if size > limit:
        raise BackpropError(
            "%s: a %s network on %d row(s) makes a graph of %d nodes, more than the limit of %d "
            "(graph.MAX_NODES); the graph path is for small networks: use path 'vectorized' or "
            "fewer rows" % (op, "-".join(str(n) for n in sizes), m, size, limit))
    rowname = (lambda r: r) if m > 1 else (lambda r: None)
    W = [None] + [[[Value(w, name=_label("W", l, j, i)) for j, w in enumerate(row)]
                   for i, row in enumerate(net.W[l])] for l in range(1, L + 1)]
    b = [None] + [[[Value(v, name=_label("b", l, j)) for j, v in enumerate(net.b[l][0])]]
                  for l in range(1, L + 1)]
    x = [[Value(v, name=_label("x", None, i, row=rowname(r))) for i, v in enumerate(row)]
         for r, row in enumerate(X)]
    z, a = [None], [x]
    for l in range(1, L + 1):
        g = net.activation(l)
        z_l, a_l = [], []
        for r, a_prev in enumerate(a[l - 1]):
            z_r = []
            for j in range(sizes[l]):
                s = W[l][0][j] * a_prev[0]  # [eq:fwd.z] (to the line that adds b_j)
                for i in range(1, sizes[l - 1]):
                    s = s + W[l][i][j] * a_prev[i]
                z_j = s + b[l][0][j]  # [eq:fwd.z]
                z_j.name = _label("z", l, j, row=rowname(r))
                z_r.append(z_j)
            if g.is_softmax:
                a_r = softmax(z_r)  # [eq:fwd.softmax]
            else:
                a_r = [getattr(z_j, g.name)() for z_j in z_r]  # [eq:fwd.a]
            for j, a_j in enumerate(a_r):
                a_j.name = _label("a", l, j, row=rowname(r))
            z_l.append(z_r)
            a_l.append(a_r)
        z.append(z_l)
        a.append(a_l)
    loss = None if Y is None else loss_node(net, z[L], a[L], Y)
    return Graph(x, W, b, z, a, loss, size)


def softmax(z_row):
    """The softmax of a row of Values: one node per output a_k, made from every
    z_j of the row, with local derivatives da_k/dz_j = a_k (delta_kj - a_j).

    >>> a = softmax([Value(0.0), Value(0.0)])
    >>> [v.data for v in a], [d for _, d in a[0].parents]
    ([0.5, 0.5], [0.25, -0.25])
    """
    s = _softmax([v.data for v in z_row])
    return [Value(s_k, tuple((z_j, s_k * ((1.0 if k == j else 0.0) - s[j]))  # [eq:act.softmax.d]
                             for j, z_j in enumerate(z_row)), "softmax")
            for k, s_k in enumerate(s)]


def loss_node(net, Z, A, Y):
    """The mean loss of the batch as one node: its value from z^[L] and a^[L]
    (``network.mean_loss``, the float the other paths compute), its parents every
    output yhat_k of every row, each with the local derivative (1/m) dL/dyhat_k.

    >>> from tinybackprop import Network
    >>> net = Network([1, 1], output="identity", loss="squared_error")
    >>> L = loss_node(net, [[Value(2.0)]], [[Value(2.0)]], [[3.0]])
    >>> L.data, L.parents[0][1]
    (0.5, -1.0)
    """
    m, d = len(Y), net.loss_fn.d
    value = mean_loss(net, [[v.data for v in row] for row in Z], [[v.data for v in row] for row in A], Y)
    parents = []
    for a_r, y_r in zip(A, Y):
        for yhat_k, y_k in zip(a_r, y_r):
            parents.append((yhat_k, d(yhat_k.data, y_k) / m))  # [eq:bwd.ga_out]
    return Value(value, tuple(parents), "loss", "L")


def _data(rows):
    return [[v.data for v in row] for row in rows]


def _grads(rows):
    return [[v.grad for v in row] for row in rows]


def forward(net, X, check=True):
    """The forward pass of a batch ``X`` (m x n_0), built as a graph of Values
    and read off it: a ``Forward``, as the other two paths return, which also
    keeps the graph (``.graph``) for a :func:`backward` on the same batch.

    >>> from tinybackprop import Network
    >>> net = Network([2, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[1.0], [2.0]]
    >>> forward(net, [[1.0, 1.0]]).z[1]
    [[3.0]]
    """
    G = build(net, X, None, check=check, op="graph.forward")
    f = Forward([None] + [_data(G.z[l]) for l in range(1, net.L + 1)], [_data(r) for r in G.a])
    f.graph = G
    return f


def backward(net, X, Y, input_grad=True, check=True, forward_pass=None, weight_grad=True, max_nodes=None):
    """Gradients of the mean loss over the batch (X, Y), by building the graph
    and calling ``backward`` on its loss node: a ``Gradients`` with ``W``,
    ``b``, ``x`` (dL/dX), ``loss``, ``g_a`` and ``g_z``, the same numbers as the
    other two paths (to rounding).

    The keywords are the other paths': ``input_grad=False`` leaves ``g.x``
    None and ``weight_grad=False`` ``g.W[l]`` (the graph computes them anyway);
    ``check=False`` skips the boundary check; ``forward_pass``, a
    :func:`forward` of this batch, lends its graph.  ``max_nodes`` overrides
    ``MAX_NODES``.

    >>> from tinybackprop import Network
    >>> net = Network([1, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[2.0]]
    >>> g = backward(net, [[1.0]], [[3.0]])
    >>> g.loss, g.W[1], g.b[1], g.x
    (0.5, [[-1.0]], [[-1.0]], [[-2.0]])
    """
    if check:
        check_call(net, X, Y, "graph.backward")
    G = getattr(forward_pass, "graph", None)
    if G is None or len(G.x) != len(X):
        G = build(net, X, Y, max_nodes, check=False, op="graph.backward")
    else:  # a lent graph: the loss on top, and its leaves' gradients from an earlier backward cleared
        G.loss = loss_node(net, G.z[net.L], G.a[net.L], Y)
        G.loss.zero_grad()
    G.loss.backward()
    L = net.L
    g_W = [None] + [_grads(G.W[l]) if weight_grad else None for l in range(1, L + 1)]
    g_b = [None] + [_grads(G.b[l]) for l in range(1, L + 1)]
    g_a = [_grads(G.a[l]) for l in range(L + 1)]
    g_z = [None] + [_grads(G.z[l]) for l in range(1, L + 1)]
    if not input_grad:
        g_a[0] = None
    g = Gradients(g_W, g_b, g_a, g_z, G.loss.data)
    g.inputs = (net, X, Y)  # lets gradcheck.compare measure against the size of the terms summed
    return g
