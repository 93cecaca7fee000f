"""Rules of the house that a test can check: the core imports only math, json, sys
and os; nothing in the package needs typing, dataclasses or __future__; every
equation ID used in the code is in the one table, and every ID is used."""
import ast
import os
import re

import tinybackprop
from core_tests import core
from tinybackprop.show.equations import EQUATIONS

PKG = os.path.dirname(tinybackprop.__file__)
CORE = core()  # the .py files at the top of the package: the lesson
ALLOWED = {"math", "json", "sys", "os", "operator"}  # operator is optional (try/except in _compat)


def package_files():
    """Every .py file of the package, sub-packages (cli/, datasets/) included, relative to it."""
    found = []
    for folder, dirs, names in os.walk(PKG):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [os.path.relpath(os.path.join(folder, fn), PKG) for fn in names if fn.endswith(".py")]
    return sorted(found)


def imports(path):
    tree = ast.parse(open(path).read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0], node.lineno


def test_core_imports_only_math_json_sys_os():
    bad = []
    for name in CORE:
        path = os.path.join(PKG, name + ".py")
        assert os.path.isfile(path), "CORE names %s, which is no module at the top of the package" % name
        bad += ["%s.py:%d imports %s" % (name, line, mod) for mod, line in imports(path) if mod not in ALLOWED]
    assert not bad, bad


def test_nothing_needs_what_micropython_lacks():
    lacking = {"typing", "dataclasses", "__future__"}
    bad = []
    for fn in package_files():
        bad += ["%s:%d imports %s" % (fn, line, mod)
                for mod, line in imports(os.path.join(PKG, fn)) if mod in lacking]
    assert not bad, bad


def test_equation_ids_in_code_and_table_match():
    used = set()
    for fn in package_files():
        used |= set(re.findall(r"#.*?\[eq:([a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\]", open(os.path.join(PKG, fn)).read()))
    assert used - set(EQUATIONS) == set(), "IDs in code but not in the table"
    assert set(EQUATIONS) - used == set(), "IDs in the table but used by no code"


def test_the_core_is_the_top_of_the_package_and_the_tools_are_sub_packages():
    assert CORE[0] == "__init__" and len(CORE) == len(set(CORE))
    assert {"network", "per_neuron", "vectorized", "graph", "gradcheck", "training", "optimizers", "modelfile",
            "files"} <= set(CORE)
    tools = {d for d in os.listdir(PKG) if os.path.isfile(os.path.join(PKG, d, "__init__.py"))}
    assert tools == {"cli", "datasets", "show", "exercises", "export"}
    # the top of the folder holds the lesson's .py files and the sub-packages, nothing else
    assert {fn for fn in os.listdir(PKG) if fn != "__pycache__"} == {n + ".py" for n in CORE} | tools


def test_the_core_imports_nothing_of_the_package_but_the_core():
    # what a board gets must be enough: no core module reaches a tool, even inside a function
    outside = []
    for name in CORE:
        tree = ast.parse(open(os.path.join(PKG, name + ".py")).read())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                targets = [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
                outside += ["%s.py:%d imports %s" % (name, node.lineno, t) for t in targets
                            if t not in CORE and (os.path.exists(os.path.join(PKG, t + ".py"))
                                                  or os.path.isdir(os.path.join(PKG, t)))]
    assert outside == []


def test_the_core_tests_follow_from_the_core():
    import core_tests  # tests/core_tests.py: what tests/core/ holds, which .ci/pyodide-tests.sh runs on Pyodide

    names = {rel.rsplit("/", 1)[-1][:-3] for rel in core_tests.names()}  # tests/test_layout.py: all in tests/core/
    assert {"test_matrix", "test_network", "test_paths_agree", "test_training", "test_validation"} <= names
    assert not {"test_cli", "test_fuzz", "test_typing", "test_torch_agrees", "test_svg", "test_portability"} & names
    assert core_tests.is_core_test("from tinybackprop import network\n", CORE)
    assert not core_tests.is_core_test("from tinybackprop import network, show\n", CORE)  # a tool
    assert not core_tests.is_core_test("from tinybackprop import datasets\n", CORE)  # a tool, too
    assert not core_tests.is_core_test("import subprocess\nimport tinybackprop\n", CORE)  # a process
    outside = "open(os.path.join(ROOT, '%s'))\n" % ("do" + "cs")  # split: this file itself names no folder
    assert not core_tests.is_core_test("import tinybackprop\n" + outside, CORE)


def test_a_module_over_400_lines_is_named_with_its_reason_in_the_package_docstring():
    doc = tinybackprop.__doc__
    said = doc[doc.index("Modules over 400 lines, and why:"):]
    said = " ".join(said[:said.index("\n\n")].split())
    for fn in package_files():
        with open(os.path.join(PKG, fn), encoding="utf-8") as f:
            n = len(f.read().splitlines())
        name = fn[:-3].replace(os.sep, ".")
        if n > 400:
            assert "``%s`` (" % name in said, "%s has %d lines and no reason in the package docstring" % (fn, n)
