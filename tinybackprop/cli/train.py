"""``tinybackprop train``: train a network on Iris, XOR, the digits, points in the plane or a CSV file, and report.

Three sets, as the field names them: the data are split into test rows (``--test-fraction``,
stratified and seeded) and the rest, and ``--val-fraction`` of the rest (stratified and
seeded too) become validation rows; the network trains on what is left.  Everything that
chooses (early stopping, the epoch it keeps) looks at the validation rows only; the test rows
are measured once, after training.  Before and after training the run is checked for what
goes wrong (:mod:`tinybackprop.show.diagnose`): each finding is one line ``tinybackprop:
warning: ...`` on stderr and an entry of ``"warnings"`` in ``--json``; ``--strict`` makes
them exit status 1.  ``--model`` resumes a saved model where it stopped.

>>> from tinybackprop.cli import NullWriter, main
>>> main(["train", "--data", "xor", "--layers", "2,4,1", "--epochs", "2", "--quiet", "--json"], out=NullWriter())
0
"""
import argparse
import time

from ..show import boundary, diagnose, svg

from .. import files
from .. import datasets as ds
from .. import init as inits
from ..datasets import planar
from ..datasets.features import FEATURES, LABELS, check_features
from .._compat import isfinite
from ..errors import BackpropError
from ..progress import Progress
from ..training import evaluate, train
from . import metrics, optim
from .common import (BUILTIN_DATA, CSV_EXAMPLES, DATA_DEFAULTS, DEFAULTS, LIMITS, PROG, QUIET_HELP, Formatter, add_force_option,
                     add_network_options, build_network, check_overwrite, describe_network, check_svg_target, data_arg, dump_json,
                     fraction_arg, int_upto, limit_weights, positive_float, val_fraction_arg)
from .draw import digits_sheet
from .model_data import (check_model_data, data_section, load_model, optimizer_state, restore_optimizer_state)

#: Training has diverged when its loss is not finite or is this many times the
#: loss before training (or 0.01, if that was smaller).
DIVERGED_FACTOR = 1000.0
#: Every data set of points in the plane: the classification sets and the regression ones (bump).
PLANE = planar.DATASETS + planar.REGRESSION
#: The options whose default ``train`` fills in itself (a resumed model brings its own):
#: the value a new run takes when the option is not given.
NEW_RUN = {"hidden": "sigmoid", "init": inits.DEFAULT, "init_scale": 1.0, "data": "iris", "path": "vectorized",
           "optimizer": "sgd"}


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
    """The training callback: stops training that diverges."""

    def __init__(self, start_loss, lr, weight_decay=None, init_scale=1.0):
        self.lr, self.weight_decay, self.init_scale = lr, weight_decay, init_scale
        self.limit = DIVERGED_FACTOR * max(start_loss, 0.01) if isfinite(start_loss) else float("inf")
        self.start_loss = start_loss

    def __call__(self, epoch, h):
        loss = h.loss[-1]
        if not isfinite(loss) or loss > self.limit:
            raise Diverged("training diverged: after epoch %d the training loss is %s (it was %.4g before "
                           "training); %s"
                           % (epoch, "%.4g" % loss, self.start_loss, _lower_lr(self.lr, self.weight_decay,
                                                                                  self.init_scale)))
        return None


def _plural(n, word):
    """``1 epoch``, ``2 epochs``.

    >>> _plural(1, "epoch"), _plural(3, "example")
    ('1 epoch', '3 examples')
    """
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


def _given(args, name):
    return getattr(args, name, None) is not None


def _resume(args, net, extra):
    """``--model``: check the options against the saved model and fill in what it was
    trained with.  Returns (initial_epoch, the saved optimizer state or None, the name of the
    optimizer it was saved with or None)."""
    where = "--model %s" % args.model
    fixed = describe_network(net)
    for flag, name in (("--layers", "layers"), ("--hidden", "hidden"), ("--output", "output"), ("--loss", "loss"),
                       ("--init", "init"), ("--init-scale", "init_scale")):
        if _given(args, name):
            raise BackpropError("%s: the network is the one in %s, %s; leave %s out to resume it"
                                % (flag, where, fixed, flag))
    dataset = extra.get("dataset")
    if args.data is None:
        if dataset == "csv":
            raise BackpropError("%s was trained on a CSV file: give it again with --data PATH.csv" % where)
        args.data = dataset if dataset in BUILTIN_DATA else NEW_RUN["data"]
    elif dataset is not None and (args.data if args.data in BUILTIN_DATA else "csv") != dataset:
        raise BackpropError("--data %s: %s was trained on %s; resuming trains on the same data"
                            % (args.data, where, "a CSV file" if dataset == "csv" else dataset))
    classes = extra.get("classes") or []
    if args.data == "iris" and net.sizes[-1] == 1 and len(classes) == 2 and classes[1] in ds.IRIS_CLASSES:
        if args.positive is not None and args.positive != classes[1]:
            raise BackpropError("--positive %s: %s tells %s from the rest; resuming keeps it"
                                % (args.positive, where, classes[1]))
        args.positive = classes[1]
    points = extra.get("points") if isinstance(extra.get("points"), dict) else {}
    for flag, name in (("--samples", "samples"), ("--noise", "noise")):
        saved = points.get(name)
        if saved is not None:
            if _given(args, name) and getattr(args, name) != saved:
                raise BackpropError("%s %s: %s was trained on %s points made with %s %s; resuming makes the same "
                                    "points" % (flag, getattr(args, name), where, args.data, flag, saved))
            setattr(args, name, saved)
    split = extra.get("split") or {}
    for flag, name in (("--seed", "seed"), ("--test-fraction", "test_fraction"), ("--val-fraction", "val_fraction")):
        saved = split.get(name, 0.0 if name == "val_fraction" else None)
        if name in split or (name == "val_fraction" and split):
            if _given(args, name) and getattr(args, name) != saved:
                raise BackpropError("%s %s: %s was trained with %s %s, which chose its test and validation rows; "
                                    "resuming keeps the same rows, so that none it trained on becomes a test row"
                                    % (flag, getattr(args, name), where, flag, saved))
            setattr(args, name, saved)
    rec = extra.get("training") if isinstance(extra.get("training"), dict) else {}
    if args.seed is None and isinstance(rec.get("seed"), int):
        args.seed = rec["seed"]
    saved_opt = rec.get("optimizer") if isinstance(rec.get("optimizer"), dict) else {}
    name = saved_opt.get("optimizer")
    same = args.optimizer is None or args.optimizer == name
    if args.optimizer is None and name in optim.OPTIMIZERS:
        args.optimizer = name
    if same and name in optim.OPTIMIZERS:
        for key in ("momentum", "eps", "weight_decay"):
            if getattr(args, key) is None and isinstance(saved_opt.get(key), (int, float)):
                setattr(args, key, saved_opt[key])
        betas = saved_opt.get("betas")
        if isinstance(betas, list) and len(betas) == 2:
            args.beta1 = betas[0] if args.beta1 is None else args.beta1
            args.beta2 = betas[1] if args.beta2 is None else args.beta2
    for key in ("lr", "batch_size"):
        if getattr(args, key) is None and isinstance(rec.get(key), (int, float)) and not isinstance(rec[key], bool):
            setattr(args, key, rec[key])
    if args.path is None and rec.get("path") in ("vectorized", "per_neuron", "graph"):
        args.path = rec["path"]
    if args.schedule is None and isinstance(rec.get("schedule"), dict):
        args.saved_schedule = rec["schedule"]
    initial = rec.get("epochs", 0)
    if not isinstance(initial, int) or isinstance(initial, bool) or initial < 0:
        initial = 0
    return initial, extra.get("optimizer_state"), name


def _split_validation(args, task):
    """The validation rows, from the training rows, after the test split (which stays as it was)."""
    if args.val_fraction == 0:
        return task
    if args.data == "xor":
        raise BackpropError("--val-fraction %g: XOR has only its 4 rows, all of them trained on (and tested on); "
                            "use --val-fraction 0" % args.val_fraction)
    try:
        return ds.split_validation(task, args.val_fraction, seed=args.seed)
    except BackpropError as e:
        raise BackpropError("--val-fraction %g: %s" % (args.val_fraction, str(e).split(": ", 1)[-1]))


def _warn(err, findings):
    for f in findings:
        err.write("%s: warning: %s: %s\n" % (PROG, f.check, f.message))
    if findings:
        err.flush()


def _check_data_flags(args):
    """The options that belong to one kind of data, against --data (None: not known yet)."""
    for flag, value in (("--target", args.target), ("--task", args.task)):
        if value is not None and args.data in BUILTIN_DATA:
            raise BackpropError("%s is for your own CSV file (--data PATH.csv), not --data %s" % (flag, args.data))
    if args.draw is not None and args.data not in (None, "digits"):
        raise BackpropError("--draw draws the digits: use it with --data digits")
    for flag, value in (("--noise", args.noise), ("--samples", args.samples), ("--features", args.features)):
        if value is not None and args.data is not None and args.data not in PLANE:
            raise BackpropError("%s is for the 2-D data sets (--data %s), not --data %s"
                                % (flag, "|".join(PLANE), args.data))


def cmd_train(args, out, err):
    if args.model is None and args.data is None:
        args.data = NEW_RUN["data"]
    _check_data_flags(args)
    # every file name is checked before training, not after it
    outputs = [("--save", args.save), ("--plot", args.plot), ("--draw", args.draw)]
    if args.save is not None:
        files.check_target(args.save, "--save")
    for flag, path in (("--plot", args.plot), ("--draw", args.draw)):
        if path is not None:
            check_svg_target(path, flag)
    # no output may replace an input (the data file, the shipped data, the model resumed) or another output
    shipped = {"iris": "iris.csv", "digits": "digits.csv.gz"}
    data_file = ds.data_path(shipped[args.data]) if args.data in shipped else (
        None if args.data is None or args.data in BUILTIN_DATA else args.data)
    files.check_outputs(outputs, [("--data", data_file), ("--model", args.model)])
    check_overwrite(outputs, args.force)
    initial, saved_state, saved_name, extra = 0, None, None, {}
    if args.model is not None:
        net, extra = load_model(args.model)
        initial, saved_state, saved_name = _resume(args, net, extra)
        _check_data_flags(args)
    args.epochs_given = args.epochs
    optim.apply_defaults(args)  # the optimizer's own defaults first (adam: --lr 0.01, ...)
    for key, value in dict(dict(DEFAULTS, **NEW_RUN), **DATA_DEFAULTS.get(args.data, {})).items():
        if getattr(args, key, "absent") is None:
            setattr(args, key, value)
    if args.patience is not None and args.val_fraction == 0:
        raise BackpropError("--patience chooses the epoch on the validation rows, and --val-fraction 0 leaves none: "
                            "give --val-fraction (e.g. 0.2)" if args.data != "xor" else
                            "--patience chooses the epoch on validation rows, and XOR has none (its 4 rows are "
                            "all trained on)")
    classic = args.data in ("iris", "xor")  # the network is built first, the layers say which task
    if args.model is not None:
        sizes = net.sizes
        args.output = net.output
        if classic:
            task = _task(args, sizes)
        else:
            args.layers = sizes
            task, _sizes, _output = _data_task(args)
            if (task.features and extra.get("features") and task.features != extra["features"]) or \
                    (extra.get("target") is not None and task.target != extra["target"]):
                raise BackpropError("--data %s: its columns are not the ones --model %s was trained on (inputs %s; "
                                    "target %s)" % (args.data, args.model, ", ".join(extra.get("features", [])[:6]),
                                                    extra.get("target")))
    elif classic:
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
    task = _split_validation(args, task)
    optimizer, schedule = optim.build_optimizer(args, initial)
    state_note = None
    if optimizer is None:
        state_note = "the plain step has no state to resume" if args.model is not None else None
    elif args.model is not None:
        if saved_state is not None and saved_name == optimizer.name:
            restore_optimizer_state(optimizer, saved_state)
            optimizer.check_state(net, "--model %s" % args.model)
            state_note = "its %s state restored (%s taken)" % (optimizer.name, _plural(optimizer.steps, "step"))
        else:
            state_note = ("no %s state was saved with it" % optimizer.name if saved_state is None else
                          "it was saved with %s's state, not %s's" % (saved_name, optimizer.name))
            state_note += ": %s starts with fresh buffers" % optimizer.name
            err.write("%s: note: --model %s: %s\n" % (PROG, args.model, state_note))
    # before the first step: the loss against chance, the gradients layer by layer
    try:
        start = diagnose.Snapshot(net, task.X_train, task.Y_train, args.lr, resumed=args.model is not None)
    except BackpropError as e:  # the outputs or the loss are not finite numbers before any step
        raise BackpropError("training cannot start: %s; start the weights smaller (--init-scale)"
                            % str(e).split(": ", 1)[-1])
    findings = diagnose.findings_before(net, start, cli=True, init_scale=args.init_scale)
    tty = bool(getattr(err, "isatty", None) and err.isatty())
    if tty:  # on a terminal at once: a long run tells its user before it starts
        _warn(err, findings)
    show = not args.quiet and (args.progress or (tty and not args.json))
    progress = Progress(1, stream=err, clock=time.perf_counter) if show else None
    watch = DivergenceWatch(start.loss, args.lr, args.weight_decay, args.init_scale)
    t0 = time.perf_counter()
    try:
        h = train(net, task.X_train, task.Y_train, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                  path=args.path, seed=args.seed, callback=watch, X_val=task.X_val, Y_val=task.Y_val,
                  X_test=task.X_test, Y_test=task.Y_test, optimizer=optimizer, schedule=schedule,
                  patience=args.patience, evaluate_train=True,  # one training loss everywhere: after each epoch
                  verbose=progress or 0, initial_epoch=initial)
    except Diverged:
        raise
    except BackpropError as e:
        if str(e).startswith("train: epoch"):  # a step made a weight infinite or NaN
            what = str(e)[len("train: "):].split("; the learning rate ")[0]  # the cause is said below
            raise Diverged("training diverged: %s; %s" % (what, _lower_lr(args.lr, args.weight_decay, args.init_scale)))
        raise
    seconds = time.perf_counter() - t0
    after = diagnose.findings_after(net, task.X_train, task.Y_train, h, start, task.classes, cli=True, lr=args.lr)
    if not tty:  # elsewhere once training has succeeded: a run that fails ends in its one error line
        _warn(err, findings)
    _warn(err, after)
    findings += after
    parts = [("train", task.X_train, task.Y_train), ("val", task.X_val, task.Y_val), ("test", task.X_test, task.Y_test)]
    result = {
        "task": task.description, "layers": net.sizes, "hidden": net.hidden, "output": net.output,
        "loss": net.loss, "path": args.path, "epochs": h.epochs, "initial_epoch": initial, "lr": args.lr,
        "batch_size": args.batch_size, "seed": args.seed,
        "test_fraction": args.test_fraction if args.data != "xor" else None, "val_fraction": args.val_fraction,
        "train_examples": len(task.X_train), "val_examples": len(task.X_val or []),
        "test_examples": len(task.X_test),
        "seconds": round(seconds, 4), "history": h.to_dict(), "saved": None, "plot": None,
        "training": optim.record(args, optimizer, schedule, h),
        "init": net.init, "init_scale": net.init_scale,
        "warnings": [f.to_dict() for f in findings], "diagnostics": start.to_dict(),
    }
    # the network training ends with (early stopping: the kept epoch's) on each set; the test
    # rows measured once, by train() (history.test_loss), here under the same names
    for name, X, Y in parts:
        loss, acc = evaluate(net, X, Y) if X else (None, None)
        result[name + "_loss"], result[name + "_accuracy"] = loss, acc
    if args.model is not None:
        result["resumed"] = {"model": args.model, "initial_epoch": initial, "optimizer_state": state_note}
    confusion = None
    if task.kind == "regression":
        # in the target's units: predictions and targets un-standardised with the training statistics
        ts = task.target_standardizer  # None: the target as it is (the bump's height)
        for part, X, Y in parts:
            if not X:
                result[part + "_rmse"] = result[part + "_r2"] = None
                continue
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
        for part, _X, _Y in parts:
            del result[part + "_accuracy"]
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
        data = data_section(task, args.seed, args.test_fraction, args.val_fraction)
        data["training"] = result["training"]
        if getattr(task, "planar", None) is not None:
            data["points"] = task.planar  # draw --boundary makes the same points again
            data["split"] = {"seed": args.seed, "test_fraction": args.test_fraction,
                             "val_fraction": args.val_fraction}
        if optimizer is not None:
            data["optimizer_state"] = optimizer_state(optimizer)  # train --model resumes it
        check_model_data(data, net, "--save")  # what predict will demand
        writes.append((args.save, net.file_text(args.save, data, "--save"), "--save"))
        result["saved"] = args.save
    if args.plot is not None:
        title = "%s %s on %s" % ("-".join(map(str, net.sizes)), net.hidden, task.description)
        if net.sizes[0] == 2 and task.kind == "classification":  # points in the plane: the regions beside it
            picture = boundary.with_loss(h, net, task.X_train, task.Y_train, task.classes,
                                         title="Decision regions, %s" % task.name)
        else:
            picture = svg.loss_curve(h.train_loss, h.val_loss, title=title, ylabel="mean loss after each epoch",
                                     test=h.test_loss, first_epoch=initial + 1,
                                     test_label="test, once" if task.name != "xor" else "test (= train), once")
        writes.append((args.plot, picture, "--plot"))
        result["plot"] = args.plot
    if args.draw is not None:
        writes.append((args.draw, digits_sheet(net, task, "both"), "--draw"))
        result["drawing"] = args.draw
    report = dump_json(result) if args.json else _report(args, net, task, h, result, confusion, seconds)
    check_overwrite(outputs, args.force)  # again: a file made while it trained is not replaced either
    files.write_all(writes)
    if args.json or not args.quiet:
        out.write(report)
    return 1 if (args.strict and findings) else 0


def _report(args, net, task, h, result, confusion, seconds):
    """What ``train`` prints (without --json)."""
    lines = []
    w = lines.append
    w("trained the network %s on %s\n" % (describe_network(net), task.description))
    epochs = _plural(h.epochs, "epoch")
    if h.initial_epoch:
        epochs += " (%d to %d, resumed from %s)" % (h.initial_epoch + 1, h.initial_epoch + h.epochs, args.model)
    w("%s, lr %g, batch size %d, path %s, seed %d: %.2f s\n"
      % (epochs, args.lr, args.batch_size, args.path, args.seed, seconds))
    if result.get("resumed") and result["resumed"]["optimizer_state"]:
        w("optimizer: %s\n" % result["resumed"]["optimizer_state"])
    if optim.describe(result["training"]):
        w(optim.describe(result["training"]) + "\n")
    xor = task.name == "xor"
    rows = [("train", "train", task.X_train, ""), ("validation", "val", task.X_val, ""),
            ("test", "test", task.X_test, ", the training ones: XOR has no others" if xor else
             ", measured once, after training")]
    for label, name, X, extra in rows:
        if not X:
            continue
        scores = "  accuracy %.3f" % result[name + "_accuracy"] if result.get(name + "_accuracy") is not None else ""
        if task.kind == "regression":
            r2 = result[name + "_r2"]
            scores = "  RMSE %.4g  R^2 %s" % (result[name + "_rmse"], "undefined" if r2 is None else "%.4f" % r2)
        w("%-10s  loss %.4f" % (label, result[name + "_loss"]) + scores + "  (%s%s)\n"
          % (_plural(len(X), "example"), extra))
    if task.kind == "regression" and task.target_standardizer is None:
        w("(RMSE and the loss in the units of %r: the target is not standardised)\n" % task.target)
    elif task.kind == "regression":
        w("(RMSE in the units of %r; the loss is on the standardised target)\n" % task.target)
    if confusion is not None:
        w("\nconfusion matrix of the %d test examples (a row per true class, a column per prediction):\n"
          % len(task.X_test))
        w(metrics.format_confusion(confusion, task.classes) + "\n")
    if args.save is not None:
        w("saved the network to %s (tinybackprop predict --model %s --x ...; resume it: tinybackprop train "
          "--model %s)\n" % (args.save, args.save, args.save))
    if args.plot is not None:
        w("wrote the loss curves%s to %s\n" % (" and the decision regions" if net.sizes[0] == 2 and
                                               task.kind == "classification" else "", args.plot))
    if args.draw is not None:
        w("drew the misclassified test digits and the first layer's weights in %s\n" % args.draw)
    return "".join(lines)


def defaults_table():
    """The epilog's table: each data set's defaults, from DEFAULTS and DATA_DEFAULTS."""
    rows = [("data", "layers", "output", "epochs", "lr", "batch", "val-fraction")]
    for name in ["iris", "xor", "digits"] + list(PLANE) + ["PATH.csv"]:
        d = dict(DEFAULTS, **DATA_DEFAULTS.get(name, {}))
        if name in planar.REGRESSION:
            layers, output = "2,16,16,1", "identity"
        elif name in planar.DATASETS:
            k = planar.CLASSES[name]
            layers, output = "2,16,16,%d" % (1 if k == 2 else k), "sigmoid" if k == 2 else "softmax"
        else:
            layers, output = {"iris": ("4,3,2,1", "sigmoid"), "xor": ("2,4,1", "sigmoid"),
                              "digits": ("64,32,10", "softmax"),
                              "PATH.csv": ("n_in,16,n_out", "by target")}[name]
        epochs = ("<=%d" if name == "PATH.csv" else "%d") % d["epochs"]
        rows.append((name, layers, output, epochs, "%g" % d["lr"], "%d" % d["batch_size"], "%g" % d["val_fraction"]))
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    return "".join("  " + "  ".join(v.ljust(wd) for v, wd in zip(r, widths)).rstrip() + "\n" for r in rows)


TRAIN_EPILOG = """examples:
  tinybackprop train                  # the 4-3-2-1 network: virginica or not
  tinybackprop train --layers 4,8,3 --hidden tanh --output softmax \\
      --loss cross_entropy            # all 3 species
  tinybackprop train --path per_neuron --plot loss.svg --save model.json
  tinybackprop train --model model.json --epochs 50 --save more.json
                                      # resume: 50 more epochs
  tinybackprop train --data xor --layers 2,4,1 --hidden tanh --epochs 300
  tinybackprop train --json --strict  # JSON results; exit 1 on a warning
  tinybackprop train --data digits --save digits.json --draw digits.svg
  tinybackprop train --data digits --optimizer adam --patience 5
  tinybackprop train --data flowers.csv --target species
  tinybackprop train --data spiral --hidden tanh --plot spiral.svg
                                      # 2-D points: the regions are drawn too
  tinybackprop train --data circles --features x1sq,x2sq --layers 2,1
                                      # a circle is a line in x1^2 and x2^2
  tinybackprop train --data bump --layers 2,8,8,1 --hidden tanh
                                      # regression: a smooth bump's height

defaults by data set (an option given replaces its default; hidden sigmoid everywhere):
%s

The library's train() has no data set to tune for: it starts from lr 0.1 and takes
validation rows only when given them (X_val); its other defaults (100 epochs, batch size
16, seed 0) are these. Each optimizer has its own default lr (see --optimizer).

three sets: --test-fraction of the rows (stratified by class, seeded) are test rows,
measured once, after training; --val-fraction of the rest (stratified, seeded) are
validation rows, measured after every epoch; early stopping chooses on them only; the
network trains on what is left. Inputs are standardised with the statistics of the rows
that are not test rows.

what goes wrong is said: the loss before training far from its chance value (ln C for a
softmax, ln 2 per sigmoid output), a loss that barely falls or that rises, a validation
loss that rises (overfitting), every row predicted as one class, dead relu units, and
gradients that vanish or explode on the way back; one line each on stderr (tinybackprop:
warning: ...) and in --json's "warnings". --strict makes any of them exit status 1.

progress: on a terminal, one line updated in place (epoch, train and validation loss,
time so far, time to go), then a summary line; elsewhere only the results, unless
--progress. An output file that exists is never replaced without --force.

your own CSV file (--data PATH.csv): a header row naming the columns, then one row per
example, comma-separated: a regular file of at most %d MiB, %d columns and %d fields
(the header is checked against --layers before a row is read). Every column but the
target (--target NAME, default: the last one) must be numeric. A target of text labels,
or of at most %d distinct whole numbers, is a classification (2 classes: one sigmoid
output and bce; more: softmax and cross_entropy); any other numeric target, or --task
regression, is a regression (identity output, squared_error, the target standardised
with the training rows' statistics; RMSE and R^2 reported in the target's units).
"""


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
    t = sub.add_parser("train", formatter_class=Formatter,
                       epilog=TRAIN_EPILOG % (defaults_table().rstrip("\n"), ds.CSV_MAX_BYTES // (1024 * 1024),
                                              ds.CSV_MAX_COLUMNS, ds.CSV_MAX_VALUES, ds.CSV_MAX_AUTO_CLASSES),
                       help="train a network on shipped data (Iris, XOR, handwritten digits, points in the plane) "
                            "or your CSV file",
                       description="Train a network by mini-batch gradient descent on Iris (default), XOR, the "
                                   "handwritten digits, points in the plane or your own CSV file, and report the "
                                   "loss and accuracy of the training, validation and test rows (for the digits, "
                                   "the plane and CSV files also the confusion matrix of the test rows), with a "
                                   "warning for each sign that training went wrong. --model resumes a saved "
                                   "model.")
    add_network_options(t, layers_default=None,
                        layers_help="layer widths n_0,...,n_L (default: by data set, below); for Iris end with 1 "
                                    "(one species against the rest) or 3 (all species)",
                        output_default=None,
                        output_help="activation phi_o of the output layer (default: by data set, below)",
                        seed_help="seeds everything random: the initial weights, the test and validation rows, "
                                  "the batch order (default: 0)")
    t.set_defaults(hidden=None, init=None, init_scale=None, seed=None)  # filled in by cmd_train (--model: saved)
    for action in t.arguments:
        if action.dest in ("hidden", "init", "init_scale"):
            action.help += " (default: %s)" % NEW_RUN[action.dest]
    t.add_argument("--data", type=data_arg, default=None, metavar="{%s,PATH.csv}" % ",".join(BUILTIN_DATA),
                   help="data set (default: iris; with --model, the one it was trained on): shipped (iris, xor, "
                        "digits: 1797 handwritten 8x8 digits, UCI optdigits, CC BY 4.0), points in the plane made "
                        "from --seed (moons, circles: 2 classes; spiral, blobs: 3; bump: a height to predict, "
                        "regression), or your own CSV file")
    t.add_argument("--noise", type=noise_arg, metavar="SD",
                   help="2-D data: the standard deviation of the jitter of each coordinate (default: %s)"
                   % ", ".join("%s %g" % (n, planar.NOISE[n]) for n in planar.DATASETS))
    t.add_argument("--features", type=features_arg, metavar="LIST",
                   help="2-D data: the inputs the network is given, computed from each point (x1, x2): any of "
                        "%s, i.e. %s (default x1,x2); --layers starts with their number"
                   % (",".join(FEATURES), ", ".join(LABELS[f] for f in FEATURES)))
    t.add_argument("--samples", type=int_upto(planar.MAX_SAMPLES), metavar="N",
                   help="2-D data: how many points (default %d)" % planar.SAMPLES)
    t.add_argument("--target", metavar="NAME", help="CSV file: the column to predict (default: the last one)")
    t.add_argument("--task", choices=["classification", "regression"],
                   help="CSV file: what the target is (default: from its values, see below)")
    t.add_argument("--positive", choices=ds.IRIS_CLASSES, default=None,
                   help="Iris: the species that is class 1 when the network has one output (default: virginica)")
    t.add_argument("--test-fraction", type=fraction_arg, default=None, metavar="R",
                   help="share of the rows held out as test rows, measured once after training, between 0 and 1 "
                        "(default: %g)" % DEFAULTS["test_fraction"])
    t.add_argument("--val-fraction", type=val_fraction_arg, default=None, metavar="R",
                   help="share of the rows left after the test split held out as validation rows, from 0 (none) "
                        "up to 1 (default: %g; XOR 0)" % DEFAULTS["val_fraction"])
    t.add_argument("--epochs", type=int_upto(LIMITS["epochs"]),
                   help="passes over the training rows (with --model: more of them), at most %d (default: by "
                        "data set, below)" % LIMITS["epochs"])
    t.add_argument("--lr", type=positive_float,
                   help="learning rate alpha (default: by data set, below; --model: the saved one); training "
                        "that diverges stops with an error")
    t.add_argument("--batch-size", type=int_upto(LIMITS["batch_size"]),
                   help="examples per gradient step, at most %d (default: %d)"
                   % (LIMITS["batch_size"], DEFAULTS["batch_size"]))
    optim.add_options(t)
    t.add_argument("--path", choices=["vectorized", "per_neuron", "graph"], default=None,
                   help="which backward pass computes the gradients (all give the same numbers; graph, a "
                        "graph of scalar Values, is tens of times slower and refuses large networks; default: "
                        "vectorized)")
    t.add_argument("--model", metavar="MODEL.json",
                   help="resume this saved model (from --save): the same network, data, test and validation rows "
                        "and settings, its optimizer state if saved with one, the epochs counted on")
    t.add_argument("--save", metavar="MODEL.json", help="save the trained network (and how to prepare inputs, "
                   "how it was trained, the optimizer's state)")
    t.add_argument("--plot", metavar="LOSS.svg", help="write the train and validation loss per epoch, and the "
                   "test loss as a final mark, as an SVG chart (2-D data: with the decision regions beside it)")
    t.add_argument("--draw", metavar="DIGITS.svg",
                   help="digits: draw the misclassified test digits and the first layer's weights as 8x8 images")
    add_force_option(t, "a --save, --plot or --draw file")
    t.add_argument("--json", action="store_true",
                   help="print one JSON object (train_loss, val_loss, test_loss, test_accuracy, warnings, "
                        "history, ...)")
    t.add_argument("--quiet", action="store_true", help=QUIET_HELP)
    t.add_argument("--progress", action="store_true",
                   help="show progress also when stderr is not a terminal (a line at most every second)")
    t.add_argument("--strict", action="store_true",
                   help="treat every warning as an error: exit status 1 (the results are still written)")
    t.set_defaults(func=cmd_train)
    return t
