"""The rough edges a new user met in their first minutes (issue 18), each held by a test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from credroi.catalog import load_catalog
from tests.conftest import Runner

FREE = """\
credentials:
  - id: free-a
    name: Free A
    issuer: X
    kind: micro-credential
    fields: [x]
    study: {weeks: 1, hours_per_week: 1}
    recognition: 0.5
    salary_uplift: {low: 0, typical: 0, high: 0}
  - id: paid-b
    name: Paid B
    issuer: X
    kind: certification
    fields: [x]
    cost: {exam_fee: 100}
    study: {weeks: 1, hours_per_week: 1}
    recognition: 0.5
    salary_uplift: {low: 0, typical: 0, high: 0}
"""


def test_compare_at_80_columns_shows_every_id_whole(run: Runner) -> None:
    """The footer says `credroi show ID`: the narrow table's first column is the id, never cut short."""
    r = run("compare", "--format", "table")
    assert r.code == 0
    assert "…" not in r.out
    lines = r.out.splitlines()
    assert lines[1].startswith("ID ")
    assert max(len(line.rstrip()) for line in lines) <= 80
    # an id folded onto a second line is still whole once the two cells are joined
    cells = [line[: line.index("  ")] if "  " in line else line.strip() for line in lines[3:] if line.strip()]
    joined = "".join(cells)
    for cred_id in load_catalog().ids:
        assert cred_id in joined, cred_id


@pytest.mark.parametrize(
    ("query", "expected"),
    [("security+", "comptia-security-plus"), ("CompTIA Security+", "comptia-security-plus"), ("CISSP", "cissp")],
)
def test_show_and_compare_take_a_unique_name_or_part_of_one(run: Runner, query: str, expected: str) -> None:
    r = run("show", query, "--format", "json")
    assert r.code == 0, r.err
    assert '"id": "' + expected + '"' in r.out
    r = run("compare", query, "--format", "csv")
    assert r.out.splitlines()[1].startswith(expected + ",")


def test_an_ambiguous_name_lists_what_it_could_mean(run: Runner) -> None:
    r = run("show", "sec")
    assert r.code == 1
    assert "`sec` names several credentials:" in r.err
    assert "`comptia-security-plus`" in r.err


def test_an_unknown_field_is_bad_usage_with_a_suggestion(run: Runner) -> None:
    """`rank --field clod` matched nothing and said nothing; now it is exit 2 with `cloud` suggested."""
    for command in (["rank"], ["list"], ["plan"]):
        r = run(*command, "--field", "clod")
        assert r.code == 2, command
        assert "no credential has the field `clod` (did you mean `cloud`?)" in r.err


@pytest.mark.parametrize(("word", "kind"), [("micro", "micro-credential"), ("cert", "certification")])
def test_kind_takes_the_words_the_tables_print(run: Runner, word: str, kind: str) -> None:
    r = run("rank", "--kind", word, "--format", "csv")
    assert r.code == 0, r.err
    kinds = {line.split(",")[2] for line in r.out.splitlines()[1:]}
    assert kinds == {kind}


def test_a_chart_file_name_of_the_wrong_type_is_bad_usage(run: Runner, tmp_path: Path) -> None:
    r = run("explain", "aws-saa", "--save", str(tmp_path / "x.txt"))
    assert r.code == 2
    assert "--save" in r.err
    assert not (tmp_path / "x.txt").exists()


def test_show_leads_with_the_answer(run: Runner) -> None:
    """The first line says what the credential is worth; metrics come before inputs, sources last."""
    r = run("show", "aws-saa", "--format", "table")
    assert r.code == 0
    first = r.out.splitlines()[0]
    assert first.startswith("AWS SA Associate (aws-saa): worth $")
    assert r.out.index("Metrics") < r.out.index("Inputs") < r.out.index("Sources")


def test_nothing_is_starred_best_for_a_zero_or_negative_npv(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "free.yaml"
    path.write_text(FREE, encoding="utf-8")
    r = run("compare", "--catalog", str(path), "--format", "table")
    assert r.code == 0
    rows = [line for line in r.out.splitlines() if line.startswith(("free-a", "paid-b"))]
    npvs = [re.findall(r"-?\$[\d,]+\*?", row)[1] for row in rows]  # invest, then NPV
    assert not any(n.endswith("*") for n in npvs), rows
    assert "*" in rows[0] + rows[1]  # the smaller investment is still marked best


def test_piped_compare_gives_the_verdict_on_stderr(run: Runner) -> None:
    """CSV carries the records only; the one-line verdict goes to stderr, as other summaries do."""
    r = run("compare", "--format", "csv")
    assert r.code == 0
    assert "Verdict" not in r.out
    (verdict,) = [line for line in r.err.splitlines() if line.startswith("verdict: ")]
    assert "for this profile" in verdict
    assert run("compare", "--format", "json").err == ""


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_show_pages_on_a_terminal_and_never_in_a_pipe(tmp_path: Path) -> None:
    """A `show` taller than the terminal goes through $PAGER, as git does; piped, it never does."""
    pexpect = pytest.importorskip("pexpect")
    seen = tmp_path / "paged.txt"
    env = {**os.environ, "PAGER": f"tee {seen}", "CREDROI_NO_CACHE": "1", "NO_COLOR": "1"}
    env.pop("CREDROI_PAGER", None)
    child = pexpect.spawn(
        sys.executable, ["-m", "credroi", "show", "aws-saa"], env=env, dimensions=(20, 80), encoding="utf-8"
    )
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    assert child.exitstatus == 0
    assert "AWS SA Associate (aws-saa): worth" in seen.read_text(encoding="utf-8")
    seen.unlink()
    done = subprocess.run(
        [sys.executable, "-m", "credroi", "show", "aws-saa", "--format", "table"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "worth" in done.stdout
    assert not seen.exists()


def test_compare_keeps_the_credentials_of_a_field(run: Runner) -> None:
    r = run("compare", "--field", "security", "--format", "csv")
    assert r.code == 0
    ids = [line.split(",")[0] for line in r.out.splitlines()[1:]]
    cat = load_catalog()
    assert ids
    assert all("security" in cat.credential(i).fields for i in ids)
    assert len(ids) == sum(1 for c in cat.credentials() if "security" in c.fields)
