"""``tinybackprop draw``: a network (weights, optionally gradients) or a digits model as SVG.

>>> from tinybackprop.cli import NullWriter, main
>>> main(["draw", "--out", "no-such-folder/net.svg"], err=NullWriter())
2
"""
from .. import datasets as ds
from .. import files, svg, vectorized
from ..errors import BackpropError
from . import metrics
from .common import (DEFAULTS, LIMITS, Formatter, add_network_options, build_network, check_svg_target,
                     count_weights, example_args, limit_weights, row_arg, same_file)
from .model_data import load_model

def cmd_draw(args, out, err):
    check_svg_target(args.out, "--out")
    extra = {}
    if args.model is not None:
        if same_file(args.model, args.out):
            raise BackpropError("--model and --out name the same file (%s); the drawing would overwrite the model"
                                % args.out)
        net, extra = load_model(args.model)
    else:
        limit_weights(args.layers, "draw_weights", "draw", "each is an edge of the picture")
        net = build_network(args)
    if args.digits or extra.get("dataset") == "digits":
        if extra.get("dataset") != "digits":
            raise BackpropError("--digits draws a network trained on the digits: give --model MODEL.json "
                                "from 'tinybackprop train --data digits --save MODEL.json'")
        split = extra.get("split") or {"seed": 0, "test_fraction": DEFAULTS["test_fraction"]}
        task = ds.digits_task(test_fraction=split["test_fraction"], seed=split["seed"])
        if net.sizes[0] != 64 or net.sizes[-1] != 10:
            raise BackpropError("load: %s: a digits model takes 64 inputs and has 10 outputs, not %s"
                                % (args.model, "-".join(map(str, net.sizes))))
        files.write_atomic(args.out, digits_sheet(net, task, args.digits or "both"), "--out")
        out.write("wrote %s\n" % args.out)
        return 0
    if count_weights(net.sizes) > LIMITS["draw_weights"] or max(net.sizes) > LIMITS["draw_width"]:
        raise BackpropError("%s: too big to draw readably (at most %d weights and biases and %d neurons per layer)"
                            % ("--model %s" % args.model if args.model is not None
                               else "--layers %s" % ",".join(map(str, net.sizes)),
                               LIMITS["draw_weights"], LIMITS["draw_width"]))
    grads = None
    if args.gradients or args.labels == "gradients":
        x, y = example_args(args, net)
        grads = vectorized.backward(net, [x], [y])
    labels = {"auto": "gradients" if grads is not None else None, "none": None}.get(args.labels, args.labels)
    title = args.title
    if title is None:
        title = "network %s" % "-".join(map(str, net.sizes))
        if grads is not None:
            title += ": gradients for one example (loss %.4g)" % grads.loss
    files.write_atomic(args.out, svg.network(net, grads, labels=labels, title=title or None), "--out")
    out.write("wrote %s\n" % args.out)
    return 0



def digits_sheet(net, task, which):
    """The SVG of misclassified test digits and/or the first layer's weights as 8x8 images."""
    panels = []
    if which in ("errors", "both"):
        images, captions = [], []
        Yhat = net.predict(task.X_test)
        for x, y, yhat in zip(task.X_test, task.Y_test, Yhat):
            p, t = metrics.predicted_class(yhat), metrics.predicted_class(y)
            if p != t:
                images.append(x)
                captions.append("%s, true %s" % (task.classes[p], task.classes[t]))
        panels.append(svg.Panel("Misclassified test digits: %d of %d (the network's answer, true digit)"
                                % (len(images), len(task.X_test)), images, captions, signed=False, vmax=1.0))
    if which in ("weights", "both"):
        W = net.W[1]
        columns = [[W[i][j] for i in range(len(W))] for j in range(len(W[0]))]
        panels.append(svg.Panel("First layer: the weights into hidden neuron j (column j of W^[1]); blue > 0, red < 0",
                                columns, ["j = %d" % (j + 1) for j in range(len(columns))], signed=True, columns=8))
    title = "%s %s on %s" % ("-".join(map(str, net.sizes)), net.hidden, task.description)
    return svg.images(panels, title=title)



def add_parser(sub):
    """Add the command's subparser to ``sub``."""
    d = sub.add_parser("draw", formatter_class=Formatter,
                       help="draw a network (weights, optionally gradients) as SVG",
                       description="Draw a network as an SVG picture: nodes a^[l]_j, edges coloured by the sign "
                                   "and sized by the magnitude of W^[l]_ij; with --gradients, each edge is "
                                   "labelled with dL/dW_ij for the example (--x, --y).")
    add_network_options(d, seed_help="seeds the initial weights (unless --model)")
    d.add_argument("--out", "-o", required=True, metavar="NET.svg", help="the SVG file to write")
    d.add_argument("--model", metavar="MODEL.json", help="draw a saved network instead of a new seeded one")
    d.add_argument("--gradients", action="store_true", help="compute and show the gradients for one example")
    d.add_argument("--labels", choices=["auto", "weights", "gradients", "none"], default="auto",
                   help="edge labels (auto: gradients with --gradients, else none)")
    d.add_argument("--x", type=row_arg, help="the example's inputs (default 0.1,0.2,...)")
    d.add_argument("--y", type=row_arg, help="its targets (default 1, or the first class)")
    d.add_argument("--title", help="title above the drawing ('' for none)")
    d.add_argument("--digits", choices=["errors", "weights", "both"],
                   help="for a model trained on the digits (the default for one): draw the misclassified test "
                        "digits, the first layer's weights as 8x8 images, or both")
    d.set_defaults(func=cmd_draw)
    return d
