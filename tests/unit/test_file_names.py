"""core/download/file_names.py: every result is checked against Windows' rules written here from
Microsoft's "Naming Files, Paths, and Namespaces" (not by asking the module), against ntpath, the
byte and code unit limits, and by creating it (and its `.part`) on this disk."""

import ntpath
import os
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

import pytest

from pixxel_qgis.core.download.file_names import (
    MAX_COMPONENT,
    UnsafePathError,
    path_inside,
    safe_component,
    safe_relative_path,
    unique_component,
)

WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(code) for code in range(32)}
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{port}{digit}" for port in ("COM", "LPT") for digit in "123456789\u00b9\u00b2\u00b3"}
# What the module promises beyond Windows: no DEL/C1 controls, lone surrogates, bidi controls.
ALSO_BANNED = {chr(0x7F), *map(chr, range(0x80, 0xA0)), "\u202e", "\u2066", "\u200b", "\ufeff"}
DEVANAGARI_100 = "क" * 100  # 300 bytes of UTF-8
WORDS_DEVANAGARI = ("पंजाब के गेहूं के खेत लुधियाना क्षेत्र " * 10)[:100]
FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"

HOSTILE = [
    "", " ", ".", "..", "...", " . . ", "\u0301", "\u202e",
    "CON", "con", "Con .txt", "nul.tif", "NUL.tar.gz", "aux  ", "prn.", "com1", "LPT9.log",
    "COM\u00b9", "lpt\u00b3.txt", "CONIN$", "conout$.log", "NUL" + " " * 300 + "x",
    'a<b>c:d"e/f\\g|h?i*j', "tab\there", "new\nline\r\n", "\x00nul", "del\x7f", "c1\x85\x9b[2J",
    "invoice\u202efdp.exe", "zero\u200bwidth", "\ufeffbom", "lone\ud800surrogate", "iso\u2066late",
    "trailing. . .", "   leading", ".hidden", "..\\..\\evil", "../../etc/passwd", "C:\\x",
    "a" * 300, "a" * 300 + ".tif", "x" * 300 + ".mask.tif", DEVANAGARI_100, WORDS_DEVANAGARI * 3,
    "\U0001F600" * 300, FAMILY * 60, "\U0001F1EE\U0001F1F3" * 100, "q\u0301" * 200,
    "a" + "\u0301" * 400, "e\u0301" * 200, "\u0390" * 200, "한" * 200,
    "a" * 249 + " . " * 10 + ".tif",
]


def windows_reserved(name: str) -> bool:
    """A device name, "also followed immediately by an extension"; Windows drops the spaces
    before the extension."""
    return name.split(".")[0].rstrip(" ").upper() in WINDOWS_DEVICES


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def assert_valid(name: str, reserve: int = 0) -> None:
    budget = MAX_COMPONENT - reserve
    assert name
    assert not set(name) & (WINDOWS_FORBIDDEN | ALSO_BANNED), repr(name)
    assert not windows_reserved(name), name
    assert name[0] not in " ."
    assert name[-1] not in " ."
    assert not unicodedata.category(name[0]).startswith("M")
    assert name == unicodedata.normalize("NFC", name)
    assert len(name.encode("utf-8")) <= budget
    assert utf16_units(name) <= budget
    assert utf16_units(unicodedata.normalize("NFD", name)) <= budget  # HFS+
    assert ntpath.splitdrive(name) == ("", name)
    assert not ntpath.isabs(name)
    assert ntpath.basename(name) == name == os.path.basename(name)


def fold(name: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())


@pytest.mark.parametrize("reserve", [0, len(".part"), len(".pixxel-transfer.json")])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_name_becomes_valid_everywhere(tmp_path, hostile, reserve):
    name = safe_component(hostile, "fallback", reserve=reserve)

    assert_valid(name, reserve)
    assert safe_component(hostile, "fallback", reserve=reserve) == name
    folder = tmp_path / name
    folder.mkdir()
    if reserve:
        (tmp_path / (name + ".part"[:reserve])).write_bytes(b"")
        (folder / (name + ".pixxel-transfer.json"[:reserve])).write_bytes(b"")


@pytest.mark.parametrize("name", [
    "Punjab wheat fields – Ludhiana", "पंजाब के खेत", "Ölfelder.tif", "report v1.2",
    "PXL_20240101T053000_L2A.tif", "S2 (copy).tif", "CONSOLE", "nullable.tif", "COM10", "AUXILIARY",
    "\U0001F1EE\U0001F1F3 " + FAMILY, "a\u200db\u200cc",
])
def test_a_readable_name_stays_as_it_is(name):
    assert safe_component(name, "fallback") == name


@pytest.mark.parametrize(("name", "expected"), [
    ("CON", "_CON"), ("nul.tif", "_nul.tif"), ("Con .txt", "_Con .txt"),
    ("COM\u00b2", "_COM\u00b2"), ("conin$.log", "_conin$.log"), ("prn.", "_prn"),
    ("  aux..", "_aux"),
    ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"), ("a/b\\c", "a_b_c"), ("Fields\n", "Fields"),
    ("tab\there", "tab here"), ("bell\x07", "bell_"), ("\x9b31m", "_31m"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"), ("zero\u200bwidth", "zerowidth"),
    ("lone\ud800", "lone_"), ("e\u0301t\u00e9", "\u00e9t\u00e9"), (".hidden", "hidden"),
    ("...", "fallback"), ("..", "fallback"), (" \u0301 x", "x"), ("", "fallback"),
])
def test_rules(name, expected):
    assert safe_component(name, "fallback") == expected


def test_the_fallback_is_cleaned_too_and_must_leave_something():
    assert safe_component("..", "a/b") == "a_b"
    assert safe_component("", "nul") == "_nul"
    with pytest.raises(ValueError, match="fallback"):
        safe_component("..", " . ")


@pytest.mark.parametrize("reserve", [-1, MAX_COMPONENT - 15, MAX_COMPONENT])
def test_a_reserve_must_leave_room_for_a_name(reserve):
    with pytest.raises(ValueError, match="reserve"):
        safe_component("name", "fallback", reserve=reserve)


def assert_cut_between_characters(original: str, name: str) -> None:
    """`name` is `original` (in NFC) cut short before a letter, not before a mark or after a
    virama or a joiner."""
    original = unicodedata.normalize("NFC", original)
    assert original.startswith(name)
    following = original[len(name)]
    assert not unicodedata.category(following).startswith("M")
    assert following not in "\u200c\u200d"
    assert unicodedata.combining(name[-1]) != 9
    assert name[-1] != "\u200d"


def test_100_devanagari_letters_become_a_readable_folder_name():
    assert len(DEVANAGARI_100.encode("utf-8")) == 300
    name = safe_component(DEVANAGARI_100, "aoi")

    assert name == "क" * 85  # 255 bytes
    words = safe_component(WORDS_DEVANAGARI * 3, "aoi", reserve=10)
    assert_valid(words, 10)
    assert_cut_between_characters(WORDS_DEVANAGARI * 3, words)
    assert len(words) > 60


def test_300_emoji_are_cut_between_emoji():
    name = safe_component("\U0001F600" * 300, "x")
    assert name == "\U0001F600" * 63  # 252 bytes, 126 UTF-16 units
    families = safe_component(FAMILY * 60, "x")
    assert families == FAMILY * (255 // len(FAMILY.encode("utf-8")))
    flags = safe_component("\U0001F1EE\U0001F1F3" * 100, "x")
    assert flags == "\U0001F1EE\U0001F1F3" * 31


@pytest.mark.parametrize("original", ["q\u0301" * 200, "क्ष" * 100, "ab\u0301\u0323" * 100])
def test_a_cut_never_separates_a_mark_from_its_letter(original):
    assert_cut_between_characters(original, safe_component(original, "x"))


def test_hundreds_of_marks_on_one_letter_are_cut_after_the_letter():
    name = safe_component("a" + "\u0301" * 400, "x")
    assert name.startswith("\u00e1\u0301")  # NFC: U+00E1 then the other 399 marks
    assert_valid(name)


def test_decomposition_counts_for_hfs_plus():
    # U+0390 is 2 bytes of UTF-8 and 1 UTF-16 unit, but 3 units decomposed.
    assert safe_component("\u0390" * 200, "x") == "\u0390" * 85


@pytest.mark.parametrize(("original", "extension"), [
    ("x" * 300 + ".tif", ".tif"), ("x" * 300 + ".mask.tif", ".mask.tif"),
    ("x" * 300 + ".tif.aux.xml", ".tif.aux.xml"), ("क" * 300 + ".TIF", ".TIF"),
])
def test_a_long_name_keeps_its_extension(original, extension):
    name = safe_component(original, "x", reserve=10)
    assert name.endswith(extension)
    assert len(name.encode("utf-8")) > MAX_COMPONENT - 10 - 4  # cut by a letter at most
    assert_valid(name, 10)


def test_an_extension_longer_than_the_budget_is_cut_like_the_rest():
    assert safe_component("x" * 40 + ".abcdefghij.abcdefghij", "f", reserve=239) == "x" * 16


def test_a_cut_drops_the_spaces_and_periods_it_leaves_at_the_end():
    assert safe_component("a" * 249 + " . " * 10 + ".tif", "x") == "a" * 249 + ".tif"
    assert safe_component("a" * 254 + " b", "x") == "a" * 254


def test_names_differing_by_case_or_normalisation_get_distinct_names(tmp_path):
    names = ["Field.tif", "FIELD.TIF", "fi\u00e9ld.tif", "fie\u0301ld.tif", "FI\u00c9LD.tif",
             "Stra\u00dfe", "STRASSE", "field.tif"]
    taken = []
    for name in names:
        taken.append(unique_component(safe_component(name, "x"), taken))

    assert taken == ["Field.tif", "FIELD (2).TIF", "fi\u00e9ld.tif", "fi\u00e9ld (2).tif",
                     "FI\u00c9LD (3).tif", "Stra\u00dfe", "STRASSE (2)", "field (3).tif"]
    assert len({fold(name) for name in taken}) == len(names)
    for name in taken:
        (tmp_path / name).write_bytes(b"")


def test_a_free_name_stays_and_a_numbered_one_still_fits():
    assert unique_component("a.tif", ["b.tif"]) == "a.tif"
    assert unique_component("a.tif", ["A.TIF", "a (2).tif"]) == "a (3).tif"
    long = safe_component("x" * 300 + ".tif", "x", reserve=5)
    numbered = unique_component(long, [long], reserve=5)
    assert numbered.endswith(" (2).tif")
    assert_valid(numbered, 5)


@pytest.mark.parametrize(("member", "expected"), [
    ("../x", "x"), ("/etc/passwd", "etc/passwd"), ("C:\\x", "x"), ("C:x", "x"),
    ("\\\\server\\share\\x", "server/share/x"), ("a/../../b", "a/b"), ("a\\.\\b/", "a/b"),
    ("../..", "fallback"), ("", "fallback"), ("product/CON.tif", "product/_CON.tif"),
    ("dir. /file?.tif", "dir/file_.tif"), ("\\\\?\\C:\\x", "_/C_/x"),
])
def test_an_archive_member_stays_inside(tmp_path, member, expected):
    relative = safe_relative_path(member, "fallback")
    assert relative == PurePosixPath(expected)

    target = path_inside(tmp_path, relative)
    assert tmp_path.resolve() in target.parents
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"")
    for part in relative.parts:
        assert_valid(part)


def test_path_inside_resolves_under_the_root(tmp_path):
    assert path_inside(tmp_path, "Fields") == tmp_path.resolve() / "Fields"
    assert path_inside(tmp_path, ["a", "b.tif"]) == tmp_path.resolve() / "a" / "b.tif"
    assert path_inside(tmp_path, ()) == tmp_path.resolve()


@pytest.mark.parametrize("parts", [
    "..", ".", "", ["a", ".."], "/etc", ["/", "etc"], "C:", "C:x", "a/b", "a\\b", "\\\\server",
    "x\x00", PurePosixPath("/etc/passwd"), PurePosixPath("../x"), PureWindowsPath("C:/x"),
    PureWindowsPath("//server/share/x"),
])
def test_path_inside_refuses_what_is_not_a_plain_name(tmp_path, parts):
    with pytest.raises(UnsafePathError, match="not a plain file or folder name"):
        path_inside(tmp_path, parts)


def test_path_inside_refuses_a_link_that_leads_out(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "link").symlink_to(outside, target_is_directory=True)

    with pytest.raises(UnsafePathError, match="leads outside") as caught:
        path_inside(root, ["link", "x"])
    assert isinstance(caught.value, ValueError)
    assert not (outside / "x").exists()
