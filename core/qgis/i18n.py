"""Translation entry points shared by every module that shows text to the user."""

from qgis.PyQt.QtCore import QCoreApplication

TRANSLATION_CONTEXT = "Pixxel"


def tr(text: str) -> str:
    # One context for the whole plugin keeps the .ts file simple for translators.
    return QCoreApplication.translate(TRANSLATION_CONTEXT, text)


def tr_n(text: str, count: int) -> str:
    """tr() of a text whose wording depends on `count` ("{count} file(s)"): each language's .ts
    holds one form per plural form of that language, English included (i18n/pixxel_qgis_en.ts),
    and Qt picks the form for `count`. The caller formats the placeholders, the count too (with
    the thousands separators a plain %n would not have)."""
    return QCoreApplication.translate(TRANSLATION_CONTEXT, text, None, count)
