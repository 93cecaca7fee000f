"""What every command shares: defaults and limits, the argument parser, option types, file checks.

=============================  ============================================================
``DEFAULTS``, ``LIMITS``       training defaults; what keeps each command's time and memory
                               reasonable
``Parser``, ``Formatter``      argparse with one-line errors (``UsageError``), no abbreviations
``layers_arg``, ``row_arg``    option types: ``4,3,2,1`` and ``0.1,-2`` (and ``positive_int``,
                               ``int_upto``, ``fraction_arg``, ``val_fraction_arg``,
                               ``positive_float``, ``data_arg``)
``add_network_options(p)``     ``--layers --hidden --output --loss --seed``
``build_network(args)``        the network the options ask for; refusals name the options
``check_svg_target``           ``--plot`` and ``--out``: a writable name ending in .svg
``check_overwrite``            the one overwrite rule: an existing file is replaced only
                               with ``--force``
``dump_json(obj)``             strict JSON on one line
``example_args(args, net)``    the example (x, y) of ``explain`` and ``draw``
=============================  ============================================================

>>> count_weights(layers_arg("4,3,2,1"))
26
"""
import argparse
import json
import os
import textwrap

from .. import activations, files, init as inits, losses
from ..datasets.planar import DATASETS as PLANAR, REGRESSION as PLANAR_REGRESSION
from ..errors import BackpropError
from ..network import Network

PROG = "tinybackprop"

#: ``val_fraction``: the share of the training rows (those left after the test split) held
#: out for validation.  0.2, as the test fraction: every run shows a validation curve to read
#: beside the training curve, early stopping has rows to choose on, and the test rows are
#: measured once, at the end; 0.1 (scikit-learn's) would leave Iris 12 validation flowers, 4
#: a class, where one flower moves the accuracy by 0.08.
DEFAULTS = {"epochs": 100, "lr": 0.5, "batch_size": 16, "seed": 0, "test_fraction": 0.2, "val_fraction": 0.2}
#: Training defaults that differ by data set (Iris uses DEFAULTS).  Digits: 20 epochs reach a
#: test accuracy of about 0.96 (docs/digits.md); a CSV file: DEFAULTS.  The 2-D sets: lr 0.3
#: (0.5 overshoots on the spiral); the spiral's three arms need 300 epochs.  XOR has its four
#: rows only (training and test rows alike): no validation rows.
DATA_DEFAULTS = {"xor": {"val_fraction": 0.0},
                 "digits": {"epochs": 20, "lr": 2.0, "batch_size": 16},
                 "moons": {"lr": 0.3}, "circles": {"lr": 0.3}, "blobs": {"lr": 0.3},
                 "spiral": {"epochs": 300, "lr": 0.3}}
BUILTIN_DATA = ["iris", "xor", "digits"] + list(PLANAR) + list(PLANAR_REGRESSION)
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


class UsageError(Exception):
    """Misuse of the command line (bad or missing option)."""


class Parser(argparse.ArgumentParser):
    """argparse, but errors become one line (no usage block) via UsageError,
    and no option is taken from an abbreviation (``--epoch`` is not ``--epochs``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        self.arguments = []  # every option and argument added but -h, in order (``cli.option_table`` lists them)
        super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        if action.dest != "help":
            self.arguments.append(action)
        return action

    def error(self, message):
        raise UsageError("%s (see '%s --help')" % (message, self.prog))


class Formatter(argparse.HelpFormatter):
    """Wraps each paragraph of prose as one (never a sentence cut where the source broke
    its line), keeps indented lines (examples, tables) as written; shows real defaults only.

    >>> f = Formatter("tinybackprop")
    >>> print(f._fill_text("one two three\\nfour five\\n\\n  keep   this\\n", 12, ""))
    one two
    three four
    five
    <BLANKLINE>
      keep   this
    """

    def _fill_text(self, text, width, indent):
        lines, prose = [], []

        def flush():
            if prose:
                lines.append(textwrap.fill(" ".join(prose), width, initial_indent=indent, subsequent_indent=indent))
                del prose[:]
        for line in text.splitlines():
            if line.startswith("  ") or not line.strip():
                flush()
                lines.append(indent + line if line.strip() else "")
            else:
                prose.append(line.strip())
        flush()
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


def val_fraction_arg(text):
    """A share from 0 (no validation rows) up to, not including, 1.

    >>> val_fraction_arg("0"), val_fraction_arg("0.2")
    (0.0, 0.2)
    """
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not a number" % text)
    if not 0.0 <= v < 1.0:
        raise argparse.ArgumentTypeError("must be from 0 (no validation rows) up to, not including, 1, got %s"
                                         % text)
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
                   help="activation phi_h of the hidden layers")
    p.add_argument("--output", choices=list(activations.OUTPUT), default=output_default,
                   help=output_help or "activation phi_o of the output layer")
    p.add_argument("--loss", choices=list(losses.LOSSES), default=None,
                   help="per-example loss (default: the one that belongs to --output: %s)"
                        % ", ".join("%s->%s" % pair for pair in losses.CANONICAL))
    p.add_argument("--seed", type=int, default=DEFAULTS["seed"], help=seed_help)
    p.add_argument("--init", choices=list(inits.SCHEMES), default=inits.DEFAULT,
                   help="how the weights start (uniform: Glorot, He for relu layers; see tinybackprop.init)")
    p.add_argument("--init-scale", type=positive_float, default=1.0, metavar="S",
                   help="multiply every initial weight by S (with --init normal: its standard deviation)")


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
        return Network(sizes, hidden=args.hidden, output=args.output, loss=loss, seed=args.seed,
                       init=getattr(args, "init", inits.DEFAULT), init_scale=getattr(args, "init_scale", 1.0))
    except BackpropError as e:
        text = str(e)
        text = text[len("Network: "):] if text.startswith("Network: ") else text
        if text.startswith("init_scale "):  # the option that set it, not the network's layers
            raise BackpropError("--init-scale " + text[len("init_scale "):])
        raise BackpropError("--layers %s: %s" % (",".join(map(str, sizes)), text))


def describe_network(net):
    """``4-3-2-1 (hidden sigmoid, output sigmoid, loss bce)``; a network without a hidden
    layer says so.

    >>> from tinybackprop import Network
    >>> describe_network(Network([4, 1]))
    '4-1 (no hidden layer, output sigmoid, loss bce)'
    """
    hidden = "hidden %s" % net.hidden if net.L > 1 else "no hidden layer"
    return "%s (%s, output %s, loss %s)" % ("-".join(map(str, net.sizes)), hidden, net.output, net.loss)


def check_svg_target(path, flag):
    """``--plot`` and ``--out`` write SVG: refuse a name that promises another format."""
    files.check_target(path, flag)
    if not path.lower().endswith(".svg"):
        raise BackpropError("%s %s: the picture is SVG; give a file name ending in .svg (e.g. %s)"
                            % (flag, path, "loss.svg" if flag == "--plot" else "net.svg"))


def check_overwrite(outputs, force):
    """The one overwrite rule of every command: an output that names an existing file is
    refused unless ``--force`` (a saved model can be hours of training; nothing is lost
    silently).  ``outputs``: ``(flag, path)`` pairs, None paths skipped.  Called before the
    work, and again just before writing.

    >>> check_overwrite([("--save", __file__)], force=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    tinybackprop.errors.BackpropError: --save ...common.py exists; add --force to replace it
    """
    if force:
        return
    for flag, path in outputs:
        if path is not None and os.path.lexists(path):
            raise BackpropError("%s %s exists; add --force to replace it" % (flag, path))


#: ``--quiet`` means one thing on every command that has it.
QUIET_HELP = ("print nothing on stdout (--json's object excepted): the exit status tells; errors and warnings still "
              "go to stderr")


def add_output_options(p, json_help="print one JSON object", quiet=True):
    """``--json`` and ``--quiet``: the same words on every command that has them."""
    p.add_argument("--json", action="store_true", help=json_help)
    if quiet:
        p.add_argument("--quiet", action="store_true", help=QUIET_HELP)


def add_force_option(p, what="an output file"):
    p.add_argument("--force", action="store_true", help="replace %s that exists (without it, an existing file "
                   "is never replaced)" % what)


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

