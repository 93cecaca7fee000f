"""The separate process in which ``tinybackprop exercise`` runs a learner's file.

=================================  ==================================================
``run(name, path, inputs, ...)``   run the function ``name`` of ``path`` on every
                                   input, in a Python process of its own, stopped
                                   after ``timeout`` s; (lines sent, exit status,
                                   timed out)
``decode(v)``                      what it returned, as numbers and lists (anything
                                   else as an :class:`Opaque` description)
=================================  ==================================================

The process gets its job (the exercise's name, the file, the inputs) on stdin
and writes one JSON line per trial to its own copy of stdout; the learner's
prints (to stdout or stderr) are discarded.  It limits its own memory to
``memory_mb`` MB beyond what it takes at start (Linux), and is killed with its
whole process group when the time is up.  The comparison with the package is
made by the caller (:func:`tinybackprop.exercises.grade_file`), never here.

>>> decode([1.0, {"f": "nan"}, {"k": "str", "r": "str 'a'"}])
[1.0, nan, str 'a']
"""


class Opaque:
    """What a learner's function returned that is not a number or a list, as
    the other process describes it.

    >>> Opaque("str", "str 'abc'")
    str 'abc'
    """

    def __init__(self, kind, text):
        self.kind, self.text = kind, text

    def __repr__(self):
        return self.text



#: The program the learner's file runs in: it loads the file, calls the function on
#: each trial's inputs and writes one JSON line per trial to its own copy of stdout
#: (the learner's prints go to stderr, which is discarded).  It imports nothing of
#: tinybackprop; the comparison is made by the calling process.
CHILD = r"""
import importlib.util, json, math, os, sys
try:
    import resource
    vsz = int(open("/proc/self/statm").read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    extra = int(sys.argv[1]) * 2 ** 20
    resource.setrlimit(resource.RLIMIT_AS, (vsz + extra, vsz + extra))
    resource.setrlimit(resource.RLIMIT_FSIZE, (2 ** 24, 2 ** 24))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
except Exception:
    pass
channel = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
sys.stdout = sys.stderr
job = json.loads(sys.stdin.read())
stdin = open(os.devnull)
os.dup2(stdin.fileno(), 0)

def send(d):
    channel.write(json.dumps(d) + "\n")
    channel.flush()

def text(e):
    try:
        return " ".join(str(e).split())[:300]
    except BaseException:
        return "(no message)"

def enc(v, depth=0):
    if isinstance(v, bool) or v is None:
        return {"k": type(v).__name__, "r": repr(v)}
    if isinstance(v, float):
        x = float.__float__(v)
        return x if math.isfinite(x) else {"f": repr(x)}
    if isinstance(v, int):
        x = int.__int__(v)
        if abs(x) < 2 ** 1000:
            return float(x)
        return {"k": "int", "r": "an int of %d bits, too large for a float" % x.bit_length()}
    if isinstance(v, (list, tuple)):
        n = len(v)
        if depth >= 3 or n > 1000:
            return {"k": type(v).__name__, "r": "a %s of %d entries" % (type(v).__name__, n)}
        return [enc(x, depth + 1) for x in list(v)]
    if isinstance(v, str):
        return {"k": "str", "r": "the text " + repr(str.__str__(v))[:60]}
    return {"k": type(v).__name__, "r": "an object of type %s" % type(v).__name__}

try:
    spec = importlib.util.spec_from_file_location("tinybackprop_exercise_" + job["name"], job["path"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
except BaseException as e:
    send({"error": "%s: %s" % (type(e).__name__, text(e))})
    os._exit(0)
func = getattr(module, job["name"], None)
if not callable(func):
    send({"missing": True})
    os._exit(0)
if job.get("values"):  # value_mul: called on Values, judged by [p.data, u.grad, v.grad] after p.backward()
    from tinybackprop.scalar import Value
    inner = func

    def func(u, v):
        U = Value(u, name="u")
        V = U if v == u else Value(v, name="v")
        p = inner(U, V)
        if not isinstance(p, Value):
            return p
        p.backward()
        return [p.data, U.grad, V.grad]
send({"loaded": True})
for t, args in enumerate(job["inputs"]):
    try:
        got = enc(func(*args))
    except BaseException as e:
        send({"trial": t, "raised": type(e).__name__, "message": text(e)})
        os._exit(0)
    try:
        send({"trial": t, "got": got})
    except BaseException as e:
        send({"trial": t, "raised": type(e).__name__, "message": "its result could not be read: " + text(e)})
        os._exit(0)
os._exit(0)
"""


def decode(v):
    if isinstance(v, list):
        return [decode(x) for x in v]
    if isinstance(v, dict):
        if "f" in v:
            return float(v["f"])
        return Opaque(str(v.get("k")), str(v.get("r")))
    return v


def run(name, path, inputs, timeout, memory_mb, values=False):
    """Run the learner's file in a process of its own; (lines it sent, exit status, timed out)."""
    import json
    import os
    import signal
    import subprocess
    import sys
    import tempfile

    job = json.dumps({"name": name, "path": os.path.abspath(path), "inputs": inputs, "values": values}).encode("utf-8")
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as out:
        stdin.write(job)
        stdin.seek(0)
        p = subprocess.Popen([sys.executable, "-c", CHILD, str(memory_mb)], stdin=stdin, stdout=out,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        timed_out = False
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        try:  # the whole process group: what the learner's code started goes too
            os.killpg(p.pid, signal.SIGKILL)
        except (OSError, AttributeError):
            p.kill()
        p.wait()
        out.seek(0)
        raw = out.read(2 ** 24)
    lines = []
    for line in raw.decode("utf-8", "replace").splitlines():
        try:
            d = json.loads(line)
        except ValueError:
            break
        if not isinstance(d, dict):
            break
        lines.append(d)
    return lines, p.returncode, timed_out


