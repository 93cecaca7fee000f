"""The package's own generator: deterministic, spread, and used for the weights."""
import pytest

import tinybackprop as tb
from tinybackprop.rng import Random

M = 0xFFFFFFFF


def reference_xoshiro128ss(state, n):
    """xoshiro128** written out from its published description, independently."""
    s = list(state)
    out = []
    for _ in range(n):
        r = (((s[1] * 5) & M) << 7 | ((s[1] * 5) & M) >> 25) & M
        out.append((r * 9) & M)
        t = (s[1] << 9) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = ((s[3] << 11) | (s[3] >> 21)) & M
    return out


def reference_seed(seed):
    """splitmix32 over the two 32-bit halves of the seed (mod 2**64), as rng.py documents it."""
    state, s, x = seed % 2 ** 64, [], seed % 2 ** 64 & M
    for k in range(4):
        if k == 2:
            x = (x ^ (state >> 32)) & M
        x = (x + 0x9E3779B9) & M
        z = ((x ^ (x >> 16)) * 0x85EBCA6B) & M
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M
        s.append(z ^ (z >> 16))
    return s if s != [0, 0, 0, 0] else [1, 0, 0, 0]


def test_stream_is_xoshiro128starstar():
    for seed in (0, 123, 2 ** 40 + 7, -5):
        r = Random(seed)
        assert [r.next32() for _ in range(50)] == reference_xoshiro128ss(reference_seed(seed), 50), seed


def test_same_seed_same_stream_different_seed_different_stream():
    a, b, c = Random(7), Random(7), Random(8)
    xs = [a.random() for _ in range(100)]
    assert xs == [b.random() for _ in range(100)]
    assert xs != [c.random() for _ in range(100)]


def test_uniform_spread():
    r = Random(1)
    xs = [r.random() for _ in range(20000)]
    assert all(0.0 <= x < 1.0 for x in xs)
    assert abs(sum(xs) / len(xs) - 0.5) < 0.01
    counts = [0] * 10
    for x in xs:
        counts[int(x * 10)] += 1
    assert min(counts) > 1800 and max(counts) < 2200


def test_shuffle_is_a_permutation_and_seeded():
    a, b = list(range(50)), list(range(50))
    Random(3).shuffle(a)
    Random(3).shuffle(b)
    assert a == b and sorted(a) == list(range(50)) and a != list(range(50))


def test_bad_seed_refused():
    with pytest.raises(tb.BackpropError, match="seed must be an int"):
        Random("7")
    with pytest.raises(tb.BackpropError, match="seed must be an int"):
        tb.Network([2, 1], seed=1.5)
