from typing import List, Optional, Sequence, Tuple, Union
from .network import Forward, Gradients, Network
from .scalar import Value as Value, free as free, topological as topological

# type aliases of this stub (private: they exist only for the type checker)
_Number = Union[int, float]
_Matrix = Sequence[Sequence[_Number]]

MAX_NODES: int

class Graph:
    x: List[List[Value]]
    W: List[Optional[List[List[Value]]]]
    b: List[Optional[List[List[Value]]]]
    z: List[Optional[List[List[Value]]]]
    a: List[List[List[Value]]]
    loss: Optional[Value]
    size: int
    def __init__(self, x: List[List[Value]], W: List[Optional[List[List[Value]]]],
                 b: List[Optional[List[List[Value]]]], z: List[Optional[List[List[Value]]]],
                 a: List[List[List[Value]]], loss: Optional[Value], size: int) -> None: ...

def node_count(sizes: Sequence[int], m: int, loss: bool = ...) -> int: ...
def build(net: Network, X: _Matrix, Y: Optional[_Matrix] = ..., max_nodes: Optional[int] = ...,
          check: bool = ..., op: str = ...) -> Graph: ...
def softmax(z_row: Sequence[Value]) -> List[Value]: ...
def loss_node(net: Network, Z: Sequence[Sequence[Value]], A: Sequence[Sequence[Value]], Y: _Matrix) -> Value: ...
def forward(net: Network, X: _Matrix, check: bool = ...) -> Forward: ...
def backward(net: Network, X: _Matrix, Y: _Matrix, input_grad: bool = ..., check: bool = ...,
             forward_pass: Optional[Forward] = ..., weight_grad: bool = ...,
             max_nodes: Optional[int] = ...) -> Gradients: ...
def label(node: Value) -> str: ...
def visits(root: Value) -> List[Tuple[Value, List[Tuple[Value, float, float]]]]: ...
