"""``tinybackprop check``: both backward paths against each other and central differences.

>>> from tinybackprop.cli import main
>>> main(["check", "--layers", "3,2,1", "--quiet"])
0
"""
from .. import gradcheck
from ..errors import BackpropError
from ..rng import Random
from .common import LIMITS, Formatter, add_network_options, add_output_options, build_network, count_weights, \
    describe_network, dump_json, int_upto, positive_float

def check_problem(args):
    """The network and the random batch that ``tinybackprop check`` checks: the seeded
    network of the options, but with biases drawn from [-0.5, 0.5) (a new network's
    biases are 0, which would leave them out of the forward pass being checked), X in
    [-1, 1), and targets that suit the loss.  Returns (net, X, Y)."""
    net = build_network(args)
    m, rng = args.batch_size, Random(args.seed + 1)
    for l in range(1, net.L + 1):
        net.b[l] = [[rng.uniform(-0.5, 0.5) for _ in range(net.sizes[l])]]
    n0, nL = net.sizes[0], net.sizes[-1]
    X = [[rng.uniform(-1.0, 1.0) for _ in range(n0)] for _ in range(m)]
    if net.loss == "cross_entropy":
        Y = []
        for _ in range(m):
            k = rng.randbelow(nL)
            Y.append([1.0 if j == k else 0.0 for j in range(nL)])
    elif net.loss == "bce":
        Y = [[float(rng.randbelow(2)) for _ in range(nL)] for _ in range(m)]
    else:
        Y = [[rng.uniform(-1.0, 1.0) for _ in range(nL)] for _ in range(m)]
    return net, X, Y


def cmd_check(args, out, err):
    n = count_weights(args.layers)
    work = 2 * (n + args.batch_size * args.layers[0]) * args.batch_size * n
    if work > LIMITS["check_work"]:
        raise BackpropError("--layers %s with --batch-size %d: central differences would take about %.1e "
                            "multiply-adds (the limit is %.0e, about a minute); use fewer or smaller layers or a "
                            "smaller --batch-size" % (",".join(map(str, args.layers)), args.batch_size, work,
                                                     LIMITS["check_work"]))
    net, X, Y = check_problem(args)
    report = gradcheck.check(net, X, Y, tol=args.tol, h=args.h, paths_tol=args.paths_tol, graph=args.path == "graph")
    if args.json:
        d = report.to_dict()
        d.update({"layers": net.sizes, "hidden": net.hidden, "output": net.output, "loss": net.loss,
                  "batch_size": args.batch_size, "seed": args.seed, "path": args.path})
        out.write(dump_json(d))
    elif not args.quiet:
        out.write("gradient check of %s on a random batch of %d, seed %d\n"
                  % (describe_network(net), args.batch_size, args.seed))
        out.write(str(report) + "\n")
    return 0 if report.ok else 1



def add_check_parser(sub):
    """Add the command's subparser to ``sub``."""
    c = sub.add_parser("check", formatter_class=Formatter,
                       help="gradient check: both backward paths against each other and central differences",
                       description="Compare the per-neuron and the vectorized backward pass with each other and "
                                   "with central differences on a random batch (the network's biases drawn at "
                                   "random too, not left at 0); print the worst relative error of every W, b and "
                                   "the input x. Exit status 1 when over tolerance.")
    add_network_options(c, seed_help="seeds the initial weights, the random biases and the random batch")
    c.add_argument("--batch-size", type=int_upto(LIMITS["check_batch"]), default=4,
                   help="rows in the random batch (at most %d)" % LIMITS["check_batch"])
    c.add_argument("--tol", type=positive_float, default=gradcheck.TOL,
                   help="tolerance: vectorized vs central differences")
    c.add_argument("--paths-tol", type=positive_float, default=gradcheck.PATHS_TOL,
                   help="tolerance: per_neuron vs vectorized")
    c.add_argument("--h", type=positive_float, default=gradcheck.H,
                   help="step of the central differences (1e-5 balances their rounding and truncation errors)")
    c.add_argument("--path", choices=["both", "graph"], default="both",
                   help="both: per_neuron and vectorized, against each other and central differences; graph: "
                        "also the third path, graph.backward (a graph of scalar Values), against vectorized, "
                        "within --paths-tol")
    add_output_options(c, json_help="print the report as one JSON object")
    c.set_defaults(func=cmd_check)
    return c
