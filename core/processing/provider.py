"""The Pixxel Processing provider: the entry point for scripting (models, batch, qgis_process)."""

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..pixxel.plugin_info import resource_path
from ..qgis.i18n import tr
from .download_assets import DownloadAssetsAlgorithm
from .download_catalogs import DownloadCatalogsAlgorithm
from .estimate_order import EstimateOrderAlgorithm
from .extract_spectra import ExtractSpectraAlgorithm
from .list_aois import ListAoisAlgorithm
from .list_assets import ListAssetsAlgorithm
from .list_catalogs import ListCatalogsAlgorithm
from .list_order_items import ListOrderItemsAlgorithm
from .search_archive import SearchArchiveAlgorithm
from .spectral_index import SpectralIndexAlgorithm

PROVIDER_ID = "pixxel"


class PixxelProvider(QgsProcessingProvider):
    def id(self) -> str:  # noqa: A003 - QGIS API name
        return PROVIDER_ID

    def name(self) -> str:
        return tr("Pixxel")

    def longName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Pixxel hyperspectral imagery")

    def icon(self) -> QIcon:
        return QIcon(resource_path("icon.svg"))

    def loadAlgorithms(self) -> None:  # noqa: N802 - QGIS API name
        for algorithm in (
            ListAoisAlgorithm(), ListAssetsAlgorithm(), DownloadAssetsAlgorithm(),
            SpectralIndexAlgorithm(), ExtractSpectraAlgorithm(),
        ):
            self.addAlgorithm(algorithm)
        # Archive search and price estimates; ordering itself is never an algorithm.
        for algorithm in (SearchArchiveAlgorithm(), EstimateOrderAlgorithm()):
            self.addAlgorithm(algorithm)
        for algorithm in (ListCatalogsAlgorithm(), ListOrderItemsAlgorithm(),
                          DownloadCatalogsAlgorithm()):
            self.addAlgorithm(algorithm)

    def supportedOutputRasterLayerExtensions(self) -> list:  # noqa: N802 - QGIS API name
        # The index is written by GDAL as a GeoTIFF: no other format to offer in the dialog.
        return ["tif"]
