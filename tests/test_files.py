"""Saving and loading that cannot be fooled (tinybackprop.files, Network.save/load):
threads saving one path, a symlink planted at the temporary name, device, FIFO and
folder targets, leftovers of killed saves, failures half-way, huge and lying files,
and the round trip save -> load for any network save accepts."""
import json
import os
import stat
import subprocess
import sys
import threading

import pytest

import tinybackprop as tb
from tinybackprop import BackpropError, files, modelfile, network

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def listing(folder):
    return sorted(os.listdir(str(folder)))


def small_net(seed=0):
    return tb.Network([3, 2, 1], seed=seed)


# -- saving ---------------------------------------------------------------------------------------

def test_threads_saving_one_path_never_corrupt_it(tmp_path):
    path = str(tmp_path / "m.json")
    nets = [tb.Network([4, 8, 3], output="softmax", loss="cross_entropy", seed=s) for s in range(8)]
    errors = []

    def work(net):
        try:
            for _ in range(15):
                net.save(path)
        except Exception as e:  # noqa: BLE001 - any failure is the finding
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in nets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    got = tb.Network.load(path)
    assert any(got.W[1] == n.W[1] and got.W[2] == n.W[2] for n in nets)  # one whole network, not a mixture
    assert listing(tmp_path) == ["m.json"]  # no temporary file left


def test_a_symlink_planted_at_the_temporary_name_is_never_followed(tmp_path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    path = str(tmp_path / "m.json")
    names = iter(["1-planted", "1-planted", "2-fresh"])
    monkeypatch.setattr(files, "unique_suffix", lambda: next(names))
    planted = tmp_path / (".m.json" + files.TMP_MARK + "1-planted")
    os.symlink(str(victim), str(planted))
    small_net().save(path)
    assert victim.read_text() == "precious\n"
    assert os.path.islink(str(planted))  # left as it was
    assert tb.Network.load(path).W[1] == small_net().W[1]


def test_a_dangling_symlink_at_the_temporary_name_creates_nothing_through_it(tmp_path, monkeypatch):
    target = tmp_path / "elsewhere" / "created-by-attacker"
    (tmp_path / "elsewhere").mkdir()
    names = iter(["1-planted", "2-fresh"])
    monkeypatch.setattr(files, "unique_suffix", lambda: next(names))
    os.symlink(str(target), str(tmp_path / (".m.json" + files.TMP_MARK + "1-planted")))
    small_net().save(str(tmp_path / "m.json"))
    assert not target.exists()


def private_device(tmp_path, name="null"):
    """A character device to aim saves at.  Never the machine's own /dev/null: if the
    code under test regressed, the test would replace the system's device with a
    file (as root).  As root: a new node with /dev/null's numbers in tmp_path; else
    a symlink in tmp_path to /dev/null (a regression would replace only the link)."""
    path = str(tmp_path / name)
    real = os.stat("/dev/null")
    if hasattr(os, "getuid") and os.getuid() == 0:
        os.mknod(path, 0o666 | stat.S_IFCHR, real.st_rdev)
    else:
        os.symlink("/dev/null", path)
    return path


def test_a_device_is_refused_and_left_alone(tmp_path):
    target = private_device(tmp_path)
    before = os.stat(target)
    assert stat.S_ISCHR(before.st_mode)
    with pytest.raises(BackpropError, match="save: cannot write %s: it is not a regular file" % target):
        small_net().save(target)
    after = os.stat(target)
    assert (after.st_mode, after.st_rdev, after.st_ino) == (before.st_mode, before.st_rdev, before.st_ino)
    assert listing(tmp_path) == ["null"]


def test_a_fifo_and_a_folder_are_refused(tmp_path):
    fifo = str(tmp_path / "pipe")
    os.mkfifo(fifo)
    with pytest.raises(BackpropError, match="it is not a regular file"):
        small_net().save(fifo)
    assert files.file_kind(fifo) == "other"
    with pytest.raises(BackpropError, match="it is a folder"):
        small_net().save(str(tmp_path))
    with pytest.raises(BackpropError, match="it is a folder"):
        small_net().save(str(tmp_path) + "/")
    assert listing(tmp_path) == ["pipe"]


def test_a_symlink_to_a_device_is_refused(tmp_path):
    link = tmp_path / "m.json"
    os.symlink("/dev/null", str(link))
    with pytest.raises(BackpropError, match="not a regular file"):
        small_net().save(str(link))
    assert os.path.islink(str(link))


def test_a_failed_save_names_the_users_path_and_leaves_nothing(tmp_path, monkeypatch):
    path = str(tmp_path / "m.json")
    small_net(1).save(path)
    before = open(path).read()

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "replace", broken)
    with pytest.raises(BackpropError) as e:
        small_net(2).save(path)
    assert str(e.value) == "save: cannot write %s: No space left on device" % path
    assert files.TMP_MARK not in str(e.value)
    assert listing(tmp_path) == ["m.json"] and open(path).read() == before


def test_an_interrupted_save_leaves_nothing(tmp_path, monkeypatch):
    path = str(tmp_path / "m.json")

    def interrupted(f):
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "sync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        small_net().save(path)
    assert listing(tmp_path) == []


def dead_pid():
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_leftovers_of_killed_saves_never_block_and_are_removed(tmp_path):
    path = str(tmp_path / "m.json")
    prefix = ".m.json" + files.TMP_MARK
    dead = tmp_path / ("%s%d-deadbeef" % (prefix, dead_pid()))
    fresh_dead = tmp_path / ("%s%d-cafe" % (prefix, dead_pid()))
    alive = tmp_path / ("%s%d-feed" % (prefix, os.getpid()))
    other = tmp_path / ".other.json.tbtmp-1-x"
    for f in (dead, fresh_dead, alive, other):
        f.write_text("half a model")
    old = os.stat(str(dead)).st_mtime - 3600
    for f in (dead, alive, other):
        os.utime(str(f), (old, old))
    small_net().save(path)
    assert tb.Network.load(path).W[1] == small_net().W[1]
    names = listing(tmp_path)
    assert dead.name not in names  # its process is gone: removed
    assert fresh_dead.name in names  # too young to be sure (a save on another machine sharing the folder)
    assert alive.name in names and other.name in names  # a live process's, another file's: kept


def test_a_killed_save_leaves_at_most_its_temporary_file_and_the_old_model(tmp_path):
    """kill -9 in the middle of a save: the model is the old one or the new one, whole."""
    path = str(tmp_path / "m.json")
    tb.Network([4, 3, 1], seed=1).save(path)
    code = ("import tinybackprop as tb, os, signal\n"
            "from tinybackprop import files\n"
            "def die(f): os.kill(os.getpid(), signal.SIGKILL)\n"
            "files.sync = die\n"
            "tb.Network([4, 3, 1], seed=2).save(%r)\n" % path)
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT)
    assert r.returncode == -9
    assert tb.Network.load(path).W[1] == tb.Network([4, 3, 1], seed=1).W[1]
    assert len(listing(tmp_path)) == 2  # the model and the killed save's temporary file
    tb.Network([4, 3, 1], seed=3).save(path)  # not blocked by it
    assert tb.Network.load(path).W[1] == tb.Network([4, 3, 1], seed=3).W[1]


def test_save_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    path = str(tmp_path / "m.json")
    small_net().save(path)
    os.chmod(path, 0o600)
    small_net(1).save(path)
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_save_refuses_what_load_would_refuse_and_writes_nothing(tmp_path):
    path = str(tmp_path / "m.json")
    for attr, value in (("loss", "bogus"), ("hidden", "softmax"), ("output", "tanh"), ("loss", "squared_error")):
        net = small_net()
        setattr(net, attr, value)
        with pytest.raises(BackpropError, match="save: net.%s is" % attr):
            net.save(path)
    net = small_net()
    net.W[2].append([0.0])  # a row too many, edited in place
    with pytest.raises(BackpropError, match="save: net.W.2. is 3x1 but must be 2x1"):
        net.save(path)
    with pytest.raises(BackpropError, match="save: data cannot be saved as JSON"):
        small_net().save(path, data={"x": float("nan")})
    with pytest.raises(BackpropError, match="save: data must be a dict"):
        small_net().save(path, data=[1])
    assert listing(tmp_path) == []


def test_save_refuses_a_file_that_load_would_find_too_big(tmp_path, monkeypatch):
    monkeypatch.setattr(modelfile, "MAX_FILE_BYTES", 2000)
    with pytest.raises(BackpropError, match="more than the 2000 that load reads"):
        tb.Network([4, 30, 1]).save(str(tmp_path / "m.json"))
    assert listing(tmp_path) == []


# -- loading --------------------------------------------------------------------------------------

def test_load_reads_the_file_once(tmp_path, monkeypatch):
    path = str(tmp_path / "m.json")
    small_net().save(path, data={"classes": ["a", "b"]})
    calls = []
    real = files.open_read
    monkeypatch.setattr(files, "open_read", lambda p: calls.append(p) or real(p))
    net, data = tb.Network.read(path)
    assert calls == [path] and data == {"classes": ["a", "b"]}


def test_a_device_or_fifo_is_refused_without_waiting(tmp_path):
    fifo = str(tmp_path / "pipe")
    os.mkfifo(fifo)
    for path in ("/dev/zero", fifo):
        # in a child process, so that a hang would be a failed test, not a stuck suite
        code = ("import tinybackprop as tb\ntry:\n tb.Network.load(%r)\nexcept tb.BackpropError as e:\n print(e)\n"
                % path)
        r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert "is not a regular file" in r.stdout, (r.stdout, r.stderr)
    with pytest.raises(BackpropError, match="load: cannot read %s: it is a folder" % tmp_path):
        tb.Network.load(str(tmp_path))


def test_standard_input_from_a_pipe_is_refused_and_from_a_file_works(tmp_path):
    path = str(tmp_path / "m.json")
    small_net().save(path)
    code = ("import tinybackprop as tb\ntry:\n print(tb.Network.load('/dev/stdin').sizes)\n"
            "except tb.BackpropError as e:\n print(e)\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                       input=open(path).read())
    assert "cannot read /dev/stdin: it is not a regular file" in r.stdout, r
    with open(path) as f:
        r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, stdin=f)
    assert r.stdout.strip() == "[3, 2, 1]", r


def test_a_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = str(tmp_path / "huge.json")
    with open(path, "wb") as f:
        f.truncate(modelfile.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    reads = []
    real = files.open_read

    def spy(p):
        f, kind, size = real(p)
        reads.append(size)
        orig = f.read
        f.read = lambda *a: reads.append("read") or orig(*a)
        return f, kind, size

    monkeypatch.setattr(files, "open_read", spy)
    with pytest.raises(BackpropError, match="load: cannot read .*: it is %d bytes, more than the %d" % (modelfile.MAX_FILE_BYTES + 1,
                                                                            modelfile.MAX_FILE_BYTES)):
        tb.Network.load(path)
    assert "read" not in reads


def test_a_file_that_lies_about_its_sizes_is_refused_before_anything_is_built(tmp_path, monkeypatch):
    path = tmp_path / "liar.json"
    path.write_text(json.dumps({"format": "tinybackprop-network", "version": 1, "sizes": [4, 3000, 3000, 1],
                                "hidden": "sigmoid", "output": "sigmoid", "loss": "bce",
                                "W": [[[0.0]], [[0.0]], [[0.0]]], "b": [[[0.0]], [[0.0]], [[0.0]]]}))

    draws = []
    Base = network.Random

    class CountingRandom(Base):
        def uniform(self, a, b):
            draws.append(1)
            return Base.uniform(self, a, b)

    monkeypatch.setattr(network, "Random", CountingRandom)
    with pytest.raises(BackpropError, match="W\\^\\[1\\] must be 4x3000"):
        tb.Network.load(str(path))
    assert len(draws) <= 1  # not the 9 million random weights of the declared sizes


def test_load_reads_utf8_whatever_the_locale(tmp_path):
    path = str(tmp_path / "m.json")
    small_net().save(path, data={"classes": ["n\u00e4in", "ja \u2713"]})
    text = open(path).read().replace("\\u00e4", "\u00e4").replace("\\u2713", "\u2713")
    with open(path, "wb") as f:
        f.write(text.encode("utf-8"))  # raw UTF-8, as another tool or an editor writes it
    assert "n\u00e4in".encode("utf-8") in open(path, "rb").read()
    code = "import sys, tinybackprop as tb\nprint(ascii(tb.Network.read(sys.argv[1])[1]['classes']))\n"
    env = dict(os.environ, LC_ALL="C", LANG="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0", PYTHONIOENCODING="ascii")
    r = subprocess.run([sys.executable, "-c", code, path], cwd=ROOT, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ascii(["n\u00e4in", "ja \u2713"])


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"format": "tinybackprop-network", "x": "\xe9"}')
    with pytest.raises(BackpropError, match="load: .* is not UTF-8 text"):
        tb.Network.load(str(path))


# -- round trip -----------------------------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis", reason="the round-trip property needs hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402

PAIRS = [("sigmoid", "bce"), ("sigmoid", "squared_error"), ("sigmoid", "cross_entropy"), ("softmax", "bce"),
         ("softmax", "squared_error"), ("softmax", "cross_entropy"), ("identity", "squared_error")]
FLOATS = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([0.0, -0.0, 5e-324, 1.7976931348623157e308])


@st.composite
def networks(draw):
    output, loss = draw(st.sampled_from(PAIRS))
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    sizes.append(draw(st.integers(2 if output == "softmax" else 1, 3)))
    net = tb.Network(sizes, hidden=draw(st.sampled_from(["sigmoid", "tanh", "relu", "identity"])),
                     output=output, loss=loss, seed=draw(st.integers(0, 2 ** 31)))
    for l in range(1, net.L + 1):
        if draw(st.booleans()):
            net.W[l] = [[draw(FLOATS) for _ in range(sizes[l])] for _ in range(sizes[l - 1])]
        net.b[l] = [[draw(FLOATS) for _ in range(sizes[l])]]
    return net


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(net=networks(), data=st.none() | st.dictionaries(st.text(max_size=5), st.text(max_size=5) | FLOATS,
                                                         max_size=3))
def test_what_save_writes_load_reads_back_exactly(tmp_path_factory, net, data):
    path = str(tmp_path_factory.mktemp("rt") / "m.json")
    net.save(path, data=data)
    back, got = tb.Network.read(path)
    assert (back.sizes, back.hidden, back.output, back.loss) == (net.sizes, net.hidden, net.output, net.loss)
    for l in range(1, net.L + 1):
        assert repr(back.W[l]) == repr(net.W[l]) and repr(back.b[l]) == repr(net.b[l])  # bit for bit, -0.0 too
    assert got == data
