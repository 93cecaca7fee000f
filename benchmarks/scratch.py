"""The plainest from-scratch backpropagation: a dict per neuron, plain loops, one row per step.

This is the peer that the online-SGD rows of benchmarks/run.py measure tinybackprop against.  It follows the
structure of Jason Brownlee's tutorial "How to Code a Neural Network with
Backpropagation In Python (from scratch)" (Machine Learning Mastery,
https://machinelearningmastery.com/implement-backpropagation-algorithm-scratch-python/):
a network is a list of layers, a layer a list of neurons, a neuron a dict with
its ``'weights'`` (the bias last), its ``'output'`` and its ``'delta'``;
``forward_propagate``, ``backward_propagate_error`` and ``update_weights``
run one row at a time; sigmoid units, squared error, online SGD.  The code
here is written for this benchmark in that style (not copied), with two
changes: the weights start from a tinybackprop network's, so that both
compute the same thing, and the rows of an epoch come in an order given by
the caller.

The update is the tutorial's: w <- w - lr * delta * input, fused into one loop
per neuron, after the backward pass of the row.  For sigmoid outputs and the
squared error 1/2 sum (y - yhat)^2 the deltas are exactly tinybackprop's
g^[lz] at batch size 1, so one epoch here and one epoch of
``tb.train(..., batch_size=1)`` on the same rows in the same order give the
same weights up to rounding (``benchmarks/run.py`` checks it before timing).

>>> net = from_tinybackprop([[[0.5], [-0.5]]], [[[0.0]]])
>>> round(forward_propagate(net, [1.0, 1.0])[0], 3)
0.5
"""
import math


def from_tinybackprop(W, b):
    """The network as dicts, from W^[l] (n_{l-1} x n_l) and b^[l] (1 x n_l), l = 1..L:
    neuron j of layer l gets the weights of column j of W^[l], then b_j."""
    network = []
    for W_l, b_l in zip(W, b):
        layer = []
        for j in range(len(b_l[0])):
            layer.append({"weights": [row[j] for row in W_l] + [b_l[0][j]]})
        network.append(layer)
    return network


def to_tinybackprop(network):
    """(W, b) back from the dicts, in tinybackprop's layout."""
    W, b = [], []
    for layer in network:
        n_in = len(layer[0]["weights"]) - 1
        W.append([[neuron["weights"][i] for neuron in layer] for i in range(n_in)])
        b.append([[neuron["weights"][-1] for neuron in layer]])
    return W, b


def activate(weights, inputs):
    """The bias, plus every weight times its input."""
    activation = weights[-1]
    for i in range(len(weights) - 1):
        activation += weights[i] * inputs[i]
    return activation


def transfer(activation):
    """The sigmoid."""
    return 1.0 / (1.0 + math.exp(-activation))


def forward_propagate(network, row):
    """Each layer's outputs become the next layer's inputs; returns the last."""
    inputs = row
    for layer in network:
        new_inputs = []
        for neuron in layer:
            neuron["output"] = transfer(activate(neuron["weights"], inputs))
            new_inputs.append(neuron["output"])
        inputs = new_inputs
    return inputs


def transfer_derivative(output):
    """The sigmoid's slope, from its output."""
    return output * (1.0 - output)


def backward_propagate_error(network, expected):
    """Every neuron's delta (dL/dz), from the output layer back."""
    for i in reversed(range(len(network))):
        layer = network[i]
        errors = []
        if i == len(network) - 1:
            for j in range(len(layer)):
                neuron = layer[j]
                errors.append(neuron["output"] - expected[j])
        else:
            for j in range(len(layer)):
                error = 0.0
                for neuron in network[i + 1]:
                    error += neuron["weights"][j] * neuron["delta"]
                errors.append(error)
        for j in range(len(layer)):
            neuron = layer[j]
            neuron["delta"] = errors[j] * transfer_derivative(neuron["output"])


def update_weights(network, row, l_rate):
    """w <- w - l_rate * delta * input, neuron by neuron; the bias's input is 1."""
    for i in range(len(network)):
        inputs = row
        if i != 0:
            inputs = [neuron["output"] for neuron in network[i - 1]]
        for neuron in network[i]:
            for j in range(len(inputs)):
                neuron["weights"][j] -= l_rate * neuron["delta"] * inputs[j]
            neuron["weights"][-1] -= l_rate * neuron["delta"]


def train_epoch(network, X, Y, l_rate, order):
    """One epoch of online SGD over the rows in ``order``; returns the summed squared error."""
    sum_error = 0.0
    for r in order:
        outputs = forward_propagate(network, X[r])
        expected = Y[r]
        sum_error += sum([(expected[k] - outputs[k]) ** 2 for k in range(len(expected))])
        backward_propagate_error(network, expected)
        update_weights(network, X[r], l_rate)
    return sum_error
