"""`credroi advise`: answers from options off a terminal, an interview on one, the answer in words and as JSON."""

from __future__ import annotations

import json
import os
import sys
import tomllib
from pathlib import Path

import pytest

from .conftest import Runner

CATALOG = """\
roles:
  - id: it-support
    name: Computer user support specialist
    soc: 15-1232
    salary: {low: 47000, typical: 60340, high: 77000}
    experience_years: 0
    as_of: 2026-11
    sources:
      - {title: "BLS OEWS May 2024", url: "https://www.bls.gov/oes/", year: 2024, evidence: survey}
credentials:
  - id: helpdesk-cert
    name: Helpdesk Cert
    issuer: Acme
    kind: certification
    fields: [it-support]
    cost: {exam_fee: 250}
    study: {weeks: 12, hours_per_week: 8}
    pass_rate: 0.7
    recognition: 0.5
    salary_uplift: {low: 0, typical: 0.03, high: 0.06}
    roles: [it-support]
    as_of: 2026-11
    notes: Study time is an estimate (no source found); the rest is the issuer's.
    sources:
      - {title: "Acme exam page", url: "https://acme.example/exam", year: 2026, evidence: issuer}
  - id: helpdesk-micro
    name: Helpdesk Micro
    issuer: Bigco
    kind: micro-credential
    fields: [it-support]
    cost: {subscription_monthly: 49}
    study: {weeks: 24, hours_per_week: 10}
    recognition: 0.4
    salary_uplift: {low: 0, typical: 0.01, high: 0.02}
    roles: [it-support]
    sources:
      - {title: "Bigco outcomes survey", url: "https://bigco.example/survey", year: 2025, evidence: estimate}
  - id: cloud-cert
    name: Cloud Cert
    issuer: Cloudco
    kind: certification
    fields: [cloud]
    cost: {exam_fee: 150}
    study: {weeks: 8, hours_per_week: 10}
    pass_rate: 0.75
    validity_years: 3
    renewal_cost: 75
    recognition: 0.5
    salary_uplift: {low: 0, typical: 0.077, high: 0.18}
    sources:
      - {title: "Cloudco pay survey", url: "https://cloudco.example/pay", year: 2025, evidence: survey}
  - id: cloud-badge
    name: Cloud Badge
    issuer: Cloudco
    kind: micro-credential
    fields: [cloud]
    study: {weeks: 2, hours_per_week: 5}
    recognition: 0.2
    salary_uplift: {low: 0, typical: 0.005, high: 0.01}
    sources:
      - {title: "Cloudco badge page", url: "https://cloudco.example/badge", year: 2025, evidence: vendor-claim}
"""

SWITCH = ("--goal", "switch", "--target-role", "it-support", "--salary", "33700")


@pytest.fixture
def cat(tmp_path: Path) -> str:
    path = tmp_path / "advise.yaml"
    path.write_text(CATALOG, encoding="utf-8")
    return str(path)


def test_off_a_terminal_a_missing_goal_is_a_usage_error_naming_it(run: Runner, cat: str) -> None:
    """Without --goal and nothing to ask with, advise exits 2 and names the option."""
    r = run("advise", "--salary", "50000", "--catalog", cat)
    assert r.code == 2
    assert r.out == ""
    assert "missing option --goal" in r.err
    assert "hint:" in r.err


def test_off_a_terminal_a_missing_salary_is_a_usage_error_naming_it(run: Runner, cat: str) -> None:
    """Without --salary advise exits 2 and names --salary."""
    r = run("advise", "--goal", "raise", "--catalog", cat)
    assert r.code == 2
    assert "missing option --salary" in r.err


def test_a_switch_without_a_role_is_a_usage_error(run: Runner, cat: str) -> None:
    """--goal switch needs --target-role, as everywhere else (exit 2 naming it)."""
    r = run("advise", "--goal", "switch", "--salary", "33700", "--catalog", cat)
    assert r.code == 2
    assert "--target-role" in r.err


def test_the_environment_answers_too(run: Runner, cat: str) -> None:
    """A value from a CREDROI_* variable (or the profile file) counts as an answer."""
    r = run("advise", "--catalog", cat, "--format", "json", env={"CREDROI_GOAL": "raise", "CREDROI_SALARY": "90000"})
    assert r.code == 0, r.err
    assert json.loads(r.out)["profile"]["salary"] == 90000.0


def test_switch_advice_names_the_best_plan_verdict_odds_and_what_would_change_it(run: Runner, cat: str) -> None:
    """The JSON holds the best credential, the plan, the verdict by kind, P(NPV>0), the flip and the estimates."""
    r = run("advise", *SWITCH, "--budget", "1500", "--catalog", cat, "--format", "json")
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert list(doc) == ["profile", "advice"]
    a = doc["advice"]
    assert a["format"] == "credroi-advice/1"
    assert a["best"]["id"] == "helpdesk-cert"
    assert [t["id"] for t in a["top"]] == ["helpdesk-cert", "helpdesk-micro"]  # only what prepares for the role
    assert next(i["id"] for i in a["plan"]["items"]) == "helpdesk-cert"
    assert a["plan"]["out_of_pocket"] <= 1500
    assert a["verdict"]["winner"] == "certification"
    assert 0.0 < a["odds"]["p_npv_positive"] <= 1.0
    kinds = [c["kind"] for c in a["change"]]
    assert kinds[:2] == ["break_even_recognition", "break_even_uplift"]
    rec = a["change"][0]
    assert rec["value"] == pytest.approx(a["best"]["break_even_recognition"])
    assert "raises your chance of landing the role by at least" in rec["text"]
    estimated = {e["id"]: e for e in a["estimates"]}
    assert estimated["helpdesk-cert"]["notes"] == [
        "Study time is an estimate (no source found); the rest is the issuer's."
    ]
    assert estimated["helpdesk-micro"]["sources"] == ["Bigco outcomes survey"]
    assert {s["id"] for s in a["sources"]} >= {"helpdesk-cert", "helpdesk-micro", "it-support"}


def test_the_words_are_the_payload_s_words(run: Runner, cat: str) -> None:
    """The table format says what the JSON says: every summary sentence and every what-would-change-it sentence."""
    js = json.loads(run("advise", *SWITCH, "--catalog", cat, "--format", "json").out)["advice"]
    r = run("advise", *SWITCH, "--catalog", cat, "--format", "table")
    assert r.code == 0, r.err
    flat = " ".join(r.out.split())
    for sentence in js["summary"] + [c["text"] for c in js["change"]]:
        assert " ".join(sentence.split()) in flat
    assert "Estimates" in flat
    assert "1 in 10" in flat


def test_raise_advice_flips_against_the_best_of_the_other_kind(run: Runner, cat: str) -> None:
    """Under a raise the best choice is set against the best of the other kind."""
    r = run("advise", "--goal", "raise", "--salary", "90000", "--catalog", cat, "--format", "json")
    a = json.loads(r.out)["advice"]
    assert a["best"]["kind"] == "certification"
    flip = [c for c in a["change"] if c["kind"] == "flip"]
    assert len(flip) == 1
    assert "Cloud Badge" in flip[0]["text"] or "Helpdesk Micro" in flip[0]["text"]


def test_fields_of_interest_limit_the_choices_and_an_unknown_one_is_refused(run: Runner, cat: str) -> None:
    """--field keeps the credentials of those fields; an unknown field is exit 2 with a did-you-mean."""
    r = run("advise", "--goal", "raise", "--salary", "90000", "--field", "cloud", "--catalog", cat, "-f", "json")
    assert {t["id"] for t in json.loads(r.out)["advice"]["top"]} == {"cloud-cert", "cloud-badge"}
    bad = run("advise", "--goal", "raise", "--salary", "90000", "--field", "clod", "--catalog", cat)
    assert bad.code == 2
    assert "did you mean `cloud`" in bad.err


def test_a_bad_budget_is_a_usage_error(run: Runner, cat: str) -> None:
    """A negative budget is exit 2."""
    r = run("advise", "--goal", "raise", "--salary", "90000", "--budget", "-5", "--catalog", cat)
    assert r.code == 2
    assert "--budget" in r.err


def test_save_profile_writes_the_answers_as_the_profile(run: Runner, cat: str) -> None:
    """--save-profile writes the profile file that later commands (and advise itself) read."""
    target = Path(run("profile", "path").out.strip())
    assert not target.exists()
    r = run("advise", *SWITCH, "--save-profile", "--catalog", cat)
    assert r.code == 0, r.err
    assert str(target) in r.err
    saved = tomllib.loads(target.read_text(encoding="utf-8"))
    assert saved["goal"] == "switch"
    assert saved["target_role"] == "it-support"
    assert saved["salary"] == 33700
    again = run("advise", "--catalog", cat, "--format", "json")
    assert again.code == 0, again.err  # the saved profile answers every required question
    assert (
        json.loads(again.out)["profile"]
        == json.loads(run("advise", *SWITCH, "--catalog", cat, "-f", "json").out)["profile"]
    )


def test_save_profile_replaces_the_profile_file_it_read(run: Runner, cat: str, tmp_path: Path) -> None:
    """With --profile FILE, --save-profile writes that file (the answers given replace its values)."""
    mine = tmp_path / "mine.toml"
    mine.write_text('goal = "raise"\nsalary = 50000\ntax_rate = 0.3\n', encoding="utf-8")
    r = run("advise", "--profile", str(mine), "--salary", "64000", "--save-profile", "--catalog", cat)
    assert r.code == 0, r.err
    saved = tomllib.loads(mine.read_text(encoding="utf-8"))
    assert (saved["goal"], saved["salary"], saved["tax_rate"]) == ("raise", 64000, 0.3)
    assert not Path(run("profile", "path").out.strip()).exists()


def test_every_question_is_a_profile_option_or_advise_s_own() -> None:
    """Each question about the profile names an option of the profile table (a renamed option breaks this test)."""
    from credroi.cli.advise import BUDGET, FIELD, QUESTIONS, REQUIRED, setting_of

    for q in QUESTIONS:
        if q.option not in (BUDGET, FIELD):
            assert setting_of(q.option).option == q.option
    assert all(setting_of(option) for option in REQUIRED)


def test_compare_does_not_load_advise_or_report(tmp_path: Path) -> None:
    """The guided commands' modules stay off the start-up path of the other commands."""
    import subprocess

    probe = (
        "import sys\nfrom credroi.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m in ('credroi.advise', 'credroi.report', 'credroi.cli.advise')))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    args = ["compare", "aws-saa", "--format", "table"]
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip().splitlines()[-1] == "[]"
