"""The packaged plugin in the real QGIS desktop application (under Xvfb), as a user installs it."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    shutil.which("qgis") is None or shutil.which("xvfb-run") is None,
    reason="needs the qgis desktop and xvfb-run (make setup installs both)",
)


def _run(script: str, *args: str, env=None) -> None:
    command = [sys.executable, str(REPO_ROOT / "scripts" / script), *args]
    subprocess.run(command, check=True, env=env)


@pytest.fixture(scope="module")
def desktop_report(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("desktop")
    archive = work / "pixxel_qgis.zip"
    _run("package.py", str(archive))
    profiles = work / "profiles"
    _run("deploy.py", str(archive), env={**os.environ, "QGIS_PROFILES": str(profiles)})
    settings = profiles / "default" / "QGIS" / "QGIS3.ini"
    settings.parent.mkdir(parents=True)
    # What the Plugin Manager writes when the user ticks the plugin.
    settings.write_text("[PythonPlugins]\npixxel_qgis=true\n", encoding="utf-8")

    report_path = work / "report.json"
    env = {**os.environ, "PIXXEL_PROBE_OUT": str(report_path), "PIXXEL_REPO_ROOT": str(REPO_ROOT)}
    env.pop("QT_QPA_PLATFORM", None)  # a real desktop on a virtual X display
    completed = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "qgis", "--noversioncheck", "--nologo",
         "--profiles-path", str(work), "--code", str(Path(__file__).with_name("desktop_probe.py"))],
        env=env, capture_output=True, text=True, timeout=180, check=False,
    )
    assert report_path.is_file(), completed.stdout[-2000:] + completed.stderr[-2000:]
    return json.loads(report_path.read_text(encoding="utf-8"))


def test_installed_plugin_starts_with_qgis(desktop_report):
    assert "error" not in desktop_report, desktop_report.get("error")
    started = desktop_report["states"][0]
    assert started["active"]
    assert started["docks"] == ["PixxelDock", "PixxelSpectralProfile"]
    assert started["toolbar_actions"] == ["PixxelToggleDock", "PixxelSpectralProfile"]
    assert "&Pixxel" in started["web_menu"]
    assert started["provider"]


def test_unload_leaves_nothing_and_reload_restores_everything(desktop_report):
    started, unloaded, reloaded = desktop_report["states"]
    assert desktop_report["unloaded"]
    assert desktop_report["reloaded"]
    assert unloaded == {
        "active": False, "docks": [], "toolbar_actions": [],
        "web_menu": [m for m in started["web_menu"] if m != "&Pixxel"], "provider": False,
    }
    assert reloaded == started


def test_the_layers_panel_shows_new_imagery_unfolded_and_its_mask_folded(desktop_report):
    """The view's folding, not only the nodes': the desktop's layer tree view once showed the
    mask's fifteen classes although its node said folded."""
    assert desktop_report["folding"] == {
        "group": {"node": True, "view": True},
        "image": {"node": True, "view": True},
        "mask": {"node": False, "view": False},
    }



def test_a_spectral_image_has_the_band_combination_submenu(desktop_report):
    """QGIS 3.22's own Layers panel menu, built from the plugin's custom layer action."""
    menu = desktop_report["band_combination_menu"]
    assert menu["entry"]
    presets = dict(menu["presets"])
    assert list(presets) == [
        "True colour", "Colour infrared", "Short-wave infrared", "Red edge", "Agriculture",
        "Vegetation analysis", "Custom…",
    ]
    assert presets["True colour"]
    assert not presets["Short-wave infrared"]  # the sandbox's TD-1 sees no SWIR
