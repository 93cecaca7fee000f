"""The explicit objects behind the matrix form, for the questions learners ask.

"Why is this an element-wise product?"  Because the Jacobian of an
element-wise activation is diagonal, and a row vector times a diagonal matrix
is the Hadamard product.  "How do I take a vector-by-matrix derivative?"
dz/dW is a 3-D array; contracting it with dL/dz gives ``(a^[l-1])^T g^[lz]``.
These functions build those objects as nested lists so a learner can print
them, and contract them so a test can show the shortcuts are exact.
Equations on the site: docs/jacobians.md#eq-jac-diag and the other anchors
``eq-`` + ID with dots as dashes.

================================  ==============================================
``activation_jacobian(name, z)``  da/dz at z: diag(phi'(z_1), ..., phi'(z_n)) for an
                                  element-wise phi; for the softmax the full n x n
                                  J[k][j] = a_k (delta_kj - a_j)
``dz_dW(a_prev, n_out)``          T[j][i][k] = dz_j / dW_ik = a_i delta_jk
``vector_jacobian(g_a, J)``       the gradient row g_a times J: sum_k g_a_k J[k][j]
``contract_dzdW(g_z, T)``         G[i][k] = sum_j g_z_j T[j][i][k]
================================  ==============================================

Vectors may be flat lists or 1 x n rows; vectors come back as 1 x n rows.

>>> J = activation_jacobian("sigmoid", [0.0, 0.0])
>>> J
[[0.25, 0.0], [0.0, 0.25]]
>>> vector_jacobian([[2.0, 4.0]], J)
[[0.5, 1.0]]
"""
from .. import activations
from ..errors import BackpropError, show
from ..matrix import MAX_ENTRIES, check_matrix, check_vector, hadamard, isint


def activation_jacobian(name, z):
    """The Jacobian da/dz of the activation ``name`` at ``z``: J[k][j] = da_k/dz_j.  Diagonal
    for an element-wise activation (a_k depends on z_k alone); full for the softmax, whose
    every output depends on every z_j: J[k][j] = a_k (delta_kj - a_j), where delta_kj (the
    Kronecker delta) is 1 when k = j and 0 otherwise.

    >>> activation_jacobian("relu", [[-1.0, 2.0]])
    [[0.0, 0.0], [0.0, 1.0]]
    >>> activation_jacobian("softmax", [0.0, 0.0])
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    z = check_vector(z, "activation_jacobian", "z")
    if name == "softmax":
        return activations.softmax_jacobian(activations.softmax(list(z)))  # [eq:jac.softmax]
    act = activations.get_hidden(name, "activation_jacobian")
    d = [act.d(z_j, act.f(z_j)) for z_j in z]  # [eq:jac.diag] (and the next line)
    return [[d[j] if k == j else 0.0 for k in range(len(z))] for j in range(len(z))]  # [eq:jac.diag]


def dz_dW(a_prev, n_out):
    """dz/dW for one layer as a 3-D list: T[j][i][k] = dz_j/dW_ik = a_i if j == k else 0.

    Its shape is n_out x n_in x n_out: for every output z_j, a whole matrix
    the shape of W.

    >>> dz_dW([1.0, 2.0], 2)
    [[[1.0, 0.0], [2.0, 0.0]], [[0.0, 1.0], [0.0, 2.0]]]
    """
    a_prev = check_vector(a_prev, "dz_dW", "a_prev")
    if not isint(n_out) or n_out < 1:
        raise BackpropError("dz_dW: n_out must be an int >= 1, got %s" % show(n_out))
    if n_out * n_out * len(a_prev) > MAX_ENTRIES:
        raise BackpropError("dz_dW: the array would be %s x %d x %s, more than %d entries"
                            % (show(n_out), len(a_prev), show(n_out), MAX_ENTRIES))
    return [[[a_i if k == j else 0.0 for k in range(n_out)] for a_i in a_prev]  # [eq:jac.dzdW]
            for j in range(n_out)]


def vector_jacobian(g_a, J):
    """The gradient row ``g_a`` (1 x n) times the Jacobian ``J`` (n x p): a 1 x p row.

    With ``J = activation_jacobian(...)`` this is ``phi'(z) o g_a`` exactly.

    >>> vector_jacobian([1.0, 1.0], [[0.25, -0.25], [-0.25, 0.25]])
    [[0.0, 0.0]]
    """
    g_a = check_vector(g_a, "vector_jacobian", "g_a")
    n, p = check_matrix(J, "vector_jacobian", "J")
    if n != len(g_a):
        raise BackpropError("vector_jacobian: cannot multiply 1x%d by %dx%d (inner sizes %d and %d differ)"
                            % (len(g_a), n, p, len(g_a), n))
    return [[sum(g_a[k] * J[k][j] for k in range(n)) for j in range(p)]]  # [eq:jac.contract_diag]


def contract_dzdW(g_z, T):
    """dL/dW from dL/dz and the 3-D dz/dW: G[i][k] = sum_j g_z_j T[j][i][k].

    Equals ``outer(a_prev, g_z)``, the matrix form's ``(a^[l-1])^T g^[lz]``.

    >>> contract_dzdW([[3.0, 4.0]], dz_dW([1.0, 2.0], 2))
    [[3.0, 4.0], [6.0, 8.0]]
    """
    g_z = check_vector(g_z, "contract_dzdW", "g_z")
    if not isinstance(T, list) or len(T) != len(g_z):
        raise BackpropError("contract_dzdW: T must be a list of %d matrices (one per z_j), got %s"
                            % (len(g_z), len(T) if isinstance(T, list) else type(T).__name__))
    shape = check_matrix(T[0], "contract_dzdW", "T[0]")
    for j, T_j in enumerate(T):
        if check_matrix(T_j, "contract_dzdW", "T[%d]" % j) != shape:
            raise BackpropError("contract_dzdW: T[%d] is not the shape of T[0] (%dx%d)" % (j, shape[0], shape[1]))
    n_in, n_out = shape
    return [[sum(g_z[j] * T[j][i][k] for j in range(len(g_z))) for k in range(n_out)]  # [eq:jac.contract_dzdW]
            for i in range(n_in)]


def hadamard_equals_jacobian(z, g_a, name="sigmoid"):
    """True when phi'(z) o g_a equals g_a times the diagonal Jacobian, entry for entry.

    >>> hadamard_equals_jacobian([0.3, -1.2], [0.5, 2.0])
    True
    """
    z = check_vector(z, "hadamard_equals_jacobian", "z")
    g_a = check_vector(g_a, "hadamard_equals_jacobian", "g_a")
    if len(z) != len(g_a):
        raise BackpropError("hadamard_equals_jacobian: z has %d entries but g_a has %d (both must be as long)"
                            % (len(z), len(g_a)))
    act = activations.get_hidden(name, "hadamard_equals_jacobian")
    local = [[act.d(z_j, act.f(z_j)) for z_j in z]]
    return hadamard(local, [list(g_a)]) == vector_jacobian(g_a, activation_jacobian(name, z))
