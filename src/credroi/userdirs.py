"""The user's config and cache directories for credroi.

``platformdirs`` knows every platform's rules, but importing it costs about 4 ms, a tenth
of what the CLI may add to a run. On Linux the rule is the XDG base directory one:
``$XDG_CONFIG_HOME`` (or ``$XDG_CACHE_HOME``) when it is an absolute path, else
``~/.config`` (or ``~/.cache``). That case is answered here, exactly as platformdirs answers
it (a test compares the two); anything else (macOS, Windows, Android, no usable ``HOME``) is
left to platformdirs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Literal

APP = "credroi"


def user_dir(kind: Literal["config", "cache"]) -> Path:
    """``<user config dir>/credroi`` or ``<user cache dir>/credroi``."""
    env = os.environ
    linux = (
        sys.platform == "linux"
        and not hasattr(sys, "getandroidapilevel")
        and not (env.get("ANDROID_DATA") == "/data" and env.get("ANDROID_ROOT") == "/system")
    )
    if linux:
        xdg = env.get(f"XDG_{kind.upper()}_HOME", "")
        if xdg.startswith("/"):
            return Path(xdg) / APP
        home = env.get("HOME", "")
        if home.startswith("/"):
            return Path(home) / f".{kind}" / APP
    import platformdirs

    if kind == "config":
        return Path(platformdirs.user_config_dir(APP, appauthor=False))
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))
