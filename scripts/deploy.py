"""Install the packaged plugin into a QGIS user profile, replacing an older copy.

    python scripts/deploy.py dist/pixxel_qgis.zip
Environment: PROFILE (default "default"),
             QGIS_PROFILES (default ~/.local/share/QGIS/QGIS3/profiles).
"""

import os
import shutil
import sys
import zipfile
from pathlib import Path

PLUGIN_FOLDER = "pixxel_qgis"


def profiles_dir() -> Path:
    configured = os.environ.get("QGIS_PROFILES")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".local/share/QGIS/QGIS3/profiles"


def deploy(archive_path: Path, profile_dir: Path) -> Path:
    plugins_dir = profile_dir / "python" / "plugins"
    plugins_dir.mkdir(parents=True, exist_ok=True)
    target = plugins_dir / PLUGIN_FOLDER
    # Unpack beside the target first so a failed unpack never leaves a half-installed plugin.
    staging = plugins_dir / f".{PLUGIN_FOLDER}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(archive_path) as archive:
        archive.extractall(staging)  # noqa: S202 - our own freshly built zip
    shutil.rmtree(target, ignore_errors=True)
    (staging / PLUGIN_FOLDER).rename(target)
    staging.rmdir()
    return target


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    profile = os.environ.get("PROFILE") or "default"
    target = deploy(Path(sys.argv[1]), profiles_dir() / profile)
    print(f"Installed into {target}")
    print("Enable it in QGIS: Plugins > Manage and Install Plugins > Installed > Pixxel.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
