"""Batch at scale: the columnar engine, --metrics, bounded lines, unclosed quotes, and a header checked first."""

from __future__ import annotations

import csv
import io
import json
import math
import random
import tracemalloc
from pathlib import Path

import pytest

from credroi import batch
from credroi.catalog import load_catalog
from credroi.model.engine import METRIC_KEYS
from credroi.model.profile import Profile

from .conftest import Runner

np = pytest.importorskip("numpy")

CREDS = {c.id: c for c in load_catalog().credentials()}


def rows_file(tmp_path: Path, count: int, bad: dict[int, str] | None = None) -> Path:
    """``count`` varied rows (every profile column somewhere); the 1-based rows in ``bad`` are the given lines."""
    rng = random.Random(11)
    ids = sorted(CREDS)
    lines = ["credential,salary,tax_rate,horizon_years,discount_rate,hours_per_week,scenario,lag_months,_note"]
    for n in range(1, count + 1):
        if bad and n in bad:
            lines.append(bad[n])
            continue
        lines.append(
            ",".join(
                [
                    rng.choice(ids),
                    str(rng.randrange(20_000, 200_000)),
                    rng.choice(["", "0.3", "0.1"]),
                    rng.choice(["", "1", "3", "10", "40"]),
                    rng.choice(["", "0", "0.05", "-0.02"]),
                    rng.choice(["", "2", "15"]),
                    rng.choice(["", "low", "HIGH"]),
                    rng.choice(["", "0", "4.5"]),
                    f"person {n}",
                ]
            )
        )
    path = tmp_path / "rows.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def same_numbers(left: str, right: str) -> None:
    """Two CSV outputs with the same rows and columns, the numbers within 1e-9 relative."""
    a, b = list(csv.DictReader(io.StringIO(left))), list(csv.DictReader(io.StringIO(right)))
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert list(x) == list(y)
        for key, value in x.items():
            if value == y[key]:
                continue
            scale = abs(float(x["investment"])) + abs(float(x["annual_benefit"])) * 50
            assert math.isclose(float(value), float(y[key]), rel_tol=1e-9, abs_tol=1e-9 * scale), (key, x, y)


def test_columnar_engine_gives_the_scalar_rows_and_errors(run: Runner, tmp_path: Path) -> None:
    """The same rows in the same order, the same errors naming the same rows, numbers within 1e-9."""
    bad = {3: "nope,1", 40: "aws-saa,lots", 41: "aws-saa,1e999", 500: "cissp,80000,1.5", 777: "pmp,,,0"}
    path = rows_file(tmp_path, 2_500, bad)
    scalar = run("batch", str(path), "--engine", "scalar")
    columnar = run("batch", str(path), "--engine", "columnar")
    assert scalar.code == columnar.code == 1
    assert scalar.err == columnar.err
    assert len(scalar.err.splitlines()) == len(bad) + 1
    same_numbers(scalar.out, columnar.out)


def test_columnar_json_and_jsonl_are_the_scalar_documents(run: Runner, tmp_path: Path) -> None:
    """JSON and JSONL written from columns parse to the scalar engine's records (keys, types, nulls)."""
    path = rows_file(tmp_path, 300)
    for fmt in ("json", "jsonl"):
        outs = [
            run("batch", str(path), "--engine", e, "--format", fmt, "--experience-years", "1").out
            for e in ("scalar", "columnar")
        ]
        if fmt == "json":
            docs = [json.loads(o) for o in outs]
            assert docs[0]["profile"] == docs[1]["profile"]
            records = [d["results"] for d in docs]
        else:
            records = [[json.loads(line) for line in o.splitlines()] for o in outs]
        for x, y in zip(*records, strict=True):
            assert list(x) == list(y)
            for key in x:
                assert type(x[key]) is type(y[key]), key
                if isinstance(x[key], float):
                    assert math.isclose(x[key], y[key], rel_tol=1e-9, abs_tol=1e-6), key


def test_auto_keeps_small_inputs_on_the_scalar_engine(run: Runner, tmp_path: Path) -> None:
    """Below 2,000 rows --engine auto is the scalar engine: the very same output as --engine scalar."""
    path = rows_file(tmp_path, 50)
    assert run("batch", str(path)).out == run("batch", str(path), "--engine", "scalar").out


def test_metrics_picks_the_columns(run: Runner, tmp_path: Path) -> None:
    """--metrics keeps row and credential and the named metrics in the usual order, on both engines."""
    path = rows_file(tmp_path, 2_100)
    for engine in ("scalar", "columnar"):
        r = run("batch", str(path), "--metrics", "irr, npv", "--engine", engine)
        assert r.code == 0, r.err
        rows = list(csv.DictReader(io.StringIO(r.out)))
        assert list(rows[0]) == ["row", "credential", "npv", "irr"]
        assert len(rows) == 2_100
    r = run("batch", str(path), "--metrics", "npv,nvp")
    assert r.code == 2
    assert "unknown metric `nvp`" in r.err
    assert r.out == ""


def test_a_long_line_is_one_bad_row(run: Runner, tmp_path: Path) -> None:
    """A line over --max-line-length is reported with its row number and skipped; the rows after it are read."""
    path = tmp_path / "long.csv"
    path.write_text("credential,salary,_note\naws-saa,1,x\ncissp,2," + "y" * 5_000 + "\npmp,3,z\n", encoding="utf-8")
    r = run("batch", str(path), "--max-line-length", "1000")
    assert r.code == 1
    assert [row["row"] for row in csv.DictReader(io.StringIO(r.out))] == ["1", "3"]
    assert f"error: {path}: row 2: longer than 1,000 characters (--max-line-length); skipped" in r.err
    assert run("batch", str(path)).code == 0  # the default admits it


def test_a_line_without_end_stays_bounded(tmp_path: Path) -> None:
    """Tens of megabytes without a newline are read in pieces and dropped: memory stays small."""
    path = tmp_path / "endless.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("credential,salary\naws-saa,1\n")
        for _ in range(40):
            fh.write("x" * 1_000_000)
    tracemalloc.start()
    with path.open(encoding="utf-8", newline="") as fh:
        items = list(batch.run(batch.open_rows(fh, "csv", 100_000), batch.Evaluator(CREDS, Profile())))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert isinstance(items[0], dict)
    assert isinstance(items[1], batch.RowError)
    assert "longer than 100,000 characters" in items[1].message
    assert peak < 8 * 1024 * 1024


def test_an_unclosed_quote_costs_one_row(run: Runner, tmp_path: Path) -> None:
    """A stray quote is its own row's error; every row after it is read as before."""
    path = tmp_path / "quote.csv"
    path.write_text('credential,salary\naws-saa,1\ncissp,"90000\npmp,3\nccna,4\naws-saa,"5\n', encoding="utf-8")
    r = run("batch", str(path))
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert [(row["row"], row["credential"]) for row in rows] == [
        ("1", "aws-saa"),
        ("3", "pmp"),
        ("4", "ccna"),
        ("5", "aws-saa"),
    ]
    assert f"error: {path}: row 2: a quote is not closed on its line" in r.err
    assert r.err.splitlines()[-1] == f"{path}: 5 rows: 4 ok, 1 error"


def test_a_quote_spanning_rows_into_a_used_column_is_one_bad_row(run: Runner, tmp_path: Path) -> None:
    """A quote closed only lines later (a value spanning rows) costs the row that opened it, not the ones between."""
    path = tmp_path / "span.csv"
    path.write_text('credential,salary\naws-saa,"1\ncissp,2\npmp,"3\nccna,4\n', encoding="utf-8")
    r = run("batch", str(path))
    rows = [row["credential"] for row in csv.DictReader(io.StringIO(r.out))]
    assert "cissp" in rows
    assert "ccna" in rows
    assert "row 1: a quote is not closed on its line" in r.err


def test_a_quoted_note_may_span_lines(run: Runner, tmp_path: Path) -> None:
    """A quoted cell of an ignored `_` column may hold line breaks: the row is one row."""
    path = tmp_path / "note.csv"
    path.write_text('credential,salary,_note\naws-saa,1,"two\nlines"\ncissp,2,x\n', encoding="utf-8")
    r = run("batch", str(path))
    assert r.code == 0, r.err
    assert [row["row"] for row in csv.DictReader(io.StringIO(r.out))] == ["1", "2"]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_a_bad_header_prints_nothing_on_stdout(run: Runner, fmt: str) -> None:
    """The header is checked before any output: a bad one leaves stdout empty, whatever the format."""
    r = run("batch", "-", "--format", fmt, stdin="credential,salry\naws-saa,1\n")
    assert r.code == 1
    assert r.out == ""
    assert "unknown column `salry`" in r.err


def test_columnar_memory_is_bounded_by_a_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows stream through the columnar engine chunk by chunk: 60,000 rows with 4,096-row chunks stay small."""
    monkeypatch.setattr(batch, "CHUNK_ROWS", 4_096)
    path = tmp_path / "many.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("credential,salary\n")
        ids = sorted(CREDS)
        for n in range(60_000):
            fh.write(f"{ids[n % len(ids)]},{40_000 + n}\n")
    out = io.StringIO()
    writer = batch.Writer(out, "csv", {})
    evaluator = batch.Evaluator(CREDS, Profile())
    count = 0
    tracemalloc.start()
    with path.open(encoding="utf-8", newline="") as fh:
        for item in batch.evaluate_stream(batch.open_rows(fh, "csv"), evaluator, writer, "columnar"):
            assert isinstance(item, batch.Block)
            count += len(item.lines)
            out.seek(0)
            out.truncate()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 60_000
    assert peak < 40 * 1024 * 1024


def test_metric_keys_cover_the_model() -> None:
    """The columnar engine knows which metrics may be null and which are whole numbers, for every metric."""
    assert set(METRIC_KEYS) >= batch.NULLABLE
    assert set(METRIC_KEYS) >= batch.WHOLE


def test_columnar_switch_rows_match_the_scalar_engine(run: Runner, tmp_path: Path) -> None:
    """Goal switch rows (a role by row, a target salary, experience, an unknown role) agree on both engines."""
    rng = random.Random(23)
    ids = sorted(CREDS)
    roles = ["it-support", "help-desk", "cloud-support", "soc-analyst", "no-such-role", ""]
    lines = ["credential,goal,target_role,target_salary,experience_years,salary"]
    for _ in range(2_200):
        lines.append(
            ",".join(
                [
                    rng.choice(ids),
                    rng.choice(["switch", "switch", "raise", ""]),
                    rng.choice(roles),
                    rng.choice(["", "", "65000"]),
                    rng.choice(["", "0", "3"]),
                    str(rng.randrange(20_000, 90_000)),
                ]
            )
        )
    path = tmp_path / "switch.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scalar = run("batch", str(path), "--engine", "scalar")
    columnar = run("batch", str(path), "--engine", "columnar")
    assert scalar.err == columnar.err
    assert "unknown role `no-such-role`" in scalar.err
    assert "target_role: missing" in scalar.err
    same_numbers(scalar.out, columnar.out)
