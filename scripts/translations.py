"""Keep the Qt Linguist files in i18n/ in step with the strings the shipped code passes to tr().

    python scripts/translations.py

Strings are read with Python's `ast`, not pylupdate5: pylupdate5 files module-level tr() calls
under the "@default" context, while core/qgis/i18n.tr() looks them up under "Pixxel", so a .qm built
from its output would never match at run time.

Writes i18n/pixxel_qgis.ts, the template for translators, and merges the same strings into every
i18n/pixxel_qgis_<lang>.ts without losing a translator's work: a string that left the code stays
as type="vanished" while it has a translation (lrelease skips it; it is revived as "unfinished"
if the string comes back) and is dropped otherwise. Then compiles each pixxel_qgis_<lang>.ts into
the pixxel_qgis_<lang>.qm that core/qgis/translation.py loads (git ignores .qm files: the plugin zip
gets them from scripts/package.py, which compiles the .ts files itself).

A new language: copy pixxel_qgis.ts to pixxel_qgis_<lang>.ts, set language="<lang>" on <TS>,
translate it in Qt Linguist, then run `make translations`.

Texts given a count (core.qgis.i18n.tr_n, "{count} file(s)") are numerus messages: a translation
holds one <numerusform> per plural form of its language. pixxel_qgis_en.ts holds only those
(what `lupdate -pluralonly` writes): the English forms of the source texts.

Exits 1 when a call cannot be extracted (an f-string, a variable, self.tr, another context): its
text can never be translated. The files are still written, so the other strings are not held up.
"""

import ast
import os
import sys
import xml.etree.ElementTree as ElementTree  # noqa: N813 - parses our own and Linguist's TS files
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import package  # scripts/ is on sys.path as this script's folder

ROOT = Path(__file__).resolve().parent.parent
CONTEXT = "Pixxel"
I18N_DIR = "i18n"
TEMPLATE = "pixxel_qgis.ts"
LANGUAGE_PATTERN = "pixxel_qgis_*.ts"
# Holds tr() itself, whose forwarding translate(TRANSLATION_CONTEXT, text) is no message.
DEFINITION = Path("core", "qgis", "i18n.py")
TS_HEADER = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'

PLURAL_ONLY = "pixxel_qgis_en.ts"  # the source language: only the plural forms to write

Location = Tuple[Path, int]


class Messages(Dict[str, List[Location]]):
    """Text -> its call sites, in file and line order; `numerus`: the texts given a count."""

    def __init__(self) -> None:
        super().__init__()
        self.numerus: Set[str] = set()


def _literal(node: ast.expr) -> Optional[str]:
    # Implicit concatenation, parenthesised over several lines or not, is already one Constant.
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _message_text(call: ast.Call) -> Tuple[Optional[str], Optional[str]]:
    """(text, None) for an extractable call, (None, why) for a broken one, else (None, None)."""
    func = call.func
    if isinstance(func, ast.Name) and func.id == "tr":
        if len(call.args) == 1 and not call.keywords and _literal(call.args[0]) is not None:
            return _literal(call.args[0]), None
        return None, "tr() takes one string literal"
    if isinstance(func, ast.Name) and func.id == "tr_n":
        if len(call.args) == 2 and not call.keywords and _literal(call.args[0]) is not None:
            return _literal(call.args[0]), None
        return None, "tr_n() takes one string literal and a count"
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.value.id == "self" and func.attr == "tr":
            return None, "self.tr() translates in the class's context: use core.qgis.i18n.tr()"
        if func.value.id == "QCoreApplication" and func.attr == "translate":
            if (
                len(call.args) == 2
                and not call.keywords
                and _literal(call.args[0]) == CONTEXT
                and _literal(call.args[1]) is not None
            ):
                return _literal(call.args[1]), None
            return None, f'translate() takes "{CONTEXT}" and one string literal'
    return None, None


def source_files(root: Path) -> List[Path]:
    """The shipped Python files, relative to root: exactly what goes into the plugin zip."""
    return [
        path for path in package.shipped_paths(root) if path.suffix == ".py" and path != DEFINITION
    ]


def extract(root: Path) -> Tuple[Messages, List[str]]:
    """Every translatable text with its call sites in file and line order, and one
    "path:line: why" per call whose text cannot be extracted."""
    found = []
    problems = []
    for path in source_files(root):
        tree = ast.parse((root / path).read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            text, problem = _message_text(node)
            if text is not None:
                numerus = isinstance(node.func, ast.Name) and node.func.id == "tr_n"
                found.append((path, node.lineno, node.col_offset, text, numerus))
            elif problem is not None:
                problems.append((path, node.lineno, f"{problem}: {ast.unparse(node)}"))
    messages = Messages()
    plain = set()
    for path, line, _column, text, numerus in sorted(found):
        messages.setdefault(text, []).append((path, line))
        (messages.numerus if numerus else plain).add(text)
        if text in messages.numerus and text in plain:
            problems.append((path, line, f"given to both tr() and tr_n(): {text!r}"))
    return messages, [f"{path.as_posix()}:{line}: {why}" for path, line, why in sorted(problems)]


def _has_translation(message: ElementTree.Element) -> bool:
    translation = message.find("translation")
    return translation is not None and "".join(translation.itertext()).strip() != ""


def _match_numerus(translation: ElementTree.Element, numerus: bool) -> None:
    """A translation made before its text gained (or lost) a count keeps its words, in the shape
    lrelease needs, for the translator to review (one form for all counts, or the last form)."""
    forms = translation.findall("numerusform")
    if numerus == bool(forms):
        return
    if numerus:
        form = ElementTree.Element("numerusform")
        form.text, translation.text = translation.text, None
        translation.append(form)
    else:
        translation.text = forms[-1].text
        for form in forms:
            translation.remove(form)
    translation.set("type", "unfinished")


def render_ts(messages: Messages, root: Path, ts_path: Path) -> str:
    """The TS 2.1 text for ts_path: messages merged into what the file holds now, if anything
    (only the numerus ones for the source language's file)."""
    previous: Dict[str, ElementTree.Element] = {}
    attributes = {}
    if ts_path.is_file():
        old_root = ElementTree.parse(ts_path).getroot()  # noqa: S314 - the repository's own file
        attributes = dict(old_root.attrib)
        for context in old_root.iter("context"):
            if context.findtext("name") == CONTEXT:
                for message in context.iter("message"):
                    previous[message.findtext("source", "")] = message
    attributes["version"] = "2.1"

    ts = ElementTree.Element("TS", attributes)
    context = ElementTree.SubElement(ts, "context")
    ElementTree.SubElement(context, "name").text = CONTEXT
    plural_only = ts_path.name == PLURAL_ONLY
    for text, locations in messages.items():
        numerus = text in messages.numerus
        if plural_only and not numerus:
            continue
        message = ElementTree.SubElement(context, "message", {"numerus": "yes"} if numerus else {})
        for path, line in locations:
            filename = Path(os.path.relpath(root / path, ts_path.parent)).as_posix()
            ElementTree.SubElement(message, "location", filename=filename, line=str(line))
        ElementTree.SubElement(message, "source").text = text
        old = previous.get(text)
        # Whatever a translator added (translation, translator comment) is carried over as is.
        kept = [] if old is None else [c for c in old if c.tag not in ("location", "source")]
        message.extend(kept)
        translation = message.find("translation")
        if translation is None:
            translation = ElementTree.SubElement(message, "translation", type="unfinished")
            if numerus:
                ElementTree.SubElement(translation, "numerusform")
        elif translation.get("type") in ("vanished", "obsolete"):
            translation.set("type", "unfinished")
        _match_numerus(translation, numerus)
    for text, old in previous.items():
        if text in messages or not _has_translation(old):
            continue
        vanished = ElementTree.SubElement(context, "message", dict(old.attrib))
        vanished.extend(c for c in old if c.tag != "location")
        vanished.find("translation").set("type", "vanished")

    ElementTree.indent(ts, space="    ")
    return TS_HEADER + ElementTree.tostring(ts, encoding="unicode") + "\n"


def ts_files(root: Path) -> List[Path]:
    """The template, then every language file."""
    folder = root / I18N_DIR
    return [folder / TEMPLATE, *sorted(folder.glob(LANGUAGE_PATTERN))]


def compile_qm(ts_path: Path) -> Path:
    """The .qm next to ts_path, for running the plugin from a checkout; git ignores it and
    scripts/package.py compiles its own copy into the zip."""
    return package.compile_qm(ts_path, ts_path.with_suffix(".qm"))


def main() -> int:
    messages, problems = extract(ROOT)
    (ROOT / I18N_DIR).mkdir(exist_ok=True)
    for ts_path in ts_files(ROOT):
        ts_path.write_text(render_ts(messages, ROOT, ts_path), encoding="utf-8")
        if ts_path.name != TEMPLATE:
            compile_qm(ts_path)
    print(f"{len(messages)} strings in {I18N_DIR}/{TEMPLATE}")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
