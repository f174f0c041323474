"""`make repository` (scripts/plugin_repository.py) as QGIS' Plugin Manager meets it.

The repository is served over loopback HTTP, as a web server would serve it, and read by QGIS' own
Plugin Manager code (pyplugin_installer, shipped with QGIS): `Repositories.requestFetching` sends
the request through QgsNetworkAccessManager and `xmlDownloaded` parses the answer into the
Plugin Manager's list, exactly the code path of *Reload repository* (it needs no `iface` unless a
repository has an authentication configuration). The default file:// repository goes the same
way. Last, the real QGIS desktop installs the plugin from the served repository with the Plugin
Manager's own install call into a fresh profile (see plugin_manager_driver.py).
"""

import functools
import http.server
import io
import json
import os
import shutil
import sys
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import List

import pytest
from qgis.core import QgsApplication, QgsNetworkAccessManager, QgsSettings
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "scripts"))
import desktop_session  # noqa: E402 - scripts/ is not a package
import plugin_repository  # noqa: E402

PACKAGE = "pixxel_qgis"
REPOSITORY_NAME = "Pixxel test repository"
METADATA = plugin_repository.read_metadata()
VERSION = METADATA["version"]
ZIP_NAME = f"{PACKAGE}.{VERSION}.zip"


@dataclass
class ServedRepository:
    base_url: str
    folder: Path
    requests: List[str] = field(default_factory=list)  # request paths, in order

    @property
    def url(self) -> str:
        return f"{self.base_url}/plugins.xml"


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, served: ServedRepository, **kwargs) -> None:
        self.served = served
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class' name
        self.served.requests.append(self.path)


@pytest.fixture(scope="module")
def served_repository(tmp_path_factory):
    """`make repository --base-url http://127.0.0.1:<port>/pixxel` served from its own folder: a
    base URL with a path, as on a real web server."""
    root = tmp_path_factory.mktemp("web")
    served = ServedRepository("", root / "pixxel")
    handler = functools.partial(_RecordingHandler, served=served, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.base_url = f"http://127.0.0.1:{server.server_address[1]}/pixxel"
    plugin_repository.build_repository(served.folder, served.base_url)
    yield served
    server.shutdown()
    server.server_close()
    thread.join()


# The Plugin Manager's settings the desktop registers in the settings tree (QgsPluginManager, in
# QGIS' app library): name, entry class, default. Kept here once registered: a bare QgsApplication
# has no "plugin-manager" node, and installer_data reads it (Plugins.rebuild() among others).
_PLUGIN_MANAGER_SETTINGS = (
    ("automatically-check-for-updates", "QgsSettingsEntryBool", True),
    ("allow-experimental", "QgsSettingsEntryBool", False),
    ("allow-deprecated", "QgsSettingsEntryBool", False),
    ("check-on-start-last-date", "QgsSettingsEntryVariant", None),
    ("seen-plugins", "QgsSettingsEntryStringList", []),
)
_registered: list = []


def _plugin_manager_node(installer_data):
    """The settings tree node installer_data reads its settings from ("plugin-manager"), registered
    as the desktop does when this QgsApplication lacks it; None when installer_data keeps its
    settings in QgsSettings under `settingsGroup` only (QGIS 3.22)."""
    if not hasattr(installer_data, "QgsSettingsTree"):
        return None
    import qgis.core

    tree = qgis.core.QgsSettingsTree
    node = tree.node("plugin-manager")
    if node is None:
        node = tree.treeRoot().createChildNode("plugin-manager")
        for name, entry, default in _PLUGIN_MANAGER_SETTINGS:
            _registered.append(getattr(qgis.core, entry)(name, node, default))
    return node


def show_experimental_plugins(installer_data, shown) -> None:
    """*Show also experimental plugins* (Plugin Manager → Settings) on or off, or back to its
    default with None, wherever this QGIS keeps it: `<settingsGroup>/allowExperimental` in
    QgsSettings (3.22), the settings tree's plugin-manager/allow-experimental (3.40+, where
    installer_data has no settingsGroup)."""
    group = getattr(installer_data, "settingsGroup", None)
    if group is not None:
        key = f"{group}/allowExperimental"
        if shown is None:
            QgsSettings().remove(key)
        else:
            QgsSettings().setValue(key, shown)
    node = _plugin_manager_node(installer_data)
    if node is not None:
        setting = node.childSetting("allow-experimental")
        if shown is None:
            setting.remove()
        else:
            setting.setValue(shown)


@pytest.fixture
def installer_data(qgis_app, monkeypatch):
    """QGIS' Plugin Manager data module, with this test's repository settings removed after."""
    # Where QGIS itself finds pyplugin_installer (QgsPythonUtils puts it on the path).
    monkeypatch.syspath_prepend(os.path.join(QgsApplication.pkgDataPath(), "python"))
    from pyplugin_installer import installer_data

    _plugin_manager_node(installer_data)
    yield installer_data
    QgsSettings().remove(installer_data.reposGroup)
    show_experimental_plugins(installer_data, None)
    installer_data.plugins.clearRepoCache()
    installer_data.repositories.load()


def _fetch_repository(installer_data, qtbot, url: str) -> dict:
    """What the Plugin Manager does for one repository: its URL from the settings written by
    Settings → Add…, then the request and the parsing of the answer."""
    QgsSettings().setValue(f"{installer_data.reposGroup}/{REPOSITORY_NAME}/url", url)
    repositories = installer_data.repositories
    repositories.load()
    with qtbot.waitSignal(repositories.repositoryFetched, timeout=30_000):
        repositories.requestFetching(REPOSITORY_NAME)
    return repositories.all()[REPOSITORY_NAME]


def _get(qtbot, url: str) -> QNetworkReply:
    """GET through QGIS' network manager, as the Plugin Manager's download dialog does."""
    reply = QgsNetworkAccessManager.instance().get(QNetworkRequest(QUrl(url)))
    with qtbot.waitSignal(reply.finished, timeout=30_000):
        pass
    assert reply.error() == QNetworkReply.NetworkError.NoError, reply.errorString()
    return reply


def _listed_plugin(installer_data) -> dict:
    listed = installer_data.plugins.repoCache.get(REPOSITORY_NAME, [])
    assert [plugin["id"] for plugin in listed] == [PACKAGE]
    return listed[0]


def _packed_metadata(zip_bytes: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return archive.read(f"{PACKAGE}/metadata.txt")


def test_plugin_manager_lists_the_plugin_from_metadata(served_repository, installer_data, qtbot):
    repository = _fetch_repository(installer_data, qtbot, served_repository.url)

    assert repository["state"] == installer_data.Repositories.STATE_LOADED, repository["error"]
    plugin = _listed_plugin(installer_data)
    experimental = METADATA["experimental"].strip().lower() == "true"
    assert plugin["name"] == METADATA["name"]
    assert plugin["version_available"] == VERSION
    assert plugin["experimental"] is experimental
    assert plugin["deprecated"] is False
    assert plugin["download_url"] == f"{served_repository.base_url}/{ZIP_NAME}"
    assert plugin["filename"] == ZIP_NAME
    assert plugin["icon"] == f"{served_repository.base_url}/{PACKAGE}.svg"
    for listed, key in (("description", "description"), ("about", "about"),
                        ("author_name", "author"), ("homepage", "homepage"),
                        ("tracker", "tracker"), ("code_repository", "repository"),
                        ("tags", "tags"), ("category", "category")):
        assert plugin[listed] == METADATA[key].strip(), listed
    # Fetched with QGIS' version appended, as every Plugin Manager request is.
    assert served_repository.requests[-1] == "/pixxel/plugins.xml" + \
        installer_data.repositories.urlParams()


def test_download_url_serves_the_repository_zip(served_repository, installer_data, qtbot):
    _fetch_repository(installer_data, qtbot, served_repository.url)
    plugin = _listed_plugin(installer_data)

    reply = _get(qtbot, plugin["download_url"])

    assert reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute) == 200
    served = bytes(reply.readAll())
    assert served == (served_repository.folder / ZIP_NAME).read_bytes()
    assert _packed_metadata(served) == (REPO_ROOT / "metadata.txt").read_bytes()
    icon = bytes(_get(qtbot, plugin["icon"]).readAll())
    assert icon == (REPO_ROOT / METADATA["icon"]).read_bytes()


def test_experimental_plugin_is_offered_only_when_experimental_plugins_are_shown(
    served_repository, installer_data, qtbot
):
    _fetch_repository(installer_data, qtbot, served_repository.url)
    plugins = installer_data.plugins

    show_experimental_plugins(installer_data, False)
    plugins.rebuild()
    hidden = PACKAGE not in plugins.all()
    show_experimental_plugins(installer_data, True)
    plugins.rebuild()

    assert hidden
    offered = plugins.all()[PACKAGE]
    assert offered["status_exp"] == "not installed"
    assert offered["version_available_experimental"] == VERSION
    assert offered["download_url_experimental"] == f"{served_repository.base_url}/{ZIP_NAME}"


def test_default_file_url_repository_works_without_a_server(tmp_path, installer_data, qtbot):
    xml_path = plugin_repository.build_repository(tmp_path / "repository")

    repository = _fetch_repository(installer_data, qtbot, xml_path.as_uri())

    assert repository["state"] == installer_data.Repositories.STATE_LOADED, repository["error"]
    plugin = _listed_plugin(installer_data)
    assert plugin["download_url"] == (tmp_path / "repository" / ZIP_NAME).as_uri()
    served = bytes(_get(qtbot, plugin["download_url"]).readAll())
    assert served == (tmp_path / "repository" / ZIP_NAME).read_bytes()


def test_rebuilding_keeps_only_the_current_version(tmp_path):
    folder = tmp_path / "repository"
    folder.mkdir()
    (folder / f"{PACKAGE}.0.0.1.zip").write_bytes(b"an older release")
    (folder / "notes.txt").write_text("not ours", encoding="utf-8")

    plugin_repository.build_repository(folder, "http://localhost:8000")

    assert sorted(path.name for path in folder.iterdir()) == sorted(
        ["notes.txt", ZIP_NAME, f"{PACKAGE}.svg", "plugins.xml"]
    )


# --- the real Plugin Manager in the real desktop ------------------------------------------------

needs_desktop = pytest.mark.skipif(
    shutil.which("qgis") is None or shutil.which("xvfb-run") is None,
    reason="needs the qgis desktop and xvfb-run (make setup installs both)",
)


@pytest.fixture(scope="module")
def desktop_install(served_repository, tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("plugin-manager")
    profile = work / "profiles" / "default"
    (profile / "QGIS").mkdir(parents=True)
    # A fresh profile with no plugin installed; the driver leaves a scratch project behind.
    (profile / "QGIS" / "QGIS3.ini").write_text(
        "[qgis]\naskToSaveProjectChanges=false\n", encoding="utf-8"
    )
    report_path = work / "report.json"
    orders = work / "orders.json"
    orders.write_text(json.dumps({
        "repository_name": REPOSITORY_NAME, "repository_url": served_repository.url,
        "report": str(report_path),
    }), encoding="utf-8")
    env = {
        **os.environ,
        "QGIS_AUTH_DB_DIR_PATH": str(profile),  # the profile's own auth DB: never the user's
        "PIXXEL_DESKTOP_ORDERS": str(orders),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO_ROOT / "scripts"), os.environ.get("PYTHONPATH")])
        ),
    }
    env.pop("QT_QPA_PLATFORM", None)  # a real desktop on a virtual X display
    earlier_requests = len(served_repository.requests)
    command = ["xvfb-run", "-a", "-s", desktop_session.SCREEN, "qgis", "--noversioncheck",
               "--nologo", "--profiles-path", str(work),
               "--code", str(Path(__file__).with_name("plugin_manager_driver.py"))]
    status, output = desktop_session.run_in_process_group(command, env, timeout=240)
    assert report_path.is_file(), f"QGIS wrote no report (exit {status}):\n{output[-3000:]}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert "error" not in report, report["error"]
    report["profile"] = str(profile)
    report["requests"] = served_repository.requests[earlier_requests:]
    return report


@needs_desktop
def test_plugin_manager_lists_the_repository_in_the_desktop(desktop_install, served_repository):
    assert desktop_install["repository_error"] == ""
    listed = desktop_install["listed"]
    assert listed["zip_repository"] == REPOSITORY_NAME
    assert listed["version_available_experimental"] == VERSION
    assert listed["download_url_experimental"] == f"{served_repository.base_url}/{ZIP_NAME}"
    assert listed["status_exp"] == "not installed"


@needs_desktop
def test_plugin_manager_installs_and_starts_the_plugin(desktop_install):
    installed = desktop_install["installed"]
    assert installed["folder"] == str(
        Path(desktop_install["profile"]) / "python" / "plugins" / PACKAGE
    )
    assert installed["metadata_version"] == VERSION
    assert installed["status_exp"] == "installed"
    assert installed["version_installed"] == VERSION
    assert installed["active"]
    assert installed["enabled_setting"]
    assert installed["docks"] == ["PixxelDock", "PixxelSpectralProfile"]
    assert installed["toolbar_actions"] == ["PixxelToggleDock", "PixxelSpectralProfile"]
    assert desktop_install["requests"] == [
        "/pixxel/plugins.xml" + desktop_install["url_params"], f"/pixxel/{ZIP_NAME}"
    ]
