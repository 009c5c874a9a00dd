"""Measure credroi against its speed budgets (issue 7), as ratios of median wall times.

Run from a clone:  uv run python benchmarks/budgets.py [--runs N] [--only NAME]

Pairs, each run alternately N times so that machine noise hits both sides alike:

  compare ID ID   credroi compare aws-saa cissp       vs  a bare Typer + Rich app printing a
                                                          two-row table (the yardstick)   <= 1.10x
  rank 10k        credroi rank on a generated 10,000-entry catalog     vs  the yardstick   <= 3x
  simulate 40x10k credroi simulate of 40 credentials x 10,000 draws    vs  the yardstick   <= 2x
  batch 3,000     credroi batch of 3,000 rows  vs  the same NPV and IRR computed row by row
                  with numpy-financial (numpy_financial.npv and .irr on each row's flows)  <= 0.25x
  plan K=3        credroi plan (the best plan of up to 3 credentials) on the bundled
                  catalog                                              vs  the yardstick   <= 3x
  plan 300 K=3    credroi plan on a generated 300-entry catalog (some entries with
                  prerequisites)                                       vs  the yardstick   <= 10x
  plan K=4        credroi plan --max-credentials 4 on the bundled catalog   report only, no limit
  plan 300 K=4    the same on the 300-entry catalog                        report only, no limit

Each ratio is the median of paired runs (each run of credroi divided by the reference run
beside it), so slow drifts of a shared machine cancel; ``--instructions`` adds the ratio of
instructions executed, counted with valgrind, which does not drift at all.

Every side is a fresh process in the same virtualenv (start-up included): credroi runs as its
installed console script, the command people type (``python -m credroi`` when there is none),
the yardstick as a script. Timed with hyperfine
when it is installed and with time.perf_counter otherwise. Bytecode is compiled first and the
cache of validated catalogs warmed once (as after any install and first run); the batch check
also confirms that the NPVs of both sides agree to 1e-9.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YARDSTICK = """\
import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def main() -> None:
    table = Table("name", "value")
    table.add_row("a", "1")
    table.add_row("b", "2")
    Console().print(table)


app()
"""

NUMPY_FINANCIAL = """\
import csv
import sys

import numpy_financial as npf

from credroi.catalog import load_catalog
from credroi.model.engine import cash_flows
from credroi.model.profile import Profile

creds = {c.id: c for c in load_catalog().credentials()}
out = csv.writer(sys.stdout, lineterminator="\\n")
out.writerow(["row", "npv", "irr"])
with open(sys.argv[1], newline="", encoding="utf-8") as fh:
    for n, row in enumerate(csv.DictReader(fh), start=1):
        keys = {k: float(v) for k, v in row.items() if k != "credential" and v}
        profile = Profile(**keys)
        flows = cash_flows(creds[row["credential"]], profile).cash_flow
        npv = npf.npv(profile.monthly_rate, flows)
        monthly = npf.irr(flows)
        irr = "" if monthly != monthly else (1.0 + monthly) ** 12 - 1.0
        out.writerow([n, repr(float(npv)), irr])
"""

BUDGETS: dict[str, float | None] = {
    "compare ID ID": 1.10,
    "rank 10k": 3.0,
    "simulate 40x10k": 2.0,
    "batch 3,000": 0.25,
    "plan K=3": 3.0,
    "plan 300 K=3": 10.0,
    "plan K=4": None,  # report only
    "plan 300 K=4": None,  # report only
}
"""Each budget's limit on the ratio; None: measured and reported, with no limit."""


def write_catalog(path: Path, n: int, requires_share: float = 0.0) -> None:
    """A valid catalog of ``n`` generated entries (varied costs, times, validity and uplift).

    About ``requires_share`` of the entries require an earlier one (so never a cycle), drawn with a
    random generator of their own: the entries themselves are the same for every share.
    """
    rng = random.Random(10_000)
    prerequisites = random.Random(300)
    lines = ["currency: USD", "credentials:"]
    for i in range(n):
        requires = ""
        if i and prerequisites.random() < requires_share:
            requires = f", requires: [gen-{prerequisites.randrange(i):05d}]"
        kind = rng.choice(["certification", "micro-credential"])
        low = round(rng.uniform(0, 0.03), 3)
        typical = round(low + rng.uniform(0, 0.06), 3)
        high = round(typical + rng.uniform(0, 0.1), 3)
        validity = rng.choice(["", f", validity_years: {rng.choice([1, 2, 3])}, renewal_cost: {rng.randrange(0, 300)}"])
        lines.append(
            f"  - {{id: gen-{i:05d}, name: Generated {i}, issuer: Bench, kind: {kind}, "
            f"fields: [{rng.choice(['cloud', 'security', 'data', 'software'])}], "
            f"cost: {{exam_fee: {rng.randrange(0, 800)}, training: {rng.randrange(0, 2000)}}}, "
            f"study: {{weeks: {rng.randrange(1, 60)}, hours_per_week: {rng.randrange(2, 15)}}}, "
            f"pass_rate: {round(rng.uniform(0.5, 1), 2)}, recognition: {round(rng.uniform(0.1, 0.85), 2)}, "
            f"salary_uplift: {{low: {low}, typical: {typical}, high: {high}}}{validity}{requires}}}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_batch(path: Path, ids: list[str], n: int) -> None:
    """``n`` rows: a random credential, salary and tax rate (some blank), as an HR analyst's file."""
    rng = random.Random(3_000)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["credential", "salary", "tax_rate"])
        for _ in range(n):
            out.writerow([rng.choice(ids), rng.randrange(35_000, 180_000), rng.choice(["", "0.22", "0.3", "0.35"])])


def run_time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def hyperfine(a: list[str], b: list[str], runs: int) -> tuple[float, float]:
    """Median seconds of two commands via hyperfine (which interleaves nothing: still fair with warm-up)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = tmp.name
    subprocess.run(
        [
            "hyperfine",
            "--warmup",
            "1",
            "--runs",
            str(runs),
            "--export-json",
            out,
            "-N",
            " ".join(map(_quote, a)),
            " ".join(map(_quote, b)),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    data = json.loads(Path(out).read_text(encoding="utf-8"))
    Path(out).unlink()
    return data["results"][0]["median"], data["results"][1]["median"]


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'" if any(c in arg for c in " '\"$") else arg


def pair(a: list[str], b: list[str], runs: int) -> tuple[float, float, float]:
    """Median seconds of ``a`` and ``b``, and the median of their paired ratios.

    The two commands run alternately (a b, then b a, ...) after one warm-up each; each ratio
    divides a run of ``a`` by the run of ``b`` next to it, so slow drifts of a shared machine
    cancel. With hyperfine (which runs each command in one block) the ratio is of the medians.
    """
    if shutil.which("hyperfine"):
        ma, mb = hyperfine(a, b, runs)
        return ma, mb, ma / mb
    run_time(a)
    run_time(b)
    ta, tb = [], []
    for i in range(runs):
        if i % 2:
            tb.append(run_time(b))
            ta.append(run_time(a))
        else:
            ta.append(run_time(a))
            tb.append(run_time(b))
    ratios = [x / y for x, y in zip(ta, tb, strict=True)]
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios)


def instructions(cmd: list[str]) -> int | None:
    """Instructions executed by ``cmd`` under valgrind's callgrind (deterministic; None without valgrind)."""
    if not shutil.which("valgrind"):
        return None
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    ).stderr
    for line in out.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].strip())
    return None


def check_batch_agrees(py: str, batch_file: Path, baseline: Path) -> int:
    """Both sides' NPVs agree to 1e-9 relative; returns the number of rows compared."""
    ours = subprocess.run(
        [py, "-m", "credroi", "batch", str(batch_file), "--format", "csv"], check=True, capture_output=True, text=True
    ).stdout
    theirs = subprocess.run([py, str(baseline), str(batch_file)], check=True, capture_output=True, text=True).stdout
    a = {int(r["row"]): float(r["npv"]) for r in csv.DictReader(ours.splitlines())}
    b = {int(r["row"]): float(r["npv"]) for r in csv.DictReader(theirs.splitlines())}
    assert a.keys() == b.keys(), "row sets differ"
    worst = max(abs(a[k] - b[k]) / max(1.0, abs(b[k])) for k in a)
    assert worst < 1e-9, f"NPVs differ by {worst:.2e}"
    return len(a)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--only", choices=list(BUDGETS), action="append")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each side's instructions once with valgrind (deterministic, about a minute more)",
    )
    args = parser.parse_args()
    py = sys.executable
    script = Path(py).with_name("credroi.exe" if os.name == "nt" else "credroi")
    cli = [str(script)] if script.exists() else [py, "-m", "credroi"]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
        # As after any normal install: bytecode compiled once and reused (some machines set
        # PYTHONDONTWRITEBYTECODE, which would make every run compile every module afresh).
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([py, "-m", "compileall", "-q", *sys.path[1:]], check=False, stdout=subprocess.DEVNULL)
        yard = tmp / "yardstick.py"
        yard.write_text(YARDSTICK, encoding="utf-8")
        big = tmp / "catalog-10k.yaml"
        write_catalog(big, 10_000)
        small = tmp / "catalog-300.yaml"
        write_catalog(small, 300, requires_share=0.1)
        baseline = tmp / "npf_rows.py"
        baseline.write_text(NUMPY_FINANCIAL, encoding="utf-8")
        ids = json.loads(
            subprocess.run(
                [py, "-m", "credroi", "list", "--format", "json"], check=True, capture_output=True, text=True
            ).stdout
        )["credentials"]
        all_ids = [c["id"] for c in ids]
        rows = tmp / "rows.csv"
        write_batch(rows, all_ids, 3_000)
        # warm the cache of validated catalogs, as after any first run
        for warm in (big, small):
            subprocess.run([py, "-m", "credroi", "rank", "--catalog", str(warm)], check=True, stdout=subprocess.DEVNULL)
        pairs = {
            "compare ID ID": (
                [*cli, "compare", "aws-saa", "cissp", "--format", "table"],
                [py, str(yard)],
            ),
            "rank 10k": ([*cli, "rank", "--catalog", str(big), "--format", "table"], [py, str(yard)]),
            "simulate 40x10k": (
                [*cli, "simulate", *all_ids[:40], "--draws", "10000", "--format", "table"],
                [py, str(yard)],
            ),
            "batch 3,000": (
                [*cli, "batch", str(rows), "--format", "csv"],
                [py, str(baseline), str(rows)],
            ),
            "plan K=3": ([*cli, "plan", "--format", "table"], [py, str(yard)]),
            "plan 300 K=3": ([*cli, "plan", "--catalog", str(small), "--format", "table"], [py, str(yard)]),
            "plan K=4": ([*cli, "plan", "--max-credentials", "4", "--format", "table"], [py, str(yard)]),
            "plan 300 K=4": (
                [*cli, "plan", "--catalog", str(small), "--max-credentials", "4", "--format", "table"],
                [py, str(yard)],
            ),
        }
        compared = check_batch_agrees(py, rows, baseline)
        tool = "hyperfine" if shutil.which("hyperfine") else "time.perf_counter"
        print(
            f"# {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
            f"{args.runs} runs each, timed with {tool}"
        )
        print(f"# batch: {compared} NPVs agree with numpy-financial to 1e-9")
        print("# ratio: median of paired runs; instr: ratio of instructions executed (valgrind), if asked")
        print(f"{'budget':17} {'credroi':>9} {'reference':>10} {'ratio':>7} {'limit':>6}  ok  {'instr':>6}")
        failed = False
        for name, (ours, ref) in pairs.items():
            if args.only and name not in args.only:
                continue
            a, b, ratio = pair(ours, ref, args.runs)
            limit = BUDGETS[name]
            ok = limit is None or ratio <= limit
            failed |= not ok
            verdict = "-- " if limit is None else "yes" if ok else "NO "
            shown = "  none" if limit is None else f"{limit:5.2f}x"
            counted = ""
            if args.instructions:
                ia, ib = instructions(ours), instructions(ref)
                counted = f"{ia / ib:5.2f}x" if ia and ib else "  n/a"
            print(f"{name:17} {a * 1000:7.0f}ms {b * 1000:8.0f}ms {ratio:6.2f}x {shown}  {verdict} {counted:>6}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
