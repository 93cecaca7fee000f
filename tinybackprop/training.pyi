from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union
from .network import Network
from .optimizers import Optimizer

# type aliases of this stub (private: they exist only for the type checker)
_Number = Union[int, float]
_Matrix = Sequence[Sequence[_Number]]

PATHS: Dict[str, Any]

class History:
    loss: List[float]
    accuracy: Optional[List[float]]
    train_loss: Optional[List[float]]
    train_accuracy: Optional[List[float]]
    test_loss: Optional[List[float]]
    test_accuracy: Optional[List[float]]
    lr: List[float]
    best_epoch: Optional[int]
    def __init__(self, classification: bool, validation: bool, evaluated: bool = ...) -> None: ...
    @property
    def epochs(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]: ...

def argmax(row: Sequence[float]) -> int: ...
def is_classification(net: Network, Y: _Matrix) -> bool: ...
def evaluate(net: Network, X: _Matrix, Y: _Matrix) -> Tuple[float, Optional[float]]: ...
def accuracy(net: Network, X: _Matrix, Y: _Matrix) -> float: ...
def train(net: Network, X: _Matrix, Y: _Matrix, epochs: int = ..., lr: float = ..., batch_size: int = ...,
          path: str = ..., seed: int = ..., callback: Optional[Callable[[int, History], Optional[bool]]] = ...,
          X_val: Optional[_Matrix] = ..., Y_val: Optional[_Matrix] = ..., optimizer: Optional[Optimizer] = ...,
          schedule: Optional[Callable[[float, int], float]] = ..., patience: Optional[int] = ...,
          evaluate_train: bool = ...) -> History: ...
