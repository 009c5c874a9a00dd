"""The ``credroi`` command line: thin Typer commands around the catalog, engine and renderers."""

import builtins
import os
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from credroi import __version__

if TYPE_CHECKING:
    from credroi.catalog import Catalog
    from credroi.catalog.schema import Entry
    from credroi.model.engine import Credential
    from credroi.model.profile import Profile
    from credroi.render import Document

EXIT_OK = 0
EXIT_DATA = 1
"""Bad data: a catalog problem or an unknown credential id."""
EXIT_USAGE = 2
"""Bad usage: an unknown option, or an option value out of range."""
EXIT_INTERNAL = 70
"""A bug in credroi (EX_SOFTWARE)."""

EXIT_CODES_HELP = (
    "Exit codes: 0 ok, 1 bad data (catalog, profile file, batch rows, unknown id), 2 bad usage (options, "
    "environment variables), 70 internal error (a bug; CREDROI_DEBUG=1 shows the traceback)."
)

APP_SETTINGS: dict[str, Any] = {
    "name": "credroi",
    "help": (
        "Is a tech certification worth more than a micro-credential? NPV, ROI, payback, IRR and "
        f"break-even raise for each credential of a sourced catalog.\n\n{EXIT_CODES_HELP}"
    ),
    "no_args_is_help": True,
    "add_completion": True,
    "pretty_exceptions_enable": False,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**APP_SETTINGS)


class Fmt(StrEnum):
    """``--format`` choices (the same as :data:`credroi.render.FORMATS`; a test checks)."""

    auto = "auto"
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"


class ScenarioChoice(StrEnum):
    """``--scenario`` choices."""

    low = "low"
    typical = "typical"
    high = "high"


class KindChoice(StrEnum):
    """``--kind`` choices."""

    certification = "certification"
    micro_credential = "micro-credential"


class GroupBy(StrEnum):
    """``compare --by`` choices."""

    kind = "kind"
    field = "field"


class UsageError(Exception):
    """A bad option value found after parsing (exit 2)."""


class DataError(Exception):
    """Bad data: ``lines`` are printed as errors, ``hint`` after them (exit 1)."""

    def __init__(self, lines: list[str], hint: str | None = None) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
        self.hint = hint


PROFILE = "Profile (defaults from docs/model.md)"
OUTPUT = "Output"

SalaryOpt = Annotated[
    float | None,
    typer.Option(
        "--salary", help="Current gross salary a year. \\[default: 75000]", rich_help_panel=PROFILE, show_default=False
    ),
]
HoursOpt = Annotated[
    float | None,
    typer.Option(
        "--hours-per-week",
        help="Your study hours a week. \\[default: each credential's reference pace]",
        rich_help_panel=PROFILE,
        show_default=False,
    ),
]
HorizonOpt = Annotated[
    float | None,
    typer.Option(
        "--horizon",
        help="Years to count benefits over (up to 100). \\[default: 5]",
        rich_help_panel=PROFILE,
        show_default=False,
    ),
]
DiscountOpt = Annotated[
    float | None,
    typer.Option(
        "--discount-rate",
        help="Real annual discount rate, e.g. 0.03. \\[default: 0.03]",
        rich_help_panel=PROFILE,
        show_default=False,
    ),
]
GrowthOpt = Annotated[
    float | None,
    typer.Option(
        "--salary-growth",
        help="Real annual salary growth. \\[default: 0.02]",
        rich_help_panel=PROFILE,
        show_default=False,
    ),
]
TaxOpt = Annotated[
    float | None,
    typer.Option(
        "--tax-rate", help="Marginal tax rate, 0 to 1. \\[default: 0.25]", rich_help_panel=PROFILE, show_default=False
    ),
]
TimeValueOpt = Annotated[
    float | None,
    typer.Option(
        "--time-value",
        help="Value of one study hour. \\[default: half your hourly wage, salary / 2080 / 2]",
        rich_help_panel=PROFILE,
        show_default=False,
    ),
]
EmployerOpt = Annotated[
    float | None,
    typer.Option(
        "--employer-share",
        help="Share of the costs your employer pays, 0 to 1. \\[default: 0]",
        rich_help_panel=PROFILE,
        show_default=False,
    ),
]
SelectionOpt = Annotated[
    float | None,
    typer.Option(
        "--selection-adjustment",
        help="Share of a reported raise not caused by the credential, 0 to 1. \\[default: 0.25]",
        rich_help_panel=PROFILE,
        show_default=False,
    ),
]
LagOpt = Annotated[
    float | None,
    typer.Option(
        "--lag-months",
        help="Months from earning it until the raise starts. \\[default: 0]",
        rich_help_panel=PROFILE,
        show_default=False,
    ),
]
ScenarioOpt = Annotated[
    ScenarioChoice | None,
    typer.Option(
        "--scenario",
        help="Salary uplift scenario. \\[default: typical]",
        rich_help_panel=PROFILE,
        show_default=False,
        case_sensitive=False,
    ),
]
CatalogOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--catalog",
        help=(
            "Catalog file to use instead of the bundled one; repeat to layer files ('bundled' names the "
            "bundled catalog, '-' reads stdin). \\[default: $CREDROI_CATALOG, else the bundled catalog]"
        ),
        metavar="PATH",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    Fmt | None,
    typer.Option(
        "--format",
        "-f",
        help="auto = a table on a terminal, CSV when piped. \\[default: $CREDROI_FORMAT, else auto]",
        rich_help_panel=OUTPUT,
        case_sensitive=False,
        show_default=False,
    ),
]
KindOpt = Annotated[
    KindChoice | None, typer.Option("--kind", help="Only this kind.", case_sensitive=False, show_default=False)
]
FieldOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--field", help="Only credentials tagged with this field (repeat for any of several).", show_default=False
    ),
]
NoColorOpt = Annotated[
    bool, typer.Option("--no-color", help="No colour, even on a terminal (NO_COLOR works too).", rich_help_panel=OUTPUT)
]

_OPTION_OF_FIELD = {
    "salary": "--salary",
    "hours_per_week": "--hours-per-week",
    "horizon_years": "--horizon",
    "discount_rate": "--discount-rate",
    "salary_growth": "--salary-growth",
    "tax_rate": "--tax-rate",
    "time_value": "--time-value",
    "employer_share": "--employer-share",
    "selection_adjustment": "--selection-adjustment",
    "lag_months": "--lag-months",
    "scenario": "--scenario",
}


def _complete_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of credential ids from the active catalog (--catalog, $CREDROI_CATALOG or bundled)."""
    try:
        from credroi.catalog import load_catalog

        paths = ctx.params.get("catalog") or None
        ids = load_catalog(_catalog_paths(paths)).ids
    except Exception:  # noqa: BLE001 (completion must never fail loudly)
        return []
    return [i for i in ids if i.startswith(incomplete)]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"credroi {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Read and validate every catalog file afresh (no cache of validated catalogs; or CREDROI_NO_CACHE=1).",
        ),
    ] = False,
) -> None:
    """credroi: the return on a certification or micro-credential, in numbers."""
    if no_cache:
        from credroi.catalog import cache

        cache.switch_off()


PROFILE_OPTIONS: dict[str, Any] = {
    "salary": SalaryOpt,
    "hours_per_week": HoursOpt,
    "horizon": HorizonOpt,
    "discount_rate": DiscountOpt,
    "salary_growth": GrowthOpt,
    "tax_rate": TaxOpt,
    "time_value": TimeValueOpt,
    "employer_share": EmployerOpt,
    "selection_adjustment": SelectionOpt,
    "lag_months": LagOpt,
    "scenario": ScenarioOpt,
}
"""The profile options of every evaluating command (parameter name -> Typer annotation)."""

_FIELD_OF_PARAM = {"horizon": "horizon_years"}


ProfileFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        metavar="FILE",
        help="Profile file to read. \\[default: $CREDROI_PROFILE, else the one `credroi profile path` prints, if any]",
        rich_help_panel=PROFILE,
        show_default=False,
        dir_okay=False,
    ),
]


def _resolve(given: dict[str, Any], profile_file: Path | None) -> Any:
    """Profile values from options, environment and profile file, with the source of each."""
    from credroi import profiles

    options = {_FIELD_OF_PARAM.get(k, k): v for k, v in given.items()}
    if isinstance(options.get("scenario"), StrEnum):
        options["scenario"] = options["scenario"].value
    try:
        return profiles.resolve(options, os.environ, profile_file, _OPTION_OF_FIELD)
    except profiles.SettingError as err:
        if err.usage:
            raise UsageError(f"invalid value for {err.where}: {err.message}") from None
        raise DataError([str(err)], hint="fix the profile file, or name another with --profile") from None


def _options_profile(given: dict[str, Any]) -> "Profile":
    """A :class:`Profile` from the options alone (no environment, no profile file): what `profile init` writes."""
    from credroi.model.profile import Profile, ProfileError

    values: dict[str, Any] = {
        _FIELD_OF_PARAM.get(k, k): v.value if isinstance(v, StrEnum) else v for k, v in given.items() if v is not None
    }
    try:
        return Profile(**values)
    except ProfileError as err:
        raise UsageError(f"invalid value for {_OPTION_OF_FIELD.get(err.field, err.field)}: {err.message}") from None


def _profile(profile_file: Path | None = None, **given: Any) -> "Profile":
    """A :class:`Profile` from the profile options, the CREDROI_* variables and the profile file."""
    return _profile_and_sources(profile_file, **given)[0]


def _profile_and_sources(profile_file: Path | None = None, **given: Any) -> "tuple[Profile, dict[str, str]]":
    """:func:`_profile` and the source of each value (``--salary``, ``CREDROI_SALARY``, ``profile FILE``, ``default``)."""
    from credroi.model.profile import Profile, ProfileError

    resolved = _resolve(given, profile_file)
    try:
        return Profile(**resolved.values), resolved.sources
    except ProfileError as err:
        source = resolved.sources.get(err.field, err.field)
        if source.startswith("profile "):
            raise DataError(
                [f"{source.removeprefix('profile ')}: {err.field}: {err.message}"],
                hint="fix the profile file, or name another with --profile",
            ) from None
        raise UsageError(f"invalid value for {source}: {err.message}") from None


_WITH_PROFILE = "_credroi_with_profile"
_BUILT = "_credroi_built"


def with_profile(func: Callable[..., None]) -> Callable[..., None]:
    """Mark a command to get every profile option; it receives them as one ``profile: Profile`` argument.

    The options are added when the command is built for a run (:func:`_build`), so that start-up
    pays for the command that runs and not for all of them.
    """
    setattr(func, _WITH_PROFILE, True)
    return func


def _build(commands: Sequence[Any], groups: Sequence[Any] = ()) -> None:
    """Make each command of ``commands`` (Typer ``CommandInfo``) and of ``groups`` ready to run, once.

    Marked commands get their profile options; string annotations (``cli_decide`` and
    ``cli_files`` defer theirs) are evaluated here, because Typer evaluates them again on each
    of its several passes over a function, compiling each one every time.
    """
    for group in groups:
        if group.typer_instance is not None:
            _build(group.typer_instance.registered_commands)
    for info in commands:
        callback = info.callback
        if callback is None or getattr(callback, _BUILT, False):
            continue
        if getattr(callback, _WITH_PROFILE, False):
            info.callback = _add_profile_options(callback)
        else:
            _evaluate_annotations(callback)


def _evaluate_annotations(func: Callable[..., Any]) -> None:
    """Replace the string annotations of ``func`` (a command of the CLI modules) by their values, once."""
    if getattr(func, _BUILT, False):
        return
    func.__annotations__ = {
        name: _annotation_value(hint, func.__globals__) if isinstance(hint, str) else hint
        for name, hint in func.__annotations__.items()
    }
    setattr(func, _BUILT, True)


def _annotation_value(hint: str, namespace: dict[str, Any]) -> Any:
    """The value of a string annotation: a plain name is looked up, anything else evaluated (compiled)."""
    if hint.isidentifier():
        if hint in namespace:
            return namespace[hint]
        if hasattr(builtins, hint):
            return getattr(builtins, hint)
    return eval(hint, namespace)


def _add_profile_options(func: Callable[..., None]) -> Callable[..., None]:
    """The command ``func`` with the profile options as parameters.

    The profile is built (and checked) before the command body runs, so a bad option value is a
    usage error (exit 2) before any catalog is read.
    """
    import functools
    import inspect

    sig = inspect.signature(func)
    wants_sources = "profile_sources" in sig.parameters
    own = [
        p.replace(
            annotation=_annotation_value(p.annotation, func.__globals__)
            if isinstance(p.annotation, str)
            else p.annotation
        )
        for p in sig.parameters.values()
        if p.name not in ("profile", "profile_sources")  # filled in here, not options
    ]
    extra = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
        for name, annotation in {**PROFILE_OPTIONS, "profile_file": ProfileFileOpt}.items()
    ]
    # the profile options go after the command's arguments and before its output options
    split = next((i for i, p in enumerate(own) if p.name in ("catalog", "fmt")), len(own))
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own]
    params = params[:split] + extra + params[split:]

    @functools.wraps(func)
    def command(**kwargs: Any) -> None:
        profile, sources = _profile_and_sources(
            kwargs.pop("profile_file"), **{name: kwargs.pop(name) for name in PROFILE_OPTIONS}
        )
        if wants_sources:
            kwargs["profile_sources"] = sources
        func(profile=profile, **kwargs)

    command.__signature__ = sig.replace(parameters=params, return_annotation=None)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    setattr(command, _BUILT, True)
    return command


ENV_CATALOG = "CREDROI_CATALOG"
"""Environment variable holding the catalog paths used when no --catalog is given."""


def _catalog_paths(given: list[str] | None) -> list[str]:
    """``--catalog`` values, else the ``CREDROI_CATALOG`` list (split like PATH), else none (= bundled)."""
    if given:
        return given
    return [p for p in os.environ.get(ENV_CATALOG, "").split(os.pathsep) if p.strip()]


def _catalog(paths: list[str] | None) -> "Catalog":
    from credroi.catalog import CatalogError, load_catalog

    try:
        return load_catalog(_catalog_paths(paths))
    except CatalogError as err:
        raise DataError([str(p) for p in err.problems], hint="fix the catalog file at the lines shown") from None


def _select(catalog: "Catalog", ids: list[str]) -> "list[Entry]":
    """The catalog entries ``ids`` (pydantic models: for commands that show entries)."""
    from credroi.catalog import UnknownCredentialError

    try:
        return list(catalog.select(ids))
    except UnknownCredentialError as err:
        raise _unknown_id(err) from None


def _creds(catalog: "Catalog", ids: list[str]) -> "list[Credential]":
    """The engine's credentials ``ids`` (all when empty): no pydantic needed."""
    from credroi.catalog import UnknownCredentialError

    try:
        return catalog.select_credentials(ids)
    except UnknownCredentialError as err:
        raise _unknown_id(err) from None


def _unknown_id(err: Any) -> DataError:
    hint = (
        "did you mean " + " or ".join(f"`{s}`" for s in err.suggestions) + "?"
        if err.suggestions
        else "`credroi list` shows every id"
    )
    return DataError([f"unknown credential `{err.cred_id}`"], hint=hint)


def _color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


ENV_FORMAT = "CREDROI_FORMAT"


def _env_format() -> str:
    """``CREDROI_FORMAT``, trimmed and lower-cased ("" when unset)."""
    return os.environ.get(ENV_FORMAT, "").strip().lower()


def _format(fmt: Fmt | None) -> Fmt:
    """``--format``, else ``CREDROI_FORMAT``, else ``auto``."""
    if fmt is not None:
        return fmt
    raw = _env_format()
    if not raw:
        return Fmt.auto
    try:
        return Fmt(raw)
    except ValueError:
        choices = ", ".join(f.value for f in Fmt)
        raise UsageError(f"invalid value for {ENV_FORMAT}: '{raw}' is not one of {choices}") from None


def _emit(doc: "Document", fmt: Fmt | None, no_color: bool) -> None:
    from credroi.render import RenderOptions, render, resolve

    concrete = resolve(_format(fmt).value, sys.stdout.isatty())
    text = render(doc, concrete, RenderOptions(width=_width(), color=_color(no_color)))
    sys.stdout.write(text)
    sys.stdout.flush()


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80


@app.command(epilog=EXIT_CODES_HELP)
@with_profile
def compare(
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            autocompletion=_complete_ids,
            metavar="ID...",
            help="Credential ids to compare. \\[default: all]",
            show_default=False,
        ),
    ] = None,
    *,
    profile: "Profile",
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
    no_color: NoColorOpt = False,
) -> None:
    """Rank credentials by NPV for your profile, with a summary by kind.

    With no ids, every credential of the catalog is ranked, and a summary beneath answers whether certifications or micro-credentials pay back better for you.
    """
    from credroi import documents
    from credroi.model import engine

    cat = _catalog(catalog)
    results = engine.evaluate_all(_creds(cat, ids or []), profile)
    if by is None:
        doc = documents.compare_document(results, profile, cat.currency, width=_width())
    else:
        from credroi import documents
        from credroi.model import analysis

        groups = engine.groups_by_kind(results) if by is GroupBy.kind else analysis.groups_by_field(results)
        doc = documents.groups_document(groups, results, profile, cat.currency, by=by.value)
    _emit(doc, fmt, no_color)


@app.command("list", epilog=EXIT_CODES_HELP)
def list_(
    kind: KindOpt = None,
    field: FieldOpt = None,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """List the credentials of the catalog: id, name, kind, fields, cost and study weeks."""
    from credroi import documents

    cat = _catalog(catalog)
    entries = list(cat.entries.values())
    if kind is not None:
        entries = [e for e in entries if e.kind == kind.value]
    if field:
        wanted = {f.lower() for f in field}
        entries = [e for e in entries if wanted & {f.lower() for f in e.fields}]
    doc = documents.list_document(entries, cat.currency, width=_width())
    _emit(doc, fmt, no_color)


@app.command(epilog=EXIT_CODES_HELP)
@with_profile
def show(
    cred_id: Annotated[
        str,
        typer.Argument(
            autocompletion=_complete_ids, metavar="ID", help="The credential id, e.g. aws-saa.", show_default=False
        ),
    ],
    *,
    profile: "Profile",
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Show one credential: every input, derived value and metric, the scenarios and the sources."""
    from credroi import documents

    cat = _catalog(catalog)
    (entry,) = _select(cat, [cred_id])
    doc = documents.show_document(entry, profile, cat.currency)
    _emit(doc, fmt, no_color)


def _say(kind: str, text: str) -> None:
    color = sys.stderr.isatty() and not os.environ.get("NO_COLOR")
    styles = {"error": "\x1b[1;31m", "hint": "\x1b[1;36m", "internal error": "\x1b[1;31m"}
    label = f"{styles.get(kind, '')}{kind}:\x1b[0m" if color else f"{kind}:"
    sys.stderr.write(f"{label} {text}\n")


def _fail(code: int, lines: list[str], hint: str | None = None) -> NoReturn:
    for line in lines:
        _say("error", line)
    if hint:
        _say("hint", hint)
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; map every failure to a message and an exit code, never a traceback."""
    try:
        code = _run_app(argv)
    except UsageError as err:
        _fail(EXIT_USAGE, [str(err)], hint=_command_hint(argv))
    except DataError as err:
        _fail(EXIT_DATA, err.lines, err.hint)
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(EXIT_OK) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as err:
        if _is_click_error(err):
            _fail(getattr(err, "exit_code", EXIT_USAGE), [_click_message(err)], hint=_click_hint(err))
        if os.environ.get("CREDROI_DEBUG"):
            raise
        _say("internal error", f"{type(err).__name__}: {err}")
        _say("hint", "this is a bug in credroi; run again with CREDROI_DEBUG=1 for the traceback and report it")
        raise SystemExit(EXIT_INTERNAL) from None
    raise SystemExit(code if isinstance(code, int) else EXIT_OK)


COMMAND_ORDER: tuple[str, ...] = (
    "compare",
    "rank",
    "simulate",
    "sensitivity",
    "flip",
    "explain",
    "list",
    "show",
    "batch",
    "profile",
    "catalog",
)
"""Every command and command group, in the order ``credroi --help`` lists them."""

COMMAND_MODULES: dict[str, str] = {
    **dict.fromkeys(("rank", "simulate", "sensitivity", "flip", "explain"), "credroi.cli.decide"),
    **dict.fromkeys(("batch", "profile", "catalog"), "credroi.cli.files"),
}
"""The commands defined outside this module, and the module that registers each when imported."""


def _name(info: Any) -> str:
    """The command name of a Typer ``CommandInfo`` or ``TyperInfo``."""
    return str(info.name or getattr(info.callback, "__name__", ""))


def full_app() -> typer.Typer:
    """The app with every command registered (in :data:`COMMAND_ORDER`) and built."""
    import importlib

    for module in dict.fromkeys(COMMAND_MODULES.values()):
        importlib.import_module(module)
    app.registered_commands.sort(key=lambda info: COMMAND_ORDER.index(_name(info)))
    app.registered_groups.sort(key=lambda info: COMMAND_ORDER.index(_name(info)))
    _build(app.registered_commands, app.registered_groups)
    return app


def _app_for(argv: list[str] | None) -> typer.Typer:
    """The app to run: the full one, or one holding only the command (or group) named in ``argv``.

    Only the module defining that command is imported (:data:`COMMAND_MODULES`), and Typer
    builds the Click parameters of that command alone: together most of the start-up the CLI
    adds. The result is the same command with the same root options, help and errors; anything
    else (no command, root --help, an unknown name, shell completion) runs the full app.
    """
    args = sys.argv[1:] if argv is None else argv
    name = next((a for a in args if not a.startswith("-")), None)
    completing = any(k.startswith("_CREDROI_COMPLETE") for k in os.environ)
    if name is None and "--version" in args and not completing:
        name = ""  # `credroi --version` needs no command at all
    elif name is None or name not in COMMAND_ORDER or completing:
        return full_app()
    if name in COMMAND_MODULES:
        import importlib

        importlib.import_module(COMMAND_MODULES[name])
    commands = [c for c in app.registered_commands if _name(c) == name]
    groups = [g for g in app.registered_groups if _name(g) == name]
    _build(commands, groups)
    small = typer.Typer(**APP_SETTINGS)
    small.registered_callback = app.registered_callback
    small.registered_commands = commands
    small.registered_groups = groups
    return small


def _run_app(argv: list[str] | None) -> Any:
    """Run the Typer app; ``--no-cache`` lasts for this run only (main() may be called again in-process)."""
    try:
        return _app_for(argv)(args=argv, prog_name="credroi", standalone_mode=False)
    finally:
        if "credroi.catalog.cache" in sys.modules:
            sys.modules["credroi.catalog.cache"].switch_off(False)


def _is_click_error(err: BaseException) -> bool:
    """Typer's vendored Click raises usage errors with ``exit_code`` and ``format_message``."""
    return hasattr(err, "format_message") and hasattr(err, "exit_code") and type(err).__name__ != "Exit"


def _click_message(err: BaseException) -> str:
    import re

    message: str = err.format_message()  # type: ignore[attr-defined]
    message = re.sub(r"'(--[a-z-]+)'(?: / '-[a-z]')?", r"\1", message)
    message = message.replace("Value error, ", "").replace("Input should be a valid number, ", "")
    message = message.replace("unable to parse string as a number", "not a number")
    message = re.sub(r"'([^']*)' is not a valid float(?: range)?", r"`\1` is not a number", message)
    message = re.sub(r"'([^']*)' is not a valid int(?:eger)?(?: range)?", r"`\1` is not a whole number", message)
    return (message[:1].lower() + message[1:]).rstrip(".")


def _click_hint(err: BaseException) -> str:
    ctx = getattr(err, "ctx", None)
    path = getattr(ctx, "command_path", "credroi") if ctx is not None else "credroi"
    return f"see `{path} --help`"


def _command_hint(argv: list[str] | None) -> str:
    args = sys.argv[1:] if argv is None else argv
    name = next((a for a in args if not a.startswith("-")), None)
    return f"see `credroi {name} --help`" if name else "see `credroi --help`"
