"""`credroi catalog validate|path|export`, CREDROI_CATALOG, and the golden messages of broken catalogs."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from credroi.catalog import bundled_path, load_catalog

from .conftest import Runner

CORPUS = Path(__file__).parent / "corpus" / "catalogs"
GOLDEN = sorted(p.stem for p in CORPUS.glob("*.expected"))

OWN = """\
currency: USD
credentials:
  - id: {id}
    name: {name}
    issuer: Acme
    kind: micro-credential
    fields: [internal]
    cost: {{training: {fee}}}
    study: {{weeks: 2, hours_per_week: 5}}
    recognition: 0.9
    salary_uplift: {{low: 0, typical: 0.02, high: 0.04}}
    as_of: {as_of}
"""


def own(tmp_path: Path, name: str, cred_id: str = "acme-onboarding", fee: float = 100, as_of: str = "2026-11") -> str:
    path = tmp_path / name
    path.write_text(OWN.format(id=cred_id, name=cred_id.title(), fee=fee, as_of=as_of), encoding="utf-8")
    return str(path)


def test_there_are_a_dozen_golden_cases() -> None:
    assert len(GOLDEN) >= 12


@pytest.mark.parametrize("name", GOLDEN)
def test_validate_golden_messages(run: Runner, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Each broken catalog gives exactly the reviewed messages on stdout, a summary on stderr, exit 1."""
    monkeypatch.chdir(CORPUS)
    r = run("catalog", "validate", f"{name}.yaml", "--format", "table")
    assert r.out == (CORPUS / f"{name}.expected").read_text(encoding="utf-8")
    assert r.code == 1
    assert r.err.startswith(f"{name}.yaml: ")
    assert "Traceback" not in r.err


@pytest.mark.parametrize("name", GOLDEN)
def test_broken_catalogs_stop_other_commands_with_the_same_errors(
    run: Runner, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """`compare --catalog BROKEN` prints the same located problems as errors, nothing on stdout, exit 1."""
    monkeypatch.chdir(CORPUS)
    r = run("compare", "--catalog", f"{name}.yaml", "--format", "json")
    assert r.code == 1
    assert r.out == ""
    expected = (CORPUS / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    assert [line.removeprefix("error: ") for line in r.err.splitlines() if line.startswith("error: ")] == expected


def test_validate_json_lists_errors_and_warnings(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    r = run("catalog", "validate", "negative-numbers.yaml", "--format", "json")
    assert r.code == 1
    doc = json.loads(r.out)
    assert list(doc) == ["errors", "warnings"]
    assert doc["errors"][0] == {
        "path": "negative-numbers.yaml",
        "line": 16,
        "loc": "credentials[1].cost.exam_fee",
        "message": "must be >= 0",
    }
    assert len(doc["errors"]) == 4
    assert doc["warnings"] == []


def test_bundled_catalog_validates_with_only_age_warnings(run: Runner) -> None:
    """The bundled catalog has no error and every figure traced; what it warns about is old sources only."""
    r = run("catalog", "validate", "--format", "json")
    assert r.code == 0
    found = json.loads(r.out)
    assert found["errors"] == []
    assert found["warnings"], "the bundled catalog honestly has old figures (Foote 2003, Burning Glass 2017...)"
    assert all("older than --max-age 36" in w["message"] for w in found["warnings"])
    count = len(found["warnings"])
    assert re.fullmatch(rf"bundled catalog: \d+ credentials, \d+ roles, 0 errors, {count} warnings\n", r.err)


def test_max_age_warns_per_figure_but_exits_0(run: Runner, tmp_path: Path) -> None:
    """A figure whose only source is 4 years old is a warning at the default 36 months, silent at --max-age 60;
    an `as_of` after today is an error."""
    year = date.today().year
    path = tmp_path / "old.yaml"
    text = OWN.format(id="acme-old", name="Old", fee=100, as_of="2026-11") + (
        f"    sources:\n      - {{title: T, url: 'https://a.example', year: {year - 4}, evidence: issuer}}\n"
    )
    path.write_text(text, encoding="utf-8")
    r = run("catalog", "validate", str(path), "--format", "json")
    assert r.code == 0
    warnings = json.loads(r.out)["warnings"]
    assert {w["loc"] for w in warnings} >= {"credentials[0].cost.training", "credentials[0].salary_uplift"}
    assert all(w["line"] == 3 and f"from {year - 4}" in w["message"] for w in warnings)
    assert re.search(r"0 errors, \d+ warnings", r.err)
    r = run("catalog", "validate", str(path), "--max-age", "60", "--format", "json")
    assert json.loads(r.out)["warnings"] == []
    path.write_text(text.replace("as_of: 2026-11", f"as_of: {year + 1}-01"), encoding="utf-8")
    r = run("catalog", "validate", str(path), "--format", "json")
    assert r.code == 1
    (error,) = json.loads(r.out)["errors"]
    assert (error["loc"], error["line"]) == ("credentials[0].as_of", 12)
    assert error["message"].startswith(f"`acme-old` is dated {year + 1}-01, after today")


def test_bad_max_age_is_a_usage_error(run: Runner) -> None:
    r = run("catalog", "validate", "--max-age", "-1")
    assert r.code == 2
    assert "--max-age" in r.err


def test_catalog_path_is_the_bundled_file(run: Runner) -> None:
    r = run("catalog", "path")
    assert r.code == 0
    assert Path(r.out.strip()) == bundled_path()
    assert Path(r.out.strip()).is_file()


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_round_trips(run: Runner, tmp_path: Path, fmt: str) -> None:
    """The export of the layered catalog is itself a catalog that loads to the same entries."""
    mine = own(tmp_path, "mine.yaml")
    r = run("catalog", "export", "--catalog", "bundled", "--catalog", mine, "--format", fmt)
    assert r.code == 0
    out = tmp_path / f"export.{fmt}"
    out.write_text(r.out, encoding="utf-8")
    again = load_catalog([str(out)])
    original = load_catalog(["bundled", mine])
    assert list(again.entries) == list(original.entries)
    assert again.entries == original.entries
    assert again.roles == original.roles


def test_catalog_alone_excludes_bundled_and_layers_override(run: Runner, tmp_path: Path) -> None:
    """`--catalog mine` evaluates only that file; `bundled` joins when named; later files win by id."""
    mine = own(tmp_path, "mine.yaml")
    r = run("compare", "--catalog", mine, "--format", "json")
    assert [x["id"] for x in json.loads(r.out)["results"]] == ["acme-onboarding"]
    fix = own(tmp_path, "fix.yaml", cred_id="aws-saa", fee=999)
    r = run("list", "--catalog", "bundled", "--catalog", mine, "--catalog", fix, "--format", "json")
    rows = {c["id"]: c for c in json.loads(r.out)["credentials"]}
    assert "acme-onboarding" in rows
    assert "cissp" in rows
    assert rows["aws-saa"]["direct_cost"] == pytest.approx(999)


def test_credroi_catalog_env_is_a_path_list(run: Runner, tmp_path: Path) -> None:
    """CREDROI_CATALOG holds paths split like PATH; --catalog overrides it."""
    mine = own(tmp_path, "mine.yaml")
    other = own(tmp_path, "other.yaml", cred_id="acme-security")
    env = {"CREDROI_CATALOG": os.pathsep.join([mine, other])}
    r = run("list", "--format", "json", env=env)
    assert [c["id"] for c in json.loads(r.out)["credentials"]] == ["acme-onboarding", "acme-security"]
    r = run("list", "--catalog", mine, "--format", "json", env=env)
    assert [c["id"] for c in json.loads(r.out)["credentials"]] == ["acme-onboarding"]
    r = run("list", env={"CREDROI_CATALOG": str(tmp_path / "missing.yaml")})
    assert r.code == 74  # a path that cannot be read: the environment, not the data
    assert "missing.yaml: no such file" in r.err


ROLES = """\
roles:
  - id: acme-helpdesk
    name: Acme help desk
    salary: {low: 40000, typical: 45000, high: 50000}
    as_of: 2026-11
    sources:
      - {title: "Acme pay bands", url: "https://acme.example/pay", year: 2026, evidence: issuer}
"""


def test_validate_and_export_cover_roles(run: Runner, tmp_path: Path) -> None:
    """`validate` counts the roles and reports an unknown role at its line; `export` writes the roles back out."""
    roles = tmp_path / "roles.yaml"
    roles.write_text(ROLES, encoding="utf-8")
    mine = Path(own(tmp_path, "mine.yaml"))
    mine.write_text(mine.read_text(encoding="utf-8") + "    roles: [acme-helpdesk]\n", encoding="utf-8")
    r = run("catalog", "validate", str(roles), str(mine), "--format", "json")
    assert r.code == 0
    assert json.loads(r.out)["errors"] == []
    assert r.err == "2 catalogs: 1 credential, 1 role, 0 errors, 1 warning\n"  # the entry has no sources
    r = run("catalog", "validate", str(mine), "--format", "table")
    assert r.code == 1
    assert r.out == f"{mine}:13: credentials[0].roles[0]: unknown role `acme-helpdesk`\n"
    r = run("catalog", "export", "--catalog", str(roles), "--catalog", str(mine), "--format", "json")
    assert r.code == 0
    doc = json.loads(r.out)
    assert list(doc) == ["currency", "roles", "credentials"]
    assert doc["roles"][0]["salary"] == {"low": 40000, "typical": 45000, "high": 50000}
    assert doc["credentials"][0]["roles"] == ["acme-helpdesk"]


def test_the_size_limit_is_an_option_that_lasts_one_run(run: Runner, tmp_path: Path) -> None:
    """--max-catalog-mib (before or after the command) sets the largest catalog read; the next run has the default."""
    r = run("list", "--max-catalog-mib", "0.001", "--no-cache")
    assert r.code == 1
    assert "larger than the 0.001 MiB limit (--max-catalog-mib" in r.err
    r = run("--max-catalog-mib", "0.001", "list", "--no-cache")
    assert r.code == 1
    assert run("list", "--no-cache", "--format", "csv").code == 0
    assert run("list", "--max-catalog-mib", "1", "--no-cache", "--format", "csv").code == 0
    r = run("list", "--max-catalog-mib", "0")
    assert r.code == 2
    assert "--max-catalog-mib" in r.err
