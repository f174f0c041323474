"""qgis_process searches Pixxel's archive and prices captures with the packaged plugin against
the sandbox: footprints with their facts, a price table from a dry run that orders nothing, and a
clear failure for a key that may not order."""

import csv

from .conftest import features


def extent_of(aoi: dict) -> str:
    ring = aoi["geometry"]["coordinates"][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return f"{min(xs)},{max(xs)},{min(ys)},{max(ys)} [EPSG:4326]"


def test_the_archive_algorithms_are_listed(qgis_process):
    listed = qgis_process(["list"])
    assert listed.returncode == 0, listed.output
    assert "pixxel:searcharchive" in listed.stdout
    assert "pixxel:estimateorder" in listed.stdout


def test_search_then_estimate_without_ordering(qgis_process, sandbox, pixxel_env, tmp_path):
    aoi = sandbox.catalog.aoi_at(0)
    searched = qgis_process.run("pixxel:searcharchive", {
        "EXTENT": extent_of(aoi), "START_DATE": "2020-01-01", "MAX_CLOUD": "60",
        "OUTPUT": str(tmp_path / "archive.gpkg"),
    }, pixxel_env)
    assert searched.returncode == 0, searched.output
    results = searched.json()["results"]
    found = features(results["OUTPUT"])
    assert results["COUNT"] == len(found)
    assert {row["geometry_type"] for row in found} == {"MULTIPOLYGON"}
    near = sandbox.archive.items_of_aoi(0)
    by_id = {row["item_id"]: row for row in found}
    assert {item.id for item in near} <= set(by_id)
    first = by_id[near[0].id]
    assert first["platform"] == near[0].code
    assert abs(first["cloud_cover"] - near[0].cloud_cover) < 1e-9
    assert abs(first["sun_elevation"] - near[0].sun_elevation) < 1e-9

    before = len(sandbox.purchases.orders)
    ids = [near[0].id, near[1].id]
    estimated = qgis_process.run("pixxel:estimateorder", {
        "ITEM_IDS": ",".join(ids), "OUTPUT": str(tmp_path / "estimate.csv"),
    }, pixxel_env)
    assert estimated.returncode == 0, estimated.output
    assert len(sandbox.purchases.orders) == before  # a dry run: nothing ordered
    assert len([r for r in sandbox.requests if r.endpoint == "order_create"]) == 1
    results = estimated.json()["results"]
    with open(results["OUTPUT"], newline="", encoding="utf-8") as table:
        priced = list(csv.DictReader(table))
    assert [row["item_id"] for row in priced] == ids
    total = sum(float(row["final_amount"]) for row in priced)
    assert abs(results["TOTAL_AMOUNT"] - total) < 0.01
    assert all(row["feasibility"] == "NOT_APPLICABLE" for row in priced)


def test_a_key_without_ordering_rights_fails_clearly(qgis_process, sandbox, tmp_path):
    env = {"PIXXEL_API_URL": sandbox.api_url, "PIXXEL_API_KEY": sandbox.viewer_key}
    item = sandbox.archive.items_of_aoi(0)[0].id
    outcome = qgis_process.run(
        "pixxel:estimateorder", {"ITEM_IDS": item, "OUTPUT": str(tmp_path / "e.csv")}, env
    )
    assert outcome.returncode != 0
    assert "does not let this API key place orders" in outcome.output
    assert sandbox.viewer_key not in outcome.output
