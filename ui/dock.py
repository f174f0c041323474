"""The Pixxel dock: where the user browses AOIs and their assets."""

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..core.i18n import tr

DOCK_OBJECT_NAME = "PixxelDock"


class PixxelDock(QgsDockWidget):
    def __init__(self, parent: QWidget = None) -> None:
        super().__init__(tr("Pixxel"), parent)
        # QGIS saves and restores dock geometry by objectName; a stable one keeps the user's layout.
        self.setObjectName(DOCK_OBJECT_NAME)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        placeholder = QLabel(tr("Your Pixxel areas of interest will be listed here."), body)
        placeholder.setWordWrap(True)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(placeholder)
        self.setWidget(body)
