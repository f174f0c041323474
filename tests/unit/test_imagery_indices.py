"""compute_index(): the indices' values on the sandbox scene, the GeoTIFF written, nodata, cancel,
atomic replacement and flat memory on a raster of a few hundred MB."""

import os
import tracemalloc

import numpy as np
import pytest

gdal = pytest.importorskip("osgeo.gdal")

from pixxel_qgis.core.imagery.expressions import ExpressionError  # noqa: E402
from pixxel_qgis.core.imagery.indices import (  # noqa: E402
    INDICES,
    OUTPUT_TILE,
    compute_index,
    find_index,
)
from pixxel_qgis.core.imagery.spectra import (  # noqa: E402
    PIXXEL_L2A_SCALE,
    SpectralError,
    describe_spectral_bands,
)
from pixxel_qgis.core.pixxel.errors import CancelledError  # noqa: E402 - only once GDAL is known
from sandbox import products  # noqa: E402

# INDICES.md, written out again independently of indices.py; r(nm) is reflectance nearest nm.
FORMULAS = {
    "ndvi": lambda r: (r(860) - r(650)) / (r(860) + r(650)),
    "gndvi": lambda r: (r(860) - r(550)) / (r(860) + r(550)),
    "ndre": lambda r: (r(790) - r(720)) / (r(790) + r(720)),
    "cire": lambda r: r(800) / r(720) - 1,
    "ndwi": lambda r: (r(560) - r(860)) / (r(560) + r(860)),
    "savi": lambda r: 1.5 * (r(860) - r(650)) / (r(860) + r(650) + 0.5),
    "mcari": lambda r: ((r(700) - r(670)) - 0.2 * (r(700) - r(550))) * (r(700) / r(670)),
    "pri": lambda r: (r(531) - r(570)) / (r(531) + r(570)),
}


def read(path):
    return gdal.Open(str(path)).ReadAsArray()


@pytest.fixture(scope="module")
def td2(td2_product):
    spec, files = td2_product
    bands = describe_spectral_bands(files["image"], default_scale=PIXXEL_L2A_SCALE)
    return spec, files, bands


@pytest.mark.parametrize("key", sorted(FORMULAS))
def test_every_index_is_its_formula_on_reflectance(key, td2, tmp_path):
    spec, files, bands = td2
    cube = read(files["image"]).astype(np.float64)
    nearest = np.asarray(spec.wavelengths_nm)

    def r(nm):
        return cube[int(np.argmin(np.abs(nearest - nm)))] * 2e-5

    with np.errstate(divide="ignore", invalid="ignore"):
        expected = FORMULAS[key](r).astype(np.float32)
    expected[cube[0] == 0] = np.nan  # the nodata corner
    result = compute_index(files["image"], key, tmp_path / f"{key}.tif", bands=bands)
    assert result.name == find_index(key).name
    np.testing.assert_allclose(read(result.path), expected, rtol=1e-5, equal_nan=True)


def test_ndvi_is_high_over_vegetation_and_negative_over_water(td2, tmp_path):
    spec, files, bands = td2
    ndvi = read(compute_index(files["image"], "NDVI", tmp_path / "ndvi.tif", bands=bands).path)
    # The scene's own cover fractions (crops, forest, soil, water, town, cloud) say where what is.
    fractions, _ = products._Scene(spec.seed, spec.width, spec.height).block(0, spec.height)
    fractions = fractions.reshape(len(fractions), spec.height, spec.width)
    share = fractions / np.maximum(fractions.sum(axis=0), 1e-9)
    # Open water only: water is so dark in the NIR that 5 % of vegetation in a pixel already
    # makes its NDVI positive, as it would be on a real lake shore.
    vegetation, water = share[0] + share[1] > 0.9, share[3] > 0.98
    assert vegetation.sum() > 100
    assert water.sum() > 20
    assert np.nanmin(ndvi[vegetation]) > 0.5
    assert np.nanmax(ndvi[water]) < 0


def test_the_output_geotiff(td2, tmp_path):
    spec, files, bands = td2
    progress = []
    result = compute_index(
        files["image"],
        "(R860 - R650) / (R860 + R650)",
        tmp_path / "custom.tif",
        bands=bands,
        on_progress=progress.append,
    )
    assert result.name == result.expression == "(R860 - R650) / (R860 + R650)"
    assert [reference for reference, _ in result.bands] == ["R860", "R650"]
    source, output = gdal.Open(str(files["image"])), gdal.Open(str(result.path))
    band = output.GetRasterBand(1)
    assert band.DataType == gdal.GDT_Float32
    assert band.GetBlockSize() == [OUTPUT_TILE, OUTPUT_TILE]
    assert output.GetMetadata("IMAGE_STRUCTURE")["COMPRESSION"] == "DEFLATE"
    assert np.isnan(band.GetNoDataValue())
    assert output.GetGeoTransform() == source.GetGeoTransform()
    assert output.GetProjection() == source.GetProjection()
    assert "R860=B055 (859.1 nm)" in output.GetMetadataItem("bands")
    assert np.isnan(band.ReadAsArray()[0, 0])  # the product's nodata corner
    ndvi = compute_index(files["image"], "ndvi", tmp_path / "ndvi.tif", bands=bands).path
    np.testing.assert_array_equal(read(result.path), read(ndvi))
    assert progress == sorted(progress)
    assert progress[-1] == 100.0
    assert sorted(os.listdir(tmp_path)) == ["custom.tif", "ndvi.tif"]  # no temporary left


def test_band_names_as_pixxel_formulas_write_them(td2, tmp_path):
    _, files, bands = td2
    by_name = compute_index(
        files["image"], "(B055 - B027) / (B055 + B027)", tmp_path / "named.tif", bands=bands
    )
    ndvi = compute_index(files["image"], INDICES[0], tmp_path / "ndvi.tif", bands=bands)
    np.testing.assert_array_equal(read(by_name.path), read(ndvi.path))


def test_zero_denominator_and_nodata_inputs_are_nan(geotiff, tmp_path):
    red = np.array([[1, 0, 2, 5]], dtype=np.float32)
    nir = np.array([[3, 0, -2, -9999]], dtype=np.float32)
    path = geotiff("zero.tif", np.stack([red, nir]), wavelengths_nm=[650, 860], nodata=-9999)
    result = compute_index(path, "ndvi", tmp_path / "out.tif")
    np.testing.assert_array_equal(read(result.path), [[0.5, np.nan, np.nan, np.nan]])


def test_errors_leave_no_output(td2, tmp_path):
    _, files, bands = td2
    with pytest.raises(ExpressionError, match="R1650 needs a band near 1650 nm"):
        compute_index(files["image"], "R1650 / R860", tmp_path / "x.tif", bands=bands)
    with pytest.raises(ExpressionError, match="“NDXI” is neither"):
        compute_index(files["image"], "NDXI", tmp_path / "x.tif", bands=bands)
    assert os.listdir(tmp_path) == []


# With GDAL exceptions on (the sandbox turns them on), the bindings also raise the full disk from
# the dataset's destructor, which Python can only report as unraisable.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_unwritable_folder_or_a_full_disk_is_a_spectral_error(geotiff, small_disk, tmp_path):
    rng = np.random.default_rng(4)
    noise = rng.integers(1, 60000, (2, 1024, 1024), dtype=np.uint16)  # incompressible NDVI
    path = geotiff("noise.tif", noise, wavelengths_nm=[650, 860])
    with pytest.raises(SpectralError, match="Could not create a file in"):
        compute_index(path, "ndvi", tmp_path / "missing" / "ndvi.tif")
    disk = small_disk(1)
    with pytest.raises(SpectralError, match="Could not write"):
        compute_index(path, "ndvi", disk / "ndvi.tif")
    assert os.listdir(disk) == []


def test_cancel_deletes_the_partial_output_and_keeps_the_old_one(geotiff, tmp_path):
    cube = np.ones((2, 3 * OUTPUT_TILE, 2100), dtype=np.uint16)  # several windows
    path = geotiff("in.tif", cube, wavelengths_nm=[650, 860])
    output = tmp_path / "out.tif"
    output.write_bytes(b"the previous result")
    checks = []

    def cancelled_on_the_third_window():
        checks.append(len(os.listdir(tmp_path)))
        return len(checks) == 3

    with pytest.raises(CancelledError):
        compute_index(path, "ndvi", output, is_cancelled=cancelled_on_the_third_window)
    assert checks == [3, 3, 3]  # the partial output existed while computing
    assert sorted(os.listdir(tmp_path)) == ["in.tif", "out.tif"]
    assert output.read_bytes() == b"the previous result"


def test_memory_stays_flat_on_a_few_hundred_mb(geotiff, tmp_path):
    """320 MB of UInt16 in 4 bands: reading the two NDVI bands whole as float64 would take
    330 MB; windows keep numpy at ~33 MB and GDAL's cache empty between window rows."""
    width, height = 5000, 8000
    path = tmp_path / "big.tif"
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), width, height, 4, gdal.GDT_UInt16)
    for index, nm in enumerate([560, 650, 720, 860], start=1):
        dataset.GetRasterBand(index).SetMetadata({"wavelength": str(nm)})
    rows = np.arange(500 * width, dtype=np.uint16).reshape(500, width) % 5000 + 1
    for top in range(0, height, 500):
        for index in range(1, 5):
            dataset.GetRasterBand(index).WriteArray(rows * index, 0, top)
        dataset.FlushCache()
    dataset = None
    assert path.stat().st_size > 300e6
    cache_used = []
    tracemalloc.start()
    try:
        compute_index(
            path,
            "ndvi",
            tmp_path / "ndvi.tif",
            on_progress=lambda _: cache_used.append(gdal.GetCacheUsed()),
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 48e6  # ~33 MB here
    assert len(cache_used) == height // OUTPUT_TILE + 1
    assert max(cache_used) < 8e6
    ndvi = gdal.Open(str(tmp_path / "ndvi.tif"))
    last_row = ndvi.GetRasterBand(1).ReadAsArray(0, height - 1, 3, 1)
    np.testing.assert_allclose(last_row, [[1 / 3] * 3], rtol=1e-6)  # (4x - 2x) / (4x + 2x)
