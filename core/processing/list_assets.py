"""pixxel:listassets — the assets (products) of one AOI as footprints."""

from typing import Any, Dict, List

from qgis.core import QgsProcessingContext, QgsProcessingFeedback

from ..pixxel.models import Asset
from ..qgis.i18n import tr, tr_n
from ..qgis.tasks import incomplete_listing_notice
from .common import Parameters, PixxelAlgorithm
from .outputs import OUTPUT, PolygonSink, polygon_output, qdate

FIELDS = (
    ("id", "string(64)"),
    ("name", "string(254)"),
    ("asset_type", "string(32)"),
    ("status", "string(32)"),
    ("date", "date"),
    ("resolution", "double"),
    ("band_count", "integer"),
)


class ListAssetsAlgorithm(PixxelAlgorithm):
    def name(self) -> str:
        return "listassets"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("List assets of an AOI")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr(
            "Lists the assets (products) of one Pixxel AOI as footprints in EPSG:4326 with their "
            "id, name, type, status, acquisition date, resolution (m) and number of bands. Only "
            "assets with status 'success' can be downloaded."
            "\n\nAOI id: the aoi_id field of 'List AOIs'."
            "\n\nThe API address and key come from the Pixxel settings, or from the "
            "PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win."
        )

    def initAlgorithm(self, config: Dict[str, Any] = None) -> None:  # noqa: N802
        self.add_aoi_id_parameter()
        self.addParameter(polygon_output(tr("Asset footprints")))

    def processAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Parameters:
        aoi_id = self.aoi_id(parameters, context)
        output = PolygonSink(self, parameters, context, FIELDS)
        with self.client(feedback) as client:
            assets = client.iter_assets(aoi_id)
            for asset in assets:
                output.add(_attributes(asset), asset.geometry)
        if assets.incomplete:
            feedback.pushWarning(incomplete_listing_notice())
        feedback.pushInfo(tr_n("{count} asset(s) listed.", output.count).format(count=output.count))
        return {OUTPUT: output.destination}


def _attributes(asset: Asset) -> List[Any]:
    return [
        asset.id,
        asset.name,
        asset.asset_type,
        asset.status,
        qdate(asset.date.date() if asset.date else None),
        asset.resolution,
        len(asset.band_list) or None,
    ]
