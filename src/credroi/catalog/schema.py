"""The catalog schema: pydantic models of a catalog file and its entries (docs/model.md inputs)."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from credroi.model.engine import Credential
from credroi.model.numbers import number_problem
from credroi.model.profile import Role as ModelRole

MAX_FEE = 1e9
"""Largest money amount an entry may state: anything larger is a typo."""

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
AS_OF_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
URL_PATTERN = r"^https?://\S+$"
SOC_PATTERN = r"^[0-9]{2}-[0-9]{4}$"

Kind = Literal["certification", "micro-credential"]
Level = Literal["foundational", "associate", "professional", "expert"]
Evidence = Literal["issuer", "survey", "employer-premium", "holders-average", "vendor-claim", "estimate"]


def _plain(value: float) -> float:
    """The one number rule (credroi.model.numbers): here it refuses subnormal values; NaN and inf go earlier."""
    problem = number_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Plain = AfterValidator(_plain)
Money = Annotated[float, Field(ge=0, le=MAX_FEE, allow_inf_nan=False), Plain]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False), Plain]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


EntryFigure = Literal[
    "cost",
    "cost.exam_fee",
    "cost.training",
    "cost.materials",
    "cost.subscription_monthly",
    "study",
    "study.weeks",
    "study.hours_per_week",
    "pass_rate",
    "validity_years",
    "renewal_cost",
    "recognition",
    "salary_uplift",
    "experience_years",
    "requires",
    "roles",
]
"""What a credential's source can support: a figure, or a group (`cost`, `study`) for all its figures."""

RoleFigure = Literal["salary", "experience_years"]
"""What a role's source can support."""

ENTRY_FIGURES: tuple[str, ...] = get_args(EntryFigure)
ROLE_FIGURES: tuple[str, ...] = get_args(RoleFigure)


class Source(_Strict):
    """Where a figure comes from, and which figures it supports (none listed: all of its entry's)."""

    title: Text
    url: Annotated[str, Field(pattern=URL_PATTERN, max_length=2_000)]
    year: Annotated[int, Field(ge=1990, le=2100)]
    evidence: Evidence
    supports: list[EntryFigure] = []


class RoleSource(Source):
    """Where a role's figure comes from."""

    supports: list[RoleFigure] = []  # type: ignore[assignment]


class Cost(_Strict):
    """One-off and monthly costs of earning the credential."""

    exam_fee: Money = 0.0
    training: Money = 0.0
    materials: Money = 0.0
    subscription_monthly: Money = 0.0


class Study(_Strict):
    """Study time at the reference pace."""

    weeks: Annotated[float, Field(gt=0, le=520, allow_inf_nan=False), Plain]
    hours_per_week: Annotated[float, Field(gt=0, le=168, allow_inf_nan=False), Plain]


class Uplift(_Strict):
    """Gross annual raise as a fraction of salary, three scenarios."""

    low: Fraction
    typical: Fraction
    high: Fraction

    @model_validator(mode="after")
    def _ordered(self) -> Uplift:
        if not self.low <= self.typical <= self.high:
            raise ValueError("must satisfy low <= typical <= high")
        return self


class Salary(_Strict):
    """Gross annual pay in a role: 25th percentile, median, 75th percentile."""

    low: Money
    typical: Money
    high: Money

    @model_validator(mode="after")
    def _ordered(self) -> Salary:
        if not self.low <= self.typical <= self.high:
            raise ValueError("must satisfy low <= typical <= high")
        return self


class Role(_Strict):
    """A job a credential can prepare a newcomer for (docs/model.md, "A role")."""

    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=100)]
    name: Text
    soc: Annotated[str, Field(pattern=SOC_PATTERN)] | None = None
    salary: Salary
    experience_years: Annotated[float, Field(ge=0, le=60, allow_inf_nan=False), Plain] | None = None
    sources: list[RoleSource] = []
    as_of: Annotated[str, Field(pattern=AS_OF_PATTERN)] | None = None
    notes: Text | None = None

    def to_role(self) -> ModelRole:
        """The model's view of this role."""
        return ModelRole(
            id=self.id,
            name=self.name,
            salary_low=self.salary.low,
            salary_typical=self.salary.typical,
            salary_high=self.salary.high,
            soc=self.soc,
            experience_years=self.experience_years,
            as_of=self.as_of,
        )


class Entry(_Strict):
    """One credential as the catalog states it."""

    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=100)]
    name: Text
    issuer: Text
    kind: Kind
    fields: Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(min_length=1)]
    level: Level | None = None
    cost: Cost = Cost()
    study: Study
    pass_rate: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False), Plain] = 1.0
    validity_years: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False), Plain] | None = None
    renewal_cost: Money = 0.0
    recognition: Fraction
    salary_uplift: Uplift
    sources: list[Source] = []
    as_of: Annotated[str, Field(pattern=AS_OF_PATTERN)] | None = None
    requires: list[Annotated[str, Field(pattern=ID_PATTERN)]] = []
    experience_years: Annotated[float, Field(ge=0, le=60, allow_inf_nan=False), Plain] | None = None
    roles: list[Annotated[str, Field(pattern=ID_PATTERN)]] = []
    estimates: list[EntryFigure] = []
    """Figures no source gives, estimated by the catalog's authors (the notes say how); dated by `as_of`."""
    notes: Text | None = None

    def to_credential(self) -> Credential:
        """The engine's view of this entry."""
        return Credential(
            id=self.id,
            name=self.name,
            kind=self.kind,
            study_weeks=self.study.weeks,
            study_hours_per_week=self.study.hours_per_week,
            recognition=self.recognition,
            uplift_low=self.salary_uplift.low,
            uplift_typical=self.salary_uplift.typical,
            uplift_high=self.salary_uplift.high,
            exam_fee=self.cost.exam_fee,
            training=self.cost.training,
            materials=self.cost.materials,
            subscription_monthly=self.cost.subscription_monthly,
            pass_rate=self.pass_rate,
            validity_years=self.validity_years,
            renewal_cost=self.renewal_cost,
            fields=tuple(self.fields),
            level=self.level,
            roles=tuple(self.roles),
            experience_required=self.experience_years or 0.0,
            requires=tuple(self.requires),
        )


class CatalogFile(_Strict):
    """The top level of a catalog file."""

    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    credentials: list[Entry] = []
    roles: list[Role] = []


PATTERN_HINTS: dict[str, str] = {
    ID_PATTERN: "must be a slug: lowercase letters, digits and hyphens, not starting with a hyphen",
    AS_OF_PATTERN: "must be a month as YYYY-MM, e.g. 2026-11",
    URL_PATTERN: "must be an http:// or https:// URL",
    r"^[A-Z]{3}$": "must be an ISO 4217 code such as USD",
    SOC_PATTERN: "must be a SOC code such as 15-1232",
}
