"""Fixtures shared by every test tier: the plugin importable as `pixxel_qgis`, and the sandbox."""

import os
import sys
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
PLUGIN_PACKAGE = "pixxel_qgis"


def _plugin_parent_dir() -> Path:
    # The repository root *is* the plugin folder, whatever the clone is called; QGIS imports it as
    # `pixxel_qgis`, so tests see it under that name through a symlink in a throw-away folder.
    parent = Path(tempfile.mkdtemp(prefix="pixxel-plugins-"))
    (parent / PLUGIN_PACKAGE).symlink_to(REPO_ROOT, target_is_directory=True)
    return parent


PLUGINS_DIR = _plugin_parent_dir()
sys.path.insert(0, str(PLUGINS_DIR))


@pytest.fixture(scope="session")
def plugins_dir() -> Path:
    """A folder holding the plugin as `pixxel_qgis`, usable as a QGIS plugin path."""
    return PLUGINS_DIR


@pytest.fixture(scope="session")
def sandbox_session(tmp_path_factory):
    from sandbox import Sandbox, SandboxConfig

    # PIXXEL_SANDBOX_DATA lets repeated local runs reuse generated products; CI starts empty.
    data_dir = os.environ.get("PIXXEL_SANDBOX_DATA") or tmp_path_factory.mktemp("sandbox-data")
    config = SandboxConfig(data_dir=Path(data_dir), product_size="tiny")
    with Sandbox(config) as running:
        yield running


@pytest.fixture
def sandbox(sandbox_session):
    """The session's sandbox, reset to a fresh state (no faults, downloads or request log)."""
    sandbox_session.reset()
    yield sandbox_session
    sandbox_session.reset()
