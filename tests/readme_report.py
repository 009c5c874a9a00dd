"""The README's report example, written by cog: advice saved as JSON, a Markdown report made from it, a part shown.

Like :mod:`tests.readme`, each command runs as ``python -m credroi`` in a fresh process with no
``CREDROI_*`` variable, no colour and a private config and cache, here in a scratch directory (the
files the example names are written there).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import cog  # type: ignore[import-not-found]  # provided by cogapp while it runs


def _run(command: str, cwd: Path, stdout: Path | None = None) -> str:
    """Run ``command`` (``credroi ...``) in ``cwd``; its stdout goes to ``stdout`` if given; return its stderr."""
    args = shlex.split(command)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDROI_") and k not in ("FORCE_COLOR", "COLUMNS")}
    env.update(NO_COLOR="1", XDG_CONFIG_HOME=str(cwd / "config"), XDG_CACHE_HOME=str(cwd / "cache"))
    done = subprocess.run(
        [sys.executable, "-m", "credroi", *args[1:]], capture_output=True, text=True, env=env, cwd=cwd, check=True
    )
    if stdout is not None:
        stdout.write_text(done.stdout, encoding="utf-8")
    return done.stderr.strip()


def report_example(advise: str, report: str, first: str, stop: str) -> None:
    """``advise > advice.json``, then ``report`` (writing report.md), then its part from ``first`` to ``stop``."""
    work = Path(tempfile.mkdtemp(prefix="credroi-report-"))
    _run(advise, work, stdout=work / "advice.json")
    said = _run(report, work)
    md = (work / "report.md").read_text(encoding="utf-8")
    part = first + md.split(first, 1)[1].split(stop, 1)[0]
    sed = f"$ sed -n '/^{first}/,/^{stop}/p' report.md"
    lines = [f"$ {advise} > advice.json", f"$ {report}", said, sed, part.rstrip()]
    cog.outl("```console\n" + "\n".join(lines) + "\n```")
