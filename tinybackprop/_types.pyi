from typing import List, Sequence, Union

Number = Union[int, float]
Row = Sequence[Number]
Matrix = Sequence[Sequence[Number]]
Vector = Union[Row, Matrix]
FloatMatrix = List[List[float]]
