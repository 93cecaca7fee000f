"""The test files of the core, derived from its one definition, ``tinybackprop.CORE``.

    python tests/core_tests.py        prints their names, one line (.ci/pyodide-tests.sh)

A test file is a core test when it tests the package (imports it) and imports from it
nothing but core modules (and ``datasets``, the data the core trains on), starts no
process or thread, needs no optional tool, and reads no file outside tests/ and the
package (docs/, README.md, portability/, tools/): what runs wherever the core runs,
Pyodide included, with the package and tests/ as its only files.
"""
import ast
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
#: what a core test may not import: processes, threads, optional tools
NEEDS_MORE = {"subprocess", "threading", "multiprocessing", "hypothesis", "torch", "numpy", "mypy", "playwright",
              "doctest"}
#: a file outside tests/ and the package, named in a test's source
OUTSIDE = re.compile(r"""["'](docs|README\.md|portability|tools|benchmarks|mkdocs\.yml)["'/]""")


def core():
    sys.path.insert(0, ROOT)
    try:
        from tinybackprop import CORE
    finally:
        sys.path.pop(0)
    return CORE


def imports(src):
    """(modules of the package, other top-level modules) that ``src`` imports, anywhere in it."""
    package, other = set(), set()
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "tinybackprop":
                    package.add(parts[1] if len(parts) > 1 else "__init__")
                else:
                    other.add(parts[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            parts = (node.module or "").split(".")
            if parts[0] == "tinybackprop":
                if len(parts) > 1:
                    package.add(parts[1])
                else:  # from tinybackprop import x: a module, or a name of the package itself
                    package |= {a.name if os.path.exists(os.path.join(ROOT, "tinybackprop", a.name + ".py"))
                                or os.path.isdir(os.path.join(ROOT, "tinybackprop", a.name)) else "__init__"
                                for a in node.names}
            else:
                other.add(parts[0])
    return package, other


def is_core_test(src, core):
    package, other = imports(src)
    return (bool(package) and package <= set(core) | {"datasets"} and not other & NEEDS_MORE
            and "importorskip" not in src and not OUTSIDE.search(src))


def names():
    """The core test files' names (without .py), sorted."""
    core_modules = core()
    out = []
    for fn in sorted(os.listdir(HERE)):
        if fn.startswith("test_") and fn.endswith(".py"):
            with open(os.path.join(HERE, fn), encoding="utf-8") as f:
                if is_core_test(f.read(), core_modules):
                    out.append(fn[:-3])
    return out


if __name__ == "__main__":
    print(" ".join(names()))
