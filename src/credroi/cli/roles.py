"""The ``roles`` command: the roles of the catalog, the jobs that ``--goal switch`` can move into."""

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

import typer

from credroi.cli.common import CatalogOpt, FormatOpt, emit, load, width
from credroi.render import Column, Document, Table, money, number

if TYPE_CHECKING:
    from credroi.model.profile import Role


def roles(ctx: typer.Context, catalog: CatalogOpt = None, fmt: FormatOpt = None) -> None:
    """List the roles of the catalog: SOC code, pay a year (25th percentile, median, 75th percentile) and experience.

    Use a role's id with --goal switch --target-role ID.
    """
    cat = load(catalog)
    emit(ctx, roles_document(list(cat.model_roles().values()), cat.currency, width=width()), fmt)


def roles_document(roles: Sequence["Role"], currency: str, *, width: int = 80) -> Document:
    """``roles``: each role's id, name, SOC code, pay and experience (JSON: docs/model.md, "roles")."""
    records = [role.as_dict() for role in roles]
    cur = partial(money, currency=currency)
    cols = [
        Column("id", "ID", str, justify="left"),
        Column("name", "Name", str, justify="left", flex=True),
        Column("soc", "SOC", _text, justify="left"),
        Column("salary_low", "25th pct", cur),
        Column("salary_typical", "Median", cur),
        Column("salary_high", "75th pct", cur),
        Column("experience_years", "Exp.", _years),
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


def _text(value: str | None) -> str:
    return "n/a" if value is None else value


def _years(value: float | None) -> str:
    return "n/a" if value is None else number(value, 1)
