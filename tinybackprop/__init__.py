"""tinybackprop: backpropagation done twice, neuron by neuron and in matrix form.

=========================  ========================================================
``Network``                a seeded network in the document's notation (z = aW + b)
``per_neuron``             forward and backward, one statement per per-element equation
``vectorized``             the same, one matrix-helper line per matrix equation
``gradcheck``              central differences and the comparison of both paths
``train``                  mini-batch gradient descent with either path (``training``)
``jacobian``               the diagonal Jacobian, the softmax Jacobian, dz/dW as a 3-D array
``matmul, transpose, ...`` list-of-lists matrix helpers (see ``tinybackprop.matrix``)
``export``                 the network in PyTorch or NumPy (optional packages)
``BackpropError``          the one exception class (a ValueError)
=========================  ========================================================

>>> import tinybackprop as tb
>>> net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
>>> X, Y = [[0.1, 0.2, 0.3, 0.4]], [[1.0]]
>>> g1, g2 = tb.per_neuron.backward(net, X, Y), tb.vectorized.backward(net, X, Y)
>>> tb.gradcheck.relative_error(g1.W[1], g2.W[1]) < 1e-12
True
"""
from .errors import BackpropError
from .matrix import (add, apply, colsum, copy, hadamard, matmul, outer, scale, shape,
                     subtract, transpose, zeros)
from .network import Forward, Gradients, Network
from .rng import Random
from . import per_neuron, vectorized
from . import training
from .training import History, train

#: Modules a network does not need to go forward, backward or train: they load on first
#: use (tb.gradcheck, ..., and ``from . import files`` in save and load, which MicroPython
#: resolves through __getattr__ below), which leaves their memory to a board's heap.
LAZY = ("gradcheck", "jacobian", "equations", "files", "digits", "csvfile", "export")
TYPE_CHECKING = False
if TYPE_CHECKING:  # what type checkers and stubtest see; at run time, __getattr__ below
    from . import csvfile, digits, equations, export, files, gradcheck, jacobian


def __getattr__(name):
    if name in LAZY:
        __import__("tinybackprop." + name)  # sets the package's attribute, as any import
        return globals()[name]
    raise AttributeError("module 'tinybackprop' has no attribute %r" % (name,))

__version__ = "0.1.0"

__all__ = [
    "BackpropError", "Network", "Forward", "Gradients", "Random",
    "per_neuron", "vectorized", "gradcheck", "jacobian", "equations",
    "training", "train", "History",
    "add", "apply", "colsum", "copy", "hadamard", "matmul", "outer", "scale", "shape",
    "subtract", "transpose", "zeros",
]
