"""The optimizers (tinybackprop/optimizers.py) and train()'s optimizer, schedule and
patience: the same weights as torch.optim in float64 after 40 full-batch steps, on
both paths and many settings; the per-element and the matrix lines agree; the
plain SGD equals train()'s own step; bad settings are BackpropErrors that change
nothing.  The PyTorch comparisons skip, saying so, when torch is not installed."""
import math

import pytest

import tinybackprop as tb
from conftest import seeded_batch
from tinybackprop import optimizers as O
from tinybackprop import vectorized
from tinybackprop.errors import BackpropError
from tinybackprop.training import train

STEPS = 40
TOL = 1e-10

# (name, tinybackprop optimizer maker, torch.optim class name, torch keyword arguments)
SETTINGS = [
    ("sgd", lambda: O.SGD(lr=0.5), "SGD", dict(lr=0.5)),
    ("sgd-wd", lambda: O.SGD(lr=0.3, weight_decay=0.05), "SGD", dict(lr=0.3, weight_decay=0.05)),
    ("momentum", lambda: O.SGD(lr=0.1, momentum=0.9), "SGD", dict(lr=0.1, momentum=0.9)),
    ("momentum-wd", lambda: O.SGD(lr=0.05, momentum=0.5, weight_decay=0.1), "SGD",
     dict(lr=0.05, momentum=0.5, weight_decay=0.1)),
    ("nesterov", lambda: O.SGD(lr=0.1, momentum=0.9, nesterov=True), "SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("nesterov-wd", lambda: O.SGD(lr=0.2, momentum=0.7, nesterov=True, weight_decay=0.01), "SGD",
     dict(lr=0.2, momentum=0.7, nesterov=True, weight_decay=0.01)),
    ("rmsprop", lambda: O.RMSprop(lr=0.01), "RMSprop", dict(lr=0.01)),
    ("rmsprop-set", lambda: O.RMSprop(lr=0.003, alpha=0.9, eps=1e-6, weight_decay=0.02), "RMSprop",
     dict(lr=0.003, alpha=0.9, eps=1e-6, weight_decay=0.02)),
    ("adam", lambda: O.Adam(lr=0.01), "Adam", dict(lr=0.01)),
    ("adam-set", lambda: O.Adam(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05), "Adam",
     dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)),
    ("adam-beta0", lambda: O.Adam(lr=0.02, betas=(0.0, 0.5)), "Adam", dict(lr=0.02, betas=(0.0, 0.5))),
    ("adamw", lambda: O.AdamW(lr=0.01), "AdamW", dict(lr=0.01)),
    ("adamw-set", lambda: O.AdamW(lr=0.03, betas=(0.5, 0.9), eps=1e-7, weight_decay=0.3), "AdamW",
     dict(lr=0.03, betas=(0.5, 0.9), eps=1e-7, weight_decay=0.3)),
]

NETS = [
    ([4, 3, 2, 1], "sigmoid", "sigmoid", "bce"),
    ([5, 6, 3], "tanh", "softmax", "cross_entropy"),
    ([3, 4, 2], "relu", "identity", "squared_error"),
]


def data(sizes, loss, m=12, seed=3):
    return seeded_batch(sizes, m, loss, seed)


def start(sizes, hidden, output, loss):
    """A seeded network with non-zero biases."""
    net = tb.Network(sizes, hidden=hidden, output=output, loss=loss, seed=5)
    r = tb.Random(9)
    for l in range(1, net.L + 1):
        net.b[l] = [[r.uniform(-0.5, 0.5) for _ in range(sizes[l])]]
    return net


def torch_run(net, X, Y, cls, kw, schedule=None, steps=STEPS):
    """The same full-batch training, written with torch.optim and torch's own loss."""
    torch = pytest.importorskip("torch", reason="torch is not installed: pip install -e '.[torch]'")
    dt = torch.float64
    Ws = [torch.tensor(net.W[l], dtype=dt, requires_grad=True) for l in range(1, net.L + 1)]
    bs = [torch.tensor(net.b[l], dtype=dt, requires_grad=True) for l in range(1, net.L + 1)]
    opt = getattr(torch.optim, cls)([p for pair in zip(Ws, bs) for p in pair], **kw)
    sched = None
    if schedule is not None:
        kind, arg = schedule
        sched = (torch.optim.lr_scheduler.StepLR(opt, step_size=arg, gamma=0.5) if kind == "step"
                 else torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=arg, eta_min=0.001))
    act = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[net.hidden]
    Xt, Yt = torch.tensor(X, dtype=dt), torch.tensor(Y, dtype=dt)
    for _ in range(steps):
        opt.zero_grad()
        a = Xt
        for l in range(net.L):
            z = a @ Ws[l] + bs[l]
            a = act(z) if l < net.L - 1 else z
        if net.loss == "bce":
            per = torch.nn.functional.binary_cross_entropy_with_logits(z, Yt, reduction="none").sum(dim=1)
        elif net.loss == "cross_entropy":
            per = -(Yt * torch.log_softmax(z, dim=1)).sum(dim=1)
        else:
            per = 0.5 * ((Yt - z) ** 2).sum(dim=1)
        per.mean().backward()
        opt.step()
        if sched is not None:
            sched.step()
    return [w.detach().tolist() for w in Ws], [b.detach().tolist() for b in bs]


def normwise(P, Q):
    """||P - Q|| / ||Q||, Frobenius."""
    d = sum((x - y) ** 2 for rp, rq in zip(P, Q) for x, y in zip(rp, rq))
    n = sum(y * y for rq in Q for y in rq)
    return math.sqrt(d / n) if n else math.sqrt(d)


def assert_same_as_torch(net, want_W, want_b):
    for l in range(1, net.L + 1):
        assert normwise(net.W[l], want_W[l - 1]) <= TOL, ("W", l, normwise(net.W[l], want_W[l - 1]))
        assert normwise(net.b[l], want_b[l - 1]) <= TOL, ("b", l, normwise(net.b[l], want_b[l - 1]))


def steps_by_matrix_lines(net, X, Y, opt, schedule=None):
    """What train(batch_size=len(X)) does, with the optimizer's matrix lines in place of its
    per-element loop (which train runs on every path)."""
    for epoch in range(STEPS):
        lr = None if schedule is None else schedule(opt.lr, epoch)
        opt.step(net, vectorized.backward(net, X, Y), lr, per_element=False)


# "matrix lines": the optimizer's other form, stepped by hand; the paths: train() with each
FORMS = ["vectorized", "per_neuron", "matrix lines"]


@pytest.mark.parametrize("path", FORMS)
@pytest.mark.parametrize("setting", SETTINGS, ids=[s[0] for s in SETTINGS])
@pytest.mark.parametrize("case", NETS, ids=[c[3] for c in NETS])
def test_forty_full_batch_steps_equal_torch_optim(case, setting, path):
    name, make, cls, kw = setting
    X, Y = data(case[0], case[3])
    net = start(*case)
    want_W, want_b = torch_run(net, X, Y, cls, kw)
    opt = make()
    if path == "matrix lines":
        steps_by_matrix_lines(net, X, Y, opt)
    else:
        train(net, X, Y, epochs=STEPS, batch_size=len(X), path=path, optimizer=opt)
    assert opt.steps == STEPS
    assert_same_as_torch(net, want_W, want_b)


@pytest.mark.parametrize("path", FORMS)
@pytest.mark.parametrize("schedule", [("step", 7), ("cosine", 15), ("cosine", 40)])
@pytest.mark.parametrize("setting", [SETTINGS[2], SETTINGS[9]], ids=["momentum", "adam"])
def test_schedules_equal_torch_lr_scheduler(setting, schedule, path):
    name, make, cls, kw = setting
    case = NETS[0]
    X, Y = data(case[0], case[3])
    net = start(*case)
    want_W, want_b = torch_run(net, X, Y, cls, kw, schedule)
    sched = O.StepLR(schedule[1], gamma=0.5) if schedule[0] == "step" else O.CosineAnnealingLR(schedule[1], eta_min=0.001)
    if path == "matrix lines":
        steps_by_matrix_lines(net, X, Y, make(), sched)
    else:
        h = train(net, X, Y, epochs=STEPS, batch_size=len(X), path=path, optimizer=make(), schedule=sched)
        assert h.lr[0] == kw["lr"] and h.lr[-1] < kw["lr"]
    assert_same_as_torch(net, want_W, want_b)


def test_the_plain_step_through_torch_sgd():
    """optimizer=None with a schedule, against torch.optim.SGD and StepLR."""
    case = NETS[1]
    X, Y = data(case[0], case[3])
    net = start(*case)
    want_W, want_b = torch_run(net, X, Y, "SGD", dict(lr=0.4), ("step", 10))
    train(net, X, Y, epochs=STEPS, lr=0.4, batch_size=len(X), schedule=O.StepLR(10, gamma=0.5))
    assert_same_as_torch(net, want_W, want_b)


# -- without torch ------------------------------------------------------------------------

def _grads(case, seed):
    X, Y = data(case[0], case[3], m=5, seed=seed)
    return X, Y


@pytest.mark.parametrize("setting", SETTINGS, ids=[s[0] for s in SETTINGS])
def test_per_element_and_matrix_lines_agree(setting):
    """The loop over i, j and the matrix lines, 25 steps on the same gradients: the same
    floats, bit for bit; both update the buffers in place (the state keeps its lists)."""
    case = NETS[0]
    a, b = start(*case), start(*case)
    oa, ob = setting[1](), setting[1]()
    for s in range(25):
        X, Y = _grads(case, s)
        oa.step(a, vectorized.backward(a, X, Y), per_element=True)
        ob.step(b, vectorized.backward(b, X, Y), per_element=False)
        if s == 0:
            first = [(o, l, kind, buf, B) for o in (oa, ob) for l in o.state for kind in o.state[l]
                     for buf, B in o.state[l][kind].items()]
    for l in range(1, a.L + 1):
        assert a.W[l] == b.W[l] and a.b[l] == b.b[l]
        for kind in ("W", "b"):
            for buf, B in oa.state[l][kind].items():
                assert B == ob.state[l][kind][buf]
    assert all(o.state[l][kind][buf] is B for o, l, kind, buf, B in first)


class _LoopOnly(O.Adam):
    """Adam whose matrix lines refuse to run: only its per-element loop may."""
    def matrix(self, P, G, s, lr):
        raise AssertionError("train ran the matrix lines")


@pytest.mark.parametrize("path", ["vectorized", "per_neuron", "graph"])
def test_train_runs_the_one_pass_loop_on_every_path(path):
    """The update train() runs is the per-element loop (one pass over the weights), whatever
    path computed the gradients; it equals stepping the loop by hand."""
    case = NETS[0]
    X, Y = data(case[0], case[3], m=4)
    a, b = start(*case), start(*case)
    train(a, X, Y, epochs=3, batch_size=len(X), path=path, optimizer=_LoopOnly(lr=0.01, weight_decay=0.1))
    opt = O.Adam(lr=0.01, weight_decay=0.1)
    for _ in range(3):
        opt.step(b, vectorized.backward(b, X, Y))
    for l in range(1, a.L + 1):
        assert normwise(a.W[l], b.W[l]) <= 1e-13 and normwise(a.b[l], b.b[l]) <= 1e-13


@pytest.mark.parametrize("path", ["vectorized", "per_neuron"])
@pytest.mark.parametrize("batch_size", [1, 5, 12])
def test_plain_sgd_is_the_plain_step_bit_for_bit(path, batch_size):
    case = NETS[1]
    X, Y = data(case[0], case[3])
    a, b = start(*case), start(*case)
    train(a, X, Y, epochs=6, lr=0.3, batch_size=batch_size, path=path)
    train(b, X, Y, epochs=6, batch_size=batch_size, path=path, optimizer=O.SGD(lr=0.3))
    for l in range(1, a.L + 1):
        if batch_size == 1:  # the plain step's one-row update (training._subtract_outer) multiplies in the other order
            assert max(abs(x - y) for rp, rq in zip(a.W[l], b.W[l]) for x, y in zip(rp, rq)) <= 1e-12
        else:
            assert a.W[l] == b.W[l]
        assert a.b[l] == b.b[l] or batch_size == 1


def test_the_state_is_keyed_by_layer_and_inspectable():
    net = start(*NETS[0])
    X, Y = data(NETS[0][0], NETS[0][3])
    opt = O.Adam(lr=0.01)
    g = vectorized.backward(net, X, Y)
    opt.step(net, g)
    assert opt.steps == 1 and sorted(opt.state) == [1, 2, 3]
    # after one step m = (1 - beta1) g and v = (1 - beta2) g o g, by hand
    for l in (1, 2, 3):
        for i, row in enumerate(g.W[l]):
            for j, gij in enumerate(row):
                assert opt.state[l]["W"]["exp_avg"][i][j] == pytest.approx(0.1 * gij, rel=1e-15, abs=1e-300)
                assert opt.state[l]["W"]["exp_avg_sq"][i][j] == pytest.approx(0.001 * gij * gij, rel=1e-14, abs=1e-300)


def test_momentum_first_step_is_the_gradient_then_accumulates():
    net = tb.Network([2, 1], output="identity", loss="squared_error")
    net.W[1], net.b[1] = [[1.0], [0.0]], [[0.0]]
    opt = O.SGD(lr=0.1, momentum=0.9)
    X, Y = [[1.0, 0.0]], [[0.0]]  # g_W = [[1.0], [0.0]] on the first step (yhat - y = 1)
    opt.step(net, vectorized.backward(net, X, Y))
    assert opt.state[1]["W"]["momentum_buffer"] == [[1.0], [0.0]] and net.W[1] == [[0.9], [0.0]]
    assert net.b[1] == [[-0.1]]
    opt.step(net, vectorized.backward(net, X, Y))  # yhat = 0.9 - 0.1, g = 0.8; B = 0.9 * 1.0 + 0.8
    assert opt.state[1]["W"]["momentum_buffer"][0][0] == pytest.approx(1.7) and net.W[1][0][0] == pytest.approx(0.73)


BAD = [
    (lambda: O.SGD(lr=0.0), "lr"), (lambda: O.SGD(lr=float("inf")), "lr"), (lambda: O.Adam(lr=-1), "lr"),
    (lambda: O.SGD(lr="0.1"), "lr"), (lambda: O.SGD(lr=0.1, momentum=-0.1), "momentum"),
    (lambda: O.SGD(lr=0.1, nesterov=True), "nesterov"), (lambda: O.SGD(lr=0.1, weight_decay=-1e-3), "weight_decay"),
    (lambda: O.RMSprop(alpha=-0.5), "alpha"), (lambda: O.RMSprop(eps=-1e-8), "eps"),
    (lambda: O.Adam(betas=(1.0, 0.999)), "beta1"), (lambda: O.Adam(betas=(0.9, -0.1)), "beta2"),
    (lambda: O.Adam(betas=0.9), "betas"), (lambda: O.AdamW(eps=float("nan")), "eps"),
    (lambda: O.AdamW(weight_decay=-0.01), "weight_decay"), (lambda: O.StepLR(0), "step_size"),
    (lambda: O.StepLR(3, gamma=0), "gamma"), (lambda: O.CosineAnnealingLR(0), "T_max"),
    (lambda: O.make("adagrad", 0.1), "optimizer"),
]


@pytest.mark.parametrize("make,word", BAD, ids=[w + str(i) for i, (_, w) in enumerate(BAD)])
def test_bad_settings_are_backprop_errors_naming_the_parameter(make, word):
    with pytest.raises(BackpropError, match=word):
        make()


def test_bad_training_arguments_change_nothing():
    case = NETS[0]
    X, Y = data(case[0], case[3])
    net = start(*case)
    before = net.to_dict()
    opt = O.Adam()
    train(tb.Network([4, 2, 1]), X, Y, epochs=1, optimizer=opt)  # a state for another shape
    with pytest.raises(BackpropError, match="another network shape"):
        train(net, X, Y, epochs=1, optimizer=opt)
    with pytest.raises(BackpropError, match="optimizer must be"):
        train(net, X, Y, epochs=1, optimizer="adam")
    with pytest.raises(BackpropError, match="patience"):
        train(net, X, Y, epochs=1, patience=0, X_val=X, Y_val=Y)
    with pytest.raises(BackpropError, match="X_val"):
        train(net, X, Y, epochs=1, patience=3)
    with pytest.raises(BackpropError, match="schedule"):
        train(net, X, Y, epochs=1, schedule=0.5)
    assert net.to_dict() == before


def test_early_stopping_keeps_the_best_epoch_and_its_weights():
    """A learning rate far too large on a tiny validation set: the validation loss
    soon stops falling; the network must end with the weights it had after the
    best epoch, which a second run stopped there reproduces."""
    case = NETS[2]
    X, Y = data(case[0], case[3], m=24)
    Xv, Yv = data(case[0], case[3], m=6, seed=8)
    net = start(*case)
    h = train(net, X, Y, epochs=200, lr=0.05, batch_size=4, X_val=Xv, Y_val=Yv, patience=5)
    best = h.best_epoch
    assert best is not None and h.epochs == best + 5 < 200
    assert h.val_loss[best - 1] == min(h.val_loss)
    twin = start(*case)
    train(twin, X, Y, epochs=best, lr=0.05, batch_size=4)
    assert twin.to_dict()["W"] == net.to_dict()["W"] and twin.to_dict()["b"] == net.to_dict()["b"]
    assert tb.training.evaluate(net, Xv, Yv)[0] == h.val_loss[best - 1]


def test_adam_trains_xor():
    X, Y = tb.datasets.xor() if hasattr(tb, "datasets") else __import__("tinybackprop.datasets").datasets.xor()
    net = tb.Network([2, 4, 1], hidden="tanh", seed=1)
    h = train(net, X, Y, epochs=150, batch_size=4, optimizer=O.Adam(lr=0.05))
    assert h.accuracy[-1] == 1.0 and h.loss[-1] < 0.1 * h.loss[0]


def test_make_builds_each_cli_name():
    got = [O.make(n, 0.01) for n in O.OPTIMIZERS]
    assert [o.name for o in got] == list(O.OPTIMIZERS)
    assert got[1].momentum == 0.9 and not got[1].nesterov and got[2].nesterov
    assert got[5].weight_decay == 0.01 and got[4].weight_decay == 0.0
    assert O.make("adam", 0.01, betas=(0.5, 0.6), eps=1e-3).settings()["betas"] == [0.5, 0.6]
