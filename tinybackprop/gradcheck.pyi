from typing import Any, Dict, List, Optional, Sequence, Tuple, Union
from .network import Gradients, Network

# type aliases of this stub (private: they exist only for the type checker)
_Number = Union[int, float]
_Matrix = Sequence[Sequence[_Number]]

NUMERIC_FLOOR: float
H: float
TOL: float
PATHS_TOL: float

def numerical_gradients(net: Network, X: _Matrix, Y: _Matrix, h: float = ...) -> Gradients: ...
def relative_error(A: _Matrix, B: _Matrix, floor: float = ..., sizes: Optional[_Matrix] = ...) -> float: ...
def term_sizes(net: Network, X: _Matrix, Y: _Matrix, check: bool = ...) -> Gradients: ...
def compare(g1: Gradients, g2: Gradients, floor: float = ...,
            sizes: Optional[Gradients] = ...) -> Dict[str, float]: ...

class CheckReport:
    rows: List[Tuple[str, float, float]]
    paths_tol: float
    tol: float
    graph: Optional[Dict[str, float]]
    worst_paths: float
    worst_numeric: float
    ok: bool
    def __init__(self, rows: List[Tuple[str, float, float]], paths_tol: float, tol: float,
                 graph: Optional[Dict[str, float]] = ...) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...

def check(net: Network, X: _Matrix, Y: _Matrix, tol: float = ..., h: float = ...,
          paths_tol: float = ..., graph: bool = ...) -> CheckReport: ...
