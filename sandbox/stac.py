"""Geometry, time and STAC-search helpers shared by the archive and purchased-imagery endpoints.

Footprints of archive items and catalogs are lon/lat rectangles, so "does this search geometry
intersect that footprint" is a geometry-against-rectangle test, exact without a geometry library.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Sequence

from .answers import ApiError
from .catalog import ring_area_and_centroid
from .satellites import TRUE_COLOUR_NM, satellite_by_code

Box = tuple  # (west, south, east, north)

# Top-of-atmosphere solar irradiance (W/m²/µm), coarse; enough for a plausible STAC field.
_IRRADIANCE = ((450, 2005.0), (500, 1950.0), (550, 1860.0), (600, 1760.0), (650, 1600.0),
               (700, 1420.0), (750, 1270.0), (800, 1140.0), (850, 1020.0), (900, 910.0),
               (950, 830.0))
QUERY_OPERATORS = ("eq", "neq", "lt", "lte", "gt", "gte", "in", "startsWith", "endsWith",
                   "contains")


# -- geometry --------------------------------------------------------------------------------------


def polygons(geometry: dict) -> list:
    """The polygons (lists of rings) of a Polygon or MultiPolygon; [] for other types."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        return [coordinates]
    if kind == "MultiPolygon":
        return list(coordinates)
    return []


def area_km2(geometry: dict) -> float:
    """Area of a (Multi)Polygon in km², holes subtracted (local flat-earth: fine at AOI scale)."""
    total = 0.0
    for rings in polygons(geometry):
        areas = [ring_area_and_centroid(ring)[0] for ring in rings if len(ring) >= 4]
        if areas:
            total += areas[0] - sum(areas[1:])
    return max(total, 0.0) / 1e6


def positions(coordinates: Any) -> Iterable[tuple]:
    """Every [lon, lat] position of a GeoJSON coordinates array, however deeply nested."""
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield float(coordinates[0]), float(coordinates[1])
        return
    for part in coordinates or ():
        yield from positions(part)


def bbox_of_geometry(geometry: dict) -> Box:
    points = list(positions(geometry.get("coordinates")))
    if geometry.get("type") == "GeometryCollection":
        points = [p for g in geometry.get("geometries", ()) for p in positions(g["coordinates"])]
    if not points:
        raise ApiError(400, "geometry has no coordinates")
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def rectangle_ring(box: Box) -> list:
    west, south, east, north = box
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def boxes_intersect(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def bbox_filter(values: Sequence[float]) -> Callable[[Box], bool]:
    """A footprint test for a search ``bbox`` (4 or 6 numbers; west > east crosses 180°)."""
    if len(values) not in (4, 6):
        raise ApiError(400, "bbox must hold 4 (or 6) numbers", {"bbox": list(values)})
    west, south, east, north = (values[0], values[1], values[3], values[4]) if len(values) == 6 \
        else tuple(values)
    if south > north:
        raise ApiError(400, "bbox south must not be north of north", {"bbox": list(values)})
    if west <= east:
        return lambda box: boxes_intersect(box, (west, south, east, north))
    return lambda box: (boxes_intersect(box, (west, south, 180.0, north))
                        or boxes_intersect(box, (-180.0, south, east, north)))


def intersects_box(geometry: dict, box: Box) -> bool:
    """Whether a GeoJSON geometry (any type) intersects a lon/lat rectangle."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "GeometryCollection":
        return any(intersects_box(part, box) for part in geometry.get("geometries", ()))
    if kind in ("Point", "MultiPoint"):
        return any(_inside_box(p, box) for p in positions(coordinates))
    if kind in ("LineString", "MultiLineString"):
        lines = [coordinates] if kind == "LineString" else coordinates
        return any(_path_meets_box(line, box) for line in lines)
    if kind in ("Polygon", "MultiPolygon"):
        corners = rectangle_ring(box)[:4]
        for rings in polygons(geometry):
            if any(_path_meets_box(ring, box) for ring in rings):
                return True
            if rings and any(_inside_ring(corner, rings[0]) for corner in corners):
                return True
        return False
    raise ApiError(400, f"unsupported geometry type {kind!r}")


def _inside_box(point: Sequence[float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _inside_ring(point: Sequence[float], ring: Sequence[Sequence[float]]) -> bool:
    x, y = point[0], point[1]
    inside = False
    for (x1, y1), (x2, y2) in zip((p[:2] for p in ring), (p[:2] for p in ring[1:])):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _path_meets_box(path: Sequence[Sequence[float]], box: Box) -> bool:
    if any(_inside_box(p, box) for p in path):
        return True
    edges = list(zip(rectangle_ring(box), rectangle_ring(box)[1:]))
    return any(_segments_cross(a, b, c, d) for a, b in zip(path, path[1:]) for c, d in edges)


def _segments_cross(a: Sequence[float], b: Sequence[float], c: Sequence[float],
                    d: Sequence[float]) -> bool:
    def side(p: Sequence[float], q: Sequence[float], r: Sequence[float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return side(a, b, c) * side(a, b, d) <= 0 and side(c, d, a) * side(c, d, b) <= 0


# -- time ------------------------------------------------------------------------------------------


def parse_time(text: str, *, field: str = "datetime") -> datetime:
    """An RFC 3339 date-time (or a bare date, as midnight UTC) as an aware datetime."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise ApiError(400, f"{field} is not an RFC 3339 date-time: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def interval_filter(text: str, *, field: str = "datetime") -> Callable[[datetime], bool]:
    """A test for a STAC ``datetime``: an instant (a bare date: that day) or a/b, ../b, a/..."""
    if "/" not in text:
        if len(text.strip()) == 10:
            day = parse_time(text, field=field).date()
            return lambda moment: moment.date() == day
        instant = parse_time(text, field=field)
        return lambda moment: moment == instant
    first, _, last = text.partition("/")
    start = None if first.strip() in ("", "..") else parse_time(first, field=field)
    end = None if last.strip() in ("", "..") else parse_time(last, field=field)
    if start and end and start > end:
        raise ApiError(400, f"{field} interval ends before it starts: {text!r}")
    return lambda moment: (start is None or moment >= start) and (end is None or moment <= end)


def solar_angles(lat: float, lon: float, when: datetime) -> tuple:
    """(sun azimuth from north, sun elevation) in degrees: NOAA's low-precision formulas."""
    hours = when.hour + when.minute / 60 + when.second / 3600
    g = 2 * math.pi / 365 * (when.timetuple().tm_yday - 1 + (hours - 12) / 24)
    declination = (0.006918 - 0.399912 * math.cos(g) + 0.070257 * math.sin(g)
                   - 0.006758 * math.cos(2 * g) + 0.000907 * math.sin(2 * g)
                   - 0.002697 * math.cos(3 * g) + 0.00148 * math.sin(3 * g))
    equation = 229.18 * (0.000075 + 0.001868 * math.cos(g) - 0.032077 * math.sin(g)
                         - 0.014615 * math.cos(2 * g) - 0.040849 * math.sin(2 * g))
    hour_angle = math.radians((hours * 60 + equation + 4 * lon) / 4 - 180)
    phi = math.radians(lat)
    cos_zenith = (math.sin(phi) * math.sin(declination)
                  + math.cos(phi) * math.cos(declination) * math.cos(hour_angle))
    elevation = 90 - math.degrees(math.acos(max(-1.0, min(1.0, cos_zenith))))
    azimuth = math.degrees(math.atan2(math.sin(hour_angle), math.cos(hour_angle) * math.sin(phi)
                                      - math.tan(declination) * math.cos(phi))) + 180
    return round(azimuth % 360, 2), round(elevation, 2)


# -- bands -----------------------------------------------------------------------------------------


def eo_bands(code: str, wavelengths_nm: Sequence[float], *, irradiance: bool = True) -> list:
    """STAC eo:bands of a capture: centre and FWHM in micrometres (the spec's unit), true-colour
    bands named by their common name."""
    satellite = satellite_by_code(code)
    by_nm = {band["wavelength"]: band["name"] for band in satellite["bands"]}
    rgb = {satellite["rgb_composite"][colour]: colour for colour in TRUE_COLOUR_NM}
    spacing = (satellite["bands"][1]["wavelength"] - satellite["bands"][0]["wavelength"]) / 1000
    out = []
    for nm in wavelengths_nm:
        name = by_nm[nm]
        band = {"name": name, "center_wavelength": round(nm / 1000, 4),
                "fwhm": round(spacing * 1.2, 4)}
        if name in rgb:
            band["common_name"] = rgb[name]
        if irradiance:
            xs, ys = zip(*_IRRADIANCE)
            band["solar_irradiance"] = round(_interp(nm, xs, ys), 2)
        out.append(band)
    return out


def _interp(x: float, xs: Sequence[float], ys: Sequence[float]) -> float:
    if x <= xs[0]:
        return ys[0]
    for (x1, y1), (x2, y2) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        if x <= x2:
            return y1 + (y2 - y1) * (x - x1) / (x2 - x1)
    return ys[-1]


# -- STAC query and sort ---------------------------------------------------------------------------


def query_filter(query: dict, lookup: Callable[[str], Any]) -> Callable[[Any], bool]:
    """A test for the STAC query extension: ``{"eo:cloud_cover": {"lt": 10}, ...}``.

    ``lookup(name)`` returns a function giving a record's value for a property name (None when
    the record has no such property: it then never matches)."""
    tests = []
    for name, operations in query.items():
        read = lookup(name)
        for operator, operand in operations.items():
            if operator not in QUERY_OPERATORS:
                raise ApiError(400, f"unknown query operator {operator!r} for {name}",
                               {"operators": list(QUERY_OPERATORS)})
            tests.append(lambda record, r=read, o=operator, v=operand: _compare(r(record), o, v))
    return lambda record: all(test(record) for test in tests)


def _compare(value: Any, operator: str, operand: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, list):  # e.g. band names: eq/contains = all present, in = any present
        wanted = operand if isinstance(operand, list) else [operand]
        if operator in ("eq", "contains"):
            return all(w in value for w in wanted)
        if operator == "in":
            return any(w in value for w in wanted)
        if operator == "neq":
            return not any(w in value for w in wanted)
        raise ApiError(400, f"operator {operator!r} does not apply to a list property")
    try:
        return {
            "eq": lambda: value == operand, "neq": lambda: value != operand,
            "lt": lambda: value < operand, "lte": lambda: value <= operand,
            "gt": lambda: value > operand, "gte": lambda: value >= operand,
            "in": lambda: value in operand,
            "startsWith": lambda: str(value).startswith(str(operand)),
            "endsWith": lambda: str(value).endswith(str(operand)),
            "contains": lambda: str(operand) in str(value),
        }[operator]()
    except TypeError:
        raise ApiError(400, f"cannot compare {value!r} with {operand!r} ({operator})") from None


def property_name(field: str) -> str:
    """``properties->>'datetime'``, ``properties.datetime`` and ``datetime`` all name datetime."""
    field = field.strip()
    if field.startswith("properties->>"):
        field = field[len("properties->>"):].strip().strip("'\"")
    elif field.startswith("properties."):
        field = field[len("properties."):]
    return field


def sort_rows(rows: list, keys: Sequence[tuple], value: Callable[[Any, str], Any]) -> list:
    """Rows sorted by (field, descending) pairs, the first pair most significant; rows missing a
    field sort last."""
    for field, descending in reversed(keys):
        present = [r for r in rows if value(r, field) is not None]
        missing = [r for r in rows if value(r, field) is None]
        rows = sorted(present, key=lambda r, f=field: value(r, f), reverse=descending) + missing
    return rows
