from typing import Any, Dict, List, Optional
from ._types import Vector
from .network import Network

FORMATS: tuple

def explain(net: Network, x: Vector, y: Vector, fmt: str = ..., links: Optional[Dict[str, str]] = ...,
            level: int = ...) -> str: ...
def explain_steps(net: Network, x: Vector, y: Vector) -> List[Dict[str, Any]]: ...
