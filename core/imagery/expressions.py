"""Band-math expressions the user may type, such as `(R860 - R650) / (R860 + R650)`, parsed
safely: Python's `ast` builds the tree, and only a whitelist of nodes is turned into numpy
operations. Nothing is ever passed to eval, so no text can run code.

Allowed: numbers; `R<nm>` (the reflectance of the good band nearest <nm>, whole nanometres); a
band's own name as the image calls it (B045: how Pixxel's /v0/indices formulas name bands);
+ - * / ** ; unary minus and plus; parentheses; abs(x), sqrt(x), min(a, b, ...), max(a, b, ...).
Division by zero, a negative square root, an overflow or any input that is nodata gives NaN,
which the caller treats as nodata.

Pure Python + numpy (no GDAL, no Qt, no QGIS).
"""

import ast
import re
from dataclasses import dataclass, field
from functools import reduce
from typing import Callable, Dict, Mapping, Optional, Tuple

import numpy as np

from .spectra import SpectralBand, SpectralBands, SpectralError, WavelengthUnavailableError

MAX_LENGTH = 1000  # longer is a paste gone wrong
# Compiling and evaluating recurse once per level: far below Python's recursion limit, whatever
# the caller's own stack depth, and far above any formula a person writes.
MAX_DEPTH = 100
_WAVELENGTH_NAME = re.compile(r"^[Rr](\d+)$")
_ALLOWED = (
    "Use numbers, R<nm> (e.g. R860), band names, + - * / **, parentheses, "
    "abs(), sqrt(), min() and max()."
)

Values = Mapping[str, np.ndarray]
_Node = Callable[[Values], np.ndarray]


class ExpressionError(SpectralError):
    """An expression that cannot be computed on this image; the message says why, for the user."""


def _divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator == 0, np.nan, numerator / denominator)


def _power(base: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.power(base, exponent)


def _sqrt(value: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.sqrt(value)


_BINARY: Dict[type, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: _divide,
    ast.Pow: _power,
}
_UNARY: Dict[type, Callable[[np.ndarray], np.ndarray]] = {
    ast.USub: np.negative,
    ast.UAdd: np.positive,
}
# name -> (function of its arguments, fewest arguments, most arguments or None for any).
# np.maximum/minimum, unlike fmax/fmin, keep NaN: a nodata input stays nodata.
_FUNCTIONS: Dict[str, Tuple[Callable[..., np.ndarray], int, Optional[int]]] = {
    "abs": (np.abs, 1, 1),
    "sqrt": (_sqrt, 1, 1),
    "min": (lambda *values: reduce(np.minimum, values), 2, None),
    "max": (lambda *values: reduce(np.maximum, values), 2, None),
}


@dataclass(frozen=True)
class Expression:
    text: str
    references: Tuple[str, ...]  # band references as written (R860, B045), each once, in order
    _root: _Node = field(repr=False, compare=False)

    def evaluate(self, values: Values) -> np.ndarray:
        """The result for arrays of reflectance keyed by reference; NaN where any input is NaN
        or the arithmetic has no finite answer."""
        result = np.asarray(self._root(values), dtype=np.float64)
        # R650 ** 0 and similar would turn a nodata input into a value.
        invalid = ~np.isfinite(result)
        for reference in self.references:
            invalid = invalid | np.isnan(values[reference])
        return np.where(invalid, np.nan, result)


def parse_expression(text: str) -> Expression:
    """The expression, checked against the whitelist; ExpressionError naming what is wrong."""
    text = text.strip()
    if not text:
        raise ExpressionError("The expression is empty.")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"The expression is longer than {MAX_LENGTH} characters.")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        column = f" at character {error.offset}" if error.offset else ""
        raise ExpressionError(f"“{text}” is not a valid expression{column}.") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError(
            f"The expression is nested more than {MAX_DEPTH} levels deep."
        ) from None
    references: Dict[str, None] = {}  # an ordered set
    root = _compile(tree.body, references, MAX_DEPTH)
    if not references:
        raise ExpressionError(f"“{text}” reads no band: use R<nm> (e.g. R860) or band names.")
    return Expression(text, tuple(references), root)


def _compile(node: ast.AST, references: Dict[str, None], depth: int) -> _Node:
    if depth == 0:
        raise ExpressionError(f"The expression is nested more than {MAX_DEPTH} levels deep.")
    depth -= 1
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        number = np.float64(node.value)  # float: no huge Python integers from 9 ** 9 ** 9
        return lambda values: number
    if isinstance(node, ast.Name):
        name = node.id
        references.setdefault(name, None)
        return lambda values: values[name]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        operation = _BINARY[type(node.op)]
        left = _compile(node.left, references, depth)
        right = _compile(node.right, references, depth)
        return lambda values: operation(left(values), right(values))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        unary = _UNARY[type(node.op)]
        operand = _compile(node.operand, references, depth)
        return lambda values: unary(operand(values))
    if isinstance(node, ast.Call):
        return _compile_call(node, references, depth)
    raise ExpressionError(f"“{_source(node)}” is not allowed in an expression. {_ALLOWED}")


def _compile_call(node: ast.Call, references: Dict[str, None], depth: int) -> _Node:
    name = node.func.id if isinstance(node.func, ast.Name) else _source(node.func)
    if name not in _FUNCTIONS or node.keywords:
        raise ExpressionError(f"“{_source(node)}” is not allowed in an expression. {_ALLOWED}")
    function, fewest, most = _FUNCTIONS[name]
    if len(node.args) < fewest or (most is not None and len(node.args) > most):
        expected = f"{fewest}" if most == fewest else f"at least {fewest}"
        raise ExpressionError(f"{name}() takes {expected} argument(s): “{_source(node)}”.")
    arguments = [_compile(argument, references, depth) for argument in node.args]
    return lambda values: function(*(argument(values) for argument in arguments))


def _source(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except (AttributeError, ValueError, RecursionError):
        return type(node).__name__


def resolve_bands(expression: Expression, bands: SpectralBands) -> Dict[str, SpectralBand]:
    """The band each reference of `expression` reads: R<nm> the nearest good band by wavelength
    (within its tolerance), any other name the band of that name. ExpressionError otherwise."""
    resolved = {}
    for reference in expression.references:
        wavelength = _WAVELENGTH_NAME.match(reference)
        if wavelength:
            try:
                resolved[reference] = bands.nearest(float(wavelength[1]))
            except WavelengthUnavailableError as error:
                raise ExpressionError(f"{reference} {error}.") from None
            continue
        band = bands.named(reference)
        if band is None:
            raise ExpressionError(
                f"“{reference}” is neither R<nm> (e.g. R860) nor the name of a band of this image."
            )
        if band.bad:
            raise ExpressionError(f"{reference} is flagged as a bad band in this image.")
        resolved[reference] = band
    return resolved
