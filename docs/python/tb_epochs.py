"""Training one epoch per call, with exactly the numbers of one long ``training.train`` call.

Why the playground needs this: the page's Python (MicroPython compiled to WebAssembly)
frees memory only when a call from JavaScript returns; inside one call its garbage
collector cannot see what the WebAssembly stack holds, so it lets the heap grow instead.
One long ``train(..., epochs=300)`` therefore grows by every epoch's garbage (about
13 MB per epoch for the spiral with 16,16 units) until the browser refuses more memory.
One epoch per call keeps the memory flat: each call's garbage is collected when it
returns.

``train`` shuffles the rows with a fresh ``Random(seed)`` on every call, so calling it
with ``epochs=1`` again and again would visit the rows in another order than one long
call does.  :class:`Epochs` keeps the generator (and the order) that the long call would
have, and hands ``train`` the rows arranged so that its first shuffle puts them in this
epoch's order of the long call: the same batches, in the same order, so the same floats
(``tests/docs/test_plane_python.py`` checks it bit for bit, and the page against the command line).

Plain Python: runs in the page and, for the tests, in CPython.
"""
from tinybackprop.rng import Random
from tinybackprop.training import evaluate, train


class Epochs:
    """``train(net, X, Y, epochs=N, ...)`` cut into N calls of :meth:`step`, one epoch each.

    With ``evaluate_train`` each step also gives the training set's loss and accuracy after
    the epoch, as ``evaluate`` gives them (one more forward pass over the training rows).
    ``X_val``, ``Y_val``: validation rows, handed to ``train`` as the long call has them
    (``History.val_loss``).  ``X_test``, ``Y_test``: rows measured after every epoch for a
    live test curve (the 2-D playground's, as TensorFlow Playground draws one), as
    ``evaluate`` measures them; ``train`` never sees them and nothing is chosen on them.
    """

    def __init__(self, net, X, Y, lr, batch_size, seed, X_val=None, Y_val=None, optimizer=None,
                 path="vectorized", evaluate_train=True, X_test=None, Y_test=None):
        self.net, self.X, self.Y = net, X, Y
        self.lr, self.batch_size, self.seed = lr, batch_size, seed
        self.X_val, self.Y_val, self.optimizer = X_val, Y_val, optimizer
        self.X_test, self.Y_test = X_test, Y_test
        self.path, self.evaluate_train = path, evaluate_train
        m = len(X)
        self.rng = Random(seed)            # the long call's generator ...
        self.order = list(range(m))        # ... and its order, shuffled again each epoch
        first = list(range(m))
        Random(seed).shuffle(first)        # what a call's own first shuffle makes of 0..m-1
        self.first = first
        self.epoch = 0

    def step(self):
        """One epoch; returns a dict: ``epoch``, the running ``loss`` and ``accuracy`` (as
        ``History.loss``), ``train_loss``/``train_accuracy`` (after the epoch; None without
        ``evaluate_train``), ``val_loss``/``val_accuracy`` (as ``History.val_loss``; None without
        validation rows) and ``test_loss``/``test_accuracy`` (None without test rows)."""
        self.rng.shuffle(self.order)       # this epoch's order in the long call
        m = len(self.order)
        X, Y = [None] * m, [None] * m
        for j in range(m):                 # train's shuffle puts row first[j] at place j
            X[self.first[j]] = self.X[self.order[j]]
            Y[self.first[j]] = self.Y[self.order[j]]
        h = train(self.net, X, Y, epochs=1, lr=self.lr, batch_size=self.batch_size, seed=self.seed,
                  X_val=self.X_val, Y_val=self.Y_val, optimizer=self.optimizer, path=self.path)
        self.epoch += 1
        train_loss, train_accuracy = evaluate(self.net, self.X, self.Y) if self.evaluate_train else (None, None)
        test_loss, test_accuracy = evaluate(self.net, self.X_test, self.Y_test) if self.X_test else (None, None)
        return {"epoch": self.epoch, "loss": h.loss[0], "accuracy": h.accuracy[0] if h.accuracy else None,
                "train_loss": train_loss, "train_accuracy": train_accuracy,
                "val_loss": h.val_loss[0] if h.val_loss else None,
                "val_accuracy": h.val_accuracy[0] if h.val_accuracy else None,
                "test_loss": test_loss, "test_accuracy": test_accuracy}

