"""Runs inside a real QGIS desktop (`qgis --code`, started by test_plugin_repository.py): adds the
repository named in the orders as *Plugins → Manage and Install Plugins → Settings → Add…* does,
lets QGIS' Plugin Manager fetch it and install the plugin from it, and reports what it saw.

Not a test module. Orders (in_qgis / desktop_session conventions): repository_name,
repository_url, report.
"""

import configparser
from pathlib import Path

import in_qgis
import pyplugin_installer
import qgis.utils
from pyplugin_installer.installer_data import (
    officialRepo,
    plugins,
    reposGroup,
    repositories,
    settingsGroup,
)
from qgis.core import QgsSettings
from qgis.PyQt.QtWidgets import QDockWidget, QToolBar

PACKAGE = "pixxel_qgis"
LISTED_KEYS = ("name", "version_available", "version_available_experimental", "experimental",
               "download_url", "download_url_experimental", "status", "status_exp", "filename",
               "zip_repository")


def _add_repository(name: str, url: str) -> None:
    settings = QgsSettings()
    # plugins.qgis.org is out of reach here, and a repository failing beside one that loads makes
    # the Plugin Manager stop at a modal "Error reading repository" box: switch it off, as a user
    # without internet access would.
    settings.setValue(f"{reposGroup}/{officialRepo[0]}/url", officialRepo[1])
    settings.setValue(f"{reposGroup}/{officialRepo[0]}/enabled", False)
    settings.setValue(f"{reposGroup}/{name}/url", url)
    settings.setValue(f"{reposGroup}/{name}/enabled", True)
    # "Show also experimental plugins": the plugin is marked experimental.
    settings.setValue(f"{settingsGroup}/allowExperimental", True)


def _installed_state() -> dict:
    main_window = qgis.utils.iface.mainWindow()
    folder = Path(qgis.utils.home_plugin_path) / PACKAGE
    metadata = configparser.ConfigParser(interpolation=None)
    metadata.read(folder / "metadata.txt", encoding="utf-8")
    entry = plugins.all().get(PACKAGE, {})
    return {
        "folder": str(folder),
        "metadata_version": metadata.get("general", "version", fallback=None),
        "active": PACKAGE in qgis.utils.active_plugins,
        "enabled_setting": QgsSettings().value(f"PythonPlugins/{PACKAGE}", False, type=bool),
        "docks": [d.objectName() for d in main_window.findChildren(QDockWidget)
                  if d.objectName().startswith("Pixxel")],
        "toolbar_actions": [action.objectName() for toolbar in main_window.findChildren(QToolBar)
                            for action in toolbar.actions()
                            if action.objectName().startswith("Pixxel")],
        "status_exp": entry.get("status_exp"),
        "version_installed": entry.get("version_installed"),
    }


def _install(orders: dict) -> dict:
    _add_repository(orders["repository_name"], orders["repository_url"])
    installer = pyplugin_installer.instance()
    # What the Plugin Manager's "Reload all repositories" runs: the fetching dialog is modal and
    # closes itself once every enabled repository has answered.
    installer.fetchAvailablePlugins(True)
    repository = repositories.all()[orders["repository_name"]]
    listed = plugins.all().get(PACKAGE, {})
    report = {
        "repository_state": repository["state"],
        "repository_error": repository["error"],
        "url_params": repositories.urlParams(),
        "listed": {key: listed.get(key) for key in LISTED_KEYS},
    }
    if listed:
        # The "Install Experimental Plugin" button: QgsPluginManager runs exactly this call. Its
        # download dialog is modal too and closes when the zip is unpacked.
        installer.installPlugin(PACKAGE, stable=False)
        report["installed"] = _installed_state()
    return report


in_qgis.run_and_report(_install)
