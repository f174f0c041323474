"""read_spectrum(), map_to_pixel() and extract_spectra() on real GeoTIFFs."""

import math
import statistics
import time
from dataclasses import replace

import numpy as np
import pytest

gdal = pytest.importorskip("osgeo.gdal")

from pixxel_qgis.core.imagery.sampling import (  # noqa: E402 - only once GDAL is known
    OutsideRasterError,
    extract_spectra,
    map_to_pixel,
    pixel_at,
    read_spectrum,
    spectral_field_names,
)
from pixxel_qgis.core.imagery.spectra import (  # noqa: E402
    PIXXEL_L2A_SCALE,
    SpectralBands,
    SpectralError,
    describe_spectral_bands,
    open_raster,
)
from sandbox import products  # noqa: E402


@pytest.fixture(scope="module")
def td2(td2_product):
    dataset = open_raster(td2_product[1]["image"])
    return dataset, describe_spectral_bands(dataset, default_scale=PIXXEL_L2A_SCALE)


def test_profile_is_gdal_dn_times_scale_plus_offset(td2):
    dataset, bands = td2
    for column, row in [(60, 50), (119, 95), (30, 80)]:
        spectrum = read_spectrum(dataset, column, row, bands)
        expected = dataset.ReadAsArray(column, row, 1, 1)[:, 0, 0] * 2e-5
        assert expected.min() > 0  # a valid pixel, not the nodata corner
        np.testing.assert_allclose(spectrum.values, expected)
        assert spectrum.bands == tuple(range(1, 68))
        assert spectrum.std is None
    # An offset and a per-band scale both count.
    shifted = SpectralBands(
        tuple(replace(band, scale=1e-4 * band.index, offset=-0.05) for band in bands)
    )
    dn = dataset.ReadAsArray(60, 50, 1, 1)[:, 0, 0]
    np.testing.assert_allclose(
        read_spectrum(dataset, 60, 50, shifted).values, dn * 1e-4 * np.arange(1, 68) - 0.05
    )


@pytest.mark.parametrize(
    "layout",
    [["COMPRESS=DEFLATE", "TILED=YES"], ["INTERLEAVE=PIXEL"], ["TILED=YES", "BLOCKXSIZE=32"]],
)
def test_profile_on_every_layout_direct_reads_may_meet(layout, td2_product, tmp_path):
    copy = tmp_path / "copy.tif"
    gdal.Translate(str(copy), str(td2_product[1]["image"]), creationOptions=layout)
    dataset = open_raster(copy)
    bands = describe_spectral_bands(dataset, default_scale=PIXXEL_L2A_SCALE)
    window = dataset.ReadAsArray(70, 40, 5, 5).reshape(67, -1) * 2e-5
    spectrum = read_spectrum(dataset, 72, 42, bands, window=5)
    np.testing.assert_allclose(spectrum.values, window.mean(axis=1))
    np.testing.assert_allclose(spectrum.std, window.std(axis=1), atol=1e-12)


def test_nodata_corner_is_nan_and_bad_bands_are_left_out(td2_product, td2):
    dataset, bands = td2
    mask = gdal.Open(str(td2_product[1]["mask"])).ReadAsArray()
    assert mask[0, 0] == products.MASK_NODATA
    assert np.isnan(read_spectrum(dataset, 0, 0, bands).values).all()
    flagged = SpectralBands(tuple(replace(b, bad=b.index in (2, 40)) for b in bands))
    spectrum = read_spectrum(dataset, 60, 50, flagged)
    assert spectrum.bands == tuple(i for i in range(1, 68) if i not in (2, 40))
    assert len(spectrum.values) == len(spectrum.wavelengths_nm) == 65


def test_nodata_of_one_band_and_the_gdal_mask_band(geotiff):
    cube = np.full((3, 6, 6), 100, dtype=np.uint16)
    cube[1, 2, 2] = 9
    path = geotiff("masked.tif", cube, wavelengths_nm=[500, 600, 700], nodata=9)
    spectrum = read_spectrum(open_raster(path), 2, 2, describe_spectral_bands(path))
    assert spectrum.values[0] == spectrum.values[2] == 100
    assert math.isnan(spectrum.values[1])
    dataset = gdal.Open(str(path), gdal.GA_Update)
    for index in (1, 2, 3):
        dataset.GetRasterBand(index).DeleteNoDataValue()
    dataset.CreateMaskBand(gdal.GMF_PER_DATASET)
    valid = np.full((6, 6), 255, dtype=np.uint8)
    valid[4, 1] = 0
    dataset.GetRasterBand(1).GetMaskBand().WriteArray(valid)
    dataset = None
    dataset = open_raster(path)
    bands = describe_spectral_bands(dataset)
    assert np.isnan(read_spectrum(dataset, 1, 4, bands).values).all()
    assert read_spectrum(dataset, 2, 2, bands).values[1] == 9  # no longer nodata


def test_window_mean_and_std_over_valid_pixels_clipped_at_the_edge(geotiff):
    rng = np.random.default_rng(5)
    cube = rng.integers(1, 1000, (4, 9, 9)).astype(np.uint16)
    cube[2, 4, 5] = 0
    path = geotiff("window.tif", cube, wavelengths_nm=[500, 600, 700, 800], nodata=0)
    dataset, bands = open_raster(path), describe_spectral_bands(path, default_scale=0.001)
    five = read_spectrum(dataset, 4, 4, bands, window=5)
    block = cube[:, 2:7, 2:7].reshape(4, -1) * 0.001
    np.testing.assert_allclose(five.values[[0, 1, 3]], block[[0, 1, 3]].mean(axis=1))
    np.testing.assert_allclose(five.std[[0, 1, 3]], block[[0, 1, 3]].std(axis=1))
    without_nodata = np.delete(block[2], 2 * 5 + 3)  # row 4, column 5: the window's (2, 3)
    assert five.values[2] == pytest.approx(without_nodata.mean())
    assert five.std[2] == pytest.approx(without_nodata.std())
    assert five.valid_pixels.tolist() == [25, 25, 24, 25]
    corner = read_spectrum(dataset, 0, 8, bands, window=3)
    np.testing.assert_allclose(corner.values, cube[:, 7:9, 0:2].reshape(4, -1).mean(axis=1) / 1000)
    assert corner.valid_pixels.tolist() == [4] * 4
    with pytest.raises(ValueError, match="window"):
        read_spectrum(dataset, 4, 4, bands, window=4)


def test_pixels_off_the_raster(td2):
    dataset, bands = td2
    with pytest.raises(OutsideRasterError):
        read_spectrum(dataset, 120, 0, bands)
    with pytest.raises(OutsideRasterError):
        read_spectrum(dataset, 0, -1, bands)
    west, _, _, north = products.small_spec(satellite="TD2", bands=67, size=(120, 96)).bbox
    assert pixel_at(dataset, west - 1e-6, north) is None
    assert pixel_at(dataset, west + 1e-6, north - 1e-6) == (0, 0)


def test_map_to_pixel_with_rotation():
    # 10 m pixels rotated by 30 degrees: a pixel's centre maps back to that pixel.
    angle = math.radians(30)
    geotransform = (
        1000.0,
        10 * math.cos(angle),
        -10 * math.sin(angle),
        5000.0,
        -10 * math.sin(angle),
        -10 * math.cos(angle),
    )
    for column, row in [(0, 0), (7, 3), (250, 1999)]:
        x = geotransform[0] + (column + 0.5) * geotransform[1] + (row + 0.5) * geotransform[2]
        y = geotransform[3] + (column + 0.5) * geotransform[4] + (row + 0.5) * geotransform[5]
        assert map_to_pixel(geotransform, x, y) == (column, row)
    assert map_to_pixel((0, 1, 0, 0, 0, -1), -0.5, 0.5) == (-1, -1)
    with pytest.raises(SpectralError, match="degenerate"):
        map_to_pixel((0, 1, 1, 0, 1, 1), 3, 4)


def test_extract_spectra_names_fields_by_nm_and_gives_none_for_nodata(geotiff):
    cube = np.arange(1, 5 * 4 * 4 + 1, dtype=np.uint16).reshape(5, 4, 4)
    cube[3, 1, 2] = 0
    wavelengths = [664.8, 665.2, 665.4, 700.0, 800.0]
    metadata = [{"wavelength": f"{nm}"} for nm in wavelengths[:4]] + [{"bbl": "0"}]
    path = geotiff("points.tif", cube, band_metadata=metadata, nodata=0)
    path_bands = describe_spectral_bands(path)
    assert spectral_field_names(path_bands) == ["r665", "r665_2", "r665_3", "r700"]
    unknown = describe_spectral_bands(geotiff("bare.tif", cube[:2]))
    assert spectral_field_names(unknown) == ["b1", "b2"]
    # Map coordinates of the centres of pixels (0, 0) and (2, 1); then one off the raster.
    points = [(500015.0, 3999985.0), (500075.0, 3999955.0), (400000.0, 0.0)]
    rows = extract_spectra(open_raster(path), points, path_bands)
    assert rows[0] == {"r665": 1.0, "r665_2": 17.0, "r665_3": 33.0, "r700": 49.0}
    assert rows[1] == {"r665": 7.0, "r665_2": 23.0, "r665_3": 39.0, "r700": None}
    assert rows[2] == dict.fromkeys(["r665", "r665_2", "r665_3", "r700"])


def test_reading_works_with_gdal_exceptions_off(td2):
    dataset, bands = td2
    was_on = gdal.GetUseExceptions()
    gdal.DontUseExceptions()
    try:
        assert read_spectrum(dataset, 60, 50, bands).values.min() > 0
        with pytest.raises(SpectralError):
            open_raster("/nonexistent/x.tif")
    finally:
        if was_on:
            gdal.UseExceptions()


def test_one_spectrum_is_a_direct_read_that_fills_no_cache(tmp_path):
    """150 bands of 600 x 600 (108 MB, uncompressed strips as Pixxel delivers): GDAL's cache
    would hold every strip a spectrum touched (~23 MB each) without direct I/O."""
    wavelengths = np.linspace(470, 900, 150)
    spec = products.ProductSpec(
        "FF02_000151_20240101_L2A_20240102_00501150",
        "FF02",
        (77.5, 12.9, 77.53, 12.93),
        600,
        600,
        tuple(np.round(wavelengths, 1)),
        2,
        "tif",
    )
    image = products.product_files(spec, tmp_path)["image"]
    dataset = open_raster(image)
    bands = describe_spectral_bands(dataset, default_scale=PIXXEL_L2A_SCALE)
    cache_before = gdal.GetCacheUsed()
    rng = np.random.default_rng(1)
    durations = []
    for column, row in rng.integers(0, 600, (100, 2)):
        started = time.perf_counter()
        read_spectrum(dataset, int(column), int(row), bands, window=3)
        durations.append(time.perf_counter() - started)
    assert gdal.GetCacheUsed() - cache_before < 1 << 20
    assert statistics.median(durations) < 0.010  # ~1 ms here; ~10-35 ms through the cache
