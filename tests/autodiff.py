"""A tiny independent scalar reverse-mode autodiff, for tests only.

It knows nothing of tinybackprop: every scalar is a node that records its
parents and local derivatives, and ``backward`` applies the chain rule in
reverse topological order.  The tests build the same network out of these
scalars and compare the gradients with both of tinybackprop's paths.
"""
import math


class V:
    __slots__ = ("v", "parents", "g")

    def __init__(self, v, parents=()):
        self.v = float(v)
        self.parents = parents  # tuple of (node, local derivative)
        self.g = 0.0

    def __add__(self, o):
        o = o if isinstance(o, V) else V(o)
        return V(self.v + o.v, ((self, 1.0), (o, 1.0)))

    __radd__ = __add__

    def __sub__(self, o):
        o = o if isinstance(o, V) else V(o)
        return V(self.v - o.v, ((self, 1.0), (o, -1.0)))

    def __rsub__(self, o):
        return V(o) - self

    def __mul__(self, o):
        o = o if isinstance(o, V) else V(o)
        return V(self.v * o.v, ((self, o.v), (o, self.v)))

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = o if isinstance(o, V) else V(o)
        return V(self.v / o.v, ((self, 1.0 / o.v), (o, -self.v / (o.v * o.v))))

    def __neg__(self):
        return V(-self.v, ((self, -1.0),))


def exp(x):
    e = math.exp(x.v)
    return V(e, ((x, e),))


def log(x):
    return V(math.log(x.v), ((x, 1.0 / x.v),))


def tanh(x):
    t = math.tanh(x.v)
    return V(t, ((x, 1.0 - t * t),))


def sigmoid(x):
    s = 1.0 / (1.0 + math.exp(-x.v))
    return V(s, ((x, s * (1.0 - s)),))


def relu(x):
    return V(x.v if x.v > 0 else 0.0, ((x, 1.0 if x.v > 0 else 0.0),))


def softmax(row):
    top = max(x.v for x in row)
    e = [exp(x - top) for x in row]
    s = e[0]
    for t in e[1:]:
        s = s + t
    return [t / s for t in e]


def backward(root):
    order, seen = [], set()

    def visit(n):
        if id(n) in seen:
            return
        seen.add(id(n))
        for p, _ in n.parents:
            visit(p)
        order.append(n)

    visit(root)
    root.g = 1.0
    for n in reversed(order):
        for p, d in n.parents:
            p.g += d * n.g


ACT = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "identity": lambda x: x}


def gradients(sizes, W, b, X, Y, hidden, output, loss):
    """Mean-loss gradients of a row-vector network z = aW + b, by scalar autodiff.

    Returns (loss, gW, gb, gX) with gW[l], gb[l] for l = 1..L (index 0 None).
    """
    L = len(sizes) - 1
    Wv = [None] + [[[V(w) for w in row] for row in W[l]] for l in range(1, L + 1)]
    bv = [None] + [[V(x) for x in b[l][0]] for l in range(1, L + 1)]
    Xv = [[V(x) for x in row] for row in X]
    total = V(0.0)
    for r, x in enumerate(Xv):
        a = x
        for l in range(1, L + 1):
            z = []
            for j in range(sizes[l]):
                s = bv[l][j]
                for i in range(sizes[l - 1]):
                    s = s + a[i] * Wv[l][i][j]
                z.append(s)
            if l < L:
                a = [ACT[hidden](t) for t in z]
            elif output == "softmax":
                a = softmax(z)
            else:
                a = [ACT[output](t) for t in z]
        y = Y[r]
        ell = V(0.0)
        for k, yk in enumerate(y):
            if loss == "bce":
                ell = ell - ((1.0 - yk) * log(1.0 - a[k]) + yk * log(a[k]))
            elif loss == "cross_entropy":
                ell = ell - yk * log(a[k])
            else:
                d = yk - a[k]
                ell = ell + 0.5 * d * d
        total = total + ell
    mean = total / float(len(X))
    backward(mean)
    gW = [None] + [[[w.g for w in row] for row in Wv[l]] for l in range(1, L + 1)]
    gb = [None] + [[[x.g for x in bv[l]]] for l in range(1, L + 1)]
    gX = [[x.g for x in row] for row in Xv]
    return mean.v, gW, gb, gX
