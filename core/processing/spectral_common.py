"""What the spectral algorithms (spectralindex, extractspectra) share. They read a local raster
and need no Pixxel connection, so they do not derive from common.PixxelAlgorithm: no API key is
read, none is needed, and they run offline, in models and in qgis_process alike.

Threads (see common.py): prepareAlgorithm() runs on the main thread, so the input layer is read
there (its file, id and CRS, as plain values); processAlgorithm() on a worker uses only those
values and GDAL; postProcessAlgorithm() (main thread) may add layers.
"""

from pathlib import Path
from typing import Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterRasterLayer,
)

from ..imagery.spectra import SpectralError
from ..qgis.i18n import tr
from ..qgis.spectral_source import SpectralFile, layer_file, open_spectral
from .common import Parameters, PluginAlgorithm

INPUT = "INPUT"
GROUP_ID = "spectral"


class SpectralAlgorithm(PluginAlgorithm):
    """Group and the INPUT raster read on the main thread."""

    def __init__(self) -> None:
        super().__init__()
        self._input_path: Optional[Path] = None
        self._input_layer_id: Optional[str] = None
        self._input_name = ""
        self._input_crs = QgsCoordinateReferenceSystem()
        self._input_error: Optional[str] = None

    def group(self) -> str:
        return tr("Spectral analysis")

    def groupId(self) -> str:  # noqa: N802 - QGIS API name
        return GROUP_ID

    def add_input_parameter(self) -> None:
        self.addParameter(QgsProcessingParameterRasterLayer(INPUT, tr("Hyperspectral image")))

    def prepareAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> bool:
        layer = self.parameterAsRasterLayer(parameters, INPUT, context)
        self._input_path = layer_file(layer)
        self._input_error = None
        if layer is None:
            self._input_error = tr("The input raster could not be opened.")
        elif self._input_path is None:
            self._input_error = tr(
                "{name} is not a local raster file; the spectral tools read GeoTIFF, ENVI and "
                "other files GDAL opens from disk."
            ).format(name=layer.name())
        else:
            self._input_name = layer.name()
            self._input_crs = QgsCoordinateReferenceSystem(layer.crs())
            project = context.project()
            # Only a layer of the project has a place in its layer tree to put results beside.
            in_project = project is not None and project.mapLayer(layer.id()) is not None
            self._input_layer_id = layer.id() if in_project else None
        # Raised from processAlgorithm: a failed prepare reaches processing.run() callers only as
        # "There were errors executing the algorithm", without the reason.
        return True

    def open_input(self, feedback: Optional[QgsProcessingFeedback]) -> SpectralFile:
        """The input raster described for spectra; QgsProcessingException saying what is wrong."""
        if self._input_error or self._input_path is None:
            raise QgsProcessingException(self._input_error or tr("No input raster."))
        try:
            source = open_spectral(self._input_path)
        except SpectralError as error:
            raise QgsProcessingException(str(error)) from None
        if not source.is_spectral:
            raise QgsProcessingException(
                tr("{name} has no band with a known wavelength: the spectral tools need the "
                   "wavelengths in the file's metadata or in an ENVI header beside it."
                   ).format(name=self._input_path.name)
            )
        if feedback is not None and source.pixxel:
            feedback.pushInfo(
                tr("{name} is a Pixxel L2 product: reflectance = value / 50000 unless the file "
                   "says otherwise; 0 is nodata.").format(name=self._input_path.name)
            )
        return source
