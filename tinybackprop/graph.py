"""Backpropagation by a graph of numbers: the third way, reverse-mode autodiff.

The two other paths were derived by hand, once per element and once in matrix
form.  This one knows no derivation: :func:`build` writes the network's forward
pass (and the mean loss) out of :class:`tinybackprop.scalar.Value` numbers, each
of which remembers its parents and their local derivatives, and ``backward``
calls the loss node's ``backward``, which applies the chain rule at every node in
reverse topological order.  The gradients read off the leaves (weights, biases,
inputs) are those of the other two paths.
On the site: docs/graph.md.

==============================  =====================================================
``Value``, ``topological``,     from :mod:`tinybackprop.scalar`: the number that
``free``                        remembers how it was made, its graph in order, and
                                the graph cut apart after use
``build(net, X, Y)``            the network's forward pass (and loss) as Values
``check_nodes(sizes, m, op)``    refuse a graph of more than ``MAX_NODES`` nodes
``forward(net, X)``             z^[l] and a^[l] read off the graph
``backward(net, X, Y)``         gradients of the mean loss: ``Gradients``, as the
                                other two paths return them
``node_count(sizes, m)``        the nodes ``build`` makes; at most ``MAX_NODES``
``rows_that_fit(sizes)``        how many rows a forward graph can take within ``MAX_NODES``
``visits(root)``                the nodes in the order ``backward`` visits them, each
                                with what it passes to each parent
``label(node)``                 a short name for a node, its own or made from its parents'
==============================  =====================================================

>>> from tinybackprop import Network, vectorized
>>> net, X, Y = Network([4, 3, 2, 1], seed=0), [[0.1, 0.2, 0.3, 0.4]], [[1.0]]
>>> abs(backward(net, X, Y).W[1][0][0] - vectorized.backward(net, X, Y).W[1][0][0]) < 1e-15
True
"""
from ._compat import TYPE_CHECKING
from .activations import softmax, softmax_jacobian
from .errors import BackpropError, show
from .matrix import isint
from .network import Forward, Gradients, check_call, check_gradients, mean_loss
from .scalar import Value, free, topological

if TYPE_CHECKING:
    from typing import Any, List, Sequence, Tuple
    from ._compat import Matrix
    from .network import Network

#: The most nodes :func:`build` makes before it refuses: each takes about 200 bytes on
#: CPython, so this is some 80 MB.  A 784-32-10 network on one row needs about 77,000.
MAX_NODES = 400000


def node_count(sizes: "Sequence[int]", m: int, loss: bool = True) -> int:
    """How many nodes :func:`build` makes for a network of layer widths ``sizes``
    on ``m`` rows: the leaves (weights, biases, inputs) and, per row and layer,
    n_{l-1} n_l products, n_{l-1} n_l additions (the bias included) and n_l
    activations; and one loss node.

    >>> node_count([1, 1, 1], 1), node_count([784, 32, 10], 1)
    (12, 77093)
    """
    if (not isinstance(sizes, (list, tuple)) or len(sizes) < 2 or not all(isint(n) and n >= 1 for n in sizes)
            or not isint(m) or m < 0):
        raise BackpropError("node_count: sizes must be a list of layer widths (ints >= 1) and m an int >= 0, got %s "
                            "and %s" % (show(sizes), show(m)))
    params = sum(a * b + b for a, b in zip(sizes, sizes[1:]))
    per_row = sum(2 * a * b + b for a, b in zip(sizes, sizes[1:]))
    return params + m * sizes[0] + m * per_row + (1 if loss else 0)


class Graph:
    """The network's forward pass on a batch as Values: ``x`` (m x n_0), ``W[l]``,
    ``b[l]`` (1 x n_l), ``z[l]`` and ``a[l]`` (m x n_l) for l = 1..L (index 0:
    None; ``a[0]`` is ``x``), ``loss`` (None without targets) and ``size``,
    the number of nodes.  Every entry is a :class:`Value`.

    >>> from tinybackprop import Network
    >>> G = build(Network([2, 1], seed=0), [[1.0, 2.0]])
    >>> G.loss is None, G.size, G.x[0][1].name, G.W[1][1][0].name
    (True, 10, 'x_2', 'W^[1]_2,1')
    """

    def __init__(self, x: "List[List[Value]]", W: "List[Any]", b: "List[Any]", z: "List[Any]", a: "List[Any]",
                 loss: "Value | None", size: int) -> None:
        self.x, self.W, self.b, self.z, self.a, self.loss, self.size = x, W, b, z, a, loss, size


def _label(base, l, j, i=None, row=None):
    sub = ("%d,%d" % (i + 1, j + 1)) if i is not None else "%d" % (j + 1)
    text = "%s^[%d]_%s" % (base, l, sub) if l is not None else "%s_%s" % (base, sub)
    return text + (" (row %d)" % (row + 1) if row is not None else "")


def build(net: "Network", X: "Matrix", Y: "Matrix | None" = None, op: str = "graph.build") -> Graph:
    """The forward pass of ``net`` on the batch ``X`` (m x n_0) built out of
    Values, and with targets ``Y`` the mean loss on top: a :class:`Graph`.

    z_j = sum_i W_ij a_i + b_j is made of products and additions, each a node;
    an activation is one node per neuron (the softmax one per output, made
    from every z of its row); the loss is one node made from every output,
    its local derivatives dL/dyhat_k divided by m.  Refuses, before making
    any node, a graph of more than ``MAX_NODES`` nodes.  ``op`` starts every message.

    >>> from tinybackprop import Network
    >>> G = build(Network([1, 1, 1], seed=3), [[0.5]], [[1.0]])
    >>> G.size, G.loss.op, G.z[1][0][0].name
    (12, 'loss', 'z^[1]_1')
    """
    if Y is None:
        check_call(net, X, None, op, targets=False)
    else:
        check_call(net, X, Y, op)
    return _build(net, X, Y, op)


def check_nodes(sizes: "Sequence[int]", m: int, op: str, loss: bool = True) -> int:
    """Refuse, before any work, a graph of more than ``MAX_NODES`` nodes: a network of
    layer widths ``sizes`` on ``m`` rows (the training loop asks this of its largest batch
    before its first step).

    >>> check_nodes([2, 5000, 1], 16, "train")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: train: a 2-5000-1 network on 16 row(s) makes a graph of 580050 nodes, more than the limit of 400000 (graph.MAX_NODES); the graph path is for small networks: use path 'vectorized' or fewer rows
    """
    size = node_count(sizes, m, loss)
    if size > MAX_NODES:
        raise BackpropError(
            "%s: a %s network on %d row(s) makes a graph of %d nodes, more than the limit of %d "
            "(graph.MAX_NODES); the graph path is for small networks: use path 'vectorized' or "
            "fewer rows" % (op, "-".join(str(n) for n in sizes), m, size, MAX_NODES))
    return size


def _build(net, X, Y, op):
    """:func:`build` without the check of ``net``, ``X`` and ``Y``; the size is still checked."""
    size = check_nodes(net.sizes, len(X), op, Y is not None)
    m, sizes, L = len(X), net.sizes, net.L
    rowname = (lambda r: r) if m > 1 else (lambda r: None)
    W = [None] + [[[Value(w, name=_label("W", l, j, i)) for j, w in enumerate(row)]
                   for i, row in enumerate(net.W[l])] for l in range(1, L + 1)]
    b = [None] + [[[Value(v, name=_label("b", l, j)) for j, v in enumerate(net.b[l][0])]]
                  for l in range(1, L + 1)]
    x = [[Value(v, name=_label("x", None, i, row=rowname(r))) for i, v in enumerate(row)]
         for r, row in enumerate(X)]
    z, a = [None], [x]
    for l in range(1, L + 1):
        act = net.activation(l)
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
            if act.is_softmax:
                a_r = softmax_nodes(z_r)  # [eq:fwd.softmax]
            else:
                a_r = [getattr(z_j, act.name)() for z_j in z_r]  # [eq:fwd.a]
            for j, a_j in enumerate(a_r):
                a_j.name = _label("a", l, j, row=rowname(r))
            z_l.append(z_r)
            a_l.append(a_r)
        z.append(z_l)
        a.append(a_l)
    loss = None if Y is None else loss_node(net, z[L], a[L], Y)
    return Graph(x, W, b, z, a, loss, size)


def softmax_nodes(z_row: "List[Value]") -> "List[Value]":
    """The softmax of a row of Values: one node per output a_k, made from every
    z_j of the row, with local derivatives da_k/dz_j = a_k (delta_kj - a_j).

    >>> a = softmax_nodes([Value(0.0), Value(0.0)])
    >>> [v.data for v in a], [d for _, d in a[0].parents]
    ([0.5, 0.5], [0.25, -0.25])
    """
    s = softmax([v.data for v in z_row])
    J = softmax_jacobian(s)  # J[k][j] = da_k/dz_j
    return [Value(s_k, tuple((z_j, J[k][j]) for j, z_j in enumerate(z_row)), "softmax") for k, s_k in enumerate(s)]


def loss_node(net: "Network", Z: "List[List[Value]]", A: "List[List[Value]]", Y: "Matrix") -> Value:
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


def forward(net: "Network", X: "Matrix") -> Forward:
    """The forward pass of a batch ``X`` (m x n_0), built as a graph of Values
    and read off it: a ``Forward``, as the other two paths return (the graph
    itself is cut apart and dropped, see :func:`tinybackprop.scalar.free`).  A
    batch too big for one graph goes forward in pieces (:func:`rows_that_fit`).

    >>> from tinybackprop import Network
    >>> net = Network([2, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[1.0], [2.0]]
    >>> forward(net, [[1.0, 1.0]]).z[1]
    [[3.0]]
    """
    check_call(net, X, None, "graph.forward", targets=False)
    return _forward(net, X, "graph.forward")


def backward(net: "Network", X: "Matrix", Y: "Matrix") -> Gradients:
    """Gradients of the mean loss over the batch (X, Y), by building the graph
    and calling ``backward`` on its loss node: a ``Gradients`` with ``W``,
    ``b``, ``x`` (dL/dX), ``loss``, ``g_a`` and ``g_z``, the same numbers as the
    other two paths (to rounding).  The graph is then cut apart and dropped.

    >>> from tinybackprop import Network
    >>> net = Network([1, 1], output="identity", loss="squared_error")
    >>> net.W[1] = [[2.0]]
    >>> g = backward(net, [[1.0]], [[3.0]])
    >>> g.loss, g.W[1], g.b[1], g.x
    (0.5, [[-1.0]], [[-1.0]], [[-2.0]])
    """
    check_call(net, X, Y, "graph.backward")
    f, g = _backward(net, X, Y, True, True, "graph.backward")
    return check_gradients(g, f.a[net.L], "graph.backward")


def rows_that_fit(sizes: "Sequence[int]", loss: bool = False) -> int:
    """How many rows a graph of a network of layer widths ``sizes`` can take within ``MAX_NODES``
    (0: not even one).

    >>> rows_that_fit([2, 5000, 1]), node_count([2, 5000, 1], 10, loss=False)
    (10, 370031)
    """
    params = node_count(sizes, 0, loss)
    return max(0, (MAX_NODES - params) // (node_count(sizes, 1, loss) - params))


def _forward(net, X, op="train"):
    """:func:`forward` without the check of ``net`` and ``X``.  A batch whose graph would have
    more than ``MAX_NODES`` nodes goes forward in pieces that fit (a row's numbers do not depend
    on the other rows'), so that evaluating a network trained one row at a time is never refused
    after its steps; only a network too big for one row is refused."""
    fit = rows_that_fit(net.sizes)
    if len(X) > fit >= 1:
        parts = [_forward(net, X[start:start + fit], op) for start in range(0, len(X), fit)]
        return Forward([None] + [[row for f in parts for row in f.z[l]] for l in range(1, net.L + 1)],
                       [[row for f in parts for row in f.a[l]] for l in range(net.L + 1)])
    G = _build(net, X, None, op)
    f = Forward([None] + [_data(G.z[l]) for l in range(1, net.L + 1)], [_data(r) for r in G.a])
    for row in G.a[net.L]:
        for a in row:
            free(a)
    return f


def _backward(net, X, Y, input_grad, weight_grad, op="train"):
    """:func:`backward` without the check of ``net``, ``X`` and ``Y`` (the graph's size
    excepted): ``(f, g)``, the forward pass read off the same graph.  ``input_grad=False``
    leaves ``g.x`` None and ``weight_grad=False`` ``g.W[l]`` (the graph computes them anyway)."""
    G = _build(net, X, Y, op)
    G.loss.backward()
    L = net.L
    f = Forward([None] + [_data(G.z[l]) for l in range(1, L + 1)], [_data(r) for r in G.a])
    g_W = [None] + [_grads(G.W[l]) if weight_grad else None for l in range(1, L + 1)]
    g_b = [None] + [_grads(G.b[l]) for l in range(1, L + 1)]
    g_a = [_grads(G.a[l]) for l in range(L + 1)]
    g_z = [None] + [_grads(G.z[l]) for l in range(1, L + 1)]
    if not input_grad:
        g_a[0] = None
    g = Gradients(g_W, g_b, g_a, g_z, G.loss.data)
    free(G.loss)
    return f, g


def _short(node, depth):
    if node.name:
        return node.name
    if not node.parents:
        return "%.4g" % node.data
    return "(" + (_op_text(node, depth - 1) if depth > 0 else node.op) + ")"


def _op_text(node, depth):
    names = [_short(p, depth) for p, _ in node.parents]
    if len(names) == 2 and node.op in ("+", "-", "*", "/"):
        return "%s %s %s" % (names[0], node.op, names[1])
    if len(names) == 1:
        inner = names[0]
        return "%s(%s)" % (node.op, inner[1:-1] if inner.startswith("(") and inner.endswith(")") else inner)
    return "%s(%s)" % (node.op, ", ".join(names) if len(names) <= 3 else "%d inputs" % len(names))


def label(node: Value) -> str:
    """A short name for a node: its own name, else a number for a constant, else
    its operation on its parents' names, two levels deep (a long sum shows as
    ``((*) + (*)) + ...``).

    >>> x, w = Value(2.0, name="x"), Value(3.0, name="w")
    >>> label(w * x), label((w * x).exp()), label(w * x + 1), label(Value(1.5))
    ('w * x', 'exp(w * x)', '(w * x) + 1', '1.5')
    """
    if not isinstance(node, Value):
        raise BackpropError("label: node must be a Value, got %s" % show(node))
    if node.name or not node.parents:
        return _short(node, 0)
    return _op_text(node, 1)


def visits(root: Value) -> "List[Tuple[Value, List[Tuple[Value, float, float]]]]":
    """After ``root.backward()``: the nodes of its graph in the order ``backward``
    visits them (``root`` first), each as (node, [(parent, local derivative,
    local derivative * node.grad), ...]): what it adds to each parent's gradient.

    >>> x = Value(2.0, name="x"); y = x * x; y.backward()
    >>> [(label(n), [c for _, _, c in out]) for n, out in visits(y)]
    [('x * x', [2.0, 2.0]), ('x', [])]
    """
    order = topological(root)
    return [(n, [(p, d, d * n.grad) for p, d in n.parents]) for n in reversed(order)]
