"""The "Band combination" submenu of a spectral raster's context menu in the Layers panel:
True colour, Colour infrared, ... picked by wavelength, and Custom… for the user's own three
wavelengths (ui/band_combination_dialog.py).

QGIS owns the Layers panel's menu; QGIS 3.22 has no signal before it shows (contextMenuAboutToShow
came in 3.32), so the entry is a custom layer action (addCustomActionForLayerType with allLayers
off, then addCustomActionForLayer for each spectral raster as it joins the project). The action
carries its own QMenu, filled when it opens for the layer the user right-clicked (the current
layer), so each preset shows enabled or not for that image, with the reason as its tooltip.
"""

from functools import partial
from typing import Any, Iterable, Optional

import qgis.utils
from qgis.core import Qgis, QgsMapLayer, QgsProject, QgsRasterLayer
from qgis.PyQt import sip
from qgis.PyQt.QtWidgets import QAction, QMenu

from ..core.imagery.band_presets import PresetChoice
from ..core.qgis.band_combinations import (
    BandCombinationTask,
    custom_choice,
    describe_choice,
    preset_choices,
    preset_label,
    shown_bands,
    spectral_file_of,
)
from ..core.qgis.i18n import tr
from ..core.qgis.registry import TaskRegistry
from ..core.qgis.spectral_source import SpectralFile
from .band_combination_dialog import CustomCombinationDialog
from .notices import Notices


def _raster_layer_type() -> Any:
    # Qgis.LayerType from 3.30 (the only spelling in QGIS 4); QgsMapLayerType before.
    if hasattr(Qgis, "LayerType"):
        return Qgis.LayerType.Raster
    from qgis.core import QgsMapLayerType

    return QgsMapLayerType.RasterLayer


class BandCombinationMenu:
    """Created in initGui, dispose()d in unload."""

    def __init__(self, registry: TaskRegistry, notices: Notices, *, iface: Any = None) -> None:
        # Given by tests; QGIS' own otherwise.
        self._iface = iface if iface is not None else qgis.utils.iface
        iface = self._iface
        self._registry = registry
        self._notices = notices
        parent = iface.mainWindow()
        self.menu = QMenu(tr("Band combination"), parent)
        self.menu.setObjectName("PixxelBandCombinationMenu")
        self.menu.setToolTipsVisible(True)  # the reasons a preset is unavailable
        self.menu.aboutToShow.connect(self.fill)
        self.action = QAction(tr("Band combination"), parent)
        self.action.setObjectName("PixxelBandCombination")
        self.action.setMenu(self.menu)
        self._layer_type = _raster_layer_type()
        iface.addCustomActionForLayerType(self.action, "", self._layer_type, False)
        project = QgsProject.instance()
        project.layersAdded.connect(self.offer_to)
        self.offer_to(project.mapLayers().values())

    def dispose(self) -> None:
        QgsProject.instance().layersAdded.disconnect(self.offer_to)
        self._iface.removeCustomActionForLayerType(self.action)
        self.menu.deleteLater()
        self.action.deleteLater()

    def offer_to(self, layers: Iterable[QgsMapLayer]) -> None:
        """The entry on the context menu of those `layers` that are spectral rasters."""
        for layer in layers:
            if isinstance(layer, QgsRasterLayer) and spectral_file_of(layer) is not None:
                self._iface.addCustomActionForLayer(self.action, layer)

    def current_layer(self) -> Optional[QgsRasterLayer]:
        view = self._iface.layerTreeView()
        layer = view.currentLayer() if view is not None else None
        return layer if isinstance(layer, QgsRasterLayer) else None

    def fill(self) -> None:
        """The presets for the current layer: available ones with the bands they would use as
        their tooltip and the one shown checked; unavailable ones disabled, with the reason."""
        self.menu.clear()
        layer = self.current_layer()
        source = spectral_file_of(layer) if layer is not None else None
        if source is None:
            empty = self.menu.addAction(tr("No band wavelengths in this raster"))
            empty.setEnabled(False)
            return
        shown = shown_bands(layer)
        for choice in preset_choices(source.bands):
            action = self.menu.addAction(preset_label(choice.preset))
            action.setEnabled(choice.available)
            if choice.available:
                action.setToolTip(describe_choice(choice, source.bands))
                action.setCheckable(True)
                action.setChecked(choice.bands == shown)
                action.triggered.connect(partial(self.apply, layer.id(), source, choice))
            else:
                action.setToolTip(tr("Not available on this image: {reason}").format(
                    reason=choice.reason))
        self.menu.addSeparator()
        custom = self.menu.addAction(tr("Custom…"))
        custom.setToolTip(tr("Pick red, green and blue by wavelength"))
        custom.triggered.connect(partial(self.ask_custom, layer.id(), source))

    def ask_custom(self, layer_id: str, source: SpectralFile, *_: Any) -> None:
        layer = QgsProject.instance().mapLayer(layer_id)
        dialog = CustomCombinationDialog(source.bands, shown_bands(layer) if layer else None,
                                         self._iface.mainWindow())
        if dialog.exec():
            self.apply(layer_id, source, custom_choice(source.bands, dialog.wavelengths()))

    def apply(self, layer_id: str, source: SpectralFile, choice: PresetChoice, *_: Any) -> None:
        """Start sampling the stretch of the choice's bands; the task sets the renderer."""
        if not choice.available:
            self._notices.notify("warning", choice.reason or "")
            return
        task = BandCombinationTask(layer_id, source, choice, self._report)
        if not self._registry.start(task):
            return
        self._notices.notify("info", tr("Sampling the {preset} bands…").format(
            preset=preset_label(choice.preset)))

    def _report(self, level: str, text: str, layer_id: str) -> None:
        view = self._iface.layerTreeView()
        if view is not None and not sip.isdeleted(view):
            # The legend lists the renderer's bands: it must follow the new ones.
            view.refreshLayerSymbology(layer_id)
        self._notices.notify(level, text)
