"""`tinybackprop exercise NAME FILE.py`: passes a right solution, fails a wrong one naming
the entry and both values, and refuses misuse with exit status 2.

The right solutions here are written from the equations with `math` only, not with the
package's helpers, so a pass means the learner's formula and the package agree.
"""
import io
import math
import os
import subprocess
import sys

import pytest

from tinybackprop import cli, exercises

RIGHT = {
    "sigmoid_d": """
import math
def sigmoid_d(z):
    s = 1.0 / (1.0 + math.exp(-z))
    return s * (1.0 - s)
""",
    "tanh_gz": """
import math
def tanh_gz(z, g_a):
    return [[(1.0 - math.tanh(v) ** 2) * g for v, g in zip(zr, gr)] for zr, gr in zip(z, g_a)]
""",
    "g_W": """
def g_W(a_prev, g_z):
    return [[sum(a[i] * g[j] for a, g in zip(a_prev, g_z)) for j in range(len(g_z[0]))]
            for i in range(len(a_prev[0]))]
""",
    "g_a_prev": """
def g_a_prev(g_z, W):
    return [[sum(g[j] * W[i][j] for j in range(len(g))) for i in range(len(W))] for g in g_z]
""",
    "softmax_gz": """
import math
def softmax_gz(z, y):
    out = []
    for zr, yr in zip(z, y):
        e = [math.exp(v - max(zr)) for v in zr]
        out.append([ei / sum(e) - yi for ei, yi in zip(e, yr)])
    return out
""",
    "adam_step": """
import math
def adam_step(W, g, m, v, t, lr, b1, b2, eps):
    m = [[b1 * mi + (1 - b1) * gi for mi, gi in zip(mr, gr)] for mr, gr in zip(m, g)]
    v = [[b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(vr, gr)] for vr, gr in zip(v, g)]
    W = [[w - lr * (mi / (1 - b1 ** t)) / (math.sqrt(vi / (1 - b2 ** t)) + eps)
          for w, mi, vi in zip(wr, mr, vr)] for wr, mr, vr in zip(W, m, v)]
    return [W, m, v]
""",
    "value_mul": """
from tinybackprop.scalar import Value
def value_mul(u, v):
    return Value(u.data * v.data, ((u, v.data), (v, u.data)), "*")
""",
}

WRONG = {  # a typical slip for each, and the entry it shows up in first
    "sigmoid_d": ("import math\ndef sigmoid_d(z):\n    s = 1.0 / (1.0 - math.exp(-z))\n    return s * (1 - s)\n",
                  "the result is"),
    "tanh_gz": ("import math\ndef tanh_gz(z, g_a):\n"
                "    return [[(1.0 - math.tanh(v)) * g for v, g in zip(zr, gr)] for zr, gr in zip(z, g_a)]\n",
                "entry [0][0] is"),
    "g_W": ("def g_W(a_prev, g_z):\n"
            "    return [[a_prev[0][i] * g_z[0][j] for j in range(len(g_z[0]))] for i in range(len(a_prev[0]))]\n",
            "entry [0][0] is"),
    "g_a_prev": ("def g_a_prev(g_z, W):\n"
                 "    return [[sum(g[j] * W[i][j] for j in range(len(g))) for i in range(len(W))][:1] for g in g_z]\n",
                 "has 1 entries"),
    "softmax_gz": ("import math\ndef softmax_gz(z, y):\n"
                   "    return [[1 / (1 + math.exp(-v)) - t for v, t in zip(zr, yr)] for zr, yr in zip(z, y)]\n",
                   "entry [0][0] is"),
    "adam_step": ("import math\ndef adam_step(W, g, m, v, t, lr, b1, b2, eps):  # no bias correction\n"
                  "    m = [[b1 * a + (1 - b1) * c for a, c in zip(r, q)] for r, q in zip(m, g)]\n"
                  "    v = [[b2 * a + (1 - b2) * c * c for a, c in zip(r, q)] for r, q in zip(v, g)]\n"
                  "    W = [[w - lr * a / (math.sqrt(b) + eps) for w, a, b in zip(r, p, q)] for r, p, q in zip(W, m, v)]\n"
                  "    return [W, m, v]\n",
                  "entry [0][0][0] is"),
    "value_mul": ("from tinybackprop.scalar import Value\ndef value_mul(u, v):\n"  # each factor gets itself
                  "    return Value(u.data * v.data, ((u, u.data), (v, v.data)), '*')\n",
                  "entry [1] is"),
}


def write(tmp_path, text, name="solution.py"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_every_exercise_has_a_right_and_a_wrong_solution_here():
    assert set(RIGHT) == set(exercises.EXERCISES) == set(WRONG)


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_a_right_solution_passes(tmp_path, name):
    code, out, err = run("exercise", name, write(tmp_path, RIGHT[name]))
    assert (code, err) == (0, ""), out + err
    assert out.startswith("pass: %s(" % name) and "20 random inputs" in out


@pytest.mark.parametrize("name", sorted(WRONG))
def test_a_wrong_solution_fails_naming_the_entry_and_both_values(tmp_path, name):
    text, where = WRONG[name]
    code, out, err = run("exercise", name, write(tmp_path, text))
    assert code == 1, out + err
    assert out.startswith("wrong: %s(" % name), out
    assert where in out, out
    if "is" in where.split()[-1]:
        # both numbers are printed, and they differ
        line = out.splitlines()[0]
        got = float(line.split(" is ")[1].split(" but")[0])
        want = float(line.split("the package gives ")[1])
        assert not math.isclose(got, want, rel_tol=1e-9)


def test_the_wrong_value_printed_is_what_the_learner_returned_and_the_right_one_the_formula():
    # g_W on the first random input: recompute both numbers independently from the inputs
    from tinybackprop.rng import Random
    args = exercises.EXERCISES["g_W"][4](Random(0))
    a_prev, g_z = args
    ns = {}
    exec(WRONG["g_W"][0], ns)
    res = exercises.grade("g_W", ns["g_W"])
    want = sum(a[0] * g[0] for a, g in zip(a_prev, g_z))
    got = a_prev[0][0] * g_z[0][0]
    assert "entry [0][0] is %.10g but the package gives %.10g" % (got, want) in res.message


def test_a_solution_that_raises_is_wrong_not_a_crash(tmp_path):
    code, out, err = run("exercise", "g_W", write(tmp_path, "def g_W(a, g):\n    return a[0][99]\n"))
    assert code == 1 and "raised IndexError" in out


def test_misuse_exits_2_with_one_line(tmp_path):
    for argv in (("exercise", "nope", write(tmp_path, RIGHT["g_W"])),
                 ("exercise", "g_W", str(tmp_path / "missing.py")),
                 ("exercise", "g_W", write(tmp_path, "def other():\n    pass\n", "other.py")),
                 ("exercise", "g_W", write(tmp_path, "def g_W(:\n", "broken.py")),
                 ("exercise", "g_W")):
        code, out, err = run(*argv)
        assert code == 2, argv
        assert err.count("\n") == 1 and err.startswith("tinybackprop: error: "), err


def test_in_a_real_process(tmp_path):
    path = write(tmp_path, WRONG["tanh_gz"][0])
    proc = subprocess.run([sys.executable, "-m", "tinybackprop.cli", "exercise", "tanh_gz", path],
                          capture_output=True, text=True, timeout=120,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert proc.returncode == 1 and "entry [0][0]" in proc.stdout
