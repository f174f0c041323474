"""Sessions of the real QGIS desktop (under Xvfb): quitting while a download runs, and resuming it
in the next session (no crash, no partial file that looks complete, nothing fetched twice);
quitting after the panel listed the AOIs (no question: the plugin's outlines are not the user's
unsaved work); starting with the panel left open (its outlines survive QGIS' start-up).

The packaged plugin runs in a throw-away profile pointed at the sandbox
(scripts/desktop_session.py); tests/qgis/desktop_sessions_driver.py does in QGIS what a user does.
"""

import shutil
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "scripts"))
import desktop_session  # noqa: E402 - scripts/ is not a package

DRIVER = Path(__file__).with_name("desktop_sessions_driver.py")
IMAGE_SUFFIXES = (".tif", ".tiff", ".zip")
# Big enough that the bytes before the stall fill whole read chunks (1 MiB) and reach the disk.
PRODUCT_SIZE = 8 * 1024 * 1024

pytestmark = pytest.mark.skipif(
    shutil.which("qgis") is None or shutil.which("xvfb-run") is None,
    reason="needs the qgis desktop and xvfb-run (make setup installs both)",
)


@pytest.fixture(scope="module")
def sandbox_8mib(start_sandbox):
    return start_sandbox(product_size=PRODUCT_SIZE)


@pytest.fixture
def sandbox(sandbox_8mib):
    with sandbox_8mib.reset_around() as running:
        yield running


def _finished_images(folder: Path):
    return sorted(p.name for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)


def test_quitting_mid_download_keeps_the_part_and_the_next_session_resumes_it(
    sandbox, tmp_path
):
    aoi = sandbox.catalog.aoi_at(0)
    downloads = tmp_path / "downloads"
    orders = {"aoi_id": aoi["aoi_id"], "downloads": str(downloads)}
    # The first bytes arrive, then storage stalls: the quit lands mid-transfer.
    sandbox.faults.add("storage", "stall", at=0.3, seconds=60, times=None)

    quit_report = desktop_session.run_driver(
        DRIVER, {**orders, "mode": "quit"}, sandbox, tmp_path, timeout=120
    )

    # QGIS asks before quitting with tasks running, naming ours.
    [(title, question)] = quit_report["questions"]
    assert title == "Active Tasks"
    assert f"Downloading {aoi['name']} from Pixxel" in question
    assert quit_report["after_first_exit"]["active_tasks"] == 1  # still there: QGIS did not quit
    # "Yes" stops the download at once, stalled read included, and it ends as cancelled.
    assert quit_report["task_error"].startswith("CancelledError(")
    assert quit_report["ended_at"] - quit_report["answered_at"] < 1.0
    assert quit_report["active_tasks"] == 0
    # The second Exit quits, cleanly.
    assert quit_report["about_to_quit"] is True
    assert quit_report["qgis_exit_status"] == 0
    assert _finished_images(downloads) == []
    assert list(downloads.rglob("*.part"))
    assert list(downloads.rglob("*.part.json"))

    sandbox.faults.clear()
    fetched_before = [r for r in sandbox.requests if r.server == "storage"]
    resume_report = desktop_session.run_driver(
        DRIVER, {**orders, "mode": "resume"}, sandbox, tmp_path, timeout=180, restart=True
    )

    assert resume_report["history"] == [{"aoi": aoi["name"], "state": "cancelled"}]
    assert resume_report["button"] == "Resume"
    assert resume_report["resumed"] == {"task_error": "None"}
    assert resume_report["qgis_exit_status"] == 0
    assert _finished_images(downloads)
    assert list(downloads.rglob("*.part")) == []
    # The bytes of the first session were kept: the file is continued, not fetched again.
    resumed = [r for r in sandbox.requests if r.server == "storage"][len(fetched_before):]
    ranges = [r.headers.get("Range", "") for r in resumed if r.method == "GET"]
    assert any(value.startswith("bytes=") and not value.startswith("bytes=0-")
               for value in ranges), ranges


@pytest.mark.parametrize("which", ["saved project", "new project"])
def test_closing_qgis_after_the_panel_listed_asks_nothing(sandbox, tmp_path, monkeypatch, which):
    """With QGIS' questions at close on (its defaults), the outlines layer the panel added raises
    neither "save the project?" nor "temporary layers will be lost", in the user's saved project
    or in the new one QGIS starts with (where it is the first layer and sets the CRS)."""
    # QGIS counts any file under the temporary folder as a temporary layer: the user's project
    # must not be there.
    (tmp_path / "qgis-temp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "qgis-temp"))
    orders = {"mode": "close"}
    if which == "saved project":
        orders["project_folder"] = str(tmp_path / "project")
    report = desktop_session.run_driver(DRIVER, orders, sandbox, tmp_path, timeout=120)
    if which == "saved project":
        assert report["project_modified_when_opened"] is False
    assert report["listed"] == len(sandbox.catalog.aois)
    assert report["outlines"] == report["listed"]
    assert report["questions"] == []
    assert report["about_to_quit"] is True
    assert report["qgis_exit_status"] == 0


def test_a_panel_left_open_outlines_its_aois_after_qgis_started(sandbox, tmp_path):
    """At start-up QGIS restores the open panel, which lists at once, and then starts a new
    project: the outlines must be in that project, not in the one it replaced."""
    first = desktop_session.run_driver(DRIVER, {"mode": "open_panel"}, sandbox, tmp_path,
                                       timeout=120)
    assert first["listed"] == len(sandbox.catalog.aois)

    second = desktop_session.run_driver(DRIVER, {"mode": "restart"}, sandbox, tmp_path,
                                        timeout=120, restart=True)
    assert second["panel_open_at_start"] is True
    assert second["listed"] == len(sandbox.catalog.aois)
    assert second["outlines"] == second["listed"]
    assert second["layers"] == ["Pixxel AOIs"]
    assert second["project_modified"] is False
    assert second["qgis_exit_status"] == 0
