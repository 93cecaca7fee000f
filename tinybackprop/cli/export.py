"""``tinybackprop export``: a saved model as a self-contained PyTorch or NumPy script.

The script (:func:`tinybackprop.export.script`) holds the model inline (the weights,
the preparation of its inputs and outputs, its feature and class names), the
forward pass as code, ``predict`` and ``classify`` on raw inputs, and a ``main``
that predicts the model's own test rows and compares them with what ``tinybackprop
predict`` gives (exit status 1 if they differ).  Which rows, as raw inputs: the
test part of the split the model was trained on (the digits, Iris, XOR: rebuilt
from the model file's ``data``); for a model without one (a CSV file's, or one
saved by ``Network.save``), 8 seeded random rows, spread as its training inputs
were where the model file records their mean and standard deviation.

>>> from tinybackprop.cli import NullWriter, main
>>> main(["export", "--model", "no-such-model.json", "--to", "numpy", "--out", "x.py"], err=NullWriter())
2
"""
import os

from .. import datasets as ds
from .. import files
from ..errors import BackpropError
from ..export import TARGETS, script
from ..rng import Random
from .common import DEFAULTS, Formatter, add_force_option, add_output_options, check_overwrite, dump_json
from .model_data import load_model

#: Rows checked when the model file names no data set to take its test rows from.
RANDOM_ROWS = 8


def _task(net, extra):
    name, split = extra.get("dataset"), extra.get("split")
    if name == "xor":
        return ds.xor_task()
    if name not in ("digits", "iris") or (name == "iris" and not split):
        return None
    split = split or {"seed": 0, "test_fraction": DEFAULTS["test_fraction"]}
    if name == "digits":
        return ds.digits_task(test_fraction=split["test_fraction"], seed=split["seed"])
    classes = extra.get("classes") or []
    if net.sizes[-1] == 1 and len(classes) == 2:
        return ds.iris_task("binary", positive=classes[1], test_fraction=split["test_fraction"], seed=split["seed"])
    return ds.iris_task("multiclass", test_fraction=split["test_fraction"], seed=split["seed"])


def _raw(x):
    """A raw input as short as it can be written: 5.1, not 5.1000000000000005 (12 digits)."""
    return float("%.12g" % x)


def checked_rows(net, extra):
    """(rows, where): the rows the script checks, as raw inputs (what ``tinybackprop
    predict`` takes), and a few words on where they come from.

    >>> from tinybackprop import Network
    >>> rows, where = checked_rows(Network([2, 4, 1]), {"dataset": "xor"})
    >>> rows, where
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], 'the 4 test rows of XOR (4 examples)')
    """
    task = None
    try:
        task = _task(net, extra)
    except BackpropError:
        task = None
    std = extra.get("standardize")
    if task is not None and len(task.X_test[0]) == net.sizes[0] and (
            std is None or task.standardizer is None or task.standardizer.to_dict() == std):
        rows = task.X_test
        if task.standardizer is not None:
            rows = [[_raw(v) for v in row] for row in task.standardizer.inverse(task.X_test)]
        return rows, "the %d test rows of %s" % (len(rows), task.description)
    r = Random(0)
    mean, sd = [0.0] * net.sizes[0], [1.0] * net.sizes[0]
    if std is not None:
        mean, sd = [float(v) for v in std["mean"]], [float(v) for v in std["std"]]
    rows = [[_raw(m + s * r.uniform(-2.0, 2.0)) for m, s in zip(mean, sd)] for _ in range(RANDOM_ROWS)]
    return rows, "%d seeded random rows (the model file names no test rows)" % RANDOM_ROWS


def cmd_export(args, out, err):
    if not args.out.endswith(".py"):
        raise BackpropError("--out %s: the export is a Python script; give a file name ending in .py (e.g. "
                            "model_%s.py)" % (args.out, args.to))
    files.check_outputs([("--out", args.out)], [("--model", args.model)])
    check_overwrite([("--out", args.out)], args.force)
    files.check_target(args.out, "--out")
    net, extra = load_model(args.model)
    rows, where = checked_rows(net, extra)
    text = script(net, args.to, rows, data=extra, source=os.path.basename(args.model))
    check_overwrite([("--out", args.out)], args.force)  # again, just before writing
    files.write_atomic(args.out, text, "--out")
    if args.json:
        out.write(dump_json({"wrote": args.out, "to": args.to, "model": args.model, "checked_rows": len(rows),
                             "checked_on": where}))
    elif not args.quiet:
        out.write("wrote %s: the network in %s, checked on %s; run: python %s\n"
                  % (args.out, "PyTorch" if args.to == "torch" else "NumPy", where, args.out))
    return 0


def add_export_parser(sub):
    """Add the command's subparser to ``sub``."""
    e = sub.add_parser("export", formatter_class=Formatter,
                       help="write a saved model as a PyTorch or NumPy script that checks itself",
                       description="Write the model (--model, from 'tinybackprop train --save') as a self-contained "
                                   "Python script: the weights inline with the preparation of the inputs (and, for "
                                   "regression, of the target) and the feature and class names, the forward pass in "
                                   "PyTorch or NumPy, predict(rows) and classify(rows) on raw inputs as 'tinybackprop "
                                   "predict' takes them, and a check of its predictions on the model's test rows "
                                   "against tinybackprop's (exit status 1 if they differ). The script needs PyTorch "
                                   "or NumPy, not tinybackprop.")
    e.add_argument("--model", required=True, metavar="MODEL.json",
                   help="a model file saved by 'tinybackprop train --save'")
    e.add_argument("--to", choices=list(TARGETS), required=True, help="the library the script uses")
    e.add_argument("--out", "-o", required=True, metavar="FILE.py", help="the script to write")
    add_force_option(e, "FILE.py")
    add_output_options(e, json_help="print what was written as one JSON object")
    e.set_defaults(func=cmd_export)
    return e
