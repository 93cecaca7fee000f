"""The rules of the house that a test can check by reading the source (ast, or the text):
one file for all of them, each with a test that its finder can fail.

1. The lesson runs anywhere: the core (the .py files at the top of tinybackprop/, derived
   from the folder) imports only math, json, os (to save and load files; files.py alone)
   and, optionally, operator; nothing in the package needs typing, dataclasses or
   __future__ (typing is named only under ``if TYPE_CHECKING:``, for type checkers); no core module imports a tool; the tools are the sub-packages.
2. Code mirrors equations: every equation ID in the code is in the one table and every ID
   is used; the training step's lines carry [eq:train.step]; one name means one thing
   (g is a gradient, never an activation); a loss takes what it uses.
3. The structure: no import cycle, no reach into another module's private names (the paths'
   private protocol excepted), no public name defined in two modules, no injected forward
   pass, matmul is the check then one loop, every refusal a BackpropError, a module over
   400 lines named with its reason.
4. The tests' own layout: tests/core/ holds exactly the tests tests/core_tests.py derives
   from the package's folder (they run on Pyodide too), and tests/README.md names every
   test folder.

Behaviour (what a function does when called) is tested beside the rest of its module's
tests, not here."""
import ast
import os
import re

import pytest

import tinybackprop
from tinybackprop.show.equations import EQUATIONS

import core_tests
from core_tests import core

PKG = os.path.dirname(tinybackprop.__file__)
ROOT = os.path.dirname(PKG)
TESTS = os.path.join(ROOT, "tests")
CORE = core()  # the .py files at the top of the package: the lesson



def package_files(ext=".py"):
    """Every file of the package ending in ``ext``, sub-packages (cli/, datasets/) included,
    as paths relative to the package folder, sorted."""
    found = []
    for folder, dirs, names in os.walk(PKG):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [os.path.relpath(os.path.join(folder, fn), PKG) for fn in names if fn.endswith(ext)]
    return sorted(found)


def package_sources():
    """{module name: source} of every .py file of the package, sub-packages included:
    "network" for tinybackprop/network.py, "__init__" for the package, "cli.train" for
    tinybackprop/cli/train.py, "cli.__init__" for the sub-package cli."""
    out = {}
    for rel in package_files():
        with open(os.path.join(PKG, rel), encoding="utf-8") as f:
            out[rel[:-3].replace(os.sep, ".")] = f.read()
    return out


def is_type_checking_block(node):
    """``if TYPE_CHECKING:``: a block that never runs (``_compat.TYPE_CHECKING`` is False), read only by type
    checkers."""
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def runtime_nodes(tree):
    """Every node of ``tree`` that can run: ``ast.walk`` without the bodies of ``if TYPE_CHECKING:`` blocks."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if is_type_checking_block(node):
            todo.extend(node.orelse)
        else:
            todo.extend(ast.iter_child_nodes(node))


def imports(path):
    """(top-level module, line) of every import in the file that can run (not those for type checkers)."""
    tree = ast.parse(open(path).read())
    for node in runtime_nodes(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0], node.lineno


def test_package_sources_sees_the_sub_packages():
    names = package_sources()
    assert {"__init__", "network", "cli.__init__", "cli.train", "datasets.__init__", "datasets.digits"} <= set(names)
    assert len(names) == len(package_files()) > 30


# -- 1. the lesson runs anywhere ----------------------------------------------------------


def test_the_core_imports_only_math_json_sys_and_os():
    """The core imports math, json, sys (progress.py alone: where train(verbose=1) prints) and,
    to save and load files, os; operator is optional: _compat falls back without it
    (MicroPython has none)."""
    seen = {}
    for name in CORE:
        path = os.path.join(PKG, name + ".py")
        assert os.path.isfile(path), "core() names %s, which is no module at the top of the package" % name
        for mod, line in imports(path):
            seen.setdefault(mod, set()).add(name)
    assert set(seen) <= {"math", "json", "sys", "os", "operator"}, seen
    assert seen.get("os", set()) <= {"files"}, seen["os"]
    assert seen.get("sys", set()) <= {"progress"}, seen["sys"]
    assert seen.get("operator", set()) <= {"_compat"}, seen["operator"]


def test_nothing_needs_what_micropython_lacks():
    lacking = {"typing", "dataclasses", "__future__"}
    bad = []
    for fn in package_files():
        bad += ["%s:%d imports %s" % (fn, line, mod)
                for mod, line in imports(os.path.join(PKG, fn)) if mod in lacking]
    assert not bad, bad


def typing_outside_type_checking(src):
    """Lines where ``src`` names ``typing`` (an import, or ``typing.X``) outside an ``if TYPE_CHECKING:`` block."""
    found = []
    for node in runtime_nodes(ast.parse(src)):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "typing" for a in node.names) \
                or isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "typing" \
                or isinstance(node, ast.Name) and node.id == "typing":
            found.append(node.lineno)
    return sorted(found)


def test_typing_only_under_type_checking():
    """The types are for type checkers: ``typing`` (which MicroPython lacks) is imported only inside
    ``if TYPE_CHECKING:``, which never runs; TYPE_CHECKING is the one False of _compat, and a module takes it
    from there."""
    bad = []
    for name, src in package_sources().items():
        bad += ["%s.py:%d" % (name, line) for line in typing_outside_type_checking(src)]
        tree = ast.parse(src)
        for node in runtime_nodes(tree):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "TYPE_CHECKING"
                                                    for t in node.targets):
                assert name == "_compat", "%s.py defines TYPE_CHECKING; import it from _compat" % name
                assert isinstance(node.value, ast.Constant) and node.value.value is False, name
    assert bad == [], bad
    assert "TYPE_CHECKING = False" in package_sources()["_compat"]


def test_the_typing_finder_sees_typing_outside_the_block():
    assert typing_outside_type_checking("from typing import List\n") == [1]
    assert typing_outside_type_checking("import typing\nx = typing.List\n") == [1, 2]
    assert typing_outside_type_checking("def f():\n    from typing import Any\n") == [2]
    assert typing_outside_type_checking("if TYPE_CHECKING:\n    from typing import List\nelse:\n"
                                        "    import typing\n") == [4]
    assert typing_outside_type_checking("if TYPE_CHECKING:\n    from typing import List\n") == []


def test_the_core_is_the_top_of_the_package_and_the_tools_are_sub_packages():
    assert CORE[0] == "__init__" and len(CORE) == len(set(CORE))
    assert {"network", "per_neuron", "vectorized", "graph", "gradcheck", "training", "optimizers", "modelfile",
            "files"} <= set(CORE)
    tools = {d for d in os.listdir(PKG) if os.path.isfile(os.path.join(PKG, d, "__init__.py"))}
    assert tools == {"cli", "datasets", "show", "exercises", "export"}
    # the top of the folder holds the lesson's .py files and the sub-packages, nothing else
    # and py.typed (PEP 561): type checkers read the inline annotations of an installed copy
    assert {fn for fn in os.listdir(PKG) if fn != "__pycache__"} == {n + ".py" for n in CORE} | tools | {"py.typed"}


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


def test_compat_holds_only_what_differs_between_interpreters():
    # the file system's calls live with their one user (files.py); isint/isnumber are checks (matrix.py)
    tree = ast.parse(package_sources()["_compat"])
    defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert not defined & {"isint", "isnumber", "open_new", "open_read", "file_kind", "replace", "sync"}, defined
    assert "os" not in {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    # the tools (cli, exercises) run on computers, which have os
    users = [name for name, src in package_sources().items() if "import os" in src and name in CORE]
    assert users == ["files"], users


# -- 2. code mirrors equations; one name per thing -------------------------------------------


def test_equation_ids_in_code_and_table_match():
    used = set()
    for fn in package_files():
        used |= set(re.findall(r"#.*?\[eq:([a-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\]", open(os.path.join(PKG, fn)).read()))
    assert used - set(EQUATIONS) == set(), "IDs in code but not in the table"
    assert set(EQUATIONS) - used == set(), "IDs in the table but used by no code"


def test_update_lines_carry_the_step_equation():
    # what the docs show for [eq:train.step]: the update lines, W (one row, or a batch) and b
    lines = [line.strip() for line in package_sources()["training"].splitlines()]
    tagged = [k for k, line in enumerate(lines) if line.endswith("# [eq:train.step]")]
    assert len(tagged) == 3 and tagged[2] - tagged[0] == 3
    outer_line, W_line, b_line = (lines[k] for k in tagged)
    assert "_subtract_outer(net.W[l], lr, f.a[l - 1][0], g.g_z[l][0])" in outer_line
    assert "_subtract_scaled(net.W[l], lr, g.W[l])" in W_line
    assert "_subtract_scaled(net.b[l], lr, g.b[l])" in b_line


ACTIVATION_CALLS = ("activation", "get_hidden", "get_output")
GRADIENT_CALLS = ("backward", "numerical_gradients", "Gradients", "term_sizes")


def bindings(src):
    """(name, value) of every plain assignment in ``src``, tuples unpacked pairwise."""
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    yield t.id, node.value
                elif isinstance(t, ast.Tuple) and isinstance(node.value, ast.Tuple) \
                        and len(t.elts) == len(node.value.elts):
                    for tt, v in zip(t.elts, node.value.elts):
                        if isinstance(tt, ast.Name):
                            yield tt.id, v


def _called(v):
    f = v.func if isinstance(v, ast.Call) else None
    return getattr(f, "attr", None) or getattr(f, "id", None)


def is_activation(v):
    return _called(v) in ACTIVATION_CALLS or (isinstance(v, ast.Attribute) and v.attr in ("phi_h", "phi_o"))


def names_a_gradient_wrongly(src):
    """Places where ``g`` names an activation, or anything but what a backward pass returns."""
    return [ast.unparse(v) if hasattr(ast, "unparse") else "?" for name, v in bindings(src)
            if name == "g" and (is_activation(v) or _called(v) not in GRADIENT_CALLS)]


def test_one_name_per_thing_everywhere():
    sources = package_sources()

    def stored(name):
        return set(n.id for n in ast.walk(ast.parse(sources[name])) if isinstance(n, ast.Name)
                   and isinstance(n.ctx, ast.Store))

    # g is a Gradients (g = backward(...)), as in every example; an activation is act (or phi_h, phi_o)
    wrong = {name: names_a_gradient_wrongly(src) for name, src in sources.items()}
    assert {k: v for k, v in wrong.items() if v} == {}
    assert not stored("per_neuron") & {"gW", "gb"}  # the gradients are g_W, g_b everywhere
    for name in sources:
        assert "nice" not in stored(name), name  # a canonical pair, say so
    # one term for one thing, in the code and on the site: a canonical pair (never "the nice form")
    pages = [os.path.join(ROOT, "docs", fn) for fn in sorted(os.listdir(os.path.join(ROOT, "docs"))) if fn.endswith(".md")]
    said = [name for name, src in sources.items() if "nice form" in src.lower() or "nice pair" in src.lower()]
    for page in pages:
        with open(page, encoding="utf-8") as f:
            text = f.read().lower()
        if "nice form" in text or "nice pair" in text:
            said.append(os.path.basename(page))
    assert said == []


@pytest.mark.skipif(not hasattr(ast, "unparse"), reason="ast.unparse (Python 3.9+) names what the check found")
def test_the_naming_check_finds_an_activation_called_g():
    assert names_a_gradient_wrongly("g = net.activation(l)\n") == ["net.activation(l)"]
    assert names_a_gradient_wrongly("W, b, g = net.W[l], net.b[l], net.phi_h\n") == ["net.phi_h"]
    assert names_a_gradient_wrongly("g = vectorized.backward(net, X, Y)\nact = net.activation(1)\n") == []


def test_every_loss_uses_every_argument_it_takes():
    import inspect

    from tinybackprop import losses
    for name, loss in losses.LOSSES.items():
        tree = ast.parse(inspect.getsource(loss.loss).lstrip())
        fn = tree.body[0]
        params = [a.arg for a in fn.args.args]
        used = set(n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load))
        assert set(params) <= used, (name, set(params) - used)
        # and of_example hands it exactly those
        assert loss.from_z == ("z_row" in params), name


# -- 3. the structure ---------------------------------------------------------------------


def test_no_snippet_markers_in_the_package():
    marked = ["%s.py:%d" % (name, n) for name, src in package_sources().items()
              for n, line in enumerate(src.split("\n"), 1) if "--8<--" in line]
    assert marked == []


def _resolve(sources, target):
    """The module a dotted name inside the package stands for: itself, its package's
    __init__, or None when it names no module ("" is the package: "__init__")."""
    if target == "":
        return "__init__"
    if target in sources:
        return target
    if target + ".__init__" in sources:
        return target + ".__init__"
    return None


def import_edges(sources):
    """{module: {modules it imports}} for a package given as {name: source} (names as
    package_sources gives them): every relative import (``.x``, ``..x``) and every
    ``tinybackprop.x`` import, at any depth (inside functions too).  ``from P import x``
    is an edge to the module P.x when there is one, else to P (a module, or a package's
    __init__)."""
    edges = {}
    for name, src in sources.items():
        out = edges.setdefault(name, set())
        here = name.split(".")[:-1]  # the package the module is in ([] for the top)
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.ImportFrom):
                if node.level == 0:
                    if not (node.module or "").split(".")[0] == "tinybackprop":
                        continue
                    base = node.module.split(".")[1:]
                else:
                    base = (here[:len(here) - (node.level - 1)] if node.level > 1 else list(here)) \
                        + ((node.module or "").split(".") if node.module else [])
                for alias in node.names:
                    target = _resolve(sources, ".".join(base + [alias.name])) or _resolve(sources, ".".join(base))
                    if target:
                        out.add(target)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] == "tinybackprop":
                        target = _resolve(sources, ".".join(parts[1:]))
                        if target:
                            out.add(target)
        out.discard(name)
    return edges


def find_cycle(edges):
    """One import cycle as a list of modules [a, b, ..., a], or None."""
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(edges.get(m, ())):
            if state.get(n) == "open":
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = "done"
        return None

    for m in sorted(edges):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_the_import_graph_has_no_cycle():
    edges = import_edges(package_sources())
    assert find_cycle(edges) is None, " -> ".join(find_cycle(edges))
    # network.py is the leaf the paths import: it imports neither path
    assert not edges["network"] & {"per_neuron", "vectorized", "training", "gradcheck", "explain"}
    assert "network" in edges["vectorized"] and "network" in edges["per_neuron"]


def test_the_cycle_finder_sees_an_import_inside_a_function():
    # a cycle hidden in a method: network.predict importing vectorized inside the method
    sources = {
        "network": "def predict(net, X):\n    from . import vectorized\n    return vectorized.forward(net, X)\n",
        "vectorized": "from .network import Forward\n",
        "matrix": "import math\n",
    }
    assert find_cycle(import_edges(sources)) in (["network", "vectorized", "network"],
                                                 ["vectorized", "network", "vectorized"])
    sources["network"] = "def predict(net, X):\n    return None\n"
    assert find_cycle(import_edges(sources)) is None
    # in a sub-package: ``..`` climbs to the top, ``.`` stays, a sub-package is its __init__
    nested = {"network": "", "__init__": "", "cli.__init__": "from . import train\nfrom .. import __version__\n",
              "cli.train": "from ..network import Network\nfrom . import common\nfrom .. import datasets as ds\n",
              "cli.common": "import tinybackprop.network\n", "datasets.__init__": ""}
    assert import_edges(nested) == {"network": set(), "__init__": set(), "cli.__init__": {"cli.train", "__init__"},
                                    "cli.train": {"network", "cli.common", "datasets.__init__"},
                                    "cli.common": {"network"}, "datasets.__init__": set()}
    assert import_edges({"a": "import tinybackprop.b as b\n", "b": "from tinybackprop import a\n"}) == \
        {"a": {"b"}, "b": {"a"}}


def private_reach_ins(src, where, allowed_modules=()):
    """Places in ``src`` that import a private name from a tinybackprop module
    (``from .m import _x``), use one through a module (``m._x``), or reach into another
    object's private attribute (``other._x``; only ``self._x`` and ``cls._x`` are a
    class's own).  ``allowed_modules``: private modules that may be imported whole (a
    test of the compat layer imports ``_compat``)."""
    found = []
    tree = ast.parse(src)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level > 0 or (node.module or "").startswith("tinybackprop")):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__") \
                        and alias.name not in allowed_modules:
                    found.append("%s:%d: from %s import %s" % (where, node.lineno, "." * node.level
                                                                + (node.module or ""), alias.name))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "tinybackprop" and any(p.startswith("_") and p not in allowed_modules
                                                      for p in parts[1:]):
                    found.append("%s:%d: import %s" % (where, node.lineno, alias.name))
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                and not (node.attr.startswith("_repr_") and node.attr.endswith("_")):  # IPython's display protocol
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            if node.attr in allowed_modules:
                continue
            found.append("%s:%d: %s._%s" % (where, node.lineno, ast.unparse(owner) if hasattr(ast, "unparse")
                                             else "...", node.attr[1:]))
    return found


#: The one private protocol between modules: each path's forward and backward without the
#: check (``_forward(net, X)``, ``_backward(net, X, Y, input_grad, weight_grad)``) and the term
#: sizes without it (``gradcheck._term_sizes``), which the training step (training._step) and
#: explain call after checking everything once.
PATH_PROTOCOL = ("_forward", "_backward", "_term_sizes")
PROTOCOL_USERS = ("training", "show.explain")


def test_no_module_reaches_into_another_modules_private_names():
    found = []
    for name, src in package_sources().items():
        found += private_reach_ins(src, name + ".py", allowed_modules=PATH_PROTOCOL if name in PROTOCOL_USERS else ())
    assert found == []


def test_the_tests_use_the_public_names():
    # Reach-ins into the package only (a test's own helper modules are its business); a
    # test of the compat layer may import the private module _compat (its names are public).
    package = {part for name in package_sources() for part in name.split(".")} | {"tb", "tinybackprop"}
    found = []
    for folder in sorted(d for d, _, _ in os.walk(TESTS) if "__pycache__" not in d):
        for fn in sorted(os.listdir(folder)):
            if fn.endswith(".py") and fn != "test_house_rules.py":
                with open(os.path.join(folder, fn), encoding="utf-8") as f:
                    src = f.read()
                # besides _compat: the training step's protocol and its updates, which the tests of
                # the step call directly, and matrix._products, the loop a test swaps
                allowed = ("_compat", "_subtract_scaled", "_subtract_outer", "_products") + PATH_PROTOCOL
                for p in private_reach_ins(src, fn, allowed_modules=allowed):
                    what = p.split(": ", 1)[1]
                    owner = what.rsplit("._", 1)[0].split(".")[-1]
                    if what.startswith(("from ", "import ")) or owner in package:
                        found.append(p)
    assert found == []


def test_the_reach_in_finder_finds_imports_attributes_and_other_objects_privates():
    assert private_reach_ins("from .matrix import MAX_ENTRIES, _check_vector\n", "jacobian.py") == \
        ["jacobian.py:1: from .matrix import _check_vector"]
    assert len(private_reach_ins("def f(net, X):\n    return vectorized._forward(net, X)\n", "g.py")) == 1
    assert len(private_reach_ins("def f(layers, l):\n    return layers._items[l]\n", "n.py")) == 1
    assert len(private_reach_ins("def f(self):\n    return self._W._items\n", "n.py")) == 1
    assert private_reach_ins("def f(self):\n    return self._items\n", "n.py") == []


def public_definitions(sources):
    """{name: [modules]} of every public name a module defines at its top: functions, classes
    and assigned names (constants), not what it imports."""
    where = {}
    for name, src in sources.items():
        for node in ast.parse(src).body:
            names = []
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            for n in names:
                if not n.startswith("_"):
                    where.setdefault(n, []).append(name)
    return where


def test_a_public_name_is_defined_in_one_module_unless_by_design():
    # by design: the three paths' forward and backward, which read side by side
    by_design = {"forward": ["graph", "per_neuron", "vectorized"], "backward": ["graph", "per_neuron", "vectorized"]}
    twice = {n: sorted(m) for n, m in public_definitions(package_sources()).items() if len(m) > 1}
    assert twice == by_design


def test_the_definition_finder_sees_constants_and_functions():
    found = public_definitions({"a": "X = 1\ndef f():\n    pass\n_p = 2\n", "b": "from a import X\nX = 3\n"})
    assert found == {"X": ["a", "b"], "f": ["a"]}


def test_no_forward_pass_is_injected_and_gradients_record_no_inputs():
    sources = package_sources()
    # predict and loss_value run the network's own forward pass: no module hands one over at import
    assert not [name for name, src in sources.items() if "_FORWARD" in src or "provide_forward" in src]
    net, X = tinybackprop.Network([3, 2, 2], output="softmax", loss="cross_entropy", seed=1), [[0.1, -0.2, 0.3]]
    assert net.predict(X) == tinybackprop.vectorized.forward(net, X).a[2] == tinybackprop.network.forward_pass(net, X).a[2]
    for path in (tinybackprop.per_neuron, tinybackprop.vectorized, tinybackprop.graph):
        assert not hasattr(path.backward(net, X, [[0.0, 1.0]]), "inputs"), path.__name__


def test_matmul_is_the_check_then_one_loop_swappable_from_outside(monkeypatch):
    import inspect

    from tinybackprop import matrix, vectorized
    body = ast.parse(inspect.getsource(matrix._matmul)).body[0]
    # A branch on the shapes (an inner dimension of 1 is an outer product) is arithmetic;
    # a branch on which implementation is installed is a benchmark switch, and has no place here.
    tests = [n.test for n in ast.walk(body) if isinstance(n, (ast.If, ast.IfExp))]
    named = {x.id for t in tests for x in ast.walk(t) if isinstance(x, ast.Name)}
    named |= {x.attr for t in tests for x in ast.walk(t) if isinstance(x, ast.Attribute)}
    assert not named & {"sumprod", "sumprod_py", "_products", "_compat", "mul"}, named
    # matmul -> _matmul (the shapes) -> _products (one comprehension, sumprod or sum(map(mul)) per entry)
    named = {n.id for n in ast.walk(ast.parse(inspect.getsource(matrix.matmul))) if isinstance(n, ast.Name)}
    assert "_matmul" in named and "matmul" not in named
    seen = []

    def spy(A, cols):
        seen.append((len(A), len(cols)))
        return [[sum(a * c for a, c in zip(row, col)) for col in cols] for row in A]

    monkeypatch.setattr(matrix, "_products", spy)
    net = tinybackprop.Network([3, 2], seed=0)
    vectorized.forward(net, [[1.0, 2.0, 3.0]])
    assert seen == [(1, 2)]


def test_no_refusal_raises_a_bare_value_error():
    # errors.py: every refusal raises BackpropError (a ValueError); _compat.json_dumps alone
    # raises what json.dumps raises, on every interpreter, for its callers to turn into one
    found = []
    for name, src in package_sources().items():
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and \
                    getattr(node.exc.func, "id", None) == "ValueError":
                found.append("%s.py:%d" % (name, node.lineno))
    assert found == ["_compat.py:%d" % next(n.lineno for n in ast.walk(ast.parse(package_sources()["_compat"]))
                                               if isinstance(n, ast.Raise))]


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


# -- 4. the tests' own layout (tests/README.md) ----------------------------------------------


def test_tests_core_holds_exactly_the_core_tests():
    derived = set(core_tests.names())
    folder = {rel for rel in core_tests.test_files() if rel.startswith("core/")}
    assert sorted(derived - folder) == [], "core tests outside tests/core/: move them there (tests/README.md)"
    assert sorted(folder - derived) == [], "tests in tests/core/ that are not core tests: move them out"
    assert len(folder) >= 13


def test_every_test_file_is_in_a_folder_tests_readme_names():
    with open(os.path.join(TESTS, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    folders = {os.path.dirname(rel) for rel in core_tests.test_files()}
    for folder in folders:
        shown = "`tests/%s/`" % folder if folder else "`tests/` (top level)"
        assert shown in readme, "tests/README.md does not say what tests/%s/ is for" % folder


def test_the_core_tests_follow_from_the_core():
    names = {rel.rsplit("/", 1)[-1][:-3] for rel in core_tests.names()}  # tests/test_layout.py: all in tests/core/
    assert {"test_matrix", "test_network", "test_paths_agree", "test_training", "test_validation"} <= names
    assert not {"test_cli", "test_fuzz", "test_house_rules", "test_torch_agrees", "test_svg", "test_portability"} & names
    assert core_tests.is_core_test("from tinybackprop import network\n", CORE)
    assert not core_tests.is_core_test("from tinybackprop import network, show\n", CORE)  # a tool
    assert not core_tests.is_core_test("from tinybackprop import datasets\n", CORE)  # a tool, too
    assert not core_tests.is_core_test("import subprocess\nimport tinybackprop\n", CORE)  # a process
    outside = "open(os.path.join(ROOT, '%s'))\n" % ("do" + "cs")  # split: this file itself names no folder
    assert not core_tests.is_core_test("import tinybackprop\n" + outside, CORE)
