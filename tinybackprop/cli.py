"""The command line: ``tinybackprop train | check | explain | predict | draw | exercise``.

Run ``tinybackprop --help`` or ``tinybackprop COMMAND --help``.  The same
program runs as ``python -m tinybackprop``.

Exit status: 0 success; 1 ``check`` found a gradient over its tolerance, or
``exercise`` found a wrong entry; 2 any
misuse or error (bad option, unreadable or corrupt file, input the package
refuses, training that diverged), reported as ONE line ``tinybackprop: error:
...`` on stderr, never a traceback (set TINYBACKPROP_DEBUG=1 to see one).
Every ``--json`` output is strict JSON (no NaN or Infinity).

>>> main(["check", "--layers", "3,2,1", "--quiet"])
0
"""
import argparse
import contextlib
import json
import os
import sys
import textwrap
import time

from . import __version__, activations, cli_data, files, gradcheck, losses, svg, vectorized
from . import datasets as ds
from ._compat import isfinite, isnumber
from .errors import BackpropError, show
from .explain import explain
from .network import MODEL_DATA_KEY, Network, read_model, save_model
from .rng import Random
from .training import evaluate, train

PROG = "tinybackprop"

DEFAULTS = {"epochs": 100, "lr": 0.5, "batch_size": 16, "seed": 0, "test_fraction": 0.2}
#: Training defaults that differ by data set (Iris and XOR use DEFAULTS).  Digits: 20
#: epochs reach a test accuracy of about 0.97 (docs/digits.md); a CSV file: DEFAULTS.
DATA_DEFAULTS = {"digits": {"epochs": 20, "lr": 2.0, "batch_size": 16}}
BUILTIN_DATA = ["iris", "xor", "digits"]
CSV_EXAMPLES = 50000  # a CSV file's default epochs: 100, or fewer so that epochs x rows is about this

#: Limits that keep each command's time and memory reasonable (weights = all W and b).
LIMITS = {
    "width": 10000,            # neurons in one layer
    "depth": 50,               # layers
    "train_weights": 10 ** 6,  # what a saved model file holds (network.MAX_FILE_BYTES)
    "epochs": 10 ** 6,
    "batch_size": 10 ** 6,
    "check_work": 2 * 10 ** 8,  # multiply-adds of check's central differences: about a minute
    "check_batch": 10000,
    "explain_weights": 2000,   # every weight is a printed step
    "draw_weights": 5000,      # every weight is an edge of the picture
    "draw_width": 200,         # nodes in one column of the picture
    "x_rows": 10000,           # --x rows given to predict
}
#: Training has diverged when its loss is not finite or is this many times the
#: loss before training (or 0.01, if that was smaller).
DIVERGED_FACTOR = 1000.0


class UsageError(Exception):
    """Misuse of the command line (bad or missing option)."""


class Parser(argparse.ArgumentParser):
    """argparse, but errors become one line (no usage block) via UsageError,
    and no option is taken from an abbreviation (``--epoch`` is not ``--epochs``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message):
        raise UsageError("%s (see '%s --help')" % (message, self.prog))


class Formatter(argparse.HelpFormatter):
    """Wraps prose but keeps indented example lines as written; shows real defaults only."""

    def _fill_text(self, text, width, indent):
        lines = []
        for line in text.splitlines():
            if line.startswith("  ") or not line.strip():
                lines.append(indent + line)
            else:
                lines.append(textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent))
        return "\n".join(lines)

    def _get_help_string(self, action):
        text = action.help or ""
        if (action.option_strings and "default" not in text
                and action.default not in (None, False, argparse.SUPPRESS)):
            text += " (default: %(default)s)"
        return text


# -- option parsing helpers -------------------------------------------------------------

def layers_arg(text):
    """'4,3,2,1' -> [4, 3, 2, 1].

    >>> layers_arg("4, 8,3")
    [4, 8, 3]
    """
    try:
        sizes = [int(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a list of layer widths like 4,3,2,1" % text)
    if len(sizes) < 2 or min(sizes) < 1:
        raise argparse.ArgumentTypeError("%r: need at least 2 layer widths, each >= 1 (e.g. 4,3,2,1)" % text)
    if len(sizes) > LIMITS["depth"] + 1 or max(sizes) > LIMITS["width"]:
        raise argparse.ArgumentTypeError("%r: at most %d layers of at most %d neurons each"
                                         % (text, LIMITS["depth"], LIMITS["width"]))
    return sizes


def row_arg(text):
    """'5.1,3.5,1.4,0.2' -> [5.1, 3.5, 1.4, 0.2].

    >>> row_arg("1, -2.5")
    [1.0, -2.5]
    """
    try:
        row = [float(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a comma-separated list of numbers like 0.1,0.2" % text)
    if any(x != x or x in (float("inf"), float("-inf")) for x in row):
        raise argparse.ArgumentTypeError("%r: only finite numbers are allowed" % text)
    return row


def positive_int(text, limit=None):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a whole number" % text)
    if v < 1:
        raise argparse.ArgumentTypeError("must be >= 1, got %d" % v)
    if limit is not None and v > limit:
        raise argparse.ArgumentTypeError("must be at most %d, got %s" % (limit, text))
    return v


def int_upto(limit):
    """An argparse type: a whole number from 1 to ``limit``."""
    def parse(text):
        return positive_int(text, limit)
    parse.__name__ = "whole number"
    return parse


def fraction_arg(text):
    """A share strictly between 0 and 1.

    >>> fraction_arg("0.25")
    0.25
    """
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a number" % text)
    if not 0.0 < v < 1.0:
        raise argparse.ArgumentTypeError("must lie strictly between 0 and 1, got %s" % text)
    return v


def positive_float(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a number" % text)
    if not v > 0 or v == float("inf"):
        raise argparse.ArgumentTypeError("must be a number > 0, got %r" % text)
    return v


def data_arg(text):
    """'iris', 'xor', 'digits', or the name of a CSV file.

    >>> data_arg("digits"), data_arg("my data.csv")
    ('digits', 'my data.csv')
    """
    if text in BUILTIN_DATA or text.lower().endswith(".csv") or os.path.isfile(text):
        return text
    raise argparse.ArgumentTypeError("invalid choice: %r (choose from %s, or a CSV file PATH.csv)"
                                     % (text, ", ".join(BUILTIN_DATA)))


def add_network_options(p, layers_default="4,3,2,1", layers_help=None, output_default="sigmoid", output_help=None,
                        seed_help="seeds everything random: initial weights, data split, batch order"):
    p.add_argument("--layers", type=layers_arg, default=layers_default,
                   help=layers_help or "layer widths n_0,...,n_L")
    p.add_argument("--hidden", choices=list(activations.HIDDEN), default="sigmoid",
                   help="activation g_h of the hidden layers")
    p.add_argument("--output", choices=list(activations.OUTPUT), default=output_default,
                   help=output_help or "activation g_o of the output layer")
    p.add_argument("--loss", choices=list(losses.LOSSES), default=None,
                   help="per-example loss (default: the one that belongs to --output: %s)"
                        % ", ".join("%s->%s" % pair for pair in losses.CANONICAL))
    p.add_argument("--seed", type=int, default=DEFAULTS["seed"], help=seed_help)


def count_weights(sizes):
    """All W and b entries of a network with these layer widths.

    >>> count_weights([4, 3, 2, 1])
    26
    """
    return sum(sizes[l - 1] * sizes[l] + sizes[l] for l in range(1, len(sizes)))


def limit_weights(sizes, limit, command, why):
    n = count_weights(sizes)
    if n > LIMITS[limit]:
        raise BackpropError("--layers %s: %s takes at most %d weights and biases (%s), this network has %d; "
                            "use fewer or smaller layers" % (",".join(map(str, sizes)), command, LIMITS[limit],
                                                             why, n))


def build_network(args, sizes=None):
    """The network the options ask for; refusals name the options (--layers,
    --output, --loss), not the package's internals."""
    sizes = sizes or args.layers
    loss = args.loss or losses.canonical_loss(args.output)
    if args.output == "softmax" and sizes[-1] < 2:
        raise BackpropError("--output softmax needs at least 2 outputs (with 1 it is always 1.0): end --layers "
                            "with 2 or more, or use --output sigmoid")
    if args.output == "identity" and loss in ("bce", "cross_entropy"):
        raise BackpropError("--loss %s takes log(yhat), so it needs --output sigmoid or softmax, not identity" % loss)
    try:
        return Network(sizes, hidden=args.hidden, output=args.output, loss=loss, seed=args.seed)
    except BackpropError as e:
        text = str(e)
        raise BackpropError("--layers %s: %s" % (",".join(map(str, sizes)),
                                                  text[len("Network: "):] if text.startswith("Network: ") else text))


def check_svg_target(path, flag):
    """``--plot`` and ``--out`` write SVG: refuse a name that promises another format."""
    files.check_target(path, flag)
    if not path.lower().endswith(".svg"):
        raise BackpropError("%s %s: the picture is SVG; give a file name ending in .svg (e.g. %s)"
                            % (flag, path, "loss.svg" if flag == "--plot" else "net.svg"))


def same_file(a, b):
    """True when two names lead to one file (it need not exist yet)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def dump_json(obj, what="--json"):
    """Strict JSON (no NaN, no Infinity) on one line."""
    try:
        return json.dumps(obj, allow_nan=False) + "\n"
    except ValueError:
        raise BackpropError("%s: a result is not a finite number (NaN or infinity), which JSON cannot hold" % what)


def default_example(net):
    """The example ``explain`` and ``draw`` use when no --x/--y is given:
    x_i = 0.1 i (i = 1..n_0), y = 1 for one output, else the first class one-hot."""
    x = [round(0.1 * (i + 1), 10) for i in range(net.sizes[0])]
    n_L = net.sizes[-1]
    y = [1.0] if n_L == 1 else [1.0 if j == 0 else 0.0 for j in range(n_L)]
    return x, y


def example_args(args, net):
    x, y = default_example(net)
    if args.x is not None:
        x = args.x
    if args.y is not None:
        y = args.y
    if len(x) != net.sizes[0]:
        raise BackpropError("--x has %d numbers but the network takes %d inputs (--layers %s)"
                            % (len(x), net.sizes[0], ",".join(map(str, net.sizes))))
    if len(y) != net.sizes[-1]:
        raise BackpropError("--y has %d numbers but the network has %d outputs (--layers %s)"
                            % (len(y), net.sizes[-1], ",".join(map(str, net.sizes))))
    return x, y


# -- train -----------------------------------------------------------------------------

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


def _data_task(args):
    """Digits or a CSV file, read before the network is built: (task, default sizes, default output)."""
    if args.data == "digits":
        task = ds.digits_task(test_fraction=args.test_fraction, seed=args.seed)
        what = "the digits have 64 pixels"
    else:
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
        text = "epoch %*d/%d  loss %.4f" % (len(str(self.epochs)), epoch, self.epochs, h.loss[-1])
        if h.accuracy is not None:
            text += "  acc %.3f" % h.accuracy[-1]
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


class DivergenceWatch:
    """The training callback: shows progress, and stops training that diverges."""

    def __init__(self, progress, start_loss, lr):
        self.progress, self.lr = progress, lr
        self.limit = DIVERGED_FACTOR * max(start_loss, 0.01) if isfinite(start_loss) else float("inf")
        self.start_loss = start_loss

    def __call__(self, epoch, h):
        self.progress(epoch, h)
        loss = h.loss[-1]
        if not isfinite(loss) or loss > self.limit:
            raise Diverged("training diverged: after epoch %d the training loss is %s (it was %.4g before "
                           "training); the learning rate is too large: lower --lr (now %g), e.g. --lr %g"
                           % (epoch, "%.4g" % loss, self.start_loss, self.lr, self.lr / 10))
        return None


def cmd_train(args, out, err):
    classic = args.data in ("iris", "xor")  # the network is built first, the layers say which task
    for flag, value in (("--target", args.target), ("--task", args.task)):
        if value is not None and args.data in BUILTIN_DATA:
            raise BackpropError("%s is for your own CSV file (--data PATH.csv), not --data %s" % (flag, args.data))
    if args.draw is not None and args.data != "digits":
        raise BackpropError("--draw draws the digits: use it with --data digits")
    # every file name is checked before training, not after it
    if args.save is not None:
        files.check_target(args.save, "--save")
    for flag, path in (("--plot", args.plot), ("--draw", args.draw)):
        if path is not None:
            check_svg_target(path, flag)
    named = [(f, p) for f, p in (("--save", args.save), ("--plot", args.plot), ("--draw", args.draw)) if p is not None]
    for i, (f1, p1) in enumerate(named):
        for f2, p2 in named[i + 1:]:
            if same_file(p1, p2):
                raise BackpropError("%s and %s name the same file (%s); one would overwrite the other"
                                    % (f1, f2, p2))
    args.epochs_given = args.epochs
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
        if args.data != "digits" and args.epochs_given is None:
            # a big file: about CSV_EXAMPLES examples in all, so that the default run stays short
            args.epochs = min(DEFAULTS["epochs"], max(5, CSV_EXAMPLES // len(task.X_train)))
        limit_weights(sizes, "train_weights", "train", "what a saved model file can hold")
        net = build_network(args, sizes)
    progress = Progress(err, args.epochs, enabled=not (args.quiet or args.json))
    start_loss = net.loss_value(task.X_train, task.Y_train)
    watch = DivergenceWatch(progress, start_loss, args.lr)
    t0 = time.perf_counter()
    try:
        h = train(net, task.X_train, task.Y_train, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                  path=args.path, seed=args.seed, callback=watch, X_val=task.X_test, Y_val=task.Y_test)
    except Diverged:
        raise
    except BackpropError as e:
        if str(e).startswith("train: epoch"):  # a step made a weight infinite or NaN
            raise Diverged("training diverged: %s: lower --lr (now %g), e.g. --lr %g"
                           % (str(e)[len("train: "):], args.lr, args.lr / 10))
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
        # the training set after training (the history's last loss is the one its steps saw)
        "train_loss": train_eval[0], "test_loss": h.test_loss[-1], "train_accuracy": train_eval[1],
        "test_accuracy": h.test_accuracy[-1] if h.test_accuracy is not None else None,
        "seconds": round(seconds, 4), "history": h.to_dict(), "saved": None, "plot": None,
    }
    confusion = None
    if task.kind == "regression":
        # in the target's units: predictions and targets un-standardised with the training statistics
        ts = task.target_standardizer
        for part, X, Y in (("train", task.X_train, task.Y_train), ("test", task.X_test, task.Y_test)):
            pred = [r[0] for r in ts.inverse(net.predict(X))]
            true = [r[0] for r in ts.inverse(Y)]
            result[part + "_rmse"], result[part + "_r2"] = cli_data.regression_metrics(pred, true)
        del result["train_accuracy"], result["test_accuracy"]
        result["target"] = task.target
    elif not classic:
        confusion = cli_data.confusion(net.predict(task.X_test), task.Y_test)
        result["confusion"] = confusion
        result["classes"] = task.classes
        if task.target is not None:
            result["target"] = task.target
    if args.save is not None:
        data = cli_data.data_section(task, args.seed, args.test_fraction)
        check_model_data(data, net, "--save")  # what predict will demand
        save_model(net, args.save, data, "--save")
        result["saved"] = args.save
    if args.plot is not None:
        title = "%s %s on %s" % ("-".join(map(str, net.sizes)), net.hidden, task.description)
        files.write_atomic(args.plot, svg.loss_curve(h.loss, h.test_loss, title=title,
                                                     test_label="test" if task.name != "xor" else "test (= train)"),
                           "--plot")
        result["plot"] = args.plot
    if args.draw is not None:
        files.write_atomic(args.draw, _digits_sheet(net, task, "both"), "--draw")
        result["drawing"] = args.draw
    if args.json:
        out.write(dump_json(result))
        return 0
    w = out.write
    w("trained the network %s (hidden %s, output %s, loss %s) on %s\n"
      % ("-".join(map(str, net.sizes)), net.hidden, net.output, net.loss,
         task.description))
    w("%d epochs, lr %g, batch size %d, path %s, seed %d: %.2f s\n"
      % (h.epochs, args.lr, args.batch_size, args.path, args.seed, seconds))
    note = ", the training ones: XOR has no others" if task.name == "xor" else ""
    for name, loss, acc, n, extra in (
            ("train", result["train_loss"], result.get("train_accuracy"), len(task.X_train), ""),
            ("test", result["test_loss"], result.get("test_accuracy"), len(task.X_test), note)):
        metrics = "  accuracy %.3f" % acc if acc is not None else ""
        if task.kind == "regression":
            r2 = result[name + "_r2"]
            metrics = "  RMSE %.4g  R^2 %s" % (result[name + "_rmse"], "undefined" if r2 is None else "%.4f" % r2)
        w("%-5s  loss %.4f" % (name, loss) + metrics + "  (%d examples%s)\n" % (n, extra))
    if task.kind == "regression":
        w("(RMSE in the units of %r; the loss is on the standardised target)\n" % task.target)
    if confusion is not None:
        w("\nconfusion matrix of the %d test examples (a row per true class, a column per prediction):\n"
          % len(task.X_test))
        w(cli_data.format_confusion(confusion, task.classes) + "\n")
    if args.save is not None:
        w("saved the network to %s (tinybackprop predict %s --x ...)\n" % (args.save, args.save))
    if args.plot is not None:
        w("wrote the loss curve to %s\n" % args.plot)
    if args.draw is not None:
        w("drew the misclassified test digits and the first layer's weights in %s\n" % args.draw)
    return 0


def _digits_sheet(net, task, which):
    """The SVG of misclassified test digits and/or the first layer's weights as 8x8 images."""
    panels = []
    if which in ("errors", "both"):
        images, captions = [], []
        Yhat = net.predict(task.X_test)
        for x, y, yhat in zip(task.X_test, task.Y_test, Yhat):
            p, t = cli_data.predicted_class(yhat), cli_data.predicted_class(y)
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


# -- check -----------------------------------------------------------------------------

def check_problem(args):
    """The network and the random batch that ``tinybackprop check`` checks: the seeded
    network of the options, but with biases drawn from [-0.5, 0.5) (a new network's
    biases are 0, which would leave them out of the forward pass being checked), X in
    [-1, 1), and targets that suit the loss.  Returns (net, X, Y)."""
    net = build_network(args)
    m, rng = args.batch, Random(args.seed + 1)
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
    work = 2 * (n + args.batch * args.layers[0]) * args.batch * n
    if work > LIMITS["check_work"]:
        raise BackpropError("--layers %s with --batch %d: central differences would take about %.1e multiply-adds "
                            "(the limit is %.0e, about a minute); use fewer or smaller layers or a smaller --batch"
                            % (",".join(map(str, args.layers)), args.batch, work, LIMITS["check_work"]))
    net, X, Y = check_problem(args)
    report = gradcheck.check(net, X, Y, tol=args.tol, h=args.h, paths_tol=args.paths_tol)
    if args.json:
        d = report.to_dict()
        d.update({"layers": net.sizes, "hidden": net.hidden, "output": net.output, "loss": net.loss,
                  "batch": args.batch, "seed": args.seed})
        out.write(dump_json(d))
    elif not args.quiet:
        out.write("gradient check of %s (hidden %s, output %s, loss %s) on a random batch of %d, seed %d\n"
                  % ("-".join(map(str, net.sizes)), net.hidden, net.output, net.loss, args.batch, args.seed))
        out.write(str(report) + "\n")
    return 0 if report.ok else 1


# -- explain ---------------------------------------------------------------------------

def cmd_explain(args, out, err):
    limit_weights(args.layers, "explain_weights", "explain", "it prints a step for every one")
    net = build_network(args)
    x, y = example_args(args, net)
    text = explain(net, [x], [y], fmt=args.format)
    out.write(text if text.endswith("\n") else text + "\n")
    return 0


# -- predict ---------------------------------------------------------------------------

def load_model(path, what="load"):
    """The network in ``path`` and the extra data ``train --save`` stores beside
    it (or {}), from ONE read of the file, the data checked field by field."""
    net, extra = read_model(path, what)
    if extra is None:
        extra = {}
    check_model_data(extra, net, "%s: %s" % (what, path))
    return net, extra


def _need(ok, source, key, want, value):
    if not ok:
        raise BackpropError("%s: %s.%s must be %s, got %s" % (source, MODEL_DATA_KEY, key, want, show(value)))


def _strings(value, n, source, key):
    _need(isinstance(value, list) and len(value) == n and all(isinstance(v, str) and v for v in value),
          source, key, "a list of %d non-empty strings" % n, value)


def _finite(v):
    if not isnumber(v):
        return False
    try:
        return isfinite(float(v))
    except OverflowError:  # an int beyond the float range
        return False


def _numbers(value, n, source, key, positive=False):
    _need(isinstance(value, list) and len(value) == n, source, key, "a list of %d numbers (one per input)" % n, value)
    for i, v in enumerate(value):
        _need(_finite(v) and (not positive or v > 0), source, "%s[%d]" % (key, i),
              "a finite number > 0 (a standard deviation)" if positive else "a finite number", v)


def check_model_data(data, net, source):
    """Check the ``data`` object saved beside a model, every field the CLI
    uses: ``classes`` (one name per output, two for a single output, distinct),
    ``standardize`` (``mean`` and ``std``: one finite number per input, std > 0),
    ``features`` (one name per input), ``dataset`` and ``task`` (text).  Errors
    name the key.  Other keys are kept for other tools and ignored here.

    >>> check_model_data({"standardize": {"mean": [0.0], "std": [0.0]}}, Network([1, 1]), "load: m.json")
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: load: m.json: data.standardize.std[0] must be a finite number > 0 (a standard deviation), got 0.0
    """
    if not isinstance(data, dict):
        raise BackpropError("%s: field %r must be an object, got %s" % (source, MODEL_DATA_KEY, show(data)))
    n_in, n_out = net.sizes[0], net.sizes[-1]
    for key in ("dataset", "task"):
        if data.get(key) is not None:
            _need(isinstance(data[key], str), source, key, "text", data[key])
    if data.get("classes") is not None:
        classes = data["classes"]
        n = 2 if n_out == 1 else n_out
        _strings(classes, n, source, "classes")
        _need(len(set(classes)) == n, source, "classes", "%d different names" % n, classes)
    if data.get("features") is not None:
        _strings(data["features"], n_in, source, "features")
    std = data.get("standardize")
    if std is not None:
        _need(isinstance(std, dict), source, "standardize", "an object {\"mean\": [...], \"std\": [...]}", std)
        for key in ("mean", "std"):
            _need(key in std, source, "standardize", "an object with %r" % key, std)
        _numbers(std["mean"], n_in, source, "standardize.mean")
        _numbers(std["std"], n_in, source, "standardize.std", positive=True)
    cli_data.check_data(data, net, source)  # the keys of a digits or CSV model


def cmd_predict(args, out, err):
    if args.x is None and args.csv is None:
        raise UsageError("the following arguments are required: --x (or --csv FILE) (see '%s predict --help')" % PROG)
    if args.x is not None and args.csv is not None:
        raise UsageError("give the inputs with --x or with --csv, not both")
    if args.x is not None and len(args.x) > LIMITS["x_rows"]:
        raise BackpropError("--x: at most %d examples at a time, got %d" % (LIMITS["x_rows"], len(args.x)))
    net, extra = load_model(args.model)
    features = extra.get("features")
    rows = args.x if args.csv is None else ds.read_rows(args.csv, features)
    for r, row in enumerate(rows):
        if len(row) != net.sizes[0]:
            names = ""
            if features:
                names = " (%s%s)" % (", ".join(features[:6]), ", ..." if len(features) > 6 else "")
            raise BackpropError("%s number %d has %d numbers but the model takes %d inputs%s"
                                % ("--x" if args.csv is None else "--csv row", r + 1, len(row), net.sizes[0], names))
    std = extra.get("standardize")
    X = rows
    if std and not args.raw:
        X = ds.Standardizer([float(v) for v in std["mean"]], [float(v) for v in std["std"]]).transform(rows)
        for r, row in enumerate(X):
            if not all(isfinite(v) for v in row):
                raise BackpropError("--x number %d is too large to standardise (a number came out infinite)" % (r + 1))
    Yhat = net.predict(X)
    for r, yhat in enumerate(Yhat):
        if not all(isfinite(v) for v in yhat):
            raise BackpropError("the model's output for --x number %d is not a finite number (%s): its weights "
                                "or this input are too large to compute with" % (r + 1, ", ".join(map(repr, yhat))))
    classes = extra.get("classes")
    labels = []
    for yhat in Yhat:
        if not classes or net.output == "identity":
            labels.append(None)
        else:
            labels.append(classes[cli_data.predicted_class(yhat)])
    values = None
    if extra.get("target_standardize") and not args.raw:
        values = [r[0] for r in ds.Standardizer.from_dict(extra["target_standardize"]).inverse(Yhat)]
    if args.json:
        d = {"inputs": rows, "standardized": X if X is not rows else None, "outputs": Yhat, "classes": labels}
        if values is not None:
            d["predictions"] = values
            d["target"] = extra.get("target")
        out.write(dump_json(d))
        return 0
    if args.csv is not None:  # one line per row: the class, or the value in the target's units
        for k, yhat in enumerate(Yhat):
            if labels[k] is not None:
                out.write(labels[k] + "\n")
            elif values is not None:
                out.write("%.6g\n" % values[k])
            else:
                out.write(",".join("%.6g" % v for v in yhat) + "\n")
        return 0
    for k, (row, yhat, label) in enumerate(zip(rows, Yhat, labels)):
        shown = ", ".join("%g" % v for v in row)
        if len(row) > 8:
            shown = ", ".join("%g" % v for v in row[:8]) + ", ... (%d values)" % len(row)
        tail = "  ->  " + label if label else ""
        if values is not None:
            tail = "  ->  %s = %.6g" % (extra.get("target") or "prediction", values[k])
        out.write("x = [%s]  ->  yhat = [%s]%s\n" % (shown, ", ".join("%.6f" % v for v in yhat), tail))
    return 0


# -- draw ------------------------------------------------------------------------------

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
        files.write_atomic(args.out, _digits_sheet(net, task, args.digits or "both"), "--out")
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


# -- exercise ------------------------------------------------------------------------

def cmd_exercise(args, out, err):
    from . import exercises
    result = exercises.check_file(args.name, args.file, trials=args.trials, seed=args.seed)
    out.write(result.message + "\n")
    return 0 if result.ok else 1


def add_exercise_parser(sub):
    from .exercises import EXERCISES
    x = sub.add_parser("exercise", formatter_class=Formatter,
                       help="check your own function for one equation against the package",
                       description="Load the function NAME from your FILE.py, call it on random inputs and "
                                   "compare with the package. Prints pass, or the first wrong entry with both "
                                   "values. Exit status: 0 pass, 1 wrong, 2 misuse.",
                       epilog="exercises (the function to write):\n" + "".join(
                           "  %-11s %s: %s\n" % (k, v[0], v[1]) for k, v in sorted(EXERCISES.items()))
                       + "example:\n  tinybackprop exercise g_W my_gw.py\n")
    x.add_argument("name", choices=sorted(EXERCISES), metavar="NAME", help="the exercise (listed below)")
    x.add_argument("file", metavar="FILE.py", help="your Python file, defining a function called NAME")
    x.add_argument("--trials", type=positive_int, default=20, help="how many random inputs")
    x.add_argument("--seed", type=int, default=0, help="seeds the random inputs")
    x.set_defaults(func=cmd_exercise)


# -- the parser ------------------------------------------------------------------------

TRAIN_EPILOG = """examples:
  tinybackprop train                                # the document's 4-3-2-1 network, virginica vs the rest
  tinybackprop train --layers 4,8,3 --hidden tanh --output softmax --loss cross_entropy   # all 3 species
  tinybackprop train --path per_neuron --plot loss.svg --save model.json
  tinybackprop train --data xor --layers 2,4,1 --hidden tanh --epochs 300 --batch-size 4
  tinybackprop train --json                         # one JSON object with the results
  tinybackprop train --data digits --save digits.json --draw digits.svg   # handwritten digits, 64-32-10
  tinybackprop train --data flowers.csv --target species    # your own CSV file

your own CSV file (--data PATH.csv): a header row naming the columns, then one row per
example, comma-separated, at most %d MiB. Every column but the target (--target NAME,
default: the last one) must be numeric. A target of text labels, or of at most %d distinct
whole numbers, is a classification (2 classes: one sigmoid output and bce; more: softmax and
cross_entropy); any other numeric target, or --task regression, is a regression (identity
output, squared_error, the target standardised with the training part's statistics; RMSE and
R^2 on the test part are reported in the target's units). Layers: n_features,16,outputs.
""" % (ds.CSV_MAX_BYTES // (1024 * 1024), ds.CSV_MAX_AUTO_CLASSES)


def make_parser():
    p = Parser(prog=PROG, formatter_class=Formatter,
               description="Backpropagation done twice, neuron by neuron and in matrix form: train the "
                           "document's network, check its gradients, explain a backward pass.",
               epilog="Run 'tinybackprop COMMAND --help' for the options of each command.")
    p.add_argument("--version", action="version", version="%(prog)s " + __version__)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

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
                        output_help="activation g_o of the output layer (default: sigmoid for Iris and XOR; "
                                    "softmax for digits; for a CSV file sigmoid, softmax or identity as the "
                                    "target needs)")
    t.add_argument("--data", type=data_arg, default="iris", metavar="{iris,xor,digits,PATH.csv}",
                   help="data set: shipped (iris, xor, digits: 1797 handwritten 8x8 digits, UCI optdigits, "
                        "CC BY 4.0) or your own CSV file")
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
    t.add_argument("--path", choices=["vectorized", "per_neuron"], default="vectorized",
                   help="which backward pass computes the gradients (both give the same numbers)")
    t.add_argument("--save", metavar="MODEL.json", help="save the trained network (and how to prepare inputs)")
    t.add_argument("--plot", metavar="LOSS.svg", help="write the train and test loss per epoch as an SVG chart")
    t.add_argument("--draw", metavar="DIGITS.svg",
                   help="digits: draw the misclassified test digits and the first layer's weights as 8x8 images")
    t.add_argument("--json", action="store_true",
                   help="print one JSON object (train_loss, test_loss, test_accuracy, epochs, seconds, ...)")
    t.add_argument("--quiet", action="store_true", help="no progress line")
    t.set_defaults(func=cmd_train)

    c = sub.add_parser("check", formatter_class=Formatter,
                       help="gradient check: both backward paths against each other and central differences",
                       description="Compare the per-neuron and the vectorized backward pass with each other and "
                                   "with central differences on a random batch (the network's biases drawn at "
                                   "random too, not left at 0); print the worst relative error of every W, b and "
                                   "the input x. Exit status 1 when over tolerance.")
    add_network_options(c, seed_help="seeds the initial weights, the random biases and the random batch")
    c.add_argument("--batch", type=int_upto(LIMITS["check_batch"]), default=4,
                   help="rows in the random batch (at most %d)" % LIMITS["check_batch"])
    c.add_argument("--tol", type=positive_float, default=gradcheck.TOL,
                   help="tolerance: vectorized vs central differences")
    c.add_argument("--paths-tol", type=positive_float, default=gradcheck.PATHS_TOL,
                   help="tolerance: per_neuron vs vectorized")
    c.add_argument("--h", type=positive_float, default=gradcheck.H,
                   help="step of the central differences (1e-5 balances their rounding and truncation errors)")
    c.add_argument("--json", action="store_true", help="print the report as one JSON object")
    c.add_argument("--quiet", action="store_true", help="print nothing; only the exit status tells")
    c.set_defaults(func=cmd_check)

    e = sub.add_parser("explain", formatter_class=Formatter,
                       help="print one backward pass, step by step, as the document derives it",
                       description="Lay out one forward and backward pass for one example (x, y) with the "
                                   "numbers of a seeded network, equation by equation.")
    add_network_options(e, seed_help="seeds the initial weights")
    e.add_argument("--x", type=row_arg, help="the example's inputs, comma-separated (default 0.1,0.2,...)")
    e.add_argument("--y", type=row_arg, help="its targets, comma-separated (default 1, or the first class)")
    e.add_argument("--format", choices=["text", "markdown"], default="text", help="output format")
    e.set_defaults(func=cmd_explain)

    r = sub.add_parser("predict", formatter_class=Formatter,
                       help="run a saved network on new inputs",
                       description="Load a network saved by 'train --save' and print its outputs, and the "
                                   "class (or, for regression, the value in the target's units) they stand for. "
                                   "Inputs are raw values (measurements, pixels 0-16, a CSV file's feature "
                                   "columns in the header's order); they are standardised with the statistics "
                                   "saved with the model (unless --raw).",
                       epilog="examples:\n  tinybackprop train --save model.json\n"
                              "  tinybackprop predict model.json --x 5.1,3.5,1.4,0.2 --x 6.9,3.1,5.4,2.1\n"
                              "  tinybackprop train --data flowers.csv --save flowers.json\n"
                              "  tinybackprop predict flowers.json --csv new-flowers.csv   # one line per row")
    r.add_argument("model", help="a model file written by 'tinybackprop train --save'")
    r.add_argument("--x", type=row_arg, action="append",
                   help="one example's inputs, comma-separated; repeat for more examples")
    r.add_argument("--csv", metavar="FILE.csv",
                   help="predict every row of a CSV file and print one prediction per line; with a header row "
                        "the model's input columns are taken by name, without one each row holds the inputs in "
                        "order")
    r.add_argument("--raw", action="store_true", help="do not standardise the inputs")
    r.add_argument("--json", action="store_true", help="print one JSON object")
    r.set_defaults(func=cmd_predict)

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
    add_exercise_parser(sub)
    return p


def join_negative_rows(argv):
    """``--x -1.5,2`` as ``--x=-1.5,2``: argparse takes a value starting with '-'
    for an option unless it is a single number.

    >>> join_negative_rows(["predict", "m.json", "--x", "-1.5,2", "--y", "-1"])
    ['predict', 'm.json', '--x=-1.5,2', '--y', '-1']
    """
    out, i = [], 0
    while i < len(argv):
        a = argv[i]
        if a in ("--x", "--y") and i + 1 < len(argv) and argv[i + 1].startswith("-") and "," in argv[i + 1]:
            try:
                row_arg(argv[i + 1])
            except argparse.ArgumentTypeError:
                pass
            else:
                out.append(a + "=" + argv[i + 1])
                i += 2
                continue
        out.append(a)
        i += 1
    return out


class NullWriter:
    """Where output goes when there is no stdout (the program was started with it closed)."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def debug_on():
    """TINYBACKPROP_DEBUG=1 (or yes/true/on) shows tracebacks; unset, empty, 0, no, false, off do not."""
    return os.environ.get("TINYBACKPROP_DEBUG", "").strip().lower() not in ("", "0", "no", "false", "off")


def main(argv=None, out=None, err=None):
    """Run the command line; returns the exit status (0, 1 for a failed check, 2 for any error)."""
    out = out or sys.stdout or NullWriter()
    err = err or sys.stderr or NullWriter()
    for stream in (out, err):  # an ASCII-only terminal or locale gets \u escapes instead of a crash
        if hasattr(stream, "reconfigure") and (getattr(stream, "encoding", "") or "").lower() not in ("utf-8", "utf8"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass
    if argv is None:
        argv = sys.argv[1:]
    try:
        with contextlib.redirect_stdout(out):  # --help and --version print to ``out``
            args = make_parser().parse_args(join_negative_rows(list(argv)))
        if not getattr(args, "command", None):
            raise UsageError("a command is required: train, check, explain, predict, draw or exercise "
                             "(see '%s --help')" % PROG)
        code = args.func(args, out, err)
        out.flush()
        return code
    except SystemExit as e:  # --help and --version exit 0 through argparse
        return e.code if isinstance(e.code, int) else 0
    except KeyboardInterrupt:
        err.write("\n%s: interrupted\n" % PROG)
        return 130
    except BrokenPipeError:
        _silence(out)
        return 1
    except Exception as e:  # every error: one line, no traceback
        if debug_on():
            raise
        err.write("%s: error: %s\n" % (PROG, one_line(e)))
        return 2


def _silence(stream):
    """After a closed pipe: send what is still buffered for ``stream`` nowhere, so
    that Python's exit does not report the pipe a second time."""
    try:
        fd = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass


def one_line(e):
    """The message of an exception on one line (file errors say which file).

    >>> one_line(FileNotFoundError(2, "No such file or directory", "m.json"))
    'm.json: No such file or directory'
    >>> one_line(KeyError("x"))
    "KeyError: 'x'"
    """
    if isinstance(e, OSError) and e.filename:
        text = "%s: %s" % (e.filename, e.strerror or e)
    elif isinstance(e, (UsageError, BackpropError)):
        text = str(e)
    elif isinstance(e, (ValueError, OSError)):
        text = str(e) or type(e).__name__
    else:
        text = "%s: %s" % (type(e).__name__, e)
    return " ".join(text.split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
