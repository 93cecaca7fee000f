from typing import Optional, Sequence, Union
from .network import Forward, Gradients, Network

# type aliases of this stub (private: they exist only for the type checker)
_Number = Union[int, float]
_Matrix = Sequence[Sequence[_Number]]

def forward(net: Network, X: _Matrix, check: bool = ...) -> Forward: ...
def backward(net: Network, X: _Matrix, Y: _Matrix, input_grad: bool = ..., check: bool = ...,
             forward_pass: Optional[Forward] = ..., weight_grad: bool = ...) -> Gradients: ...
