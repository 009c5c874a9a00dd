"""rank, compare --by, simulate, sensitivity, flip and explain: table and JSON forms, errors."""

from __future__ import annotations

import json
import math
import statistics
import sys
from pathlib import Path

import pytest

from credroi.catalog import load_catalog
from credroi.model.engine import evaluate
from credroi.model.profile import Profile

from .conftest import Runner
from .contract import PROFILE_KEYS, SIMULATION_KEYS


def doc(run: Runner, *args: str) -> dict:
    r = run(*args, "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert next(iter(data)) == "profile"
    assert list(data["profile"]) == PROFILE_KEYS
    return data


def table(run: Runner, *args: str) -> str:
    r = run(*args, "--format", "table")
    assert r.code == 0, r.err
    assert max(len(line) for line in r.out.splitlines()) <= 80
    assert "\x1b[" not in r.out
    return r.out


# --- rank ------------------------------------------------------------------------------


def test_rank_json_filters_and_order(run: Runner) -> None:
    data = doc(run, "rank", "--kind", "certification", "--budget", "300", "--by", "payback", "--top", "5")
    results = data["results"]
    assert 0 < len(results) <= 5
    assert all(r["kind"] == "certification" and r["out_of_pocket"] <= 300 + 1e-9 for r in results)
    paybacks = [r["payback_months"] for r in results]
    assert paybacks == sorted(paybacks)


def test_rank_default_is_top_10_by_npv(run: Runner) -> None:
    results = doc(run, "rank")["results"]
    assert len(results) == 10
    npvs = [r["npv"] for r in results]
    assert npvs == sorted(npvs, reverse=True)
    everything = sorted((evaluate(c, Profile()).npv for c in load_catalog().credentials()), reverse=True)
    assert npvs == pytest.approx(everything[:10])


def test_rank_table_and_empty_result(run: Runner) -> None:
    out = table(run, "rank", "--field", "security", "--max-weeks", "9")
    assert "by NPV (fields security, <= 9 weeks)" in out
    out = table(run, "rank", "--budget", "0", "--kind", "certification")
    assert "No credential passes these filters." in out


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--top", "0"], "--top"),
        (["--budget", "-5"], "--budget"),
        (["--by", "fun"], "--by"),
        (["--level", "x"], "--level"),
    ],
)
def test_rank_bad_options_exit_2(run: Runner, args: list[str], option: str) -> None:
    r = run("rank", *args)
    assert r.code == 2
    assert option in r.err.splitlines()[0]


# --- compare --by ----------------------------------------------------------------------


def test_compare_by_kind_json_is_the_groups_document(run: Runner) -> None:
    data = doc(run, "compare", "--by", "kind")
    groups = data["groups"]
    assert [g["group"] for g in groups] == ["certification", "micro-credential"]
    assert list(groups[0]) == [
        "group",
        "count",
        "median_investment",
        "median_study_weeks",
        "median_npv",
        "median_roi",
        "share_npv_positive",
        "best",
    ]
    cat = load_catalog()
    certs = [evaluate(c, Profile()) for c in cat.credentials() if c.kind == "certification"]
    assert groups[0]["count"] == len(certs)
    assert groups[0]["median_npv"] == pytest.approx(statistics.median(e.npv for e in certs))


def test_compare_by_field_and_verdict(run: Runner) -> None:
    data = doc(run, "compare", "--by", "field")
    assert {g["group"] for g in data["groups"]} >= {"cloud", "security", "data"}
    out = table(run, "compare", "--by", "kind")
    assert "Verdict:" in out
    assert "Best of each:" in " ".join(out.split())
    out = table(run, "compare", "--by", "field")
    assert "fields by median NPV" in out


def test_bare_compare_verdict_says_which_pays_back_sooner(run: Runner) -> None:
    """The verdict under compare's table names the kind that pays back sooner (undiscounted) and the best of each."""
    text = " ".join(table(run, "compare").split())
    assert "pays back (undiscounted) in" in text
    assert "Best of each:" in text


def test_compare_by_kind_json_carries_the_verdict(run: Runner) -> None:
    """`compare --by kind --format json` holds the verdict as data: winner, margin, sooner kind, best of each."""
    data = doc(run, "compare", "--by", "kind")
    verdict = data["verdict"]
    medians = {g["group"]: g["median_npv"] for g in data["groups"]}
    assert verdict["median_npv"] == medians
    top = max(medians, key=lambda k: medians[k])
    assert verdict["winner"] == (top if medians[top] > 0 else None)
    assert verdict["margin"] == pytest.approx(medians[top] - min(medians.values()))
    assert verdict["best"] == {g["group"]: g["best"] for g in data["groups"]}
    assert isinstance(verdict["close_call"], bool)
    assert verdict["text"].startswith("Verdict:")


# --- simulate ------------------------------------------------------------------------------


def test_simulate_json_repeats_and_follows_the_contract(run: Runner) -> None:
    first = doc(run, "simulate", "aws-saa", "cissp", "--draws", "2000")
    again = doc(run, "simulate", "aws-saa", "cissp", "--draws", "2000")
    assert first == again
    other = doc(run, "simulate", "aws-saa", "cissp", "--draws", "2000", "--seed", "99")
    assert other != first
    r = first["results"][0]
    assert list(r) == SIMULATION_KEYS
    assert r["draws"] == 2000
    assert r["npv_p10"] <= r["npv_p50"] <= r["npv_p90"]


def test_simulate_table(run: Runner) -> None:
    out = table(run, "simulate", "--draws", "500")
    assert "P(NPV>0)" in out
    assert "500 draws, seed 2026" in " ".join(out.split())


def test_simulate_rejects_zero_draws(run: Runner) -> None:
    r = run("simulate", "--draws", "0")
    assert r.code == 2
    assert "--draws" in r.err


# --- sensitivity ---------------------------------------------------------------------------


def test_sensitivity_json_and_table(run: Runner) -> None:
    data = doc(run, "sensitivity", "cissp")
    assert data["id"] == "cissp"
    inputs = data["inputs"]
    assert list(inputs[0]) == ["input", "low_value", "high_value", "npv_low", "npv_high"]
    widths = [abs(i["npv_high"] - i["npv_low"]) for i in inputs]
    assert widths == sorted(widths, reverse=True)
    out = table(run, "sensitivity", "cissp")
    assert "What moves the NPV of ISC2 CISSP" in out
    assert "│" in out
    assert "█" in out
    assert "Needs a raise of at least $" in out


# --- flip ------------------------------------------------------------------------------------


def test_flip_json_and_table(run: Runner) -> None:
    data = doc(run, "flip", "pmp", "terraform-associate")
    assert (data["a"], data["b"]) == ("pmp", "terraform-associate")
    assert {"input", "current", "flip_value", "low", "high", "method"} == set(data["inputs"][0])
    salary = next(i for i in data["inputs"] if i["input"] == "salary")
    assert salary["flip_value"] is not None
    out = table(run, "flip", "pmp", "terraform-associate")
    assert "Where would the lead change?" in " ".join(out.split())
    assert "never in range" in out


def test_flip_needs_two_different_ids(run: Runner) -> None:
    r = run("flip", "pmp", "pmp")
    assert r.code == 2
    assert "B" in r.err.splitlines()[0]
    r = run("flip", "pmp", "nope")
    assert r.code == 1
    assert "unknown credential `nope`" in r.err


# --- explain ---------------------------------------------------------------------------------


def test_explain_json_is_monthly_and_discounts_to_the_npv(run: Runner) -> None:
    data = doc(run, "explain", "aws-saa", "--lag-months", "3")
    assert data["id"] == "aws-saa"
    flows = data["flows"]
    assert [f["month"] for f in flows] == list(range(61))
    assert list(flows[0]) == ["month", "benefit", "renewal", "cash_flow", "cumulative", "discounted"]
    result = doc(run, "compare", "aws-saa", "--lag-months", "3")["results"][0]
    assert math.fsum(f["discounted"] for f in flows) == pytest.approx(result["npv"], rel=1e-12)
    assert flows[0]["cash_flow"] == pytest.approx(-result["investment"])


def test_explain_several_ids(run: Runner) -> None:
    data = doc(run, "explain", "aws-saa", "ccna")
    assert [e["id"] for e in data["explanations"]] == ["aws-saa", "ccna"]
    r = run("explain", "aws-saa", "ccna", "--format", "csv")
    lines = r.out.splitlines()
    assert lines[0] == "id,month,benefit,renewal,cash_flow,cumulative,discounted"
    assert len(lines) == 1 + 2 * 61


def test_explain_table_marks_payback_and_draws_a_chart(run: Runner) -> None:
    out = table(run, "explain", "aws-saa", "--chart")
    assert "◀ payback (month 13)" in out
    assert "Cumulative net value" in out
    out = table(run, "explain", "aws-saa", "--monthly", "--no-chart")
    assert "Cumulative net value" not in out
    assert "◀ payback (month 13)" in out
    assert "Month" in out


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_explain_save_writes_the_chart(run: Runner, tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / f"chart{suffix}"
    r = run("explain", "aws-saa", "google-it-support", "--save", str(path), "--format", "json")
    assert r.code == 0, r.err
    assert path.stat().st_size > 1000
    head = path.read_bytes()[:8]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<?xml" in head
    assert not list(tmp_path.glob("*.part"))
    assert [e["id"] for e in json.loads(r.out)["explanations"]] == ["aws-saa", "google-it-support"]


def test_explain_save_errors_are_clear(run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r = run("explain", "aws-saa", "--save", str(tmp_path / "chart.jpg"))
    assert r.code == 2  # bad usage
    assert "use a .png or .svg file name" in r.err
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if the extra were not installed
    r = run("explain", "aws-saa", "--save", str(tmp_path / "chart.png"))
    assert r.code == 74  # the environment lacks the plotting extra
    assert "pip install 'credroi[plot]'" in r.err
    assert not (tmp_path / "chart.png").exists()
    assert r.out == ""
