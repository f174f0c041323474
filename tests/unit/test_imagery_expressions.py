"""The band-math parser: what it computes, what it refuses and how it says so."""

import numpy as np
import pytest

pytest.importorskip("osgeo.gdal")

from pixxel_qgis.core.imagery.expressions import (  # noqa: E402 - only once GDAL is known
    MAX_LENGTH,
    ExpressionError,
    parse_expression,
    resolve_bands,
)
from pixxel_qgis.core.imagery.spectra import SpectralBand, SpectralBands  # noqa: E402

VNIR = SpectralBands(
    tuple(
        SpectralBand(i + 1, f"B{i + 1:03d}", nm, None, nm == 940.0, 1.0, 0.0, None)
        for i, nm in enumerate([480.0, 560.0, 650.0, 720.0, 860.0, 940.0])
    )
)


def test_arithmetic_operators_and_functions():
    expression = parse_expression(
        "-(R860 - R650) ** 2 / +R650 + abs(R650) * sqrt(4) - max(1, R860, 2)"
    )
    assert expression.references == ("R860", "R650")
    r860, r650 = np.array([3.0, 5.0]), np.array([1.0, 2.0])
    expected = -((r860 - r650) ** 2) / r650 + np.abs(r650) * 2 - np.maximum(r860, 2)
    np.testing.assert_allclose(expression.evaluate({"R860": r860, "R650": r650}), expected)
    assert parse_expression("min(R860, R650)").evaluate({"R860": 3.0, "R650": 1.0}) == 1.0


def test_nodata_zero_denominators_and_impossible_values_give_nan():
    expression = parse_expression("(R860 - R650) / (R860 + R650)")
    r860, r650 = np.array([0.5, 0.0, 2.0, np.nan]), np.array([0.1, 0.0, -2.0, 0.2])
    result = expression.evaluate({"R860": r860, "R650": r650})
    assert result[0] == pytest.approx(0.4 / 0.6)
    assert np.isnan(result[1:]).all()
    assert np.isnan(parse_expression("sqrt(R650)").evaluate({"R650": np.array([-1.0])})).all()
    # A nodata input stays nodata even where the arithmetic would forget it.
    assert np.isnan(parse_expression("R650 ** 0").evaluate({"R650": np.array([np.nan])})).all()
    big = parse_expression("R650 ** 1000").evaluate({"R650": np.array([10.0])})
    assert np.isnan(big).all()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("(R860 - R650", "not a valid expression"),
        ("R860 -", "not a valid expression"),
        ("__import__('os').system('true')", "is not allowed"),
        ("R860.real", "“R860.real” is not allowed"),
        ("R860[0]", "is not allowed"),
        ("lambda: R860", "is not allowed"),
        ("R860 if R650 else 1", "is not allowed"),
        ("R860 > R650", "is not allowed"),
        ("R860 // R650", "is not allowed"),
        ("'R860'", "is not allowed"),
        ("True + R860", "is not allowed"),
        ("abs(R860, R650)", "abs() takes 1 argument"),
        ("max(R860)", "max() takes at least 2 argument"),
        ("sqrt(x=R860)", "is not allowed"),
        ("1 + 2", "reads no band"),
        ("R" * (MAX_LENGTH + 1), "longer than"),
        ("-" * 990 + "R860", "nested more than 100 levels"),
        ("1 + " * 200 + "R860", "nested more than 100 levels"),
        ("(" * 300 + "R860" + ")" * 300, "not a valid expression"),
    ],
)
def test_refused_expressions_say_why(text, message):
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_expression(text)


def test_errors_are_value_errors_and_formulas_people_write_nest_fine():
    assert issubclass(ExpressionError, ValueError)
    nested = parse_expression("(" * 90 + "R860" + ")" * 90 + " + " + "-" * 90 + "R860")
    assert nested.evaluate({"R860": np.array([2.0])}) == 4.0


def test_references_resolve_to_the_nearest_band_or_a_named_one():
    resolved = resolve_bands(parse_expression("R665 / B002 + r870"), VNIR)
    assert {name: band.index for name, band in resolved.items()} == {
        "R665": 3,
        "B002": 2,
        "r870": 5,
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("R1650 - R860", "R1650 needs a band near 1650 nm; this sensor's bands end at 860 nm."),
        ("R860 / R400", "R400 needs a band near 400 nm; this sensor's bands start at 480 nm."),
        ("R860 / R600", "R600 needs a band near 600 nm; the nearest usable band is at 560 nm."),
        ("ndvi + R860", "“ndvi” is neither R<nm> (e.g. R860) nor the name of a band"),
        ("B006 - R860", "B006 is flagged as a bad band"),
    ],
)
def test_unresolvable_references_say_why(text, message):
    with pytest.raises(ExpressionError) as raised:
        resolve_bands(parse_expression(text), VNIR)
    assert str(raised.value) == message or message in str(raised.value)
