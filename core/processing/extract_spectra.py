"""pixxel:extractspectra — the reflectance spectrum of a hyperspectral raster at each point of a
point layer, as attributes: the points keep their geometry, CRS and fields, and get one Double
field per good band named r<nm> (core/imagery/sampling.spectral_field_names). No Pixxel
connection is needed; works in qgis_process.

Points may be in any CRS: each is transformed to the raster's CRS (the layer's, as QGIS shows it)
before sampling. A value is NULL where the pixel is nodata or masked, where the point lies off
the raster or cannot be transformed, and for a feature without geometry. A multipoint is sampled
at its first point (the log says so once).
"""

from typing import Any, Dict, Optional, Tuple

from qgis.core import (
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingUtils,
)

from ..imagery.sampling import extract_spectra, spectral_field_names
from ..imagery.spectra import SpectralError
from ..qgis.i18n import tr, tr_n
from .common import Parameters
from .outputs import OUTPUT, FeatureSink, make_fields
from .spectral_common import SpectralAlgorithm

POINTS = "POINTS"


class ExtractSpectraAlgorithm(SpectralAlgorithm):
    def name(self) -> str:
        return "extractspectra"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Extract spectra at points")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr(
            "Reads the reflectance spectrum of a hyperspectral image at each point: the output "
            "holds the points with their attributes and one decimal field per band, named r and "
            "the band's centre wavelength in whole nm (r650, r860), or b and its number for a "
            "band without a wavelength (b7). Bands flagged bad in the image are left out."
            "\n\nThe points may be in any CRS. A value is NULL where the pixel is nodata or "
            "masked, and for points off the image."
            "\n\nPixxel L2 products are read as reflectance = value / 50000 with 0 as nodata, "
            "unless the file declares its own scale. No Pixxel account or API key is needed."
        )

    def initAlgorithm(self, config: Dict[str, Any] = None) -> None:  # noqa: N802
        self.add_input_parameter()
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                POINTS, tr("Points"), [QgsProcessing.SourceType.TypeVectorPoint]
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                OUTPUT, tr("Spectra"), QgsProcessing.SourceType.TypeVectorPoint
            )
        )

    def processAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Parameters:
        raster = self.open_input(feedback)
        points = self.parameterAsSource(parameters, POINTS, context)
        if points is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, POINTS))
        names = spectral_field_names(raster.bands)
        # A field of the points named like a band (r650) keeps its name; the band's gets _2.
        fields = QgsProcessingUtils.combineFields(
            points.fields(), make_fields([(name, "double") for name in names])
        )
        output = FeatureSink(
            self, parameters, context, OUTPUT, fields, points.wkbType(), points.sourceCrs()
        )
        transform = QgsCoordinateTransform(
            points.sourceCrs(), self._input_crs, context.transformContext()
        )
        total = points.featureCount()
        warned_multipart = False
        outside = 0
        for position, feature in enumerate(points.getFeatures(QgsFeatureRequest())):
            if feedback.isCanceled():
                break
            point, multipart = _first_point(feature.geometry(), transform)
            if multipart and not warned_multipart:
                warned_multipart = True
                feedback.pushWarning(tr("Multipoints are sampled at their first point."))
            try:
                values = extract_spectra(raster.dataset, [point], raster.bands)[0] if point else {}
            except SpectralError as error:
                raise QgsProcessingException(str(error)) from None
            outside += not any(value is not None for value in values.values())
            spectrum = [values.get(name) for name in names]
            output.write(list(feature.attributes()) + spectrum, feature.geometry())
            if total > 0:
                feedback.setProgress(100.0 * (position + 1) / total)
        if outside:
            feedback.pushInfo(
                tr_n("{count} point(s) without a value: off the image, nodata or masked.",
                     outside).format(count=outside)
            )
        return {OUTPUT: output.destination}


def _first_point(
    geometry: QgsGeometry, transform: QgsCoordinateTransform
) -> Tuple[Optional[Tuple[float, float]], bool]:
    """(x, y) of the geometry's first point in the raster's CRS, or None; and whether it was a
    multipoint of several points."""
    if geometry is None or geometry.isEmpty():
        return None, False
    parts = geometry.constGet().partCount()
    vertex = QgsPointXY(geometry.vertexAt(0))
    try:
        mapped = transform.transform(vertex)
    except QgsCsException:
        return None, parts > 1
    return (mapped.x(), mapped.y()), parts > 1

