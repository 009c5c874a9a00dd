"""The cache of validated catalogs: used when fresh, never stale, safe to break or delete, can be off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from credroi.catalog import Catalog, bundled_path, cache, load_catalog, parse_catalog
from credroi.model.engine import Credential

from .conftest import Runner

ENTRY = """\
currency: USD
credentials:
  - id: mine
    name: Mine
    issuer: Me
    kind: certification
    fields: [x]
    cost: {{exam_fee: {fee}}}
    study: {{weeks: 2, hours_per_week: 5}}
    recognition: 0.5
    salary_uplift: {{low: 0, typical: 0.05, high: 0.1}}
"""


def write(path: Path, fee: int) -> None:
    path.write_text(ENTRY.format(fee=fee), encoding="utf-8")


def files() -> list[Path]:
    """The cache's main files (each has a `.records` part beside it)."""
    return sorted(p for p in cache.cache_dir().glob("*.cache") if not p.name.endswith(".records.cache"))


def test_first_load_fills_the_cache_and_the_second_uses_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first load stores the catalog; the second reads it from the cache without parsing, with the same data."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    first = load_catalog([str(path)])
    assert len(files()) == 1
    assert first._entries is not None  # parsed afresh: pydantic entries at hand

    def fail(*_: object) -> None:
        raise AssertionError("the catalog was parsed again")

    monkeypatch.setattr("credroi.catalog.load.parse_catalog", fail)
    second = load_catalog([str(path)])
    assert second._entries is None  # from the cache: no pydantic needed
    assert second._records is None  # nor the full records, until asked for
    assert second.credentials() == first.credentials()
    assert second.records == first.records
    assert second.origins == first.origins
    assert second.get("mine").cost.exam_fee == 100  # entries still built on demand


def test_a_changed_file_is_read_again(run: Runner, tmp_path: Path) -> None:
    """A catalog edited after it was cached is read again, and an edit that breaks it is reported."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    first = json.loads(run("compare", "--catalog", str(path), "--format", "json").out)
    write(path, 5000)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    second = json.loads(run("compare", "--catalog", str(path), "--format", "json").out)
    assert second["results"][0]["direct_cost"] > first["results"][0]["direct_cost"]
    write(path, -1)  # now invalid: the old cache entry must not hide the error
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 2_000_000))
    r = run("compare", "--catalog", str(path))
    assert r.code == 1
    assert "exam_fee: must be >= 0" in r.err


def test_a_broken_cache_file_is_a_miss(tmp_path: Path) -> None:
    """Empty, garbled, truncated or foreign cache files are misses: the catalog is read itself."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    load_catalog([str(path)])
    (cached,) = files()
    good = cached.read_bytes()
    for broken in (b"", b"{not a cache", good[:-1], good[:-3] + b"\x00\x00\x00", cache.MAGIC + b"\x00" * 8):
        cached.write_bytes(broken)
        assert cache.decode(broken) is None
        assert load_catalog([str(path)]).credential("mine").exam_fee == 100
    cached.write_bytes(cache.encode({"stamp": {}, "records": 5}))  # intact but of another file
    assert load_catalog([str(path)]).credential("mine").exam_fee == 100


def test_cache_can_be_turned_off(run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--no-cache`` and ``CREDROI_NO_CACHE=1`` write no cache file; ``CREDROI_NO_CACHE=0`` leaves it on."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    assert run("--no-cache", "compare", "--catalog", str(path)).code == 0
    assert files() == []
    monkeypatch.setenv("CREDROI_NO_CACHE", "1")
    assert not cache.enabled()
    load_catalog([str(path)])
    assert files() == []
    monkeypatch.setenv("CREDROI_NO_CACHE", "0")
    assert cache.enabled()


def test_an_unwritable_cache_does_not_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user cache directory that is a file cannot be written, and the catalog still loads."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_catalog().credential("aws-saa").exam_fee == 150


def test_the_bundled_catalog_is_cached_too() -> None:
    """The bundled catalog gets a cache file stamped with its real path."""
    load_catalog()
    (cached,) = files()
    data = cache.decode(cached.read_bytes())
    assert data is not None
    assert data["stamp"]["path"] == os.path.abspath(bundled_path())


def test_records_part_missing_falls_back_to_the_file(tmp_path: Path) -> None:
    """Without the records part, showing an entry reads the catalog file itself."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    load_catalog([str(path)])
    (main_file,) = files()
    main_file.with_name(main_file.stem + ".records.cache").unlink()
    again = load_catalog([str(path)])
    assert again.get("mine").cost.exam_fee == 100


def test_storing_removes_the_same_catalogs_files_of_the_old_json_format(tmp_path: Path) -> None:
    """Storing a catalog deletes its own files of the old JSON format and leaves other catalogs' alone."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    load_catalog([str(path)])
    (current,) = files()
    old = [current.with_suffix(".json"), current.with_name(current.stem + ".records.json")]
    other = current.with_name("0123456789abcdef.json")  # another catalog's: left alone
    for stale in [*old, other]:
        stale.write_text("{}", encoding="utf-8")
    write(path, 200)  # changed: read again and stored again
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert load_catalog([str(path)]).credential("mine").exam_fee == 200
    assert not any(p.exists() for p in old)
    assert other.exists()


def cached_data() -> dict[str, Any]:
    """The decoded main cache file of the one catalog loaded so far."""
    (main_file,) = files()
    data = cache.decode(main_file.read_bytes())
    assert data is not None
    return data


def same_size_edit(path: Path, fee: int) -> None:
    """Rewrite ``path`` with another fee of as many digits, then put its modification time back."""
    before = path.stat()
    write(path, fee)
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns


def test_an_edit_keeping_size_and_mtime_is_not_served_stale(run: Runner, tmp_path: Path) -> None:
    """A catalog edited to the same size with its mtime restored shows the new fee, not the cached one."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    first = json.loads(run("compare", "--catalog", str(path), "--format", "json").out)
    cached = load_catalog([str(path)])
    assert cached._entries is None  # a hit: what a stale entry would be served from
    assert cached.credential("mine").exam_fee == 100
    same_size_edit(path, 900)
    second = json.loads(run("compare", "--catalog", str(path), "--format", "json").out)
    assert second["results"][0]["direct_cost"] == first["results"][0]["direct_cost"] + 800
    assert load_catalog([str(path)]).credential("mine").exam_fee == 900
    assert load_catalog([str(path)]).get("mine").cost.exam_fee == 900  # the records part too


def test_the_stamp_is_a_hash_of_the_catalogs_bytes(tmp_path: Path) -> None:
    """A cache file is stamped with the hash of the catalog's bytes, not its size or mtime."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    load_catalog([str(path)])
    stamp = cached_data()["stamp"]
    assert isinstance(stamp, dict)
    assert stamp["content"] == cache.content_key(path.read_bytes())
    assert stamp["content"].startswith("blake2b:")
    assert "size" not in stamp
    assert "mtime_ns" not in stamp
    assert cache.content_key(b"a") != cache.content_key(b"b")


def test_credentials_are_stored_by_field_name(tmp_path: Path) -> None:
    """The cached credentials are rows under a header that names each column after a Credential field."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    load_catalog([str(path)])
    data = cached_data()
    assert data["credential_fields"] == Credential._fields
    (row,) = data["credentials"]
    named = dict(zip(data["credential_fields"], row, strict=True))
    assert named["id"] == "mine"
    assert named["exam_fee"] == 100
    assert named["study_weeks"] == 2


@pytest.mark.parametrize(
    ("key", "header"),
    [
        ("credential_fields", ("bogus", *Credential._fields[1:])),  # a field the code does not have
        ("credential_fields", Credential._fields[:-1]),  # a field missing
        ("credential_fields", (*Credential._fields, "bogus")),  # a field more
        ("credential_fields", (Credential._fields[1], Credential._fields[0], *Credential._fields[2:])),  # reordered
        ("origin_fields", ("bogus",)),  # written for another Origin
        ("role_fields", ("bogus",)),  # written for another Role
    ],
)
def test_a_header_of_other_fields_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, header: tuple[str, ...]
) -> None:
    """A cache entry whose header names other fields than the code's is a miss, never a wrong value."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    load_catalog([str(path)])
    (main_file,) = files()
    data = cached_data()
    assert key in data
    main_file.write_bytes(cache.encode({**data, key: header}))
    parsed: list[str] = []

    def counting_parse(text: str, shown: str) -> Catalog:
        parsed.append(shown)
        return parse_catalog(text, shown)

    monkeypatch.setattr("credroi.catalog.load.parse_catalog", counting_parse)
    again = load_catalog([str(path)])
    assert parsed == [str(path)]  # a miss: the file was parsed
    assert again.credential("mine").exam_fee == 100
    assert again.credential("mine").name == "Mine"


ROLES = """\
roles:
  - id: it-support
    name: Computer user support specialist
    soc: 15-1232
    salary: {low: 47000, typical: 60340, high: 77000}
    as_of: 2026-11
"""


def test_roles_are_cached_with_their_origins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalog's roles come back from the cache as they were parsed, origins and entries' role lines included."""
    path = tmp_path / "mine.yaml"
    path.write_text(
        ROLES + ENTRY.format(fee=100).removeprefix("currency: USD\n") + "    roles: [it-support]\n", encoding="utf-8"
    )
    first = load_catalog([str(path)])

    def fail(*_: object) -> None:
        raise AssertionError("the catalog was parsed again")

    monkeypatch.setattr("credroi.catalog.load.parse_catalog", fail)
    second = load_catalog([str(path)])
    assert second._entries is None  # from the cache
    assert second.role_records == first.role_records
    assert second.role_origins == first.role_origins
    assert second.origins == first.origins
    assert second.origins["mine"].roles_lines == (17,)
    assert second.model_roles() == first.model_roles()
    assert second.role("it-support").salary_typical == 60340
    assert second.roles == first.roles


def test_a_cache_entry_without_roles_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache file written before roles were cached (no role header) is a miss: the roles are read from the file."""
    path = tmp_path / "mine.yaml"
    path.write_text(ROLES + ENTRY.format(fee=100).removeprefix("currency: USD\n"), encoding="utf-8")
    load_catalog([str(path)])
    (main_file,) = files()
    data = cached_data()
    old = {k: v for k, v in data.items() if k not in ("role_fields", "roles", "role_origins")}
    main_file.write_bytes(cache.encode(old))
    parsed: list[str] = []

    def counting_parse(text: str, shown: str) -> Catalog:
        parsed.append(shown)
        return parse_catalog(text, shown)

    monkeypatch.setattr("credroi.catalog.load.parse_catalog", counting_parse)
    again = load_catalog([str(path)])
    assert parsed == [str(path)]
    assert list(again.model_roles()) == ["it-support"]
    assert cache.FORMAT >= 4  # and files of the format before roles are misses by their stamp


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m credroi ARGS`` in a fresh process (same cache directory) and give up after 60 s."""
    return subprocess.run(
        [sys.executable, "-m", "credroi", *args], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_place_of_a_cache_file_does_not_hang(tmp_path: Path) -> None:
    """A FIFO where a cache file (or its records part) should be is a miss, not a hang; the command works."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    load_catalog([str(path)])
    (main_file,) = files()
    records = main_file.with_name(main_file.stem + ".records.cache")
    records.unlink()
    os.mkfifo(records)
    r = run_cli("show", "mine", "--catalog", str(path), "--format", "json")  # times out if it blocks
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["entry"]["cost"]["exam_fee"] == 100
    main_file.unlink()
    os.mkfifo(main_file)
    r = run_cli("compare", "--catalog", str(path), "--format", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"][0]["id"] == "mine"
    assert main_file.is_file()  # the atomic write replaced the FIFO


def break_cache(kind: str, file: Path) -> None:
    """Put something that is not a readable cache file at ``file``."""
    file.unlink()
    if kind == "directory":
        file.mkdir()
        (file / "inside").write_bytes(b"x")
    elif kind == "symlink loop":
        file.symlink_to(file.name)
    elif kind == "dangling symlink":
        file.symlink_to("nowhere")
    elif kind == "huge":
        with file.open("wb") as fh:
            fh.truncate(cache.MAX_FILE + 1)  # sparse: costs no disk, and must never be read
    elif kind == "device":
        file.symlink_to("/dev/zero")


@pytest.mark.parametrize("kind", ["directory", "symlink loop", "dangling symlink", "huge", "device"])
def test_a_cache_file_that_is_not_a_regular_file_is_a_miss(tmp_path: Path, kind: str) -> None:
    """A directory, a symlink loop, a dangling symlink, a huge file or a device as a cache file is a miss."""
    if kind == "device" and not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    path = tmp_path / "mine.yaml"
    write(path, 100)
    load_catalog([str(path)])
    (main_file,) = files()
    records = main_file.with_name(main_file.stem + ".records.cache")
    for file in (main_file, records):
        break_cache(kind, file)
    same_size_edit(path, 300)
    assert cache.load(path, cache.content_key(path.read_bytes())) is None
    again = load_catalog([str(path)])
    assert again.credential("mine").exam_fee == 300
    assert again.get("mine").cost.exam_fee == 300


def test_a_cache_directory_that_is_a_file_is_a_miss(tmp_path: Path) -> None:
    """When ``catalogs`` in the cache directory is a file, loads are misses and stores are dropped."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    directory = cache.cache_dir()
    directory.parent.mkdir(parents=True, exist_ok=True)
    directory.write_bytes(b"not a directory")
    for _ in range(2):
        cat = load_catalog([str(path)])
        assert cat._entries is not None  # parsed both times
        assert cat.credential("mine").exam_fee == 100
    assert directory.read_bytes() == b"not a directory"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files without read permission")
def test_an_unreadable_cache_file_is_a_miss(tmp_path: Path) -> None:
    """A cache file without read permission is a miss."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    load_catalog([str(path)])
    (main_file,) = files()
    main_file.chmod(0)
    same_size_edit(path, 400)
    assert load_catalog([str(path)]).credential("mine").exam_fee == 400


def test_a_permission_error_on_the_cache_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache file that cannot be opened (PermissionError, as for a non-root user without read access) is a miss."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    load_catalog([str(path)])
    real_open = os.open
    where = str(cache.cache_dir())

    def denied(file: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if os.fspath(file).startswith(where):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    again = load_catalog([str(path)])  # unchanged, but its cache files cannot be opened
    assert again._entries is not None  # a miss: parsed
    assert again.credential("mine").exam_fee == 100


def test_records_come_from_the_bytes_that_were_hashed(tmp_path: Path) -> None:
    """Without a records part, the records come from the bytes read at load, not from a file edited since."""
    path = tmp_path / "mine.yaml"
    write(path, 100)
    load_catalog([str(path)])
    (main_file,) = files()
    cat = load_catalog([str(path)])
    assert cat._records is None  # from the cache
    main_file.with_name(main_file.stem + ".records.cache").unlink()
    write(path, 999)  # edited after the load: this catalog object still describes the fee-100 file
    assert cat.get("mine").cost.exam_fee == cat.credential("mine").exam_fee == 100


def test_a_catalog_from_a_pipe_works_and_is_not_cached(tmp_path: Path) -> None:
    """A catalog given as a pipe (``--catalog <(...)``) is read once and used, and leaves no cache file."""
    if not Path("/dev/fd").is_dir():
        pytest.skip("no /dev/fd")
    script = (
        "import os, sys\n"
        "from credroi.cli import main\n"
        "r, w = os.pipe()\n"
        "os.write(w, sys.argv[1].encode())\n"  # small enough for the pipe's buffer
        "os.close(w)\n"
        "main(['compare', '--catalog', f'/dev/fd/{r}', '--format', 'json'])\n"
    )
    text = ENTRY.format(fee=700)
    r = subprocess.run([sys.executable, "-c", script, text], capture_output=True, text=True, timeout=60, check=False)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"][0]["id"] == "mine"
    assert not cache.cache_dir().exists() or files() == []
