"""Rich display in Jupyter: what IPython shows for the package's objects (the _repr_*_
methods it calls), checked here without IPython: each returns a complete document of its
kind (SVG that parses, HTML that parses, Markdown with the math), and the plain repr stays
one short line for a terminal."""
import xml.etree.ElementTree as ET

import tinybackprop as tb

SVG = "{http://www.w3.org/2000/svg}svg"


def test_history_shows_its_loss_curve():
    net = tb.Network([2, 3, 1], hidden="tanh", seed=0)
    X, Y = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [[0.0], [1.0], [1.0], [0.0]]
    h = tb.train(net, X, Y, epochs=12, lr=1.0, batch_size=4, X_val=X, Y_val=Y)
    svg = h._repr_svg_()
    root = ET.fromstring(svg)
    assert root.tag == SVG
    assert svg.count("<polyline") == 2          # training and test loss
    assert "12 epochs" in svg
    assert repr(h) == "History(epochs=12, loss=%r)" % h.loss[-1]
    empty = tb.History(classification=True, validation=False)
    assert empty._repr_svg_() is None            # nothing to draw: Jupyter falls back to repr
