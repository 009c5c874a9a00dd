"""Plans: the sequence of credentials with the highest NPV within a budget, a time limit and prerequisites."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from credroi.model.engine import (
    Credential,
    Derived,
    _discount_factors,
    _growth_factors,
    _terms,
    derive,
    first_benefit_month,
    prepares,
    renewal_months,
    switching,
)
from credroi.model.profile import Profile

MAX_CREDENTIALS = 6
"""The most credentials a plan may hold (``--max-credentials``)."""

TIE = 1e-9
"""Plans whose NPVs differ by at most ``TIE * max(1, |best NPV|)`` tie (then fewer items, then smaller ids win)."""

LIMIT_SLACK = 1e-9
"""Sums of money and weeks may pass a limit by this much (float noise), as ``rank --budget`` allows."""

_SEARCH_SLACK = 1e-11
"""Room below the tie floor, as a share of K times the largest contribution: the search keeps those plans too and the
month-by-month reference decides, so the rounding of the search's sums never changes the answer."""


@dataclass(frozen=True, slots=True)
class PlanLimits:
    """What a plan must satisfy (docs/model.md, "Plans"): money, time, its length, what is held, and the overlap."""

    budget: float | None = None
    """Most money out of pocket, summed over the plan."""
    max_weeks: float | None = None
    """Most study weeks at the person's pace, summed over the plan."""
    max_credentials: int = 3
    """``K``: the most credentials in a plan, 1 to 6."""
    have: frozenset[str] = frozenset()
    """Ids already held: their prerequisites are met, and they are never planned again."""
    overlap: float = 0.5
    """``ov`` (goal ``raise``): the weight of a credential's raise is ``ov ** c``, c earlier items sharing a field."""

    def __post_init__(self) -> None:
        if isinstance(self.max_credentials, bool) or not isinstance(self.max_credentials, int):
            raise ValueError("max_credentials must be a whole number")
        if not 1 <= self.max_credentials <= MAX_CREDENTIALS:
            raise ValueError(f"max_credentials must be 1 to {MAX_CREDENTIALS}")
        if not 0.0 <= self.overlap <= 1.0:
            raise ValueError("overlap must be 0 to 1")
        for name, value in (("budget", self.budget), ("max_weeks", self.max_weeks)):
            if value is not None and not value >= 0.0:
                raise ValueError(f"{name} must be a number >= 0")


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One credential of a plan: when its study starts, its own part of the plan NPV, its cost, time and weight."""

    credential: Credential
    start_month: int
    """``s_i``: the plan month its study starts (the study months of the items before it)."""
    npv: float
    """Its contributions to the plan NPV: investment, weighted benefits and renewals, discounted."""
    out_of_pocket: float
    """``O_i``."""
    study_weeks: float
    """``W_i``, at the person's pace."""
    weight: float
    """``w_i``: the share of its benefit left by the items before it."""


@dataclass(frozen=True, slots=True)
class Plan:
    """A sequence of credentials studied one after another, with its NPV and totals (docs/model.md, "Plans")."""

    items: tuple[PlanItem, ...]
    npv: float
    investment: float
    out_of_pocket: float
    study_weeks: float
    months: int
    """``s_k + m_k``: the plan month the last study ends."""

    def as_dict(self) -> dict[str, object]:
        """The plan object of machine output: totals, then the items in study order."""
        return {
            "npv": self.npv,
            "investment": self.investment,
            "out_of_pocket": self.out_of_pocket,
            "study_weeks": self.study_weeks,
            "months": self.months,
            "items": [{"id": i.credential.id, "start_month": i.start_month, "npv": i.npv} for i in self.items],
        }

    def cumulative(self, profile: Profile) -> list[float]:
        """The cumulative undiscounted net value of the plan's flows for plan months 0 ... N (``profile``'s N)."""
        total = [0.0] * (profile.months + 1)
        for item in self.items:
            cred = item.credential
            flows = _item_flows(cred, derive(cred, profile), item.start_month, item.weight, profile)
            total = [a + b for a, b in zip(total, flows, strict=True)]
        return list(itertools.accumulate(total))


# --- The reference: a plan's value month by month --------------------------------------------------------------


def _weight(cred: Credential, earlier: Sequence[Credential], profile: Profile, overlap: float) -> float:
    """``w_i``: ``ov ** c_i`` (goal ``raise``), or the chance no earlier item that prepares for R brought the move."""
    if switching(profile):
        weight = 1.0
        for prior in earlier:
            if prepares(prior, profile):
                weight *= 1.0 - prior.recognition
        return weight
    fields = set(cred.fields)
    return float(overlap ** sum(1 for prior in earlier if not fields.isdisjoint(prior.fields)))


def _item_flows(cred: Credential, d: Derived, start: int, weight: float, profile: Profile) -> list[float]:
    """One item's flows in plan months 0 ... N: ``-I`` at its start, its weighted benefits, its renewals.

    The benefit grows on the plan's calendar (``(1 + g) ** floor((tau - 1) / 12)``); renewals follow
    :func:`~credroi.model.engine.renewal_months` from the item's start. An item starting after N has none.
    """
    n, lag, growth_rate, _, keep, _, _ = _terms(profile)
    flows = [0.0] * (n + 1)
    if start > n:
        return flows
    flows[start] -= d.investment
    growth = _growth_factors(growth_rate, n)
    monthly = weight * (d.annual_benefit / 12.0)
    for tau in range(start + first_benefit_month(d.study_months, lag), n + 1):
        flows[tau] += monthly * growth[tau]
    charge = cred.renewal_cost * keep
    for t in renewal_months(d.study_months, cred.validity_years, n - start):
        flows[start + t] -= charge
    return flows


class _Reference:
    """Item NPVs month by month (remembered by credential, start and weight): plan_value's arithmetic."""

    __slots__ = ("_derived", "_disc", "_npvs", "overlap", "profile")

    def __init__(self, profile: Profile, overlap: float) -> None:
        self.profile = profile
        self.overlap = overlap
        terms = _terms(profile)
        self._disc = _discount_factors(terms[3], terms[0])
        self._derived: dict[str, Derived] = {}
        self._npvs: dict[tuple[str, int, float], float] = {}

    def derived(self, cred: Credential) -> Derived:
        d = self._derived.get(cred.id)
        if d is None:
            d = self._derived[cred.id] = derive(cred, self.profile)
        return d

    def item_npv(self, cred: Credential, start: int, weight: float) -> float:
        key = (cred.id, start, weight)
        value = self._npvs.get(key)
        if value is None:
            flows = _item_flows(cred, self.derived(cred), start, weight, self.profile)
            value = self._npvs[key] = math.fsum(f * k for f, k in zip(flows, self._disc, strict=True) if f)
        return value

    def items(self, sequence: Sequence[Credential]) -> list[PlanItem]:
        out: list[PlanItem] = []
        start = 0
        for i, cred in enumerate(sequence):
            d = self.derived(cred)
            weight = _weight(cred, sequence[:i], self.profile, self.overlap)
            npv = self.item_npv(cred, start, weight)
            out.append(PlanItem(cred, start, npv, d.out_of_pocket, d.study_weeks, weight))
            start += d.study_months
        return out

    def npv(self, sequence: Sequence[Credential]) -> float:
        """The plan NPV of ``sequence`` (the same number as ``plan_value(sequence).npv``)."""
        return math.fsum(item.npv for item in self.items(sequence))


def _check_sequence(sequence: Sequence[Credential]) -> None:
    if not sequence:
        raise ValueError("a plan needs at least one credential")
    seen: set[str] = set()
    for cred in sequence:
        if cred.id in seen:
            raise ValueError(f"a plan holds `{cred.id}` twice")
        seen.add(cred.id)


def plan_value(sequence: Sequence[Credential], profile: Profile, overlap: float = 0.5) -> Plan:
    """The value of one sequence, month by month, straight from MODEL.md (the reference).

    Item i starts at ``s_i`` (the study months before it), contributes ``-I_i`` then, a benefit
    ``w_i * B_i / 12 * (1 + g) ** floor((tau - 1) / 12)`` for ``s_i + m_i + L < tau <= N`` and its renewals;
    each contribution is discounted by ``(1 + r_m) ** tau``. Limits are not checked here.
    """
    seq = tuple(sequence)
    _check_sequence(seq)
    if not 0.0 <= overlap <= 1.0:
        raise ValueError("overlap must be 0 to 1")
    return _plan(_Reference(profile, overlap), seq)


def _plan(ref: _Reference, seq: Sequence[Credential]) -> Plan:
    items = ref.items(seq)
    last = items[-1]
    return Plan(
        items=tuple(items),
        npv=math.fsum(item.npv for item in items),
        investment=sum(ref.derived(c).investment for c in seq),
        out_of_pocket=sum(item.out_of_pocket for item in items),
        study_weeks=sum(item.study_weeks for item in items),
        months=last.start_month + ref.derived(last.credential).study_months,
    )


# --- What may be planned -----------------------------------------------------------------------------------------


def _within(total: float, limit: float | None) -> bool:
    return limit is None or total <= limit + LIMIT_SLACK


def _plannable(creds: Iterable[Credential], profile: Profile, limits: PlanLimits) -> list[Credential]:
    """Entries a plan may hold on their own merits: not held, eligible; duplicate ids are an error."""
    out: list[Credential] = []
    seen: set[str] = set()
    for cred in creds:
        if cred.id in seen:
            raise ValueError(f"the credentials list `{cred.id}` twice")
        seen.add(cred.id)
        if cred.id not in limits.have and profile.eligible(cred.experience_required) is not False:
            out.append(cred)
    return out


def _choose(found: Iterable[tuple[float, Sequence[Credential]]]) -> Sequence[Credential] | None:
    """The tie rule: among plans within ``TIE`` of the best NPV, the fewest items, then the smallest ids."""
    plans = list(found)
    if not plans:
        return None
    best = max(v for v, _ in plans)
    floor = best - TIE * max(1.0, abs(best))
    close = [seq for v, seq in plans if v >= floor]
    return min(close, key=lambda seq: (len(seq), tuple(c.id for c in seq)))


def exhaustive_plan(creds: Iterable[Credential], profile: Profile, limits: PlanLimits) -> Plan | None:
    """Every sequence tried (small catalogs only): the tests' yardstick.

    Each ordered choice of 1 to K distinct entries not held is checked against every limit and valued with
    :func:`plan_value`'s arithmetic; the tie rule picks the answer.
    """
    pool: list[Credential] = []
    for cred in creds:
        if any(c.id == cred.id for c in pool):
            raise ValueError(f"the credentials list `{cred.id}` twice")
        if cred.id not in limits.have:
            pool.append(cred)
    ref = _Reference(profile, limits.overlap)
    found: list[tuple[float, Sequence[Credential]]] = []
    for k in range(1, limits.max_credentials + 1):
        for seq in itertools.permutations(pool, k):
            if _satisfies(seq, ref, limits):
                found.append((ref.npv(seq), seq))
    chosen = _choose(found)
    return None if chosen is None else _plan(ref, chosen)


def _satisfies(seq: Sequence[Credential], ref: _Reference, limits: PlanLimits) -> bool:
    """Every limit of docs/model.md, checked plainly on one sequence."""
    held = set(limits.have)
    money = weeks = 0.0
    for cred in seq:
        if ref.profile.eligible(cred.experience_required) is False or cred.id in limits.have:
            return False
        if not held.issuperset(cred.requires):
            return False
        d = ref.derived(cred)
        money += d.out_of_pocket
        weeks += d.study_weeks
        held.add(cred.id)
    return _within(money, limits.budget) and _within(weeks, limits.max_weeks)


# --- The search: branch and bound ------------------------------------------------------------------------------


def best_plan(creds: Iterable[Credential], profile: Profile, limits: PlanLimits) -> Plan | None:
    """The exact optimum over every plan that meets the limits (None when no plan fits).

    A depth-first branch and bound over sequences (docs/model.md, "Plans"): each partial plan is bounded by
    its value plus the best possible contributions of the entries that could still follow, and pruned when
    that cannot reach the best plan found. The plans it keeps are valued again by :func:`plan_value`'s
    arithmetic and the tie rule picks among them, so the answer is :func:`exhaustive_plan`'s.
    """
    ref = _Reference(profile, limits.overlap)
    pool = [
        cred
        for cred in _plannable(creds, profile, limits)
        if _within(ref.derived(cred).out_of_pocket, limits.budget)
        and _within(ref.derived(cred).study_weeks, limits.max_weeks)
    ]
    pool = _reachable(pool, limits.have)
    if not pool:
        return None
    chosen = _choose((ref.npv(seq), seq) for seq in _search(pool, [ref.derived(c) for c in pool], profile, limits))
    return None if chosen is None else _plan(ref, chosen)


def _reachable(pool: list[Credential], have: frozenset[str]) -> list[Credential]:
    """``pool`` without the entries whose prerequisites are neither held nor (recursively) in the pool."""
    while True:
        ids = {c.id for c in pool}
        kept = [c for c in pool if all(r in have or r in ids for r in c.requires)]
        if len(kept) == len(pool):
            return kept
        pool = kept


def _search(
    pool: Sequence[Credential], derived: Sequence[Derived], profile: Profile, limits: PlanLimits
) -> list[tuple[Credential, ...]]:
    """Every plan whose value may lie within the tie rule of the best (found by branch and bound).

    Per entry c and start month s (weight 1) the search knows its cost part ``cost[c][s]`` (the discounted
    investment and renewals, <= 0) and its benefit part ``gain[c][s]`` (>= 0); an item contributes
    ``cost + w * gain`` with ``0 <= w <= 1``. ``bound[c][t] = max(0, max over s >= t of cost + gain)`` is the
    most c can add to a plan whose next item starts at t or later. A partial plan with r places left, whose
    next item starts at t, can gain at most the sum of the r largest ``bound[.][t]`` among the entries that
    are unused and fit the money and weeks left (prerequisites ignored), each times the most its weight can
    still be; under ``switch`` also at most the plan's weight times ``move[t]``, since the later items together
    bring the move at most once. Both bounds are admissible (docs/model.md, "Plans").
    """
    n, lag, growth_rate, rate, keep, _, per_gain = _terms(profile)
    switch, overlap = switching(profile), limits.overlap
    disc = _discount_factors(rate, n)
    growth = _growth_factors(growth_rate, n)
    tail = [0.0] * (n + 2)  # tail[x]: the sum of growth * discount over months x ... N
    for tau in range(n, 0, -1):
        tail[tau] = tail[tau + 1] + growth[tau] * disc[tau]
    cost_at: list[list[float]] = []
    gain_at: list[list[float]] = []
    bound_at: list[list[float]] = []
    move_at = [0.0] * (n + 2)  # under switch: the most a move can bring from month t on, at recognition 1
    scale = 1.0
    for cred, d in zip(pool, derived, strict=True):
        first, monthly, charge = first_benefit_month(d.study_months, lag), d.annual_benefit / 12.0, 0.0
        renewals = [0.0] * (n + 1)
        if cred.renewal_cost:
            charge = cred.renewal_cost * keep
            for t in renewal_months(d.study_months, cred.validity_years, n):
                renewals[t] += disc[t]
        due = list(itertools.accumulate(renewals))  # due[x]: renewals within x months of the start, discounted
        cost = [-(d.investment + charge * due[n - s]) * disc[s] for s in range(n + 1)]
        gain = [monthly * tail[s + first] if s + first <= n else 0.0 for s in range(n + 1)]
        best = [0.0] * (n + 1)
        running = 0.0
        for s in range(n, -1, -1):
            running = max(running, cost[s] + gain[s])
            best[s] = running
        if switch and d.gross_uplift:
            unit = d.gross_uplift * per_gain
            for s in range(n + 1):
                move_at[s] = max(move_at[s], unit * tail[min(s + first, n + 1)])
        cost_at.append(cost)
        gain_at.append(gain)
        bound_at.append(best)
        scale = max(scale, d.investment + charge * due[n] + gain[0])

    count, most = len(pool), limits.max_credentials
    budget = math.inf if limits.budget is None else limits.budget + LIMIT_SLACK
    max_weeks = math.inf if limits.max_weeks is None else limits.max_weeks + LIMIT_SLACK
    money = [d.out_of_pocket for d in derived]
    weeks = [d.study_weeks for d in derived]
    months = [d.study_months for d in derived]
    index = {c.id: i for i, c in enumerate(pool)}
    needs = [tuple(index[r] for r in c.requires if r not in limits.have) for c in pool]
    fields = [frozenset(c.fields) for c in pool]
    keeps = [1.0 - c.recognition if prepares(c, profile) else 1.0 for c in pool]
    slack = _SEARCH_SLACK * scale * most  # the fast sums differ from the reference in the last digits only

    orders: dict[int, list[int]] = {}
    used = [False] * count
    path: list[int] = []
    best_value, floor = -math.inf, -math.inf
    found: list[tuple[float, tuple[int, ...]]] = []

    def weight_of(c: int, weight: float) -> float:
        """The weight entry c would have as the next item: its raise's ``ov ** c_i``, or the plan's switch weight."""
        if switch:
            return weight
        mine = fields[c]
        return float(overlap ** sum(1 for j in path if not mine.isdisjoint(fields[j])))

    def visit(t: int, value: float, spent: float, studied: float, weight: float) -> None:
        nonlocal best_value, floor, found
        if switch and value + weight * move_at[t] < floor:
            return  # all the later items together bring the move at most once (see docs/model.md)
        left = most - len(path)
        order = orders.get(t)
        if order is None:
            order = orders[t] = sorted(range(count), key=lambda c: -bound_at[c][t])
        # tops: the `left` largest weighted bounds w_c * bound_at[c][t] of the entries that fit (best first). An
        # entry's weight can only fall as the plan grows, so w_c * bound_at[c][t] bounds what it adds later too.
        cap = weight if switch else 1.0  # no entry's weight is above it
        weights: dict[int, float] = {}
        tops: list[float] = []
        for c in order:
            if used[c] or spent + money[c] > budget or studied + weeks[c] > max_weeks:
                continue
            most_c = cap * bound_at[c][t]
            if len(tops) == left and most_c <= tops[-1]:
                break  # no later entry's weighted bound (<= cap * its bound) enters the tops
            w = weights[c] = weight_of(c, weight)
            tops.append(w * bound_at[c][t])
            tops.sort(reverse=True)
            del tops[left:]
        head = math.fsum(tops[: left - 1])  # the most that the places after the next one can add
        if switch:
            head = min(head, weight * move_at[t])
        full = math.fsum(tops)
        for c in order:
            if used[c] or spent + money[c] > budget or studied + weeks[c] > max_weeks:
                continue
            most_c = bound_at[c][t]
            if value + cap * most_c + head < floor:
                break  # the order is by bound_at[.][t]: no later entry can do better
            if not all(used[j] for j in needs[c]):
                continue
            known = weights.get(c)
            w = weight_of(c, weight) if known is None else known
            rest = min(head, full - w * most_c)  # the top places without c
            if switch:  # after c, every weight is multiplied by 1 - recognition_c
                rest = keeps[c] * min(rest, weight * move_at[min(t + months[c], n + 1)])
            v = value + cost_at[c][t] + w * gain_at[c][t]
            if v + rest < floor:
                continue
            path.append(c)
            if v > best_value:
                best_value = v
                floor = v - TIE * max(1.0, abs(v)) - slack
                found = [f for f in found if f[0] >= floor]
            if v >= floor:
                found.append((v, tuple(path)))
            if left > 1 and t + months[c] <= n:  # an item starting after N adds nothing
                used[c] = True
                visit(t + months[c], v, spent + money[c], studied + weeks[c], weight * keeps[c])
                used[c] = False
            path.pop()

    visit(0, 0.0, 0.0, 0.0, 1.0)
    return [tuple(pool[i] for i in seq) for _, seq in found]


# --- Why nothing fits --------------------------------------------------------------------------------------------


def _money(x: float) -> str:
    return f"${x:,.0f}" if abs(x - round(x)) < 0.005 else f"${x:,.2f}"


def _weeks(value: float) -> str:
    """``1 week``, ``0.5 weeks``, ``12 weeks``."""
    return f"{_number(value)} week" + ("" if value == 1 else "s")


def _number(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _years(x: float) -> str:
    return f"{_number(x)} year" + ("" if x == 1.0 else "s")


def binding_limit(creds: Iterable[Credential], profile: Profile, limits: PlanLimits) -> str:
    """Why no plan fits, in words naming the limit.

    For example "the budget ($300) is below the cheapest eligible credential's out of pocket ($400)".

    A plan exists exactly when some entry fits alone: not held, eligible, its prerequisites held, within the
    budget and the time limit (it can be the first item, and a plan of one). The first of these that no
    entry passes is named; the empty string when a plan fits.
    """
    entries = list(creds)
    if not entries:
        return "the catalog has no credentials"
    open_ = [c for c in entries if c.id not in limits.have]
    if not open_:
        return "every credential of the catalog is already held"
    eligible = [c for c in open_ if profile.eligible(c.experience_required) is not False]
    if not eligible:
        least = min(c.experience_required for c in open_)
        return f"your experience is below what every credential you do not hold asks (the least is {_years(least)})"
    startable = [c for c in eligible if limits.have.issuperset(c.requires)]
    if not startable:
        cred = min(eligible, key=lambda c: (len(set(c.requires) - limits.have), c.id))
        missing = ", ".join(f"`{r}`" for r in cred.requires if r not in limits.have)
        return f"every eligible credential needs a prerequisite you do not hold (e.g. `{cred.id}` needs {missing})"
    if len(startable) == len(eligible):
        noun = "eligible credential"
        cheapest_of = "the cheapest eligible credential's out of pocket"
        shortest_of = "the shortest eligible credential's study time at your pace"
    else:
        noun = "eligible credential whose prerequisites you hold"
        cheapest_of = f"the cheapest out of pocket of an {noun}"
        shortest_of = f"the shortest study time at your pace of an {noun}"
    derived = {c.id: derive(c, profile) for c in startable}
    in_budget = [c for c in startable if _within(derived[c.id].out_of_pocket, limits.budget)]
    in_time = [c for c in startable if _within(derived[c.id].study_weeks, limits.max_weeks)]
    reasons: list[str] = []
    if not in_budget and limits.budget is not None:
        cheapest = min(d.out_of_pocket for d in derived.values())
        reasons.append(f"the budget ({_money(limits.budget)}) is below {cheapest_of} ({_money(cheapest)})")
    if not in_time and limits.max_weeks is not None:
        shortest = min(d.study_weeks for d in derived.values())
        reasons.append(f"the time limit ({_weeks(limits.max_weeks)}) is below {shortest_of} ({_weeks(shortest)})")
    if reasons:
        return " and ".join(reasons)
    within_both = [c for c in in_time if _within(derived[c.id].out_of_pocket, limits.budget)]
    if within_both or limits.budget is None or limits.max_weeks is None:
        return ""
    cheapest = min(derived[c.id].out_of_pocket for c in in_time)
    return (
        f"no {noun} fits both the budget ({_money(limits.budget)}) and the time limit"
        f" ({_weeks(limits.max_weeks)}): the cheapest within the time limit costs {_money(cheapest)}"
    )
