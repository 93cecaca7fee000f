from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

# type aliases of this stub (private: they exist only for the type checker)
_Number = Union[int, float]
_Matrix = Sequence[Sequence[_Number]]
_FloatMatrix = List[List[float]]

def data_path(name: str) -> str: ...
def one_hot(labels: Sequence[int], k: Optional[int] = ...) -> _FloatMatrix: ...
def binary(labels: Sequence[int], positive: int) -> _FloatMatrix: ...
def train_test_split(X: _Matrix, Y: _Matrix, test_fraction: float = ..., seed: int = ...,
                     stratify: Optional[Sequence[int]] = ...) -> Tuple[_FloatMatrix, _FloatMatrix, _FloatMatrix, _FloatMatrix]: ...

class Standardizer:
    mean: Optional[List[float]]
    std: Optional[List[float]]
    def __init__(self, mean: Optional[List[float]] = ..., std: Optional[List[float]] = ...) -> None: ...
    def fit(self, X: _Matrix) -> "Standardizer": ...
    def transform(self, X: _Matrix) -> _FloatMatrix: ...
    def inverse(self, X: _Matrix) -> _FloatMatrix: ...
    def to_dict(self) -> Dict[str, List[float]]: ...
    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Standardizer": ...

class Task:
    name: str
    X_train: _FloatMatrix
    Y_train: _FloatMatrix
    X_test: _FloatMatrix
    Y_test: _FloatMatrix
    standardizer: Optional[Standardizer]
    classes: Optional[List[str]]
    description: str
    kind: str
    features: Optional[List[str]]
    target: Optional[str]
    target_standardizer: Optional[Standardizer]
    def __init__(self, name: str, X_train: _FloatMatrix, Y_train: _FloatMatrix, X_test: _FloatMatrix,
                 Y_test: _FloatMatrix, standardizer: Optional[Standardizer], classes: Optional[List[str]],
                 description: str, kind: str = ..., features: Optional[List[str]] = ...,
                 target: Optional[str] = ..., target_standardizer: Optional[Standardizer] = ...) -> None: ...
