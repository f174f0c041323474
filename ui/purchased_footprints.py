"""The "Pixxel purchases" layer: the outline of every catalog the Purchased view lists, in a memory
layer of its own beside the "Pixxel AOIs" one, and the rows selected in the view selected on it.

MAIN THREAD ONLY. Found again by a custom property (renaming it keeps it), made on first use,
its features replaced by each listing; it is the user's data once made (the dock leaves it in
the project). Like the AOI outlines, keeping it in step does not mark the project modified and
raises no "memory layer will be lost" warning (footprints.py explains why).
"""

import contextlib
from typing import Callable, Iterable, List, Optional, Sequence

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFillSymbol,
    QgsProject,
    QgsRectangle,
    QgsSimpleLineSymbolLayer,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from ..core.pixxel.purchased_models import Catalog, OrderItem
from ..core.pixxel.redaction import pixxel_logger
from ..core.qgis.geometry import geometry_from_geojson
from ..core.qgis.i18n import tr
from ..core.qgis.layers import OUTLINES_CRS as CRS
from ..core.qgis.layers import PROPERTY_ROLE, ROLE_PURCHASED_FOOTPRINTS
from .footprints import SKIP_MEMORY_LAYERS_CHECK, ZOOM_MARGIN

log = pixxel_logger()

OUTLINE_COLOUR = QColor(41, 128, 185)  # blue: apart from the AOIs' orange
OUTLINE_WIDTH_MM = 0.5
FIELDS = (
    ("catalog_id", "string(64)"),
    ("item_id", "string(254)"),
    ("order_item", "string(254)"),
    ("order_id", "string(64)"),
    ("acquired", "string(32)"),
    ("platform", "string(32)"),
    ("delivery_status", "string(32)"),
)


def layer_name() -> str:
    return tr("Pixxel purchases")


class PurchasedFootprints:
    def __init__(self, project: Optional[QgsProject] = None, canvas=None) -> None:
        self._project = project
        self._canvas = canvas
        self._layer_id: Optional[str] = None

    @property
    def project(self) -> QgsProject:
        return self._project or QgsProject.instance()

    def layer(self, create: bool = False) -> Optional[QgsVectorLayer]:
        project = self.project
        layer = project.mapLayer(self._layer_id) if self._layer_id else None
        if layer is None:
            layer = next((candidate for candidate in project.mapLayers().values()
                          if isinstance(candidate, QgsVectorLayer) and candidate.isValid()
                          and candidate.customProperty(PROPERTY_ROLE)
                          == ROLE_PURCHASED_FOOTPRINTS), None)
        if layer is None and create:
            layer = _new_layer()
            with self._project_left_clean():
                project.addMapLayer(layer, False)
                project.layerTreeRoot().insertLayer(0, layer)
        self._layer_id = layer.id() if layer is not None else None
        return layer

    def show(self, catalogs: Iterable[Catalog],
             owner: Callable[[Catalog], Optional[OrderItem]]) -> QgsVectorLayer:
        """The layer holds exactly these catalogs' outlines (`owner` names their order item)."""
        layer = self.layer(create=True)
        provider = layer.dataProvider()
        features = []
        for catalog in catalogs:
            item = owner(catalog)
            feature = QgsFeature(layer.fields())
            feature.setAttributes([
                catalog.catalog_id, catalog.item_id, item.display_name if item else "",
                (item.order_id or "") if item else "",
                catalog.acquired.isoformat() if catalog.acquired else "", catalog.platform,
                catalog.delivery_status,
            ])
            geometry = geometry_from_geojson(catalog.geometry)
            if geometry is not None:
                feature.setGeometry(geometry)
            features.append(feature)
        with self._project_left_clean():
            provider.truncate()
            provider.addFeatures(features)
            layer.updateExtents()
        layer.triggerRepaint()
        return layer

    def select(self, catalog_ids: Iterable[str]) -> int:
        """Select these catalogs' features (the user's own selection there is replaced)."""
        layer = self.layer()
        if layer is None:
            return 0
        wanted = set(catalog_ids)
        fids = [f.id() for f in layer.getFeatures() if f["catalog_id"] in wanted]
        layer.selectByIds(fids)
        return len(fids)

    def zoom_to(self, catalogs: Sequence[Catalog]) -> bool:
        if self._canvas is None:
            return False
        extent = QgsRectangle()
        extent.setMinimal()
        geometries = [g for g in map(geometry_from_geojson, (c.geometry for c in catalogs)) if g]
        for geometry in geometries:
            extent.combineExtentWith(geometry.boundingBox())
        if not geometries or not extent.isFinite():
            return False
        destination = self._canvas.mapSettings().destinationCrs()
        if destination.isValid():
            try:
                extent = QgsCoordinateTransform(QgsCoordinateReferenceSystem(CRS), destination,
                                                self.project).transformBoundingBox(extent)
            except QgsCsException as error:
                log.warning("Cannot show the purchase in the map's CRS: %s", error)
                return False
        if extent.width() == 0 or extent.height() == 0:
            extent.grow(1e-3)
        extent.scale(ZOOM_MARGIN)
        self._canvas.setExtent(extent)
        self._canvas.refresh()
        return True

    @contextlib.contextmanager
    def _project_left_clean(self):
        was_modified = self.project.isDirty()
        try:
            yield
        finally:
            if not was_modified and self.project.isDirty():
                self.project.setDirty(False)


def _new_layer() -> QgsVectorLayer:
    uri = f"MultiPolygon?crs={CRS}" + "".join(f"&field={n}:{t}" for n, t in FIELDS)
    layer = QgsVectorLayer(uri, layer_name(), "memory")
    layer.setCustomProperty(PROPERTY_ROLE, ROLE_PURCHASED_FOOTPRINTS)
    layer.setCustomProperty(SKIP_MEMORY_LAYERS_CHECK, 1)
    symbol = QgsFillSymbol()
    symbol.changeSymbolLayer(0, QgsSimpleLineSymbolLayer(OUTLINE_COLOUR, OUTLINE_WIDTH_MM))
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setDisplayExpression('"item_id"')
    return layer


def catalog_ids_of(rows: List[object]) -> List[str]:
    """The catalog ids among selected rows (catalogs), for the layer's selection."""
    return [row.catalog_id for row in rows if isinstance(row, Catalog)]
