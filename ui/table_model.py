"""What the plugin's flat table models share: row and column counts, and the horizontal header's
titles and alignment."""

from typing import AbstractSet, Optional, Tuple

from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, Qt

# Qt 6's roles are enums; custom roles are counted from UserRole's int value in both Qt versions.
USER_ROLE = int(getattr(Qt.ItemDataRole.UserRole, "value", Qt.ItemDataRole.UserRole))
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class FlatTableModel(QAbstractTableModel):
    """A table without children; subclasses give `column_titles()`, `row_total()` and, for
    numbers, the columns whose header is right-aligned."""

    column_count = 0
    right_aligned_headers: AbstractSet[int] = frozenset()
    # Translated once: a header asks for its titles dozens of times whenever it lays out.
    _titles: Optional[Tuple[str, ...]] = None

    @staticmethod
    def column_titles() -> Tuple[str, ...]:
        raise NotImplementedError

    def row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.column_count

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if self._titles is None:
                self._titles = self.column_titles()
            return self._titles[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self.right_aligned_headers:
            return RIGHT_ALIGNED
        return None
