"""MkDocs helper: the numbers and pictures of the page "When training goes wrong", computed by
the package while the site is built (``docs/hooks/teach.py`` gives this module to the page's
``<!--tb= ... -->`` expressions as ``wrong``).

====================================  ===================================================
``checks_table()``                    every check of ``tinybackprop.show.diagnose``: what it
                                      measures, its threshold, what to try
``tiny_run()``                        4-8-1 tanh trained on 20 Iris rows: it must fit them
``start_losses()``                    the loss before training of three networks, and chance
``ratio_runs()``                      the default Iris run at three learning rates: the
                                      update ratios before the first step, how it ended
``ratio_table()``, ``lr_figure()``    the same as a table, and its training curves
``flow_figure()``                     the gradient carried back, layer by layer, in a healthy,
                                      a vanishing and an exploding network
====================================  ===================================================

>>> [row[0] for row in ratio_runs()]
[0.0001, 0.5, 50.0]
"""
import math

from tinybackprop import Network, vectorized
from tinybackprop.datasets import iris_task, planar, split_validation
from tinybackprop.show import diagnose, svg
from tinybackprop.training import accuracy, train

_CACHE = {}


def _cached(key, make):
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


def iris_sets():
    """The default run's three sets: 96 rows to train on, 24 validation rows, 30 test rows."""
    return _cached("iris", lambda: split_validation(iris_task("binary", positive="virginica", seed=0), 0.2, seed=0))


def checks_table():
    """The checks, as a Markdown table, with their thresholds from ``diagnose.THRESHOLDS``."""
    t = diagnose.THRESHOLDS
    rows = [
        ("`start_loss`", "the training loss before the first step, against its chance value",
         "over %g times chance, or under %.2g of it" % (t["start_high"], t["start_low"]),
         "smaller starting weights (`--init-scale`)"),
        ("`not_learning`", "the training loss after training, against the loss before it",
         "still over %g of it" % t["not_learning"], "a larger `--lr`, more epochs, the data"),
        ("`loss_rising`", "the training loss after the last epoch, against its lowest",
         "over %g times the lowest" % t["rising"], "a smaller `--lr`"),
        ("`overfitting`", "the validation loss after the last epoch, against its lowest, while "
         "the training loss falls", "over %g times the lowest" % t["rising"],
         "`--patience`, fewer epochs, a smaller network"),
        ("`collapsed`", "the class each training row is given", "one class for every row",
         "a smaller `--lr` if the loss rose, else more epochs"),
        ("`dead_units`", "relu neurons with $z \\le 0$ on every training row",
         "%d%% or more of a layer" % round(100 * t["dead_share"]), "a smaller `--lr`, `--init he`"),
        ("`vanishing_gradients`", "the root mean square of $g^{[1z]}$ against that of $g^{[Lz]}$, "
         "before the first step", "under %g" % t["vanishing"], "fewer layers, relu with He's start"),
        ("`exploding_gradients`", "the same ratio", "over %g" % t["exploding"],
         "smaller starting weights"),
    ]
    out = ["| warning | what is measured | it warns when | what to try |", "|---|---|---|---|"]
    out += ["| %s | %s | %s | %s |" % row for row in rows]
    return "\n".join(out)


def tiny_run():
    """A 4-8-1 tanh network on 20 of the training rows (every fifth), the whole batch each step,
    learning rate 2.0, 300 epochs: (X, Y, loss before, History, training accuracy after)."""
    def make():
        t = iris_sets()
        X, Y = t.X_train[::5], t.Y_train[::5]
        net = Network([4, 8, 1], hidden="tanh", seed=0)
        before = net.loss_value(X, Y)
        h = train(net, X, Y, epochs=300, lr=2.0, batch_size=20)
        return X, Y, before, h, accuracy(net, X, Y)
    return _cached("tiny", make)


def overfit_runs(patience=20):
    """The page's overfitting command, ``tinybackprop train --layers 4,16,1 --hidden tanh --lr 1.0
    --batch-size 8 --epochs 300``, run here: (the History of all 300 epochs, the History of the
    same run with ``patience``).  Both have the default run's three sets."""
    def make():
        t = iris_sets()
        runs = []
        for p in (None, patience):
            net = Network([4, 16, 1], hidden="tanh", seed=0)
            runs.append(train(net, t.X_train, t.Y_train, epochs=300, lr=1.0, batch_size=8, seed=0,
                              X_val=t.X_val, Y_val=t.Y_val, X_test=t.X_test, Y_test=t.Y_test, patience=p))
        return runs[0], runs[1]
    return _cached(("overfit", patience), make)


def lowest_epoch(values):
    """The epoch (from 1) of the lowest of ``values``.

    >>> lowest_epoch([0.5, 0.3, 0.4])
    2
    """
    return values.index(min(values)) + 1


def start_losses():
    """(name, loss before training, chance value, chance in words) for the default Iris network,
    the 3-class network and the 3-class network started ten times larger."""
    def make():
        t = iris_sets()
        t3 = split_validation(iris_task("multiclass", seed=0), 0.2, seed=0)
        out = []
        for name, task, net in (
                ("4-3-2-1, sigmoid output", t, Network([4, 3, 2, 1], seed=0)),
                ("4-8-3, softmax", t3, Network([4, 8, 3], hidden="tanh", output="softmax", loss="cross_entropy",
                                               seed=0)),
                ("4-8-3, softmax, --init-scale 10", t3, Network([4, 8, 3], hidden="tanh", output="softmax",
                                                                loss="cross_entropy", seed=0, init_scale=10.0))):
            loss = net.loss_value(task.X_train, task.Y_train)
            chance = diagnose.chance_loss(net, task.Y_train)
            out.append((name, loss, chance, "ln 2" if net.output == "sigmoid" else "ln 3"))
        return out
    return _cached("start", make)


def ratio_runs():
    """The default Iris run (4-3-2-1, batches of 16, 100 epochs) at learning rates 1e-4, 0.5 and
    50: (lr, update ratios per layer before the first step, History, the warnings' names)."""
    def make():
        t = iris_sets()
        out = []
        for lr in (0.0001, 0.5, 50.0):
            net = Network([4, 3, 2, 1], seed=0)
            start = diagnose.Snapshot(net, t.X_train, t.Y_train, lr)
            h = train(net, t.X_train, t.Y_train, epochs=100, lr=lr, batch_size=16, X_val=t.X_val, Y_val=t.Y_val,
                      evaluate_train=True)
            found = diagnose.findings_before(net, start) + diagnose.findings_after(net, t.X_train, t.Y_train, h, start)
            out.append((lr, start.ratios, h, [f.check for f in found]))
        return out
    return _cached("ratios", make)


def _sci(v):
    """1.1e-06 as $1.1 \\times 10^{-6}$; plain from 0.01 up to 1000.

    >>> print(_sci(0.0056), _sci(9.2))
    $5.6 \\times 10^{-3}$ 9.2
    """
    if 0.01 <= abs(v) < 1000:
        return "%.3g" % v
    mant, exp = ("%.1e" % v).split("e")
    return "$%s \\times 10^{%d}$" % (mant, int(exp))


def ratio_table():
    rows = ["| learning rate | $l = 1$ | $l = 2$ | $l = 3$ | training loss after 100 epochs | warnings |",
            "|---|---|---|---|---|---|"]
    for lr, ratios, h, names in ratio_runs():
        rows.append("| %g | %s | %.4f | %s |" % (lr, " | ".join(_sci(r) for r in ratios), h.train_loss[-1],
                                                 ", ".join("`%s`" % n for n in names) or "none"))
    return "\n".join(rows)


def lr_figure():
    """The training loss after each epoch at the three learning rates, on one chart (log10)."""
    named = [("lr %g" % lr, [math.log10(v) for v in h.train_loss]) for lr, _, h, _ in ratio_runs()]
    return svg.curves(named, title="The default Iris run at three learning rates",
                      ylabel="log10 of the training loss")


def flows():
    """The root mean square of g^[lz], l = 1..L, before the first step, for a healthy 2-16-16-1
    tanh network, a 10-layer sigmoid network and an 9-layer relu network started N(0, 1), each
    on the moons of the page's commands."""
    def make():
        out = []
        for label, sizes, hidden, init, samples in (
                ("2-16-16-1 tanh", [2, 16, 16, 1], "tanh", "uniform", 300),
                ("10 sigmoid layers", [2] + [16] * 9 + [1], "sigmoid", "uniform", 200),
                ("9 relu layers, N(0, 1)", [2] + [32] * 8 + [1], "relu", "normal", 300)):
            t = split_validation(planar.planar_task("moons", samples=samples, seed=0), 0.2, seed=0)
            net = Network(sizes, hidden=hidden, init=init, seed=0)
            out.append((label, diagnose.gradient_sizes(net, t.X_train, t.Y_train)[1]))
        return out
    return _cached("flows", make)


def flow_figure():
    named = [(label, [math.log10(v) for v in sizes]) for label, sizes in flows()]
    return svg.curves(named, title="The gradient carried back, before the first step", xlabel="layer l",
                      ylabel="log10 of the RMS of g^[lz]")


def flow_ratio(k):
    """g^[1z] / g^[Lz] (root mean squares) of the ``k``-th network of :func:`flows`."""
    sizes = flows()[k][1]
    return sizes[0] / sizes[-1]


def digits_start():
    """The default digits network's loss before training, and ln 10."""
    def make():
        from tinybackprop.datasets import digits_task
        t = split_validation(digits_task(seed=0), 0.2, seed=0)
        net = Network([64, 32, 10], output="softmax", loss="cross_entropy", seed=0)
        return net.loss_value(t.X_train, t.Y_train), math.log(10)
    return _cached("digits", make)


def one_step_ratio(lr=0.5):
    """lr |g^[3W]| / |W^[3]| (root mean squares) of the default network, before the first step,
    on the whole training set: the number the page's runnable block prints."""
    t = iris_sets()
    net = Network([4, 3, 2, 1], seed=0)
    g = vectorized.backward(net, t.X_train, t.Y_train)

    def rms(M):
        return math.sqrt(sum(v * v for row in M for v in row) / (len(M) * len(M[0])))
    return [lr * rms(g.W[l]) / rms(net.W[l]) for l in (1, 2, 3)]
