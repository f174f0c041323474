"""The asset side of the dock: the assets of the selected AOI with their check boxes, Select all,
and the Download button (the dock starts the download).

An AOI's assets are listed in an AssetListTask once the selection settles, and kept until the
next refresh.
"""

import contextlib
from typing import Callable, Dict, List, Optional

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.pixxel.errors import CancelledError
from ..core.pixxel.models import Aoi, Asset
from ..core.qgis.connection import Connection
from ..core.qgis.i18n import tr
from ..core.qgis.tasks import AssetListTask
from .aoi_model import AoiTableModel
from .asset_model import COL_NAME, AssetTableModel, is_checked
from .lifetime import OwnedTasks, alive, disconnect
from .table_or_message import TableOrMessage
from .widgets import ElidedLabel

ASSET_DELAY_MS = 150  # arrowing through the AOIs does not ask for every AOI's assets


class AssetPanel(QWidget):
    """`aois` is the AOI table's model (an AOI may leave it while its assets wait to be asked
    for); `connection` gives the dock's connection, or None once the AOI panel says why not."""

    downloadRequested = pyqtSignal()  # noqa: N815 - Qt naming

    def __init__(
        self,
        aois: AoiTableModel,
        connection: Callable[[], Optional[Connection]],
        tasks: OwnedTasks,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._aois = aois
        self._connection = connection
        self._tasks = tasks
        self.task: Optional[AssetListTask] = None  # the asset listing running now
        self._cache: Dict[str, List[Asset]] = {}
        self.aoi: Optional[Aoi] = None  # whose assets are shown, or being listed
        self._pending_aoi_id: Optional[str] = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(ASSET_DELAY_MS)
        self._timer.timeout.connect(self._show_pending)
        self._build()
        self.title_label.setText(tr("Assets"))
        self._show_message(tr("Select an AOI to see its assets."))

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        head = QHBoxLayout()
        self.title_label = ElidedLabel(self, bold=True)
        head.addWidget(self.title_label, 1)
        self.select_all_check = QCheckBox(tr("Select all"), self)
        self.select_all_check.setToolTip(tr("Check every asset that can be downloaded"))
        self.select_all_check.clicked.connect(self._select_all_clicked)
        head.addWidget(self.select_all_check)
        layout.addLayout(head)

        self.model = AssetTableModel(self)
        self.model.checkedChanged.connect(self._checked_changed)
        self.stack = TableOrMessage("PixxelAssetTable", self.model, self)
        self.table = self.stack.table
        samples = ("☑ TD2_871361_20250601_L2", "Visualisation", "2025-08-01  ", "● Creating",
                   "Resolution", "Bands")
        self.stack.size_columns(dict(enumerate(samples)))
        self.table.clicked.connect(self._row_clicked)
        layout.addWidget(self.stack, 1)

        row = QHBoxLayout()
        self.note_label = QLabel(self)
        self.note_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.note_label, 1)
        self.download_button = QPushButton(tr("Download"), self)
        self.download_button.setIcon(QgsApplication.getThemeIcon("/mActionFileSave.svg"))
        self.download_button.setToolTip(
            tr("Download the checked assets and add them to the map")
        )
        self.download_button.setEnabled(False)
        self.download_button.clicked.connect(self.downloadRequested)
        row.addWidget(self.download_button)
        layout.addLayout(row)

    def detach(self) -> None:
        """Stop listening to the asset listing (the dock cancels it)."""
        with contextlib.suppress(RuntimeError):  # the timer is gone when the dock is
            self._timer.stop()
        if alive(self.task):
            disconnect(self.task.completed, self._completed)
        self.task = None

    # ------------------------------------------------------------------------------------------
    # listing

    def show_later(self, aoi: Aoi) -> None:
        """Show `aoi`'s assets once the selection has settled."""
        if self.aoi is not None and self.aoi.aoi_id == aoi.aoi_id:
            return
        self._pending_aoi_id = aoi.aoi_id
        self._timer.start()

    def _show_pending(self) -> None:
        aoi = self._aois.aoi(self._pending_aoi_id) if self._pending_aoi_id else None
        if aoi is not None:
            self.show_aoi(aoi)

    def reload(self, aoi: Optional[Aoi]) -> None:
        """Forget the listed assets, and list `aoi`'s again: their status may have changed."""
        self._cache.clear()
        if aoi is not None:
            self.show_aoi(aoi)

    def show_aoi(self, aoi: Aoi) -> None:
        if alive(self.task):
            disconnect(self.task.completed, self._completed)
            self.task.cancel()
            self.task = None
        self.aoi = aoi
        self.title_label.setText(tr("Assets of {aoi}").format(aoi=aoi.name or aoi.aoi_id))
        self.title_label.setToolTip(f"{self.title_label.full_text()}\n{aoi.aoi_id}")
        cached = self._cache.get(aoi.aoi_id)
        if cached is not None:
            self._show_assets(aoi, cached)
            return
        connection = self._connection()
        if connection is None:
            return
        self.model.set_assets(aoi.aoi_id, ())
        self._show_message(tr("Loading assets…"), busy=True)
        task = AssetListTask(connection, aoi.aoi_id)
        task.completed.connect(self._completed)
        self.task = task
        self._tasks.start(task)

    def _completed(self, task: AssetListTask) -> None:
        if task is not self.task:
            return
        self.task = None
        aoi = self.aoi
        if aoi is None or aoi.aoi_id != task.aoi_id:
            return
        if isinstance(task.error, CancelledError):
            return
        if task.error is not None:
            self._show_message(
                tr("Could not list the assets"), str(task.error),
                button=tr("Retry"), action=lambda: self.show_aoi(aoi),
            )
            return
        self._cache[aoi.aoi_id] = list(task.assets)
        self._show_assets(aoi, task.assets)

    # ------------------------------------------------------------------------------------------
    # showing, checking

    def _show_assets(self, aoi: Aoi, assets: List[Asset]) -> None:
        self.model.set_assets(aoi.aoi_id, assets)
        if not assets:
            self._show_message(
                tr("No assets yet"),
                tr("Pixxel has not delivered imagery for this AOI so far."),
            )
            return
        self.stack.show_table()
        self._checked_changed(self.model.checked_count())

    def _show_message(self, title: str, text: str = "", **options) -> None:
        self.stack.show_message(title, text, **options)
        self.select_all_check.setEnabled(False)
        self.download_button.setEnabled(False)
        self.note_label.setText("")

    def _row_clicked(self, index) -> None:
        # A click anywhere on a downloadable row toggles it, not only on the small check box.
        if index.column() == COL_NAME or not (index.flags() & Qt.ItemFlag.ItemIsEnabled):
            return
        name_index = index.sibling(index.row(), COL_NAME)
        checked = is_checked(name_index.data(Qt.ItemDataRole.CheckStateRole))
        self.model.setData(
            name_index,
            Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked,
            Qt.ItemDataRole.CheckStateRole,
        )

    def _select_all_clicked(self) -> None:
        self.model.set_all_checked(self.model.checked_count() < self.model.downloadable_count())

    def _checked_changed(self, count: int) -> None:
        downloadable = self.model.downloadable_count()
        self.select_all_check.setEnabled(downloadable > 0)
        self.select_all_check.blockSignals(True)
        if count and count == downloadable:
            self.select_all_check.setCheckState(Qt.CheckState.Checked)
        elif count:
            self.select_all_check.setCheckState(Qt.CheckState.PartiallyChecked)
        else:
            self.select_all_check.setCheckState(Qt.CheckState.Unchecked)
        self.select_all_check.blockSignals(False)
        self.download_button.setEnabled(count > 0)
        self.download_button.setText(
            tr("Download ({count})").format(count=count) if count else tr("Download")
        )
        listed = len(self.model.assets())
        if listed and downloadable < listed:
            self.note_label.setText(
                tr("{ready} of {listed} ready to download").format(
                    ready=downloadable, listed=listed
                )
            )
        else:
            self.note_label.setText("")
