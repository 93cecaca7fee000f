from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union
from .network import Network

# type aliases of this stub (private: they exist only for the type checker)
_Number = Union[int, float]
_Matrix = Sequence[Sequence[_Number]]

EXTRAS: Dict[str, str]
SCRIPT_TOLERANCE: float
TARGETS: Tuple[str, ...]

def to_torch(net: Network) -> Any: ...
def from_torch(module: Any, like: Network) -> Network: ...
def to_numpy(net: Network) -> Tuple[List[Any], List[Any], Callable[[_Matrix], Any]]: ...
def script(net: Network, to: str, rows: _Matrix, expected: Optional[_Matrix] = ...,
           source: Optional[str] = ...) -> str: ...
