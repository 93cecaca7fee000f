"""``tinybackprop predict``: run a saved network on new inputs (``--x`` rows or a CSV file).

>>> from tinybackprop.cli import NullWriter, main
>>> main(["predict", "no-such-model.json", "--x", "1,2"], err=NullWriter())
2
"""
from .. import datasets as ds
from ..errors import BackpropError
from ..training import predicted_class
from .common import LIMITS, PROG, Formatter, UsageError, dump_json, row_arg
from .model_data import load_model

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
    where = "--x number %d" if args.csv is None else "--csv row %d"
    std = extra.get("standardize")
    X = rows
    if std and not args.raw:
        s = ds.Standardizer([float(v) for v in std["mean"]], [float(v) for v in std["std"]])
        X = []
        for r, row in enumerate(rows):
            try:
                X.extend(s.transform([row]))
            except BackpropError:
                raise BackpropError((where + " is too large to standardise (a number came out infinite)") % (r + 1))
    try:
        Yhat = net.predict(X)
    except BackpropError:
        for r, row in enumerate(X):  # which row: the first whose output is not finite
            try:
                net.predict([row])
            except BackpropError:
                raise BackpropError(("the model's output for " + where + " is not a finite number: its weights or "
                                     "this input are too large to compute with") % (r + 1))
        raise
    classes = extra.get("classes")
    labels = []
    for yhat in Yhat:
        if not classes or net.output == "identity":
            labels.append(None)
        else:
            labels.append(classes[predicted_class(yhat)])
    values = None
    if extra.get("target_standardize") and not args.raw:
        ts = ds.Standardizer.from_dict(extra["target_standardize"])
        values = []
        for r, yhat in enumerate(Yhat):
            try:
                values.append(ts.inverse([yhat])[0][0])
            except BackpropError:
                raise BackpropError(("the prediction for " + where + " in the units of %r is not a finite number "
                                     "(the model's target statistics are too large to compute with)")
                                    % (r + 1, extra.get("target") or "the target"))
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



def add_predict_parser(sub):
    """Add the command's subparser to ``sub``."""
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
    return r
