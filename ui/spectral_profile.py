"""The spectral profile tool: click on the map, see the reflectance spectrum of that pixel of the
topmost visible spectral raster; pin profiles to compare them (each in its own colour, with a
legend), clear them, export the pinned ones to CSV.

Reading happens on the main thread (core/qgis/profiles.py says why: ~1 ms a click). The panel is
a dock at the bottom; the tool's toolbar button and Web → Pixxel entry are one checkable action,
which QGIS unchecks when another map tool takes over.
"""

from pathlib import Path
from typing import Any, List, Optional, Tuple

import qgis.utils
from qgis.core import QgsPointXY, QgsProject
from qgis.gui import QgsMapToolEmitPoint
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QIcon
from qgis.PyQt.QtWidgets import (
    QAction,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.pixxel.plugin_info import resource_path
from ..core.qgis.i18n import tr, tr_n
from ..core.qgis.profiles import Profile, ProfileReader, write_csv
from .notices import Notices
from .spectrum_chart import PALETTE, Curve, SpectrumChart

CURRENT_COLOUR = "#303030"


class SpectralProfileTool(QgsMapToolEmitPoint):
    """A click on the map emits canvasClicked(point in map coordinates, button)."""

    def __init__(self, canvas: Any) -> None:
        super().__init__(canvas)
        self.setCursor(Qt.CursorShape.CrossCursor)


class SpectralProfilePanel(QDockWidget):
    """The chart, what was clicked, and Pin / Clear / Export CSV…."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(tr("Spectral profile"), parent)
        self.setObjectName("PixxelSpectralProfile")
        self.current: Optional[Profile] = None
        self.pinned: List[Tuple[str, Profile]] = []
        self._pins_made = 0
        body = QWidget(self)
        self.chart = SpectrumChart(body)
        self.status = QLabel(tr("Click on a spectral image."), body)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pin_button = QPushButton(tr("Pin"), body)
        self.pin_button.setToolTip(tr("Keep this profile on the chart to compare it"))
        self.clear_button = QPushButton(tr("Clear"), body)
        self.export_button = QPushButton(tr("Export CSV…"), body)
        self.export_button.setToolTip(tr("Save the pinned profiles as a CSV file"))
        self.pin_button.clicked.connect(self.pin)
        self.clear_button.clicked.connect(self.clear)
        self.export_button.clicked.connect(self.ask_export)
        buttons = QHBoxLayout()
        for button in (self.pin_button, self.clear_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(body)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.setWidget(body)
        self.export_to_path = None  # tests: a path instead of the file dialog
        self.notices: Optional[Notices] = None
        self._refresh()

    def show_profile(self, profile: Optional[Profile], where: str = "") -> None:
        """The clicked pixel's profile (None: nothing spectral there)."""
        self.current = profile
        if profile is None:
            self.status.setText(where or tr("No spectral image under this point."))
        elif not profile.has_data:
            self.status.setText(tr("{layer}: pixel {column}, {row} holds no data (nodata or "
                                   "masked).").format(layer=profile.layer_name,
                                                      column=profile.column, row=profile.row))
        else:
            self.status.setText(tr("{layer}: pixel {column}, {row} at {x:.6g}, {y:.6g} ({crs})"
                                   ).format(layer=profile.layer_name, column=profile.column,
                                            row=profile.row, x=profile.x, y=profile.y,
                                            crs=profile.crs if len(profile.crs) < 40 else ""))
        self._refresh()

    def pin(self) -> None:
        if self.current is None or not self.current.has_data:
            return
        self._pins_made += 1
        self.pinned.append((f"P{self._pins_made}", self.current))
        self.current = None
        self._refresh()

    def clear(self) -> None:
        self.pinned = []
        self.current = None
        self._pins_made = 0
        self.status.setText(tr("Click on a spectral image."))
        self._refresh()

    def ask_export(self) -> None:
        path = self.export_to_path or QFileDialog.getSaveFileName(
            self, tr("Export pinned profiles"), "", tr("CSV files (*.csv)"))[0]
        if not path:
            return
        path = Path(path) if Path(path).suffix else Path(path).with_suffix(".csv")
        try:
            write_csv(self.pinned, path)
        except OSError as error:
            self._notify("critical", tr("Could not write {path}: {error}").format(
                path=path, error=error.strerror or error))
            return
        self._notify("success", tr_n("{count} profile(s) exported to {path}", len(self.pinned))
                     .format(count=len(self.pinned), path=path))

    def _notify(self, level: str, text: str) -> None:
        if self.notices is not None:
            self.notices.notify(level, text)

    def _refresh(self) -> None:
        curves = [
            Curve(tr("{label} · {layer} ({column}, {row})").format(
                label=label, layer=profile.layer_name, column=profile.column, row=profile.row),
                QColor(PALETTE[position % len(PALETTE)]), profile.wavelengths_nm, profile.values)
            for position, (label, profile) in enumerate(self.pinned)
        ]
        if self.current is not None and self.current.has_data:
            curves.append(Curve(tr("Current · {layer} ({column}, {row})").format(
                layer=self.current.layer_name, column=self.current.column,
                row=self.current.row), QColor(CURRENT_COLOUR), self.current.wavelengths_nm,
                self.current.values, dashed=True))
        self.chart.set_curves(curves)
        self.pin_button.setEnabled(self.current is not None and self.current.has_data)
        self.clear_button.setEnabled(bool(self.pinned) or self.current is not None)
        self.export_button.setEnabled(bool(self.pinned))


class SpectralProfile:
    """The tool, its panel and its action, wired to the map canvas. Created in initGui,
    dispose()d in unload."""

    def __init__(self, notices: Notices, *, iface: Any = None) -> None:
        self._iface = iface if iface is not None else qgis.utils.iface
        window = self._iface.mainWindow()
        self.canvas = self._iface.mapCanvas()
        self.reader = ProfileReader()
        self.panel = SpectralProfilePanel(window)
        self.panel.notices = notices
        self.tool = SpectralProfileTool(self.canvas)
        self.tool.canvasClicked.connect(self.pick)
        self.action = QAction(QIcon(resource_path("spectral_profile.svg")),
                              tr("Spectral profile"), window)
        self.action.setObjectName("PixxelSpectralProfile")
        self.action.setToolTip(tr("Click on the map to see the spectrum of a pixel"))
        self.action.setCheckable(True)
        self.action.triggered.connect(self.activate)
        # QGIS checks the action while the tool is the canvas' and unchecks it afterwards.
        self.tool.setAction(self.action)
        self._iface.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.panel)
        self.panel.hide()
        # The reader keeps files open between clicks: let go of them with their layers (a file
        # held open cannot be deleted on Windows).
        QgsProject.instance().layersRemoved.connect(self.reader.clear)

    def activate(self, checked: bool = True) -> None:
        if checked:
            self.canvas.setMapTool(self.tool)
            self.panel.show()
            self.panel.raise_()
        elif self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)

    def pick(self, point: QgsPointXY, button: Any = Qt.MouseButton.LeftButton) -> None:
        if button != Qt.MouseButton.LeftButton:
            return
        try:
            profile = self.reader.profile_at(
                self.canvas.layers(), point, self.canvas.mapSettings().destinationCrs())
        except Exception as error:  # an unreadable file must not break the click
            self.panel.show_profile(None, tr("Could not read the spectrum: {error}").format(
                error=error))
            return
        self.panel.show_profile(profile)

    def dispose(self) -> None:
        QgsProject.instance().layersRemoved.disconnect(self.reader.clear)
        if self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)
        self.reader.clear()
        self._iface.removeDockWidget(self.panel)
        self.panel.deleteLater()
        self.action.deleteLater()
        self.tool.deleteLater()
