"""Hostile input, second and third rounds: one test per class of promise, each a list of
attacks run as a user runs them (``python -m tinybackprop.cli ...`` in a process of
its own, or a few lines of the API in one), whatever the package's layout.

Every attack must end in one of two ways: exit 0 with every output right and
complete, or exit 2 with ONE clean line on stderr, nothing on stdout and no
file written; either way no input file changes, and a refused input costs at
most 200 MB of memory (the peak resident size of the process, measured by the
kernel).  A hang is a failure (each process has a generous time limit; the
timings are in benchmarks/, not here).

The classes: 1 an output never overwrites an input, whatever the path's
spelling; 2 all outputs or none; 3 bounded work and memory; 4 what is saved
loads; 5 no silently wrong numbers, no raw Python exception; 6 well-formed SVG
and escaped echoes; 7 the exercise checker cannot be fooled or hung; 8 one size
cap for every picture.

The third round (issue 38, tests ``test_r3_*``, numbered as the issue's classes):
r3 2 a run that succeeds does not fail at its end, and a picture (Jupyter's
display) is never a traceback; r3 3 every drawing entry point is bounded; r3 4 no
Python exception for an input the package accepts; r3 5 nothing silently wrong or
half done; r3 6 advice that can help; r3 7 the exercise sandbox keeps what it runs
(nothing it starts outlives it, no ``__pycache__``).  Most of these attacks are a
few lines of the API each, run one after the other in one process (``api_batch``).
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/interp/ -> the repository
#: The issue's bound is 200 MB, met on CPython.  NOT met on PyPy (it starts at about
#: 75 MB and its collector frees late): the 32 MiB junk model file peaks near 235 MB
#: there, load_csv of 2.6 million short rows near 410 MB (CPython: 64 and 116 MB); PyPy
#: is held to 450 MB until the CSV reader streams its rows into less.
PEAK_MB = 200 if sys.implementation.name == "cpython" else 450
HANG = 60  # seconds: far beyond any refusal (they take well under a second), only to catch a hang
#: The largest side of any picture, in px (svg.MAX_SIDE; the README says so).
MAX_SIDE = 16384

pytestmark = pytest.mark.skipif(not hasattr(os, "wait4") or sys.platform != "linux",
                                reason="the peak memory is measured with os.wait4 (Linux)")


def _exit_code(status):
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


class Ran:
    def __init__(self, argv, code, out, err, peak_mb, seconds):
        self.argv, self.code, self.out, self.err, self.peak_mb, self.seconds = argv, code, out, err, peak_mb, seconds

    def __repr__(self):
        return "Ran(%r, code=%r, peak=%.0f MB, %.1f s, out=%r, err=%r)" % (
            self.argv, self.code, self.peak_mb, self.seconds, self.out[:300], self.err[:300])


#: Runs the command given after it in a process of its own and writes that process's
#: peak resident size (KiB) to the file named first.  A process forked from this test's
#: (large) process would start with its pages counted; one forked from this small
#: launcher does not, so what is measured is the command's own memory.
LAUNCH = r"""
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))
"""


def process(cmd, cwd, env=None, root=ROOT):
    """Run ``cmd`` (a list; bytes allowed for undecodable names) in ``cwd`` with
    the package at ``root``; its exit code, output (as text, undecodable bytes
    escaped), peak memory and time."""
    e = dict(os.environ, PYTHONPATH=root, PYTHONIOENCODING="utf-8")
    for k in ("TINYBACKPROP_DEBUG", "COLUMNS"):
        e.pop(k, None)
    e.update(env or {})
    fd, peak_file = tempfile.mkstemp()
    os.close(fd)
    launch = [sys.executable.encode() if isinstance(cmd[0], bytes) else sys.executable, "-c", LAUNCH, peak_file]
    if isinstance(cmd[0], bytes):
        launch = [a if isinstance(a, bytes) else a.encode() for a in launch]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.time()
        p = subprocess.Popen(launch + list(cmd), cwd=cwd, env=e, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                             start_new_session=True)
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.time() - t0 > HANG:
                os.killpg(p.pid, 9)
                pid, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.02)
        p.returncode = _exit_code(status)  # reaped here: Popen must not wait for it again
        seconds = time.time() - t0
        out.seek(0)
        err.seek(0)
        texts = [f.read().decode("utf-8", "backslashreplace") for f in (out, err)]
    with open(peak_file) as f:
        peak = f.read().strip()
    os.remove(peak_file)
    code = 128 - p.returncode if p.returncode > 128 else p.returncode  # killed by a signal: negative
    return Ran(cmd, code, texts[0], texts[1], int(peak) / 1024.0 if peak else float("inf"), seconds)


def cli(argv, cwd, **kw):
    return process([sys.executable, "-m", "tinybackprop.cli"] + list(argv), cwd, **kw)


def api(code, cwd, **kw):
    """Run a few lines of the API; they print OK or the BackpropError's message."""
    prog = ("import sys\nimport tinybackprop as tb\nfrom tinybackprop import BackpropError\ntry:\n"
            + "".join("    " + line + "\n" for line in code.strip().splitlines())
            + "    print('OK')\nexcept BackpropError as e:\n    print('refused: %s' % e)\n")
    return process([sys.executable, "-c", prog], cwd, **kw)


_HASHES = {}


def _hash(p):
    """The sha256 of a file's bytes, read again only when its inode's change time moved: any
    write, truncation, rename onto it or utime moves ctime, which user code cannot set (the big
    inputs of test_3 are 100 MB; hashing them before and after every run was most of its time)."""
    st = os.stat(p)
    key = (p, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if key not in _HASHES:
        with open(p, "rb") as f:
            _HASHES[key] = hashlib.sha256(f.read()).hexdigest()
    return _HASHES[key]


def snapshot(folder):
    """Every file under ``folder`` (by relative name): its bytes' hash (symlinks: their target)."""
    seen = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, folder)
            if os.path.islink(p):
                seen[rel] = "link:" + os.readlink(p)
            elif os.path.isfile(p):
                seen[rel] = _hash(p)
            else:
                seen[rel] = "special"
    return seen


CONTROL = set(chr(c) for c in list(range(0, 32)) + list(range(127, 160))) - {"\n"}


def clean_line(text):
    """ONE line ``tinybackprop: error: ...``, no control characters, no traceback."""
    return (text.startswith("tinybackprop: error: ") and text.count("\n") == 1 and text.endswith("\n")
            and not (set(text) & CONTROL) and "Traceback" not in text)


def refused_cleanly(r, before, after):
    """Exit status 2, and on stderr one clean error line and nothing else (a run that warned of
    its start loss and then failed says only its error, which carries the advice)."""
    assert r.code == 2, r
    assert clean_line(r.err), r
    assert r.out == "", r
    assert after == before, ("a refused command changed or wrote files", r, sorted(set(after.items()) ^ set(before.items())))
    assert r.peak_mb < PEAK_MB, r


def holds(r, before, after, inputs, outputs=()):
    """The two allowed ends of an attack; returns True when it succeeded (exit 0)."""
    for name in inputs:
        assert after.get(name) == before.get(name), ("an input changed", name, r)
    if r.code == 0:
        for name in outputs:
            assert name in after, ("exit 0 but an output is missing", name, r)
        assert not (set(r.out) & CONTROL) and not (set(r.err) & CONTROL - {"\r"}), r
        return True
    refused_cleanly(r, before, after)
    return False


def small_csv(path, rows=40, header="a,b,label", label=lambda i: "yes" if i % 2 else "no"):
    with open(path, "w") as f:
        f.write(header + "\n")
        for i in range(rows):
            f.write("%g,%g,%s\n" % (i * 0.1, (i % 7) * 0.3, label(i)))


def write_model(path, d, indent=None):
    with open(path, "w") as f:
        f.write(json.dumps(d, indent=indent))


def tiny_model(tmp_path, name="m.json", args=()):
    r = cli(["train", "--quiet", "--epochs", "2", "--save", name] + list(args), str(tmp_path))
    assert r.code == 0, r
    return str(tmp_path / name)


# -- 1. an output never overwrites an input ---------------------------------------------------

def _links(tmp_path):
    small_csv(str(tmp_path / "victim.csv"))
    os.symlink("victim.csv", str(tmp_path / "sym.json"))
    os.link(str(tmp_path / "victim.csv"), str(tmp_path / "hard.json"))
    os.mkdir(str(tmp_path / "sub"))
    os.symlink("victim.csv", str(tmp_path / "data-link.csv"))
    tiny_model(tmp_path)
    os.link(str(tmp_path / "m.json"), str(tmp_path / "m-hard.svg"))
    os.symlink("m.json", str(tmp_path / "m-sym.svg"))


SAME_FILE = [
    ["train", "--data", "victim.csv", "--save", "victim.csv"],
    ["train", "--data", "victim.csv", "--save", "./victim.csv"],
    ["train", "--data", "victim.csv", "--save", "{tmp}/victim.csv"],
    ["train", "--data", "victim.csv", "--save", "sub/../victim.csv"],
    ["train", "--data", "victim.csv", "--save", "sym.json"],
    ["train", "--data", "victim.csv", "--save", "hard.json"],
    ["train", "--data", "data-link.csv", "--save", "victim.csv"],
    ["train", "--data", "{tmp}/sub/../data-link.csv", "--save", "hard.json"],
    ["draw", "--model", "m.json", "--out", "m-hard.svg"],
    ["draw", "--model", "m-sym.svg", "--out", "./m-hard.svg"],
    ["draw", "--model", "m-sym.svg", "--out", "m-sym.svg"],
]


def test_1_no_output_overwrites_an_input_whatever_the_spelling(tmp_path):
    _links(tmp_path)
    inputs = ["victim.csv", "hard.json", "m.json", "m-hard.svg"]
    for argv in SAME_FILE:
        argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
        before = snapshot(str(tmp_path))
        r = cli(argv + ["--quiet"] * (argv[0] == "train"), str(tmp_path))
        after = snapshot(str(tmp_path))
        holds(r, before, after, inputs)
        assert after == before, ("an output replaced an input (or a link to it)", r)


def test_1_the_shipped_data_are_inputs_too(tmp_path):
    """``train`` (Iris by default) reads the package's own iris.csv: --save onto it is refused."""
    pkg = tmp_path / "pkg"
    shutil.copytree(os.path.join(ROOT, "tinybackprop"), str(pkg / "tinybackprop"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    found = [os.path.join(d, f) for d, _, fs in os.walk(str(pkg / "tinybackprop")) for f in fs if f.startswith("iris")]
    assert found, "no iris data file in the package"
    before = snapshot(str(pkg))
    r = cli(["train", "--quiet", "--save", found[0]], str(tmp_path), root=str(pkg))
    refused_cleanly(r, before, snapshot(str(pkg)))


# -- 2. all outputs or none -----------------------------------------------------------------------

def test_2_a_command_writes_all_its_outputs_or_none(tmp_path):
    bad = b"d\xff\x1b[2J.csv"  # an undecodable byte and a terminal escape in the data file's name
    d = tmp_path
    small_csv(os.path.join(os.fsencode(str(d)), bad).decode("utf-8", "surrogateescape"))
    big = str(d / "big.csv")
    with open(big, "w") as f:
        f.write("x,price\n" + "".join("%d,%r\n" % (i, (-1) ** i * 1e300) for i in range(40)))
    cases = [
        ([b"train", b"--data", bad, b"--save", b"m1.json", b"--plot", b"p1.svg"], ["m1.json", "p1.svg"]),
        ([b"train", b"--save", b"m\xff2.json", b"--plot", b"p2.svg"], ["m\udcff2.json", "p2.svg"]),
        ([b"train", b"--save", b"m3.json", b"--plot", b"p\xff3.svg", b"--json"], ["m3.json", "p\udcff3.svg"]),
        ([b"train", b"--data", b"big.csv", b"--save", b"m4.json", b"--plot", b"p4.svg", b"--json"],
         ["m4.json", "p4.svg"]),
        ([b"train", b"--data", b"big.csv", b"--save", b"m5.json", b"--epochs", b"1"], ["m5.json"]),
    ]
    for argv, outputs in cases:
        before = snapshot(str(d))
        r = process([sys.executable.encode(), b"-m", b"tinybackprop.cli"] + argv + [b"--quiet"], str(d))
        after = snapshot(str(d))
        outs = [os.fsencode(o).decode("utf-8", "backslashreplace") if "\udcff" in o else o for o in outputs]
        names = set(after) - set(before)
        if r.code == 0:
            for o in outputs:
                assert os.path.exists(os.path.join(str(d), o)), ("exit 0 without", o, r)
                if o.endswith(".svg"):
                    ET.parse(os.path.join(str(d), o))
        else:
            assert not names, ("exit %d but wrote" % r.code, names, outs, r)
            refused_cleanly(r, before, after)


# -- 3. bounded work and memory -----------------------------------------------------------------

def _big_inputs(d):
    with open(os.path.join(d, "rows.csv"), "w") as f:  # 2.6 million rows in 10 MB
        f.write("x,y\n")
        f.write("1,0\n1,1\n" * 1300000)
    with open(os.path.join(d, "wide.csv"), "w") as f:  # 100,000 columns
        f.write(",".join("c%d" % i for i in range(100000)) + "\n")
        for _ in range(3):
            f.write(",".join("1" for _ in range(100000)) + "\n")
    os.mkfifo(os.path.join(d, "fifo.csv"))
    os.mkfifo(os.path.join(d, "fifo.json"))
    os.symlink("/dev/zero", os.path.join(d, "zero.csv"))
    with open(os.path.join(d, "junk.json"), "w") as f:  # 32 MB of empty lists
        f.write("[" + "[]," * (10 * 2 ** 20) + "[]]")
    with open(os.path.join(d, "zeros.json"), "w") as f:
        f.write('{"format": "tinybackprop-network", "version": 1, "W": [' + "0," * (15 * 2 ** 20) + "0]}")
    n = 10 ** 6  # a million layers of width 1: 16 MB of compact JSON
    with open(os.path.join(d, "deep.json"), "w") as f:
        f.write('{"format": "tinybackprop-network", "version": 1, "sizes": [%s], "hidden": "sigmoid", '
                '"output": "sigmoid", "loss": "bce", "W": [%s], "b": [%s]}'
                % (",".join(["1"] * (n + 1)), ",".join(["[[0.5]]"] * n), ",".join(["[[0.0]]"] * n)))
    with open(os.path.join(d, "bigint.json"), "w") as f:  # a 2-million-digit integer (quadratic to parse)
        f.write('{"format": "tinybackprop-network", "version": ' + "7" * 2000000 + "}")
    import gzip
    with gzip.open(os.path.join(d, "bomb.gz"), "wb", compresslevel=1) as f:  # 64 MB unpacked, 300 kB packed
        block = b"1," * (2 ** 19)
        for _ in range(64):
            f.write(block)


BOUNDED = [
    ["train", "--data", "rows.csv", "--layers", "3,1"],
    ["train", "--data", "wide.csv"],
    ["train", "--data", "wide.csv", "--layers", "5,1"],
    ["train", "--data", "fifo.csv"],
    ["train", "--data", "zero.csv"],
    ["predict", "--model", "m.json", "--csv", "fifo.csv"],
    ["predict", "--model", "m.json", "--csv", "zero.csv"],
    ["predict", "--model", "m.json", "--csv", "rows.csv"],
    ["predict", "--model", "fifo.json", "--x", "1"],
    ["predict", "--model", "junk.json", "--x", "1"],
    ["predict", "--model", "zeros.json", "--x", "1"],
    ["predict", "--model", "deep.json", "--x", "1"],
    ["draw", "--model", "deep.json", "--out", "d.svg"],
    ["predict", "--model", "bigint.json", "--x", "1"],
    ["exercise", "g_W", "fifo.csv"],
]

API_BOUNDED = [
    "from tinybackprop import datasets\ndatasets.load_digits('bomb.gz')",
    "from tinybackprop import datasets\ndatasets.load_digits('/dev/zero')",
    "from tinybackprop import datasets\ndatasets.load_iris('/dev/zero')",
    "from tinybackprop import datasets\ndatasets.load_csv('zero.csv')",
    "from tinybackprop import datasets\ndatasets.load_csv('fifo.csv')",
    "from tinybackprop import datasets\ndatasets.load_csv('rows.csv')",
    "from tinybackprop import datasets\ndatasets.read_rows('zero.csv')",
    "from tinybackprop import datasets\ndatasets.read_rows('fifo.csv')",
    "tb.Network.load('junk.json')",
    "tb.Network.load('deep.json')",
    "tb.Network.load('bigint.json')",
    "tb.Network([1] * 100001)",
]


def test_3_every_reader_is_bounded(tmp_path):
    d = str(tmp_path)
    _big_inputs(d)
    tiny_model(tmp_path)
    for argv in BOUNDED:
        before = snapshot(d)
        r = cli(argv, d)
        holds(r, before, snapshot(d), ["m.json", "rows.csv", "wide.csv", "junk.json", "deep.json"])
        assert r.code == 2 and r.peak_mb < PEAK_MB and r.seconds < HANG, r
    for code in API_BOUNDED:
        r = api(code, d)
        assert r.code == 0 and r.out.startswith("refused: ") and r.err == "", r
        assert r.peak_mb < PEAK_MB, r


# -- 4. what is saved loads ----------------------------------------------------------------------

def test_4_what_train_saves_predict_loads(tmp_path):
    d = str(tmp_path)
    headers = ["[[[[[[[[[[[[[[[[[[[[a,{{{{{{{{{{{{{{{{{{{{b,label", '"q""uote\\",b\\\\,label', "\u00e9t\u00e9,\u2603,label",
               "a]]]]]]]]]]]]]]]]]]]]]],b}}}}}}}}}}}}}}}}},[[[[[[[[[[[[[[[[[[label"]
    for k, header in enumerate(headers):
        small_csv(os.path.join(d, "h%d.csv" % k), header=header)
        r = cli(["train", "--quiet", "--data", "h%d.csv" % k, "--epochs", "2", "--save", "h%d.json" % k], d)
        assert r.code == 0, r
        r = cli(["predict", "--model", "h%d.json" % k, "--x", "0.1,0.2"], d)
        assert r.code == 0 and r.out.count("\n") == 1, ("saved but does not load", header, r)


API_SAVES = [
    "net.save('x.json', data={'a': eval('[' * 30 + ']' * 30)})",
    "net.save('x.json', data={'a': eval('{\"k\": ' * 30 + '1' + '}' * 30)})",
    "net.save('x.json', data={'[[[[[[[[[[[[[[[[[[[[[': '{{{{{{{{{{{{{{{{{{{{{{'})",
    "net.save('x.json', data={'n': 10 ** 5000})",
    "net.save('x.json', data={'n': [0.5] * 3000000})",
    "net.save('x.json', data={'s': 'x' * (40 * 2 ** 20)})",
    "net.save('x.json', data={'f': float('nan')})",
    "net.save('x.json', data={'o': object()})",
    "net.save('x.json', data={1: 'int key'})",
]


def test_4_what_the_api_saves_loads_or_is_refused_before_writing(tmp_path):
    d = str(tmp_path)
    for code in API_SAVES:
        for f in os.listdir(d):
            os.remove(os.path.join(d, f))
        r = api("net = tb.Network([2, 2, 1], seed=1)\n" + code + "\ntb.Network.load('x.json')", d)
        assert r.code == 0 and r.err == "", (code, r)
        if r.out.startswith("refused: "):
            assert os.listdir(d) == [], ("refused, yet a file was written", code, os.listdir(d))
            assert r.out.startswith("refused: save: "), (code, r)
        else:
            assert r.out == "OK\n", (code, r)


# -- 5. no silently wrong numbers, no raw exception -------------------------------------------

HUGE = ["--x", "1e308,1e308,1e308,1e308"]
NUMBERS_CLI = [
    ["explain"] + HUGE,
    ["explain", "--x", "1e300,-1e300,1e300,-1e300", "--hidden", "relu", "--output", "identity"],
    ["draw", "--out", "n1.svg", "--gradients"] + HUGE,
    ["draw", "--out", "n2.svg", "--labels", "gradients", "--x", "1e300,-1e300,1e300,-1e300", "--hidden", "relu",
     "--output", "identity"],
]

NUMBERS_API = [
    "net = tb.Network([2, 2, 1], output='identity', loss='squared_error')\n"
    "net.W[1] = [[1.0, 1.0], [1.0, 1.0]]\nnet.W[2] = [[1.7e308], [1.7e308]]\nnet.predict([[1.0, 1.0]])",
    "net = tb.Network([2, 2, 1], hidden='relu', output='identity', loss='squared_error')\n"
    "net.W[1] = [[1e200, 1e200], [1e200, 1e200]]\nnet.W[2] = [[1e200], [1e200]]\nnet.predict([[1e200, 1e200]])",
    "net = tb.Network([2, 2, 1], hidden='relu', output='identity', loss='squared_error')\n"
    "net.W[1] = [[1e200, 1e200], [1e200, 1e200]]\nnet.W[2] = [[1e200], [1e200]]\n"
    "net.loss_value([[1e200, 1e200]], [[0.0]])",
    "from tinybackprop import vectorized\nnet = tb.Network([2, 2, 1], hidden='relu', output='identity', "
    "loss='squared_error')\nnet.W[1] = [[1e200, 1e200], [1e200, 1e200]]\nnet.W[2] = [[1e200], [1e200]]\n"
    "vectorized.backward(net, [[1e200, 1e200]], [[0.0]])",
    "from tinybackprop import per_neuron\nnet = tb.Network([2, 2, 1], hidden='relu', output='identity', "
    "loss='squared_error')\nnet.W[1] = [[1e200, 1e200], [1e200, 1e200]]\nnet.W[2] = [[1e200], [1e200]]\n"
    "per_neuron.backward(net, [[1e200, 1e200]], [[0.0]])",
    "from tinybackprop import datasets\ndatasets.Standardizer().fit([[float('nan')], [1.0]])",
    "from tinybackprop import datasets\ndatasets.Standardizer().fit([[float('inf')], [1.0]])",
    "from tinybackprop import datasets\ndatasets.Standardizer.from_dict({'mean': [float('nan')], 'std': [1.0]})",
    "from tinybackprop import datasets\ndatasets.Standardizer.from_dict({'mean': [0.0], 'std': [float('inf')]})",
    "from tinybackprop import datasets\ns = datasets.Standardizer().fit([[1e200], [-1e200]])\n"
    "assert all(v == v and abs(v) < 1e309 for v in s.mean + s.std), s.to_dict()",
    "from tinybackprop import datasets\ndatasets.Standardizer().fit([[10 ** 400], [1]])",
    "from tinybackprop import datasets\ndatasets.Standardizer.from_dict({'mean': [10 ** 400], 'std': [1]})",
    "from tinybackprop import datasets\ns = datasets.Standardizer().fit([[1.0], [3.0]])\ns.transform([[10 ** 400]])",
    "from tinybackprop import datasets\ns = datasets.Standardizer().fit([[1e300], [-1e300]])\n"
    "r = s.inverse([[1e10]])\nassert all(v == v and abs(v) < 1e309 for v in r[0]), r",
]


def test_5_no_silently_wrong_number_and_no_raw_exception(tmp_path):
    d = str(tmp_path)
    for argv in NUMBERS_CLI:
        before = snapshot(d)
        r = cli(argv, d)
        after = snapshot(d)
        if holds(r, before, after, []):
            assert "nan" not in r.out.lower() and "inf" not in r.out.lower(), r
            for name in set(after) - set(before):
                text = open(os.path.join(d, name)).read()
                assert '"nan"' not in text and '"inf"' not in text and "NaN" not in text, (r, name)
        else:
            assert "--x" in r.err or "--h" in r.err, ("the error does not name the input", r)
    for code in NUMBERS_API:
        r = api(code, d)
        assert r.code == 0 and r.err == "", (code, r)
        if "assert" in code:  # a right answer, or a clean refusal
            assert r.out == "OK\n" or r.out.startswith("refused: "), (code, r)
        else:  # a NaN, an infinity or a raw exception is wrong here: it must be refused
            assert r.out.startswith("refused: "), (code, r)


def test_5_csv_numbers_that_lose_classes_or_overflow(tmp_path):
    d = str(tmp_path)
    with open(os.path.join(d, "big-labels.csv"), "w") as f:  # two labels a float cannot tell apart
        f.write("x,label\n" + "".join("%d,%d\n" % (i, 2 ** 53 + i % 2) for i in range(40)))
    with open(os.path.join(d, "tiny-target.csv"), "w") as f:
        f.write("x,y\n" + "".join("%d,%re-200\n" % (i, 1.0 + i % 5) for i in range(40)))
    with open(os.path.join(d, "huge-target.csv"), "w") as f:
        f.write("x,y\n" + "".join("%d,%s\n" % (i, "1e308" if i % 2 else "-1e308") for i in range(40)))
    r = cli(["train", "--quiet", "--data", "big-labels.csv", "--json", "--epochs", "2"], d)
    if r.code == 0:
        assert len(json.loads(r.out)["classes"]) == 2, ("labels 2^53 and 2^53 + 1 merged", r)
    else:
        assert clean_line(r.err) and "label" in r.err, r
    r = cli(["train", "--quiet", "--data", "tiny-target.csv", "--json", "--epochs", "30"], d)
    if r.code == 0:
        assert json.loads(r.out)["train_r2"] is not None, ("a target near 1e-200 has no R^2", r)
    else:
        assert clean_line(r.err), r
    for argv in (["train", "--quiet", "--data", "huge-target.csv", "--save", "h.json"],
                 ["train", "--quiet", "--data", "huge-target.csv", "--json"]):
        before = snapshot(d)
        r = cli(argv, d)
        if holds(r, before, snapshot(d), ["huge-target.csv"]):
            assert "inf" not in r.out.lower() and "nan" not in r.out.lower(), r
    # a model whose de-standardised prediction overflows
    small_csv(os.path.join(d, "reg.csv"), header="a,b,price", label=lambda i: "%g" % (i * 1.37))
    assert cli(["train", "--quiet", "--data", "reg.csv", "--epochs", "2", "--save", "reg.json"], d).code == 0
    m = json.load(open(os.path.join(d, "reg.json")))
    m["data"]["target_standardize"] = {"mean": [1e308], "std": [1e308]}
    write_model(os.path.join(d, "reg2.json"), m)
    for argv in (["predict", "--model", "reg2.json", "--x", "100,100"], ["predict", "--model", "reg2.json", "--x", "100,100", "--json"]):
        r = cli(argv, d)
        assert r.code == 2 and clean_line(r.err), ("an infinite prediction printed", r)


# -- 6. well-formed SVG, escaped echoes ---------------------------------------------------------

def test_6_every_svg_is_well_formed_and_every_echo_escaped(tmp_path):
    d = str(tmp_path)
    small_csv(os.path.join(d, "ctl\x01\x1b[31m.csv"), label=lambda i: "y\x1b[2Jes" if i % 2 else "n\x07o")
    tiny_model(tmp_path)
    titles = [b"a\x01b", b"\x1b[2J\x0c\x7f", b"t\xff\xfe", b"\xef\xbf\xbe", b"]]>&<'\"", b"\xed\xa0\x80"]
    runs = [[b"draw", b"--out", b"t%d.svg" % k, b"--title", t] for k, t in enumerate(titles)]
    runs += [[b"train", b"--quiet", b"--data", b"ctl\x01\x1b[31m.csv", b"--epochs", b"2", b"--plot", b"p.svg",
              b"--save", b"c\x1b[2J.json"],
             [b"predict", b"--model", b"c\x1b[2J.json", b"--x", b"0.1,0.2"],
             [b"predict", b"--model", b"c\x1b[2J.json", b"--x", b"0.1,0.2", b"--json"],
             [b"predict", b"--model", b"\x1b[2Jnothing\x9b.json", b"--x", b"1"],
             [b"predict", b"--model", b"\xc2\x9b2J\xe2\x80\xae.json", b"--x", b"1"],
             [b"draw", b"--model", b"c\x1b[2J.json", b"--out", b"\x1b]0;pwned\x07.svg"],
             [b"train", b"--data", b"\x1b[2J\xff.csv"],
             [b"predict", b"--model", b"m.json", b"--csv", b"\x1b[2J.csv"]]
    for argv in runs:
        r = process([sys.executable.encode(), b"-m", b"tinybackprop.cli"] + argv, d)
        assert r.code in (0, 2), r
        assert not (set(r.out) & CONTROL) and not (set(r.err) & CONTROL), ("a control character echoed", r)
        if r.code == 2:
            assert clean_line(r.err), r
    svgs = [f for f in os.listdir(d) if f.endswith(".svg")]
    assert len(svgs) >= 3, svgs
    for name in svgs:
        ET.parse(os.path.join(d, name))  # raises on anything that is not well-formed XML
    r = api("from tinybackprop.show import svg\nfor t in ['\\x00', '\\x1b[2J', '\\ud800', '\\ufffe', ']]>']:\n"
            "    for s in (svg.loss_curve([1.0, 0.5], title=t, train_label=t), svg.network(tb.Network([2, 1]), title=t)):\n"
            "        import xml.etree.ElementTree as ET\n        ET.fromstring(s.encode('utf-8'))", d)
    assert r.out == "OK\n" and r.err == "", r


# -- 7. the exercise checker ----------------------------------------------------------------------

EXERCISE_FILES = {
    "exit_at_import.py": "import sys\nsys.exit(0)\n",
    "exit_inside.py": "import sys\ndef g_W(a_prev, g_z):\n    sys.exit(0)\n",
    "os_exit_inside.py": "import os\ndef g_W(a_prev, g_z):\n    os._exit(0)\n",
    "loop_at_import.py": "while True:\n    pass\n",
    "loop_inside.py": "def g_W(a_prev, g_z):\n    while True:\n        pass\n",
    "big_int.py": "def sigmoid_d(z):\n    return 10 ** 400\n",
    "prints_pass.py": "def sigmoid_d(z):\n    print('pass: sigmoid_d(z) agrees with the package')\n    return 0.0\n",
    "hog.py": "def sigmoid_d(z):\n    x = [0.0] * (3 * 10 ** 7)\n    return 0.25\n",
    "notes.txt": "def sigmoid_d(z):\n    return 0.25\n",
    "lying_float.py": "class F(float):\n    def __sub__(self, o): return 0.0\n    def __rsub__(self, o): return 0.0\n"
                      "    def __eq__(self, o): return True\n    def __ne__(self, o): return False\n"
                      "def sigmoid_d(z):\n    return F(0.0)\n",
}
EXERCISE_RUNS = [
    ["g_W", "exit_at_import.py"], ["g_W", "exit_inside.py"], ["g_W", "os_exit_inside.py"],
    ["g_W", "loop_at_import.py", "--timeout", "1"], ["g_W", "loop_inside.py", "--timeout", "1"],
    ["sigmoid_d", "big_int.py"], ["sigmoid_d", "prints_pass.py"], ["sigmoid_d", "hog.py"],
    ["sigmoid_d", "notes.txt"], ["sigmoid_d", "lying_float.py"], ["sigmoid_d", "."],
]


def test_7_the_exercise_checker_cannot_be_fooled_or_hung(tmp_path):
    d = str(tmp_path)
    for name, text in EXERCISE_FILES.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    for argv in EXERCISE_RUNS:
        before = snapshot(d)
        r = cli(["exercise"] + argv, d)
        assert r.code in (1, 2), ("not a pass: %s" % argv, r)
        assert r.seconds < HANG and r.peak_mb < PEAK_MB, r
        if r.code == 2:
            refused_cleanly(r, before, snapshot(d))
        else:
            assert r.out.startswith("wrong: ") and "pass" not in r.out.split("\n")[0][:8], r
    r = cli(["exercise", "--help"], d)
    assert "--timeout" in r.out, r


# -- 8. one size cap for every picture ---------------------------------------------------------

def _side(path):
    root = ET.parse(path).getroot()
    return float(root.get("width")), float(root.get("height"))


def test_8_every_picture_is_capped(tmp_path):
    d = str(tmp_path)
    n = 1000
    write_model(os.path.join(d, "long.json"), {
        "format": "tinybackprop-network", "version": 1, "sizes": [1] * (n + 1), "hidden": "sigmoid",
        "output": "sigmoid", "loss": "bce", "W": [[[0.5]]] * n, "b": [[[0.0]]] * n})
    write_model(os.path.join(d, "tall.json"), {
        "format": "tinybackprop-network", "version": 1, "sizes": [1, 200, 1], "hidden": "sigmoid",
        "output": "sigmoid", "loss": "bce", "W": [[[0.5] * 200], [[0.5]] * 200], "b": [[[0.0] * 200], [[0.0]]]})
    runs = [["draw", "--model", "long.json", "--out", "a.svg"],
            ["draw", "--model", "tall.json", "--out", "b.svg", "--labels", "weights"],
            ["draw", "--layers", ",".join(["2"] * 51), "--out", "c.svg", "--gradients"],
            ["draw", "--layers", "200,12", "--out", "e.svg", "--gradients"],
            ["draw", "--layers", "1,200,1", "--out", "f.svg"]]
    for argv in runs:
        before = snapshot(d)
        r = cli(argv, d)
        after = snapshot(d)
        if holds(r, before, after, ["long.json", "tall.json"], [argv[argv.index("--out") + 1]]):
            w, h = _side(os.path.join(d, argv[argv.index("--out") + 1]))
            assert w <= MAX_SIDE and h <= MAX_SIDE, (w, h, r)
    r = api("from tinybackprop.show import svg\nsvg.network(tb.Network([1] * 1001))", d)
    assert r.out.startswith("refused: "), r


# -- third round, class 1: nothing runs that the user did not write (export) ---------------------

#: Names that end a docstring, start an escape Python refuses (\x, \N, \u12), end a line or a
#: comment, or act on a terminal; each goes into a model file's name, a class or a feature.
INJECT = 'i"""\nopen("PWNED", "w").write("ran")\n"""'
EXPORT_NAMES = [INJECT, "a\\x", "b\\N", "c\\u12", "d'\"", "e\nf", "g\x1b[2J\x07", "h # i", "\u202ej"]


def _script_is_data_and_functions(text):
    """The generated script's top level, read by ast: a docstring, imports, assignments of
    literals (ast.literal_eval reads each back), function definitions, and the template's
    own ACTIVATION, MODEL = build() and main guard; nothing else runs.  Returns {name: value}."""
    import ast

    values = {}
    for k, node in enumerate(ast.parse(text).body):
        if isinstance(node, ast.Expr):
            assert k == 0, "an expression runs at the top level: %s" % ast.dump(node)[:200]
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("ACTIVATION", "MODEL"):
                assert "EXPECTED" in values, "%s before the data: not the template's" % name
            else:
                values[name] = ast.literal_eval(node.value)
        elif isinstance(node, ast.If):
            assert isinstance(node.test, ast.Compare) and node.test.left.id == "__name__"
        else:
            assert isinstance(node, (ast.Import, ast.FunctionDef)), ast.dump(node)[:200]
    return values


def _has(module):
    r = subprocess.run([sys.executable, "-c", "import " + module], capture_output=True)
    return r.returncode == 0


def test_export_holds_every_name_as_data_never_as_code(tmp_path):
    d = str(tmp_path)
    tiny_model(tmp_path, "plain.json")
    import csv
    with open(os.path.join(d, "named.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x1", "w\\N", "label"])
        for i in range(40):
            w.writerow(["%g" % (i * 0.1), "%g" % ((i % 7) * 0.3), ['k\\x"""', "l\\u12'"][i % 2]])
    r = cli(["train", "--quiet", "--data", "named.csv", "--epochs", "2", "--save", "named.json"], d)
    assert r.code == 0, r
    runnable = [to for to in ("numpy", "torch") if _has(to)]
    cases = []
    for k, name in enumerate(EXPORT_NAMES):
        model = name + ".json"
        shutil.copy(os.path.join(d, "plain.json"), os.path.join(d, model))
        cases.append((model, "s%d.py" % k, model, None))
    cases.append(("named.json", "named.py", "named.json", (["x1", "w\\N"], ['k\\x"""', "l\\u12'"])))
    for k, (model, out, source, names) in enumerate(cases):
        to = ("numpy", "torch")[k % 2]
        before = snapshot(d)
        r = cli(["export", "--model", model, "--to", to, "--out", out], d)
        assert r.code == 0 and holds(r, before, snapshot(d), [model], [out]), r
        with open(os.path.join(d, out), encoding="utf-8") as f:
            values = _script_is_data_and_functions(f.read())
        assert values["SOURCE"] == source, (values["SOURCE"], source)
        if names:
            assert values["FEATURES"] == names[0] and sorted(values["CLASSES"]) == sorted(names[1])
        if to in runnable and k % 3 == 0 or (names and to in runnable):
            r = process([sys.executable, out], d)
            assert r.code == 0 and "OK: " in r.out, r
            assert not (set(r.out) & CONTROL), ("the script echoed a control character", r)
    assert not os.path.exists(os.path.join(d, "PWNED")), "an exported script ran code from a name"
    # refusals: one clean line, nothing written
    write_model(os.path.join(d, "bad.json"), dict(json.load(open(os.path.join(d, "plain.json"))),
                                                   data={"classes": ["x", 3]}))
    for argv in (["export", "bad.json", "--to", "numpy", "--out", "bad.py"],
                 ["export", INJECT + ".json", "--to", "numpy", "--out", INJECT + ".txt"],
                 ["export", "missing\\N.json", "--to", "torch", "--out", "m.py"]):
        before = snapshot(d)
        r = cli(argv, d)
        refused_cleanly(r, before, snapshot(d))
        assert "Error:" not in r.err and "Exception" not in r.err, r


# == The third round (issue 38): the surfaces added since the second ===========================
# Classes (the numbering; 1, code injection through export, is tested beside export):
# 2 a run that succeeds does not fail at its end, and a picture is never a traceback; 3 every
# drawing entry point is bounded (16,384 px a side, its work and memory before it starts);
# 4 no Python exception for an input the package accepts; 5 nothing silently wrong or half
# done; 6 advice that can help; 7 the exercise sandbox keeps what it runs.

#: Python's own exceptions: never in a refusal's message (the learner's own, reported by the
#: exercise checker as what their code raised, excepted).
RAW = ("ZeroDivisionError", "OverflowError", "TypeError", "IndexError", "KeyError", "AttributeError",
       "RecursionError", "MemoryError", "Traceback", "ValueError")

#: Runs each snippet of the API (JSON list in argv[1]) on its own, in one process; prints one
#: JSON line per snippet: "OK", "refused: <the BackpropError's message>" or "RAISED <type>: ...".
BATCH = r"""
import json, sys
import tinybackprop as tb
from tinybackprop import BackpropError
for code in json.loads(sys.argv[1]):
    try:
        exec(code, {"tb": tb, "BackpropError": BackpropError})
        out = "OK"
    except BackpropError as e:
        out = "refused: %s" % e
    except BaseException as e:  # noqa: BLE001 - what the test is for: any other exception is a failure
        out = "RAISED %s: %s" % (type(e).__name__, e)
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
"""


def api_batch(cases, cwd):
    """Run the snippets of ``cases`` ((expect, code): expect "ok", a refusal's prefix such as
    "Adam: ", or "either") in one process, and check each: OK, or a clean one-line refusal that
    starts with the operation's name; never another exception.  The process's memory is bounded
    and it ends within HANG seconds."""
    r = process([sys.executable, "-c", BATCH, json.dumps([code for _, code in cases])], cwd)
    outs = [json.loads(line) for line in r.out.splitlines()]
    assert r.code == 0 and r.err == "" and len(outs) == len(cases), r
    assert r.peak_mb < PEAK_MB, r
    for (expect, code), out in zip(cases, outs):
        if expect == "ok":
            assert out == "OK", (code, out)
            continue
        if expect == "either" and out == "OK":
            continue
        assert out.startswith("refused: "), (code, out)
        message = out[len("refused: "):]
        assert "\n" not in message and not any(name in message for name in RAW), (code, out)
        if expect != "either":
            assert message.startswith(expect), ("the refusal does not name the operation", expect, code, out)
    return outs


def _svg_sides(text):
    root = ET.fromstring(text.encode("utf-8"))
    return float(root.get("width")), float(root.get("height"))


# -- r3 2. a successful run does not fail at its end; a picture, never a traceback -----------------

def test_r3_2_tiny_losses_plot_and_every_display_shows(tmp_path):
    d = str(tmp_path)
    with open(os.path.join(d, "line.csv"), "w") as f:  # y = 2x + 1: one full-batch step fits it, loss ~1e-32
        f.write("x,y\n" + "".join("%g,%g\n" % (i * 0.1, 2 * i * 0.1 + 1) for i in range(40)))
    base = ["train", "--quiet", "--data", "line.csv", "--layers", "1,1", "--epochs", "5", "--lr", "1",
            "--batch-size", "64", "--val-fraction", "0"]  # every training row in the one step: it fits them
    r = cli(base + ["--json"], d)
    assert r.code == 0 and max(json.loads(r.out)["history"]["train_loss"]) < 1e-20, r
    r = cli(base + ["--plot", "p.svg"], d)
    # stderr may hold warnings (y is a column's linear function: the start loss says so), never an error
    assert r.code == 0 and all(line.startswith("tinybackprop: warning: ") for line in r.err.splitlines()), \
        ("training succeeds, and the plot fails it", r)
    root = ET.parse(os.path.join(d, "p.svg")).getroot()
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("text-anchor") == "end"]
    assert len(labels) >= 2 and len(set(labels)) == len(labels), labels  # the y ticks, each its own
    shows = [
        # History: tiny, subnormal, huge, equal, mixed with NaN; the losses of a run that diverged
        ("history", "[4e-18, 3e-18]"), ("history", "[5e-324, 5e-324, 1e-323]"), ("history", "[1e308, 1.7e308]"),
        ("history", "[0.0, 0.0]"), ("history", "[float('nan'), 0.5, float('inf')]"), ("history", "[-1.7e308, 1.7e308]"),
        ("history", "[1e-300, 1e300]"), ("history", "[123456789.0, 123456789.00000001]"),
    ]
    cases = []
    for _, losses in shows:
        cases.append(("ok", "import tinybackprop.show, xml.etree.ElementTree as ET\n"
                            "h = tb.History(False, True); h.loss.extend(%s); h.val_loss.extend(%s)\n"
                            "s = h._repr_svg_(); root = ET.fromstring(s)\n"
                            "ys = [t.text for t in root.iter('{http://www.w3.org/2000/svg}text') "
                            "if t.get('text-anchor') == 'end']\n"
                            "assert len(ys) >= 2 and len(set(ys)) == len(ys), ys" % (losses, losses)))
    cases += [
        ("ok", "import tinybackprop.show\nh = tb.History(False, False); h.loss.extend([float('nan')] * 3)\n"
               "assert h._repr_svg_() is None"),
        ("ok", "import tinybackprop.show\nh = tb.History(False, False); h.loss.extend(['a', None])\n"
               "assert h._repr_svg_() is None"),
        # the network: weights near 1e308 (the setter takes them), NaN and infinities after a diverged run
        ("ok", "import tinybackprop.show, xml.etree.ElementTree as ET\nnet = tb.Network([2, 2, 1])\n"
               "net.W[1] = [[1e308, -1e308], [1.7e308, -1.7e308]]\nnet.W[2] = [[1e-308], [-5e-324]]\n"
               "ET.fromstring(net._repr_svg_())"),
        ("ok", "import tinybackprop.show, xml.etree.ElementTree as ET\nnet = tb.Network([2, 3, 1])\n"
               "net.W[1][0][0] = float('nan'); net.W[1][1][2] = float('inf'); net.b[2][0][0] = float('-inf')\n"
               "s = net._repr_svg_(); ET.fromstring(s); assert 'nan' in s"),
        ("ok", "import tinybackprop.show\nnet = tb.Network([2, 3, 1])\n"
               "for l in (1, 2):\n    for row in net.W[l]:\n        row[:] = [float('nan')] * len(row)\n"
               "assert net._repr_svg_().startswith('<svg')"),
        ("ok", "import tinybackprop.show\nfrom tinybackprop.show import svg\nnet = tb.Network([2, 2, 1])\n"
               "net.W[1] = [[1e308, -1e308], [1e308, 1e308]]\nsvg.network(net, labels='weights')"),
        ("ok", "import tinybackprop.show\nnet = tb.Network([2, 2, 1]); net.W[1][0] = []\nassert net._repr_svg_() is None"),
        ("ok", "import tinybackprop.show\nnet = tb.Network([2, 2, 1]); net.W[1][0][0] = 'w'\n"
               "assert net._repr_svg_() is None"),
        ("ok", "import tinybackprop.show\nnet = tb.Network([2, 2, 1]); net.W[1][0][0] = 10 ** 400\n"
               "assert net._repr_svg_() is None"),
        ("ok", "import tinybackprop.show\nfrom tinybackprop import vectorized\nnet = tb.Network([2, 1])\n"
               "g = vectorized.backward(net, [[1.0, 2.0]], [[1.0]]); g.W[1][0][0] = float('nan'); g.loss = 'x'\n"
               "assert '<table' in g._repr_html_()"),
        ("network: ", "from tinybackprop.show import svg\nfrom tinybackprop import vectorized\n"
                      "g = vectorized.backward(tb.Network([3, 1]), [[1.0, 2.0, 3.0]], [[1.0]])\n"
                      "svg.network(tb.Network([2, 1]), g)"),
    ]
    api_batch(cases, d)


# -- r3 3. every drawing entry point is bounded --------------------------------------------------

def test_r3_3_every_drawing_entry_point_is_bounded(tmp_path):
    d = str(tmp_path)
    net2 = "net = tb.Network([2, 3, 1], seed=0)\nX, lab = [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]], [0, 1, 1]\n"
    reg = "from tinybackprop.show import boundary\n" + net2
    cases = [
        ("value_graph: ", "from tinybackprop.scalar import Value\nfrom tinybackprop.show import svg_graph\n"
                          "v = Value(1.0)\nfor _ in range(400):\n    v = v * 1.0\nv.backward()\nsvg_graph.value_graph(v)"),
        ("value_graph: ", "from tinybackprop.graph import softmax_nodes, Value\nfrom tinybackprop.show import svg_graph\n"
                          "a = softmax_nodes([Value(0.0) for _ in range(300)])[0]\na.backward()\n"
                          "svg_graph.value_graph(a)"),
        ("value_graph: ", "from tinybackprop.show import svg_graph\nsvg_graph.value_graph(3.0)"),
        ("svg_graph.example: ", "from tinybackprop.show import svg_graph\nsvg_graph.example(['111'])"),
        ("regions: ", reg + "boundary.regions(net, X, lab, size=20000)"),
        ("regions: ", reg + "boundary.regions(net, X, lab, size=-5)"),
        ("regions: ", reg + "boundary.regions(net, X, lab, size=float('nan'))"),
        ("regions: ", reg + "boundary.regions(net, X, lab, size=10 ** 400)"),
        ("regions: ", reg + "boundary.regions(net, X, lab, cells=0)"),
        ("regions: ", reg + "boundary.regions(net, X, lab, cells=4000)"),
        ("regions: ", reg + "boundary.regions(net, X, lab, cells=10 ** 400)"),
        ("regions: ", reg + "boundary.regions(net, X, lab, cells=2.5)"),
        ("regions: ", reg + "boundary.regions(net, X, lab, cells=True)"),
        ("regions: ", reg + "boundary.regions(net, [], [])"),
        ("regions: ", reg + "boundary.regions(net, X, ['a', 'b', 'c'])"),
        ("regions: ", reg + "boundary.regions(net, X, [0, 1])"),
        ("regions: ", reg + "boundary.regions(net, X, lab, classes=['c%d' % k for k in range(3000)])"),
        ("box: ", reg + "boundary.regions(net, [[-1e308, 0.0], [1e308, 1.0]], [0, 1])"),
        ("ok", reg + "import xml.etree.ElementTree as ET\n"
                     "w, h = [float(v) for v in (lambda r: (r.get('width'), r.get('height')))("
                     "ET.fromstring(boundary.regions(net, [[1e300, 1e300]] * 3, lab, cells=3, size=16000)))]\n"
                     "assert w <= 16384 and h <= 16384, (w, h)"),
        ("grid: ", reg + "boundary.grid(net, (0.0, 1.0, 0.0, 1.0), 4000)"),
        ("grid: ", reg + "boundary.grid(net, (0.0, float('inf'), 0.0, 1.0), 4)"),
        ("box: ", "from tinybackprop.show import boundary\nboundary.box([])"),
        ("side_by_side: ", "from tinybackprop.show import boundary, svg\n"
                           "boundary.side_by_side(*[svg.loss_curve([1.0, 0.5])] * 40)"),
        ("side_by_side: ", "from tinybackprop.show import boundary\nboundary.side_by_side('not a picture')"),
        ("loss_curve: ", "from tinybackprop.show import svg\nsvg.loss_curve([1.0, 0.5], width=10 ** 6)"),
        ("loss_curve: ", "from tinybackprop.show import svg\nsvg.loss_curve([1.0, 0.5], width=-5)"),
        ("loss_curve: ", "from tinybackprop.show import svg\nsvg.loss_curve([1.0, 0.5], height=float('nan'))"),
        ("loss_curve: ", "from tinybackprop.show import svg\nsvg.loss_curve([1.0, 'x'])"),
        ("loss_curve: ", "from tinybackprop.show import svg\nsvg.loss_curve(5)"),
        ("curves: ", "from tinybackprop.show import svg\nsvg.curves([1, 2, 3])"),
        ("ok", "from tinybackprop.show import svg\ns = svg.loss_curve([1.0 / (k + 1) for k in range(10 ** 6)])\n"
               "assert len(s) < 2 * 10 ** 6, len(s)"),
        ("ok", "from tinybackprop.show import svg\nimport xml.etree.ElementTree as ET\n"
               "v = [1.0] * 10 ** 5; v[54321] = 10.0; v[7] = 0.0\n"  # a spike and a dip, one value each
               "def ys(vals):\n"
               "    root = ET.fromstring(svg.loss_curve(vals))\n"
               "    pl = [e for e in root.iter() if e.tag.endswith('polyline')][0]\n"
               "    return [float(p.split(',')[1]) for p in pl.get('points').split()], int(root.get('width'))\n"
               "got, width = ys(v)\n"
               "ref, _ = ys([0.0, 10.0])  # the same range of values: the same top and bottom\n"
               "assert len(got) <= 2 * width and min(got) == min(ref) and max(got) == max(ref), (len(got), min(got), max(got))"),
        ("network: ", "from tinybackprop.show import svg\nsvg.network(tb.Network([2, 1]), layer_gap=1e308)"),
        ("network: ", "from tinybackprop.show import svg\nsvg.network(tb.Network([2, 1]), node_gap=-5)"),
        ("network: ", "from tinybackprop.show import svg\nsvg.network(tb.Network([2, 1]), radius=10 ** 9)"),
        ("network: ", "from tinybackprop.show import svg\nsvg.network(tb.Network([1, 300, 1]))"),
        ("network: ", "from tinybackprop.show import svg\nsvg.network([2, 1])"),
        ("images: ", "from tinybackprop.show import svg\nsvg.images([svg.Panel('p', [[0.5] * 64] * 10 ** 5)])"),
        ("images: ", "from tinybackprop.show import svg\nsvg.images([svg.Panel('p', [[0.5] * 64])], cell=10 ** 6)"),
        ("images: ", "from tinybackprop.show import svg\nsvg.images([svg.Panel('p', [[0.5] * 64], vmax=0.0)])"),
        ("images: ", "from tinybackprop.show import svg\nsvg.images([svg.Panel('p', [[0.5] * 64], side=10 ** 400)])"),
        ("images: ", "from tinybackprop.show import svg\nsvg.images([svg.Panel('p', [['x'] * 64])])"),
        ("images: ", "from tinybackprop.show import svg\nsvg.images([])"),
        ("nice_ticks: ", "from tinybackprop.show import svg\nsvg.nice_ticks(0.0, 1.0, count=10 ** 9)"),
        ("nice_ticks: ", "from tinybackprop.show import svg\nsvg.nice_ticks(0.0, float('inf'))"),
        ("figure: ", "from tinybackprop.show import gradflow\ngradflow.figure(hidden=('relu',) * 11)"),
        ("figure: ", "from tinybackprop.show import gradflow\ngradflow.figure(table={}, hidden=('relu',))"),
        ("ok", "from tinybackprop.show import gradflow\nimport xml.etree.ElementTree as ET\n"
               "t = {('relu', lab): {'g_W': [0.0, float('nan'), float('inf')], 'a_std': [0.0]} "
               "for _, _, lab, _ in gradflow.STARTS}\nET.fromstring(gradflow.figure(t, hidden=('relu',)))"),
        ("ok", "from tinybackprop.show import gradflow\nimport xml.etree.ElementTree as ET\n"
               "s = gradflow.figure(gradflow.flow_table(hidden=('tanh',), starts=(('he', 1.0, 'x', '\"/><b a=\"',),)),"
               " hidden=('tanh',), starts=(('he', 1.0, 'x', '\"/><b a=\"'),))\nET.fromstring(s)"),
        ("probe_batch: ", "from tinybackprop.show import gradflow\ngradflow.probe_batch(rows=10 ** 7)"),
        ("deep_network: ", "from tinybackprop.show import gradflow\ngradflow.deep_network('relu', 'he', depth=10 ** 9)"),
        ("dead_relu_run: ", "from tinybackprop.show import gradflow\ngradflow.dead_relu_run([0.1])"),
        ("zero_or_random: ", "from tinybackprop.show import gradflow\ngradflow.zero_or_random(['zeros'])"),
        ("std: ", "from tinybackprop.show import gradflow\ngradflow.std([])"),
    ]
    api_batch(cases, d)


# -- r3 4. no Python exception for an input the package accepts ------------------------------------

def test_r3_4_no_python_exception_for_what_the_package_accepts(tmp_path):
    d = str(tmp_path)
    step = ("from tinybackprop import optimizers as O, vectorized\n"
            "net = tb.Network([2, 1], output='identity', loss='squared_error')\n"
            "g = vectorized.backward(net, [[0.0, 1.0]], [[0.0]])\nassert g.W[1][0][0] == 0.0\n")
    cases = [
        ("Adam: ", step + "O.Adam(eps=0).step(net, g)"),
        ("AdamW: ", step + "O.AdamW(eps=0.0).step(net, g)"),
        ("RMSprop: ", step + "O.RMSprop(eps=0).step(net, g)"),
        ("RMSprop: ", step + "O.RMSprop(eps=-1e-300)"),
        ("ok", step + "for opt in (O.Adam(eps=5e-324), O.RMSprop(eps=5e-324), O.AdamW(eps=5e-324)):\n"
                      "    opt.step(net, g)\nassert net.W[1][0][0] == net.W[1][0][0]"),
        ("Adam: ", "from tinybackprop import optimizers as O\nO.Adam(lr=10 ** 400)"),
        ("Adam: ", "from tinybackprop import optimizers as O\nO.Adam(betas=(0.9, 10 ** 400))"),
        ("Adam: ", "from tinybackprop import optimizers as O\nO.Adam(betas=(True, 0.9))"),
        ("SGD: ", "from tinybackprop import optimizers as O\nO.SGD(weight_decay=float('nan'))"),
        ("StepLR: ", "from tinybackprop import optimizers as O\nO.StepLR(1, gamma=1e200)"),
        ("StepLR: ", "from tinybackprop import optimizers as O\nO.StepLR(1, gamma=10 ** 400)"),
        ("StepLR: ", "from tinybackprop import optimizers as O\nO.StepLR(1, gamma=0.5)(0.1, 10 ** 400)"),
        ("StepLR: ", "from tinybackprop import optimizers as O\nO.StepLR(1, gamma=0.5)(0.1, -1)"),
        ("ok", "from tinybackprop import optimizers as O\nassert O.StepLR(10 ** 400, gamma=0.5)(0.1, 5) == 0.1\n"
               "assert O.StepLR(1, gamma=1e-300)(0.1, 10 ** 6) == 0.0"),
        ("CosineAnnealingLR: ", "from tinybackprop import optimizers as O\nO.CosineAnnealingLR(1)(0.1, 10 ** 400)"),
        ("CosineAnnealingLR: ", "from tinybackprop import optimizers as O\nO.CosineAnnealingLR(True)"),
        ("ok", "from tinybackprop import optimizers as O\nv = O.CosineAnnealingLR(10 ** 300, eta_min=1e308)(1e308, 7)\n"
               "assert v == v and abs(v) < float('inf')"),
        ("CosineAnnealingLR: ", "from tinybackprop import optimizers as O\nO.CosineAnnealingLR(10 ** 400)"),
        ("ok", "from tinybackprop.scalar import Value\nq = Value(1.0) / Value(1e-200)\nq.backward()\n"
               "assert q.data == 1e200 and q.parents[1][1] == float('-inf')"),
        ("ok", "from tinybackprop.scalar import Value\nu = Value(5e-324); q = Value(1.0) / u; q.backward()"),
        ("ok", "from tinybackprop.scalar import Value\nassert (Value(1e308) ** 2).data == float('inf')\n"
               "assert (Value(-1e308) ** 3).data == float('-inf')\nassert (Value(1e308).exp()).data == float('inf')\n"
               "assert (Value(0.5) ** 10 ** 300).data == 0.0"),
        ("Value **: ", "from tinybackprop.scalar import Value\nValue(2.0) ** 10 ** 400"),
        ("Value **: ", "from tinybackprop.scalar import Value\nValue(2.0) ** float('nan')"),
        ("Value **: ", "from tinybackprop.scalar import Value\nValue(0.0) ** 0.5"),
        ("Value **: ", "from tinybackprop.scalar import Value\nValue(0.0) ** -1"),
        ("Value **: ", "from tinybackprop.scalar import Value\nValue(-8.0) ** (1.0 / 3.0)"),
        ("Value **: ", "from tinybackprop.scalar import Value\nValue(-1e300) ** 2.5"),
        ("Value: ", "from tinybackprop.scalar import Value\nValue(10 ** 400)"),
        ("Value: ", "from tinybackprop.scalar import Value\nValue(1.0) + 10 ** 400"),
        ("Value: ", "from tinybackprop.scalar import Value\nValue(2.0) * -10 ** 400"),
        ("Value: ", "from tinybackprop.scalar import Value\nValue(1.0, parents=5)"),
        ("Value: ", "from tinybackprop.scalar import Value\nValue(1.0, op=3)"),
        ("Value", "from tinybackprop.scalar import Value\nv = Value(1.0); v.parents = ((3, 1.0),)\nv.backward()"),
        ("Value", "from tinybackprop.scalar import Value\nu = Value(1.0)\nv = Value(2.0, ((u, 'x'),), 'f')\n"
                  "v.backward()"),
        ("make_points: ", "from tinybackprop.datasets import planar\nplanar.make_points('moons', noise=10 ** 400)"),
        ("make_points: ", "from tinybackprop.datasets import planar\nplanar.make_points('moons', noise=float('inf'))"),
        ("make_points: ", "from tinybackprop.datasets import planar\nplanar.make_points('moons', samples=10 ** 400)"),
        ("make_points: ", "from tinybackprop.datasets import planar\nplanar.make_points('moons', seed=1.5)"),
        ("make_points: ", "from tinybackprop.datasets import planar\nplanar.make_points(['moons'])"),
        ("planar_task: ", "from tinybackprop.datasets import planar\nplanar.planar_task('moons', outputs=True)"),
        ("planar_task: ", "from tinybackprop.datasets import planar\nplanar.planar_task('moons', test_fraction=10 ** 400)"),
        ("ok", "from tinybackprop.datasets import planar\nplanar.make_points('blobs', samples=6, seed=10 ** 400)"),
        ("Network: ", "tb.Network([2, 1], init_scale=10 ** 400)"),
        ("Network: ", "tb.Network([2, 1], init='normal', init_scale=1e308)"),
        ("Network: ", "tb.Network([1, 1], init='he_uniform', init_scale=1e308)"),
        ("Network: ", "tb.Network([2, 1], init_scale=float('inf'))"),
        ("Network: ", "tb.Network([2, 1], init_scale=True)"),
        ("ok", "import math\nnet = tb.Network([1, 1], init='he', init_scale=1e306)\n"
               "assert all(math.isfinite(w) for row in net.W[1] for w in row)"),
        ("spread: ", "from tinybackprop import init\ninit.spread('he', 0, 3, 'relu')"),
        ("spread: ", "from tinybackprop import init\ninit.spread('he', 2.5, 3, 'relu')"),
        ("draw: ", "from tinybackprop import init\nfrom tinybackprop.rng import Random\n"
                   "init.draw(Random(0), 'he', 1.0, 10 ** 5, 10 ** 5, 'relu')"),
        ("draw: ", "from tinybackprop import init\ninit.draw(None, 'he', 1.0, 2, 2, 'relu')"),
        ("gauss: ", "from tinybackprop.rng import Random\nRandom(0).gauss(10 ** 400, 1.0)"),
        ("node_count: ", "from tinybackprop import graph\ngraph.node_count('2,2,1', 1)"),
        ("label: ", "from tinybackprop import graph\ngraph.label(3.0)"),
        ("fmt: ", "from tinybackprop.show import svg\nsvg.fmt(1.0, 10 ** 9)"),
        ("fmt: ", "from tinybackprop.show import svg\nsvg.fmt('x')"),
        ("predicted: ", "from tinybackprop.show import boundary\nboundary.predicted([])"),
        ("svg: ", "from tinybackprop.show import boundary\nboundary.coord(float('nan'))"),
        ("exercise: ", "from tinybackprop import exercises\nexercises.grade(['g_W'], None)"),
        ("exercise: ", "from tinybackprop import exercises\nexercises.grade('g_W', 5)"),
        ("exercise: ", "from tinybackprop import exercises\nexercises.grade('g_W', len, trials=10 ** 9)"),
        ("exercise: ", "from tinybackprop import exercises\nexercises.grade('g_W', len, seed=1.5)"),
        ("train: ", "net = tb.Network([2, 1])\n"
                    "tb.train(net, [[0.0, 1.0]], [[1.0]], epochs=2, schedule=lambda lr, e: 'fast')"),
        ("ok", "from tinybackprop import optimizers as O\nnet = tb.Network([2, 1])\n"
               "h = tb.train(net, [[0.0, 1.0]], [[1.0]], epochs=4, optimizer=O.Adam(lr=0.1),\n"
               "             schedule=O.CosineAnnealingLR(1))\nassert h.lr[1] == 0.0, h.lr"),
    ]
    api_batch(cases, d)
    for argv in (["--optimizer", "adam", "--eps", "0"], ["--optimizer", "rmsprop", "--eps", "0"],
                 ["--optimizer", "adamw", "--eps", "-0"], ["--init", "normal", "--init-scale", "1e308"],
                 ["--data", "moons", "--noise", "1e400"], ["--optimizer", "rmsprop", "--eps", "1e-320"]):
        before = snapshot(d)
        r = cli(["train", "--quiet", "--epochs", "2", "--save", "m.json"] + argv, d)
        if not holds(r, before, snapshot(d), [], ["m.json"]):
            assert not any(name in r.err for name in RAW), r
        else:
            os.remove(os.path.join(d, "m.json"))
    # a learner's file that writes to the checker's result channel (fd 3) what the checker does not send
    garbage = [b'{"loaded": true}\n{"trial": 0, "got": {"f": [1]}}\n', b'{"trial": 0, "raised": 5, "message": {}}\n',
               b'{"trial": 0, "got": ' + b"[" * 100000 + b"]" * 100000 + b"}\n", b"[" * 100000 + b"\n",
               b'{"trial": 0, "got": {"k": 1, "r": 2}}\n', b'{"trial": 0, "got": {"f": "abc"}}\n',
               b'{"error": ["x"]}\n', b'"just a string"\n', b"\xff\xfe\n"]
    for k, junk in enumerate(garbage):
        for where in ("top", "inside"):
            body = ("import os\nos.write(3, %r)\ndef sigmoid_d(z):\n    return 0.25\n" % junk if where == "top" else
                    "import os\ndef sigmoid_d(z):\n    os.write(3, %r)\n    return 0.25\n" % junk)
            with open(os.path.join(d, "g%d%s.py" % (k, where)), "w") as f:
                f.write(body)
            before = snapshot(d)
            r = cli(["exercise", "sigmoid_d", "g%d%s.py" % (k, where)], d)
            assert r.code in (1, 2) and r.seconds < HANG, r
            assert not any(name in r.out + r.err for name in RAW), ("a raw exception for what the file wrote", r)
            if r.code == 2:
                refused_cleanly(r, before, snapshot(d))
            else:
                assert r.out.startswith("wrong: ") and r.out.count("\n") == 1, r


# -- r3 5. nothing silently wrong, nothing half done -------------------------------------------------

def test_r3_5_nothing_silently_wrong_or_half_done(tmp_path):
    d = str(tmp_path)
    huge = ("net = tb.Network([2, 2, 1], hidden='relu', output='identity', loss='squared_error')\n"
            "net.W[1] = [[1e308, 1e308], [1e308, 1e308]]\nnet.W[2] = [[1e308], [1e308]]\n")
    same = ("W0 = [[list(r) for r in M] for M in list(net.W) + list(net.b)]\n"
            "def unchanged():\n    assert [[list(r) for r in M] for M in list(net.W) + list(net.b)] == W0\n")
    two = ("from tinybackprop import optimizers as O, vectorized\n"
           "small = tb.Network([2, 3, 1], seed=1)\ng2 = vectorized.backward(small, [[1.0, 0.0]], [[1.0]])\n")
    cases = [
        ("graph.backward: ", "from tinybackprop import graph\n" + huge + "graph.backward(net, [[1.0, 1.0]], [[0.0]])"),
        ("vectorized.backward: ", "from tinybackprop import vectorized\n" + huge
         + "vectorized.backward(net, [[1.0, 1.0]], [[0.0]])"),
        ("per_neuron.backward: ", "from tinybackprop import per_neuron\n" + huge
         + "per_neuron.backward(net, [[1.0, 1.0]], [[0.0]])"),
        ("ok", "from tinybackprop import graph, per_neuron, vectorized\n"
               "for hidden in ('sigmoid', 'tanh', 'relu', 'identity'):\n"
               "    net = tb.Network([2, 2, 1], hidden=hidden)\n"
               "    net.W[1] = [[1e308, -1e308], [1e308, 1e308]]\n"
               "    ends = []\n"
               "    for path in (graph, per_neuron, vectorized):\n"
               "        try:\n"
               "            g = path.backward(net, [[1.0, 1.0]], [[1.0]])\n"
               "            ends.append([g.loss] + [v for l in (1, 2) for r in g.W[l] + g.b[l] for v in r])\n"
               "        except BackpropError as e:\n"
               "            ends.append(str(e).split(': ', 1)[1])\n"
               "    assert ends[0] == ends[1] == ends[2], (hidden, ends)"),
        # an optimizer's step on another shape: refused before any weight changes, every way round
        ("SGD.step: ", two + "net = tb.Network([3, 3, 1])\n" + same
         + "opt = O.SGD(lr=0.1, momentum=0.9)\nopt.step(small, g2)\ntry:\n"
           "    opt.step(net, vectorized.backward(net, [[1.0, 0.0, 1.0]], [[1.0]]))\nfinally:\n    unchanged()"),
        ("SGD.step: ", two + "net = tb.Network([2, 4, 1])\n" + same
         + "opt = O.SGD(lr=0.1, momentum=0.9)\nopt.step(small, g2)\ntry:\n"
           "    opt.step(net, vectorized.backward(net, [[1.0, 0.0]], [[1.0]]))\nfinally:\n    unchanged()"),
        ("Adam.step: ", two + "net = tb.Network([3, 3, 1])\n" + same
         + "try:\n    O.Adam().step(net, g2)\nfinally:\n    unchanged()"),
        ("RMSprop.step: ", two + "net = tb.Network([2, 3, 2, 1])\n" + same
         + "try:\n    O.RMSprop().step(net, g2)\nfinally:\n    unchanged()"),
        ("SGD.step: ", two + "net = tb.Network([2, 3, 1])\n" + same
         + "g2.W[2] = [[1.0], [1.0]]\ntry:\n    O.SGD(lr=0.1).step(net, g2)\nfinally:\n    unchanged()"),
        ("SGD.step: ", two + "net = tb.Network([2, 3, 1])\n" + same
         + "g2.b[1] = [[1.0, 1.0, 1.0, 1.0]]\ntry:\n    O.SGD(lr=0.1).step(net, g2)\nfinally:\n    unchanged()"),
        ("SGD.step: ", two + "net = small\n" + same + "try:\n    O.SGD(lr=0.1).step(net, g2, lr=float('nan'))\n"
                             "finally:\n    unchanged()"),
        ("SGD.step: ", two + "O.SGD(lr=0.1).step(small, 'gradients')"),
        ("ok", two + "opt = O.Adam(lr=0.01)\nopt.step(small, g2)\nassert opt.steps == 1"),
        ("Network: ", "tb.Network([2, 1], init='normal', init_scale=1e308)"),
        # the graph path: a batch too big is refused before any step; evaluation goes in pieces
        ("train: ", "net = tb.Network([200, 1000, 1])\n" + same + "try:\n"
                    "    tb.train(net, [[0.1] * 200] * 4, [[1.0]] * 4, path='graph', batch_size=1, epochs=1)\n"
                    "finally:\n    unchanged()"),
    ]
    api_batch(cases, d)
    # a graph path whose evaluation (CHUNK = 16 rows) would pass MAX_NODES while one row fits: the
    # mechanism of a 2-5000-1 network at the real limit (minutes on the slower interpreters), shown with a
    # lower limit in a process of its own
    limit = "from tinybackprop import graph, vectorized\ngraph.MAX_NODES = 2000\nassert 1 <= graph.rows_that_fit([2, 20, 1]) < 16\n"
    api_batch([
        ("ok", limit + "X = [[0.1 * i, 1.0 - 0.05 * i] for i in range(18)]\nY = [[float(i % 2)] for i in range(18)]\n"
                       "hs = []\nfor path in ('graph', 'vectorized'):\n    net = tb.Network([2, 20, 1], seed=3)\n"
                       "    hs.append(tb.train(net, X, Y, epochs=2, lr=0.1, batch_size=1, path=path, X_val=X, Y_val=Y,\n"
                       "                       evaluate_train=True))\n"
                       "assert max(abs(a - b) for a, b in zip(hs[0].val_loss + hs[0].train_loss,\n"
                       "                                     hs[1].val_loss + hs[1].train_loss)) < 1e-12, hs"),
        ("ok", limit + "net = tb.Network([2, 20, 1], seed=1)\nX = [[0.1 * i, -0.2 * i] for i in range(31)]\n"
                       "a, b = graph.forward(net, X).a[2], vectorized.forward(net, X).a[2]\n"
                       "assert len(a) == 31 and max(abs(p[0] - q[0]) for p, q in zip(a, b)) < 1e-12"),
        ("train: ", limit + "net = tb.Network([2, 200, 1])\n" + same + "try:\n"
                            "    tb.train(net, [[0.1, 0.2]] * 4, [[1.0]] * 4, path='graph', batch_size=1, epochs=1)\n"
                            "finally:\n    unchanged()"),
    ], d)
    r = cli(["train", "--quiet", "--init", "normal", "--init-scale", "1e308"], d)
    assert r.code == 2 and clean_line(r.err) and "--init-scale" in r.err and "W^[" not in r.err, r
    for argv in (["--x", "1e300,-1e300", "--hidden", "identity", "--output", "identity", "--loss", "squared_error"],
                 ["--x", "1e308,1e308", "--hidden", "relu", "--output", "identity", "--loss", "squared_error"]):
        before = snapshot(d)
        r = cli(["draw", "--out", "g.svg", "--graph", "--layers", "2,2,1"] + argv, d)
        if holds(r, before, snapshot(d), [], ["g.svg"]):  # drawn: then every value and gradient is a number
            text = open(os.path.join(d, "g.svg")).read()
            assert "nan" not in text and "\u2202L: inf" not in text and "\u2202L: \u2212inf" not in text, r
            os.remove(os.path.join(d, "g.svg"))


# -- r3 6. advice that can help ----------------------------------------------------------------------

def test_r3_6_the_advice_can_help(tmp_path):
    d = str(tmp_path)
    for argv in (["--optimizer", "momentum", "--momentum", "2", "--lr", "1e-301"],
                 ["--optimizer", "nesterov", "--momentum", "1e308", "--lr", "1e-301"],
                 ["--optimizer", "momentum", "--momentum", "1"],
                 ["--optimizer", "sgd", "--weight-decay", "1e308", "--lr", "1e-301"],
                 ["--optimizer", "adamw", "--weight-decay", "1e308", "--lr", "1e-301"],
                 ["--data", "xor", "--layers", "2,4,1", "--hidden", "relu", "--output", "identity",
                  "--init-scale", "1e5"],
                 ["--lr", "1e300"]):
        before = snapshot(d)
        r = cli(["train", "--quiet", "--epochs", "20", "--save", "m.json"] + argv, d)
        if holds(r, before, snapshot(d), [], ["m.json"]):
            os.remove(os.path.join(d, "m.json"))
            continue
        lr = float(argv[argv.index("--lr") + 1]) if "--lr" in argv else None
        if lr is not None and lr < 1e-100:  # a learning rate that small cannot be the cause
            assert "lower --lr" not in r.err and "e-30" not in r.err, ("advice that cannot help", r)
        for flag in ("--momentum", "--weight-decay", "--init-scale"):
            if flag in argv:
                assert flag in r.err, ("the advice does not name what made training fail", flag, r)
    cases = [("SGD: ", "from tinybackprop import optimizers as O\nO.SGD(lr=1e-301, momentum=2)"),
             ("SGD: ", "from tinybackprop import optimizers as O\nO.SGD(momentum=1.0, nesterov=True)"),
             ("ok", "from tinybackprop import optimizers as O\nO.SGD(momentum=0.999999)")]
    api_batch(cases, d)


# -- r3 7. the exercise sandbox keeps what it runs ----------------------------------------------------

LEAKS = {
    "setsid.py": "import os, time\ndef g_W(a_prev, g_z):\n    if os.fork() == 0:\n        os.setsid()\n"
                 "        if os.fork() == 0:\n            time.sleep(2)\n            open({marker!r}, 'w').write('x')\n"
                 "        os._exit(0)\n    return [[0.0]]\n",
    "at_import.py": "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(2)\n"
                    "    open({marker!r}, 'w').write('x')\n    os._exit(0)\ndef g_W(a_prev, g_z):\n    return [[0.0]]\n",
    "popen.py": "import subprocess, sys\ndef g_W(a_prev, g_z):\n"
                "    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(2); open({marker!r}, \"w\")'],\n"
                "                     start_new_session=True)\n    return [[0.0]]\n",
    "thread.py": "import threading, time\ndef g_W(a_prev, g_z):\n"
                 "    threading.Thread(target=lambda: (time.sleep(2), open({marker!r}, 'w'))).start()\n"
                 "    return [[0.0]]\n",
    "bomb.py": "import os\ndef g_W(a_prev, g_z):\n    while True:\n        os.fork()\n",
    # signals to other processes: the checker (its parent), every process (signal 0 only probes)
    "kill_parent.py": "import os\ndef g_W(a_prev, g_z):\n    os.kill(os.getppid(), 9)\n    return [[0.0]]\n",
    "kill_all.py": "import os\ndef g_W(a_prev, g_z):\n    os.kill(-1, 0)\n    return [[0.0]]\n",
}


def test_r3_7_the_sandbox_keeps_what_it_runs(tmp_path):
    d = str(tmp_path)
    env = {"PYTHONDONTWRITEBYTECODE": ""}  # bytecode as Python writes it by default (an empty value: not set)
    os.mkdir(os.path.join(d, "work"))
    markers = []
    for name, text in LEAKS.items():
        marker = os.path.join(d, name + ".leaked")
        markers.append(marker)
        with open(os.path.join(d, "work", name), "w") as f:
            f.write(text.format(marker=marker))
    with open(os.path.join(d, "work", "helper.py"), "w") as f:  # imported by the learner's file: no cache
        f.write("def sig(z):\n    import math\n    s = 1.0 / (1.0 + math.exp(-z))\n    return s * (1.0 - s)\n")
    with open(os.path.join(d, "work", "uses_helper.py"), "w") as f:
        f.write("import helper\ndef sigmoid_d(z):\n    return helper.sig(z)\n")
    with open(os.path.join(d, "work", "value_mul.py"), "w") as f:
        f.write("def value_mul(u, v):\n    return u * v\n")
    for name in LEAKS:
        before = snapshot(os.path.join(d, "work"))
        r = cli(["exercise", "g_W", name, "--timeout", "5"], os.path.join(d, "work"), env=env)
        assert r.code in (1, 2) and r.seconds < HANG, r  # the checker itself was not killed
        if name.startswith("kill"):
            assert r.code == 1 and "PermissionError" in r.out, r
        assert snapshot(os.path.join(d, "work")) == before, r
    r = cli(["exercise", "sigmoid_d", "uses_helper.py"], os.path.join(d, "work"), env=env)
    assert r.code == 0 and r.out.startswith("pass: "), r
    r = cli(["exercise", "value_mul", "value_mul.py"], os.path.join(d, "work"), env=env)
    assert r.code == 0 and r.out.startswith("pass: "), r
    time.sleep(3)  # what a leaked process would have written by now
    assert not [m for m in markers if os.path.exists(m)], ("a process the learner's code started outlived it", markers)
    caches = [dp for dp, dn, fn in os.walk(d) if os.path.basename(dp) == "__pycache__" or any(
        f.endswith(".pyc") for f in fn)]
    assert not caches, ("exercise wrote bytecode beside the learner's files", caches)
