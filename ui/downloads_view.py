"""Running and past downloads, from the downloads history, with what can be done with each.

A download history is short (capped at a few hundred entries, usually a handful), so each entry is
a small widget: name, state, a progress bar with stage, speed and time left while it runs, and
buttons. The view does not start or cancel anything itself: it asks through signals
(ui/download_actions.py owns the tasks); only "Open folder" is handled here.
"""

from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.qgis.history import CANCELLED, DONE, FAILED, INTERRUPTED, RUNNING, HistoryEntry
from ..core.qgis.i18n import tr, tr_n
from .formatting import format_timestamp, status_icon
from .lifetime import disconnect
from .widgets import ElidedLabel, show_folder

# The history states drawn with the AOI status dots' colours.
_STATE_DOT = {
    RUNNING: "running",
    DONE: "success",
    FAILED: "failed",
    CANCELLED: "partial_success",
    INTERRUPTED: "partial_success",
}


def stage_label(stage: str) -> str:
    labels = {
        "request": tr("Requesting"),
        "wait": tr("Waiting for Pixxel to prepare the files"),
        "download": tr("Downloading"),
        "unpack": tr("Unpacking"),
        "done": tr("Finishing"),
        "describe": tr("Reading the imagery"),
        "load": tr("Adding to the map"),
    }
    return labels.get(stage) or (stage.replace("_", " ").capitalize() if stage else "")


def state_label(state: str) -> str:
    labels = {
        RUNNING: tr("Running"),
        DONE: tr("Done"),
        FAILED: tr("Failed"),
        CANCELLED: tr("Cancelled"),
        INTERRUPTED: tr("Interrupted"),
    }
    return labels.get(state, state)


def format_bytes(count: Optional[float]) -> str:
    if count is None:
        return ""
    value = float(count)
    if value < 1024:
        return tr("{value} B").format(value=int(value))
    for unit in (tr("{value} KB"), tr("{value} MB"), tr("{value} GB")):
        value /= 1024
        if value < 1024:
            return unit.format(value=f"{value:.1f}")
    return tr("{value} TB").format(value=f"{value / 1024:.1f}")


def format_duration(seconds: Optional[float]) -> str:
    if seconds is None or seconds < 0:
        return ""
    seconds = int(round(seconds))
    if seconds < 60:
        return tr("{s} s").format(s=seconds)
    if seconds < 3600:
        return tr("{m} min {s} s").format(m=seconds // 60, s=seconds % 60)
    return tr("{h} h {m} min").format(h=seconds // 3600, m=(seconds % 3600) // 60)


def describe_progress(progress: Any) -> str:
    """One line from a core.download progress record: stage, MB done of total, speed, ETA."""
    parts = [stage_label(str(getattr(progress, "stage", "") or ""))]
    done = getattr(progress, "bytes_done", None)
    total = getattr(progress, "bytes_total", None)
    if done and total:
        parts.append(tr("{done} of {total}").format(
            done=format_bytes(done), total=format_bytes(total)
        ))
    elif done:
        parts.append(format_bytes(done))
    rate = getattr(progress, "rate_bps", None)
    if rate:
        parts.append(tr("{rate}/s").format(rate=format_bytes(rate)))
    eta = getattr(progress, "eta_seconds", None)
    if eta is not None and eta >= 0 and getattr(progress, "stage", "") == "download":
        parts.append(tr("{time} left").format(time=format_duration(eta)))
    if not parts[0]:
        # A stage this version does not know: the engine's own (untranslated) words.
        parts[0] = str(getattr(progress, "message", "") or "")
    return " · ".join(part for part in parts if part)


class DownloadEntryWidget(QFrame):
    """One history entry."""

    def __init__(self, view: "DownloadsView", entry: HistoryEntry) -> None:
        super().__init__(view.container)
        self.view = view
        self.entry = entry
        self.setObjectName("PixxelDownloadEntry")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)

        top = QHBoxLayout()
        self.icon_label = QLabel(self)
        self.title_label = ElidedLabel(self)
        top.addWidget(self.icon_label)
        top.addWidget(self.title_label, 1)
        self.cancel_button = self._button(tr("Cancel"), tr("Stop this download"))
        self.cancel_button.clicked.connect(lambda: view.cancelRequested.emit(self.entry.id))
        self.again_button = self._button(tr("Add to map"), "")
        self.again_button.clicked.connect(lambda: view.againRequested.emit(self.entry.id))
        self.folder_button = self._button(tr("Open folder"), tr("Show the files"))
        self.folder_button.clicked.connect(lambda: view.open_folder(self.entry))
        self.remove_button = QToolButton(self)
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip(tr("Remove from this list (the files stay on disk)"))
        self.remove_button.clicked.connect(lambda: view.removeRequested.emit(self.entry.id))
        for button in (self.cancel_button, self.again_button, self.folder_button):
            top.addWidget(button)
        top.addWidget(self.remove_button)
        layout.addLayout(top)

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setMaximumHeight(12)
        self.progress_bar.setTextVisible(False)
        layout.addWidget(self.progress_bar)
        self.detail_label = QLabel(self)
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail_label)
        self.set_entry(entry)

    def _button(self, text: str, tooltip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tooltip)
        button.setAutoDefault(False)
        return button

    def set_entry(self, entry: HistoryEntry) -> None:
        self.entry = entry
        running = entry.state == RUNNING and self.view.is_live(entry.id)
        assets = len(entry.asset_ids)
        title = tr_n("{aoi} — {count} asset(s)", assets).format(
            aoi=entry.aoi_name or entry.aoi_id, count=assets
        )
        self.title_label.setText(title)
        self.title_label.setToolTip("\n".join([title, *(entry.asset_names or entry.asset_ids)]))
        self.icon_label.setPixmap(status_icon(_STATE_DOT.get(entry.state, "")).pixmap(12, 12))
        self.icon_label.setToolTip(state_label(entry.state))
        self.cancel_button.setVisible(running)
        self.again_button.setVisible(not running)
        if entry.state == DONE:
            self.again_button.setText(tr("Add to map"))
            self.again_button.setToolTip(
                tr("Add the imagery to the map again (files already on disk are not downloaded "
                   "again)")
            )
        elif entry.state == FAILED:
            self.again_button.setText(tr("Retry"))
            self.again_button.setToolTip(tr("Try this download again"))
        else:
            self.again_button.setText(tr("Resume"))
            self.again_button.setToolTip(
                tr("Continue this download where it stopped")
            )
        self.folder_button.setEnabled(bool(self.view.folder_of(entry)))
        self.progress_bar.setVisible(running)
        self.remove_button.setVisible(not running)
        if not running:
            self.detail_label.setText(self._summary(entry))
        elif not self.detail_label.text():
            self.detail_label.setText(tr("Starting…"))

    def _summary(self, entry: HistoryEntry) -> str:
        when = format_timestamp(entry.finished_at or entry.started_at)
        state = state_label(entry.state)
        if entry.state == DONE and entry.rasters:
            text = tr_n("{state} {when} · {count} image(s)", len(entry.rasters)).format(
                state=state, when=when, count=len(entry.rasters)
            )
        elif entry.state == DONE:
            text = tr_n("{state} {when} · {count} file(s)", len(entry.files)).format(
                state=state, when=when, count=len(entry.files)
            )
        else:
            text = tr("{state} {when}").format(state=state, when=when)
        if entry.message and entry.state != DONE:
            text += "\n" + entry.message
        return text

    def set_progress(self, progress: Any) -> None:
        fraction = getattr(progress, "fraction", None)
        if fraction is None:
            self.progress_bar.setRange(0, 0)
        else:
            self.progress_bar.setRange(0, 1000)
            self.progress_bar.setValue(int(max(0.0, min(1.0, float(fraction))) * 1000))
        percent = f"{float(fraction) * 100:.0f} %" if fraction is not None else ""
        line = describe_progress(progress)
        self.detail_label.setText(" · ".join(part for part in (percent, line) if part))


class DownloadsView(QWidget):
    """The history's entries, newest first. The live entries are those whose task runs in this
    session (the task registry says which): only those get a progress bar and a Cancel button."""

    cancelRequested = pyqtSignal(str)  # noqa: N815 - Qt naming; entry id
    againRequested = pyqtSignal(str)  # noqa: N815 - add to map again / resume / retry
    removeRequested = pyqtSignal(str)  # noqa: N815

    MAX_SHOWN = 50

    def __init__(
        self,
        history=None,
        parent: Optional[QWidget] = None,
        is_running: Callable[[str], bool] = lambda _entry_id: False,
    ) -> None:
        super().__init__(parent)
        self._is_running = is_running
        self.setObjectName("PixxelDownloadsView")
        self._history = None
        self._widgets: Dict[str, DownloadEntryWidget] = {}
        self._progress: Dict[str, Any] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.empty_label = QLabel(
            tr("Downloads you start appear here, with their progress."), self
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setEnabled(False)
        layout.addWidget(self.empty_label)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.container = QWidget(self.scroll)
        self.entries_layout = QVBoxLayout(self.container)
        self.entries_layout.setContentsMargins(0, 0, 0, 0)
        self.entries_layout.setSpacing(4)
        self.entries_layout.addStretch(1)
        self.scroll.setWidget(self.container)
        layout.addWidget(self.scroll, 1)
        if history is not None:
            self.set_history(history)

    def set_history(self, history) -> None:
        if self._history is not None:
            self._history.changed.disconnect(self.refresh)
        self._history = history
        if history is not None:
            history.changed.connect(self.refresh)
        self.refresh()

    def detach(self) -> None:
        """Disconnect from the history (the dock is going away; the history may stay)."""
        if self._history is not None:
            disconnect(self._history.changed, self.refresh)
            self._history = None

    # -- what the download actions tell the view -----------------------------------------------

    def download_ended(self, entry_id: str) -> None:
        self._progress.pop(entry_id, None)
        self.download_started(entry_id)

    def download_started(self, entry_id: str) -> None:
        """Show the entry's running state anew (Cancel and the progress bar come and go)."""
        widget = self._widgets.get(entry_id)
        if widget is not None:
            widget.set_entry(widget.entry)

    def is_live(self, entry_id: str) -> bool:
        return self._is_running(entry_id)

    def set_progress(self, entry_id: str, progress: Any) -> None:
        self._progress[entry_id] = progress
        widget = self._widgets.get(entry_id)
        if widget is not None and self.is_live(entry_id):
            widget.set_progress(progress)

    # -- building ------------------------------------------------------------------------------

    def entries(self) -> List[HistoryEntry]:
        return self._history.entries()[: self.MAX_SHOWN] if self._history is not None else []

    def entry_widget(self, entry_id: str) -> Optional[DownloadEntryWidget]:
        return self._widgets.get(entry_id)

    def refresh(self) -> None:
        entries = self.entries()
        wanted = {entry.id for entry in entries}
        for entry_id in list(self._widgets):
            if entry_id not in wanted:
                widget = self._widgets.pop(entry_id)
                self.entries_layout.removeWidget(widget)
                widget.deleteLater()
        for position, entry in enumerate(entries):
            widget = self._widgets.get(entry.id)
            if widget is None:
                widget = DownloadEntryWidget(self, entry)
                self._widgets[entry.id] = widget
                progress = self._progress.get(entry.id)
                if progress is not None and self.is_live(entry.id):
                    widget.set_progress(progress)
            else:
                widget.set_entry(entry)
            if self.entries_layout.indexOf(widget) != position:
                self.entries_layout.removeWidget(widget)
                self.entries_layout.insertWidget(position, widget)
        self.empty_label.setVisible(not entries)
        self.scroll.setVisible(bool(entries))

    # -- actions handled here ------------------------------------------------------------------

    @staticmethod
    def folder_of(entry: HistoryEntry) -> str:
        """The delivery folder when known and present, else the download root."""
        for candidate in (entry.folder, entry.destination_root):
            if candidate and Path(candidate).is_dir():
                return candidate
        return ""

    def open_folder(self, entry: HistoryEntry) -> bool:
        folder = self.folder_of(entry)
        if not folder:
            return False
        return show_folder(folder)
