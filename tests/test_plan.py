"""Plans (MODEL.md "Plans"): worked example 5, the reference value against a naive reading, the branch and bound
against the exhaustive search, why no plan fits, and the engine's single credential."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import given, settings

from credroi.model.engine import Credential, cash_flows, derive, evaluate, npv
from credroi.model.plan import (
    Plan,
    PlanLimits,
    best_plan,
    binding_limit,
    exhaustive_plan,
    plan_value,
)
from credroi.model.profile import Profile, Role

from .strategies import credentials_v2, profiles_v2

TARGET = Role("target", "Target role", 50_000.0, 62_000.0, 80_000.0)


def shown(text: str) -> object:
    """``text`` as a number, compared to the digits shown: within half a unit of its last digit."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return pytest.approx(float(text), rel=0, abs=0.5 * 10.0**-decimals)


def example5() -> tuple[Credential, Credential, Credential]:
    """MODEL.md worked example 5: the entries a, b (requires a) and c."""
    a = Credential(
        "a", "A", "certification", 4, 5, 0.5, 0.0, 0.03, 0.06, exam_fee=100, validity_years=3, fields=("cloud",)
    )
    b = Credential(
        "b",
        "B",
        "certification",
        8,
        10,
        0.5,
        0.0,
        0.077,
        0.18,
        exam_fee=150,
        pass_rate=0.75,
        validity_years=3,
        renewal_cost=75,
        fields=("cloud",),
        requires=("a",),
    )
    c = Credential(
        "c", "C", "certification", 8, 10, 0.65, 0.0, 0.077, 0.18, exam_fee=404, pass_rate=0.8, validity_years=3
    )
    return a, b, c.replace(fields=("security",))


def ids(plan: Plan | None) -> list[str] | None:
    return None if plan is None else [item.credential.id for item in plan.items]


# --- Worked example 5 ----------------------------------------------------------------------------------------------


def test_example5_standalone_npvs() -> None:
    """Alone, a, b (with a held) and c have the NPVs of worked example 5, as plans of one and as the engine says."""
    a, b, c = example5()
    profile = Profile()
    for cred, expected in ((a, "2540.8568"), (b, "5858.3875"), (c, "7892.3839")):
        assert evaluate(cred, profile).npv == shown(expected)
        assert plan_value([cred], profile).npv == shown(expected)
    only_b = best_plan([b], profile, PlanLimits(have=frozenset({"a"})))
    assert only_b is not None
    assert ids(only_b) == ["b"]
    assert only_b.npv == shown("5858.3875")


def test_example5_best_plan_without_limits() -> None:
    """The best plan is c (month 0), a (month 2), b (month 3) with the item NPVs and the plan NPV of the example."""
    a, b, c = example5()
    plan = best_plan([a, b, c], Profile(), PlanLimits())
    assert plan is not None
    assert [(i.credential.id, i.start_month) for i in plan.items] == [("c", 0), ("a", 2), ("b", 3)]
    assert [i.npv for i in plan.items] == [shown("7892.3839"), shown("2438.2989"), shown("1885.4478")]
    assert plan.npv == shown("12216.1306")
    assert [i.weight for i in plan.items] == [1.0, 1.0, 0.5]  # b shares `cloud` with a
    assert plan.months == 5
    assert plan.study_weeks == 20.0
    assert plan.out_of_pocket == pytest.approx(100 + 150 / 0.75 + 404 / 0.8)
    assert plan == exhaustive_plan([a, b, c], Profile(), PlanLimits())


def test_example5_other_order_and_limits() -> None:
    """a -> b -> c is worth 11935.8027; 12 weeks or two credentials give c then a (10330.6828); $600 gives c alone."""
    a, b, c = example5()
    profile = Profile()
    assert plan_value([a, b, c], profile).npv == shown("11935.8027")
    for limits in (PlanLimits(max_weeks=12), PlanLimits(max_credentials=2)):
        plan = best_plan([a, b, c], profile, limits)
        assert plan is not None
        assert ids(plan) == ["c", "a"]
        assert plan.npv == shown("10330.6828")
    cheap = best_plan([a, b, c], profile, PlanLimits(budget=600))
    assert cheap is not None
    assert ids(cheap) == ["c"]
    assert cheap.npv == shown("7892.3839")


def test_example5_held_credential_is_not_planned_again() -> None:
    """With a held, the plan never lists a, and b (whose prerequisite is held) needs no a before it."""
    a, b, c = example5()
    plan = best_plan([a, b, c], Profile(), PlanLimits(have=frozenset({"a"})))
    assert plan is not None
    assert "a" not in ids(plan)  # type: ignore[operator]
    assert set(ids(plan) or []) == {"b", "c"}


def test_plan_as_dict_has_the_contract_keys() -> None:
    """as_dict is MODEL.md's plan object: the totals, then items with id, start_month and npv in study order."""
    a, b, c = example5()
    d = plan_value([c, a, b], Profile()).as_dict()
    assert list(d) == ["npv", "investment", "out_of_pocket", "study_weeks", "months", "items"]
    assert d["items"] == [
        {"id": "c", "start_month": 0, "npv": pytest.approx(7892.383856)},
        {"id": "a", "start_month": 2, "npv": pytest.approx(2438.298900)},
        {"id": "b", "start_month": 3, "npv": pytest.approx(1885.447849)},
    ]


# --- A naive reading of MODEL.md, independent of credroi's code ------------------------------------------------------


def naive(
    seq: list[Credential], profile: Profile, role: Role | None, overlap: float
) -> tuple[float, list[float], list[int], list[float]]:
    """(plan NPV, item NPVs, start months, undiscounted plan flows) month by month, from MODEL.md's words alone."""
    salary = profile.salary
    value = profile.time_value if profile.time_value is not None else 0.5 * salary / 2080
    switch = profile.goal == "switch"
    lag = profile.lag_months if profile.lag_months is not None else (3.0 if switch else 0.0)
    n = math.floor(12 * profile.horizon_years + 0.5 + 1e-9)
    rm = (1 + profile.discount_rate) ** (1 / 12) - 1
    keep = 1 - profile.employer_share
    start, npvs, starts = 0, [], []
    total = [0.0] * (n + 1)
    for i, c in enumerate(seq):
        hours = c.study_weeks * c.study_hours_per_week
        weeks = hours / (profile.hours_per_week or c.study_hours_per_week)
        m = math.ceil(weeks * 12 / 52 - 1e-9)
        direct = c.training + c.materials + c.exam_fee / c.pass_rate + c.subscription_monthly * m
        investment = direct * keep + hours * value
        if switch:
            assert role is not None
            pay = profile.target_salary if profile.target_salary is not None else role.salary(profile.scenario)
            gain = max(0.0, pay - salary) if profile.target_role in c.roles else 0.0
            weight = math.prod(1 - e.recognition for e in seq[:i] if profile.target_role in e.roles)
        else:
            gain = c.uplift(profile.scenario) * salary
            weight = overlap ** sum(1 for e in seq[:i] if set(e.fields) & set(c.fields))
        annual = gain * c.recognition * (1 - profile.selection_adjustment) * (1 - profile.tax_rate)
        flows = [0.0] * (n + 1)
        if start <= n:
            flows[start] -= investment
            for tau in range(start + 1, n + 1):
                if tau - start > m + lag + 1e-9:
                    flows[tau] += weight * annual / 12 * (1 + profile.salary_growth) ** ((tau - 1) // 12)
            k = 1
            while c.validity_years is not None:
                tau = start + max(1, m + math.floor(12 * c.validity_years * k + 0.5 + 1e-9))
                if tau > n:
                    break
                flows[tau] -= c.renewal_cost * keep
                k += 1
        npvs.append(math.fsum(f / (1 + rm) ** tau for tau, f in enumerate(flows)))
        starts.append(start)
        total = [x + y for x, y in zip(total, flows, strict=True)]
        start += m
    return math.fsum(npvs), npvs, starts, total


def random_credential(rng: random.Random, cred_id: str, known: list[str]) -> Credential:
    """A random entry: fields from three tags, sometimes preparing for `target`, sometimes with prerequisites."""
    low = rng.uniform(0, 0.05)
    typical = low + rng.uniform(0, 0.1)
    requires = tuple(rng.sample(known, min(len(known), rng.choice([1, 1, 2])))) if known and rng.random() < 0.3 else ()
    return Credential(
        id=cred_id,
        name=cred_id.upper(),
        kind=rng.choice(["certification", "micro-credential"]),
        study_weeks=rng.uniform(0.5, 30),
        study_hours_per_week=rng.uniform(2, 15),
        recognition=rng.choice([0.0, 1.0, rng.random(), rng.random()]),
        uplift_low=low,
        uplift_typical=typical,
        uplift_high=typical + rng.uniform(0, 0.1),
        exam_fee=rng.choice([0.0, rng.uniform(50, 700)]),
        training=rng.choice([0.0, rng.uniform(0, 3000)]),
        materials=rng.choice([0.0, 0.0, 40.0]),
        subscription_monthly=rng.choice([0.0, 0.0, 39.0]),
        pass_rate=rng.uniform(0.4, 1.0),
        validity_years=rng.choice([None, 0.5, 1.0, 2.0, 3.0]),
        renewal_cost=rng.choice([0.0, 0.0, 100.0, 2500.0]),
        fields=tuple(rng.sample(["cloud", "security", "data"], rng.choice([1, 1, 2]))),
        roles=rng.choice([(), ("target",), ("other", "target"), ("other",)]),
        experience_required=rng.choice([0.0, 0.0, 1.0, 3.0]),
        requires=requires,
    )


def random_case(
    seed: int, sizes: tuple[int, int] = (6, 8), lengths: tuple[int, ...] = (1, 2, 3, 3, 3, 4)
) -> tuple[list[Credential], Profile, PlanLimits]:
    """A small random catalog (6 to 8 entries, some copies and free ones), a profile and limits."""
    rng = random.Random(seed)
    names = rng.sample([f"{x}{y}" for x in "pqrstuvw" for y in "12"], rng.randint(*sizes))
    creds: list[Credential] = []
    for name in names:
        if creds and rng.random() < 0.15:
            creds.append(rng.choice(creds).replace(id=name))  # a twin: equal NPVs, the ids decide
        elif rng.random() < 0.08:
            creds.append(Credential(name, name, "micro-credential", 1.0, 1.0, 0.0, 0.0, 0.0, 0.0))  # free, no gain
        else:
            creds.append(random_credential(rng, name, [c.id for c in creds]))
    rng.shuffle(creds)
    changes: dict[str, object] = {
        "salary": rng.uniform(20_000, 120_000),
        "horizon_years": rng.choice([0.25, 1.0, 2.0, 3.0, 5.0, 5.0, 10.0]),
        "discount_rate": rng.choice([0.03, 0.0, 0.1, -0.02]),
        "salary_growth": rng.choice([0.02, 0.0, 0.05]),
        "hours_per_week": rng.choice([None, None, 5.0, 12.0]),
        "employer_share": rng.choice([0.0, 0.0, 0.5]),
        "lag_months": rng.choice([None, None, 0.0, 2.5, 6.0]),
        "time_value": rng.choice([None, None, 0.0]),
        "experience_years": rng.choice([None, None, 0.0, 2.0]),
        "scenario": rng.choice(["low", "typical", "high"]),
    }
    if rng.random() < 0.4:
        changes.update(goal="switch", target_role="target", role=TARGET)
        if rng.random() < 0.3:
            changes["target_salary"] = rng.uniform(10_000, 150_000)
    profile = Profile().replace(**changes)
    have = frozenset(rng.sample([c.id for c in creds] + ["elsewhere"], rng.choice([0, 0, 1, 2])))
    limits = PlanLimits(
        budget=rng.choice([None, None, rng.uniform(0, 3000), rng.uniform(0, 800)]),
        max_weeks=rng.choice([None, None, rng.uniform(0, 60)]),
        max_credentials=rng.choice(lengths),
        have=have,
        overlap=rng.choice([0.5, 0.5, 0.0, 1.0, rng.random()]),
    )
    return creds, profile, limits


def test_plan_value_agrees_with_a_naive_month_by_month_reading() -> None:
    """plan_value's plan and item NPVs, start months and cumulative flows match MODEL.md read naively, to 1e-9."""
    for seed in range(150):
        creds, profile, limits = random_case(seed)
        rng = random.Random(-seed)
        seq = rng.sample(creds, rng.randint(1, min(4, len(creds))))
        plan = plan_value(seq, profile, limits.overlap)
        expected, npvs, starts, flows = naive(seq, profile, TARGET, limits.overlap)
        scale = 1.0 + math.fsum(abs(f) for f in flows)
        assert abs(plan.npv - expected) <= 1e-9 * scale, seed
        assert [i.start_month for i in plan.items] == starts
        for item, value in zip(plan.items, npvs, strict=True):
            assert abs(item.npv - value) <= 1e-9 * scale, seed
        cumulative = list(itertools.accumulate(flows))
        got = plan.cumulative(profile)
        assert len(got) == len(cumulative)
        assert all(abs(x - y) <= 1e-9 * scale for x, y in zip(got, cumulative, strict=True)), seed


def test_items_starting_after_the_horizon_add_nothing() -> None:
    """With a one-month horizon an item starting at month 2 contributes 0 to the NPV but still counts in the totals."""
    a, _, c = example5()
    profile = Profile(horizon_years=1 / 12)
    plan = plan_value([c, a], profile)
    assert [i.start_month for i in plan.items] == [0, 2]
    assert plan.items[1].npv == 0.0
    assert plan.npv == plan_value([c], profile).npv
    assert plan.investment == pytest.approx(derive(c, profile).investment + derive(a, profile).investment)
    best = best_plan([a, c], profile, PlanLimits())
    assert best is not None
    assert len(best.items) == 1  # a longer plan with the same NPV loses the tie


# --- The branch and bound against every sequence ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cases", "sizes", "lengths"),
    [(800, (6, 8), (1, 2, 3, 3, 3, 4)), (150, (12, 16), (2, 2, 3))],
    ids=["small", "wider"],
)
def test_best_plan_equals_the_exhaustive_search_on_random_catalogs(
    cases: int, sizes: tuple[int, int], lengths: tuple[int, ...]
) -> None:
    """On random catalogs (raise and switch, prerequisites, limits, held, experience, twins) both give one plan."""
    found = empty = 0
    for seed in range(cases):
        creds, profile, limits = random_case(seed, sizes, lengths)
        fast = best_plan(creds, profile, limits)
        slow = exhaustive_plan(creds, profile, limits)
        assert ids(fast) == ids(slow), seed
        if fast is None or slow is None:
            empty += 1
            assert binding_limit(creds, profile, limits) != "", seed
            continue
        found += 1
        assert fast.npv == pytest.approx(slow.npv, rel=1e-9, abs=1e-9), seed
        assert fast == plan_value([i.credential for i in fast.items], profile, limits.overlap)
        assert binding_limit(creds, profile, limits) == "", seed
        assert len(fast.items) <= limits.max_credentials
        assert limits.budget is None or fast.out_of_pocket <= limits.budget + 1e-9
        assert limits.max_weeks is None or fast.study_weeks <= limits.max_weeks + 1e-9
        held = set(limits.have)
        for item in fast.items:
            assert item.credential.id not in limits.have
            assert held.issuperset(item.credential.requires)
            assert profile.eligible(item.credential.experience_required) is not False
            held.add(item.credential.id)
    assert found > cases // 2  # the cases exercise plans, and some find none
    assert empty >= max(1, cases // 100)


def test_twins_tie_and_the_smaller_id_wins() -> None:
    """Two copies of c with different ids have equal NPVs: the plan takes the smaller id, and not both."""
    _, _, c = example5()
    twins = [c.replace(id="z"), c.replace(id="m")]
    plan = best_plan(twins, Profile(), PlanLimits(overlap=0.0, max_credentials=1))
    assert ids(plan) == ["m"]
    assert ids(exhaustive_plan(twins, Profile(), PlanLimits(overlap=0.0, max_credentials=1))) == ["m"]


def test_a_free_item_that_adds_nothing_is_left_out() -> None:
    """An entry with no cost and no gain leaves the NPV unchanged, so the tie rule prefers the plan without it."""
    _, _, c = example5()
    free = Credential("aaa", "Free", "micro-credential", 1.0, 1.0, 0.0, 0.0, 0.0, 0.0)
    plan = best_plan([free, c], Profile(), PlanLimits())
    assert ids(plan) == ["c"]


def test_a_losing_prerequisite_is_planned_when_it_unlocks_more() -> None:
    """A prerequisite with a negative NPV of its own is studied first when what it unlocks pays for it."""
    _, _, c = example5()
    gate = Credential("gate", "Gate", "certification", 10.0, 10.0, 0.0, 0.0, 0.0, 0.0, training=500.0)
    prize = c.replace(id="prize", requires=("gate",), uplift_typical=0.15)
    plan = best_plan([gate, prize], Profile(), PlanLimits())
    assert plan_value([gate], Profile()).npv < 0
    assert ids(plan) == ["gate", "prize"]


def test_a_plan_that_does_not_pay_back_is_still_the_best() -> None:
    """When every plan loses money the best is the least bad single credential, with its negative NPV."""
    a, b, c = example5()
    profile = Profile(salary=5_000.0, time_value=40.0)
    plan = best_plan([a, b, c], profile, PlanLimits())
    assert plan is not None
    assert plan.npv < 0
    assert len(plan.items) == 1
    assert plan == exhaustive_plan([a, b, c], profile, PlanLimits())


def test_switch_weights_are_the_chance_no_earlier_item_brought_the_move() -> None:
    """Under switch, items after one that prepares for R (recognition 0.4) weigh 0.6; a non-preparing one counts not."""
    first = Credential("first", "F", "certification", 4.0, 10.0, 0.4, 0, 0, 0, roles=("target",))
    other = Credential("other", "O", "certification", 4.0, 10.0, 0.9, 0, 0, 0, roles=("elsewhere",))
    second = Credential("second", "S", "certification", 4.0, 10.0, 0.5, 0, 0, 0, roles=("target",))
    profile = Profile(salary=40_000.0, goal="switch", target_role="target", role=TARGET)
    plan = plan_value([first, other, second], profile)
    assert [i.weight for i in plan.items] == [1.0, 0.6, 0.6]
    assert plan.items[1].npv == pytest.approx(-derive(other, profile).investment * (1.03 ** (-1 / 12)))


# --- Why no plan fits ---------------------------------------------------------------------------------------------


def test_binding_limit_names_the_budget() -> None:
    """A budget below every startable entry's out of pocket is named with both amounts."""
    a, b, c = example5()
    limits = PlanLimits(budget=50)
    assert best_plan([a, b, c], Profile(), limits) is None
    assert binding_limit([a, b, c], Profile(), limits) == (
        "the budget ($50) is below the cheapest out of pocket of an eligible credential whose prerequisites you hold"
        " ($100)"
    )
    assert binding_limit([a, c], Profile(), PlanLimits(budget=99.5)) == (
        "the budget ($99.50) is below the cheapest eligible credential's out of pocket ($100)"
    )


def test_binding_limit_names_the_time_limit() -> None:
    """A time limit below every startable entry's study weeks is named with both figures."""
    a, b, c = example5()
    limits = PlanLimits(max_weeks=3, have=frozenset({"a"}))
    assert best_plan([a, b, c], Profile(), limits) is None
    assert binding_limit([a, b, c], Profile(), limits) == (
        "the time limit (3 weeks) is below the shortest eligible credential's study time at your pace (8 weeks)"
    )


def test_binding_limit_names_both_limits_when_neither_alone_binds() -> None:
    """When one entry fits the budget and another the time limit, but none both, the message names both limits."""
    cheap_long = Credential("slow", "Slow", "certification", 40.0, 10.0, 0.5, 0, 0.05, 0.1, exam_fee=50)
    dear_short = Credential("fast", "Fast", "certification", 2.0, 10.0, 0.5, 0, 0.05, 0.1, exam_fee=900)
    limits = PlanLimits(budget=100, max_weeks=10)
    assert best_plan([cheap_long, dear_short], Profile(), limits) is None
    assert binding_limit([cheap_long, dear_short], Profile(), limits) == (
        "no eligible credential fits both the budget ($100) and the time limit (10 weeks): the cheapest within the"
        " time limit costs $900"
    )


def test_binding_limit_names_experience_prerequisites_and_held() -> None:
    """Experience below every requirement, missing prerequisites and everything held are each named."""
    a, b, c = example5()
    senior = [x.replace(experience_required=3.0) for x in (a, c)]
    profile = Profile(experience_years=1.0)
    assert best_plan(senior, profile, PlanLimits()) is None
    assert binding_limit(senior, profile, PlanLimits()) == (
        "your experience is below what every credential you do not hold asks (the least is 3 years)"
    )
    assert best_plan([b], Profile(), PlanLimits()) is None
    assert binding_limit([b], Profile(), PlanLimits()) == (
        "every eligible credential needs a prerequisite you do not hold (e.g. `b` needs `a`)"
    )
    held = PlanLimits(have=frozenset({"a", "b", "c"}))
    assert best_plan([a, b, c], Profile(), held) is None
    assert binding_limit([a, b, c], Profile(), held) == "every credential of the catalog is already held"
    assert binding_limit([a, b, c], Profile(), PlanLimits()) == ""


def test_limits_and_sequences_are_checked() -> None:
    """K outside 1..6, an overlap outside 0..1, a negative budget, an empty or repeated sequence are refused."""
    a, _, _ = example5()
    for bad in ({"max_credentials": 0}, {"max_credentials": 7}, {"overlap": 1.5}, {"budget": -1.0}):
        with pytest.raises(ValueError, match="must be"):
            PlanLimits(**bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one"):
        plan_value([], Profile())
    with pytest.raises(ValueError, match="twice"):
        plan_value([a, a], Profile())
    with pytest.raises(ValueError, match="twice"):
        best_plan([a, a], Profile(), PlanLimits())


# --- The plan model agrees with the engine -------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(credentials_v2(), profiles_v2())
def test_a_plan_of_one_is_the_engine_evaluation(cred: Credential, profile: Profile) -> None:
    """A plan of one has evaluate()'s NPV (to 1e-9 of the flows' present value), and derive()'s totals and flows."""
    plan = plan_value([cred], profile)
    d = derive(cred, profile)
    flows = cash_flows(cred, profile, d)
    size = d.investment + npv(profile.discount_rate, flows.benefit) + npv(profile.discount_rate, flows.renewal)
    assert abs(plan.npv - evaluate(cred, profile).npv) <= 1e-9 * max(1.0, size)
    assert (plan.investment, plan.out_of_pocket, plan.study_weeks, plan.months) == (
        d.investment,
        d.out_of_pocket,
        d.study_weeks,
        d.study_months,
    )
    assert plan.cumulative(profile) == pytest.approx(list(itertools.accumulate(flows.cash_flow)), rel=1e-12, abs=1e-6)
