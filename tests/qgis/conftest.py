"""Fixtures for the real-QGIS tier (pytest-qgis, offscreen, isolated profile and auth DB)."""

import os
import sys
import tempfile
from pathlib import Path

import pytest

# Must be in place before pytest-qgis creates the QgsApplication in pytest_configure: this module
# is an initial conftest, imported before that hook runs. pytest-qgis isolates the profile itself.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QGIS_AUTH_DB_DIR_PATH"] = tempfile.mkdtemp(prefix="pixxel-qgis-auth-")

# A throw-away auth DB made for this session only.
TEST_MASTER_PASSWORD = "pixxel-tests-master"  # noqa: S105  # pragma: allowlist secret


@pytest.fixture(scope="session")
def auth_manager(qgis_app):
    from qgis.core import QgsApplication

    manager = QgsApplication.authManager()
    assert manager.authenticationDatabasePath().startswith(os.environ["QGIS_AUTH_DB_DIR_PATH"])
    assert manager.setMasterPassword(TEST_MASTER_PASSWORD, True)
    return manager


@pytest.fixture
def desktop_iface(qgis_iface, monkeypatch):
    """An iface whose Web menu, Web toolbar, docks and message bar are real widgets in a real main
    window, so tests can look for leftovers the way a user would see them."""
    import qgis.utils

    from .desktop_iface import DesktopIface

    iface = DesktopIface(qgis_iface)
    monkeypatch.setattr(qgis.utils, "iface", iface)
    yield iface
    iface.close()


@pytest.fixture
def project(qgis_app):
    """The project, empty before and after the test. (A fixture here may import from qgis but not
    from pixxel_qgis: the lifecycle tests unload the plugin, after which an import gives a new
    copy of its modules, whose classes are not those the test modules imported.)"""
    from qgis.core import QgsProject

    project = QgsProject.instance()
    project.clear()
    yield project
    # A raster layer still alive at exitQgis() crashes the interpreter.
    project.clear()


@pytest.fixture
def english_plurals(qgis_app, tmp_path):
    """The English plural forms ("30 AOIs", "1 image") installed as the plugin installs them in
    an English QGIS; without them Qt shows the source texts ("30 AOI(s)")."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    repo_root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(repo_root / "scripts"))
    try:
        import package  # compiles .ts files as `make package` does for the zip
    finally:
        sys.path.remove(str(repo_root / "scripts"))
    compiled = package.compile_qm(repo_root / "i18n" / "pixxel_qgis_en.ts",
                                  tmp_path / "pixxel_qgis_en.qm")
    translator = QTranslator()
    assert translator.load(str(compiled))
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


@pytest.fixture
def pixxel(provider, sandbox, monkeypatch):
    """The Pixxel algorithms (each module's `provider`) pointed at a fresh sandbox through the
    environment, as headless runs are."""
    import qgis.utils
    from qgis.core import QgsProject
    from qgis.PyQt.QtCore import QCoreApplication

    monkeypatch.setenv("PIXXEL_API_URL", sandbox.api_url)
    monkeypatch.setenv("PIXXEL_API_KEY", sandbox.api_key)
    yield sandbox
    # Loading layers zooms pytest-qgis' canvas, which then renders them in background threads:
    # removing the layers under a running render crashes QGIS 3.22 at random.
    canvas = qgis.utils.iface.mapCanvas()
    QCoreApplication.processEvents()
    canvas.waitWhileRendering()
    QgsProject.instance().clear()
