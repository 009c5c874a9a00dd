"""A cache of validated catalog files, so that evaluating commands skip YAML parsing and validation.

One JSON file per catalog file in the user cache directory, keyed on the catalog's absolute
path, size, modification time (ns) and the credroi version. A catalog that changed in any of
these is parsed and validated again, so a cached result is never stale; deleting the directory
is always safe. Only catalogs that validated are stored. ``--no-cache`` or ``CREDROI_NO_CACHE=1``
turn it off. Reading or writing the cache never fails a command: any problem means a miss.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any

from credroi import __version__

FORMAT = 1
ENV_NO_CACHE = "CREDROI_NO_CACHE"


_state = {"off": False}


def switch_off(off: bool = True) -> None:
    """Turn the cache off for this process (``--no-cache``), or back on."""
    _state["off"] = off


def enabled() -> bool:
    """False after ``--no-cache``, or when ``CREDROI_NO_CACHE`` is set to anything but empty or ``0``."""
    return not _state["off"] and os.environ.get(ENV_NO_CACHE, "").strip() in ("", "0")


def cache_dir() -> Path:
    """``<user cache dir>/credroi/catalogs``."""
    from credroi.userdirs import user_dir

    return user_dir("cache") / "catalogs"


def _key(path: Path) -> tuple[Path, dict[str, Any]] | None:
    try:
        real = path.resolve()
        st = real.stat()
    except OSError:
        return None
    raw = str(real).encode("utf-8", "surrogatepass")
    digest = f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}"  # a file name; the stamp holds the full path
    stamp = {
        "format": FORMAT,
        "version": __version__,
        "path": str(real),
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
    }
    return cache_dir() / f"{digest}.json", stamp


def load(path: Path, part: str = "") -> dict[str, Any] | None:
    """The cached data of catalog ``path`` (or its ``part``), or None (a miss) if absent, stale or unreadable."""
    found = _key(path)
    if found is None:
        return None
    file, stamp = found
    if part:
        file = file.with_name(f"{file.stem}.{part}.json")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("stamp") != stamp:
        return None
    return data


def store(path: Path, payload: dict[str, Any], records: dict[str, Any] | None = None) -> None:
    """Remember the validated data of catalog ``path`` (atomically; failures are ignored).

    ``payload`` is what evaluating commands read; ``records`` (the full entries, read only by
    commands that show them) go to a second file beside it, written first.
    """
    found = _key(path)
    if found is None:
        return
    file, stamp = found
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        if records is not None:
            _write(file.with_name(f"{file.stem}.records.json"), {"stamp": stamp, **records})
        _write(file, {"stamp": stamp, **payload})
    except (OSError, ValueError, TypeError):
        return


def _write(file: Path, data: dict[str, Any]) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".catalog-", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, allow_nan=False, separators=(",", ":"))
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
