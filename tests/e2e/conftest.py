"""The end-to-end tier: the packaged plugin, deployed into a throw-away QGIS profile, run by
qgis_process against the sandbox. No QGIS in the test process itself: run with
`-p no:pytest_qgis -p no:pytest-qt`."""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# Debian's /usr/bin/qgis_process wrapper always fails (QGIS bug 57683): the binary itself works.
QGIS_PROCESS = Path("/usr/bin/qgis_process.bin")
PLUGIN = "pixxel_qgis"
RUN_TIMEOUT = 120


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> dict:
        # qgis_process prints a JSON document on stdout; anything QGIS says goes to stderr.
        return json.loads(self.stdout)


class QgisProcess:
    """qgis_process.bin with an isolated profile (config, auth DB) and a given environment."""

    def __init__(self, config_dir: Path, auth_dir: Path) -> None:
        self.config_dir = config_dir
        self.auth_dir = auth_dir

    def env(self, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
        env = {
            key: value for key, value in os.environ.items() if not key.startswith("PIXXEL_")
        }
        env.update(
            QT_QPA_PLATFORM="offscreen",
            QGIS_CUSTOM_CONFIG_PATH=str(self.config_dir),
            QGIS_AUTH_DB_DIR_PATH=str(self.auth_dir),
        )
        env.update(extra or {})
        return env

    def __call__(self, args: List[str], env: Optional[Dict[str, str]] = None) -> Outcome:
        done = subprocess.run(
            [str(QGIS_PROCESS), *args], env=self.env(env), capture_output=True, text=True,
            timeout=RUN_TIMEOUT, check=False,
        )
        return Outcome(done.returncode, done.stdout, done.stderr)

    def run(self, algorithm: str, parameters: Dict[str, str], env: Dict[str, str]) -> Outcome:
        pairs = [f"{name}={value}" for name, value in parameters.items()]
        return self(["--json", "run", algorithm, "--", *pairs], env)

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "profiles" / "default" / "QGIS" / "QGIS3.ini"


def features(path: str) -> List[dict]:
    """The features of a vector output as {field: value, "geometry_type": name or None}."""
    from osgeo import ogr

    source = ogr.Open(path)
    layer = source.GetLayer(0)
    definition = layer.GetLayerDefn()
    names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    found = []
    for feature in layer:
        row = {name: feature.GetField(name) for name in names}
        geometry = feature.GetGeometryRef()
        row["geometry_type"] = geometry.GetGeometryName() if geometry else None
        found.append(row)
    return found


@pytest.fixture(scope="session")
def qgis_process(tmp_path_factory) -> QgisProcess:
    """The plugin zip built as `make package` builds it, installed as `make deploy` installs it,
    and enabled the way a headless user enables it."""
    if not QGIS_PROCESS.exists():
        pytest.skip(f"{QGIS_PROCESS} is not installed (make setup installs QGIS)")
    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    try:
        import deploy
        import package
    finally:
        sys.path.pop(0)
    root = tmp_path_factory.mktemp("qgis-e2e")
    archive = package.build(root / "dist" / f"{PLUGIN}.zip")
    config_dir = root / "config"
    deploy.deploy(archive, config_dir / "profiles" / "default")
    runner = QgisProcess(config_dir, root / "auth")
    runner.auth_dir.mkdir()
    enabled = runner(["plugins", "enable", PLUGIN])
    assert enabled.returncode == 0, enabled.output
    return runner


@pytest.fixture
def pixxel_env(sandbox) -> Dict[str, str]:
    return {"PIXXEL_API_URL": sandbox.api_url, "PIXXEL_API_KEY": sandbox.api_key}
