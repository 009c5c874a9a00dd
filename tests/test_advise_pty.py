"""`credroi advise` in a real pseudo-terminal: the interview asks, re-asks, answers and saves (pexpect)."""

from __future__ import annotations

import os
import re
import sys
import tomllib
from pathlib import Path

import pytest

from .test_advise import CATALOG

pexpect = pytest.importorskip("pexpect", reason="the interview tests need pexpect (a dev dependency: uv sync)")


@pytest.fixture
def cat(tmp_path: Path) -> str:
    path = tmp_path / "advise.yaml"
    path.write_text(CATALOG, encoding="utf-8")
    return str(path)


def _words(text: str) -> str:
    """A pattern for ``text`` wherever the terminal wraps it (any run of white space between its words)."""
    return r"\s+".join(re.escape(word) for word in text.split())


def _spawn(args: list[str], tmp_path: Path) -> object:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDROI_")}
    env.update(
        NO_COLOR="1",
        TERM="xterm",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
    )
    return pexpect.spawn(
        sys.executable,
        ["-m", "credroi", *args],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 100),
    )


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_interview_asks_re_asks_and_answers(cat: str, tmp_path: Path) -> None:
    """On a terminal advise asks each question with its default, re-asks after a bad answer, then answers."""
    child = _spawn(["advise", "--catalog", cat, "--save-profile"], tmp_path)
    child.expect(r"Your goal.*\(raise\)")  # the default is shown
    child.sendline("move")
    child.expect("error:.* must be one of raise or switch; try again")
    child.expect("Your goal")
    child.sendline("switch")
    child.expect("Roles you can move into")
    child.expect("it-support")
    child.expect(r"role to move into")
    child.sendline("1")
    child.expect(r"salary a year.*\(75000\)")
    child.sendline("lots")
    child.expect("`lots` is not a number; try again")
    child.sendline("$33,700")
    child.expect("experience")
    child.sendline("-1")
    child.expect("must be >= 0; try again")
    child.sendline("0")
    child.expect("Hours a week")
    child.sendline("")
    child.expect("out of pocket")
    child.sendline("1500")
    child.expect("Who pays")
    child.sendline("me")
    child.expect(r"Years to count.*\(5\)")
    child.sendline("")
    child.expect("Fields of interest")
    child.sendline("clod")
    child.expect("did you mean `cloud`")
    child.sendline("it-support")
    child.expect("Your answers as options")
    child.expect(_words("--goal switch --target-role it-support --salary 33700"))
    child.expect(_words("Best single credential: Helpdesk Cert"))
    child.expect("How sure")
    child.expect("Best plan")
    child.expect("Verdict")
    child.expect(_words("raises your chance of landing the role by at least"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = tomllib.loads((tmp_path / "config" / "credroi" / "profile.toml").read_text(encoding="utf-8"))
    assert (saved["goal"], saved["target_role"], saved["salary"], saved["experience_years"]) == (
        "switch",
        "it-support",
        33700,
        0,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_options_given_are_not_asked_and_no_input_never_asks(cat: str, tmp_path: Path) -> None:
    """Questions answered by options are skipped; --no-input on a terminal behaves as off one (exit 2 when missing)."""
    child = _spawn(["advise", "--catalog", cat, "--goal", "raise", "--salary", "90000", "--field", "cloud"], tmp_path)
    child.expect("experience")
    before = child.before
    assert "Your goal" not in before
    assert "salary a year" not in before
    for _ in range(5):  # experience, hours, budget, who pays, horizon: defaults
        child.sendline("")
    child.expect(_words("Your answers as options (for scripts): credroi advise --goal raise --salary 90000"))
    child.expect(_words("Best single credential: Cloud Cert"))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    child = _spawn(["advise", "--catalog", cat, "--no-input"], tmp_path)
    child.expect("missing option --goal")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_end_of_input_stops_the_interview_as_ctrl_c_does(cat: str, tmp_path: Path) -> None:
    """Ctrl-D at a question stops advise with exit 130 and no traceback, and saves nothing."""
    child = _spawn(["advise", "--catalog", cat, "--save-profile"], tmp_path)
    child.expect("Your goal")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in child.before
    assert not (tmp_path / "config" / "credroi" / "profile.toml").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_switch_without_a_role_is_asked_for_the_role(cat: str, tmp_path: Path) -> None:
    """`advise --goal switch` on a terminal asks which role (off one, it is exit 2 naming --target-role)."""
    child = _spawn(["advise", "--catalog", cat, "--goal", "switch"], tmp_path)
    child.expect("Roles you can move into")
    child.expect(r"role to move into")
    child.sendline("it-support")
    child.expect(r"salary a year")
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130  # stopped at the next question: nothing saved
