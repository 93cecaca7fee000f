"""tinybackprop: backpropagation done twice, neuron by neuron and in matrix form (and a third
time by a graph of scalars, the way autograd does it).

The lesson, flat at the top of the package (read it in this order):

=========================  ========================================================
``matrix``, ``kernels``    list-of-lists helpers, checked (matrix) and bare (kernels)
``activations``            each activation g beside its derivative g'
``losses``                 each loss beside its gradient, computed from z^[L]
``network``                ``Network``: W^[l], b^[l] for l = 1..L (z = aW + b)
``per_neuron``             forward and backward, one statement per per-element equation
``vectorized``             the same, one matrix-helper line per matrix equation
``scalar``, ``graph``      the third way: a ``Value`` that remembers its parents and their
                           local derivatives, and the network's backward pass by them
``jacobian``               the diagonal Jacobian, the softmax Jacobian, dz/dW as a 3-D array
``gradcheck``              central differences and the comparison of both paths
``training``               ``train``: mini-batch gradient descent with any of the paths
``optimizers``             momentum, Nesterov, RMSprop, Adam, AdamW, schedules (loaded on use)
=========================  ========================================================

Around it: ``equations`` (the table of equation IDs), ``rng`` (the seeded generator), ``init``
(how the weights start),
``errors`` (``BackpropError``, the one exception class, a ValueError), ``files`` and
``modelfile`` (saving and loading), ``_compat`` (what differs between interpreters).
These are the core (``CORE`` below): all a board needs.  The tools, in rooms of their own:

=========================  ========================================================
``datasets/``              Iris, XOR, the handwritten digits, your CSV file, 2-D toy sets
                           (``planar``); ``prepare``: split, standardise
``cli/``                   the ``tinybackprop`` command, one module per command
``explain``                one backward pass laid out equation by equation (the CLI, the site)
``svg``                    pictures as SVG text (the CLI's ``--plot``, ``draw``; the site)
``boundary``               the decision regions of a classifier with 2 inputs, as SVG
``gradflow``               gradient sizes layer by layer at the start, dead relu units (the site)
``export``                 the network in PyTorch or NumPy (optional packages), a checking script
``_display``               what Jupyter shows for a Network, Gradients, History, explanation
``exercises``              ``tinybackprop exercise``: your function against the package's
``teaching``               numbers for the course pages; it stays in the package because the
                           pages' runnable cells call it (``from tinybackprop import teaching``)
=========================  ========================================================

Modules over 400 lines, and why: ``explain`` (every step of a backward pass, per element
and in matrix form, each written once for its text and its LaTeX), ``network`` (the model
with every check of its shapes and numbers, its forward pass and its file form), ``svg``
(three kinds of picture drawn with string formatting alone), ``files`` (every defence of
saving and reading a file, with the OS calls they need on each interpreter), ``cli.train``
(the main command: every data source, optimizer and output it takes, each checked before
the first step, and every output written all or none).

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

#: THE core, defined here once: the modules a network needs to go forward, backward, train,
#: save and load.  They import only math, json, sys and os and are what a board gets;
#: tests/core/test_house_rules.py, portability/matrix.py (the files copied to MicroPython) and
#: .ci/pyodide-tests.sh read this tuple.  Everything else (datasets/, cli/, svg, explain,
#: exercises, teaching) is a tool around the core.
CORE = ("__init__", "_compat", "errors", "rng", "init", "matrix", "kernels", "activations", "losses", "network",
        "per_neuron", "vectorized", "training", "gradcheck", "jacobian", "equations", "files", "modelfile",
        "optimizers", "scalar", "graph")
#: The core modules a network does not need to go forward, backward or train: they load on
#: first use (tb.gradcheck, ..., and ``from . import modelfile`` in save and load, which
#: MicroPython resolves through __getattr__ below), which leaves their memory to a board's heap.
LAZY = CORE[CORE.index("gradcheck"):]
TYPE_CHECKING = False
if TYPE_CHECKING:  # what type checkers and stubtest see; at run time, __getattr__ below
    from . import equations, files, gradcheck, graph, jacobian, modelfile, optimizers, scalar


def __getattr__(name):
    """Any submodule on first use: ``tb.gradcheck``, and ``from tinybackprop import datasets``,
    which MicroPython asks here BEFORE it looks for the file (a refusal here would hide every
    submodule not yet loaded there, while CPython would still find it)."""
    if name[:1] != "_":
        try:
            __import__("tinybackprop." + name)  # sets the package's attribute, as any import
        except ImportError as e:  # no such submodule: the AttributeError below; anything else
            if ("tinybackprop." + name) not in str(e):  # (a module it imports is missing) is raised
                raise
        else:
            return globals()[name]
    raise AttributeError("module 'tinybackprop' has no attribute %r" % (name,))

__version__ = "0.1.0"

__all__ = [
    "BackpropError", "Network", "Forward", "Gradients", "Random",
    "per_neuron", "vectorized", "graph", "gradcheck", "jacobian", "equations", "optimizers",
    "training", "train", "History",
    "add", "apply", "colsum", "copy", "hadamard", "matmul", "outer", "scale", "shape",
    "subtract", "transpose", "zeros",
]
