"""Batch files as people make them: spreadsheet habits, a long run on a terminal, and Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Runner

ENV = {**os.environ, "CREDROI_NO_CACHE": "1", "NO_COLOR": "1"}


def _rows(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.splitlines()[1:]]


def test_spreadsheet_habits_that_are_unambiguous_are_read(run: Runner, tmp_path: Path) -> None:
    """`Credential` as a header, `horizon` for horizon_years, `;` as the separator, `$90,000`, `90,000`, `30%`."""
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "Credential;Salary;horizon;Tax rate\naws-saa;$90,000;3;30%\naws-saa;90,000;3;0.3\n", encoding="utf-8"
    )
    plain = tmp_path / "plain.csv"
    plain.write_text("credential,salary,horizon_years,tax_rate\naws-saa,90000,3,0.3\n", encoding="utf-8")
    r = run("batch", str(sheet), "--format", "csv")
    assert r.code == 0, r.err
    expected = _rows(run("batch", str(plain), "--format", "csv").out)[0][1:]
    assert [row[1:] for row in _rows(r.out)] == [expected, expected]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("90,5", "`90,5` is ambiguous (a decimal comma?)"),
        ("30%", "`30%` is a percentage: write the amount itself"),
        ("ninety", "`ninety` is not a number"),
    ],
)
def test_ambiguous_cells_cost_their_row_with_the_reason(run: Runner, tmp_path: Path, cell: str, reason: str) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"credential;salary\naws-saa;{cell}\naws-saa;90000\n", encoding="utf-8")
    r = run("batch", str(sheet), "--format", "csv")
    assert r.code == 1
    assert len(_rows(r.out)) == 1  # the good row is still there
    assert f"row 1: salary: {reason}" in r.err


def test_an_unknown_header_still_says_what_it_could_be(run: Runner, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Credential,Salery\naws-saa,90000\n", encoding="utf-8")
    r = run("batch", str(sheet))
    assert r.code == 1
    assert "unknown column `Salery`" in r.err
    assert r.out == ""


def _big(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "big.csv"
    path.write_text("credential,salary\n" + "".join(f"aws-saa,{50_000 + i % 997}\n" for i in range(rows)))
    return path


def test_ctrl_c_closes_the_json_document_and_keeps_whole_rows(tmp_path: Path) -> None:
    """SIGINT during `batch --format json`: exit 130, the document parses, the count is on stderr."""
    big = _big(tmp_path, 600_000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "credroi", "batch", str(big), "--format", "json"],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err
    data = json.loads(out)
    done = len(data["results"])
    assert f"interrupted after {done:,} rows".replace(",", "") in err.decode().replace(",", "")
    assert all(r["credential"] == "aws-saa" for r in data["results"])


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_a_long_batch_shows_progress_on_a_terminal_and_never_in_a_pipe(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    big = _big(tmp_path, 150_000)
    out = tmp_path / "out.csv"
    shell = f"{sys.executable} -m credroi batch {big} --engine scalar --format csv > {out}"
    child = pexpect.spawn("sh", ["-c", shell], env=ENV, encoding="utf-8", timeout=300)
    child.expect(r"big\.csv: [\d,]+ rows \(\d+% of the file read\)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert len(out.read_text().splitlines()) == 150_001  # the header and every row, no progress text
    piped = subprocess.run(
        [sys.executable, "-m", "credroi", "batch", str(big), "--engine", "scalar", "--format", "csv"],
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "% of the file read" not in piped.stderr
    assert piped.stderr.strip().endswith("150000 rows: 150000 ok, 0 errors")
