"""Interleaved timing with medians, for comparisons measured in one process.

Every comparison hands ``compare`` a few candidates (name -> function of no
arguments).  Each candidate is first calibrated to a number of calls that takes
at least ``min_time`` seconds; then, for every repeat, each candidate is timed
once, in an order that rotates from repeat to repeat, so slow drifts of the
machine (other processes, frequency changes) hit all candidates alike.  The
result for a candidate is the median over repeats of the time per call; the
ratio of two candidates is the median over repeats of their paired ratios.

The garbage collector is off while a batch of calls is timed (as ``timeit``
does) and a collection runs between batches.

The clock is the process's CPU time (``time.process_time``): on a machine that
other programs share, the wall clock also counts the time they hold the CPU,
which no ordering or median removes.  For this single-threaded code the two
agree on an idle machine; ``use_wall_clock()`` switches (``--wall-clock``).
"""
import gc
import time

wall_clock = getattr(time, "perf_counter", time.time)
clock = getattr(time, "process_time", wall_clock)
CLOCK_NAME = "process CPU time" if clock is not wall_clock else "wall clock"


def use_wall_clock():
    global clock, CLOCK_NAME
    clock, CLOCK_NAME = wall_clock, "wall clock"


def median(values):
    v = sorted(values)
    n = len(v)
    if n == 0:
        return float("nan")
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


def time_calls(f, number, gc_off=True):
    """Seconds per call of f() over ``number`` calls (a collection first)."""
    gc.collect()
    was_on = gc.isenabled()
    if gc_off:
        gc.disable()
    try:
        t0 = clock()
        for _ in range(number):
            f()
        return (clock() - t0) / number
    finally:
        if was_on:
            gc.enable()


def calibrate(f, min_time, gc_off=True, max_number=1000000):
    """Smallest number of calls (1, 2, 5, 10, 20, ...) that takes >= min_time seconds."""
    f()  # warm up (and on PyPy, give the JIT a first look)
    number = 1
    steps = (1, 2, 5)
    k = 0
    while True:
        t = time_calls(f, number, gc_off) * number
        if t >= min_time or number >= max_number:
            return number
        k += 1
        number = steps[k % 3] * 10 ** (k // 3)


def _nothing():
    pass


class Comparison:
    """Per-call times of several candidates, measured interleaved."""

    def __init__(self, names, samples, numbers):
        self.names = names
        self.samples = samples  # name -> list of seconds per call, one per repeat
        self.numbers = numbers  # name -> calls per timing

    def time(self, name):
        """Median seconds per call."""
        return median(self.samples[name])

    def ratio(self, a, b):
        """Median over repeats of time(a) / time(b), paired repeat by repeat."""
        return median([x / y for x, y in zip(self.samples[a], self.samples[b])])

    def to_dict(self):
        return {"median_s": dict((n, self.time(n)) for n in self.names),
                "samples_s": self.samples, "calls_per_sample": self.numbers}


def compare(candidates, repeats=7, min_time=0.1, gc_off=True, warmup=0, setups=None):
    """Time ``candidates`` (a list of (name, function)) interleaved; return a Comparison.

    ``warmup`` extra untimed rounds first (useful on PyPy, whose JIT needs a
    while before the timings settle).  ``setups`` maps a name to a function
    run (untimed) before each of that candidate's batches, e.g. to switch an
    implementation on.
    """
    names = [n for n, _ in candidates]
    funcs = dict(candidates)
    setups = setups or {}
    numbers = {}
    for n in names:
        setups.get(n, _nothing)()
        numbers[n] = calibrate(funcs[n], min_time, gc_off)
    for _ in range(warmup):
        for n in names:
            setups.get(n, _nothing)()
            time_calls(funcs[n], numbers[n], gc_off)
    samples = dict((n, []) for n in names)
    for r in range(repeats):
        k = r % len(names)
        for n in names[k:] + names[:k]:  # rotate the order every repeat
            setups.get(n, _nothing)()
            samples[n].append(time_calls(funcs[n], numbers[n], gc_off))
    return Comparison(names, samples, numbers)
