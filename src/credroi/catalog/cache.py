"""A cache of validated catalog files, so that evaluating commands skip YAML parsing and validation.

One file per catalog file in the user cache directory, keyed on the catalog's absolute
path, size, modification time (ns), the credroi version and the Python version. A catalog that changed in any of
these is parsed and validated again, so a cached result is never stale; deleting the directory
is always safe. Only catalogs that validated are stored. ``--no-cache`` or ``CREDROI_NO_CACHE=1``
turn it off. Reading or writing the cache never fails a command: any problem means a miss.

The files hold :mod:`marshal` data behind a magic string and a CRC-32 of it: marshal is built
in (``json`` costs about 3 ms of start-up to import, most of it compiling its regular
expressions) and loads plain dicts, lists, strings and floats several times faster. Its format
may change between Python versions, so the Python version is part of the key; a file whose
checksum does not match is a miss and is never unmarshalled. The cache is private to the user
and holds nothing but validated catalog data.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import Any

from credroi import __version__

FORMAT = 2
MAGIC = b"credroi-cache\n"
SUFFIX = ".cache"
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
        "python": sys.implementation.cache_tag,
        "marshal": marshal.version,
        "path": str(real),
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
    }
    return cache_dir() / f"{digest}{SUFFIX}", stamp


def encode(data: dict[str, Any]) -> bytes:
    """``data`` as the bytes of a cache file: the magic string, a CRC-32, then marshal data."""
    body = marshal.dumps(data)
    return MAGIC + zlib.crc32(body).to_bytes(4, "big") + body


def decode(raw: bytes) -> dict[str, Any] | None:
    """The data of a cache file's bytes, or None when they are not a whole, intact cache file."""
    head = len(MAGIC)
    if not raw.startswith(MAGIC) or len(raw) < head + 4:
        return None
    body = raw[head + 4 :]
    if zlib.crc32(body) != int.from_bytes(raw[head : head + 4], "big"):
        return None
    try:
        data = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def load(path: Path, part: str = "") -> dict[str, Any] | None:
    """The cached data of catalog ``path`` (or its ``part``), or None (a miss) if absent, stale or unreadable."""
    found = _key(path)
    if found is None:
        return None
    file, stamp = found
    if part:
        file = file.with_name(f"{file.stem}.{part}{SUFFIX}")
    try:
        data = decode(file.read_bytes())
    except OSError:
        return None
    if data is None or data.get("stamp") != stamp:
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
            _write(file.with_name(f"{file.stem}.records{SUFFIX}"), {"stamp": stamp, **records})
        _write(file, {"stamp": stamp, **payload})
        for old in (f"{file.stem}.json", f"{file.stem}.records.json"):  # this catalog in the earlier JSON format
            file.with_name(old).unlink(missing_ok=True)
    except (OSError, ValueError, TypeError):
        return


def _write(file: Path, data: dict[str, Any]) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".catalog-", suffix=".tmp", dir=file.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(encode(data))
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
