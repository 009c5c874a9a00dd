"""Data frames in, data frames out: ``evaluate_frame`` runs the batch on a pandas DataFrame or a PyArrow Table.

The frame has the batch's columns (``credential`` and any profile key of docs/model.md); other
columns are carried through untouched. The result is the same type with every metric column added
and an ``error`` column: null where the row was evaluated, the batch's message where it was not (the
row's metrics are then null). No row is dropped or reordered. Rows are evaluated by the columnar
engine (:mod:`credroi.columnar`), chunk by chunk, so this is the function to hand to a distributed
engine's per-partition map (docs/scale.md: Dask, Spark, Ray).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from credroi.batch import CHUNK_ROWS, INPUT_KEYS, NULLABLE, WHOLE, ColumnarEvaluator, Evaluator, RawRow, RowError
from credroi.model.engine import METRIC_KEYS

if TYPE_CHECKING:
    from credroi.catalog import Catalog

OUTPUT_COLUMNS: tuple[str, ...] = (*METRIC_KEYS, "error")
"""The columns ``evaluate_frame`` adds, in order."""


class Prepared:
    """A catalog and a base profile ready to evaluate rows: what a distributed engine ships to its workers once.

    Small and picklable (the engine's records of the credentials and roles, the profile), unlike a
    whole :class:`~credroi.catalog.Catalog` with its sources and validated models.
    """

    def __init__(self, catalog: Catalog | str | Path | Sequence[str] | None = None, profile: Any = None) -> None:
        from credroi.catalog import Catalog, load_catalog
        from credroi.model.profile import Profile

        if isinstance(catalog, Catalog):
            cat = catalog
        elif catalog is None:
            cat = load_catalog()
        elif isinstance(catalog, str | Path):
            cat = load_catalog([str(catalog)])
        else:
            cat = load_catalog([str(c) for c in catalog])
        self.credentials = {c.id: c for c in cat.credentials()}
        self.roles = dict(cat.model_roles())
        if profile is None:
            base = Profile()
        elif isinstance(profile, Profile):
            base = profile
        elif isinstance(profile, Mapping):
            from credroi.profile_sources import parse_value

            given: dict[str, Any] = {k: parse_value(k, v) for k, v in profile.items()}
            base = Profile(**given)
        else:
            raise TypeError(f"profile must be a Profile or a mapping of profile keys, not {type(profile).__name__}")
        self.profile = base.with_roles(self.roles)
        self._evaluator: ColumnarEvaluator | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"credentials": self.credentials, "roles": self.roles, "profile": self.profile}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.credentials = state["credentials"]
        self.roles = state["roles"]
        self.profile = state["profile"]
        self._evaluator = None

    @property
    def evaluator(self) -> ColumnarEvaluator:
        """The columnar evaluator, made once per process."""
        if self._evaluator is None:
            self._evaluator = ColumnarEvaluator(Evaluator(self.credentials, self.profile, roles=self.roles))
        return self._evaluator


def evaluate_frame(frame: Any, catalog: Catalog | Prepared | str | Path | None = None, profile: Any = None) -> Any:
    """Evaluate every row of a pandas DataFrame or a PyArrow Table; the same type comes back with the metrics.

    Parameters
    ----------
    frame : pandas.DataFrame or pyarrow.Table
        A ``credential`` column and any profile columns (``salary``, ``tax_rate``, ``goal``, ...);
        a null cell takes the base profile's value. Other columns are kept as they are.
    catalog : Catalog, Prepared, path or None
        The catalog (the bundled one when None). A :class:`Prepared` (catalog and profile made
        ready once) is what to ship to the workers of a distributed engine.
    profile : Profile, mapping or None
        The base profile (the defaults of docs/model.md when None); ignored with a Prepared.

    Returns
    -------
    The same type, with the columns of :data:`OUTPUT_COLUMNS` after the frame's own: floats
    (null where docs/model.md says null), whole numbers for the month counts and ``irr_roots``,
    booleans for ``eligible`` and the message of a bad row in ``error``.
    """
    prepared = catalog if isinstance(catalog, Prepared) else Prepared(catalog, profile)
    kind = type(frame).__module__.split(".")[0]
    if kind == "pandas":
        columns = _pandas_columns(frame)
    elif kind == "pyarrow":
        columns = {name: frame.column(name).to_pylist() for name in frame.column_names if name in INPUT_KEYS}
    else:
        raise TypeError(f"evaluate_frame takes a pandas DataFrame or a PyArrow Table, not {type(frame).__name__}")
    names = set(frame.columns) if kind == "pandas" else set(frame.column_names)
    clash = sorted(names & set(OUTPUT_COLUMNS))
    if clash:
        raise ValueError(f"the frame already has a column `{clash[0]}`, which evaluate_frame would add")
    if "credential" not in columns:
        raise ValueError("the frame has no `credential` column")
    metrics, errors = _evaluate(prepared, columns, len(frame))
    if kind == "pandas":
        return _to_pandas(frame, metrics, errors)
    return _to_arrow(frame, metrics, errors)


def _pandas_columns(frame: Any) -> dict[str, list[Any]]:
    import pandas as pd

    out = {}
    for name in frame.columns:
        if name in INPUT_KEYS:
            series = frame[name]
            values = series.astype(object).where(~pd.isna(series), None).tolist()
            out[name] = values
    return out


def _evaluate(prepared: Prepared, columns: Mapping[str, list[Any]], count: int) -> tuple[dict[str, Any], list[Any]]:
    """Every metric as an array over all rows (NaN for null) and each row's error (None when it was evaluated)."""
    import numpy as np

    metrics = {k: np.full(count, np.nan) for k in METRIC_KEYS}
    errors: list[str | None] = [None] * count
    names = list(columns)
    lists = [columns[k] for k in names]
    evaluator = prepared.evaluator
    for start in range(0, count, CHUNK_ROWS):
        stop = min(count, start + CHUNK_ROWS)
        raws = []
        for i in range(start, stop):
            values = {}
            for name, column in zip(names, lists, strict=True):
                value = column[i]
                if value is not None and value != "":
                    values[name] = value
            raws.append(RawRow(i + 1, values))
        bad, _, found = evaluator.columns(raws, list(METRIC_KEYS))
        for key in METRIC_KEYS:
            metrics[key][start:stop] = found[key]
        for j in np.flatnonzero(bad).tolist():
            result = evaluator.evaluator.row(raws[j])
            i = start + j
            if isinstance(result, RowError):
                errors[i] = result.message
                for key in METRIC_KEYS:
                    metrics[key][i] = np.nan
            else:
                for key in METRIC_KEYS:
                    value = result[key]
                    metrics[key][i] = np.nan if value is None else float(value)  # type: ignore[arg-type]
    return metrics, errors


def _to_pandas(frame: Any, metrics: dict[str, Any], errors: list[Any]) -> Any:
    import numpy as np
    import pandas as pd

    added: dict[str, Any] = {}
    for key in METRIC_KEYS:
        values = metrics[key]
        if key == "eligible":
            added[key] = pd.array([None if np.isnan(v) else bool(v) for v in values.tolist()], dtype="boolean")
        elif key in WHOLE:
            added[key] = pd.array([None if np.isnan(v) else int(v) for v in values.tolist()], dtype="Int64")
        else:
            added[key] = values
    added["error"] = pd.array(errors, dtype="string")
    return pd.concat([frame, pd.DataFrame(added, index=frame.index)], axis=1)


def _to_arrow(frame: Any, metrics: dict[str, Any], errors: list[Any]) -> Any:
    import numpy as np
    import pyarrow as pa

    out = frame
    for key in METRIC_KEYS:
        values = metrics[key]
        missing = np.isnan(values)
        if key == "eligible":
            column = pa.array(values > 0.5, type=pa.bool_(), mask=missing)
        elif key in WHOLE:
            column = pa.array(np.nan_to_num(values).astype(np.int64), type=pa.int64(), mask=missing)
        else:
            column = pa.array(values, type=pa.float64(), mask=missing if key in NULLABLE else None)
        out = out.append_column(key, column)
    return out.append_column("error", pa.array(errors, type=pa.string()))
