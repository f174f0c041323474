"""The map side of archive search: the "Pixxel archive search" footprints layer and the preview
layers. MAIN THREAD ONLY (UI slots, QgsTask.finished()).

The footprints layer is an outlines layer (core/qgis/outlines.py: one per project, the user's
data, not an edit of the project), emptied and refilled by each new search. It is drawn unlike
the "Pixxel AOIs" outlines (orange, solid): blue dashes, no fill, so search results and one's own
AOIs can be told apart on one map.
"""

from pathlib import Path
from typing import Iterable, List, Optional, Sequence

from qgis.core import QgsProject, QgsRasterLayer, QgsVectorLayer
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

from ..pixxel.archive_models import ArchiveItem
from .i18n import tr
from .layers import PROPERTY_ROLE
from .outlines import OutlinesLayer, new_outlines_layer

ROLE_ARCHIVE_FOOTPRINTS = "archive_footprints"
ROLE_ARCHIVE_PREVIEW = "archive_preview"
PROPERTY_ITEM = "pixxel/archive_item"
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


class ArchiveFootprints(OutlinesLayer):
    """Keeps the project's "Pixxel archive search" layer in step with the search results."""

    def __init__(self, project: Optional[QgsProject] = None) -> None:
        super().__init__(ROLE_ARCHIVE_FOOTPRINTS, project)

    def _new_layer(self) -> QgsVectorLayer:
        return new_outlines_layer(footprints_layer_name(), ROLE_ARCHIVE_FOOTPRINTS, FIELDS,
                                  OUTLINE_COLOUR, OUTLINE_WIDTH_MM, "item_id",
                                  Qt.PenStyle.DashLine)

    def clear(self) -> None:
        layer = self.layer()
        if layer is not None:
            with self._project_left_clean():
                layer.dataProvider().truncate()
                layer.triggerRepaint()

    def add(self, items: Sequence[ArchiveItem]) -> QgsVectorLayer:
        return self.add_rows([(_attributes(item), item.geometry) for item in items])

    def select(self, item_ids: Iterable[str]) -> None:
        """Select the footprints of these items (QGIS' selection colour shows them)."""
        self.select_where("item_id", item_ids)


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
