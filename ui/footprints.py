"""The "Pixxel AOIs" layer: one memory layer of AOI outlines that the dock keeps up to date, and
the selected AOI highlighted on the map.

MAIN THREAD ONLY (UI slots): it edits the project and the canvas.

The layer is found, made and kept as core/qgis/outlines.py says (one per project, the user's
data, not an edit of the project); a refresh changes, adds and removes features, it never
replaces the layer.
"""

import contextlib
import re
from datetime import datetime
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt import sip
from qgis.PyQt.QtGui import QColor

from ..core.pixxel.models import Aoi, parse_timestamp
from ..core.qgis.geometry import geometries_from_geojson
from ..core.qgis.i18n import tr
from ..core.qgis.layers import ROLE_AOI_FOOTPRINTS
from ..core.qgis.outlines import OutlinesLayer, new_outlines_layer

OUTLINE_COLOUR = QColor(230, 126, 34)  # orange: visible on imagery and on OSM alike
OUTLINE_WIDTH_MM = 0.6
# The selected AOI: a magenta line in a white halo, outline only so that the imagery under it
# keeps its true colours; the line reads on bright imagery (clouds), the halo on dark.
HIGHLIGHT_COLOUR = QColor(255, 0, 170)
HIGHLIGHT_WIDTH = 3  # pixels
HALO_COLOUR = QColor(255, 255, 255, 230)
HALO_WIDTH = 7
NO_FILL = QColor(0, 0, 0, 0)

# Plain types every format can hold when the user saves the layer.
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


def _iso(moment) -> str:
    return moment.isoformat() if moment is not None else ""


# A timestamp already as isoformat() writes it (Pixxel's usual shape) is stored as sent: parsing
# and writing it again cost more than all the other attributes of a feature.
_ISOFORMAT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(?!0{6})\d{6})?(?:\+\d{2}:\d{2}|-(?!00:00)\d{2}:\d{2})"
)


def _iso_text(value: Any) -> str:
    """_iso(parse_timestamp(value))."""
    if isinstance(value, str) and _ISOFORMAT.fullmatch(value):
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return ""
        return value
    return _iso(parse_timestamp(value))


# The memory provider refuses a string longer than its field, and with it every change of the call.
_LENGTHS = tuple(int(kind[7:-1]) if kind.startswith("string(") else 0 for _name, kind in FIELDS)


def _attribute_map(aoi: Aoi) -> Dict[int, object]:
    """_attributes() by field index, strings cut to their field's length."""
    return {
        index: value[:length] if length else value
        for index, (value, length) in enumerate(zip(_attributes(aoi), _LENGTHS))
    }


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
        _iso_text(aoi.raw.get("created_at")),
        _iso_text(aoi.raw.get("updated_at")),
    ]


def layer_name() -> str:
    return tr("Pixxel AOIs")


class AoiFootprints(OutlinesLayer):
    """Keeps the project's "Pixxel AOIs" layer in step with the AOIs the dock lists, and shows the
    selected one on the map. `canvas` (optional) is used for highlight and zoom; `canvas_bridge`
    (optional, the desktop's) keeps the map's layers in step with the layer tree."""

    def __init__(self, project: Optional[QgsProject] = None, canvas=None,
                 canvas_bridge=None) -> None:
        super().__init__(ROLE_AOI_FOOTPRINTS, project, canvas, canvas_bridge)
        self._highlight: Optional[Tuple] = None  # the selected AOI's QgsHighlights (halo, line)
        self._highlight_layer = None  # the layer it was drawn for (a QgsHighlight needs it alive)
        self._selected_id: Optional[str] = None
        # aoi_id -> feature id, valid for one layer while its feature count matches: a listing
        # of 10,000 AOIs arrives in 100 pages, and re-reading the layer for each would be slow.
        self._fids: Dict[str, int] = {}
        self._fids_layer: Optional[str] = None

    # -- the layer -----------------------------------------------------------------------------

    def _new_layer(self) -> QgsVectorLayer:
        return new_outlines_layer(layer_name(), ROLE_AOI_FOOTPRINTS, FIELDS, OUTLINE_COLOUR,
                                  OUTLINE_WIDTH_MM, "name")

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
        """Add or update the features of `aois` (matched by aoi_id); others are left alone.

        A few calls into QGIS per update, none per AOI (in the memory layer made here): each
        such call lets another thread take the GIL, and while the dock lists 10,000 AOIs a
        worker parsing the next pages takes it every time. New AOIs are added as blank features,
        then all attributes and geometries are set at once, by feature id."""
        layer = self.layer(create=True)
        provider = layer.dataProvider()
        existing = self._feature_ids(layer)
        changes: Dict[int, Aoi] = {}
        fresh: Dict[str, Aoi] = {}
        for aoi in aois:
            fid = existing.get(aoi.aoi_id)
            if fid is not None:
                changes[fid] = aoi
            elif aoi.aoi_id not in fresh:  # a page listing the same AOI twice adds it once
                fresh[aoi.aoi_id] = aoi
        if fresh:
            changes.update(zip(self._add_blank_features(layer, list(fresh)), fresh.values()))
        if not changes:
            return layer
        attributes = {fid: _attribute_map(aoi) for fid, aoi in changes.items()}
        if not provider.changeAttributeValues(attributes):
            # One value the provider cannot convert undoes the whole call: one call each.
            for fid, values in attributes.items():
                provider.changeAttributeValues({fid: values})
        geometries = {
            fid: geometry
            for fid, geometry in zip(
                changes, geometries_from_geojson([a.geometry for a in changes.values()])
            )
            if geometry is not None
        }
        if geometries:
            provider.changeGeometryValues(geometries)
        layer.updateExtents()
        layer.triggerRepaint()
        return layer

    def _add_blank_features(self, layer: QgsVectorLayer, aoi_ids: List[str]) -> List[int]:
        """One feature per AOI, without attributes or geometry: their ids, in order (none when
        the provider refused them)."""
        blank = QgsFeature(layer.fields())
        added, features = layer.dataProvider().addFeatures([blank] * len(aoi_ids))
        if not added:
            self._fids_layer = None
            return []
        first = features[0].id()
        if layer.providerType() == "memory" and features[-1].id() == first + len(features) - 1:
            # The memory provider numbers new features in order: two calls instead of one each.
            fids = list(range(first, first + len(features)))
        else:
            fids = [feature.id() for feature in features]
        self._fids.update(zip(aoi_ids, fids))
        return fids

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

    def _make_highlight(self, geometry: QgsGeometry, layer: QgsVectorLayer) -> Tuple:
        from qgis.gui import QgsHighlight  # gui only here: Processing runs have no canvas

        highlights = []
        for colour, width in ((HALO_COLOUR, HALO_WIDTH), (HIGHLIGHT_COLOUR, HIGHLIGHT_WIDTH)):
            highlight = QgsHighlight(self._canvas, geometry, layer)
            highlight.setColor(colour)
            highlight.setWidth(width)
            highlight.setFillColor(NO_FILL)  # setColor() alone leaves a translucent fill
            highlights.append(highlight)
        halo, line = highlights
        halo.setZValue(line.zValue() - 1)
        for highlight in highlights:
            highlight.show()
        return halo, line

    def _clear_highlight(self) -> None:
        if self._highlight_layer is not None:
            with contextlib.suppress(TypeError, RuntimeError):  # already gone
                self._highlight_layer.willBeDeleted.disconnect(self._clear_highlight)
            self._highlight_layer = None
        for highlight in self._highlight or ():
            try:
                # Owned by the canvas' scene: taken out of it, then deleted once.
                highlight.hide()
                scene = highlight.scene()
                if scene is not None:
                    scene.removeItem(highlight)
                    sip.delete(highlight)
            except RuntimeError:  # the canvas went first (QGIS closing)
                pass
        self._highlight = None

    def zoom_to(self, aois: Sequence[Aoi]) -> bool:
        """Zoom the canvas to these AOIs (with a margin). False without canvas or geometry."""
        return self.zoom_to_outlines(aoi.geometry for aoi in aois)

    def release(self) -> None:
        """Remove what belongs to the dock (the highlight); the layer stays: it is user data."""
        self._clear_highlight()
        self._selected_id = None
