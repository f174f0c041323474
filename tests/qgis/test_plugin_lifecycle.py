"""The plugin loads, unloads and loads again through QGIS' own plugin machinery (qgis.utils)."""

import logging
import sys
import threading
import time

import pytest
import qgis.utils
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QDockWidget

PACKAGE = "pixxel_qgis"


def _flush_deferred_deletes() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def _pixxel_docks(desktop):
    docks = desktop.main_window.findChildren(QDockWidget)
    return [dock for dock in docks if dock.objectName() == "PixxelDock"]


def _pixxel_spectral_profile_docks(desktop):
    docks = desktop.main_window.findChildren(QDockWidget)
    return [dock for dock in docks if dock.objectName() == "PixxelSpectralProfile"]


def _pixxel_toolbar_actions(desktop):
    return [a for a in desktop.web_toolbar.actions() if a.objectName() == "PixxelToggleDock"]


def _make_available(plugins_dir) -> None:
    # What QGIS does at start-up: scan the plugin paths, so its import hook tracks our modules.
    if str(plugins_dir) not in qgis.utils.plugin_paths:
        qgis.utils.plugin_paths.append(str(plugins_dir))
    qgis.utils.updateAvailablePlugins()
    assert PACKAGE in qgis.utils.available_plugins


def _start(plugins_dir) -> None:
    _make_available(plugins_dir)
    assert qgis.utils.loadPlugin(PACKAGE)
    assert qgis.utils.startPlugin(PACKAGE)
    assert qgis.utils.isPluginLoaded(PACKAGE)


def _assert_installed(desktop) -> None:
    assert len(_pixxel_docks(desktop)) == 1
    assert len(_pixxel_spectral_profile_docks(desktop)) == 1
    assert len(_pixxel_toolbar_actions(desktop)) == 1
    submenu = desktop.plugin_submenu("&Pixxel")
    assert submenu is not None
    assert [a.objectName() for a in submenu.actions()] == [
        "PixxelToggleDock", "PixxelSpectralProfile"
    ]
    assert QgsApplication.processingRegistry().providerById("pixxel") is not None
    assert [factory.title() for factory in desktop.options_factories] == ["Pixxel"]
    assert [entry[0].objectName() for entry in desktop.custom_layer_actions] == [
        "PixxelBandCombination"
    ]
    assert _pixxel_log_handlers()


def _pixxel_log_handlers():
    return [h for h in logging.getLogger("pixxel").handlers if type(h).__name__ == "QgisLogHandler"]


def _plugin_module_names():
    return [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]


@pytest.fixture(scope="module", autouse=True)
def _plugin_imported_as_at_qgis_start():
    """These tests see the plugin as QGIS does at start-up: none of its modules imported yet, so
    QGIS' import hook tracks every one and an unload removes them all. Other test modules imported
    the plugin when they were collected, outside that hook: left in place, some of their modules
    would survive an unload and mix with fresh copies of the others (a CancelledError of one copy
    is no PixxelError of the other). Their modules are put back afterwards."""
    saved = {name: sys.modules.pop(name) for name in _plugin_module_names()}
    yield
    for name in _plugin_module_names():
        del sys.modules[name]
    sys.modules.update(saved)


_threads_before: set = set()


@pytest.fixture(autouse=True)
def _remember_threads():
    """Other tests' copies of the plugin modules may keep their own idle threads: only threads
    started during the test count."""
    _threads_before.clear()
    _threads_before.update(threading.enumerate())


def _pixxel_threads() -> list:
    """The plugin's own threads started by the test and still running (cancel watchers, hash
    and job threads)."""
    return [
        t.name for t in threading.enumerate()
        if t.name.startswith("pixxel-") and t.is_alive() and t not in _threads_before
    ]


def _assert_nothing_left(desktop) -> None:
    _flush_deferred_deletes()
    assert _pixxel_docks(desktop) == []
    assert _pixxel_spectral_profile_docks(desktop) == []
    assert _pixxel_toolbar_actions(desktop) == []
    assert desktop.plugin_submenu("&Pixxel") is None
    assert QgsApplication.processingRegistry().providerById("pixxel") is None
    assert desktop.options_factories == []
    assert desktop.custom_layer_actions == []
    assert _pixxel_log_handlers() == []
    assert _pixxel_threads() == []
    # QGIS forgets the modules it saw imported, so the next load runs fresh code. (It keeps bare
    # parent packages such as pixxel_qgis.core, as it does for every plugin: they hold no state.)
    assert f"{PACKAGE}.plugin" not in sys.modules


def test_load_unload_reload_leaves_nothing_behind(desktop_iface, plugins_dir):
    loaded_plugin_modules = []
    for _ in range(2):
        _start(plugins_dir)
        _assert_installed(desktop_iface)
        loaded_plugin_modules.append(sys.modules[f"{PACKAGE}.plugin"])
        assert qgis.utils.unloadPlugin(PACKAGE)
        _assert_nothing_left(desktop_iface)
    assert loaded_plugin_modules[0] is not loaded_plugin_modules[1]


def test_toolbar_button_toggles_the_dock(desktop_iface, plugins_dir):
    _start(plugins_dir)
    try:
        desktop_iface.main_window.show()
        action = _pixxel_toolbar_actions(desktop_iface)[0]
        dock = _pixxel_docks(desktop_iface)[0]
        assert not dock.isVisible()
        action.trigger()
        assert dock.isVisible()
        assert action.isChecked()
        dock.close()
        assert not action.isChecked()
    finally:
        assert qgis.utils.unloadPlugin(PACKAGE)


def test_processing_only_start_as_qgis_process_does(plugins_dir):
    """qgis_process calls classFactory(None) then initProcessing(): no GUI may be touched."""
    _make_available(plugins_dir)
    assert qgis.utils.loadPlugin(PACKAGE)
    saved_iface = qgis.utils.iface
    qgis.utils.iface = None
    try:
        assert qgis.utils.startProcessingPlugin(PACKAGE)
        assert QgsApplication.processingRegistry().providerById("pixxel") is not None
    finally:
        qgis.utils.iface = saved_iface
        assert qgis.utils.unloadPlugin(PACKAGE)
    assert QgsApplication.processingRegistry().providerById("pixxel") is None


def test_unloading_mid_download_cancels_it_and_reloads_cleanly(
    desktop_iface, plugins_dir, sandbox, tmp_path, qtbot
):
    """QGIS closing (or the user disabling the plugin) while a file is on its way: no crash, the
    task stops, only resumable .part files stay, and the plugin comes back cleanly."""
    _start(plugins_dir)
    plugin = qgis.utils.plugins[PACKAGE]
    tasks = sys.modules[f"{PACKAGE}.core.qgis.tasks"]
    connections = sys.modules[f"{PACKAGE}.core.qgis.connection"]
    download = sys.modules[f"{PACKAGE}.core.download.job"]
    errors = sys.modules[f"{PACKAGE}.core.pixxel.errors"]
    aoi = sandbox.catalog.aoi_at(0)
    assets = [a["id"] for a in sandbox.catalog.assets(aoi["aoi_id"]) if a["status"] == "success"]
    # The first bytes arrive, then storage stalls: the unload lands mid-transfer.
    sandbox.faults.add("storage", "stall", at=0.3, seconds=30, times=None)
    connection = connections.Connection(api_key=sandbox.api_key, base_url=sandbox.api_url)
    job = download.DownloadJob(aoi["aoi_id"], tuple(assets), tmp_path, aoi_name=aoi["name"])
    task = tasks.DownloadTask(connection, job, load_layers=False)
    assert plugin.registry.start(task)
    qtbot.waitUntil(
        lambda: any(r.server == "storage" for r in sandbox.requests), timeout=10_000
    )
    started = time.monotonic()
    assert qgis.utils.unloadPlugin(PACKAGE)
    # The cancel shuts the stalled read down: unload does not sit out its 5 s wait, and the task
    # ended (as cancelled) while the plugin was still loaded, not later in QGIS' hands.
    assert time.monotonic() - started < 2.0
    assert isinstance(task.error, errors.CancelledError)
    _assert_nothing_left(desktop_iface)
    finals = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in (".tif", ".zip")]
    assert finals == []
    assert list(tmp_path.rglob("*.part.json")), "the resumable state of the transfer is kept"
    _start(plugins_dir)
    _assert_installed(desktop_iface)
    assert qgis.utils.unloadPlugin(PACKAGE)
