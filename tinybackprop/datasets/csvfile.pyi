from typing import Any, Dict, List, Optional, Tuple, Union

from .prepare import Task

_FloatMatrix = List[List[float]]

CSV_MAX_BYTES: int
CSV_MAX_AUTO_CLASSES: int
CSV_MISSING: Tuple[str, ...]

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
