"""Rules of the house that a test can check: the core imports only math, json, sys
and os; nothing in the package needs typing, dataclasses or __future__; every
equation ID used in the code is in the one table, and every ID is used."""
import ast
import os
import re

import tinybackprop
from tinybackprop.equations import EQUATIONS

PKG = os.path.dirname(tinybackprop.__file__)
CORE = ["__init__", "_compat", "errors", "rng", "equations", "matrix", "kernels", "activations",
        "losses", "network", "per_neuron", "vectorized", "gradcheck", "jacobian", "training"]
ALLOWED = {"math", "json", "sys", "os", "operator"}  # operator is optional (try/except in _compat)


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
        if not os.path.exists(path):
            continue
        bad += ["%s.py:%d imports %s" % (name, line, mod) for mod, line in imports(path) if mod not in ALLOWED]
    assert not bad, bad


def test_nothing_needs_what_micropython_lacks():
    lacking = {"typing", "dataclasses", "__future__"}
    bad = []
    for fn in sorted(os.listdir(PKG)):
        if fn.endswith(".py"):
            bad += ["%s:%d imports %s" % (fn, line, mod)
                    for mod, line in imports(os.path.join(PKG, fn)) if mod in lacking]
    assert not bad, bad


def test_equation_ids_in_code_and_table_match():
    used = set()
    for fn in os.listdir(PKG):
        if fn.endswith(".py"):
            used |= set(re.findall(r"#.*?\[eq:([a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\]", open(os.path.join(PKG, fn)).read()))
    assert used - set(EQUATIONS) == set(), "IDs in code but not in the table"
    assert set(EQUATIONS) - used == set(), "IDs in the table but used by no code"
