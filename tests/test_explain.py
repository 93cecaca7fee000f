"""explain: every number it shows is the number the two backward paths computed.

The expected values come from calling ``per_neuron.backward`` /
``vectorized.backward`` (and both forward passes) here in the test, never from
an earlier run of explain; local derivatives g'(z) are checked against central
differences of the activation itself.
"""
import re

import pytest

import tinybackprop as tb
from tinybackprop import gradcheck, per_neuron, vectorized
from tinybackprop.show.equations import EQUATIONS
from tinybackprop.show.explain import explain, explain_steps

CASES = {
    # the document's 4-3-2-1 network (the 4-3-2-1 derivation)
    "4-3-2-1 sigmoid bce": (dict(sizes=[4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0),
                            [0.1, 0.2, 0.3, 0.4], [1.0]),
    # the softmax exercise: sigmoid hidden layer, softmax output, cross entropy
    "softmax cross entropy": (dict(sizes=[5, 4, 3], hidden="sigmoid", output="softmax", loss="cross_entropy", seed=3),
                              [0.5, -1.0, 0.25, 2.0, -0.3], [0.0, 0.0, 1.0]),
    # the 3-4-1 question: squared error
    "3-4-1 squared error": (dict(sizes=[3, 4, 1], hidden="sigmoid", output="sigmoid", loss="squared_error", seed=1),
                            [0.5, -0.2, 0.1], [0.3]),
    # the other branches of explain: tanh/relu hidden, identity output, softmax with a non-canonical loss
    "tanh identity squared error": (dict(sizes=[2, 3, 2], hidden="tanh", output="identity", loss="squared_error",
                                         seed=4), [0.7, -0.4], [1.5, -2.0]),
    "relu softmax bce": (dict(sizes=[3, 4, 3], hidden="relu", output="softmax", loss="bce", seed=5),
                         [1.0, -0.5, 0.3], [0.0, 1.0, 0.0]),
    "sigmoid cross entropy 2 outputs": (dict(sizes=[2, 2, 2], hidden="sigmoid", output="sigmoid",
                                             loss="cross_entropy", seed=6), [0.3, 0.9], [0.25, 0.75]),
}


def make(case):
    kw, x, y = CASES[case]
    kw = dict(kw)
    return tb.Network(kw.pop("sizes"), **kw), x, y


class Paths:
    """Both paths run here, independently of explain."""

    def __init__(self, net, x, y):
        X, Y = [list(x)], [list(y)]
        self.net, self.X, self.Y = net, X, Y
        self.g = {"neuron": per_neuron.backward(net, X, Y), "vector": vectorized.backward(net, X, Y)}
        self.f = {"neuron": per_neuron.forward(net, X), "vector": vectorized.forward(net, X)}

    def target(self, t, which):
        g, f = self.g[which], self.f[which]
        kind, idx = t[0], t[1:]
        if kind == "loss":
            return g.loss
        if kind in ("fz", "fa"):
            return (f.z if kind == "fz" else f.a)[idx[0]]
        if kind == "gprime":
            return None  # checked separately, against central differences
        whole = {"W": g.W, "b": g.b, "g_z": g.g_z, "g_a": g.g_a}
        if kind == "x":
            return g.x if not idx else g.x[0][idx[0]]
        M = whole[kind][idx[0]]
        if len(idx) == 1:
            return M
        if kind == "W":
            return M[idx[1]][idx[2]]
        return M[0][idx[1]]

    def operand(self, src):
        kind, idx = src[0], src[1:]
        f, g = self.f["neuron"], self.g["neuron"]
        if kind == "a":
            return f.a[idx[0]] if len(idx) == 1 else f.a[idx[0]][0][idx[1]]
        if kind == "z":
            return f.z[idx[0]] if len(idx) == 1 else f.z[idx[0]][0][idx[1]]
        if kind == "y":
            return self.Y if not idx else self.Y[0][idx[0]]
        if kind == "weight":
            return self.net.W[idx[0]] if len(idx) == 1 else self.net.W[idx[0]][idx[1]][idx[2]]
        if kind in ("g_z", "g_a"):
            M = (g.g_z if kind == "g_z" else g.g_a)[idx[0]]
            return M if len(idx) == 1 else M[0][idx[1]]
        return None  # gprime, J: derived, checked through the steps that use them


def close(a, b, rel=1e-12, abs_=1e-15):
    if isinstance(a, list):
        return len(a) == len(b) and all(close(u, v, rel, abs_) for u, v in zip(a, b))
    return abs(a - b) <= abs_ + rel * max(abs(a), abs(b))


def central_derivative(net, l, z):
    act = net.activation(l)
    h = 1e-6
    return (act.f(z + h) - act.f(z - h)) / (2 * h)


@pytest.fixture(params=sorted(CASES))
def case(request):
    net, x, y = make(request.param)
    return net, x, y, Paths(net, x, y)


def test_every_value_equals_both_paths(case):
    net, x, y, paths = case
    steps = explain_steps(net, x, y)
    assert steps
    for s in steps:
        assert s["id"] in EQUATIONS, s["id"]
        t = s["target"]
        if t[0] == "gprime":
            l = t[1]
            if len(t) == 3:
                z = paths.f["neuron"].z[l][0][t[2]]
                assert abs(s["value"] - central_derivative(net, l, z)) < 1e-6, s
            else:
                want = [[central_derivative(net, l, z) for z in paths.f["vector"].z[l][0]]]
                assert close(s["value"], want, rel=1e-6, abs_=1e-6), s
            continue
        for which in ("neuron", "vector"):
            want = paths.target(t, which)
            assert close(s["value"], want, rel=1e-12, abs_=1e-15), (which, s["symbolic"], s["value"], want)


def test_every_operand_is_a_number_of_the_paths(case):
    net, x, y, paths = case
    for s in explain_steps(net, x, y):
        for src, v in s["operands"]:
            want = paths.operand(src)
            if want is not None:
                assert close(v, want), (s["symbolic"], src, v, want)


def test_the_arithmetic_shown_gives_the_value(case):
    """Recompute each per-element step from the operands it shows (independent arithmetic)."""
    net, x, y, paths = case
    checked = 0
    for s in explain_steps(net, x, y):
        ops = dict(s["operands"])
        v = s["value"]
        if s["part"] != "neuron":
            continue
        if s["id"] == "bwd.gW":
            (_, a), (_, gz) = s["operands"]
            assert close(v, a * gz, rel=1e-14)
        elif s["id"] == "bwd.ga":
            Ws = [val for src, val in s["operands"] if src[0] == "weight"]
            gzs = [val for src, val in s["operands"] if src[0] == "g_z"]
            assert close(v, sum(w * g for w, g in zip(Ws, gzs)), rel=1e-12, abs_=1e-15)
        elif s["id"] == "bwd.gz":
            (_, d), (_, ga) = s["operands"]
            assert close(v, d * ga, rel=1e-12, abs_=1e-15)
        elif s["id"] == "bwd.out":
            (_, yh), (_, yv) = s["operands"]
            assert close(v, yh - yv, rel=1e-12, abs_=1e-15)
        elif s["id"] == "bwd.gb":
            assert close(v, s["operands"][0][1], rel=0, abs_=0)
        elif s["id"] == "bwd.gz_softmax":
            n = net.sizes[-1]
            a = [val for src, val in s["operands"] if src[0] == "a"]
            ga = [val for src, val in s["operands"] if src[0] == "g_a"]
            j = s["target"][2]
            assert close(v, sum(a[k] * ((k == j) - a[j]) * ga[k] for k in range(n)), rel=1e-9, abs_=1e-12)
        else:
            continue
        checked += 1
        assert ops  # every checked step names its operands
    assert checked > 0


def test_every_gradient_entry_is_shown(case):
    net, x, y, _ = case
    steps = explain_steps(net, x, y)
    targets = set(s["target"] for s in steps if s["part"] == "neuron")
    L, n = net.L, net.sizes
    for l in range(1, L + 1):
        for j in range(n[l]):
            assert ("b", l, j) in targets and ("g_z", l, j) in targets and ("g_a", l, j) in targets
            for i in range(n[l - 1]):
                assert ("W", l, i, j) in targets
    for i in range(n[0]):
        assert ("x", i) in targets
    whole = set(s["target"] for s in steps if s["part"] == "matrix")
    for l in range(1, L + 1):
        assert {("W", l), ("b", l), ("g_z", l), ("g_a", l)} <= whole
    assert ("x",) in whole
    # from the output layer back, as the document derives it
    layers = [s["layer"] for s in steps if s["part"] == "neuron"]
    assert layers == sorted(layers, reverse=True) and layers[0] == L and layers[-1] == 0


NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]\d+)?"


def printed_value(text):
    return float(re.search(r"= (%s)\s*$" % NUMBER, text).group(1))


def logical(text):
    """The text format with its wrapped lines joined back (a continuation line starts
    with 6 spaces, a note's with '    #   '): one line per step, as _wrap promises."""
    out = []
    for line in text.splitlines():
        if out and line.startswith("      "):
            out[-1] += " " + line[6:]
        elif out and line.startswith("    #   "):
            out[-1] += " " + line[8:]
        else:
            out.append(line)
    return "\n".join(out)


def test_text_shows_each_step_with_its_id_and_the_paths_numbers(case):
    net, x, y, paths = case
    text = logical(explain(net, x, y))
    lines = [l for l in text.splitlines() if re.match(r"  \[[a-z_.A-Z]+\] ", l)]
    steps = explain_steps(net, x, y)
    assert len(lines) == len(steps)
    for line, s in zip(lines, steps):
        assert line.startswith("  [%s] %s = " % (s["id"], s["symbolic"]))
        t = s["target"]
        if isinstance(s["value"], list):
            nums = [float(v) for v in re.findall(NUMBER, line.rsplit(" = ", 1)[1])]
            want = [v for row in (paths.target(t, "vector") if t[0] != "gprime" else s["value"]) for v in row]
            assert len(nums) == len(want)
            for p, w in zip(nums, want):
                assert abs(p - w) <= 5e-4 * abs(w) + 1e-15, (line, p, w)
            continue
        p = printed_value(line)
        for which in ("neuron", "vector"):
            w = s["value"] if t[0] == "gprime" else paths.target(t, which)
            # 4 significant digits are printed
            assert abs(p - w) <= 5e-4 * abs(w) + 1e-15, (line, p, w)


def test_text_states_that_both_paths_agree(case):
    net, x, y, paths = case
    last = logical(explain(net, x, y)).strip().splitlines()[-1].replace("\n  ", " ")
    m = re.match(r"per_neuron.backward and vectorized.backward agree: worst relative difference (%s) " % NUMBER, last)
    assert m, last
    g1, g2 = paths.g["neuron"], paths.g["vector"]
    # the difference of each parameter, relative to the size of the terms summed to make it
    # (gradcheck.term_sizes, tested on its own in test_term_sizes.py), as gradcheck.compare measures
    S = gradcheck.term_sizes(net, [x], [y])
    worst = 0.0
    for A, B, T in [(g1.W[l], g2.W[l], S.W[l]) for l in range(1, net.L + 1)] \
            + [(g1.b[l], g2.b[l], S.b[l]) for l in range(1, net.L + 1)] + [(g1.x, g2.x, S.x)]:
        diff = max(abs(u - v) for ra, rb in zip(A, B) for u, v in zip(ra, rb))
        size = max(max(abs(u), abs(v), t) for ra, rb, rt in zip(A, B, T) for u, v, t in zip(ra, rb, rt))
        worst = max(worst, diff / size if size else 0.0)
    assert float(m.group(1)) <= 1e-12
    assert abs(float(m.group(1)) - worst) <= 5e-4 * worst + 1e-300


def test_markdown_has_every_step_as_math_with_its_id(case):
    net, x, y, paths = case
    md = explain(net, x, y, fmt="markdown")
    steps = explain_steps(net, x, y)
    items = [l for l in md.splitlines() if l.startswith("- `")]
    assert len(items) == len(steps)
    for item, s in zip(items, steps):
        assert item.startswith("- `%s` $\\displaystyle " % s["id"])
        assert s["latex"] in item
        assert item.count("$") % 2 == 0  # the equation, then any math in its note
        if not isinstance(s["value"], list) and s["target"][0] != "gprime":
            tail = item.split("$")[1]  # the step's own formula
            assert tail.startswith("\\displaystyle " + s["latex"]), item
            p = printed_value(tail) if "times 10" not in tail[-25:] else None
            if p is not None:
                w = paths.target(s["target"], "neuron")
                assert abs(p - w) <= 5e-4 * abs(w) + 1e-15, (item, w)
    assert "\\label" not in md  # anchors belong to the equation pages, not to examples


def test_markdown_links_ids_when_given_links():
    net, x, y = make("4-3-2-1 sigmoid bce")
    md = explain(net, x, y, fmt="markdown", links={"bwd.gW": "backward-neuron.md#eq-bwd-gW"})
    assert "- [`bwd.gW`](backward-neuron.md#eq-bwd-gW) $" in md
    assert "- `bwd.gb` $" in md


def test_the_documents_first_weight_gradient_reads_as_in_the_document():
    net, x, y = make("4-3-2-1 sigmoid bce")
    g = vectorized.backward(net, [x], [y])
    f = vectorized.forward(net, [x])
    line = [l for l in logical(explain(net, x, y)).splitlines() if "dL/dW^[3]_{1,1}" in l][0]
    a, gz, v = [float(u) for u in re.findall(NUMBER, line.split(" = ", 2)[2])[-3:]]
    assert line.startswith("  [bwd.gW] dL/dW^[3]_{1,1} = a^[2]_1 * g^[3z] = ")
    assert abs(a - f.a[2][0][0]) < 5e-5 and abs(gz - g.g_z[3][0][0]) < 5e-5 and abs(v - g.W[3][0][0]) < 5e-5


def test_example_as_flat_list_or_row_gives_the_same_text():
    net, x, y = make("3-4-1 squared error")
    assert explain(net, x, y) == explain(net, [x], [y])


@pytest.mark.parametrize("x, y, words", [
    ([[0.1, 0.2, 0.3], [0.1, 0.2, 0.3]], [0.3], "ONE example"),
    ([0.1, 0.2], [0.3], "3 inputs"),
    ([0.1, 0.2, 0.3], [0.3, 0.1], "1 outputs"),
    (0.5, [0.3], "flat list"),
])
def test_bad_examples_are_refused(x, y, words):
    net, _, _ = make("3-4-1 squared error")
    with pytest.raises(tb.BackpropError, match=words):
        explain(net, x, y)


def test_bad_format_is_refused():
    net, x, y = make("3-4-1 squared error")
    with pytest.raises(tb.BackpropError, match="fmt"):
        explain(net, x, y, fmt="html")


def test_cli_explain_uses_explain():
    from tinybackprop import cli
    import io
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["explain", "--layers", "3,4,1", "--seed", "1", "--loss", "squared_error",
                     "--x", "0.5,-0.2,0.1", "--y", "0.3"], out, err)
    assert code == 0, err.getvalue()
    net = tb.Network([3, 4, 1], loss="squared_error", seed=1)
    assert explain(net, [0.5, -0.2, 0.1], [0.3]).strip() in out.getvalue()


def test_text_lines_fit_in_100_characters(case):
    net, x, y, _ = case
    text = explain(net, x, y)
    assert max(len(line) for line in text.splitlines()) <= 100
    # wrapping loses nothing: the joined lines are the steps, one each
    steps = explain_steps(net, x, y)
    assert len([l for l in logical(text).splitlines() if re.match(r"  \[[a-z_.A-Z]+\] ", l)]) == len(steps)


def test_text_brackets_every_negative_factor(case):
    net, x, y, _ = case
    for line in logical(explain(net, x, y)).splitlines():
        if not re.match(r"  \[[a-z_.A-Z]+\] ", line):
            continue
        body = line.split(" = ", 1)[1]
        # a bare negative number next to *, /, + or - is a factor left unbracketed
        assert not re.search(r"[*+/-] -\d", body), line
        for m in re.finditer(r"(?<![\[(\w.])(-\d[\d.e+-]*)", body.rsplit(" = ", 1)[0] if " = " in body else ""):
            before = body[:m.start()]
            # inside a matrix [[...]] negative entries are entries, not factors; a minus
            # sign that the formula itself starts with (-y / yhat) is the formula's
            assert before.count("[") > before.count("]") or before.endswith("= ") and \
                line.split(" = ")[1].startswith("-"), (line, m.group(1))


def test_text_carries_the_notes_of_the_markdown_format(case):
    net, x, y, _ = case
    text = logical(explain(net, x, y))
    md = explain(net, x, y, fmt="markdown")
    flat = " ".join(text.split())
    # what g^[la] and the element-wise product mean, in both formats
    assert "g^[la] is the gradient with respect to layer l's activations" in flat
    assert "o is the element-wise (Hadamard) product" in flat
    assert "$g^{[la]}$ is the gradient with respect to layer $l$'s activations" in md
    assert "$\\circ$ is the element-wise (Hadamard) product" in md
    # every step note of the markdown format is in the text format too (as a # line)
    notes = [s["note"] for s in explain_steps(net, x, y) if s["note"]]
    assert notes
    for text_note, md_note in notes:
        assert "    # " + text_note in text
        assert md_note in md
    if (net.output, net.loss) in (("sigmoid", "bce"), ("softmax", "cross_entropy"), ("identity", "squared_error")):
        assert "# a canonical pair: " in text  # and why its g^[Lz] is yhat - y
        assert "a canonical pair: " in md


def test_markdown_notes_have_no_plain_text_notation(case):
    net, x, y, _ = case
    md = explain(net, x, y, fmt="markdown")
    for line in md.splitlines():
        prose = re.sub(r"\$[^$]*\$|`[^`]*`", "", line)
        assert "^[" not in prose and "neuron(s)" not in prose and "dL/d" not in prose, line


@pytest.mark.parametrize("net", [[4, 3, 1], None, "4,3,1"])
def test_explain_refuses_what_is_not_a_network(net):
    with pytest.raises(tb.BackpropError, match="explain: net must be a Network"):
        explain(net, [0.1, 0.2, 0.3, 0.4], [1.0])
    with pytest.raises(tb.BackpropError, match="explain: net must be a Network"):
        explain_steps(net, [0.1, 0.2, 0.3, 0.4], [1.0])


@pytest.mark.parametrize("call", ["explain", "explain_steps"])
def test_explain_checks_its_input_once(monkeypatch, call):
    from conftest import count_checks

    net = tb.Network([3, 2, 1], seed=0)
    x, y = [0.1, 0.2, 0.3], [1.0]
    seen = count_checks(monkeypatch)
    {"explain": explain, "explain_steps": explain_steps}[call](net, x, y)
    assert seen.count("X") == 1 and seen.count("Y") == 1, seen
