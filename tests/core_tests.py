"""The core and its test files, both derived from the package's folder.

    python tests/core_tests.py        prints the core tests (paths relative to tests/), one line

The core is the top of the package's folder: every ``tinybackprop/*.py`` (the lesson),
never a sub-package (the tools).  A test file is a core test when it tests the package
(imports it) and imports from it nothing but core modules, starts no process or thread,
needs no optional tool, and reads no file outside tests/ and the package (docs/,
README.md, portability/, tools/): what runs wherever the core runs, Pyodide included,
with the package and tests/ as its only files.
"""
import ast
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
#: what a core test may not import: processes, threads, optional tools
NEEDS_MORE = {"subprocess", "threading", "multiprocessing", "hypothesis", "torch", "numpy", "playwright",
              "doctest", "docs_helpers"}  # docs_helpers: the docs tools (MkDocs, Node, Chromium)
#: a file outside tests/ and the package, named in a test's source
OUTSIDE = re.compile(r"""["'](docs|README\.md|portability|tools|benchmarks|mkdocs\.yml)["'/]""")


PKG = os.path.join(ROOT, "tinybackprop")


def core():
    """The core's module names: the .py files at the top of tinybackprop/, "__init__" first."""
    names = sorted(fn[:-3] for fn in os.listdir(PKG) if fn.endswith(".py") and os.path.isfile(os.path.join(PKG, fn)))
    return tuple(["__init__"] + [n for n in names if n != "__init__"])


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
    return (bool(package) and package <= set(core) and not other & NEEDS_MORE
            and "importorskip" not in src and not OUTSIDE.search(src))


def test_files():
    """Every test file under tests/, as a path relative to tests/ ("core/test_matrix.py"), sorted."""
    out = []
    for folder, dirs, files in os.walk(HERE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for fn in files:
            if fn.startswith("test_") and fn.endswith(".py"):
                out.append(os.path.relpath(os.path.join(folder, fn), HERE).replace(os.sep, "/"))
    return sorted(out)


def names():
    """The core test files (paths relative to tests/), wherever they are: tests/test_house_rules.py
    checks that they are exactly the files of the folder tests/core/, which CI runs as the core."""
    core_modules = core()
    out = []
    for rel in test_files():
        with open(os.path.join(HERE, rel), encoding="utf-8") as f:
            if is_core_test(f.read(), core_modules):
                out.append(rel)
    return out


if __name__ == "__main__":
    print(" ".join(names()))
