"""Measure credroi at scale (issue 17): the columnar batch and big catalogs, as ratios, with peak memory.

Run from a clone:  uv run python benchmarks/scale.py [--rows N] [--runs N] [--only NAME]

  batch 1M all       credroi batch of 1,000,000 rows, every metric (CSV out)
                     vs  benchmarks/numpy_npv.py, plain NumPy computing only the NPV     <= 4x
  batch 1M npv       the same with --metrics npv                                           report only
  batch vs npf       the same run vs the numpy-financial row-by-row reference of
                     benchmarks/budgets.py (NPV and IRR per row), extrapolated to the
                     same rows from runs on 20,000 and 40,000 rows                       <= 0.05x
  catalog 10k json   credroi catalog validate of a 10,000-entry JSON catalog with
                     sources, cold (no cache)  vs  the yardstick of budgets.py           <= 10x
  catalog 100k json  the same with 100,000 entries                                        <= 60x
  catalog 10k yaml   the 10,000 entries as YAML, for comparison                           report only

Each pair runs alternately (a b, b a, ...) after a warm-up of each; the ratio is the median of
the paired ratios, so the drifts of a shared machine cancel. Peak memory is the largest resident
set of the credroi process (``os.wait4``), the budget being < 200 MiB for the batch. The rows are
budgets.py's HR-analyst file (a credential, a salary and a tax rate per row) over a generated
300-entry catalog; before timing, the NPVs of credroi and of the NumPy script are checked to
agree to 1e-9 relative.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from budgets import NUMPY_FINANCIAL, YARDSTICK, write_batch, write_catalog

HERE = Path(__file__).resolve().parent

LIMITS: dict[str, float | None] = {
    "batch 1M all": 4.0,
    "batch 1M npv": None,
    "batch vs npf": 0.05,
    "catalog 10k json": 10.0,
    "catalog 100k json": 60.0,
    "catalog 10k yaml": None,
}
MEMORY_LIMIT_MIB = 200.0


def run(cmd: list[str], out: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one run of ``cmd`` (stdout to ``out`` or discarded)."""
    sink = out.open("w") if out else open(os.devnull, "w")  # noqa: SIM115 (closed below)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    sink.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024.0


def pair(a: list[str], b: list[str], runs: int) -> tuple[float, float, float, float]:
    """Median seconds of ``a`` and ``b``, the median paired ratio and ``a``'s largest peak memory (MiB)."""
    run(a)
    run(b)
    ta, tb, peak = [], [], 0.0
    for i in range(runs):
        order = [(a, ta), (b, tb)] if i % 2 == 0 else [(b, tb), (a, ta)]
        for cmd, times in order:
            seconds, mib = run(cmd)
            times.append(seconds)
            if cmd is a:
                peak = max(peak, mib)
    ratios = [x / y for x, y in zip(ta, tb, strict=True)]
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios), peak


def write_json_catalog(path: Path, n: int) -> None:
    """``n`` generated entries (budgets.write_catalog's) as JSON, each with two sources, as a big catalog would be."""
    rng = random.Random(n)
    entries = []
    for i in range(n):
        low = round(rng.uniform(0, 0.03), 3)
        typical = round(low + rng.uniform(0, 0.06), 3)
        entries.append(
            {
                "id": f"gen-{i:06d}",
                "name": f"Generated credential {i}",
                "issuer": "Bench",
                "kind": rng.choice(["certification", "micro-credential"]),
                "fields": [rng.choice(["cloud", "security", "data", "software"])],
                "cost": {"exam_fee": rng.randrange(0, 800), "training": rng.randrange(0, 2000)},
                "study": {"weeks": rng.randrange(1, 60), "hours_per_week": rng.randrange(2, 15)},
                "pass_rate": round(rng.uniform(0.5, 1), 2),
                "recognition": round(rng.uniform(0.1, 0.85), 2),
                "salary_uplift": {"low": low, "typical": typical, "high": round(typical + rng.uniform(0, 0.1), 3)},
                "sources": [
                    {
                        "title": f"Exam guide {i}",
                        "url": f"https://example.org/exams/{i}",
                        "year": 2026,
                        "evidence": "survey",
                    },
                    {
                        "title": f"Pay survey {i}",
                        "url": f"https://example.org/pay/{i}",
                        "year": 2025,
                        "evidence": "survey",
                    },
                ],
            }
        )
    path.write_text(json.dumps({"currency": "USD", "credentials": entries}, indent=1), encoding="utf-8")


def check_npvs(ours: Path, theirs: Path) -> int:
    """credroi's and the NumPy script's NPVs agree to 1e-9 relative; the number of rows compared."""
    with ours.open(newline="") as a, theirs.open(newline="") as b:
        worst, count = 0.0, 0
        for x, y in zip(csv.DictReader(a), csv.DictReader(b), strict=True):
            assert x["row"] == y["row"]
            u, v = float(x["npv"]), float(y["npv"])
            worst = max(worst, abs(u - v) / max(1.0, abs(v)))
            count += 1
    assert worst < 1e-9, f"NPVs differ by {worst:.2e}"
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=list(LIMITS), action="append")
    args = parser.parse_args()
    only = set(args.only or LIMITS)
    py = sys.executable
    script = Path(py).with_name("credroi")
    cli = [str(script)] if script.exists() else [py, "-m", "credroi"]
    results: list[tuple[str, float, float, float, float | None]] = []
    print(f"# {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; {args.runs} runs each")
    print(f"{'budget':<18} {'credroi':>9} {'reference':>10} {'ratio':>7} {'limit':>6} {'peak MiB':>9}  ok", flush=True)

    def report(name: str, a: float, b: float, ratio: float, peak: float | None) -> None:
        results.append((name, a, b, ratio, peak))
        limit = LIMITS[name]
        ok = "--" if limit is None else "yes" if ratio <= limit else "NO"
        if peak is not None and name.startswith("batch") and peak >= MEMORY_LIMIT_MIB:
            ok = "NO (memory)"
        shown_limit = "none" if limit is None else f"{limit:.2f}x"
        shown_peak = "" if peak is None else f"{peak:.0f}"
        print(f"{name:<18} {a:8.2f}s {b:9.2f}s {ratio:6.3f}x {shown_limit:>6} {shown_peak:>9}  {ok}", flush=True)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
        catalog = tmp / "catalog-300.yaml"
        write_catalog(catalog, 300)
        ids = [f"gen-{i:05d}" for i in range(300)]
        rows = tmp / "rows.csv"
        write_batch(rows, ids, args.rows)
        reference = [py, str(HERE / "numpy_npv.py"), str(rows), str(catalog)]
        batch = [*cli, "batch", str(rows), "--catalog", str(catalog), "--format", "csv"]
        if only & {"batch 1M all", "batch 1M npv", "batch vs npf"}:
            run([*batch, "--metrics", "npv"], tmp / "ours.csv")
            run(reference, tmp / "theirs.csv")
            print(
                f"# batch: {check_npvs(tmp / 'ours.csv', tmp / 'theirs.csv'):,} NPVs agree with the NumPy script",
                flush=True,
            )
        if "batch 1M all" in only or "batch vs npf" in only:
            a, b, ratio, peak = pair(batch, reference, args.runs)
            report("batch 1M all", a, b, ratio, peak)
        if "batch 1M npv" in only:
            a, b, ratio, peak = pair([*batch, "--metrics", "npv"], reference, args.runs)
            report("batch 1M npv", a, b, ratio, peak)
        if "batch vs npf" in only:
            npf = tmp / "npf_rows.py"
            npf.write_text(NUMPY_FINANCIAL.replace("load_catalog()", f"load_catalog([{str(catalog)!r}])"))
            small, double = tmp / "rows-20k.csv", tmp / "rows-40k.csv"
            write_batch(small, ids, 20_000)
            write_batch(double, ids, 40_000)
            t20 = statistics.median(run([py, str(npf), str(small)])[0] for _ in range(args.runs))
            t40 = statistics.median(run([py, str(npf), str(double)])[0] for _ in range(args.runs))
            extrapolated = t20 + (t40 - t20) / 20_000 * (args.rows - 20_000)
            ours = next(r for r in results if r[0] == "batch 1M all")[1]
            report("batch vs npf", ours, extrapolated, ours / extrapolated, None)
        yard = tmp / "yardstick.py"
        yard.write_text(YARDSTICK, encoding="utf-8")
        for name, n, fmt in (
            ("catalog 10k json", 10_000, "json"),
            ("catalog 100k json", 100_000, "json"),
            ("catalog 10k yaml", 10_000, "yaml"),
        ):
            if name not in only:
                continue
            path = tmp / f"catalog-{n}.json"
            write_json_catalog(path, n)
            if fmt == "yaml":
                import yaml

                data = json.loads(path.read_text(encoding="utf-8"))
                path = tmp / f"catalog-{n}.yaml"
                path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
            mib = path.stat().st_size / 1024 / 1024
            print(f"# {name}: a {mib:.1f} MiB file", flush=True)
            cmd = [*cli, "catalog", "validate", str(path)]
            if fmt == "yaml":  # over YAML's 5 MiB default: raised for the comparison
                os.environ["CREDROI_MAX_CATALOG_MIB"] = "64"
            a, b, ratio, peak = pair(cmd, [py, str(yard)], args.runs)
            os.environ.pop("CREDROI_MAX_CATALOG_MIB", None)
            report(name, a, b, ratio, peak)


if __name__ == "__main__":
    main()
