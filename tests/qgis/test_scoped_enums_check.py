"""scripts/check_scoped_enums.py (run by `make lint`): enum values PyQt6 would not find are
reported, scoped ones are not, and the plugin's own code passes."""

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "check_scoped_enums.py"


def _checker():
    spec = importlib.util.spec_from_file_location("check_scoped_enums", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _problems(source: str):
    return list(_checker().problems("sample.py", textwrap.dedent(source)))


def test_unscoped_enum_values_are_found():
    found = _problems("""\
        from qgis.core import Qgis, QgsFeatureRequest
        from qgis.PyQt.QtCore import Qt
        from qgis.PyQt.QtWidgets import QDialog, QMessageBox as Box

        align = Qt.AlignLeft
        flag = QgsFeatureRequest.NoGeometry
        level = Qgis.Warning
        button = Box.Ok
        dialog = QDialog()
        """)
    assert found == [
        "sample.py:5: Qt.AlignLeft is not scoped; PyQt6 needs Qt.AlignmentFlag.AlignLeft",
        "sample.py:6: QgsFeatureRequest.NoGeometry is not scoped; PyQt6 needs "
        "QgsFeatureRequest.Flag.NoGeometry",
        "sample.py:7: Qgis.Warning is not scoped; PyQt6 needs Qgis.MessageLevel.Warning",
        "sample.py:8: Box.Ok is not scoped; PyQt6 needs Box.StandardButton.Ok",
    ]


def test_scoped_enums_classes_and_methods_pass():
    assert _problems("""\
        from qgis.core import Qgis, QgsFeatureRequest, QgsProject
        from qgis.PyQt.QtCore import Qt, QTimer
        from qgis.PyQt.QtWidgets import QDialog

        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        flag = QgsFeatureRequest.Flag.NoGeometry
        level = Qgis.MessageLevel.Warning
        QTimer.singleShot(0, print)
        project = QgsProject.instance()
        result = QDialog().exec()
        """) == []


def test_the_plugin_passes():
    run = subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
