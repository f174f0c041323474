"""The models accept every variant of Pixxel's JSON that its spec, guides and examples show."""

import copy
from dataclasses import FrozenInstanceError
from datetime import datetime, timedelta, timezone
from types import MappingProxyType

import pytest

from pixxel_qgis.core.pixxel.models import (
    Aoi,
    Asset,
    Band,
    DownloadStatus,
    Page,
    Project,
    Satellite,
    parse_timestamp,
    satellites_from_json,
)

UTC = timezone.utc
INSTANT = datetime(2022, 11, 14, 12, 55, 49, 125928, tzinfo=UTC)
POLYGON = {
    "type": "Polygon",
    "coordinates": [[[77.5, 12.9], [77.6, 12.9], [77.6, 13.0], [77.5, 12.9]]],
}

# The spec's example AOI, field for field.
AOI = {
    "aoi_id": "e9767554-550e-4464-a677-b8cf096073ab",
    "name": "AOI-D2",
    "description": "This AOI contains images of D2",
    "satellite_id": "0005c5bb-0bd2-4c80-9393-4a808341c54c",
    "project_id": "ce5dcc14-8291-4b0c-a278-8c05ec426d22",
    "images": {"005630": {"date": "2023-03-14"}},
    "eo_bands": ["B01", "B02", "B03"],
    "geometry": POLYGON,
    "progress": 100,
    "status": "success",
    "is_favourite": True,
    "created_at": "2022-11-14 12:55:49.125928+00:00",
    "updated_at": "2022-11-14T12:55:49.125928+00:00",
    "user_id": "user-1",
    "area_in_sq_m": 1234.5,
    "centroid": [77.55, 12.95],
}

ASSET = {
    "id": "a1b2c3d4-0000-4000-8000-000000000001",
    "aoi_id": AOI["aoi_id"],
    "name": "Asset-A",
    "description": "This asset is mosaic file",
    "asset_type": "mosaic",
    "status": "success",
    "progress": 0,
    "band_list": ["B01", "B02"],
    "date": "2022-11-14",
    "resolution": 10,
    "geometry": POLYGON,
    "centroid": [77.55, 12.95],
    "area_in_sq_m": 0,
    "path": "https://storage.account",
    "visualization_id": "e9767554-550e-4464-a677-b8cf096073ab",
    "created_at": "2022-11-14 12:55:49.125928+00:00",
    "updated_at": "2022-11-14 12:55:49.125928+00:00",
}

PROJECT = {
    "id": "ce5dcc14-8291-4b0c-a278-8c05ec426d22",
    "name": "crop-health",
    "title": "Crop Health",
    "org_id": "org-1",
    "members_count": 4,
    "created_at": "2022-11-14T12:55:49.125928Z",
    "updated_at": "2022-11-14T12:55:49.125928+00:00",
    "metadata": {"sector": "agriculture"},
}


# -- timestamps ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-11-14T12:55:49.125928+00:00", INSTANT),
        ("2022-11-14 12:55:49.125928+00:00", INSTANT),
        ("2022-11-14T12:55:49.125928Z", INSTANT),
        ("2022-11-14T12:55:49.125928", INSTANT),  # naive: taken as UTC
        ("2022-11-14T18:25:49.125928+05:30", INSTANT),
        ("2022-11-14T12:55:49.1259281Z", INSTANT),  # 7 fractional digits
        ("2022-11-14T12:55:49.125Z", INSTANT.replace(microsecond=125000)),
        ("2022-11-14T12:55:49Z", INSTANT.replace(microsecond=0)),
        ("2022-11-14", datetime(2022, 11, 14, tzinfo=UTC)),
        (" 2022-11-14 ", datetime(2022, 11, 14, tzinfo=UTC)),
    ],
)
def test_timestamps_in_every_shape_become_aware_datetimes(text, expected):
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed.tzinfo is not None


def test_an_offset_is_kept_not_discarded():
    parsed = parse_timestamp("2022-11-14T18:25:49+05:30")
    assert parsed.utcoffset() == timedelta(hours=5, minutes=30)


@pytest.mark.parametrize(
    "value", [None, "", "  ", "yesterday", "2022-13-45", "14/11/2022", 1668430549, [], {}]
)
def test_unreadable_timestamps_are_none(value):
    assert parse_timestamp(value) is None


# -- AOI -----------------------------------------------------------------------------------------


def test_aoi_from_the_spec_example():
    aoi = Aoi.from_json(AOI)
    assert aoi.aoi_id == AOI["aoi_id"]
    assert aoi.satellite_id == AOI["satellite_id"]
    assert aoi.project_id == AOI["project_id"]
    assert aoi.status == "success"
    assert aoi.progress == 100
    assert aoi.is_favourite is True
    assert aoi.geometry == POLYGON
    assert aoi.centroid == (77.55, 12.95)
    assert aoi.area_in_sq_m == 1234.5
    assert aoi.eo_bands == ("B01", "B02", "B03")
    assert aoi.images == AOI["images"]
    assert aoi.created_at == aoi.updated_at == INSTANT
    assert aoi.extra == {}
    assert aoi.raw == AOI


def test_aoi_reads_lens_satellite_id():
    record = {k: v for k, v in AOI.items() if k != "satellite_id"}
    record["lens_satellite_id"] = "0004ab8d-0ad1-4d62-8a3f-fe18a7000e70"
    aoi = Aoi.from_json(record)
    assert aoi.satellite_id == "0004ab8d-0ad1-4d62-8a3f-fe18a7000e70"
    assert aoi.extra == {}


def test_aoi_keeps_a_multipolygon_and_unknown_fields():
    multi = {"type": "MultiPolygon", "coordinates": [POLYGON["coordinates"]]}
    aoi = Aoi.from_json({**AOI, "geometry": multi, "STATUS_REASON": "x", "tags": ["a"]})
    assert aoi.geometry == multi
    assert aoi.extra == {"STATUS_REASON": "x", "tags": ["a"]}


@pytest.mark.parametrize("status", ["SUCCESS", "Success", " success "])
def test_aoi_status_is_lower_cased(status):
    assert Aoi.from_json({**AOI, "status": status}).status == "success"


def test_aoi_with_bad_cosmetic_fields_still_loads():
    aoi = Aoi.from_json(
        {
            "aoi_id": "x",
            "geometry": {"type": "Point", "coordinates": [1, 2]},
            "centroid": ["east", 2],
            "progress": "45.6",
            "area_in_sq_m": "NaN",
            "is_favourite": "yes",
            "created_at": "not a date",
            "eo_bands": "B01",
            "images": None,
        }
    )
    assert aoi.geometry is None
    assert aoi.centroid is None
    assert aoi.progress == 46
    assert aoi.area_in_sq_m is None
    assert aoi.is_favourite is False
    assert aoi.created_at is None
    assert aoi.eo_bands == ()
    assert aoi.images == {}
    assert (aoi.name, aoi.status, aoi.satellite_id) == ("", "", None)


def test_an_aoi_shares_the_record_instead_of_copying_it():
    record = dict(AOI)
    aoi = Aoi.from_json(record)
    assert aoi.raw is record
    assert aoi.geometry is record["geometry"]
    assert aoi.images is record["images"]
    assert not hasattr(aoi, "__dict__")  # one object per AOI in a 10,000-row listing


def test_an_aoi_given_as_another_mapping_gets_a_dict_of_its_own():
    aoi = Aoi.from_json(MappingProxyType(AOI))
    assert type(aoi.raw) is dict
    assert aoi.raw == AOI


def test_an_aoi_is_immutable_compared_on_its_fields_and_repr_hides_the_record():
    aoi = Aoi.from_json({**AOI, "token": "SIGNATURE"})
    with pytest.raises(FrozenInstanceError):
        aoi.name = "renamed"
    with pytest.raises(FrozenInstanceError):
        del aoi.raw
    assert aoi == Aoi.from_json(AOI)  # unmodelled fields are not compared
    assert hash(aoi) == hash(Aoi.from_json(AOI))
    assert aoi != Aoi.from_json({**AOI, "updated_at": "2023-01-01"})
    assert aoi != Aoi.from_json({**AOI, "geometry": None})
    assert "AOI-D2" in repr(aoi)
    assert "SIGNATURE" not in repr(aoi)


def test_an_aoi_can_be_copied():
    aoi = Aoi.from_json({**AOI, "tags": ["a"]})
    for twin in (copy.copy(aoi), copy.deepcopy(aoi)):
        assert twin == aoi
        assert twin.raw == aoi.raw


@pytest.mark.parametrize("record", [{"name": "no id"}, {"aoi_id": ""}, ["aoi_id"], "aoi", None])
def test_an_aoi_without_identity_is_refused(record):
    with pytest.raises(ValueError, match="AOI"):
        Aoi.from_json(record)


# -- asset ---------------------------------------------------------------------------------------


def test_asset_from_the_spec_example():
    asset = Asset.from_json(ASSET)
    assert asset.id == ASSET["id"]
    assert asset.asset_type == "mosaic"
    assert asset.band_list == ("B01", "B02")
    assert asset.date == datetime(2022, 11, 14, tzinfo=UTC)
    assert asset.resolution == 10.0
    assert asset.area_in_sq_m == 0.0
    assert asset.path == "https://storage.account"
    assert asset.created_at == INSTANT
    assert asset.extra == {}


@pytest.mark.parametrize(
    ("status", "downloadable"),
    [
        ("success", True),
        ("SUCCESS", True),
        ("creating", False),
        ("started", False),
        ("failed", False),
        (None, False),
    ],
)
def test_only_successful_assets_are_downloadable(status, downloadable):
    assert Asset.from_json({**ASSET, "status": status}).is_downloadable is downloadable


# -- download ------------------------------------------------------------------------------------

SIGNED = "https://storage.account/download?sv=2021&sig=SIGNATURE"


@pytest.mark.parametrize(
    ("status", "url", "ready", "failed", "pending"),
    [
        ("SUCCESS", SIGNED, True, False, False),
        ("success", SIGNED, True, False, False),
        ("SUCCESS", "", False, True, False),  # success without a link: no poll will bring one
        ("ERROR", "", False, True, False),
        ("Cancelled", "", False, True, False),
        ("canceled", "", False, True, False),
        ("EXPIRED", "", False, True, False),
        ("FAILED", "", False, True, False),
        ("failed", "", False, True, False),
        ("PENDING", "", False, False, True),
        ("in_progress", "", False, False, True),
        ("queued-for-packing", "", False, False, True),  # unknown values are pending
        (None, None, False, False, True),
    ],
)
def test_download_status_states(status, url, ready, failed, pending):
    download = DownloadStatus.from_json({"download_id": "d1", "signed_url": url, "status": status})
    assert (download.is_ready, download.is_failed, download.is_pending) == (ready, failed, pending)


def test_download_status_accepts_id_and_hides_the_signed_url():
    download = DownloadStatus.from_json(
        {"id": "d2", "signed_url": f" {SIGNED}\n", "status": "x", "n": 1}
    )
    assert download.download_id == "d2"
    assert download.signed_url == SIGNED
    assert download.extra == {"n": 1}
    assert "SIGNATURE" not in repr(download)


def test_a_download_without_id_is_refused():
    with pytest.raises(ValueError, match="download_id or id"):
        DownloadStatus.from_json({"signed_url": SIGNED, "status": "SUCCESS"})


# -- projects and pages --------------------------------------------------------------------------


def test_project_fields():
    project = Project.from_json({**PROJECT, "owner": "someone"})
    assert project.display_name == "Crop Health"
    assert project.members_count == 4
    assert project.created_at == project.updated_at == INSTANT
    assert project.metadata == {"sector": "agriculture"}
    assert project.extra == {"owner": "someone"}


def test_project_display_name_falls_back_to_slug_then_id():
    assert Project.from_json({"id": "p", "name": "slug"}).display_name == "slug"
    assert Project.from_json({"id": "p"}).display_name == "p"


def test_the_specs_project_list_shape():
    page = Page.from_json({"count": 7, "projects": [PROJECT]}, "projects", Project.from_json)
    assert [p.id for p in page.items] == [PROJECT["id"]]
    assert page.total == 7


def test_the_guides_project_list_shape():
    body = {"projects": [PROJECT], "pagination": {"limit": 10, "offset": 0, "total": 3}}
    page = Page.from_json(body, "projects", Project.from_json)
    assert [p.id for p in page.items] == [PROJECT["id"]]
    assert page.total == 3


def test_an_aoi_page_records_the_offset_asked_for():
    body = {"aois": [AOI], "pagination": {"limit": 100, "offset": 40, "total": 41}}
    page = Page.from_json(body, "aois", Aoi.from_json, offset=40)
    assert (len(page.items), page.total, page.offset) == (1, 41, 40)


def test_a_page_without_total():
    assert Page.from_json({"aois": []}, "aois", Aoi.from_json).total is None


@pytest.mark.parametrize(
    "body", [[AOI], {"aois": None}, {"aois": {"0": AOI}}, {"items": [AOI]}, "x"]
)
def test_a_list_in_another_shape_is_refused(body):
    with pytest.raises(ValueError, match="aois|JSON object"):
        Page.from_json(body, "aois", Aoi.from_json)


# -- satellites ----------------------------------------------------------------------------------

SATELLITE = {
    "id": "0004ab8d-0ad1-4d62-8a3f-fe18a7000e70",
    "name": "Pixxel-TD1",
    "bands": [
        {
            "name": "B005",
            "wavelength": 480.2,
            "scale": 2e-05,
            "offset": 0,
            "spatial_resolution": 30,
        },
        {
            "name": "B016",
            "wavelength": 560.1,
            "scale": 2e-05,
            "offset": 0,
            "spatial_resolution": 30,
        },
        {
            "name": "B028",
            "wavelength": 650.4,
            "scale": 2e-05,
            "offset": 0,
            "spatial_resolution": 30,
            "common_name": "red",
        },
    ],
    "collections": [{"id": "pixxel-td1-l2a"}],
    "rgb_composite": {"red": "B028", "green": "B016", "blue": "B005"},
}


def test_satellite_bands_and_true_colour():
    satellite = Satellite.from_json(SATELLITE)
    assert satellite.rgb_band_names == ("B028", "B016", "B005")
    assert [band.name for band in satellite.bands] == ["B005", "B016", "B028"]
    assert satellite.bands[2] == Band(
        name="B028", wavelength=650.4, scale=2e-05, offset=0.0, spatial_resolution=30.0
    )
    assert satellite.bands[2].extra == {"common_name": "red"}
    assert satellite.collections == ({"id": "pixxel-td1-l2a"},)


@pytest.mark.parametrize(
    "composite",
    [{"red": "B028", "green": "B016"}, {"red": "B028", "green": "", "blue": "B005"}, None, "RGB"],
)
def test_true_colour_needs_all_three_bands(composite):
    assert Satellite.from_json({**SATELLITE, "rgb_composite": composite}).rgb_band_names is None


def test_a_malformed_band_costs_only_that_band():
    satellite = Satellite.from_json(
        {**SATELLITE, "bands": [{"wavelength": 500}, "B1", *SATELLITE["bands"]]}
    )
    assert len(satellite.bands) == 3


def test_satellite_lists_in_the_spec_envelope_or_bare():
    assert [s.id for s in satellites_from_json({"satellites": [SATELLITE]})] == [SATELLITE["id"]]
    assert [s.id for s in satellites_from_json([SATELLITE])] == [SATELLITE["id"]]
    with pytest.raises(ValueError, match="satellites"):
        satellites_from_json({"satellite": SATELLITE})
