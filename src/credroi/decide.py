"""What the decision-analysis commands show: rank, groups, simulate, sensitivity, flip, explain.

Each builder turns engine and analysis results into a :class:`~credroi.render.Document`: the JSON
payload of MODEL.md, flat records for JSONL/CSV, and the tables and sentences people read.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from credroi import analysis, engine, report
from credroi.montecarlo import Simulation
from credroi.render import Column, Document, Table, Verbatim, money, number, percent

_BY_TITLE = {"npv": "NPV", "roi": "ROI", "payback": "payback", "irr": "IRR", "break-even": "break-even raise"}


def rank_document(
    results: Sequence[engine.Evaluation],
    total: int,
    profile: engine.Profile,
    currency: str,
    *,
    by: str,
    filters: Sequence[str],
    width: int = 80,
) -> Document:
    """``rank``: the best credentials by ``by`` after the filters; JSON ``{"profile", "results"}``."""
    records = [r.as_dict() for r in results]
    payload = {"profile": profile.as_dict(), "results": records}
    kept = f"{len(results)} of {total} credentials" if filters or len(results) != total else f"{total} credentials"
    title = f"{kept} by {_BY_TITLE.get(by, by)}"
    if filters:
        title += " (" + ", ".join(filters) + ")"
    caption = f"{report.profile_caption(profile, currency)} * = best in column. Details: `credroi show ID`."
    if any(f.startswith("out of pocket") for f in filters):
        caption += " Invest counts study time too; the budget applies to the money alone (out of pocket)."
    views: list[Table | Verbatim | str] = []
    if results:
        views.append(Table(report.result_columns(currency, with_id=width >= 110), records, title, caption))
    else:
        views.append("No credential passes these filters.")
    return Document(payload=payload, records=records, views=views)


# --- groups ------------------------------------------------------------------------------


def groups_document(
    groups: Sequence[engine.GroupStats],
    results: Sequence[engine.Evaluation],
    profile: engine.Profile,
    currency: str,
    *,
    by: str,
) -> Document:
    """``compare --by kind|field``: MODEL.md's groups document, and a verdict for kinds."""
    records = [g.as_dict() for g in groups]
    payload = {"profile": profile.as_dict(), "groups": records}
    views: list[Table | Verbatim | str] = []
    if by == "kind":
        views.append(report.groups_table(groups, currency))
        if len(groups) > 1:
            views.append(report.verdict(groups, results, profile, currency))
    else:
        cur = partial(money, currency=currency)
        columns = [
            Column("group", "Field", str, justify="left"),
            Column("count", "N", str),
            Column("median_investment", "Invest", cur, best="min"),
            Column("median_study_weeks", "Weeks", partial(number, digits=1), best="min"),
            Column("median_npv", "NPV", cur, best="max"),
            Column("share_npv_positive", "NPV>0", percent, best="max"),
            Column("best", "Best", str, justify="left", flex=True),
        ]
        caption = (
            f"{report.profile_caption(profile, currency)} Medians over the credentials tagged with each "
            "field (a credential with two tags counts in both); Best = the highest NPV."
        )
        names = {r.credential.id: r.credential.name for r in results}
        rows = [{**g, "best": names.get(str(g["best"]), g["best"])} for g in records]
        views.append(Table(columns, rows, title=f"{len(groups)} fields by median NPV", caption=caption))
    return Document(payload=payload, records=records, views=views)


# --- simulate ----------------------------------------------------------------------------


def simulate_document(sims: Sequence[Simulation], profile: engine.Profile, currency: str) -> Document:
    """``simulate``: MODEL.md's simulation document; a table of P(NPV > 0) and the percentiles."""
    records = [s.as_dict() for s in sims]
    payload = {"profile": profile.as_dict(), "results": records}
    cur = partial(money, currency=currency)
    rows = [
        {**r, "name": s.credential.name, "kind": report.KIND_SHORT.get(s.credential.kind)}
        for r, s in zip(records, sims, strict=True)
    ]
    columns = [
        Column("name", "Credential", str, justify="left", flex=True),
        Column("kind", "Kind", str, justify="left"),
        Column("p_npv_positive", "P(NPV>0)", percent, best="max"),
        Column("npv_p10", "P10", cur, best="max"),
        Column("npv_p50", "Median", cur, best="max"),
        Column("npv_p90", "P90", cur, best="max"),
        Column("npv_mean", "Mean", cur, best="max"),
    ]
    draws = sims[0].draws if sims else 0
    seed = sims[0].seed if sims else 0
    caption = (
        f"{report.profile_caption(profile, currency)} {draws:,} draws, seed {seed}: uplift ~ "
        "triangular(low, typical, high), attempts ~ geometric(pass rate), and employers pay the "
        "raise with probability = recognition. P10/P90: 1 in 10 draws falls below/above."
    )
    title = f"{len(sims)} credentials: the odds that each pays back within {number(profile.horizon_years)} years"
    return Document(payload=payload, records=records, views=[Table(columns, rows, title=title, caption=caption)])


# --- sensitivity ---------------------------------------------------------------------------

_PERCENT_INPUTS = {"uplift", "recognition", "pass_rate", "discount_rate", "salary_growth", "tax_rate"}
_PERCENT_INPUTS |= {"selection_adjustment"}
_MONEY_INPUTS = {"exam_fee", "training", "materials", "subscription_monthly", "renewal_cost", "salary", "time_value"}


def input_value(name: str, value: float, currency: str) -> str:
    """An input's value with its unit: 7.7%, $150, 64 h, 5 yr, 3 mo."""
    base = name.rsplit(".", 1)[-1]
    if base in _PERCENT_INPUTS:
        return number(100.0 * value, digits=1) + "%"
    if base in _MONEY_INPUTS:
        return money(value, currency) + ("/h" if base == "time_value" else "")
    if base == "study_hours":
        return f"{number(value, digits=0 if value >= 10 else 1)} h"
    if base == "horizon_years":
        return f"{number(value, digits=2)} yr"
    if base == "lag_months":
        return f"{number(value)} mo"
    return number(value, digits=3)


BAR_HALF = 7


def _bar(low: float, high: float, base: float, scale: float) -> str:
    """A tornado bar: ``BAR_HALF`` cells each side of the base NPV (``|``), filled to each end."""
    left = max(0.0, base - min(low, high))
    right = max(0.0, max(low, high) - base)
    n_left = round(BAR_HALF * left / scale) if scale > 0 else 0
    n_right = round(BAR_HALF * right / scale) if scale > 0 else 0
    return " " * (BAR_HALF - n_left) + "█" * n_left + "│" + "█" * n_right + " " * (BAR_HALF - n_right)


def sensitivity_document(
    result: engine.Evaluation, swings: Sequence[analysis.Swing], profile: engine.Profile, currency: str
) -> Document:
    """``sensitivity ID``: MODEL.md's document; a table with a tornado bar for each input."""
    cred = result.credential
    records = [s.as_dict() for s in swings]
    payload = {"profile": profile.as_dict(), "id": cred.id, "inputs": records}
    scale = max((max(abs(s.npv_low - result.npv), abs(s.npv_high - result.npv)) for s in swings), default=0.0)
    cur = partial(money, currency=currency)
    rows = [
        {
            "input": s.input,
            "range": f"{input_value(s.input, s.low_value, currency)} to {input_value(s.input, s.high_value, currency)}",
            "npv_low": s.npv_low,
            "npv_high": s.npv_high,
            "bar": _bar(s.npv_low, s.npv_high, result.npv, scale),
        }
        for s in swings
    ]
    columns = [
        Column("input", "Input", str, justify="left"),
        Column("range", "Low to high", str, justify="left", flex=True),
        Column("npv_low", "NPV low", cur),
        Column("npv_high", "NPV high", cur),
        Column("bar", "", str, justify="left"),
    ]
    caption = (
        f"{report.profile_caption(profile, currency)} Each input moves alone: the uplift over its low "
        "and high scenarios, the lag 3 months each way, the rest ±20 %. Bars: NPV below (left) and "
        "above (right) the base, widest swing first."
    )
    title = f"What moves the NPV of {cred.name} (now {money(result.npv, currency)})"
    views: list[Table | Verbatim | str] = [
        Table(columns, rows, title=title, caption=caption),
        report.break_even_sentence(result, profile, currency),
    ]
    return Document(payload=payload, records=records, views=views)


# --- flip -----------------------------------------------------------------------------------


def flip_document(
    a: engine.Evaluation, b: engine.Evaluation, flips: Sequence[analysis.Flip], profile: engine.Profile, currency: str
) -> Document:
    """``flip A B``: where the leader changes, input by input; ``never within range`` when it does not."""
    records = [f.as_dict() for f in flips]
    ca, cb = a.credential, b.credential
    payload = {
        "profile": profile.as_dict(),
        "a": ca.id,
        "b": cb.id,
        "npv_a": a.npv,
        "npv_b": b.npv,
        "inputs": records,
    }
    lead, trail = (a, b) if a.npv >= b.npv else (b, a)
    rows = [
        {
            "input": f.input,
            "now": input_value(f.input, f.current, currency),
            "flip": input_value(f.input, f.flip_value, currency) if f.flip_value is not None else "never in range",
            "range": f"{input_value(f.input, f.low, currency)} to {input_value(f.input, f.high, currency)}",
        }
        for f in flips
    ]
    columns = [
        Column("input", "Input", str, justify="left", flex=True),
        Column("now", "Now", str),
        Column("flip", "Lead changes at", str),
        Column("range", "Range searched", str, justify="left"),
    ]
    gap = lead.npv - trail.npv
    title = (
        f"{lead.credential.name} leads {trail.credential.name} by {money(gap, currency)} of NPV. "
        "Where would the lead change?"
    )
    caption = (
        f"{report.profile_caption(profile, currency)} Each input moves alone; shared inputs move for "
        "both, `ID.input` for that credential only. The value nearest today's where the other "
        "credential's NPV overtakes."
    )
    flipping = [f for f in flips if f.flip_value is not None]
    summary = (
        f"{len(flipping)} of {len(flips)} inputs can change the decision within their range."
        if flipping
        else f"No single input within its range makes {trail.credential.name} the better choice."
    )
    views: list[Table | Verbatim | str] = [Table(columns, rows, title=title, caption=caption), summary]
    return Document(payload=payload, records=records, views=views)


# --- explain -----------------------------------------------------------------------------------


def explain_document(
    results: Sequence[engine.Evaluation],
    profile: engine.Profile,
    currency: str,
    *,
    monthly: bool,
    chart: str | None = None,
) -> Document:
    """``explain ID...``: year-by-year (or monthly) cash flows with the payback marked.

    JSON is always monthly, as MODEL.md: ``{"profile", "id", "flows"}`` for one id, and
    ``{"profile", "explanations": [{"id", "flows"}, ...]}`` for several.
    """
    per_id = [(r, analysis.monthly_flows(r, profile)) for r in results]
    explanations = [{"id": r.credential.id, "flows": [row.as_dict() for row in rows]} for r, rows in per_id]
    if len(explanations) == 1:
        payload: dict[str, Any] = {"profile": profile.as_dict(), **explanations[0]}
    else:
        payload = {"profile": profile.as_dict(), "explanations": explanations}
    records = [{"id": r.credential.id, **row.as_dict()} for r, rows in per_id for row in rows]
    views: list[Table | Verbatim | str] = []
    cur = partial(money, currency=currency)
    for result, rows in per_id:
        shown = rows if monthly else analysis.yearly_flows(rows)
        unit = "month" if monthly else "year"
        payback = result.payback_months
        marked = payback if monthly or payback is None else (0 if payback == 0 else (payback - 1) // 12 + 1)
        table_rows = [
            {**row.as_dict(unit), "mark": _payback_mark(payback) if row.period == marked else ""} for row in shown
        ]
        columns = [
            Column(unit, unit.capitalize(), str),
            Column("benefit", "Benefit", cur),
            Column("renewal", "Renewal", cur),
            Column("cash_flow", "Cash flow", cur),
            Column("cumulative", "Cumulative", cur),
            Column("discounted", "Discounted", cur),
            Column("mark", "", str, justify="left"),
        ]
        title = f"{result.credential.name}: cash flows by {unit} (NPV {money(result.npv, currency)})"
        caption = (
            "Benefit: the after-tax, recognition-weighted raise; Discounted: the cash flow in today's money "
            f"(these sum to the NPV). {report.break_even_sentence(result, profile, currency)}"
        )
        views.append(Table(columns, table_rows, title=title, caption=caption))
    if chart:
        views.append(Verbatim(chart))
    return Document(payload=payload, records=records, views=views)


def _payback_mark(payback: int | None) -> str:
    if payback is None:
        return ""
    return "◀ payback" if payback == 0 else f"◀ payback (month {payback})"
