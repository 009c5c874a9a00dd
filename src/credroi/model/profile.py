"""The profile (the person and the economic assumptions): one table of its fields, and the record itself.

Each field of :class:`Profile` carries its :class:`Spec` (help, unit, bounds, choices, the range
``sensitivity`` and ``flip`` move it over). Everything users see of a profile is generated from
that table: the CLI options, the ``CREDROI_*`` variables, the profile file template, ``profile
show``, the batch columns, the JSON profile keys and the analysis inputs. Adding a field is one
line here plus its use in the formula (docs/development.md, "Adding a profile field").
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from dataclasses import replace as _replace
from typing import Any, Literal, NamedTuple, Self, cast

from credroi.model.numbers import number_problem, read_number, to_float

Scenario = Literal["low", "typical", "high"]
SCENARIOS: tuple[Scenario, ...] = ("low", "typical", "high")
Goal = Literal["raise", "switch"]
GOALS: tuple[Goal, ...] = ("raise", "switch")

SWITCH_LAG_MONTHS = 3.0
"""The lag under the goal ``switch`` unless set: the median US job search lasted 10.5 weeks in Q4 2024 (BLS CPS)."""
MAX_EXPERIENCE_YEARS = 60.0

HOURS_PER_WORK_YEAR = 2080.0
"""Paid hours in a year (52 weeks x 40 hours): turns a salary into an hourly wage."""

TIME_VALUE_SHARE = 0.5
"""A study hour is worth half the hourly wage by default (the value of non-work time)."""

MONTH_TOLERANCE = 1e-9
"""Slack when turning years into whole months, so 13 weeks is 3 months and 5 years 60 months."""

MAX_HORIZON_YEARS = 100.0
"""Longest horizon the model accepts (1,200 monthly flows)."""

MIN_PACE = 0.1
"""Slowest study pace, hours a week (six minutes): below it study months overflow (docs/model.md)."""
MAX_MONEY = 1e12
"""Largest salary or hourly value accepted: larger inputs are typos and risk overflow."""

MAX_GROWTH = 1.0
"""Largest real salary growth accepted (100 % a year)."""

MAX_DISCOUNT_LOG = 230.0
"""Largest ``horizon * ln(1 / (1 + r))``: beyond it present values exceed 1e100."""

Unit = Literal["money", "money/h", "h/wk", "years", "months", "rate", "share", "choice", "text"]


@dataclass(frozen=True, slots=True)
class Role:
    """A job a credential can prepare a newcomer for: what the goal ``switch`` moves into (docs/model.md, "A role")."""

    id: str
    name: str
    salary_low: float
    """Gross annual pay, 25th percentile."""
    salary_typical: float
    """Median."""
    salary_high: float
    """75th percentile."""
    soc: str | None = None
    experience_years: float | None = None
    """Experience the role usually asks of a newcomer (shown only)."""
    as_of: str | None = None

    def salary(self, scenario: "Scenario") -> float:
        """The pay of ``scenario``: low, typical or high."""
        if scenario == "low":
            return self.salary_low
        if scenario == "high":
            return self.salary_high
        return self.salary_typical

    def as_dict(self) -> dict[str, object]:
        """The role object of machine output (docs/model.md, "roles")."""
        return {
            "id": self.id,
            "name": self.name,
            "soc": self.soc,
            "salary_low": self.salary_low,
            "salary_typical": self.salary_typical,
            "salary_high": self.salary_high,
            "experience_years": self.experience_years,
            "as_of": self.as_of,
        }


class ProfileError(ValueError):
    """A profile value outside its allowed range; ``field`` names the profile key."""

    def __init__(self, field: str, message: str, hint: str | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.hint = hint
        """How to fix it, when there is more to say than the bounds."""


class Sweep(NamedTuple):
    """How the analysis moves a field: ``sensitivity`` over ``move`` around its value, ``flip`` over ``flip``."""

    linear: bool
    """The NPV is linear in the field, so a difference of NPVs has one closed-form root."""
    flip: tuple[float, float]
    """Where ``flip`` looks for a change of leader."""
    move: float = 0.2
    """Sensitivity range: +-``move`` of the value (relative), or +-``move`` units when ``absolute``."""
    absolute: bool = False
    domain: tuple[float, float] = (-math.inf, math.inf)
    """Values the analysis may set (the sensitivity range is clipped to it)."""


class Spec(NamedTuple):
    """What users see of one profile field; the field's name, type and default live on :class:`Profile`."""

    help: str
    unit: Unit
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    """``low`` itself is not allowed (``> low`` rather than ``>= low``)."""
    choices: tuple[str, ...] = ()
    option: str | None = None
    """The CLI option, when it is not ``--`` and the name with dashes."""
    default_text: str | None = None
    """How help and the template describe a default that is not a plain value."""
    example: str | None = None
    """The value the profile template shows, commented out, for a field whose default is computed."""
    sweep: Sweep | None = None


def _field(default: Any, spec: Spec) -> Any:
    return field(default=default, metadata={"spec": spec})


@dataclass(frozen=True, slots=True)
class Profile:
    """The person and the economic assumptions (docs/model.md, "Profile and defaults").

    ``hours_per_week=None`` studies at each entry's reference pace; ``time_value=None`` values a
    study hour at ``0.5 * salary / 2080``. Construction checks every value against the table and
    raises :class:`ProfileError`; ``profile.replace(salary=90_000)`` is a checked copy.
    """

    # name: type = _field(default, Spec(help, unit, bounds..., sweep))  -- one line a field
    salary: float = _field(75_000.0, Spec("Current gross salary a year.", "money", 0.0, MAX_MONEY, sweep=Sweep(True, (10_000.0, 500_000.0), domain=(0.0, math.inf))))  # fmt: skip
    hours_per_week: float | None = _field(None, Spec("Your study hours a week (at least 0.1).", "h/wk", MIN_PACE, default_text="each credential's own pace", example="10"))  # fmt: skip
    horizon_years: float = _field(5.0, Spec("Years to count benefits over (up to 100).", "years", 0.0, MAX_HORIZON_YEARS, low_open=True, option="--horizon", sweep=Sweep(False, (0.5, 40.0), domain=(1.0 / 12.0, MAX_HORIZON_YEARS))))  # fmt: skip
    discount_rate: float = _field(0.03, Spec("Real annual discount rate, e.g. 0.03.", "rate", -1.0, low_open=True, sweep=Sweep(False, (0.0, 0.15), domain=(-0.99, math.inf))))  # fmt: skip
    salary_growth: float = _field(0.02, Spec("Real annual salary growth.", "rate", -1.0, MAX_GROWTH, low_open=True, sweep=Sweep(False, (-0.05, 0.10), domain=(-0.99, 1.0))))  # fmt: skip
    tax_rate: float = _field(0.25, Spec("Marginal tax rate, 0 to 1.", "share", 0.0, 1.0, sweep=Sweep(True, (0.0, 0.6), domain=(0.0, 1.0))))  # fmt: skip
    time_value: float | None = _field(None, Spec("Value of one study hour.", "money/h", 0.0, MAX_MONEY, default_text="half your hourly wage, salary / 2080 / 2", example="20.0", sweep=Sweep(True, (0.0, 200.0), domain=(0.0, math.inf))))  # fmt: skip
    employer_share: float = _field(0.0, Spec("Share of the costs your employer pays, 0 to 1.", "share", 0.0, 1.0))
    selection_adjustment: float = _field(0.25, Spec("Share of a reported raise not caused by the credential, 0 to 1.", "share", 0.0, 1.0, sweep=Sweep(True, (0.0, 1.0), domain=(0.0, 1.0))))  # fmt: skip
    lag_months: float | None = _field(None, Spec("Months from earning it until the gain starts.", "months", 0.0, default_text=f"{SWITCH_LAG_MONTHS:g} under --goal switch (the job search), else 0", example="0", sweep=Sweep(False, (0.0, 36.0), move=3.0, absolute=True, domain=(0.0, 1200.0))))  # fmt: skip
    scenario: Scenario = _field("typical", Spec("Salary uplift scenario (under --goal switch, the target pay's).", "choice", choices=SCENARIOS))  # fmt: skip
    goal: Goal = _field("raise", Spec("What it should bring: a raise where you work, or a move into --target-role.", "choice", choices=GOALS))  # fmt: skip
    target_role: str | None = _field(None, Spec("The role to move into, for --goal switch (see `credroi roles`).", "text", default_text="none", example='"it-support"'))  # fmt: skip
    target_salary: float | None = _field(None, Spec("Pay in the target role a year, for --goal switch.", "money", 0.0, MAX_MONEY, default_text="the role's pay in the scenario", example="60000", sweep=Sweep(False, (20_000.0, 300_000.0), domain=(0.0, MAX_MONEY))))  # fmt: skip
    experience_years: float | None = _field(None, Spec("Your years of relevant experience; entries asking more are ineligible.", "years", 0.0, MAX_EXPERIENCE_YEARS, default_text="not checked", example="2"))  # fmt: skip
    role: Role | None = field(default=None, repr=False)
    """The target role's pay, looked up in the catalog (not a setting: the catalog supplies it for ``target_role``)."""

    def __post_init__(self) -> None:
        for setting in PROFILE_FIELDS:
            setting.check(getattr(self, setting.name))
        if self.goal == "switch" and self.target_role is None:
            raise ProfileError(
                "target_role", "missing: the goal switch needs a role to move into", "`credroi roles` lists the roles"
            )
        if self.role is not None and self.role.id != self.target_role:
            raise ProfileError("target_role", f"is `{self.target_role}`, but the role given is `{self.role.id}`")
        if -math.log1p(self.discount_rate) * self.horizon_years > MAX_DISCOUNT_LOG:
            raise ProfileError(
                "discount_rate",
                f"too close to -1 for a {self.horizon_years:g}-year horizon (present values overflow)",
            )

    def replace(self, **changes: Any) -> Self:
        """A checked copy with ``changes`` (field name -> value); a new target role drops the old role's pay."""
        if "target_role" in changes and "role" not in changes and changes["target_role"] != self.target_role:
            changes["role"] = None
        return _replace(self, **changes)

    @property
    def hourly_time_value(self) -> float:
        """``v``: the value of one study hour."""
        if self.time_value is not None:
            return self.time_value
        return TIME_VALUE_SHARE * self.salary / HOURS_PER_WORK_YEAR

    @property
    def months(self) -> int:
        """``N = 12 * horizon_years``, rounded to the nearest month (halves up)."""
        return math.floor(12.0 * self.horizon_years + 0.5 + MONTH_TOLERANCE)

    @property
    def lag(self) -> float:
        """``L``, the lag in force: ``lag_months``, else 3 months under the goal ``switch`` and 0 under ``raise``."""
        if self.lag_months is not None:
            return self.lag_months
        return SWITCH_LAG_MONTHS if self.goal == "switch" else 0.0

    def target_pay(self, scenario: Scenario) -> float:
        """``P``, the pay in the target role: ``target_salary``, else the role's pay in ``scenario``."""
        if self.target_salary is not None:
            return self.target_salary
        if self.role is None:
            raise ProfileError("target_role", f"no pay known for `{self.target_role}`: give target_salary or the role")
        return self.role.salary(scenario)

    def with_roles(self, roles: Mapping[str, Role]) -> "Profile":
        """This profile with its target role's pay from ``roles`` (a catalog's); unknown ids are an error."""
        if self.target_role is None or self.role is not None:
            return self
        found = roles.get(self.target_role)
        if found is None:
            import difflib

            close = difflib.get_close_matches(self.target_role, list(roles), n=1)
            hint = f"did you mean `{close[0]}`?" if close else "`credroi roles` lists the roles"
            raise ProfileError("target_role", f"unknown role `{self.target_role}`", hint)
        return self.replace(role=found)

    def eligible(self, required_years: float) -> bool | None:
        """``None`` when experience is not set, else whether it covers ``required_years``."""
        if self.experience_years is None:
            return None
        return self.experience_years >= required_years

    @property
    def discount_step(self) -> float:
        """``ln(1 + r) / 12``: month t is discounted by ``exp(-t * discount_step)`` = ``1 / (1 + r_m) ** t``."""
        return math.log1p(self.discount_rate) / 12.0

    @property
    def monthly_rate(self) -> float:
        """``r_m = (1 + r) ** (1/12) - 1``, the monthly rate equivalent to the annual one."""
        return math.expm1(self.discount_step)

    def values(self) -> tuple[object, ...]:
        """The field values in table order (``None`` where a computed default applies)."""
        return tuple(getattr(self, s.name) for s in PROFILE_FIELDS)

    def as_dict(self) -> dict[str, object]:
        """The profile under docs/model.md's JSON keys, in table order, with the hourly time value and the lag in force
        (``target_salary`` stays null when the role's pay applies)."""
        out = {s.name: getattr(self, s.name) for s in PROFILE_FIELDS}
        out["time_value"] = self.hourly_time_value
        out["lag_months"] = self.lag
        return out

    def in_force(self, name: str) -> float | None:
        """The number a field stands for now: a computed default resolved, the target pay of the scenario under
        ``switch``; ``None`` where the field does not apply (a target pay under ``raise``, experience not set)."""
        if name == "target_salary":
            if self.goal != "switch" or (self.target_salary is None and self.role is None):
                return None
            return self.target_pay(self.scenario)
        value = self.as_dict()[name]
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class Setting(NamedTuple):
    """One row of the profile table: a field of :class:`Profile` with its :class:`Spec`."""

    name: str
    default: float | str | None
    spec: Spec

    @property
    def option(self) -> str:
        """The CLI option, e.g. ``--salary``."""
        return self.spec.option or "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        """The environment variable, e.g. ``CREDROI_SALARY``."""
        return "CREDROI_" + self.name.upper()

    @property
    def default_shown(self) -> str:
        """The default as help and ``profile show`` print it."""
        if self.spec.default_text is not None:
            return self.spec.default_text
        return f"{self.default:g}" if isinstance(self.default, float) else str(self.default)

    def parse(self, raw: object) -> float | str:
        """A value from text (an option, a variable) or a TOML/JSON scalar; :class:`ValueError` with a short reason.

        Only the type is checked here; :meth:`check` (run by :class:`Profile`) checks the bounds.
        """
        if self.spec.unit == "text":
            if not isinstance(raw, str) or not raw.strip():
                raise ValueError("must be a non-empty text")
            return raw.strip()
        if self.spec.choices:
            text = raw.strip().lower() if isinstance(raw, str) else None
            if text in self.spec.choices:
                return text
            *most, last = self.spec.choices
            raise ValueError(f"must be one of {', '.join(most)} or {last}")
        if isinstance(raw, bool):
            raise ValueError("must be a number, not true or false")
        if isinstance(raw, int | float):
            number = to_float(raw)
        elif isinstance(raw, str):
            number = read_number(raw, self.spec.unit)
        else:
            raise ValueError("must be a number")
        problem = number_problem(number)
        if problem is not None:
            raise ValueError(problem)
        return number

    def check(self, value: object) -> None:
        """Raise :class:`ProfileError` unless ``value`` is allowed for this field."""
        spec = self.spec
        if value is None and self.default is None:
            return
        if spec.unit == "text":
            if not isinstance(value, str) or not value:
                raise ProfileError(self.name, "must be a non-empty text")
            return
        if spec.choices:
            if value not in spec.choices:
                raise ProfileError(self.name, f"must be one of {', '.join(spec.choices)}")
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ProfileError(self.name, "must be a number")
        problem = number_problem(value)
        if problem is not None:
            raise ProfileError(self.name, problem)
        if spec.low is not None:
            if spec.low_open and value <= spec.low:
                raise ProfileError(self.name, f"must be > {spec.low:g}")
            if not spec.low_open and value < spec.low:
                raise ProfileError(self.name, f"must be >= {spec.low:g}")
        if spec.high is not None and value > spec.high:
            raise ProfileError(self.name, f"must be <= {spec.high:g}")


def lacks_only_its_role(err: ProfileError, values: Mapping[str, Any]) -> bool:
    """Whether ``err`` is what a switch without a target role raises (an interview can still ask for the role)."""
    return err.field == "target_role" and values.get("target_role") is None


PROFILE_FIELDS: tuple[Setting, ...] = tuple(
    Setting(f.name, cast(Any, f.default), f.metadata["spec"]) for f in fields(Profile) if "spec" in f.metadata
)
"""The profile table, in docs/model.md's order of profile keys."""

PROFILE_KEYS: tuple[str, ...] = tuple(s.name for s in PROFILE_FIELDS)
"""The JSON profile keys (and profile file keys, batch columns), in order."""

SETTINGS: dict[str, Setting] = {s.name: s for s in PROFILE_FIELDS}
