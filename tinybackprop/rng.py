"""A small seeded random generator that gives the same numbers on every interpreter.

``random`` streams differ between CPython, PyPy and MicroPython, so the package
brings its own: xoshiro128** (Blackman and Vigna), seeded by splitmix32, using
only 32-bit integer operations and exact float arithmetic.  Each 32-bit word of
the state is kept as two 16-bit halves, so that no number the generator computes
after seeding exceeds 2^26: on a 32-bit MicroPython, whose small integers stop at
2^30, a 32-bit word would be a long integer on the heap at every operation (some
1.5 kB of garbage per draw, which fragments a board's heap).

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


_H = 0xFFFF  # one 16-bit half of a 32-bit word


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
        # the words s0..s3 as halves [h0, l0, h1, l1, h2, l2, h3, l3], updated in place
        self._s = [v for w in s for v in (w >> 16, w & _H)]

    def _next(self):
        """The next 32-bit output as its halves (high, low): xoshiro128**, result
        rotl(s1 * 5, 7) * 9, then the state's xors, shift and rotation, on 16-bit halves."""
        st = self._s
        h0, l0, h1, l1, h2, l2, h3, l3 = st
        l = l1 * 5  # s1 * 5: the low half's carry goes to the high half
        h = (h1 * 5 + (l >> 16)) & _H
        l &= _H
        rh, rl = ((h << 7) | (l >> 9)) & _H, ((l << 7) | (h >> 9)) & _H  # rotl(., 7)
        l = rl * 9  # * 9
        rh = (rh * 9 + (l >> 16)) & _H
        rl = l & _H
        th, tl = ((h1 << 9) | (l1 >> 7)) & _H, (l1 << 9) & _H  # t = s1 << 9
        h2 ^= h0
        l2 ^= l0
        h3 ^= h1
        l3 ^= l1
        st[2] = h1 ^ h2
        st[3] = l1 ^ l2
        st[0] = h0 ^ h3
        st[1] = l0 ^ l3
        st[4] = h2 ^ th
        st[5] = l2 ^ tl
        st[6] = ((h3 << 11) | (l3 >> 5)) & _H  # rotl(s3, 11)
        st[7] = ((l3 << 11) | (h3 >> 5)) & _H
        return rh, rl

    def next32(self) -> int:
        """Next 32-bit unsigned integer of the stream.

        >>> 0 <= Random(1).next32() < 2**32
        True
        """
        h, l = self._next()
        return (h << 16) | l

    def random(self) -> float:
        """Float in [0, 1) built from 53 random bits (exact on every interpreter).

        >>> 0.0 <= Random(3).random() < 1.0
        True
        """
        h, l = self._next()
        a = (h << 11) | (l >> 5)  # the top 27 bits of a word
        h, l = self._next()
        b = (h << 10) | (l >> 6)  # the top 26 bits of the next
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
        random = self.random  # j = randbelow(i + 1), written out: i + 1 is an int >= 2, no check needed
        for i in range(len(x) - 1, 0, -1):
            j = int(random() * (i + 1))
            if j > i:
                j = i
            x[i], x[j] = x[j], x[i]
