"""The separate process in which ``tinybackprop exercise`` runs a learner's file.

=====================================  ==============================================
``run(name, path, source, ...)``       run the function ``name`` of the file's text
                                       ``source`` on every input, in a Python process
                                       of its own, stopped after ``timeout`` s; (lines
                                       sent, exit status, timed out)
``decode(v)``                          what it returned, as numbers and lists
                                       (anything else as an :class:`Opaque`)
``read_source(path, limit)``           the file's bytes, read once by the checker
``load_module(name, path, source)``    those bytes run as a module in this process
``read_lines(raw)``                    the result lines it sent, each checked; a
                                       line that is not one of them ends the list
                                       with ``{"garbled": ...}``
=====================================  ==============================================

The process gets its job (the exercise's name, the file's name and text, the
inputs) on stdin and writes one JSON line per trial to its own copy of stdout; the
learner's prints (to stdout or stderr) are discarded.  It compiles the text it was
given (it opens no file of the learner's, writes no ``__pycache__``), limits its own
memory to ``memory_mb`` MB beyond what it takes at start, and cannot start a
process: on Linux a seccomp filter makes every fork, vfork and clone fail (root
included), and the process limit (RLIMIT_NPROC) is 0 (which binds every user but
root), so nothing the learner's code starts can outlive it, in a session of its own
or not; the same filter refuses a signal to any other process (the checker, or
every process with kill(-1)), ptrace, and writing another process's memory.  When the time is up it is killed with its whole process group.  Whatever
it writes to its result channel is checked line by line (:func:`read_lines`); the
comparison with the package is made by the caller
(:func:`tinybackprop.exercises.grade_file`), never here.

>>> decode([1.0, {"f": "nan"}, {"k": "str", "r": "str 'a'"}])
[1.0, nan, str 'a']
"""
from ..errors import BackpropError


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



#: The program the learner's file runs in: it loads the file's text, calls the function on
#: each trial's inputs and writes one JSON line per trial to its own copy of stdout
#: (the learner's prints go to stderr, which is discarded).  It imports nothing of
#: tinybackprop (value_mul excepted: its Value); the comparison is made by the calling process.
CHILD = r"""
import json, math, os, sys, types
sys.dont_write_bytecode = True


def no_processes():
    # A seccomp filter (Linux, x86_64 and aarch64; root included, and no process can lift it): fork,
    # vfork, clone and clone3 fail with EPERM, and so do signals to any process but this one (kill(-1),
    # the checker's pid), ptrace and writing into another process's memory.  Anything else is allowed.
    try:
        import ctypes, platform
        me = os.getpid()
        table = {"x86_64": (0xC000003E, (56, 57, 58, 435, 101, 129, 297, 310, 311, 424), (62, 200, 234)),
                 "aarch64": (0xC00000B7, (220, 435, 117, 138, 240, 270, 271, 424), (129, 130, 131))}
        arch = table.get(platform.machine())
        if arch is None or not sys.platform.startswith("linux"):
            return False
        audit, refused, (kill, tkill, tgkill) = arch
        # classic BPF: (code, jump if true, jump if false, k); jumps go forward only, to the labels below
        LD, JA, JEQ, JGE, RET, ALLOW, DENY = 0x20, 0x05, 0x15, 0x35, 0x06, 0x7FFF0000, 0x00050000 | 1  # EPERM
        code = [(LD, None, None, 4), (JEQ, None, "deny", audit), (LD, None, None, 0)]  # the arch, then the call
        if audit == 0xC000003E:
            code.append((JGE, "deny", None, 0x40000000))  # x32 system calls
        code += [(JEQ, "deny", None, nr) for nr in refused]
        code += [(JEQ, "kill", None, kill), (JEQ, "own", None, tkill), (JEQ, "own", None, tgkill), (JA, None, None, "allow")]
        labels = {"kill": len(code)}  # kill(pid): this process (me), its group (0, -me)
        code += [(LD, None, None, 16), (JEQ, "allow", None, 0), (JEQ, "allow", None, -me & 0xFFFFFFFF)]
        labels["own"] = len(code)  # (and tkill, tgkill): pid or thread id me
        code += [(LD, None, None, 16), (JEQ, "allow", "deny", me)]
        labels["allow"], labels["deny"] = len(code), len(code) + 1
        code += [(RET, None, None, ALLOW), (RET, None, None, DENY)]
        prog = [(op, labels[jt] - k - 1 if jt else 0, labels[jf] - k - 1 if jf else 0,
                 labels[arg] - k - 1 if op == JA else arg) for k, (op, jt, jf, arg) in enumerate(code)]

        class Filter(ctypes.Structure):
            _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                        ("k", ctypes.c_uint32)]

        class Program(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

        table = (Filter * len(prog))(*[Filter(*f) for f in prog])
        program = Program(len(prog), table)
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
        if libc.prctl(38, 1, None, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
            return False
        return libc.prctl(22, 2, ctypes.cast(ctypes.pointer(program), ctypes.c_void_p), 0, 0) == 0  # SECCOMP_MODE_FILTER
    except Exception:
        return False


job = json.loads(sys.stdin.read())
if job.get("values"):  # value_mul: called on Values, judged by [p.data, u.grad, v.grad] after p.backward()
    from tinybackprop.scalar import Value
no_processes()
try:
    import resource
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
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
    module = types.ModuleType("tinybackprop_exercise_" + job["name"])
    module.__file__ = job["path"]
    sys.modules[module.__name__] = module
    exec(compile(job["source"].encode("latin-1"), job["path"], "exec", dont_inherit=True), module.__dict__)
except BaseException as e:
    send({"error": "%s: %s" % (type(e).__name__, text(e))})
    os._exit(0)
func = getattr(module, job["name"], None)
if not callable(func):
    send({"missing": True})
    os._exit(0)
if job.get("values"):
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


def _encoded(v, depth=0):
    """True for what the child's ``enc`` makes: a finite float, {"f": text of a float},
    {"k": text, "r": text}, or a list of those (at most 1000 entries, 3 lists deep)."""
    if type(v) is float:
        return v - v == 0.0
    if isinstance(v, dict):
        if set(v) == {"f"}:  # the text of a float that is not finite
            try:
                return isinstance(v["f"], str) and float(v["f"]) - float(v["f"]) != 0.0
            except ValueError:
                return False
        return set(v) == {"k", "r"} and isinstance(v["k"], str) and isinstance(v["r"], str)
    return isinstance(v, list) and depth < 3 and len(v) <= 1000 and all(_encoded(x, depth + 1) for x in v)


def _well_formed(d, first):
    """True for a line the child sends: the first says whether the file loaded, each other one
    what a trial returned or raised."""
    if first:
        return d in ({"loaded": True}, {"missing": True}) or (set(d) == {"error"} and isinstance(d["error"], str))
    if type(d.get("trial")) is not int:
        return False
    if set(d) == {"trial", "got"}:
        return _encoded(d["got"])
    return set(d) == {"trial", "raised", "message"} and isinstance(d["raised"], str) and isinstance(d["message"], str)


def read_lines(raw):
    """The result lines in ``raw`` (what the child wrote to its channel), each checked: the
    first line that is not one the child sends (the learner's code can write there too) ends
    the list with ``{"garbled": its first 60 characters}``.

    >>> read_lines(b'{"loaded": true}\\n{"trial": 0, "got": [1.0]}\\n{"trial": "x"}\\n')
    [{'loaded': True}, {'trial': 0, 'got': [1.0]}, {'garbled': '{"trial": "x"}'}]
    """
    import json

    lines = []
    for line in raw.decode("utf-8", "replace").splitlines():
        try:
            d = json.loads(line)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
            d = None
        if not isinstance(d, dict) or not _well_formed(d, not lines):
            lines.append({"garbled": line[:60]})
            break
        lines.append(d)
    return lines


def decode(v):
    if isinstance(v, list):
        return [decode(x) for x in v]
    if isinstance(v, dict):
        if "f" in v:
            return float(v["f"])
        return Opaque(str(v.get("k")), str(v.get("r")))
    return v


def read_source(path, limit):
    """The bytes of the learner's file, read once, by this process: a regular file of at most
    ``limit`` bytes (it may have changed since the checker looked; it is opened without
    blocking on a FIFO).  The child gets these bytes, never the file.

    >>> read_source("/", 10)
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: exercise: / is not a regular file; give your Python file
    """
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        raise BackpropError("exercise: %s: no such file, or it cannot be read" % path)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BackpropError("exercise: %s is not a regular file; give your Python file" % path)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise BackpropError("exercise: %s cannot be read: %s" % (path, e.strerror or e))
    finally:
        os.close(fd)
    if size > limit:
        raise BackpropError("exercise: %s is more than the %d bytes a Python file for one function may have"
                            % (path, limit))
    return b"".join(chunks)


def load_module(name, path, source):
    """The module ``name`` made by running ``source`` (the bytes of the file ``path``) in THIS
    process, as the child does: compiled from the bytes, so no ``__pycache__`` is read or written.

    >>> load_module("m", "m.py", b"x = 6 * 7").x
    42
    """
    import os
    import sys
    import types

    module = types.ModuleType(name)
    module.__file__ = os.path.abspath(path)
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec", dont_inherit=True), module.__dict__)
    return module


def run(name, path, source, inputs, timeout, memory_mb, values=False):
    """Run the learner's file (its text ``source``, bytes) in a process of its own; (lines it sent, checked by
    :func:`read_lines`; exit status; timed out)."""
    import json
    import os
    import signal
    import subprocess
    import sys
    import tempfile

    job = json.dumps({"name": name, "path": os.path.abspath(path), "source": source.decode("latin-1"),
                      "inputs": inputs, "values": values}).encode("utf-8")
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as out:
        stdin.write(job)
        stdin.seek(0)
        p = subprocess.Popen([sys.executable, "-B", "-c", CHILD, str(memory_mb)], stdin=stdin, stdout=out,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        timed_out = False
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        try:  # the whole process group (the child can start no process; this is the second line of defence)
            os.killpg(p.pid, signal.SIGKILL)
        except (OSError, AttributeError):
            p.kill()
        p.wait()
        out.seek(0)
        raw = out.read(2 ** 24)
    return read_lines(raw), p.returncode, timed_out
