"""Facts about the installed plugin read from its own folder (no Qt, no QGIS)."""

import configparser
from functools import lru_cache
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parents[2]
PLUGIN_NAME = "Pixxel"


@lru_cache(maxsize=1)
def metadata() -> configparser.SectionProxy:
    # interpolation=None: the about text may contain '%' and must be read verbatim.
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(PLUGIN_DIR / "metadata.txt", encoding="utf-8")
    return parser["general"]


def version() -> str:
    return metadata()["version"]


def resource_path(name: str) -> str:
    """Absolute path of a file in resources/ (icons are loaded by path: no Qt resource system)."""
    return str(PLUGIN_DIR / "resources" / name)
