"""What ``train`` reports and ``predict`` answers: the confusion matrix, RMSE and R^2 (the class of an
output row is ``training.predicted_class``).

>>> confusion([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
[[1, 0], [1, 1]]
"""
import math

from ..training import predicted_class

def confusion(Yhat, Y):
    """Counts C[i][j] of the rows whose true class is i and whose predicted class is j."""
    k = max(2, len(Y[0]))
    C = [[0] * k for _ in range(k)]
    for yhat, y in zip(Yhat, Y):
        C[predicted_class(y)][predicted_class(yhat)] += 1
    return C


def format_confusion(C, classes):
    """The confusion matrix as text: one row per true class, one column per prediction.

    >>> print(format_confusion([[5, 1], [0, 4]], ["cat", "dog"]))
    true \\ predicted  cat  dog
                 cat    5    1
                 dog    0    4
    """
    names = [str(c) for c in classes]
    width = max([len(n) for n in names] + [len(str(v)) for row in C for v in row] + [3])
    corner = "true \\ predicted"
    left = max([len(corner)] + [len(n) for n in names])
    lines = [corner.ljust(left) + "".join("  " + n.rjust(width) for n in names)]
    for name, row in zip(names, C):
        lines.append(name.rjust(left) + "".join("  " + str(v).rjust(width) for v in row))
    return "\n".join(lines)


def regression_metrics(y_pred, y_true):
    """RMSE and R^2 = 1 - sum (y - yhat)^2 / sum (y - mean y)^2 of two lists of numbers
    (R^2 is None when all the true values are equal).

    Values near the ends of the float range (1e-200, 1e200) are measured in
    units of the largest, so that no square vanishes or overflows; an RMSE
    beyond the float range comes back infinite (the caller refuses it).

    >>> regression_metrics([2.0, 4.0], [1.0, 5.0])  # errors 1 and 1; spread 2 either side of 3
    (1.0, 0.75)
    >>> regression_metrics([2e-200, 4e-200], [1e-200, 5e-200])[1]
    0.75
    """
    scale = max([abs(v) for v in y_true] + [abs(v) for v in y_pred])
    if scale > 0 and not 1e-100 <= scale <= 1e100:
        rmse, r2 = regression_metrics([p / scale for p in y_pred], [y / scale for y in y_true])
        return rmse * scale, r2
    n = len(y_true)
    mean = sum(y_true) / n
    ss_res = sum((y - p) ** 2 for p, y in zip(y_pred, y_true))
    ss_tot = sum((y - mean) ** 2 for y in y_true)
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else None  # undefined when every y is the same
    return math.sqrt(ss_res / n), r2
