"""Runs inside a real QGIS desktop (`qgis --code`, started by test_plugin_repository.py): adds the
repository named in the orders as *Plugins → Manage and Install Plugins → Settings → Add…* does,
lets QGIS' Plugin Manager fetch it and install the plugin from it, and reports what it saw.

Not a test module. Orders (in_qgis / desktop_session conventions): repository_name,
repository_url, report.
"""

import configparser
from pathlib import Path

import in_qgis

# Everything QGIS-version dependent is imported inside _install: an import that fails there (as
# `settingsGroup` did on QGIS 3.40) is reported like any other failure and QGIS quits, where a
# failure here, before run_and_report, left the desktop open until the test's time-out.

PACKAGE = "pixxel_qgis"
LISTED_KEYS = ("name", "version_available", "version_available_experimental", "experimental",
               "download_url", "download_url_experimental", "status", "status_exp", "filename",
               "zip_repository")


def _add_repository(name: str, url: str) -> None:
    from pyplugin_installer import installer_data
    from qgis.core import QgsSettings

    settings = QgsSettings()
    repos = installer_data.reposGroup
    official = installer_data.officialRepo
    # plugins.qgis.org is out of reach here, and a repository failing beside one that loads makes
    # the Plugin Manager stop at a modal "Error reading repository" box: switch it off, as a user
    # without internet access would.
    settings.setValue(f"{repos}/{official[0]}/url", official[1])
    settings.setValue(f"{repos}/{official[0]}/enabled", False)
    settings.setValue(f"{repos}/{name}/url", url)
    settings.setValue(f"{repos}/{name}/enabled", True)
    _show_experimental_plugins(installer_data)


def _show_experimental_plugins(installer_data) -> None:
    """"Show also experimental plugins" (the plugin is marked experimental), wherever this QGIS
    keeps it: `<settingsGroup>/allowExperimental` in QgsSettings (3.22), the settings tree's
    plugin-manager/allow-experimental (3.40+, where installer_data has no settingsGroup)."""
    from qgis.core import QgsSettings

    group = getattr(installer_data, "settingsGroup", None)
    if group is not None:
        QgsSettings().setValue(f"{group}/allowExperimental", True)
    if hasattr(installer_data, "QgsSettingsTree"):
        node = installer_data.QgsSettingsTree.node("plugin-manager")
        if node is None:
            raise RuntimeError("the desktop has no plugin-manager settings node")
        node.childSetting("allow-experimental").setValue(True)


def _installed_state() -> dict:
    import qgis.utils
    from pyplugin_installer.installer_data import plugins
    from qgis.core import QgsSettings
    from qgis.PyQt.QtWidgets import QDockWidget, QToolBar

    main_window = qgis.utils.iface.mainWindow()
    # Where the Plugin Manager installs: qgis.utils.home_plugin_path up to 3.3x, HOME_PLUGIN_PATH
    # since (3.40 has only that one).
    home = getattr(qgis.utils, "HOME_PLUGIN_PATH", None) or qgis.utils.home_plugin_path
    folder = Path(home) / PACKAGE
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
    import pyplugin_installer
    from pyplugin_installer.installer_data import plugins, repositories

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
