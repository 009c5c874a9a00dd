"""Time credroi commands against a bare Typer + Rich app printing a two-row table.

Run: uv run python benchmarks/startup.py [--runs N]
Prints the median wall time of each command and its ratio to the yardstick, alternating
runs so that machine noise hits both sides alike. Uses only time.perf_counter.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YARDSTICK = """
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

COMMANDS = {
    "credroi --version": ["-m", "credroi", "--version"],
    "credroi compare aws-saa cissp": ["-m", "credroi", "compare", "aws-saa", "cissp", "--format", "table"],
    "credroi compare (all)": ["-m", "credroi", "compare", "--format", "table"],
    "credroi compare --format json": ["-m", "credroi", "compare", "--format", "json"],
}


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        yard = Path(tmp) / "yardstick.py"
        yard.write_text(YARDSTICK, encoding="utf-8")
        results: dict[str, list[float]] = {"yardstick": [], **{name: [] for name in COMMANDS}}
        for _ in range(runs):
            results["yardstick"].append(timed([str(yard)]))
            for name, args in COMMANDS.items():
                results[name].append(timed(args))
    base = statistics.median(results["yardstick"])
    print(f"{'command':34} {'median':>9} {'ratio':>7}")
    for name, times in results.items():
        med = statistics.median(times)
        print(f"{name:34} {med * 1000:7.0f}ms {med / base:6.2f}x")


if __name__ == "__main__":
    main()
