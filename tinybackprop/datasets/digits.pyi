from typing import List, Optional, Tuple

from .prepare import Task

_FloatMatrix = List[List[float]]

DIGITS_CLASSES: List[str]
DIGITS_FEATURES: List[str]

def load_digits(path: Optional[str] = ...) -> Tuple[_FloatMatrix, List[int]]: ...
def digits_task(test_fraction: float = ..., seed: int = ...) -> Task: ...
