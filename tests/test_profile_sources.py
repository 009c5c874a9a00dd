"""Profiles: precedence (options > environment > profile file > defaults), the file, init and show."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from credroi import profile_sources as profiles
from credroi.model.profile import PROFILE_FIELDS

from .conftest import Runner
from .contract import PROFILE_KEYS


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user config directory at a temporary one, and clear CREDROI_* variables."""
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    for name in list(os.environ):
        if name.startswith("CREDROI_"):
            monkeypatch.delenv(name)
    return home


def salary_of(run: Runner, *args: str, env: dict[str, str] | None = None) -> float:
    r = run("compare", "aws-saa", *args, "--format", "json", env=env)
    assert r.code == 0, r.err
    return float(json.loads(r.out)["profile"]["salary"])


def test_precedence(run: Runner, tmp_path: Path) -> None:
    """Each source wins over the ones below it, key by key."""
    default_file = profiles.default_profile_path()
    assert str(default_file).startswith(str(tmp_path / "config"))
    assert salary_of(run) == 75_000  # defaults
    default_file.parent.mkdir(parents=True)
    default_file.write_text("salary = 80000\ntax_rate = 0.3\n", encoding="utf-8")
    assert salary_of(run) == 80_000  # the default profile file
    assert salary_of(run, env={"CREDROI_SALARY": "85000"}) == 85_000  # environment over file
    assert salary_of(run, "--salary", "90000", env={"CREDROI_SALARY": "85000"}) == 90_000  # option over all
    other = tmp_path / "other.toml"
    other.write_text("salary = 60000\n", encoding="utf-8")
    assert salary_of(run, "--profile", str(other)) == 60_000  # --profile replaces the default file
    assert salary_of(run, env={"CREDROI_PROFILE": str(other)}) == 60_000
    r = run("profile", "show", "--format", "json", env={"CREDROI_SALARY": "85000"})
    doc = json.loads(r.out)
    assert doc["sources"]["salary"] == "CREDROI_SALARY"
    assert doc["sources"]["tax_rate"] == f"profile {default_file}"
    assert doc["sources"]["horizon_years"] == "default"
    assert doc["profile"]["tax_rate"] == 0.3
    r = run("profile", "show", "--horizon", "3", "--format", "json")
    assert json.loads(r.out)["sources"]["horizon_years"] == "--horizon"


def test_every_profile_key_has_an_environment_variable(run: Runner) -> None:
    env = {
        "CREDROI_SALARY": "91000",
        "CREDROI_HOURS_PER_WEEK": "6",
        "CREDROI_HORIZON_YEARS": "4",
        "CREDROI_DISCOUNT_RATE": "0.05",
        "CREDROI_SALARY_GROWTH": "0.01",
        "CREDROI_TAX_RATE": "0.3",
        "CREDROI_TIME_VALUE": "12",
        "CREDROI_EMPLOYER_SHARE": "0.5",
        "CREDROI_SELECTION_ADJUSTMENT": "0.4",
        "CREDROI_LAG_MONTHS": "2",
        "CREDROI_SCENARIO": "low",
        "CREDROI_GOAL": "switch",
        "CREDROI_TARGET_ROLE": "it-support",
        "CREDROI_TARGET_SALARY": "61000",
        "CREDROI_EXPERIENCE_YEARS": "1.5",
    }
    assert set(env) == {s.env for s in PROFILE_FIELDS}
    r = run("profile", "show", "--format", "json", env=env)
    doc = json.loads(r.out)
    assert doc["profile"] == {
        "salary": 91000.0,
        "hours_per_week": 6.0,
        "horizon_years": 4.0,
        "discount_rate": 0.05,
        "salary_growth": 0.01,
        "tax_rate": 0.3,
        "time_value": 12.0,
        "employer_share": 0.5,
        "selection_adjustment": 0.4,
        "lag_months": 2.0,
        "scenario": "low",
        "goal": "switch",
        "target_role": "it-support",
        "target_salary": 61000.0,
        "experience_years": 1.5,
    }
    assert set(doc["sources"].values()) == set(env)


def test_bad_values_name_their_source(run: Runner, tmp_path: Path) -> None:
    r = run("compare", env={"CREDROI_TAX_RATE": "lots"})
    assert r.code == 2
    assert r.err.splitlines()[0] == "error: invalid value for CREDROI_TAX_RATE: `lots` is not a number"
    r = run("compare", env={"CREDROI_TAX_RATE": "1.5"})
    assert r.code == 2
    assert r.err.splitlines()[0] == "error: invalid value for CREDROI_TAX_RATE: must be <= 1"
    bad = tmp_path / "bad.toml"
    bad.write_text("tax_rate = 1.5\n", encoding="utf-8")
    r = run("compare", "--profile", str(bad))
    assert r.code == 1
    assert r.err.splitlines()[0] == f"error: {bad}: tax_rate: must be <= 1"
    bad.write_text("salry = 1\nhorizon_years = 'long'\n", encoding="utf-8")
    r = run("compare", "--profile", str(bad))
    assert r.code == 1
    assert "salry: unknown key (did you mean `salary`?)" in r.err
    assert "horizon_years: `long` is not a number" in r.err
    bad.write_text("tax_rate = 0.2\nsalary = = 1\n", encoding="utf-8")
    r = run("compare", "--profile", str(bad))
    assert r.code == 1
    assert "invalid TOML" in r.err
    assert "line 2" in r.err
    r = run("compare", "--profile", str(tmp_path / "missing.toml"))
    assert r.code == 1
    assert "no such profile file" in r.err


def test_init_writes_a_commented_file_and_never_clobbers(run: Runner, tmp_path: Path) -> None:
    target = profiles.default_profile_path()
    r = run("profile", "init", "--salary", "95000")
    assert r.code == 0, r.err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# credroi profile")
    assert tomllib.loads(text)["salary"] == 95000
    assert "hours_per_week" not in tomllib.loads(text)  # commented out: each credential's pace
    assert salary_of(run) == 95_000
    before = target.read_bytes()
    r = run("profile", "init", "--salary", "1")
    assert r.code == 1
    assert "already exists" in r.err
    assert "--force" in r.err
    assert target.read_bytes() == before
    r = run("profile", "init", "--force")
    assert r.code == 0
    assert tomllib.loads(target.read_text(encoding="utf-8"))["salary"] == 75000
    assert [p.name for p in target.parent.iterdir()] == ["profile.toml"]  # no temporary left behind
    r = run("profile", "init", "--tax-rate", "2", "--path", str(tmp_path / "x.toml"))
    assert r.code == 2
    assert not (tmp_path / "x.toml").exists()


def test_profile_path_and_table(run: Runner) -> None:
    r = run("profile", "path")
    assert Path(r.out.strip()) == profiles.default_profile_path()
    r = run("profile", "show", "--format", "table")
    assert "Effective profile" in r.out
    assert "each credential's own pace" in r.out


def test_parse_value_rules() -> None:
    assert profiles.parse_value("salary", "90_000") == 90000.0
    assert profiles.parse_value("scenario", " High ") == "high"
    for raw in ("nan", "inf", True, [1]):
        with pytest.raises(ValueError, match=r"must be|not a number"):
            profiles.parse_value("salary", raw)


def test_profile_keys_are_the_contracts() -> None:
    assert [s.name for s in PROFILE_FIELDS] == PROFILE_KEYS


def test_init_writes_only_the_options_given(run: Runner) -> None:
    """init neither copies CREDROI_* variables into the file nor trips over a broken existing one."""
    target = profiles.default_profile_path()
    target.parent.mkdir(parents=True)
    target.write_text("tax_rate = 7\n", encoding="utf-8")
    r = run("profile", "init", "--horizon", "3", "--force", env={"CREDROI_SALARY": "123456"})
    assert r.code == 0, r.err
    written = tomllib.loads(target.read_text(encoding="utf-8"))
    assert written["salary"] == 75000
    assert written["horizon_years"] == 3
    assert written["tax_rate"] == 0.25
