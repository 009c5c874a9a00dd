"""Decision analysis on top of the engine: rank, groups by field, sensitivity, flip points, cash-flow tables.

Pure like the engine: standard library only, no I/O. Every range and rule used here is written
down in docs/model.md ("Decision analysis").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import replace as _replace
from typing import Any, Literal

from credroi.model.engine import (
    Credential,
    Evaluation,
    GroupStats,
    evaluate,
    group_stats,
    npv_of,
    npv_scorer,
    uplift_of,
)
from credroi.model.profile import PROFILE_FIELDS, Profile, ProfileError, Setting

# --- rank ------------------------------------------------------------------------------

RankBy = Literal["npv", "roi", "payback", "irr", "break-even"]
RANK_BY: tuple[RankBy, ...] = ("npv", "roi", "payback", "irr", "break-even")


def _rank_key(by: RankBy) -> Callable[[Evaluation], tuple[object, ...]]:
    """Best first; a null metric (no payback, no IRR, ...) ranks last; ties by NPV, then id."""

    def key(e: Evaluation) -> tuple[object, ...]:
        value: float | None
        if by == "npv":
            return (-e.npv, e.credential.id)
        if by == "roi":
            value = None if e.roi is None else -e.roi
        elif by == "payback":
            value = None if e.payback_months is None else float(e.payback_months)
        elif by == "irr":
            value = None if e.irr is None else -e.irr
        else:
            value = e.break_even_uplift
        return (value is None, value if value is not None else 0.0, -e.npv, e.credential.id)

    return key


@dataclass(frozen=True, slots=True)
class RankFilter:
    """What ``rank`` keeps: kinds, fields (any of), level, a budget and a time limit."""

    kind: str | None = None
    fields: tuple[str, ...] = ()
    level: str | None = None
    budget: float | None = None
    """Largest out-of-pocket cost."""
    max_weeks: float | None = None
    """Most study weeks at the person's pace."""

    def keeps_credential(self, cred: Credential) -> bool:
        """The filters that need no evaluation."""
        if self.kind is not None and cred.kind != self.kind:
            return False
        if self.level is not None and cred.level != self.level:
            return False
        wanted = {f.lower() for f in self.fields}
        return not wanted or bool(wanted & {f.lower() for f in cred.fields})

    def keeps(self, result: Evaluation) -> bool:
        """The filters on money and time, which depend on the profile."""
        return self.keeps_amounts(result.derived.out_of_pocket, result.derived.study_weeks)

    def keeps_amounts(self, out_of_pocket: float, study_weeks: float) -> bool:
        """:meth:`keeps` from the money out of pocket and the study weeks at the person's pace."""
        if self.budget is not None and out_of_pocket > self.budget + 1e-9:
            return False
        return self.max_weeks is None or study_weeks <= self.max_weeks + 1e-9


def ineligible_count(creds: Iterable[Credential], profile: Profile, keep: RankFilter | None = None) -> int:
    """How many of ``creds`` that pass ``keep`` the person is not eligible for."""
    f = keep or RankFilter()
    return sum(1 for c in creds if f.keeps_credential(c) and profile.eligible(c.experience_required) is False)


def rank(
    creds: Iterable[Credential],
    profile: Profile,
    by: RankBy = "npv",
    keep: RankFilter | None = None,
    top: int | None = None,
    *,
    include_ineligible: bool = False,
) -> list[Evaluation]:
    """Evaluate the credentials that pass ``keep``, best first by ``by``, at most ``top`` of them.

    Credentials the person is not eligible for (not enough experience) are left out unless
    ``include_ineligible``; :func:`ineligible_count` says how many.
    """
    f = keep or RankFilter()
    candidates = [c for c in creds if f.keeps_credential(c)]
    if not include_ineligible:
        candidates = [c for c in candidates if profile.eligible(c.experience_required) is not False]
    if by == "npv" and top is not None:
        # NPV alone is a closed form: score everything, then evaluate fully only the top
        score = npv_scorer(profile)
        scored = []
        for c in candidates:
            value, out_of_pocket, weeks = score(c)
            if f.keeps_amounts(out_of_pocket, weeks):
                scored.append((-value, c.id, c))
        scored.sort(key=lambda item: (item[0], item[1]))
        candidates = [c for _, _, c in scored[:top]]
    results = [evaluate(c, profile) for c in candidates]
    results = [r for r in results if f.keeps(r)]
    results.sort(key=_rank_key(by))
    return results if top is None else results[:top]


# --- groups by field -------------------------------------------------------------------


def groups_by_field(results: Sequence[Evaluation]) -> list[GroupStats]:
    """Group statistics per field tag (an entry with two tags counts in both).

    Sorted by median NPV, highest first, then by name.
    """
    names = sorted({f for e in results for f in e.credential.fields})
    groups = [group_stats(f, [e for e in results if f in e.credential.fields]) for f in names]
    groups.sort(key=lambda g: (-g.median_npv, g.group))
    return groups


# --- sensitivity -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Swing:
    """NPV at both ends of one input's range."""

    input: str
    low_value: float
    high_value: float
    npv_low: float
    npv_high: float

    @property
    def width(self) -> float:
        """How far the NPV moves across the range."""
        return abs(self.npv_high - self.npv_low)

    def as_dict(self) -> dict[str, object]:
        """The input object of docs/model.md's sensitivity document."""
        return {
            "input": self.input,
            "low_value": self.low_value,
            "high_value": self.high_value,
            "npv_low": self.npv_low,
            "npv_high": self.npv_high,
        }


Setter = Callable[[Credential, Profile, float], tuple[Credential, Profile]]


def _cred(field: str) -> Setter:
    def set_(c: Credential, p: Profile, x: float) -> tuple[Credential, Profile]:
        changes: dict[str, Any] = {field: x}
        return c.replace(**changes), p

    return set_


def _prof(field: str) -> Setter:
    def set_(c: Credential, p: Profile, x: float) -> tuple[Credential, Profile]:
        changes: dict[str, Any] = {field: x}
        return c, p.replace(**changes)

    return set_


def _current(field: str) -> Callable[[Credential, Profile], float | None]:
    """The value of a profile field in force (``None`` where it does not apply to this profile)."""
    return lambda c, p: p.in_force(field)


def _set_uplift(c: Credential, p: Profile, x: float) -> tuple[Credential, Profile]:
    return c.replace(uplift_low=x, uplift_typical=x, uplift_high=x), p


def _set_study_hours(c: Credential, p: Profile, x: float) -> tuple[Credential, Profile]:
    return c.replace(study_weeks=x / c.study_hours_per_week), p


@dataclass(frozen=True, slots=True)
class Input:
    """One input of the model that the analysis can move."""

    name: str
    current: Callable[[Credential, Profile], float | None]
    """The input's value now; ``None`` where it does not apply (the target pay under the goal raise)."""
    set: Setter
    linear: bool
    """NPV is linear in it, so a difference of NPVs has one closed-form root."""
    low: float
    high: float
    """Its valid domain."""
    flip: tuple[float, float] | None
    """Where ``flip`` looks for a change of leader (documented in docs/model.md); None: flip leaves it alone."""
    move: float = 0.2
    absolute: bool = False
    """The sensitivity range: +-``move`` around the value, relative (a share) or in the input's units."""


def _own_inputs() -> list[Input]:
    """The credential's own inputs (the catalog entry's fields the analysis moves)."""
    return [
        Input("uplift", uplift_of, _set_uplift, True, 0.0, 1.0, (0.0, 0.5)),
        Input("recognition", lambda c, p: c.recognition, _cred("recognition"), True, 0.0, 1.0, (0.0, 1.0)),
        Input("exam_fee", lambda c, p: c.exam_fee, _cred("exam_fee"), True, 0.0, math.inf, (0.0, 5_000.0)),
        Input("training", lambda c, p: c.training, _cred("training"), True, 0.0, math.inf, (0.0, 20_000.0)),
        Input("materials", lambda c, p: c.materials, _cred("materials"), True, 0.0, math.inf, None),
        Input(
            "subscription_monthly",
            lambda c, p: c.subscription_monthly,
            _cred("subscription_monthly"),
            True,
            0.0,
            math.inf,
            None,
        ),
        Input("renewal_cost", lambda c, p: c.renewal_cost, _cred("renewal_cost"), True, 0.0, math.inf, None),
        Input(
            "study_hours",
            lambda c, p: c.study_weeks * c.study_hours_per_week,
            _set_study_hours,
            False,
            1e-9,
            math.inf,
            (1.0, 2_000.0),
        ),
        Input("pass_rate", lambda c, p: c.pass_rate, _cred("pass_rate"), False, 1e-9, 1.0, (0.05, 1.0)),
    ]


def _profile_inputs() -> list[Input]:
    """The profile's inputs: every field of the profile table with a :class:`~credroi.model.profile.Sweep`."""
    return [
        Input(s.name, _current(s.name), _prof(s.name), w.linear, *_domain(s), w.flip, w.move, w.absolute)
        for s in PROFILE_FIELDS
        if (w := s.spec.sweep) is not None
    ]


def _domain(setting: Setting) -> tuple[float, float]:
    """Where the analysis may move a profile field: its sweep's domain within the bounds the profile accepts."""
    spec = setting.spec
    assert spec.sweep is not None
    low, high = spec.sweep.domain
    if spec.low is not None:
        low = max(low, math.nextafter(spec.low, math.inf) if spec.low_open else spec.low)
    if spec.high is not None:
        high = min(high, spec.high)
    return low, high


INPUTS: tuple[Input, ...] = (*_own_inputs(), *_profile_inputs())
INPUT_NAMES: tuple[str, ...] = tuple(i.name for i in INPUTS)
UNITS: dict[str, str] = {
    **dict.fromkeys(("uplift", "recognition", "pass_rate"), "share"),
    **dict.fromkeys(("exam_fee", "training", "materials", "subscription_monthly", "renewal_cost"), "money"),
    "study_hours": "h",
    **{s.name: s.spec.unit for s in PROFILE_FIELDS},
}
"""The unit of each input, for showing its values (a profile field's unit comes from the profile table)."""
OWN: tuple[str, ...] = tuple(i.name for i in _own_inputs() if i.flip is not None)
"""The credential's inputs that ``flip`` moves for one credential alone."""
SHARED: tuple[str, ...] = tuple(i.name for i in _profile_inputs())
"""The profile's inputs, which ``flip`` moves for both credentials."""


def sensitivity_range(inp: Input, cred: Credential, profile: Profile) -> tuple[float, float] | None:
    """The range an input moves over in the tornado (docs/model.md); ``None`` where it does not apply.

    The uplift spans the entry's low and high scenarios; other inputs move by their table's
    ``move`` (the lag 3 months each way, the rest +-20 % of the value). Ranges are clipped to the domain.
    """
    if inp.name == "uplift":
        return cred.uplift_low, cred.uplift_high
    now = inp.current(cred, profile)
    if now is None:
        return None
    if inp.absolute:
        lo, hi = now - inp.move, now + inp.move
    else:
        lo, hi = sorted((now * (1.0 - inp.move), now * (1.0 + inp.move)))
    lo, hi = max(lo, inp.low), min(hi, inp.high)
    return _admissible(inp, cred, profile, lo, now), _admissible(inp, cred, profile, hi, now)


def _admissible(inp: Input, cred: Credential, profile: Profile, x: float, anchor: float) -> float:
    """``x``, or the value nearest it on the way to ``anchor`` that the profile accepts.

    A field's own bounds are already in ``inp``'s domain; this handles the rules between fields
    (a discount rate near -1 is refused for a longer horizon), so that sensitivity and flip never
    set a profile that ``compare`` would refuse. ``anchor`` (the value in force) is accepted.
    """
    try:
        inp.set(cred, profile, x)
    except ProfileError:
        pass
    else:
        return x
    good, bad = anchor, x
    for _ in range(BISECTIONS):
        mid = 0.5 * (good + bad)
        try:
            inp.set(cred, profile, mid)
        except ProfileError:
            bad = mid
        else:
            good = mid
    return good


def _npv_at(inp: Input, cred: Credential, profile: Profile, x: float) -> float:
    c, p = inp.set(cred, profile, x)
    return npv_of(c, p)


def sensitivity(cred: Credential, profile: Profile) -> list[Swing]:
    """NPV at both ends of each input's range, widest swing first (ties by name).

    Inputs whose range is a single point (a cost of 0, a lag already at its floor...), that do
    not apply (the target pay under the goal raise) or that do not move the NPV at all (the
    uplift under the goal switch) are left out.
    """
    out = []
    for inp in INPUTS:
        found = sensitivity_range(inp, cred, profile)
        if found is None or not found[1] > found[0]:
            continue
        lo, hi = found
        low, high = _npv_at(inp, cred, profile, lo), _npv_at(inp, cred, profile, hi)
        if low == high == _npv_at(inp, cred, profile, (lo + hi) / 2.0):
            continue
        out.append(Swing(inp.name, lo, hi, low, high))
    out.sort(key=lambda s: (-s.width, s.input))
    return out


# --- flip points -------------------------------------------------------------------------

GRID_POINTS = 120
BISECTIONS = 60


@dataclass(frozen=True, slots=True)
class Flip:
    """Where the leader between two credentials changes as one input moves."""

    input: str
    """The input; per-credential inputs are ``ID.input`` (e.g. ``aws-saa.uplift``)."""
    current: float
    flip_value: float | None
    """The value nearest the current one where the other credential takes the lead; None if none in range."""
    low: float
    high: float
    method: Literal["linear", "bisection"]

    def as_dict(self) -> dict[str, object]:
        """The input object of the flip document."""
        return {
            "input": self.input,
            "current": self.current,
            "flip_value": self.flip_value,
            "low": self.low,
            "high": self.high,
            "method": self.method,
        }


def _gap_function(a: Credential, b: Credential, profile: Profile, inp: Input, which: str) -> Callable[[float], float]:
    """``x -> NPV_b - NPV_a`` with the input set to ``x`` (for both, or for ``which`` only)."""

    def gap(x: float) -> float:
        ca, pa = (a, profile) if which == "b" else inp.set(a, profile, x)
        cb, pb = (b, profile) if which == "a" else inp.set(b, profile, x)
        return npv_of(cb, pb) - npv_of(ca, pa)

    return gap


def _root_nearest(
    gap: Callable[[float], float], lo: float, hi: float, now: float, linear: bool
) -> tuple[float | None, Literal["linear", "bisection"]]:
    if linear:
        g_lo, g_hi = gap(lo), gap(hi)
        if g_lo == g_hi:
            return None, "linear"
        root = lo - g_lo * (hi - lo) / (g_hi - g_lo)
        inside = lo - 1e-12 <= root <= hi + 1e-12 and (g_lo > 0.0) != (g_hi > 0.0)
        return (min(max(root, lo), hi) if inside else None), "linear"
    xs = [lo + (hi - lo) * i / GRID_POINTS for i in range(GRID_POINTS + 1)]
    gs = [gap(x) for x in xs]
    brackets = [(xs[i], xs[i + 1], gs[i]) for i in range(GRID_POINTS) if (gs[i] > 0.0) != (gs[i + 1] > 0.0)]
    if not brackets:
        return None, "bisection"
    x0, x1, g0 = min(brackets, key=lambda br: min(abs(br[0] - now), abs(br[1] - now)))
    for _ in range(BISECTIONS):
        mid = 0.5 * (x0 + x1)
        if (gap(mid) > 0.0) == (g0 > 0.0):
            x0 = mid
        else:
            x1 = mid
    return 0.5 * (x0 + x1), "bisection"


def flip_points(a: Credential, b: Credential, profile: Profile) -> list[Flip]:
    """For each input, the value where the leader between ``a`` and ``b`` changes, or None.

    Shared profile inputs (salary, discount rate, ...) move for both credentials; each
    credential's own inputs (uplift, recognition, fees, study hours, pass rate) move for it alone.
    Where NPV is linear in the input the root is solved exactly; elsewhere a 120-point scan finds
    the change of sign nearest the current value and bisection narrows it.
    """
    by_name = {i.name: i for i in INPUTS}
    out = []
    for name in SHARED:
        inp = by_name[name]
        assert inp.flip is not None  # every shared input has a flip range
        lo, hi = inp.flip
        now = inp.current(a, profile)
        if now is None:
            continue  # an input that does not apply to this profile (the target pay under the goal raise)
        lo, hi = (_admissible(inp, a, profile, end, now) for end in (lo, hi))
        value, method = _root_nearest(_gap_function(a, b, profile, inp, "both"), lo, hi, now, inp.linear)
        out.append(Flip(name, now, value, lo, hi, method))
    for cred, which in ((a, "a"), (b, "b")):
        for name in OWN:
            inp = by_name[name]
            assert inp.flip is not None  # OWN holds the inputs with a flip range
            lo, hi = inp.flip
            now = inp.current(cred, profile)
            assert now is not None  # a credential's own inputs always apply
            value, method = _root_nearest(_gap_function(a, b, profile, inp, which), lo, hi, now, inp.linear)
            out.append(Flip(f"{cred.id}.{name}", now, value, lo, hi, method))
    return out


# --- cash-flow tables ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlowRow:
    """One month (or year) of the cash flows."""

    period: int
    benefit: float
    renewal: float
    cash_flow: float
    cumulative: float
    discounted: float

    def replace(self, **changes: Any) -> FlowRow:
        """A copy with ``changes`` (field name -> value)."""
        return _replace(self, **changes)

    def as_dict(self, unit: str = "month") -> dict[str, object]:
        """docs/model.md's flow object (``month`` first; ``year`` for the yearly view)."""
        return {
            unit: self.period,
            "benefit": self.benefit,
            "renewal": self.renewal,
            "cash_flow": self.cash_flow,
            "cumulative": self.cumulative,
            "discounted": self.discounted,
        }


def monthly_flows(result: Evaluation, profile: Profile) -> list[FlowRow]:
    """Month 0 ... N: benefit, renewal, f(t), the running sum of f, and f(t) / (1 + r_m)^t.

    The discounted column sums to the NPV.
    """
    cf = result.flows
    flows = cf.cash_flow
    step = profile.discount_step
    rows = []
    total = 0.0
    for t, (b, r, f) in enumerate(zip(cf.benefit, cf.renewal, flows, strict=True)):
        total += f
        rows.append(FlowRow(t, b, r, f, total, f * math.exp(-step * t)))
    return rows


def yearly_flows(monthly: Sequence[FlowRow]) -> list[FlowRow]:
    """Year 0 is month 0 (the investment); year k sums months 12(k-1)+1 ... 12k (the last may be partial)."""
    if not monthly:
        return []
    rows = [monthly[0].replace(period=0)]
    for start in range(1, len(monthly), 12):
        chunk = monthly[start : start + 12]
        rows.append(
            FlowRow(
                period=(start - 1) // 12 + 1,
                benefit=math.fsum(r.benefit for r in chunk),
                renewal=math.fsum(r.renewal for r in chunk),
                cash_flow=math.fsum(r.cash_flow for r in chunk),
                cumulative=chunk[-1].cumulative,
                discounted=math.fsum(r.discounted for r in chunk),
            )
        )
    return rows
