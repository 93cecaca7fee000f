"""``tinybackprop train``'s optimizer flags: --optimizer, its hyper-parameters, --schedule, --patience.

The flags build a :mod:`tinybackprop.optimizers` object (``--optimizer sgd``
without ``--weight-decay`` is ``train``'s own plain step, as before the flags
existed), a learning-rate schedule and early stopping on the validation rows; the
run's ``--json`` and a saved model record them (:func:`record`).  Each
optimizer has its own default learning rate (and on the digits, epochs and
batch size) where the plain step's would not suit it: ``OPTIMIZER_DEFAULTS``.

>>> from tinybackprop.cli import NullWriter, main
>>> main(["train", "--data", "xor", "--layers", "2,4,1", "--epochs", "3", "--optimizer", "adam", "--quiet"],
...      out=NullWriter())
0
"""
import argparse

from ..errors import BackpropError
from ..optimizers import OPTIMIZERS, CosineAnnealingLR, StepLR, make

#: optimizer -> data set ("*": any) -> the defaults it sets when its flag is not given
OPTIMIZER_DEFAULTS = {
    "momentum": {"*": {"lr": 0.05}, "digits": {"lr": 0.2}},
    "nesterov": {"*": {"lr": 0.05}, "digits": {"lr": 0.2}},
    "rmsprop": {"*": {"lr": 0.01}, "digits": {"lr": 0.002}},
    "adam": {"*": {"lr": 0.01}, "digits": {"lr": 0.02, "epochs": 30, "batch_size": 64}},
    "adamw": {"*": {"lr": 0.01}, "digits": {"lr": 0.02, "epochs": 30, "batch_size": 64}},
}
SCHEDULES = ("step", "cosine")
MOMENTUM = 0.9


def number_arg(low, high=None, above=False):
    """An argparse type: a finite number >= low (> low with ``above``; and < high when given)."""
    def parse(text):
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError("%r is not a number" % text)
        if not ((v > low if above else v >= low) and v != float("inf")) or (high is not None and not v < high):
            raise argparse.ArgumentTypeError("must be a number %s, got %s" % (
                "%s %g" % (">" if above else ">=", low) if high is None
                else "in %s%g, %g)" % ("(" if above else "[", low, high), text))
        return v
    parse.__name__ = "number"
    return parse


def add_options(t):
    """The flags, on the train subparser ``t``."""
    t.add_argument("--optimizer", choices=list(OPTIMIZERS), default=None,
                   help="the update rule (tinybackprop.optimizers; the Optimizers page; default: sgd, or with "
                        "--model the saved one): sgd is the plain step; "
                        "momentum and nesterov (default --lr 0.05; digits 0.2), rmsprop (0.01; digits 0.002), "
                        "adam and adamw (0.01; digits: --lr 0.02, 30 epochs, --batch-size 64). The library's "
                        "optimizers take PyTorch's defaults (Adam: lr 0.001)")
    t.add_argument("--momentum", type=number_arg(0.0, 1.0),
                   help="momentum and nesterov: mu, from 0 up to (not including) 1 (default %g)" % MOMENTUM)
    t.add_argument("--beta1", type=number_arg(0.0, 1.0), help="adam and adamw: beta1 (default 0.9)")
    t.add_argument("--beta2", type=number_arg(0.0, 1.0), help="adam and adamw: beta2 (default 0.999)")
    t.add_argument("--eps", type=number_arg(0.0, above=True), help="rmsprop, adam and adamw: epsilon > 0 (default 1e-8)")
    t.add_argument("--weight-decay", type=number_arg(0.0),
                   help="weight decay lambda: L2 (added to the gradient) for sgd, momentum, nesterov, rmsprop, "
                        "adam; decoupled for adamw (default 0; adamw 0.01)")
    t.add_argument("--schedule", choices=list(SCHEDULES),
                   help="learning rate per epoch: step (times 0.1 every third of the epochs) or cosine "
                        "(down to 0 at the last epoch); default: constant")
    t.add_argument("--patience", type=int,
                   help="early stopping: stop when the validation loss has not improved for this many epochs, "
                        "and keep the weights of the best epoch (it never sees the test rows)")


def apply_defaults(args):
    """Fill in the chosen optimizer's own defaults (before the command's general ones)."""
    table = OPTIMIZER_DEFAULTS.get(args.optimizer or "sgd", {})
    for key, value in dict(table.get("*", {}), **table.get(args.data, {})).items():
        if getattr(args, key) is None:
            setattr(args, key, value)


def build_optimizer(args, initial_epoch=0):
    """(optimizer or None for the plain step, schedule or None), after checking which flags
    go with which optimizer; BackpropError (exit 2) names the flag.  A resumed run
    (``initial_epoch`` > 0) keeps the schedule it was saved with (``args.saved_schedule``),
    or spreads a new one over all its epochs, the earlier ones included."""
    name = args.optimizer
    for flag, value, allowed in (("--momentum", args.momentum, ("momentum", "nesterov")),
                                 ("--beta1", args.beta1, ("adam", "adamw")), ("--beta2", args.beta2, ("adam", "adamw")),
                                 ("--eps", args.eps, ("rmsprop", "adam", "adamw"))):
        if value is not None and name not in allowed:
            raise BackpropError("%s goes with --optimizer %s, not %s" % (flag, " or ".join(allowed), name))
    if name == "nesterov" and args.momentum == 0:
        raise BackpropError("--optimizer nesterov needs --momentum > 0")
    if args.patience is not None and args.patience < 1:
        raise BackpropError("--patience must be a whole number >= 1, got %d" % args.patience)
    schedule = None
    total = initial_epoch + args.epochs
    saved = getattr(args, "saved_schedule", None)
    if args.schedule == "step":
        schedule = StepLR(max(1, -(-total // 3)), gamma=0.1)
    elif args.schedule == "cosine":
        schedule = CosineAnnealingLR(total)
    elif saved is not None:
        try:
            if saved.get("schedule") == "step":
                schedule = StepLR(saved["step_size"], gamma=saved["gamma"])
            elif saved.get("schedule") == "cosine":
                schedule = CosineAnnealingLR(saved["T_max"], eta_min=saved["eta_min"])
        except (KeyError, TypeError, BackpropError) as e:
            raise BackpropError("--model %s: its data.training.schedule is not one train can resume (%s)"
                                % (args.model, e))
    if name == "sgd" and not args.weight_decay:
        return None, schedule  # train()'s own plain step
    betas = (0.9 if args.beta1 is None else args.beta1, 0.999 if args.beta2 is None else args.beta2)
    return make(name, args.lr, momentum=MOMENTUM if args.momentum is None else args.momentum, betas=betas,
                eps=1e-8 if args.eps is None else args.eps, weight_decay=args.weight_decay), schedule


def record(args, optimizer, schedule, h):
    """How the network was trained: the JSON's ``training`` and the saved model's ``data.training``.

    ``epochs``: every epoch the network was trained for, those of the runs it resumed
    included (what ``train --model`` counts on from); ``initial_epoch``: those before this run.

    >>> class A: optimizer, lr, epochs, batch_size, path, seed, patience = "sgd", 0.5, 3, 4, "vectorized", 0, None
    >>> from tinybackprop.training import History
    >>> sorted(record(A, None, None, History(False, False)))  # doctest: +NORMALIZE_WHITESPACE
    ['batch_size', 'best_epoch', 'epochs', 'epochs_asked', 'initial_epoch', 'lr', 'optimizer', 'path', 'patience',
     'schedule', 'seed']
    """
    settings = optimizer.settings() if optimizer is not None else {"optimizer": "sgd", "lr": args.lr,
                                                                     "weight_decay": 0.0}
    return {"optimizer": settings, "lr": args.lr, "epochs": h.initial_epoch + h.epochs, "epochs_asked": args.epochs,
            "initial_epoch": h.initial_epoch,
            "batch_size": args.batch_size, "path": args.path, "seed": args.seed,
            "schedule": schedule.settings() if schedule is not None else None,
            "patience": args.patience, "best_epoch": h.best_epoch}


def describe(rec):
    """One line of the text report, or "" for the plain step without schedule or stopping."""
    s = rec["optimizer"]
    parts = []
    if s["optimizer"] != "sgd" or s["weight_decay"]:
        extra = [k + " " + (", ".join("%g" % b for b in s[k]) if k == "betas" else "%g" % s[k])
                 for k in ("momentum", "betas", "alpha", "eps", "weight_decay") if s.get(k)]
        parts.append("optimizer %s (%s)" % (s["optimizer"], ", ".join(extra)) if extra else "optimizer " + s["optimizer"])
    if rec["schedule"] is not None:
        parts.append("schedule %s" % rec["schedule"]["schedule"])
    if rec["best_epoch"] is not None:
        parts.append("early stopping kept epoch %d of %d (the lowest validation loss)" % (rec["best_epoch"], rec["epochs"]))
    return "; ".join(parts)
