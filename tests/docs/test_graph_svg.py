"""The warm-up page's computational graph (docs/hooks/graph_svg.py): its doctest, and a
drawing whose boxes, edges, values and gradients are the nodes' own."""
import doctest
import importlib.util
import pathlib
import xml.etree.ElementTree as ET


HOOK = pathlib.Path(__file__).resolve().parents[2] / "docs" / "hooks" / "graph_svg.py"


def load():
    spec = importlib.util.spec_from_file_location("tb_graph_svg", str(HOOK))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_doctest_passes():
    import sys
    sys.path.insert(0, str(HOOK.parent))  # its doctest imports course (docs/hooks/course.py)
    try:
        failed, tried = doctest.testmod(load(), optionflags=doctest.ELLIPSIS)
    finally:
        sys.path.remove(str(HOOK.parent))
    assert tried > 0 and failed == 0


def test_one_box_per_node_and_one_edge_per_input():
    nodes = course().graph_111(x=0.5, y=1.0, seed=3)
    text = load().graph(nodes, title="t")
    root = ET.fromstring(text)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert text.count('class="gnode"') == len(nodes)
    assert text.count('class="gedge"') == sum(len(n["inputs"]) for n in nodes)
    for n in nodes:  # each node's value and gradient, as the tooltip states them
        assert "= %.6g; dL/d%s = %.6g" % (n["value"], n["name"], n["grad"]) in text


def course():
    """docs/hooks/course.py, the numbers of the course pages (a helper of the site's build)."""
    path = str(HOOK.parent / "course.py")
    spec = importlib.util.spec_from_file_location("tb_course", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
