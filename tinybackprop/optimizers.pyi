from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union
from .network import Gradients, Network

_Number = Union[int, float]
_FloatMatrix = List[List[float]]

NAMES: Tuple[str, ...]

class Optimizer:
    name: str
    BUFFERS: Tuple[str, ...]
    lr: float
    weight_decay: float
    state: Dict[int, Dict[str, Dict[str, _FloatMatrix]]]
    steps: int
    def __init__(self, lr: _Number, weight_decay: _Number) -> None: ...
    def settings(self) -> Dict[str, Any]: ...
    def check(self, net: Network, op: str = ...) -> None: ...
    def step(self, net: Network, g: Gradients, lr: Optional[float] = ..., per_element: bool = ...) -> None: ...
    def per_element(self, P: _FloatMatrix, G: _FloatMatrix, s: Dict[str, _FloatMatrix], lr: float) -> None: ...
    def matrix(self, P: _FloatMatrix, G: _FloatMatrix, s: Dict[str, _FloatMatrix], lr: float) -> None: ...

class SGD(Optimizer):
    momentum: float
    nesterov: bool
    def __init__(self, lr: _Number = ..., momentum: _Number = ..., nesterov: bool = ...,
                 weight_decay: _Number = ...) -> None: ...

class RMSprop(Optimizer):
    alpha: float
    eps: float
    def __init__(self, lr: _Number = ..., alpha: _Number = ..., eps: _Number = ...,
                 weight_decay: _Number = ...) -> None: ...

class Adam(Optimizer):
    DECOUPLED: bool
    betas: Tuple[float, float]
    eps: float
    def __init__(self, lr: _Number = ..., betas: Sequence[_Number] = ..., eps: _Number = ...,
                 weight_decay: _Number = ...) -> None: ...

class AdamW(Adam): ...

class StepLR:
    step_size: int
    gamma: float
    def __init__(self, step_size: int, gamma: _Number = ...) -> None: ...
    def __call__(self, lr: float, epoch: int) -> float: ...
    def settings(self) -> Dict[str, Any]: ...

class CosineAnnealingLR:
    T_max: int
    eta_min: float
    def __init__(self, T_max: int, eta_min: _Number = ...) -> None: ...
    def __call__(self, lr: float, epoch: int) -> float: ...
    def settings(self) -> Dict[str, Any]: ...

def make(name: str, lr: _Number, momentum: _Number = ..., betas: Sequence[_Number] = ..., eps: _Number = ...,
         weight_decay: Optional[_Number] = ...) -> Optimizer: ...
