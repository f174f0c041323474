"""AOI and footprint outlines from Pixxel's GeoJSON into QGIS geometries: one at a time for
Processing outputs, or many at once through a single WKB collection for the dock's outlines layer
(10,000 AOIs: three calls into QGIS instead of 10,000)."""

import struct
from typing import List, Optional, Sequence

from qgis.core import QgsGeometry, QgsPointXY


def geometry_from_geojson(geometry: Optional[dict]) -> Optional[QgsGeometry]:
    """A MultiPolygon QgsGeometry from a GeoJSON Polygon or MultiPolygon, None when there is no
    usable ring (missing, empty, or malformed coordinates)."""
    polygons = _polygons(geometry)
    if not polygons:
        return None
    return QgsGeometry.fromMultiPolygonXY(
        [[_points(ring) for ring in rings] for rings in polygons]
    )


def _polygons(geometry: Optional[dict]) -> List[List[List[float]]]:
    """The usable polygons of a GeoJSON Polygon or MultiPolygon: each a list of rings, each ring
    its positions as x, y, x, y… floats. Rings with a malformed position or fewer than 4
    positions are left out, and so are polygons left without a ring."""
    if not isinstance(geometry, dict):
        return []
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        return []
    parts = []
    for polygon in polygons if isinstance(polygons, list) else []:
        rings = [_ring(ring) for ring in polygon] if isinstance(polygon, list) else []
        rings = [ring for ring in rings if ring]
        if rings:
            parts.append(rings)
    return parts


def _ring(coordinates) -> Optional[List[float]]:
    if not isinstance(coordinates, list) or len(coordinates) < 4:
        return None
    try:
        return [float(value) for position in coordinates for value in (position[0], position[1])]
    except (TypeError, ValueError, IndexError):
        return None


def _points(ring: List[float]) -> List[QgsPointXY]:
    return [QgsPointXY(ring[i], ring[i + 1]) for i in range(0, len(ring), 2)]


# Little-endian WKB: byte order, type, count of parts (or of points, for a ring).
_WKB_HEADER = struct.Struct("<BII")
_WKB_POLYGON, _WKB_MULTIPOLYGON, _WKB_COLLECTION = 3, 6, 7


def _wkb_ring(ring: List[float]) -> bytes:
    return struct.pack(f"<I{len(ring)}d", len(ring) // 2, *ring)


def geometries_from_geojson(geometries: Sequence[Optional[dict]]) -> List[Optional[QgsGeometry]]:
    """geometry_from_geojson() of many geometries in three calls into QGIS: one WKB geometry
    collection, parsed and split again by QGIS."""
    wkbs = []
    for polygons in map(_polygons, geometries):
        wkb = None
        if polygons:
            chunks = [_WKB_HEADER.pack(1, _WKB_MULTIPOLYGON, len(polygons))]
            for rings in polygons:
                chunks.append(_WKB_HEADER.pack(1, _WKB_POLYGON, len(rings)))
                chunks.extend(_wkb_ring(ring) for ring in rings)
            wkb = b"".join(chunks)
        wkbs.append(wkb)
    present = [wkb for wkb in wkbs if wkb is not None]
    if not present:
        return [None] * len(wkbs)
    collection = QgsGeometry()
    collection.fromWkb(_WKB_HEADER.pack(1, _WKB_COLLECTION, len(present)) + b"".join(present))
    parts = iter(collection.asGeometryCollection())
    return [None if wkb is None else next(parts) for wkb in wkbs]
