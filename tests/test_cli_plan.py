"""`credroi plan`: the JSON of docs/model.md, the table, no plan, limits, prerequisites, bad input, cycles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Runner
from .contract import PROFILE_KEYS

CORPUS = Path(__file__).parent / "corpus" / "catalogs"

EXAMPLE_5 = """\
currency: USD
credentials:
  - id: a
    name: Cloud A
    issuer: X
    kind: certification
    fields: [cloud]
    cost: {exam_fee: 100}
    study: {weeks: 4, hours_per_week: 5}
    validity_years: 3
    recognition: 0.5
    salary_uplift: {low: 0, typical: 0.03, high: 0.06}
  - id: b
    name: Cloud B
    issuer: X
    kind: certification
    fields: [cloud]
    cost: {exam_fee: 150}
    study: {weeks: 8, hours_per_week: 10}
    pass_rate: 0.75
    validity_years: 3
    renewal_cost: 75
    recognition: 0.5
    salary_uplift: {low: 0, typical: 0.077, high: 0.18}
    requires: [a]
  - id: c
    name: Security C
    issuer: X
    kind: certification
    fields: [security]
    cost: {exam_fee: 404}
    study: {weeks: 8, hours_per_week: 10}
    pass_rate: 0.8
    validity_years: 3
    recognition: 0.65
    salary_uplift: {low: 0, typical: 0.077, high: 0.18}
"""
"""docs/model.md's worked example 5: three certifications, `b` requires `a`."""

PLAN_KEYS = ["npv", "investment", "out_of_pocket", "study_weeks", "months", "items"]
RECORD_KEYS = ["order", "id", "name", "start_month", "study_weeks", "out_of_pocket", "npv", "cumulative_npv"]


@pytest.fixture
def example(tmp_path: Path) -> str:
    path = tmp_path / "example-5.yaml"
    path.write_text(EXAMPLE_5, encoding="utf-8")
    return str(path)


def plan_json(run: Runner, *args: str) -> dict:
    r = run("plan", *args, "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert list(data) == ["profile", "plan"]
    assert list(data["profile"]) == PROFILE_KEYS
    return data


def plan_table(run: Runner, *args: str) -> str:
    r = run("plan", *args, "--format", "table")
    assert r.code == 0, r.err
    assert max(len(line) for line in r.out.splitlines()) <= 80
    assert "\x1b[" not in r.out
    return r.out


def test_json_follows_the_model_and_worked_example_5(run: Runner, example: str) -> None:
    plan = plan_json(run, "--catalog", example)["plan"]
    assert list(plan)[: len(PLAN_KEYS)] == PLAN_KEYS
    assert [list(item)[:3] for item in plan["items"]] == [["id", "start_month", "npv"]] * 3
    assert [(i["id"], i["start_month"]) for i in plan["items"]] == [("c", 0), ("a", 2), ("b", 3)]
    assert [i["npv"] for i in plan["items"]] == pytest.approx([7892.3839, 2438.2989, 1885.4478], abs=1e-4)
    assert plan["npv"] == pytest.approx(12216.1306, abs=1e-4)
    assert plan["months"] == 5  # c: 2 months, a: 1, b: 2
    assert plan["study_weeks"] == pytest.approx(20.0)
    assert plan["out_of_pocket"] == pytest.approx(404 / 0.8 + 100 + 150 / 0.75)


@pytest.mark.parametrize(
    ("args", "ids", "npv"),
    [
        (["--max-weeks", "12"], ["c", "a"], 10330.6828),
        (["--max-credentials", "2"], ["c", "a"], 10330.6828),
        (["--budget", "600"], ["c"], 7892.3839),
    ],
)
def test_limits_of_worked_example_5(run: Runner, example: str, args: list[str], ids: list[str], npv: float) -> None:
    plan = plan_json(run, "--catalog", example, *args)["plan"]
    assert [i["id"] for i in plan["items"]] == ids
    assert plan["npv"] == pytest.approx(npv, abs=1e-4)


def test_table_shows_the_plan_the_comparison_and_the_assumptions(run: Runner, example: str) -> None:
    out = plan_table(run, "--catalog", example)
    flat = " ".join(out.split())
    for header in ("Order", "Credential", "Start", "Weeks", "Out of", "NPV", "Cumulative"):
        assert header in out
    rows = [line.split() for line in out.splitlines() if line.strip()[:1] in "123" and "Security C" in line]
    assert rows
    assert rows[0][:3] == ["1", "Security", "C"]
    assert "Plan NPV $12,216 over 5 years" in flat
    assert "The plan adds $4,324 over Security C alone ($7,892)" in flat
    assert "one after another at your pace, prerequisites first" in flat
    assert "adds 50% of its raise for each such earlier one (--overlap)" in flat
    assert "$18,570" not in flat  # the bundled catalog's plan: not this one
    out = plan_table(run, "--catalog", example, "--budget", "600")
    assert "The plan is Security C alone" in " ".join(out.split())
    out = plan_table(run, "--catalog", example, "--max-credentials", "1")
    assert "Security C is the best single credential within these limits." in " ".join(out.split())
    out = plan_table(run, "--catalog", example, "--overlap", "0.25")
    assert "adds 25% of its raise" in " ".join(out.split())


def test_markdown_and_chart(run: Runner, example: str) -> None:
    out = plan_table(run, "--catalog", example, "--chart")
    assert "Cumulative net value" in out
    assert "Plan: Security C → Cloud A → Cloud B" in out
    assert "Security C alone" in out
    assert "Cumulative net value" not in plan_table(run, "--catalog", example)  # no chart off a terminal
    r = run("plan", "--catalog", example, "--format", "markdown", "--no-chart")
    assert r.code == 0
    assert "| Order | Credential |" in r.out


def test_csv_and_jsonl_have_one_row_per_item(run: Runner, example: str) -> None:
    r = run("plan", "--catalog", example, "--format", "csv")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == ",".join(RECORD_KEYS)
    assert [line.split(",")[1] for line in lines[1:]] == ["c", "a", "b"]
    r = run("plan", "--catalog", example, "--format", "jsonl")
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert [list(row) for row in rows] == [RECORD_KEYS] * 3
    assert [row["order"] for row in rows] == [1, 2, 3]
    assert rows[-1]["cumulative_npv"] == pytest.approx(12216.1306, abs=1e-4)
    assert rows[1]["cumulative_npv"] == pytest.approx(rows[0]["npv"] + rows[1]["npv"])


def test_no_plan_fits_exits_0_naming_the_limit(run: Runner, example: str) -> None:
    data = plan_json(run, "--catalog", example, "--budget", "50")
    assert data["plan"] is None
    r = run("plan", "--catalog", example, "--budget", "50", "--format", "json")
    assert "no plan fits: " in r.err
    assert "budget" in r.err.lower()
    out = plan_table(run, "--catalog", example, "--budget", "50")
    assert out.startswith("no plan fits: ")
    assert "budget" in out.lower()
    r = run("plan", "--catalog", example, "--max-weeks", "1", "--format", "csv")
    assert (r.code, r.out) == (0, "")
    assert "no plan fits: " in r.err
    assert "week" in r.err.lower()


def test_a_plan_that_does_not_pay_back_is_shown_and_said(run: Runner, example: str) -> None:
    data = plan_json(run, "--catalog", example, "--scenario", "low")  # no raise at all: every NPV < 0
    assert data["plan"] is not None
    assert data["plan"]["npv"] < 0
    out = " ".join(plan_table(run, "--catalog", example, "--scenario", "low").split())
    assert "No plan within these limits pays back within 5 years" in out
    assert "the best of them, loses" in out


def test_have_skips_a_held_credential_and_meets_a_prerequisite(run: Runner, example: str) -> None:
    alone = plan_json(run, "--catalog", example, "--max-credentials", "1", "--field", "cloud")["plan"]
    assert [i["id"] for i in alone["items"]] == ["a"]  # b needs a first
    held = plan_json(run, "--catalog", example, "--max-credentials", "1", "--field", "cloud", "--have", "a")
    assert [i["id"] for i in held["plan"]["items"]] == ["b"]  # a is held: b can start at once
    assert held["plan"]["npv"] == pytest.approx(5858.3875, abs=1e-4)
    plan = plan_json(run, "--catalog", example, "--have", "a", "--have", "c")["plan"]
    assert [i["id"] for i in plan["items"]] == ["b"]  # neither held credential is planned again
    out = plan_table(run, "--catalog", example, "--have", "a")
    assert "holding a" in out


def test_kind_and_field_filter_the_candidates(run: Runner, example: str) -> None:
    plan = plan_json(run, "--catalog", example, "--field", "security")["plan"]
    assert [i["id"] for i in plan["items"]] == ["c"]
    assert plan_json(run, "--catalog", example, "--kind", "micro-credential")["plan"] is None


def test_switch_weights_and_ineligible_left_out(run: Runner) -> None:
    data = plan_json(run, "--goal", "switch", "--target-role", "it-support", "--salary", "33700")
    ids = [i["id"] for i in data["plan"]["items"]]
    assert ids[0] == "comptia-a-plus"
    out = " ".join(plan_table(run, "--goal", "switch", "--target-role", "it-support", "--salary", "33700").split())
    assert "Only credentials that prepare for it-support bring the move" in out
    from credroi.catalog import load_catalog

    gated = sum(1 for c in load_catalog().credentials() if "security" in c.fields and c.experience_required > 0)
    assert gated >= 4  # CISSP, CISM, CCSP, CEH...
    out = " ".join(plan_table(run, "--field", "security", "--experience-years", "0").split())
    assert f"Left out: {gated} credentials ask more experience than you have." in out
    r = run("plan", "--field", "security", "--experience-years", "0", "--format", "json")
    assert f"note: Left out: {gated} credentials" in r.err
    assert "cissp" not in {i["id"] for i in json.loads(r.out)["plan"]["items"]}


@pytest.mark.parametrize(
    ("args", "error", "hint"),
    [
        (["--have", "aws-sax"], "invalid value for --have: unknown credential `aws-sax`", "did you mean `aws-sap`"),
        (["--have", "zzzzzz"], "invalid value for --have: unknown credential `zzzzzz`", "`credroi list`"),
        (["--max-credentials", "0"], "invalid value for --max-credentials: 0 (must be 1 to 6)", "1 to 6 credentials"),
        (["--max-credentials", "7"], "invalid value for --max-credentials: 7 (must be 1 to 6)", "1 to 6 credentials"),
        (["--budget", "-1"], "invalid value for --budget: -1", "--budget 1500"),
        (["--budget", "nan"], "invalid value for --budget: nan", "--budget 1500"),
        (["--max-weeks", "-2"], "invalid value for --max-weeks: -2", "--max-weeks 26"),
        (["--overlap", "1.5"], "invalid value for --overlap: 1.5 (must be 0 to 1)", "0 adds nothing"),
        (["--overlap", "-0.1"], "invalid value for --overlap: -0.1 (must be 0 to 1)", "0 adds nothing"),
    ],
)
def test_bad_input_exits_2_with_error_and_hint(run: Runner, args: list[str], error: str, hint: str) -> None:
    r = run("plan", *args)
    assert r.code == 2, r.err
    assert r.out == ""
    lines = r.err.splitlines()
    assert lines[0].startswith(f"error: {error}")
    assert lines[1].startswith("hint: ")
    assert hint in lines[1]


def test_a_prerequisite_cycle_is_a_catalog_error(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    r = run("plan", "--catalog", "requires-cycle.yaml")
    assert r.code == 1
    assert r.out == ""
    assert (
        "error: requires-cycle.yaml:13: credentials[0].requires[0]: prerequisite cycle: "
        "`azure-expert` requires `azure-admin`, which requires `azure-expert`"
    ) in r.err.splitlines()


def test_a_cycle_across_layered_files_is_found(run: Runner, tmp_path: Path, example: str) -> None:
    """A later file's `a` requires `b`, whose `requires: [a]` is in the first file: a cycle across the two."""
    later = tmp_path / "later.yaml"
    later.write_text(
        "credentials:\n"
        "  - id: a\n"
        "    name: Cloud A again\n"
        "    issuer: X\n"
        "    kind: certification\n"
        "    fields: [cloud]\n"
        "    study: {weeks: 4, hours_per_week: 5}\n"
        "    recognition: 0.5\n"
        "    salary_uplift: {low: 0, typical: 0.03, high: 0.06}\n"
        "    requires: [b]\n",
        encoding="utf-8",
    )
    r = run("catalog", "validate", example, str(later), "--format", "table")
    assert r.code == 1
    line = EXAMPLE_5.splitlines().index("    requires: [a]") + 1
    assert (
        r.out
        == f"{example}:{line}: credentials[1].requires[0]: prerequisite cycle: `b` requires `a`, which requires `b`\n"
    )
    assert run("plan", "--catalog", example, "--catalog", str(later)).code == 1


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_save_writes_the_chart(run: Runner, tmp_path: Path, example: str, suffix: str) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / f"plan{suffix}"
    r = run("plan", "--catalog", example, "--save", str(path), "--format", "json")
    assert r.code == 0, r.err
    assert f"saved the chart to {path}" in r.err
    head = path.read_bytes()[:8]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<?xml" in head
    assert json.loads(r.out)["plan"] is not None
    r = run("plan", "--catalog", example, "--save", str(tmp_path / "plan.jpg"))
    assert r.code == 2  # bad usage: the option asks for a format no chart is saved in
    assert "use a .png or .svg file name" in r.err


def test_help_has_examples(run: Runner) -> None:
    r = run("plan", "--help")
    assert r.code == 0
    assert "Examples" in r.out
    assert "$ credroi plan --budget 1500" in r.out
    for option in ("--budget", "--max-weeks", "--max-credentials", "--have", "--overlap", "--kind", "--field"):
        assert option in r.out
