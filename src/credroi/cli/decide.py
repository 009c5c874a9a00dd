"""The decision commands: rank, plan, simulate, sensitivity, flip and explain (imported when one of them runs)."""

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from credroi.cli.common import (
    CatalogOpt,
    EnvironmentFailedError,
    FieldOpt,
    FormatOpt,
    IdArg,
    KindChoice,
    KindOpt,
    UsageError,
    check_fields,
    color,
    complete_ids,
    credentials,
    emit,
    load,
    output_format,
    profile_of,
    say,
    width,
)

SaveOpt = Annotated[
    Path | None,
    typer.Option(
        "--save",
        metavar="FILE",
        help="Also save the chart as FILE.png or FILE.svg (needs the credroi\\[plot] extra).",
        show_default=False,
        dir_okay=False,
    ),
]
"""``--save FILE``, for the commands that draw a chart (explain, plan)."""


class LevelChoice(StrEnum):
    """``--level`` choices."""

    foundational = "foundational"
    associate = "associate"
    professional = "professional"
    expert = "expert"


class RankBy(StrEnum):
    """``rank --by`` choices."""

    npv = "npv"
    roi = "roi"
    payback = "payback"
    irr = "irr"
    break_even = "break-even"


def rank(
    ctx: typer.Context,
    kind: KindOpt = None,
    field: FieldOpt = None,
    level: Annotated[
        LevelChoice | None, typer.Option("--level", help="Only this level.", case_sensitive=False, show_default=False)
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option("--budget", min=0, help="Largest out-of-pocket cost you can pay.", show_default=False),
    ] = None,
    max_weeks: Annotated[
        float | None,
        typer.Option("--max-weeks", min=0, help="Most study weeks, at your pace.", show_default=False),
    ] = None,
    by: Annotated[
        RankBy, typer.Option("--by", help="What to rank by (best first).", case_sensitive=False)
    ] = RankBy.npv,
    top: Annotated[int, typer.Option("--top", min=1, help="How many to show.")] = 10,
    include_ineligible: Annotated[
        bool,
        typer.Option(
            "--include-ineligible", help="Also rank credentials that ask more experience than --experience-years."
        ),
    ] = False,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """The best credentials for you under your constraints: budget, time, kind, field, level."""
    _check_limits(budget, max_weeks, "one credential")
    from credroi import documents
    from credroi.model import analysis

    cat = load(catalog)
    check_fields(cat, field)
    profile = profile_of(ctx, cat)
    creds = cat.credentials()
    keep = analysis.RankFilter(
        kind=kind.full if kind else None,
        fields=tuple(field or ()),
        level=level.value if level else None,
        budget=budget,
        max_weeks=max_weeks,
    )
    results = analysis.rank(creds, profile, by=by.value, keep=keep, top=top, include_ineligible=include_ineligible)
    left_out = 0 if include_ineligible else analysis.ineligible_count(creds, profile, keep)
    if left_out and output_format(fmt).value not in ("table", "markdown", "auto"):
        say("note", documents.left_out_text(left_out))
    filters = _filters(
        cat.currency, kind, field, budget, max_weeks, (f"level {level.value}" if level else "", level is not None)
    )
    doc = documents.rank_document(
        results, len(creds), profile, cat.currency, by=by.value, filters=filters, width=width(), left_out=left_out
    )
    emit(ctx, doc, fmt)


def _filters(
    currency: str,
    kind: KindChoice | None,
    field: list[str] | None,
    budget: float | None,
    max_weeks: float | None,
    extra: tuple[str, bool],
) -> list[str]:
    """The filters in force, in words, for a title: kinds, fields, budget, weeks, and one of the command's own."""
    candidates = (
        (f"{kind.full}s" if kind else "", kind is not None),
        ("fields " + ", ".join(field or ()), bool(field)),
        extra,
        (f"out of pocket <= {_money(budget, currency)}", budget is not None),
        (f"<= {max_weeks:g} weeks" if max_weeks is not None else "", max_weeks is not None),
    )
    return [text for text, given in candidates if given]


def _money(value: float | None, currency: str) -> str:
    from credroi.render import money

    return money(value, currency)


def simulate(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            autocompletion=complete_ids,
            metavar="ID...",
            help="Credential ids to simulate. \\[default: all]",
            show_default=False,
        ),
    ] = None,
    draws: Annotated[int, typer.Option("--draws", min=1, max=10_000_000, help="Draws per credential.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed prints the same numbers.")] = 2026,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """The odds: simulate uncertain raises, exam attempts and employer recognition; P(NPV > 0) and percentiles."""
    from credroi import documents
    from credroi.model import simulate as sim

    cat = load(catalog)
    profile = profile_of(ctx, cat)
    creds = credentials(cat, ids or [])
    with _progress(len(creds), draws * len(creds) >= 200_000, "simulating") as step:
        sims = sim.simulate_all(creds, profile, draws=draws, seed=seed, progress=step)
    emit(ctx, documents.simulate_document(sims, profile, cat.currency), fmt)


@contextlib.contextmanager
def _progress(total: int, long: bool, label: str) -> Iterator[Callable[[Any], None]]:
    """A progress bar on stderr for long runs on a terminal; otherwise a no-op step function."""
    if not (long and sys.stderr.isatty()):
        yield lambda _item: None
        return
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True, no_color=bool(os.environ.get("NO_COLOR")))
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda _item: bar.advance(task)


def sensitivity(
    ctx: typer.Context,
    cred_id: IdArg,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """A tornado: the NPV at both ends of each input's range, the widest swing first."""
    from credroi import documents
    from credroi.model import analysis, engine

    cat = load(catalog)
    profile = profile_of(ctx, cat)
    (cred,) = credentials(cat, [cred_id])
    result = engine.evaluate(cred, profile)
    doc = documents.sensitivity_document(result, analysis.sensitivity(cred, profile), profile, cat.currency)
    emit(ctx, doc, fmt)


def flip(
    ctx: typer.Context,
    a_id: Annotated[
        str, typer.Argument(autocompletion=complete_ids, metavar="A", help="One credential id.", show_default=False)
    ],
    b_id: Annotated[
        str,
        typer.Argument(autocompletion=complete_ids, metavar="B", help="The other credential id.", show_default=False),
    ],
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """The assumption that would change the decision: for each input, where B's NPV overtakes A's (or A's B's)."""
    from credroi import documents
    from credroi.model import analysis, engine

    if a_id == b_id:
        raise UsageError("invalid value for B: give a credential other than A")
    cat = load(catalog)
    profile = profile_of(ctx, cat)
    a, b = credentials(cat, [a_id, b_id])
    flips = analysis.flip_points(a, b, profile)
    doc = documents.flip_document(
        engine.evaluate(a, profile), engine.evaluate(b, profile), flips, profile, cat.currency
    )
    emit(ctx, doc, fmt)


def explain(
    ctx: typer.Context,
    ids: Annotated[
        list[str],
        typer.Argument(
            autocompletion=complete_ids, metavar="ID...", help="One or more credential ids.", show_default=False
        ),
    ],
    monthly: Annotated[bool, typer.Option("--monthly", help="Month by month instead of year by year.")] = False,
    chart: Annotated[
        bool | None,
        typer.Option(
            "--chart/--no-chart",
            help="Draw the break-even chart under the tables. \\[default: on a terminal]",
            show_default=False,
        ),
    ] = None,
    save: SaveOpt = None,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Cash flows year by year (or --monthly): cumulative and discounted columns, the payback marked, a chart."""
    from credroi import chart as charts
    from credroi import documents
    from credroi.model import engine
    from credroi.render import resolve

    cat = load(catalog)
    profile = profile_of(ctx, cat)
    results = [engine.evaluate(c, profile) for c in credentials(cat, ids)]
    concrete = resolve(output_format(fmt).value, sys.stdout.isatty())
    text = _chart(ctx, charts.series(results), cat.currency, chart, save, concrete)
    doc = documents.explain_document(results, profile, cat.currency, monthly=monthly, chart=text)
    emit(ctx, doc, fmt)


def _chart(ctx: typer.Context, data: Any, currency: str, chart: bool | None, save: Path | None, fmt: str) -> str | None:
    """Save the chart when ``--save`` asks, and draw it for the terminal when it should be: ``--chart``, or by
    default on a terminal, and only beside a table or Markdown.

    A file name no chart can be saved as is bad usage (2); a chart that cannot be written, or
    matplotlib missing, is the environment (74).
    """
    from credroi import chart as charts

    if save is not None:
        try:
            charts.save_chart(data, currency, save)
        except charts.ChartNameError as err:
            raise UsageError(f"--save: {err}") from None
        except charts.ChartError as err:
            raise EnvironmentFailedError([str(err)]) from None
        sys.stderr.write(f"saved the chart to {save}\n")
    draw = chart if chart is not None else sys.stdout.isatty()
    if draw and fmt in ("table", "markdown"):
        return str(charts.terminal_chart(data, currency, width=width(), color=color(ctx)))
    return None


MAX_PLAN_CREDENTIALS = 6
"""The most credentials a plan may hold (``--max-credentials``): the search grows fast with it."""


def plan(
    ctx: typer.Context,
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            metavar="AMOUNT",
            help="Most money out of pocket for the whole plan. \\[default: no limit]",
            show_default=False,
        ),
    ] = None,
    max_weeks: Annotated[
        float | None,
        typer.Option(
            "--max-weeks",
            metavar="WEEKS",
            help="Most study weeks for the whole plan, at your pace. \\[default: no limit]",
            show_default=False,
        ),
    ] = None,
    max_credentials: Annotated[
        int,
        typer.Option(
            "--max-credentials",
            metavar="K",
            help=f"Most credentials in the plan (1 to {MAX_PLAN_CREDENTIALS}).",
        ),
    ] = 3,
    have: Annotated[
        list[str] | None,
        typer.Option(
            "--have",
            metavar="ID",
            autocompletion=complete_ids,
            help="A credential you already hold: never planned again, and it meets prerequisites (repeat for several).",
            show_default=False,
        ),
    ] = None,
    overlap: Annotated[
        float,
        typer.Option(
            "--overlap",
            metavar="SHARE",
            help="Goal raise: the share of its raise a credential adds for each earlier one in the plan of the "
            "same field (0 to 1).",
        ),
    ] = 0.5,
    kind: KindOpt = None,
    field: FieldOpt = None,
    chart: Annotated[
        bool | None,
        typer.Option(
            "--chart/--no-chart",
            help="Draw the chart of the plan's cumulative net value. \\[default: on a terminal]",
            show_default=False,
        ),
    ] = None,
    save: SaveOpt = None,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """The best sequence of credentials, studied one after another, within your budget, time and prerequisites."""
    _check_plan_options(budget, max_weeks, max_credentials, overlap)
    from credroi import chart as charts
    from credroi import documents
    from credroi.model import analysis, engine
    from credroi.model import plan as plans
    from credroi.render import resolve

    cat = load(catalog)
    check_fields(cat, field)
    profile = profile_of(ctx, cat)
    held = _held(cat, have or [])
    keep = analysis.RankFilter(kind=kind.full if kind else None, fields=tuple(field or ()))
    creds = [c for c in cat.credentials() if keep.keeps_credential(c)]
    limits, alone = (
        plans.PlanLimits(budget=budget, max_weeks=max_weeks, max_credentials=k, have=held, overlap=overlap)
        for k in (max_credentials, 1)
    )
    best = plans.best_plan(creds, profile, limits)
    single_plan = plans.best_plan(creds, profile, alone)  # the best single credential within the same limits
    single = engine.evaluate(single_plan.items[0].credential, profile) if single_plan is not None else None
    binding = plans.binding_limit(creds, profile, limits) if best is None else None
    left_out = sum(1 for c in creds if c.id not in held and profile.eligible(c.experience_required) is False)
    concrete = resolve(output_format(fmt).value, sys.stdout.isatty())
    if concrete not in ("table", "markdown"):
        if binding is not None:
            say("note", documents.no_plan_text(binding))
        if left_out:
            say("note", documents.plan_left_out_text(left_out))
    text = None
    if best is not None:
        text = _chart(ctx, charts.plan_series(best, profile, single), cat.currency, chart, save, concrete)
    elif save is not None:
        say("note", f"no plan fits, so no chart was saved to {save}")
    filters = _filters(cat.currency, kind, field, budget, max_weeks, ("holding " + ", ".join(sorted(held)), bool(held)))
    doc = documents.plan_document(
        best,
        profile,
        cat.currency,
        limits=limits,
        single=single,
        binding=binding,
        filters=filters,
        candidates=len(creds),
        left_out=left_out,
        chart=text,
    )
    emit(ctx, doc, fmt)


def _check_limits(budget: float | None, max_weeks: float | None, whole: str) -> None:
    """``--budget`` and ``--max-weeks``: finite and >= 0 (NaN would switch a filter off), else exit 2 with a hint."""
    import math

    if budget is not None and not (math.isfinite(budget) and budget >= 0):
        raise UsageError(
            f"invalid value for --budget: {budget:g} (must be a finite amount >= 0)",
            f"the most you can pay out of pocket for {whole}, e.g. --budget 1500; leave it out for no limit",
        )
    if max_weeks is not None and not (math.isfinite(max_weeks) and max_weeks >= 0):
        raise UsageError(
            f"invalid value for --max-weeks: {max_weeks:g} (must be a finite number of weeks >= 0)",
            f"the most study weeks for {whole} at your pace, e.g. --max-weeks 26; leave it out for no limit",
        )


def _check_plan_options(budget: float | None, max_weeks: float | None, k: int, overlap: float) -> None:
    """Bounds of the plan's own options: each a usage error (exit 2) with a hint."""
    import math

    _check_limits(budget, max_weeks, "the whole plan")
    if not 1 <= k <= MAX_PLAN_CREDENTIALS:
        raise UsageError(
            f"invalid value for --max-credentials: {k} (must be 1 to {MAX_PLAN_CREDENTIALS})",
            f"a plan holds 1 to {MAX_PLAN_CREDENTIALS} credentials (the default is 3); "
            "`credroi rank` ranks single credentials",
        )
    if not (math.isfinite(overlap) and 0.0 <= overlap <= 1.0):
        raise UsageError(
            f"invalid value for --overlap: {overlap:g} (must be 0 to 1)",
            "the share of its raise a credential adds after an earlier one of the same field: "
            "0 adds nothing, 1 adds it all (default 0.5)",
        )


def _held(cat: Any, have: list[str]) -> frozenset[str]:
    """The ``--have`` ids, each checked against the catalog (an unknown one is a usage error, with a did-you-mean)."""
    from credroi.catalog import UnknownCredentialError

    for cred_id in have:
        try:
            cat.credential(cred_id)
        except UnknownCredentialError as err:
            hint = (
                "did you mean " + " or ".join(f"`{s}`" for s in err.suggestions) + "?"
                if err.suggestions
                else "`credroi list` shows every id"
            )
            raise UsageError(f"invalid value for --have: unknown credential `{cred_id}`", hint) from None
    return frozenset(have)
