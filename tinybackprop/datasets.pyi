from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

# type aliases of this stub (private: they exist only for the type checker)
_Number = Union[int, float]
_Matrix = Sequence[Sequence[_Number]]
_FloatMatrix = List[List[float]]

IRIS_FEATURES: List[str]
IRIS_CLASSES: List[str]
DIGITS_CLASSES: List[str]
DIGITS_FEATURES: List[str]
CSV_MAX_BYTES: int
CSV_MAX_AUTO_CLASSES: int
CSV_MISSING: Tuple[str, ...]

def xor() -> Tuple[_FloatMatrix, _FloatMatrix]: ...
def load_iris(path: Optional[str] = ...) -> Tuple[_FloatMatrix, List[int]]: ...
def parse_csv(text: str, source: str = ...) -> Tuple[_FloatMatrix, List[int]]: ...
def load_digits(path: Optional[str] = ...) -> Tuple[_FloatMatrix, List[int]]: ...
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

def iris_task(kind: str = ..., positive: str = ..., test_fraction: float = ..., seed: int = ...) -> Task: ...
def xor_task() -> Task: ...
def digits_task(test_fraction: float = ..., seed: int = ...) -> Task: ...

class CsvTable:
    source: str
    features: List[str]
    target: str
    X: _FloatMatrix
    kind: str
    classes: Optional[List[str]]
    labels: Optional[List[int]]
    y: Optional[List[float]]
    rows: List[int]
    def __init__(self, source: str, features: List[str], target: str, X: _FloatMatrix, kind: str,
                 classes: Optional[List[str]], labels: Optional[List[int]], y: Optional[List[float]],
                 rows: List[int]) -> None: ...

def read_csv(path: str, target: Optional[str] = ..., task: Optional[str] = ...) -> CsvTable: ...
def read_rows(path: str, features: Optional[List[str]] = ...) -> _FloatMatrix: ...
def load_csv(path: str, target: Optional[str] = ..., task: Optional[str] = ...
             ) -> Tuple[_FloatMatrix, _FloatMatrix, Union[List[str], Dict[str, Any]]]: ...
def csv_task(path: str, target: Optional[str] = ..., task: Optional[str] = ..., test_fraction: float = ...,
             seed: int = ...) -> Task: ...
