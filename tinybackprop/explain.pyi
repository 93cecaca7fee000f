from typing import Any, Dict, List, Optional, Sequence, Union
from .network import Network
from ._display import Explanation

# type aliases of this stub (private: they exist only for the type checker)
_Number = Union[int, float]
_Vector = Union[Sequence[_Number], Sequence[Sequence[_Number]]]

FORMATS: tuple
WIDTH: int

def explain(net: Network, x: _Vector, y: _Vector, fmt: str = ..., links: Optional[Dict[str, str]] = ...,
            level: int = ...) -> Explanation: ...
def explain_steps(net: Network, x: _Vector, y: _Vector) -> List[Dict[str, Any]]: ...
