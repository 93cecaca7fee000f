"""A MicroPython firmware image booted in QEMU, driven through its serial port by the real
mpremote, as a board on USB is.

    MICROPYTHON_FIRMWARE=/path/to/firmware.elf python portability/qemu_board.py guide

The firmware is NOT part of this repository: MicroPython's code, and binaries built from it,
cannot be committed here. Give the path of one you built yourself (MicroPython's QEMU port,
board MPS2_AN385: an Arm Cortex-M3, Thumb-2 code, software single-precision floats, a heap
fixed when the image is built; see ports/qemu/README.md in MicroPython's source); several
images separated by os.pathsep. `qemu-system-arm` boots it with its UART on a pty, and every
`mpremote` command goes to that pty.

The emulated board has no flash file system, so a local folder stands in for it through
`mpremote mount` (the board sees it as /remote and works there): `mpremote cp -r board/lib :`
copies into it over the serial line, `mpremote cp :FILE .` out of it, and `run`/`exec` run with
/remote/lib added to sys.path (a board's own /lib is on sys.path already; this port's path is
only ''). Each command starts with `soft-reset`, so each starts with the whole heap free.

| name                 | what                                                               |
|----------------------|--------------------------------------------------------------------|
| ``firmwares()``      | the images $MICROPYTHON_FIRMWARE names (an empty list if none)     |
| ``missing()``        | why the emulated board cannot run here (None when it can)          |
| ``EmulatedBoard``    | boot()/stop(), mpremote(), run(), heap(): what board.run_guide needs |
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

MACHINE = "mps2-an385"
TIMEOUT = 1800
SYS_PATH = "import sys; sys.path.append('/remote/lib')"
WHY_NO_FIRMWARE = ("no MicroPython firmware: set MICROPYTHON_FIRMWARE=/path/to/firmware.elf (MicroPython's "
                   "QEMU port, board MPS2_AN385, built by you; firmware cannot be shipped in this repository: "
                   "neither MicroPython's code nor a binary built from it may be committed here)")


def firmwares():
    return [p for p in os.environ.get("MICROPYTHON_FIRMWARE", "").split(os.pathsep) if p]


def _tool(name):
    return shutil.which(name, path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))


def missing():
    if not firmwares():
        return WHY_NO_FIRMWARE
    for f in firmwares():
        if not os.path.isfile(f):
            return "MICROPYTHON_FIRMWARE names %s, which is not a file" % f
    if not _tool("qemu-system-arm"):
        return "qemu-system-arm not found (Debian: apt-get install qemu-system-arm)"
    if not _tool("mpremote"):
        return "mpremote not installed (pip install mpremote)"
    return None


class EmulatedBoard(object):
    """One firmware image in QEMU; `native` is None: its heap is the image's, not an option."""
    native = None

    def __init__(self, firmware):
        self.firmware = firmware
        self.proc = None
        self.pty = None

    def name(self):
        return "MicroPython firmware %s in qemu-system-arm -machine %s" % (os.path.basename(self.firmware), MACHINE)

    def boot(self):
        self.proc = subprocess.Popen([_tool("qemu-system-arm"), "-machine", MACHINE, "-nographic", "-monitor", "null",
                                      "-semihosting", "-bios", "none", "-serial", "pty", "-kernel", self.firmware],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        line = self.proc.stdout.readline()
        m = re.search(r"(/dev/pts/\d+)", line)
        if not m:
            self.stop()
            raise RuntimeError("qemu-system-arm did not open a serial pty: %r" % line)
        self.pty = m.group(1)
        time.sleep(0.5)
        return self

    def stop(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def mpremote_raw(self, args, flash, cwd=None):
        """`mpremote connect PTY soft-reset mount FLASH ARGS...`: (exit status, output)."""
        cmd = [_tool("mpremote"), "connect", self.pty, "soft-reset", "mount", os.path.abspath(flash)] + list(args)
        for attempt in (1, 2):  # mpremote gives a busy machine's emulator a few seconds per reply: once more
            p = subprocess.run(cmd, cwd=cwd or flash, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True, timeout=TIMEOUT)
            if "timeout waiting for remote" not in p.stdout:
                break
        out = "".join(line for line in p.stdout.splitlines(True) if not line.startswith("Local directory "))
        return p.returncode, out

    def mpremote(self, args, work, flash, log):
        """One of the guide's mpremote commands, run as it is in `work` (the board's flash: `flash`)."""
        if args[0] in ("run", "exec"):
            args = ["exec", SYS_PATH] + list(args)
        rc, out = self.mpremote_raw(args, flash, cwd=work)
        if "Traceback" in out:
            rc = rc or 1
        log(out)
        return rc

    def run(self, script, flash, heap_kb=None):
        """Run the file `script` on the board with `flash` mounted: (rc, stdout, "")."""
        rc, out = self.mpremote_raw(["exec", SYS_PATH, "run", os.path.abspath(script)], flash)
        return (rc or (1 if "Traceback" in out else 0)), out, ""

    def heap(self):
        """The heap's size in bytes (free + allocated after a soft reset)."""
        tmp = tempfile.mkdtemp(prefix="tb-qemu-")
        rc, out = self.mpremote_raw(["exec", "import gc; gc.collect(); print(gc.mem_free() + gc.mem_alloc())"], tmp)
        return int(out.split()[-1])


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import board
    why = missing()
    if why:
        print("cannot run: " + why)
        sys.exit(1)
    status = 0
    for fw in firmwares():
        b = EmulatedBoard(fw).boot()
        try:
            print("== %s, heap %d bytes" % (b.name(), b.heap()))
            results, _, _ = board.run_guide(b)
            ok = results and all(rc == 0 for _, rc, _ in results) and len(results) == len(board.commands())
            status = status or (0 if ok else 1)
        finally:
            b.stop()
    sys.exit(status)
