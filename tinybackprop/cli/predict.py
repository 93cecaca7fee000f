"""``tinybackprop predict``: run a saved network on new inputs (``--x`` rows or a CSV file).

>>> from tinybackprop.cli import NullWriter, main
>>> main(["predict", "--model", "no-such-model.json", "--x", "1,2"], err=NullWriter())
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
    regression = net.output == "identity" or extra.get("kind") == "regression"
    names = None if regression else (classes or ["class %d" % k for k in range(max(2, net.sizes[-1]))])
    labels = [None if regression else names[predicted_class(yhat)] for yhat in Yhat]
    probs = [None if regression else probabilities(yhat, names) for yhat in Yhat]
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
        preds = []
        for k, row in enumerate(rows):
            p = {"input": row, "standardized_input": X[k] if X is not rows else None, "output": Yhat[k]}
            if regression:
                p["value"] = values[k] if values is not None else (Yhat[k][0] if len(Yhat[k]) == 1 else None)
            else:
                p["class"] = labels[k]
                p["probabilities"] = dict(probs[k])
            preds.append(p)
        d = {"model": args.model, "class_names": names, "predictions": preds}
        if regression:
            d["target"] = extra.get("target")
            d["value_units"] = "the target's" if values is not None else "the network's output"
        out.write(dump_json(d))
        return 0
    for k, (row, yhat) in enumerate(zip(rows, Yhat)):
        if not regression:
            answer = "%s  (%s)" % (labels[k], ", ".join("%s %.3f" % (n, p) for n, p in probs[k]))
        elif values is not None:
            answer = ("%.6g" if args.csv is not None else "%s = %%.6g" % (extra.get("target") or "prediction")) \
                % values[k]
        else:
            answer = "yhat = [%s]" % ", ".join("%.6g" % v for v in yhat)
        if args.csv is not None:  # one line per row, the answer first
            out.write(answer + "\n")
            continue
        shown = ", ".join("%g" % v for v in row)
        if len(row) > 8:
            shown = ", ".join("%g" % v for v in row[:8]) + ", ... (%d values)" % len(row)
        out.write("x = [%s]  ->  %s\n" % (shown, answer))
    return 0


def probabilities(yhat, names):
    """[(class name, probability)] of one output row: a softmax's outputs; for one sigmoid
    output, 1 - yhat and yhat (its two classes); several sigmoid outputs, each its own.

    >>> probabilities([0.75], ["no", "yes"])
    [('no', 0.25), ('yes', 0.75)]
    """
    if len(yhat) == 1:
        return [(names[0], 1.0 - yhat[0]), (names[1], yhat[0])]
    return list(zip(names, yhat))



def add_predict_parser(sub):
    """Add the command's subparser to ``sub``."""
    r = sub.add_parser("predict", formatter_class=Formatter,
                       help="run a saved network on new inputs",
                       description="Load a network saved by 'train --save' (--model) and print, for each input, "
                                   "the class it predicts and the probability of every class by name (or, for "
                                   "regression, the value in the target's units). "
                                   "Inputs are raw values (measurements, pixels 0-16, a CSV file's feature "
                                   "columns in the header's order); they are standardised with the statistics "
                                   "saved with the model (unless --raw).",
                       epilog="examples:\n  tinybackprop train --save model.json\n"
                              "  tinybackprop predict --model model.json --x 5.1,3.5,1.4,0.2 --x 6.9,3.1,5.4,2.1\n"
                              "  tinybackprop train --data flowers.csv --save flowers.json\n"
                              "  tinybackprop predict --model flowers.json --csv new-flowers.csv   # a line a row")
    r.add_argument("--model", required=True, metavar="MODEL.json",
                   help="a model file written by 'tinybackprop train --save'")
    r.add_argument("--x", type=row_arg, action="append",
                   help="one example's inputs, comma-separated; repeat for more examples")
    r.add_argument("--csv", metavar="FILE.csv",
                   help="predict every row of a CSV file and print one line per row (the class first); with a "
                        "header row "
                        "the model's input columns are taken by name, without one each row holds the inputs in "
                        "order")
    r.add_argument("--raw", action="store_true", help="do not standardise the inputs")
    r.add_argument("--json", action="store_true",
                   help="print one JSON object: class_names, and per input its predictions: input, "
                        "standardized_input, output, class and probabilities (regression: value)")
    r.set_defaults(func=cmd_predict)
    return r
