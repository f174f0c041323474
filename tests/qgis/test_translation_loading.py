"""core/translation.py: the .qm for the QGIS language translates the plugin's tr() strings."""

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsSettings

from pixxel_qgis.core.qgis import translation
from pixxel_qgis.core.qgis.i18n import tr, tr_n
from pixxel_qgis.plugin import PixxelPlugin

REPO_ROOT = Path(__file__).resolve().parents[2]
FRENCH_TS = REPO_ROOT / "i18n" / "pixxel_qgis_fr.ts"
ENGLISH_TS = REPO_ROOT / "i18n" / "pixxel_qgis_en.ts"
LOCALE_KEY = "locale/userLocale"
GERMAN_TS = textwrap.dedent("""\
    <?xml version="1.0" encoding="utf-8"?>
    <!DOCTYPE TS>
    <TS version="2.1" language="de">
    <context>
        <name>Pixxel</name>
        <message>
            <source>Show or hide the Pixxel panel</source>
            <translation>Pixxel-Bereich ein- oder ausblenden</translation>
        </message>
        <message>
            <source>Pixxel hyperspectral imagery</source>
            <translation>Pixxel-Hyperspektralbilder</translation>
        </message>
    </context>
    </TS>
    """)


def _translations_script():
    # The same code as `make translations`, which imports its neighbour package.py.
    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    try:
        path = REPO_ROOT / "scripts" / "translations.py"
        spec = importlib.util.spec_from_file_location("translations", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(REPO_ROOT / "scripts"))
    return module


def _compile_qm(ts_path: Path) -> Path:
    return _translations_script().compile_qm(ts_path)


@pytest.fixture
def german_i18n_dir(tmp_path, monkeypatch):
    ts_path = tmp_path / "pixxel_qgis_de.ts"
    ts_path.write_text(GERMAN_TS, encoding="utf-8")
    _compile_qm(ts_path)
    monkeypatch.setattr(translation, "I18N_DIR", tmp_path)
    return tmp_path


@pytest.fixture
def french_i18n_dir(tmp_path, monkeypatch):
    """The committed French translation, compiled the way scripts/package.py compiles it for the
    zip (a .qm left in i18n/ by `make translations` may be stale, so it is not used)."""
    package = _translations_script().package
    package.compile_qm(FRENCH_TS, tmp_path / "pixxel_qgis_fr.qm")
    monkeypatch.setattr(translation, "I18N_DIR", tmp_path)
    return tmp_path


@pytest.fixture
def shipped_i18n_dir(tmp_path, monkeypatch):
    """The committed French and English files, compiled as scripts/package.py compiles them."""
    package = _translations_script().package
    for ts_path in (FRENCH_TS, ENGLISH_TS):
        package.compile_qm(ts_path, tmp_path / ts_path.with_suffix(".qm").name)
    monkeypatch.setattr(translation, "I18N_DIR", tmp_path)
    return tmp_path


@pytest.fixture
def user_locale(qgis_app):
    settings = QgsSettings()
    saved = settings.value(LOCALE_KEY)

    def choose(locale: str) -> None:
        settings.setValue(LOCALE_KEY, locale)

    yield choose
    if saved is None:
        settings.remove(LOCALE_KEY)
    else:
        settings.setValue(LOCALE_KEY, saved)


def test_translator_for_the_qgis_language_translates_until_uninstalled(
    german_i18n_dir, user_locale
):
    user_locale("de_DE")

    translator = translation.install()
    try:
        assert translator is not None
        assert tr("Show or hide the Pixxel panel") == "Pixxel-Bereich ein- oder ausblenden"
        assert tr("Pixxel") == "Pixxel"  # not in this .qm: the source text stays
    finally:
        translation.uninstall(translator)

    assert tr("Show or hide the Pixxel panel") == "Show or hide the Pixxel panel"


def test_language_without_a_translation_installs_nothing(german_i18n_dir, user_locale):
    user_locale("pt_BR")

    assert translation.install() is None
    assert tr("Show or hide the Pixxel panel") == "Show or hide the Pixxel panel"


def test_plugin_translates_from_processing_start_until_unload(german_i18n_dir, user_locale):
    user_locale("de")
    plugin = PixxelPlugin()

    # What qgis_process calls; initGui goes through it too.
    plugin.initProcessing()
    try:
        provider = QgsApplication.processingRegistry().providerById("pixxel")
        assert provider.longName() == "Pixxel-Hyperspektralbilder"
    finally:
        plugin.unload()

    assert tr("Pixxel hyperspectral imagery") == "Pixxel hyperspectral imagery"
    assert plugin.translator is None


def test_french_qm_translates_the_plugin_for_a_french_qgis(
    french_i18n_dir, user_locale, desktop_iface
):
    user_locale("fr")
    plugin = PixxelPlugin()

    plugin.initGui()
    try:
        assert plugin.translator is not None
        assert tr("Show or hide the Pixxel panel") == "Afficher ou masquer le panneau Pixxel"
        assert plugin.toggle_dock_action.toolTip() == "Afficher ou masquer le panneau Pixxel"
        assert plugin.dock.aoi_panel.search_edit.placeholderText() == (
            "Rechercher des AOI par nom ou ID"
        )
        provider = QgsApplication.processingRegistry().providerById("pixxel")
        assert provider.longName() == "Imagerie hyperspectrale Pixxel"
        algorithm = QgsApplication.processingRegistry().algorithmById("pixxel:listaois")
        assert algorithm.displayName() == "Lister les AOI"
        assert tr_n("{count} AOI(s) listed.", 3).format(count=3) == "3 AOI listées."
    finally:
        plugin.unload()

    assert tr("Show or hide the Pixxel panel") == "Show or hide the Pixxel panel"


def _listed(count: int) -> str:
    return tr_n("{count} AOI(s) listed.", count).format(count=count)


def _added(count: int) -> str:
    return tr_n("{aoi}: {count} image(s) added to the map.", count).format(aoi="Ludhiana",
                                                                          count=count)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_GB", ["0 AOIs listed.", "1 AOI listed.", "2 AOIs listed.",
                   "Ludhiana: 1 image added to the map.", "Ludhiana: 3 images added to the map."]),
        # French: the singular for 0 and 1.
        ("fr_FR", ["0 AOI listée.", "1 AOI listée.", "2 AOI listées.",
                   "Ludhiana : 1 image ajoutée à la carte.",
                   "Ludhiana : 3 images ajoutées à la carte."]),
        # No Portuguese translation: English texts, in their English plural forms.
        ("pt_BR", ["0 AOIs listed.", "1 AOI listed.", "2 AOIs listed.",
                   "Ludhiana: 1 image added to the map.", "Ludhiana: 3 images added to the map."]),
    ],
)
def test_counted_texts_take_the_plural_form_of_the_language(
    shipped_i18n_dir, user_locale, locale, expected
):
    user_locale(locale)
    translator = translation.install()
    try:
        assert [_listed(0), _listed(1), _listed(2), _added(1), _added(3)] == expected
    finally:
        translation.uninstall(translator)
    # Without a translator Qt shows the source text, count written in.
    assert _listed(1) == "1 AOI(s) listed."
