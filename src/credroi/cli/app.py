"""The root of the ``credroi`` command line: the command table (loaded lazily), the root options and ``main``."""

import errno
import os
import sys
from importlib import import_module
from typing import Annotated, Any, NamedTuple, NoReturn

import typer
from typer.core import TyperGroup

from credroi import __version__
from credroi.cli.common import (
    EXIT_CODES_HELP,
    EXIT_DATA,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_IO,
    EXIT_OK,
    EXIT_USAGE,
    CredroiCommand,
    DataError,
    EnvironmentFailedError,
    InterviewCommand,
    MaxCatalogOpt,
    NoCacheOpt,
    NoColorOpt,
    ProfileCommand,
    UsageError,
    examples_epilog,
    say,
    set_run_options,
)


class Command(NamedTuple):
    """One entry of the command table: where the command lives, and what it takes."""

    target: str
    """``module:function`` (a command) or ``module:app`` (a Typer group of commands)."""
    examples: tuple[str, ...] = ()
    """Command lines shown under "Examples" in the command's ``--help``."""
    profile: bool = False
    """It evaluates, so it takes the profile options."""
    interview: bool = False
    """It asks on a terminal for what the options leave open (the target role of a switch too)."""


COMMANDS: dict[str, Command] = {
    "advise": Command(
        "credroi.cli.advise:advise",
        (
            "credroi advise",
            "credroi advise --goal switch --target-role it-support --salary 33700 --budget 1500",
            "credroi advise --goal raise --salary 90000 --field cloud --format json > advice.json",
        ),
        profile=True,
        interview=True,
    ),
    "report": Command(
        "credroi.cli.advise:report",
        (
            "credroi report --goal raise --salary 90000 --output report.html",
            "credroi report --from-advice advice.json --format md --output report.md",
        ),
        profile=True,
        interview=True,
    ),
    "compare": Command(
        "credroi.cli.evaluate:compare",
        (
            "credroi compare",
            "credroi compare aws-saa comptia-security-plus --salary 90000",
            "credroi compare --by kind",
        ),
        profile=True,
    ),
    "rank": Command(
        "credroi.cli.decide:rank",
        ("credroi rank --budget 500 --max-weeks 12", "credroi rank --kind micro-credential --by payback --top 5"),
        profile=True,
    ),
    "plan": Command(
        "credroi.cli.decide:plan",
        (
            "credroi plan --budget 1500 --max-weeks 26",
            "credroi plan --field cloud --have aws-saa --max-credentials 2 --employer-share 1",
        ),
        profile=True,
    ),
    "simulate": Command(
        "credroi.cli.decide:simulate",
        ("credroi simulate aws-saa google-data-analytics", "credroi simulate --draws 50000 --seed 7 --format json"),
        profile=True,
    ),
    "sensitivity": Command(
        "credroi.cli.decide:sensitivity",
        ("credroi sensitivity aws-saa", "credroi sensitivity cissp --salary 120000 --format json"),
        profile=True,
    ),
    "flip": Command(
        "credroi.cli.decide:flip",
        ("credroi flip aws-saa google-data-analytics", "credroi flip cissp comptia-security-plus --format markdown"),
        profile=True,
    ),
    "explain": Command(
        "credroi.cli.decide:explain",
        ("credroi explain aws-saa", "credroi explain aws-saa cissp --monthly", "credroi explain aws-saa --save be.png"),
        profile=True,
    ),
    "list": Command(
        "credroi.cli.evaluate:list_",
        ("credroi list", "credroi list --kind micro-credential --field cloud --format json"),
    ),
    "show": Command(
        "credroi.cli.evaluate:show",
        ("credroi show aws-saa", "credroi show cissp --salary 120000 --format json"),
        profile=True,
    ),
    "roles": Command("credroi.cli.evaluate:roles", ("credroi roles", "credroi roles --format json")),
    "batch": Command(
        "credroi.cli.files:batch",
        (
            "credroi batch rows.csv > results.csv",
            "cat rows.jsonl | credroi batch - --input-format jsonl --format jsonl",
        ),
        profile=True,
    ),
    "profile": Command("credroi.cli.files:profile_app"),
    "catalog": Command("credroi.cli.files:catalog_app"),
}
"""Every command and command group, in the order ``credroi --help`` lists them.

A command's module is imported only when that command runs (or when help lists them all), so
start-up pays for one command, not for all of them.
"""


class LazyGroup(TyperGroup):
    """The root group: builds a command from :data:`COMMANDS` when it is asked for (Click's lazy-loading pattern)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module, _, name = spec.target.partition(":")
        target = getattr(import_module(module), name)
        if isinstance(target, typer.Typer):
            return typer.main.get_command(target)
        single = typer.Typer(add_completion=False)
        single.command(
            cmd_name,
            cls=InterviewCommand if spec.interview else ProfileCommand if spec.profile else CredroiCommand,
            epilog=examples_epilog(spec.examples),
        )(target)
        return typer.main.get_command(single)


app = typer.Typer(
    cls=LazyGroup,
    name="credroi",
    help=(
        "Is a tech certification worth more than a micro-credential? NPV, ROI, payback, IRR and "
        f"break-even raise for each credential of a sourced catalog.\n\n{EXIT_CODES_HELP}"
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"credroi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
    no_color: NoColorOpt = False,
    no_cache: NoCacheOpt = False,
    max_catalog_mib: MaxCatalogOpt = None,
) -> None:
    """credroi: the return on a certification or micro-credential, in numbers."""
    set_run_options(ctx, no_color, no_cache, max_catalog_mib)


def command_paths() -> list[list[str]]:
    """Every command as the words that run it (``["compare"]``, ``["profile", "init"]``...), in help order."""
    root = typer.main.get_command(app)
    ctx = typer.Context(root)
    out: list[list[str]] = []
    for name in root.list_commands(ctx):  # type: ignore[attr-defined]
        command = root.get_command(ctx, name)  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        out += [[name, sub] for sub in subcommands] if subcommands else [[name]]
    return out


def main(argv: list[str] | None = None) -> None:
    """Run the command line; map every failure to a message and an exit code, never a traceback."""
    try:
        code = _run(argv)
    except UsageError as err:
        _fail(EXIT_USAGE, [str(err)], hint=err.hint or _command_hint(argv))
    except DataError as err:
        _fail(EXIT_DATA, err.lines, err.hint)
    except EnvironmentFailedError as err:
        _fail(EXIT_IO, err.lines, err.hint)
    except BrokenPipeError:
        _quiet_stdout()  # the reader went away (e.g. `| head`): stop quietly
        raise SystemExit(EXIT_OK) from None
    except KeyboardInterrupt:
        _quiet_stdout()
        raise SystemExit(EXIT_INTERRUPTED) from None
    except OSError as err:  # the environment failed: a full disk, a closed stream, an I/O error
        _quiet_stdout()
        _fail(EXIT_IO, [_os_error_text(err)])
    except typer.Exit as done:
        raise SystemExit(done.exit_code) from None
    except Exception as err:
        if _is_click_error(err) and not err.format_message():  # type: ignore[attr-defined]
            raise SystemExit(EXIT_OK) from None  # no arguments: the help was printed, as asked
        if _is_click_error(err):
            _fail(getattr(err, "exit_code", EXIT_USAGE), [_click_message(err)], hint=_click_hint(err))
        if os.environ.get("CREDROI_DEBUG"):
            raise
        say("internal error", f"{type(err).__name__}: {err}")
        say("hint", "this is a bug in credroi; run again with CREDROI_DEBUG=1 for the traceback and report it")
        raise SystemExit(EXIT_INTERNAL) from None
    raise SystemExit(code if isinstance(code, int) else EXIT_OK)


def _run(argv: list[str] | None) -> Any:
    """Run the app; ``--no-cache`` lasts for this run only (main() may be called again in-process).

    Output is flushed here, inside ``main``'s handlers, so that a full disk or a closed reader at
    the last write is reported like any other (not as Python's "Exception ignored" at exit).
    A closed standard output (``credroi compare >&-``) is refused before anything runs: the
    command would otherwise succeed and print nothing.
    """
    if sys.stdout is None:
        raise EnvironmentFailedError(["standard output is closed: nowhere to print the result"])
    try:
        code = app(args=argv, prog_name="credroi", standalone_mode=False)
        sys.stdout.flush()
        return code
    except SystemExit as done:
        # Typer (for a command's output) and rich (for the help it draws) answer a closed reader
        # with SystemExit(1); nothing else in a command raises SystemExit
        gone = isinstance(done.__context__, BrokenPipeError) or _points_at_devnull(sys.stdout)
        if done.code == 1 and gone:
            raise BrokenPipeError from None
        raise
    finally:  # the run options last for this run only
        if "credroi.catalog.cache" in sys.modules:
            sys.modules["credroi.catalog.cache"].switch_off(False)
        if "credroi.catalog.load" in sys.modules:
            sys.modules["credroi.catalog.load"].set_size_limit(None)


def _points_at_devnull(stream: Any) -> bool:
    try:
        mine, null = os.fstat(stream.fileno()), os.stat(os.devnull)
    except (OSError, AttributeError, ValueError):
        return False
    return (mine.st_dev, mine.st_ino) == (null.st_dev, null.st_ino)


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush cannot fail again at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):
        pass


def _os_error_text(err: OSError) -> str:
    """One line for an I/O failure: the file if one is named, else the stream, and the system's reason."""
    reason = err.strerror or str(err) or type(err).__name__
    if err.filename:
        return f"{err.filename}: {reason}"
    if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return f"cannot write the output: {reason}"
    if err.errno == errno.EBADF:
        return f"a standard stream (input, output or error) is closed: {reason}"
    return f"reading input or writing output failed: {reason}"


def _fail(code: int, lines: list[str], hint: str | None = None) -> NoReturn:
    for line in lines:
        say("error", line)
    if hint:
        say("hint", hint)
    raise SystemExit(code)


def _is_click_error(err: BaseException) -> bool:
    """Click's usage errors (vendored by Typer) carry ``exit_code`` and ``format_message``."""
    return hasattr(err, "format_message") and hasattr(err, "exit_code")


def _click_message(err: BaseException) -> str:
    """Click's message as one ``error:`` line: first letter in lower case, no full stop."""
    message: str = err.format_message()  # type: ignore[attr-defined]
    return (message[:1].lower() + message[1:]).rstrip(".")


def _click_hint(err: BaseException) -> str:
    ctx = getattr(err, "ctx", None)
    path = getattr(ctx, "command_path", "credroi") if ctx is not None else "credroi"
    return f"see `{path} --help`"


def _command_hint(argv: list[str] | None) -> str:
    args = sys.argv[1:] if argv is None else argv
    name = next((a for a in args if not a.startswith("-")), None)
    return f"see `credroi {name} --help`" if name in COMMANDS else "see `credroi --help`"
