"""What every command shares: the command classes that add the run and profile options, shared options, errors and output."""

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, make_dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

if TYPE_CHECKING:
    from credroi.catalog import Catalog, CatalogError
    from credroi.catalog.schema import Entry
    from credroi.model.engine import Credential
    from credroi.model.profile import Profile, ProfileError
    from credroi.render import Document

EXIT_OK = 0
EXIT_DATA = 1
"""Bad data: a catalog problem, a bad profile file or batch row, an unknown credential id."""
EXIT_USAGE = 2
"""Bad usage: an unknown option, or an option value out of range."""
EXIT_INTERNAL = 70
"""A bug in credroi (EX_SOFTWARE)."""
EXIT_IO = 74
"""The environment failed: a full disk, a closed stream, a path that cannot be read (EX_IOERR)."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT)."""

EXIT_CODES_HELP = (
    "Exit codes: 0 ok, 1 bad data (catalog, profile file, batch rows, unknown id), 2 bad usage (options, "
    "environment variables), 70 internal error (a bug; CREDROI_DEBUG=1 shows the traceback), 74 the "
    "environment failed (full disk, closed stream, unreadable path), 130 interrupted."
)

PROFILE = "Profile (defaults: docs/model.md)"
OUTPUT = "Output"

ENV_CATALOG = "CREDROI_CATALOG"
"""Environment variable holding the catalog paths used when no --catalog is given."""
ENV_FORMAT = "CREDROI_FORMAT"


def examples_epilog(lines: tuple[str, ...]) -> str:
    """The "Examples" section of a command's help, then the exit codes."""
    if not lines:
        return EXIT_CODES_HELP
    shown = "\n\n".join(f"  $ {line}" for line in lines)
    return f"Examples:\n\n{shown}\n\n{EXIT_CODES_HELP}"


class UsageError(Exception):
    """A bad option value found after parsing (exit 2); ``hint`` says how to fix it, if there is more to say."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class DataError(Exception):
    """Bad data: ``lines`` are printed as errors, ``hint`` after them (exit 1)."""

    def __init__(self, lines: list[str], hint: str | None = None) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
        self.hint = hint


class EnvironmentFailedError(Exception):
    """The environment failed (exit 74): ``lines`` are printed as errors, ``hint`` after them."""

    def __init__(self, lines: list[str], hint: str | None = None) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
        self.hint = hint


# --- the options every command has, before or after its name ---------------------------------

NoColorOpt = Annotated[
    bool, typer.Option("--no-color", help="No colour, even on a terminal (NO_COLOR works too).", rich_help_panel=OUTPUT)
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Read and validate every catalog file afresh (no cache of validated catalogs; or CREDROI_NO_CACHE=1).",
    ),
]
MaxCatalogOpt = Annotated[
    float | None,
    typer.Option(
        "--max-catalog-mib",
        min=0.001,
        max=1e6,
        metavar="MIB",
        help="Largest catalog file read, in MiB (or CREDROI_MAX_CATALOG_MIB). \\[default: YAML 5, JSON 256]",
        show_default=False,
    ),
]
RUN_OPTIONS = ("no_color", "no_cache", "max_catalog_mib")
"""The options of the root command that every command takes too: ``credroi --no-color compare`` = ``credroi compare --no-color``."""


def _run_options(
    no_color: NoColorOpt = False, no_cache: NoCacheOpt = False, max_catalog_mib: MaxCatalogOpt = None
) -> None:
    """Declares the run options (Typer builds their Click parameters from this signature)."""


def set_run_options(ctx: typer.Context, no_color: bool, no_cache: bool, max_catalog_mib: float | None = None) -> None:
    """Record the run options given at either place; an option given at the root holds for the command too."""
    if no_color:
        ctx.meta["credroi.no_color"] = True
    if no_cache:
        from credroi.catalog import cache

        cache.switch_off()
    if max_catalog_mib is not None:
        from credroi.catalog import load

        load.set_size_limit(max_catalog_mib)


def _params_of(func: Any) -> list[Any]:
    """The Click parameters Typer builds for the signature of ``func`` (a command never run)."""
    holder = typer.Typer(add_completion=False)
    holder.command()(func)
    return list(typer.main.get_command(holder).params)


class CredroiCommand(TyperCommand):
    """A credroi command: its own parameters, then the run options (``--no-color``, ``--no-cache``)."""

    def __init__(self, *args: Any, params: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, params=[*(params or []), *self.extra_params()], **kwargs)

    def extra_params(self) -> list[Any]:
        """The parameters this class adds to every command of its kind."""
        return _params_of(_run_options)

    def invoke(self, ctx: Any) -> Any:
        set_run_options(ctx, *(ctx.params.pop(name) for name in RUN_OPTIONS))
        return super().invoke(ctx)


# --- the profile options, generated from the profile table ------------------------------------

_METAVARS = {
    "money": "AMOUNT",
    "money/h": "AMOUNT",
    "h/wk": "HOURS",
    "years": "YEARS",
    "months": "MONTHS",
    "rate": "RATE",
    "share": "SHARE",
    "text": "ID",
}


@cache
def _profile_holder() -> Any:
    """A class whose constructor takes every profile option: the table turned into a signature Typer can read.

    Each option is read as text and parsed by the table's own parser (the same one that reads the
    ``CREDROI_*`` variables and the profile file), so all three give the same messages.
    """
    from credroi.model.profile import PROFILE_FIELDS

    def option(setting: Any) -> Any:
        spec = setting.spec
        metavar = "|".join(spec.choices) if spec.choices else _METAVARS[spec.unit]
        return typer.Option(
            setting.option,
            metavar=metavar,
            help=f"{spec.help} \\[default: {setting.default_shown}]",
            rich_help_panel=PROFILE,
            show_default=False,
        )

    file_option = typer.Option(
        "--profile",
        metavar="FILE",
        help="Profile file to read. \\[default: $CREDROI_PROFILE, else the one `credroi profile path` prints, if any]",
        rich_help_panel=PROFILE,
        show_default=False,
    )
    fields = [(s.name, Annotated[str | None, option(s)], None) for s in PROFILE_FIELDS]
    return make_dataclass("ProfileOptions", [*fields, ("profile_file", Annotated[str | None, file_option], None)])


class ProfileCommand(CredroiCommand):
    """A command that evaluates: it also takes every profile option and gets the profile through :func:`profile_of`.

    The profile is built (and checked) before the command body runs, so a bad option value is a
    usage error (exit 2) before any catalog is read.
    """

    options_only = False
    """Build the profile from the options alone (no environment, no profile file): ``profile init``."""
    lenient = False
    """Let a switch without a target role through to the command, which asks for it (``advise``)."""

    def extra_params(self) -> list[Any]:
        return [*_params_of(_profile_holder()), *super().extra_params()]

    def invoke(self, ctx: Any) -> Any:
        from credroi.model.profile import PROFILE_KEYS

        given = {key: ctx.params.pop(key) for key in PROFILE_KEYS}
        profile_file = ctx.params.pop("profile_file")
        if self.options_only:
            ctx.meta["credroi.profile"] = (_options_profile(given), {})
        else:
            ctx.meta["credroi.profile"] = _resolved_profile(given, profile_file, lenient=self.lenient)
        return super().invoke(ctx)


class InterviewCommand(ProfileCommand):
    """``advise`` and ``report``: on a terminal they ask for what the options leave open, the target role too."""

    lenient = True


@dataclass(frozen=True, slots=True)
class PendingProfile:
    """The values of a profile that still lacks its target role, and the error that says so."""

    values: dict[str, Any]
    error: "ProfileError"


class ProfileInitCommand(ProfileCommand):
    """``profile init``: the profile options alone make the profile it writes."""

    options_only = True


def profile_of(ctx: typer.Context, catalog: "Catalog | None" = None) -> "Profile":
    """The profile :class:`ProfileCommand` built for this run, its target role looked up in ``catalog``."""
    from credroi.model.profile import ProfileError

    profile: Profile | PendingProfile = ctx.meta["credroi.profile"][0]
    if isinstance(profile, PendingProfile):
        raise _usage(profile.error)
    if catalog is None:
        return profile
    try:
        return profile.with_roles(catalog.model_roles())
    except ProfileError as err:
        raise _usage(err) from None


def profile_values(ctx: typer.Context) -> dict[str, Any]:
    """The profile's values by field name, also when a switch still lacks its role (for an interview to ask)."""
    from credroi.model.profile import PROFILE_KEYS, Profile

    profile: Profile | PendingProfile = ctx.meta["credroi.profile"][0]
    if isinstance(profile, PendingProfile):
        return {**dict(zip(PROFILE_KEYS, Profile().values(), strict=True)), **profile.values}
    return dict(zip(PROFILE_KEYS, profile.values(), strict=True))


def _usage(err: "ProfileError", where: str | None = None) -> UsageError:
    """A profile value's error as a usage error naming its option (or ``where`` it came from)."""
    from credroi.model.profile import SETTINGS

    return UsageError(f"invalid value for {where or SETTINGS[err.field].option}: {err.message}", err.hint)


def sources_of(ctx: typer.Context) -> dict[str, str]:
    """Where each profile value came from (``--salary``, ``CREDROI_SALARY``, ``profile FILE``, ``default``)."""
    sources: dict[str, str] = ctx.meta["credroi.profile"][1]
    return sources


def _parsed(given: dict[str, str | None]) -> dict[str, Any]:
    """The option values given, parsed by the profile table (usage errors name the option)."""
    from credroi.model.profile import SETTINGS

    out: dict[str, Any] = {}
    for key, raw in given.items():
        if raw is None:
            continue
        setting = SETTINGS[key]
        try:
            out[key] = setting.parse(raw)
        except ValueError as err:
            raise UsageError(f"invalid value for {setting.option}: {err}") from None
    return out


def _options_profile(given: dict[str, str | None]) -> "Profile":
    """A :class:`Profile` from the options alone: what `profile init` writes."""
    from credroi.model.profile import Profile, ProfileError

    try:
        return Profile(**_parsed(given))
    except ProfileError as err:
        raise _usage(err) from None


def _resolved_profile(
    given: dict[str, str | None], profile_file: str | None, *, lenient: bool = False
) -> "tuple[Profile | PendingProfile, dict[str, str]]":
    """The profile from options, CREDROI_* variables, the profile file and defaults, with the source of each value."""
    from pathlib import Path

    from credroi import profile_sources as profiles
    from credroi.model.profile import Profile, ProfileError, lacks_only_its_role

    try:
        resolved = profiles.resolve(_parsed(given), os.environ, Path(profile_file) if profile_file else None)
    except profiles.SettingError as err:
        if err.usage:
            raise UsageError(f"invalid value for {err.where}: {err.message}") from None
        raise DataError([str(err)], hint="fix the profile file, or name another with --profile") from None
    try:
        values: dict[str, Any] = resolved.values
        return Profile(**values), resolved.sources
    except ProfileError as err:
        if lenient and lacks_only_its_role(err, values):
            return PendingProfile(values, err), resolved.sources
        source = resolved.sources.get(err.field, err.field)
        if source.startswith("profile "):
            raise DataError(
                [f"{source.removeprefix('profile ')}: {err.field}: {err.message}"],
                hint="fix the profile file, or name another with --profile",
            ) from None
        raise _usage(err, source if source != "default" else None) from None


# --- shared options -------------------------------------------------------------------------


class Fmt(StrEnum):
    """``--format`` choices (the same as :data:`credroi.render.FORMATS`; a test checks)."""

    auto = "auto"
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"


class KindChoice(StrEnum):
    """``--kind`` choices: the catalog's kinds, and the short words the tables print (``cert``, ``micro``)."""

    certification = "certification"
    micro_credential = "micro-credential"
    cert = "cert"
    micro = "micro"

    @property
    def full(self) -> str:
        """The kind as the catalog names it."""
        return {"cert": "certification", "micro": "micro-credential"}.get(self.value, self.value)


def known_fields(catalog: "Catalog") -> list[str]:
    """The fields the catalog's credentials are tagged with, sorted."""
    return sorted({f for c in catalog.credentials() for f in c.fields})


def unknown_field(name: str, known: list[str], *, lookup: str | None = None) -> UsageError:
    """The usage error for a ``--field`` no credential has, with a did-you-mean (on ``lookup``, else ``name``)."""
    from credroi.hints import did_you_mean

    return UsageError(
        f"invalid value for --field: no credential has the field `{name}`{did_you_mean(lookup or name, known)}",
        hint="the fields: " + ", ".join(known),
    )


def check_fields(catalog: "Catalog", fields: list[str] | None) -> None:
    """Refuse a ``--field`` that no credential of the catalog has (it would silently match nothing)."""
    if not fields:
        return
    known = known_fields(catalog)
    for name in fields:
        if name not in known:
            raise unknown_field(name, known)


def complete_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of credential ids from the active catalog (--catalog, $CREDROI_CATALOG or bundled)."""
    try:
        from credroi.catalog import load_catalog

        paths = ctx.params.get("catalog") or None
        ids = load_catalog(catalog_paths(paths)).ids
    except Exception:  # noqa: BLE001 (completion must never fail loudly)
        return []
    return [i for i in ids if i.startswith(incomplete)]


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
IdsOpt = Annotated[
    list[str] | None,
    typer.Argument(
        autocompletion=complete_ids, metavar="ID...", help="Credential ids. \\[default: all]", show_default=False
    ),
]
IdArg = Annotated[
    str,
    typer.Argument(
        autocompletion=complete_ids, metavar="ID", help="The credential id, e.g. aws-saa.", show_default=False
    ),
]


# --- catalogs -------------------------------------------------------------------------------


def catalog_paths(given: list[str] | None) -> list[str]:
    """``--catalog`` values, else the ``CREDROI_CATALOG`` list (split like PATH), else none (= bundled)."""
    if given:
        return given
    return [p for p in os.environ.get(ENV_CATALOG, "").split(os.pathsep) if p.strip()]


def load(paths: list[str] | None) -> "Catalog":
    """The catalog of ``--catalog`` (or its defaults); a catalog problem is bad data."""
    from credroi.catalog import CatalogError, load_catalog

    try:
        return load_catalog(catalog_paths(paths))
    except CatalogError as err:
        raise catalog_failure(err) from None


def catalog_failure(err: "CatalogError") -> Exception:
    """The CLI's view of a catalog that failed: a file that cannot be read, or bad data at its lines."""
    lines = [str(p) for p in err.problems]
    if err.unreadable:
        return EnvironmentFailedError(lines, hint="check the path: --catalog, CREDROI_CATALOG, or 'bundled'")
    if any(p.line for p in err.problems):
        return DataError(lines, hint="fix the catalog file at the lines shown")
    return DataError(lines)


def entries(catalog: "Catalog", ids: list[str]) -> "list[Entry]":
    """The catalog entries ``ids`` (pydantic models: for commands that show entries)."""
    from credroi.catalog import UnknownCredentialError

    try:
        return list(catalog.select(ids))
    except UnknownCredentialError as err:
        raise _unknown_id(err) from None


def credentials(catalog: "Catalog", ids: list[str]) -> "list[Credential]":
    """The model's credentials ``ids`` (all when empty): no pydantic needed."""
    from credroi.catalog import UnknownCredentialError

    try:
        return catalog.select_credentials(ids)
    except UnknownCredentialError as err:
        raise _unknown_id(err) from None


def _unknown_id(err: Any) -> DataError:
    if err.ambiguous:
        return DataError(
            [f"`{err.cred_id}` names several credentials: " + ", ".join(f"`{s}`" for s in err.suggestions)],
            hint="give the id, or more of the name",
        )
    hint = (
        "did you mean " + " or ".join(f"`{s}`" for s in err.suggestions) + "?"
        if err.suggestions
        else "`credroi list` shows every id"
    )
    return DataError([f"unknown credential `{err.cred_id}`"], hint=hint)


# --- output ---------------------------------------------------------------------------------


def color(ctx: typer.Context) -> bool:
    """Colour on stdout: a terminal, unless --no-color, NO_COLOR or TERM=dumb (FORCE_COLOR forces it)."""
    if ctx.meta.get("credroi.no_color") or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def env_format() -> str:
    """``CREDROI_FORMAT``, trimmed and lower-cased ("" when unset)."""
    return os.environ.get(ENV_FORMAT, "").strip().lower()


def output_format(fmt: Fmt | None) -> Fmt:
    """``--format``, else ``CREDROI_FORMAT``, else ``auto``."""
    if fmt is not None:
        return fmt
    raw = env_format()
    if not raw:
        return Fmt.auto
    try:
        return Fmt(raw)
    except ValueError:
        choices = ", ".join(f.value for f in Fmt)
        raise UsageError(f"invalid value for {ENV_FORMAT}: '{raw}' is not one of {choices}") from None


def emit(ctx: typer.Context, doc: "Document", fmt: Fmt | None, *, page: bool = False) -> None:
    """Render ``doc`` in the format asked for and write it to stdout (through a pager when ``page`` asks)."""
    from credroi.render import RenderOptions, render, resolve

    concrete = resolve(output_format(fmt).value, sys.stdout.isatty())
    text = render(doc, concrete, RenderOptions(width=width(), color=color(ctx)))
    if page and concrete == "table" and _paged(text):
        return
    with interrupts_held():
        sys.stdout.write(text)
        sys.stdout.flush()


def _paged(text: str) -> bool:
    """Show ``text`` through a pager, as git does, when it is taller than the terminal; False if it was not.

    Only on a terminal (never in a pipe); ``CREDROI_PAGER``, else ``PAGER``, else ``less`` (with
    ``LESS=FRX`` unless set: quit if one screen, keep colours, leave the text on the screen). An
    empty value or ``cat`` means no pager; a pager that cannot start leaves the text to stdout.
    """
    import shlex
    import shutil
    import subprocess

    if not (sys.stdout.isatty() and sys.stdin.isatty()):
        return False
    if text.count("\n") < shutil.get_terminal_size((80, 24)).lines:
        return False
    command = os.environ.get("CREDROI_PAGER", os.environ.get("PAGER", "less")).strip()
    if not command or command == "cat":
        return False
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        subprocess.run(shlex.split(command), input=text, text=True, env=env, check=False)
    except (OSError, ValueError):
        return False
    return True


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) until the block is done, so a document is written whole or not at all.

    The signal is blocked, not ignored: one pressed during the write is delivered right after it,
    and the command then stops with exit 130. Where signals cannot be blocked (not the main
    thread, no pthread_sigmask), the block runs as it is.
    """
    import signal

    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def width() -> int:
    """The terminal's width, or 80 off a terminal."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns if sys.stdout.isatty() else 80


def say(kind: str, text: str) -> None:
    """``kind: text`` on stderr (``error``, ``hint``...), the label coloured on a terminal."""
    colored = sys.stderr.isatty() and not os.environ.get("NO_COLOR")
    styles = {"error": "\x1b[1;31m", "hint": "\x1b[1;36m", "internal error": "\x1b[1;31m"}
    label = f"{styles.get(kind, '')}{kind}:\x1b[0m" if colored else f"{kind}:"
    sys.stderr.write(f"{label} {text}\n")
