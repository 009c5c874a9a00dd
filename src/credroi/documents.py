"""What each command shows: one builder per command, turning results into a :class:`~credroi.render.Document`.

A document holds the JSON payload of docs/model.md, flat records for JSONL/CSV, and the tables and
sentences people read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from credroi.model import engine
from credroi.model import profile as profile_model
from credroi.render import Column, Document, Table, Verbatim, money, months, number, per_year, percent, weeks

if TYPE_CHECKING:
    from credroi.catalog import Problem
    from credroi.catalog.schema import Entry
    from credroi.model.analysis import Flip, Swing
    from credroi.model.plan import Plan, PlanLimits
    from credroi.model.simulate import Simulation
KIND_SHORT = {"certification": "cert", "micro-credential": "micro"}


def profile_caption(profile: profile_model.Profile, currency: str) -> str:
    """The profile in one line, for the caption of a table."""
    pace = "own pace" if profile.hours_per_week is None else f"{number(profile.hours_per_week)} h/wk"
    parts = [
        f"salary {money(profile.salary, currency)}",
        f"{number(profile.horizon_years)}-year horizon",
        f"discount {percent(profile.discount_rate, 1)}",
        f"growth {percent(profile.salary_growth, 1)}",
        f"tax {percent(profile.tax_rate)}",
        f"selection {percent(profile.selection_adjustment)}",
        f"{profile.scenario} uplift",
        pace,
    ]
    if profile.time_value is not None:
        parts.append(f"time {money(profile.time_value, currency)}/h")
    if profile.employer_share:
        parts.append(f"employer pays {percent(profile.employer_share)} of the costs")
    if profile.lag:
        parts.append(f"gain after {number(profile.lag)} mo")
    if profile.goal == "switch":
        pay = "" if profile.target_salary is None else f" at {money(profile.target_salary, currency)}"
        parts.insert(0, f"goal: move into {profile.target_role}{pay}")
    if profile.experience_years is not None:
        parts.append(f"{number(profile.experience_years)} years' experience")
    return "Profile: " + ", ".join(parts) + "."


INELIGIBLE_MARK = " ‡"
"""Added to the name of a credential the person is not eligible for (never marked best)."""


def needs_text(cred: engine.Credential) -> str:
    """``needs 5 years' experience``."""
    return f"needs {number(cred.experience_required)} years' experience"


def _ineligible_rows(results: Sequence[engine.Evaluation]) -> frozenset[int]:
    return frozenset(i for i, r in enumerate(results) if r.eligible is False)


WIDE = 110
"""From this width on, result tables show the id and every column; below it, the narrow set."""


def result_columns(currency: str, width: int) -> list[Column]:
    """A results table's columns: narrower than WIDE the paybacks share a column and the break-even is left to show."""
    cur = partial(money, currency=currency)
    if width >= WIDE:
        cols = [Column("id", "ID", str, justify="left"), Column("name", "Credential", str, justify="left", flex=True)]
    else:  # the id is what `show`, `compare` and the others take: it stays whole, the name is left out
        cols = [Column("id", "ID", str, justify="left", flex=True, fold=True)]
    cols += [
        Column("kind", "Kind", lambda k: KIND_SHORT.get(k, k), justify="left"),
        Column("investment", "Invest", cur, best="min"),
        Column("study_weeks", "Weeks", partial(number, digits=1), best="min"),
        Column("npv", "NPV", cur, best="max"),
        Column("roi", "ROI¹", percent, best="max"),
    ]
    if width >= WIDE:
        cols += [
            Column("payback_months", "Payback¹", months, best="min"),
            Column("discounted_payback_months", "Disc. payback", months, best="min"),
            Column("break_even_uplift", "Break-even", cur, best="min"),
        ]
    else:
        cols.append(Column("paybacks", "Payback¹/disc.", str))
    return cols


def _paybacks(result: engine.Evaluation) -> str:
    """``12/13 mo``: the undiscounted and the discounted payback in one cell."""
    plain, disc = result.payback_months, result.discounted_payback_months
    if plain is None and disc is None:
        return "never"
    return f"{'never' if plain is None else plain}/{'never' if disc is None else disc} mo"


def results_table(
    results: Sequence[engine.Evaluation], currency: str, title: str, caption: str, *, width: int
) -> Table:
    """The table of results for people: ineligible credentials marked and never marked best."""
    rows = [{**r.as_dict(), "name": _shown_name(r), "paybacks": _paybacks(r)} for r in results]
    columns = result_columns(currency, width)
    return Table(columns, rows, title=title, caption=caption, unranked=_ineligible_rows(results))


def _shown_name(result: engine.Evaluation) -> str:
    name = result.credential.name
    return name + INELIGIBLE_MARK if result.eligible is False else name


def compare_document(
    results: Sequence[engine.Evaluation],
    profile: profile_model.Profile,
    currency: str,
    *,
    width: int = 80,
    summary: bool = True,
) -> Document:
    """``compare``: every result ranked by NPV, with the summary by kind beneath."""
    records = [r.as_dict() for r in results]
    payload = {"profile": profile.as_dict(), "results": records}
    caption = (
        f"{profile_caption(profile, currency)} * = best in column. Invest: money and study time "
        f"at the start. Weeks at your pace. ¹ Undiscounted; disc. payback counts each month at the "
        f"discount rate.{_break_even_note(profile, width)}{_ineligible_note(results)} Details: `credroi show ID`."
    )
    title = f"{len(records)} credentials ranked by NPV over {number(profile.horizon_years)} years"
    views: list[Table | str] = [results_table(results, currency, title, caption, width=width)]
    groups = kind_groups(results, profile)
    if summary and len(groups) > 1:
        views.append(groups_table(groups, currency))
        views.append(verdict_data(groups, _verdict_scope(results, profile), profile, currency)["text"])
    return Document(payload=payload, records=records, views=views)


def verdict_text(results: Sequence[engine.Evaluation], profile: profile_model.Profile, currency: str) -> str | None:
    """The verdict in words (as under `compare`'s summary), or None when the results hold one kind only."""
    groups = kind_groups(results, profile)
    if len(groups) < 2:
        return None
    text: str = verdict_data(groups, _verdict_scope(results, profile), profile, currency)["text"]
    return text


def _break_even_note(profile: profile_model.Profile, width: int) -> str:
    if width < WIDE:
        return ""
    return (
        f" Break-even: the smallest {_gain_word(profile)} a year (when employers recognise it) to break even "
        "(NPV >= 0) within the horizon."
    )


def left_out_text(count: int) -> str:
    """The sentence that says how many credentials were left out as not yet open to the person."""
    these = "credential asks" if count == 1 else "credentials ask"
    return f"Left out: {count} {these} more experience than you have (--include-ineligible shows them)."


def _gain_word(profile: profile_model.Profile) -> str:
    return "pay rise from the move" if profile.goal == "switch" else "raise"


def _ineligible_note(results: Sequence[engine.Evaluation]) -> str:
    if not any(r.eligible is False for r in results):
        return ""
    mark = INELIGIBLE_MARK.strip()
    return f" {mark} Not eligible yet (it asks more experience than you have): never marked best."


def kind_groups(results: Sequence[engine.Evaluation], profile: profile_model.Profile) -> list[engine.GroupStats]:
    """Group statistics by kind over the results the verdict compares (:func:`_verdict_scope`)."""
    return engine.groups_by_kind(_verdict_scope(results, profile))


def _verdict_scope(results: Sequence[engine.Evaluation], profile: profile_model.Profile) -> list[engine.Evaluation]:
    """The results the verdict compares: those the person is eligible for and, under the goal switch, that
    prepare for the target role."""
    keep = [r for r in results if r.eligible is not False]
    if profile.goal != "switch":
        return keep
    return [r for r in keep if engine.prepares(r.credential, profile)]


def groups_table(groups: Sequence[engine.GroupStats], currency: str) -> Table:
    """Group statistics with one column per group and one row per statistic."""
    stats: list[tuple[str, str, Any]] = [
        ("count", "credentials", str),
        ("median_investment", "median investment", partial(money, currency=currency)),
        ("median_study_weeks", "median study time", weeks),
        ("median_npv", "median NPV", partial(money, currency=currency)),
        ("median_roi", "median ROI", percent),
        ("share_npv_positive", "share with NPV > 0", percent),
        ("best", "best (highest NPV)", str),
    ]
    by_key = {g.group: g.as_dict() for g in groups}
    columns = [Column("stat", "", str, justify="left")] + [Column(g.group, g.group, str, max_width=24) for g in groups]
    rows = []
    for key, label, fmt in stats:
        row: dict[str, Any] = {"stat": label}
        for g in groups:
            row[g.group] = fmt(by_key[g.group][key])
        rows.append(row)
    return Table(columns, rows, title="Summary by kind")


CLOSE_CALL = 0.1
"""Median NPVs within 10 % of the larger one (in absolute value) make the verdict a close call."""


def verdict_data(
    groups: Sequence[engine.GroupStats],
    results: Sequence[engine.Evaluation],
    profile: profile_model.Profile,
    currency: str,
) -> dict[str, Any]:
    """Which kind wins for this profile, by how much, which pays back sooner, the best of each; and the sentence.

    ``winner`` is the kind with the higher median NPV, or ``None`` when no kind's median NPV is
    positive; ``close_call`` says the medians are within 10 % of each other.
    """
    ranked = sorted(groups, key=lambda g: (-g.median_npv, g.group))
    top, rest = ranked[0], ranked[1:]
    margin = top.median_npv - rest[0].median_npv if rest else None
    scale = max(abs(g.median_npv) for g in ranked)
    close = margin is not None and scale > 0.0 and margin <= CLOSE_CALL * scale
    others = ", ".join(f"{money(g.median_npv, currency)} for {_plural(g.group)}" for g in rest)
    horizon = number(profile.horizon_years)
    scope = "" if profile.goal != "switch" else f" among the credentials that prepare for {profile.target_role}"
    if top.median_npv <= 0:
        first = (
            f"Verdict: over {horizon} years neither kind breaks even (NPV >= 0) at the median for this profile"
            f"{scope} (median NPV {money(top.median_npv, currency)} for {_plural(top.group)}, {others})."
        )
    else:
        first = (
            f"Verdict: for this profile{scope} {_plural(top.group)} do better: median NPV "
            f"{money(top.median_npv, currency)} over {horizon} years, against {others}."
        )
        if close:
            first += " A close call: the medians are within 10 % of each other."
    by_group = {g.group: [r for r in results if r.credential.kind == g.group] for g in ranked}
    paybacks = {g: median_payback(rs) for g, rs in by_group.items()}
    order = sorted(paybacks, key=lambda g: (paybacks[g], g))
    soon, late = order[0], order[-1]
    sooner: str | None = soon
    months_sooner: float | None = None
    if math.isinf(paybacks[soon]):
        second = f"At the median, neither pays back (undiscounted) within {horizon} years."
        sooner = None
    elif math.isinf(paybacks[late]):
        second = (
            f"The median {soon} pays back (undiscounted) in {_months_text(paybacks[soon])}; "
            f"the median {late} not within {horizon} years."
        )
    elif paybacks[soon] == paybacks[late]:
        second = f"At the median both pay back (undiscounted) in {_months_text(paybacks[soon])}."
        sooner, months_sooner = None, 0.0
    else:
        months_sooner = paybacks[late] - paybacks[soon]
        second = (
            f"The median {soon} pays back (undiscounted) in {_months_text(paybacks[soon])}, "
            f"{_months_text(months_sooner)} sooner than the median {late}."
        )
    names = {r.credential.id: r for r in results}
    best = "; ".join(
        f"{names[g.best].credential.name} ({money(names[g.best].npv, currency)}) among {_plural(g.group)}"
        for g in ranked
        if g.best in names
    )
    return {
        "winner": top.group if top.median_npv > 0 else None,
        "margin": margin,
        "close_call": close,
        "median_npv": {g.group: g.median_npv for g in ranked},
        "sooner": sooner,
        "months_sooner": months_sooner,
        "best": {g.group: g.best for g in ranked},
        "compared": len(results),
        "text": f"{first} {second} Best of each: {best}.",
    }


def _years(value: float) -> str:
    return f"{number(value)} year" + ("" if value == 1 else "s")


def _months_text(value: float) -> str:
    return f"{number(value, digits=1)} months"


def median_payback(results: Sequence[engine.Evaluation]) -> float:
    """The median payback month, counting "never" as infinitely late."""
    values = [math.inf if r.payback_months is None else float(r.payback_months) for r in results]
    return engine.median(values) if values else math.inf


def _plural(kind: str) -> str:
    return kind + "s"


def list_document(entries: Sequence[Entry], currency: str, *, width: int = 80) -> Document:
    """``list``: id, name, kind, fields, expected direct cost and study weeks of each entry."""
    base = profile_model.Profile()
    records = []
    for e in entries:
        d = engine.derive(e.to_credential(), base)
        records.append(
            {
                "id": e.id,
                "name": e.name,
                "issuer": e.issuer,
                "kind": e.kind,
                "fields": list(e.fields),
                "level": e.level,
                "direct_cost": d.direct_cost,
                "study_weeks": e.study.weeks,
                "study_hours": d.study_hours,
                "validity_years": e.validity_years,
                "as_of": e.as_of,
            }
        )
    cols = [
        Column("id", "ID", str, justify="left"),
        Column("name", "Name", str, justify="left", flex=True),
        Column("kind", "Kind", lambda k: KIND_SHORT.get(k, k), justify="left"),
        Column("fields", "Fields", ", ".join, justify="left", max_width=20),
        Column("direct_cost", "Cost", partial(money, currency=currency)),
        Column("study_weeks", "Weeks", weeks),
    ]
    if width < 100:
        cols.pop(1)  # the name does not fit beside the id on a narrow terminal
    caption = "Cost: expected direct cost at the reference pace, retakes included (no time cost)."
    views: list[Table | str] = [Table(cols, records, title=f"{len(records)} credentials", caption=caption)]
    return Document(payload={"credentials": records}, records=records, views=views)


def show_document(entry: Entry, profile: profile_model.Profile, currency: str) -> Document:
    """``show``: every input, derived value and metric of one credential, and its sources."""
    cred = entry.to_credential()
    result = engine.evaluate(cred, profile)
    record = result.as_dict()
    scenarios = []
    for s in profile_model.SCENARIOS:
        alt = result if s == profile.scenario else engine.evaluate(cred, _with_scenario(profile, s))
        scenarios.append(
            {
                "scenario": s,
                "uplift": cred.uplift(s),
                **({"target_pay": profile.target_pay(s)} if profile.goal == "switch" else {}),
                "npv": alt.npv,
                "roi": alt.roi,
                "payback_months": alt.payback_months,
                "irr": alt.irr,
            }
        )
    payload = {
        "profile": profile.as_dict(),
        "results": [record],
        "entry": entry.model_dump(mode="json"),
        "scenarios": scenarios,
    }
    cur = partial(money, currency=currency)
    d = result.derived
    inputs = [
        ("issuer", entry.issuer),
        ("kind", entry.kind + (f", {entry.level}" if entry.level else "")),
        ("fields", ", ".join(entry.fields)),
        ("exam fee", f"{cur(entry.cost.exam_fee)} an attempt"),
        ("training", cur(entry.cost.training)),
        ("materials", cur(entry.cost.materials)),
        ("subscription", f"{cur(entry.cost.subscription_monthly)} a month"),
        ("study", f"{weeks(entry.study.weeks)} at {number(entry.study.hours_per_week)} h/wk"),
        ("pass rate", percent(entry.pass_rate)),
        ("validity", "never expires" if entry.validity_years is None else _years(entry.validity_years)),
        ("renewal cost", cur(entry.renewal_cost)),
        ("recognition", percent(entry.recognition)),
        (
            "salary uplift",
            f"{percent(entry.salary_uplift.low, 1)} / {percent(entry.salary_uplift.typical, 1)} / "
            f"{percent(entry.salary_uplift.high, 1)} (low / typical / high)",
        ),
        (
            "experience asked",
            "none stated" if entry.experience_years is None else f"{number(entry.experience_years)} years",
        ),
        ("requires", ", ".join(entry.requires) or "nothing"),
        ("figures as of", entry.as_of or "not stated"),
    ]
    derived = [
        ("study hours", f"{number(d.study_hours, 1)} h"),
        ("weeks at your pace", weeks(d.study_weeks)),
        ("study months", f"{d.study_months} mo"),
        ("expected attempts", number(d.expected_attempts)),
        ("direct cost", cur(d.direct_cost)),
        ("out of pocket", cur(d.out_of_pocket)),
        ("time cost", cur(d.time_cost)),
        ("investment", cur(d.investment)),
        ("annual benefit (first year, after tax)", cur(d.annual_benefit)),
    ]
    metrics = [
        ("NPV", cur(result.npv)),
        ("ROI (undiscounted)", percent(result.roi)),
        ("payback (undiscounted)", months(result.payback_months, never="not within the horizon")),
        ("discounted payback", months(result.discounted_payback_months, never="not within the horizon")),
        ("IRR (annual)", _irr_text(result)),
        ("MIRR (annual)", percent(result.mirr, 1)),
        (f"break-even {_gain_word(profile)}", per_year(result.break_even_uplift, currency)),
        ("break-even recognition", _recognition_text(result.break_even_recognition)),
        ("eligible", _eligible_text(result, profile)),
    ]
    if entry.estimates:
        inputs.append(("estimates (no source)", ", ".join(entry.estimates)))
    scenarios_table = Table(
        [
            Column("scenario", "Scenario", str, justify="left"),
            Column("target_pay", "Target pay", cur)
            if profile.goal == "switch"
            else Column("uplift", "Uplift", partial(percent, digits=1)),
            Column("npv", "NPV", cur, best="max"),
            Column("roi", "ROI", percent),
            Column("payback_months", "Payback", months),
            Column("irr", "IRR", partial(percent, digits=1)),
        ],
        scenarios,
        title="Scenarios",
    )
    views: list[Table | str] = [  # the answer first, then what it rests on
        f"{entry.name} ({entry.id}): {_answer_line(result, profile, currency)}",
        _pairs("Metrics", metrics),
        break_even_sentence(result, profile, currency) + " " + profile_caption(profile, currency),
        scenarios_table,
        _pairs("Inputs", inputs),
        _pairs("Derived", derived),
        Table(
            [
                Column("title", "Source", str, justify="left", flex=True),
                Column("year", "Year", str),
                Column("evidence", "Evidence", str, justify="left"),
            ],
            [s.model_dump() for s in entry.sources],
            title="Sources",
            caption="URLs and the figures each source supports: --format json.",
        ),
    ]
    if entry.notes:
        views.append("Notes: " + entry.notes)
    return Document(payload=payload, records=[record], views=views)


def _answer_line(result: engine.Evaluation, profile: profile_model.Profile, currency: str) -> str:
    """One sentence: what the credential is worth to this person, for what, and when it pays back."""
    cur = partial(money, currency=currency)
    worth = f"worth {cur(result.npv)} today (NPV over {number(profile.horizon_years)} years)"
    cost = f"for {cur(result.derived.investment)} invested"
    back = months(result.payback_months, never="")
    when = f", paying back in {back}" if back else ", not paying back within the horizon"
    return f"{worth} {cost}{when}."


def break_even_sentence(result: engine.Evaluation, profile: profile_model.Profile, currency: str) -> str:
    """The break-even gain (and, where there is a gain, the break-even recognition) in words."""
    horizon = number(profile.horizon_years)
    gain = _gain_word(profile)
    if result.break_even_uplift is None:
        return f"No {gain} can break even (NPV >= 0) within {horizon} years: no benefit falls inside the horizon."
    text = (
        f"Needs a {gain} of at least {money(result.break_even_uplift, currency)} a year "
        f"to break even (NPV >= 0) within {horizon} years."
    )
    rec = result.break_even_recognition
    if rec is not None:
        expected = f"At the expected {gain} of {money(result.derived.gross_uplift, currency)} a year"
        chance = "the move happens" if profile.goal == "switch" else "employers reward it"
        if rec <= 1.0:
            text += (
                f" {expected} it breaks even if the chance that {chance} is at least "
                f"{percent(rec)} (the catalog's recognition: {percent(result.credential.recognition)})."
            )
        else:
            text += f" {expected} no recognition is enough (it would take {percent(rec)})."
    return text


def _irr_text(result: engine.Evaluation) -> str:
    if result.irr is None and result.irr_roots > 1:
        return "several rates solve the NPV (see MIRR)"
    return percent(result.irr, 1)


def _recognition_text(value: float | None) -> str:
    if value is None:
        return "n/a (no gain to recognise)"
    return percent(value, 1) + (" (more than certain: never)" if value > 1.0 else "")


def _eligible_text(result: engine.Evaluation, profile: profile_model.Profile) -> str:
    if result.eligible is None:
        return "not checked (give --experience-years)"
    if result.eligible:
        return "yes"
    return f"no: {needs_text(result.credential)}"


def _pairs(title: str, pairs: Sequence[tuple[str, str]]) -> Table:
    rows = [{"k": k, "v": v} for k, v in pairs]
    cols = [Column("k", "", str, justify="left"), Column("v", "", str, justify="left", flex=True)]
    return Table(cols, rows, title=title, header=False)


def _with_scenario(profile: profile_model.Profile, scenario: profile_model.Scenario) -> profile_model.Profile:
    return profile.replace(scenario=scenario)


def validate_document(errors: Sequence[Problem], warnings: Sequence[Problem]) -> Document:
    """``catalog validate``: every problem as ``path:LINE: loc: message``; JSON ``{"errors", "warnings"}``."""
    payload = {"errors": [p.as_dict() for p in errors], "warnings": [p.as_dict() for p in warnings]}
    records = [{"severity": "error", **p.as_dict()} for p in errors]
    records += [{"severity": "warning", **p.as_dict()} for p in warnings]
    lines = [str(p) for p in errors] + [_warning_line(p) for p in sorted(warnings, key=_by_place)]
    return Document(payload=payload, records=records, views=[Verbatim("\n".join(lines))] if lines else [])


def _by_place(p: Problem) -> tuple[str, int]:
    return (p.path, p.line or 0)


def _warning_line(p: Problem) -> str:
    where = f"{p.path}:{p.line}" if p.line is not None else p.path
    return f"{where}: warning: {p.loc}: {p.message}" if p.loc else f"{where}: warning: {p.message}"


def profile_document(profile: profile_model.Profile, sources: dict[str, str]) -> Document:
    """``profile show``: each profile key, its effective value and where it comes from."""
    values = profile.as_dict()
    records = [{"key": key, "value": value, "source": sources.get(key, "default")} for key, value in values.items()]
    payload = {"profile": values, "sources": {r["key"]: r["source"] for r in records}}
    shown = []
    for key, value in values.items():
        default_text, source = profile_model.SETTINGS[key].spec.default_text, sources.get(key, "default")
        if value is None:
            text = str(default_text)
        elif isinstance(value, str):
            text = value
        elif default_text is not None and source == "default":
            text = f"{number(float(str(value)), digits=2)} ({default_text})"
        else:
            text = number(float(str(value)), digits=4)
        shown.append({"key": key, "value": text, "source": source})
    columns = [
        Column("key", "Key", str, justify="left"),
        Column("value", "Value", str, justify="left"),
        Column("source", "From", str, justify="left", flex=True),
    ]
    caption = "Precedence: options, then CREDROI_* environment variables, then the profile file, then defaults."
    return Document(
        payload=payload, records=records, views=[Table(columns, shown, title="Effective profile", caption=caption)]
    )


def _analysis() -> Any:
    """The analysis module, imported when a document needs flow tables (compare never does)."""
    from credroi.model import analysis

    return analysis


_BY_TITLE = {"npv": "NPV", "roi": "ROI", "payback": "payback", "irr": "IRR", "break-even": "break-even raise"}


def rank_document(
    results: Sequence[engine.Evaluation],
    total: int,
    profile: profile_model.Profile,
    currency: str,
    *,
    by: str,
    filters: Sequence[str],
    width: int = 80,
    left_out: int = 0,
) -> Document:
    """``rank``: the best credentials by ``by`` after the filters; JSON ``{"profile", "results"}``.

    ``left_out`` credentials were left out because the person is not eligible for them yet.
    """
    records = [r.as_dict() for r in results]
    payload = {"profile": profile.as_dict(), "results": records}
    kept = f"{len(results)} of {total} credentials" if filters or len(results) != total else f"{total} credentials"
    title = f"{kept} by {_BY_TITLE.get(by, by)}"
    if filters:
        title += " (" + ", ".join(filters) + ")"
    caption = (
        f"{profile_caption(profile, currency)} * = best in column. ¹ Undiscounted.{_ineligible_note(results)}"
        " Details: `credroi show ID`."
    )
    if any(f.startswith("out of pocket") for f in filters):
        caption += " Invest counts study time too; the budget applies to the money alone (out of pocket)."
    if left_out:
        caption += f" {left_out_text(left_out)}"
    views: list[Table | Verbatim | str] = []
    if results:
        views.append(results_table(results, currency, title, caption, width=width))
    else:
        views.append("No credential passes these filters." + (f" {left_out_text(left_out)}" if left_out else ""))
    return Document(payload=payload, records=records, views=views)


# --- groups ------------------------------------------------------------------------------


def groups_document(
    groups: Sequence[engine.GroupStats],
    results: Sequence[engine.Evaluation],
    profile: profile_model.Profile,
    currency: str,
    *,
    by: str,
) -> Document:
    """``compare --by kind|field``: docs/model.md's groups document, and a verdict for kinds."""
    records = [g.as_dict() for g in groups]
    payload: dict[str, Any] = {"profile": profile.as_dict(), "groups": records}
    views: list[Table | Verbatim | str] = []
    if by == "kind":
        views.append(groups_table(groups, currency))
        if len(groups) > 1:
            data = verdict_data(groups, _verdict_scope(results, profile), profile, currency)
            payload["verdict"] = data
            views.append(data["text"])
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
            f"{profile_caption(profile, currency)} Medians over the credentials tagged with each "
            "field (a credential with two tags counts in both); Best = the highest NPV."
        )
        names = {r.credential.id: r.credential.name for r in results}
        rows = [{**g, "best": names.get(str(g["best"]), g["best"])} for g in records]
        views.append(Table(columns, rows, title=f"{len(groups)} fields by median NPV", caption=caption))
    return Document(payload=payload, records=records, views=views)


# --- simulate ----------------------------------------------------------------------------


def simulate_document(sims: Sequence[Simulation], profile: profile_model.Profile, currency: str) -> Document:
    """``simulate``: docs/model.md's simulation document; a table of P(NPV > 0) and the percentiles."""
    records = [s.as_dict() for s in sims]
    payload = {"profile": profile.as_dict(), "results": records}
    cur = partial(money, currency=currency)
    rows = [
        {**r, "name": s.credential.name, "kind": KIND_SHORT.get(s.credential.kind)}
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
    drawn = (
        "the target pay ~ triangular(the role's low, typical, high) or your --target-salary, the move happens"
        if profile.goal == "switch"
        else "uplift ~ triangular(low, typical, high), employers reward it"
    )
    caption = (
        f"{profile_caption(profile, currency)} {draws:,} draws, seed {seed}: {drawn} with probability = "
        "recognition, attempts ~ geometric(pass rate). P10/P90: 1 in 10 draws falls below/above."
    )
    noun = "credential" if len(sims) == 1 else "credentials"
    title = f"{len(sims)} {noun}: P(NPV > 0), the odds of breaking even within {number(profile.horizon_years)} years"
    return Document(payload=payload, records=records, views=[Table(columns, rows, title=title, caption=caption)])


# --- sensitivity ---------------------------------------------------------------------------


def input_value(name: str, value: float, currency: str) -> str:
    """An analysis input's value in its unit: 7.7%, $150, $20/h, 64 h, 5 yr, 3 mo."""
    unit = _analysis().UNITS[name.rsplit(".", 1)[-1]]
    if unit in ("rate", "share"):
        return number(100.0 * value, digits=1) + "%"
    if unit in ("money", "money/h"):
        return money(value, currency) + ("/h" if unit == "money/h" else "")
    if unit == "h":
        return f"{number(value, digits=0 if value >= 10 else 1)} h"
    if unit == "years":
        return f"{number(value, digits=2)} yr"
    if unit == "months":
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
    result: engine.Evaluation, swings: Sequence[Swing], profile: profile_model.Profile, currency: str
) -> Document:
    """``sensitivity ID``: docs/model.md's document; a table with a tornado bar for each input."""
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
        f"{profile_caption(profile, currency)} Each input moves alone: the uplift over its low "
        "and high scenarios, the lag 3 months each way, the rest ±20 %. Bars: NPV below (left) and "
        "above (right) the base, widest swing first."
    )
    title = f"What moves the NPV of {cred.name} (now {money(result.npv, currency)})"
    views: list[Table | Verbatim | str] = [
        Table(columns, rows, title=title, caption=caption),
        break_even_sentence(result, profile, currency),
    ]
    return Document(payload=payload, records=records, views=views)


# --- flip -----------------------------------------------------------------------------------


def flip_document(
    a: engine.Evaluation, b: engine.Evaluation, flips: Sequence[Flip], profile: profile_model.Profile, currency: str
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
        f"{profile_caption(profile, currency)} Each input moves alone; shared inputs move for "
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
    profile: profile_model.Profile,
    currency: str,
    *,
    monthly: bool,
    chart: str | None = None,
) -> Document:
    """``explain ID...``: year-by-year (or monthly) cash flows with the payback marked.

    JSON is always monthly, as docs/model.md: ``{"profile", "id", "flows"}`` for one id, and
    ``{"profile", "explanations": [{"id", "flows"}, ...]}`` for several.
    """
    per_id = [(r, _analysis().monthly_flows(r, profile)) for r in results]
    explanations = [{"id": r.credential.id, "flows": [row.as_dict() for row in rows]} for r, rows in per_id]
    if len(explanations) == 1:
        payload: dict[str, Any] = {"profile": profile.as_dict(), **explanations[0]}
    else:
        payload = {"profile": profile.as_dict(), "explanations": explanations}
    records = [{"id": r.credential.id, **row.as_dict()} for r, rows in per_id for row in rows]
    views: list[Table | Verbatim | str] = []
    cur = partial(money, currency=currency)
    for result, rows in per_id:
        shown = rows if monthly else _analysis().yearly_flows(rows)
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
            f"(these sum to the NPV). {break_even_sentence(result, profile, currency)}"
        )
        views.append(Table(columns, table_rows, title=title, caption=caption))
    if chart:
        views.append(Verbatim(chart))
    return Document(payload=payload, records=records, views=views)


def _payback_mark(payback: int | None) -> str:
    if payback is None:
        return ""
    return "◀ payback" if payback == 0 else f"◀ payback (month {payback})"


# --- roles ---------------------------------------------------------------------------------


def roles_document(roles: Sequence[profile_model.Role], currency: str, *, width: int = 80) -> Document:
    """``roles``: each role's id, name, SOC code, pay and experience (JSON: docs/model.md, "roles")."""
    records = [role.as_dict() for role in roles]
    cur = partial(money, currency=currency)
    cols = [
        Column("id", "ID", str, justify="left"),
        Column("name", "Name", str, justify="left", flex=True),
        Column("soc", "SOC", _or_na, justify="left"),
        Column("salary_low", "25th pct", cur),
        Column("salary_typical", "Median", cur),
        Column("salary_high", "75th pct", cur),
        Column("experience_years", "Exp.", _years_or_na),
    ]
    if width < 100:
        cols.pop(1)  # the name does not fit beside the id on a narrow terminal
    caption = (
        "Pay a year in the role: 25th percentile, median and 75th percentile (where a source gives only the "
        "median, all three are the median). Exp.: years of experience the role usually asks of a newcomer."
    )
    title = f"{len(records)} role" + ("" if len(records) == 1 else "s")
    views: list[Table | str] = [Table(cols, records, title=title, caption=caption)]
    if not records:
        views = ["The catalog has no roles."]
    return Document(payload={"roles": records}, records=records, views=views)


def _or_na(value: str | None) -> str:
    return "n/a" if value is None else value


def _years_or_na(value: float | None) -> str:
    return "n/a" if value is None else number(value, 1)


# --- plan ----------------------------------------------------------------------------------


def no_plan_text(binding: str) -> str:
    """What ``plan`` says when the limits leave no plan: ``no plan fits: <the binding limit>``."""
    return f"no plan fits: {binding}"


def plan_left_out_text(count: int) -> str:
    """The sentence that says how many candidates a plan could not hold because they ask more experience."""
    these = "credential asks" if count == 1 else "credentials ask"
    return f"Left out: {count} {these} more experience than you have."


def plan_assumptions(profile: profile_model.Profile, overlap: float) -> str:
    """The plan model's assumptions in words (docs/model.md, "Plans")."""
    order = (
        "Assumptions: the credentials are studied one after another at your pace, prerequisites first, each "
        "starting the month the one before it is earned; each has its own costs, renewals and gain, counted "
        "from its own start and discounted to the plan's start."
    )
    if profile.goal == "switch":
        return (
            f"{order} Only credentials that prepare for {profile.target_role} bring the move, and a later one "
            "brings it only if no earlier one already has (its gain is weighted by 1 - recognition of each earlier "
            "one that prepares for the role)."
        )
    return (
        f"{order} A credential that shares a field with an earlier one adds {percent(overlap)} of its raise for "
        "each such earlier one (--overlap): a second credential in the same field adds less."
    )


def plan_document(
    plan: Plan | None,
    profile: profile_model.Profile,
    currency: str,
    *,
    limits: PlanLimits,
    single: engine.Evaluation | None,
    binding: str | None = None,
    filters: Sequence[str] = (),
    candidates: int = 0,
    left_out: int = 0,
    chart: str | None = None,
) -> Document:
    """``plan``: the best sequence of credentials; JSON ``{"profile", "plan"}`` (``"plan": null`` when none fits).

    ``single`` is the best single credential within the same limits (the plan is set against it);
    ``binding`` says which limit leaves no plan; ``left_out`` candidates ask more experience than the
    person has.
    """
    payload = {"profile": profile.as_dict(), "plan": plan.as_dict() if plan is not None else None}
    cur = partial(money, currency=currency)
    horizon = number(profile.horizon_years)
    left = f" {plan_left_out_text(left_out)}" if left_out else ""
    if plan is None:
        text = no_plan_text(binding or "the limits leave no credential to plan")
        return Document(payload=payload, records=[], views=[text + ("." if left else "") + left])
    records: list[dict[str, Any]] = []
    total = 0.0
    for order, item in enumerate(plan.items, start=1):
        total += item.npv
        cred = item.credential
        records.append(
            {
                "order": order,
                "id": cred.id,
                "name": cred.name,
                "start_month": item.start_month,
                "study_weeks": item.study_weeks,
                "out_of_pocket": item.out_of_pocket,
                "npv": item.npv,
                "cumulative_npv": total,
            }
        )
    columns = [
        Column("order", "Order", str),
        Column("name", "Credential", str, justify="left", flex=True),
        Column("start_month", "Start month", str),
        Column("study_weeks", "Weeks", partial(number, digits=1)),
        Column("out_of_pocket", "Out of pocket", cur),
        Column("npv", "NPV", cur),
        Column("cumulative_npv", "Cumulative NPV", cur),
    ]
    noun = "credential" if limits.max_credentials == 1 else "credentials"
    title = f"The best plan of up to {limits.max_credentials} {noun} of {candidates}"
    if filters:
        title += " (" + ", ".join(filters) + ")"
    caption = (
        f"{profile_caption(profile, currency)} Weeks at your pace. NPV: each credential's part of the plan's "
        "NPV over the horizon from the plan's start; Cumulative NPV: the plan's so far."
    )
    totals = (
        f"{cur(plan.investment)} invested (money and study time), {cur(plan.out_of_pocket)} of it out of pocket, "
        f"{number(plan.study_weeks, 1)} weeks of study over {plan.months} months."
    )
    if plan.npv < 0:
        summary = (
            f"No plan within these limits pays back within {horizon} years: this one, the best of them, loses "
            f"{cur(-plan.npv)} (NPV {cur(plan.npv)}). Over {horizon} years: {totals}"
        )
    else:
        summary = f"Plan NPV {cur(plan.npv)} over {horizon} years: {totals}"
    if single is not None:
        name = single.credential.name
        if limits.max_credentials == 1:
            summary += f" {name} is the best single credential within these limits."
        elif [item.credential.id for item in plan.items] == [single.credential.id]:
            summary += f" The plan is {name} alone: no further credential adds to its NPV within these limits."
        else:
            summary += (
                f" The plan adds {cur(plan.npv - single.npv)} over {name} alone ({cur(single.npv)}), "
                "the best single credential within the same limits."
            )
    views: list[Table | Verbatim | str] = [
        Table(columns, records, title=title, caption=caption),
        summary,
        plan_assumptions(profile, limits.overlap) + left,
    ]
    if chart:
        views.append(Verbatim(chart))
    return Document(payload=payload, records=records, views=views)
