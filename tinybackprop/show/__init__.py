"""What the package draws and explains: pictures as SVG text, explanations as text or
Markdown with LaTeX.  A tool around the lesson: nothing at the top of the package imports
it, and a board that copies only the lesson never needs it.

==========================  =======================================================
``svg``                     loss curves, the network drawn with its weights and
                            gradients, sheets of small images
``svg_graph``               the graph of a ``Value`` (the third path) as SVG
``boundary``                the decision regions of a classifier with 2 inputs
``gradflow``                gradient sizes layer by layer, dead relu units
``explain``                 one backward pass laid out equation by equation
``explain_graph``           the same for the graph of Values
``jacobian``                the Jacobians of the matrix form, written out in full
``equations``               every equation's ID, title and LaTeX (the site's anchors)
``jupyter``                 what Jupyter shows for a Network, Gradients or History
==========================  =======================================================

Importing this package turns on the rich display in Jupyter (``import tinybackprop.show``):
a network then shows its drawing, gradients their tables and a training history its loss
curve (see :mod:`tinybackprop.show.jupyter`).

>>> import tinybackprop as tb, tinybackprop.show
>>> tb.Network([2, 2, 1], seed=0)._repr_svg_().startswith("<svg")
True
"""
from . import jupyter

jupyter.attach()
