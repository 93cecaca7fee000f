"""``tinybackprop exercise NAME FILE.py``: check your own function for one equation against the package.

>>> from tinybackprop.cli import NullWriter, main
>>> main(["exercise", "g_W", "no-such-file.py"], err=NullWriter())
2
"""
from .common import Formatter, add_output_options, dump_json, int_upto, positive_float


def cmd_exercise(args, out, err):
    from .. import exercises
    result = exercises.grade_file(args.name, args.file, trials=args.trials, seed=args.seed, timeout=args.timeout)
    if args.json:
        out.write(dump_json({"exercise": args.name, "file": args.file, "ok": result.ok, "message": result.message,
                             "trials": args.trials, "seed": args.seed}))
    elif not args.quiet:
        out.write(result.message + "\n")
    return 0 if result.ok else 1



def add_exercise_parser(sub):
    """Add the command's subparser to ``sub``."""
    from ..exercises import EXERCISES, MAX_TRIALS, MEMORY_MB, TIMEOUT
    x = sub.add_parser("exercise", formatter_class=Formatter,
                       help="check your own function for one equation against the package",
                       description="Load the function NAME from your FILE.py, call it on random inputs and "
                                   "compare with the package. Prints pass, or the first wrong entry with both "
                                   "values. Your file runs in a Python process of its own, stopped after "
                                   "--timeout seconds (and at about %d MB of memory beyond Python's own), which "
                                   "can start no other process or thread (on Linux); what "
                                   "it prints is not shown. An endless loop, sys.exit() or a crash in your "
                                   "function is a wrong answer. Exit status: 0 pass, 1 wrong, 2 misuse (and a "
                                   "file that cannot be loaded)." % MEMORY_MB,
                       epilog="exercises (the function to write):\n" + "".join(
                           "  %-11s %s: %s\n" % (k, v[0], v[1]) for k, v in sorted(EXERCISES.items()))
                       + "example:\n  tinybackprop exercise g_W my_gw.py\n")
    x.add_argument("name", choices=sorted(EXERCISES), metavar="NAME", help="the exercise (listed below)")
    x.add_argument("file", metavar="FILE.py", help="your Python file, defining a function called NAME")
    x.add_argument("--trials", type=int_upto(MAX_TRIALS), default=20,
                   help="how many random inputs (at most %d)" % MAX_TRIALS)
    x.add_argument("--timeout", type=positive_float, default=TIMEOUT, metavar="SECONDS",
                   help="stop your code after this many seconds in all (default %g)" % TIMEOUT)
    x.add_argument("--seed", type=int, default=0, help="seeds the random inputs")
    add_output_options(x, json_help="print the result as one JSON object (ok, message, ...)")
    x.set_defaults(func=cmd_exercise)
    return x
