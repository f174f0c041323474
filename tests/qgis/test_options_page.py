"""The Pixxel options page: builds, shows the stored settings, writes a typed key to the auth DB
only, clears it, and tests the connection against the sandbox in a background task."""

import socket
from types import SimpleNamespace

import pytest
import qgis.utils
from qgis.core import QgsSettings
from qgis.gui import QgsOptionsPageWidget

from pixxel_qgis.core.pixxel.proxies import ProxyConfig
from pixxel_qgis.core.qgis import connection_check, credentials, settings
from pixxel_qgis.core.qgis.settings import PluginSettings
from pixxel_qgis.ui.options_page import (
    PAGE_OBJECT_NAME,
    PixxelOptionsFactory,
    PixxelOptionsPage,
    open_settings,
)

TYPED_KEY = "pk-typed-5a6b7c8d9e0f1a2b"  # pragma: allowlist secret
TASK_TIMEOUT_MS = 20000
STORED_KEY_PLACEHOLDER = "•••• stored"


@pytest.fixture
def clean(auth_manager, monkeypatch):
    for name in ("PIXXEL_API_KEY", "PIXXEL_API_URL", "PIXXEL_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    QgsSettings().remove("pixxel")
    QgsSettings().remove("proxy")
    yield monkeypatch
    credentials.clear_api_key()
    QgsSettings().remove("pixxel")


@pytest.fixture
def page(clean, qtbot):
    widget = PixxelOptionsPage()
    qtbot.addWidget(widget)
    return widget


def _run_test(qtbot, page) -> str:
    page.test_button.click()
    assert not page.test_button.isEnabled()
    assert page.test_progress.isVisibleTo(page)
    qtbot.waitUntil(page.test_button.isEnabled, timeout=TASK_TIMEOUT_MS)
    assert not page.test_progress.isVisibleTo(page)
    return page.test_result_label.text()


def test_factory_makes_the_page(clean):
    factory = PixxelOptionsFactory()
    assert factory.title() == "Pixxel"
    assert not factory.icon().isNull()
    page = factory.createWidget(None)
    try:
        assert isinstance(page, QgsOptionsPageWidget)
        assert page.objectName() == PAGE_OBJECT_NAME
    finally:
        page.deleteLater()


def test_open_settings_asks_qgis_for_the_pixxel_page(clean, monkeypatch):
    calls = []
    window = object()

    def show_options_dialog(parent, currentPage):  # noqa: N803 - QGIS' keyword
        calls.append((parent, currentPage))

    fake = SimpleNamespace(mainWindow=lambda: window, showOptionsDialog=show_options_dialog)
    monkeypatch.setattr(qgis.utils, "iface", fake)
    open_settings()
    assert calls == [(window, PAGE_OBJECT_NAME)]


def test_page_shows_defaults_and_stored_values(clean, qtbot, tmp_path):
    fresh = PixxelOptionsPage()
    qtbot.addWidget(fresh)
    assert fresh.base_url_edit.text() == ""  # the placeholder shows the default address
    assert fresh.parallel_spin.value() == 2
    assert fresh.folder_widget.filePath() == settings.default_download_folder()
    assert not fresh.base_url_error_label.isVisibleTo(fresh)
    assert not fresh.clear_key_button.isEnabled()

    settings.save(PluginSettings(
        base_url="https://api.example.test", download_folder=str(tmp_path),
        parallel_downloads=6, load_after_download=False, keep_zips=True, build_overviews=False,
    ))
    loaded = PixxelOptionsPage()
    qtbot.addWidget(loaded)
    assert loaded.base_url_edit.text() == "https://api.example.test"
    assert loaded.folder_widget.filePath() == str(tmp_path)
    assert loaded.parallel_spin.value() == 6
    assert not loaded.load_check.isChecked()
    assert loaded.keep_zips_check.isChecked()
    assert not loaded.overviews_check.isChecked()


def test_apply_saves_the_fields(page, tmp_path):
    page.base_url_edit.setText("http://127.0.0.1:8765/")
    page.folder_widget.setFilePath(str(tmp_path))
    page.parallel_spin.setValue(8)
    page.keep_zips_check.setChecked(True)
    page.apply()
    assert settings.load_stored() == PluginSettings(
        base_url="http://127.0.0.1:8765", download_folder=str(tmp_path), parallel_downloads=8,
        keep_zips=True,
    )


def test_an_invalid_address_shows_inline_and_is_not_saved(page):
    settings.save(PluginSettings(base_url="https://api.example.test"))
    page.base_url_edit.setText("http://api.example.test")
    assert page.base_url_error_label.isVisibleTo(page)
    assert "unencrypted" in page.base_url_error_label.text()
    page.parallel_spin.setValue(3)
    page.apply()
    stored = settings.load_stored()
    assert stored.base_url == "https://api.example.test"
    assert stored.parallel_downloads == 3  # the rest is still saved
    page.base_url_edit.setText("https://api.example.test")
    assert not page.base_url_error_label.isVisibleTo(page)


def test_a_typed_key_goes_to_the_auth_database_only(page, qtbot):
    assert page.key_edit.echoMode() == page.key_edit.EchoMode.Password
    page.key_edit.setText(TYPED_KEY)
    page.apply()
    assert credentials.load_api_key() == TYPED_KEY
    assert page.key_edit.text() == ""
    assert page.key_edit.placeholderText() == STORED_KEY_PLACEHOLDER
    assert "authentication database" in page.key_state_label.text()
    qgs = QgsSettings()
    assert all(TYPED_KEY not in str(qgs.value(key)) for key in qgs.allKeys())

    reopened = PixxelOptionsPage()
    qtbot.addWidget(reopened)
    assert reopened.key_edit.text() == ""  # never shown back
    assert reopened.key_edit.placeholderText() == STORED_KEY_PLACEHOLDER
    reopened.apply()  # an untouched field keeps the stored key
    assert credentials.load_api_key() == TYPED_KEY


def test_clear_key(page, qtbot):
    credentials.store_api_key(TYPED_KEY)
    reopened = PixxelOptionsPage()
    qtbot.addWidget(reopened)
    assert reopened.clear_key_button.isEnabled()
    reopened.clear_key_button.click()
    assert credentials.load_api_key() is None
    assert not reopened.clear_key_button.isEnabled()
    assert reopened.key_edit.placeholderText() == ""
    assert reopened.key_state_label.text() == "No key stored yet."


def test_environment_overrides_are_shown(clean, qtbot):
    clean.setenv("PIXXEL_API_KEY", "pk-env-00112233445566")
    clean.setenv("PIXXEL_API_URL", "http://127.0.0.1:9999")
    page = PixxelOptionsPage()
    qtbot.addWidget(page)
    assert "PIXXEL_API_KEY" in page.key_state_label.text()
    assert page.url_override_label.isVisibleTo(page)
    assert "http://127.0.0.1:9999" in page.url_override_label.text()


def test_notes_take_room_only_with_something_to_say(page, qtbot, sandbox):
    """An empty note is hidden, its row with it (no empty label keeps a blank line open)."""
    notes = (page.base_url_error_label, page.url_override_label, page.test_result_label)
    assert [note.isVisibleTo(page) for note in notes] == [False, False, False]
    form = page.test_result_label.parentWidget().layout()
    assert all(form.labelForField(note) is None for note in notes + (page.key_state_label,))
    assert page.key_state_label.isVisibleTo(page)  # it always has something to say

    page.base_url_edit.setText("http://example.com")
    assert page.base_url_error_label.isVisibleTo(page)
    page.base_url_edit.setText(sandbox.api_url)
    assert not page.base_url_error_label.isVisibleTo(page)
    page.key_edit.setText(sandbox.api_key)
    _run_test(qtbot, page)
    assert page.test_result_label.isVisibleTo(page)


def test_connection_test_reports_the_counts(page, qtbot, sandbox, english_plurals):
    page.base_url_edit.setText(sandbox.api_url)
    page.key_edit.setText(sandbox.api_key)
    text = _run_test(qtbot, page)
    projects, aois = len(sandbox.catalog.projects), len(sandbox.catalog.aois)
    assert text == f"Connected: {projects} projects, {aois} AOIs visible"
    assert credentials.load_api_key() is None  # testing does not save the typed key


def test_connection_test_uses_the_stored_key(page, qtbot, sandbox):
    credentials.store_api_key(sandbox.api_key)
    page.base_url_edit.setText(sandbox.api_url)
    assert _run_test(qtbot, page).startswith("Connected:")


def test_with_the_key_from_the_environment_the_test_checks_that_key(page, qtbot, sandbox):
    """The panel will use PIXXEL_API_KEY whatever is typed, so that is the key worth testing."""
    page.base_url_edit.setText(sandbox.api_url)
    page.key_edit.setText("pk-typed-but-overridden-00")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIXXEL_API_KEY", sandbox.api_key)
        assert _run_test(qtbot, page).startswith("Connected:")
        page.key_edit.setText("pk-typed-but-overridden-00")
        patch.setenv("PIXXEL_API_KEY", "pk-env-key-rejected-000")
        assert "invalid API key" in _run_test(qtbot, page)


def test_a_missing_ca_bundle_from_the_environment_is_named(page, qtbot, sandbox, tmp_path):
    page.base_url_edit.setText(sandbox.api_url)
    page.key_edit.setText(sandbox.api_key)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "no-such-bundle.pem"))
        page.test_button.click()
    assert page.test_button.isEnabled()  # nothing started
    assert "REQUESTS_CA_BUNDLE" in page.test_result_label.text()
    assert sandbox.requests == []


def test_a_bad_key_shows_the_api_s_own_message(page, qtbot, sandbox):
    page.base_url_edit.setText(sandbox.api_url)
    page.key_edit.setText("pk-not-a-valid-key-000")
    text = _run_test(qtbot, page)
    assert "invalid API key" in text  # the sandbox's (Pixxel's) own error message
    assert "HTTP 403" in text
    assert "pk-not-a-valid-key-000" not in text


def test_an_unreachable_address_says_so(page, qtbot):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    page.base_url_edit.setText(f"http://127.0.0.1:{closed_port}")
    page.key_edit.setText(TYPED_KEY)
    assert _run_test(qtbot, page).startswith("Cannot reach the Pixxel API")


def test_a_key_no_http_header_can_carry_is_explained(page, qtbot, sandbox):
    page.base_url_edit.setText(sandbox.api_url)
    page.key_edit.setText("pk-ключ-не-латиница")
    assert _run_test(qtbot, page).startswith("The Pixxel API key contains characters")
    assert not any(r.server == "api" and r.path != "/ping" for r in sandbox.requests)


def test_an_invalid_address_is_not_tested(page):
    page.base_url_edit.setText("ftp://example.test")
    page.test_button.click()
    assert page.test_button.isEnabled()
    assert page.test_result_label.text().startswith("Invalid API address")


def test_closing_the_page_during_a_test_is_harmless(clean, qtbot, sandbox):
    page = PixxelOptionsPage()
    page.base_url_edit.setText(sandbox.api_url)
    page.key_edit.setText(sandbox.api_key)
    page.test_button.click()
    page.deleteLater()
    qtbot.waitUntil(lambda: not connection_check._running, timeout=TASK_TIMEOUT_MS)


def test_unload_cancels_a_running_check(clean, qtbot, sandbox):
    sandbox.faults.add("projects", "slow", delay=1.0)
    results = []
    connection_check.start_connection_check(
        sandbox.api_url, sandbox.api_key, ProxyConfig(), results.append
    )
    qtbot.waitUntil(lambda: bool(sandbox.requests), timeout=TASK_TIMEOUT_MS)
    connection_check.cancel_running_checks()
    qtbot.waitUntil(lambda: bool(results), timeout=TASK_TIMEOUT_MS)
    assert results[0].cancelled
    assert results[0].describe() == "Connection test cancelled."
    assert not connection_check._running
