r"""The one table of equation IDs shared by the code, the tests and the docs.

Each line of code that computes an equation ends with ``# [eq:ID]``; the docs
show the equation under an anchor ``eq-ID`` (dots become dashes) and pull the
lines tagged with the ID in from the source (see the docs hooks README).  A test checks
that every ID here is used in the code and every ID used in the code is here.

The per-element form (``per_neuron.py``) and the matrix form
(``vectorized.py``) of the same step have IDs that differ only by ``.mat``.

==================  =====================================================
``EQUATIONS``       dict: ID -> (title, LaTeX in the site's notation: docs/notation.md)
``anchor(id)``      the docs anchor of an equation ID
==================  =====================================================

>>> EQUATIONS["bwd.gW.mat"][1]
'g^{[lW]} = (a^{[l-1]})^T g^{[lz]}'
>>> anchor("bwd.gW.mat")
'eq-bwd-gW-mat'
"""

EQUATIONS = {
    # -- forward pass, per element (per_neuron.py) and matrix form (vectorized.py)
    "fwd.z": ("Pre-activation of neuron j",
              r"z_j^{[l]} = \sum_i W_{i,j}^{[l]} a_i^{[l-1]} + b_j^{[l]}"),
    "fwd.z.mat": ("Pre-activations of a layer",
                  r"z^{[l]} = a^{[l-1]} W^{[l]} + b^{[l]}"),
    "fwd.a": ("Activation of neuron j",
              r"a_j^{[l]} = \varphi(z_j^{[l]})"),
    "fwd.a.mat": ("Activations of a layer",
                  r"a^{[l]} = \varphi(z^{[l]})"),
    "fwd.softmax": ("Softmax output, one neuron",
                    r"a_j^{[L]} = \frac{e^{z_j^{[L]}}}{\sum_k e^{z_k^{[L]}}}"),
    "fwd.softmax.mat": ("Softmax output, one row per example",
                        r"a^{[L]} = \operatorname{softmax}(z^{[L]})"),
    "loss.mean": ("Loss of a batch: the mean of the per-example losses",
                  r"\mathcal{L} = \frac{1}{m} \sum_{r=1}^{m} \mathcal{L}(\hat{y}_r, y_r)"),
    # -- backward pass, output layer
    "bwd.out": ("Output gradient of a canonical pair (output and loss)",
                r"\frac{\partial \mathcal{L}}{\partial z_j^{[L]}} = \frac{\hat{y}_j - y_j}{m}"),
    "bwd.out.mat": ("Output gradient of a canonical pair, matrix",
                    r"g^{[Lz]} = \frac{1}{m} (\hat{y} - y)"),
    "bwd.ga_out": ("Gradient with respect to one output",
                   r"\frac{\partial \mathcal{L}}{\partial a_j^{[L]}} = \frac{1}{m} \frac{\partial \mathcal{L}(\hat{y}, y)}{\partial \hat{y}_j}"),
    "bwd.ga_out.mat": ("Gradient with respect to the output, matrix",
                       r"g^{[La]} = \frac{1}{m} \frac{\partial \mathcal{L}(\hat{y}, y)}{\partial \hat{y}}"),
    # -- backward pass, every layer
    "bwd.gz": ("Through an element-wise activation, one neuron",
               r"\frac{\partial \mathcal{L}}{\partial z_j^{[l]}} = \varphi'(z_j^{[l]}) \cdot \frac{\partial \mathcal{L}}{\partial a_j^{[l]}}"),
    "bwd.gz.mat": ("Through an element-wise activation: the Hadamard product",
                   r"g^{[lz]} = \varphi'(z^{[l]}) \circ g^{[la]}"),
    "bwd.gz_softmax": ("Through the softmax, one neuron: every output flows back",
                       r"\frac{\partial \mathcal{L}}{\partial z_j^{[L]}} = \sum_k a_k^{[L]} (\delta_{jk} - a_j^{[L]}) \frac{\partial \mathcal{L}}{\partial a_k^{[L]}}"),
    "bwd.gz_softmax.mat": ("Through the softmax: a full Jacobian per example",
                           r"g^{[Lz]} = g^{[La]} J, \quad J_{kj} = a_k^{[L]} (\delta_{kj} - a_j^{[L]})"),
    "bwd.gW": ("Gradient of one weight",
               r"\frac{\partial \mathcal{L}}{\partial W_{i,j}^{[l]}} = a_i^{[l-1]} \cdot \frac{\partial \mathcal{L}}{\partial z_j^{[l]}}"),
    "bwd.gW.mat": ("Gradient of the weight matrix",
                   r"g^{[lW]} = (a^{[l-1]})^T g^{[lz]}"),
    "bwd.gb": ("Gradient of one bias",
               r"\frac{\partial \mathcal{L}}{\partial b_j^{[l]}} = \frac{\partial \mathcal{L}}{\partial z_j^{[l]}}"),
    "bwd.gb.mat": ("Gradient of the bias row (summed over the batch)",
                   r"g^{[lb]} = \sum_{r=1}^{m} g^{[lz]}_{r}"),
    "bwd.ga": ("Gradient of one activation of the layer below: the flows back, summed",
               r"\frac{\partial \mathcal{L}}{\partial a_i^{[l-1]}} = \sum_j W_{i,j}^{[l]} \cdot \frac{\partial \mathcal{L}}{\partial z_j^{[l]}}"),
    "bwd.ga.mat": ("Gradient of the activations of the layer below",
                   r"g^{[l-1,a]} = g^{[lz]} (W^{[l]})^T"),
    # -- backward pass by a graph of numbers (graph.py)
    "graph.chain": ("The chain rule at one node of a graph: the flows back from every node made from it, summed",
                    r"\frac{\partial \mathcal{L}}{\partial u} = \sum_{v \,:\, u \to v} \frac{\partial v}{\partial u} \cdot \frac{\partial \mathcal{L}}{\partial v}"),
    # -- activations and their derivatives (activations.py)
    "act.sigmoid": ("Logistic sigmoid", r"\sigma(z) = \frac{1}{1 + e^{-z}}"),
    "act.sigmoid.d": ("Derivative of the sigmoid", r"\sigma'(z) = \sigma(z) (1 - \sigma(z))"),
    "act.tanh": ("Hyperbolic tangent", r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}"),
    "act.tanh.d": ("Derivative of tanh", r"\tanh'(z) = 1 - \tanh^2(z)"),
    "act.relu": ("Rectified linear unit", r"\operatorname{relu}(z) = \max(0, z)"),
    "act.relu.d": ("Derivative of relu (0 at z = 0 by convention)",
                   r"\operatorname{relu}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}"),
    "act.identity": ("Identity", r"\operatorname{id}(z) = z"),
    "act.identity.d": ("Derivative of the identity", r"\operatorname{id}'(z) = 1"),
    "act.softmax": ("Softmax, shifted by the row maximum so exp never overflows",
                    r"a_j = \frac{e^{z_j - \max_k z_k}}{\sum_k e^{z_k - \max_k z_k}}"),
    "act.softmax.d": ("Jacobian of the softmax", r"\frac{\partial a_k}{\partial z_j} = a_k (\delta_{kj} - a_j)"),
    # -- losses of one example and their derivatives (losses.py)
    "loss.bce": ("Binary cross entropy",
                 r"\mathcal{L}(\hat{y}, y) = -\sum_k \left[(1 - y_k) \log(1 - \hat{y}_k) + y_k \log \hat{y}_k\right]"),
    "loss.bce.d": ("Derivative of binary cross entropy",
                   r"\frac{\partial \mathcal{L}}{\partial \hat{y}_k} = \frac{1 - y_k}{1 - \hat{y}_k} - \frac{y_k}{\hat{y}_k} = \frac{\hat{y}_k - y_k}{\hat{y}_k (1 - \hat{y}_k)}"),
    "loss.squared_error": ("Squared error", r"\mathcal{L}(\hat{y}, y) = \frac{1}{2} \sum_k (y_k - \hat{y}_k)^2"),
    "loss.squared_error.d": ("Derivative of the squared error", r"\frac{\partial \mathcal{L}}{\partial \hat{y}_k} = \hat{y}_k - y_k"),
    "loss.cross_entropy": ("Cross entropy", r"\mathcal{L}(\hat{y}, y) = -\sum_k y_k \log \hat{y}_k"),
    "loss.cross_entropy.d": ("Derivative of cross entropy", r"\frac{\partial \mathcal{L}}{\partial \hat{y}_k} = -\frac{y_k}{\hat{y}_k}"),
    # -- the explicit objects behind the matrix form (jacobian.py)
    "jac.diag": ("Jacobian of an element-wise activation: diagonal",
                 r"\frac{\partial a^{[l]}}{\partial z^{[l]}} = \operatorname{diag}\left(\varphi'(z_1^{[l]}), \dots, \varphi'(z_n^{[l]})\right)"),
    "jac.softmax": ("Jacobian of the softmax: full", r"J_{kj} = \frac{\partial a_k}{\partial z_j} = a_k (\delta_{kj} - a_j)"),
    "jac.dzdW": ("Derivative of a vector by a matrix: a 3-D array",
                 r"\frac{\partial z_j^{[l]}}{\partial W_{i,k}^{[l]}} = a_i^{[l-1]} \delta_{jk}"),
    "jac.contract_diag": ("Row vector times the Jacobian",
                          r"\frac{\partial \mathcal{L}}{\partial z_j} = \sum_k \frac{\partial \mathcal{L}}{\partial a_k} \frac{\partial a_k}{\partial z_j}"),
    "jac.contract_dzdW": ("Contracting dz/dW with the upstream gradient",
                          r"\frac{\partial \mathcal{L}}{\partial W_{i,k}} = \sum_j \frac{\partial \mathcal{L}}{\partial z_j} \frac{\partial z_j}{\partial W_{i,k}} = a_i \frac{\partial \mathcal{L}}{\partial z_k}"),
    # -- gradient checking (gradcheck.py)
    "check.central": ("Central difference",
                      r"\frac{\partial \mathcal{L}}{\partial \theta} \approx \frac{\mathcal{L}(\theta + h) - \mathcal{L}(\theta - h)}{2h}"),
    "check.relerr": ("Relative error of a whole parameter",
                     r"\operatorname{err} = \frac{\max |g_1 - g_2|}{\max(\max |g_1|, \max |g_2|, \text{floor})}"),
    # -- initialisation (init.py): a neuron's z keeps the variance of its inputs
    "init.xavier": ("Glorot (Xavier) uniform: Var W = 2 / (n_in + n_out)",
                    r"W_{i,j}^{[l]} \sim U(-s, s), \quad s = \sqrt{\frac{6}{n_{l-1} + n_l}}"),
    "init.xavier_normal": ("Glorot (Xavier) normal",
                           r"W_{i,j}^{[l]} \sim \mathcal{N}\left(0, \frac{2}{n_{l-1} + n_l}\right)"),
    "init.he": ("He normal: Var W = 2 / n_in, for relu",
                r"W_{i,j}^{[l]} \sim \mathcal{N}\left(0, \frac{2}{n_{l-1}}\right)"),
    "init.he_uniform": ("He uniform", r"W_{i,j}^{[l]} \sim U(-s, s), \quad s = \sqrt{\frac{6}{n_{l-1}}}"),
    # -- training (training.py)
    "train.step": ("Gradient descent step", r"W_{t+1}^{[l]} = W_t^{[l]} - \alpha \frac{\partial \mathcal{L}}{\partial W_t^{[l]}}"),
    # -- optimizers (optimizers.py): per element (i, j) and matrix form; g is g^[lW] or g^[lb]
    "opt.l2": ("L2 weight decay: added to the gradient",
               r"g_{ij} \leftarrow g_{ij} + \lambda W_{ij}"),
    "opt.l2.mat": ("L2 weight decay, matrix", r"g \leftarrow g + \lambda W"),
    "opt.momentum": ("Momentum buffer (the first step takes q = g)",
                     r"q_{ij} \leftarrow \mu q_{ij} + g_{ij}"),
    "opt.momentum.mat": ("Momentum buffer, matrix", r"q \leftarrow \mu q + g"),
    "opt.nesterov": ("The direction of a momentum step: the buffer, or Nesterov's look-ahead",
                     r"\Delta_{ij} = q_{ij} \quad\text{or}\quad \Delta_{ij} = g_{ij} + \mu q_{ij}"),
    "opt.nesterov.mat": ("The direction of a momentum step, matrix",
                         r"\Delta = q \quad\text{or}\quad \Delta = g + \mu q"),
    "opt.sgd": ("A step along the direction", r"W_{ij} \leftarrow W_{ij} - \alpha \Delta_{ij}"),
    "opt.sgd.mat": ("A step along the direction, matrix", r"W \leftarrow W - \alpha \Delta"),
    "opt.rmsprop.v": ("RMSprop: running mean of the squared gradient",
                      r"\overline{g^2}_{ij} \leftarrow \rho\, \overline{g^2}_{ij} + (1 - \rho) g_{ij}^2"),
    "opt.rmsprop.v.mat": ("RMSprop: running mean of the squared gradient, matrix",
                          r"\overline{g^2} \leftarrow \rho\, \overline{g^2} + (1 - \rho)\, g \circ g"),
    "opt.rmsprop.step": ("RMSprop step", r"W_{ij} \leftarrow W_{ij} - \alpha \frac{g_{ij}}{\sqrt{\overline{g^2}_{ij}} + \epsilon}"),
    "opt.rmsprop.step.mat": ("RMSprop step, matrix (square root and division element-wise)",
                             r"W \leftarrow W - \alpha\, g \oslash \left(\sqrt{\overline{g^2}} + \epsilon\right)"),
    "opt.adam.m": ("Adam: first moment", r"\bar{g}_{ij} \leftarrow \beta_1 \bar{g}_{ij} + (1 - \beta_1) g_{ij}"),
    "opt.adam.m.mat": ("Adam: first moment, matrix", r"\bar{g} \leftarrow \beta_1 \bar{g} + (1 - \beta_1) g"),
    "opt.adam.v": ("Adam: second moment", r"\overline{g^2}_{ij} \leftarrow \beta_2 \overline{g^2}_{ij} + (1 - \beta_2) g_{ij}^2"),
    "opt.adam.v.mat": ("Adam: second moment, matrix", r"\overline{g^2} \leftarrow \beta_2 \overline{g^2} + (1 - \beta_2)\, g \circ g"),
    "opt.adam.step": ("Adam step with bias correction (step t)",
                      r"W_{ij} \leftarrow W_{ij} - \alpha \frac{\bar{g}_{ij} / (1 - \beta_1^t)}{\sqrt{\overline{g^2}_{ij} / (1 - \beta_2^t)} + \epsilon}"),
    "opt.adam.step.mat": ("Adam step with bias correction, matrix",
                          r"W \leftarrow W - \frac{\alpha}{1 - \beta_1^t}\, \bar{g} \oslash \left(\frac{\sqrt{\overline{g^2}}}{\sqrt{1 - \beta_2^t}} + \epsilon\right)"),
    "opt.adamw.decay": ("AdamW: decoupled weight decay, before the Adam step",
                        r"W_{ij} \leftarrow (1 - \alpha \lambda) W_{ij}"),
    "opt.adamw.decay.mat": ("AdamW: decoupled weight decay, matrix", r"W \leftarrow (1 - \alpha \lambda) W"),
    "opt.sched.step": ("Step schedule: the learning rate of epoch tau",
                       r"\alpha_\tau = \alpha \gamma^{\lfloor \tau / S \rfloor}"),
    "opt.sched.cosine": ("Cosine schedule: the learning rate of epoch tau",
                         r"\alpha_\tau = \alpha_{\min} + \tfrac{1}{2} (\alpha - \alpha_{\min}) \left(1 + \cos \frac{\pi \tau}{T_{\max}}\right)"),
}


def anchor(eq_id):
    """The docs anchor of an equation ID: ``eq-`` and the ID with dots as dashes.

    >>> anchor("fwd.z")
    'eq-fwd-z'
    """
    return "eq-" + eq_id.replace(".", "-")
