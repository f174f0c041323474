"""qgis_process runs the Pixxel algorithms from the packaged plugin against the sandbox: list,
download, files identical to the sandbox's products; failures exit non-zero with the API's
message; the key appears in no output and nowhere in the profile."""

import time
import zipfile
from pathlib import Path

from .conftest import features

FIRST_AOI_NAME = "Punjab wheat fields – Ludhiana"


def delivered(folder: Path) -> dict:
    """File name -> path of everything under the download folder."""
    return {path.name: path for path in folder.rglob("*") if path.is_file()}


def test_provider_and_algorithms_are_listed(qgis_process):
    listed = qgis_process(["list"])
    assert listed.returncode == 0, listed.output
    for algorithm in ("pixxel:listaois", "pixxel:listassets", "pixxel:downloadassets"):
        assert algorithm in listed.stdout


def test_list_aois_then_download_the_first_one_byte_for_byte(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    aois_path = tmp_path / "aois.gpkg"
    listed = qgis_process.run("pixxel:listaois", {"OUTPUT": str(aois_path)}, pixxel_env)
    assert listed.returncode == 0, listed.output
    rows = features(listed.json()["results"]["OUTPUT"])
    assert len(rows) == sandbox.catalog.aoi_count
    assert {row["geometry_type"] for row in rows} == {"MULTIPOLYGON"}
    first = next(row for row in rows if row["name"] == FIRST_AOI_NAME)
    assert first["status"] == "success"
    assert first["progress"] == 100

    assets_path = tmp_path / "assets.gpkg"
    assets = qgis_process.run(
        "pixxel:listassets", {"AOI_ID": first["aoi_id"], "OUTPUT": str(assets_path)}, pixxel_env
    )
    assert assets.returncode == 0, assets.output
    ready = [row for row in features(str(assets_path)) if row["status"] == "success"]
    by_delivery = {sandbox.catalog.product_spec(row["id"]).delivery: row for row in ready}
    assert sorted(by_delivery) == ["tif", "zip"]

    downloaded = qgis_process.run(
        "pixxel:downloadassets",
        {"AOI_ID": first["aoi_id"], "OUTPUT_FOLDER": str(tmp_path / "downloads")},
        pixxel_env,
    )
    assert downloaded.returncode == 0, downloaded.output
    results = downloaded.json()["results"]
    folder = Path(results["OUTPUT_FOLDER"])
    assert (tmp_path / "downloads") in folder.parents
    assert results["DOWNLOAD_ID"]
    files = delivered(folder)

    tif_product = sandbox.product_path(by_delivery["tif"]["id"])
    assert files[tif_product.name].read_bytes() == tif_product.read_bytes()
    with zipfile.ZipFile(sandbox.product_path(by_delivery["zip"]["id"])) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        assert members
        for member in members:
            name = Path(member.filename).name
            assert files[name].read_bytes() == archive.read(member), name

    rasters = sorted(Path(path).name for path in results["RASTERS"])
    assert rasters == sorted([tif_product.name, f"{by_delivery['zip']['name']}.tif"])
    assert all(Path(path).is_file() for path in results["RASTERS"])


def test_download_without_a_folder_uses_the_profiles_download_folder(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    folder = tmp_path / "pixxel-downloads"
    with qgis_process.settings_file.open("a", encoding="utf-8") as ini:
        ini.write(f"\n[pixxel]\ndownload_folder={folder.as_posix()}\n")
    aoi = sandbox.catalog.aoi_at(0)
    downloaded = qgis_process.run("pixxel:downloadassets", {"AOI_ID": aoi["aoi_id"]}, pixxel_env)
    assert downloaded.returncode == 0, downloaded.output
    assert folder in Path(downloaded.json()["results"]["OUTPUT_FOLDER"]).parents


def test_a_bad_key_exits_non_zero_with_the_api_message(qgis_process, sandbox, tmp_path):
    wrong = "not-the-right-key-0815-e2e"
    env = {"PIXXEL_API_URL": sandbox.api_url, "PIXXEL_API_KEY": wrong}
    outcome = qgis_process.run("pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")}, env)
    assert outcome.returncode != 0
    assert "HTTP 403" in outcome.output
    assert "invalid API key" in outcome.output
    assert wrong not in outcome.output


def test_an_unknown_aoi_exits_non_zero_with_the_api_message(qgis_process, pixxel_env, tmp_path):
    outcome = qgis_process.run(
        "pixxel:downloadassets",
        {"AOI_ID": "no-such-aoi", "OUTPUT_FOLDER": str(tmp_path)},
        pixxel_env,
    )
    assert outcome.returncode != 0
    assert "HTTP 404" in outcome.output
    assert "no-such-aoi not found" in outcome.output
    assert list(tmp_path.iterdir()) == []


def test_without_a_key_the_message_names_the_environment_variable(
    qgis_process, sandbox, tmp_path
):
    outcome = qgis_process.run(
        "pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")},
        {"PIXXEL_API_URL": sandbox.api_url},
    )
    assert outcome.returncode != 0
    assert "PIXXEL_API_KEY" in outcome.output
    assert sandbox.requests == []


def test_the_key_appears_in_no_output_and_nowhere_in_the_profile(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    aoi = sandbox.catalog.aoi_at(0)
    outcomes = [
        qgis_process.run("pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")}, pixxel_env),
        qgis_process.run(
            "pixxel:listassets", {"AOI_ID": aoi["aoi_id"], "OUTPUT": str(tmp_path / "b.gpkg")},
            pixxel_env,
        ),
        qgis_process.run(
            "pixxel:downloadassets", {"AOI_ID": aoi["aoi_id"], "OUTPUT_FOLDER": str(tmp_path)},
            pixxel_env,
        ),
    ]
    for outcome in outcomes:
        assert outcome.returncode == 0, outcome.output
        assert sandbox.api_key not in outcome.output
        # Signed storage URLs are credentials too: logged only without their query values.
        assert "sig=***" in outcome.output or "storage" not in outcome.output.lower()
    key = sandbox.api_key.encode()
    plugins = qgis_process.config_dir / "profiles" / "default" / "python" / "plugins"
    for path in qgis_process.config_dir.rglob("*"):
        # The plugin's own README names the sandbox's demo key; QGIS' files must not.
        if path.is_file() and plugins not in path.parents:
            assert key not in path.read_bytes(), path


# -- an API that misbehaves without failing (issue #13) ------------------------------------------


def test_a_trickling_api_ends_within_the_deadline_with_a_clear_message(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    """Every byte arrives within the read timeout: only the call's deadline (here 3 s, through
    PIXXEL_API_DEADLINE) can end it, and the user must read why."""
    sandbox.faults.add("aois", "trickle", bytes=1, interval=0.2, times=None)
    env = {**pixxel_env, "PIXXEL_API_DEADLINE": "3"}
    started = time.monotonic()
    outcome = qgis_process.run("pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")}, env)
    elapsed = time.monotonic() - started
    assert outcome.returncode != 0
    host = sandbox.api_url.split("://", 1)[1]
    assert (
        f"{host} did not complete its answer within 3 s (retries included): the connection or "
        "the server is too slow. Try again later."
    ) in outcome.output
    assert elapsed < 3 + 20  # qgis_process starting and stopping QGIS takes the rest
    assert len([r for r in sandbox.requests if r.endpoint == "aois"]) == 1


def test_an_api_inventing_aois_on_every_page_ends_with_a_clear_message(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    sandbox.configure(page_cap=10)
    sandbox.faults.add("aois", "endless_pages", times=None)
    outcome = qgis_process.run("pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")},
                               pixxel_env)
    assert outcome.returncode != 0
    assert "kept sending new AOIs beyond the 20 it announced (4 pages): the listing was " \
           "stopped." in outcome.output
    assert len([r for r in sandbox.requests if r.endpoint == "aois"]) == 4


def test_a_server_ignoring_offset_lists_what_came_with_a_warning(
    qgis_process, sandbox, pixxel_env, tmp_path
):
    sandbox.configure(page_cap=10)
    sandbox.faults.add("aois", "ignore_offset", times=None)
    outcome = qgis_process.run("pixxel:listaois", {"OUTPUT": str(tmp_path / "a.gpkg")},
                               pixxel_env)
    assert outcome.returncode == 0, outcome.output
    assert len(features(outcome.json()["results"]["OUTPUT"])) == 10
    assert "The server returned the same page twice; the list may be incomplete." \
        in outcome.output
