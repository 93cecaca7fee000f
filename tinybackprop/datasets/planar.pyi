from typing import Dict, List, Optional, Tuple
from .prepare import Task

NAMES: Tuple[str, ...]
CLASSES: Dict[str, int]
NOISE: Dict[str, float]
SAMPLES: int
MAX_SAMPLES: int
MAX_NOISE: float

def check_points(name: str, samples: int, noise: float, op: str) -> None: ...
def make_points(name: str, samples: int = ..., noise: Optional[float] = ..., seed: int = ...) -> Tuple[List[List[float]], List[int]]: ...
def planar_task(name: str, samples: int = ..., noise: Optional[float] = ..., outputs: Optional[int] = ...,
                test_fraction: float = ..., seed: int = ...) -> Task: ...
