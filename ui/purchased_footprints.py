"""The "Pixxel purchases" layer: the outline of every catalog the Purchased view lists, in a memory
layer of its own beside the "Pixxel AOIs" one, and the rows selected in the view selected on it.

MAIN THREAD ONLY. Found, made and kept as core/qgis/outlines.py says (one per project, the
user's data, not an edit of the project); each listing replaces its features.
"""

from typing import Callable, Iterable, List, Optional, Sequence

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtGui import QColor

from ..core.pixxel.purchased_models import Catalog, OrderItem
from ..core.qgis.i18n import tr
from ..core.qgis.layers import ROLE_PURCHASED_FOOTPRINTS
from ..core.qgis.outlines import OutlinesLayer, new_outlines_layer

OUTLINE_COLOUR = QColor(41, 128, 185)  # blue: apart from the AOIs' orange
OUTLINE_WIDTH_MM = 0.5
FIELDS = (
    ("catalog_id", "string(64)"),
    ("item_id", "string(254)"),
    ("order_item", "string(254)"),
    ("order_id", "string(64)"),
    ("acquired", "string(32)"),
    ("platform", "string(32)"),
    ("delivery_status", "string(32)"),
)


def layer_name() -> str:
    return tr("Pixxel purchases")


class PurchasedFootprints(OutlinesLayer):
    def __init__(self, project: Optional[QgsProject] = None, canvas=None) -> None:
        super().__init__(ROLE_PURCHASED_FOOTPRINTS, project, canvas)

    def _new_layer(self) -> QgsVectorLayer:
        return new_outlines_layer(layer_name(), ROLE_PURCHASED_FOOTPRINTS, FIELDS, OUTLINE_COLOUR,
                                  OUTLINE_WIDTH_MM, "item_id")

    def show(self, catalogs: Iterable[Catalog],
             owner: Callable[[Catalog], Optional[OrderItem]]) -> QgsVectorLayer:
        """The layer holds exactly these catalogs' outlines (`owner` names their order item)."""
        rows = []
        for catalog in catalogs:
            item = owner(catalog)
            rows.append(([
                catalog.catalog_id, catalog.item_id, item.display_name if item else "",
                (item.order_id or "") if item else "",
                catalog.acquired.isoformat() if catalog.acquired else "", catalog.platform,
                catalog.delivery_status,
            ], catalog.geometry))
        return self.add_rows(rows, replace=True)

    def select(self, catalog_ids: Iterable[str]) -> int:
        """Select these catalogs' features (the user's own selection there is replaced)."""
        return self.select_where("catalog_id", catalog_ids)

    def zoom_to(self, catalogs: Sequence[Catalog]) -> bool:
        return self.zoom_to_outlines(catalog.geometry for catalog in catalogs)


def catalog_ids_of(rows: List[object]) -> List[str]:
    """The catalog ids among selected rows (catalogs), for the layer's selection."""
    return [row.catalog_id for row in rows if isinstance(row, Catalog)]
