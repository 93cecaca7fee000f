"""``tinybackprop draw``: a network (weights, optionally gradients) or a digits model as SVG.

>>> from tinybackprop.cli import NullWriter, main
>>> main(["draw", "--out", "no-such-folder/net.svg"], err=NullWriter())
2
"""
from .. import datasets as ds
from .. import files, vectorized
from ..show import boundary, svg
from ..datasets import planar
from ..errors import BackpropError
from ..training import predicted_class
from .common import (DEFAULTS, LIMITS, Formatter, add_force_option, add_network_options, add_output_options,
                     build_network, check_overwrite, check_svg_target, count_weights, dump_json, example_args,
                     limit_weights, row_arg)
from .model_data import load_model

def cmd_draw(args, out, err):
    check_svg_target(args.out, "--out")
    if args.example is not None and args.path == "vectorized":
        raise BackpropError("--example %s draws a graph of scalar Values: use it with --path graph (or alone)"
                            % args.example)
    extra = {}
    files.check_outputs([("--out", args.out)], [("--model", args.model), ("the digits data", ds.data_path(
        "digits.csv.gz") if args.model is not None or args.digits else None)])
    check_overwrite([("--out", args.out)], args.force)
    if args.model is not None:
        net, extra = load_model(args.model)
    else:
        limit_weights(args.layers, "draw_weights", "draw", "each is an edge of the picture")
        net = build_network(args)
    picture, what = _picture(args, net, extra)
    check_overwrite([("--out", args.out)], args.force)  # again: made while it drew, it is not replaced either
    files.write_atomic(args.out, picture, "--out")
    what["wrote"] = args.out
    if args.json:
        out.write(dump_json(what))
    elif not args.quiet:
        out.write("wrote %s%s\n" % (args.out, " (%d nodes)" % what["nodes"] if "nodes" in what else ""))
    return 0


def _picture(args, net, extra):
    """(the SVG, what it shows as plain data) for the options of ``draw``."""
    if args.path == "graph" or args.example is not None:
        return draw_graph(args, net)
    if args.boundary:
        return boundary_picture(net, extra, args.model, args.title), {"picture": "boundary"}
    if args.digits or extra.get("dataset") == "digits":
        if extra.get("dataset") != "digits":
            raise BackpropError("--digits draws a network trained on the digits: give --model MODEL.json "
                                "from 'tinybackprop train --data digits --save MODEL.json'")
        split = extra.get("split") or {"seed": 0, "test_fraction": DEFAULTS["test_fraction"]}
        task = ds.digits_task(test_fraction=split["test_fraction"], seed=split["seed"])
        if net.sizes[0] != 64 or net.sizes[-1] != 10:
            raise BackpropError("--model %s: a digits model takes 64 inputs and has 10 outputs, not %s"
                                % (args.model, "-".join(map(str, net.sizes))))
        return digits_sheet(net, task, args.digits or "both"), {"picture": "digits", "panels": args.digits or "both"}
    if count_weights(net.sizes) > LIMITS["draw_weights"] or max(net.sizes) > LIMITS["draw_width"]:
        raise BackpropError("%s: too big to draw readably (at most %d weights and biases and %d neurons per layer)"
                            % ("--model %s" % args.model if args.model is not None
                               else "--layers %s" % ",".join(map(str, net.sizes)),
                               LIMITS["draw_weights"], LIMITS["draw_width"]))
    source = "--model %s" % args.model if args.model is not None else "--layers %s" % ",".join(map(str, net.sizes))
    grads = None
    if args.gradients or args.labels == "gradients":
        x, y = example_args(args, net)
        try:
            grads = vectorized.backward(net, [x], [y])
        except BackpropError as e:  # a NaN or an infinity: never drawn
            raise BackpropError("--x %s: %s" % (",".join("%g" % v for v in x), str(e)[len("vectorized.backward: "):]))
    labels = {"auto": "gradients" if grads is not None else None, "none": None}.get(args.labels, args.labels)
    title = args.title
    if title is None:
        title = "network %s" % "-".join(map(str, net.sizes))
        if grads is not None:
            title += ": gradients for one example (loss %.4g)" % grads.loss
    try:
        picture = svg.network(net, grads, labels=labels, title=title or None, features=extra.get("features"),
                              classes=extra.get("classes"), target=extra.get("target"))
    except BackpropError as e:  # the one size cap of every picture, or a number that is not finite
        raise BackpropError("%s: %s" % (source, str(e)[len("svg: "):] if str(e).startswith("svg: ") else e))
    what = {"picture": "network", "layers": net.sizes, "labels": labels}
    if grads is not None:
        what["loss_value"] = grads.loss
    return picture, what



#: The most nodes ``draw --graph`` draws: beyond that the boxes are too many to read.
GRAPH_NODES = 120


def draw_graph(args, net):
    """``draw --path graph``: the network's forward pass and loss for one example as a graph of
    scalar Values (tinybackprop.graph), after backward: each node's value and gradient and
    the order of the backward visit; ``--example 111`` or ``221`` draws the site's examples.
    Returns (the SVG, what it shows)."""
    from .. import graph
    from ..show import svg_graph

    if args.example is not None:
        G = svg_graph.example(args.example)
        sizes = svg_graph.EXAMPLES[args.example][0]
    else:
        sizes = net.sizes
        n = graph.node_count(sizes, 1)
        if n > GRAPH_NODES:
            raise BackpropError("draw --path graph: a %s network makes a graph of %d nodes; at most %d can be "
                                "drawn readably (try --layers 2,2,1, or --example 221)"
                                % ("-".join(map(str, sizes)), n, GRAPH_NODES))
        x, y = example_args(args, net)
        G = graph.build(net, [x], [y], op="draw --path graph")
    G.loss.backward()
    leaves = [v for l in range(1, len(G.W)) for row in G.W[l] + G.b[l] for v in row] + [v for row in G.x for v in row]
    if G.loss.data - G.loss.data != 0.0 or any(v.grad - v.grad != 0.0 for v in leaves):  # as backward refuses them
        raise BackpropError("draw --graph: the loss (%r) or a gradient is not a finite number: the weights or the "
                            "input --x are too large to compute with" % G.loss.data)
    title = args.title
    if title is None:
        title = "%s network as a graph of numbers: loss %.4g, the backward visit numbered" % (
            "-".join(map(str, sizes)), G.loss.data)
    return (svg_graph.value_graph(G.loss, title=title or None),
            {"picture": "graph", "layers": sizes, "nodes": G.size, "loss_value": G.loss.data})
def boundary_picture(net, extra, model, title=None):
    """``draw --boundary``: the decision regions of a saved classifier with 2 inputs and
    the points it was trained on, made again from what the model file records."""
    if model is None:
        raise BackpropError("--boundary draws a trained network: give --model MODEL.json (from 'tinybackprop "
                            "train --data moons --save MODEL.json', or spiral, circles, blobs, xor)")
    where = "--model %s" % model
    if net.sizes[0] != 2:
        raise BackpropError("%s: --boundary draws a network with 2 inputs in the plane; this one has %d"
                            % (where, net.sizes[0]))
    if net.output not in ("sigmoid", "softmax"):
        raise BackpropError("%s: --boundary draws a classifier (output sigmoid or softmax), not output %s"
                            % (where, net.output))
    name = extra.get("dataset")
    if name == "xor":
        X, Y = ds.xor()
    elif name in planar.DATASETS and isinstance(extra.get("points"), dict):
        pts, split = extra["points"], extra.get("split") or {}
        samples, noise = pts.get("samples"), pts.get("noise")
        try:
            planar.check_points(name, samples, noise, "%s: data.points" % where)
        except BackpropError as e:
            raise BackpropError(str(e))
        if net.sizes[-1] not in ((1, 2) if planar.CLASSES[name] == 2 else (planar.CLASSES[name],)):
            raise BackpropError("%s: %s has %d classes but the network has %d outputs"
                                % (where, name, planar.CLASSES[name], net.sizes[-1]))
        task = planar.planar_task(name, samples=samples, noise=noise, outputs=net.sizes[-1],
                                  test_fraction=split.get("test_fraction", DEFAULTS["test_fraction"]),
                                  seed=split.get("seed", 0))
        task = ds.split_validation(task, split.get("val_fraction", 0.0), seed=split.get("seed", 0))
        X, Y = task.X_train, task.Y_train  # the rows it trained on: not the validation or test rows
    else:
        raise BackpropError("%s: --boundary needs the points the model was trained on: train it on a 2-D data set "
                            "(--data moons, circles, spiral, blobs or xor) and save it with --save" % where)
    classes = extra.get("classes")
    return boundary.regions(net, X, boundary.labels(Y), classes,
                            title=title or "Decision regions of %s %s on %s" % ("-".join(map(str, net.sizes)),
                                                                               net.hidden, name))


def digits_sheet(net, task, which):
    """The SVG of misclassified test digits and/or the first layer's weights as 8x8 images."""
    panels = []
    if which in ("errors", "both"):
        images, captions = [], []
        Yhat = net.predict(task.X_test)
        for x, y, yhat in zip(task.X_test, task.Y_test, Yhat):
            p, t = predicted_class(yhat), predicted_class(y)
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



def add_draw_parser(sub):
    """Add the command's subparser to ``sub``."""
    d = sub.add_parser("draw", formatter_class=Formatter,
                       help="draw a network (weights, optionally gradients) as SVG",
                       description="Draw a network as an SVG picture: nodes a^[l]_j, edges coloured by the sign "
                                   "and sized by the magnitude of W^[l]_ij; with --gradients, each edge is "
                                   "labelled with dL/dW_ij for the example (--x, --y).")
    add_network_options(d, seed_help="seeds the initial weights (unless --model)")
    d.add_argument("--out", "-o", required=True, metavar="NET.svg", help="the SVG file to write")
    add_force_option(d, "NET.svg")
    d.add_argument("--model", metavar="MODEL.json", help="draw a saved network instead of a new seeded one")
    d.add_argument("--gradients", action="store_true", help="compute and show the gradients for one example")
    d.add_argument("--labels", choices=["auto", "weights", "gradients", "none"], default="auto",
                   help="edge labels (auto: gradients with --gradients, else none)")
    d.add_argument("--x", type=row_arg, help="the example's inputs (default 0.1,0.2,...)")
    d.add_argument("--y", type=row_arg, help="its targets (default 1, or the first class)")
    d.add_argument("--title", help="title above the drawing ('' for none)")
    d.add_argument("--path", choices=["vectorized", "graph"], default=None,
                   help="vectorized (default): the network in layers, an edge per weight, its gradients (with "
                        "--gradients) from the matrix backward pass; graph: the forward pass and loss for the "
                        "example (--x, --y) as a graph of scalar Values after backward: values, gradients, the "
                        "order of the backward visit")
    d.add_argument("--example", choices=["111", "221"],
                   help="the graph of the site's 1-1-1 or 2-2-1 example (implies --path graph)")
    d.add_argument("--digits", choices=["errors", "weights", "both"],
                   help="for a model trained on the digits (the default for one): draw the misclassified test "
                        "digits, the first layer's weights as 8x8 images, or both")
    d.add_argument("--boundary", action="store_true",
                   help="for a classifier with 2 inputs trained on 2-D data (--model): colour the plane by the "
                        "class it gives each point, shaded by its probability, with its training points")
    add_output_options(d, json_help="print what was drawn as one JSON object (the file, the picture, its loss)")
    d.set_defaults(func=cmd_draw)
    return d
