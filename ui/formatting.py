"""How the dock writes values: Pixxel statuses as words and coloured dots, times, areas. Shared
by the AOI, asset and downloads views, so a status reads the same everywhere."""

from datetime import datetime
from typing import Dict, Optional

from qgis.PyQt.QtGui import QColor, QIcon, QPainter, QPixmap

from ..core.qgis.i18n import tr

STATUS_COLOURS = {
    "success": "#2e9e44",
    "partial_success": "#e0a100",
    "started": "#3d7edb",
    "running": "#3d7edb",
    "updating": "#17a2b8",
    "failed": "#d9342b",
    "creating": "#3d7edb",
}
UNKNOWN_STATUS_COLOUR = "#8a8a8a"


def status_label(status: str) -> str:
    labels = {
        "success": tr("Success"),
        "partial_success": tr("Partial success"),
        "started": tr("Started"),
        "running": tr("Running"),
        "updating": tr("Updating"),
        "failed": tr("Failed"),
        "creating": tr("Creating"),
    }
    if status in labels:
        return labels[status]
    return status.replace("_", " ").capitalize() if status else tr("Unknown")


_icons: Dict[str, QIcon] = {}


def status_icon(status: str) -> QIcon:
    """A coloured dot (painted once per status, no resource files)."""
    icon = _icons.get(status)
    if icon is None:
        size = 12
        pixmap = QPixmap(size, size)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(STATUS_COLOURS.get(status, UNKNOWN_STATUS_COLOUR))
        painter.setPen(colour.darker(130))
        painter.setBrush(colour)
        painter.drawEllipse(1, 1, size - 3, size - 3)
        painter.end()
        icon = QIcon(pixmap)
        _icons[status] = icon
    return icon


def format_timestamp(moment: Optional[datetime]) -> str:
    """Local time, to the minute (the history's times)."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def format_day(moment: Optional[datetime]) -> str:
    """The local day only: what a narrow column needs (its tooltip and sort use the full
    value)."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d")


def format_area_km2(km2: Optional[float]) -> str:
    if km2 is None:
        return ""
    if km2 < 10:
        return tr("{value} km²").format(value=f"{km2:.2f}")
    if km2 < 1000:
        return tr("{value} km²").format(value=f"{km2:.1f}")
    return tr("{value} km²").format(value=f"{km2:,.0f}")
