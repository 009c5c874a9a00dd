"""The guided commands: advise (an interview on a terminal, options off one) and report (HTML or Markdown).

The interview asks for profile options by their option names; each question's parsing, bounds
and default come from the profile table, so an answer typed in the interview and the same value
given as an option meet the same checks.
"""

import os
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from credroi.cli.common import (
    CatalogOpt,
    DataError,
    EnvironmentFailedError,
    FieldOpt,
    FormatOpt,
    UsageError,
    emit,
    known_fields,
    load,
    profile_of,
    profile_values,
    sources_of,
    unknown_field,
)

if TYPE_CHECKING:
    from rich.console import Console

    from credroi.advise import Limits
    from credroi.catalog import Catalog
    from credroi.model.profile import Profile, Setting

REQUIRED = ("--goal", "--salary")
"""The profile options advise and report need off a terminal (a value from the environment or profile file counts)."""

ROLE_OPTION = "--target-role"
BUDGET = "--budget"
FIELD = "--field"
SWITCH = "switch"


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the interview about a profile option: its words, and whether a blank answer is allowed."""

    option: str
    text: str
    blank: str | None = None
    """What a blank answer means (it keeps the model's computed default); None: an answer is needed."""


QUESTIONS: tuple[Question, ...] = (
    Question("--goal", "Your goal: a raise where you work (raise), or a move into a new role (switch)"),
    Question(ROLE_OPTION, "The role to move into (its number or id)"),
    Question("--salary", "Your gross salary a year"),
    Question("--experience-years", "Years of relevant experience", blank="not checked"),
    Question("--hours-per-week", "Hours a week you can study", blank="each credential's own pace"),
    Question(BUDGET, "Most you can pay out of pocket", blank="no limit"),
    Question("--employer-share", "Who pays the fees: me, employer, or the share your employer pays (0 to 1)"),
    Question("--horizon", "Years to count the benefits over"),
    Question(FIELD, "Fields of interest, separated by commas", blank="all"),
)
"""The questions in the order asked: profile options, and the budget and fields of interest (advise's own)."""

BudgetOpt = Annotated[
    float | None,
    typer.Option(
        "--budget",
        metavar="AMOUNT",
        help="Most money out of pocket, for one credential and for the whole plan. \\[default: no limit]",
        show_default=False,
    ),
]
NoInputOpt = Annotated[
    bool,
    typer.Option("--no-input", help="Never ask: take every answer from the options, even on a terminal."),
]


def setting_of(option: str) -> "Setting":
    """The profile table's row behind a CLI option (``--salary``)."""
    from credroi.model.profile import PROFILE_FIELDS

    for setting in PROFILE_FIELDS:
        if setting.option == option:
            return setting
    raise KeyError(option)


def interactive(no_input: bool) -> bool:
    """Ask questions only when a person can answer them: stdin and stderr (where the questions go) are terminals."""
    return not no_input and sys.stdin.isatty() and sys.stderr.isatty()


def advise(
    ctx: typer.Context,
    budget: BudgetOpt = None,
    field: FieldOpt = None,
    save_profile: Annotated[
        bool,
        typer.Option(
            "--save-profile",
            help="Save the answers as your profile (the file `credroi profile path` prints, or $CREDROI_PROFILE).",
        ),
    ] = False,
    no_input: NoInputOpt = False,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """What to study for your goal: the best credential and plan, certification or micro-credential, how sure."""
    from credroi.advise import advice_document

    cat = load(catalog)
    profile, limits = answers(ctx, cat, budget, field, no_input)
    if save_profile:
        _save_profile(ctx, profile)
    emit(ctx, advice_document(_advice(cat, profile, limits)), fmt)


class ReportFmt(StrEnum):
    """``report --format`` choices."""

    html = "html"
    md = "md"


def report(
    ctx: typer.Context,
    from_advice: Annotated[
        str | None,
        typer.Option(
            "--from-advice",
            metavar="FILE",
            help="Build the report from the JSON of `credroi advise --format json` ('-' reads stdin).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Write the report to PATH (replaced whole, never half-written). \\[default: stdout, when piped]",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    report_format: Annotated[
        ReportFmt, typer.Option("--format", "-f", help="html: one self-contained page; md: Markdown.")
    ] = ReportFmt.html,
    budget: BudgetOpt = None,
    field: FieldOpt = None,
    no_input: NoInputOpt = False,
    catalog: CatalogOpt = None,
) -> None:
    """A decision report to keep or send: one self-contained HTML page (or Markdown) of the advice and its sources."""
    from credroi import report as reports

    if output is None and sys.stdout.isatty():
        raise UsageError(
            "the report is a file: give --output PATH (or pipe it)",
            f"e.g. `credroi report ... --output report.{report_format.value}`",
        )
    if from_advice is not None:
        given = [s for s in sources_of(ctx).values() if s.startswith("--")]
        if given or budget is not None or field:
            extra = given[0] if given else ("--budget" if budget is not None else "--field")
            raise UsageError(
                f"--from-advice takes every answer from its file: leave out {extra}",
                "run `credroi advise ... --format json` again with the new answers",
            )
        payload = _read_advice(from_advice)
    else:
        cat = load(catalog)
        profile, limits = answers(ctx, cat, budget, field, no_input)
        payload = _advice(cat, profile, limits)
    try:
        text = reports.render_html(payload) if report_format is ReportFmt.html else reports.render_markdown(payload)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as err:
        where = from_advice if from_advice is not None else "the advice"
        raise DataError(
            [f"{where}: not a complete advice file ({type(err).__name__}: {err})"],
            hint="write it with `credroi advise ... --format json > advice.json`",
        ) from None
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        reports.write_atomic(output, text)
    except OSError as err:  # a full disk, a missing directory: the environment failed (74), the old file is kept
        raise EnvironmentFailedError([f"{output}: cannot write: {err.strerror or err}"]) from None
    sys.stderr.write(f"wrote {output}\n")


# --- answers: options off a terminal, an interview on one ---------------------------------------


def answers(
    ctx: typer.Context, cat: "Catalog", budget: float | None, fields: list[str] | None, no_input: bool
) -> "tuple[Profile, Limits]":
    """The profile and limits for the advice: asked on a terminal, else from the options (missing ones are exit 2)."""
    from credroi.advise import Limits

    _check_budget(budget)
    known = known_fields(cat)
    chosen = tuple(_check_field(f, known) for f in fields or ())
    if not interactive(no_input):
        sources = sources_of(ctx)
        for option in REQUIRED:
            if sources[setting_of(option).name] == "default":
                raise UsageError(
                    f"missing option {option}: advise needs it when it cannot ask (off a terminal)",
                    "e.g. `credroi advise --goal switch --target-role it-support --salary 33700`, "
                    "or run it on a terminal to be asked",
                )
        return profile_of(ctx, cat), Limits(budget, chosen)
    return _interview(ctx, cat, budget, chosen, known)


def _interview(
    ctx: typer.Context, cat: "Catalog", budget: float | None, fields: tuple[str, ...], known: list[str]
) -> "tuple[Profile, Limits]":
    """Ask each question not answered by an option, with the value in force as its default; re-ask until valid."""
    from rich.console import Console

    from credroi.advise import Limits
    from credroi.model.profile import Profile, ProfileError

    console = Console(stderr=True, highlight=False, no_color=bool(os.environ.get("NO_COLOR")))
    console.print("[bold]A few questions[/bold] (Enter keeps the default shown in brackets; Ctrl-C stops).")
    values: dict[str, Any] = profile_values(ctx)
    sources = sources_of(ctx)
    given = {name for name, source in sources.items() if source.startswith("--")}
    options = [f"credroi {ctx.info_name}"]
    for question in QUESTIONS:
        if question.option == BUDGET:
            if budget is None:
                budget = _ask_budget(console, question, cat.currency)
            if budget is not None:
                options.append(f"{BUDGET} {_shown(budget)}")
            continue
        if question.option == FIELD:
            if not fields:
                fields = _ask_fields(console, question, known)
            options += [f"{FIELD} {f}" for f in fields]
            continue
        setting = setting_of(question.option)
        if setting.name in given:  # not asked, but part of the command that gives the same answers
            options.append(f"{question.option} {_shown(values[setting.name])}")
            continue
        if question.option == ROLE_OPTION:
            if values[setting_of("--goal").name] != SWITCH:
                values[setting.name] = None
                continue
            values[setting.name] = _ask_role(console, question, cat, values[setting.name])
        else:
            values[setting.name] = _ask_setting(console, question, setting, values[setting.name])
        if values[setting.name] is not None:
            options.append(f"{question.option} {_shown(values[setting.name])}")
    try:
        profile = Profile(**values).with_roles(cat.model_roles())
    except ProfileError as err:  # pragma: no cover - every answer was checked on its own
        raise UsageError(f"invalid answer: {err}") from None
    console.print("Your answers as options (for scripts): " + " ".join(options), style="dim", soft_wrap=True)
    return profile, Limits(budget, fields)


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    return str(value)


def _read(console: "Console", text: str, default: str) -> str:
    """One answer: the question, the default in brackets, then what was typed (the default when nothing)."""
    from rich.prompt import Prompt

    try:
        answer = Prompt.ask(f"[bold]{text}[/bold]", console=console, default=default, show_default=True)
    except EOFError:  # Ctrl-D, or input that ran out: stop as Ctrl-C does (exit 130)
        console.print()
        raise KeyboardInterrupt from None
    return str(answer).strip()


def _complain(console: "Console", message: str) -> None:
    console.print(f"[bold red]error:[/bold red] {message}; try again", highlight=False)


def _ask_setting(console: "Console", question: Question, setting: "Setting", current: object) -> object:
    """Ask one profile value until it parses and is within the table's bounds."""
    from credroi.model.profile import ProfileError

    default = _default_text(question, setting, current)
    text = question.text + (f" (- for {question.blank})" if question.blank else "")
    while True:
        raw = _read(console, text, default)
        if raw.lower() in ("", "-", "none") and question.blank is not None:
            return None
        if question.option == "--employer-share" and raw.lower() in WHO_PAYS:
            return WHO_PAYS[raw.lower()]
        try:
            value = setting.parse(_plain_number(raw) if setting.spec.unit in ("money", "money/h") else raw)
            setting.check(value)
        except ProfileError as err:
            _complain(console, err.message)
            continue
        except ValueError as err:
            _complain(console, str(err))
            continue
        return value


WHO_PAYS = {"me": 0.0, "i": 0.0, "you": 0.0, "myself": 0.0, "employer": 1.0, "my employer": 1.0, "they": 1.0}
"""Words the who-pays question takes besides a share."""


def _default_text(question: Question, setting: "Setting", current: object) -> str:
    if current is None:
        return "-" if question.blank is not None else _shown(setting.default)
    if question.option == "--employer-share" and current in (0.0, 1.0):
        return "me" if current == 0.0 else "employer"
    return _shown(current)


def _plain_number(raw: str) -> str:
    """``$75,000`` as ``75000``: the currency sign and thousands separators people type in an interview."""
    return raw.strip().lstrip("$€£¥₹").replace(",", "").strip()


def _ask_role(console: "Console", question: Question, cat: "Catalog", current: object) -> str:
    """Show the catalog's roles, numbered, and take a number or an id."""
    from rich.table import Table

    from credroi.render import money

    roles = list(cat.model_roles().values())
    if not roles:
        raise DataError(["the catalog has no roles to move into"], hint="`credroi roles` lists them; use --goal raise")
    table = Table(title="Roles you can move into", title_justify="left", box=None)
    for header in ("#", "ID", "Role", "Median pay"):
        table.add_column(header, justify="right" if header in ("#", "Median pay") else "left")
    for i, role in enumerate(roles, 1):
        table.add_row(str(i), role.id, role.name, money(role.salary_typical, cat.currency))
    console.print(table)
    by_id = {role.id: role for role in roles}
    default = current if isinstance(current, str) and current in by_id else roles[0].id
    while True:
        raw = _read(console, question.text, default)
        if raw.isdigit() and 1 <= int(raw) <= len(roles):
            return roles[int(raw) - 1].id
        if raw in by_id:
            return raw
        from credroi.hints import did_you_mean

        _complain(console, f"no role `{raw}`{did_you_mean(raw, list(by_id))}")


def _ask_budget(console: "Console", question: Question, currency: str) -> float | None:
    """The most money out of pocket; blank for no limit."""
    import math

    while True:
        raw = _read(console, f"{question.text} ({currency}, - for {question.blank})", "-")
        if raw.lower() in ("", "-", "none"):
            return None
        try:
            value = float(_plain_number(raw))
        except ValueError:
            _complain(console, f"`{raw}` is not an amount")
            continue
        if not (math.isfinite(value) and value >= 0):
            _complain(console, "must be an amount >= 0")
            continue
        return value


def _ask_fields(console: "Console", question: Question, known: list[str]) -> tuple[str, ...]:
    """Fields of interest, separated by commas; blank for all."""
    console.print("Fields: " + ", ".join(known), style="dim", soft_wrap=True)
    while True:
        raw = _read(console, f"{question.text} (- for {question.blank})", "-")
        if raw.lower() in ("", "-", "all"):
            return ()
        try:
            return tuple(dict.fromkeys(_check_field(f.strip(), known) for f in raw.split(",") if f.strip()))
        except UsageError as err:
            _complain(console, f"{err}{' (' + err.hint + ')' if err.hint else ''}")


def _check_field(value: str, known: list[str]) -> str:
    """A field of interest: one of the catalog's, in any case; else exit 2 with a did-you-mean."""
    by_lower = {f.lower(): f for f in known}
    found = by_lower.get(value.strip().lower())
    if found is None:
        raise unknown_field(value, known, lookup=value.lower())
    return found


def _check_budget(budget: float | None) -> None:
    import math

    if budget is not None and not (math.isfinite(budget) and budget >= 0):
        raise UsageError(
            f"invalid value for --budget: {budget:g} (must be a finite amount >= 0)",
            "the most you can pay out of pocket, e.g. --budget 1500; leave it out for no limit",
        )


def _save_profile(ctx: typer.Context, profile: "Profile") -> None:
    """Write the answers as the profile file (replacing it), atomically: the file this run read its profile from
    (``--profile FILE`` or ``$CREDROI_PROFILE``), else the one ``credroi profile path`` prints."""
    from credroi import profile_sources as profiles
    from credroi.model.profile import PROFILE_KEYS

    values: dict[str, Any] = dict(zip(PROFILE_KEYS, profile.values(), strict=True))
    read = next((s.removeprefix("profile ") for s in sources_of(ctx).values() if s.startswith("profile ")), None)
    env = os.environ.get(profiles.ENV_PROFILE, "").strip()
    target = Path(read) if read else Path(env) if env else profiles.default_profile_path()
    try:
        profiles.write_profile_file(target, profiles.profile_template(values), force=True)
    except OSError as err:
        raise EnvironmentFailedError([f"{target}: cannot write: {err.strerror or err}"]) from None
    sys.stderr.write(f"saved your answers as the profile {target} (`credroi profile show` shows them)\n")


def _advice(cat: "Catalog", profile: "Profile", limits: "Limits") -> dict[str, Any]:
    from credroi import __version__
    from credroi.advise import build_advice

    return build_advice(cat, profile, limits, today=_today(), version=__version__)


def _today() -> str:
    """Today's date, or the one SOURCE_DATE_EPOCH sets (reproducible reports)."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


def _read_advice(source: str) -> dict[str, Any]:
    """The advice payload of ``advise --format json`` from a file or stdin; anything else is bad data (exit 1)."""
    import json

    from credroi.advise import ADVICE_FORMAT

    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as err:  # missing, a directory, unreadable: the environment failed (74)
        raise EnvironmentFailedError([f"{source}: cannot read: {err.strerror or err}"]) from None
    except UnicodeDecodeError:
        raise DataError([f"{source}: not UTF-8 text"]) from None
    hint = "write it with `credroi advise ... --format json > advice.json`"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError([f"{source}:{err.lineno}: not JSON: {err.msg}"], hint=hint) from None
    advice = data.get("advice") if isinstance(data, dict) else None
    if not isinstance(advice, dict) or advice.get("format") != ADVICE_FORMAT:
        raise DataError(
            [f"{source}: not the JSON of `credroi advise` (no advice of format {ADVICE_FORMAT})"], hint=hint
        )
    payload: dict[str, Any] = data
    return payload
