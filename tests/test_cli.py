"""The command line: machine formats as MODEL.md's contract, tables for people, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from credroi import __version__
from credroi.catalog import load_catalog
from credroi.cli.app import command_paths
from credroi.model.engine import RESULT_KEYS
from credroi.model.profile import Profile
from tests.conftest import Runner
from tests.contract import PROFILE_KEYS

README = Path(__file__).resolve().parent.parent / "README.md"


def test_compare_json_follows_the_contract(run: Runner) -> None:
    """`compare --format json` prints {profile, results} with MODEL.md's keys, ranked by NPV."""
    r = run("compare", "--format", "json")
    assert r.code == 0, r.err
    assert r.err == ""
    doc = json.loads(r.out)
    assert list(doc) == ["profile", "results"]
    assert list(doc["profile"]) == PROFILE_KEYS
    assert doc["profile"]["salary"] == 75_000
    assert doc["profile"]["hours_per_week"] is None
    assert doc["profile"]["time_value"] == pytest.approx(0.5 * 75_000 / 2080)
    assert len(doc["results"]) >= 10
    for result in doc["results"]:
        assert list(result) == list(RESULT_KEYS)
    npvs = [x["npv"] for x in doc["results"]]
    assert npvs == sorted(npvs, reverse=True)


def test_compare_two_ids_with_profile_options(run: Runner) -> None:
    """Ids select and order the results; profile options reach the JSON profile and the numbers."""
    r = run("compare", "aws-saa", "google-data-analytics", "--salary", "90000", "--horizon", "3", "-f", "json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert {x["id"] for x in doc["results"]} == {"aws-saa", "google-data-analytics"}
    assert doc["profile"]["salary"] == 90_000
    assert doc["profile"]["horizon_years"] == 3
    base = json.loads(run("compare", "aws-saa", "-f", "json").out)["results"][0]
    richer = next(x for x in doc["results"] if x["id"] == "aws-saa")
    assert richer["time_cost"] == pytest.approx(base["time_cost"] * 90_000 / 75_000)


def test_every_profile_option_reaches_the_profile(run: Runner) -> None:
    """Each MODEL.md option name sets its profile key."""
    args = {
        "--salary": ("salary", "60000", 60_000),
        "--hours-per-week": ("hours_per_week", "4", 4),
        "--horizon": ("horizon_years", "7.5", 7.5),
        "--discount-rate": ("discount_rate", "0.05", 0.05),
        "--salary-growth": ("salary_growth", "0", 0),
        "--tax-rate": ("tax_rate", "0.3", 0.3),
        "--time-value": ("time_value", "12", 12),
        "--employer-share": ("employer_share", "0.5", 0.5),
        "--selection-adjustment": ("selection_adjustment", "0.4", 0.4),
        "--lag-months": ("lag_months", "6", 6),
        "--scenario": ("scenario", "high", "high"),
    }
    flat = [x for opt, (_, value, _) in args.items() for x in (opt, value)]
    r = run("compare", "cissp", *flat, "--format", "json")
    assert r.code == 0, r.err
    profile = json.loads(r.out)["profile"]
    for key, _, expected in args.values():
        assert profile[key] == expected, key


def test_csv_parses_with_one_row_per_result(run: Runner) -> None:
    """CSV has the result keys as header, one row per credential, empty cells for null."""
    r = run("compare", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert r.code == 0
    assert list(rows[0]) == list(RESULT_KEYS)
    assert len(rows) >= 10
    micro = [row for row in rows if row["kind"] == "micro-credential" and row["payback_months"] == ""]
    assert micro, "credentials that never pay back have an empty payback cell"
    assert all(float(row["npv"]) == float(row["npv"]) for row in rows)


def test_auto_format_is_csv_when_piped(run: Runner) -> None:
    """Without a terminal, the default format is CSV with no escape codes."""
    r = run("compare", "aws-saa")
    assert r.out.splitlines()[0] == ",".join(RESULT_KEYS)
    assert "\x1b[" not in r.out


def test_jsonl_is_one_result_a_line(run: Runner) -> None:
    """JSONL prints one result object per line, the same objects as JSON."""
    r = run("compare", "--format", "jsonl")
    lines = [json.loads(line) for line in r.out.splitlines()]
    full = json.loads(run("compare", "--format", "json").out)["results"]
    assert lines == full


def test_table_fits_80_columns_and_marks_best(run: Runner) -> None:
    """The people's table fits 80 columns, marks the best values, states the profile and gives a verdict."""
    r = run("compare", "--format", "table")
    assert r.code == 0
    lines = r.out.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert "…" not in r.out, "a bundled name is cut short at 80 columns"
    assert "*" in r.out
    assert "Profile: salary $75,000" in r.out
    assert "Summary by kind" in r.out
    assert re.search(r"Verdict: .*(certifications|micro-credentials|neither)", " ".join(lines))
    assert "\x1b[" not in r.out


def test_markdown_table(run: Runner) -> None:
    """Markdown output is a pipe table with the best value in bold."""
    r = run("compare", "aws-saa", "cissp", "--format", "markdown")
    assert r.code == 0
    assert "| ID | Kind |" in r.out
    assert "**" in r.out


def test_show_has_inputs_metrics_scenarios_and_sources(run: Runner) -> None:
    """`show` JSON carries the result, the catalog entry with sources, and the three scenarios."""
    r = run("show", "cissp", "--format", "json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert list(doc) == ["profile", "results", "entry", "scenarios"]
    assert doc["results"][0]["id"] == "cissp"
    assert doc["entry"]["sources"][0]["url"].startswith("http")
    assert [s["scenario"] for s in doc["scenarios"]] == ["low", "typical", "high"]
    npvs = [s["npv"] for s in doc["scenarios"]]
    assert npvs == sorted(npvs)
    table = run("show", "cissp", "--format", "table").out
    assert "Needs a raise of at least $" in table
    assert "Sources" in table


def test_list_filters_by_kind_and_field(run: Runner) -> None:
    """`list --kind` and `--field` filter the entries."""
    micro = json.loads(run("list", "--kind", "micro-credential", "-f", "json").out)["credentials"]
    assert micro
    assert all(c["kind"] == "micro-credential" for c in micro)
    security = json.loads(run("list", "--field", "security", "-f", "json").out)["credentials"]
    assert security
    assert all("security" in c["fields"] for c in security)
    assert {"cissp", "comptia-security-plus"} <= {c["id"] for c in security}


def test_unknown_id_suggests_and_exits_1(run: Runner) -> None:
    """An unknown id prints error and hint lines on stderr, nothing on stdout, exit 1."""
    r = run("compare", "aws-sax", "--format", "json")
    assert r.code == 1
    assert r.out == ""
    lines = r.err.splitlines()
    assert lines[0] == "error: unknown credential `aws-sax`"
    assert lines[1].startswith("hint: did you mean ")
    assert "`aws-saa`" in lines[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--salary", "-1"], "error: invalid value for --salary: must be >= 0"),
        (["--tax-rate", "1.5"], "error: invalid value for --tax-rate: must be <= 1"),
        (["--discount-rate", "-1"], "error: invalid value for --discount-rate: must be > -1"),
        (["--discount-rate", "-2"], "error: invalid value for --discount-rate: must be > -1"),
        (["--salary", "nan"], "error: invalid value for --salary: must be a finite number"),
        (["--salary-growth", "inf"], "error: invalid value for --salary-growth: must be a finite number"),
        (["--hours-per-week", "0"], "error: invalid value for --hours-per-week: must be >= 0.1"),
        (["--horizon", "0"], "error: invalid value for --horizon: must be > 0"),
        (["--horizon", "-3"], "error: invalid value for --horizon: must be > 0"),
        (["--employer-share", "1.2"], "error: invalid value for --employer-share: must be <= 1"),
        (["--employer-share", "-0.2"], "error: invalid value for --employer-share: must be >= 0"),
        (["--scenario", "best"], "error: invalid value for --scenario: must be one of low, typical or high"),
        (["--format", "xml"], "error: invalid value for '--format' / '-f': "),
        (["--salary", "lots"], "error: invalid value for --salary: `lots` is not a number"),
        (["--bogus"], "error: no such option: --bogus"),
    ],
)
def test_bad_option_values_exit_2(run: Runner, args: list[str], message: str) -> None:
    """Bad option values name the option on stderr and exit 2 without a traceback."""
    r = run("compare", *args)
    assert r.code == 2
    assert r.out == ""
    assert r.err.startswith(message)
    assert "Traceback" not in r.err
    assert r.err.splitlines()[-1] == "hint: see `credroi compare --help`"


def test_bad_catalog_exits_1_with_locations(run: Runner, tmp_path: Path) -> None:
    """A broken catalog prints each problem with its line and exits 1, printing no results."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("credentials:\n  - id: x\n    kind: cert\n", encoding="utf-8")
    r = run("compare", "--catalog", str(bad), "--format", "json")
    assert r.code == 1
    assert r.out == ""
    assert f"error: {bad}:3: credentials[0].kind: must be one of" in r.err


def test_catalog_from_stdin(run: Runner) -> None:
    """`--catalog -` reads the catalog from standard input, and errors say <stdin>."""
    good = Path("data/credentials.yaml").read_text(encoding="utf-8")
    r = run("compare", "--catalog", "-", "-f", "json", stdin=good)
    assert r.code == 0, r.err
    bad = run("list", "--catalog", "-", stdin="credentials: [\n")
    assert bad.code == 1
    assert bad.err.startswith("error: <stdin>:2: invalid YAML")


def test_internal_errors_are_caught(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception prints `internal error` and exits 70, without a traceback."""
    from credroi.model import engine

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(engine, "evaluate_all", boom)
    r = run("compare")
    assert r.code == 70
    assert r.err.startswith("internal error: RuntimeError: kaboom")
    assert "Traceback" not in r.err


def test_version(run: Runner) -> None:
    """`--version` prints the package version."""
    r = run("--version")
    assert r.code == 0
    assert r.out.strip() == f"credroi {__version__}"


def test_every_command_has_help_examples_and_is_in_the_readme(run: Runner) -> None:
    """Each command has --help text with an Examples section, and appears in the README."""
    readme = README.read_text(encoding="utf-8")
    paths = command_paths()
    names = [" ".join(p) for p in paths]
    assert {"compare", "list", "show", "catalog validate", "profile init"} <= set(names)
    for name in names:
        r = run(*name.split(), "--help")
        assert r.code == 0, name
        assert "Usage" in r.out, name
        assert "Examples" in r.out, name
        assert f"$ credroi {name}" in r.out, name  # an example runs this very command
        assert f"credroi {name}" in readme, name


def test_profile_defaults_match_model() -> None:
    """The profile defaults are MODEL.md's."""
    p = Profile()
    assert (p.salary, p.horizon_years, p.discount_rate, p.salary_growth, p.tax_rate) == (
        75_000,
        5,
        0.03,
        0.02,
        0.25,
    )
    assert (p.employer_share, p.selection_adjustment, p.lag, p.scenario) == (0, 0.25, 0, "typical")
    assert (p.goal, p.target_role, p.target_salary, p.experience_years) == ("raise", None, None, None)
    assert Profile(goal="switch", target_role="it-support").lag == 3  # the job search (MODEL.md v2)
    assert Profile(goal="switch", target_role="it-support", lag_months=1).lag == 1
    assert p.hourly_time_value == pytest.approx(0.5 * 75_000 / 2080)


@pytest.mark.parametrize("where", ["before", "after"])
def test_run_options_work_before_and_after_the_command(run: Runner, tmp_path: Path, where: str) -> None:
    """--no-color and --no-cache mean the same given before the command name or after it."""
    cache_home = tmp_path / "cache"
    options = ["--no-color", "--no-cache"]
    command = ["compare", "aws-saa", "--format", "table"]
    args = [*options, *command] if where == "before" else [*command, *options]
    r = run(*args, env={"FORCE_COLOR": "1", "XDG_CACHE_HOME": str(cache_home)})
    assert r.code == 0, r.err
    assert "aws-saa" in r.out or "AWS" in r.out
    assert "\x1b[" not in r.out  # FORCE_COLOR alone would colour it
    assert not list(cache_home.rglob("*.cache"))  # nothing was cached
    coloured = run(*command, env={"FORCE_COLOR": "1", "XDG_CACHE_HOME": str(cache_home)})
    assert "\x1b[" in coloured.out  # the check above could fail
    assert list(cache_home.rglob("*.cache"))


@pytest.mark.parametrize("args", [[], ["profile"], ["catalog"]])
def test_no_arguments_prints_help_and_exits_0(run: Runner, args: list[str]) -> None:
    """`credroi` (or a group) alone prints its help on stdout and exits 0, with no empty error line."""
    r = run(*args)
    assert r.code == 0
    assert "Usage: credroi" in r.out
    assert r.err == ""


@pytest.mark.parametrize(
    ("args", "error", "hint"),
    [
        (["--goal", "switch"], "--target-role: missing: the goal switch needs a role", "`credroi roles`"),
        (["--goal", "switch", "--target-role", "it-suport"], "unknown role `it-suport`", "did you mean `it-support`?"),
        (["--experience-years", "-1"], "--experience-years: must be >= 0", "credroi compare --help"),
        (["--goal", "switch", "--target-role", "it-support", "--target-salary", "lots"], "`lots` is not a number", ""),
        (["--goal", "sideways"], "--goal: must be one of raise or switch", ""),
    ],
)
def test_bad_goal_options_exit_2_with_a_hint(run: Runner, args: list[str], error: str, hint: str) -> None:
    """A switch without a role, an unknown role, a negative experience or a bad target pay: exit 2, error and hint."""
    r = run("compare", *args)
    assert r.code == 2
    assert r.out == ""
    first, second = r.err.splitlines()
    assert first.startswith("error: invalid value for ")
    assert error in first
    assert second.startswith("hint: ")
    assert hint in second


def test_switch_gains_only_from_entries_that_prepare_for_the_role(run: Runner) -> None:
    """Under --goal switch, an entry that does not prepare for the role has NPV = -investment - renewals < 0."""
    data = json.loads(
        run("compare", "--goal", "switch", "--target-role", "it-support", "--salary", "33700", "--format", "json").out
    )
    assert data["profile"]["goal"] == "switch"
    assert data["profile"]["lag_months"] == 3.0  # the job search, in force
    prepares = {c.id for c in load_catalog().credentials() if "it-support" in c.roles}
    assert prepares  # the bundled catalog has entries for the role, so the check below can fail
    for r in data["results"]:
        if r["id"] in prepares:
            assert r["annual_benefit"] > 0, r["id"]
        else:
            assert r["annual_benefit"] == 0, r["id"]
            assert r["npv"] < 0


def test_profile_init_keeps_every_digit(run: Runner, tmp_path: Path) -> None:
    """`profile init --salary 1234567` writes 1234567 (not 1.23457e+06), and the file reads back to the same profile."""
    path = tmp_path / "profile.toml"
    r = run("profile", "init", "--salary", "1234567", "--tax-rate", "0.3125", "--path", str(path))
    assert r.code == 0, r.err
    text = path.read_text(encoding="utf-8")
    assert "salary = 1234567 " in text
    assert "tax_rate = 0.3125 " in text
    shown = json.loads(run("profile", "show", "--profile", str(path), "--format", "json").out)["profile"]
    assert (shown["salary"], shown["tax_rate"]) == (1234567.0, 0.3125)


@pytest.mark.parametrize(
    ("args", "option", "reason"),
    [
        (["rank", "--budget", "nan"], "--budget", ""),
        (["rank", "--max-weeks", "inf"], "--max-weeks", ""),
        (["compare", "aws-saa", "--hours-per-week", "5e-324"], "--hours-per-week", "is too small a number"),
        (["compare", "aws-saa", "--salary", "1e-310"], "--salary", "is too small a number"),
    ],
)
def test_nan_infinity_and_subnormal_numbers_are_refused(run: Runner, args: list[str], option: str, reason: str) -> None:
    """A NaN or infinite limit (which would switch a filter off) and a subnormal profile value exit 2, never 70.

    Typer 0.29 checks ``min=0`` of rank's limits itself, in pydantic's words; 0.28 leaves NaN to credroi's check.
    """
    r = run(*args)
    assert r.code == 2, r.err
    first = r.err.splitlines()[0]
    assert first.startswith("error: invalid value for ")
    assert option in first
    assert reason in first
    assert "hint:" in r.err
