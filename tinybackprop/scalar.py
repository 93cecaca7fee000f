"""A number that remembers how it was made: scalar reverse-mode automatic differentiation.

Every number is a :class:`Value` that keeps the numbers it was computed from (its
parents) and, for each, the local derivative d(this)/d(parent), computed beside the
forward value.  :meth:`Value.backward` walks the graph from the last number back to the
leaves in reverse topological order and applies the chain rule at every node,
[eq:graph.chain]: a node's gradient is the sum, over every node made from it, of that
node's local derivative times that node's gradient.  :mod:`tinybackprop.graph` builds a
network's forward pass out of these.
On the site: docs/graph.md#eq-graph-chain.

==============================  =====================================================
``Value(data)``                 a number that remembers how it was made: ``parents``
                                (each with its local derivative) and ``op``
``+ - * / **``, ``exp log``     the operations, each with its local derivatives;
``tanh sigmoid relu identity``  ``**`` only by a number
``v.backward()``                dL/d(node) into ``.grad`` of every node of v's graph,
                                without recursion (any depth)
``v.zero_grad()``               every ``.grad`` of v's graph back to 0
``topological(v)``              v's graph, each node after its parents
``free(v)``                     cut v's graph apart, so that a deep one is freed node
                                by node (Pyodide's C stack overflows otherwise)
==============================  =====================================================

>>> a = Value(3.0)
>>> (a * a + a).backward()
>>> a.grad
7.0
"""
import math

from .activations import sigmoid as _sigmoid
from ._compat import TYPE_CHECKING, exp as _exp
from .matrix import finite_number, isnumber
from .errors import BackpropError, show

if TYPE_CHECKING:
    from typing import List, Sequence, Tuple

_INF = float("inf")


def _as_value(x: "Value | float", op: str) -> "Value":
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

    def __init__(self, data: float, parents: "Sequence[Tuple[Value, float]]" = (), op: str = "", name: str = "") -> None:
        if type(data) is not float:
            if not isnumber(data):
                raise BackpropError("Value: data must be a number, got %s" % show(data))
            try:
                data = float(data)
            except OverflowError:  # an int beyond the float range
                raise BackpropError("Value: data must be a number within the float range (about 1.8e308), got %s"
                                    % show(data))
        if (type(parents) is not tuple and type(parents) is not list) or type(op) is not str or type(name) is not str:
            if name is None:
                name = ""
            if type(parents) is not tuple and type(parents) is not list:
                raise BackpropError("Value: parents must be a tuple of pairs (Value, local derivative), got %s"
                                    % show(parents))
            if type(op) is not str or type(name) is not str:
                raise BackpropError("Value: op and name must be text, got %s and %s" % (show(op), show(name)))
        self.data = data
        self.grad = 0.0
        self.parents = parents
        self.op = op
        self.name = name

    def __repr__(self) -> str:
        return "Value(data=%r, grad=%r%s)" % (self.data, self.grad, ", name=%r" % self.name if self.name else "")

    # -- the operations: each forward value with its local derivatives beside it
    def __add__(self, other: "Value | float") -> "Value":
        """u + v; d/du = 1, d/dv = 1: the gradient passes on unchanged to both.

        >>> (Value(1.0) + 2).data
        3.0
        """
        other = _as_value(other, "+")
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)), "+")

    def __radd__(self, other: float) -> "Value":
        return _as_value(other, "+") + self

    def __mul__(self, other: "Value | float") -> "Value":
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

    def __rmul__(self, other: float) -> "Value":
        return _as_value(other, "*") * self

    def __neg__(self) -> "Value":
        """-u; d/du = -1.

        >>> (-Value(2.0)).data
        -2.0
        """
        return Value(-self.data, ((self, -1.0),), "neg")

    def __sub__(self, other: "Value | float") -> "Value":
        """u - v; d/du = 1, d/dv = -1.

        >>> (Value(1.0) - 3).data
        -2.0
        """
        other = _as_value(other, "-")
        return Value(self.data - other.data, ((self, 1.0), (other, -1.0)), "-")

    def __rsub__(self, other: float) -> "Value":
        return _as_value(other, "-") - self

    def __truediv__(self, other: "Value | float") -> "Value":
        """u / v; d/du = 1/v, d/dv = -u/v^2.

        >>> q = Value(1.0) / Value(4.0)
        >>> q.data, [d for _, d in q.parents]
        (0.25, [0.25, -0.0625])
        """
        other = _as_value(other, "/")
        v = other.data
        if v == 0.0:
            raise BackpropError("Value /: division by zero (%r / 0.0)" % self.data)
        q = self.data / v  # (inf where it overflows, as * and exp give)
        return Value(q, ((self, 1.0 / v), (other, -q / v)), "/")  # -u/v^2 as -(u/v)/v: v^2 would underflow to 0

    def __rtruediv__(self, other: float) -> "Value":
        return _as_value(other, "/") / self

    def __pow__(self, k: float) -> "Value":
        """u ** k for a finite number k; d/du = k u^(k-1).  A result beyond the float
        range is an infinity, as for * and exp.

        >>> s = Value(3.0) ** 2
        >>> s.data, s.parents[0][1]
        (9.0, 6.0)
        >>> (Value(1e308) ** 2).data
        inf
        """
        if isinstance(k, Value) or not finite_number(k):
            raise BackpropError("Value **: the power must be a finite number (int or float), got %s" % show(k))
        u = self.data
        try:
            out, d = _power(u, k), (1.0 if k == 0 else _power(u, k - 1))
            local = None if d is None else (0.0 if k == 0 else k * d)
        except ZeroDivisionError:
            raise BackpropError("Value **: %r ** %r is infinite at 0.0 (%s)"
                                % (u, k, "a division by zero" if k < 0 else "its derivative, %r u^%r" % (k, k - 1)))
        if isinstance(out, complex) or isinstance(local, complex) or out is None or local is None:
            raise BackpropError("Value **: %r ** %r is not a real number" % (u, k))
        return Value(out, ((self, float(local)),), "**%s" % (k,))

    def exp(self) -> "Value":
        """e^u; d/du = e^u.

        >>> Value(0.0).exp().parents[0][1]
        1.0
        """
        e = _exp(self.data)
        return Value(e, ((self, e),), "exp")

    def log(self) -> "Value":
        """log u for u > 0; d/du = 1/u.

        >>> Value(2.0).log().parents[0][1]
        0.5
        """
        if not self.data > 0.0:
            raise BackpropError("Value log: log(%r) is not defined; the argument must be > 0" % self.data)
        return Value(math.log(self.data), ((self, 1.0 / self.data),), "log")

    def tanh(self) -> "Value":
        """tanh u; d/du = 1 - tanh^2 u.

        >>> Value(0.0).tanh().parents[0][1]
        1.0
        """
        t = math.tanh(self.data)
        return Value(t, ((self, 1.0 - t * t),), "tanh")  # [eq:act.tanh.d]

    def sigmoid(self) -> "Value":
        """sigma(u) = 1 / (1 + e^-u); d/du = sigma (1 - sigma).

        >>> Value(0.0).sigmoid().parents[0][1]
        0.25
        """
        s = _sigmoid(self.data)
        return Value(s, ((self, s * (1.0 - s)),), "sigmoid")  # [eq:act.sigmoid.d]

    def relu(self) -> "Value":
        """max(0, u); d/du = 1 for u > 0, else 0.

        >>> Value(-2.0).relu().parents[0][1], Value(2.0).relu().parents[0][1]
        (0.0, 1.0)
        """
        return Value(self.data if self.data > 0.0 else 0.0,
                     ((self, 1.0 if self.data > 0.0 else 0.0),), "relu")  # [eq:act.relu.d]

    def identity(self) -> "Value":
        """u itself, as a node of its own; d/du = 1.

        >>> Value(2.0).identity().data
        2.0
        """
        return Value(self.data, ((self, 1.0),), "identity")  # [eq:act.identity.d]

    # -- backward
    def backward(self) -> None:
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
        try:
            for k in range(len(order) - 1, -1, -1):  # the root first, the leaves last
                node = order[k]
                grad = node.grad
                for parent, local in node.parents:
                    parent.grad += local * grad  # [eq:graph.chain]
        except (ArithmeticError, TypeError, ValueError):  # a pair made by hand: its derivative is no float
            raise BackpropError("Value.backward: every local derivative must be a number within the float range; "
                                "node %s has parents %s" % (show(node.name or node.op), show(node.parents)))

    def zero_grad(self) -> None:
        """Set ``grad`` of every node of this Value's graph to 0.

        >>> a = Value(3.0); y = a * a; y.backward(); y.zero_grad(); a.grad
        0.0
        """
        for node in topological(self):
            node.grad = 0.0


def _power(x, k):
    """x ** k for a float x and a finite k; the infinity it overflows to (float ** raises
    OverflowError where * and exp give inf); None for a negative x and a k that is not whole."""
    try:
        return x ** k
    except OverflowError:
        whole = k == int(k)
        if x < 0 and not whole:
            return None
        return -_INF if x < 0 and int(k) % 2 else _INF


def topological(root: Value) -> "List[Value]":
    """The nodes of ``root``'s graph, each after all its parents (``root`` last),
    found by a depth-first search with a list as its stack: no recursion, so a
    graph of any depth works.

    >>> a = Value(1.0, name="a"); b = a * 2.0; c = b + a
    >>> [n.name or n.op for n in topological(c)]
    ['a', '', '*', '+']
    """
    if not isinstance(root, Value):
        raise BackpropError("Value: the root of a graph must be a Value, got %s" % show(root))
    order, seen = [], set()
    stack = [(root, False)]
    try:
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
    except (AttributeError, IndexError, KeyError, TypeError):  # parents changed by hand into something else
        raise BackpropError("Value: every node's parents must be pairs (Value, local derivative); a node has %s"
                            % show(parents))
    return order


def free(root: Value) -> None:
    """Cut every node of ``root``'s graph from its parents (they keep ``data``
    and ``grad``), without recursion.  A graph is freed when the last reference
    to its root goes; freeing a chain thousands of nodes deep frees each node
    from inside the one before, in the interpreter's C code, and on Pyodide
    (CPython in WebAssembly, with a small C stack) that overflows the stack and
    stops the interpreter.  Cut apart, the nodes are freed one by one.

    >>> a = Value(2.0); y = a * a; y.backward(); free(y)
    >>> y.parents, y.grad, a.grad
    ((), 1.0, 4.0)
    """
    for node in topological(root):
        node.parents = ()
