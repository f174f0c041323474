"""scripts/check_pyqt6_names.py (run by `make lint`) against PyQt6 itself: it must find the Qt 5
names QGIS 4 lacks and pass the scoped forms and the classes qgis.PyQt keeps in their Qt 5 home."""

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "check_pyqt6_names.py"


def check(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    sample = tmp_path / "sample.py"
    sample.write_text(source, encoding="utf-8")
    return subprocess.run([sys.executable, str(SCRIPT), str(sample)], capture_output=True,
                          text=True, check=False, cwd=REPO_ROOT, timeout=600)


def test_names_qt6_removed_are_found(tmp_path):
    done = check(tmp_path, (
        "from qgis.PyQt.QtCore import QRegExp, Qt\n"
        "from qgis.PyQt.QtWidgets import QDialog\n"
        "align = Qt.AlignLeft\n"
        "accepted = QDialog.Accepted\n"
    ))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "QRegExp does not exist" in done.stdout
    assert "Qt.AlignLeft does not exist" in done.stdout
    assert "QDialog.Accepted does not exist" in done.stdout


def test_scoped_names_and_the_classes_qgis_keeps_in_place_pass(tmp_path):
    done = check(tmp_path, (
        "from qgis.PyQt import sip\n"
        "from qgis.PyQt.QtCore import Qt\n"
        "from qgis.PyQt.QtWidgets import QAction, QDialog\n"
        "align = Qt.AlignmentFlag.AlignLeft\n"
        "accepted = QDialog.DialogCode.Accepted\n"
    ))
    assert done.returncode == 0, done.stdout + done.stderr
