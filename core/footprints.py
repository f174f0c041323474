"""The "Pixxel AOIs" layer: one memory layer of AOI outlines that the dock keeps up to date.

MAIN THREAD ONLY (UI slots): it edits the project and the canvas.

There is exactly one such layer per project. It is found again by a custom property (so a user who
renames it keeps it), created on first use, and then only updated: a refresh changes, adds and
removes features, it never replaces the layer (the user's styling, labels and position in the
layer tree survive). The layer is the user's data: removing the dock leaves it in the project.

Only the layer id is kept between calls, so nothing here is connected to QgsProject signals: a
layer the user deleted, or a project cleared or closed, is simply not found next time and made
again.
"""

import contextlib
from typing import Dict, Iterable, List, Optional, Sequence, Set

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt import sip
from qgis.PyQt.QtGui import QColor

from .i18n import tr
from .models import Aoi
from .redaction import pixxel_logger

log = pixxel_logger()

PROPERTY_ROLE = "pixxel/role"
ROLE_AOI_FOOTPRINTS = "aoi_footprints"
CRS = "EPSG:4326"
OUTLINE_COLOUR = "230,126,34,255"  # orange: visible on imagery and on OSM alike
HIGHLIGHT_COLOUR = QColor(255, 0, 170)
ZOOM_MARGIN = 1.2

# Declared in the memory provider's URI (no QVariant/QMetaType types: they differ between Qt 5
# and Qt 6); plain types every format can hold when the user saves the layer.
FIELDS = (
    ("aoi_id", "string(64)"),
    ("name", "string(254)"),
    ("status", "string(32)"),
    ("progress", "integer"),
    ("project_id", "string(64)"),
    ("satellite_id", "string(64)"),
    ("area_km2", "double"),
    ("created_at", "string(32)"),
    ("updated_at", "string(32)"),
)


def geometry_from_geojson(geometry: Optional[dict]) -> Optional[QgsGeometry]:
    """A MultiPolygon QgsGeometry from a GeoJSON Polygon or MultiPolygon, None when there is no
    usable ring (missing, empty, or malformed coordinates)."""
    if not isinstance(geometry, dict):
        return None
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        return None
    parts = []
    for polygon in polygons if isinstance(polygons, list) else []:
        rings = [_ring(ring) for ring in polygon] if isinstance(polygon, list) else []
        rings = [ring for ring in rings if ring]
        if rings:
            parts.append(rings)
    if not parts:
        return None
    return QgsGeometry.fromMultiPolygonXY(parts)


def _ring(coordinates) -> Optional[List[QgsPointXY]]:
    if not isinstance(coordinates, list):
        return None
    points = []
    for position in coordinates:
        try:
            points.append(QgsPointXY(float(position[0]), float(position[1])))
        except (TypeError, ValueError, IndexError):
            return None
    return points if len(points) >= 4 else None


def _iso(moment) -> str:
    return moment.isoformat() if moment is not None else ""


def _attributes(aoi: Aoi) -> list:
    area = aoi.area_in_sq_m / 1e6 if aoi.area_in_sq_m is not None else None
    return [
        aoi.aoi_id,
        aoi.name,
        aoi.status,
        aoi.progress,
        aoi.project_id or "",
        aoi.satellite_id or "",
        area,
        _iso(aoi.created_at),
        _iso(aoi.updated_at),
    ]


def layer_name() -> str:
    return tr("Pixxel AOIs")


class AoiFootprints:
    """Keeps the project's "Pixxel AOIs" layer in step with the AOIs the dock lists, and shows the
    selected one on the map. `canvas` (optional) is used for highlight and zoom."""

    def __init__(self, project: Optional[QgsProject] = None, canvas=None) -> None:
        self._project = project
        self._canvas = canvas
        self._layer_id: Optional[str] = None
        self._highlight = None  # QgsHighlight of the selected AOI
        self._highlight_layer = None  # the layer it was drawn for (a QgsHighlight needs it alive)
        self._selected_id: Optional[str] = None
        # aoi_id -> feature id, valid for one layer while its feature count matches: a listing
        # of 10,000 AOIs arrives in 100 pages, and re-reading the layer for each would be slow.
        self._fids: Dict[str, int] = {}
        self._fids_layer: Optional[str] = None

    @property
    def project(self) -> QgsProject:
        return self._project or QgsProject.instance()

    # -- the layer -----------------------------------------------------------------------------

    def layer(self, create: bool = False) -> Optional[QgsVectorLayer]:
        """The project's footprints layer; made and added when `create` and there is none."""
        project = self.project
        layer = project.mapLayer(self._layer_id) if self._layer_id else None
        if layer is None:
            layer = next(
                (
                    candidate
                    for candidate in project.mapLayers().values()
                    if isinstance(candidate, QgsVectorLayer)
                    and candidate.customProperty(PROPERTY_ROLE) == ROLE_AOI_FOOTPRINTS
                    and candidate.isValid()
                ),
                None,
            )
        if layer is None and create:
            layer = self._new_layer()
            project.addMapLayer(layer)
        self._layer_id = layer.id() if layer is not None else None
        return layer

    def _new_layer(self) -> QgsVectorLayer:
        uri = f"MultiPolygon?crs={CRS}" + "".join(f"&field={n}:{t}" for n, t in FIELDS)
        layer = QgsVectorLayer(uri, layer_name(), "memory")
        layer.setCustomProperty(PROPERTY_ROLE, ROLE_AOI_FOOTPRINTS)
        symbol = QgsFillSymbol.createSimple(
            {
                "color": "0,0,0,0",
                "style": "no",
                "outline_color": OUTLINE_COLOUR,
                "outline_width": "0.6",
                "outline_width_unit": "MM",
            }
        )
        layer.setRenderer(QgsSingleSymbolRenderer(symbol))
        layer.setDisplayExpression('"name"')
        return layer

    def _feature_ids(self, layer: QgsVectorLayer) -> Dict[str, int]:
        if self._fids_layer == layer.id() and len(self._fids) == layer.featureCount():
            return self._fids
        request = QgsFeatureRequest()
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
        request.setSubsetOfAttributes(["aoi_id"], layer.fields())
        self._fids = {feature["aoi_id"]: feature.id() for feature in layer.getFeatures(request)}
        self._fids_layer = layer.id()
        return self._fids

    # -- updating ------------------------------------------------------------------------------

    def update(self, aois: Iterable[Aoi]) -> QgsVectorLayer:
        """Add or update the features of `aois` (matched by aoi_id); others are left alone."""
        layer = self.layer(create=True)
        provider = layer.dataProvider()
        existing = dict(self._feature_ids(layer))
        new_features = []
        geometries: Dict[int, QgsGeometry] = {}
        attributes: Dict[int, Dict[int, object]] = {}
        for aoi in aois:
            geometry = geometry_from_geojson(aoi.geometry)
            values = _attributes(aoi)
            fid = existing.get(aoi.aoi_id)
            if fid is None:
                feature = QgsFeature(layer.fields())
                feature.setAttributes(values)
                if geometry is not None:
                    feature.setGeometry(geometry)
                new_features.append(feature)
                existing[aoi.aoi_id] = -1  # a page listing the same AOI twice adds it once
            elif fid >= 0:
                attributes[fid] = dict(enumerate(values))
                if geometry is not None:
                    geometries[fid] = geometry
        if new_features:
            added, features = provider.addFeatures(new_features)
            if added:
                self._fids.update((f["aoi_id"], f.id()) for f in features)
            else:
                self._fids_layer = None
        if attributes:
            provider.changeAttributeValues(attributes)
        if geometries:
            provider.changeGeometryValues(geometries)
        if new_features or attributes or geometries:
            layer.updateExtents()
            layer.triggerRepaint()
        return layer

    def retain_only(self, aoi_ids: Iterable[str]) -> int:
        """Remove the features of AOIs not in `aoi_ids` (after a complete listing); returns how
        many were removed."""
        layer = self.layer()
        if layer is None:
            return 0
        keep: Set[str] = set(aoi_ids)
        gone = [fid for aoi_id, fid in self._feature_ids(layer).items() if aoi_id not in keep]
        if gone:
            layer.dataProvider().deleteFeatures(gone)
            self._fids_layer = None
            layer.updateExtents()
            layer.triggerRepaint()
        if self._selected_id is not None and self._selected_id not in keep:
            self.select(None)
        return len(gone)

    def feature_count(self) -> int:
        layer = self.layer()
        return layer.featureCount() if layer is not None else 0

    # -- selection, highlight, zoom ------------------------------------------------------------

    def feature(self, aoi_id: str) -> Optional[QgsFeature]:
        layer = self.layer()
        if layer is None:
            return None
        fid = self._feature_ids(layer).get(aoi_id)
        if fid is None:
            return None
        feature = layer.getFeature(fid)
        return feature if feature.isValid() and feature["aoi_id"] == aoi_id else None

    def select(self, aoi_id: Optional[str]) -> bool:
        """Select the AOI's feature in the layer (the user's own selection on this layer is
        replaced) and highlight it on the canvas; None clears both. False when it has no
        feature."""
        self._clear_highlight()
        self._selected_id = aoi_id
        layer = self.layer()
        if layer is None:
            return False
        feature = self.feature(aoi_id) if aoi_id else None
        if feature is None:
            layer.removeSelection()
            return False
        layer.selectByIds([feature.id()])
        if self._canvas is not None and feature.hasGeometry():
            self._highlight = self._make_highlight(feature.geometry(), layer)
            self._highlight_layer = layer
            # A highlight draws through its layer: it must go before the layer does.
            layer.willBeDeleted.connect(self._clear_highlight)
        return True

    def selected_aoi_id(self) -> Optional[str]:
        return self._selected_id

    def _make_highlight(self, geometry: QgsGeometry, layer: QgsVectorLayer):
        from qgis.gui import QgsHighlight  # gui only here: Processing runs have no canvas

        highlight = QgsHighlight(self._canvas, geometry, layer)
        highlight.setColor(HIGHLIGHT_COLOUR)
        highlight.setWidth(3)
        fill = QColor(HIGHLIGHT_COLOUR)
        fill.setAlpha(40)
        highlight.setFillColor(fill)
        highlight.show()
        return highlight

    def _clear_highlight(self) -> None:
        if self._highlight_layer is not None:
            with contextlib.suppress(TypeError, RuntimeError):  # already gone
                self._highlight_layer.willBeDeleted.disconnect(self._clear_highlight)
            self._highlight_layer = None
        if self._highlight is not None:
            try:
                # Owned by the canvas' scene: taken out of it, then deleted once.
                self._highlight.hide()
                scene = self._highlight.scene()
                if scene is not None:
                    scene.removeItem(self._highlight)
                    sip.delete(self._highlight)
            except RuntimeError:  # the canvas went first (QGIS closing)
                pass
            self._highlight = None

    def extent_in_canvas_crs(self, aoi_ids: Sequence[str]) -> Optional[QgsRectangle]:
        """The combined extent of these AOIs' features in the canvas CRS (EPSG:4326 without a
        canvas), None when none has a geometry or the transform fails."""
        layer = self.layer()
        if layer is None:
            return None
        extent = QgsRectangle()
        extent.setMinimal()
        found = False
        for aoi_id in aoi_ids:
            feature = self.feature(aoi_id)
            if feature is not None and feature.hasGeometry():
                extent.combineExtentWith(feature.geometry().boundingBox())
                found = True
        if not found or not extent.isFinite():
            return None
        if self._canvas is None:
            return extent
        destination = self._canvas.mapSettings().destinationCrs()
        if not destination.isValid():
            return extent
        try:
            transform = QgsCoordinateTransform(
                QgsCoordinateReferenceSystem(CRS), destination, self.project
            )
            return transform.transformBoundingBox(extent)
        except QgsCsException as error:
            log.warning("Cannot show the AOI in the map's CRS: %s", error)
            return None

    def zoom_to(self, aoi_ids: Sequence[str]) -> bool:
        """Zoom the canvas to these AOIs (with a margin). False without canvas or geometry."""
        if self._canvas is None:
            return False
        extent = self.extent_in_canvas_crs(aoi_ids)
        if extent is None:
            return False
        if extent.width() == 0 or extent.height() == 0:
            extent.grow(1e-3)
        extent.scale(ZOOM_MARGIN)
        self._canvas.setExtent(extent)
        self._canvas.refresh()
        return True

    def release(self) -> None:
        """Remove what belongs to the dock (the highlight); the layer stays: it is user data."""
        self._clear_highlight()
        self._selected_id = None
