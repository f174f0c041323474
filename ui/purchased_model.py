"""The Purchased view's tables: order items and catalogs, and the filter over both (free text,
and the order an item belongs to).

Purchases are counted in hundreds, not in tens of thousands like AOIs: plain models, sorted and
filtered by Qt through a QSortFilterProxyModel reading SORT_ROLE and the rows' search keys.
Only order items that delivered imagery can be downloaded (Pixxel refuses the others): the other
rows are greyed out, with a tooltip saying why. Every catalog can be downloaded.
"""

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from qgis.PyQt.QtCore import QModelIndex, QSortFilterProxyModel, Qt

from ..core.pixxel.purchased_models import Catalog, Order, OrderItem
from ..core.qgis.i18n import tr
from .formatting import format_area_km2, format_day, status_icon
from .table_model import RIGHT_ALIGNED, USER_ROLE, FlatTableModel

RECORD_ROLE = USER_ROLE + 1  # the OrderItem or Catalog
SORT_ROLE = USER_ROLE + 3
ORDER_ROLE = USER_ROLE + 4  # the id of the order the row belongs to, when known

ITEM_NAME, ITEM_TYPE, ITEM_STATUS, ITEM_IMAGES, ITEM_START, ITEM_END, ITEM_ORDER = range(7)
CAT_PRODUCT, CAT_ACQUIRED, CAT_SATELLITE, CAT_LEVEL, CAT_GSD, CAT_CLOUD, CAT_DELIVERY, \
    CAT_ITEM = range(8)

# A status's dot, in the colours of formatting.STATUS_COLOURS.
_STATUS_DOTS = {"FULFILLED": "success", "PARTIALLY_FULFILLED": "partial_success",
                "ACTIVE": "running", "FAILED": "failed", "CANCELLED": "", "DRAFT": "",
                "SUCCESS": "success", "IN_PROGRESS": "running", "CREATED": "started"}


def enum_label(value: str) -> str:
    """FULFILLED -> Fulfilled, PARTIALLY_FULFILLED -> Partially fulfilled."""
    return value.replace("_", " ").capitalize() if value else ""


class PurchasedTableModel(FlatTableModel):
    """Rows of records; subclasses say how a record shows, sorts and whether it downloads."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: List[Any] = []

    def row_total(self) -> int:
        return len(self._rows)

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: Sequence[Any]) -> None:
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def rows(self) -> List[Any]:
        return list(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(record, column)
        if role == Qt.ItemDataRole.DecorationRole and column == self.status_column:
            return status_icon(_STATUS_DOTS.get(self.status(record), ""))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.right_aligned_headers:
            return RIGHT_ALIGNED
        if role == RECORD_ROLE:
            return record
        if role == SORT_ROLE:
            return self.sort_value(record, column)
        if role == ORDER_ROLE:
            return self.order_id(record)
        return None

    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if not self.is_downloadable(self._rows[index.row()]):
            return Qt.ItemFlag.NoItemFlags  # greyed, its tooltip still says why
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def search_key(self, row: int) -> str:
        record = self._rows[row]
        texts = [self.display(record, column) for column in range(self.column_count)]
        return " ".join(texts + list(self.ids(record))).casefold()

    # -- what subclasses say -------------------------------------------------------------------

    status_column = -1

    def display(self, record: Any, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, record: Any, column: int) -> str:
        return self.display(record, column)

    def sort_value(self, record: Any, column: int) -> Any:
        return self.display(record, column).casefold()

    def status(self, record: Any) -> str:
        return ""

    def order_id(self, record: Any) -> Optional[str]:
        return None

    def ids(self, record: Any) -> Tuple[str, ...]:
        return ()

    def is_downloadable(self, record: Any) -> bool:
        return True


class OrderItemTableModel(PurchasedTableModel):
    column_count = 7
    right_aligned_headers = frozenset({ITEM_IMAGES})
    status_column = ITEM_STATUS

    @staticmethod
    def column_titles() -> Tuple[str, ...]:
        return (tr("Name"), tr("Type"), tr("Status"), tr("Images"), tr("Start"), tr("End"),
                tr("Order"))

    def display(self, item: OrderItem, column: int) -> str:
        if column == ITEM_NAME:
            return item.display_name
        if column == ITEM_TYPE:
            return enum_label(item.type)
        if column == ITEM_STATUS:
            return enum_label(item.status)
        if column == ITEM_IMAGES:
            return str(len(item.images))
        if column == ITEM_START:
            return format_day(item.start_date)
        if column == ITEM_END:
            return format_day(item.end_date)
        if column == ITEM_ORDER:
            return (item.order_id or "")[:8]
        return ""

    def tooltip(self, item: OrderItem, column: int) -> str:
        if not self.is_downloadable(item):
            return tr("Only order items with delivered imagery can be downloaded: this one is "
                      "{status}.").format(status=enum_label(item.status).lower())
        if column in (ITEM_NAME, ITEM_ORDER):
            lines = [item.display_name, tr("ID: {id}").format(id=item.order_item_id),
                     tr("Order: {id}").format(id=item.order_id or "")]
            if item.area_km2:
                lines.append(format_area_km2(item.area_km2))
            return "\n".join(lines)
        return self.display(item, column)

    def sort_value(self, item: OrderItem, column: int) -> Any:
        if column == ITEM_IMAGES:
            return len(item.images)
        if column in (ITEM_START, ITEM_END):
            moment = item.start_date if column == ITEM_START else item.end_date
            return moment.timestamp() if moment else None
        return super().sort_value(item, column)

    def status(self, item: OrderItem) -> str:
        return item.status

    def order_id(self, item: OrderItem) -> Optional[str]:
        return item.order_id

    def ids(self, item: OrderItem) -> Tuple[str, ...]:
        return (item.order_item_id, item.order_id or "",
                *(image.item_id for image in item.images))

    def is_downloadable(self, item: OrderItem) -> bool:
        return item.has_imagery


class CatalogTableModel(PurchasedTableModel):
    """Catalogs, each with the order item that delivered it once order items are known
    (`set_owners`)."""

    column_count = 8
    right_aligned_headers = frozenset({CAT_GSD, CAT_CLOUD})
    status_column = CAT_DELIVERY

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._owners: Dict[str, OrderItem] = {}  # task id -> order item

    @staticmethod
    def column_titles() -> Tuple[str, ...]:
        return (tr("Product"), tr("Acquired"), tr("Satellite"), tr("Level"), tr("GSD"),
                tr("Cloud"), tr("Delivery"), tr("Order item"))

    def set_owners(self, items: Iterable[OrderItem]) -> None:
        self._owners = {task.task_id: item for item in items for task in item.tasks}
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, self.column_count - 1))

    def owner(self, catalog: Catalog) -> Optional[OrderItem]:
        return self._owners.get(catalog.task_id or "")

    def display(self, catalog: Catalog, column: int) -> str:
        if column == CAT_PRODUCT:
            return catalog.item_id or catalog.catalog_id
        if column == CAT_ACQUIRED:
            return format_day(catalog.acquired)
        if column == CAT_SATELLITE:
            return catalog.platform
        if column == CAT_LEVEL:
            return catalog.level
        if column == CAT_GSD:
            return "" if catalog.gsd is None else tr("{value} m").format(value=f"{catalog.gsd:g}")
        if column == CAT_CLOUD:
            cloud = catalog.cloud_cover
            return "" if cloud is None else tr("{value} %").format(value=f"{cloud:.0f}")
        if column == CAT_DELIVERY:
            return enum_label(catalog.delivery_status)
        if column == CAT_ITEM:
            owner = self.owner(catalog)
            return owner.display_name if owner is not None else ""
        return ""

    def tooltip(self, catalog: Catalog, column: int) -> str:
        if column == CAT_PRODUCT:
            lines = [catalog.item_id, tr("Catalog ID: {id}").format(id=catalog.catalog_id)]
            if catalog.area_km2:
                lines.append(format_area_km2(catalog.area_km2))
            if catalog.off_nadir is not None:
                lines.append(tr("Off-nadir: {value}°").format(value=f"{catalog.off_nadir:.1f}"))
            return "\n".join(lines)
        if column == CAT_DELIVERY:
            return tr("Automated cloud delivery: {status}. Every catalog can be downloaded."
                      ).format(status=enum_label(catalog.delivery_status).lower() or "-")
        return self.display(catalog, column)

    def sort_value(self, catalog: Catalog, column: int) -> Any:
        if column == CAT_ACQUIRED:
            return catalog.acquired.timestamp() if catalog.acquired else None
        if column == CAT_GSD:
            return catalog.gsd
        if column == CAT_CLOUD:
            return catalog.cloud_cover
        return super().sort_value(catalog, column)

    def status(self, catalog: Catalog) -> str:
        return catalog.delivery_status

    def order_id(self, catalog: Catalog) -> Optional[str]:
        owner = self.owner(catalog)
        return owner.order_id if owner is not None else None

    def ids(self, catalog: Catalog) -> Tuple[str, ...]:
        return (catalog.catalog_id, catalog.task_id or "")


class PurchasedFilterProxy(QSortFilterProxyModel):
    """Every word of the text must occur in the row (its cells and ids, any case); with an order
    chosen, only that order's rows. Sorted by SORT_ROLE."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: Tuple[str, ...] = ()
        self._order_id: Optional[str] = None
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words != self._words:
            self._words = words
            self.invalidateFilter()

    def set_order(self, order_id: Optional[str]) -> None:
        if (order_id or None) != self._order_id:
            self._order_id = order_id or None
            self.invalidateFilter()

    def is_filtered(self) -> bool:
        return bool(self._words) or self._order_id is not None

    def filterAcceptsRow(self, source_row: int, _source_parent: QModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        order_id = self._order_id
        if order_id is not None and model.index(source_row, 0).data(ORDER_ROLE) != order_id:
            return False
        key = model.search_key(source_row)
        return all(word in key for word in self._words)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:  # noqa: N802 - Qt API
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a is None or b is None:
            return a is None and b is not None  # nothing sorts first
        return a < b


def order_label(order: Order) -> str:
    """How the order filter lists an order: its day, status and short id."""
    parts = [format_day(order.created_at), enum_label(order.status), order.order_id[:8]]
    return " · ".join(part for part in parts if part)


def orders_of(items: Iterable[OrderItem], known: Iterable[Order] = ()) -> List[Tuple[str, str]]:
    """(order id, label) of every order the items belong to, newest first when the orders are
    known, else in the items' order."""
    by_id = {order.order_id: order for order in known}
    ids = list(dict.fromkeys(item.order_id for item in items if item.order_id))
    ids.sort(key=lambda i: (by_id[i].created_at.timestamp()
                            if i in by_id and by_id[i].created_at else 0), reverse=True)
    return [(i, order_label(by_id[i]) if i in by_id else i[:8]) for i in ids]
