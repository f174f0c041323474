"""File and folder names from outside (AOI, product, catalog and order names from the API, member
names from zip archives) made safe on Windows, macOS and Linux, and kept inside the download folder.

    folder = path_inside(root, [safe_component(aoi.name, safe_component(aoi.id, "aoi"))])
    name = unique_component(safe_component(asset_name, "product", reserve=10), taken)
    target = path_inside(folder, safe_relative_path(member.filename, "file"))

The Windows rules are Microsoft's "Naming Files, Paths, and Namespaces" (learn.microsoft.com/
windows/win32/fileio/naming-a-file): no `<>:"/\\|?*` nor characters 0-31, no name ending in a space
or a period, and no device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, COM¹²³, LPT¹²³; CONIN$ and
CONOUT$ from CreateFile's documentation), "also followed immediately by an extension": Windows
drops trailing spaces before the first period too, so `Con .txt` is the console, as in CPython
3.13's ntpath.isreserved. A component may hold 255 UTF-16 code units on NTFS, 255 bytes on Linux
and APFS, and 255 UTF-16 units of the decomposed (NFD) form on HFS+: every result fits all three.

Pure Python, standard library only.
"""

import itertools
import os
import re
import unicodedata
from pathlib import Path, PurePath, PurePosixPath
from typing import Iterable, List, Sequence, Tuple, Union

from ..pixxel.errors import PixxelError

MAX_COMPONENT = 255  # bytes (Linux, APFS) and UTF-16 code units (NTFS; HFS+ after NFD)
# Room a file's name leaves for what is appended to it on disk: `.part.json` (10), GDAL's
# `.aux.xml` (8), atomic_write's `.<name>.<pid>.tmp` around a `.qml` beside an image.
FILE_RESERVE = 24
_MIN_BUDGET = 16  # what a `reserve` must leave: a readable name and an extension

# Bidi controls and zero-width characters are dropped: invisible, they make a name look unlike
# what it is ("invoice\u202efdp.exe" shows as "invoiceexe.pdf"). ZWJ and ZWNJ stay: Devanagari,
# Persian and emoji sequences need them to render as written.
_INVISIBLE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
# Line breaks and tabs become spaces, so "Fields\n" is "Fields" and not "Fields_".
_AS_SPACE = str.maketrans(dict.fromkeys("\t\n\v\f\r\x85\u2028\u2029", " "))
# Windows' forbidden characters; C0, DEL and C1 controls (C1 includes the terminal's CSI, a
# file name shown in a log must not drive it); lone surrogates, which no file system encodes.
_FORBIDDEN = re.compile('[<>:"/\\\\|?*\x00-\x1f\x7f-\x9f\ud800-\udfff]')
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                      *(f"{port}{digit}" for port in ("COM", "LPT") for digit in "123456789¹²³")})
# An extension worth keeping when a name is cut: up to three short ASCII segments, each with a
# letter (".tif", ".mask.tif", ".tif.aux.xml"; not the ".2" of "v1.2").
_EXTENSION = re.compile(r"(?:\.(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,10}){1,3}$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_NOT_A_COMPONENT = re.compile(r"[/\\:\x00]")


class UnsafePathError(PixxelError, ValueError):
    """A path that is not a plain relative path under its root."""


def safe_component(name: str, fallback: str, *, reserve: int = 0) -> str:
    """`name` as one file or folder name valid everywhere, `MAX_COMPONENT - reserve` long at most
    (leave room for what gets appended: `.part`, a sidecar's suffix). Cleaned of forbidden and
    invisible characters, NFC, without leading or trailing spaces and periods (nothing hidden,
    nothing like the plugin's own `.pixxel-*` files), device names prefixed with `_`, cut on a
    character boundary keeping the extension. `fallback` (cleaned the same way) stands in when
    nothing is left of `name`; ValueError if nothing is left of it either."""
    budget = _budget(reserve)
    cleaned = _clean(name) or _clean(fallback)
    if not cleaned:
        raise ValueError(f"The fallback {fallback!r} is not a usable file name.")
    return _finish(cleaned, budget)


def unique_component(name: str, taken: Iterable[str], *, reserve: int = 0) -> str:
    """`name` (a safe_component result), or `name (2)`, `name (3)`... before its extension: the
    first that no name in `taken` equals once case and normalisation are ignored, as Windows and
    macOS ignore them. Cut to the same budget as safe_component, so the counter always fits."""
    budget = _budget(reserve)
    keys = {name_key(other) for other in taken}
    if name_key(name) not in keys:
        return name
    numbered = (_shorten(name, budget, f" ({number})") for number in itertools.count(2))
    return next(candidate for candidate in numbered if name_key(candidate) not in keys)


def safe_relative_path(member_name: str, fallback: str, *, reserve: int = 0) -> PurePosixPath:
    """A zip member's name as a relative path of safe components. Like zipfile.extract: `/` and
    `\\` both separate, a drive (`C:`), the root and `.`/`..` are dropped, so the path cannot climb
    out (`../x` is `x`, `\\\\server\\share\\x` is `server/share/x`). Two members may end up on one
    path: the caller must look for that. `fallback` when nothing is left; `reserve` applies to
    every component."""
    budget = _budget(reserve)
    pieces = re.split(r"[/\\]", _DRIVE.sub("", member_name, count=1))
    parts = [_finish(cleaned, budget) for cleaned in map(_clean, pieces) if cleaned]
    return PurePosixPath(*(parts or [safe_component("", fallback, reserve=reserve)]))


def path_inside(root: Path, parts: Union[str, PurePath, Sequence[str]]) -> Path:
    """`root/parts` resolved, checked to be `root` or under it (also through symbolic links).
    `parts` are components (a str is one): none may be empty, `.`, `..`, absolute or hold a
    separator, a drive's colon or NUL. Raises UnsafePathError, writing nothing."""
    if isinstance(parts, str):
        parts = (parts,)
    elif isinstance(parts, PurePath):
        parts = parts.parts
    # os.path.realpath, not Path.resolve: before Python 3.10, resolve() of a path that does not
    # exist yet could come back relative on Windows (bpo-38671), and QGIS 3.22 ships 3.9 there.
    real_root = Path(os.path.realpath(root))
    for part in parts:
        if part in ("", ".", "..") or _NOT_A_COMPONENT.search(part):
            raise UnsafePathError(f"{part!r} is not a plain file or folder name; nothing was "
                                  f"written under {real_root}.")
    target = Path(os.path.realpath(real_root.joinpath(*parts)))
    if target != real_root and real_root not in target.parents:
        raise UnsafePathError(f"{'/'.join(parts)} leads outside {real_root} (through a link); "
                              f"nothing was written there.")
    return target


# --- internals ---------------------------------------------------------------------------------


def _budget(reserve: int) -> int:
    if not 0 <= reserve <= MAX_COMPONENT - _MIN_BUDGET:
        raise ValueError(f"reserve must be between 0 and {MAX_COMPONENT - _MIN_BUDGET}: {reserve}")
    return MAX_COMPONENT - reserve


def _clean(name: str) -> str:
    """NFC without forbidden or invisible characters, outer spaces and periods, nor a combining
    mark first (it would sit on nothing). Empty when nothing is left."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", name or "").translate(_AS_SPACE))
    text = _FORBIDDEN.sub("_", text)
    start = 0
    while start < len(text) and (text[start] in " ." or _is_mark(text[start])):
        start += 1
    return text[start:].rstrip(" .")


def _finish(cleaned: str, budget: int) -> str:
    name = _shorten(cleaned, budget)
    # After the cut: "NUL" followed by 300 spaces is cut down to "NUL". "_" ends any device name.
    return _shorten("_" + name, budget) if is_device_name(name) else name


def is_device_name(name: str) -> bool:
    """Whether Windows takes `name` for a device (CON, NUL, COM1, CONIN$…, with any extension)."""
    return name.partition(".")[0].rstrip(" ").upper() in _DEVICES


def name_key(name: str) -> str:
    """What two names share when Windows or macOS would take them for one file: Unicode's
    canonical caseless match (D145), NFD(casefold(NFD(name)))."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", name).casefold())


def _shorten(name: str, budget: int, counter: str = "") -> str:
    """`name` with `counter` before its extension, cut to `budget` at a character boundary:
    the stem is cut, the extension kept, unless not even one character of the stem would fit."""
    if not counter and _fits(name, budget):
        return name
    match = _EXTENSION.search(name, 1)
    stem, extension = (name[:match.start()], match.group()) if match else (name, "")
    for head, tail in ((stem, counter + extension), (name, counter)):
        kept = _take(_clusters(head), tail, budget)
        if kept:
            return kept + tail
    # One character with hundreds of combining marks: cut inside it, its base character first.
    return _take(list(name), counter, budget) + counter


def _take(pieces: Sequence[str], tail: str, budget: int) -> str:
    """The longest run of `pieces` from the start that fits beside `tail`, without trailing
    spaces and periods. Each measure is additive (NFD decomposes code point by code point)."""
    used = _measure(tail)
    kept: List[str] = []
    for piece in pieces:
        cost = _measure(piece)
        used = tuple(total + add for total, add in zip(used, cost))
        if max(used) > budget:
            break
        kept.append(piece)
    return "".join(kept).rstrip(" .")


def _fits(name: str, budget: int) -> bool:
    return max(_measure(name)) <= budget


def _measure(text: str) -> Tuple[int, int, int]:
    """(UTF-8 bytes, UTF-16 code units, UTF-16 code units of the NFD form)."""
    return (len(text.encode("utf-8")), len(text.encode("utf-16-le")) // 2,
            len(unicodedata.normalize("NFD", text).encode("utf-16-le")) // 2)


def _clusters(text: str) -> List[str]:
    """`text` in user-perceived characters, nearly (Unicode's extended grapheme clusters without
    the tables): marks, ZWJ/ZWNJ, what follows a ZWJ or a virama, emoji skin tones and tags stay
    with their base; regional indicators pair up into flags. A cut between clusters never leaves
    a mark without its letter, half a conjunct or half an emoji."""
    clusters: List[str] = []
    flag_half = False
    for char in text:
        code = ord(char)
        indicator = 0x1F1E6 <= code <= 0x1F1FF
        pair = indicator and flag_half
        flag_half = indicator and not pair
        joins = clusters and (
            pair or _is_mark(char) or char in "\u200c\u200d" or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0020 <= code <= 0xE007F or clusters[-1][-1] == "\u200d"
            or (unicodedata.combining(clusters[-1][-1]) == 9 and char.isalpha()))
        if joins:
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")
