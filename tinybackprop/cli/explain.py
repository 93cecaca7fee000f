"""``tinybackprop explain``: one forward and backward pass, step by step, with a seeded network's numbers
(``--path graph``: node by node of the graph of scalar Values, in the order backward visits them).

>>> from tinybackprop.cli import NullWriter, main
>>> main(["explain", "--layers", "1,1", "--format", "text"], out=NullWriter())
0
"""
from ..show.explain import explain
from .common import Formatter, add_network_options, build_network, example_args, limit_weights, row_arg

def cmd_explain(args, out, err):
    limit_weights(args.layers, "explain_weights", "explain", "it prints a step for every one")
    net = build_network(args)
    x, y = example_args(args, net)
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
                       help="print one backward pass, one equation at a time, with its numbers",
                       description="Lay out one forward and backward pass for one example (x, y) with the "
                                   "numbers of a seeded network, equation by equation.")
    add_network_options(e, seed_help="seeds the initial weights")
    e.add_argument("--x", type=row_arg, help="the example's inputs, comma-separated (default 0.1,0.2,...)")
    e.add_argument("--y", type=row_arg, help="its targets, comma-separated (default 1, or the first class)")
    e.add_argument("--format", choices=["text", "markdown"], default="text", help="output format")
    e.add_argument("--path", choices=["both", "graph"], default="both",
                   help="both: per neuron, then in matrix form, equation by equation; graph: node by node of a "
                        "graph of scalar Values, in the order backward visits them")
    e.set_defaults(func=cmd_explain)
    return e
