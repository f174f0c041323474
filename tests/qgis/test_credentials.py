"""The API key in the QGIS authentication database: round trip, nothing secret in QgsSettings, a
locked database reported as a CredentialsError (never a crash), and the environment override."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from qgis.core import QgsAuthMethodConfig, QgsSettings

from pixxel_qgis.core.qgis import credentials
from pixxel_qgis.core.qgis.credentials import CredentialsError

from .conftest import TEST_MASTER_PASSWORD

FIRST_KEY = "pk-first-0a1b2c3d4e5f6a7b"  # pragma: allowlist secret
SECOND_KEY = "pk-second-9f8e7d6c5b4a3f2e"  # pragma: allowlist secret


@pytest.fixture
def clean(auth_manager, monkeypatch):
    monkeypatch.delenv("PIXXEL_API_KEY", raising=False)
    credentials.clear_api_key()
    yield auth_manager
    if not auth_manager.masterPasswordIsSet():
        auth_manager.setMasterPassword(TEST_MASTER_PASSWORD, True)
    credentials.clear_api_key()


def _everything_in_qgssettings() -> str:
    settings = QgsSettings()
    settings.sync()
    values = [f"{key}={settings.value(key)!r}" for key in settings.allKeys()]
    on_disk = Path(settings.fileName()).read_text(errors="replace")
    return "\n".join(values) + on_disk


def test_store_load_update_clear(clean):
    assert credentials.load_api_key() is None
    assert not credentials.has_stored_key()

    config_id = credentials.store_api_key(f"  {FIRST_KEY}\n")
    assert credentials.has_stored_key()
    assert credentials.load_api_key() == FIRST_KEY
    assert QgsSettings().value(credentials.AUTH_CONFIG_ID_KEY) == config_id

    ok, config = clean.loadAuthenticationConfig(config_id, QgsAuthMethodConfig(), True)
    assert ok
    assert config.name() == "Pixxel API key"
    if "APIHeader" in clean.authMethodsKeys():
        assert (config.method(), config.configMap()) == ("APIHeader", {"Authorization": FIRST_KEY})
    else:  # QGIS 3.22
        assert config.method() == "Basic"
        assert config.config("username") == "pixxel-api-key"
        assert config.config("password") == FIRST_KEY

    ids_before = set(clean.configIds())
    assert credentials.store_api_key(SECOND_KEY) == config_id  # updated in place
    assert set(clean.configIds()) == ids_before
    assert credentials.load_api_key() == SECOND_KEY

    credentials.clear_api_key()
    assert credentials.load_api_key() is None
    assert not credentials.has_stored_key()
    assert config_id not in clean.configIds()
    assert QgsSettings().value(credentials.AUTH_CONFIG_ID_KEY) is None


def test_only_the_config_id_reaches_qgssettings_and_the_db_is_encrypted(clean):
    config_id = credentials.store_api_key(FIRST_KEY)
    everything = _everything_in_qgssettings()
    assert config_id in everything
    assert FIRST_KEY not in everything
    assert FIRST_KEY.encode() not in Path(clean.authenticationDatabasePath()).read_bytes()


def test_an_empty_key_is_refused(clean):
    with pytest.raises(CredentialsError, match="empty"):
        credentials.store_api_key("  \n")
    assert not credentials.has_stored_key()


def test_a_config_deleted_in_qgis_counts_as_no_key_and_is_recreated(clean):
    first_id = credentials.store_api_key(FIRST_KEY)
    assert clean.removeAuthenticationConfig(first_id)
    assert credentials.load_api_key() is None
    assert not credentials.has_stored_key()
    second_id = credentials.store_api_key(SECOND_KEY)
    assert credentials.load_api_key() == SECOND_KEY
    assert QgsSettings().value(credentials.AUTH_CONFIG_ID_KEY) == second_id


def test_environment_key_wins(clean, monkeypatch):
    credentials.store_api_key(FIRST_KEY)
    assert credentials.api_key() == FIRST_KEY
    monkeypatch.setenv("PIXXEL_API_KEY", SECOND_KEY)
    assert credentials.api_key() == SECOND_KEY
    monkeypatch.delenv("PIXXEL_API_KEY")
    credentials.clear_api_key()
    assert credentials.api_key() is None


def test_a_locked_database_is_a_clear_error(clean):
    credentials.store_api_key(FIRST_KEY)
    # As after a restart where the user cancels the master-password prompt (nobody answers it
    # in this session, as in a cancelled dialog).
    clean.clearMasterPassword()
    assert not clean.masterPasswordIsSet()
    assert credentials.has_stored_key()  # answered without decrypting, so without a prompt
    for attempt in (credentials.load_api_key, lambda: credentials.store_api_key(SECOND_KEY),
                    credentials.clear_api_key):
        with pytest.raises(CredentialsError, match="locked"):
            attempt()
    assert clean.setMasterPassword(TEST_MASTER_PASSWORD, True)
    assert credentials.load_api_key() == FIRST_KEY


def test_a_worker_thread_is_refused(clean):
    import threading

    credentials.store_api_key(FIRST_KEY)
    outcome = []

    def read():
        try:
            credentials.load_api_key()
        except RuntimeError as exc:
            outcome.append(str(exc))

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    assert outcome == ["the QGIS authentication database is read on the main thread only"]


FRESH_DB_SCRIPT = textwrap.dedent(
    """
    import json
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from pixxel_qgis.core.qgis import credentials

    report = {"has_master": QgsApplication.authManager().masterPasswordIsSet()}
    report["load_when_nothing_stored"] = credentials.load_api_key()
    try:
        credentials.store_api_key("pk-fresh-0123456789abcdef")
    except credentials.CredentialsError as exc:
        report["store_error"] = str(exc)
    report["has_stored_key"] = credentials.has_stored_key()
    print("REPORT " + json.dumps(report))
    app.exitQgis()
    """
)


def test_a_fresh_database_without_master_password_fails_cleanly(plugins_dir, tmp_path):
    """QgsAuthManager cannot be re-pointed in-process: a new one runs in a subprocess."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        QGIS_AUTH_DB_DIR_PATH=str(tmp_path / "auth"),
        QGIS_CUSTOM_CONFIG_PATH=str(tmp_path / "profile"),
        PYTHONPATH=os.pathsep.join([str(plugins_dir), os.environ.get("PYTHONPATH", "")]),
        HOME=str(tmp_path),
    )
    env.pop("QGIS_AUTH_PASSWORD_FILE", None)
    env.pop("PIXXEL_API_KEY", None)
    (tmp_path / "auth").mkdir()
    done = subprocess.run(
        [sys.executable, "-c", FRESH_DB_SCRIPT], env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (line,) = [row for row in done.stdout.splitlines() if row.startswith("REPORT ")]
    report = json.loads(line[len("REPORT "):])
    assert report["has_master"] is False
    assert report["load_when_nothing_stored"] is None
    assert "locked" in report["store_error"]
    assert report["has_stored_key"] is False
