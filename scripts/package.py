"""Build the plugin zip that plugins.qgis.org accepts: one top folder `pixxel_qgis`, only what the
plugin needs at run time (no tests, sandbox, bench, venv or caches), LICENSE inside.

    python scripts/package.py dist/pixxel_qgis.zip
"""

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_FOLDER = "pixxel_qgis"
SHIPPED_FILES = ("__init__.py", "plugin.py", "metadata.txt", "LICENSE", "README.md", "CHANGELOG.md")
SHIPPED_DIRS = ("core", "ui", "resources", "i18n")
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".ts", ".part")


def shipped_paths(root: Path = ROOT) -> list:
    """Repository-relative paths of every file that goes into the zip, sorted."""
    paths = [Path(name) for name in SHIPPED_FILES if (root / name).is_file()]
    for folder in SHIPPED_DIRS:
        for path in (root / folder).rglob("*"):
            relative = path.relative_to(root)
            if (
                path.is_file()
                and "__pycache__" not in relative.parts
                and not any(part.startswith(".") for part in relative.parts)
                and path.suffix not in SKIPPED_SUFFIXES
            ):
                paths.append(relative)
    return sorted(paths)


def build(destination: Path, root: Path = ROOT) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in shipped_paths(root):
            archive.write(root / relative, f"{PLUGIN_FOLDER}/{relative.as_posix()}")
    partial.replace(destination)
    return destination


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    built = build(Path(sys.argv[1]).resolve())
    print(f"{built} ({built.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
