"""Golden files: the exact stdout of compare, show, rank, simulate, explain and plan in every output format.

Each case runs one command in-process (the ``run`` fixture: a fixed 80-column width off a terminal, no colour, a
clean environment) on the fixture catalog ``tests/golden/catalog.yaml``, never the bundled one, and compares its
stdout with ``tests/golden/<command>-<variant>.<format>.txt``. Standard error must be empty unless a
``<command>-<variant>.<format>.stderr.txt`` file holds what it should be.

After an intended change of output, regenerate every golden file and review the diff before committing::

    uv run pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Runner

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CATALOG = "tests/golden/catalog.yaml"  # relative to ROOT, so that no absolute path can reach an output
REGENERATE = "uv run pytest tests/test_golden.py --update-golden"

FORMATS = ("table", "json", "jsonl", "csv", "markdown")
PROFILE = ("--salary", "90000", "--horizon", "3")  # a fixed profile that is not the default one
CASES: dict[str, tuple[str, ...]] = {
    "compare-all": ("compare", *PROFILE),
    "compare-default-profile": ("compare",),
    "compare-by-kind": ("compare", "--by", "kind", *PROFILE),
    "show-aws-saa": ("show", "aws-saa", *PROFILE),
    "rank-default": ("rank", *PROFILE),
    "simulate-two": ("simulate", "aws-saa", "google-data-analytics", "--draws", "2000", *PROFILE),
    "explain-aws-saa": ("explain", "aws-saa", *PROFILE),
    "plan-default": ("plan", *PROFILE),
}
REJECTED: set[tuple[str, str]] = set()  # (case, format) pairs the command refuses; none so far


def _golden(case: str, fmt: str, stream: str = "") -> Path:
    return GOLDEN / f"{case}.{fmt}{'.' + stream if stream else ''}.txt"


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # bytes: CSV's line endings are compared exactly


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


PAIRS = [(case, fmt) for case in CASES for fmt in FORMATS if (case, fmt) not in REJECTED]


@pytest.mark.parametrize(("case", "fmt"), PAIRS, ids=[f"{case}.{fmt}" for case, fmt in PAIRS])
def test_output_matches_golden_file(
    run: Runner, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, case: str, fmt: str
) -> None:
    """The command prints exactly its golden stdout (and stderr), exit code 0, for the fixture catalog."""
    monkeypatch.chdir(ROOT)
    r = run(*CASES[case], "--catalog", CATALOG, "--format", fmt, "--no-color")
    assert r.code == 0, r.err
    out, err = _golden(case, fmt), _golden(case, fmt, "stderr")
    if request.config.getoption("--update-golden"):
        _write(out, r.out)
        if r.err:
            _write(err, r.err)
        else:
            err.unlink(missing_ok=True)
        return
    assert out.exists(), f"missing golden file {out.relative_to(ROOT)}: create it with `{REGENERATE}`"
    assert r.out == _read(out), f"stdout differs from {out.relative_to(ROOT)} (if intended: `{REGENERATE}`)"
    assert r.err == (_read(err) if err.exists() else ""), f"unexpected stderr (if intended: `{REGENERATE}`)"


def test_no_stray_golden_files(request: pytest.FixtureRequest) -> None:
    """Every golden file belongs to a case and format above, so a renamed case leaves no stale file behind."""
    if request.config.getoption("--update-golden"):
        pytest.skip("the golden files are being rewritten")
    expected = {_golden(case, fmt).name for case, fmt in PAIRS}
    stray = sorted(
        p.name for p in GOLDEN.glob("*.txt") if p.name not in expected and p.name.replace(".stderr", "") not in expected
    )
    assert not stray, f"golden files of no case: {stray} (delete them, then `{REGENERATE}`)"
