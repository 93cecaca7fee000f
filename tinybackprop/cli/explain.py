"""``tinybackprop explain``: one forward and backward pass, step by step, with a seeded network's numbers
(``--path graph``: node by node of the graph of scalar Values, in the order backward visits them).

>>> from tinybackprop.cli import NullWriter, main
>>> main(["explain", "--layers", "1,1", "--format", "text"], out=NullWriter())
0
"""
from .. import vectorized
from ..show.explain import explain
from .common import Formatter, add_network_options, build_network, dump_json, example_args, limit_weights, row_arg


def numbers(net, x, y):
    """The forward and backward pass of one example as plain data (``explain --json``):
    ``per_layer``, l = 1..L: W^[l], b^[l], z^[l], a^[l], g^[lz], g^[la], g^[lW], g^[lb]; and dL/dx, the loss.

    >>> from tinybackprop import Network
    >>> d = numbers(Network([2, 1], seed=0), [0.1, 0.2], [1.0])
    >>> sorted(d["per_layer"][0]), len(d["g_x"])
    (['W', 'a', 'b', 'g_W', 'g_a', 'g_b', 'g_z', 'l', 'z'], 2)
    """
    f = vectorized.forward(net, [x])
    g = vectorized.backward(net, [x], [y])
    layers = [{"l": l, "W": net.W[l], "b": net.b[l][0], "z": f.z[l][0], "a": f.a[l][0], "g_z": g.g_z[l][0],
               "g_a": g.g_a[l][0], "g_W": g.W[l], "g_b": g.b[l][0]} for l in range(1, net.L + 1)]
    return {"x": list(x), "y": list(y), "loss_value": g.loss, "per_layer": layers, "g_x": g.x[0]}


def cmd_explain(args, out, err):
    limit_weights(args.layers, "explain_weights", "explain", "it prints a step for every one")
    net = build_network(args)
    x, y = example_args(args, net)
    if args.json:
        d = {"layers": net.sizes, "hidden": net.hidden, "output": net.output, "loss": net.loss,
             "seed": args.seed, "path": args.path}
        d.update(numbers(net, x, y))
        out.write(dump_json(d))
        return 0
    if args.path == "graph":
        from ..show.explain_graph import explain_graph
        text = explain_graph(net, x, y, fmt=args.format)
    else:
        text = explain(net, [x], [y], fmt=args.format)
    out.write(text if text.endswith("\n") else text + "\n")
    return 0



def add_explain_parser(sub):
    """Add the command's subparser to ``sub``."""
    e = sub.add_parser("explain", formatter_class=Formatter,
                       help="print one forward and backward pass, equation by equation, with numbers",
                       description="Lay out one forward and backward pass for one example (x, y) with the "
                                   "numbers of a seeded network, equation by equation.")
    add_network_options(e, seed_help="seeds the initial weights")
    e.add_argument("--x", type=row_arg, help="the example's inputs, comma-separated (default 0.1,0.2,...)")
    e.add_argument("--y", type=row_arg, help="its targets, comma-separated (default 1, or the first class)")
    e.add_argument("--format", choices=["text", "markdown"], default="text", help="output format")
    e.add_argument("--path", choices=["both", "graph"], default="both",
                   help="both: per neuron, then in matrix form, equation by equation; graph: node by node of a "
                        "graph of scalar Values, in the order backward visits them")
    e.add_argument("--json", action="store_true",
                   help="print the numbers of the pass as one JSON object (z, a, g_z, g_a, g_W, g_b of every "
                        "layer, dL/dx, the loss; the same whatever --path, as the paths agree)")
    e.set_defaults(func=cmd_explain)
    return e
