"""The AOI table's model and its filter: built for tens of thousands of rows.

Each row keeps what filtering and sorting need, computed once when the AOI arrives; what only
painting needs is derived at paint time, satellite and project names included, so a late catalog
fills them in. Filtering (text and project) and sorting are done by this module in Python rather
than by Qt calling back into Python per comparison: the source model keeps its rows sorted (a
click on a header is one `list.sort` and a layout change; a page arriving is merged in, one
insertion per run of adjacent new rows), and the proxy's `filterAcceptsRow` is a couple of
attribute reads per row. Sorting therefore lives in the source model and the proxy forwards
`sort()` to it; the proxy never sorts.
"""

from datetime import datetime
from operator import attrgetter
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from qgis.PyQt.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    pyqtSignal,
)

from ..core.pixxel.models import Aoi, Project, Satellite
from ..core.qgis.i18n import tr
from .formatting import format_area_km2, format_day, status_icon, status_label
from .table_model import RIGHT_ALIGNED, USER_ROLE, FlatTableModel

AOI_ROLE = USER_ROLE + 1  # the Aoi itself
AOI_ID_ROLE = USER_ROLE + 2
SORT_ROLE = USER_ROLE + 3  # the value the column sorts by (numbers and datetimes, not text)

_DISPLAY = Qt.ItemDataRole.DisplayRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
# Asked of every visible cell at each repaint, never answered here.
_PAINT_ONLY_ROLES = frozenset(
    int(getattr(role, "value", role))
    for role in (
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.SizeHintRole,
    )
)

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
_UNPARSED = object()  # a timestamp not read yet (None: the AOI has none)
_NAME_KEY = attrgetter("name_key")
_SORT_KEY = attrgetter("key")


class _Row:
    """An AOI and what a listing needs of it for every row: the filter's text, the name that
    breaks sort ties and `key`, the value of the column sorted by (None when missing). What only
    painting needs is derived when painted: a few dozen rows are visible, 10,000 may be listed."""

    __slots__ = ("aoi", "search_key", "name_key", "key", "_created_at", "_updated_at")

    def __init__(self, aoi: Aoi) -> None:
        self.aoi = aoi
        self.search_key = f"{aoi.name}\n{aoi.aoi_id}".casefold()
        self.name_key = (aoi.name or "").casefold()
        self.key: Any = None
        self._created_at: Any = _UNPARSED
        self._updated_at: Any = _UNPARSED

    # Aoi parses its timestamps on each read: once per row here.
    @property
    def created_at(self) -> Optional[datetime]:
        if self._created_at is _UNPARSED:
            self._created_at = self.aoi.created_at
        return self._created_at

    @property
    def updated_at(self) -> Optional[datetime]:
        if self._updated_at is _UNPARSED:
            self._updated_at = self.aoi.updated_at
        return self._updated_at


def _before(row: _Row, other: _Row, descending: bool) -> bool:
    """Whether `row` sorts strictly before `other`: values in the chosen direction, missing
    values last in either, ties by name (what `AoiTableModel._resort` does)."""
    key, other_key = row.key, other.key
    if key is None or other_key is None:
        if key is None and other_key is None:
            return row.name_key < other.name_key
        return other_key is None
    if key != other_key:
        return key > other_key if descending else key < other_key
    return row.name_key < other.name_key


def _sorted_rows(rows: List[_Row], descending: bool) -> List[_Row]:
    """Stable two-pass sort: missing values last in either direction, ties by name."""
    by_name = sorted(rows, key=_NAME_KEY)
    present = [row for row in by_name if row.key is not None]
    present.sort(key=_SORT_KEY, reverse=descending)
    present.extend(row for row in by_name if row.key is None)
    return present


def _area_km2(aoi: Aoi) -> Optional[float]:
    return aoi.area_in_sq_m / 1e6 if aoi.area_in_sq_m is not None else None


def _timestamp(moment: Optional[datetime]) -> Optional[float]:
    return moment.timestamp() if moment is not None else None


class AoiTableModel(FlatTableModel):
    """AOIs as rows, kept in sort order. `append()` merges a page into the sorted rows with one
    insertion per run of adjacent new rows (a listing in the table's order: one insertion at the
    end), never re-sorting the rows already there. Rows already present (by aoi_id) are updated in
    place; only when that changes their sort value or name are all rows sorted again."""

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
        self._status_texts: Dict[str, str] = {}
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

    def data(self, index: QModelIndex, role: int = _DISPLAY) -> Any:
        # Called for every role of every visible cell at each repaint: the common roles first.
        if role == _DISPLAY:
            if not index.isValid():
                return None
            return self._display(self.rows[index.row()], index.column())
        if role in _PAINT_ONLY_ROLES or not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == _DECORATION:
            return status_icon(row.aoi.status) if column == COL_STATUS else None
        if role == _ALIGNMENT:
            return RIGHT_ALIGNED if column in (COL_PROGRESS, COL_AREA) else None
        if role == _TOOLTIP:
            return self._tooltip(row, column)
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
        self._rekey(self.rows)
        self._resort()

    # -- content -------------------------------------------------------------------------------

    def append(self, aois: Iterable[Aoi]) -> int:
        """Add AOIs at once (a page); known ones (same aoi_id) are updated in place. Returns how
        many rows were added."""
        fresh: List[_Row] = []
        changed: List[int] = []
        seen: Dict[str, int] = {}
        moved = False  # a known AOI whose sort value or name changed
        sorting = self._sorting()
        for aoi in aois:
            row = _Row(aoi)
            if sorting:
                row.key = self._sort_value(row, self._sort_column)
            position = self._row_of.get(aoi.aoi_id)
            if position is not None:
                old = self.rows[position]
                if sorting and (row.key != old.key or row.name_key != old.name_key):
                    moved = True
                self.rows[position] = row
                changed.append(position)
            elif aoi.aoi_id in seen:  # listed twice in one batch: the later copy wins
                fresh[seen[aoi.aoi_id]] = row
            else:
                seen[aoi.aoi_id] = len(fresh)
                fresh.append(row)
        if changed:
            self.dataChanged.emit(
                self.index(min(changed), 0), self.index(max(changed), COLUMN_COUNT - 1)
            )
        if moved:
            # The rows are no longer in order: a full sort, new rows included.
            if fresh:
                self._insert_runs([(len(self.rows), fresh)])
            self._resort()
        elif fresh:
            self._merge(fresh)
        if fresh:
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
            self._rekey(self.rows)
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

    def _status_text(self, status: str) -> str:
        text = self._status_texts.get(status)
        if text is None:
            text = self._status_texts[status] = status_label(status)
        return text

    def _display(self, row: _Row, column: int) -> str:
        aoi = row.aoi
        if column == COL_NAME:
            return aoi.name or aoi.aoi_id
        if column == COL_STATUS:
            return self._status_text(aoi.status)
        if column == COL_PROGRESS:
            return f"{aoi.progress} %" if aoi.progress is not None else ""
        if column == COL_CREATED:
            return format_day(row.created_at)
        if column == COL_UPDATED:
            return format_day(row.updated_at)
        if column == COL_AREA:
            return format_area_km2(_area_km2(aoi))
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
                    status=self._status_text(aoi.status), progress=aoi.progress
                )
            return self._status_text(aoi.status)
        if column == COL_CREATED and row.created_at is not None:
            return row.created_at.isoformat()
        if column == COL_UPDATED and row.updated_at is not None:
            return row.updated_at.isoformat()
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
            return _timestamp(row.created_at)
        if column == COL_UPDATED:
            return _timestamp(row.updated_at)
        if column == COL_AREA:
            return _area_km2(aoi)
        if column == COL_SATELLITE:
            return self.satellite_name(aoi.satellite_id).casefold()
        if column == COL_PROJECT:
            return self.project_name(aoi.project_id).casefold()
        return None

    def _sorting(self) -> bool:
        return 0 <= self._sort_column < COLUMN_COUNT

    def _descending(self) -> bool:
        return self._sort_order == Qt.SortOrder.DescendingOrder

    def _rekey(self, rows: Iterable[_Row]) -> None:
        column = self._sort_column
        for row in rows:
            row.key = self._sort_value(row, column)

    def _resort(self) -> None:
        if not self._sorting() or len(self.rows) < 2:
            return
        self.layoutAboutToBeChanged.emit()
        before = list(self.rows)
        self.rows[:] = _sorted_rows(self.rows, self._descending())
        self._reindex()
        persistent = self.persistentIndexList()
        if persistent:
            moved = [
                self.index(self._row_of[before[index.row()].aoi.aoi_id], index.column())
                if 0 <= index.row() < len(before)
                else QModelIndex()
                for index in persistent
            ]
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _merge(self, fresh: List[_Row]) -> None:
        """Insert new rows where a stable sort of all rows would put them: after the rows they
        tie with, in their own sorted order. Qt gets one insertion per run of adjacent new rows,
        so the filter proxy filters the new rows only and the selection stays (a layout change
        would make the proxy filter every row again)."""
        if not self._sorting():
            self._insert_runs([(len(self.rows), fresh)])
            return
        descending = self._descending()
        runs: List[Tuple[int, List[_Row]]] = []
        position = 0
        for row in _sorted_rows(fresh, descending):
            position = self._insertion_point(row, position, descending)
            if runs and runs[-1][0] == position:
                runs[-1][1].append(row)
            else:
                runs.append((position, [row]))
        self._insert_runs(runs)

    def _insertion_point(self, row: _Row, low: int, descending: bool) -> int:
        """Where `row` goes among the rows from `low` on: after every row it does not sort
        before (bisect right). The end is tried first: a listing sorted the way the server lists
        comes in that order."""
        rows = self.rows
        high = len(rows)
        if low >= high or not _before(row, rows[high - 1], descending):
            return high
        while low < high:
            middle = (low + high) // 2
            if _before(row, rows[middle], descending):
                high = middle
            else:
                low = middle + 1
        return low

    def _insert_runs(self, runs: List[Tuple[int, List[_Row]]]) -> None:
        """Insert runs given at their positions in the rows as they are now, front to back.
        `row_of()` is right again from the last run's rowsInserted on (indexing every row after
        each run would cost as much as the re-sort this replaces)."""
        shift = 0
        for number, (position, run) in enumerate(runs, 1):
            first = position + shift
            self.beginInsertRows(QModelIndex(), first, first + len(run) - 1)
            self.rows[first:first] = run
            shift += len(run)
            if number == len(runs):
                self._reindex(runs[0][0])
            self.endInsertRows()

    def _reindex(self, start: int = 0) -> None:
        if start == 0:
            self._row_of = {row.aoi.aoi_id: position for position, row in enumerate(self.rows)}
        else:
            rows = self.rows
            self._row_of.update((rows[p].aoi.aoi_id, p) for p in range(start, len(rows)))


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
