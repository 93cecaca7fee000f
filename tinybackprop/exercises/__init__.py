"""Check a learner's own code for one equation against the package.

The course pages end with exercises; some ask you to write the function for
one equation in a file of your own and check it:
``tinybackprop exercise NAME FILE.py``.  The checker calls your function on
random inputs (random shapes, random numbers, a fixed seed) and compares what
it returns with what the package computes.  It prints ``pass``, or the first
wrong entry with both values.  Exit status: 0 pass, 1 wrong, 2 misuse (no such
exercise, no such file, the function missing).

=========================  ==============================================================
``EXERCISES``              name -> the function to write, its equation and where it is
``grade(name, func)``      compare ``func`` with the package: a :class:`Result`
``grade_file(name, path)`` the same for the function of that name in a Python file,
                           run in a separate Python process with a time limit
=========================  ==============================================================

``grade_file`` (and so ``tinybackprop exercise``) runs your file in a Python
process of its own: it gets the random inputs, calls your function and sends
back what it returned; the comparison happens here, entry by entry, and a pass
needs every entry of every trial compared.  The process is stopped after
``TIMEOUT`` seconds (10; ``--timeout``) and may use about ``MEMORY_MB`` (120) MB
more than Python itself; an endless loop, ``sys.exit()``, a crash or a
MemoryError is a wrong answer with its reason (exit 1), never a pass, and at
the top level of your file it means the file cannot be run (exit 2).  Your code
cannot start a process or a thread there (on Linux: a fork fails with
PermissionError), so nothing it starts outlives the check, and no ``__pycache__``
is written beside your file.  What your code prints is not shown.  FILE must be a ``.py`` file of at most 1 MiB;
``--trials`` is at most ``MAX_TRIALS`` (10,000).

The exercises (every matrix is a list of rows, as everywhere in the package):

=============  ====================================  ===========================================
name           write                                 returns
=============  ====================================  ===========================================
``sigmoid_d``  ``sigmoid_d(z)``                      sigma'(z) for one number z
``tanh_gz``    ``tanh_gz(z, g_a)``                   g^[lz] = tanh'(z^[l]) o g^[la]  (m x n)
``g_W``        ``g_W(a_prev, g_z)``                  g^[lW] = (a^[l-1])^T g^[lz]  (n_{l-1} x n_l)
``g_a_prev``   ``g_a_prev(g_z, W)``                  g^[l-1,a] = g^[lz] (W^[l])^T  (m x n_{l-1})
``softmax_gz`` ``softmax_gz(z, y)``                  g^[Lz] = softmax(z) - y, one row per example
``adam_step``  ``adam_step(W, g, m, v, t, lr, b1,    [W, m, v] after Adam's step t (bias-corrected),
               b2, eps)``                            PyTorch's arithmetic (optimizers.Adam)
``value_mul``  ``value_mul(u, v)``, u and v Values   the Value u v with its parents and local
                                                     derivatives (scalar.Value.__mul__); checked
                                                     by its value and, after its backward,
                                                     u.grad and v.grad (v may be u itself)
=============  ====================================  ===========================================

>>> def g_W(a_prev, g_z):   # a right solution: every input times every neuron's gradient
...     return [[sum(a[i] * g[j] for a, g in zip(a_prev, g_z)) for j in range(len(g_z[0]))]
...             for i in range(len(a_prev[0]))]
>>> grade("g_W", g_W).ok
True
>>> def wrong(a_prev, g_z):  # forgets to sum over the batch: keeps the first example only
...     return [[a_prev[0][i] * g_z[0][j] for j in range(len(g_z[0]))] for i in range(len(a_prev[0]))]
>>> print(grade("g_W", wrong, trials=3).message)  # doctest: +ELLIPSIS
wrong: g_W(a_prev, g_z) on trial 1 (3x1 matrix, 3x1 matrix): entry [0][0] is -0.006884706824 but the package gives 0.2875251172
  expected: g^[lW] = (a^[l-1])^T g^[lz], summed over the batch rows
"""
from ..activations import sigmoid, sigmoid_d, softmax, tanh, tanh_d
from ..errors import BackpropError, show
from ..matrix import hadamard, matmul, subtract, transpose
from ..rng import Random


#: Seconds the learner's file may run in all (loading it and every trial): ``--timeout``.
TIMEOUT = 10.0
#: Memory (MB) the learner's process may take beyond what Python itself takes at start.
MEMORY_MB = 120
#: The most trials one check runs, and the largest FILE.py read.
MAX_TRIALS = 10000
MAX_SOURCE_BYTES = 2 ** 20


def _rand_matrix(rng, m, n, lo=-2.0, hi=2.0):
    return [[rng.uniform(lo, hi) for _ in range(n)] for _ in range(m)]


def _one_hot(rng, m, n):
    rows = []
    for _ in range(m):
        k = rng.randbelow(n)
        rows.append([1.0 if j == k else 0.0 for j in range(n)])
    return rows


def _ref_tanh_gz(z, g_a):
    d = [[tanh_d(v, tanh(v)) for v in row] for row in z]
    return hadamard(d, g_a)


def _ref_softmax_gz(z, y):
    return subtract([softmax(row) for row in z], y)


def _ref_adam_step(W, g, m, v, t, lr, b1, b2, eps):
    from ..optimizers import Adam
    opt = Adam(lr, betas=(b1, b2), eps=eps)
    W, m, v = [list(r) for r in W], [list(r) for r in m], [list(r) for r in v]
    opt.steps = t
    opt.per_element(W, g, {"exp_avg": m, "exp_avg_sq": v}, lr)
    return [W, m, v]


def _inputs_adam_step(rng):
    n_prev, n, t = 1 + rng.randbelow(4), 1 + rng.randbelow(4), 1 + rng.randbelow(5)
    m = _rand_matrix(rng, n_prev, n, -0.5, 0.5) if t > 1 else [[0.0] * n for _ in range(n_prev)]
    v = _rand_matrix(rng, n_prev, n, 0.0, 0.5) if t > 1 else [[0.0] * n for _ in range(n_prev)]
    return (_rand_matrix(rng, n_prev, n), _rand_matrix(rng, n_prev, n), m, v, t,
            rng.uniform(0.001, 0.1), rng.uniform(0.5, 0.95), rng.uniform(0.9, 0.9999), 1e-8)


def _inputs_sigmoid_d(rng):
    return (rng.uniform(-6.0, 6.0),)


def _inputs_tanh_gz(rng):
    m, n = 1 + rng.randbelow(3), 1 + rng.randbelow(4)
    return _rand_matrix(rng, m, n), _rand_matrix(rng, m, n)


def _inputs_g_W(rng):
    m, n_prev, n = 1 + rng.randbelow(3), 1 + rng.randbelow(4), 1 + rng.randbelow(4)
    return _rand_matrix(rng, m, n_prev, 0.0, 1.0), _rand_matrix(rng, m, n)


def _inputs_g_a_prev(rng):
    m, n_prev, n = 1 + rng.randbelow(3), 1 + rng.randbelow(4), 1 + rng.randbelow(4)
    return _rand_matrix(rng, m, n), _rand_matrix(rng, n_prev, n)


def _inputs_softmax_gz(rng):
    m, n = 1 + rng.randbelow(3), 2 + rng.randbelow(3)
    return _rand_matrix(rng, m, n, -3.0, 3.0), _one_hot(rng, m, n)


def _inputs_value_mul(rng):
    u = rng.uniform(-3.0, 3.0)
    return (u, u) if rng.randbelow(4) == 0 else (u, rng.uniform(-3.0, 3.0))  # now and then u times u


def _ref_value_mul(u, v):
    return [u * v, v, u] if u != v else [u * u, 2.0 * u, 2.0 * u]


def _through_values(func):
    """The learner's value_mul, called on Values: returns [p.data, u.grad, v.grad] after p.backward()."""
    from ..scalar import Value

    def run(u, v):
        U = Value(u, name="u")
        V = U if v == u else Value(v, name="v")
        p = func(U, V)
        if not isinstance(p, Value):
            return p  # not a Value: the comparison says what it is
        p.backward()
        return [p.data, U.grad, V.grad]
    return run


#: Exercises whose function is not called on lists of numbers: what makes it one that is
ADAPTERS = {"value_mul": _through_values}

#: name -> (signature, what it computes, the page it belongs to, reference, inputs)
EXERCISES = {
    "sigmoid_d": ("sigmoid_d(z)", "sigma'(z) = sigma(z) (1 - sigma(z)) for one number z", "forward.md",
                  lambda z: sigmoid_d(z, sigmoid(z)), _inputs_sigmoid_d),
    "tanh_gz": ("tanh_gz(z, g_a)", "g^[lz] = tanh'(z^[l]) o g^[la], element by element", "backward-matrix.md",
                _ref_tanh_gz, _inputs_tanh_gz),
    "g_W": ("g_W(a_prev, g_z)", "g^[lW] = (a^[l-1])^T g^[lz], summed over the batch rows",
            "backward-matrix.md", lambda a_prev, g_z: matmul(transpose(a_prev), g_z), _inputs_g_W),
    "g_a_prev": ("g_a_prev(g_z, W)", "g^[l-1,a] = g^[lz] (W^[l])^T", "backward-neuron.md",
                 lambda g_z, W: matmul(g_z, transpose(W)), _inputs_g_a_prev),
    "softmax_gz": ("softmax_gz(z, y)", "g^[Lz] = softmax(z^[L]) - y for a softmax output with cross entropy",
                   "losses.md", _ref_softmax_gz, _inputs_softmax_gz),
    "adam_step": ("adam_step(W, g, m, v, t, lr, b1, b2, eps)",
                  "[W, m, v] after Adam's step t: m <- b1 m + (1 - b1) g, v <- b2 v + (1 - b2) g^2, "
                  "W <- W - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)",
                  "optimizers.md", _ref_adam_step, _inputs_adam_step),
    "value_mul": ("value_mul(u, v)", "Value(u.data * v.data, ((u, v.data), (v, u.data)), '*'): the product, "
                  "then [its data, u.grad, v.grad] after its backward", "graph.md", _ref_value_mul,
                  _inputs_value_mul),
}


class Result:
    """What :func:`grade` found: ``ok`` (bool) and ``message`` (one or two lines).

    >>> Result(True, "pass").ok
    True
    """

    def __init__(self, ok, message):
        self.ok = ok
        self.message = message

    def __repr__(self):
        return "Result(ok=%r, message=%r)" % (self.ok, self.message)


def _kind(v):
    return getattr(v, "kind", None) or type(v).__name__


def _show(v):
    if isinstance(v, float):
        return "%.10g" % v
    return show(v)


def _short(args):
    parts = []
    for a in args:
        if isinstance(a, list) and a and isinstance(a[0], list):
            parts.append("%dx%d matrix" % (len(a), len(a[0])))
        else:
            parts.append(_show(a))
    return ", ".join(parts)


def _close(got, want):
    return abs(got - want) <= 1e-9 * max(1.0, abs(want))


def _first_difference(got, want, where=""):
    """None if ``got`` matches ``want`` (numbers, or nested lists of them), else a description."""
    if isinstance(want, list):
        if not isinstance(got, (list, tuple)):
            return "%s is %s, not a list" % ("the result" + where, _kind(got))
        if len(got) != len(want):
            return "%s has %d %s, the package's has %d" % (
                "the result" + where, len(got), "rows" if not where else "entries", len(want))
        for k, (g, w) in enumerate(zip(got, want)):
            d = _first_difference(g, w, where + "[%d]" % k)
            if d:
                return d
        return None
    label = ("entry " + where) if where else "the result"
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        return "%s is %s, not a number" % (label, show(got))
    try:
        value = float(got)
    except OverflowError:  # an int beyond the float range
        return "%s is an int of %d digits, too large for a float" % (label, len(str(abs(got)))
                                                                      if got.bit_length() < 10000 else 3011)
    if value != value or not _close(value, want):
        return "%s is %s but the package gives %s" % (label, _show(value), _show(want))
    return None


def grade(name, func, trials=20, seed=0):
    """Call ``func`` on ``trials`` random inputs and compare with the package.

    Returns a :class:`Result`.  Raises :class:`BackpropError` for an unknown
    ``name``, a ``func`` that is not callable, ``trials`` beyond 1..MAX_TRIALS.

    >>> grade("sigmoid_d", lambda z: 0.25).ok
    False
    """
    if not isinstance(name, str) or name not in EXERCISES:
        raise BackpropError("exercise: no exercise named %s; there are: %s" % (show(name), ", ".join(sorted(EXERCISES))))
    if not callable(func):
        raise BackpropError("exercise: func must be your function %s, got %s" % (EXERCISES[name][0], show(func)))
    _check_runs(trials, seed)
    signature, what, _page, reference, inputs = EXERCISES[name]
    if name in ADAPTERS:
        func = ADAPTERS[name](func)
    rng = Random(seed)
    for t in range(1, trials + 1):
        args = inputs(rng)
        want = reference(*args)
        copies = [[list(r) for r in a] if isinstance(a, list) else a for a in args]
        try:
            got = func(*copies)
        except (Exception, SystemExit) as e:  # noqa: BLE001 - the learner's code failed: say where, keep going no further
            return Result(False, "wrong: %s raised %s: %s on trial %d (%s)"
                          % (signature, type(e).__name__, _one_line(e), t, _short(args)))
        diff = _first_difference(got, want)
        if diff:
            return Result(False, "wrong: %s on trial %d (%s): %s\n  expected: %s"
                          % (signature, t, _short(args), diff, what))
    return Result(True, "pass: %s agrees with the package on %d random inputs (%s)" % (signature, trials, what))


def _one_line(e):
    try:
        text = str(e)
    except Exception:  # noqa: BLE001 - a learner's exception whose str() fails
        text = "(no message)"
    return " ".join(text.split())[:300]


def _check_runs(trials, seed):
    if not isinstance(trials, int) or isinstance(trials, bool) or not 1 <= trials <= MAX_TRIALS:
        raise BackpropError("exercise: trials must be a whole number from 1 to %d, got %s" % (MAX_TRIALS, show(trials)))
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise BackpropError("exercise: seed must be a whole number, got %s" % show(seed))


def _check_args(name, path, trials=1, timeout=TIMEOUT, seed=0):
    """Refuse, before anything runs: an unknown exercise, a FILE that is not a
    regular ``.py`` file of at most MAX_SOURCE_BYTES, too many trials, a bad timeout."""
    import os
    import stat

    if not isinstance(name, str) or name not in EXERCISES:
        raise BackpropError("exercise: no exercise named %s; there are: %s" % (show(name), ", ".join(sorted(EXERCISES))))
    _check_runs(trials, seed)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 < timeout <= 3600:
        raise BackpropError("exercise: timeout must be a number of seconds > 0 and at most 3600, got %s" % show(timeout))
    if not isinstance(path, str) or not path:
        raise BackpropError("exercise: FILE must be a file name, got %s" % show(path))
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        raise BackpropError("exercise: %s: no such file" % path)
    if stat.S_ISDIR(st.st_mode):
        raise BackpropError("exercise: %s is a folder; give your Python file (e.g. my_%s.py)" % (path, name))
    if not stat.S_ISREG(st.st_mode):
        raise BackpropError("exercise: %s is not a regular file (a device, FIFO or socket); give your Python file"
                            % path)
    if not path.endswith(".py"):
        raise BackpropError("exercise: %s is not a Python file: its name must end in .py (e.g. my_%s.py)"
                            % (path, name))
    if st.st_size > MAX_SOURCE_BYTES:
        raise BackpropError("exercise: %s is %d bytes, more than the %d a Python file for one function may have"
                            % (path, st.st_size, MAX_SOURCE_BYTES))


def _ended(code):
    return "was stopped by signal %d" % -code if code < 0 else "ended its process (exit status %d)" % code


def grade_file(name, path, trials=20, seed=0, timeout=TIMEOUT):
    """:func:`grade` for the function ``name`` defined in the file ``path``, run
    in a separate Python process stopped after ``timeout`` seconds (see the
    module's notes).  A file that cannot be loaded raises BackpropError."""
    _check_args(name, path, trials, timeout, seed)
    signature, what, _page, reference, make_inputs = EXERCISES[name]
    rng = Random(seed)
    inputs = [list(make_inputs(rng)) for _ in range(trials)]
    from .sandbox import decode, read_source, run
    source = read_source(path, MAX_SOURCE_BYTES)
    lines, code, timed_out = run(name, path, source, inputs, timeout, MEMORY_MB, values=name in ADAPTERS)
    head = lines[0] if lines else {}
    if "garbled" in head:
        raise BackpropError("exercise: %s could not be run: it wrote to the checker's result channel something "
                            "the checker does not send (%s)" % (path, show(head["garbled"], 40)))
    if "error" in head:
        raise BackpropError("exercise: %s could not be run: %s" % (path, head["error"]))
    if "missing" in head:
        raise BackpropError("exercise: %s has no function %s; write def %s: ... in it"
                            % (path, name, EXERCISES[name][0]))
    if "loaded" not in head:
        if timed_out:
            raise BackpropError("exercise: %s did not finish loading within %g s (an endless loop at its top level?); "
                                "--timeout sets the limit" % (path, timeout))
        raise BackpropError("exercise: %s could not be run: it %s while loading" % (path, _ended(code)))
    results = lines[1:]
    for t, args in enumerate(inputs):
        where = "on trial %d (%s)" % (t + 1, _short(args))
        if t >= len(results) or ("garbled" not in results[t] and results[t].get("trial") != t):
            if timed_out:
                why = "did not return within %g s (an endless loop?; --timeout sets the limit)" % timeout
            else:
                why = _ended(code) + " instead of returning"
            return Result(False, "wrong: %s %s %s" % (signature, why, where))
        r = results[t]
        if "garbled" in r:
            return Result(False, "wrong: %s wrote to the checker's result channel something the checker does not "
                                 "send (%s) %s" % (signature, show(r["garbled"], 40), where))
        if "raised" in r:
            message = r.get("message") or ""
            return Result(False, "wrong: %s raised %s%s %s" % (signature, r["raised"], ": " + message if message else "",
                                                               where))
        diff = _first_difference(decode(r.get("got")), reference(*args))
        if diff:
            return Result(False, "wrong: %s %s: %s\n  expected: %s" % (signature, where, diff, what))
    return Result(True, "pass: %s agrees with the package on %d random inputs (%s)" % (signature, trials, what))
