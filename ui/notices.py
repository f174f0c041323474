"""Messages in the QGIS message bar, with buttons to open a folder or zoom to new layers."""

from typing import Any, List, Optional, Tuple

from qgis.core import Qgis, QgsProject
from qgis.PyQt.QtWidgets import QPushButton

from ..core.qgis.i18n import tr
from ..core.qgis.layers import zoom_canvas_to
from .widgets import show_folder

MESSAGE_SECONDS = 10


class Notices:
    """`last` is the last message (level name, text), also when there is no message bar to show
    it in."""

    def __init__(self, *, iface: Any) -> None:
        self._iface = iface
        self.last: Optional[Tuple[str, str]] = None

    def notify(
        self,
        level: str,
        text: str,
        *,
        folder: str = "",
        layers: Optional[list] = None,
    ) -> None:
        """A message bar message (`level`: info, success, warning, critical), with "Open folder"
        and "Zoom to" buttons when a folder or layers are given."""
        self.last = (level, text)
        bar = self._iface.messageBar() if self._iface is not None else None
        if bar is None:
            return
        levels = {
            "info": Qgis.MessageLevel.Info,
            "success": Qgis.MessageLevel.Success,
            "warning": Qgis.MessageLevel.Warning,
            "critical": Qgis.MessageLevel.Critical,
        }
        widget = bar.createMessage(tr("Pixxel"), text)
        if folder:
            button = QPushButton(tr("Open folder"), widget)
            button.clicked.connect(lambda: show_folder(folder))
            widget.layout().addWidget(button)
        canvas = self._iface.mapCanvas() if layers else None
        if canvas is not None:
            layer_ids = [layer.id() for layer in layers]
            button = QPushButton(tr("Zoom to"), widget)
            button.clicked.connect(lambda: _zoom_to_layers(canvas, layer_ids))
            widget.layout().addWidget(button)
        duration = 0 if level == "critical" else MESSAGE_SECONDS
        bar.pushWidget(widget, levels.get(level, Qgis.MessageLevel.Info), duration)


def _zoom_to_layers(canvas: Any, layer_ids: List[str]) -> None:
    # By id, looked up when clicked: the user may have removed some layers since.
    project = QgsProject.instance()
    layers = [project.mapLayer(layer_id) for layer_id in layer_ids]
    layers = [layer for layer in layers if layer is not None]
    if layers:
        zoom_canvas_to(canvas, layers, project)
