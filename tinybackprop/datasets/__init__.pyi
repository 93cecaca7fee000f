from typing import Dict, List, Optional, Sequence, Tuple, Union

from .prepare import Standardizer as Standardizer, Task as Task, binary as binary, data_path as data_path, \
    one_hot as one_hot, train_test_split as train_test_split
from .digits import DIGITS_CLASSES as DIGITS_CLASSES, DIGITS_FEATURES as DIGITS_FEATURES, \
    digits_task as digits_task, load_digits as load_digits
from .csvfile import CSV_MAX_AUTO_CLASSES as CSV_MAX_AUTO_CLASSES, CSV_MAX_BYTES as CSV_MAX_BYTES, \
    CSV_MISSING as CSV_MISSING, CsvTable as CsvTable, csv_task as csv_task, load_csv as load_csv, \
    read_csv as read_csv, read_rows as read_rows

_FloatMatrix = List[List[float]]

IRIS_FEATURES: List[str]
IRIS_CLASSES: List[str]
LAZY: Dict[str, str]
TYPE_CHECKING: bool

def __getattr__(name: str) -> object: ...
def xor() -> Tuple[_FloatMatrix, _FloatMatrix]: ...
def load_iris(path: Optional[str] = ...) -> Tuple[_FloatMatrix, List[int]]: ...
def parse_csv(text: str, source: str = ...) -> Tuple[_FloatMatrix, List[int]]: ...
def iris_task(kind: str = ..., positive: str = ..., test_fraction: float = ..., seed: int = ...) -> Task: ...
def xor_task() -> Task: ...
