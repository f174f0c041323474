"""The "Pixxel" page of Settings > Options: API key, API address, download preferences, and a
"Test connection" button that runs in the background.

The stored key is never shown again: the field stays empty with a "stored" placeholder and only a
key the user types is written (to the QGIS authentication database) when the dialog is accepted.
"""

import dataclasses
from typing import Optional

import qgis.utils
from qgis.gui import QgsFileWidget, QgsOptionsPageWidget, QgsOptionsWidgetFactory
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..core.pixxel.address import DEFAULT_BASE_URL
from ..core.pixxel.plugin_info import resource_path
from ..core.pixxel.proxies import ProxySettingsError
from ..core.pixxel.redaction import pixxel_logger
from ..core.qgis import credentials, settings
from ..core.qgis.connection_check import ConnectionResult, start_connection_check
from ..core.qgis.credentials import CredentialsError
from ..core.qgis.i18n import tr
from ..core.qgis.proxy import current_proxy_config
from ..core.qgis.settings import PluginSettings
from ..core.qgis.tls import CaBundleError
from .widgets import NoteLabel

log = pixxel_logger()

PAGE_OBJECT_NAME = "PixxelOptionsPage"  # what showOptionsDialog(currentPage=...) looks for


class PixxelOptionsPage(QgsOptionsPageWidget):
    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName(PAGE_OBJECT_NAME)
        layout = QVBoxLayout(self)
        layout.addWidget(self._account_group())
        layout.addWidget(self._downloads_group())
        layout.addStretch(1)
        self._load()

    # -- building ------------------------------------------------------------------------------

    def _account_group(self) -> QGroupBox:
        group = QGroupBox(tr("Pixxel account"), self)
        form = QFormLayout(group)

        self.key_edit = QLineEdit(group)
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setToolTip(
            tr("Generate a key in Aurora: Workspace Settings > API > service account.")
        )
        self.clear_key_button = QPushButton(tr("Clear key"), group)
        self.clear_key_button.clicked.connect(self._clear_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.clear_key_button)
        form.addRow(tr("API key"), key_row)
        self.key_state_label = _add_note(form, group)

        self.base_url_edit = QLineEdit(group)
        self.base_url_edit.setPlaceholderText(DEFAULT_BASE_URL)
        self.base_url_edit.textChanged.connect(self._check_base_url)
        form.addRow(tr("API address"), self.base_url_edit)
        self.base_url_error_label = _add_note(form, group)
        self.base_url_error_label.setStyleSheet("color: #c0392b;")
        self.url_override_label = _add_note(form, group)

        self.test_button = QPushButton(tr("Test connection"), group)
        self.test_button.clicked.connect(self.test_connection)
        self.test_progress = QProgressBar(group)
        self.test_progress.setRange(0, 0)  # busy indicator: the steps are quick but unknown
        self.test_progress.setMaximumHeight(self.test_button.sizeHint().height())
        self.test_progress.hide()
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_progress, 1)
        form.addRow("", test_row)
        self.test_result_label = _add_note(form, group)
        return group

    def _downloads_group(self) -> QGroupBox:
        group = QGroupBox(tr("Downloads"), self)
        form = QFormLayout(group)
        self.folder_widget = QgsFileWidget(group)
        self.folder_widget.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.folder_widget.setDialogTitle(tr("Folder for Pixxel downloads"))
        form.addRow(tr("Download folder"), self.folder_widget)
        self.parallel_spin = QSpinBox(group)
        self.parallel_spin.setRange(
            settings.MIN_PARALLEL_DOWNLOADS, settings.MAX_PARALLEL_DOWNLOADS
        )
        form.addRow(tr("Parallel downloads"), self.parallel_spin)
        self.load_check = QCheckBox(tr("Add downloaded imagery to the map"), group)
        self.keep_zips_check = QCheckBox(tr("Keep the zip files after extracting them"), group)
        self.overviews_check = QCheckBox(tr("Build overviews (pyramids) for fast display"), group)
        for check in (self.load_check, self.keep_zips_check, self.overviews_check):
            form.addRow("", check)
        return group

    # -- loading and saving --------------------------------------------------------------------

    def _load(self) -> None:
        stored = settings.load_stored()
        self.base_url_edit.setText("" if stored.base_url == DEFAULT_BASE_URL else stored.base_url)
        override = settings.env_api_url()
        _set_note(
            self.url_override_label,
            tr("PIXXEL_API_URL is set: {url} is used instead of this address.").format(
                url=override
            ) if override is not None else "",
        )
        self.folder_widget.setFilePath(stored.download_folder)
        self.parallel_spin.setValue(stored.parallel_downloads)
        self.load_check.setChecked(stored.load_after_download)
        self.keep_zips_check.setChecked(stored.keep_zips)
        self.overviews_check.setChecked(stored.build_overviews)
        self._check_base_url()
        self._show_key_state()

    def apply(self) -> None:
        """Called by the Options dialog on OK. Never raises: a problem is shown on the page and
        logged, and everything else is still saved."""
        self._save_typed_key()
        values = self._entered_settings()
        url_error = settings.base_url_error(values.base_url)
        if url_error:
            log.warning("The API address was not saved: %s", url_error)
            values = dataclasses.replace(values, base_url=settings.load_stored().base_url)
        try:
            settings.save(values)
        except ValueError as exc:
            log.warning("Pixxel settings not saved: %s", exc)

    def _entered_settings(self) -> PluginSettings:
        return PluginSettings(
            base_url=self._entered_base_url(),
            download_folder=self.folder_widget.filePath().strip(),
            parallel_downloads=self.parallel_spin.value(),
            load_after_download=self.load_check.isChecked(),
            keep_zips=self.keep_zips_check.isChecked(),
            build_overviews=self.overviews_check.isChecked(),
        )

    def _entered_base_url(self) -> str:
        return self.base_url_edit.text().strip() or DEFAULT_BASE_URL

    def _check_base_url(self) -> None:
        error = settings.base_url_error(self._entered_base_url())
        _set_note(self.base_url_error_label, error or "")

    # -- the key -------------------------------------------------------------------------------

    def _save_typed_key(self) -> None:
        typed = self.key_edit.text().strip()
        if not typed:
            return
        try:
            credentials.store_api_key(typed)
        except CredentialsError as exc:
            log.warning("The API key was not saved: %s", exc)
            _set_note(self.key_state_label, str(exc))
            return
        self.key_edit.clear()
        self._show_key_state()

    def _clear_key(self) -> None:
        try:
            credentials.clear_api_key()
        except CredentialsError as exc:
            _set_note(self.key_state_label, str(exc))
            return
        self.key_edit.clear()
        self._show_key_state()

    def _show_key_state(self) -> None:
        stored = credentials.has_stored_key()
        self.key_edit.setPlaceholderText(tr("•••• stored") if stored else "")
        self.clear_key_button.setEnabled(stored)
        if settings.api_key_overridden():
            text = tr("PIXXEL_API_KEY is set: the key from the environment is used.")
        elif stored:
            text = tr("A key is stored in the QGIS authentication database.")
        else:
            text = tr("No key stored yet.")
        _set_note(self.key_state_label, text)

    # -- test connection -----------------------------------------------------------------------

    def test_connection(self) -> None:
        """Check, in a task, the address and key the panel will use: as entered (a typed key
        before the stored one), unless the environment overrides them."""
        base_url = settings.env_api_url() or self._entered_base_url()
        error = settings.base_url_error(base_url)
        if error:
            _set_note(self.test_result_label, error)
            return
        typed_key = "" if settings.api_key_overridden() else self.key_edit.text().strip()
        try:
            key = typed_key or credentials.api_key()
            proxy = current_proxy_config()
        except (CredentialsError, ProxySettingsError) as exc:
            _set_note(self.test_result_label, str(exc))
            return
        try:
            start_connection_check(base_url, key, proxy, self._show_result)
        except CaBundleError as exc:
            _set_note(self.test_result_label, str(exc))
            return
        self.test_button.setEnabled(False)
        self.test_progress.show()
        testing = tr("Testing the connection to {url}…").format(url=base_url)
        _set_note(self.test_result_label, testing)

    def _show_result(self, result: ConnectionResult) -> None:
        self.test_progress.hide()
        self.test_button.setEnabled(True)
        _set_note(self.test_result_label, result.describe())


class PixxelOptionsFactory(QgsOptionsWidgetFactory):
    """Registered by the plugin with iface.registerOptionsWidgetFactory."""

    def __init__(self) -> None:
        super().__init__(tr("Pixxel"), QIcon(resource_path("icon.svg")))

    def createWidget(self, parent: Optional[QWidget] = None) -> PixxelOptionsPage:  # noqa: N802
        return PixxelOptionsPage(parent)


def open_settings() -> None:
    """Open Settings > Options at the Pixxel page (the factory must be registered)."""
    # Looked up at call time, as plugin.py does: qgis.utils.iface is set after plugins import.
    iface = qgis.utils.iface
    iface.showOptionsDialog(iface.mainWindow(), currentPage=PAGE_OBJECT_NAME)


def _add_note(form: QFormLayout, parent: QWidget) -> QLabel:
    """A line of explanation under the field above it, in the field column; a row of its own
    with no label, so that it takes no room while it has nothing to say (see _set_note)."""
    label = NoteLabel(parent)
    label.hide()
    form.setWidget(form.rowCount(), QFormLayout.ItemRole.FieldRole, label)
    return label


def _set_note(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))
