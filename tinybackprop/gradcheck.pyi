from typing import Any, Dict, List, Optional, Tuple
from ._types import Matrix
from .network import Gradients, Network

NUMERIC_FLOOR: float

def numerical_gradients(net: Network, X: Matrix, Y: Matrix, h: float = ...) -> Gradients: ...
def relative_error(A: Matrix, B: Matrix, floor: float = ..., sizes: Optional[Matrix] = ...) -> float: ...
def term_sizes(net: Network, X: Matrix, Y: Matrix) -> Gradients: ...
def compare(g1: Gradients, g2: Gradients, floor: float = ...,
            sizes: Optional[Gradients] = ...) -> Dict[str, float]: ...

class CheckReport:
    rows: List[Tuple[str, float, float]]
    paths_tol: float
    tol: float
    worst_paths: float
    worst_numeric: float
    ok: bool
    def __init__(self, rows: List[Tuple[str, float, float]], paths_tol: float, tol: float) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...

def check(net: Network, X: Matrix, Y: Matrix, tol: float = ..., h: float = ...,
          paths_tol: float = ...) -> CheckReport: ...
