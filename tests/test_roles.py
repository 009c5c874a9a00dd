"""`credroi roles`: the catalog's roles as MODEL.md's JSON, one row a role, and a table for people."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .conftest import Runner

ROLE_KEYS = ["id", "name", "soc", "salary_low", "salary_typical", "salary_high", "experience_years", "as_of"]
"""MODEL.md, machine output, "roles (v2)"."""

CATALOG = """\
roles:
  - id: it-support
    name: Computer user support specialists
    soc: 15-1232
    salary: {low: 47000, typical: 60340, high: 77000}
    experience_years: 0
    as_of: 2026-11
  - id: pm
    name: Project management specialists
    salary: {low: 100750, typical: 100750, high: 100750}
credentials:
  - id: helpdesk
    name: Helpdesk basics
    issuer: Acme
    kind: micro-credential
    fields: [it-support]
    study: {weeks: 4, hours_per_week: 5}
    recognition: 0.5
    salary_uplift: {low: 0, typical: 0.02, high: 0.04}
    roles: [it-support]
"""


def catalog(tmp_path: Path, text: str = CATALOG) -> str:
    path = tmp_path / "roles.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_is_the_contract_object(run: Runner, tmp_path: Path) -> None:
    """`--format json` prints {"roles": [...]} with MODEL.md's keys in its order, in catalog order, unrounded."""
    r = run("roles", "--catalog", catalog(tmp_path), "--format", "json")
    assert r.code == 0, r.err
    assert r.err == ""
    doc = json.loads(r.out)
    assert list(doc) == ["roles"]
    assert [list(role) for role in doc["roles"]] == [ROLE_KEYS, ROLE_KEYS]
    assert doc["roles"][0] == {
        "id": "it-support",
        "name": "Computer user support specialists",
        "soc": "15-1232",
        "salary_low": 47000.0,
        "salary_typical": 60340.0,
        "salary_high": 77000.0,
        "experience_years": 0.0,
        "as_of": "2026-11",
    }
    assert doc["roles"][1]["soc"] is None
    assert doc["roles"][1]["experience_years"] is None
    assert doc["roles"][1]["as_of"] is None


def test_jsonl_and_csv_give_one_role_a_row(run: Runner, tmp_path: Path) -> None:
    """`jsonl` is one role object a line; `csv` a header of the same keys and one row a role (null empty)."""
    path = catalog(tmp_path)
    r = run("roles", "--catalog", path, "--format", "jsonl")
    assert r.code == 0
    lines = [json.loads(line) for line in r.out.splitlines()]
    assert [list(line) for line in lines] == [ROLE_KEYS, ROLE_KEYS]
    assert [line["id"] for line in lines] == ["it-support", "pm"]
    r = run("roles", "--catalog", path, "--format", "csv")
    assert r.code == 0
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert list(rows[0]) == ROLE_KEYS
    assert rows[0]["salary_typical"] == "60340.0"
    assert rows[1]["soc"] == ""


def test_the_table_shows_pay_as_money_and_experience(run: Runner, tmp_path: Path) -> None:
    """The table for people: id, SOC, the three pay figures as money and the experience; n/a where unknown."""
    r = run("roles", "--catalog", catalog(tmp_path), "--format", "table")
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0].strip() == "2 roles"
    assert lines[1].split() == ["ID", "SOC", "25th", "pct", "Median", "75th", "pct", "Exp."]
    assert lines[3].split() == ["it-support", "15-1232", "$47,000", "$60,340", "$77,000", "0"]
    assert lines[4].split() == ["pm", "n/a", "$100,750", "$100,750", "$100,750", "n/a"]
    assert r.out.split("\n")[5].startswith("Pay a year in the role: 25th percentile, median")
    assert all(len(line) <= 80 for line in lines)


def test_markdown_table(run: Runner, tmp_path: Path) -> None:
    """`--format markdown` renders the same columns as a Markdown table."""
    r = run("roles", "--catalog", catalog(tmp_path), "--format", "markdown")
    assert r.code == 0
    assert "| ID | SOC | 25th pct | Median | 75th pct | Exp. |" in r.out
    assert "| it-support | 15-1232 | $47,000 | $60,340 | $77,000 | 0 |" in r.out


def test_a_catalog_without_roles(run: Runner, tmp_path: Path) -> None:
    """A catalog with no roles gives an empty list in JSON and a sentence for people."""
    entries_only = "credentials:\n" + CATALOG.split("credentials:\n")[1].replace("    roles: [it-support]\n", "")
    path = catalog(tmp_path, entries_only)
    r = run("roles", "--catalog", path, "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out) == {"roles": []}
    r = run("roles", "--catalog", path, "--format", "table")
    assert r.out == "The catalog has no roles.\n"


def test_an_unknown_role_in_the_catalog_is_bad_data(run: Runner, tmp_path: Path) -> None:
    """An entry naming a role that no catalog defines stops the command: exit 1, the problem at path:LINE."""
    path = catalog(tmp_path, CATALOG.replace("roles: [it-support]", "roles: [it-suport]"))
    r = run("roles", "--catalog", path, "--format", "json")
    assert r.code == 1
    assert r.out == ""
    assert f"error: {path}:20: credentials[0].roles[0]: unknown role `it-suport` (did you mean `it-support`?)" in r.err
    assert "Traceback" not in r.err


def test_layered_catalogs_replace_a_role_by_id(run: Runner, tmp_path: Path) -> None:
    """With several --catalog files, a later role replaces an earlier one with the same id, in place."""
    base = catalog(tmp_path)
    fix = tmp_path / "fix.yaml"
    fix.write_text(
        "roles:\n  - id: it-support\n    name: Corrected\n    salary: {low: 1, typical: 2, high: 3}\n",
        encoding="utf-8",
    )
    r = run("roles", "--catalog", base, "--catalog", str(fix), "--format", "json")
    assert r.code == 0, r.err
    roles = json.loads(r.out)["roles"]
    assert [(x["id"], x["name"], x["salary_typical"]) for x in roles] == [
        ("it-support", "Corrected", 2.0),
        ("pm", "Project management specialists", 100750.0),
    ]
