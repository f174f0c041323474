"""Satellite catalogue of the sandbox, shaped like ``GET /v0/satellites`` entries.

The TD-1/TD-2 ids are Pixxel's real ones; the Firefly ids are made up but fixed so that
fixtures and saved sandbox state stay valid between runs. Band tables are synthetic: evenly
spaced VNIR centres, since Pixxel publishes no per-band table.
"""

from __future__ import annotations

SCALE = 2e-05
TRUE_COLOUR_NM = {"red": 650.0, "green": 560.0, "blue": 480.0}

# code -> (uuid, band count, first nm, last nm, resolution m)
_TABLE: dict[str, tuple[str, int, float, float, int]] = {
    "TD1": ("0004ab8d-0ad1-4d62-8a3f-fe18a7000e70", 69, 450.0, 950.0, 30),
    "TD2": ("0005c5bb-0bd2-4c80-9393-4a808341c54c", 67, 450.0, 950.0, 10),
    "FF01": ("0f1f0001-5a7e-4f1a-9c01-000000000f01", 135, 470.0, 900.0, 5),
    "FF02": ("0f1f0002-5a7e-4f1a-9c01-000000000f02", 135, 470.0, 900.0, 5),
    "FF03": ("0f1f0003-5a7e-4f1a-9c01-000000000f03", 135, 470.0, 900.0, 5),
    "FF04": ("0f1f0004-5a7e-4f1a-9c01-000000000f04", 135, 470.0, 900.0, 5),
    "FF05": ("0f1f0005-5a7e-4f1a-9c01-000000000f05", 135, 470.0, 900.0, 5),
    "FF06": ("0f1f0006-5a7e-4f1a-9c01-000000000f06", 135, 470.0, 900.0, 5),
}

SATELLITE_CODES: tuple[str, ...] = tuple(_TABLE)


def _wavelengths(count: int, first: float, last: float) -> list[float]:
    step = (last - first) / (count - 1)
    return [round(first + i * step, 1) for i in range(count)]


def _nearest_index(bands: list[dict], target_nm: float) -> int:
    return min(range(len(bands)), key=lambda i: abs(bands[i]["wavelength"] - target_nm))


def _entry(code: str) -> dict:
    uuid, count, first, last, resolution = _TABLE[code]
    bands = [
        {
            "name": f"B{i + 1:03d}",
            "wavelength": nm,
            "scale": SCALE,
            "offset": 0.0,
            "spatial_resolution": resolution,
        }
        for i, nm in enumerate(_wavelengths(count, first, last))
    ]
    return {
        "id": uuid,
        "name": f"Pixxel-{code}",
        "bands": bands,
        "collections": [],
        "rgb_composite": {
            colour: bands[_nearest_index(bands, nm)]["name"]
            for colour, nm in TRUE_COLOUR_NM.items()
        },
    }


SATELLITES: list[dict] = [_entry(code) for code in SATELLITE_CODES]


def satellite_by_code(code: str) -> dict:
    """The catalogue entry for ``TD1``, ``TD2`` or ``FF01``..``FF06``."""
    if code not in _TABLE:
        raise ValueError(
            f"unknown satellite code {code!r}; expected one of {', '.join(SATELLITE_CODES)}"
        )
    return SATELLITES[SATELLITE_CODES.index(code)]


def pick_wavelengths(code: str, count: int) -> tuple[float, ...]:
    """``count`` ascending band centres of a satellite, evenly spread, true-colour bands included.

    Real captures carry a subset of the bands (Firefly: up to 45 per capture), and a client
    must still find red/green/blue in whatever subset it gets.
    """
    bands = satellite_by_code(code)["bands"]
    if not 3 <= count <= len(bands):
        raise ValueError(f"{code} has {len(bands)} bands; asked for {count} (need at least 3)")
    indices = [round(i * (len(bands) - 1) / (count - 1)) for i in range(count)]
    fixed: set[int] = set()
    for nm in TRUE_COLOUR_NM.values():
        target = _nearest_index(bands, nm)
        # Move the nearest evenly spread pick onto the true-colour band, so the spacing stays even.
        slot = min(
            (i for i in range(count) if indices[i] not in fixed),
            key=lambda i: abs(indices[i] - target),
        )
        indices[slot] = target
        fixed.add(target)
    return tuple(bands[i]["wavelength"] for i in sorted(indices))
