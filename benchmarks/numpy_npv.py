"""The yardstick of the columnar batch: a plain NumPy script that computes only the NPV of batch rows.

Usage:  python benchmarks/numpy_npv.py ROWS.csv [CATALOG] > npv.csv

ROWS.csv has the columns ``credential``, ``salary`` and ``tax_rate`` (a blank tax rate is the default
0.25), as benchmarks/scale.py writes them; every other profile value is docs/model.md's default. It
reads the rows with the csv module, computes the NPVs with array arithmetic (the present value of a
month of benefit from a table by study months, the renewals by their months) and writes ``row,npv``
lines: what someone who only needs the NPV would write with NumPy in an afternoon. It reads the
catalog (the bundled one unless given) through credroi, as benchmarks/budgets.py's numpy-financial
reference does.
"""

from __future__ import annotations

import csv
import math
import sys

import numpy as np  # noqa: TID253 (a script: NumPy is what it measures)

from credroi.catalog import load_catalog


def main(path: str, catalog: str | None = None) -> None:
    creds = list(load_catalog([catalog] if catalog else []).credentials())
    index = {c.id: i for i, c in enumerate(creds)}
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        ids, salaries, taxes = zip(*reader, strict=True)
    which = np.array([index[i] for i in ids])
    salary = np.array(salaries, dtype=np.float64)
    tax = np.array([float(t) if t else 0.25 for t in taxes])

    def column(name: str) -> np.ndarray:
        return np.array([getattr(c, name) or 0.0 for c in creds], dtype=np.float64)[which]

    horizon, rate, growth, selection = 60, 0.03, 0.02, 0.25
    hours = column("study_weeks") * column("study_hours_per_week")
    months = np.maximum(0.0, np.ceil(column("study_weeks") * 12.0 / 52.0 - 1e-9))
    direct = (
        column("training")
        + column("materials")
        + column("exam_fee") / column("pass_rate")
        + column("subscription_monthly") * months
    )
    investment = direct + hours * 0.5 * salary / 2080.0
    benefit = column("uplift_typical") * salary * column("recognition") * (1 - selection) * (1 - tax) / 12.0

    # present value of one unit of benefit a month from month m + 1 to N: a table by m, looked up per row
    t = np.arange(horizon + 1, dtype=np.float64)
    discount = np.exp(-t * math.log1p(rate) / 12.0)
    weights = np.where(t >= 1, (1 + growth) ** ((t - 1) // 12), 0.0) * discount
    after = np.concatenate([np.cumsum(weights[::-1])[::-1][1:], [0.0]])  # after[m] = sum of weights[m + 1:]
    npv = -investment + benefit * after[np.minimum(months, horizon).astype(np.int64)]
    validity = column("validity_years")
    renewal = column("renewal_cost")
    shortest = validity[validity > 0].min(initial=12.0)
    for k in range(1, math.ceil(horizon / (12.0 * shortest)) + 2):  # renewals at m + round(12 V k) within the horizon
        due = months + np.floor(12.0 * validity * k + 0.5 + 1e-9)
        hit = (validity > 0) & (due <= horizon)
        npv -= np.where(hit, renewal * discount[np.where(hit, due, 0).astype(np.int64)], 0.0)

    out = sys.stdout
    out.write("row,npv\n")
    out.writelines(f"{n},{v!r}\n" for n, v in enumerate(npv.tolist(), start=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
