"""Each activation's and each loss's row form (``f_row``, ``d_row``: what the matrix form takes a
row at a time) gives, entry by entry, the very floats of its per-entry form (``f``, ``d``: what
the per-neuron path calls), at ordinary values and at the extremes: the two are one formula
written twice, and this is what keeps them one."""
import pytest

from tinybackprop import activations, losses
from tinybackprop.rng import Random

_r = Random(7)
Z = [-1000.0, -745.2, -709.0, -30.0, -2.5, -1e-300, -0.0, 0.0, 1e-300, 0.1, 0.7, 3.0, 30.0, 709.0, 745.2,
     1000.0] + [_r.uniform(-8.0, 8.0) for _ in range(200)]
A = [0.0, 5e-324, 1e-300, 1e-16, 1e-15, 1e-9, 0.3, 0.5, 0.9, 1.0 - 1e-12, 1.0 - 2.0 ** -53, 1.0] + [
    _r.random() for _ in range(100)]
Y = [0.0, 0.3, 1.0]


def bits(row):
    """The floats exactly, -0.0 apart from 0.0."""
    return [float.hex(float(v)) for v in row]


@pytest.mark.parametrize("name", sorted(set(activations.HIDDEN) | set(activations.OUTPUT)))
def test_an_activations_row_form_gives_its_per_entry_floats(name):
    act = activations.OUTPUT.get(name) or activations.HIDDEN[name]
    if act.is_softmax:  # it maps a whole row: its row form is the function itself
        assert act.f_row is activations.softmax and act.f is None and act.d is None
        return
    a = act.f_row(Z)
    assert bits(a) == bits([act.f(z) for z in Z])
    assert bits(act.d_row(Z, a)) == bits([act.d(z, x) for z, x in zip(Z, a)])
    assert act.f_row([]) == [] and act.d_row([], []) == []


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_a_losss_row_form_gives_its_per_entry_floats(name):
    loss = losses.LOSSES[name]
    for y in Y:
        ys = [y] * len(A)
        assert bits(loss.d_row(A, ys)) == bits([loss.d(a, y) for a in A]), y
