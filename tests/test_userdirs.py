"""credroi.userdirs answers like platformdirs wherever it answers by itself."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from credroi.userdirs import user_dir

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the fast path is Linux only")

CASES = [
    {"HOME": "/home/ana"},
    {"HOME": "/home/ana/", "XDG_CONFIG_HOME": "/srv/conf", "XDG_CACHE_HOME": "/var/tmp/c"},
    {"HOME": "/home/ana", "XDG_CONFIG_HOME": "relative/conf", "XDG_CACHE_HOME": ""},
    {"HOME": "/", "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": "~/cache"},
    {"HOME": "relative-home"},
    {},
]


@pytest.mark.parametrize("env", CASES)
@pytest.mark.parametrize("kind", ["config", "cache"])
def test_same_directory_as_platformdirs(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], kind: str) -> None:
    for var in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "ANDROID_DATA", "ANDROID_ROOT"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    expected = (
        platformdirs.user_config_dir("credroi", appauthor=False)
        if kind == "config"
        else platformdirs.user_cache_dir("credroi", appauthor=False)
    )
    assert user_dir(kind) == Path(expected)  # type: ignore[arg-type]


def test_fast_path_does_not_import_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/ana")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setitem(sys.modules, "platformdirs", None)  # importing it now fails
    assert user_dir("config") == Path("/home/ana/.config/credroi")
