"""Loads the plugin's translation for the language QGIS shows its own interface in."""

from typing import Optional

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from ..pixxel.plugin_info import PLUGIN_DIR

I18N_DIR = PLUGIN_DIR / "i18n"


def language() -> str:
    # QGIS keeps the locale chosen in its options here; without a choice it follows the system.
    locale = QgsSettings().value("locale/userLocale", QLocale.system().name())
    return str(locale)[:2]


# The English plural forms ("1 file", "2 files") of the source texts' "{count} file(s)": for an
# English QGIS, and for any language the plugin has no translation for (its texts stay English).
SOURCE_LANGUAGE = "en"


def install() -> Optional[QTranslator]:
    """Install the translation for the QGIS language (or the English plural forms when there is
    none) and return it; None when there is neither."""
    for code in dict.fromkeys((language(), SOURCE_LANGUAGE)):
        path = I18N_DIR / f"pixxel_qgis_{code}.qm"
        translator = QTranslator()
        if path.is_file() and translator.load(str(path)):
            QCoreApplication.installTranslator(translator)
            return translator
    return None


def uninstall(translator: QTranslator) -> None:
    QCoreApplication.removeTranslator(translator)
