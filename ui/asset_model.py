"""The assets of the selected AOI, as checkable rows: what the Download button will fetch.

Only `success` assets can be downloaded (Pixxel refuses the others), so only they are checkable;
the others stay listed, greyed out, with a tooltip saying why.
"""

from typing import Any, Iterable, List, Optional, Set, Tuple

from qgis.PyQt.QtCore import QModelIndex, Qt, pyqtSignal

from ..core.pixxel.models import Asset
from ..core.qgis.i18n import tr
from .formatting import status_icon, status_label
from .table_model import RIGHT_ALIGNED, USER_ROLE, FlatTableModel

ASSET_ROLE = USER_ROLE + 1
SORT_ROLE = USER_ROLE + 3

COL_NAME, COL_TYPE, COL_DATE, COL_STATUS, COL_RESOLUTION, COL_BANDS = range(6)
COLUMN_COUNT = 6


def asset_type_label(asset_type: str) -> str:
    labels = {
        "mosaic": tr("Mosaic"),
        "stac_item": tr("Scene"),
        "visualization": tr("Visualisation"),
    }
    return labels.get(asset_type) or asset_type.replace("_", " ").capitalize()


def is_checked(value: Any) -> bool:
    # The check state arrives as an int (Qt 5) or an enum (Qt 6).
    return getattr(value, "value", value) == getattr(
        Qt.CheckState.Checked, "value", Qt.CheckState.Checked
    )


class AssetTableModel(FlatTableModel):
    checkedChanged = pyqtSignal(int)  # noqa: N815 - Qt naming; how many assets are checked
    column_count = COLUMN_COUNT

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._assets: List[Asset] = []
        self._checked: Set[str] = set()
        self.aoi_id: Optional[str] = None

    # -- Qt model API --------------------------------------------------------------------------

    def row_total(self) -> int:
        return len(self._assets)

    @staticmethod
    def column_titles() -> Tuple[str, ...]:
        return (
            tr("Name"),
            tr("Type"),
            tr("Date"),
            tr("Status"),
            tr("Resolution"),
            tr("Bands"),
        )

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        asset = self._assets[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(asset, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == COL_NAME:
            checked = asset.id in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and column == COL_STATUS:
            return status_icon(asset.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(asset, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_RESOLUTION, COL_BANDS):
            return RIGHT_ALIGNED
        if role == ASSET_ROLE:
            return asset
        if role == SORT_ROLE:
            return self._sort_value(asset, column)
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        asset = self._assets[index.row()]
        if not asset.is_downloadable:
            # Disabled, yet still showing its tooltip: the user learns why it cannot be picked.
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_NAME:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        asset = self._assets[index.row()]
        if not asset.is_downloadable:
            return False
        if is_checked(value):
            self._checked.add(asset.id)
        else:
            self._checked.discard(asset.id)
        self.dataChanged.emit(
            self.index(index.row(), 0), self.index(index.row(), COLUMN_COUNT - 1)
        )
        self.checkedChanged.emit(len(self._checked))
        return True

    # -- content -------------------------------------------------------------------------------

    def set_assets(self, aoi_id: Optional[str], assets: Iterable[Asset]) -> None:
        """Show these assets (newest acquisition first); checks are kept for assets still
        listed when the same AOI is shown again, cleared for another AOI."""
        assets = sorted(
            assets, key=lambda a: (a.date is not None, a.date.timestamp() if a.date else 0),
            reverse=True,
        )
        self.beginResetModel()
        if aoi_id != self.aoi_id:
            self._checked.clear()
        self.aoi_id = aoi_id
        self._assets = list(assets)
        ids = {asset.id for asset in self._assets if asset.is_downloadable}
        self._checked &= ids
        self.endResetModel()
        self.checkedChanged.emit(len(self._checked))

    def clear(self) -> None:
        self.set_assets(None, ())

    def assets(self) -> List[Asset]:
        return list(self._assets)

    def asset(self, row: int) -> Asset:
        return self._assets[row]

    def checked_assets(self) -> List[Asset]:
        return [asset for asset in self._assets if asset.id in self._checked]

    def downloadable_count(self) -> int:
        return sum(1 for asset in self._assets if asset.is_downloadable)

    def checked_count(self) -> int:
        return len(self._checked)

    def set_checked(self, asset_ids: Iterable[str], checked: bool = True) -> None:
        ids = {a.id for a in self._assets if a.is_downloadable} & set(asset_ids)
        if checked:
            self._checked |= ids
        else:
            self._checked -= ids
        self._all_changed()

    def set_all_checked(self, checked: bool) -> None:
        if checked:
            self._checked = {asset.id for asset in self._assets if asset.is_downloadable}
        else:
            self._checked.clear()
        self._all_changed()

    # -- internals -----------------------------------------------------------------------------

    def _all_changed(self) -> None:
        if self._assets:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._assets) - 1, COLUMN_COUNT - 1)
            )
        self.checkedChanged.emit(len(self._checked))

    def _display(self, asset: Asset, column: int) -> str:
        if column == COL_NAME:
            return asset.name or asset.id
        if column == COL_TYPE:
            return asset_type_label(asset.asset_type)
        if column == COL_DATE:
            return asset.date.date().isoformat() if asset.date else ""
        if column == COL_STATUS:
            return status_label(asset.status)
        if column == COL_RESOLUTION:
            if asset.resolution is None:
                return ""
            return tr("{value} m").format(value=f"{asset.resolution:g}")
        if column == COL_BANDS:
            return str(len(asset.band_list)) if asset.band_list else ""
        return ""

    def _tooltip(self, asset: Asset, column: int) -> str:
        if not asset.is_downloadable:
            if asset.status == "failed":
                return tr("This asset failed at Pixxel and cannot be downloaded.")
            return tr(
                "Only finished assets can be downloaded: this one is {status}."
            ).format(status=status_label(asset.status).lower())
        if column == COL_NAME:
            lines = [asset.name or asset.id]
            if asset.description:
                lines.append(asset.description)
            lines.append(tr("ID: {id}").format(id=asset.id))
            return "\n".join(lines)
        if column == COL_BANDS and asset.band_list:
            shown = ", ".join(asset.band_list[:12])
            more = len(asset.band_list) - 12
            return shown + (tr(" and {count} more").format(count=more) if more > 0 else "")
        return self._display(asset, column)

    def _sort_value(self, asset: Asset, column: int) -> Any:
        if column == COL_DATE:
            return asset.date.timestamp() if asset.date else None
        if column == COL_RESOLUTION:
            return asset.resolution
        if column == COL_BANDS:
            return len(asset.band_list)
        return self._display(asset, column).casefold()
