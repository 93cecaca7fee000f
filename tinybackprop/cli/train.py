"""``tinybackprop train``: train a network on Iris, XOR, the digits or a CSV file, and report.

>>> from tinybackprop.cli import NullWriter, main
>>> main(["train", "--data", "xor", "--layers", "2,4,1", "--epochs", "2", "--quiet", "--json"], out=NullWriter())
0
"""
import argparse
import time

from ..show import boundary, svg

from .. import files
from .. import datasets as ds
from ..datasets import planar
from ..datasets.features import FEATURES, LABELS, check_features
from .._compat import isfinite
from ..errors import BackpropError
from ..training import evaluate, train
from . import metrics, optim
from .common import (BUILTIN_DATA, CSV_EXAMPLES, DATA_DEFAULTS, DEFAULTS, LIMITS, Formatter, add_network_options,
                     build_network, check_svg_target, data_arg, dump_json, fraction_arg, int_upto, limit_weights,
                     positive_float)
from .draw import digits_sheet
from .model_data import check_model_data, data_section

#: loss before training (or 0.01, if that was smaller).
DIVERGED_FACTOR = 1000.0
#: Every data set of points in the plane: the classification sets and the regression ones (bump).
PLANE = planar.DATASETS + planar.REGRESSION


def _task(args, sizes):
    if args.positive is not None and (args.data == "xor" or sizes[-1] != 1):
        raise BackpropError("--positive picks the class of a network with 1 output (one species against the rest); "
                            "this one has %d outputs%s" % (sizes[-1], " on XOR" if args.data == "xor" else ""))
    positive = args.positive or "virginica"
    if args.data == "xor":
        if sizes[0] != 2 or sizes[-1] != 1:
            raise BackpropError("XOR has 2 inputs and 1 output: --layers must start with 2 and end with 1, "
                                "e.g. 2,4,1")
        return ds.xor_task()
    if sizes[0] != 4:
        raise BackpropError("Iris has 4 measurements per flower: --layers must start with 4 (got %d)" % sizes[0])
    if sizes[-1] == 1:
        return ds.iris_task("binary", positive=positive, test_fraction=args.test_fraction, seed=args.seed)
    if sizes[-1] == 3:
        return ds.iris_task("multiclass", test_fraction=args.test_fraction, seed=args.seed)
    raise BackpropError("Iris has 3 species: --layers must end with 1 (%s against the rest) or 3 (all three "
                        "species, e.g. --layers 4,8,3 --hidden tanh --output softmax), got %d"
                        % (positive, sizes[-1]))


def _planar_task(args):
    """A 2-D data set, made before the network is built: (task, sizes, default output).
    Two classes take 1 output (sigmoid, the default) or 2 (softmax); the bump (regression)
    1 output (identity).  --features: the inputs computed from each point (n_0 of them)."""
    features = args.features or ["x1", "x2"]
    regression = args.data in planar.REGRESSION
    k = 1 if regression else planar.CLASSES[args.data]
    outs = [1, 2] if k == 2 else [k]
    n_in = len(features)
    sizes = args.layers or [n_in, 16, 16, outs[0]]
    what = "%s (points in the plane, %s)" % (args.data, "a height to predict" if regression else "%d classes" % k)
    if sizes[0] != n_in:
        raise BackpropError("%s: --layers must start with %d (got %d)%s" % (
            what, n_in, sizes[0], "" if args.features is None else
            ": the number of --features (%s)" % ",".join(features)))
    if regression and args.output not in (None, "identity"):
        raise BackpropError("%s: the target is a number, not a class: --output must be identity, got %s"
                            % (what, args.output))
    if sizes[-1] not in outs:
        raise BackpropError("%s: --layers must end with %s (got %d)" % (what, " or ".join(map(str, outs)), sizes[-1]))
    samples = args.samples if args.samples is not None else planar.SAMPLES
    planar.check_points(args.data, samples, planar.NOISE[args.data] if args.noise is None else args.noise,
                 "train --data %s" % args.data)
    task = planar.planar_task(args.data, samples=samples, noise=args.noise, outputs=sizes[-1],
                              test_fraction=args.test_fraction, seed=args.seed, features=features)
    if features == ["x1", "x2"] and not regression:  # draw --boundary makes these points again
        task.planar = {"samples": samples, "noise": args.noise if args.noise is not None else planar.NOISE[args.data]}
    if regression:
        return task, sizes, "identity"
    return task, sizes, "sigmoid" if sizes[-1] == 1 else "softmax"


def _data_task(args):
    """Digits or a CSV file, read before the network is built: (task, default sizes, default output)."""
    if args.data in PLANE:
        return _planar_task(args)
    if args.data == "digits":
        task = ds.digits_task(test_fraction=args.test_fraction, seed=args.seed)
        what = "the digits have 64 pixels"
    else:
        features, _target = ds.csv_columns(args.data, args.target)  # the header alone: the cheap facts first
        if args.layers and args.layers[0] != len(features):
            raise BackpropError("%s has %d feature column%s: --layers must start with %d (got %d)"
                                % (args.data, len(features), "" if len(features) == 1 else "s", len(features),
                                   args.layers[0]))
        task = ds.csv_task(args.data, target=args.target, task=args.task, test_fraction=args.test_fraction,
                           seed=args.seed)
        what = "%s has %d feature column%s" % (args.data, len(task.features), "" if len(task.features) == 1 else "s")
    n_in = len(task.features)
    if task.kind == "regression":
        n_out, output, outs = 1, "identity", "1 output (a quantity)"
    elif len(task.classes) == 2:
        n_out, output, outs = 1, "sigmoid", "1 output (2 classes: %s)" % ", ".join(task.classes)
    else:
        n_out, output, outs = len(task.classes), "softmax", "%d outputs (one per class)" % len(task.classes)
    sizes = args.layers or [n_in, 32 if args.data == "digits" else 16, n_out]
    if sizes[0] != n_in:
        raise BackpropError("%s: --layers must start with %d (got %d)" % (what, n_in, sizes[0]))
    if sizes[-1] != n_out:
        raise BackpropError("%s needs %s: --layers must end with %d (got %d)"
                            % (task.description, outs, n_out, sizes[-1]))
    if task.kind == "regression" and args.output not in (None, "identity"):
        raise BackpropError("%s: a regression target is standardised (any real number): --output must be "
                            "identity, got %s" % (task.description, args.output))
    return task, sizes, output


class Progress:
    """One line that updates in place on a terminal; a few plain lines otherwise."""

    def __init__(self, stream, epochs, enabled):
        self.stream, self.epochs, self.enabled = stream, epochs, enabled
        self.tty = enabled and hasattr(stream, "isatty") and stream.isatty()
        self.every = max(1, epochs // 10)
        self.last = 0.0
        self.width = 0

    def line(self, epoch, h):
        # the training set after the epoch (what the plot and the last printout show)
        loss, acc = (h.train_loss, h.train_accuracy) if h.train_loss is not None else (h.loss, h.accuracy)
        text = "epoch %*d/%d  loss %.4f" % (len(str(self.epochs)), epoch, self.epochs, loss[-1])
        if acc is not None:
            text += "  acc %.3f" % acc[-1]
        if h.test_loss is not None:
            text += "  |  test loss %.4f" % h.test_loss[-1]
            if h.test_accuracy is not None:
                text += "  acc %.3f" % h.test_accuracy[-1]
        return text

    def __call__(self, epoch, h):
        if not self.enabled:
            return None
        if self.tty:
            now = time.perf_counter()
            if epoch == self.epochs or now - self.last >= 0.05:
                self.last = now
                text = self.line(epoch, h)
                pad = max(0, self.width - len(text))
                self.width = len(text)
                self.stream.write("\r" + text + " " * pad)
                self.stream.flush()
        elif epoch % self.every == 0 or epoch == self.epochs or epoch == 1:
            self.stream.write(self.line(epoch, h) + "\n")
            self.stream.flush()
        return None

    def done(self):
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()


class Diverged(BackpropError):
    """Training diverged: the loss is not finite or has grown by orders of magnitude."""


def _lower_lr(lr, weight_decay=None, init_scale=1.0):
    """What made training diverge, and what to lower: the learning rate, by ten; or the weight decay,
    when lr times it is 1 or more (a step then scales the weights by 1 - lr lambda, 0 or below); and
    --init-scale, when it is above 1.  The momentum and the other hyper-parameters cannot make training
    diverge whatever the learning rate: they are refused beyond their ranges (optimizers.SGD: mu < 1).

    >>> _lower_lr(0.5)
    'the learning rate is too large: lower --lr (now 0.5), e.g. --lr 0.05'
    >>> _lower_lr(1e-301, 1e308)
    'the weight decay is too large: lower --weight-decay (now 1e+308: --lr times it is 1e+07, 1 or more)'
    """
    if weight_decay and lr * weight_decay >= 1:
        return ("the weight decay is too large: lower --weight-decay (now %g: --lr times it is %g, 1 or more)"
                % (weight_decay, lr * weight_decay))
    advice = "the learning rate is too large: lower --lr (now %g), e.g. --lr %g" % (lr, lr / 10)
    if weight_decay:
        advice += ", or --weight-decay (now %g)" % weight_decay
    if init_scale > 1:
        advice += ", or --init-scale (now %g)" % init_scale
    return advice


class DivergenceWatch:
    """The training callback: shows progress, and stops training that diverges."""

    def __init__(self, progress, start_loss, lr, weight_decay=None, init_scale=1.0):
        self.progress, self.lr, self.weight_decay, self.init_scale = progress, lr, weight_decay, init_scale
        self.limit = DIVERGED_FACTOR * max(start_loss, 0.01) if isfinite(start_loss) else float("inf")
        self.start_loss = start_loss

    def __call__(self, epoch, h):
        self.progress(epoch, h)
        loss = h.loss[-1]
        if not isfinite(loss) or loss > self.limit:
            raise Diverged("training diverged: after epoch %d the training loss is %s (it was %.4g before "
                           "training); %s"
                           % (epoch, "%.4g" % loss, self.start_loss, _lower_lr(self.lr, self.weight_decay,
                                                                                  self.init_scale)))
        return None


def cmd_train(args, out, err):
    classic = args.data in ("iris", "xor")  # the network is built first, the layers say which task
    for flag, value in (("--target", args.target), ("--task", args.task)):
        if value is not None and args.data in BUILTIN_DATA:
            raise BackpropError("%s is for your own CSV file (--data PATH.csv), not --data %s" % (flag, args.data))
    if args.draw is not None and args.data != "digits":
        raise BackpropError("--draw draws the digits: use it with --data digits")
    for flag, value in (("--noise", args.noise), ("--samples", args.samples), ("--features", args.features)):
        if value is not None and args.data not in PLANE:
            raise BackpropError("%s is for the 2-D data sets (--data %s), not --data %s"
                                % (flag, "|".join(PLANE), args.data))
    # every file name is checked before training, not after it
    if args.save is not None:
        files.check_target(args.save, "--save")
    for flag, path in (("--plot", args.plot), ("--draw", args.draw)):
        if path is not None:
            check_svg_target(path, flag)
    # no output may replace an input (the data file, the shipped data too) or another output
    shipped = {"iris": "iris.csv", "digits": "digits.csv.gz"}
    data_file = ds.data_path(shipped[args.data]) if args.data in shipped else (
        None if args.data in BUILTIN_DATA else args.data)
    files.check_outputs([("--save", args.save), ("--plot", args.plot), ("--draw", args.draw)],
                        [("--data", data_file)])
    args.epochs_given = args.epochs
    optim.apply_defaults(args)  # the optimizer's own defaults first (adam: --lr 0.01, ...)
    for key, value in dict(DEFAULTS, **DATA_DEFAULTS.get(args.data, {})).items():
        if getattr(args, key, "absent") is None:
            setattr(args, key, value)
    if classic:
        sizes = args.layers or ([2, 4, 1] if args.data == "xor" else [4, 3, 2, 1])
        args.output = args.output or "sigmoid"
        limit_weights(sizes, "train_weights", "train", "what a saved model file can hold")
        net = build_network(args, sizes)
        task = _task(args, sizes)
    else:
        task, sizes, output = _data_task(args)
        args.output = args.output or output
        if args.data != "digits" and args.data not in PLANE and args.epochs_given is None:
            # a big file: about CSV_EXAMPLES examples in all, so that the default run stays short
            args.epochs = min(DEFAULTS["epochs"], max(5, CSV_EXAMPLES // len(task.X_train)))
        limit_weights(sizes, "train_weights", "train", "what a saved model file can hold")
        net = build_network(args, sizes)
    optimizer, schedule = optim.build_optimizer(args)
    progress = Progress(err, args.epochs, enabled=not (args.quiet or args.json))
    start_loss = net.loss_value(task.X_train, task.Y_train)
    watch = DivergenceWatch(progress, start_loss, args.lr, args.weight_decay, args.init_scale)
    t0 = time.perf_counter()
    try:
        h = train(net, task.X_train, task.Y_train, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                  path=args.path, seed=args.seed, callback=watch, X_val=task.X_test, Y_val=task.Y_test,
                  optimizer=optimizer, schedule=schedule, patience=args.patience,
                  evaluate_train=True)  # one training loss everywhere: after each epoch
    except Diverged:
        raise
    except BackpropError as e:
        if str(e).startswith("train: epoch"):  # a step made a weight infinite or NaN
            what = str(e)[len("train: "):].split("; the learning rate ")[0]  # the cause is said below
            raise Diverged("training diverged: %s; %s" % (what, _lower_lr(args.lr, args.weight_decay, args.init_scale)))
        raise
    finally:
        progress.done()  # end the progress line, also before an error message
    seconds = time.perf_counter() - t0
    train_eval = evaluate(net, task.X_train, task.Y_train)
    result = {
        "task": task.description, "layers": net.sizes, "hidden": net.hidden, "output": net.output,
        "loss": net.loss, "path": args.path, "epochs": h.epochs, "lr": args.lr,
        "batch_size": args.batch_size, "seed": args.seed,
        "train_examples": len(task.X_train), "test_examples": len(task.X_test),
        # the training set after training: history["train_loss"][-1] (history["loss"] is the
        # running loss, each row's loss taken before its step)
        "train_loss": train_eval[0], "test_loss": h.test_loss[-1], "train_accuracy": train_eval[1],
        "test_accuracy": h.test_accuracy[-1] if h.test_accuracy is not None else None,
        "seconds": round(seconds, 4), "history": h.to_dict(), "saved": None, "plot": None,
        "training": optim.record(args, optimizer, schedule, h),
        "init": net.init, "init_scale": net.init_scale,
    }
    if h.best_epoch is not None:  # early stopping put back the weights of that epoch
        result["test_loss"] = h.test_loss[h.best_epoch - 1]
        result["test_accuracy"] = h.test_accuracy[h.best_epoch - 1] if h.test_accuracy is not None else None
    confusion = None
    if task.kind == "regression":
        # in the target's units: predictions and targets un-standardised with the training statistics
        ts = task.target_standardizer  # None: the target as it is (the bump's height)
        for part, X, Y in (("train", task.X_train, task.Y_train), ("test", task.X_test, task.Y_test)):
            try:
                pred = [r[0] for r in (ts.inverse(net.predict(X)) if ts is not None else net.predict(X))]
            except BackpropError as e:
                raise BackpropError("--data %s: a prediction in the units of %r is not a finite number (%s); "
                                    "the target's values are too large to compute with" % (args.data, task.target, e))
            true = [r[0] for r in (ts.inverse(Y) if ts is not None else Y)]
            rmse, r2 = metrics.regression_metrics(pred, true)
            if rmse - rmse != 0.0:
                raise BackpropError("--data %s: the RMSE in the units of %r is beyond the float range; the target's "
                                    "values are too large to compute with" % (args.data, task.target))
            result[part + "_rmse"], result[part + "_r2"] = rmse, r2
        del result["train_accuracy"], result["test_accuracy"]
        result["target"] = task.target
    elif not classic:
        confusion = metrics.confusion(net.predict(task.X_test), task.Y_test)
        result["confusion"] = confusion
        result["classes"] = task.classes
        if task.target is not None:
            result["target"] = task.target
    # every output made in memory first, then all written or none (files.write_all), then the report
    writes = []
    if args.save is not None:
        data = data_section(task, args.seed, args.test_fraction)
        data["training"] = result["training"]
        if getattr(task, "planar", None) is not None:
            data["points"] = task.planar  # draw --boundary makes the same points again
            data["split"] = {"seed": args.seed, "test_fraction": args.test_fraction}
        check_model_data(data, net, "--save")  # what predict will demand
        writes.append((args.save, net.file_text(args.save, data, "--save"), "--save"))
        result["saved"] = args.save
    if args.plot is not None:
        title = "%s %s on %s" % ("-".join(map(str, net.sizes)), net.hidden, task.description)
        if net.sizes[0] == 2 and task.kind == "classification":  # points in the plane: the regions beside it
            picture = boundary.with_loss(h, net, task.X_train, task.Y_train, task.classes,
                                         title="Decision regions, %s" % task.name)
        else:
            picture = svg.loss_curve(h.train_loss, h.test_loss, title=title, ylabel="mean loss after each epoch",
                                     test_label="test" if task.name != "xor" else "test (= train)")
        writes.append((args.plot, picture, "--plot"))
        result["plot"] = args.plot
    if args.draw is not None:
        writes.append((args.draw, digits_sheet(net, task, "both"), "--draw"))
        result["drawing"] = args.draw
    report = dump_json(result) if args.json else _report(args, net, task, h, result, confusion, seconds)
    files.write_all(writes)
    out.write(report)
    return 0


def _report(args, net, task, h, result, confusion, seconds):
    """What ``train`` prints (without --json)."""
    lines = []
    w = lines.append
    w("trained the network %s (hidden %s, output %s, loss %s) on %s\n"
      % ("-".join(map(str, net.sizes)), net.hidden, net.output, net.loss,
         task.description))
    w("%d epochs, lr %g, batch size %d, path %s, seed %d: %.2f s\n"
      % (h.epochs, args.lr, args.batch_size, args.path, args.seed, seconds))
    if optim.describe(result["training"]):
        w(optim.describe(result["training"]) + "\n")
    note = ", the training ones: XOR has no others" if task.name == "xor" else ""
    for name, loss, acc, n, extra in (
            ("train", result["train_loss"], result.get("train_accuracy"), len(task.X_train), ""),
            ("test", result["test_loss"], result.get("test_accuracy"), len(task.X_test), note)):
        scores = "  accuracy %.3f" % acc if acc is not None else ""
        if task.kind == "regression":
            r2 = result[name + "_r2"]
            scores = "  RMSE %.4g  R^2 %s" % (result[name + "_rmse"], "undefined" if r2 is None else "%.4f" % r2)
        w("%-5s  loss %.4f" % (name, loss) + scores + "  (%d examples%s)\n" % (n, extra))
    if task.kind == "regression" and task.target_standardizer is None:
        w("(RMSE and the loss in the units of %r: the target is not standardised)\n" % task.target)
    elif task.kind == "regression":
        w("(RMSE in the units of %r; the loss is on the standardised target)\n" % task.target)
    if confusion is not None:
        w("\nconfusion matrix of the %d test examples (a row per true class, a column per prediction):\n"
          % len(task.X_test))
        w(metrics.format_confusion(confusion, task.classes) + "\n")
    if args.save is not None:
        w("saved the network to %s (tinybackprop predict %s --x ...)\n" % (args.save, args.save))
    if args.plot is not None:
        w("wrote the loss curve%s to %s\n" % (" and the decision regions" if net.sizes[0] == 2 and
                                              task.kind == "classification" else "", args.plot))
    if args.draw is not None:
        w("drew the misclassified test digits and the first layer's weights in %s\n" % args.draw)
    return "".join(lines)



TRAIN_EPILOG = """examples:
  tinybackprop train                                # the 4-3-2-1 example network, virginica vs the rest
  tinybackprop train --layers 4,8,3 --hidden tanh --output softmax --loss cross_entropy   # all 3 species
  tinybackprop train --path per_neuron --plot loss.svg --save model.json
  tinybackprop train --data xor --layers 2,4,1 --hidden tanh --epochs 300 --batch-size 4
  tinybackprop train --json                         # one JSON object with the results
  tinybackprop train --data digits --save digits.json --draw digits.svg   # handwritten digits, 64-32-10
  tinybackprop train --data digits --optimizer adam   # Adam: lr 0.02, 30 epochs, batch 64 on the digits
  tinybackprop train --optimizer momentum --schedule cosine --patience 10
  tinybackprop train --data flowers.csv --target species    # your own CSV file
  tinybackprop train --data spiral --layers 2,16,16,3 --hidden tanh --output softmax --plot spiral.svg
                                                    # 2-D points: the plot shows the decision regions too
  tinybackprop train --data circles --features x1sq,x2sq --layers 2,1   # a circle is a line in x1^2, x2^2
  tinybackprop train --data bump --layers 2,8,8,1 --hidden tanh        # regression: a smooth bump's height

your own CSV file (--data PATH.csv): a header row naming the columns, then one row per
example, comma-separated: a regular file of at most %d MiB, %d columns and %d fields
(the header is checked against --layers before a row is read). Every column but the
target (--target NAME, default: the last one) must be numeric. A target of text labels,
or of at most %d distinct whole numbers, is a classification (2 classes: one sigmoid
output and bce; more: softmax and cross_entropy); any other numeric target, or --task
regression, is a regression (identity output, squared_error, the target standardised
with the training part's statistics; RMSE and R^2 on the test part are reported in the
target's units). Layers: n_features,16,outputs.
""" % (ds.CSV_MAX_BYTES // (1024 * 1024), ds.CSV_MAX_COLUMNS, ds.CSV_MAX_VALUES, ds.CSV_MAX_AUTO_CLASSES)



def noise_arg(text):
    """--noise: a number from 0 to planar.MAX_NOISE."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a number" % text)
    if not 0.0 <= v <= planar.MAX_NOISE:
        raise argparse.ArgumentTypeError("must be a number from 0 to %g, got %s" % (planar.MAX_NOISE, text))
    return v


def features_arg(text):
    """--features: a comma-separated list of distinct names from datasets.features.FEATURES.

    >>> features_arg("x1,x2,x1sq")
    ['x1', 'x2', 'x1sq']
    """
    try:
        return check_features([t.strip() for t in text.split(",")], "--features")
    except BackpropError as e:
        raise argparse.ArgumentTypeError(str(e)[len("--features: "):])


def add_train_parser(sub):
    """Add the command's subparser to ``sub``."""
    t = sub.add_parser("train", formatter_class=Formatter, epilog=TRAIN_EPILOG,
                       help="train a network on shipped data (Iris, XOR, handwritten digits) or your CSV file",
                       description="Train a network by mini-batch gradient descent on Iris (default), XOR, the "
                                   "handwritten digits or your own CSV file, and report the training and test "
                                   "loss and accuracy (for digits and CSV files also the confusion matrix of the "
                                   "test part). The data are split 80/20 (seeded; stratified by class) and "
                                   "standardised with the training part's statistics (digits: pixels / 16).")
    add_network_options(t, layers_default=None,
                        layers_help="layer widths n_0,...,n_L (default: 4,3,2,1 for Iris, 2,4,1 for XOR, 64,32,10 "
                                    "for digits, n_features,16,outputs for a CSV file); for Iris end with 1 "
                                    "(binary) or 3 (all species)",
                        output_default=None,
                        output_help="activation phi_o of the output layer (default: sigmoid for Iris and XOR; "
                                    "softmax for digits; for a CSV file sigmoid, softmax or identity as the "
                                    "target needs)")
    t.add_argument("--data", type=data_arg, default="iris", metavar="{%s,PATH.csv}" % ",".join(BUILTIN_DATA),
                   help="data set: shipped (iris, xor, digits: 1797 handwritten 8x8 digits, UCI optdigits, "
                        "CC BY 4.0), points in the plane made from --seed (moons, circles: 2 classes; spiral, "
                        "blobs: 3; bump: a height to predict, regression), or your own CSV file")
    t.add_argument("--noise", type=noise_arg, metavar="SD",
                   help="2-D data: the standard deviation of the jitter of each coordinate (default: %s)"
                   % ", ".join("%s %g" % (n, planar.NOISE[n]) for n in planar.DATASETS))
    t.add_argument("--features", type=features_arg, metavar="LIST",
                   help="2-D data: the inputs the network is given, computed from each point (x1, x2): any of "
                        "%s, i.e. %s (default x1,x2); --layers starts with their number"
                   % (",".join(FEATURES), ", ".join(LABELS[f] for f in FEATURES)))
    t.add_argument("--samples", type=int_upto(planar.MAX_SAMPLES), metavar="N",
                   help="2-D data: how many points (default %d; 80%%%% train, 20%%%% test)" % planar.SAMPLES)
    t.add_argument("--target", metavar="NAME", help="CSV file: the column to predict (default: the last one)")
    t.add_argument("--task", choices=["classification", "regression"],
                   help="CSV file: what the target is (default: from its values, see below)")
    t.add_argument("--positive", choices=ds.IRIS_CLASSES, default=None,
                   help="Iris: the species that is class 1 when the network has one output (default: virginica)")
    t.add_argument("--test-fraction", type=fraction_arg, default=DEFAULTS["test_fraction"],
                   help="share of the data held out for testing, between 0 and 1")
    t.add_argument("--epochs", type=int_upto(LIMITS["epochs"]),
                   help="passes over the training data, at most %d (default: %d; digits %d; a CSV file %d, or "
                        "fewer when it has over %d training rows: about %d examples in all, at least 5 epochs)"
                   % (LIMITS["epochs"], DEFAULTS["epochs"], DATA_DEFAULTS["digits"]["epochs"], DEFAULTS["epochs"],
                      CSV_EXAMPLES // DEFAULTS["epochs"], CSV_EXAMPLES))
    t.add_argument("--lr", type=positive_float,
                   help="learning rate alpha (default: %g; digits %g); training that diverges stops with an error"
                   % (DEFAULTS["lr"], DATA_DEFAULTS["digits"]["lr"]))
    t.add_argument("--batch-size", type=int_upto(LIMITS["batch_size"]),
                   help="examples per gradient step, at most %d (default: %d; digits %d)"
                   % (LIMITS["batch_size"], DEFAULTS["batch_size"], DATA_DEFAULTS["digits"]["batch_size"]))
    optim.add_options(t)
    t.add_argument("--path", choices=["vectorized", "per_neuron", "graph"], default="vectorized",
                   help="which backward pass computes the gradients (all give the same numbers; graph, a "
                        "graph of scalar Values, is tens of times slower and refuses large networks)")
    t.add_argument("--save", metavar="MODEL.json", help="save the trained network (and how to prepare inputs)")
    t.add_argument("--plot", metavar="LOSS.svg", help="write the train and test loss per epoch as an SVG chart "
                   "(2-D data: with the decision regions beside it)")
    t.add_argument("--draw", metavar="DIGITS.svg",
                   help="digits: draw the misclassified test digits and the first layer's weights as 8x8 images")
    t.add_argument("--json", action="store_true",
                   help="print one JSON object (train_loss, test_loss, test_accuracy, epochs, seconds, ...)")
    t.add_argument("--quiet", action="store_true", help="no progress line")
    t.set_defaults(func=cmd_train)
    return t
