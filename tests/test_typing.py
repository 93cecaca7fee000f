"""The .pyi stubs let a type checker catch misuse of the public API."""
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

GOOD = """
import tinybackprop as tb
from tinybackprop import per_neuron, vectorized, gradcheck
net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
g = vectorized.backward(net, [[0.1, 0.2, 0.3, 0.4]], [[1.0]])
w: float = g.W[1][0][0] if g.W[1] is not None else 0.0
loss: float = g.loss
r: bool = gradcheck.check(net, [[0.1, 0.2, 0.3, 0.4]], [[1.0]]).ok
P = tb.matmul([[1.0, 2.0]], tb.transpose([[3.0, 4.0]]))
"""

BAD = """
import tinybackprop as tb
net = tb.Network("4,3,1")
tb.matmul([[1.0]], 3.0)
"""


def run_mypy(tmp_path, source):
    f = tmp_path / "sample.py"
    f.write_text(textwrap.dedent(source))
    env = dict(os.environ, MYPYPATH=ROOT)
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", str(f)],
                          capture_output=True, text=True, env=env, cwd=ROOT)


@pytest.fixture
def mypy_available():
    try:
        import mypy  # noqa: F401
    except ImportError:
        pytest.skip("mypy is not installed (it is in the test extra): typing not checked")
    try:
        import symtable  # noqa: F401  (mypy needs it; PyPy has no _symtable)
    except ImportError:
        pytest.skip("mypy needs CPython's symtable module, which this interpreter lacks; the CPython runs check the stubs")


def test_stubs_accept_correct_use(tmp_path, mypy_available):
    r = run_mypy(tmp_path, GOOD)
    assert r.returncode == 0, r.stdout + r.stderr


def test_stubs_reject_misuse(tmp_path, mypy_available):
    r = run_mypy(tmp_path, BAD)
    assert r.returncode == 1
    assert 'Argument 1 to "Network" has incompatible type "str"' in r.stdout
    assert 'Argument 2 to "matmul" has incompatible type "float"' in r.stdout
