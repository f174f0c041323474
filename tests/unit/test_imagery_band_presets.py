"""Band presets pick bands by wavelength on the sandbox's 67- and 150-band products."""

from dataclasses import replace

import numpy as np
import pytest

gdal = pytest.importorskip("osgeo.gdal")

from pixxel_qgis.core.imagery.band_presets import (  # noqa: E402 - only once GDAL is known
    PRESETS,
    SHORT_WAVE_INFRARED,
    TRUE_COLOUR,
    VEGETATION_ANALYSIS,
    custom,
    pick,
)
from pixxel_qgis.core.imagery.spectra import (  # noqa: E402
    SpectralBand,
    SpectralBands,
    describe_spectral_bands,
)


def nearest_index(wavelengths, nm):
    return int(np.argmin(np.abs(np.asarray(wavelengths) - nm))) + 1


@pytest.mark.parametrize("product", ["td2_product", "firefly_product"])
def test_every_vnir_preset_picks_the_nearest_bands(product, request):
    spec, files = request.getfixturevalue(product)
    bands = describe_spectral_bands(files["image"])
    for preset in PRESETS:
        choice = pick(preset, bands)
        if preset is SHORT_WAVE_INFRARED:
            continue
        assert choice.available, choice.reason
        expected = tuple(nearest_index(spec.wavelengths_nm, nm) for nm in preset.rgb_nm)
        assert choice.bands == expected
        assert choice.wavelengths_nm == tuple(spec.wavelengths_nm[i - 1] for i in expected)


def test_true_colour_on_the_67_band_product(td2_product):
    choice = pick(TRUE_COLOUR, describe_spectral_bands(td2_product[1]["image"]))
    assert choice.wavelengths_nm == (647.0, 563.6, 480.3)  # TD-2: 450-950 nm every 7.6 nm
    assert choice.bands == (27, 16, 5)
    assert choice.reason is None


def test_short_wave_infrared_is_unavailable_on_vnir_with_the_reason(firefly_product):
    choice = pick(SHORT_WAVE_INFRARED, describe_spectral_bands(firefly_product[1]["image"]))
    assert not choice.available
    assert (choice.bands, choice.wavelengths_nm) == (None, None)
    assert choice.reason == (
        "Short-wave infrared needs a band near 2200 nm; this sensor's bands end at 900 nm"
    )


def test_short_wave_infrared_where_the_sensor_reaches_it(geotiff):
    wavelengths = [560, 860, 1250, 1610, 2190]
    path = geotiff("swir.tif", np.ones((5, 2, 2), np.uint16), wavelengths_nm=wavelengths)
    choice = pick(SHORT_WAVE_INFRARED, describe_spectral_bands(path))
    assert choice.bands == (5, 4, 2)


def test_picks_by_wavelength_never_by_band_number(geotiff):
    # Bands out of wavelength order, as a reordered or merged file may be.
    wavelengths = [860, 480, 650, 560, 705, 740]
    path = geotiff("shuffled.tif", np.ones((6, 2, 2), np.uint16), wavelengths_nm=wavelengths)
    bands = describe_spectral_bands(path)
    assert pick(TRUE_COLOUR, bands).bands == (3, 4, 2)
    assert pick(custom(740, 705, 650), bands).bands == (6, 5, 3)


def test_bad_bands_are_never_picked(td2_product):
    bands = describe_spectral_bands(td2_product[1]["image"])
    red = pick(TRUE_COLOUR, bands).bands[0]
    flagged = SpectralBands(tuple(replace(band, bad=band.index == red) for band in bands))
    choice = pick(TRUE_COLOUR, flagged)
    assert choice.bands[0] != red
    assert abs(choice.wavelengths_nm[0] - 650) < 20


def test_custom_wavelengths(firefly_product):
    bands = describe_spectral_bands(firefly_product[1]["image"])
    assert pick(custom(800, 680, 550), bands).bands == pick(VEGETATION_ANALYSIS, bands).bands
    far = pick(custom(1650, 860, 650), bands)
    assert far.reason.endswith("needs a band near 1650 nm; this sensor's bands end at 900 nm")
    with pytest.raises(ValueError, match="positive"):
        custom(0, 560, 480)


def test_tolerance_is_the_fwhm_but_at_least_20_nm():
    def bands(fwhm):
        return SpectralBands(
            tuple(
                SpectralBand(i + 1, f"B{i}", nm, fwhm, False, 1.0, 0.0, None)
                for i, nm in enumerate([480.0, 560.0, 700.0])
            )
        )

    wide = custom(735, 560, 480)  # 35 nm from the 700 nm band
    assert not pick(wide, bands(None)).available
    assert not pick(wide, bands(10.0)).available
    assert pick(wide, bands(40.0)).bands == (3, 2, 1)
    assert pick(custom(719, 560, 480), bands(None)).bands == (3, 2, 1)
    gap = pick(custom(630, 560, 480), bands(10.0))
    assert gap.reason.endswith("needs a band near 630 nm; the nearest usable band is at 560 nm")
