"""pixxel:listorderitems — the workspace's order items, one footprint per image they hold."""

from typing import Any, Dict, List, Optional

from qgis.core import QgsProcessingContext, QgsProcessingFeedback

from ..pixxel import purchased
from ..pixxel.purchased_models import OrderImage, OrderItem
from ..qgis.i18n import tr, tr_n
from .common import Parameters, PixxelAlgorithm
from .outputs import OUTPUT, PolygonSink, polygon_output, qdatetime

ORDER_ID = "ORDER_ID"
STATUS = "STATUS"
FIELDS = (
    ("order_id", "string(64)"),
    ("order_item_id", "string(64)"),
    ("item_id", "string(254)"),
    ("name", "string(254)"),
    ("type", "string(32)"),
    ("status", "string(32)"),
    ("image_type", "string(16)"),
    ("start_date", "datetime"),
    ("end_date", "datetime"),
)


class ListOrderItemsAlgorithm(PixxelAlgorithm):
    def name(self) -> str:
        return "listorderitems"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("List order items")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr(
            "Lists the order items of your Pixxel workspace: one feature per image an item holds "
            "(its footprint in EPSG:4326 and item id, the product name), with the order id, "
            "order item id, name, type (ARCHIVE, TASKING, RECURRING), status, image type and the "
            "acquisition window. An item without images yet (active, failed, cancelled) is one "
            "feature without geometry or item id."
            "\n\nOrder id: only the items of this order (empty: every order)."
            "\nStatus: only items with this status, e.g. FULFILLED; several comma-separated, any "
            "case (empty: all)."
            "\n\nThe API address and key come from the Pixxel settings, or from the "
            "PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win."
        )

    def initAlgorithm(self, config: Dict[str, Any] = None) -> None:  # noqa: N802
        self.add_optional_text(ORDER_ID, tr("Order id"))
        self.add_optional_text(STATUS, tr("Status"))
        self.addParameter(polygon_output(tr("Order item images")))

    def processAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Parameters:
        order_id = self.text(parameters, ORDER_ID, context)
        status = self.text(parameters, STATUS, context)
        output = PolygonSink(self, parameters, context, FIELDS)
        items = 0
        with self.client(feedback) as client:
            found = purchased.iter_order_items(
                client, order_ids=[order_id] if order_id else None, status=status or None
            )
            for item in found:
                items += 1
                for image in item.images or (None,):
                    output.add(_attributes(item, image), image.geometry if image else None)
        feedback.pushInfo(
            tr_n("{count} order item(s) listed.", items).format(count=items)
        )
        return {OUTPUT: output.destination}


def _attributes(item: OrderItem, image: Optional[OrderImage]) -> List[Any]:
    return [
        item.order_id,
        item.order_item_id,
        image.item_id if image else None,
        item.name,
        item.type,
        item.status,
        item.image_type,
        qdatetime(item.start_date),
        qdatetime(item.end_date),
    ]
