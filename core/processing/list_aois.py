"""pixxel:listaois — the AOIs of the account as polygons, for models, scripts and qgis_process."""

from typing import Any, Dict, List

from qgis.core import QgsProcessingContext, QgsProcessingFeedback

from ..pixxel.models import Aoi
from ..qgis.i18n import tr, tr_n
from ..qgis.tasks import incomplete_listing_notice
from .common import Parameters, PixxelAlgorithm
from .outputs import OUTPUT, PolygonSink, polygon_output, qdatetime

PROJECT_ID = "PROJECT_ID"
FIELDS = (
    ("aoi_id", "string(64)"),
    ("name", "string(254)"),
    ("status", "string(32)"),
    ("progress", "integer"),
    ("created_at", "datetime"),
    ("updated_at", "datetime"),
    ("area_sq_m", "double"),
    ("satellite_id", "string(64)"),
    ("project_id", "string(64)"),
)


class ListAoisAlgorithm(PixxelAlgorithm):
    def name(self) -> str:
        return "listaois"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("List AOIs")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr(
            "Lists the Areas of Interest (AOIs) your Pixxel API key can see, as polygons in "
            "EPSG:4326 with their id, name, status, progress, dates, area (m²), satellite and "
            "project."
            "\n\nProject id: only the AOIs of this project (empty: every project)."
            "\nName filter: only AOIs whose name contains this text (empty: all)."
            "\n\nThe API address and key come from the Pixxel settings (Settings > Options > "
            "Pixxel), or from the PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which "
            "win. The key is never a parameter, so it is never stored in models or the history."
        )

    def initAlgorithm(self, config: Dict[str, Any] = None) -> None:  # noqa: N802
        self.add_optional_text(PROJECT_ID, tr("Project id"))
        self.add_name_filter_parameter()
        self.addParameter(polygon_output(tr("AOIs")))

    def processAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Parameters:
        project_id = self.text(parameters, PROJECT_ID, context)
        name = self.name_filter(parameters, context)
        output = PolygonSink(self, parameters, context, FIELDS)
        with self.client(feedback) as client:
            aois = client.iter_aois(
                name=name or None, project_ids=[project_id] if project_id else None
            )
            for aoi in aois:
                output.add(_attributes(aoi), aoi.geometry)
        if aois.incomplete:
            feedback.pushWarning(incomplete_listing_notice())
        feedback.pushInfo(tr_n("{count} AOI(s) listed.", output.count).format(count=output.count))
        return {OUTPUT: output.destination}


def _attributes(aoi: Aoi) -> List[Any]:
    return [
        aoi.aoi_id,
        aoi.name,
        aoi.status,
        aoi.progress,
        qdatetime(aoi.created_at),
        qdatetime(aoi.updated_at),
        aoi.area_in_sq_m,
        aoi.satellite_id,
        aoi.project_id,
    ]
