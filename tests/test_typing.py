"""The lesson's signatures, checked: mypy over the core (the .py files at the top of tinybackprop/,
derived from the folder), with the configuration of pyproject.toml ([tool.mypy]).

The annotations are inline and the only copy (no stubs): strings such as ``X: "Matrix"``, which every
interpreter accepts and none evaluates, with the aliases (``Matrix``, ``Row``, ...) and ``typing`` under
``if TYPE_CHECKING:`` in tinybackprop/_compat.py.  That they run on MicroPython is checked where the core
runs there (tests/test_portability.py, tests/test_board.py); here, that they say what the code does.
mypy is in the lint extra; without it this test SKIPS, saying so.
"""
import os
import subprocess
import sys

import pytest

from core_tests import core

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def mypy_or_skip():
    try:
        import mypy  # noqa: F401 - only whether it is there
    except ImportError:
        pytest.skip("mypy is not installed (pip install -e .[lint]): the inline annotations were NOT type-checked")


def run_mypy(paths):
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", os.path.join(ROOT, "pyproject.toml"),
                           "--no-incremental", "--cache-dir", os.devnull, *paths],
                          cwd=ROOT, capture_output=True, text=True)


def test_the_lessons_annotations_type_check():
    mypy_or_skip()
    paths = [os.path.join("tinybackprop", name + ".py") for name in core()]
    out = run_mypy(paths)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Success: no issues found in %d source files" % len(paths) in out.stdout, out.stdout


def test_mypy_fails_on_a_wrong_annotation(tmp_path):
    # the check can fail: a return that contradicts its annotation is an error
    mypy_or_skip()
    bad = tmp_path / "bad.py"
    bad.write_text('def shape(A: "list[list[float]]") -> "tuple[int, int]":\n    return len(A)\n')
    out = run_mypy([str(bad)])
    assert out.returncode == 1 and "[return-value]" in out.stdout, out.stdout


def test_every_public_function_of_the_lesson_is_annotated():
    # one source of truth: the signatures carry their types; nothing public is left without them
    import ast
    missing = []
    for name in core():
        path = os.path.join(ROOT, "tinybackprop", name + ".py")
        tree = ast.parse(open(path).read())
        for node in tree.body:
            defs = [node] if isinstance(node, ast.FunctionDef) else \
                [n for n in node.body if isinstance(n, ast.FunctionDef)] if isinstance(node, ast.ClassDef) \
                and not node.name.startswith("_") else []
            for f in defs:
                if f.name.startswith("_") and f.name not in ("__init__", "__call__", "__getitem__", "__setitem__"):
                    continue
                if f.returns is None:
                    missing.append("%s.py:%d %s" % (name, f.lineno, f.name))
    assert missing == [], missing
