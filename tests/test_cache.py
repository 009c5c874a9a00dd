"""The cache of validated catalogs: used when fresh, never stale, safe to break or delete, can be off."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from credroi.catalog import bundled_path, cache, load_catalog

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
    path = tmp_path / "mine.yaml"
    write(path, 100)
    first = load_catalog([str(path)])
    assert len(files()) == 1
    assert first._entries is not None  # parsed afresh: pydantic entries at hand

    def fail(*_: object) -> None:
        raise AssertionError("the catalog was parsed again")

    monkeypatch.setattr("credroi.catalog.parse_catalog", fail)
    second = load_catalog([str(path)])
    assert second._entries is None  # from the cache: no pydantic needed
    assert second._records is None  # nor the full records, until asked for
    assert second.credentials() == first.credentials()
    assert second.records == first.records
    assert second.origins == first.origins
    assert second.get("mine").cost.exam_fee == 100  # entries still built on demand


def test_a_changed_file_is_read_again(run: Runner, tmp_path: Path) -> None:
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
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_catalog().credential("aws-saa").exam_fee == 150


def test_the_bundled_catalog_is_cached_too() -> None:
    load_catalog()
    (cached,) = files()
    data = cache.decode(cached.read_bytes())
    assert data is not None
    assert data["stamp"]["path"] == str(bundled_path().resolve())


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
