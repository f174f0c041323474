"""The AOI table's model and its filter: built for tens of thousands of rows.

Each row's display and sort values are computed once, when the AOI arrives; satellite and project
names are looked up from the catalog at paint time, so a late catalog fills them in. Filtering
(text and project) and sorting are done by this module in Python rather than by Qt calling back
into Python per comparison: the source model sorts its own rows with one `list.sort` (a layout
change), and the proxy's `filterAcceptsRow` is a couple of attribute reads per row. Sorting
therefore lives in the source model and the proxy forwards `sort()` to it; the proxy never sorts.
"""

from datetime import datetime
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from qgis.PyQt.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    pyqtSignal,
)
from qgis.PyQt.QtGui import QColor, QIcon, QPainter, QPixmap

from ..core.i18n import tr
from ..core.models import Aoi, Project, Satellite
from .table_model import RIGHT_ALIGNED, USER_ROLE, FlatTableModel

AOI_ROLE = USER_ROLE + 1  # the Aoi itself
AOI_ID_ROLE = USER_ROLE + 2
SORT_ROLE = USER_ROLE + 3  # the value the column sorts by (numbers and datetimes, not text)

COL_NAME, COL_STATUS, COL_PROGRESS, COL_CREATED, COL_UPDATED, COL_AREA, COL_SATELLITE, \
    COL_PROJECT = range(8)
COLUMN_COUNT = 8

# Worst first in the status column's sort: what needs attention comes to the top when descending.
STATUS_ORDER = {
    "failed": 0,
    "partial_success": 1,
    "started": 2,
    "running": 3,
    "updating": 4,
    "success": 5,
}
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


# Sort keys are (missing, value) pairs so that rows without a value come last in ascending order
# and comparisons never mix None with numbers.
_MISSING = (1, 0)


def _key(value: Any) -> Tuple[int, Any]:
    return _MISSING if value is None else (0, value)


class _Row:
    __slots__ = (
        "aoi",
        "search_key",
        "created",
        "updated",
        "created_ts",
        "updated_ts",
        "area_km2",
        "area_text",
        "progress_text",
        "status_text",
    )

    def __init__(self, aoi: Aoi) -> None:
        self.aoi = aoi
        self.search_key = f"{aoi.name}\n{aoi.aoi_id}".casefold()
        created_at, updated_at = aoi.created_at, aoi.updated_at  # parsed on each read: once here
        self.created = format_day(created_at)
        self.updated = format_day(updated_at)
        # Sort keys, kept: a listing re-sorts after every page, 10,000 rows at a time.
        self.created_ts = created_at.timestamp() if created_at else None
        self.updated_ts = updated_at.timestamp() if updated_at else None
        self.area_km2 = aoi.area_in_sq_m / 1e6 if aoi.area_in_sq_m is not None else None
        self.area_text = format_area_km2(self.area_km2)
        self.progress_text = f"{aoi.progress} %" if aoi.progress is not None else ""
        self.status_text = status_label(aoi.status)


class AoiTableModel(FlatTableModel):
    """AOIs as rows. `append()` adds a page in one insertion (rows already present, by aoi_id,
    are updated in place), so a listing of 10,000 AOIs costs a hundred inserts, not 10,000."""

    countChanged = pyqtSignal(int)  # noqa: N815 - Qt naming
    column_count = COLUMN_COUNT
    right_aligned_headers = frozenset((COL_PROGRESS, COL_AREA))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # Mutated in place only: the filter proxy keeps a reference to this list.
        self.rows: List[_Row] = []
        self._row_of: Dict[str, int] = {}
        self._satellites: Dict[str, str] = {}
        self._projects: Dict[str, str] = {}
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- Qt model API --------------------------------------------------------------------------

    def row_total(self) -> int:
        return len(self.rows)

    @staticmethod
    def column_titles() -> Tuple[str, ...]:
        return (
            tr("Name"),
            tr("Status"),
            tr("Progress"),
            tr("Created"),
            tr("Updated"),
            tr("Area"),
            tr("Satellite"),
            tr("Project"),
        )

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == COL_STATUS:
            return status_icon(row.aoi.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_PROGRESS, COL_AREA):
            return RIGHT_ALIGNED
        if role == AOI_ROLE:
            return row.aoi
        if role == AOI_ID_ROLE:
            return row.aoi.aoi_id
        if role == SORT_ROLE:
            return self._sort_value(row, column)
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column = column
        self._sort_order = order
        self._resort()

    # -- content -------------------------------------------------------------------------------

    def append(self, aois: Iterable[Aoi]) -> int:
        """Add AOIs at once (a page); known ones (same aoi_id) are updated in place. Returns how
        many rows were added."""
        fresh: List[_Row] = []
        changed: List[int] = []
        seen: Dict[str, int] = {}
        for aoi in aois:
            position = self._row_of.get(aoi.aoi_id)
            if position is not None:
                self.rows[position] = _Row(aoi)
                changed.append(position)
            elif aoi.aoi_id in seen:  # listed twice in one batch: the later copy wins
                fresh[seen[aoi.aoi_id]] = _Row(aoi)
            else:
                seen[aoi.aoi_id] = len(fresh)
                fresh.append(_Row(aoi))
        if changed:
            self.dataChanged.emit(
                self.index(min(changed), 0), self.index(max(changed), COLUMN_COUNT - 1)
            )
        if fresh:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self.rows.extend(fresh)
            for offset, row in enumerate(fresh):
                self._row_of[row.aoi.aoi_id] = first + offset
            self.endInsertRows()
            if self._sort_column >= 0:
                self._resort()
            self.countChanged.emit(len(self.rows))
        return len(fresh)

    def set_aois(self, aois: Iterable[Aoi]) -> None:
        self.beginResetModel()
        self.rows.clear()
        self._row_of.clear()
        self.endResetModel()
        if not self.append(aois):
            self.countChanged.emit(len(self.rows))

    def clear(self) -> None:
        self.set_aois(())

    def retain_only(self, aoi_ids: Iterable[str]) -> int:
        """Drop rows whose AOI is not in `aoi_ids` (gone since the last listing)."""
        keep = set(aoi_ids)
        gone = [position for position, row in enumerate(self.rows) if row.aoi.aoi_id not in keep]
        # Backwards, in contiguous runs, so each removal keeps the other positions valid.
        while gone:
            last = gone.pop()
            first = last
            while gone and gone[-1] == first - 1:
                first = gone.pop()
            self.beginRemoveRows(QModelIndex(), first, last)
            del self.rows[first : last + 1]
            self.endRemoveRows()
        removed = len(self._row_of) - len(self.rows)
        self._reindex()
        if removed:
            self.countChanged.emit(len(self.rows))
        return removed

    def aoi_ids(self) -> List[str]:
        return [row.aoi.aoi_id for row in self.rows]

    def aois(self) -> List[Aoi]:
        return [row.aoi for row in self.rows]

    def aoi(self, aoi_id: str) -> Optional[Aoi]:
        position = self._row_of.get(aoi_id)
        return self.rows[position].aoi if position is not None else None

    def row_of(self, aoi_id: str) -> Optional[int]:
        return self._row_of.get(aoi_id)

    def set_catalog(
        self,
        projects: Optional[Sequence[Project]] = None,
        satellites: Optional[Sequence[Satellite]] = None,
    ) -> None:
        """Names for the project and satellite columns (ids are shown until they arrive)."""
        if projects is not None:
            self._projects = {project.id: project.display_name for project in projects}
        if satellites is not None:
            self._satellites = {s.id: s.name or s.id for s in satellites}
        if self.rows:
            self.dataChanged.emit(
                self.index(0, COL_SATELLITE), self.index(len(self.rows) - 1, COL_PROJECT)
            )
        if self._sort_column in (COL_SATELLITE, COL_PROJECT):
            self._resort()

    def satellite_name(self, satellite_id: Optional[str]) -> str:
        if not satellite_id:
            return ""
        return self._satellites.get(satellite_id, satellite_id)

    def project_name(self, project_id: Optional[str]) -> str:
        if not project_id:
            return ""
        return self._projects.get(project_id, project_id)

    # -- internals -----------------------------------------------------------------------------

    def _display(self, row: _Row, column: int) -> str:
        aoi = row.aoi
        if column == COL_NAME:
            return aoi.name or aoi.aoi_id
        if column == COL_STATUS:
            return row.status_text
        if column == COL_PROGRESS:
            return row.progress_text
        if column == COL_CREATED:
            return row.created
        if column == COL_UPDATED:
            return row.updated
        if column == COL_AREA:
            return row.area_text
        if column == COL_SATELLITE:
            return self.satellite_name(aoi.satellite_id)
        if column == COL_PROJECT:
            return self.project_name(aoi.project_id)
        return ""

    def _tooltip(self, row: _Row, column: int) -> str:
        aoi = row.aoi
        if column == COL_NAME:
            lines = [aoi.name or aoi.aoi_id]
            if aoi.description:
                lines.append(aoi.description)
            lines.append(tr("ID: {id}").format(id=aoi.aoi_id))
            if aoi.is_favourite:
                lines.append(tr("Favourite"))
            return "\n".join(lines)
        if column == COL_STATUS:
            if aoi.progress is not None:
                return tr("{status} ({progress} %)").format(
                    status=row.status_text, progress=aoi.progress
                )
            return row.status_text
        if column == COL_CREATED and aoi.created_at is not None:
            return aoi.created_at.isoformat()
        if column == COL_UPDATED and aoi.updated_at is not None:
            return aoi.updated_at.isoformat()
        if column == COL_AREA and aoi.area_in_sq_m is not None:
            return tr("{value} m²").format(value=f"{aoi.area_in_sq_m:,.0f}")
        if column == COL_SATELLITE:
            return aoi.satellite_id or ""
        if column == COL_PROJECT:
            return aoi.project_id or ""
        return self._display(row, column)

    def _sort_value(self, row: _Row, column: int) -> Any:
        aoi = row.aoi
        if column == COL_NAME:
            return (aoi.name or aoi.aoi_id).casefold()
        if column == COL_STATUS:
            return STATUS_ORDER.get(aoi.status, -1)
        if column == COL_PROGRESS:
            return aoi.progress
        if column == COL_CREATED:
            return row.created_ts
        if column == COL_UPDATED:
            return row.updated_ts
        if column == COL_AREA:
            return row.area_km2
        if column == COL_SATELLITE:
            return self.satellite_name(aoi.satellite_id).casefold()
        if column == COL_PROJECT:
            return self.project_name(aoi.project_id).casefold()
        return None

    def _resort(self) -> None:
        column = self._sort_column
        if column < 0 or column >= COLUMN_COUNT or len(self.rows) < 2:
            return
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        old_ids = [row.aoi.aoi_id for row in self.rows]
        # Stable two-pass sort: missing values last in either direction, ties by name.
        keys = {id(row): _key(self._sort_value(row, column)) for row in self.rows}
        self.rows.sort(key=lambda row: (row.aoi.name or "").casefold())
        present = [row for row in self.rows if keys[id(row)][0] == 0]
        missing = [row for row in self.rows if keys[id(row)][0] != 0]
        present.sort(key=lambda row: keys[id(row)][1], reverse=descending)
        self.rows[:] = present + missing
        self._reindex()
        persistent = self.persistentIndexList()
        if persistent:
            moved = [
                self.index(self._row_of[old_ids[index.row()]], index.column())
                if 0 <= index.row() < len(old_ids)
                else QModelIndex()
                for index in persistent
            ]
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _reindex(self) -> None:
        self._row_of = {row.aoi.aoi_id: position for position, row in enumerate(self.rows)}


class AoiFilterProxyModel(QSortFilterProxyModel):
    """Filters by free text (every word must occur in the name or the id, case-insensitive) and
    by project. Sorting is forwarded to the source model (see the module docstring).

    A filter change is one layout change (`invalidate()`), not `invalidateFilter()`: the latter
    removes and re-inserts rows run by run, rebuilding Qt's whole mapping for each run, which
    cost 50 ms per keystroke on 10,000 rows with scattered matches; a layout change costs the
    same ~10 ms whatever the pattern. The selection survives either way (persistent indexes)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: Tuple[str, ...] = ()
        self._project_id: Optional[str] = None
        self._rows: List[_Row] = []
        self.setDynamicSortFilter(False)

    def setSourceModel(self, model: AoiTableModel) -> None:  # noqa: N802 - Qt API
        super().setSourceModel(model)
        self._rows = model.rows

    def set_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words != self._words:
            self._words = words
            self.invalidate()

    def set_project(self, project_id: Optional[str]) -> None:
        project_id = project_id or None
        if project_id != self._project_id:
            self._project_id = project_id
            self.invalidate()

    def project_id(self) -> Optional[str]:
        return self._project_id

    def is_filtered(self) -> bool:
        return bool(self._words) or self._project_id is not None

    def filterAcceptsRow(self, source_row: int, _source_parent: QModelIndex) -> bool:  # noqa: N802
        row = self._rows[source_row]
        if self._project_id is not None and row.aoi.project_id != self._project_id:
            return False
        key = row.search_key
        for word in self._words:  # noqa: SIM110 - a plain loop: called 10,000 times a keystroke
            if word not in key:
                return False
        return True

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)
