"""Outline layers: the memory layers of polygon outlines that the plugin keeps in step with what a
view lists ("Pixxel AOIs", "Pixxel purchases", "Pixxel archive search").

MAIN THREAD ONLY (UI slots, QgsTask.finished()): it edits the project and the canvas.

There is one layer of each role per project. It is found again by a custom property (so a user who
renames it keeps it), made on first use at the top of the layer tree (under imagery the outlines
would be hidden), and then only updated: its styling, labels and place in the tree are the
user's. Only the layer id is kept between calls, so nothing here is connected to QgsProject
signals: a layer the user deleted, or a project cleared or closed, is simply not found next time
and made again. The layer is the user's data: removing the dock leaves it in the project.

Keeping the outlines in step is not an edit of the user's project: the project's modified flag is
left as it was found, and the layer carries QGIS' `skipMemoryLayersCheck` property. Otherwise
merely opening a panel made QGIS ask, at every close, new project or project switch, whether to
save the project and warn that the layer's features would be lost, though the next listing
brings them back.
"""

import contextlib
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsProject,
    QgsRectangle,
    QgsSimpleLineSymbolLayer,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

from ..pixxel.redaction import pixxel_logger
from .geometry import geometries_from_geojson, geometry_from_geojson
from .layers import OUTLINES_CRS, PROPERTY_ROLE

log = pixxel_logger()

# Read by QGIS when a project closes: memory layers with it set raise no "will be lost" warning.
SKIP_MEMORY_LAYERS_CHECK = "skipMemoryLayersCheck"
ZOOM_MARGIN = 1.2

Fields = Sequence[Tuple[str, str]]  # (name, memory-provider type)
Row = Tuple[List[object], Optional[dict]]  # a feature's attributes and GeoJSON outline


def new_outlines_layer(
    name: str, role: str, fields: Fields, colour: QColor, width_mm: float, label_field: str,
    pen_style: Qt.PenStyle = Qt.PenStyle.SolidLine,
) -> QgsVectorLayer:
    """A MultiPolygon memory layer in OUTLINES_CRS with `fields` (declared in the provider's URI:
    no QVariant/QMetaType types, which differ between Qt 5 and Qt 6), drawn as outlines only."""
    uri = f"MultiPolygon?crs={OUTLINES_CRS}" + "".join(f"&field={n}:{t}" for n, t in fields)
    layer = QgsVectorLayer(uri, name, "memory")
    layer.setCustomProperty(PROPERTY_ROLE, role)
    layer.setCustomProperty(SKIP_MEMORY_LAYERS_CHECK, 1)
    # A line symbol layer rather than a simple fill without brush: QGIS fills a selected polygon
    # with the selection colour whatever its brush, and these layers lie over imagery.
    line = QgsSimpleLineSymbolLayer(colour, width_mm)
    line.setPenStyle(pen_style)
    symbol = QgsFillSymbol()
    symbol.changeSymbolLayer(0, line)
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setDisplayExpression(f'"{label_field}"')
    return layer


class OutlinesLayer:
    """The project's outlines layer of `role`, which `_new_layer()` makes. `canvas` (optional) is
    zoomed; `canvas_bridge` (optional, the desktop's QgsLayerTreeMapCanvasBridge) keeps the map's
    layers in step with the layer tree."""

    def __init__(self, role: str, project: Optional[QgsProject] = None, canvas=None,
                 canvas_bridge=None) -> None:
        self._role = role
        self._project = project
        self._canvas = canvas
        self._canvas_bridge = canvas_bridge
        self._layer_id: Optional[str] = None

    @property
    def project(self) -> QgsProject:
        return self._project or QgsProject.instance()

    def _new_layer(self) -> QgsVectorLayer:
        raise NotImplementedError

    def layer(self, create: bool = False) -> Optional[QgsVectorLayer]:
        """The project's layer of this role; made and added when `create` and there is none."""
        project = self.project
        layer = project.mapLayer(self._layer_id) if self._layer_id else None
        if layer is None:
            layer = next((candidate for candidate in project.mapLayers().values()
                          if isinstance(candidate, QgsVectorLayer)
                          and candidate.customProperty(PROPERTY_ROLE) == self._role
                          and candidate.isValid()), None)
        if layer is None and create:
            layer = self._new_layer()
            with self._project_left_clean():
                # At the top of the tree, whatever the current layer is.
                project.addMapLayer(layer, False)
                project.layerTreeRoot().insertLayer(0, layer)
        elif layer is not None and not layer.customProperty(SKIP_MEMORY_LAYERS_CHECK):
            with self._project_left_clean():  # a layer saved by a version without the property
                layer.setCustomProperty(SKIP_MEMORY_LAYERS_CHECK, 1)
        self._layer_id = layer.id() if layer is not None else None
        return layer

    @contextlib.contextmanager
    def _project_left_clean(self) -> Iterator[None]:
        """The project's modified flag as it was before the block (see the module docstring)."""
        project = self.project
        was_modified = project.isDirty()
        try:
            yield
        finally:
            if self._canvas_bridge is not None:
                # The bridge would bring the map in step with the new layer on the next turn of
                # the event loop, marking the project modified then: now, inside the block.
                with contextlib.suppress(RuntimeError):  # the bridge went first (QGIS closing)
                    self._canvas_bridge.setCanvasLayers()
            if not was_modified and project.isDirty():
                project.setDirty(False)

    def add_rows(self, rows: Sequence[Row], replace: bool = False) -> QgsVectorLayer:
        """These features added to the layer (made if need be); `replace`: instead of those it
        held."""
        layer = self.layer(create=True)
        features = []
        for (attributes, _), geometry in zip(rows, geometries_from_geojson([g for _, g in rows])):
            feature = QgsFeature(layer.fields())
            feature.setAttributes(attributes)
            if geometry is not None:
                feature.setGeometry(geometry)
            features.append(feature)
        with self._project_left_clean():
            if replace:
                layer.dataProvider().truncate()
            layer.dataProvider().addFeatures(features)
            layer.updateExtents()
            layer.triggerRepaint()
        return layer

    def select_where(self, field: str, values: Iterable[str]) -> int:
        """Select the features whose `field` is one of `values` (the user's own selection on
        this layer is replaced); returns how many."""
        layer = self.layer()
        if layer is None:
            return 0
        wanted = set(values)
        request = QgsFeatureRequest()
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
        fids = [feature.id() for feature in layer.getFeatures(request) if feature[field] in wanted]
        layer.selectByIds(fids)
        return len(fids)

    def extent_in_canvas_crs(self, outlines: Iterable[Optional[dict]]) -> Optional[QgsRectangle]:
        """The combined extent of these GeoJSON outlines in the canvas CRS (OUTLINES_CRS without
        a canvas), None when none is usable or the transform fails. From the outlines, not the
        layer: zooming works after the user removed the layer, too."""
        extent = QgsRectangle()
        extent.setMinimal()
        found = False
        for geometry in filter(None, map(geometry_from_geojson, outlines)):
            extent.combineExtentWith(geometry.boundingBox())
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
                QgsCoordinateReferenceSystem(OUTLINES_CRS), destination, self.project
            )
            return transform.transformBoundingBox(extent)
        except QgsCsException as error:
            log.warning("Cannot show the outlines in the map's CRS: %s", error)
            return None

    def zoom_to_outlines(self, outlines: Iterable[Optional[dict]]) -> bool:
        """Zoom the canvas to these GeoJSON outlines (with a margin). False without canvas or
        usable outline."""
        if self._canvas is None:
            return False
        extent = self.extent_in_canvas_crs(outlines)
        if extent is None:
            return False
        if extent.width() == 0 or extent.height() == 0:
            extent.grow(1e-3)
        extent.scale(ZOOM_MARGIN)
        self._canvas.setExtent(extent)
        self._canvas.refresh()
        return True
