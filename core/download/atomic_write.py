"""Files replaced whole or not at all: written under a temporary name beside the target, then
renamed over it, so that a reader, a crash or a full disk never leaves half a file."""

import os
from pathlib import Path
from typing import Union


def write_atomically(path: Path, content: Union[str, bytes], *, sync: bool = False) -> None:
    """Write `content` (text as UTF-8) to `path` through a temporary file in its folder, made if
    missing; `sync`: on disk before the rename (what must survive a power cut). Raises OSError,
    with the temporary file removed."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    # Hidden, and one per process: two QGIS sessions never write each other's temporary file.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as stream:
            stream.write(data)
            if sync:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
