"""Every metric of docs/model.md over NumPy arrays, many rows at once: the columnar twin of ``engine.evaluate``.

The scalar engine (``credroi.model.engine``) stays the reference; this module computes the same
numbers for arrays of rows (a property test holds the two within 1e-9 relative). Each row is a
credential (an index into a list of :class:`~credroi.model.engine.Credential`) and a profile given
column by column (:class:`Columns`). NumPy is needed here only: it is imported by the functions
that need it, never by ``compare``'s start-up.

How it works. A row's flows are ``f(0) = -I`` and ``f(t) = b G(t) - c R(t)`` for t = 1 ... N. They
are constant between *breakpoints*: the first benefit month, each year's first month (the raise
grows yearly) and each renewal month. The months between two breakpoints form a *segment* with
one flow value, so a row is a short list of segments (about a dozen for five years) rather than
N + 1 months. Rows with the same timing (study months, first benefit month, validity, horizon)
share one layout of segments, built once in Python; everything else is array arithmetic over a
``rows x segments`` matrix: present values of a segment are geometric series in closed form, the
paybacks are solved inside the first segment that reaches zero, and the IRR repeats
``credroi.model.irr``'s algorithm (Norström's root count, the same grid of ``u = ln(1 + rho)``,
the grid walk with its dip test, Newton's method kept inside the bracket) on all rows at once.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from credroi.model.engine import METRIC_KEYS, MONTH_TOLERANCE, PAYBACK_TOLERANCE, Credential, round_half_up
from credroi.model.irr import ROOT_TOLERANCE, U_GRID
from credroi.model.profile import (
    HOURS_PER_WORK_YEAR,
    MAX_DISCOUNT_LOG,
    SCENARIOS,
    SWITCH_LAG_MONTHS,
    TIME_VALUE_SHARE,
    Profile,
    Role,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Floats = NDArray[np.float64]
    Ints = NDArray[np.int64]
    Bools = NDArray[np.bool_]

CELL_BUDGET = 1 << 20
"""Most cells (rows x segments) of one matrix in flight: about 8 MiB each, whatever the rows' horizons."""

NEEDS: dict[str, frozenset[str]] = {
    "irr": frozenset({"irr", "irr_roots"}),
    "flows": frozenset(
        {
            "npv",
            "roi",
            "payback_months",
            "discounted_payback_months",
            "mirr",
            "break_even_uplift",
            "break_even_recognition",
        }
    ),
}

_ZERO = U_GRID.index(0.0)
_LAST = len(U_GRID) - 1


@dataclass(frozen=True, slots=True)
class Columns:
    """A profile per row, as arrays of equal length (docs/model.md's symbols).

    ``NaN`` stands for "not set" where the profile allows it (``hours_per_week``, ``time_value``,
    ``lag_months``, ``experience_years``). ``target_pay`` is the pay P in force under ``switch``
    (``target_salary`` or the role's pay in the scenario) and ``prepares`` whether the row's
    credential holds the target role; both matter only where ``switch`` is true.
    """

    salary: Floats
    hours_per_week: Floats
    horizon_years: Floats
    discount_rate: Floats
    salary_growth: Floats
    tax_rate: Floats
    time_value: Floats
    employer_share: Floats
    selection_adjustment: Floats
    lag_months: Floats
    scenario: Ints
    """0 low, 1 typical, 2 high."""
    switch: Bools
    target_pay: Floats
    prepares: Bools
    experience_years: Floats


def columns_of(pairs: Sequence[tuple[Credential, Profile]]) -> Columns:
    """The :class:`Columns` of ``(credential, profile)`` pairs (profiles with their role's pay, as evaluate needs)."""
    import numpy as np

    def floats(values: list[float | None]) -> Floats:
        return np.array([math.nan if v is None else v for v in values], dtype=np.float64)

    profiles = [p for _, p in pairs]
    switch = [p.goal == "switch" for p in profiles]
    return Columns(
        salary=floats([p.salary for p in profiles]),
        hours_per_week=floats([p.hours_per_week for p in profiles]),
        horizon_years=floats([p.horizon_years for p in profiles]),
        discount_rate=floats([p.discount_rate for p in profiles]),
        salary_growth=floats([p.salary_growth for p in profiles]),
        tax_rate=floats([p.tax_rate for p in profiles]),
        time_value=floats([p.time_value for p in profiles]),
        employer_share=floats([p.employer_share for p in profiles]),
        selection_adjustment=floats([p.selection_adjustment for p in profiles]),
        lag_months=floats([p.lag_months for p in profiles]),
        scenario=np.array([SCENARIOS.index(p.scenario) for p in profiles], dtype=np.int64),
        switch=np.array(switch, dtype=bool),
        target_pay=floats([p.target_pay(p.scenario) if s else None for p, s in zip(profiles, switch, strict=True)]),
        prepares=np.array([p.target_role in c.roles for c, p in pairs], dtype=bool),
        experience_years=floats([p.experience_years for p in profiles]),
    )


def profile_columns(
    base: Profile,
    numbers: Mapping[str, Floats],
    texts: Mapping[str, Sequence[object]],
    credentials: Sequence[Credential],
    index: Ints,
    roles: Mapping[str, Role],
) -> tuple[Columns, Bools]:
    """The :class:`Columns` of rows given as parsed values by profile key (a number array per numeric key, NaN
    where not set; a list per text or choice key, the base profile's value where not given), and the rows whose
    profile the scalar engine must judge (a switch without a role, an unknown role, a discount rate too close to
    -100 % for the horizon): their columns are placeholders.
    """
    import numpy as np

    n = len(index)
    bad = np.zeros(n, dtype=bool)
    switch = np.array([g == "switch" for g in texts["goal"]], dtype=bool)
    target = np.asarray(numbers["target_salary"])
    pay = np.full(n, math.nan)
    prepares = np.zeros(n, dtype=bool)
    scenario = [SCENARIOS.index(x) if x in SCENARIOS else 1 for x in map(str, texts["scenario"])]
    role_ids = list(texts["target_role"])
    if role_ids.count(None) == n:  # no row names a role (the usual case): only a switch needs one
        role_ids = []
        bad |= switch
    for j, role_id in enumerate(role_ids):
        if role_id is None:
            bad[j] |= bool(switch[j])  # the goal switch needs a role: the scalar engine says so
            continue
        role = base.role if role_id == base.target_role and base.role is not None else roles.get(str(role_id))
        if role is None:
            bad[j] = True
            continue
        pay[j] = target[j] if not math.isnan(target[j]) else role.salary(SCENARIOS[scenario[j]])
        prepares[j] = role_id in credentials[index[j]].roles
    horizon, rate = numbers["horizon_years"], numbers["discount_rate"]
    with np.errstate(all="ignore"):
        bad |= -np.log1p(rate) * horizon > MAX_DISCOUNT_LOG
    cols = Columns(
        salary=numbers["salary"],
        hours_per_week=numbers["hours_per_week"],
        horizon_years=horizon,
        discount_rate=rate,
        salary_growth=numbers["salary_growth"],
        tax_rate=numbers["tax_rate"],
        time_value=numbers["time_value"],
        employer_share=numbers["employer_share"],
        selection_adjustment=numbers["selection_adjustment"],
        lag_months=numbers["lag_months"],
        scenario=np.array(scenario, dtype=np.int64),
        switch=switch,
        target_pay=pay,
        prepares=prepares,
        experience_years=numbers["experience_years"],
    )
    return cols, bad


class CredentialTable:
    """A catalog's credentials as arrays, one entry per credential (indexed like ``credentials``)."""

    def __init__(self, credentials: Sequence[Credential]) -> None:
        import numpy as np

        self.credentials = tuple(credentials)

        def col(name: str) -> Floats:
            values = [getattr(c, name) for c in self.credentials]
            return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)

        self.study_weeks = col("study_weeks")
        self.study_hours_per_week = col("study_hours_per_week")
        self.recognition = col("recognition")
        self.uplift = np.stack([col("uplift_low"), col("uplift_typical"), col("uplift_high")], axis=1)
        self.exam_fee = col("exam_fee")
        self.training = col("training")
        self.materials = col("materials")
        self.subscription_monthly = col("subscription_monthly")
        self.pass_rate = col("pass_rate")
        self.validity_years = col("validity_years")
        self.renewal_cost = col("renewal_cost")
        self.experience_required = col("experience_required")


# --- the layouts of segments ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    """The segments of one timing: first month, length, year index, benefit flag and renewals of each."""

    start: tuple[int, ...]
    length: tuple[int, ...]
    year: tuple[int, ...]
    benefit: tuple[bool, ...]
    renewals: tuple[int, ...]


_LAYOUTS: dict[tuple[int, int, float, int], _Layout] = {}


def _layout(months: int, first: int, validity: float, horizon: int) -> _Layout:
    """Segments of months 1 ... N for study ``months``, benefits from month ``first``, renewals every ``validity``
    years (NaN: none); month 0 is segment 0 (the investment). Renewals follow ``engine.renewal_months``."""
    key = (months, first, validity, horizon)
    found = _LAYOUTS.get(key)
    if found is not None:
        return found
    counts: dict[int, int] = {}
    if not math.isnan(validity):
        k = 1
        while True:
            t = max(1, months + round_half_up(12.0 * validity * k))
            if t > horizon:
                break
            counts[t] = counts.get(t, 0) + 1
            k += 1
    cuts = {1, horizon + 1}
    if 1 <= first <= horizon:
        cuts.add(first)
    cuts.update(range(13, horizon + 1, 12))
    for t in counts:
        cuts.update((t, t + 1))
    edges = sorted(c for c in cuts if 1 <= c <= horizon + 1)
    start, length, year, benefit, renewals = [0], [1], [0], [False], [0]
    for a, b in itertools.pairwise(edges):
        start.append(a)
        length.append(b - a)
        year.append((a - 1) // 12)
        benefit.append(a >= first)
        renewals.append(counts.get(a, 0))
    found = _Layout(tuple(start), tuple(length), tuple(year), tuple(benefit), tuple(renewals))
    if len(_LAYOUTS) >= 4096:
        _LAYOUTS.clear()
    _LAYOUTS[key] = found
    return found


# --- evaluation ----------------------------------------------------------------------------------


def evaluate_columns(
    table: CredentialTable, index: Ints, cols: Columns, metrics: Collection[str] = METRIC_KEYS
) -> dict[str, Floats]:
    """Every metric in ``metrics`` for each row: credential ``table.credentials[index[i]]`` with profile row ``i``.

    Returns float arrays by metric key; ``NaN`` is null (no payback, no IRR, eligibility not
    checked); ``eligible`` is 1.0 or 0.0 where set; the month counts and ``irr_roots`` are whole
    numbers in floats. The keys not asked for are not computed (the IRR costs the most).
    """
    import numpy as np

    with np.errstate(all="ignore"):
        return _evaluate(np, table, index, cols, set(metrics))


def _evaluate(np: Any, table: CredentialTable, index: Ints, cols: Columns, wanted: set[str]) -> dict[str, Floats]:
    t = table
    rows = len(index)
    hours = t.study_weeks[index] * t.study_hours_per_week[index]
    pace = np.where(np.isnan(cols.hours_per_week), t.study_hours_per_week[index], cols.hours_per_week)
    weeks = hours / pace
    months = np.maximum(0.0, np.ceil(weeks * 12.0 / 52.0 - MONTH_TOLERANCE))
    pass_rate = t.pass_rate[index]
    exam_fee = t.exam_fee[index]
    other = t.training[index] + t.materials[index]
    subscription = t.subscription_monthly[index]
    direct = other + exam_fee * (1.0 / pass_rate) + subscription * months
    keep = 1.0 - cols.employer_share
    out_of_pocket = direct * keep
    time_value = np.where(
        np.isnan(cols.time_value), TIME_VALUE_SHARE * cols.salary / HOURS_PER_WORK_YEAR, cols.time_value
    )
    time_cost = hours * time_value
    investment = out_of_pocket + time_cost
    uplift = t.uplift[index, cols.scenario]
    raise_gain = uplift * cols.salary
    switch_gain = np.where(cols.prepares, np.maximum(0.0, cols.target_pay - cols.salary), 0.0)
    gain = np.where(cols.switch, switch_gain, raise_gain)
    recognition = t.recognition[index]
    share = recognition * (1.0 - cols.selection_adjustment) * (1.0 - cols.tax_rate)
    annual_benefit = share * gain
    experience = cols.experience_years
    out: dict[str, Floats] = {
        "eligible": np.where(np.isnan(experience), np.nan, experience >= t.experience_required[index]),
        "investment": investment,
        "out_of_pocket": out_of_pocket,
        "time_cost": time_cost,
        "direct_cost": direct,
        "study_hours": hours,
        "study_weeks": weeks,
        "study_months": months,
        "expected_attempts": 1.0 / pass_rate,
        "annual_benefit": annual_benefit,
    }
    if not wanted & (NEEDS["flows"] | NEEDS["irr"]):
        return {key: value for key, value in out.items() if key in wanted}
    horizon = np.floor(12.0 * cols.horizon_years + 0.5 + MONTH_TOLERANCE)
    lag = np.where(np.isnan(cols.lag_months), np.where(cols.switch, SWITCH_LAG_MONTHS, 0.0), cols.lag_months)
    first = np.floor(months + lag + MONTH_TOLERANCE) + 1.0
    validity = t.validity_years[index]
    monthly = annual_benefit / 12.0
    charge = t.renewal_cost[index] * keep
    step = np.log1p(cols.discount_rate) / 12.0
    growth = 1.0 + cols.salary_growth
    seg = _Segments.of(np, months, first, validity, horizon)
    flows = {k: np.full(rows, np.nan) for k in ("pv_g", "pv_r", "sum_g", "sum_r", "payback", "dpayback", "mirr")}
    irr = np.full(rows, np.nan)
    roots = np.zeros(rows)
    for sel, lay in seg.batches():
        part = _Part(np, lay, growth[sel], step[sel], monthly[sel], charge[sel], investment[sel], horizon[sel])
        part.layout_ids = seg.inverse[sel]
        if wanted & NEEDS["flows"]:
            for key, value in part.flow_metrics(wanted).items():
                flows[key][sel] = value
        if wanted & NEEDS["irr"]:
            irr[sel], roots[sel] = part.irr()
    pv_g, pv_r = flows["pv_g"], flows["pv_r"]
    total_benefit = monthly * flows["sum_g"]
    cost = investment + charge * flows["sum_r"]
    roi = (total_benefit - cost) / cost
    gain_share = (1.0 - cols.selection_adjustment) * (1.0 - cols.tax_rate) / 12.0
    fixed = -((other + subscription * months) * keep + hours * time_value) - t.renewal_cost[index] * keep * pv_r
    per_attempt = exam_fee * keep
    per_gain = gain_share * pv_g
    k = share / 12.0 * pv_g
    k_rec = per_gain * gain
    out.update(
        npv=fixed - per_attempt / pass_rate + per_gain * (gain * recognition),
        roi=np.where((cost != 0.0) & np.isfinite(roi), roi, np.nan),
        payback_months=flows["payback"],
        discounted_payback_months=flows["dpayback"],
        irr=irr,
        irr_roots=roots,
        mirr=flows["mirr"],
        break_even_uplift=_finite(np, np.where(k > 0.0, (investment + charge * pv_r) / k, np.nan)),
        break_even_recognition=_finite(np, np.where(k_rec > 0.0, (per_attempt / pass_rate - fixed) / k_rec, np.nan)),
    )
    return {key: value for key, value in out.items() if key in wanted}


def _finite(np: Any, x: Floats) -> Floats:
    return np.where(np.isfinite(x), x, np.nan)  # type: ignore[no-any-return]


class _Segments:
    """The rows' layouts, grouped into batches of rows whose layouts have similar widths."""

    def __init__(self, np: Any, keys: Floats, inverse: Ints, layouts: list[_Layout]) -> None:
        self.np = np
        self.inverse = inverse
        self.layouts = layouts
        self.width = np.array([len(lay.start) for lay in layouts], dtype=np.int64)

    @classmethod
    def of(cls, np: Any, months: Floats, first: Floats, validity: Floats, horizon: Floats) -> _Segments:
        codes = [
            np.unique(part, return_inverse=True) for part in (months, first, np.nan_to_num(validity, nan=-1.0), horizon)
        ]
        key = np.zeros(len(months), dtype=np.int64)
        for values, inverse in codes:  # compacted after each part, so the combined key never overflows
            key = np.unique(key * len(values) + inverse.reshape(-1), return_inverse=True)[1].reshape(-1)
        unique, where, inverse = np.unique(key, return_index=True, return_inverse=True)
        layouts = [_layout(int(months[i]), int(first[i]), float(validity[i]), int(horizon[i])) for i in where.tolist()]
        return cls(np, unique, inverse.reshape(-1), layouts)

    def batches(self) -> Any:
        """``(row selection, layout arrays)`` pairs: rows grouped by width class, at most :data:`CELL_BUDGET` cells."""
        np = self.np
        width_of_row = self.width[self.inverse]
        classes = width_of_row + width_of_row % 2  # even widths: little padding, few batches
        for c in np.unique(classes):
            rows = np.flatnonzero(classes == c)
            keys = np.unique(self.inverse[rows])
            width = int(self.width[keys].max())
            table = np.zeros((5, len(self.layouts), width), dtype=np.float64)
            for k in keys.tolist():
                lay = self.layouts[k]
                n = len(lay.start)
                table[0, k, :n] = lay.start
                table[1, k, :n] = lay.length
                table[2, k, :n] = lay.year
                table[3, k, :n] = lay.benefit
                table[4, k, :n] = lay.renewals
            per = max(1, CELL_BUDGET // width)
            for i in range(0, len(rows), per):
                sel = rows[i : i + per]
                yield sel, table[:, self.inverse[sel], :]


class _Part:
    """One batch of rows with their segments: ``s`` (first month), ``n`` (length) and ``v`` (the flow)."""

    def __init__(
        self,
        np: Any,
        lay: Floats,
        growth: Floats,
        step: Floats,
        monthly: Floats,
        charge: Floats,
        investment: Floats,
        horizon: Floats,
    ) -> None:
        self.np = np
        s, n, year, benefit, renewals = lay
        self.s, self.n, self.r = s, n, renewals
        self.g = np.where(benefit > 0.0, np.power(growth[:, None], year), 0.0)
        self.g[:, 0] = 0.0
        v = monthly[:, None] * self.g - charge[:, None] * renewals
        v[:, 0] = -investment
        self.v = v
        self.step, self.monthly, self.charge, self.investment, self.horizon = step, monthly, charge, investment, horizon
        self.growth = growth
        self.layout_ids: Ints = np.zeros(len(s), dtype=np.int64)
        """Which layout each row has (rows with the same layout and growth share the IRR's grid values)."""

    # -- present values, paybacks, MIRR --------------------------------------------------------

    def _discount_sums(self) -> Floats:
        """Each segment's sum of ``1 / (1 + r_m) ** t``: ``exp(-a s) (1 - exp(-a n)) / (1 - exp(-a))``."""
        np = self.np
        a = self.step[:, None]
        geometric = np.where(a == 0.0, self.n, np.expm1(-a * self.n) / np.expm1(-a))
        return np.exp(-a * self.s) * geometric  # type: ignore[no-any-return]

    def flow_metrics(self, wanted: set[str]) -> dict[str, Floats]:
        """The sums behind the metrics in ``wanted``: PV(G), PV(R), their undiscounted totals, paybacks, MIRR."""
        np = self.np
        g, r, n, v = self.g, self.r, self.n, self.v
        out: dict[str, Floats] = {}
        if wanted & {"npv", "break_even_uplift", "break_even_recognition", "mirr"}:
            d = self._discount_sums()
            out["pv_g"] = (g * d).sum(axis=1)
            out["pv_r"] = (r * d).sum(axis=1)
        if "roi" in wanted:
            out["sum_g"] = (g * n).sum(axis=1)
            out["sum_r"] = (r * n).sum(axis=1)
        if "payback_months" in wanted:
            out["payback"] = self._payback(discounted=False)
        if "discounted_payback_months" in wanted:
            out["dpayback"] = self._payback(discounted=True)
        if "mirr" in wanted:
            positive = np.where(v > 0.0, v * d, 0.0)[:, 1:].sum(axis=1)
            negative = np.where(v < 0.0, -v * d, 0.0)[:, 1:].sum(axis=1) + np.maximum(self.investment, 0.0)
            ok = (positive > 0.0) & (negative > 0.0) & (self.horizon > 0)
            spread = np.log(np.where(ok, positive, 1.0)) - np.log(np.where(ok, negative, 1.0))
            mirr = np.where(ok, np.expm1(12.0 * (spread / np.maximum(self.horizon, 1.0) + self.step)), np.nan)
            out["mirr"] = np.where(np.isfinite(mirr), mirr, np.nan)
        return out

    def _payback(self, *, discounted: bool) -> Floats:
        """The first month t with ``-I + b * sum G - c * sum R >= -1e-9`` (discounted sums when asked); NaN if none.

        The cumulative flow is monotone inside a segment (a segment's months share one flow), so the
        month is in the first segment whose last month reaches the threshold: solved there in closed
        form and checked against its neighbours for rounding.
        """
        np = self.np
        g, r, s, n = self.g, self.r, self.s, self.n
        m, c, inv = self.monthly[:, None], self.charge[:, None], self.investment[:, None]
        a = self.step[:, None] if discounted else np.zeros((len(s), 1))

        whole = self._discount_sums() if discounted else n
        cg = np.cumsum(g * whole, axis=1)
        cr = np.cumsum(r * whole, axis=1)
        cg_before = cg - g * whole
        cr_before = cr - r * whole
        reached = -inv + m * cg - c * cr >= -PAYBACK_TOLERANCE
        reached[:, 0] = False
        found = reached.any(axis=1)
        k = np.argmax(reached, axis=1)
        rows = np.arange(len(s))
        gk, rk, sk, nk = g[rows, k], r[rows, k], s[rows, k], n[rows, k]
        ak = a[:, 0]
        need = (
            -PAYBACK_TOLERANCE + self.investment - self.monthly * cg_before[rows, k] + self.charge * cr_before[rows, k]
        )
        rate = self.monthly * gk - self.charge * rk  # per month, undiscounted
        with np.errstate(all="ignore"):
            if discounted:
                y = need / (rate * np.exp(-ak * sk))
                guess = np.where(ak == 0.0, y, -np.log1p(y * np.expm1(-ak)) / ak)
            else:
                guess = need / rate
        count = np.clip(np.ceil(np.nan_to_num(guess, nan=1.0, posinf=1.0, neginf=1.0)), 1.0, np.maximum(nk, 1.0))

        def meets(i: Floats) -> Bools:
            part = np.where(
                ak == 0.0, i, np.exp(-ak * sk) * np.where(ak == 0.0, 1.0, np.expm1(-ak * i) / np.expm1(-ak))
            )
            return (  # type: ignore[no-any-return]
                -self.investment
                + self.monthly * (cg_before[rows, k] + gk * part)
                - self.charge * (cr_before[rows, k] + rk * part)
                >= -PAYBACK_TOLERANCE
            )

        for _ in range(2):
            lower = (count > 1.0) & meets(count - 1.0)
            count = np.where(lower, count - 1.0, count)
        for _ in range(2):
            higher = (count < nk) & ~meets(count)
            count = np.where(higher, count + 1.0, count)
        month = np.where(found, sk + count - 1.0, np.nan)
        return np.where(-self.investment >= -PAYBACK_TOLERANCE, 0.0, month)  # type: ignore[no-any-return]

    # -- the IRR --------------------------------------------------------------------------------

    def irr(self) -> tuple[Floats, Floats]:
        """``(irr, roots)`` per row, as ``credroi.model.irr.irr_and_roots`` (NaN where it is ``None``)."""
        np = self.np
        v, n, s = self.v, self.n, self.s
        rows = len(v)
        nonzero = v != 0.0
        mixed = (v > 0.0).any(axis=1) & (v < 0.0).any(axis=1)
        big = np.float64(1e9)
        first = np.where(nonzero, s, big).min(axis=1)
        last = np.where(nonzero, s + n - 1.0, -1.0).max(axis=1)
        nv = n * v
        cum = np.cumsum(nv, axis=1)
        total = cum[:, -1]
        # each segment's first and last month (equal for a one-month segment: a repeated value changes no sign)
        up = _sign_changes(np, _interleave(np, _shifted(np, cum) + v, cum))
        rcum = np.cumsum(nv[:, ::-1], axis=1)
        down = _sign_changes(np, _interleave(np, _shifted(np, rcum) + v[:, ::-1], rcum))
        solver = _Solver(np, s, n, v, first, last)
        solver.share_grid(self, (first == 0.0) & (last == self.horizon))
        roots = np.where(total == 0.0, 1.0, 0.0)
        walked: dict[int, tuple[Ints, Floats]] = {}
        for changes, end in ((up, _LAST), (down, 0)):
            roots += np.where(changes == 1, 1.0, 0.0)
            many = np.flatnonzero(mixed & (changes > 1) & (roots <= 1.0))
            if len(many):
                counted, values = solver.crossings(many, end)
                roots[many] += counted
                walked[end] = (many, values)
        roots = np.where(mixed, np.minimum(roots, 2.0), 0.0)
        one = mixed & (roots == 1.0)
        u = np.full(rows, np.nan)
        u[one & (total == 0.0)] = 0.0
        best = np.full(rows, np.inf)
        for changes, end in ((up, _LAST), (down, 0)):
            candidate = np.full(rows, np.nan)
            search = np.flatnonzero(one & (total != 0.0) & (changes == 1))
            if len(search):
                candidate[search] = solver.bracket_and_solve(search, end)
            if end in walked:
                many, values = walked[end]
                pick = one[many] & (total[many] != 0.0)
                if pick.any():
                    candidate[many[pick]] = solver.walk_and_solve(many[pick], values[pick], end)
            size = np.abs(np.expm1(12.0 * candidate))
            better = ~np.isnan(candidate) & (size < best) & (total != 0.0)
            u = np.where(better, candidate, u)
            best = np.where(better, size, best)
        rate = np.expm1(12.0 * u)
        return np.where(np.isfinite(rate), rate, np.nan), roots


def _shifted(np: Any, cum: Floats) -> Floats:
    """The running sums before each segment (0 before the first)."""
    return np.concatenate([np.zeros((len(cum), 1)), cum[:, :-1]], axis=1)  # type: ignore[no-any-return]


def _interleave(np: Any, a: Floats, b: Floats) -> Floats:
    return np.stack([a, b], axis=2).reshape(len(a), -1)  # type: ignore[no-any-return]


def _sign_changes(np: Any, values: Floats) -> Floats:
    """Per row, the changes of sign along the values, zeros skipped (``irr.sign_changes``).

    Neighbours of opposite signs, counted at once; the rare rows with an exact zero somewhere (a
    change of sign may then step over it) are counted with the zeros taken out.
    """
    sign = np.sign(values)
    count = (sign[:, 1:] * sign[:, :-1] < 0.0).sum(axis=1)
    zero = np.flatnonzero((sign == 0.0).any(axis=1))
    if len(zero):
        part = sign[zero]
        cols = np.arange(part.shape[1])
        last_nonzero = np.maximum.accumulate(np.where(part != 0.0, cols, -1), axis=1)
        previous = np.concatenate([np.full((len(part), 1), -1), last_nonzero[:, :-1]], axis=1)
        rows = np.arange(len(part))[:, None]
        prev_sign = np.where(previous >= 0, part[rows, np.maximum(previous, 0)], 0.0)
        count[zero] = ((part != 0.0) & (prev_sign != 0.0) & (part != prev_sign)).sum(axis=1)
    return count  # type: ignore[no-any-return]


def _scaled(
    np: Any, s: Floats, n: Floats, v: Floats, first: Floats, last: Floats, u: Floats, *, slope: bool = True
) -> tuple[Floats, Floats | None]:
    """``irr.scaled_pv`` per row (segments ``s``, ``n``, ``v``; scale months ``first``/``last``) at each row's ``u``."""
    forward = (u >= 0.0)[:, None]
    w = np.abs(u)[:, None]
    off = np.where(forward, s - first[:, None], last[:, None] - s - n + 1.0)
    live = v != 0.0
    em = np.expm1(-w)
    scale = np.where(live, v * np.exp(-w * np.where(live, off, 0.0)), 0.0)
    wn = w * n
    single = n == 1.0
    s0 = np.where(single, 1.0, np.where(w == 0.0, n, np.expm1(-wn) / em))
    total = (scale * s0).sum(axis=1)
    if not slope:
        return total, None
    q = np.exp(-w)
    qn = np.exp(-wn)
    s1_far = (q - n * qn + (n - 1.0) * qn * q) / (em * em)
    s1_near = n * (n - 1.0) / 2.0 * np.exp(-w * (2.0 * n - 1.0) / 3.0)
    s1 = np.where(single, 0.0, np.where(w == 0.0, n * (n - 1.0) / 2.0, np.where(wn > 1e-3, s1_far, s1_near)))
    rate = (scale * (off * s0 + s1)).sum(axis=1)
    return total, np.where(forward[:, 0], -rate, rate)


class _Block:
    """Rows of segments with what :func:`_scaled` needs of them that does not depend on u, computed once."""

    def __init__(self, np: Any, s: Floats, n: Floats, v: Floats, first: Floats, last: Floats) -> None:
        self.np = np
        live = v != 0.0
        self.v = np.where(live, v, 0.0)
        self.forward = np.where(live, s - first[:, None], 0.0)
        self.backward = np.where(live, last[:, None] - s - n + 1.0, 0.0)
        self.n = n
        self.single = n == 1.0
        self.half = n * (n - 1.0) / 2.0
        self.parts = (s, n, v, first, last)

    def take(self, rows: Ints) -> _Block:
        s, n, v, first, last = self.parts
        return _Block(self.np, s[rows], n[rows], v[rows], first[rows], last[rows])

    def value_slope(self, u: Floats) -> tuple[Floats, Floats]:
        """:func:`_scaled` with its slope, for every row at its own ``u``."""
        np = self.np
        ahead = u >= 0.0
        off = np.where(ahead[:, None], self.forward, self.backward)
        w = np.abs(u)[:, None]
        em = np.expm1(-w)
        n = self.n
        scale = self.v * np.exp(-w * off)
        wn = w * n
        em_n = np.expm1(-wn)
        s0 = np.where(self.single, 1.0, np.where(w == 0.0, n, em_n / em))
        total = (scale * s0).sum(axis=1)
        q, qn = em + 1.0, em_n + 1.0
        s1 = (q - n * qn + (n - 1.0) * qn * q) / (em * em)
        near = wn <= 1e-3
        if near.any():
            s1 = np.where(near, self.half * np.exp(-w * (2.0 * n - 1.0) / 3.0), s1)
        s1 = np.where(self.single, 0.0, s1)
        rate = (scale * (off * s0 + s1)).sum(axis=1)
        return total, np.where(ahead, -rate, rate)


class _Solver:
    """The scaled NPV of rows of segments and the steps of ``credroi.model.irr`` over them, on row subsets."""

    def __init__(self, np: Any, s: Floats, n: Floats, v: Floats, first: Floats, last: Floats) -> None:
        self.np = np
        self.s, self.n, self.v, self.first, self.last = s, n, v, first, last
        self.grid = np.array(U_GRID)

    def value_slope(self, rows: Ints, u: Floats) -> tuple[Floats, Floats]:
        """``irr.scaled_pv`` of each row in ``rows`` at its ``u``: the scaled NPV and its slope in u."""
        value, slope = _scaled(self.np, self.s[rows], self.n[rows], self.v[rows], self.first[rows], self.last[rows], u)
        assert slope is not None
        return value, slope

    def share_grid(self, part: _Part, shaped: Bools) -> None:
        """Grid values from per-timing tables, as the scalar engine's ``Shape.grid_point``, where rows share them.

        For a row whose flows run from month 0 to N, the scaled NPV at a grid point is
        ``b * PV(G) - c * PV(R) - I * PV(month 0)``, each scaled PV a property of the layout and the
        growth alone: computed once per (layout, growth) and shared when at least 16 rows share each.
        """
        np = self.np
        rows = np.flatnonzero(shaped)
        if not len(rows):
            return
        pair = np.stack([part.layout_ids[rows].astype(np.float64), part.growth[rows]], axis=1)
        keys, where, inverse = np.unique(pair, axis=0, return_index=True, return_inverse=True)
        if len(keys) * 16 > len(rows):
            return
        rep = np.repeat(rows[where], len(U_GRID))  # every key at every grid point, in one pass
        s, n, first, last = self.s[rep], self.n[rep], np.zeros(len(rep)), self.last[rep]
        u = np.tile(self.grid, len(keys))
        month0 = np.zeros_like(s)
        month0[:, 0] = 1.0
        tables = [
            _scaled(np, s, n, weights, first, last, u, slope=False)[0].reshape(len(keys), len(U_GRID))
            for weights in (part.g[rep], part.r[rep], month0)
        ]
        self.row_key = np.full(len(self.v), -1, dtype=np.int64)
        self.row_key[rows] = inverse.reshape(-1)
        self.tables = (tables[0], tables[1], tables[2], part.monthly, part.charge, part.investment)

    row_key: Ints | None = None
    tables: tuple[Floats, Floats, Floats, Floats, Floats, Floats] | None = None

    def values(self, rows: Ints, ks: Ints) -> Floats:
        """The scaled NPV of each row in ``rows`` at grid points ``ks`` (one per row, or a matrix of columns)."""
        np = self.np
        matrix = ks.ndim == 2
        out = np.empty(ks.shape)
        if self.tables is not None and self.row_key is not None:
            key = self.row_key[rows]
            has = key >= 0
        else:
            key = has = np.zeros(len(rows), dtype=bool)
        if self.tables is not None and has.any():
            pg, pr, pf, monthly, charge, investment = self.tables
            r, kk = rows[has], key[has]
            cols = ks[has]
            if matrix:
                kk = kk[:, None]
                out[has] = (
                    monthly[r][:, None] * pg[kk, cols]
                    - charge[r][:, None] * pr[kk, cols]
                    - investment[r][:, None] * pf[kk, cols]
                )
            else:
                out[has] = monthly[r] * pg[kk, cols] - charge[r] * pr[kk, cols] - investment[r] * pf[kk, cols]
        rest = np.flatnonzero(~has)
        if len(rest):
            r = rows[rest]
            args = (np, self.s[r], self.n[r], self.v[r], self.first[r], self.last[r])
            if matrix:
                for j in range(ks.shape[1]):
                    out[rest, j] = _scaled(*args, self.grid[ks[rest, j]], slope=False)[0]
            else:
                out[rest] = _scaled(*args, self.grid[ks[rest]], slope=False)[0]
        return out  # type: ignore[no-any-return]

    def value(self, rows: Ints, k: Ints) -> Floats:
        return self.values(rows, k)

    def crossings(self, rows: Ints, end: int) -> tuple[Floats, Floats]:
        """``irr._crossings`` for ``rows``: roots on the side of 0 towards grid index ``end``; and the grid values."""
        np = self.np
        step = 1 if end > _ZERO else -1
        ks = list(range(_ZERO + step, end + step, step))
        values = self.values(rows, np.tile(np.array(ks), (len(rows), 1)))
        signs = values > 0.0
        count = (signs[:, 1:] != signs[:, :-1]).sum(axis=1).astype(np.float64)
        before, here, after = values[:, :-2], values[:, 1:-1], values[:, 2:]
        same = ((before > 0.0) == (here > 0.0)) & ((here > 0.0) == (after > 0.0))
        dip = same & (np.abs(here) <= np.abs(before)) & (np.abs(here) <= np.abs(after))
        which, at = np.nonzero(dip)
        if len(which):
            k0 = np.array(ks)[at]
            k1 = np.array(ks)[at + 2]
            found = self._dips_across(rows[which], k0, k1, here[which, at])
            np.add.at(count, which[found], 2.0)
        count = np.where((values == 0.0).any(axis=1), 2.0, count)
        zero = self.value(rows, np.full(len(rows), _ZERO))
        return count, np.concatenate([zero[:, None], values], axis=1)

    def _dips_across(self, rows: Ints, k0: Ints, k1: Ints, sample: Floats) -> Bools:
        """``irr._dips_across`` for each (row, grid cell): does the scaled NPV reach the other sign in between."""
        np = self.np
        a = np.minimum(self.grid[k0], self.grid[k1])
        b = np.maximum(self.grid[k0], self.grid[k1])
        positive = sample > 0.0
        result = np.zeros(len(rows), dtype=bool)
        # Far from 0 the scaled NPV is its end month's flow plus terms that all shrink as |u| grows: where
        # those terms are below half that flow at the cell's inner end, no sign change can lie beyond it,
        # and the search below could only confirm it (most candidates are such flat tails).
        inner = np.where(a >= 0.0, a, b)
        v = self.v[rows]
        live = v != 0.0
        cols = np.arange(v.shape[1])
        first_seg = np.where(live, cols, v.shape[1]).min(axis=1)
        last_seg = np.where(live, cols, -1).max(axis=1)
        end_flow = np.abs(v[np.arange(len(rows)), np.where(inner >= 0.0, first_seg, last_seg)])
        spread = _scaled(
            np, self.s[rows], self.n[rows], np.abs(v), self.first[rows], self.last[rows], inner, slope=False
        )[0]
        flat = (inner != 0.0) & (spread - end_flow < 0.5 * end_flow)
        active = ~flat
        check = np.flatnonzero(active)
        slope_a = self.value_slope(rows[check], a[check])[1]
        slope_b = self.value_slope(rows[check], b[check])[1]
        active[check] = ((slope_a < 0.0) == positive[check]) & ((slope_b > 0.0) == positive[check])
        for _ in range(100):
            live = np.flatnonzero(active)
            if not len(live):
                return result  # type: ignore[no-any-return]
            mid = 0.5 * (a[live] + b[live])
            # once a and b are adjacent floats the midpoint is one of them, already seen: nothing new to find
            stuck = (mid <= a[live]) | (mid >= b[live])
            active[live[stuck]] = False
            live, mid = live[~stuck], mid[~stuck]
            value, slope = self.value_slope(rows[live], mid)
            hit = ((value > 0.0) != positive[live]) & (value != 0.0)
            result[live[hit]] = True
            active[live[hit]] = False
            go_right = (slope < 0.0) == positive[live]
            a[live] = np.where(go_right, mid, a[live])
            b[live] = np.where(go_right, b[live], mid)
        live = np.flatnonzero(active)
        if len(live):
            value = self.value_slope(rows[live], 0.5 * (a[live] + b[live]))[0]
            result[live] = (value > 0.0) != positive[live]
        return result  # type: ignore[no-any-return]

    def bracket_and_solve(self, rows: Ints, end: int) -> Floats:
        """``irr._bracket_search`` then ``irr._solve`` for ``rows`` (NaN where there is no bracket)."""
        np = self.np
        count = len(rows)
        lo = np.full(count, min(_ZERO, end))
        hi = np.full(count, max(_ZERO, end))
        f_lo, f_hi = self.value(rows, lo), self.value(rows, hi)
        odd = (f_lo == 0.0) | (f_hi == 0.0) | ((f_lo > 0.0) == (f_hi > 0.0))
        keep_odd = odd & ((f_lo == 0.0) != (f_hi == 0.0)) & ((lo != _ZERO) | (f_lo != 0.0))
        done = odd.copy()
        none = odd & ~keep_odd
        while True:
            live = np.flatnonzero(~done & (hi - lo > 1))
            if not len(live):
                break
            mid = (lo[live] + hi[live]) // 2
            f_mid = self.value(rows[live], mid)
            zero = f_mid == 0.0
            same = (f_mid > 0.0) == (f_lo[live] > 0.0)
            lo[live] = np.where(zero, mid, np.where(same, mid, lo[live]))
            hi[live] = np.where(zero, mid, np.where(same, hi[live], mid))
            f_lo[live] = np.where(zero, 0.0, np.where(same, f_mid, f_lo[live]))
            f_hi[live] = np.where(zero, 0.0, np.where(same, f_hi[live], f_mid))
            done[live[zero]] = True
        out = np.full(count, np.nan)
        ok = np.flatnonzero(~none)
        if len(ok):
            out[ok] = self._finish(rows[ok], lo[ok], hi[ok], f_lo[ok], f_hi[ok])
        return out  # type: ignore[no-any-return]

    def walk_and_solve(self, rows: Ints, values: Floats, end: int) -> Floats:
        """``irr._bracket_walk`` over the grid values already computed (from 0 towards ``end``), then solved."""
        np = self.np
        step = 1 if end > _ZERO else -1
        prev, nxt = values[:, :-1], values[:, 1:]
        change = (nxt == 0.0) | ((prev > 0.0) != (nxt > 0.0))
        found = change.any(axis=1)
        j = np.argmax(change, axis=1)
        idx = np.arange(len(rows))
        i_k = _ZERO + step * j
        j_k = i_k + step
        fi, fj = prev[idx, j], nxt[idx, j]
        lo = np.minimum(i_k, j_k)
        hi = np.maximum(i_k, j_k)
        f_lo = np.where(step > 0, fi, fj)
        f_hi = np.where(step > 0, fj, fi)
        out = self._finish(rows, lo, hi, f_lo, f_hi)
        return np.where(found, out, np.nan)  # type: ignore[no-any-return]

    def _finish(self, rows: Ints, lo: Ints, hi: Ints, f_lo: Floats, f_hi: Floats) -> Floats:
        """The candidate of ``irr.nearest_root`` from a bracket: an end that is a root, else :meth:`solve`."""
        np = self.np
        grid = self.grid
        out = np.where(f_lo == 0.0, grid[lo], np.where(f_hi == 0.0, grid[hi], np.nan))
        todo = np.flatnonzero((f_lo != 0.0) & (f_hi != 0.0))
        if len(todo):
            out[todo] = self.solve(rows[todo], grid[lo[todo]], grid[hi[todo]], f_lo[todo], f_hi[todo])
        return out  # type: ignore[no-any-return]

    def solve(self, rows: Ints, a: Floats, b: Floats, fa: Floats, fb: Floats) -> Floats:
        """``irr._solve`` on every row at once: Newton's method kept inside the bracket, bisection otherwise."""
        np = self.np
        a, b, fa, fb = a.copy(), b.copy(), fa.copy(), fb.copy()
        c = (a * fb - b * fa) / (fb - fa)
        c = np.where((a < c) & (c < b), c, 0.5 * (a + b))
        result = np.full(len(rows), np.nan)
        active = np.ones(len(rows), dtype=bool)
        held = np.arange(len(rows))
        block = _Block(np, self.s[rows], self.n[rows], self.v[rows], self.first[rows], self.last[rows])
        previous = np.full(len(rows), np.inf)  # each row's last step
        for _ in range(200):
            live = np.flatnonzero(active)
            if not len(live):
                break
            if len(live) != len(held):  # keep only the rows still solving: the others cost nothing more
                block = block.take(np.searchsorted(held, live))
                held = live
            cl = c[live]
            fc, slope = block.value_slope(cl)
            exact = fc == 0.0
            result[live[exact]] = cl[exact]
            same = (fc > 0.0) == (fa[live] > 0.0)
            a[live] = np.where(same, cl, a[live])
            fa[live] = np.where(same, fc, fa[live])
            b[live] = np.where(same, b[live], cl)
            fb[live] = np.where(same, fb[live], fc)
            step = np.where(slope != 0.0, fc / np.where(slope != 0.0, slope, 1.0), np.nan)
            size, scale = np.abs(step), np.abs(cl)
            # Converged: the step is below the tolerance, or Newton is converging quadratically (this step
            # within 10 times the square of the last, relative to u) and the step is below 1e-7 of u, so
            # that c - step is within about 1e-13 of the root, as the scalar solver's stopping rule gives.
            quadratic = (size <= 1e-7 * scale) & (size * scale <= 10.0 * previous[live] ** 2)
            small = ~exact & ((size <= ROOT_TOLERANCE * scale) | quadratic)
            previous[live] = size
            result[live[small]] = (cl - step)[small]
            nxt = cl - step
            al, bl = a[live], b[live]
            inside = (al < nxt) & (nxt < bl)
            mid = 0.5 * (al + bl)
            stuck = ~inside & ~((al < mid) & (mid < bl))
            nxt = np.where(inside, nxt, mid)
            ended = exact | small | stuck
            stop = live[stuck & ~exact & ~small]
            result[stop] = np.where(np.abs(fa[stop]) <= np.abs(fb[stop]), a[stop], b[stop])
            c[live] = nxt
            active[live[ended]] = False
        rest = np.flatnonzero(active)
        result[rest] = np.where(np.abs(fa[rest]) <= np.abs(fb[rest]), a[rest], b[rest])
        return result  # type: ignore[no-any-return]
