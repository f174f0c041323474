"""Build the plugin zip that plugins.qgis.org accepts: one top folder `pixxel_qgis`, only what the
plugin needs at run time (no tests, sandbox, bench, venv or caches), LICENSE inside.

    python scripts/package.py dist/pixxel_qgis.zip

Translations are compiled here, not committed: every i18n/pixxel_qgis_<lang>.ts goes into the zip
as the i18n/pixxel_qgis_<lang>.qm that core/qgis/translation.py loads, built by Qt's lrelease (the
LRELEASE environment variable, `lrelease` on PATH, or Debian's qttools5-dev-tools path). Without
lrelease the build fails rather than ship a plugin that silently stays in English. A .qm lying in
i18n/ (from `make translations`) is never packed: it may be older than its .ts.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_FOLDER = "pixxel_qgis"
SHIPPED_FILES = ("__init__.py", "plugin.py", "metadata.txt", "LICENSE", "README.md", "CHANGELOG.md")
SHIPPED_DIRS = ("core", "ui", "resources", "i18n")
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".ts", ".qm", ".part")
I18N_DIR = "i18n"
LANGUAGE_PATTERN = "pixxel_qgis_*.ts"
# From Debian's qttools5-dev-tools. A Qt 5 .qm also loads in Qt 6 (QGIS 4): the format is shared.
DEBIAN_LRELEASE = "/usr/lib/qt5/bin/lrelease"


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


def translation_sources(root: Path = ROOT) -> List[Path]:
    """The language files (not the pixxel_qgis.ts template), repository-relative, sorted."""
    return sorted(path.relative_to(root) for path in (root / I18N_DIR).glob(LANGUAGE_PATTERN))


def find_lrelease() -> str:
    """The lrelease to run; SystemExit naming the package when there is none."""
    candidates = [os.environ.get("LRELEASE"), shutil.which("lrelease"), DEBIAN_LRELEASE]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise SystemExit(
        "lrelease not found (set LRELEASE, put it on PATH or install qttools5-dev-tools): "
        "it compiles the i18n/*.ts translations that go into the plugin"
    )


def compile_qm(ts_path: Path, qm_path: Path) -> Path:
    """Compile one Linguist .ts into the binary .qm that QTranslator loads."""
    subprocess.run(
        [find_lrelease(), "-silent", str(ts_path), "-qm", str(qm_path)], check=True
    )
    if not qm_path.is_file() or qm_path.stat().st_size == 0:
        raise SystemExit(f"lrelease wrote no {qm_path.name} from {ts_path}")
    return qm_path


def build(destination: Path, root: Path = ROOT) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    try:
        with tempfile.TemporaryDirectory() as compiled, zipfile.ZipFile(
            partial, "w", compression=zipfile.ZIP_DEFLATED
        ) as archive:
            for relative in shipped_paths(root):
                archive.write(root / relative, f"{PLUGIN_FOLDER}/{relative.as_posix()}")
            for relative in translation_sources(root):
                qm_relative = relative.with_suffix(".qm")
                qm_path = compile_qm(root / relative, Path(compiled) / qm_relative.name)
                archive.write(qm_path, f"{PLUGIN_FOLDER}/{qm_relative.as_posix()}")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
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
