"""pixxel:spectralindex — a spectral index (NDVI, NDRE, ...) or the user's own band math of a
hyperspectral raster, as a Float32 GeoTIFF (core/imagery/indices.compute_index: block-wise, flat
memory, reflectance in the formulas, NaN nodata). No Pixxel connection is needed.

Inside QGIS, when Processing is to open the result ("Open output file after running algorithm",
processing.runAndLoadResults), the algorithm opens it itself in postProcessAlgorithm: styled on
a diverging ramp (core/qgis/index_layers.py) and placed just above the image, so in the image's
AOI group; it then takes it off Processing's list so that it is not added twice. qgis_process
and processing.run() only write the file.
"""

import math
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterEnum,
    QgsProcessingParameterRasterDestination,
    QgsProject,
)

from ..imagery.expressions import ExpressionError
from ..imagery.indices import ComputedIndex, compute_index, find_index
from ..imagery.products import Stretch, sample_stretch
from ..imagery.spectra import SpectralError, open_raster
from ..pixxel.errors import CancelledError
from ..qgis.i18n import tr
from ..qgis.index_layers import BOUNDED_INDICES, add_index_layer, index_style
from .common import Parameters, call_on_main_thread, cancel_check, in_qgis_process
from .spectral_common import SpectralAlgorithm

INDEX = "INDEX"
EXPRESSION = "EXPRESSION"
OUTPUT = "OUTPUT"
# The enum's order is its interface (qgis_process and models pass the number): append only.
INDEX_KEYS: Tuple[Optional[str], ...] = (
    "ndvi", "ndre", "ndwi", "gndvi", "savi", "mcari", "pri", "cire", None,  # None: CUSTOM
)
GEOTIFF_SUFFIXES = (".tif", ".tiff")


class SpectralIndexAlgorithm(SpectralAlgorithm):
    def __init__(self) -> None:
        super().__init__()
        self._computed: Optional[ComputedIndex] = None
        self._index_key: Optional[str] = None
        self._sampled: Optional[Stretch] = None
        self._output = ""

    def name(self) -> str:
        return "spectralindex"

    def displayName(self) -> str:  # noqa: N802 - QGIS API name
        return tr("Spectral index")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API name
        return tr(
            "Computes a spectral index of a hyperspectral image into a Float32 GeoTIFF on the "
            "image's grid (nodata: NaN, where an input band is nodata or the formula has no "
            "value)."
            "\n\nR<nm> is the reflectance of the band whose centre is nearest <nm>, within its "
            "width or 20 nm; an index whose bands the sensor lacks is refused with the reason."
            "\n\nCustom: type an expression of R<nm> terms (or band names), numbers, + - * / **, "
            "parentheses, abs(), sqrt(), min(), max(); e.g. (R860 - R650) / (R860 + R650)."
            "\n\nPixxel L2 products (recognised by their file name or metadata) are read as "
            "reflectance = value / 50000 with 0 as nodata, unless the file declares its own "
            "scale. Inside QGIS the result is added above the image, on a red-yellow-green "
            "ramp (-1 to 1 for normalized differences, else the 2-98 % range)."
            "\n\nNo Pixxel account or API key is needed."
        )

    def initAlgorithm(self, config: Dict[str, Any] = None) -> None:  # noqa: N802
        self.add_input_parameter()
        self.addParameter(
            QgsProcessingParameterEnum(
                INDEX, tr("Index"), options=index_options(), defaultValue=0
            )
        )
        self.add_optional_text(EXPRESSION, tr("Expression (when Index is Custom expression)"))
        self.addParameter(QgsProcessingParameterRasterDestination(OUTPUT, tr("Index")))

    def processAlgorithm(  # noqa: N802 - QGIS API name
        self, parameters: Parameters, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Parameters:
        self._computed = self._sampled = None
        source = self.open_input(feedback)
        key, what = self._index_or_expression(parameters, context, feedback)
        output = self.parameterAsOutputLayer(parameters, OUTPUT, context)
        if Path(output).suffix.lower() not in GEOTIFF_SUFFIXES:
            raise QgsProcessingException(
                tr("The index is written as a GeoTIFF: give the output a .tif name, not {name}."
                   ).format(name=Path(output).name)
            )
        try:
            computed = compute_index(
                source.path, what, output, bands=source.bands,
                is_cancelled=cancel_check(feedback),
                on_progress=feedback.setProgress if feedback else (lambda percent: None),
            )
        except ExpressionError as error:
            raise QgsProcessingException(
                tr("Cannot compute {what} on {name}: {error}").format(
                    what=what if isinstance(what, str) else what.name,
                    name=source.path.name, error=error,
                )
            ) from None
        except CancelledError:
            raise QgsProcessingException(tr("Cancelled.")) from None
        except SpectralError as error:
            raise QgsProcessingException(str(error)) from None
        for reference, band in computed.bands:
            if feedback is not None:
                feedback.pushInfo(tr("{reference} = band {number} {band}").format(
                    reference=reference, number=band.index, band=_band_label(band)))
        # The destination as Processing knows it (its load list is keyed by this string).
        self._computed, self._index_key, self._output = computed, key, output
        if key not in BOUNDED_INDICES and self._will_open(context, output):
            # Here, in the worker: sampling reads the file, which the main thread must not wait on.
            self._sampled = _sampled_range(output)
        return {OUTPUT: output}

    def postProcessAlgorithm(  # noqa: N802 - QGIS API name
        self, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> Parameters:
        computed, self._computed = self._computed, None
        output = self._output if computed else ""
        if computed is None or not self._will_open(context, output):
            return {}
        to_load = context.layersToLoadOnCompletion()
        details = to_load.pop(output)
        # Opened here, styled and in place: Processing must not add it a second time.
        context.setLayersToLoadOnCompletion(to_load)
        style = index_style(self._index_key, self._sampled)
        name = tr("{index} – {image}").format(index=computed.name, image=self._input_name)
        project = details.project or context.project() or QgsProject.instance()
        layer = call_on_main_thread(
            lambda: add_index_layer(
                computed.path, name, style, index_key=self._index_key,
                beside_layer_id=self._input_layer_id, project=project,
            ),
            feedback,
        )
        if layer is None:
            feedback.reportError(tr("QGIS cannot open {path}.").format(path=output), False)
        return {}

    def _index_or_expression(
        self, parameters: Parameters, context: QgsProcessingContext,
        feedback: Optional[QgsProcessingFeedback],
    ):
        """(index key or None for CUSTOM, what compute_index computes)."""
        choice = self.parameterAsEnum(parameters, INDEX, context)
        key = INDEX_KEYS[choice] if 0 <= choice < len(INDEX_KEYS) else None
        expression = self.text(parameters, EXPRESSION, context)
        if key is not None:
            if expression and feedback is not None:
                feedback.pushInfo(
                    tr("The expression is used only when Index is Custom expression.")
                )
            return key, find_index(key)
        if not expression:
            raise QgsProcessingException(
                tr("Custom expression needs an expression, e.g. (R860 - R650) / (R860 + R650).")
            )
        return None, expression

    @staticmethod
    def _will_open(context: QgsProcessingContext, output: str) -> bool:
        return bool(output) and not in_qgis_process() and context.willLoadLayerOnCompletion(output)


def index_options() -> list:
    options = []
    for key in INDEX_KEYS:
        index = find_index(key) if key else None
        options.append(
            f"{index.name}: {index.expression}" if index else tr("Custom expression")
        )
    return options


def _band_label(band) -> str:
    nm = "" if band.wavelength_nm is None else f" ({band.wavelength_nm:g} nm)"
    return f"{band.name}{nm}"


def _sampled_range(path: str) -> Optional[Stretch]:
    try:
        return sample_stretch(open_raster(path), [1], math.nan)[0]
    except (SpectralError, RuntimeError):  # styling falls back to -1..1; the file is fine
        return None

