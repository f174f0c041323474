"""The map side of archive search: the "Pixxel archive search" footprints layer and the preview
layers. MAIN THREAD ONLY (UI slots, QgsTask.finished()).

The footprints layer is one memory layer per project, found again by a custom property, emptied
and refilled by each new search (its style and place in the layer tree stay). It is drawn
unlike the "Pixxel AOIs" outlines (orange, solid): blue dashes, no fill, so search results and
one's own AOIs can be told apart on one map. Like the AOI layer it is not an edit of the user's
project: the modified flag is left as found and QGIS' "features will be lost" check is off for
it; the next search brings the features back.
"""

import contextlib
from pathlib import Path
from typing import Iterable, List, Optional, Sequence

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsProject,
    QgsRasterLayer,
    QgsSimpleLineSymbolLayer,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

from ..pixxel.archive_models import ArchiveItem
from .geometry import geometries_from_geojson
from .i18n import tr
from .layers import OUTLINES_CRS, PROPERTY_ROLE

ROLE_ARCHIVE_FOOTPRINTS = "archive_footprints"
ROLE_ARCHIVE_PREVIEW = "archive_preview"
PROPERTY_ITEM = "pixxel/archive_item"
SKIP_MEMORY_LAYERS_CHECK = "skipMemoryLayersCheck"  # read by QGIS when a project closes
OUTLINE_COLOUR = QColor(41, 128, 255)  # blue: apart from the AOIs' orange
OUTLINE_WIDTH_MM = 0.5
FIELDS = (
    ("item_id", "string(128)"),
    ("collection", "string(64)"),
    ("acquired", "string(32)"),
    ("platform", "string(32)"),
    ("gsd", "double"),
    ("cloud_cover", "double"),
    ("off_nadir", "double"),
    ("sun_elevation", "double"),
)


def footprints_layer_name() -> str:
    return tr("Pixxel archive search")


class ArchiveFootprints:
    """Keeps the project's "Pixxel archive search" layer in step with the search results."""

    def __init__(self, project: Optional[QgsProject] = None) -> None:
        self._project = project
        self._layer_id: Optional[str] = None

    @property
    def project(self) -> QgsProject:
        return self._project or QgsProject.instance()

    def layer(self, create: bool = False) -> Optional[QgsVectorLayer]:
        project = self.project
        layer = project.mapLayer(self._layer_id) if self._layer_id else None
        if layer is None:
            layer = next((candidate for candidate in project.mapLayers().values()
                          if isinstance(candidate, QgsVectorLayer)
                          and candidate.customProperty(PROPERTY_ROLE) == ROLE_ARCHIVE_FOOTPRINTS
                          and candidate.isValid()), None)
        if layer is None and create:
            layer = _new_layer()
            with self._project_left_clean():
                project.addMapLayer(layer, False)
                project.layerTreeRoot().insertLayer(0, layer)  # over imagery, not under it
        self._layer_id = layer.id() if layer is not None else None
        return layer

    def clear(self) -> None:
        layer = self.layer()
        if layer is not None:
            with self._project_left_clean():
                layer.dataProvider().truncate()
                layer.triggerRepaint()

    def add(self, items: Sequence[ArchiveItem]) -> QgsVectorLayer:
        layer = self.layer(create=True)
        features = []
        for item, geometry in zip(items, geometries_from_geojson([i.geometry for i in items])):
            feature = QgsFeature(layer.fields())
            feature.setAttributes(_attributes(item))
            if geometry is not None:
                feature.setGeometry(geometry)
            features.append(feature)
        with self._project_left_clean():
            layer.dataProvider().addFeatures(features)
            layer.updateExtents()
            layer.triggerRepaint()
        return layer

    def select(self, item_ids: Iterable[str]) -> None:
        """Select the footprints of these items (QGIS' selection colour shows them)."""
        layer = self.layer()
        if layer is None:
            return
        wanted = set(item_ids)
        request = QgsFeatureRequest()
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
        fids = [f.id() for f in layer.getFeatures(request) if f["item_id"] in wanted]
        layer.selectByIds(fids)

    @contextlib.contextmanager
    def _project_left_clean(self):
        project = self.project
        was_modified = project.isDirty()
        try:
            yield
        finally:
            if not was_modified and project.isDirty():
                project.setDirty(False)


def _new_layer() -> QgsVectorLayer:
    uri = f"MultiPolygon?crs={OUTLINES_CRS}" + "".join(f"&field={n}:{t}" for n, t in FIELDS)
    layer = QgsVectorLayer(uri, footprints_layer_name(), "memory")
    layer.setCustomProperty(PROPERTY_ROLE, ROLE_ARCHIVE_FOOTPRINTS)
    layer.setCustomProperty(SKIP_MEMORY_LAYERS_CHECK, 1)
    line = QgsSimpleLineSymbolLayer(OUTLINE_COLOUR, OUTLINE_WIDTH_MM)
    line.setPenStyle(Qt.PenStyle.DashLine)
    symbol = QgsFillSymbol()
    symbol.changeSymbolLayer(0, line)  # outline only: the imagery under it keeps its colours
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setDisplayExpression('"item_id"')
    return layer


def _attributes(item: ArchiveItem) -> List[object]:
    return [
        item.id[:128],
        item.collection[:64],
        item.acquired.isoformat() if item.acquired else "",
        item.platform[:32],
        item.gsd,
        item.cloud_cover,
        item.off_nadir,
        item.sun_elevation,
    ]


def add_preview_layer(path: Path, item: ArchiveItem, project: Optional[QgsProject] = None
                      ) -> Optional[QgsRasterLayer]:
    """The preview GeoTIFF as a raster layer under the footprints (a second preview of the same
    item replaces the first), or None when QGIS cannot read it."""
    project = project or QgsProject.instance()
    for layer in list(project.mapLayers().values()):
        if layer.customProperty(PROPERTY_ROLE) == ROLE_ARCHIVE_PREVIEW \
                and layer.customProperty(PROPERTY_ITEM) == item.id:
            project.removeMapLayer(layer.id())
    layer = QgsRasterLayer(str(path), tr("{item} (preview)").format(item=item.id), "gdal")
    if not layer.isValid():
        return None
    layer.setCustomProperty(PROPERTY_ROLE, ROLE_ARCHIVE_PREVIEW)
    layer.setCustomProperty(PROPERTY_ITEM, item.id)
    project.addMapLayer(layer, False)
    root = project.layerTreeRoot()
    footprints = next((node for node in root.findLayers() if node.layer() is not None and
                       node.layer().customProperty(PROPERTY_ROLE) == ROLE_ARCHIVE_FOOTPRINTS),
                      None)
    position = root.children().index(footprints) + 1 if footprints is not None and \
        footprints.parent() is root else 0
    root.insertLayer(position, layer)
    return layer
