"""Version 2 of the model (MODEL.md): goals raise and switch, roles, eligibility, MIRR, discounted payback,
the break-even recognition and the count of IRR roots, held to the worked examples and to the naive reference."""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import HealthCheck, assume, example, given, settings

from credroi.model.engine import Credential, Evaluation, evaluate
from credroi.model.irr import irr_and_roots, runs_of
from credroi.model.profile import Profile, ProfileError, Role

from . import model_reference as ref
from .strategies import credentials_v2, profiles_v2

IT_SUPPORT = Role("it-support", "Computer user support specialist", 47_000.0, 60_340.0, 77_000.0)


def shown(text: str) -> object:
    """``text`` as a number, compared to the digits shown: within half a unit of its last digit."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return pytest.approx(float(text), rel=0, abs=0.5 * 10.0**-decimals)


def example1() -> tuple[Credential, Profile]:
    """MODEL.md worked example 1: the entry and the profile."""
    cred = Credential(
        id="ex1",
        name="Example 1",
        kind="certification",
        study_weeks=8,
        study_hours_per_week=10,
        recognition=0.8,
        uplift_low=0.06,
        uplift_typical=0.06,
        uplift_high=0.06,
        exam_fee=150,
        training=100,
        pass_rate=0.75,
        validity_years=3,
        renewal_cost=150,
    )
    return cred, Profile(salary=80_000, lag_months=3)


def example4() -> tuple[Credential, Profile]:
    """MODEL.md worked example 4 (a switch into it-support): the entry and the profile."""
    cred = Credential(
        id="ex4",
        name="Example 4",
        kind="certification",
        study_weeks=24,
        study_hours_per_week=10,
        recognition=0.4,
        uplift_low=0.0,
        uplift_typical=0.0,
        uplift_high=0.0,
        subscription_monthly=49,
        roles=("it-support",),
    )
    profile = Profile(salary=33_700, goal="switch", target_role="it-support", experience_years=0).with_roles(
        {"it-support": IT_SUPPORT}
    )
    return cred, profile


# --- Worked examples -------------------------------------------------------------------------------------


def test_worked_example_3_new_metrics_of_example_1() -> None:
    """Example 3: mirr 0.427318, discounted payback 16, break-even recognition 0.165778, one IRR root, eligible null."""
    e = evaluate(*example1())
    assert e.mirr == shown("0.427318")
    assert e.discounted_payback_months == 16
    assert e.break_even_recognition == shown("0.165778")
    assert e.irr_roots == 1
    assert e.eligible is None
    assert e.npv == shown("7556.0136")  # example 1 still holds under version 2
    assert e.irr == shown("1.23321")


def test_worked_example_4_a_switch() -> None:
    """Example 4: a switch into it-support reproduces every figure MODEL.md prints."""
    cred, profile = example4()
    assert profile.lag == 3.0
    e = evaluate(cred, profile)
    d = e.derived
    assert d.study_months == 6
    assert d.direct_cost == shown("294")
    assert d.time_cost == shown("1944.2308")
    assert d.investment == shown("2238.2308")
    assert d.gross_uplift == shown("26640")
    assert d.annual_benefit == shown("5994")
    benefit = e.flows.benefit
    assert all(b == 0.0 for b in benefit[:10])
    assert benefit[10] > 0.0  # benefits from month 10 (m + L = 9)
    assert e.npv == shown("22249.0586")
    assert e.roi == shown("10.92796")
    assert e.payback_months == 14
    assert e.irr == shown("2.060682")
    assert e.mirr == shown("0.662051")
    assert e.discounted_payback_months == 14
    assert e.break_even_uplift == shown("2434.9967")
    assert e.break_even_recognition == shown("0.0365615")
    assert e.eligible is True
    assert e.irr_roots == 1


def test_worked_example_4_without_roles_gains_nothing() -> None:
    """Example 4's entry without roles: npv is minus the investment, no IRR, no root, no break-even recognition."""
    cred, profile = example4()
    e = evaluate(cred.replace(roles=()), profile)
    assert e.npv == shown("-2238.2308")
    assert e.npv == -e.derived.investment
    assert e.irr is None
    assert e.irr_roots == 0
    assert e.break_even_recognition is None
    assert e.derived.gross_uplift == 0.0


def test_worked_examples_agree_with_the_reference() -> None:
    """The naive reference reproduces examples 3 and 4 too (so it can judge the random cases)."""
    r1 = ref.metrics(
        ref.Case(
            exam_fee=150,
            training=100,
            weeks=8,
            hours_per_week=10,
            pass_rate=0.75,
            validity_years=3,
            renewal_cost=150,
            recognition=0.8,
            uplift=0.06,
            salary=80_000,
            lag_months=3,
        )
    )
    assert r1["mirr"] == shown("0.427318")
    assert r1["discounted_payback_months"] == 16
    assert r1["break_even_recognition"] == shown("0.165778")
    assert r1["irr_roots"] == 1
    assert r1["irr"] == shown("1.23321")
    case4 = ref.Case(
        subscription_monthly=49,
        weeks=24,
        hours_per_week=10,
        recognition=0.4,
        salary=33_700,
        goal="switch",
        prepares=True,
        role_salary=(47_000, 60_340, 77_000),
        experience_years=0,
    )
    r4 = ref.metrics(case4)
    assert r4["npv"] == shown("22249.0586")
    assert r4["irr"] == shown("2.060682")
    assert r4["mirr"] == shown("0.662051")
    assert r4["break_even_recognition"] == shown("0.0365615")
    assert r4["eligible"] is True
    r4_no_roles = ref.metrics(ref.Case(**{**case4.__dict__, "prepares": False}))
    assert r4_no_roles["npv"] == shown("-2238.2308")
    assert r4_no_roles["irr_roots"] == 0
    assert r4_no_roles["break_even_recognition"] is None


# --- Every v2 metric against the naive reference ---------------------------------------------------------


def case_of(cred: Credential, profile: Profile) -> ref.Case:
    """The reference's inputs for ``cred`` and ``profile``, field by field."""
    role = profile.role
    return ref.Case(
        exam_fee=cred.exam_fee,
        training=cred.training,
        materials=cred.materials,
        subscription_monthly=cred.subscription_monthly,
        weeks=cred.study_weeks,
        hours_per_week=cred.study_hours_per_week,
        pass_rate=cred.pass_rate,
        validity_years=cred.validity_years,
        renewal_cost=cred.renewal_cost,
        recognition=cred.recognition,
        uplift={"low": cred.uplift_low, "typical": cred.uplift_typical, "high": cred.uplift_high}[profile.scenario],
        salary=profile.salary,
        pace=profile.hours_per_week,
        horizon_years=profile.horizon_years,
        discount_rate=profile.discount_rate,
        salary_growth=profile.salary_growth,
        tax_rate=profile.tax_rate,
        time_value=profile.time_value,
        employer_share=profile.employer_share,
        selection_adjustment=profile.selection_adjustment,
        lag_months=profile.lag_months,
        goal=profile.goal,
        scenario=profile.scenario,
        prepares=profile.target_role is not None and profile.target_role in cred.roles,
        role_salary=None if role is None else (role.salary_low, role.salary_typical, role.salary_high),
        target_salary=profile.target_salary,
        experience_years=profile.experience_years,
        required_years=cred.experience_required,
    )


def assert_close(got: float | None, want: object, scale: float, what: str) -> None:
    """``got`` equals ``want`` to 1e-6 relative, or ``1e-6 * scale`` absolute near 0; ``None`` only with ``None``."""
    if want is None or got is None:
        assert got is want, f"{what}: engine {got!r}, reference {want!r}"
        return
    assert isinstance(want, float | int)
    assert got == pytest.approx(want, rel=1e-6, abs=1e-6 * scale), f"{what}: engine {got!r}, reference {want!r}"


def month_between(got: int | None, cash: list[float], paid_back: object, rm: float | None = None) -> bool:
    """Whether ``got`` is the reference's month at a threshold of -1e-9, give or take float rounding."""
    slack = 1e-12 * (1.0 + math.fsum(abs(f) for f in cash))
    args = (cash,) if rm is None else (cash, rm)
    early = paid_back(*args, threshold=-1e-9 - slack)  # type: ignore[operator]
    late = paid_back(*args, threshold=-1e-9 + slack)  # type: ignore[operator]
    if got is None:
        return late is None
    return early is not None and early <= got and (late is None or got <= late)


def close_roots(us: list[float]) -> bool:
    """Whether two roots u = ln(1 + rho) of the same sign lie within 25 % of each other (one step of the engine's
    bracketing grid: such a pair shows no change of sign on the grid, and the engine looks for it between points)."""
    return any(a * b > 0 and max(a / b, b / a) < 1.25 for a, b in itertools.pairwise(us))


def check_against_reference(e: Evaluation, case: ref.Case, want: dict[str, object] | None = None) -> None:
    """Every v2 metric of ``e`` equals the reference's for ``case`` (``want``: its metrics, when already computed)."""
    want = ref.metrics(case) if want is None else want
    _, _, cash, investment = ref.flows(case)
    rm = ref.monthly_rate(case)
    scale = 1.0 + investment + math.fsum(abs(f) for f in cash)
    assert e.eligible is want["eligible"]
    assert e.irr_roots == want["irr_roots"], f"irr_roots: engine {e.irr_roots}, reference {want['irr_roots']}"
    assert_close(e.irr, want["irr"], 1e-3, "irr")
    assert_close(e.npv, want["npv"], 1e-3 * scale, "npv")
    assert_close(e.roi, want["roi"], 1e-3, "roi")
    assert_close(e.derived.annual_benefit, want["annual_benefit"], 1e-3, "annual_benefit")
    assert_close(e.mirr, want["mirr"], 1e-3, "mirr")
    assert_close(e.break_even_recognition, want["break_even_recognition"], 1e-3, "break_even_recognition")
    assert month_between(e.payback_months, cash, ref.payback), (e.payback_months, want["payback_months"])
    assert month_between(e.discounted_payback_months, cash, ref.discounted_payback, rm), (
        e.discounted_payback_months,
        want["discounted_payback_months"],
    )
    if e.irr_roots == 2:
        assert e.irr is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credentials_v2(), profiles_v2())
def test_every_v2_metric_equals_the_reference(cred: Credential, profile: Profile) -> None:
    """On random credentials and profiles (raise and switch), every v2 metric equals the naive month loop's."""
    case = case_of(cred, profile)
    want = ref.metrics(case)
    benefit = abs(want["annual_benefit"])  # type: ignore[arg-type]
    assume(benefit == 0.0 or benefit > 1e-250)  # products that underflow to subnormals round differently
    check_against_reference(evaluate(cred, profile), case, want)


def test_a_sweep_of_switch_cases_agrees_with_the_reference() -> None:
    """A fixed sweep of switch cases (preparing or not, P below or above S, target salary or role) matches too."""
    base, _ = example4()
    for prepares in (True, False):
        for salary in (20_000.0, 50_000.0, 70_000.0, 90_000.0):
            for target_salary in (None, 65_000.0):
                for scenario in ("low", "typical", "high"):
                    for lag in (None, 0.0, 7.5):
                        cred = base.replace(roles=("it-support",) if prepares else ("other",), validity_years=2.0)
                        profile = Profile(
                            salary=salary,
                            goal="switch",
                            target_role="it-support",
                            role=IT_SUPPORT,
                            target_salary=target_salary,
                            scenario=scenario,  # type: ignore[arg-type]
                            lag_months=lag,
                            experience_years=1.0,
                        )
                        e = evaluate(cred.replace(renewal_cost=120.0), profile)
                        check_against_reference(e, case_of(e.credential, profile))
                        pay = target_salary if target_salary is not None else IT_SUPPORT.salary(scenario)  # type: ignore[arg-type]
                        assert e.derived.gross_uplift == (max(0.0, pay - salary) if prepares else 0.0)


# --- irr_roots ------------------------------------------------------------------------------------------


def long_flows_with_a_final_renewal() -> list[float]:
    """-1000, then 100 a month for 60 months, with a renewal of 5500 in month 60: two positive IRRs."""
    flows = [-1000.0] + [100.0] * 60
    flows[60] -= 5500.0
    return flows


@pytest.mark.parametrize(
    ("flows", "roots"),
    [
        ([100.0, 50.0], 0),
        ([-100.0, -5.0, 0.0], 0),
        ([1.0, -3.0, 3.0], 0),  # 1 - 3x + 3x^2 > 0: the signs change but the NPV never reaches 0
        ([-100.0, 60.0, 60.0], 1),
        ([-1000.0] + [30.0] * 24, 1),  # the undiscounted sum is < 0: a negative rate
        ([-100.0, 100.0], 1),  # the undiscounted sum is 0: a root at rate 0
        ([-100.0, 230.0, -132.0], 2),  # (1 + rho) = 1.1 or 1.2
        ([-100.0, 250.0, -150.0], 2),  # (1 + rho) = 1 or 1.5: one root at rate 0, another above
        (long_flows_with_a_final_renewal(), 2),
    ],
)
def test_irr_roots_of_hand_built_flows(flows: list[float], roots: int) -> None:
    """``irr_and_roots`` counts 0, 1 or 2 (two or more) roots as the reference grid does; irr is null unless one."""
    assert ref.irr_roots(flows) == roots
    rate, count = irr_and_roots(runs_of(flows))
    assert count == roots
    if roots == 1:
        monthly = float(npf.irr(flows))
        assert rate == pytest.approx((1 + monthly) ** 12 - 1, rel=1e-9)
        assert rate == pytest.approx(ref.irr(flows), rel=1e-9)
    else:
        assert rate is None


def test_two_close_roots_are_counted() -> None:
    """-100, 224, -125.43 has two IRRs, 1 + rho = 1.11 and 1.13, so irr_roots is 2 and irr is null."""
    flows = [-100.0, 224.0, -125.43]
    assert ref.irr_roots(flows) == 2
    assert [round(math.exp(u), 9) for u in ref.root_us(flows)] == [1.11, 1.13]
    assert irr_and_roots(runs_of(flows)) == (None, 2)  # got (None, 0)


def close_roots_case() -> tuple[Credential, Profile]:
    """A credential whose flows have three IRRs: one negative and two positive within 11 % of each other in u."""
    cred = Credential(
        id="close",
        name="Close roots",
        kind="certification",
        study_weeks=1.456130485149657,
        study_hours_per_week=8.161622883793324,
        recognition=0.8422495102421341,
        uplift_low=0.0,
        uplift_typical=0.10741254456050389,
        uplift_high=0.5,
        exam_fee=211.8269657360513,
        validity_years=3.096350102519535,
        renewal_cost=136928.26318802158,
    )
    profile = Profile(
        salary=84254.50654697785,
        horizon_years=6.141807266697544,
        discount_rate=0.030711293800172235,
        lag_months=8.278101110695319,
        time_value=0.0,
    )
    return cred, profile


def test_the_close_roots_case_has_three_roots() -> None:
    """The reference finds three roots (monthly rho about -9.2 %, 18.8 % and 21.0 %), checked by exact fractions."""
    cred, profile = close_roots_case()
    cash = evaluate(cred, profile).flows.cash_flow
    us = ref.root_us(cash)
    assert len(us) == 3
    assert close_roots(us)

    def exact_npv(rho: float) -> Fraction:
        x = 1 / (1 + Fraction(rho))
        return sum((Fraction(f) * x**t for t, f in enumerate(cash)), Fraction(0))

    signs = [exact_npv(rho) > 0 for rho in (-0.05, -0.12, 0.15, 0.2, 0.25)]
    assert signs == [False, True, False, True, False]


def test_evaluate_reports_no_irr_when_two_roots_are_close() -> None:
    """With three IRRs (two of them close), evaluate reports irr_roots 2 and irr null (it once gave 1 and -0.68519)."""
    e = evaluate(*close_roots_case())
    assert e.irr_roots == 2
    assert e.irr is None


def test_reference_finds_both_roots_of_the_textbook_case() -> None:
    """The reference's grid brackets the two monthly roots 10 % and 20 % of -100, 230, -132."""
    cells = ref._crossings([-100.0, 230.0, -132.0])
    assert len(cells) == 2
    for (a, b), root in zip(cells, (0.1, 0.2), strict=True):
        assert math.expm1(a) <= root <= math.expm1(b)


def huge_renewal_case() -> tuple[Credential, Profile]:
    """A credential whose renewal of 30,000 falls in the horizon's last month, after 59 months of benefits."""
    cred = Credential(
        id="renew",
        name="Renew",
        kind="certification",
        study_weeks=4,
        study_hours_per_week=10,
        recognition=1.0,
        uplift_low=0.1,
        uplift_typical=0.1,
        uplift_high=0.1,
        validity_years=4.9,
        renewal_cost=30_000,
    )
    return cred, Profile()


def test_a_huge_renewal_near_the_horizon_gives_two_roots_and_no_irr() -> None:
    """Benefits then a huge renewal in month 60: the flows have two IRRs, so irr is null while mirr exists."""
    cred, profile = huge_renewal_case()
    e = evaluate(cred, profile)
    assert e.flows.renewal[60] == 30_000
    assert e.irr_roots == 2
    assert e.irr is None
    assert e.mirr is not None
    assert ref.irr_roots(e.flows.cash_flow) == 2
    check_against_reference(e, case_of(cred, profile))
    # the same entry with a small renewal has one root and an IRR
    small = evaluate(cred.replace(renewal_cost=100.0), profile)
    assert small.irr_roots == 1
    assert small.irr is not None


def test_evaluate_counts_zero_and_one_root() -> None:
    """Example 1 has one root (and an IRR); a credential that gains nothing has none (and no IRR)."""
    cred, profile = example1()
    assert evaluate(cred, profile).irr_roots == 1
    none = evaluate(cred.replace(recognition=0.0, renewal_cost=0.0), profile)
    assert none.irr_roots == 0
    assert none.irr is None


# --- MIRR ------------------------------------------------------------------------------------------------


def annual_npf_mirr(cash: list[float], rm: float) -> float | None:
    """numpy-financial's mirr with both rates r_m, annualised; None where it gives NaN (no inflow or no outflow)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        monthly = float(npf.mirr(cash, rm, rm))
    if math.isnan(monthly):
        return None
    return (1 + monthly) ** 12 - 1


@settings(max_examples=100, deadline=None)
@given(credentials_v2(), profiles_v2())
@example(*example1())
@example(*example4())
def test_mirr_equals_numpy_financial(cred: Credential, profile: Profile) -> None:
    """``mirr`` is numpy-financial's ``mirr(flows, r_m, r_m)`` annualised, and null exactly where it is NaN."""
    e = evaluate(cred, profile)
    cash = e.flows.cash_flow
    if len(cash) < 2:
        assert e.mirr is None  # a horizon of 0 months has no inflow
        return
    want = annual_npf_mirr(cash, profile.monthly_rate)
    if want is not None and not math.isfinite(want):
        assert e.mirr is None  # the annual rate overflows a float
        return
    assert_close(e.mirr, want, 1e-3, "mirr")


# --- Discounted payback ----------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(credentials_v2(), profiles_v2())
def test_discounted_payback_is_no_earlier_than_payback_when_flows_after_0_are_inflows(
    cred: Credential, profile: Profile
) -> None:
    """With no renewals (every flow after month 0 >= 0), discounting at r >= 0 delays the payback and at r < 0
    advances it, and the discounted payback is null when the NPV is below the -1e-9 tolerance."""
    e = evaluate(cred.replace(renewal_cost=0.0), profile)
    assert all(f >= 0.0 for f in e.flows.cash_flow[1:])
    pb, dpb = e.payback_months, e.discounted_payback_months
    if pb is not None and dpb is not None:
        if profile.discount_rate >= 0.0:
            assert dpb >= pb
        else:
            assert dpb <= pb
    if profile.discount_rate >= 0.0 and pb is None:
        assert dpb is None
    if e.npv < -1e-9 - 1e-12 * (1.0 + e.derived.investment):
        assert dpb is None
    if e.npv > 1e-9:
        assert dpb is not None


def test_discounted_payback_at_zero_rate_is_the_payback() -> None:
    """At a discount rate of 0 the discounted payback is the plain payback month."""
    cred, profile = example1()
    e = evaluate(cred, profile.replace(discount_rate=0.0))
    assert e.discounted_payback_months == e.payback_months == 16
    later = evaluate(cred, profile.replace(discount_rate=0.5))
    assert later.discounted_payback_months is not None
    assert later.discounted_payback_months > later.payback_months  # type: ignore[operator]


# --- Break-even recognition ------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(credentials_v2(), profiles_v2())
def test_break_even_recognition_makes_the_npv_zero(cred: Credential, profile: Profile) -> None:
    """At the break-even recognition the NPV is 0 (to 1e-6 of the cost scale); it is null when the gain is 0."""
    e = evaluate(cred, profile)
    be = e.break_even_recognition
    if e.derived.gross_uplift == 0.0:
        assert be is None
    if be is None:
        return
    at = evaluate(cred.replace(recognition=be), profile)
    cost = e.derived.investment + math.fsum(e.flows.renewal)
    assert abs(at.npv) <= 1e-6 * (1.0 + cost)
    assert be >= 0.0  # costs are never negative, so the NPV at recognition 0 is never above 0


def test_break_even_recognition_is_null_without_a_gain_or_a_benefit_month() -> None:
    """No gain (raise of 0, switch not prepared for, target pay below salary) or no benefit month: null."""
    cred, profile = example1()
    assert evaluate(cred.replace(uplift_typical=0.0), profile).break_even_recognition is None
    assert evaluate(cred, profile.replace(lag_months=100.0)).break_even_recognition is None
    switch_cred, switch = example4()
    assert evaluate(switch_cred.replace(roles=("other",)), switch).break_even_recognition is None
    assert evaluate(switch_cred, switch.replace(target_salary=30_000.0)).break_even_recognition is None
    assert evaluate(switch_cred, switch.replace(target_salary=33_700.0)).break_even_recognition is None


def test_break_even_recognition_may_exceed_one() -> None:
    """A credential that loses money even when always recognised breaks even at a recognition above 1."""
    cred, profile = example1()
    e = evaluate(cred.replace(training=50_000.0), profile)
    assert e.npv < 0
    assert e.break_even_recognition is not None
    assert e.break_even_recognition > 1.0
    assert evaluate(cred.replace(training=50_000.0, recognition=e.break_even_recognition), profile).npv == (
        pytest.approx(0.0, abs=1e-6)
    )


# --- Eligibility -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("experience", "required", "eligible"),
    [(None, 0.0, None), (None, 5.0, None), (0.0, 0.0, True), (2.0, 2.0, True), (1.99, 2.0, False), (10.0, 5.0, True)],
)
def test_eligible_compares_experience_with_the_entry(
    experience: float | None, required: float, eligible: bool | None
) -> None:
    """``eligible`` is null without the person's experience, else whether it covers the entry's ``experience_years``."""
    cred, profile = example1()
    e = evaluate(cred.replace(experience_required=required), profile.replace(experience_years=experience))
    assert e.eligible is eligible
    assert e.as_dict()["eligible"] is eligible


def test_eligibility_does_not_change_the_numbers() -> None:
    """An ineligible entry keeps its NPV: eligibility is reported, not priced."""
    cred, profile = example1()
    a = evaluate(cred.replace(experience_required=5.0), profile.replace(experience_years=1.0))
    b = evaluate(cred, profile)
    assert a.eligible is False
    assert a.npv == b.npv


# --- The profile under version 2 -------------------------------------------------------------------------


def test_switch_without_a_target_role_is_refused() -> None:
    """``Profile(goal="switch")`` without ``target_role`` raises ProfileError on the field target_role."""
    with pytest.raises(ProfileError) as info:
        Profile(goal="switch")
    assert info.value.field == "target_role"


def test_the_lag_in_force_depends_on_the_goal() -> None:
    """The lag is 3 months under switch and 0 under raise unless set; a set lag wins; JSON shows the lag in force."""
    raise_ = Profile()
    switch = Profile(goal="switch", target_role="it-support")
    assert raise_.lag == 0.0
    assert switch.lag == 3.0
    assert switch.as_dict()["lag_months"] == 3.0
    assert raise_.as_dict()["lag_months"] == 0.0
    assert switch.replace(lag_months=0.0).lag == 0.0
    assert raise_.replace(lag_months=5.0).lag == 5.0


def test_with_roles_on_an_unknown_role_suggests_the_nearest() -> None:
    """An unknown target role raises ProfileError on target_role with a did-you-mean hint."""
    profile = Profile(goal="switch", target_role="it-suport")
    with pytest.raises(ProfileError) as info:
        profile.with_roles({"it-support": IT_SUPPORT})
    assert info.value.field == "target_role"
    assert info.value.hint is not None
    assert "did you mean" in info.value.hint
    assert "it-support" in info.value.hint


def test_with_roles_looks_the_role_up_and_target_salary_overrides_its_pay() -> None:
    """``with_roles`` sets the role; P is the role's pay of the scenario unless target_salary is given."""
    profile = Profile(goal="switch", target_role="it-support").with_roles({"it-support": IT_SUPPORT})
    assert profile.role == IT_SUPPORT
    assert [profile.target_pay(s) for s in ("low", "typical", "high")] == [47_000.0, 60_340.0, 77_000.0]
    fixed = profile.replace(target_salary=52_000.0)
    assert [fixed.target_pay(s) for s in ("low", "typical", "high")] == [52_000.0] * 3


def test_replacing_the_target_role_drops_the_old_role() -> None:
    """``replace(target_role=...)`` with a new id drops the looked-up role; the same id keeps it."""
    profile = Profile(goal="switch", target_role="it-support", role=IT_SUPPORT)
    assert profile.replace(target_role="data-analyst").role is None
    assert profile.replace(target_role="it-support").role == IT_SUPPORT
    assert profile.replace(salary=40_000.0).role == IT_SUPPORT
    with pytest.raises(ProfileError) as info:
        Profile(goal="switch", target_role="data-analyst", role=IT_SUPPORT)
    assert info.value.field == "target_role"
