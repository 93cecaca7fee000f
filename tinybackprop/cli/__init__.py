"""The command line: ``tinybackprop train | check | explain | predict | draw | export | exercise``.

Run ``tinybackprop --help`` or ``tinybackprop COMMAND --help``.  The same
program runs as ``python -m tinybackprop.cli``.

Exit status: 0 success; 1 ``check`` found a gradient over its tolerance,
``exercise`` found a wrong entry, or ``train --strict`` gave a warning; 2 any
misuse or error (bad option, unreadable or corrupt file, input the package
refuses, training that diverged), reported as ONE line ``tinybackprop: error:
...`` on stderr, never a traceback (set TINYBACKPROP_DEBUG=1 to see one); an
unknown option names the command's help, and the option meant when one is close.
Every ``--json`` output is strict JSON (no NaN or Infinity).

One spelling per meaning on every command (``option_table()`` lists them all):
``--model MODEL.json`` a saved model to read, ``--out``/``-o`` the one file a command
writes, ``--batch-size``, ``--path`` a backward path (``vectorized``, ``per_neuron``,
``graph``; ``both`` where a command shows two), ``--json`` (every command), ``--quiet``
(print nothing; the exit status tells), and one overwrite rule: an output file that
exists is replaced only with ``--force``.

One module per command, each with ``cmd_NAME(args, out, err)`` and ``add_NAME_parser(sub)``:

=======================  ==================================================================
``cli/train.py``         ``tinybackprop train``: Iris, XOR, the digits or a CSV file
``cli/check.py``         ``tinybackprop check``: both paths and central differences
``cli/explain.py``       ``tinybackprop explain``: one backward pass, step by step
``cli/predict.py``       ``tinybackprop predict``: a saved network on new inputs
``cli/draw.py``          ``tinybackprop draw``: a network or a digits model as SVG
``cli/export.py``        ``tinybackprop export``: a saved model as a PyTorch or NumPy script
``cli/exercise.py``      ``tinybackprop exercise``: your function against the package's
``cli/common.py``        what they share: defaults, limits, the parser, option types,
                         file-name checks
``cli/model_data.py``    the model file's ``data`` section: written by ``train --save``,
                         checked in one place on every load
``cli/metrics.py``       the class of an output row, the confusion matrix, RMSE and R^2
=======================  ==================================================================

>>> main(["check", "--layers", "3,2,1", "--quiet"])
0
"""
import argparse
import contextlib
import os
import sys

from .. import __version__
from ..errors import BackpropError, printable
from . import check, draw, exercise, explain, export, predict, train
from .common import DATA_DEFAULTS, DEFAULTS, LIMITS, PROG, Formatter, Parser, UsageError, build_network, \
    dump_json, row_arg
from .check import check_problem

__all__ = ["main", "make_parser", "option_table", "COMMANDS", "DATA_DEFAULTS", "DEFAULTS", "LIMITS", "PROG", "UsageError",
           "build_network", "check_problem", "dump_json"]

#: The commands, in the order ``--help`` lists them: each adds its parser to ``sub``.
COMMANDS = (train.add_train_parser, check.add_check_parser, explain.add_explain_parser, predict.add_predict_parser,
            draw.add_draw_parser, export.add_export_parser, exercise.add_exercise_parser)


def make_parser():
    """The top-level parser; ``parser.commands`` maps each command's name to its own parser."""
    p = Parser(prog=PROG, formatter_class=Formatter,
               description="Backpropagation done three ways (neuron by neuron, in matrix form, as a graph of "
                           "numbers): train a network, check its gradients, explain a backward pass.",
               epilog="Run 'tinybackprop COMMAND --help' for the options of each command. An output file "
                      "that exists is replaced only with --force, on every command.")
    p.add_argument("--version", action="version", version="%(prog)s " + __version__)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    p.commands = {}
    for add_parser in COMMANDS:
        c = add_parser(sub)
        p.commands[c.prog.split()[-1]] = c
    return p


def option_table(parser=None):
    """Every option of every command: ``[(command, option strings, metavar or choices, help)]``,
    the table ``docs/command-line.md`` shows and the tests check (one spelling per meaning).

    >>> rows = option_table(); ("export", "--out, -o") in [(r[0], r[1]) for r in rows]
    True
    """
    parser = parser or make_parser()
    rows = []
    for name, c in parser.commands.items():
        for action in c.arguments:
            spell = ", ".join(action.option_strings) if action.option_strings else action.metavar or action.dest
            takes = ""
            if action.choices is not None:
                takes = "{%s}" % ",".join(map(str, action.choices))
            elif action.nargs != 0:
                takes = action.metavar or action.dest.upper()
            help_text = (action.help or "") % {"default": action.default} if action.help else ""
            rows.append((name, spell, takes, " ".join(help_text.split())))
    return rows


def _unrecognized(parser, args, extras):
    """An option the command does not take: the command's own usage error, naming its
    help, with the option meant when one is close (``--epoch``: ``--epochs``)."""
    import difflib
    command = parser.commands.get(getattr(args, "command", None) or "")
    target = command or parser
    options = [o for a in target.arguments for o in a.option_strings]
    hints = []
    for extra in extras:
        if extra.startswith("-"):
            close = difflib.get_close_matches(extra.split("=", 1)[0], options, n=1, cutoff=0.7)
            if close:
                hints.append("did you mean %s?" % close[0])
        elif extra.lower().endswith(".json") and any(o == "--model" for o in options):
            hints.append("a model file goes after --model: --model %s" % extra)
    target.error("unrecognized arguments: %s%s" % (" ".join(extras), "; " + "; ".join(hints) if hints else ""))


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


class Printable:
    """``stream``, with every character that can drive a terminal written as a
    visible escape (:func:`tinybackprop.errors.printable`): what the commands print
    echoes file names, column names and class names.

    >>> import io; s = io.StringIO(); _ = Printable(s).write("m\\x1b[2J.json\\n"); s.getvalue()
    'm\\\\x1b[2J.json\\n'
    """

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        return self.stream.write(printable(text))

    def __getattr__(self, name):  # flush, fileno, encoding, ...
        return getattr(self.stream, name)


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
    for stream in (out, err):  # an ASCII-only terminal gets \u escapes, an undecodable byte \udcff: never a crash
        if hasattr(stream, "reconfigure") and getattr(stream, "errors", "strict") == "strict":
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass
    out = Printable(out)  # a name or class echoed with a terminal escape in it prints as text
    if argv is None:
        argv = sys.argv[1:]
    try:
        parser = make_parser()
        argv = list(argv)
        if len(argv) > 1 and argv[0] in parser.commands and not argv[1].startswith("-") \
                and argv[1].lower().endswith(".json") and argv[0] != "exercise":
            raise UsageError("%s: a saved model is given with --model: '%s %s --model %s ...' (see '%s %s --help')"
                             % (argv[0], PROG, argv[0], argv[1], PROG, argv[0]))
        with contextlib.redirect_stdout(out):  # --help and --version print to ``out``
            args, extras = parser.parse_known_args(join_negative_rows(argv))
        if extras:
            _unrecognized(parser, args, extras)
        if not getattr(args, "command", None):
            names = list(parser.commands)
            raise UsageError("a command is required: %s or %s (see '%s COMMAND --help')"
                             % (", ".join(names[:-1]), names[-1], PROG))
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
    elif isinstance(e, (MemoryError, RecursionError)):
        text = "not enough memory for this input (%s); use a smaller file or network" % type(e).__name__
    elif isinstance(e, (ValueError, OSError)):
        text = str(e) or type(e).__name__
    else:
        text = "%s: %s" % (type(e).__name__, e)
    return printable(" ".join(text.split()), keep="")
