"""A DownloadJob for purchased imagery: catalogs or order items, filed under a name (kinds.py).

    name = kinds.purchased_name(client, CATALOGS, catalog_ids)
    result = run_download(client, purchased_job(CATALOGS, catalog_ids, root, name=name))

Pure Python (no Qt).
"""

from pathlib import Path
from typing import Any, Sequence

from .job import DownloadJob
from .kinds import CATALOGS, ORDER_ITEMS, PURCHASED_SCOPE, DownloadKind


def purchased_job(kind: DownloadKind, ids: Sequence[str], destination_root: Path, *, name: str,
                  **options: Any) -> DownloadJob:
    """A job downloading the catalogs or order items `ids` (kind CATALOGS or ORDER_ITEMS) into
    `<destination_root>/<name>/`; `options` are DownloadJob's (keep_zip, poll_timeout, stall). Its
    `aoi_id` is the scope `purchased:<name>`."""
    if kind not in (CATALOGS, ORDER_ITEMS):
        raise ValueError(f"not a kind of purchased imagery: {kind!r}")
    if not name.strip():
        raise ValueError("purchased imagery needs a name to be filed under")
    ids = (ids,) if isinstance(ids, str) else tuple(ids)
    return DownloadJob(f"{PURCHASED_SCOPE}{name}", ids, destination_root, aoi_name=name,
                       kind=kind, **options)
