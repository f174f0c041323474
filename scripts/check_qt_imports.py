"""Fail when a tracked Python file imports PyQt5/PyQt6 directly: QGIS 4 needs `qgis.PyQt`."""

import re
import subprocess
import sys

DIRECT_QT_IMPORT = re.compile(r"^\s*(from|import)\s+PyQt[56]\b", re.MULTILINE)


def main() -> int:
    listing = ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"]
    tracked = subprocess.run(listing, check=True, capture_output=True, text=True).stdout.split()
    offenders = []
    for path in tracked:
        with open(path, encoding="utf-8") as source:
            if DIRECT_QT_IMPORT.search(source.read()):
                offenders.append(path)
    for path in offenders:
        print(f"{path}: imports PyQt directly; use qgis.PyQt", file=sys.stderr)
    return 1 if offenders else 0


if __name__ == "__main__":
    sys.exit(main())
