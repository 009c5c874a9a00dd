"""The ROI model of docs/model.md: derived quantities, monthly cash flows and metrics.

Pure functions over plain values: no I/O, no CLI, no third-party imports.

All money is in today's currency; the discount rate and salary growth are real
annual rates. Month ``t = 0`` is the day study starts: the investment is paid
then and is not discounted (the numpy-financial convention, not a spreadsheet's).
"""

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from credroi.model.irr import U_GRID, Run, irr_and_roots, rate_of, scaled_pv, sign_changes, solve
from credroi.model.profile import SCENARIOS, Profile, Scenario

KINDS: tuple[str, ...] = ("certification", "micro-credential")

MONTH_TOLERANCE = 1e-9
"""Slack when turning weeks or years into whole months, so 13 weeks is 3 months."""

PAYBACK_TOLERANCE = 1e-9
"""Cumulative cash at or above minus this counts as paid back (a free credential pays at 0)."""


class Credential(NamedTuple):
    """The inputs of one catalog entry that the model uses (docs/model.md, "A catalog entry").

    An immutable record; ``cred.replace(exam_fee=180.0)`` is a copy with some values changed.
    """

    id: str
    name: str
    kind: str
    study_weeks: float
    study_hours_per_week: float
    recognition: float
    uplift_low: float
    uplift_typical: float
    uplift_high: float
    exam_fee: float = 0.0
    training: float = 0.0
    materials: float = 0.0
    subscription_monthly: float = 0.0
    pass_rate: float = 1.0
    validity_years: float | None = None
    renewal_cost: float = 0.0
    fields: tuple[str, ...] = ()
    level: str | None = None
    roles: tuple[str, ...] = ()
    """Ids of the roles it prepares a newcomer for (the goal ``switch`` gains only from these)."""
    experience_required: float = 0.0
    """Years of relevant experience the issuer asks before awarding it (the entry's ``experience_years``)."""
    requires: tuple[str, ...] = ()
    """Ids of its prerequisites: a plan holds them, or studies them earlier (the entry's ``requires``)."""

    def replace(self, **changes: Any) -> "Credential":
        """A copy with ``changes`` (field name -> value)."""
        return self._replace(**changes)

    def uplift(self, scenario: Scenario) -> float:
        """The salary uplift fraction of ``scenario`` (``low``, ``typical`` or ``high``)."""
        if scenario == "low":
            return self.uplift_low
        if scenario == "high":
            return self.uplift_high
        return self.uplift_typical


def round_half_up(x: float) -> int:
    """Round to the nearest integer, halves up, forgiving float error of ``1e-9``."""
    return math.floor(x + 0.5 + MONTH_TOLERANCE)


@dataclass(frozen=True, slots=True)
class Derived:
    """The derived quantities of one credential for one profile (docs/model.md symbols)."""

    study_hours: float
    """``H = study.weeks * study.hours_per_week``."""
    study_weeks: float
    """``W = H / h``, weeks at the person's pace."""
    study_months: int
    """``m = ceil(W * 12 / 52)``, with a 1e-9 tolerance."""
    expected_attempts: float
    """``A = 1 / pass_rate``."""
    direct_cost: float
    """``D = training + materials + exam_fee * A + subscription_monthly * m``."""
    out_of_pocket: float
    """``O = D * (1 - e)``."""
    time_cost: float
    """``T = H * v``."""
    investment: float
    """``I = O + T``, paid at month 0."""
    gross_uplift: float
    """``U``, the gross annual gain: ``uplift(scenario) * S`` under ``raise``, ``max(0, P - S)`` under ``switch``."""
    annual_benefit: float
    """``B = U * recognition * (1 - sigma) * (1 - tau)``, first-year after-tax benefit."""


def uplift_of(cred: Credential, profile: Profile) -> float:
    """The entry's salary uplift fraction in the profile's scenario."""
    return float(cred.uplift(profile.scenario))


def prepares(cred: Credential, profile: Profile) -> bool:
    """Whether ``cred`` prepares for the profile's target role (only then does a switch gain anything)."""
    return profile.target_role in cred.roles


def switching(profile: Profile) -> bool:
    """Whether the goal is ``switch``: one move into the target role, rather than a raise from each credential."""
    return profile.goal == "switch"


def gain_of(cred: Credential, profile: Profile) -> float:
    """``U``, the gross annual gain: the raise ``uplift * S`` (goal ``raise``), or the move's pay rise
    ``max(0, P - S)`` for an entry that prepares for the target role (goal ``switch``; 0 for the others).
    """
    if profile.goal == "switch":
        return max(0.0, profile.target_pay(profile.scenario) - profile.salary) if prepares(cred, profile) else 0.0
    return uplift_of(cred, profile) * float(profile.salary)


GainDraw = tuple[float, float, float, float, float]
"""``(low, mode, high, scale, offset)``: a drawn gain is ``max(0, scale * X + offset)``, X ~ triangular(low, mode,
high)."""


def gain_distribution(cred: Credential, profile: Profile) -> GainDraw:
    """How the simulation draws ``U`` when the market pays: the uplift fraction times S (goal ``raise``), or
    ``max(0, P - S)`` with the target pay P from the role's range or ``target_salary`` (goal ``switch``; no gain
    for an entry that does not prepare for the role)."""
    if profile.goal == "switch":
        if not prepares(cred, profile):
            return 0.0, 0.0, 0.0, 0.0, 0.0
        low, mode, high = (profile.target_pay(s) for s in SCENARIOS)  # one point when target_salary is set
        return low, mode, high, 1.0, -profile.salary
    return cred.uplift_low, cred.uplift_typical, cred.uplift_high, float(profile.salary), 0.0


def derive(cred: Credential, profile: Profile) -> Derived:
    """Compute the derived quantities of docs/model.md for one credential.

    Parameters
    ----------
    cred : Credential
        The catalog entry.
    profile : Profile
        The person and assumptions.

    Returns
    -------
    Derived
        ``H, W, m, A, D, O, T, I, U, B`` as defined in docs/model.md.
    """
    hours, weeks, months = _study(cred, profile.hours_per_week)
    attempts = 1.0 / cred.pass_rate
    direct = _direct_cost(cred, months)
    out_of_pocket = direct * (1.0 - profile.employer_share)
    time_cost = hours * float(profile.hourly_time_value)
    uplift = gain_of(cred, profile)
    benefit = _benefit_share(cred, profile) * uplift
    return Derived(
        study_hours=hours,
        study_weeks=weeks,
        study_months=months,
        expected_attempts=attempts,
        direct_cost=direct,
        out_of_pocket=out_of_pocket,
        time_cost=time_cost,
        investment=out_of_pocket + time_cost,
        gross_uplift=uplift,
        annual_benefit=benefit,
    )


def _study(cred: Credential, pace: float | None) -> tuple[float, float, int]:
    """``(H, W, m)``: study hours, weeks at ``pace`` (``None``: the entry's own) and whole study months."""
    hours = float(cred.study_weeks) * float(cred.study_hours_per_week)
    weeks = hours / float(pace if pace is not None else cred.study_hours_per_week)
    return hours, weeks, max(0, math.ceil(weeks * 12.0 / 52.0 - MONTH_TOLERANCE))


def _direct_cost(cred: Credential, months: int) -> float:
    """``D = training + materials + exam_fee * A + subscription_monthly * m`` with ``A = 1 / pass_rate``."""
    return float(
        cred.training + cred.materials + cred.exam_fee * (1.0 / cred.pass_rate) + cred.subscription_monthly * months
    )


def _benefit_share(cred: Credential, profile: Profile) -> float:
    """The share of a gross raise that reaches the person: ``rec * (1 - sigma) * (1 - tau)``."""
    return cred.recognition * (1.0 - profile.selection_adjustment) * (1.0 - profile.tax_rate)


def first_benefit_month(study_months: int, lag_months: float) -> int:
    """The first month ``t`` with ``t > m + L``: when the raise starts."""
    return math.floor(study_months + lag_months + MONTH_TOLERANCE) + 1


def renewal_months(study_months: int, validity_years: float | None, horizon_months: int) -> list[int]:
    """Months of the renewals: ``m + round(12 * V * k)`` for k = 1, 2, ... while within ``N``.

    A renewal that would fall at month 0 (only when study rounds to zero months and
    validity to zero months) is charged at month 1, since month 0 holds the investment.
    """
    if validity_years is None:
        return []
    out: list[int] = []
    k = 1
    while True:
        t = max(1, study_months + round_half_up(12.0 * validity_years * k))
        if t > horizon_months:
            return out
        out.append(t)
        k += 1


@lru_cache(maxsize=64)
def _growth_factors(salary_growth: float, horizon_months: int) -> tuple[float, ...]:
    """``(1 + g) ** floor((t - 1) / 12)`` for t = 0 ... N (entry 0 unused, set to 1)."""
    years = horizon_months // 12 + 1
    per_year = [(1.0 + salary_growth) ** j for j in range(years)]
    return (1.0, *tuple(per_year[(t - 1) // 12] for t in range(1, horizon_months + 1)))


@lru_cache(maxsize=64)
def _discount_factors(discount_rate: float, horizon_months: int) -> tuple[float, ...]:
    """``1 / (1 + r_m) ** t`` for t = 0 ... N."""
    log_step = math.log1p(discount_rate) / 12.0
    return tuple(math.exp(-log_step * t) for t in range(horizon_months + 1))


@dataclass(frozen=True, slots=True)
class CashFlows:
    """Month-by-month flows for t = 0 ... N: ``cash_flow[t] = benefit[t] - renewal[t]``.

    ``cash_flow[0]`` is ``-I`` (benefit and renewal are 0 there).
    """

    benefit: list[float]
    renewal: list[float]
    cash_flow: list[float]


def cash_flows(cred: Credential, profile: Profile, derived: Derived | None = None) -> CashFlows:
    """The monthly cash flows of docs/model.md.

    ``f(0) = -I``; for ``m + L < t <= N`` a benefit ``b(t) = (B / 12) * (1 + g) ** floor((t - 1) / 12)``;
    a renewal outflow ``renewal_cost * (1 - e)`` at each renewal month; ``f(t) = b(t) - renewal(t)``.
    """
    d = derived if derived is not None else derive(cred, profile)
    n = profile.months
    growth = _growth_factors(profile.salary_growth, n)
    monthly = d.annual_benefit / 12.0
    start = first_benefit_month(d.study_months, profile.lag)
    benefit = [0.0] * (n + 1)
    for t in range(start, n + 1):
        benefit[t] = monthly * growth[t]
    renewal = [0.0] * (n + 1)
    charge = cred.renewal_cost * (1.0 - profile.employer_share)
    for t in renewal_months(d.study_months, cred.validity_years, n):
        renewal[t] += charge
    flows = [b - r for b, r in zip(benefit, renewal, strict=True)]
    flows[0] = -d.investment
    return CashFlows(benefit=benefit, renewal=renewal, cash_flow=flows)


def npv(annual_rate: float, flows: Sequence[float]) -> float:
    """Net present value of monthly ``flows`` at a real annual rate.

    ``NPV = sum_t f(t) / (1 + r_m) ** t`` with ``r_m = (1 + r) ** (1/12) - 1``;
    ``f(0)`` is not discounted.
    """
    factors = _discount_factors(annual_rate, len(flows) - 1)
    return math.fsum(f * k for f, k in zip(flows, factors, strict=True))


def simple_roi(total_benefit: float, investment: float, total_renewal: float) -> float | None:
    """``(sum b - I - sum renewal) / (I + sum renewal)``, undiscounted; ``None`` if the cost is 0 or it overflows."""
    cost = investment + total_renewal
    if cost == 0.0:
        return None
    roi = (total_benefit - cost) / cost
    return roi if math.isfinite(roi) else None  # a cost so tiny (subnormal) that the ratio overflows


# --- Shapes: what every row with the same timing shares ---------------------------------


class Shape:
    """The timing of a credential's flows, shared by every profile with the same timing.

    The flows are ``f(0) = -I`` and, for t >= 1, ``f(t) = b * growth[t] - c * renewals[t]``
    with ``b = B / 12`` (the first year's monthly benefit) and ``c`` the renewal charge. So
    totals, cumulative sums and the present-value factors of the IRR grid are computed once
    here, and each evaluation is a handful of multiplications. Built by :func:`shape` (cached);
    treat it as read-only. A plain slotted class, not a frozen dataclass: it computes its
    cumulative sums and runs when built and fills its caches of present values and IRR grid
    points as evaluations ask for them.
    """

    __slots__ = (
        "_grid",
        "_growth_runs",
        "_renewal_runs",
        "cum_growth",
        "cum_renewals",
        "discounted",
        "growth",
        "months",
        "present_values",
        "renewals",
        "runs",
    )

    def __init__(
        self,
        months: int,
        growth: tuple[float, ...],
        renewals: tuple[int, ...],
        runs: tuple[tuple[int, int, float, int], ...],
    ) -> None:
        self.months = months
        self.growth = growth
        """``(1 + g) ** floor((t - 1) / 12)`` in benefit months, 0 elsewhere (t = 0 ... N)."""
        self.renewals = renewals
        """Renewals charged in each month (0 or 1)."""
        self.cum_growth = tuple(itertools.accumulate(growth))
        self.cum_renewals = tuple(itertools.accumulate(renewals))
        self.runs = runs
        """(start, length, growth, renewals) runs of months 1 ... N with equal growth and renewals."""
        self._growth_runs: tuple[Run, ...] = tuple((s, n, gv) for s, n, gv, _ in runs if gv)
        self._renewal_runs: tuple[Run, ...] = tuple((s, n, float(rv)) for s, n, _, rv in runs if rv)
        self.present_values: dict[float, tuple[float, float]] = {}
        """PV(growth) and PV(renewals) by discount rate, filled by :func:`_shape_pv`."""
        self.discounted: dict[float, tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]] = {}
        """By discount rate: each run's sum of discount factors, and the cumulative discounted growth and renewals."""
        self._grid: dict[int, tuple[float, float, float]] = {}

    def __repr__(self) -> str:
        return f"Shape(months={self.months}, runs={self.runs!r})"

    def grid_point(self, k: int) -> tuple[float, float, float]:
        """Scaled PVs at IRR grid point k (t0 = 0, t1 = N) of the growth runs, the renewals and month 0.

        Computed on first use and remembered: an IRR probes a handful of points (a binary search
        when Norström's criterion says there is one root), and rows with the same timing share them.
        """
        found = self._grid.get(k)
        if found is None:
            n, u = self.months, U_GRID[k]
            found = (
                scaled_pv(self._growth_runs, u, 0, n)[0],
                scaled_pv(self._renewal_runs, u, 0, n)[0],
                scaled_pv(_MONTH_ZERO, u, 0, n)[0],
            )
            self._grid[k] = found
        return found


_MONTH_ZERO: tuple[Run, ...] = ((0, 1, 1.0),)


@lru_cache(maxsize=1024)
def shape(study_months: int, start: int, validity_years: float | None, horizon_months: int, growth: float) -> Shape:
    """The :class:`Shape` of flows whose benefit starts at ``start`` and renewals follow ``validity_years``."""
    n = horizon_months
    factors = _growth_factors(growth, n)
    g = tuple(factors[t] if t >= start and t >= 1 else 0.0 for t in range(n + 1))
    r = [0] * (n + 1)
    for t in renewal_months(study_months, validity_years, n):
        r[t] += 1
    renewals = tuple(r)
    runs: list[tuple[int, int, float, int]] = []
    t = 1
    while t <= n:
        end = t
        while end + 1 <= n and g[end + 1] == g[t] and renewals[end + 1] == renewals[t]:
            end += 1
        if g[t] != 0.0 or renewals[t] != 0:
            runs.append((t, end - t + 1, g[t], renewals[t]))
        t = end + 1
    return Shape(n, g, renewals, tuple(runs))


def _shape_pv(sh: Shape, discount_rate: float) -> tuple[float, float]:
    """Present values at ``discount_rate`` of the growth profile and of the renewals (cached on the shape)."""
    cached = sh.present_values.get(discount_rate)
    if cached is None:
        disc = _discount_factors(discount_rate, sh.months)
        pv_growth = math.fsum(gv * d for gv, d in zip(sh.growth, disc, strict=True) if gv)
        pv_renewals = math.fsum(rv * d for rv, d in zip(sh.renewals, disc, strict=True) if rv)
        cached = (pv_growth, pv_renewals)
        if len(sh.present_values) < 256:
            sh.present_values[discount_rate] = cached
    return cached


def _shape_irr(sh: Shape, investment: float, monthly: float, charge: float) -> tuple[float | None, int]:
    """``(irr, roots)`` of the flows ``-I, b * growth[t] - c * renewals[t]`` using the shape's cached grid."""
    runs: list[Run] = [(0, 1, -investment)] if investment != 0.0 else []
    runs += [(s, n, monthly * gv - charge * rv) for s, n, gv, rv in sh.runs]
    runs = [run for run in runs if run[2] != 0.0]
    if not runs or sign_changes(v for _, _, v in runs) == 0:
        return None, 0
    if runs[0][0] != 0 or runs[-1][0] + runs[-1][1] - 1 != sh.months:
        return irr_and_roots(runs)  # the cached grid assumes flows at months 0 and N
    point, last = sh.grid_point, sh.months

    def value_at(k: int) -> float:
        pg, pr, pf = point(k)
        return monthly * pg - charge * pr - investment * pf

    def fd(u: float) -> tuple[float, float]:
        return scaled_pv(runs, u, 0, last)

    u, roots = solve(value_at, runs, fd)
    return rate_of(u), roots


def _shape_discounted(
    sh: Shape, discount_rate: float
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """Per discount rate (cached on the shape): each run's sum of ``1 / (1 + r_m) ** t``, and the cumulative
    discounted growth and renewals for t = 0 ... N."""
    found = sh.discounted.get(discount_rate)
    if found is None:
        disc = _discount_factors(discount_rate, sh.months)
        run_sums = tuple(math.fsum(disc[s : s + n]) for s, n, _, _ in sh.runs)
        cum_g = tuple(itertools.accumulate(g * d for g, d in zip(sh.growth, disc, strict=True)))
        cum_r = tuple(itertools.accumulate(r * d for r, d in zip(sh.renewals, disc, strict=True)))
        found = (run_sums, cum_g, cum_r)
        if len(sh.discounted) < 64:
            sh.discounted[discount_rate] = found
    return found


def _shape_mirr(
    sh: Shape, run_sums: Sequence[float], investment: float, monthly: float, charge: float, step: float
) -> float | None:
    """MIRR, annualised, finance and reinvestment rate both ``r_m``: ``((PV+ (1 + r_m)^N) / PV-)^(1/N) - 1``.

    The flows are constant within a run, so PV+ and PV- are each run's flow times its sum of
    discount factors, split by sign; month 0 adds ``I`` to PV-. ``None`` without an inflow or an outflow.
    """
    positive = negative = 0.0
    for (_, _, gv, rv), factor in zip(sh.runs, run_sums, strict=True):
        flow = monthly * gv - charge * rv
        if flow > 0.0:
            positive += flow * factor
        elif flow < 0.0:
            negative -= flow * factor
    if investment > 0.0:
        negative += investment
    n = sh.months
    if positive <= 0.0 or negative <= 0.0 or n == 0:
        return None
    log_monthly = (math.log(positive) - math.log(negative)) / n + step
    try:
        return math.expm1(12.0 * log_monthly)
    except OverflowError:
        return None


def _shape_discounted_payback(
    cum_g: Sequence[float], cum_r: Sequence[float], investment: float, monthly: float, charge: float, first: int
) -> int | None:
    """The first month whose cumulative discounted flow ``-I + b * sum G d - c * sum R d`` is >= -1e-9."""
    if -investment >= -PAYBACK_TOLERANCE:
        return 0
    for t in range(max(first, 1), len(cum_g)):
        if -investment + monthly * cum_g[t] - charge * cum_r[t] >= -PAYBACK_TOLERANCE:
            return t
    return None


# --- Evaluation -----------------------------------------------------------------------


METRIC_KEYS: tuple[str, ...] = (
    "npv",
    "roi",
    "payback_months",
    "discounted_payback_months",
    "irr",
    "irr_roots",
    "mirr",
    "break_even_uplift",
    "break_even_recognition",
    "eligible",
    "investment",
    "out_of_pocket",
    "time_cost",
    "direct_cost",
    "study_hours",
    "study_weeks",
    "study_months",
    "expected_attempts",
    "annual_benefit",
)
"""The metric keys of a result, in the order machine output prints them."""

RESULT_KEYS: tuple[str, ...] = ("id", "name", "kind", *METRIC_KEYS)


class Evaluation:
    """Every metric of one credential for one profile (docs/model.md, "Metrics").

    The monthly flows are built on first use of :attr:`flows` (the metrics themselves come
    from closed forms and do not need them). Treat it as read-only. Unlike credroi's other
    records it is a plain slotted class, not a frozen dataclass: it fills in ``_flows`` after
    construction, and it is built once per evaluation, where a frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` a field) would cost about four times as much.
    """

    __slots__ = (
        "_flows",
        "break_even_recognition",
        "break_even_uplift",
        "credential",
        "derived",
        "discounted_payback_months",
        "eligible",
        "irr",
        "irr_roots",
        "mirr",
        "npv",
        "payback_months",
        "profile",
        "roi",
    )

    def __init__(
        self,
        credential: Credential,
        derived: Derived,
        npv: float,
        roi: float | None,
        payback_months: int | None,
        irr: float | None,
        break_even_uplift: float | None,
        profile: Profile,
        *,
        irr_roots: int = 0,
        mirr: float | None = None,
        discounted_payback_months: int | None = None,
        break_even_recognition: float | None = None,
        eligible: bool | None = None,
    ) -> None:
        self.credential = credential
        self.derived = derived
        self.npv = npv
        self.roi = roi
        self.payback_months = payback_months
        self.irr = irr
        self.break_even_uplift = break_even_uplift
        self.profile = profile
        self.irr_roots = irr_roots
        self.mirr = mirr
        self.discounted_payback_months = discounted_payback_months
        self.break_even_recognition = break_even_recognition
        self.eligible = eligible
        self._flows: CashFlows | None = None

    def __repr__(self) -> str:
        return (
            f"Evaluation(id={self.credential.id!r}, npv={self.npv!r}, roi={self.roi!r}, "
            f"payback_months={self.payback_months!r}, irr={self.irr!r}, break_even_uplift={self.break_even_uplift!r})"
        )

    @property
    def flows(self) -> CashFlows:
        """The monthly flows of docs/model.md (t = 0 ... N)."""
        if self._flows is None:
            self._flows = cash_flows(self.credential, self.profile, self.derived)
        return self._flows

    def as_dict(self) -> dict[str, object]:
        """The result object of machine output: ``id``, ``name``, ``kind`` and the metrics."""
        d = self.derived
        return {
            "id": self.credential.id,
            "name": self.credential.name,
            "kind": self.credential.kind,
            "npv": self.npv,
            "roi": self.roi,
            "payback_months": self.payback_months,
            "discounted_payback_months": self.discounted_payback_months,
            "irr": self.irr,
            "irr_roots": self.irr_roots,
            "mirr": self.mirr,
            "break_even_uplift": self.break_even_uplift,
            "break_even_recognition": self.break_even_recognition,
            "eligible": self.eligible,
            "investment": d.investment,
            "out_of_pocket": d.out_of_pocket,
            "time_cost": d.time_cost,
            "direct_cost": d.direct_cost,
            "study_hours": d.study_hours,
            "study_weeks": d.study_weeks,
            "study_months": d.study_months,
            "expected_attempts": d.expected_attempts,
            "annual_benefit": d.annual_benefit,
        }


def evaluate(cred: Credential, profile: Profile) -> Evaluation:
    """Evaluate one credential for one profile.

    Returns
    -------
    Evaluation
        ``npv`` (at the profile's discount rate), ``roi`` (undiscounted), ``payback_months``,
        ``irr`` (annual), ``break_even_uplift`` (money per year) and the derived quantities.

    Notes
    -----
    The flows are ``f(0) = -I`` and ``f(t) = b * G(t) - c * R(t)`` with ``b = B / 12``,
    ``G(t) = (1 + g) ** floor((t - 1) / 12)`` in benefit months, ``c`` the renewal charge and
    ``R(t)`` the renewals in month t. ``G`` and ``R`` depend only on the timing (a
    :class:`Shape`, cached), so NPV, ROI, payback and break-even are closed forms. The NPV is
    ``-I + b * PV(G) - c * PV(R)``, computed from the linear parts of :func:`_closed_form`
    (the same numbers the simulation and the rank scorer use). NPV is linear in the gross uplift ``U``, so the
    break-even uplift is ``(I + c * PV(R)) / k`` with ``k = rec (1 - sigma) (1 - tau) / 12 * PV(G)``,
    undefined (``None``) when ``k = 0`` or when the quotient overflows.
    """
    d = derive(cred, profile)
    sh, start, pv_growth, pv_renewals, parts = _closed_form(cred, _terms(profile), d.study_hours, d.study_months)
    monthly = d.annual_benefit / 12.0
    charge = cred.renewal_cost * (1.0 - profile.employer_share)
    investment = d.investment
    total_benefit = monthly * sh.cum_growth[-1]
    total_renewal = charge * sh.cum_renewals[-1]
    k = _benefit_share(cred, profile) / 12.0 * pv_growth
    break_even = _finite((investment + charge * pv_renewals) / k) if k > 0.0 else None
    fixed, per_attempt, per_gain = parts
    k_rec = per_gain * d.gross_uplift
    break_even_rec = _finite((per_attempt / cred.pass_rate - fixed) / k_rec) if k_rec > 0.0 else None
    payback = _shape_payback(sh, investment, monthly, charge, start)
    run_sums, cum_g, cum_r = _shape_discounted(sh, profile.discount_rate)
    rate, roots = _shape_irr(sh, investment, monthly, charge)
    return Evaluation(
        credential=cred,
        derived=d,
        npv=_npv_of_parts(cred, d.gross_uplift, parts),
        roi=simple_roi(total_benefit, investment, total_renewal),
        payback_months=payback,
        irr=rate,
        break_even_uplift=break_even,
        profile=profile,
        irr_roots=roots,
        mirr=_shape_mirr(sh, run_sums, investment, monthly, charge, profile.discount_step),
        discounted_payback_months=_shape_discounted_payback(cum_g, cum_r, investment, monthly, charge, start),
        break_even_recognition=break_even_rec,
        eligible=profile.eligible(cred.experience_required),
    )


def _finite(x: float) -> float | None:
    """``x``, or ``None`` where it overflowed (a divisor so small that no finite value breaks even)."""
    return x if math.isfinite(x) else None


def _shape_payback(sh: Shape, investment: float, monthly: float, charge: float, start: int) -> int | None:
    """The first month whose cumulative flow ``-I + b * sum G - c * sum R`` is >= -1e-9."""
    if -investment >= -PAYBACK_TOLERANCE:
        return 0
    cum_g, cum_r = sh.cum_growth, sh.cum_renewals
    for t in range(max(start, 1), sh.months + 1):
        if -investment + monthly * cum_g[t] - charge * cum_r[t] >= -PAYBACK_TOLERANCE:
            return t
    return None


@dataclass(frozen=True, slots=True)
class LinearParts:
    """NPV as a linear function of the exam attempts and the paid raise.

    ``NPV = fixed - per_attempt * attempts + per_gain * gain * recognition`` where ``gain`` is the
    gross annual gain ``U`` in money. With ``attempts = 1 / pass_rate`` and the scenario's gain this
    is :func:`evaluate`'s NPV; the simulation draws attempts, the gain and recognition (0 or 1) instead.
    """

    fixed: float
    """Present value of everything but the exam fees and the raise (a cost, so usually < 0)."""
    per_attempt: float
    """Out-of-pocket exam fee of one attempt."""
    per_gain: float
    """Present value of one unit of gross annual gain that employers always pay."""


Parts = tuple[float, float, float]
"""``(fixed, per_attempt, per_gain)`` of :class:`LinearParts`, as a plain tuple on hot paths."""

Terms = tuple[int, float, float, float, float, float, float]
"""What the fast path needs of a profile: ``(N, L, g, r, 1 - e, v, (1 - sigma)(1 - tau) / 12)``."""


def _terms(profile: Profile) -> Terms:
    """The profile's constants of the fast path, computed once per profile."""
    share = (1.0 - profile.selection_adjustment) * (1.0 - profile.tax_rate)
    return (
        profile.months,
        profile.lag,
        profile.salary_growth,
        profile.discount_rate,
        1.0 - profile.employer_share,
        float(profile.hourly_time_value),
        share / 12.0,
    )


def _closed_form(cred: Credential, terms: Terms, hours: float, months: int) -> tuple[Shape, int, float, float, Parts]:
    """The fast path: the cached :class:`Shape`, the first benefit month, PV(growth), PV(renewals) and the linear parts.

    The one place the closed-form NPV's arithmetic lives: :func:`evaluate`'s NPV, :func:`linear_parts`
    (the simulation) and :func:`npv_scorer` (rank, sensitivity, flip) all come from here, and the
    tests hold it to the month-by-month reference (:func:`derive`, :func:`cash_flows`, :func:`npv`).
    """
    n, lag, growth, rate, keep, time_value, gain_share = terms
    start = first_benefit_month(months, lag)
    sh = shape(months, start, cred.validity_years, n, growth)
    pv_growth, pv_renewals = _shape_pv(sh, rate)
    other_direct = (cred.training + cred.materials + cred.subscription_monthly * months) * keep
    fixed = -(other_direct + hours * time_value) - cred.renewal_cost * keep * pv_renewals
    return sh, start, pv_growth, pv_renewals, (fixed, cred.exam_fee * keep, gain_share * pv_growth)


def _npv_of_parts(cred: Credential, gain: float, parts: Parts) -> float:
    """NPV at the expected attempts ``1 / pass_rate`` and the gross annual ``gain``, paid with the recognition."""
    fixed, per_attempt, per_gain = parts
    return fixed - per_attempt / cred.pass_rate + per_gain * (gain * cred.recognition)


def linear_parts(cred: Credential, profile: Profile) -> LinearParts:
    """Split the NPV of ``cred`` into the parts that do not depend on attempts or the raise."""
    hours, _, months = _study(cred, profile.hours_per_week)
    fixed, per_attempt, per_gain = _closed_form(cred, _terms(profile), hours, months)[4]
    return LinearParts(fixed=fixed, per_attempt=per_attempt, per_gain=per_gain)


def npv_of(cred: Credential, profile: Profile) -> float:
    """:func:`evaluate`'s NPV alone (no IRR, no flow lists): for many evaluations."""
    return npv_scorer(profile)(cred)[0]


def npv_scorer(profile: Profile) -> Callable[[Credential], tuple[float, float, float]]:
    """A fast ``cred -> (npv, out_of_pocket, study_weeks)`` for scoring many credentials.

    The profile's constants are computed once; the NPV is :func:`_closed_form`'s, exactly
    :func:`evaluate`'s.
    """
    terms = _terms(profile)
    keep, pace = terms[4], profile.hours_per_week

    def score(cred: Credential) -> tuple[float, float, float]:
        hours, weeks, months = _study(cred, pace)
        parts = _closed_form(cred, terms, hours, months)[4]
        return _npv_of_parts(cred, gain_of(cred, profile), parts), _direct_cost(cred, months) * keep, weeks

    return score


def evaluate_all(creds: Iterable[Credential], profile: Profile) -> list[Evaluation]:
    """Evaluate each credential, ranked by NPV (highest first, ties by id)."""
    results = [evaluate(c, profile) for c in creds]
    results.sort(key=lambda e: (-e.npv, e.credential.id))
    return results


# --- Groups ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupStats:
    """Summary of a group of evaluations (docs/model.md, "Groups")."""

    group: str
    count: int
    median_investment: float
    median_study_weeks: float
    median_npv: float
    median_roi: float | None
    share_npv_positive: float
    best: str

    def as_dict(self) -> dict[str, object]:
        """The group object of machine output."""
        return {
            "group": self.group,
            "count": self.count,
            "median_investment": self.median_investment,
            "median_study_weeks": self.median_study_weeks,
            "median_npv": self.median_npv,
            "median_roi": self.median_roi,
            "share_npv_positive": self.share_npv_positive,
            "best": self.best,
        }


def median(values: Iterable[float]) -> float:
    """The median of docs/model.md (as ``statistics.median``): the middle value, or the mean of the two middle ones.

    Written here because importing :mod:`statistics` (with :mod:`decimal`, :mod:`fractions` and
    :mod:`random`) costs about 3 ms of start-up; a property test checks that both agree.
    """
    data = sorted(values)
    n = len(data)
    if n == 0:
        raise ValueError("no median of no values")
    i = n // 2
    if n % 2:
        return data[i]
    return (data[i - 1] + data[i]) / 2


def group_stats(group: str, results: Sequence[Evaluation]) -> GroupStats:
    """Medians, share with NPV > 0 and the best id (highest NPV; ties by id) of ``results``."""
    if not results:
        raise ValueError("a group needs at least one result")
    rois = [e.roi for e in results if e.roi is not None]
    best = min(results, key=lambda e: (-e.npv, e.credential.id))
    return GroupStats(
        group=group,
        count=len(results),
        median_investment=median(e.derived.investment for e in results),
        median_study_weeks=median(e.derived.study_weeks for e in results),
        median_npv=median(e.npv for e in results),
        median_roi=median(rois) if rois else None,
        share_npv_positive=sum(1 for e in results if e.npv > 0.0) / len(results),
        best=best.credential.id,
    )


def groups_by_kind(results: Sequence[Evaluation]) -> list[GroupStats]:
    """Group statistics per ``kind``, certifications first, then micro-credentials."""
    order = {k: i for i, k in enumerate(KINDS)}
    kinds = sorted({e.credential.kind for e in results}, key=lambda k: (order.get(k, len(order)), k))
    return [group_stats(k, [e for e in results if e.credential.kind == k]) for k in kinds]
