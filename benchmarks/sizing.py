"""Rows per second per core for docs/scale.md's sizing table: evaluate_frame alone, and on a Dask cluster.

Run from a clone:  uv run --group scale python benchmarks/sizing.py [--rows N] [--workers W]

The rows are benchmarks/scale.py's (budgets.py's HR-analyst rows over a generated 300-entry
catalog). Each figure is the best of three runs (the machine is shared; the best is the least
disturbed). The Dask figure starts a LocalCluster of W worker processes with one thread each and
counts the evaluation only (the cluster and the data are ready; the catalog is scattered first).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from budgets import write_batch, write_catalog


def best_of(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    import dask.dataframe as dd
    import pandas as pd
    from distributed import Client, LocalCluster

    from credroi import evaluate_frame
    from credroi.frame import Prepared

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        catalog, rows_file = tmp / "catalog.yaml", tmp / "rows.csv"
        write_catalog(catalog, 300)
        write_batch(rows_file, [f"gen-{i:05d}" for i in range(300)], args.rows)
        rows = pd.read_csv(rows_file)
        prepared = Prepared(str(catalog))
        evaluate_frame(rows.head(1_000), prepared)  # warm: imports, layouts
        one = best_of(3, lambda: evaluate_frame(rows, prepared))
        print(f"evaluate_frame, pandas, 1 process:  {args.rows / one:10,.0f} rows/s per core")
        arrow = rows.pipe(lambda f: __import__("pyarrow").Table.from_pandas(f, preserve_index=False))
        one_arrow = best_of(3, lambda: evaluate_frame(arrow, prepared))
        print(f"evaluate_frame, Arrow, 1 process:   {args.rows / one_arrow:10,.0f} rows/s per core")
        with (
            LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            shipped = client.scatter(prepared, broadcast=True)
            frame = dd.from_pandas(rows, npartitions=args.workers * 4).persist()
            meta = evaluate_frame(rows.head(0), prepared)
            frame.map_partitions(evaluate_frame, shipped, meta=meta).compute()  # warm the workers
            spread = best_of(3, lambda: frame.map_partitions(evaluate_frame, shipped, meta=meta).compute())
        total = args.rows / spread
        print(
            f"Dask, {args.workers} workers x 1 thread:     {total:10,.0f} rows/s, {total / args.workers:,.0f} per core"
        )


if __name__ == "__main__":
    main()
