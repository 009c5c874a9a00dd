"""A deliberately naive, independent reading of MODEL.md (version 2), used only to cross-check the engine.

It loops month by month with plain arithmetic, shares no code with credroi, counts the IRR's roots by
the changes of sign of the NPV on a fine grid of monthly rates and solves the IRR by bisection there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

SWITCH_LAG = 3.0
"""MODEL.md: L defaults to 3 months under the goal switch (0 under raise)."""


@dataclass
class Case:
    """Inputs of one credential and one profile, MODEL.md names."""

    exam_fee: float = 0.0
    training: float = 0.0
    materials: float = 0.0
    subscription_monthly: float = 0.0
    weeks: float = 8.0
    hours_per_week: float = 10.0
    pass_rate: float = 1.0
    validity_years: float | None = None
    renewal_cost: float = 0.0
    recognition: float = 0.5
    uplift: float = 0.05
    """The entry's uplift fraction in the scenario (goal raise)."""
    salary: float = 75_000.0
    pace: float | None = None
    horizon_years: float = 5.0
    discount_rate: float = 0.03
    salary_growth: float = 0.02
    tax_rate: float = 0.25
    time_value: float | None = None
    employer_share: float = 0.0
    selection_adjustment: float = 0.25
    lag_months: float | None = None
    """None: 3 under switch, 0 under raise."""
    goal: str = "raise"
    scenario: str = "typical"
    prepares: bool = False
    """Whether the entry's ``roles`` contain the target role R."""
    role_salary: tuple[float, float, float] | None = None
    """The target role's (low, typical, high) pay."""
    target_salary: float | None = None
    experience_years: float | None = None
    """E, the person's experience (None: not checked)."""
    required_years: float = 0.0
    """The entry's ``experience_years``."""


def half_up(x: float) -> int:
    return math.floor(x + 0.5 + 1e-9)


def lag(c: Case) -> float:
    if c.lag_months is not None:
        return c.lag_months
    return SWITCH_LAG if c.goal == "switch" else 0.0


def target_pay(c: Case) -> float:
    """P: the target salary, else the role's pay of the scenario."""
    if c.target_salary is not None:
        return c.target_salary
    assert c.role_salary is not None
    return c.role_salary[{"low": 0, "typical": 1, "high": 2}[c.scenario]]


def gain(c: Case) -> float:
    """U, the gross annual gain."""
    if c.goal == "switch":
        return max(0.0, target_pay(c) - c.salary) if c.prepares else 0.0
    return c.uplift * c.salary


def flows(c: Case) -> tuple[list[float], list[float], list[float], float]:
    """(benefit, renewal, cash_flow, investment) for t = 0..N."""
    hours = c.weeks * c.hours_per_week
    pace = c.pace if c.pace is not None else c.hours_per_week
    weeks = hours / pace
    m = math.ceil(weeks * 12 / 52 - 1e-9)
    attempts = 1 / c.pass_rate
    direct = c.training + c.materials + c.exam_fee * attempts + c.subscription_monthly * m
    v = c.time_value if c.time_value is not None else 0.5 * c.salary / 2080
    investment = direct * (1 - c.employer_share) + hours * v
    b_year = gain(c) * c.recognition * (1 - c.selection_adjustment) * (1 - c.tax_rate)
    n = half_up(12 * c.horizon_years)
    benefit = [0.0] * (n + 1)
    renewal = [0.0] * (n + 1)
    for t in range(1, n + 1):
        if t > m + lag(c) + 1e-9:
            benefit[t] = b_year / 12 * (1 + c.salary_growth) ** ((t - 1) // 12)
    if c.validity_years is not None:
        k = 1
        while m + half_up(12 * c.validity_years * k) <= n:
            renewal[max(1, m + half_up(12 * c.validity_years * k))] += c.renewal_cost * (1 - c.employer_share)
            k += 1
    cash = [benefit[t] - renewal[t] for t in range(n + 1)]
    cash[0] = -investment
    return benefit, renewal, cash, investment


def monthly_rate(c: Case) -> float:
    return (1 + c.discount_rate) ** (1 / 12) - 1


def present_value(cash: list[float], rm: float) -> float:
    return math.fsum(f / (1 + rm) ** t for t, f in enumerate(cash))


def npv(c: Case) -> float:
    _, _, cash, _ = flows(c)
    return present_value(cash, monthly_rate(c))


def payback(cash: list[float], threshold: float = -1e-9) -> int | None:
    total = 0.0
    for t, f in enumerate(cash):
        total += f
        if total >= threshold:
            return t
    return None


def discounted_payback(cash: list[float], rm: float, threshold: float = -1e-9) -> int | None:
    """The first t whose cumulative discounted flow is >= ``threshold``."""
    total = 0.0
    for t, f in enumerate(cash):
        total += f / (1 + rm) ** t
        if total >= threshold:
            return t
    return None


def mirr(cash: list[float], rm: float) -> float | None:
    """((PV+ (1 + r_m)^N / PV-)^(1/N) - 1, annualised; None without an inflow and an outflow."""
    n = len(cash) - 1
    pv_in = sum(f / (1 + rm) ** t for t, f in enumerate(cash) if f > 0)
    pv_out = sum(-f / (1 + rm) ** t for t, f in enumerate(cash) if f < 0)
    if pv_in == 0 or pv_out == 0 or n == 0:
        return None
    # in logarithms: with a subnormal outflow (a tiny investment) the plain ratio overflows although
    # the rate itself is a finite number
    log_growth = (math.log(pv_in) + n * math.log(1 + rm) - math.log(pv_out)) / n
    try:
        annual = math.exp(12 * log_growth) - 1
    except OverflowError:
        return None
    return annual if math.isfinite(annual) else None


def break_even_recognition(c: Case) -> float | None:
    """The recognition at which NPV = 0: NPV is linear in it, so the NPVs at 0 and 1 fix the line.

    The difference of the two NPVs is summed month by month from the benefits, which are the only flows
    that differ, so a benefit far smaller than the investment or a renewal is not rounded away.
    """
    rm = monthly_rate(c)
    benefit0, _, cash0, _ = flows(replace(c, recognition=0.0))
    benefit1, _, _, _ = flows(replace(c, recognition=1.0))
    slope = math.fsum((b1 - b0) / (1 + rm) ** t for t, (b1, b0) in enumerate(zip(benefit1, benefit0, strict=True)))
    if slope == 0:
        return None
    x = -present_value(cash0, rm) / slope
    return x if math.isfinite(x) else None


def eligible(c: Case) -> bool | None:
    if c.experience_years is None:
        return None
    return c.experience_years >= c.required_years


# --- IRR: roots of sum f(t) exp(-u t) over u = ln(1 + rho) ---------------------------------------------

GRID_U = np.concatenate([-np.logspace(np.log10(720.0), -9.0, 4000), [0.0], np.logspace(-9.0, np.log10(720.0), 4000)])
"""8001 points of u = ln(1 + rho), |u| from 1e-9 to 720 evenly in log10 |u|, and 0."""


def _scaled_npv(cash: list[float], us: np.ndarray) -> np.ndarray:
    """sum f(t) exp(-u t), divided by a positive factor per u (the largest term's size) so nothing overflows."""
    t = np.array([i for i, f in enumerate(cash) if f != 0], dtype=float)
    f = np.array([f for f in cash if f != 0], dtype=float)
    logs = np.log(np.abs(f))[None, :] - us[:, None] * t[None, :]
    logs -= logs.max(axis=1, keepdims=True)
    return (np.sign(f)[None, :] * np.exp(logs)).sum(axis=1)


def _crossings(cash: list[float]) -> list[tuple[float, float]]:
    """Grid cells [u_i, u_j] where the NPV changes sign (or (u, u) where it is exactly 0)."""
    values = _scaled_npv(cash, GRID_U)
    cells: list[tuple[float, float]] = []
    for i, v in enumerate(values):
        if v == 0:
            cells.append((GRID_U[i], GRID_U[i]))
        elif i > 0 and values[i - 1] != 0 and (values[i - 1] > 0) != (v > 0):
            cells.append((GRID_U[i - 1], GRID_U[i]))
    return cells


def root_us(cash: list[float]) -> list[float]:
    """Every root u = ln(1 + rho) of the NPV that the grid brackets, each narrowed by bisection, ascending."""
    if not any(f > 0 for f in cash) or not any(f < 0 for f in cash):
        return []

    def value(u: float) -> float:
        return float(_scaled_npv(cash, np.array([u]))[0])

    roots = []
    for cell in _crossings(cash):
        a, b = cell
        fa = value(a)
        while a != b:
            mid = 0.5 * (a + b)
            if mid in (a, b):
                break
            fm = value(mid)
            if fm == 0:
                a = b = mid
            elif (fm > 0) == (fa > 0):
                a, fa = mid, fm
            else:
                b = mid
        roots.append(0.5 * (a + b))
    return roots


def irr_roots(cash: list[float]) -> int:
    """How many monthly rates rho > -1 make the NPV 0: 0, 1, or 2 for two or more."""
    return min(2, len(root_us(cash)))


def irr(cash: list[float]) -> float | None:
    """The annual IRR ``(1 + rho)^12 - 1`` when there is exactly one root; else None."""
    roots = root_us(cash)
    return _annual(roots[0]) if len(roots) == 1 else None


def _annual(u: float) -> float | None:
    try:
        return math.expm1(12 * u)
    except OverflowError:
        return None


def metrics(c: Case) -> dict[str, object]:
    """Every metric of MODEL.md version 2 that the reference computes, under its JSON keys."""
    benefit, renewal, cash, investment = flows(c)
    rm = monthly_rate(c)
    roots = root_us(cash)
    cost = investment + sum(renewal)
    roi = (sum(benefit) - cost) / cost if cost > 0 else None
    if roi is not None and not math.isfinite(roi):
        roi = None  # a cost so tiny (subnormal) that the ratio overflows: null, as docs/model.md decision 6 says
    return {
        "npv": present_value(cash, rm),
        "roi": roi,
        "payback_months": payback(cash),
        "discounted_payback_months": discounted_payback(cash, rm),
        "irr": _annual(roots[0]) if len(roots) == 1 else None,
        "irr_roots": min(2, len(roots)),
        "root_us": roots,
        "mirr": mirr(cash, rm),
        "break_even_recognition": break_even_recognition(c),
        "eligible": eligible(c),
        "investment": investment,
        "annual_benefit": gain(c) * c.recognition * (1 - c.selection_adjustment) * (1 - c.tax_rate),
    }
