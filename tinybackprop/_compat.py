"""Everything that differs between Python interpreters, in one place.

The core runs unchanged on CPython 3.8+, PyPy, Pyodide and MicroPython.  Where an
interpreter lacks a function (MicroPython has no ``operator.mul``,
``math.log1p``; only CPython 3.12+ has ``math.sumprod``), the fallback lives here
and nowhere else.

===================  ==============================================================
``mul``              ``operator.mul`` or a plain function
``sumprod``          ``math.sumprod`` (3.12+) or ``sumprod_py``
``sumprod_py``       ``sum(map(mul, p, q))`` (an index loop without ``operator``)
``rows_times_cols``  each row of A times each column: the inside of a matmul
``isint``            an int, never bool, on every interpreter
``log1p``            ``math.log1p`` or an accurate fallback
``exp``              ``math.exp`` that returns ``inf`` instead of raising
``isnumber``         int or float, never bool, on every interpreter
``isfinite``         ``math.isfinite`` or a fallback
``json_dumps``       strict ``json.dumps(obj, indent=...)``; one line where there is no indent
``os``               the ``os`` module, or None where there is none
``file_kind``        "file", "folder", "other" (device, FIFO, socket) or None
``open_new``         create a file exclusively, never through a symlink
``open_read``        open for reading without blocking on a FIFO; (file, kind, size)
``replace``          ``os.replace``, or ``os.rename`` where it overwrites
``EPSILON``          machine epsilon of this float: 2^-52 (binary64), 2^-23 (binary32 boards)
===================  ==============================================================

>>> sumprod([1.0, 2.0], [3.0, 4.0])
11.0
"""
import json
import math

try:
    import os
except ImportError:  # a MicroPython build without os: everything but Network.save works
    os = None


def _machine_epsilon():
    e = 1.0
    while 1.0 + e / 2.0 != 1.0:
        e = e / 2.0
    return e


#: The gap between 1.0 and the next float: 2^-52 where floats are IEEE-754 binary64
#: (CPython, PyPy, Pyodide, MicroPython's unix and WebAssembly ports), 2^-23 where a
#: board's MicroPython builds them as binary32 (RP2040, ESP32, most STM32), 2^-21 or so
#: where they are 30 bits.  Every epsilon and threshold of the package is checked against it.
EPSILON = _machine_epsilon()

try:
    from operator import mul
    HAVE_OPERATOR = True
except ImportError:  # MicroPython has no operator module
    HAVE_OPERATOR = False

    def mul(a, b):
        return a * b

    def sumprod_py(p, q):
        """sum of p[i] * q[i] in pure Python, for sequences of equal length.

        >>> sumprod_py([1.0, 2.0], [3.0, 4.0])
        11.0
        """
        # Here map(mul, ...) would call a Python function per element: an index
        # loop is about twice as fast on MicroPython and adds the same products in
        # the same order (the same float).
        s = 0.0
        for i in range(len(p)):
            s += p[i] * q[i]
        return s
else:
    def sumprod_py(p, q):
        """sum of p[i] * q[i] in pure Python, for sequences of equal length.

        >>> sumprod_py([1.0, 2.0], [3.0, 4.0])
        11.0
        """
        return sum(map(mul, p, q))


try:
    sumprod = math.sumprod  # type: ignore[attr-defined,unused-ignore]  # novm (guarded: CPython 3.12+)
except AttributeError:
    sumprod = sumprod_py

if sumprod is sumprod_py and HAVE_OPERATOR:
    def rows_times_cols(A, cols):
        """[[row . col for col in cols] for row in A]: sum(map(mul, ...)) written
        out, so no Python-level call runs per entry (CPython before 3.12, PyPy).

        >>> rows_times_cols([[1.0, 2.0]], [(3.0, 4.0)])
        [[11.0]]
        """
        return [[sum(map(mul, row, col)) for col in cols] for row in A]
else:
    def rows_times_cols(A, cols):
        """[[row . col for col in cols] for row in A], one ``sumprod`` per entry.

        >>> rows_times_cols([[1.0, 2.0]], [(3.0, 4.0)])
        [[11.0]]
        """
        return [[sumprod(row, col) for col in cols] for row in A]


try:
    log1p = math.log1p
except AttributeError:  # MicroPython
    def log1p(x):
        u = 1.0 + x
        if u == 1.0:
            return x
        return math.log(u) * x / (u - 1.0)  # corrects the rounding of 1 + x


def exp(x):
    """``math.exp`` that gives ``inf`` on overflow on every interpreter.

    >>> exp(1000.0)
    inf
    """
    try:
        return math.exp(x)
    except (OverflowError, ValueError):  # MicroPython raises ValueError
        return float("inf")


try:
    isfinite = math.isfinite
except AttributeError:  # pragma: no cover - very old ports
    def isfinite(x):
        return x == x and x not in (float("inf"), float("-inf"))


def isnumber(x):
    """True for an int or float (bool excluded on every interpreter).

    >>> isnumber(1), isnumber(2.5), isnumber(True), isnumber("3")
    (True, True, False, False)
    """
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def isint(x):
    """True for an int (bool excluded on every interpreter).

    >>> isint(3), isint(3.0), isint(True)
    (True, False, False)
    """
    return isinstance(x, int) and not isinstance(x, bool)


def json_dumps(obj, indent=None):
    """``json.dumps(obj, indent=indent)``, strict: NaN and infinities raise
    ValueError (they are not JSON).  MicroPython's ``json.dumps`` takes neither
    ``indent`` nor ``allow_nan`` (it raises TypeError): there the numbers are
    checked here and the same JSON comes on one line.

    >>> json.loads(json_dumps({"a": [1.5, 2]}, indent=1)) == {"a": [1.5, 2]}
    True
    >>> json_dumps([float("nan")])
    Traceback (most recent call last):
      ...
    ValueError: Out of range float values are not JSON compliant...
    """
    try:
        return json.dumps(obj, indent=indent, allow_nan=False)
    except TypeError:
        _check_json_finite(obj)
        return json.dumps(obj)


def _check_json_finite(obj):
    stack = [obj]
    while stack:
        x = stack.pop()
        if isinstance(x, float) and not isfinite(x):
            raise ValueError("Out of range float values are not JSON compliant: %r" % x)
        if isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, (list, tuple)):
            stack.extend(x)


# -- files: what saving and loading need from the operating system ----------------------------
# POSIX file-type bits of st_mode (the ``stat`` module is not in the core's imports).
_S_IFMT, _S_IFDIR, _S_IFREG = 0o170000, 0o040000, 0o100000


def _kind(mode):
    kind = mode & _S_IFMT
    return "file" if kind == _S_IFREG else ("folder" if kind == _S_IFDIR else "other")


def file_kind(path):
    """What ``path`` names, following symlinks: "file", "folder", "other" (a
    device, FIFO or socket) or None when nothing is there.

    >>> file_kind("/dev/null"), file_kind("/"), file_kind("/no/such/file")
    ('other', 'folder', None)
    """
    if os is None or not hasattr(os, "stat"):
        return None
    try:
        mode = os.stat(path)[0]
    except OSError:
        return None
    return _kind(mode)


def folder_of(path):
    """The folder a file name lives in ("." for a bare name).

    >>> folder_of("a/b/model.json"), folder_of("model.json"), folder_of("/m.json")
    ('a/b', '.', '/')
    """
    cut = path.rfind("/")
    if hasattr(os, "sep") and os.sep != "/":  # Windows also takes its own separator
        cut = max(cut, path.rfind(os.sep))
    if cut < 0:
        return "."
    return path[:cut] if cut > 0 else path[:1]


def writable_folder(folder):
    """True unless the OS says we may not create files in ``folder``."""
    access = getattr(os, "access", None)
    if access is None or not hasattr(os, "W_OK"):
        return True
    return access(folder, os.W_OK | getattr(os, "X_OK", 0))


def open_new(path, like=None):
    """Create ``path`` for writing (binary), failing with FileExistsError if
    anything is there, a symlink included (O_CREAT | O_EXCL, and O_NOFOLLOW
    where the OS has it).  ``like``: an existing file whose permission bits the
    new file takes (so a private model stays private).  Where there is no
    ``os.open`` (MicroPython), a plain ``open`` after checking nothing is there.
    """
    if os is not None and hasattr(os, "open") and hasattr(os, "O_EXCL"):
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        mode = 0o666
        if like is not None:
            try:
                mode = os.stat(like)[0] & 0o777
            except OSError:
                pass
        fd = os.open(path, flags, mode)
        if like is not None and hasattr(os, "fchmod"):
            try:
                os.fchmod(fd, mode)  # the umask narrowed it: give it the old file's bits
            except OSError:
                pass
        return open(fd, "wb")
    try:
        open(path, "rb").close()
    except OSError:
        return open(path, "wb")
    raise OSError(EEXIST, "File exists")


#: errno values used by name (the same on Linux, macOS and MicroPython).
EEXIST = 17


def errno_of(e):
    """The errno of an OSError on every interpreter (None if it has none)."""
    n = getattr(e, "errno", None)
    if n is None and getattr(e, "args", None) and isinstance(e.args[0], int):
        n = e.args[0]
    return n


def sync_folder(folder):
    """Flush a folder's entries (a rename in it) to the disk where the OS allows."""
    if os is None or not (hasattr(os, "open") and hasattr(os, "fsync")):
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except (OSError, AttributeError):
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sync(f):
    """Flush ``f`` to the disk where the OS allows."""
    f.flush()
    if os is not None and hasattr(os, "fsync") and hasattr(f, "fileno"):
        os.fsync(f.fileno())


def replace(src, dst):
    """Rename ``src`` to ``dst``, replacing ``dst`` in one step."""
    if hasattr(os, "replace"):
        os.replace(src, dst)
    else:  # MicroPython: rename(2), which replaces dst on POSIX
        os.rename(src, dst)


def remove(path):
    """Remove ``path`` if it is there; never raises."""
    try:
        os.remove(path)
    except (OSError, AttributeError, TypeError):
        pass


_counter = [0]


def unique_suffix():
    """A short string for temporary names: process id and random bits (a
    counter and an object id where there is no ``os.urandom``).

    >>> unique_suffix() != unique_suffix()
    True
    """
    pid = os.getpid() if hasattr(os, "getpid") else 0
    try:
        bits = "".join("%02x" % b for b in os.urandom(6))
    except (AttributeError, NotImplementedError, OSError):
        _counter[0] += 1
        bits = "%x%x" % (_counter[0], id(object()))
    return "%d-%s" % (pid, bits)


def process_alive(pid):
    """False only when the OS says no process ``pid`` runs here; True when unsure."""
    kill = getattr(os, "kill", None)
    if kill is None or pid <= 0:
        return True
    try:
        kill(pid, 0)
    except OSError as e:
        return getattr(e, "errno", None) != 3  # ESRCH: no such process; EPERM: it exists
    return True


def mtime(path):
    """When ``path`` (not following a symlink) was last modified, by the file
    system's clock; None when unknown."""
    try:
        return getattr(os, "lstat", os.stat)(path)[8]
    except (OSError, AttributeError, IndexError, TypeError):
        return None


def list_folder(folder):
    """The names in ``folder`` ([] when it cannot be listed)."""
    try:
        return os.listdir(folder)
    except (OSError, AttributeError):
        return []


def open_read(path):
    """Open ``path`` for reading in binary without ever blocking (a FIFO with no
    writer would block a plain ``open``): returns ``(file, kind, size)`` with the
    kind ("file", "folder", "other") and size of what was opened, from the same
    descriptor, so nothing can be swapped in between; file is None (and nothing
    is left open) unless kind is "file".  Without ``os.open``
    (MicroPython) a plain ``open``, kind "file", and the size ``os.stat`` gives
    (None without it): :func:`files.read_text` reads on if the file grew since.
    """
    if os is not None and hasattr(os, "open") and hasattr(os, "fstat"):
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)
            kind = _kind(st[0])
            if kind != "file":
                os.close(fd)
                return None, kind, st[6]
            return open(fd, "rb"), kind, st[6]
        except BaseException:
            try:
                os.close(fd)
            except OSError:
                pass
            raise
    size = None
    if os is not None and hasattr(os, "stat"):
        try:
            size = os.stat(path)[6]
        except (OSError, IndexError, TypeError):
            pass
    return open(path, "rb"), "file", size
