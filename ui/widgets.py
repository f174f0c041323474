"""Small widget builders the dock's parts share, so that their buttons and titles look and behave
alike."""

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QLabel, QToolButton, QWidget


def tool_button(parent: QWidget, icon: str, text: str, tooltip: str) -> QToolButton:
    """A flat button with a QGIS theme icon (`icon` is its theme path)."""
    button = QToolButton(parent)
    button.setIcon(QgsApplication.getThemeIcon(icon))
    button.setText(text)
    button.setToolTip(tooltip)
    button.setAutoRaise(True)
    return button


def bold_label(parent: QWidget, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def show_folder(folder: str) -> bool:
    """Open `folder` in the system's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(folder))
