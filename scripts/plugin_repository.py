"""Build a QGIS plugin repository: the folder a Plugin Manager can install the plugin from.

    python scripts/plugin_repository.py [--output dist/repository] [--base-url URL]

Writes into the output folder (default dist/repository):
  plugins.xml                 what QGIS' Plugin Manager reads (pyplugin_installer's
                              Repositories.xmlDownloaded): one <pyqgis_plugin>, its values taken
                              from metadata.txt
  pixxel_qgis.<version>.zip   the plugin zip, built by scripts/package.py
  pixxel_qgis.svg             the icon the Plugin Manager shows beside the description

In QGIS: Plugins > Manage and Install Plugins > Settings > Add..., URL `<base URL>/plugins.xml`.

`--base-url` is where the folder's files will be reachable: plugins.xml names the zip and the icon
by absolute URLs under it. The default is the output folder's own file:// URL, which QGIS reads
directly on this computer, no server needed. To serve the folder, e.g. to other machines:

    python scripts/plugin_repository.py --base-url http://localhost:8000
    python3 -m http.server --directory dist/repository 8000

The zip's name carries the version, as on plugins.qgis.org: QGIS caches downloads by URL, so a new
version must not reuse the old one's address. Zips of other versions are removed from the folder,
which only ever offers the current one.
"""

import argparse
import configparser
import shutil
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping, Optional

import package

ROOT = package.ROOT
DEFAULT_OUTPUT = ROOT / "dist" / "repository"
XML_NAME = "plugins.xml"
ICON_NAME = f"{package.PLUGIN_FOLDER}.svg"

# <pyqgis_plugin> child element -> metadata.txt key, in plugins.qgis.org's order. QGIS takes the
# plugin's folder name from <file_name> (up to its first dot), so the zip name starts with it.
METADATA_ELEMENTS = (
    ("description", "description"),
    ("about", "about"),
    ("version", "version"),
    ("qgis_minimum_version", "qgisMinimumVersion"),
    ("qgis_maximum_version", "qgisMaximumVersion"),
    ("homepage", "homepage"),
    ("author_name", "author"),
    ("author_email", "email"),
    ("uploaded_by", "author"),
    ("experimental", "experimental"),
    ("deprecated", "deprecated"),
    ("tracker", "tracker"),
    ("repository", "repository"),
    ("tags", "tags"),
    ("category", "category"),
    ("changelog", "changelog"),
    ("server", "server"),
)


def read_metadata(root: Path = ROOT) -> Mapping[str, str]:
    """metadata.txt's [general] section, multi-line values joined by newlines as QGIS reads them."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys as written: qgisMinimumVersion, not qgisminimumversion
    parser.read(root / "metadata.txt", encoding="utf-8")
    return dict(parser["general"])


def zip_name(version: str) -> str:
    return f"{package.PLUGIN_FOLDER}.{version}.zip"


def plugins_xml(metadata: Mapping[str, str], base_url: str, built_at: datetime) -> bytes:
    """The repository document for one plugin whose zip and icon are under `base_url`."""
    base = base_url.rstrip("/")
    file_name = zip_name(metadata["version"])
    plugin = ET.Element("pyqgis_plugin", name=metadata["name"], version=metadata["version"])
    values = {element: metadata.get(key, "") for element, key in METADATA_ELEMENTS}
    values.update(
        file_name=file_name,
        download_url=f"{base}/{file_name}",
        icon=f"{base}/{ICON_NAME}",
        # One build is this repository's only upload, so it is both the first and the latest.
        create_date=built_at.isoformat(timespec="seconds"),
        update_date=built_at.isoformat(timespec="seconds"),
    )
    for element, value in values.items():
        ET.SubElement(plugin, element).text = value.strip()
    document = ET.Element("plugins")
    document.append(plugin)
    ET.indent(document)
    return ET.tostring(document, encoding="UTF-8", xml_declaration=True) + b"\n"


def build_repository(output: Path = DEFAULT_OUTPUT, base_url: Optional[str] = None,
                     root: Path = ROOT) -> Path:
    """Write the repository into `output` (see the module docstring); returns plugins.xml."""
    output = output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    metadata = read_metadata(root)
    archive = zip_name(metadata["version"])
    for stale in output.glob(zip_name("*")):
        if stale.name != archive:
            stale.unlink()
    package.build(output / archive, root)
    shutil.copyfile(root / metadata["icon"], output / ICON_NAME)
    document = plugins_xml(metadata, base_url or output.as_uri(), datetime.now(timezone.utc))
    xml_path = output / XML_NAME
    partial = xml_path.with_name(XML_NAME + ".part")
    partial.write_bytes(document)
    partial.replace(xml_path)  # a Plugin Manager reading meanwhile sees the old or the new one
    return xml_path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="folder to write (default: dist/repository)")
    parser.add_argument("--base-url",
                        help="URL the folder is served at (default: its file:// URL)")
    args = parser.parse_args()
    xml_path = build_repository(args.output, args.base_url)
    if args.base_url:
        repository_url = f"{args.base_url.rstrip('/')}/{XML_NAME}"
    else:
        repository_url = xml_path.as_uri()
    print(f"Wrote {xml_path.parent}")
    print("Add this URL in QGIS (Plugins > Manage and Install Plugins > Settings > Add...):")
    print(f"  {repository_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
