from typing import Sequence, Union
from .network import Network

_Number = Union[int, float]

def explain_graph(net: Network, x: Sequence[_Number], y: Sequence[_Number], fmt: str = ...) -> str: ...
