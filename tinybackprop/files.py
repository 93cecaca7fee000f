"""Saving and reading files so that nothing can fool them: the one helper
behind ``Network.save``/``load`` and every ``--save``, ``--plot`` and ``--out``.

========================================  ==================================================
``check_target(path, what)``              refuse, before any work, a name that cannot be
                                          saved to (empty, a folder, a device or FIFO, a
                                          missing or read-only folder)
``write_atomic(path, text, what)``        write via a new temporary file beside ``path``,
                                          then replace ``path`` in one step
``write_all(items)``                      every output of a command, or none of them
``check_outputs(outputs, inputs)``        refuse an output that is an input, however spelt
``read_bytes``, ``read_text``             one bounded read of a regular file (as UTF-8)
``check_json_bytes(data, ...)``           JSON too deep or too big, refused before parsing
========================================  ==================================================

``write_atomic`` creates its temporary file exclusively (O_CREAT | O_EXCL, and
O_NOFOLLOW), under a name no one can predict (``.NAME.tbtmp-PID-RANDOM``) in the
target's folder, so two writers never share one and a symlink planted there is
never followed; on any failure it removes it.  A temporary file left by a killed
process (``kill -9``) never blocks a later save, and the next save to the same
name removes it once its process is gone.  ``what`` is how the user named the
file (``"save"``, ``"--plot"``): every message starts with it and names the
user's path, never the temporary one.  The interpreter-dependent calls (os.open
flags, os.replace, fsync) are at the end of this module, each with its fallback.

>>> import tempfile
>>> p = tempfile.mkdtemp() + "/note.txt"
>>> write_atomic(p, "héllo\\n", "save")
>>> read_text(p, "load", 100)
'héllo\\n'
>>> check_target("/dev/null", "--save")   # what write_atomic checks first
Traceback (most recent call last):
  ...
tinybackprop.errors.BackpropError: --save: cannot write /dev/null: it is not a regular file (a device, FIFO or socket); refusing to replace it
"""
from ._compat import TYPE_CHECKING
from .errors import BackpropError, show

if TYPE_CHECKING:
    from typing import IO, List, Sequence, Tuple

try:
    import os
except ImportError:  # a MicroPython build without os: everything but Network.save works
    os = None  # type: ignore[assignment]  # the one place os may be missing

#: Marks a temporary file of ours: ``.NAME`` + TMP_MARK + ``PID-RANDOM``.
TMP_MARK = ".tbtmp-"
#: A leftover is removed only when its process is gone and it is this old (by the
#: file system's clock): on a folder shared between machines, another machine's
#: save in progress is never taken for a leftover.
STALE_SECONDS = 10


def _reason(e: BaseException) -> str:
    """The OS's words for a failed open or write, without the errno number."""
    why = getattr(e, "strerror", None)
    return why if why else (str(e) or type(e).__name__)


def _split(path: str) -> "Tuple[str, str]":
    folder = folder_of(path)
    cut = max(path.rfind("/"), path.rfind(getattr(os, "sep", "/")))
    return folder, path[cut + 1:]


def check_target(path: str, what: str) -> None:
    """Refuse ``path`` as a file to write, with a message starting with
    ``what``, unless it can be written: a non-empty name, not a folder, device,
    FIFO or socket (an existing regular file is replaced), in a folder that
    exists and can be written.  Call it before long work, so a bad name is found
    first.

    >>> check_target("", "--save")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: --save: path must be a file name (a non-empty str), got ''
    """
    if not isinstance(path, str) or not path:
        raise BackpropError("%s: path must be a file name (a non-empty str), got %s" % (what, show(path)))
    if "\0" in path:
        raise BackpropError("%s: cannot write %s: a file name cannot hold a NUL character" % (what, show(path)))
    folder, name = _split(path)
    kind = file_kind(path)
    if kind == "folder" or not name or name in (".", ".."):
        raise BackpropError("%s: cannot write %s: it is a folder; give a file name (e.g. %s/model.json)"
                            % (what, path, path.rstrip("/")))
    if kind == "other":
        raise BackpropError("%s: cannot write %s: it is not a regular file (a device, FIFO or socket); "
                            "refusing to replace it" % (what, path))
    if os is None or not hasattr(os, "stat"):
        return  # nothing more can be known here
    folder_kind = file_kind(folder)
    if folder_kind is None:
        raise BackpropError("%s: cannot write %s: folder %s does not exist" % (what, path, folder))
    if folder_kind != "folder":
        raise BackpropError("%s: cannot write %s: %s is not a folder" % (what, path, folder))
    if not writable_folder(folder):
        raise BackpropError("%s: cannot write %s: no permission to create files in folder %s"
                            % (what, path, folder))


def _join(folder: str, name: str) -> str:
    if folder == ".":
        return name
    return folder + name if folder.endswith("/") else folder + "/" + name


def _stage(path: str, text: str, what: str) -> str:
    """Write ``text`` to a new temporary file beside ``path``; its name."""
    check_target(path, what)
    try:
        data = text.encode("utf-8")
    except UnicodeError:  # a lone surrogate: an undecodable byte of a name, echoed unescaped
        raise BackpropError("%s: cannot write %s: the text holds a character UTF-8 cannot store" % (what, path))
    folder, name = _split(path)
    existing = path if file_kind(path) == "file" else None
    prefix = "." + name[:100] + TMP_MARK
    f, tmp = None, ""  # (tmp a str for mypy: it is read only once f is open)
    for _ in range(100):  # another name if one is taken (by chance, or planted)
        tmp = _join(folder, prefix + unique_suffix())
        try:
            f = open_new(tmp, like=existing)
            break
        except OSError as e:
            if errno_of(e) == EEXIST:
                continue
            raise BackpropError("%s: cannot write %s: %s" % (what, path, _reason(e)))
    if f is None:
        raise BackpropError("%s: cannot write %s: no free temporary name in %s" % (what, path, folder))
    try:
        try:
            f.write(data)
            sync(f)
        finally:
            f.close()
    except BaseException as e:
        remove(tmp)
        if isinstance(e, OSError):
            raise BackpropError("%s: cannot write %s: %s" % (what, path, _reason(e)))
        raise
    return tmp


def write_all(items: "Sequence[Tuple[str, str, str]]") -> None:
    """Write every ``(path, text, what)`` of ``items``, or none of them: each
    text goes to a new temporary file beside its target first; only when all
    are written do they replace their targets, one after the other (each in
    one step).  On any failure before that every temporary file is removed
    and no target has changed.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> write_all([(d + "/m.json", "{}", "--save"), (d + "/no/such.svg", "x", "--plot")])
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: --plot: cannot write .../no/such.svg: folder .../no does not exist
    >>> os.listdir(d)
    []
    """
    for path, _text, what in items:  # every name first: nothing is written for a bad one
        check_target(path, what)
    staged = []
    try:
        for path, text, what in items:
            staged.append((_stage(path, text, what), path, what))
        for tmp, path, what in staged:
            check_target(path, what)  # still: a folder or FIFO may have been swapped in while we wrote
    except BaseException:
        for tmp, _path, _what in staged:
            remove(tmp)
        raise
    for k, (tmp, path, what) in enumerate(staged):
        try:
            replace(tmp, path)
        except BaseException as e:  # an OS error, or an interrupt: no temporary file stays behind
            for later, _path, _what in staged[k:]:
                remove(later)
            if isinstance(e, OSError):
                raise BackpropError("%s: cannot write %s: %s" % (what, path, _reason(e)))
            raise
    for tmp, path, what in staged:
        folder, name = _split(path)
        sync_folder(folder)
        _remove_leftovers(folder, "." + name[:100] + TMP_MARK, path)


def write_atomic(path: str, text: str, what: str) -> None:
    """Write ``text`` (str, stored as UTF-8) to ``path`` atomically: readers see
    the old file or the new one, never a mixture or a half-written file.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "m.json")
    >>> write_atomic(p, "1", "save"); write_atomic(p, "2", "save")
    >>> open(p).read(), os.listdir(d)
    ('2', ['m.json'])
    """
    write_all([(path, text, what)])


def same_file(a: str, b: str) -> bool:
    """True when the names ``a`` and ``b`` lead to one file, however spelt
    (``..``, a symlink, a hard link).  Neither need exist yet.

    >>> same_file("m.json", "./sub/../m.json")
    True
    """
    try:
        if a == b or os.path.realpath(a) == os.path.realpath(b):
            return True
        sa, sb = os.stat(a), os.stat(b)
    except (AttributeError, OSError, ValueError, TypeError):  # no os.path (MicroPython), or nothing there
        return a == b
    return (sa[1], sa[2]) == (sb[1], sb[2]) and sa[1] != 0  # one inode of one device: a hard link


def check_outputs(outputs: "Sequence[Tuple[str, str | None]]",
                  inputs: "Sequence[Tuple[str, str | None]]" = ()) -> None:
    """Refuse, before any work, an output that would overwrite an input of the
    same command, or another output: ``outputs`` and ``inputs`` are lists of
    ``(flag, path)`` (paths that are None are skipped).

    >>> check_outputs([("--save", "./data.csv")], [("--data", "data.csv")])
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: --save ./data.csv is the same file as --data data.csv: writing it would destroy that input
    """
    named = [(f, p) for f, p in outputs if p is not None]  # (a new name: mypy keeps a parameter's type)
    for k, (flag, path) in enumerate(named):
        for in_flag, in_path in inputs:
            if in_path is not None and same_file(path, in_path):
                raise BackpropError("%s %s is the same file as %s %s: writing it would destroy that input"
                                    % (flag, path, in_flag, in_path))
        for flag2, path2 in named[k + 1:]:
            if same_file(path, path2):
                raise BackpropError("%s and %s name the same file (%s); one would overwrite the other"
                                    % (flag, flag2, path2))


def _remove_leftovers(folder: str, prefix: str, path: str) -> None:
    """Remove temporary files of earlier saves to the same name whose process
    is gone (killed in the middle of a save)."""
    now = mtime(path)
    if now is None:
        return
    for entry in list_folder(folder):
        if not entry.startswith(prefix):
            continue
        pid = entry[len(prefix):].split("-")[0]
        if not pid.isdigit() or process_alive(int(pid)):
            continue
        leftover = _join(folder, entry)
        then = mtime(leftover)
        if then is not None and now - then >= STALE_SECONDS:
            remove(leftover)


#: Every byte but the four JSON brackets (for :func:`nesting_depth_over`).
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")


def _outside_strings(data: bytes) -> bytes:
    """The JSON bytes ``data`` without what its strings hold (their quotes
    stay), by bytes operations only (in C): escaped backslashes, then escaped
    quotes go first, so every quote left opens or closes a string.

    >>> _outside_strings(b'{"a[,]": ["x", "{"]}')
    b'{"": ["", ""]}'
    """
    if b"\\" in data:
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    if b'"' not in data:
        return data
    return b'""'.join(data.split(b'"')[0::2])


def nesting_depth_over(data: bytes, limit: int) -> bool:
    """True when the brackets of the JSON bytes ``data`` nest deeper than
    ``limit``.  Parsers recurse once per level: CPython stops at its recursion
    limit, but WebAssembly builds (Pyodide) overflow their stack first and die,
    so a file nested thousands deep is refused before parsing.  Each pass removes
    the innermost ``[]`` and ``{}`` pairs, in C: ``limit`` passes at most.
    Brackets inside strings are text and do not count (a CSV column may be
    called ``[[[[x``).

    >>> nesting_depth_over(b'{"W": [[[1.0]]]}', 4), nesting_depth_over(b"[" * 50 + b"]" * 50, 32)
    (False, True)
    >>> nesting_depth_over(b'["' + b"[" * 50 + b'"]', 2)
    False
    """
    translate = getattr(data, "translate", None)
    if translate is None:  # MicroPython: no bytes.translate; its parser is not recursive in C
        return False
    try:
        b = _outside_strings(data).translate(None, _NOT_BRACKETS)
    except TypeError:
        return False
    if b"[" * (limit + 1) in b or b"{" * (limit + 1) in b:
        return True  # the usual attack, found at once
    for _ in range(limit):
        if not b:
            return False
        shorter = b.replace(b"[]", b"").replace(b"{}", b"")
        if len(shorter) == len(b):
            return False  # unbalanced: the parser will say what is wrong
        b = shorter
    return len(b) > 0


def items_over(data: bytes, limit: int) -> bool:  # type: ignore[return]  # (the loop always returns)
    """True when the JSON bytes ``data`` hold more than ``limit`` values
    (counted from the quotes, and the commas and opening brackets outside
    strings).  A parser builds an object of 30 to 60 bytes for each value:
    checked before parsing, this bounds what a file can cost in memory.

    >>> items_over(b"[" + b"[]," * 10 + b"[]]", 20), items_over(b'["a,b", 1]', 2)
    (True, False)
    """
    try:
        if data.count(b'"') // 2 > limit:
            return True
        for b in (data, None):  # the raw counts first (strings only add: an upper bound), no copy
            b = _outside_strings(data) if b is None else b
            if b is not data or b'"' not in data or b.count(b",") + b.count(b"[") + b.count(b"{") <= limit:
                return b.count(b",") + b.count(b"[") + b.count(b"{") > limit
    except (AttributeError, TypeError):  # no bytes.count (a small MicroPython build)
        return False


def check_json_bytes(data: bytes, what: str, name: str, max_depth: "int | None" = None,
                     max_items: "int | None" = None) -> None:
    """Refuse the JSON bytes ``data`` (of the file ``name``) that nest deeper
    than ``max_depth`` or hold more than ``max_items`` values: ``read_text``
    calls it on what it reads, a save on what it would write.

    >>> check_json_bytes(b"[" * 20 + b"]" * 20, "load", "m.json", max_depth=16)
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: load: m.json: its JSON is nested too deeply (more than 16 levels, the most load reads)
    """
    if max_items is not None and items_over(data, max_items):  # first: it counts without copying
        raise BackpropError("%s: %s: it holds more than %d values (numbers, strings, lists), the most load reads"
                            % (what, name, max_items))
    if max_depth is not None and nesting_depth_over(data, max_depth):
        raise BackpropError("%s: %s: its JSON is nested too deeply (more than %d levels, the most load reads)"
                            % (what, name, max_depth))


def check_readable(path: str, what: str, limit: int, noun: str = "a saved network") -> None:
    """Refuse ``path`` as :func:`read_bytes` would (not a regular file, or more than
    ``limit`` bytes) without reading it: for readers that then stream it a line at a time.

    >>> check_readable("/dev/zero", "load_iris", 100, "an Iris-layout file")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: load_iris: cannot read /dev/zero: it is not a regular file (a device, FIFO or socket); an Iris-layout file is a file
    """
    read_bytes(path, what, limit, noun, size_only=True)


def read_bytes(path: str, what: str, limit: int, noun: str = "a saved network", size_only: bool = False) -> bytes:
    """The whole of the regular file ``path`` as bytes, read once and at most
    ``limit`` bytes: a folder, device, FIFO or socket is refused without
    waiting on it, a bigger file before it is read.  ``noun`` says in a
    message what the file should be ("a CSV file").

    >>> read_bytes("/dev/zero", "load_csv", 100, "a CSV file")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: load_csv: cannot read /dev/zero: it is not a regular file (a device, FIFO or socket); a CSV file is a file
    """
    if not isinstance(path, str) or not path:
        raise BackpropError("%s: path must be a file name (a non-empty str), got %s" % (what, show(path)))
    try:
        f, kind, size = open_read(path)
    except OSError as e:
        raise BackpropError("%s: cannot read %s: %s" % (what, path, _reason(e)))
    except ValueError as e:  # e.g. a NUL in the name
        raise BackpropError("%s: cannot read %s: %s" % (what, show(path), e))
    too_big = "%s: cannot read %s: it is %s bytes, more than the %d " + noun + " may have"
    try:
        if kind == "folder":
            raise BackpropError("%s: cannot read %s: it is a folder, not a file" % (what, path))
        if kind != "file":
            raise BackpropError("%s: cannot read %s: it is not a regular file (a device, FIFO or socket); "
                                "%s is a file" % (what, path, noun))
        if size is not None and size > limit:
            raise BackpropError(too_big % (what, path, size, limit))
        if size_only:
            return b""
        # as many bytes as the file has (one more, to see a file that grew since it was
        # measured), never the limit's worth: on a board, read(limit + 1) asks the heap for it
        want = limit + 1 if size is None else min(size, limit) + 1
        try:
            data = f.read(want)  # type: ignore[union-attr]  # (f is open: kind is "file")
            if len(data) == want and want <= limit:  # it grew: read on, up to the limit
                data += f.read(limit + 1 - want)  # type: ignore[union-attr]
        except OSError as e:
            raise BackpropError("%s: cannot read %s: %s" % (what, path, _reason(e)))
        if len(data) > limit:
            raise BackpropError(too_big % (what, path, "over %d" % limit, limit))
    finally:
        if f is not None:
            f.close()
    return data


def read_text(path: str, what: str, limit: int, max_depth: "int | None" = None, max_items: "int | None" = None) -> str:
    """The whole of the regular file ``path`` as text (UTF-8, whatever the
    locale), read once by :func:`read_bytes` (at most ``limit`` bytes, a
    regular file); with ``max_depth`` and ``max_items``, JSON nested deeper or
    holding more values than that is refused too (:func:`check_json_bytes`).

    >>> read_text("/dev/zero", "load", 100)
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: load: cannot read /dev/zero: it is not a regular file (a device, FIFO or socket); a saved network is a file
    """
    data = read_bytes(path, what, limit)
    check_json_bytes(data, what, path, max_depth, max_items)
    try:
        return data.decode("utf-8")
    except UnicodeError:
        raise BackpropError("%s: %s is not UTF-8 text (a saved network is JSON text)" % (what, path))


# -- the operating system: what saving and reading need, on every interpreter ------------------
# POSIX file-type bits of st_mode (the ``stat`` module is not in the core's imports).
_S_IFMT, _S_IFDIR, _S_IFREG = 0o170000, 0o040000, 0o100000


def _kind(mode: int) -> str:
    kind = mode & _S_IFMT
    return "file" if kind == _S_IFREG else ("folder" if kind == _S_IFDIR else "other")


def file_kind(path: str) -> "str | None":
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


def folder_of(path: str) -> str:
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


def writable_folder(folder: str) -> bool:
    """True unless the OS says we may not create files in ``folder``."""
    access = getattr(os, "access", None)
    if access is None or not hasattr(os, "W_OK"):
        return True
    return access(folder, os.W_OK | getattr(os, "X_OK", 0))


def open_new(path: str, like: "str | None" = None) -> "IO[bytes]":
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


def errno_of(e: BaseException) -> "int | None":
    """The errno of an OSError on every interpreter (None if it has none)."""
    n = getattr(e, "errno", None)
    if n is None and getattr(e, "args", None) and isinstance(e.args[0], int):
        n = e.args[0]
    return n


def sync_folder(folder: str) -> None:
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


def sync(f: "IO[bytes]") -> None:
    """Flush ``f`` to the disk where the OS allows."""
    f.flush()
    if os is not None and hasattr(os, "fsync") and hasattr(f, "fileno"):
        os.fsync(f.fileno())


def replace(src: str, dst: str) -> None:
    """Rename ``src`` to ``dst``, replacing ``dst`` in one step."""
    if hasattr(os, "replace"):
        os.replace(src, dst)
    else:  # MicroPython: rename(2), which replaces dst on POSIX
        os.rename(src, dst)


def remove(path: str) -> None:
    """Remove ``path`` if it is there; never raises."""
    try:
        os.remove(path)
    except (OSError, AttributeError, TypeError):
        pass


_counter = [0]


def unique_suffix() -> str:
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


def process_alive(pid: int) -> bool:
    """False only when the OS says no process ``pid`` runs here; True when unsure."""
    kill = getattr(os, "kill", None)
    if kill is None or pid <= 0:
        return True
    try:
        kill(pid, 0)
    except OSError as e:
        return getattr(e, "errno", None) != 3  # ESRCH: no such process; EPERM: it exists
    return True


def mtime(path: str) -> "float | None":
    """When ``path`` (not following a symlink) was last modified, by the file
    system's clock; None when unknown."""
    try:
        return getattr(os, "lstat", os.stat)(path)[8]
    except (OSError, AttributeError, IndexError, TypeError):
        return None


def list_folder(folder: str) -> "List[str]":
    """The names in ``folder`` ([] when it cannot be listed)."""
    try:
        return os.listdir(folder)
    except (OSError, AttributeError):
        return []


def open_read(path: str) -> "Tuple[IO[bytes] | None, str, int | None]":
    """Open ``path`` for reading in binary without ever blocking (a FIFO with no
    writer would block a plain ``open``): returns ``(file, kind, size)`` with the
    kind ("file", "folder", "other") and size of what was opened, from the same
    descriptor, so nothing can be swapped in between; file is None (and nothing
    is left open) unless kind is "file".  Without ``os.open``
    (MicroPython) a plain ``open``, kind "file", and the size ``os.stat`` gives
    (None without it): :func:`read_text` reads on if the file grew since.
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
