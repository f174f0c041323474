"""pixxel:listcatalogs — the workspace's purchased catalogs (images) as footprints."""

from typing import Any, Dict, List

from qgis.core import QgsProcessingContext, QgsProcessingFeedback

from ..pixxel import purchased
from ..pixxel.purchased_models import Catalog
from ..qgis.i18n import tr, tr_n
from .common import Parameters, PixxelAlgorithm
from .outputs import OUTPUT, PolygonSink, polygon_output, qdatetime

FIELDS = (
    ("catalog_id", "string(64)"),
    ("item_id", "string(254)"),
    ("acquired", "datetime"),
    ("platform", "string(32)"),
    ("level", "string(16)"),
    ("gsd", "double"),
    ("cloud_cover", "double"),
    ("off_nadir", "double"),
    ("delivery_status", "string(32)"),
    ("area_km2", "double"),
)


class ListCatalogsAlgorithm(PixxelAlgorithm):
    def name(self) -> str:
        return "listcatalogs"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("List purchased catalogs")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr(
            "Lists the catalogs of your Pixxel workspace (the images you bought, archive or "
            "tasked) as footprints in EPSG:4326 with their catalog id, item id (the product "
            "name), acquisition time, satellite, processing level, ground sample distance (m), "
            "cloud cover (%), off-nadir angle (°), delivery status and area (km²). The "
            "delivery status is that of the automated cloud delivery: every catalog can be "
            "downloaded with 'Download purchased imagery'."
            "\n\nName filter: only catalogs whose item id, title or catalog id contains this "
            "text, in any case (empty: all)."
            "\n\nThe API address and key come from the Pixxel settings, or from the "
            "PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win."
        )

    def initAlgorithm(self, config: Dict[str, Any] = None) -> None:  # noqa: N802
        self.add_name_filter_parameter()
        self.addParameter(polygon_output(tr("Catalogs")))

    def processAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Parameters:
        wanted = self.name_filter(parameters, context).casefold()
        output = PolygonSink(self, parameters, context, FIELDS)
        with self.client(feedback) as client:
            for found in purchased.iter_catalogs(client):
                if not wanted or _matches(found, wanted):
                    output.add(_attributes(found), found.geometry)
        feedback.pushInfo(
            tr_n("{count} catalog(s) listed.", output.count).format(count=output.count)
        )
        return {OUTPUT: output.destination}


def _matches(found: Catalog, wanted: str) -> bool:
    return any(wanted in text.casefold() for text in (found.item_id, found.name, found.catalog_id))


def _attributes(found: Catalog) -> List[Any]:
    return [
        found.catalog_id,
        found.item_id,
        qdatetime(found.acquired),
        found.platform,
        found.level,
        found.gsd,
        found.cloud_cover,
        found.off_nadir,
        found.delivery_status,
        found.area_km2,
    ]
