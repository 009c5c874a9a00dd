"""The commands that evaluate and show the catalog: compare, list, show and roles."""

import sys
from enum import StrEnum
from typing import Annotated

import typer

from credroi.cli.common import (
    CatalogOpt,
    FieldOpt,
    Fmt,
    FormatOpt,
    IdArg,
    IdsOpt,
    KindOpt,
    check_fields,
    credentials,
    emit,
    entries,
    load,
    output_format,
    profile_of,
    say,
    width,
)


class GroupBy(StrEnum):
    """``compare --by`` choices."""

    kind = "kind"
    field = "field"


def compare(
    ctx: typer.Context,
    ids: IdsOpt = None,
    field: FieldOpt = None,
    by: Annotated[
        GroupBy | None,
        typer.Option(
            "--by",
            help="Show group statistics instead of the ranking: by kind (with the verdict) or by field.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Rank credentials by NPV for your profile, with a summary by kind.

    With no ids, every credential of the catalog is ranked, and a summary beneath answers whether certifications or micro-credentials do better for you. ROI and payback are undiscounted; the discounted payback sits beside them.
    """
    from credroi import documents
    from credroi.model import engine

    cat = load(catalog)
    check_fields(cat, field)
    profile = profile_of(ctx, cat)
    chosen = credentials(cat, ids or [])
    if field:
        chosen = [c for c in chosen if set(field) & set(c.fields)]
    results = engine.evaluate_all(chosen, profile)
    verdict = None
    if by is None:
        doc = documents.compare_document(results, profile, cat.currency, width=width())
        if _records_only(fmt):
            # the table shows the verdict under the summary and JSON has the results to compute it;
            # CSV and JSON Lines carry records only, so the one-line verdict goes to stderr, after them
            verdict = documents.verdict_text(results, profile, cat.currency)
    else:
        from credroi.model import analysis

        groups = documents.kind_groups(results, profile) if by is GroupBy.kind else analysis.groups_by_field(results)
        doc = documents.groups_document(groups, results, profile, cat.currency, by=by.value)
    emit(ctx, doc, fmt)
    if verdict:
        say("verdict", " ".join(verdict.split()).removeprefix("Verdict: "))


def _records_only(fmt: Fmt | None) -> bool:
    """Whether ``fmt`` (resolved for this stdout) prints the records alone: CSV or JSON Lines."""
    from credroi.render import resolve

    return resolve(output_format(fmt).value, sys.stdout.isatty()) in ("csv", "jsonl")


def list_(
    ctx: typer.Context,
    kind: KindOpt = None,
    field: FieldOpt = None,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """List the credentials of the catalog: id, name, kind, fields, cost and study weeks."""
    from credroi import documents

    cat = load(catalog)
    check_fields(cat, field)
    shown = list(cat.entries.values())
    if kind is not None:
        shown = [e for e in shown if e.kind == kind.full]
    if field:
        wanted = {f.lower() for f in field}
        shown = [e for e in shown if wanted & {f.lower() for f in e.fields}]
    emit(ctx, documents.list_document(shown, cat.currency, width=width()), fmt)


def show(
    ctx: typer.Context,
    cred_id: IdArg,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Show one credential: every input, derived value and metric, the scenarios and the sources."""
    from credroi import documents

    cat = load(catalog)
    (entry,) = entries(cat, [cred_id])
    emit(ctx, documents.show_document(entry, profile_of(ctx, cat), cat.currency), fmt, page=True)


def roles(ctx: typer.Context, catalog: CatalogOpt = None, fmt: FormatOpt = None) -> None:
    """List the roles of the catalog: SOC code, pay a year (25th percentile, median, 75th percentile) and experience.

    Use a role's id with --goal switch --target-role ID.
    """
    from credroi import documents

    cat = load(catalog)
    emit(ctx, documents.roles_document(list(cat.model_roles().values()), cat.currency, width=width()), fmt)
