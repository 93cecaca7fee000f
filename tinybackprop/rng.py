"""A small seeded random generator that gives the same numbers on every interpreter.

``random`` streams differ between CPython, PyPy and MicroPython, so the package
brings its own: xoshiro128** (Blackman and Vigna), seeded by splitmix32, using
only 32-bit integer operations and exact float arithmetic.

=================  ============================================
``Random(seed)``   a generator; same seed, same stream everywhere
``.random()``      float in [0, 1) with 53 random bits
``.uniform(a, b)`` float in [a, b)
``.gauss(mu, s)``  normal with mean mu and standard deviation s
``ln(x)``          the natural logarithm of 0 < x < 1, the same bits everywhere
``.randbelow(n)``  int in [0, n)
``.shuffle(x)``    shuffles a list in place (Fisher-Yates)
=================  ============================================

>>> r = Random(0)
>>> r.random() == Random(0).random()
True
"""
import math

from .errors import BackpropError, show
from .matrix import finite_number, isint, isnumber
from ._compat import EPSILON, TYPE_CHECKING, isfinite

if TYPE_CHECKING:
    from typing import Any, List

_M = 0xFFFFFFFF
_LN2 = 0.6931471805599453
_SQRT_HALF = 0.7071067811865476


def ln(x: float) -> float:
    """ln x for 0 < x < 1 with nothing but + - * / (math.log comes from each
    interpreter's C library and may differ in the last bit): x = m 2^e with m in
    [sqrt(1/2), sqrt(2)), then ln m = 2 atanh(t), t = (m - 1)/(m + 1), by its series.

    >>> abs(ln(0.3) - math.log(0.3)) < 1e-15
    True
    """
    e = 0
    while x < _SQRT_HALF:  # doubling is exact
        x *= 2.0
        e -= 1
    t = (x - 1.0) / (x + 1.0)  # |t| <= 0.172, so t^26/27 is below 1e-20
    t2 = t * t
    p = 0.0
    for k in range(25, 0, -2):  # 1/25 + ... : Horner's rule, highest term first
        p = p * t2 + 1.0 / k
    return e * _LN2 + 2.0 * t * p


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & _M


class Random:
    """Seeded generator; ``seed`` is any int (reduced modulo 2**64).

    >>> Random(42).randbelow(10) in range(10)
    True
    """

    def __init__(self, seed: int = 0) -> None:
        if not isint(seed):
            raise BackpropError("Random: seed must be an int, got %s" % show(seed))
        state = seed % 18446744073709551616  # splitmix32 over both halves
        s = []
        x = state & _M
        for k in range(4):
            if k == 2:
                x = (x ^ (state >> 32)) & _M
            x = (x + 0x9E3779B9) & _M
            z = x
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & _M
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & _M
            s.append(z ^ (z >> 16))
        if s == [0, 0, 0, 0]:
            s[0] = 1
        self._s = s

    def next32(self) -> int:
        """Next 32-bit unsigned integer of the stream.

        >>> 0 <= Random(1).next32() < 2**32
        True
        """
        s0, s1, s2, s3 = self._s
        result = (_rotl((s1 * 5) & _M, 7) * 9) & _M
        t = (s1 << 9) & _M
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 11)
        self._s = [s0, s1, s2, s3]
        return result

    def random(self) -> float:
        """Float in [0, 1) built from 53 random bits (exact on every interpreter).

        >>> 0.0 <= Random(3).random() < 1.0
        True
        """
        a = self.next32() >> 5  # 27 bits
        b = self.next32() >> 6  # 26 bits
        u = (a * 67108864.0 + b) / 9007199254740992.0
        # exact with binary64 floats; with binary32 (a board's) 53 bits round to 24 and can
        # round up to 1.0: then the largest float below 1 instead
        return u if u < 1.0 else 1.0 - EPSILON / 2.0

    def uniform(self, a: float, b: float) -> float:
        """Float in [a, b).

        >>> -1.0 <= Random(3).uniform(-1.0, 1.0) < 1.0
        True
        """
        ok = False
        if isnumber(a) and isnumber(b):
            try:
                ok = isfinite(float(b) - float(a))
            except OverflowError:  # an int beyond the float range
                pass
        if not ok:
            raise BackpropError("uniform: a and b must be numbers with a finite difference b - a, got %s and %s"
                                % (show(a), show(b)))
        return a + (b - a) * self.random()

    def gauss(self, mu: float = 0.0, sigma: float = 1.0) -> float:
        """A normal draw with mean ``mu`` and standard deviation ``sigma``
        (Marsaglia's polar method; its logarithm is the package's own, so the
        numbers are the same on every interpreter).

        >>> r = Random(0); xs = [r.gauss() for _ in range(2000)]
        >>> abs(sum(xs) / 2000) < 0.1, abs(sum(x * x for x in xs) / 2000 - 1) < 0.1
        (True, True)
        """
        if not (finite_number(mu) and finite_number(sigma)):
            raise BackpropError("gauss: mu and sigma must be finite numbers, got %s and %s" % (show(mu), show(sigma)))
        while True:  # a point in the unit disc, not at its centre (4 in pi of the draws)
            u = 2.0 * self.random() - 1.0
            v = 2.0 * self.random() - 1.0
            s = u * u + v * v
            if 0.0 < s < 1.0:
                break
        return mu + sigma * (u * math.sqrt(-2.0 * ln(s) / s))

    def randbelow(self, n: int) -> int:
        """Int in [0, n) for n >= 1.

        >>> Random(5).randbelow(1)
        0
        """
        if not isint(n) or n < 1:
            raise BackpropError("randbelow: n must be an int >= 1, got %s" % show(n))
        return self._below(n)

    def _below(self, n):
        """randbelow(n) for an n already known to be an int >= 1."""
        k = int(self.random() * n)
        return k if k < n else n - 1

    def shuffle(self, x: "List[Any]") -> None:
        """Shuffle list ``x`` in place (Fisher-Yates) and return None.

        >>> items = [1, 2, 3, 4]
        >>> Random(0).shuffle(items)
        >>> sorted(items)
        [1, 2, 3, 4]
        """
        if not isinstance(x, list):
            raise BackpropError("shuffle: x must be a list (it is shuffled in place), got %s" % type(x).__name__)
        below = self._below  # i + 1 is an int >= 2: randbelow's check is not needed
        for i in range(len(x) - 1, 0, -1):
            j = below(i + 1)
            x[i], x[j] = x[j], x[i]
