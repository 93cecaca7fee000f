"""tinybackprop: backpropagation done twice, neuron by neuron and in matrix form (and a third
time by a graph of scalars, the way autograd does it).

The top of the package is the lesson, and nothing else: every module here is what a
network needs to go forward, backward (three ways), check its gradients, train and be
saved.  This folder is what a microcontroller board copies; its modules import only
``math``, ``json``, ``sys`` and ``os``.  Read it in this order:

=========================  ========================================================
``matrix``                 list-of-lists helpers: each checks its arguments, then loops
``activations``            each activation phi beside its derivative phi'
``losses``                 each loss beside its gradient, computed from z^[L]
``init``                   how the weights start (Glorot, He, normal, zeros, ...)
``network``                ``Network``: W^[l], b^[l] for l = 1..L (z = aW + b)
``per_neuron``             forward and backward, one statement per per-element equation
``vectorized``             the same, one matrix-helper line per matrix equation
``scalar``, ``graph``      the third way: a ``Value`` that remembers its parents and their
                           local derivatives, and the network's backward pass by them
``gradcheck``              central differences and the comparison of the paths
``training``               ``train``: mini-batch gradient descent with any of the paths
``optimizers``             momentum, Nesterov, RMSprop, Adam, AdamW, schedules
``files``, ``modelfile``   saving and loading a network, written atomically, read once
``errors``, ``rng``        ``BackpropError`` (the one exception, a ValueError); the seeded
                           generator that gives the same weights on every interpreter
``_compat``                what differs between interpreters
=========================  ========================================================

Around it, each tool in a sub-package of its own (none of them is imported here):

=========================  ========================================================
``datasets/``              Iris, XOR, the handwritten digits, your CSV file, 2-D point sets;
                           split and standardise
``show/``                  what the package draws and explains: SVG pictures, decision
                           regions, gradient flow, ``explain`` (a backward pass equation by
                           equation), the Jacobians written out, the table of equation IDs,
                           and rich display in Jupyter (``import tinybackprop.show``)
``exercises/``             ``tinybackprop exercise``: your function against the package's,
                           run in a sandboxed process
``export/``                the network in PyTorch or NumPy (optional packages)
``cli/``                   the ``tinybackprop`` command, one module per command
=========================  ========================================================

Modules over 400 lines, and why: ``network`` (the model with every check of its shapes and
numbers, its forward pass and its file form), ``files`` (every defence of saving and reading a
file, with the OS calls they need on each interpreter), ``matrix`` (every helper with its check
and its messages, and the checks the rest of the package uses), ``training`` (the loop, its
history, and each argument checked before the first step), ``optimizers`` (six rules, each written
twice, and their checks), ``show.explain`` (every step of a
backward pass, per element and in matrix form, each written once for its text and its LaTeX),
``show.svg`` (three kinds of picture drawn with string formatting alone), ``cli.train`` (the
main command: every data source, optimizer and output it takes, each checked before the first
step, and every output written all or none).

>>> import tinybackprop as tb
>>> net = tb.Network([4, 3, 2, 1], hidden="sigmoid", output="sigmoid", loss="bce", seed=0)
>>> X, Y = [[0.1, 0.2, 0.3, 0.4]], [[1.0]]
>>> g1, g2 = tb.per_neuron.backward(net, X, Y), tb.vectorized.backward(net, X, Y)
>>> tb.gradcheck.relative_error(g1.W[1], g2.W[1]) < 1e-12
True
"""
from ._compat import TYPE_CHECKING
from .errors import BackpropError
from .matrix import (add, apply, colsum, copy, hadamard, matmul, outer, scale, shape,
                     subtract, transpose, zeros)
from .network import Forward, Gradients, Network
from .rng import Random
from . import vectorized
from . import training
from .training import History, train

if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> "Any":  # a submodule, loaded on first use
    """Any submodule on first use: ``tb.per_neuron``, ``tb.gradcheck``, ``tb.graph``, ``tb.optimizers``, and
    ``from tinybackprop import datasets``, which MicroPython asks here BEFORE it looks for
    the file (a refusal here would hide every submodule not yet loaded there, while CPython
    would still find it).  What a plain training run does not use is loaded only when asked
    for, which leaves its memory to a board's heap."""
    if name[:1] != "_":
        try:
            __import__("tinybackprop." + name)  # sets the package's attribute, as any import
        except ImportError as e:  # no such submodule: the AttributeError below; anything else
            if ("tinybackprop." + name) not in str(e):  # (a module it imports is missing) is raised
                raise
        else:
            return globals()[name]
    raise AttributeError("module 'tinybackprop' has no attribute %r" % (name,))


__all__ = [
    "BackpropError", "Network", "Forward", "Gradients", "Random",
    "per_neuron", "vectorized", "training", "train", "History",
    "add", "apply", "colsum", "copy", "hadamard", "matmul", "outer", "scale", "shape",
    "subtract", "transpose", "zeros",
]
