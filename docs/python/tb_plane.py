"""The playground's 2-D mode, Python side: runs in the page (MicroPython) and, for the tests, in CPython.

docs/assets/javascripts/tb-plane.js runs ``train_live(...)`` in a second MicroPython and
draws what it prints: one line ``TB {json}`` per epoch (losses and accuracies from
``training.train``'s history) and, every few epochs, one line ``SVG <svg ...>`` with the
decision regions drawn by ``boundary.regions``. The data come from ``datasets.planar.planar_task``.
Nothing here computes a gradient or a prediction; it only passes on what the package did.
"""
import json

from tinybackprop import Network

from tinybackprop.show import boundary
from tinybackprop.datasets import planar
from tinybackprop.training import train


def setup(data, hidden_sizes, hidden, samples=200, noise=None, seed=0):
    """(task, net, labels): the data set and a network for it: 2 inputs, the hidden
    layers asked for, 1 sigmoid output (bce) for 2 classes or a softmax (cross entropy)."""
    task = planar.planar_task(data, samples=samples, noise=noise, seed=seed)
    k = planar.CLASSES[data]
    n_out = 1 if k == 2 else k
    net = Network([2] + list(hidden_sizes) + [n_out], hidden=hidden, output="sigmoid" if n_out == 1 else "softmax",
                  loss="bce" if n_out == 1 else "cross_entropy", seed=seed)
    return task, net, boundary.labels(task.Y_train)


def train_live(data="moons", hidden_sizes=(8, 8), hidden="tanh", samples=200, noise=None, epochs=100, lr=0.3,
               batch_size=16, seed=0, every=5, cells=40):
    task, net, labels = setup(data, hidden_sizes, hidden, samples, noise, seed)

    def picture(epoch):
        svg = boundary.regions(net, task.X_train, labels, task.classes, cells=cells,
                               title="%s, epoch %d" % (data, epoch))
        print("SVG " + svg.replace("\n", ""))

    def each(epoch, h):
        print("TB " + json.dumps({"epoch": epoch, "loss": h.loss[-1], "accuracy": h.accuracy[-1],
                                  "test_loss": h.val_loss[-1], "test_accuracy": h.val_accuracy[-1]}))
        if epoch % every == 0 or epoch == epochs:
            picture(epoch)

    picture(0)
    train(net, task.X_train, task.Y_train, epochs=epochs, lr=lr, batch_size=batch_size, seed=seed, callback=each,
          X_val=task.X_test, Y_val=task.Y_test)
    print("TB " + json.dumps({"done": True}))
