"""describe_spectral_bands(): wavelengths, FWHM, bad bands, scale and nodata from every source."""

import shutil

import numpy as np
import pytest

gdal = pytest.importorskip("osgeo.gdal")

from pixxel_qgis.core.imagery.spectra import (  # noqa: E402 - only once GDAL is known
    PIXXEL_L2A_SCALE,
    SpectralError,
    WavelengthUnavailableError,
    describe_spectral_bands,
    open_raster,
    read_envi_header,
)
from sandbox import satellites  # noqa: E402

CUBE = np.arange(1, 3 * 4 * 5 + 1, dtype=np.uint16).reshape(3, 4, 5)


def test_the_sandbox_product_describes_itself(td2_product):
    spec, files = td2_product
    bands = describe_spectral_bands(files["image"])
    assert len(bands) == 67
    assert [band.wavelength_nm for band in bands] == list(spec.wavelengths_nm)
    # The sandbox writes CF-style scale_factor in the dataset metadata: DN / 50000.
    assert [band.scale for band in bands] == pytest.approx([2e-5] * 67)
    assert {band.offset for band in bands} == {0.0}
    assert {band.nodata for band in bands} == {0.0}
    assert bands.bands[0].name == "B001"
    assert not any(band.bad for band in bands)


def test_envi_dataset_gives_micrometres_fwhm_bad_bands_scale_and_nodata(tmp_path):
    image = tmp_path / "cube.img"
    dataset = gdal.GetDriverByName("ENVI").Create(str(image), 5, 4, 3, gdal.GDT_UInt16)
    dataset.WriteArray(CUBE)
    dataset = None
    with (tmp_path / "cube.hdr").open("a", encoding="utf-8") as header:
        header.write(
            "wavelength units = Micrometers\n"
            "wavelength = {0.4502, 0.5603, 0.6504}\n"
            "fwhm = {0.010, 0.011, 0.012}\n"
            "bbl = {1, 0, 1}\n"
            "data ignore value = 7\n"
            "reflectance scale factor = 10000\n"
        )
    bands = describe_spectral_bands(image).bands
    assert [band.wavelength_nm for band in bands] == pytest.approx([450.2, 560.3, 650.4])
    assert [band.fwhm_nm for band in bands] == pytest.approx([10.0, 11.0, 12.0])
    assert [band.bad for band in bands] == [False, True, False]
    assert [band.scale for band in bands] == pytest.approx([1e-4] * 3)
    assert [band.nodata for band in bands] == [7.0] * 3


def test_imagery_domain_of_gdal_3_10(geotiff):
    path = geotiff("imagery.tif", CUBE)
    dataset = gdal.Open(str(path), gdal.GA_Update)
    for index, (centre, width) in enumerate(
        [("0.49", "0.02"), ("0.56", "0.03"), ("0.665", "0.04")]
    ):
        band = dataset.GetRasterBand(index + 1)
        band.SetMetadataItem("CENTRAL_WAVELENGTH_UM", centre, "IMAGERY")
        band.SetMetadataItem("FWHM_UM", width, "IMAGERY")
    dataset = None
    bands = describe_spectral_bands(path).bands
    assert [band.wavelength_nm for band in bands] == pytest.approx([490.0, 560.0, 665.0])
    assert [band.fwhm_nm for band in bands] == pytest.approx([20.0, 30.0, 40.0])


def test_band_metadata_fwhm_and_bbl_take_their_wavelength_units(geotiff):
    metadata = [
        {"wavelength": "0.55", "fwhm": "0.015", "wavelength_units": "um"},
        {"wavelength": "650", "fwhm": "12", "bbl": "0"},
        {"wavelength": "7", "wavelength_units": "Index"},
    ]
    bands = describe_spectral_bands(geotiff("meta.tif", CUBE, band_metadata=metadata)).bands
    assert [band.wavelength_nm for band in bands] == pytest.approx([550.0, 650.0, None])
    assert [band.fwhm_nm for band in bands] == pytest.approx([15.0, 12.0, None])
    assert [band.bad for band in bands] == [False, True, False]


def test_band_descriptions_with_a_number_and_unit(geotiff):
    path = geotiff("described.tif", CUBE)
    dataset = gdal.Open(str(path), gdal.GA_Update)
    for index, text in enumerate(["Blue (0.48 µm)", "Green (560 nm)", "Band 3"]):
        dataset.GetRasterBand(index + 1).SetDescription(text)
    dataset = None
    bands = describe_spectral_bands(path).bands
    assert [band.name for band in bands] == ["Blue", "Green", "Band 3"]
    assert [band.wavelength_nm for band in bands] == pytest.approx([480.0, 560.0, None])


def test_side_car_envi_header_of_a_geotiff(td2_product, tmp_path):
    spec, files = td2_product
    image = shutil.copy(files["image"], tmp_path / files["image"].name)
    dataset = gdal.Open(str(image), gdal.GA_Update)
    dataset.SetMetadata({})
    for index in range(1, dataset.RasterCount + 1):
        band = dataset.GetRasterBand(index)
        band.SetMetadata({})
        band.SetDescription("")
        band.DeleteNoDataValue()
    dataset = None
    assert describe_spectral_bands(image).bands[0].wavelength_nm is None
    header = read_envi_header(files["header"])
    bands = describe_spectral_bands(image, envi_header=header)
    assert [band.wavelength_nm for band in bands] == list(spec.wavelengths_nm)
    assert bands.bands[0].name == "B001"  # from the header's band names
    assert [band.scale for band in bands] == pytest.approx([PIXXEL_L2A_SCALE] * 67)
    assert {band.nodata for band in bands} == {0.0}  # data ignore value


def test_satellite_bands_by_position_or_by_name(geotiff):
    path = geotiff("bare.tif", CUBE)
    three = [
        {"name": "B01", "wavelength": 480, "scale": 2e-5, "offset": 0.01},
        {"name": "B02", "wavelength": 560, "scale": 2e-5, "offset": 0.01},
        {"name": "B03", "wavelength": 650, "scale": 2e-5, "offset": 0.01},
    ]
    bands = describe_spectral_bands(path, three).bands
    assert [band.wavelength_nm for band in bands] == [480, 560, 650]
    assert [(band.scale, band.offset) for band in bands] == [(2e-5, 0.01)] * 3
    # A capture with a subset of the satellite's bands: only names can match them.
    td1 = satellites.satellite_by_code("TD1")["bands"]
    assert [b.wavelength_nm for b in describe_spectral_bands(path, td1).bands] == [None] * 3
    dataset = gdal.Open(str(path), gdal.GA_Update)
    dataset.GetRasterBand(2).SetDescription("B010")
    dataset = None
    by_name = describe_spectral_bands(path, td1).bands
    assert by_name[1].wavelength_nm == next(b["wavelength"] for b in td1 if b["name"] == "B010")
    assert by_name[0].wavelength_nm is None


def test_the_file_wins_over_the_api_and_defaults_apply_only_when_asked(geotiff):
    path = geotiff("own.tif", CUBE, wavelengths_nm=[500, 600, 700])
    api = [{"name": f"B{i}", "wavelength": 900 + i, "scale": 0.5} for i in range(3)]
    bands = describe_spectral_bands(path, api).bands
    assert [band.wavelength_nm for band in bands] == [500, 600, 700]
    assert bands[0].scale == 0.5  # the file says nothing about scale
    plain = describe_spectral_bands(path).bands[0]
    assert (plain.scale, plain.offset, plain.nodata) == (1.0, 0.0, None)
    pixxel = describe_spectral_bands(path, default_scale=PIXXEL_L2A_SCALE, default_nodata=0).bands
    assert (pixxel[0].scale, pixxel[0].nodata) == (PIXXEL_L2A_SCALE, 0)
    dataset = gdal.Open(str(path), gdal.GA_Update)
    dataset.GetRasterBand(1).SetScale(1e-4)
    dataset.GetRasterBand(1).SetOffset(-0.1)
    dataset = None
    scaled = describe_spectral_bands(path, api, default_scale=PIXXEL_L2A_SCALE).bands
    assert (scaled[0].scale, scaled[0].offset) == (1e-4, -0.1)
    assert (scaled[1].scale, scaled[1].offset) == (0.5, 0.0)


def test_the_identity_scale_gdal_keeps_beside_an_image_hides_no_other_scale(td2_product, tmp_path):
    _, files = td2_product
    image = shutil.copy(files["image"], tmp_path / files["image"].name)
    # What GDAL's .aux.xml says for every band once QGIS computed statistics of the image.
    (tmp_path / f"{image.name}.aux.xml").write_text(
        "<PAMDataset>"
        + "".join(
            f'<PAMRasterBand band="{i}"><Offset>0</Offset><Scale>1</Scale></PAMRasterBand>'
            for i in range(1, 68)
        )
        + "</PAMDataset>"
    )
    dataset = open_raster(image)
    assert dataset.GetRasterBand(1).GetScale() == 1.0
    assert describe_spectral_bands(dataset).bands[0].scale == PIXXEL_L2A_SCALE  # scale_factor
    dataset.SetMetadata({})
    assert describe_spectral_bands(dataset, default_scale=0.5).bands[0].scale == 0.5


def test_nearest_band_refuses_what_is_out_of_reach(firefly_product):
    bands = describe_spectral_bands(firefly_product[1]["image"])
    assert abs(bands.nearest(860).wavelength_nm - 860) < 2
    with pytest.raises(
        WavelengthUnavailableError, match="near 1650 nm; this sensor's bands end at 900 nm"
    ):
        bands.nearest(1650)
    with pytest.raises(WavelengthUnavailableError, match="bands start at 470 nm"):
        bands.nearest(400)
    assert bands.nearest(915).wavelength_nm == 900  # beyond the last band, within 20 nm


def test_unreadable_raster_is_a_spectral_error(tmp_path):
    junk = tmp_path / "junk.tif"
    junk.write_bytes(b"not a tiff")
    with pytest.raises(SpectralError, match="junk.tif"):
        open_raster(junk)
