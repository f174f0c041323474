"""Translation entry point shared by every module that shows text to the user."""

from qgis.PyQt.QtCore import QCoreApplication

TRANSLATION_CONTEXT = "Pixxel"


def tr(text: str) -> str:
    # One context for the whole plugin keeps the .ts file simple for translators.
    return QCoreApplication.translate(TRANSLATION_CONTEXT, text)
