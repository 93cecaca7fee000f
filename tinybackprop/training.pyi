from typing import Any, Callable, Dict, List, Optional, Tuple
from ._types import Matrix
from .network import Network

PATHS: Dict[str, Any]

class History:
    loss: List[float]
    accuracy: Optional[List[float]]
    test_loss: Optional[List[float]]
    test_accuracy: Optional[List[float]]
    def __init__(self, classification: bool, validation: bool) -> None: ...
    @property
    def epochs(self) -> int: ...
    def to_dict(self) -> Dict[str, Optional[List[float]]]: ...

def is_classification(net: Network, Y: Matrix) -> bool: ...
CHUNK: int

def evaluate(net: Network, X: Matrix, Y: Matrix) -> Tuple[float, Optional[float]]: ...
def accuracy(net: Network, X: Matrix, Y: Matrix) -> float: ...
def train(net: Network, X: Matrix, Y: Matrix, epochs: int = ..., lr: float = ..., batch_size: int = ...,
          path: str = ..., seed: int = ..., callback: Optional[Callable[[int, History], Optional[bool]]] = ...,
          X_val: Optional[Matrix] = ..., Y_val: Optional[Matrix] = ...) -> History: ...
