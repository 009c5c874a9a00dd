"""A cache of validated catalog files, so that evaluating commands skip YAML parsing and validation.

One file per catalog file in the user cache directory, named after the catalog's absolute path
(symlinks not resolved) and stamped with a hash of the catalog's bytes (BLAKE2b), the cache
format, the credroi version and the Python version. A hit needs every part of the stamp to
match, so a catalog whose bytes changed is parsed and validated again even when its size and
modification time did not: a cached result is never stale. The caller
(:mod:`credroi.catalog.load`) stores values under the names of their fields and treats names
other than the code's as a miss. Deleting the directory is always safe. Only catalogs that
validated are stored. ``--no-cache`` or ``CREDROI_NO_CACHE=1`` turn it off.

Reading or writing the cache never blocks or fails a command: anything in the way (no file, a
directory, a FIFO or device, a symlink loop, no permission, a file truncated, garbled or larger
than :data:`MAX_FILE`, a cache directory that is a file) is a miss, and a write that fails is
dropped. Files are opened non-blocking and read only if the opened descriptor is a regular file.
Writes go to a temporary file renamed into place, so a reader sees a whole file or none.

The files hold :mod:`marshal` data behind a magic string and a CRC-32 of it: marshal is built
in (``json`` costs about 3 ms of start-up to import, most of it compiling its regular
expressions) and loads plain dicts, lists, strings and floats several times faster. Its format
may change between Python versions, so the Python version is part of the stamp; a file whose
checksum does not match is a miss and is never unmarshalled. The cache is private to the user
and holds nothing but validated catalog data.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import zlib
from pathlib import Path
from typing import Any

from credroi import __version__

FORMAT = 4
"""Bumped whenever what the files hold changes; files of another format are misses, then replaced.

3: stamped with a hash of the catalog's bytes (not its size and mtime); credentials stored as
rows under a header of field names.
4: the catalog's roles too (rows under a header of role fields, with their origins), and the
line of each item of an entry's `roles`."""

MAGIC = b"credroi-cache\n"
SUFFIX = ".cache"
ENV_NO_CACHE = "CREDROI_NO_CACHE"
MAX_FILE = 64 * 1024 * 1024
"""Largest cache file read; a larger one is a miss (the records part of a 5 MiB catalog takes about 6 MiB)."""

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
"""Opening a FIFO or a device for reading returns at once; ``_read`` then refuses anything but a regular file."""


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


def content_key(data: bytes) -> str:
    """The hash of a catalog's bytes that a cached entry must match: ``blake2b:`` and 64 hex digits.

    BLAKE2b from the built-in ``_blake2`` module, which is what ``hashlib.blake2b`` is: importing
    ``hashlib`` itself loads OpenSSL, about 3 ms of start-up. It hashes about 1 GB/s (0.1 ms for
    the bundled catalog, 5.5 ms for a 5 MiB one).
    """
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without its own BLAKE2
        from hashlib import blake2b
    return "blake2b:" + blake2b(data).hexdigest()


def _key(path: Path, content: str) -> tuple[Path, dict[str, Any]]:
    # The path only names the cache file (one per catalog, replaced when the catalog changes): the
    # content hash decides a hit, so the absolute path is enough, without resolving symlinks.
    where = os.path.abspath(path)
    raw = where.encode("utf-8", "surrogatepass")
    name = f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}"  # a file name; the stamp holds the full path
    stamp = {
        "format": FORMAT,
        "version": __version__,
        "python": sys.implementation.cache_tag,
        "marshal": marshal.version,
        "path": where,
        "content": content,
    }
    return cache_dir() / f"{name}{SUFFIX}", stamp


def _part(file: Path, part: str) -> Path:
    return file.with_name(f"{file.stem}.{part}{SUFFIX}") if part else file


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


def _read(file: Path) -> bytes | None:
    """The bytes of ``file`` if it is a regular file of at most :data:`MAX_FILE` bytes, else None.

    Opened without blocking and checked on the open descriptor, so a FIFO, a device or a
    directory put there (even between a check and the open) is never read.
    """
    fd = os.open(file, _OPEN_FLAGS)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE:
            return None
        chunks = []
        left = MAX_FILE + 1  # one byte more than allowed: a file that grew past it is refused
        want = st.st_size + 1  # the whole file in one read, and not a buffer of MAX_FILE bytes
        while left > 0:
            chunk = os.read(fd, min(want, left))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            want = 1 << 16
    finally:
        os.close(fd)
    return b"".join(chunks) if left > 0 else None


def load(path: Path, content: str, part: str = "") -> dict[str, Any] | None:
    """The cached data of catalog ``path`` (or its ``part``) whose bytes hash to ``content``, or None (a miss).

    ``content`` is :func:`content_key` of the bytes the caller read. Never raises, never blocks.
    """
    try:
        file, stamp = _key(path, content)
        raw = _read(_part(file, part))
    except (OSError, ValueError):  # ValueError: a NUL in a path
        return None
    data = decode(raw) if raw is not None else None
    if data is None or data.get("stamp") != stamp:
        return None
    return data


def store(path: Path, content: str, payload: dict[str, Any], records: dict[str, Any] | None = None) -> None:
    """Remember the validated data of catalog ``path``, whose bytes hash to ``content`` (atomically; failures ignored).

    ``payload`` is what evaluating commands read; ``records`` (the full entries, read only by
    commands that show them) go to a second file beside it, written first.
    """
    try:
        file, stamp = _key(path, content)
        file.parent.mkdir(parents=True, exist_ok=True)
        if records is not None:
            _write(_part(file, "records"), {"stamp": stamp, **records})
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
