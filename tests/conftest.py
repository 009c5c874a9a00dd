"""Shared helpers: run the ``credroi`` command in-process and capture what it prints."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import settings

from credroi.cli import main

# CI (CI=true) runs the property tests on a fixed sequence of examples, so a landing never hangs on a
# case drawn for the first time that day; local runs keep exploring new examples (and save any
# failure in .hypothesis/ to replay it).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@dataclass
class Run:
    """Exit code, standard output and standard error of one command."""

    code: int
    out: str
    err: str


Runner = Callable[..., Run]


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden``: tests/test_golden.py rewrites its golden files instead of comparing with them."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/golden/ from the current output instead of asserting",
    )


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run ``credroi ARGS`` through ``main()``, optionally feeding ``stdin`` text."""

    def _run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Run:
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.delenv("FORCE_COLOR", raising=False)
        for name in [n for n in os.environ if n.startswith("CREDROI_")]:
            monkeypatch.delenv(name)  # each run sees only the variables it is given
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
        capsys.readouterr()
        try:
            main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        else:  # pragma: no cover - main always exits
            code = 0
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return _run


@pytest.fixture(autouse=True)
def _no_user_profile(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the developer's own profile file: the user config directory is a fresh one."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own cache of validated catalogs (never the developer's)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
