"""Band combinations (red, green, blue) named by the wavelengths they show, and picking the bands
of a given raster for them: the nearest good band BY WAVELENGTH, never by band number, since
captures carry different subsets of their satellite's bands.

A target is served by the nearest good band when that band's centre is within its tolerance
(SpectralBand.tolerance_nm: its FWHM, at least 20 nm; INDICES.md). Otherwise the preset is
unavailable on that raster, with the reason for the user.

Wavelengths from /work/shared/spectral/INDICES.md. Pure Python (no Qt, no QGIS).
"""

from dataclasses import dataclass
from typing import Optional, Tuple

from .spectra import SpectralBands, WavelengthUnavailableError

Rgb = Tuple[float, float, float]


@dataclass(frozen=True)
class BandPreset:
    key: str  # stable, for settings and Processing enums
    name: str  # for the user
    rgb_nm: Rgb  # target centre wavelengths for red, green, blue


@dataclass(frozen=True)
class PresetChoice:
    preset: BandPreset
    bands: Optional[Tuple[int, int, int]]  # 1-based red, green, blue; None when unavailable
    wavelengths_nm: Optional[Rgb]  # the chosen bands' real centres
    reason: Optional[str]  # why it is unavailable, for the user; None when available

    @property
    def available(self) -> bool:
        return self.bands is not None


TRUE_COLOUR = BandPreset("true_colour", "True colour", (650.0, 560.0, 480.0))
COLOUR_INFRARED = BandPreset("colour_infrared", "Colour infrared", (860.0, 650.0, 560.0))
RED_EDGE = BandPreset("red_edge", "Red edge", (740.0, 705.0, 650.0))
AGRICULTURE = BandPreset("agriculture", "Agriculture", (860.0, 720.0, 560.0))
VEGETATION_ANALYSIS = BandPreset(
    "vegetation_analysis", "Vegetation analysis", (800.0, 680.0, 550.0)
)
SHORT_WAVE_INFRARED = BandPreset(
    "short_wave_infrared", "Short-wave infrared", (2200.0, 1600.0, 860.0)
)

PRESETS: Tuple[BandPreset, ...] = (
    TRUE_COLOUR,
    COLOUR_INFRARED,
    SHORT_WAVE_INFRARED,
    RED_EDGE,
    AGRICULTURE,
    VEGETATION_ANALYSIS,
)


def custom(red_nm: float, green_nm: float, blue_nm: float) -> BandPreset:
    """A combination of the user's own wavelengths."""
    rgb = (float(red_nm), float(green_nm), float(blue_nm))
    if not all(nm > 0 for nm in rgb):
        raise ValueError(f"wavelengths must be positive nanometres, not {rgb}")
    return BandPreset("custom", f"Custom ({red_nm:g} / {green_nm:g} / {blue_nm:g} nm)", rgb)


def pick(preset: BandPreset, bands: SpectralBands) -> PresetChoice:
    """The bands of this raster nearest the preset's wavelengths, or why it cannot show it."""
    try:
        chosen = [bands.nearest(nm) for nm in preset.rgb_nm]
    except WavelengthUnavailableError as error:
        return PresetChoice(preset, None, None, f"{preset.name} {error}")
    red, green, blue = chosen
    return PresetChoice(
        preset,
        (red.index, green.index, blue.index),
        (red.wavelength_nm, green.wavelength_nm, blue.wavelength_nm),
        None,
    )
