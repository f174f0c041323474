"""Small widget builders the dock's parts share, so that their buttons and titles look and behave
alike."""

from typing import Optional

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QSize, Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QLabel, QSizePolicy, QToolButton, QWidget


def tool_button(parent: QWidget, icon: str, text: str, tooltip: str) -> QToolButton:
    """A flat button with a QGIS theme icon (`icon` is its theme path)."""
    button = QToolButton(parent)
    button.setIcon(QgsApplication.getThemeIcon(icon))
    button.setText(text)
    button.setToolTip(tooltip)
    button.setAutoRaise(True)
    return button


def bold_label(parent: QWidget, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    _embolden(label)
    return label


def _embolden(label: QLabel) -> None:
    font = label.font()
    font.setBold(True)
    label.setFont(font)


class ElidedLabel(QLabel):
    """One line that takes the width it is given and shows "…" where its text does not fit,
    in the middle, so that the start (an AOI's name) and the end (a count) both stay; the whole
    text is `full_text()`. A plain label in a narrow dock would cut the text off unmarked."""

    def __init__(self, parent: Optional[QWidget] = None, bold: bool = False) -> None:
        super().__init__(parent)
        self._full_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        if bold:
            _embolden(self)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full_text = text
        self._show()

    def full_text(self) -> str:
        return self._full_text

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._show()

    def _show(self) -> None:
        shown = self.fontMetrics().elidedText(
            self._full_text, Qt.TextElideMode.ElideMiddle, max(0, self.contentsRect().width())
        )
        super().setText(shown)


def show_folder(folder: str) -> bool:
    """Open `folder` in the system's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(folder))


class NoteLabel(QLabel):
    """A word-wrapped line of explanation as tall as its text at the width it has. A plain
    word-wrapped QLabel in a form asks for the height of its text wrapped at a guessed width:
    two or three lines for one, a blank band above it on the Options page."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        if self.width() <= 0 or not self.text():
            return hint
        return QSize(hint.width(), self.heightForWidth(self.contentsRect().width() or 1)
                     + self.height() - self.contentsRect().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the height it needs depends on the width it got
