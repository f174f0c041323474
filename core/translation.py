"""Loads the plugin's translation for the language QGIS shows its own interface in."""

from typing import Optional

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from .plugin_info import PLUGIN_DIR

I18N_DIR = PLUGIN_DIR / "i18n"


def language() -> str:
    # QGIS keeps the locale chosen in its options here; without a choice it follows the system.
    locale = QgsSettings().value("locale/userLocale", QLocale.system().name())
    return str(locale)[:2]


def install() -> Optional[QTranslator]:
    """Install the translation for the QGIS language and return it; None when there is none."""
    path = I18N_DIR / f"pixxel_qgis_{language()}.qm"
    translator = QTranslator()
    if not path.is_file() or not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def uninstall(translator: QTranslator) -> None:
    QCoreApplication.removeTranslator(translator)
