"""Hostile input: every broken catalog, batch file and option value ends in a clean error.

The corpus under tests/corpus/ holds reviewed cases; the rest are generated here (binary data,
oversized files, deep nesting). Hypothesis feeds the catalog loader and the batch reader
arbitrary text and structures: only the documented errors may come out.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credroi import batch
from credroi.catalog import MAX_BYTES, CatalogError, load_catalog, parse_catalog
from credroi.cli.app import command_paths
from credroi.model.profile import Profile

from .conftest import Runner

BATCH = Path(__file__).parent / "corpus" / "batch"
BATCH_CASES = sorted(p.name for p in BATCH.iterdir() if p.suffix in (".csv", ".jsonl"))
CREDS = {c.id: c for c in load_catalog().credentials()}


@pytest.mark.parametrize("name", BATCH_CASES)
def test_batch_corpus(run: Runner, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Each batch file gives exactly the reviewed messages and exit code; stdout stays parseable."""
    monkeypatch.chdir(BATCH)
    expected = (BATCH / name).with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    code = int(expected.pop().removeprefix("rc="))
    r = run("batch", name, "--format", "jsonl")
    assert r.code == code
    assert r.err.splitlines() == expected
    for line in r.out.splitlines():
        assert isinstance(json.loads(line)["row"], int)
    assert "Traceback" not in r.err


def test_batch_binary_and_huge_inputs(run: Runner, tmp_path: Path) -> None:
    binary = tmp_path / "image.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    r = run("batch", str(binary))
    assert r.code == 1
    assert "not valid UTF-8" in r.err or "header" in r.err
    assert "Traceback" not in r.err


def test_batch_memory_stays_flat(tmp_path: Path) -> None:
    """100,000 rows stream through in bounded memory (no list of all rows or results)."""
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("credential,salary\n")
        for n in range(100_000):
            fh.write(f"{'aws-saa' if n % 2 else 'cissp'},{50_000 + n % 97}\n")
    evaluator = batch.Evaluator(CREDS, Profile(), cache_size=256)
    tracemalloc.start()
    count = 0
    with path.open(encoding="utf-8", newline="") as fh:
        for item in batch.run(batch.read_rows(fh, "csv"), evaluator):
            assert isinstance(item, dict)
            count += 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 100_000
    assert peak < 30 * 1024 * 1024


def test_catalog_hostile_files(run: Runner, tmp_path: Path) -> None:
    """Binary, oversized, deeply nested and absurd catalogs: one clear line each, exit 1, quickly."""
    cases = {
        "binary.yaml": (bytes(range(256)), "is binary, not a YAML text file"),
        "huge.yaml": (b"# " + b"x" * (MAX_BYTES + 10), "larger than the 5 MiB limit"),
        "deep.yaml": (b"credentials: " + b"[" * 50_000 + b"]" * 50_000, "exceeded maximum nesting depth"),
        "absurd.yaml": (
            b"credentials:\n  - {id: a, name: A, issuer: X, kind: certification, fields: [x],"
            b" cost: {exam_fee: 1e308}, study: {weeks: 99999, hours_per_week: 5},"
            b" recognition: 0.5, salary_uplift: {low: 0, typical: 0.1, high: 0.2}}\n",
            "must be <=",
        ),
        "tabs.yaml": (b"credentials:\n\t- id: a\n", "invalid YAML"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        start = time.perf_counter()
        r = run("catalog", "validate", str(path), "--format", "table")
        assert time.perf_counter() - start < 10, name
        assert r.code == 1, name
        assert message in r.out, (name, r.out)
        assert "Traceback" not in r.err + r.out


def test_bom_and_crlf_catalog_is_fine(run: Runner, tmp_path: Path) -> None:
    text = (
        "currency: USD\r\ncredentials:\r\n  - id: a\r\n    name: A\r\n    issuer: X\r\n    kind: certification\r\n"
        "    fields: [x]\r\n    study: {weeks: 1, hours_per_week: 1}\r\n    recognition: 0.5\r\n"
        "    salary_uplift: {low: 0, typical: 0.1, high: 0.2}\r\n"
    )
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    r = run("compare", "--catalog", str(path), "--format", "json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["results"][0]["id"] == "a"


def _commands() -> list[list[str]]:
    return command_paths()


ARGS = {"show": ["aws-saa"], "sensitivity": ["aws-saa"], "flip": ["aws-saa", "ccna"], "explain": ["aws-saa"]}


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_refuses_bad_options(run: Runner, command: list[str]) -> None:
    """An unknown option and a bad --format (or --salary, where it exists) exit 2 naming the option."""
    extra = ARGS.get(" ".join(command), ["-"] if command == ["batch"] else [])
    r = run(*command, *extra, "--no-such-option")
    assert r.code == 2, r.err
    assert "--no-such-option" in r.err
    assert "Traceback" not in r.err
    help_text = run(*command, "--help").out
    if "--salary" in help_text:
        r = run(*command, *extra, "--salary", "-3")
        assert r.code == 2
        assert r.err.startswith("error: invalid value for --salary")
    if "--format" in help_text:
        r = run(*command, *extra, "--format", "xml")
        assert r.code == 2
        assert r.err.startswith("error: invalid value for '--format'")  # Click's own message
    assert "Exit codes:" in " ".join(help_text.split())


@pytest.mark.parametrize("command", [["show"], ["sensitivity"], ["flip", "aws-saa"], ["explain"], ["batch"]])
def test_missing_arguments_exit_2(run: Runner, command: list[str]) -> None:
    r = run(*command)
    assert r.code == 2
    assert r.err.startswith("error: missing argument")


# --- fuzzing -------------------------------------------------------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_loader_fuzz_text(text: str) -> None:
    """Any text is a catalog or a CatalogError with located problems: never another exception."""
    problems = _catalog_problems(text)
    assert problems is None or (problems and all(p.startswith("fuzz.yaml") for p in problems))


def _catalog_problems(text: str) -> list[str] | None:
    """None when ``text`` is a valid catalog, else its problems (any other exception propagates)."""
    try:
        parse_catalog(text, "fuzz.yaml")
    except CatalogError as err:
        return [str(p) for p in err.problems]
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structures)
def test_loader_fuzz_structures(data: object) -> None:
    """Any YAML structure, including near-catalogs, fails cleanly."""
    for doc in (data, {"credentials": data}, {"credentials": [data]}):
        try:
            text = yaml.safe_dump(doc, allow_unicode=True)
        except yaml.YAMLError:
            continue
        problems = _catalog_problems(text)
        assert problems is None or problems


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=8), st.sampled_from(["csv", "jsonl"]))
def test_batch_reader_fuzz(lines: list[str], fmt: batch.InputFormat) -> None:
    """Any lines give, per row, a result or a RowError, or stop with a BatchInputError."""
    evaluator = batch.Evaluator(CREDS, Profile())
    text = ["credential,salary\n"] if fmt == "csv" else []
    text += [line.replace("\n", " ") + "\n" for line in lines]
    items: list[object] = []
    stopped: batch.BatchInputError | None = None
    try:
        items.extend(batch.run(batch.read_rows(text, fmt), evaluator))
    except batch.BatchInputError as err:
        stopped = err
    assert stopped is None or str(stopped)
    for item in items:
        assert isinstance(item, dict | batch.RowError)
        if isinstance(item, batch.RowError):
            assert str(item).startswith(f"row {item.row}: ")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(batch.INPUT_KEYS), structures, max_size=5))
def test_batch_rows_fuzz_values(values: dict[str, object]) -> None:
    """Any JSON values for the known keys give a result or a RowError naming the key or credential."""
    evaluator = batch.Evaluator(CREDS, Profile())
    line = json.dumps({"credential": "aws-saa", **values}, default=str)
    (item,) = list(batch.run(batch.read_rows([line + "\n"], "jsonl"), evaluator))
    if isinstance(item, batch.RowError):
        assert item.row == 1


def test_nothing_is_written_outside_the_cache(run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands write nothing in the working directory; the only files are the catalog cache's."""
    work = tmp_path / "work"
    work.mkdir()
    cache = tmp_path / "cache"
    config = tmp_path / "config"
    monkeypatch.chdir(work)
    env = {}
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    for args in (
        ["compare"],
        ["rank"],
        ["simulate", "--draws", "50"],
        ["list"],
        ["show", "ccna"],
        ["sensitivity", "ccna"],
        ["explain", "ccna", "--chart"],
        ["catalog", "validate"],
        ["profile", "show"],
    ):
        r = run(*args, env=env)
        assert r.code == 0, (args, r.err)
    assert list(work.iterdir()) == []
    assert not config.exists()
    written = [p for p in cache.rglob("*") if p.is_file()]
    assert all(p.suffix == ".cache" and p.parent.name == "catalogs" for p in written)
    r = run("--no-cache", "compare", env=env)
    assert r.code == 0
    assert len([p for p in cache.rglob("*") if p.is_file()]) == len(written)
