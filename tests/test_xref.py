"""Cross-references between code and site (tools/check_xref.py), and proof the check can fail.

The checker's rules are in its docstring. Each mutation test copies the package, the docs
and the tests to a temporary folder, checks that the copy passes, breaks one thing, and
sees the checker (as a function and as a script) name exactly that.
"""
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))
import check_xref  # noqa: E402

from tinybackprop.show.equations import EQUATIONS, anchor  # noqa: E402


def test_the_repository_has_no_cross_reference_problem():
    assert check_xref.check(REPO) == []


def test_the_checker_covers_every_equation_id_of_the_package():
    # every ID has its anchor and a code directive: read the pages independently here
    pages = ""
    for fn in sorted(os.listdir(os.path.join(REPO, "docs"))):
        if fn.endswith(".md"):
            with open(os.path.join(REPO, "docs", fn), encoding="utf-8") as f:
                pages += f.read()
    for eq_id in EQUATIONS:
        assert pages.count("\\label{eq:%s}" % eq_id) == 1, eq_id
        assert re.search(r'^<!-- code: tinybackprop/(show/)?[a-z_]+\.py eq:%s( matching "[^"]+")? -->$' % re.escape(eq_id),
                         pages, re.M), eq_id
    assert check_xref.anchor("bwd.gW.mat") == anchor("bwd.gW.mat")


def test_the_script_says_ok():
    proc = subprocess.run([sys.executable, os.path.join(REPO, "tools", "check_xref.py"), REPO],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK" in proc.stdout


_COPY_CHECKED = []


@pytest.fixture
def copy(tmp_path):
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for d in ("tinybackprop", "docs", "tests"):
        shutil.copytree(os.path.join(REPO, d), str(tmp_path / d), ignore=ignore)
    if not _COPY_CHECKED:  # the copy is made the same way each time: checked untouched once
        assert check_xref.check(str(tmp_path)) == [], "the untouched copy must pass"
        _COPY_CHECKED.append(True)
    return tmp_path


def edit(path, old, new, count=1):
    with open(str(path), encoding="utf-8") as f:
        text = f.read()
    assert old in text, (path, old)
    with open(str(path), "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, count))


def problems_of(root):
    """What the checker finds in ``root``; its command-line entry says 1 (the script itself, in a
    process of its own, is run on a broken copy by test_the_script_fails_on_a_broken_copy)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert check_xref.main([str(root)]) == 1
    lines = out.getvalue().splitlines()
    assert lines[-1] == "check_xref: %d problem(s)" % (len(lines) - 1), lines
    return "\n".join(lines[:-1])


def test_the_script_fails_on_a_broken_copy(copy):
    edit(copy / "tinybackprop/vectorized.py", "  # [eq:bwd.gb.mat]", "")
    proc = subprocess.run([sys.executable, os.path.join(REPO, "tools", "check_xref.py"), str(copy)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout
    assert "bwd.gb.mat" in proc.stdout and "check_xref: " in proc.stdout, proc.stdout


MUTATIONS = {
    "snippet marker back in the package": (
        "tinybackprop/vectorized.py", "        g_b[l] = colsum(g_z[l])  # [eq:bwd.gb.mat]\n",
        "        # --8<-- [start:bwd-gb-mat]\n        g_b[l] = colsum(g_z[l])  # [eq:bwd.gb.mat]\n",
        r"vectorized\.py:\d+: snippet marker --8<-- left in the package"),
    "equation tag on a line without code": (
        "tinybackprop/activations.py", "    return z if z > 0.0 else 0.0  # [eq:act.relu]\n",
        "    # [eq:act.relu]\n    return z if z > 0.0 else 0.0\n",
        r"activations\.py:\d+: # \[eq:act\.relu\] is on a line without code"),
    "anchor removed": (
        "docs/backward-neuron.md", "\\label{eq:bwd.gW}", "",
        r"equation bwd\.gW has no anchor on the site"),
    "equation id comment removed": (
        "tinybackprop/show/jacobian.py", "  # [eq:jac.softmax]\n", "\n",
        r"EQUATIONS has 'jac\.softmax' but no line"),
    "unknown id in code": (
        "tinybackprop/losses.py", "# [eq:loss.bce.d]", "# [eq:loss.bce.dd]",
        r"\[eq:loss\.bce\.dd\] is not an ID of EQUATIONS"),
    "code directive of a file without the tag": (
        "docs/backward-matrix.md", "<!-- code: tinybackprop/vectorized.py eq:bwd.gb.mat -->",
        "<!-- code: tinybackprop/per_neuron.py eq:bwd.gb.mat -->",
        r"tinybackprop/per_neuron\.py carries no # \[eq:bwd\.gb\.mat\]"),
    "code directive of a missing file": (
        "docs/forward.md", "<!-- code: tinybackprop/per_neuron.py eq:fwd.a -->",
        "<!-- code: tinybackprop/per_neurons.py eq:fwd.a -->",
        r"no file tinybackprop/per_neurons\.py"),
    "wrong code under an anchor": (
        "docs/backward-neuron.md", "<!-- code: tinybackprop/per_neuron.py eq:bwd.gb -->",
        "<!-- code: tinybackprop/per_neuron.py eq:bwd.gW -->",
        r"equation bwd\.gb has no code directive"),
    "API link removed": (
        "docs/gradient-checking.md", "In [`gradcheck.numerical_gradients`][tinybackprop.gradcheck.numerical_gradients],",
        "In `gradcheck.numerical_gradients`,",
        r"equation check\.central has no link to its API entry"),
    "anchor of an unknown id": (
        "docs/training.md", "\\label{eq:train.step}", "\\label{eq:train.stepp}",
        r"equation train\.step has no anchor(.|\n)*\\label\{eq:train\.stepp\} is not an ID of EQUATIONS"),
    "code links a missing anchor": (
        "tinybackprop/per_neuron.py", "docs/backward-neuron.md#eq-bwd-gW", "docs/backward-neuron.md#eq-bwd-gWW",
        r"links docs/backward-neuron\.md#eq-bwd-gWW, but that page has no such anchor"),
    "malformed code directive": (
        "docs/forward.md", "<!-- code: tinybackprop/per_neuron.py eq:fwd.a -->",
        "<!-- code: tinybackprop/per_neuron.py fwd.a -->",
        r"forward\.md:\d+: malformed code directive"),
    "code directive of an unknown id": (
        "docs/forward.md", "<!-- code: tinybackprop/per_neuron.py eq:fwd.a -->",
        "<!-- code: tinybackprop/per_neuron.py eq:fwd.aa -->",
        r"code directive of eq:fwd\.aa, which is not an ID of EQUATIONS"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_the_checker_fails_when_one_side_is_missing(copy, name):
    rel, old, new, expect = MUTATIONS[name]
    edit(copy / rel, old, new)
    assert re.search(expect, problems_of(copy)), name


def test_a_second_anchor_for_an_id_fails(copy):
    with open(str(copy / "docs" / "slips.md"), "a", encoding="utf-8") as f:
        f.write("\n$$\nz = a W + b\n\\label{eq:fwd.z.mat}\n$$\n")
    assert re.search(r"equation fwd\.z\.mat has 2 anchors", problems_of(copy))


def test_code_that_drifted_from_what_the_page_selects_fails(copy):
    # the page shows the hidden layers' bwd.gz line, picked by the text "phi_h.d"; rename phi_h in
    # the code and that excerpt is gone
    path = copy / "tinybackprop" / "per_neuron.py"
    edit(path, "phi_h", "g_hidden", count=-1)
    assert "phi_h." not in path.read_text(encoding="utf-8")
    assert re.search(r'no code of eq:bwd\.gz in tinybackprop/per_neuron\.py contains "phi_h\.d"', problems_of(copy))
