"""pixxel:downloadcatalogs — purchased imagery (catalogs, or every catalog of order items) through
the same download pipeline as pixxel:downloadassets (core/qgis/pipeline.py), into
`<output folder>/<order item name>/<product>/` (core/download/kinds.py says how it is named)."""

from typing import Any, Dict

from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

from ..download import kinds
from ..download.purchased_job import purchased_job
from ..qgis.i18n import tr, tr_n
from ..qgis.pipeline import fetch_imagery
from .common import Parameters, cancel_check, in_qgis_process, parse_id_list
from .download_assets import LOAD_LAYERS, DownloadAssetsAlgorithm, _ProgressReport

CATALOG_IDS = "CATALOG_IDS"
ORDER_ITEM_IDS = "ORDER_ITEM_IDS"


class DownloadCatalogsAlgorithm(DownloadAssetsAlgorithm):
    """downloadassets' settings (prepareAlgorithm) and layers (postProcessAlgorithm), another
    kind of download."""

    def name(self) -> str:
        return "downloadcatalogs"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Download purchased imagery")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr(
            "Downloads imagery you bought from Pixxel: catalogs, or every catalog delivered for "
            "order items. Asks Pixxel for one download, waits until it is ready, fetches the file "
            "(resumable, verified against its size and checksum) and unpacks it into a folder "
            "named after the order item (several order items: 'Pixxel purchases'), one "
            "sub-folder per product."
            "\n\nCatalog ids: comma-separated catalog_id values of 'List purchased catalogs'."
            "\nOrder item ids: comma-separated order_item_id values of 'List order items'."
            "\nGive one of the two, not both."
            "\nOutput folder: where the order item's folder is made; empty uses the download "
            "folder of the Pixxel settings."
            "\nLoad layers: inside QGIS, add the images to the project as the Pixxel panel does. "
            "qgis_process never loads layers."
            "\n\nOutputs: the folder holding the files, the Pixxel download id and the list of "
            "raster files."
            "\n\nThe API address and key come from the Pixxel settings, or from the "
            "PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win."
        )

    def initAlgorithm(self, config: Dict[str, Any] = None) -> None:  # noqa: N802
        self.add_optional_text(CATALOG_IDS, tr("Catalog ids (comma-separated)"))
        self.add_optional_text(ORDER_ITEM_IDS, tr("Order item ids (comma-separated)"))
        self.add_folder_and_outputs()

    def processAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Parameters:
        catalog_ids = parse_id_list(self.parameterAsString(parameters, CATALOG_IDS, context))
        item_ids = parse_id_list(self.parameterAsString(parameters, ORDER_ITEM_IDS, context))
        if catalog_ids and item_ids:
            raise QgsProcessingException(
                tr("Give catalog ids or order item ids, not both: Pixxel downloads one or the "
                   "other.")
            )
        if not catalog_ids and not item_ids:
            raise QgsProcessingException(tr("Give the catalog ids or the order item ids to "
                                            "download."))
        kind, ids = (kinds.CATALOGS, catalog_ids) if catalog_ids else (kinds.ORDER_ITEMS, item_ids)
        load_layers = self.parameterAsBool(parameters, LOAD_LAYERS, context)
        with self.client(feedback) as client:
            name = kinds.purchased_name(client, kind, ids)
            job = purchased_job(kind, ids, self.destination(parameters, context),
                                name=name, keep_zip=self._settings.keep_zips,
                                stall=self._settings.stall)
            feedback.pushInfo(
                (tr_n("Downloading {count} catalog(s) into {name}…", len(ids))
                 if kind is kinds.CATALOGS else
                 tr_n("Downloading {count} order item(s) into {name}…", len(ids))
                 ).format(count=len(ids), name=name)
            )
            imagery = fetch_imagery(
                client, job, describe=load_layers and not in_qgis_process(),
                on_progress=_ProgressReport(feedback), is_cancelled=cancel_check(feedback),
            )
        return self.fetched(imagery, feedback)
