"""The archive search results as a sortable table: date, platform, GSD, cloud cover, off-nadir
angle, sun elevation, collection and item id. Rows arrive page by page while a search runs."""

from typing import Any, List, Optional, Sequence, Tuple

from qgis.PyQt.QtCore import QModelIndex, QSortFilterProxyModel, Qt

from ..core.pixxel.archive_models import ArchiveItem
from ..core.qgis.i18n import tr
from .table_model import RIGHT_ALIGNED, USER_ROLE, FlatTableModel

ITEM_ROLE = USER_ROLE + 1
SORT_ROLE = USER_ROLE + 3  # numbers and times sort as such, not as text

(COL_DATE, COL_PLATFORM, COL_GSD, COL_CLOUD, COL_OFF_NADIR, COL_SUN, COL_COLLECTION,
 COL_ID) = range(8)
NUMBER_COLUMNS = frozenset({COL_GSD, COL_CLOUD, COL_OFF_NADIR, COL_SUN})


def _number(value: Optional[float], decimals: int = 1) -> str:
    return "" if value is None else f"{value:.{decimals}f}"


class ArchiveTableModel(FlatTableModel):
    column_count = 8
    right_aligned_headers = NUMBER_COLUMNS

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: List[ArchiveItem] = []

    @staticmethod
    def column_titles() -> Tuple[str, ...]:
        return (tr("Date"), tr("Platform"), tr("GSD (m)"), tr("Cloud (%)"),
                tr("Off-nadir (°)"), tr("Sun elevation (°)"), tr("Collection"), tr("Item id"))

    def row_total(self) -> int:
        return len(self.items)

    def clear(self) -> None:
        self.beginResetModel()
        self.items = []
        self.endResetModel()

    def append(self, items: Sequence[ArchiveItem]) -> None:
        if not items:
            return
        first = len(self.items)
        self.beginInsertRows(QModelIndex(), first, first + len(items) - 1)
        self.items.extend(items)
        self.endInsertRows()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == SORT_ROLE:
            return self._sort_value(item, column)
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return RIGHT_ALIGNED
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.id
        return None

    @staticmethod
    def _display(item: ArchiveItem, column: int) -> str:
        if column == COL_DATE:
            return item.acquired.strftime("%Y-%m-%d %H:%M") if item.acquired else ""
        values = {
            COL_PLATFORM: item.platform, COL_GSD: _number(item.gsd, 0),
            COL_CLOUD: _number(item.cloud_cover), COL_OFF_NADIR: _number(item.off_nadir),
            COL_SUN: _number(item.sun_elevation), COL_COLLECTION: item.collection,
            COL_ID: item.id,
        }
        return values.get(column, "")

    @staticmethod
    def _sort_value(item: ArchiveItem, column: int) -> Any:
        if column == COL_DATE:
            return item.acquired.timestamp() if item.acquired else 0.0
        numbers = {COL_GSD: item.gsd, COL_CLOUD: item.cloud_cover,
                   COL_OFF_NADIR: item.off_nadir, COL_SUN: item.sun_elevation}
        if column in numbers:
            value = numbers[column]
            return float("inf") if value is None else value  # unknowns last, ascending
        return ArchiveTableModel._display(item, column).lower()


class ArchiveSortModel(QSortFilterProxyModel):
    def __init__(self, source: ArchiveTableModel, parent=None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)

    def item(self, row: int) -> ArchiveItem:
        return self.index(row, 0).data(ITEM_ROLE)
