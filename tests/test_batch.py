"""Batch evaluation: row accounting, errors by row, streaming, formats, the same numbers as compare."""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
from pathlib import Path

import pytest

from credroi import batch
from credroi.catalog import load_catalog
from credroi.model.engine import METRIC_KEYS, evaluate
from credroi.model.profile import Profile

from .conftest import Runner

CATALOG = load_catalog()
CREDS = {c.id: c for c in CATALOG.credentials()}


def make_csv(tmp_path: Path, rows: int, bad: dict[int, str]) -> Path:
    """``rows`` data rows; the 1-based rows in ``bad`` carry the given broken line instead."""
    rng = random.Random(4)
    ids = sorted(CREDS)
    lines = ["credential,salary,tax_rate,horizon_years,_person"]
    for n in range(1, rows + 1):
        if n in bad:
            lines.append(bad[n])
        else:
            lines.append(f"{rng.choice(ids)},{rng.randrange(40_000, 160_000)},{rng.choice(['', '0.3'])},,p{n}")
    path = tmp_path / "people.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_thousand_rows_three_bad(run: Runner, tmp_path: Path) -> None:
    """997 results with their row numbers, three errors naming their rows, a summary, exit 1."""
    bad = {17: "aws-saaa,80000,,,x", 500: "cissp,lots,,,x", 999: "pmp,90000,1.7,,x"}
    path = make_csv(tmp_path, 1000, bad)
    r = run("batch", str(path))
    assert r.code == 1
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert len(rows) == 997
    assert list(rows[0]) == ["row", "credential", *METRIC_KEYS]
    numbers = [int(x["row"]) for x in rows]
    assert numbers == [n for n in range(1, 1001) if n not in bad]
    errors = [line for line in r.err.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {path}: row 17: unknown credential `aws-saaa` (did you mean `aws-saa`?)",
        f"error: {path}: row 500: salary: `lots` is not a number",
        f"error: {path}: row 999: tax_rate: must be <= 1",
    ]
    assert r.err.splitlines()[-1] == f"{path}: 1000 rows: 997 ok, 3 errors"


def test_batch_numbers_equal_compare(run: Runner, tmp_path: Path) -> None:
    """Each row's metrics are evaluate()'s for that row's profile; missing keys come from the options."""
    path = tmp_path / "b.jsonl"
    path.write_text(
        '{"credential": "aws-saa", "salary": 90000}\n{"credential": "ccna", "scenario": "high"}\n\n', encoding="utf-8"
    )
    r = run("batch", str(path), "--tax-rate", "0.3", "--format", "jsonl")
    assert r.code == 0, r.err
    out = [json.loads(line) for line in r.out.splitlines()]
    assert [o["row"] for o in out] == [1, 2]
    expected = evaluate(CREDS["aws-saa"], Profile(salary=90_000, tax_rate=0.3)).as_dict()
    assert out[0]["npv"] == expected["npv"]
    assert out[0]["irr"] == expected["irr"]
    high = evaluate(CREDS["ccna"], Profile(tax_rate=0.3, scenario="high"))
    assert out[1]["npv"] == high.npv
    assert r.err.strip() == f"{path}: 2 rows: 2 ok, 0 errors"


def test_json_output_is_one_document(run: Runner, tmp_path: Path) -> None:
    path = make_csv(tmp_path, 5, {})
    r = run("batch", str(path), "--format", "json", "--salary", "100000")
    doc = json.loads(r.out)
    assert list(doc) == ["profile", "results"]
    assert doc["profile"]["salary"] == 100000
    assert len(doc["results"]) == 5
    r = run("batch", str(make_csv(tmp_path, 0, {})), "--format", "json")
    assert json.loads(r.out)["results"] == []


def test_stdin_defaults_to_csv_and_strict_stops(run: Runner) -> None:
    text = "credential\naws-saa\nnope\ncissp\n"
    r = run("batch", "-", stdin=text)
    assert r.code == 1
    assert len(r.out.splitlines()) == 3  # header + 2 results
    r = run("batch", "-", "--strict", stdin=text)
    assert r.code == 1
    assert len(r.out.splitlines()) == 2  # header + the row before the bad one
    assert "stopped at the first bad row" in r.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty: expected a header row"),
        ("salary\n1\n", "header: no `credential` column"),
        ("credential,salry\naws-saa,1\n", "header: unknown column `salry` (did you mean `salary`?)"),
        ("credential,salary,salary\n", "header: column `salary` appears twice"),
    ],
)
def test_bad_headers_stop_with_a_clear_error(run: Runner, text: str, message: str) -> None:
    r = run("batch", "-", stdin=text)
    assert r.code == 1
    assert r.err.splitlines()[0].startswith(f"error: <stdin>: {message}")
    assert "hint:" in r.err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('["aws-saa"]', "expected a JSON object"),
        ('{"credential": "aws-saa", "salary": NaN}', "invalid JSON: NaN is not allowed"),
        ('{"credential": "aws-saa", "salary": true}', "salary: must be a number, not true or false"),
        ('{"credential": "aws-saa", "salry": 1}', "unknown column `salry` (did you mean `salary`?)"),
        ('{"salary": 1}', "credential: missing"),
        ('{"credential": 5}', "credential: must be an id"),
        ('{"credential": "aws-saa", "horizon_years": 0}', "horizon_years: must be > 0"),
        ('{"credential": "aws-saa", "scenario": "best"}', "scenario: must be one of low, typical or high"),
        ("{not json", "invalid JSON"),
    ],
)
def test_bad_jsonl_rows(run: Runner, line: str, message: str) -> None:
    r = run("batch", "-", "--input-format", "jsonl", stdin='{"credential": "ccna"}\n' + line + "\n")
    assert r.code == 1
    assert len(r.out.splitlines()) == 2
    (error,) = [e for e in r.err.splitlines() if e.startswith("error:")]
    assert error.startswith("error: <stdin>: row 2: ")
    assert message in error


def test_rows_are_streamed() -> None:
    """Reading and evaluating are lazy: taking 3 results reads only the first rows of an endless input."""
    consumed = []

    def endless() -> itertools.count:  # type: ignore[type-arg]
        yield "credential,salary\n"
        for n in itertools.count(1):
            consumed.append(n)
            yield f"aws-saa,{50_000 + n}\n"

    evaluator = batch.Evaluator(CREDS, Profile())
    results = list(itertools.islice(batch.run(batch.read_rows(endless(), "csv"), evaluator), 3))
    assert [r["row"] for r in results if isinstance(r, dict)] == [1, 2, 3]
    assert len(consumed) <= 4


def test_unknown_extension_needs_input_format(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"
    path.write_text("credential\naws-saa\n", encoding="utf-8")
    r = run("batch", str(path))
    assert r.code == 2
    assert "--input-format" in r.err
    r = run("batch", str(path), "--input-format", "csv")
    assert r.code == 0


def test_credroi_format_sets_the_default(run: Runner, tmp_path: Path) -> None:
    path = make_csv(tmp_path, 2, {})
    r = run("batch", str(path), env={"CREDROI_FORMAT": "jsonl"})
    assert [json.loads(line)["row"] for line in r.out.splitlines()] == [1, 2]
    r = run("compare", "aws-saa", env={"CREDROI_FORMAT": "json"})
    assert json.loads(r.out)["results"][0]["id"] == "aws-saa"
    r = run("compare", "aws-saa", "--format", "csv", env={"CREDROI_FORMAT": "json"})
    assert r.out.startswith("id,name,kind,npv")
    r = run("compare", env={"CREDROI_FORMAT": "xml"})
    assert r.code == 2
    assert "CREDROI_FORMAT" in r.err


def test_missing_file_and_bad_encoding(run: Runner, tmp_path: Path) -> None:
    r = run("batch", str(tmp_path / "none.csv"))
    assert r.code == 1
    assert "none.csv: no such file" in r.err
    path = tmp_path / "latin.csv"
    path.write_bytes("credential,salary\naws-saa,1\ncaf\xe9,2\n".encode("latin-1"))
    r = run("batch", str(path))
    assert r.code == 1
    assert "not valid UTF-8" in r.err


def test_stdin_cannot_carry_both_rows_and_catalog(run: Runner) -> None:
    r = run("batch", "-", "--catalog", "-", stdin="credential\naws-saa\n")
    assert r.code == 2
    assert "--catalog" in r.err


def test_rows_set_the_goal_role_target_salary_and_experience(run: Runner, tmp_path: Path) -> None:
    """Batch rows may each set goal, target_role, target_salary and experience_years; each row's result follows them."""
    path = tmp_path / "people.csv"
    path.write_text(
        "credential,salary,goal,target_role,target_salary,experience_years\n"
        "google-it-support,33700,switch,it-support,,0\n"
        "google-it-support,33700,switch,it-support,50000,\n"
        "google-it-support,33700,raise,,,\n"
        "cissp,90000,raise,,,2\n"
        "google-it-support,33700,switch,it-suport,,\n",
        encoding="utf-8",
    )
    r = run("batch", str(path), "--format", "jsonl")
    assert r.code == 1  # the last row names an unknown role
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert [row["row"] for row in rows] == [1, 2, 3, 4]
    cat = load_catalog()
    role = cat.model_roles()["it-support"]
    cred = cat.get("google-it-support").to_credential()
    base = Profile(salary=33700, goal="switch", target_role="it-support", role=role)
    assert rows[0]["npv"] == pytest.approx(evaluate(cred, base.replace(experience_years=0.0)).npv, rel=1e-12)
    assert rows[0]["eligible"] is True
    assert rows[1]["npv"] == pytest.approx(evaluate(cred, base.replace(target_salary=50000.0)).npv, rel=1e-12)
    assert rows[1]["npv"] != rows[0]["npv"]
    assert rows[2]["npv"] == pytest.approx(evaluate(cred, Profile(salary=33700)).npv, rel=1e-12)
    assert rows[3]["eligible"] is False  # CISSP asks five years
    assert "row 5: target_role: unknown role `it-suport`" in r.err
    assert "did you mean `it-support`?" in r.err
