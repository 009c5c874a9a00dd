"""The examples of README.md, written by cog from the real commands, so they cannot drift from the output.

Regenerate after a change of output:  uv run cog -r -I . README.md
`tests/test_readme.py` fails when README.md differs from what the commands print now.

Each command runs as ``python -m credroi`` in a fresh process with no ``CREDROI_*`` variable, no
colour, an empty config directory (no profile file) and a private cache, off a terminal (so at
80 columns), from the repository's root.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import cog  # type: ignore[import-not-found]  # provided by cogapp while it runs

ROOT = Path(__file__).resolve().parent.parent
_HOME = tempfile.mkdtemp(prefix="credroi-readme-")


def output(command: str, *, usage_ok: bool = True) -> str:
    """What ``command`` (``credroi ...``) prints, stdout then stderr, with trailing spaces removed."""
    args = shlex.split(command)
    if args[0] != "credroi":
        raise ValueError(f"not a credroi command: {command}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDROI_") and k not in ("FORCE_COLOR", "COLUMNS")}
    env.update(NO_COLOR="1", XDG_CONFIG_HOME=f"{_HOME}/config", XDG_CACHE_HOME=f"{_HOME}/cache")
    done = subprocess.run(
        [sys.executable, "-m", "credroi", *args[1:]], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    text = done.stdout + done.stderr
    if done.returncode == 2 and not usage_ok:  # the README would show an error where it means an example
        raise RuntimeError(f"{command}: exit 2 (bad usage):\n{done.stderr}")
    return "\n".join(line.rstrip() for line in text.rstrip("\n").splitlines())


def _table_rows(lines: list[str]) -> tuple[int, int]:
    """(first, end) line indices of the first table's rows: after its rule, up to a caption or blank line."""
    first = next(i for i, line in enumerate(lines) if line.startswith("───")) + 1
    end = first
    while end < len(lines) and lines[end] and not lines[end].startswith(("Profile:", "Pay a year", "Benefit:")):
        end += 1
    return first, end


def shorten(text: str, head: int, tail: int = 0, noun: str = "rows", stop: bool = False) -> str:
    """Keep the first table's ``head`` first and ``tail`` last rows, with a line saying how many are left out.

    ``stop`` drops everything after the table as well (the marker then ends the example).
    """
    lines = text.splitlines()
    first, end = _table_rows(lines)
    rows: list[list[str]] = []  # a row and the lines its folded first cell runs onto (a long id)
    for line in lines[first:end]:
        if rows and "  " not in line.strip():
            rows[-1].append(line)
        else:
            rows.append([line])
    if len(rows) <= head + tail:
        return text
    marker = f"⋮  ({len(rows) - head - tail} more {noun})"
    shown = rows[:head] + [[marker]] + (rows[len(rows) - tail :] if tail else [])
    kept = [line for row in shown for line in row]
    after = [] if stop else lines[end:]
    return "\n".join(lines[:first] + kept + after)


def example(
    command: str,
    *,
    shown: str | None = None,
    head: int | None = None,
    tail: int = 0,
    noun: str = "rows",
    stop: bool = False,
) -> None:
    """A console block with the command, then a text block with what it prints (shortened if asked).

    ``shown`` is the command as a person types it on a terminal, where ``command`` adds
    ``--format table`` (the table that ``auto`` prints on a terminal; off one it prints CSV).
    """
    text = output(command, usage_ok=False)  # an example shows an answer, never a usage error
    if head is not None:
        text = shorten(text, head, tail, noun, stop)
    cog.outl(f"```console\n$ {shown or command}\n```\n\n```text\n{text}\n```")


def batch_example(rows: str, command: str, keys: tuple[str, ...]) -> None:
    """The batch example: ``rows`` written to people.csv, then ``command`` piped into ``jq -c '{keys}'``.

    The projection is done here as jq does it (each JSON line's ``keys``, compact), so the example
    needs no jq; stderr follows stdout, as a terminal shows them.
    """
    import json

    work = Path(tempfile.mkdtemp(prefix="credroi-batch-"))
    (work / "people.csv").write_text(rows, encoding="utf-8")
    args = shlex.split(command)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDROI_")}
    env.update(NO_COLOR="1", XDG_CONFIG_HOME=f"{_HOME}/config", XDG_CACHE_HOME=f"{_HOME}/cache")
    done = subprocess.run(
        [sys.executable, "-m", "credroi", *args[1:]], capture_output=True, text=True, env=env, cwd=work, check=False
    )
    projected = [
        json.dumps({k: json.loads(line)[k] for k in keys}, separators=(",", ":")) for line in done.stdout.splitlines()
    ]
    printf = rows.replace("\n", "\\n")
    jq = "{" + ", ".join(keys) + "}"
    lines = [f"$ printf '{printf}' > people.csv", f"$ {command} | jq -c '{jq}'", *projected]
    lines += done.stderr.rstrip("\n").splitlines()
    cog.outl("```console\n" + "\n".join(lines) + "\n```")


def session(*commands: str) -> None:
    """One console block: each command after a ``$`` and what it prints (errors included)."""
    parts = []
    for command in commands:
        parts.append(f"$ {command}")
        text = output(command)
        if text:
            parts.append(text)
    cog.outl("```console\n" + "\n".join(parts) + "\n```")


def catalog_counts() -> None:
    """The bundled catalog's counts, as a short table (from ``credroi list`` and ``credroi roles``)."""
    import csv
    import io
    import json

    rows = list(csv.DictReader(io.StringIO(output("credroi list --format csv"))))
    roles = json.loads(output("credroi roles --format json"))["roles"]
    kinds = [("certification", "certifications"), ("micro-credential", "micro-credentials")]
    cog.outl("| | credentials | of them 40 study hours or fewer |")
    cog.outl("|---|---|---|")
    for kind, label in kinds:
        mine = [r for r in rows if r["kind"] == kind]
        short = sum(1 for r in mine if float(r["study_hours"]) <= 40)
        cog.outl(f"| {label} | {len(mine)} | {short} |")
    cog.outl(f"| roles (jobs to move into, with BLS pay) | {len(roles)} | |")


def validate_summary(head: int = 4) -> None:
    """``credroi catalog validate`` on the bundled catalog: the first warnings, how many more, the summary."""
    lines = output("credroi catalog validate --format csv").splitlines()
    *rows, summary = lines
    header, warnings = rows[0], rows[1:]
    kept = warnings[:head]
    if len(warnings) > head:
        kept.append(f"⋮  ({len(warnings) - head} more warnings)")
    cog.outl("```console\n$ credroi catalog validate --format csv\n" + "\n".join([header, *kept, summary]) + "\n```")
