"""JSON catalogs: the YAML schema read from JSON, problems with entry, field and line, and the size limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from credroi.catalog import CatalogError, bundled_path, load_catalog
from credroi.catalog.load import ENV_MAX_MIB, MAX_BYTES, MAX_JSON_BYTES, max_bytes

from .conftest import Runner

BUNDLED = yaml.safe_load(bundled_path().read_text(encoding="utf-8"))


def as_json(tmp_path: Path, data: object, name: str = "catalog.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(CatalogError) as err:
        load_catalog([str(path)], cache=False)
    return [str(p) for p in err.value.problems]


def test_the_bundled_catalog_as_json_is_the_same_catalog(tmp_path: Path) -> None:
    """Every entry, record and role of the bundled YAML catalog, read from its JSON twin, is the same."""
    from_json = load_catalog([str(as_json(tmp_path, BUNDLED))], cache=False)
    from_yaml = load_catalog(cache=False)
    assert from_json.credentials() == from_yaml.credentials()
    assert from_json.records == from_yaml.records
    assert from_json.role_records == from_yaml.role_records
    cached = load_catalog([str(as_json(tmp_path, BUNDLED))])  # through the cache, twice
    assert load_catalog([str(as_json(tmp_path, BUNDLED))]).credentials() == cached.credentials()


def test_a_syntax_error_names_its_line(tmp_path: Path) -> None:
    """The JSON parser's line and column are in the problem."""
    path = tmp_path / "broken.json"
    path.write_text('{"credentials": [\n  {"id": "x",,}\n]}\n', encoding="utf-8")
    assert problems(path) == [f"{path}:2: invalid JSON: Expecting property name enclosed in double quotes (column 14)"]


def test_a_schema_error_names_entry_field_and_line(tmp_path: Path) -> None:
    """A value the schema refuses is reported at its entry and field, with the line it is on."""
    data = json.loads(json.dumps(BUNDLED, default=str))
    data["credentials"][2]["cost"]["exam_fee"] = -5
    data["credentials"][4]["recognition"] = "high"
    path = as_json(tmp_path, data)
    lines = path.read_text(encoding="utf-8").splitlines()
    fee_line = next(i for i, line in enumerate(lines, 1) if '"exam_fee": -5' in line)
    found = problems(path)
    assert f"{path}:{fee_line}: credentials[2].cost.exam_fee: must be >= 0" in found
    assert any(p.startswith(f"{path}:") and "credentials[4].recognition: must be a number" in p for p in found)


def test_duplicate_ids_keys_and_constants_are_refused(tmp_path: Path) -> None:
    """Two entries with one id, a key twice in an object, NaN: each is a problem, never a silent choice."""
    data = json.loads(json.dumps(BUNDLED, default=str))
    data["credentials"].append(data["credentials"][0])
    first = data["credentials"][0]["id"]
    count = len(data["credentials"]) - 1
    assert f"duplicate id `{first}` (first at credentials[0])" in " ".join(problems(as_json(tmp_path, data)))
    path = tmp_path / "twice.json"
    path.write_text('{"currency": "USD", "currency": "EUR", "credentials": []}', encoding="utf-8")
    assert problems(path) == [f"{path}: a key appears twice in one object: `currency`"]
    path.write_text('{"credentials": [{"id": "x", "pass_rate": NaN}]}', encoding="utf-8")
    assert "NaN is not a JSON number" in problems(path)[0]
    assert count > 0


def test_size_limits_by_format_and_by_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """YAML keeps 5 MiB, JSON admits 256 MiB, and $CREDROI_MAX_CATALOG_MIB sets both."""
    monkeypatch.delenv(ENV_MAX_MIB, raising=False)
    assert max_bytes("a.yaml") == MAX_BYTES == 5 * 1024 * 1024
    assert max_bytes("a.JSON") == MAX_JSON_BYTES == 256 * 1024 * 1024
    path = as_json(tmp_path, BUNDLED)
    monkeypatch.setenv(ENV_MAX_MIB, "0.01")
    assert max_bytes("a.yaml") == max_bytes("a.json") == round(0.01 * 1024 * 1024)
    found = problems(path)
    assert found == [f"{path}: larger than the 0.01 MiB limit (--max-catalog-mib or ${ENV_MAX_MIB} sets it)"]
    monkeypatch.setenv(ENV_MAX_MIB, "lots")
    assert problems(path) == [f"{ENV_MAX_MIB}: must be a number of MiB above 0, not `lots`"]


def test_a_big_json_catalog_loads(tmp_path: Path, run: Runner) -> None:
    """A 6 MiB JSON catalog of 2,000 entries with sources, over the YAML limit, validates and evaluates."""
    entry = BUNDLED["credentials"][0]
    entries = []
    for i in range(2_000):
        item = json.loads(json.dumps(entry, default=str))
        item["id"] = f"gen-{i:05d}"
        item.pop("requires", None)
        item["notes"] = "x" * 2_500
        entries.append(item)
    data = {"currency": "USD", "credentials": entries, "roles": BUNDLED.get("roles", [])}
    path = as_json(tmp_path, data)
    assert path.stat().st_size > MAX_BYTES
    r = run("catalog", "validate", str(path))
    assert r.code == 0, r.err
    r = run("compare", "gen-00000", "gen-01999", "--catalog", str(path), "--format", "json")
    assert r.code == 0, r.err
    assert [x["id"] for x in json.loads(r.out)["results"]] == ["gen-00000", "gen-01999"]
