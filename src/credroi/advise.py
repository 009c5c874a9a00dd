"""Advice for one person: the best credential and plan, the verdict by kind, the odds, what would change it.

:func:`build_advice` runs the engine's own pieces (rank, plan, simulation, sensitivity, flip
points) for a profile and the person's limits, and returns one JSON-ready payload. Everything
people see of advice is made from that payload alone: :func:`advice_document` for ``credroi
advise``, and :mod:`credroi.report` for the HTML and Markdown report (which can also read the
payload back from a file written by ``advise --format json``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from credroi import documents
from credroi.model import engine
from credroi.render import Column, Document, Table, Verbatim, money, number, percent

if TYPE_CHECKING:
    from credroi.catalog import Catalog
    from credroi.model.analysis import Flip
    from credroi.model.plan import Plan
    from credroi.model.profile import Profile

ADVICE_FORMAT = "credroi-advice/1"
"""The ``format`` key of an advice payload: what ``report --from-advice`` accepts."""

TOP_CHOICES = 5
"""How many single credentials the advice ranks."""

TORNADO_INPUTS = 8
"""How many inputs the report's tornado shows (the widest swings)."""

DRAWS = 10_000
SEED = 2026

CHANGE_WORDS = {
    "uplift": ("the raise {name} brings", "Raise"),
    "recognition": ("the chance that {name} pays off", "Recognition"),
    "exam_fee": ("the exam fee of {name}", "Exam fee"),
    "training": ("the training cost of {name}", "Training cost"),
    "study_hours": ("the study hours of {name}", "Study hours"),
    "pass_rate": ("the pass rate of {name}", "Pass rate"),
}
"""A credential's own analysis inputs: in a sentence, and as a chart label (the profile's: :data:`PROFILE_WORDS`)."""

FIGURE_WORDS = {
    "cost": "costs",
    "study": "study time",
    "study.weeks": "study weeks",
    "study.hours_per_week": "study hours a week",
    "salary_uplift": "raise",
}
"""Catalog figures in words where their key does not read as words (the rest: dots and underscores as spaces)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What the person asked the advice to respect beyond the profile: a budget and fields of interest."""

    budget: float | None = None
    """Most money out of pocket, for one credential and for the whole plan."""
    fields: tuple[str, ...] = ()
    """Only credentials tagged with one of these (none: every field)."""

    def as_dict(self) -> dict[str, object]:
        return {"budget": self.budget, "fields": list(self.fields)}

    def words(self, currency: str) -> str:
        """The limits in words for a sentence, empty when there are none."""
        parts = []
        if self.fields:
            parts.append("in " + ", ".join(self.fields))
        if self.budget is not None:
            parts.append(f"within {money(self.budget, currency)} out of pocket")
        return " ".join(parts)


def aim_text(profile: Profile) -> str:
    """The goal in words: a raise where you work, or a move into the target role."""
    if engine.switching(profile) and profile.role is not None:
        return f"a move into {profile.role.name} ({profile.role.id})"
    return "a raise where you work"


def build_advice(catalog: Catalog, profile: Profile, limits: Limits, *, today: str, version: str) -> dict[str, Any]:
    """The advice payload for ``profile`` (its target role already looked up) within ``limits``.

    ``today`` (``YYYY-MM-DD``) and ``version`` are recorded in the payload for the report.
    """
    from credroi.model import analysis
    from credroi.model import plan as plans
    from credroi.model import simulate as sim

    currency = catalog.currency
    keep = analysis.RankFilter(fields=limits.fields, budget=limits.budget)
    creds = [c for c in catalog.credentials() if keep.keeps_credential(c)]
    left_out = analysis.ineligible_count(creds, profile)
    considered = analysis.rank(creds, profile, keep=keep)
    useful = _useful(considered, profile)
    top = useful[:TOP_CHOICES]
    best = top[0] if top else None
    plan = plans.best_plan(creds, profile, plans.PlanLimits(budget=limits.budget))
    ids = list(dict.fromkeys([r.credential.id for r in top] + _plan_ids(plan)))
    odds = sim.simulate(best.credential, profile, draws=DRAWS, seed=SEED) if best is not None else None
    groups = engine.groups_by_kind(useful)  # rank left out what the person is not eligible for
    verdict = documents.verdict_data(groups, useful, profile, currency) if len(groups) > 1 else None
    rival = _rival(best, useful, verdict)
    flips = analysis.flip_points(best.credential, rival.credential, profile) if best and rival else []
    swings = analysis.sensitivity(best.credential, profile) if best is not None else []
    payload: dict[str, Any] = {
        "format": ADVICE_FORMAT,
        "credroi_version": version,
        "date": today,
        "currency": currency,
        "person": documents.profile_caption(profile, currency).removeprefix("Profile: "),
        "aim": {
            "switch": engine.switching(profile),
            "role": profile.role.as_dict() if engine.switching(profile) and profile.role else None,
            "text": aim_text(profile),
        },
        "limits": limits.as_dict(),
        "considered": len(considered),
        "useful": len(useful),
        "left_out": left_out,
        "best": _result(best) if best is not None else None,
        "odds": odds.as_dict() if odds is not None else None,
        "top": [_result(r) for r in top],
        "plan": _plan(plan, profile, best, currency),
        "verdict": _verdict(verdict, groups),
        "change": _change(best, rival, flips, profile, currency),
        "estimates": _estimates(catalog, ids),
        "sources": _sources(catalog, ids, profile),
        "chart": _chart(best, plan, profile),
        "tornado": {
            "id": best.credential.id if best else None,
            "name": best.credential.name if best else None,
            "npv": best.npv if best else None,
            "inputs": [
                {
                    **s.as_dict(),
                    "label": _input_label(s.input),
                    "range": _range(s.input, s.low_value, s.high_value, currency),
                }
                for s in swings[:TORNADO_INPUTS]
            ],
        },
        "assumptions": _assumptions(profile, currency),
    }
    payload["summary"] = summary_sentences(payload)
    return {"profile": profile.as_dict(), "advice": payload}


def _useful(results: Sequence[engine.Evaluation], profile: Profile) -> list[engine.Evaluation]:
    """The choices worth naming: under a switch only credentials that prepare for the role bring the move."""
    if not engine.switching(profile):
        return list(results)
    return [r for r in results if engine.prepares(r.credential, profile)]


def _plan_ids(plan: Plan | None) -> list[str]:
    return [item.credential.id for item in plan.items] if plan is not None else []


def _rival(
    best: engine.Evaluation | None, useful: Sequence[engine.Evaluation], verdict: dict[str, Any] | None
) -> engine.Evaluation | None:
    """What the best choice is set against: the best of the other kind, else the runner-up."""
    if best is None:
        return None
    other = [r for r in useful if r.credential.kind != best.credential.kind]
    if other:
        return other[0]
    rest = [r for r in useful if r.credential.id != best.credential.id]
    return rest[0] if rest else None


def _result(result: engine.Evaluation) -> dict[str, Any]:
    cred = result.credential
    return {**result.as_dict(), "fields": list(cred.fields), "recognition": cred.recognition}


def _plan(plan: Plan | None, profile: Profile, best: engine.Evaluation | None, currency: str) -> dict[str, Any] | None:
    if plan is None:
        return None
    out = plan.as_dict()
    out["items"] = [
        {
            "id": item.credential.id,
            "name": item.credential.name,
            "kind": item.credential.kind,
            "start_month": item.start_month,
            "study_weeks": item.study_weeks,
            "out_of_pocket": item.out_of_pocket,
            "npv": item.npv,
        }
        for item in plan.items
    ]
    alone = best is not None and _plan_ids(plan) == [best.credential.id]
    if alone:
        extra = "no further credential adds to its NPV within your limits"
    elif best is not None:
        extra = f"it adds {money(plan.npv - best.npv, currency)} over {best.credential.name} alone"
    else:
        extra = ""
    names = " → ".join(item.credential.name for item in plan.items)
    horizon = number(profile.months / 12.0)
    out["text"] = (
        f"Best plan: {names}, NPV {money(plan.npv, currency)} over {horizon} years for "
        f"{money(plan.out_of_pocket, currency)} out of pocket and {number(plan.study_weeks, 1)} weeks of study"
        + (f"; {extra}." if extra else ".")
    )
    return out


def _verdict(verdict: dict[str, Any] | None, groups: Sequence[engine.GroupStats]) -> dict[str, Any]:
    if verdict is None:
        kinds = ", ".join(sorted(g.group + "s" for g in groups)) or "no credentials"
        return {
            "winner": None,
            "groups": [g.as_dict() for g in groups],
            "text": f"No verdict by kind: among the credentials that fit, there are only {kinds}.",
        }
    return {**verdict, "groups": [g.as_dict() for g in groups]}


def _gain_words(profile: Profile) -> tuple[str, str]:
    """(the gain, the chance) in words for the goal."""
    if engine.switching(profile):
        return "pay rise from the move", "your chance of landing the role"
    return "raise", "the chance that employers reward it"


def _change(
    best: engine.Evaluation | None,
    rival: engine.Evaluation | None,
    flips: Sequence[Flip],
    profile: Profile,
    currency: str,
) -> list[dict[str, Any]]:
    """What would change the answer, in words: the break-even recognition and gain, and the nearest flip point."""
    if best is None:
        return []
    name = best.credential.name
    gain, chance = _gain_words(profile)
    out: list[dict[str, Any]] = []
    rec = best.break_even_recognition
    if rec is not None:
        if rec <= 1.0:
            condition = (
                f"it raises {chance} by at least {percent(rec)}"
                if engine.switching(profile)
                else f"{chance} is at least {percent(rec)}"
            )
            text = (
                f"{name} pays (NPV >= 0) if {condition}; the catalog puts that chance at "
                f"{percent(best.credential.recognition)}."
            )
        else:
            text = f"{name} cannot pay within the horizon at its expected {gain}, however likely it is."
        out.append({"kind": "break_even_recognition", "value": rec, "text": text})
    if best.break_even_uplift is not None:
        text = (
            f"It pays if the {gain} is at least {money(best.break_even_uplift, currency)} a year "
            f"(expected: {money(best.derived.gross_uplift, currency)})."
        )
        out.append({"kind": "break_even_uplift", "value": best.break_even_uplift, "text": text})
    flip = _nearest_flip(flips)
    if rival is not None and flip is not None and flip.flip_value is not None:
        lead, trail = (best, rival) if best.npv >= rival.npv else (rival, best)
        what = _input_words(flip.input, best, rival)
        verb = "falls" if flip.flip_value < flip.current else "rises"
        text = (
            f"{lead.credential.name} stays ahead of {trail.credential.name} unless {what} {verb} from "
            f"{documents.input_value(flip.input, flip.current, currency)} to "
            f"{documents.input_value(flip.input, flip.flip_value, currency)}."
        )
        out.append(
            {"kind": "flip", "input": flip.input, "current": flip.current, "value": flip.flip_value, "text": text}
        )
    elif rival is not None:
        text = f"No single input within its range puts {rival.credential.name} ahead of {name}."
        out.append({"kind": "flip", "input": None, "current": None, "value": None, "text": text})
    return out


def _nearest_flip(flips: Sequence[Flip]) -> Flip | None:
    """The flip point nearest today's value, as a share of the range searched."""
    found = [f for f in flips if f.flip_value is not None and f.high > f.low]
    if not found:
        return None
    return min(found, key=lambda f: (abs(f.flip_value - f.current) / (f.high - f.low), f.input))  # type: ignore[operator]


PROFILE_WORDS = {
    "--salary": "your salary",
    "--horizon": "your horizon",
    "--discount-rate": "the discount rate",
    "--salary-growth": "your salary growth",
    "--tax-rate": "your tax rate",
    "--time-value": "the value of a study hour",
    "--selection-adjustment": "the selection adjustment",
    "--lag-months": "the wait before the gain starts",
    "--target-salary": "the pay in the role",
}
"""The profile's analysis inputs in words, by option (the profile table names the fields)."""


def _input_words(name: str, best: engine.Evaluation, rival: engine.Evaluation) -> str:
    """An analysis input in words: ``the chance that it pays off for CompTIA A+``, ``your horizon``."""
    cred_id, _, own = name.rpartition(".")
    if cred_id:
        cred = best.credential if cred_id == best.credential.id else rival.credential
        sentence = CHANGE_WORDS[own][0] if own in CHANGE_WORDS else own.replace("_", " ") + " of {name}"
        return sentence.format(name=cred.name)
    from credroi.model.profile import SETTINGS

    setting = SETTINGS.get(name)
    if setting is None:
        return name.replace("_", " ")
    return PROFILE_WORDS.get(setting.option, setting.spec.help.rstrip(".").lower())


def _input_label(name: str) -> str:
    """An analysis input's name for a chart label: ``Raise``, ``Horizon``."""
    from credroi.model.profile import SETTINGS

    setting = SETTINGS.get(name)
    if setting is None:
        return CHANGE_WORDS[name][1] if name in CHANGE_WORDS else name.replace("_", " ").capitalize()
    text = PROFILE_WORDS.get(setting.option, name.replace("_", " "))
    for article in ("your ", "the "):
        text = text.removeprefix(article)
    return text[:1].upper() + text[1:]


def _range(name: str, low: float, high: float, currency: str) -> str:
    return f"{documents.input_value(name, low, currency)} to {documents.input_value(name, high, currency)}"


_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z(])")


def _estimate_sentences(notes: str | None) -> list[str]:
    """The sentences of an entry's notes that speak of an estimate."""
    return [s.strip() for s in _SENTENCE_END.split(notes or "") if "estimat" in s.lower()]


def _estimates(catalog: Catalog, ids: Sequence[str]) -> list[dict[str, Any]]:
    """For each credential named in the advice: the figures that are estimates, and why (the notes' words).

    An estimate is a figure the entry lists under ``estimates``, a source graded ``estimate`` (for
    the figures it ``supports``, or all of them), or a sentence of the notes that says so. Catalogs
    written before ``estimates`` and ``supports`` existed simply have none.
    """
    out = []
    for entry in catalog.select(list(ids)) if ids else []:
        graded = [s for s in entry.sources if s.evidence == "estimate"]
        figures = [*getattr(entry, "estimates", [])]
        figures += [f for s in graded for f in getattr(s, "supports", [])]
        notes = _estimate_sentences(entry.notes)
        if not (figures or graded or notes):
            continue
        out.append(
            {
                "id": entry.id,
                "name": entry.name,
                "figures": list(dict.fromkeys(figures)),
                "sources": [s.title for s in graded],
                "notes": notes,
            }
        )
    return out


def _sources(catalog: Catalog, ids: Sequence[str], profile: Profile) -> list[dict[str, Any]]:
    """Each named credential's sources (and the target role's), with evidence grade and year."""
    out = []
    for entry in catalog.select(list(ids)) if ids else []:
        out.append(
            {
                "id": entry.id,
                "name": entry.name,
                "as_of": entry.as_of,
                "sources": [s.model_dump() for s in entry.sources],
            }
        )
    role = profile.role if engine.switching(profile) else None
    if role is not None and role.id in catalog.roles:
        model = catalog.roles[role.id]
        out.append(
            {
                "id": role.id,
                "name": f"Role: {role.name}",
                "as_of": model.as_of,
                "sources": [s.model_dump() for s in model.sources],
            }
        )
    return out


def _chart(best: engine.Evaluation | None, plan: Plan | None, profile: Profile) -> dict[str, Any]:
    """The break-even chart's lines: cumulative net value, month 0 to N, of the best credential and the plan."""
    from credroi import chart

    lines: list[dict[str, Any]] = []
    if plan is not None:
        single = best if best is not None else None
        for s in chart.plan_series(plan, profile, single):
            lines.append({"label": s.label, "values": s.cumulative})
    elif best is not None:
        (s,) = chart.series([best])
        lines.append({"label": s.label, "values": s.cumulative})
    return {"months": profile.months, "lines": lines}


def _assumptions(profile: Profile, currency: str) -> list[str]:
    return [
        "Money is in today's money (real terms); the NPV discounts each month, the payback and ROI do not.",
        "Study time counts as a cost: each hour at the value shown in the profile (by default half your hourly wage).",
        "The raise or the move pays off with the catalog's recognition, the chance that employers reward the "
        "credential; the simulation draws that chance, the raise and the exam attempts 10,000 times.",
        documents.plan_assumptions(profile, 0.5),
    ]


# --- words and tables -----------------------------------------------------------------------------


def summary_sentences(advice: dict[str, Any]) -> list[str]:
    """The answer in plain words, from the payload alone."""
    cur = advice["currency"]
    best, odds, plan = advice["best"], advice["odds"], advice["plan"]
    limits = Limits(advice["limits"]["budget"], tuple(advice["limits"]["fields"]))
    where = limits.words(cur)
    fit = f"{advice['considered']} credentials fit"
    if advice["aim"]["switch"]:
        fit += f", {advice['useful']} of them prepare for the role"
    out = [f"For {advice['aim']['text']}" + (f", {where}" if where else "") + f" ({fit})."]
    if best is None:
        out.append("No credential fits these answers: widen the fields or the budget.")
        return out
    payback = best["payback_months"]
    pays = f"pays back in {payback} months" if payback is not None else "does not pay back within the horizon"
    out.append(
        f"Best single credential: {best['name']} ({best['kind']}), NPV {money(best['npv'], cur)} for "
        f"{money(best['investment'], cur)} invested ({money(best['out_of_pocket'], cur)} of it out of pocket, "
        f"{number(best['study_weeks'], 1)} weeks of study); it {pays}."
    )
    if odds is not None:
        out.append(
            f"How sure: it breaks even (NPV > 0) in {percent(odds['p_npv_positive'])} of {odds['draws']:,} "
            f"simulated futures; 1 in 10 ends below {money(odds['npv_p10'], cur)}, 1 in 10 above "
            f"{money(odds['npv_p90'], cur)}."
        )
    if plan is not None:
        out.append(plan["text"])
    out.append(advice["verdict"]["text"])
    return out


def _top_table(advice: dict[str, Any]) -> Table:
    cur = partial(money, currency=advice["currency"])
    columns = [
        Column("name", "Credential", str, justify="left", flex=True),
        Column("kind", "Kind", lambda k: documents.KIND_SHORT.get(k, k), justify="left"),
        Column("out_of_pocket", "Out of pocket", cur),
        Column("study_weeks", "Weeks", partial(number, digits=1)),
        Column("npv", "NPV", cur),
        Column("payback_months", "Payback", lambda m: "never" if m is None else f"{m} mo"),
    ]
    return Table(columns, advice["top"], title="Top choices by NPV")


def advice_document(payload: dict[str, Any]) -> Document:
    """``advise``: the answer in words with the numbers behind it; JSON is the payload itself."""
    advice = payload["advice"]
    views: list[Table | Verbatim | str] = [f"You: {advice['person']}", *advice["summary"]]
    if advice["top"]:
        views.append(_top_table(advice))
    if advice["change"]:
        views.append("What would change it: " + " ".join(c["text"] for c in advice["change"]))
    views.append(estimates_text(advice))
    records = [{"rank": i, **{k: r[k] for k in ("id", "name", "kind", "npv")}} for i, r in enumerate(advice["top"], 1)]
    return Document(payload=payload, records=records, views=views)


ESTIMATES_LEAD = "Estimates (the catalog's own, or from a source graded `estimate`)"


def estimate_lines(advice: dict[str, Any]) -> list[tuple[str, str]]:
    """(credential name, what is estimated and how) for each credential behind the advice that has estimates."""
    out = []
    for e in advice["estimates"]:
        figures = [FIGURE_WORDS.get(f, f.replace(".", " ").replace("_", " ")) for f in e["figures"]]
        said = [*(["estimated " + ", ".join(figures)] if figures else [])]
        said += [f"a source graded estimate ({title})" for title in e["sources"]]
        said += [note.rstrip(".;") for note in e["notes"]]
        out.append((e["name"], "; ".join(said)))
    return out


def estimates_text(advice: dict[str, Any]) -> str:
    """Which figures behind the advice are estimates, in one paragraph."""
    lines = estimate_lines(advice)
    if not lines:
        return "Estimates: none of the figures behind these choices is marked an estimate in the catalog."
    return f"{ESTIMATES_LEAD}: " + ". ".join(f"{name}: {text}" for name, text in lines) + "."


def is_finite(value: object) -> bool:
    """A JSON number that is a finite float (the report draws only those)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
