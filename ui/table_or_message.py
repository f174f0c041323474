"""The AOI and asset areas: a compact table, or a message in its place when there is nothing to
show (a title, an explanation, an optional busy bar and an optional button)."""

from typing import Callable, Dict, Optional

from qgis.PyQt.QtCore import QAbstractItemModel, Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .widgets import bold_label


class MessagePanel(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title_label = bold_label(self)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label.setWordWrap(True)
        layout.addWidget(self.title_label)
        self.text_label = QLabel(self)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text_label)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumHeight(10)
        self.busy_bar.setTextVisible(False)
        layout.addWidget(self.busy_bar)
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = QPushButton(self)
        self.button.setAutoDefault(False)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self._action: Optional[Callable[[], None]] = None
        self.button.clicked.connect(self._clicked)

    def show_message(
        self,
        title: str,
        text: str = "",
        *,
        button: Optional[str] = None,
        action: Optional[Callable[[], None]] = None,
        busy: bool = False,
    ) -> None:
        self.title_label.setText(title)
        self.text_label.setText(text)
        self.text_label.setVisible(bool(text))
        self.busy_bar.setVisible(busy)
        self.button.setText(button or "")
        self.button.setVisible(bool(button))
        self._action = action

    def _clicked(self) -> None:
        if self._action is not None:
            self._action()


class TableOrMessage(QStackedWidget):
    """`table` shows `model` (whole rows selected, nothing edited); `message` takes its place
    through show_message() until show_table()."""

    def __init__(self, object_name: str, model: QAbstractItemModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.table = QTableView(self)
        self.table.setObjectName(object_name)
        self.table.setModel(model)
        _configure(self.table)
        self.message = MessagePanel(self)
        self.addWidget(self.table)
        self.addWidget(self.message)

    def show_table(self) -> None:
        self.setCurrentWidget(self.table)

    def show_message(self, title: str, text: str = "", **options) -> None:
        self.message.show_message(title, text, **options)
        self.setCurrentWidget(self.message)

    def size_columns(self, samples: Dict[int, str]) -> None:
        # Widths from the font, not pixels: the same columns fit on any screen.
        header = self.table.horizontalHeader()
        for column, sample in samples.items():
            header.resizeSection(column, self.fontMetrics().horizontalAdvance(sample) + 16)


def _configure(table: QTableView) -> None:
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    vertical = table.verticalHeader()
    vertical.hide()
    # Fixed heights: no per-row measuring, whatever the row count.
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
