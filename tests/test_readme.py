"""README.md's examples are what the commands print today (cog writes them; this checks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cogapp import Cog

ROOT = Path(__file__).resolve().parent.parent


def test_readme_examples_match_the_commands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every generated example in README.md equals its command's output (regenerate: uv run cog -r -I . README.md)."""
    monkeypatch.chdir(ROOT)
    status = Cog().main(["cog", "--check", "-I", ".", "README.md"])
    out = capsys.readouterr().out
    assert status == 0, f"README.md is out of date ({out.strip()}); run: uv run cog -r -I . README.md"


def test_readme_has_generated_examples() -> None:
    """The check above has something to check: the README's examples are cog blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count("[[[cog") >= 10
    assert text.count("[[[cog") == text.count("[[[end]]]")
