"""train(): the update rule, batching, history, argument checks (that every path trains the
same: test_paths_agree.py).

The reference computations here re-implement one epoch by hand (shuffle with
the package generator, cut into batches, W - lr g_W with plain loops) and use
the loss and accuracy definitions directly, so the tests do not trust train()
to check itself."""
import math

import pytest

import tinybackprop as tb
from tinybackprop import per_neuron, vectorized
from tinybackprop.rng import Random
from tinybackprop.training import History, accuracy, train

from conftest import count_rows, iris, xor


def iris_binary(seed=0):
    return iris("binary", seed=seed)


def manual_train(net, X, Y, epochs, lr, batch_size, seed):
    """An independent re-implementation of the loop, with plain index loops."""
    rng = Random(seed)
    order = list(range(len(X)))
    for _ in range(epochs):
        rng.shuffle(order)
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            g = vectorized.backward(net, [X[r] for r in rows], [Y[r] for r in rows])
            for l in range(1, net.L + 1):
                W = [list(r) for r in net.W[l]]
                b = [list(r) for r in net.b[l]]
                for i in range(len(W)):
                    for j in range(len(W[0])):
                        W[i][j] = W[i][j] - lr * g.W[l][i][j]
                for j in range(len(b[0])):
                    b[0][j] = b[0][j] - lr * g.b[l][0][j]
                net.W[l], net.b[l] = W, b
    return net


def test_training_reduces_the_loss_on_iris():
    X, Y, Xt, Yt = iris_binary()
    net = tb.Network([4, 3, 2, 1], seed=0)
    before = net.loss_value(X, Y)
    h = train(net, X, Y, epochs=30, lr=0.5, batch_size=16)
    after = net.loss_value(X, Y)
    assert after < 0.5 * before
    assert h.loss[-1] != after  # not an extra pass after the epoch: the losses the steps saw (below)


def test_history_records_the_loss_and_accuracy_the_steps_saw():
    """An epoch's loss is the mean over its rows of each row's loss on the
    weights just before the step that trained on it; computed here by hand,
    batch by batch, with net.loss_value and a plain argmax."""
    X, Y, Xt, Yt = iris_binary()
    for batch in (1, 16):
        net = tb.Network([4, 3, 2, 1], seed=0)
        h = train(net.copy(), X, Y, epochs=2, lr=0.5, batch_size=batch, seed=4)
        rng = Random(4)
        order = list(range(len(X)))
        for epoch in range(2):
            rng.shuffle(order)
            total, right = 0.0, 0
            for start in range(0, len(X), batch):
                rows = order[start:start + batch]
                Xb, Yb = [X[r] for r in rows], [Y[r] for r in rows]
                total += net.loss_value(Xb, Yb) * len(rows)
                right += sum((p[0] >= 0.5) == (y[0] >= 0.5) for p, y in zip(net.predict(Xb), Yb))
                manual_train_step(net, Xb, Yb, 0.5)
            assert h.loss[epoch] == pytest.approx(total / len(X), rel=1e-12)
            assert h.accuracy[epoch] == right / len(X)


def manual_train_step(net, Xb, Yb, lr):
    g = vectorized.backward(net, Xb, Yb)
    for l in range(1, net.L + 1):
        net.W[l] = [[w - lr * d for w, d in zip(rw, rd)] for rw, rd in zip(net.W[l], g.W[l])]
        net.b[l] = [[w - lr * d for w, d in zip(rw, rd)] for rw, rd in zip(net.b[l], g.b[l])]


def test_xor_is_learned():
    X, Y = xor()
    net = tb.Network([2, 4, 1], hidden="tanh", seed=1)
    h = train(net, X, Y, epochs=300, lr=0.5, batch_size=4)
    yhat = net.predict(X)
    assert [round(r[0]) for r in yhat] == [y[0] for y in Y]
    assert h.accuracy[-1] == 1.0


def test_one_full_batch_epoch_is_one_gradient_step():
    X, Y, _, _ = iris_binary()
    net = tb.Network([4, 3, 2, 1], seed=3)
    ref = net.copy()
    g = per_neuron.backward(ref, X, Y)  # the other path, on the rows in file order
    lr = 0.3
    train(net, X, Y, epochs=1, lr=lr, batch_size=len(X))
    for l in range(1, net.L + 1):
        for i in range(net.sizes[l - 1]):
            for j in range(net.sizes[l]):
                assert net.W[l][i][j] == pytest.approx(ref.W[l][i][j] - lr * g.W[l][i][j], abs=1e-13)
        for j in range(net.sizes[l]):
            assert net.b[l][0][j] == pytest.approx(ref.b[l][0][j] - lr * g.b[l][0][j], abs=1e-13)


@pytest.mark.parametrize("batch_size", [1, 7, 16, 500])
def test_minibatch_loop_matches_a_hand_written_one(batch_size):
    X, Y, _, _ = iris_binary()
    net = tb.Network([4, 3, 2, 1], seed=2)
    ref = manual_train(net.copy(), X, Y, epochs=3, lr=0.2, batch_size=batch_size, seed=9)
    train(net, X, Y, epochs=3, lr=0.2, batch_size=batch_size, seed=9)
    for l in range(1, net.L + 1):
        if batch_size == 1 or len(X) % batch_size == 1:  # a batch of one row: a_i (lr g_j), not lr (a_i g_j); the last bits may differ
            for rw, rr in zip(net.W[l] + net.b[l], ref.W[l] + ref.b[l]):
                assert rw == pytest.approx(rr, rel=1e-12, abs=1e-15)
        else:
            assert net.W[l] == ref.W[l]
            assert net.b[l] == ref.b[l]


@pytest.mark.parametrize("path", ["vectorized", "per_neuron"])
def test_a_one_row_step_subtracts_the_outer_product_entry_by_entry(path):
    """At batch size 1 train() does not build g^[lW]: it takes a_i (lr g_j) from W_ij.
    Computed here by hand from the other path's g^[lz] and the forward pass."""
    X, Y, _, _ = iris_binary()
    net = tb.Network([4, 3, 2, 1], hidden="relu", seed=6)
    ref = net.copy()
    train(net, X[:1], Y[:1], epochs=1, lr=0.3, batch_size=1, path=path)
    other = per_neuron if path == "vectorized" else vectorized
    f = other.forward(ref, X[:1])
    g = other.backward(ref, X[:1], Y[:1])
    zero_rows = 0
    for l in range(1, ref.L + 1):
        a_prev, g_z = f.a[l - 1][0], g.g_z[l][0]
        for i in range(ref.sizes[l - 1]):
            zero_rows += a_prev[i] == 0.0
            for j in range(ref.sizes[l]):
                want = ref.W[l][i][j] - a_prev[i] * (0.3 * g_z[j]) if a_prev[i] != 0.0 else ref.W[l][i][j]
                assert net.W[l][i][j] == want
                # and the document's step with the gradient built, to the last bit or one more
                assert net.W[l][i][j] == pytest.approx(ref.W[l][i][j] - 0.3 * g.W[l][i][j], rel=1e-15, abs=1e-16)
            assert net.b[l][0] == [b - 0.3 * d for b, d in zip(ref.b[l][0], g.b[l][0])]
    assert zero_rows > 0  # relu made a hidden output 0: the row it skips was covered


def test_history_against_independent_evaluation():
    X, Y, Xt, Yt = iris_binary()
    net = tb.Network([4, 3, 2, 1], seed=0)
    h = train(net, X, Y, epochs=5, lr=0.5, batch_size=16, X_val=Xt, Y_val=Yt)
    assert h.epochs == 5 and len(h.accuracy) == len(h.val_loss) == len(h.val_accuracy) == 5
    # the last entries describe the final network: compute them from its predictions
    yhat = net.predict(Xt)
    eps_loss = -sum(y[0] * math.log(p[0]) + (1 - y[0]) * math.log(1 - p[0]) for p, y in zip(yhat, Yt)) / len(Yt)
    assert h.val_loss[-1] == pytest.approx(eps_loss, rel=1e-9)
    right = sum((p[0] >= 0.5) == (y[0] == 1.0) for p, y in zip(yhat, Yt))
    assert h.val_accuracy[-1] == right / len(Yt)


def test_accuracy_threshold_and_argmax():
    net = tb.Network([2, 3], output="softmax", loss="cross_entropy", seed=0)
    net.W[1] = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    X = [[5.0, 0.0], [0.0, 5.0], [0.0, 0.0], [-5.0, -5.0]]
    # predictions: class 0, class 1, a tie (argmax takes the first), class 2
    Y = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    assert accuracy(net, X, Y) == 0.75
    single = tb.Network([1, 1], seed=0)
    single.W[1] = [[1.0]]
    assert accuracy(single, [[0.0], [-0.1], [0.1]], [[1.0], [1.0], [1.0]]) == 2 / 3  # sigma(0) = 0.5 counts as 1


def test_seed_fixes_the_run():
    X, Y, _, _ = iris_binary()
    runs = [train(tb.Network([4, 3, 2, 1], seed=0), X, Y, epochs=3, lr=0.5, batch_size=8, seed=s).loss
            for s in (7, 7, 8)]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_regression_has_no_accuracy():
    net = tb.Network([1, 2, 1], output="identity", loss="squared_error", seed=0)
    X = [[x / 10.0] for x in range(10)]
    Y = [[2 * x[0] + 1] for x in X]
    h = train(net, X, Y, epochs=50, lr=0.1, batch_size=5)
    assert h.accuracy is None and h.val_loss is None and h.test_loss is None
    assert h.loss[-1] < h.loss[0]


def test_callback_sees_every_epoch_and_can_stop():
    X, Y = xor()
    seen = []

    def cb(epoch, history):
        seen.append((epoch, history.epochs))
        return epoch == 4

    h = train(tb.Network([2, 2, 1], seed=0), X, Y, epochs=10, lr=0.1, batch_size=2, callback=cb)
    assert seen == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert h.epochs == 4


@pytest.mark.parametrize("kwargs,words", [
    (dict(lr=0), "lr"), (dict(lr=-0.1), "lr"), (dict(lr=float("nan")), "lr"), (dict(lr="0.1"), "lr"),
    (dict(epochs=0), "epochs"), (dict(epochs=2.0), "epochs"), (dict(epochs=True), "epochs"),
    (dict(batch_size=0), "batch_size"), (dict(path="matrix"), "path"), (dict(seed=1.5), "seed"),
    (dict(callback=3), "callback"), (dict(X_val=[[0.0, 0.0]]), "X_val"),
])
def test_bad_arguments_are_refused(kwargs, words):
    X, Y = xor()
    with pytest.raises(tb.BackpropError, match=words):
        train(tb.Network([2, 2, 1]), X, Y, **kwargs)


def test_bad_data_is_refused_at_the_boundary():
    X, Y = xor()
    with pytest.raises(tb.BackpropError, match="rows"):
        train(tb.Network([2, 2, 1]), X, Y[:3])
    with pytest.raises(tb.BackpropError, match="inputs"):
        train(tb.Network([3, 2, 1]), X, Y)
    with pytest.raises(tb.BackpropError, match="validation"):
        train(tb.Network([2, 2, 1]), X, Y, X_val=X, Y_val=[[2.0]] * 4)


def test_divergence_is_reported():
    net = tb.Network([1, 1], output="identity", loss="squared_error", seed=0)
    net.W[1] = [[1.0]]
    with pytest.raises(tb.BackpropError, match="learning rate"):
        train(net, [[1000.0]], [[0.0]], epochs=100, lr=1e10, batch_size=1)


def test_history_to_dict():
    h = History(classification=True, validation=True)
    h.loss.append(0.5)
    h.accuracy.append(1.0)
    assert h.to_dict()["loss"] == [0.5] and h.to_dict()["val_loss"] == [] and h.to_dict()["test_loss"] is None


def test_training_does_not_check_inside_a_step(monkeypatch):
    # no entry-by-entry check runs inside a training step: the data and the weights are checked
    # once, divergence once per epoch; the matrix helpers check shapes only, unless a loop fails
    import tinybackprop.matrix as matrix
    import tinybackprop.network as network
    import tinybackprop.training as training
    calls = []
    real = matrix.check_matrix

    def counting(*args, **kw):
        calls.append(args[1])
        return real(*args, **kw)

    for mod in (matrix, network, training):
        monkeypatch.setattr(mod, "check_matrix", counting)
    X, Y = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]], [[1.0], [1.0], [0.0], [0.0]]
    counts = []
    for batch_size in (1, 4):  # 4 steps an epoch, then 1
        calls.clear()
        train(tb.Network([2, 3, 1], seed=0), X, Y, epochs=3, lr=0.5, batch_size=batch_size)
        counts.append(len(calls))
    assert counts[0] == counts[1] > 0, counts  # the same checks, however many steps



def test_train_is_exported_at_the_top():
    import tinybackprop.training as training
    assert tb.train is training.train and tb.History is training.History


@pytest.mark.parametrize("path", ["vectorized", "per_neuron"])
def test_an_epoch_goes_forward_over_each_training_row_once(monkeypatch, path):
    """No extra evaluation pass over the training rows after an epoch;
    the recorded loss comes from the steps' own forward passes."""
    rows = count_rows(monkeypatch, {"vectorized": vectorized, "per_neuron": per_neuron}[path])
    X, Y, Xt, Yt = iris_binary()
    train(tb.Network([4, 3, 2, 1], seed=0), X, Y, epochs=3, lr=0.5, batch_size=7, path=path)
    assert sum(rows) == 3 * len(X) and max(rows) == 7
    rows[:] = []
    train(tb.Network([4, 3, 2, 1], seed=0), X, Y, epochs=2, lr=0.5, batch_size=7, path=path, X_val=Xt, Y_val=Yt)
    assert sum(rows) == 2 * (len(X) + len(Xt))  # the validation rows once after each epoch


def test_a_weight_gone_infinite_is_reported_with_its_epoch():
    X, Y = xor()
    net = tb.Network([2, 4, 1], hidden="relu", output="identity", loss="squared_error", seed=1)
    with pytest.raises(tb.BackpropError, match=r"train: epoch 1: a gradient step made (W\^\[\d\] or b\^\[\d\] "
                                               r"infinite or NaN|the numbers too large to compute with \(.*\)); "
                                               r"the learning rate 1e\+200 is too large"):
        train(net, X, Y, epochs=3, lr=1e200, batch_size=1)


def test_evaluated_train_loss_ends_at_the_loss_evaluate_prints():
    """issue 20: one training loss recorded and plotted: with evaluate_train=True the
    history's train_loss is the training set's loss after each epoch, so its last entry
    is what evaluate() (the printout after training) gives; the running loss and the
    weights are those of a run without it, bit for bit."""
    from tinybackprop.training import evaluate

    X_train, Y_train, X_test, Y_test = iris("binary", seed=0)
    nets, hists = [], []
    for flag in (False, True):
        net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
        h = train(net, X_train, Y_train, epochs=12, lr=0.5, batch_size=16, seed=0,
                  X_val=X_test, Y_val=Y_test, evaluate_train=flag)
        nets.append(net)
        hists.append(h)
    plain, evaluated = hists
    assert plain.train_loss is None and plain.train_accuracy is None
    assert evaluated.loss == plain.loss
    assert all(nets[0].W[l] == nets[1].W[l] and nets[0].b[l] == nets[1].b[l] for l in (1, 2, 3))
    assert len(evaluated.train_loss) == len(evaluated.train_accuracy) == 12
    loss, acc = evaluate(nets[1], X_train, Y_train)
    assert evaluated.train_loss[-1] == loss and evaluated.train_accuracy[-1] == acc
    # the running loss is another number (taken before each step), which is why both are named
    assert evaluated.loss[-1] != loss
    # after epoch k the evaluated loss is that of the weights then: re-run k epochs and evaluate
    net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
    train(net, X_train, Y_train, epochs=5, lr=0.5, batch_size=16, seed=0)
    assert evaluated.train_loss[4] == evaluate(net, X_train, Y_train)[0]
    assert evaluated.to_dict()["train_loss"] == evaluated.train_loss


# -- three sets: the test rows are measured once and choose nothing -------------------------------

def _params(net):
    return [net.W[l] for l in range(1, net.L + 1)] + [net.b[l] for l in range(1, net.L + 1)]


def _run_with_test_rows(X_test, Y_test, patience=5):
    X, Y, Xt, Yt = iris_binary()
    X_val, Y_val = Xt[:15], Yt[:15]  # validation rows; the rest of the held-out rows are ours to change
    net = tb.Network([4, 6, 1], hidden="tanh", seed=2)
    h = train(net, X, Y, epochs=60, lr=1.0, batch_size=8, seed=3, X_val=X_val, Y_val=Y_val, patience=patience,
              X_test=X_test, Y_test=Y_test, evaluate_train=True)
    return net, h


def test_changing_only_the_test_rows_changes_no_training_result():
    _, _, Xt, Yt = iris_binary()
    test_a = (Xt[15:], Yt[15:])
    test_b = ([[-v for v in row] for row in Xt[15:]], [[1.0 - y[0]] for y in Yt[15:]])  # other inputs and labels
    (net_a, h_a), (net_b, h_b), (net_c, h_c) = (_run_with_test_rows(*test_a), _run_with_test_rows(*test_b),
                                                _run_with_test_rows(None, None))
    for h in (h_b, h_c):
        for name in ("loss", "accuracy", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr"):
            assert getattr(h, name) == getattr(h_a, name), name
        assert h.best_epoch == h_a.best_epoch and h.epochs == h_a.epochs
    for net in (net_b, net_c):
        assert _params(net) == _params(net_a)
    assert h_a.test_loss != h_b.test_loss and h_c.test_loss is None  # only what is measured on them differs


def test_the_test_rows_are_measured_once_after_early_stopping_put_the_best_weights_back():
    _, _, Xt, Yt = iris_binary()
    X_test, Y_test = Xt[15:], Yt[15:]
    net, h = _run_with_test_rows(X_test, Y_test)
    assert h.best_epoch is not None and h.epochs > h.best_epoch  # it stopped, and went back
    # the test loss by hand: bce of the final (restored) network's outputs
    yhat = net.predict(X_test)
    want = -sum(y[0] * math.log(p[0]) + (1 - y[0]) * math.log(1 - p[0]) for p, y in zip(yhat, Y_test)) / len(Y_test)
    assert h.test_loss == pytest.approx(want, rel=1e-12)
    assert h.test_accuracy == sum((p[0] >= 0.5) == (y[0] == 1.0) for p, y in zip(yhat, Y_test)) / len(Y_test)
    # early stopping chose the epoch with the lowest validation loss, on the validation rows alone
    assert h.val_loss[h.best_epoch - 1] == min(h.val_loss)


def test_patience_without_validation_rows_is_refused_and_test_rows_do_not_count():
    X, Y = xor()
    with pytest.raises(tb.BackpropError, match="X_val"):
        train(tb.Network([2, 2, 1]), X, Y, epochs=3, patience=2, X_test=X, Y_test=Y)
    with pytest.raises(tb.BackpropError, match="give both X_test and Y_test"):
        train(tb.Network([2, 2, 1]), X, Y, epochs=3, X_test=X)


# -- resuming: initial_epoch continues the same run -------------------------------------------------

@pytest.mark.parametrize("make", [lambda: None, lambda: tb.optimizers.SGD(0.2, momentum=0.9),
                                  lambda: tb.optimizers.Adam(0.01)])
def test_two_halves_with_initial_epoch_are_the_whole_run_bit_for_bit(make):
    from tinybackprop.optimizers import CosineAnnealingLR
    X, Y, Xt, Yt = iris_binary()
    whole, opt = tb.Network([4, 5, 1], seed=1), make()
    h = train(whole, X, Y, epochs=12, lr=0.5, batch_size=7, seed=4, optimizer=opt, schedule=CosineAnnealingLR(12))
    half, opt = tb.Network([4, 5, 1], seed=1), make()
    h1 = train(half, X, Y, epochs=5, lr=0.5, batch_size=7, seed=4, optimizer=opt, schedule=CosineAnnealingLR(12))
    h2 = train(half, X, Y, epochs=7, lr=0.5, batch_size=7, seed=4, optimizer=opt, schedule=CosineAnnealingLR(12),
               initial_epoch=5)
    assert _params(half) == _params(whole)
    assert h1.loss + h2.loss == h.loss and h1.lr + h2.lr == h.lr
    assert h2.initial_epoch == 5 and h2.epochs == 7


def test_initial_epoch_numbers_the_epochs_on():
    X, Y = xor()
    seen = []
    h = train(tb.Network([2, 2, 1], seed=0), X, Y, epochs=3, batch_size=4, X_val=X, Y_val=Y, patience=10,
              initial_epoch=7, callback=lambda e, hist: seen.append(e))
    assert seen == [8, 9, 10] and 8 <= h.best_epoch <= 10
    assert h.at("val_loss", h.best_epoch) == min(h.val_loss)
    with pytest.raises(tb.BackpropError, match="initial_epoch"):
        train(tb.Network([2, 2, 1]), X, Y, epochs=1, initial_epoch=-1)


# -- verbose: what train prints while it trains ------------------------------------------------------

class _Stream:
    def __init__(self, tty):
        self.text, self.tty = "", tty

    def write(self, s):
        self.text += s

    def flush(self):
        pass

    def isatty(self):
        return self.tty


def test_verbose_2_prints_a_line_per_epoch_and_a_summary():
    from tinybackprop.progress import Progress
    X, Y = xor()
    out = _Stream(tty=False)
    h = train(tb.Network([2, 3, 1], seed=0), X, Y, epochs=4, batch_size=2, X_val=X, Y_val=Y,
              verbose=Progress(2, stream=out))
    lines = out.text.splitlines()
    assert len(lines) == 5 and "\r" not in out.text
    for k, line in enumerate(lines[:4]):
        assert line == "epoch %d/4  train loss %.4f  val loss %.4f  val acc %.3f" % (
            k + 1, h.loss[k], h.val_loss[k], h.val_accuracy[k])
    assert lines[4] == "4 epochs: train loss %.4f, val loss %.4f" % (h.loss[-1], h.val_loss[-1])


def test_verbose_1_on_a_terminal_updates_one_line_in_place_at_most_every_interval():
    from tinybackprop.progress import Progress
    X, Y, _, _ = iris_binary()
    clock = [0.0]

    def tick():  # a clock that moves 0.01 s each time it is read
        clock[0] += 0.01
        return clock[0]

    out = _Stream(tty=True)
    h = train(tb.Network([4, 3, 1], seed=0), X, Y, epochs=5, batch_size=4,
              verbose=Progress(1, stream=out, clock=tick, interval=0.25))
    body, summary = out.text.rsplit("\n", 2)[0], out.text.splitlines()[-1]
    updates = body.split("\r")[1:]
    assert body.count("\n") == 0 and len(updates) >= 3  # one line, rewritten in place
    assert all("ETA " in u for u in updates[:-1]) and "epoch 5/5" in updates[-1]
    assert all(u.startswith("epoch ") and "elapsed " in u for u in updates)
    # at most one update per 0.25 s of the clock: the clock was read about 2 times per step
    assert len(updates) <= clock[0] / 0.25 + 2
    assert summary.startswith("5 epochs in ") and summary.endswith("train loss %.4f" % h.loss[-1])


def test_verbose_0_is_silent_and_bad_verbose_is_refused(capsys):
    X, Y = xor()
    train(tb.Network([2, 2, 1]), X, Y, epochs=2)
    assert capsys.readouterr().out == ""
    train(tb.Network([2, 2, 1]), X, Y, epochs=2, verbose=2)  # to sys.stdout, as Keras prints
    assert capsys.readouterr().out.count("\n") == 3
    with pytest.raises(tb.BackpropError, match="verbose must be 0"):
        train(tb.Network([2, 2, 1]), X, Y, epochs=1, verbose=3)
