"""docs/scale.md's Dask recipe, run for real: two worker processes evaluate 100,000 rows as `credroi batch` does.

Selected with ``pytest -m distributed`` (CI runs it after installing the ``scale`` group); a plain
``pytest`` skips it, as it starts a cluster.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest

from credroi.model.engine import METRIC_KEYS

from .conftest import Runner

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

ROWS = 100_000


@pytest.mark.distributed
def test_dask_cluster_equals_batch_row_for_row(run: Runner, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """A LocalCluster of two worker processes, the catalog shipped once, gives batch's rows, numbers and errors."""
    if "distributed" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("starts a Dask cluster: run with -m distributed (CI does)")
    from credroi import evaluate_frame
    from credroi.catalog import load_catalog
    from credroi.frame import Prepared
    from credroi.model.profile import Profile

    ids = sorted(c.id for c in load_catalog().credentials())
    rows = pd.DataFrame(
        {
            "credential": [ids[(i * 7) % len(ids)] if i % 997 else "no-such-thing" for i in range(ROWS)],
            "salary": [float(35_000 + (i * 131) % 150_000) for i in range(ROWS)],
            "tax_rate": [[None, 0.22, 0.3, 0.35][i % 4] for i in range(ROWS)],
            "horizon_years": [[5.0, 3.0, 10.0][i % 3] for i in range(ROWS)],
        }
    )
    path = tmp_path / "rows.csv"
    rows.to_csv(path, index=False)
    r = run("batch", str(path), "--salary-growth", "0.01")
    assert r.code == 1  # the unknown ids
    expected = list(csv.DictReader(io.StringIO(r.out)))
    bad_rows = {int(line.split("row ")[1].split(":")[0]) for line in r.err.splitlines() if line.startswith("error:")}

    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        prepared = Prepared(None, Profile(salary_growth=0.01))
        shipped = client.scatter(prepared, broadcast=True)  # the catalog goes to each worker once
        frame = dd.from_pandas(rows, npartitions=8)
        meta = evaluate_frame(rows.head(0), prepared)
        out = frame.map_partitions(evaluate_frame, shipped, meta=meta).compute()

    assert len(out) == ROWS
    assert list(out.index) == list(range(ROWS))
    errors = out["error"].notna()
    assert {i + 1 for i in out.index[errors]} == bad_rows
    good = out[~errors].reset_index(drop=True)
    assert len(good) == len(expected)
    for key in METRIC_KEYS:
        column = good[key].tolist()
        for i, want in enumerate(expected):
            got = column[i]
            if want[key] == "":
                assert pd.isna(got), (key, i)
            elif key == "eligible":
                assert str(got).lower() == want[key]
            else:
                assert math.isclose(float(got), float(want[key]), rel_tol=1e-9, abs_tol=1e-9), (key, i)
