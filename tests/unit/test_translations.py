"""scripts/translations.py: i18n/pixxel_qgis.ts holds every tr() string of the shipped code."""

import ast
import importlib.util
import io
import re
import sys
import textwrap
import tokenize
import xml.etree.ElementTree as ElementTree  # noqa: N813 - parses the TS files the script wrote
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = REPO_ROOT / "i18n" / "pixxel_qgis.ts"
FRENCH = REPO_ROOT / "i18n" / "pixxel_qgis_fr.ts"
ENGLISH = REPO_ROOT / "i18n" / "pixxel_qgis_en.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
KEPT_TERMS = (
    "Pixxel", "QGIS", "AOI", "API", "Aurora", "PIXXEL_API_KEY", "PIXXEL_API_URL", "qgis_process",
)
MARKUP = re.compile(r"</?[A-Za-z][^>]*>")
SKIPPED_TOKENS = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)


@pytest.fixture(scope="module")
def translations():
    # The script imports its neighbour package.py the way it does when run from scripts/.
    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    try:
        path = REPO_ROOT / "scripts" / "translations.py"
        spec = importlib.util.spec_from_file_location("translations", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(REPO_ROOT / "scripts"))


@pytest.fixture(scope="module")
def extracted(translations):
    return translations.extract(REPO_ROOT)


def _strings(tokens, start):
    """The text of the string literals from tokens[start] up to a closing bracket or comma, or
    None when anything else (an f-string, a name, an operator) is part of the argument."""
    parts = []
    index = start
    while tokens[index].type == tokenize.STRING:
        prefix = tokens[index].string[: tokens[index].string.index(tokens[index].string[-1])]
        if "f" in prefix.lower():
            return None, index
        parts.append(ast.literal_eval(tokens[index].string))
        index += 1
    if not parts or tokens[index].string not in (")", ","):
        return None, index
    return "".join(parts), index


def _tr_literals_by_tokens(path: Path) -> set:
    """tr("...") and QCoreApplication.translate("Pixxel", "...") texts, found with the tokenizer
    so the check does not share the script's ast walk."""
    source = path.read_text(encoding="utf-8")
    tokens = [
        token for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type not in SKIPPED_TOKENS
    ]
    found = set()
    for index, token in enumerate(tokens[1:-1], start=1):
        before, after = tokens[index - 1].string, tokens[index + 1].string
        if token.string in ("tr", "tr_n") and after == "(" and before not in (".", "def"):
            text, _end = _strings(tokens, index + 2)
        elif token.string == "translate" and after == "(" and before == ".":
            context, end = _strings(tokens, index + 2)
            if context != "Pixxel" or tokens[end].string != ",":
                continue
            text, _end = _strings(tokens, end + 1)
        else:
            continue
        if text is not None:
            found.add(text)
    return found


def _shipped_python_files() -> list:
    roots = [REPO_ROOT / "plugin.py", REPO_ROOT / "__init__.py"]
    nested = [*(REPO_ROOT / "core").rglob("*.py"), *(REPO_ROOT / "ui").rglob("*.py")]
    return [path for path in roots + nested if path != REPO_ROOT / "core" / "i18n.py"]


def _ts_root(path: Path) -> ElementTree.Element:
    return ElementTree.parse(path).getroot()  # noqa: S314 - the repository's or the test's own file


def _ts_messages(path: Path) -> dict:
    root = _ts_root(path)
    return {
        message.findtext("source"): message
        for context in root.iter("context") if context.findtext("name") == "Pixxel"
        for message in context.iter("message")
    }


def test_extracted_strings_are_the_tr_literals_of_the_shipped_code(extracted):
    messages, _problems = extracted
    expected = set().union(*(_tr_literals_by_tokens(path) for path in _shipped_python_files()))
    assert len(expected) > 100
    assert set(messages) == expected


def test_every_location_is_the_line_of_its_call(extracted):
    messages, _problems = extracted
    for text, locations in messages.items():
        for path, line in locations:
            code = (REPO_ROOT / path).read_text(encoding="utf-8").splitlines()[line - 1]
            assert "tr(" in code or "tr_n(" in code or "translate(" in code, (text, path, line)


def test_committed_template_has_the_current_strings(extracted):
    # Sources only: line numbers drift with every edit and translators do not need them exact.
    messages, _problems = extracted
    committed = set(_ts_messages(TEMPLATE))
    assert committed == set(messages), (
        "i18n/pixxel_qgis.ts is out of date, run `make translations`: "
        f"missing {sorted(set(messages) - committed)}, gone {sorted(committed - set(messages))}"
    )


def _assert_faithful(text: str, source: str) -> None:
    """A translation (or one plural form of it) keeps what the code and Qt rely on."""
    assert text.strip(), source
    assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), source
    assert sorted(MARKUP.findall(text)) == sorted(MARKUP.findall(source)), source
    assert text.count("&") == source.count("&"), source
    assert text.count("\n") == source.count("\n"), source
    for term in KEPT_TERMS:
        assert text.count(term) >= source.count(term), (term, source)


def _forms(message: ElementTree.Element) -> list:
    """The translation's texts: one per plural form for a numerus message, else one."""
    translation = message.find("translation")
    forms = translation.findall("numerusform")
    return [form.text or "" for form in forms] if forms else ["".join(translation.itertext())]


def test_french_translation_is_complete_and_keeps_every_placeholder(extracted):
    messages, _problems = extracted
    root = _ts_root(FRENCH)
    assert root.get("language") == "fr"
    french = _ts_messages(FRENCH)
    assert set(french) == set(_ts_messages(TEMPLATE)), "run `make translations`, then translate"
    for source, message in french.items():
        translation = message.find("translation")
        assert translation.get("type") is None, f"{translation.get('type')}: {source!r}"
        forms = _forms(message)
        # French has two plural forms (one for 0 and 1, one for more).
        assert len(forms) == (2 if source in messages.numerus else 1), source
        for text in forms:
            _assert_faithful(text, source)


def test_english_file_holds_the_plural_forms_of_the_counted_texts(extracted):
    messages, _problems = extracted
    assert len(messages.numerus) >= 10
    root = _ts_root(ENGLISH)
    assert root.get("language") == "en"
    english = _ts_messages(ENGLISH)
    assert set(english) == messages.numerus, "run `make translations`, then write the forms"
    for source, message in english.items():
        assert message.get("numerus") == "yes"
        assert message.find("translation").get("type") is None, source
        singular, plural = _forms(message)
        _assert_faithful(singular, source)
        _assert_faithful(plural, source)
        assert "(s)" not in singular + plural, source


def test_shipped_code_has_no_untranslatable_calls(extracted):
    _messages, problems = extracted
    assert problems == []


def _write_tree(root: Path, files: dict) -> None:
    for name, source in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(source), encoding="utf-8")


def test_non_literal_calls_are_reported_with_file_and_line(translations, tmp_path):
    _write_tree(tmp_path, {
        "plugin.py": """\
            from .core.i18n import tr
            NAME = "Layer"
            tr(NAME)
            tr(f"{NAME} count")
            tr("Layer " + NAME)
            tr(
                "Fine, "
                "one literal"
            )
            """,
        "core/widget.py": """\
            from qgis.PyQt.QtCore import QCoreApplication
            class Widget:
                def label(self, text):
                    QCoreApplication.translate("Pixxel", text)
                    QCoreApplication.translate("Other", "Wrong context")
                    return self.tr("Class context")
            """,
    })

    messages, problems = translations.extract(tmp_path)

    assert list(messages) == ["Fine, one literal"]
    assert [problem.split(": ")[0] for problem in problems] == [
        "core/widget.py:4", "core/widget.py:5", "core/widget.py:6",
        "plugin.py:3", "plugin.py:4", "plugin.py:5",
    ]
    assert "tr(NAME)" in problems[3]


def test_written_file_is_a_linguist_ts_pointing_at_the_calls(translations, tmp_path):
    _write_tree(tmp_path, {
        "plugin.py": 'from .core.i18n import tr\ntr("A & <b>")\n',
        "ui/panel.py": 'from ..core.i18n import tr\n\n\ntr("A & <b>")\ntr("Other")\n',
    })
    ts_path = tmp_path / "i18n" / "pixxel_qgis.ts"
    ts_path.parent.mkdir()
    messages, _problems = translations.extract(tmp_path)

    ts_path.write_text(translations.render_ts(messages, tmp_path, ts_path), encoding="utf-8")

    text = ts_path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
    root = _ts_root(ts_path)
    assert root.tag == "TS"
    assert root.get("version") == "2.1"
    assert [context.findtext("name") for context in root.iter("context")] == ["Pixxel"]
    message = _ts_messages(ts_path)["A & <b>"]
    assert [(loc.get("filename"), loc.get("line")) for loc in message.iter("location")] == [
        ("../plugin.py", "2"), ("../ui/panel.py", "4"),
    ]
    assert message.find("translation").get("type") == "unfinished"
    assert message.findtext("translation") in (None, "")


def test_merge_keeps_translations_and_marks_vanished_ones(translations, tmp_path):
    _write_tree(tmp_path, {"plugin.py": 'tr("Kept")\ntr("New")\ntr("Back")\n'})
    ts_path = tmp_path / "i18n" / "pixxel_qgis_de.ts"
    _write_tree(tmp_path, {"i18n/pixxel_qgis_de.ts": """\
        <?xml version="1.0" encoding="utf-8"?>
        <!DOCTYPE TS>
        <TS version="2.1" language="de">
        <context>
            <name>Pixxel</name>
            <message>
                <location filename="../plugin.py" line="9"/>
                <source>Kept</source>
                <translatorcomment>Checked with the product team</translatorcomment>
                <translation>Behalten</translation>
            </message>
            <message>
                <location filename="../plugin.py" line="10"/>
                <source>Removed</source>
                <translation>Entfernt</translation>
            </message>
            <message>
                <location filename="../plugin.py" line="11"/>
                <source>Never translated</source>
                <translation type="unfinished"></translation>
            </message>
            <message>
                <source>Back</source>
                <translation type="vanished">Zurück</translation>
            </message>
        </context>
        </TS>
        """})
    messages, _problems = translations.extract(tmp_path)

    ts_path.write_text(translations.render_ts(messages, tmp_path, ts_path), encoding="utf-8")

    root = _ts_root(ts_path)
    assert root.get("language") == "de"
    merged = _ts_messages(ts_path)
    assert list(merged) == ["Kept", "New", "Back", "Removed"]
    kept = merged["Kept"]
    assert kept.findtext("translation") == "Behalten"
    assert kept.find("translation").get("type") is None
    assert kept.findtext("translatorcomment") == "Checked with the product team"
    assert kept.find("location").get("line") == "1"
    assert merged["New"].find("translation").get("type") == "unfinished"
    back = merged["Back"].find("translation")
    assert (back.text, back.get("type")) == ("Zurück", "unfinished")
    removed = merged["Removed"]
    assert removed.find("translation").get("type") == "vanished"
    assert removed.findtext("translation") == "Entfernt"
    assert removed.find("location") is None


def test_counted_texts_become_numerus_messages_and_keep_earlier_words(translations, tmp_path):
    _write_tree(tmp_path, {
        "plugin.py": 'from .core.i18n import tr, tr_n\ntr_n("{count} file(s)", 2)\ntr("Plain")\n'
                     'tr_n(TEXT, 2)\ntr_n("Both", 1)\ntr("Both")\n',
        "i18n/pixxel_qgis_de.ts": """\
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE TS>
            <TS version="2.1" language="de">
            <context>
                <name>Pixxel</name>
                <message>
                    <source>{count} file(s)</source>
                    <translation>{count} Datei(en)</translation>
                </message>
            </context>
            </TS>
            """,
    })
    messages, problems = translations.extract(tmp_path)
    assert messages.numerus == {"{count} file(s)", "Both"}
    assert [problem.split(": ", 1) for problem in problems] == [
        ["plugin.py:4", "tr_n() takes one string literal and a count: tr_n(TEXT, 2)"],
        ["plugin.py:6", "given to both tr() and tr_n(): 'Both'"],
    ]

    german = tmp_path / "i18n" / "pixxel_qgis_de.ts"
    german.write_text(translations.render_ts(messages, tmp_path, german), encoding="utf-8")
    counted = _ts_messages(german)["{count} file(s)"]
    assert counted.get("numerus") == "yes"
    # The translator's words, now one form for every count, to review.
    assert _forms(counted) == ["{count} Datei(en)"]
    assert counted.find("translation").get("type") == "unfinished"
    assert _ts_messages(german)["Plain"].get("numerus") is None

    english = tmp_path / "i18n" / "pixxel_qgis_en.ts"
    english.write_text(translations.render_ts(messages, tmp_path, english), encoding="utf-8")
    assert set(_ts_messages(english)) == {"{count} file(s)", "Both"}
