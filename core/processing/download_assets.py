"""pixxel:downloadassets — one Pixxel download (request, wait, fetch, verify, unpack) as an
algorithm, through the dock's download pipeline (core/qgis/pipeline.py) with the feedback as
progress and cancel; optionally the imagery onto the map, styled as the dock styles it."""

from pathlib import Path
from typing import Any, Dict, Optional

import qgis.utils
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFolderDestination,
    QgsProject,
)

from ..download.job import DownloadJob
from ..download.progress import DownloadProgress
from ..pixxel.redaction import pixxel_logger
from ..qgis import settings
from ..qgis.i18n import tr, tr_n
from ..qgis.pipeline import Imagery, add_imagery, fetch_imagery
from .common import (
    Parameters,
    PixxelAlgorithm,
    call_on_main_thread,
    cancel_check,
    in_qgis_process,
    parse_id_list,
)

log = pixxel_logger()

ASSET_IDS = "ASSET_IDS"
OUTPUT_FOLDER = "OUTPUT_FOLDER"
LOAD_LAYERS = "LOAD_LAYERS"
DOWNLOAD_ID = "DOWNLOAD_ID"
RASTERS = "RASTERS"


class DownloadAssetsAlgorithm(PixxelAlgorithm):
    def __init__(self) -> None:
        super().__init__()
        # Download folder and keep-zips choice, read on the main thread in prepareAlgorithm.
        self._settings = settings.PluginSettings()
        self._imagery: Optional[Imagery] = None

    def name(self) -> str:
        return "downloadassets"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Download assets")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr(
            "Downloads assets of a Pixxel AOI: asks Pixxel for a download, waits until it is "
            "ready, fetches the file (resumable, verified against its size and checksum) and "
            "unpacks it into a folder named after the AOI and the download."
            "\n\nAOI id: the aoi_id field of 'List AOIs'."
            "\nAsset ids: comma-separated ids from 'List assets of an AOI'; empty downloads "
            "every asset of the AOI whose status is 'success'."
            "\nOutput folder: where the AOI's folder is made; empty uses the download folder of "
            "the Pixxel settings."
            "\nLoad layers: inside QGIS, add the images to the project as the Pixxel panel does "
            "(a group per AOI, true colour, quality masks, footprints). qgis_process never loads "
            "layers."
            "\n\nOutputs: the folder holding the files, the Pixxel download id and the list of "
            "raster files."
            "\n\nThe API address and key come from the Pixxel settings, or from the "
            "PIXXEL_API_URL and PIXXEL_API_KEY environment variables, which win."
        )

    def initAlgorithm(self, config: Dict[str, Any] = None) -> None:  # noqa: N802
        self.add_aoi_id_parameter()
        self.add_optional_text(
            ASSET_IDS, tr("Asset ids (comma-separated; empty: every ready asset)")
        )
        self.add_folder_and_outputs()

    def add_folder_and_outputs(self) -> None:
        """The parameters and outputs every download has after saying what it fetches."""
        self.addParameter(
            QgsProcessingParameterFolderDestination(
                OUTPUT_FOLDER, tr("Output folder (empty: the Pixxel download folder)"),
                optional=True,
                # Not a temporary folder by default: QGIS deletes those, and downloads must stay.
                createByDefault=False,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                LOAD_LAYERS, tr("Add the imagery to the project"), defaultValue=True
            )
        )
        self.addOutput(QgsProcessingOutputString(DOWNLOAD_ID, tr("Pixxel download id")))
        self.addOutput(QgsProcessingOutputMultipleLayers(RASTERS, tr("Raster files")))

    def prepareAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> bool:
        super().prepareAlgorithm(parameters, context, feedback)
        # QgsSettings belong to the main thread, like the key.
        self._settings = call_on_main_thread(settings.load, feedback)
        return True

    def destination(self, parameters: Parameters, context: QgsProcessingContext) -> Path:
        """The output folder, else the download folder of the Pixxel settings."""
        folder = self.text(parameters, OUTPUT_FOLDER, context)
        return Path(folder or self._settings.download_folder)

    def processAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Parameters:
        aoi_id = self.aoi_id(parameters, context)
        requested = parse_id_list(self.parameterAsString(parameters, ASSET_IDS, context))
        load_layers = self.parameterAsBool(parameters, LOAD_LAYERS, context)
        with self.client(feedback) as client:
            aoi = client.aoi(aoi_id)
            assets = client.assets(aoi_id)
            asset_ids = requested or tuple(a.id for a in assets if a.is_downloadable)
            if not asset_ids:
                raise QgsProcessingException(
                    tr("The AOI {name} has no asset ready for download (status 'success')."
                       ).format(name=aoi.name or aoi_id)
                )
            job = DownloadJob(
                aoi_id, asset_ids, self.destination(parameters, context),
                aoi_name=aoi.name, keep_zip=self._settings.keep_zips, stall=self._settings.stall,
            )
            feedback.pushInfo(
                tr_n("Downloading {count} asset(s) of {name}…", len(asset_ids)).format(
                    count=len(asset_ids), name=aoi.name or aoi_id
                )
            )
            imagery = fetch_imagery(
                client, job, satellite_id=aoi.satellite_id,
                describe=load_layers and not in_qgis_process(),
                on_progress=_ProgressReport(feedback), is_cancelled=cancel_check(feedback),
            )
        return self.fetched(imagery, feedback)

    def fetched(self, imagery: Imagery, feedback: QgsProcessingFeedback) -> Parameters:
        """The outputs of a download; its imagery kept for postProcessAlgorithm to add."""
        result = imagery.result
        self._imagery = imagery if imagery.products else None
        feedback.pushInfo(
            tr_n("{count} file(s) in {folder}{reused}", len(result.files)).format(
                count=len(result.files), folder=result.folder,
                reused=tr(" (already downloaded)") if result.reused else "",
            )
        )
        return {
            OUTPUT_FOLDER: str(result.folder),
            DOWNLOAD_ID: result.download_id,
            RASTERS: [str(path) for path in result.rasters],
        }

    def postProcessAlgorithm(  # noqa: N802 - QGIS API name
        self, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Dict[str, Any]:
        imagery, self._imagery = self._imagery, None
        if imagery is not None and imagery.products:
            count = call_on_main_thread(lambda: _add_to_project(imagery, context), feedback)
            feedback.pushInfo(
                tr_n("{count} image layer(s) in the project.", count).format(count=count)
            )
        return {}


class _ProgressReport:
    """The download's progress on the feedback: the bar, and each stage's text once."""

    def __init__(self, feedback: QgsProcessingFeedback) -> None:
        self._feedback = feedback
        self._stage = ""

    def __call__(self, progress: DownloadProgress) -> None:
        if progress.stage != self._stage:
            self._stage = progress.stage
            self._feedback.setProgressText(progress.message)
        self._feedback.setProgress(100.0 * progress.fraction)


def _add_to_project(imagery: Imagery, context: QgsProcessingContext) -> int:
    """Main thread: the products into the context's project (the open project in QGIS); returns
    how many image layers show them."""
    canvas = qgis.utils.iface.mapCanvas() if qgis.utils.iface is not None else None
    added = add_imagery(imagery, project=context.project() or QgsProject.instance(), canvas=canvas)
    return len(added.image_layers)
