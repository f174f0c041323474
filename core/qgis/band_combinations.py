"""Band combinations by wavelength on a spectral raster layer: which presets its bands can show
(core/imagery/band_presets.pick: the nearest band by wavelength, never by band number), and
applying one as a multiband colour renderer with the sampled 2-98 % stretch.

The stretch is computed in a QgsTask (products.sample_stretch: a bounded sample, the same as the
true-colour layers get): QGIS' own statistics on the main thread would freeze the map for seconds
on a multi-GB scene. The renderer is built and set in finished(), on the main thread, on the
layer looked up again by id (the user may have removed it meanwhile).
"""

from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

from qgis.core import QgsMultiBandColorRenderer, QgsProject, QgsRasterLayer, QgsTask

from ..imagery.band_presets import PRESETS, BandPreset, PresetChoice, custom, pick
from ..imagery.products import Stretch, sample_stretch
from ..imagery.spectra import SpectralBand, SpectralBands, SpectralError
from ..pixxel.errors import CancelledError
from ..pixxel.redaction import pixxel_logger
from .i18n import tr
from .layers import multiband_renderer
from .spectral_source import SpectralFile, layer_file, open_spectral

log = pixxel_logger()

Bands = Tuple[int, int, int]
# (level, text, layer id) for the message bar: "success" when applied, "warning" when not.
Report = Callable[[str, str, str], None]


def spectral_file_of(layer) -> Optional[SpectralFile]:
    """The layer's file described for spectra, or None when it is no local raster with band
    wavelengths. MAIN THREAD (reads the layer); the GDAL part reads the header only."""
    path = layer_file(layer)
    if path is None:
        return None
    try:
        source = open_spectral(path)
    except SpectralError:
        return None
    return source if source.is_spectral else None


def preset_choices(bands: SpectralBands) -> List[PresetChoice]:
    """Every preset, in menu order, with the bands it would use or why it cannot."""
    return [pick(preset, bands) for preset in PRESETS]


def custom_choice(bands: SpectralBands, rgb_nm: Sequence[float]) -> PresetChoice:
    red, green, blue = rgb_nm
    return pick(custom(red, green, blue), bands)


def preset_label(preset: BandPreset) -> str:
    """The preset's name for the user (the core's names are English)."""
    labels = {
        "true_colour": tr("True colour"),
        "colour_infrared": tr("Colour infrared"),
        "short_wave_infrared": tr("Short-wave infrared"),
        "red_edge": tr("Red edge"),
        "agriculture": tr("Agriculture"),
        "vegetation_analysis": tr("Vegetation analysis"),
    }
    if preset.key in labels:
        return labels[preset.key]
    red, green, blue = preset.rgb_nm
    return tr("Custom ({red:g} / {green:g} / {blue:g} nm)").format(red=red, green=green, blue=blue)


def band_label(band: SpectralBand) -> str:
    if band.wavelength_nm is None:
        return band.name
    return tr("{name} ({nm:g} nm)").format(name=band.name, nm=band.wavelength_nm)


def describe_choice(choice: PresetChoice, bands: SpectralBands) -> str:
    """"red B055 (859.1 nm), green ..." — which bands a choice uses."""
    by_index = {band.index: band for band in bands}
    return ", ".join(
        tr("{colour} band {number} {band}").format(
            colour=colour, number=index, band=band_label(by_index[index])
        )
        for colour, index in zip((tr("red"), tr("green"), tr("blue")), choice.bands or ())
    )


def shown_bands(layer: QgsRasterLayer) -> Optional[Bands]:
    """(red, green, blue) of the layer's multiband renderer, or None for another renderer."""
    renderer = layer.renderer()
    if not isinstance(renderer, QgsMultiBandColorRenderer):
        return None
    return renderer.redBand(), renderer.greenBand(), renderer.blueBand()


class BandCombinationTask(QgsTask):
    """Samples the stretch of a choice's three bands, then shows them on the layer.

    Plain values only cross into run(): the file's path, the band numbers, nodata and the mask."""

    def __init__(
        self, layer_id: str, source: SpectralFile, choice: PresetChoice, report: Report
    ) -> None:
        super().__init__(
            tr("Pixxel: {preset} bands").format(preset=preset_label(choice.preset)),
            QgsTask.Flag.CanCancel,
        )
        if not choice.available:
            raise ValueError(f"{choice.preset.name} is not available: {choice.reason}")
        self.layer_id = layer_id
        self.path: Path = source.path
        self.choice = choice
        self.bands_text = describe_choice(choice, source.bands)
        by_index = {band.index: band for band in source.bands}
        self.nodata = by_index[choice.bands[0]].nodata
        self.mask = source.mask
        self.stretches: Optional[Tuple[Stretch, ...]] = None
        self.error: Optional[str] = None
        self._report = report

    def run(self) -> bool:
        # An exception escaping run() aborts the whole QGIS process.
        try:
            dataset = open_spectral(self.path).dataset
            self.stretches = sample_stretch(
                dataset, self.choice.bands, self.nodata, mask_path=self.mask,
                is_cancelled=self.isCanceled,
            )
        except CancelledError:
            return False
        except Exception as error:  # reported by finished(), never raised
            self.error = str(error) or type(error).__name__
            return False
        return True

    def finished(self, result: bool) -> None:
        layer = QgsProject.instance().mapLayer(self.layer_id)
        if not result or self.stretches is None or not isinstance(layer, QgsRasterLayer):
            if self.error:
                log.warning("Band combination on %s failed: %s", self.path.name, self.error)
                self._report("warning", tr("Could not sample {name}: {error}").format(
                    name=self.path.name, error=self.error), self.layer_id)
            return
        layer.setRenderer(multiband_renderer(layer.dataProvider(), self.choice.bands,
                                             self.stretches))
        layer.triggerRepaint()
        layer.emitStyleChanged()
        self._report("success", tr("{layer}: {preset} — {bands}.").format(
            layer=layer.name(), preset=preset_label(self.choice.preset), bands=self.bands_text),
            self.layer_id)
