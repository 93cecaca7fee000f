"""What the gradient check can promise on a board with 32-bit floats, measured on CPython.

    python portability/float32.py          -> the gradient-check table (docs/portability.md)
    python portability/float32.py probe    -> the whole probe (portability/probe.py) in binary32:
                                              exits 1 on an exception or a non-finite number

Many MicroPython boards (ESP8266, most STM32 and RP2040 builds) store floats in IEEE-754
binary32: about 7 significant digits, machine epsilon 2^-23 ~ 1.2e-7. This script runs
tinybackprop's gradient check with every arithmetic operation and every math-function result
rounded to binary32 (a float subclass, F32, whose operators round their double result; and a
`math` stand-in whose functions do the same), and prints, for several step sizes h, the worst
relative error between backpropagation and central differences, and between both paths.

The emulation rounds each +, -, *, / and each exp/log/tanh result to the nearest binary32,
which is what a binary32 machine with a correctly rounded libm does; a board's libm may be a
few ulp worse. It needs CPython (it patches module globals), not MicroPython.
"""
import math
import os
import struct
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import tinybackprop as tb
from tinybackprop import _compat, gradcheck, matrix


def r32(x):
    """The binary32 nearest to x (as a Python float); overflow gives inf."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(float("inf"), x)


class F32(float):
    """A float whose arithmetic is rounded to binary32 after every operation."""

    def __new__(cls, x):
        return float.__new__(cls, r32(float(x)))

    def __add__(a, b):
        return F32(float(a) + float(b))

    __radd__ = __add__

    def __sub__(a, b):
        return F32(float(a) - float(b))

    def __rsub__(a, b):
        return F32(float(b) - float(a))

    def __mul__(a, b):
        return F32(float(a) * float(b))

    __rmul__ = __mul__

    def __truediv__(a, b):
        return F32(float(a) / float(b))

    def __rtruediv__(a, b):
        return F32(float(b) / float(a))

    def __pow__(a, b):
        return F32(float(a) ** float(b))

    def __rpow__(a, b):
        return F32(float(b) ** float(a))

    def __neg__(a):
        return F32(-float(a))

    def __pos__(a):
        return a

    def __abs__(a):
        return F32(abs(float(a)))


def _f32_math():
    """A stand-in for the math module whose float results are rounded to binary32."""
    m = types.ModuleType("math_f32")
    for name in dir(math):
        f = getattr(math, name)
        if name.startswith("_"):
            continue
        if callable(f) and name not in ("isfinite", "isinf", "isnan", "floor", "ceil", "trunc", "copysign"):

            def wrap(f=f):
                def g(*args):
                    v = f(*[float(a) if isinstance(a, float) else a for a in args])
                    return F32(v) if isinstance(v, float) else v

                return g

            setattr(m, name, wrap())
        else:
            setattr(m, name, f)
    return m


class float32_arithmetic(object):
    """Context manager: inside it, the package's math calls round to binary32."""

    def __enter__(self):
        self.saved = []
        fm = _f32_math()
        for mod in list(sys.modules.values()):
            name = getattr(mod, "__name__", "")
            if name.startswith("tinybackprop") and getattr(mod, "math", None) is math:
                self.saved.append((mod, "math", math))
                mod.math = fm
        # network.py (weight assignment) and gradcheck.py (the copy of X) call float(): there it
        # must make an F32, or the first layer's products would run in double
        for mod in (tb.network, gradcheck):
            self.saved.append((mod, "float", None))
            mod.float = F32
        # the constants a binary32 build computes at import: machine epsilon 2^-23 and the
        # losses' clamps derived from it (losses.py), as binary32 numbers
        eps32 = F32(2.0 ** -23)
        for mod, attr, value in ((_compat, "EPSILON", eps32), (tb.losses, "EPS", F32(1e-15)),
                                 (tb.losses, "EPS_ONE", F32(max(1e-15, 4.0 * eps32)))):
            self.saved.append((mod, attr, getattr(mod, attr)))
            setattr(mod, attr, value)
        # a new Network's seeded weights, rounded to binary32 as a board stores them
        init = tb.Network.__init__

        def init32(net, *args, **kwargs):
            init(net, *args, **kwargs)
            for l in range(1, net.L + 1):
                if net._W._items[l] is None:  # from_dict fills them in from the file (then rounded by the file)
                    continue
                net._W._items[l] = to32(net._W._items[l])
                net._b._items[l] = to32(net._b._items[l])

        self.saved.append((tb.Network, "__init__", init))
        tb.Network.__init__ = init32
        self.saved.append((_compat, "log1p", _compat.log1p))
        _compat.log1p = fm.log1p
        self.saved.append((matrix, "_products", matrix._products))
        # math.sumprod would compute in double: every product and sum through F32 instead
        matrix._products = lambda A, cols: [[_compat.sumprod_py(row, col) for col in cols] for row in A]
        return self

    def __exit__(self, *exc):
        for mod, attr, value in reversed(self.saved):
            if value is None:
                delattr(mod, attr)
            else:
                setattr(mod, attr, value)
        return False


def to32(M):
    return [[F32(x) for x in row] for row in M]


def net32(net):
    n = net.copy()
    for l in range(1, n.L + 1):
        n.W[l] = to32(n.W[l])
        n.b[l] = to32(n.b[l])
    return n


CASES = [
    ([4, 3, 2, 1], "sigmoid", "sigmoid", "bce"),
    ([3, 4, 1], "sigmoid", "sigmoid", "squared_error"),
    ([4, 5, 3], "tanh", "softmax", "cross_entropy"),
    ([2, 3, 3, 1], "tanh", "identity", "squared_error"),
]
STEPS = [1e-6, 1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2]


def batch(n_in, n_out, output, m=4):
    """The probe's fixed batch (portability/probe.py), four examples of it."""
    from probe import inputs  # beside this file; sys.path[0] when run as a script

    return inputs(n_in, n_out, output, m)


def measure(single):
    """{h: (worst numeric error, worst paths error)} over CASES, in binary32 or in double."""
    out = {}
    for h in STEPS:
        worst_num = worst_paths = 0.0
        for sizes, hidden, output, loss in CASES:
            for seed in (0, 1, 2):
                net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=seed)
                X, Y = batch(sizes[0], sizes[-1], output)
                if single:
                    with float32_arithmetic():
                        r = gradcheck.check(net32(net), to32(X), to32(Y), h=F32(h), tol=1.0, paths_tol=1.0)
                else:
                    r = gradcheck.check(net, X, Y, h=h, tol=1.0, paths_tol=1.0)
                worst_num = max(worst_num, r.worst_numeric)
                worst_paths = max(worst_paths, r.worst_paths)
        out[h] = (worst_num, worst_paths)
    return out


def main():
    # the emulation really is binary32: 1 + 2^-24 rounds back to 1, 1 + 2^-23 does not
    assert F32(1.0) + 2.0 ** -24 == 1.0 and F32(1.0) + 2.0 ** -23 != 1.0
    with float32_arithmetic():
        assert type(tb.activations.sigmoid(F32(0.3))) is F32
        n = net32(tb.Network([2, 2, 1], seed=0))
        assert type(n.W[1][0][0]) is F32
        g = gradcheck.numerical_gradients(n, to32([[0.5, 0.25]]), to32([[1.0]]), h=F32(1e-2))
        assert type(g.W[1][0][0]) is F32 and type(g.x[0][0]) is F32
    assert not hasattr(tb.network, "float") and type(tb.Network([2, 1]).W[1][0][0]) is float
    d64, d32 = measure(False), measure(True)
    print("worst relative error over %d networks x 3 seeds (normwise per parameter, as gradcheck.compare)" % len(CASES))
    print("| h | binary64: numeric | binary64: both paths | binary32: numeric | binary32: both paths |")
    print("|---|---|---|---|---|")
    for h in STEPS:
        print("| %g | %.1e | %.1e | %.1e | %.1e |" % (h, d64[h][0], d64[h][1], d32[h][0], d32[h][1]))


def run_probe(binary32=True):
    """portability/probe.py's whole probe with binary32 arithmetic (binary64 with binary32=False),
    in a temporary directory: the probe saves a file.  Returns (values, notes) as probe.probe()
    does; raises what it raises."""
    import shutil
    import tempfile

    import probe

    old, tmp = os.getcwd(), tempfile.mkdtemp()
    try:
        os.chdir(tmp)
        if not binary32:
            return probe.probe()
        with float32_arithmetic():
            return probe.probe()
    finally:
        os.chdir(old)
        shutil.rmtree(tmp, ignore_errors=True)


def nonfinite(values):
    """Keys of probe values holding an inf or NaN where the reference interpreter has none
    (the probe's exp(+1000) and softplus/log-sigmoid of -1000 edge values are inf by design)."""
    bad = []
    for key, kind, data in values:
        if kind == "json":
            continue
        stack = [data]
        while stack:
            v = stack.pop()
            if isinstance(v, list):
                stack.extend(v)
            elif isinstance(v, str) and len(v) == 17 and v[0] == "f":
                x = struct.unpack("<d", bytes.fromhex(v[1:]))[0]
                if x != x or x in (float("inf"), float("-inf")):
                    bad.append(key)
                    break
    return bad


def main_probe():
    values, notes = run_probe()
    print("the probe ran in binary32: %d values" % len(values))
    bad = [k for k in nonfinite(values) if not k.startswith("edge/")]
    for k in bad:
        print("not finite: %s" % k)
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["probe"]:
        sys.exit(main_probe())
    main()
