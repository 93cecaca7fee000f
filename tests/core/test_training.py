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
    assert h.epochs == 5 and len(h.accuracy) == len(h.test_loss) == len(h.test_accuracy) == 5
    # the last entries describe the final network: compute them from its predictions
    yhat = net.predict(Xt)
    eps_loss = -sum(y[0] * math.log(p[0]) + (1 - y[0]) * math.log(1 - p[0]) for p, y in zip(yhat, Yt)) / len(Yt)
    assert h.test_loss[-1] == pytest.approx(eps_loss, rel=1e-9)
    right = sum((p[0] >= 0.5) == (y[0] == 1.0) for p, y in zip(yhat, Yt))
    assert h.test_accuracy[-1] == right / len(Yt)


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
    assert h.accuracy is None and h.test_loss is None
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
    assert h.to_dict()["loss"] == [0.5] and h.to_dict()["test_loss"] == []


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
