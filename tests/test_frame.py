"""credroi.evaluate_frame: pandas and PyArrow in, the same type out, metrics added, bad rows kept with their error."""

from __future__ import annotations

import csv
import io
import math
import pickle
from pathlib import Path

import pytest

import credroi
from credroi.frame import OUTPUT_COLUMNS, Prepared
from credroi.model.engine import METRIC_KEYS, evaluate
from credroi.model.profile import Profile

from .conftest import Runner

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

ROWS = {
    "person": ["ana", "ben", "cy", "dee", "eve"],
    "credential": ["aws-saa", "nope", "cissp", "aws-saa", "pmp"],
    "salary": [90_000.0, 80_000.0, None, 70_000.0, -5.0],
    "scenario": ["high", None, "low", None, None],
}


def test_pandas_in_pandas_out_with_errors_kept() -> None:
    """Every row comes back in order with its own columns, the metrics, and the error of the two bad rows."""
    out = credroi.evaluate_frame(pd.DataFrame(ROWS), profile={"tax_rate": 0.3})
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == [*ROWS, *OUTPUT_COLUMNS]
    assert out["person"].tolist() == ROWS["person"]
    assert pd.isna(out["error"][0])
    assert out["error"][1].startswith("unknown credential `nope`")
    assert out["error"][4] == "salary: must be >= 0"
    assert math.isnan(out["npv"][1])
    expected = evaluate(
        credroi.load_catalog().get("aws-saa").to_credential(), Profile(salary=90_000, tax_rate=0.3, scenario="high")
    )
    assert math.isclose(out["npv"][0], expected.npv, rel_tol=1e-12)
    assert out["payback_months"].dtype == "Int64"
    assert out["eligible"].dtype == "boolean"
    assert out["payback_months"][0] == expected.payback_months


def test_arrow_in_arrow_out() -> None:
    """A PyArrow Table gives a Table with typed, nullable metric columns and the same numbers as pandas."""
    table = pa.table(ROWS)
    out = credroi.evaluate_frame(table)
    assert isinstance(out, pa.Table)
    assert out.column_names == [*ROWS, *OUTPUT_COLUMNS]
    assert out.schema.field("irr_roots").type == pa.int64()
    assert out.schema.field("eligible").type == pa.bool_()
    assert out.column("error").null_count == 3
    frame = credroi.evaluate_frame(pd.DataFrame(ROWS))
    assert out.column("npv").to_pylist()[0] == frame["npv"][0]


def test_many_rows_agree_with_batch(run: Runner, tmp_path: Path) -> None:
    """3,000 rows through evaluate_frame equal `credroi batch` on the same rows, row for row."""
    ids = ["aws-saa", "cissp", "pmp", "ccna"]
    rows = pd.DataFrame(
        {
            "credential": [ids[i % 4] for i in range(3_000)],
            "salary": [40_000 + 37 * i for i in range(3_000)],
            "horizon_years": [[3, 5, 10][i % 3] for i in range(3_000)],
        }
    )
    path = tmp_path / "rows.csv"
    rows.to_csv(path, index=False)
    r = run("batch", str(path))
    assert r.code == 0, r.err
    expected = list(csv.DictReader(io.StringIO(r.out)))
    out = credroi.evaluate_frame(rows)
    for i, want in enumerate(expected):
        for key in METRIC_KEYS:
            got = out[key][i]
            if want[key] == "":
                assert pd.isna(got), key
            elif key == "eligible":
                assert str(got).lower() == want[key]
            else:
                assert math.isclose(float(got), float(want[key]), rel_tol=1e-9, abs_tol=1e-9), key


def test_prepared_ships_small_and_the_frame_is_checked() -> None:
    """A Prepared catalog pickles small; a frame without `credential` or with a metric column is refused."""
    prepared = Prepared(None, Profile(salary=60_000))
    again = pickle.loads(pickle.dumps(prepared))
    assert credroi.evaluate_frame(pd.DataFrame({"credential": ["aws-saa"]}), again)["error"][0] is pd.NA
    assert len(pickle.dumps(prepared)) < 200_000
    with pytest.raises(ValueError, match="no `credential` column"):
        credroi.evaluate_frame(pd.DataFrame({"salary": [1.0]}))
    with pytest.raises(ValueError, match="already has a column `npv`"):
        credroi.evaluate_frame(pd.DataFrame({"credential": ["aws-saa"], "npv": [1.0]}))
    with pytest.raises(TypeError, match="pandas DataFrame or a PyArrow Table"):
        credroi.evaluate_frame([{"credential": "aws-saa"}])


def test_an_empty_frame_gives_the_columns() -> None:
    """An empty partition (as Dask passes to learn the output's shape) gives the output columns and no rows."""
    out = credroi.evaluate_frame(pd.DataFrame({"credential": pd.Series([], dtype=object)}))
    assert list(out.columns) == ["credential", *OUTPUT_COLUMNS]
    assert len(out) == 0
