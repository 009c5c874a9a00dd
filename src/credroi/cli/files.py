"""The commands that work with files: batch, profile (init, show, path) and catalog (validate, path, export)."""

import contextlib
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from credroi.cli.common import (
    EXIT_DATA,
    EXIT_INTERRUPTED,
    EXIT_IO,
    OUTPUT,
    CatalogOpt,
    CredroiCommand,
    DataError,
    EnvironmentFailedError,
    FormatOpt,
    ProfileCommand,
    ProfileInitCommand,
    UsageError,
    catalog_paths,
    emit,
    env_format,
    examples_epilog,
    interrupts_held,
    load,
    profile_of,
    say,
    sources_of,
)


class BatchFmt(StrEnum):
    """``batch --format`` choices (streamed formats only)."""

    csv = "csv"
    jsonl = "jsonl"
    json = "json"


class InputFmt(StrEnum):
    """``batch --input-format`` choices."""

    csv = "csv"
    jsonl = "jsonl"


class BatchEngine(StrEnum):
    """``batch --engine`` choices."""

    auto = "auto"
    scalar = "scalar"
    columnar = "columnar"


def batch(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(metavar="FILE", help="CSV (with a header) or JSONL rows; '-' reads stdin.", show_default=False),
    ],
    input_format: Annotated[
        InputFmt | None,
        typer.Option(
            "--input-format",
            help="csv or jsonl. \\[default: by the file extension; csv for stdin]",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first bad row.")] = False,
    metrics: Annotated[
        str | None,
        typer.Option(
            "--metrics",
            metavar="KEYS",
            help="Only these metrics, comma-separated (e.g. npv,roi,payback_months), in the usual order. \\[default: all]",
            show_default=False,
        ),
    ] = None,
    max_line_length: Annotated[
        int,
        typer.Option(
            "--max-line-length",
            min=1,
            metavar="CHARS",
            help="Longest input line read; a longer one is reported as its row's error and skipped.",
        ),
    ] = 1_000_000,
    engine: Annotated[
        BatchEngine,
        typer.Option(
            "--engine",
            help="columnar: NumPy, chunk by chunk (pip install 'credroi[scale]'); scalar: the reference engine, compare's numbers to the last digit; auto: columnar from 2,000 rows when NumPy is installed.",
            case_sensitive=False,
        ),
    ] = BatchEngine.auto,
    catalog: CatalogOpt = None,
    fmt: Annotated[
        BatchFmt | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, jsonl or json. \\[default: $CREDROI_FORMAT if one of these, else csv]",
            rich_help_panel=OUTPUT,
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Evaluate many rows: each names a credential and any profile keys; one result or one error per row, streamed.

    Output rows carry row (the data row number), credential and every metric. Bad rows are reported on stderr as 'row N: ...' and the run goes on (--strict stops); exit 1 if any row was bad.
    """
    from credroi import batch as batching

    if source == "-" and "-" in catalog_paths(catalog):
        raise UsageError("invalid value for --catalog: '-' (stdin) already carries the batch rows")
    kind = _input_format(source, input_format)
    out_fmt = _batch_format(fmt)
    keys = _metric_keys(metrics)
    engine_name: Any = engine.value
    if engine_name == "columnar" and not batching.numpy_available():
        raise UsageError("invalid value for --engine: columnar needs NumPy", "pip install 'credroi[scale]'")
    cat = load(catalog)
    profile = profile_of(ctx, cat)
    credentials = {c.id: c for c in cat.credentials()}
    evaluator = batching.Evaluator(credentials, profile, roles=cat.model_roles())
    shown = "<stdin>" if source == "-" else source
    ok = bad = 0
    stopped = False
    with _open_text(source) as stream:
        writer: batching.Writer | None = None
        progress = _Progress.of(stream, shown)
        try:
            rows = batching.open_rows(stream, kind, max_line_length)  # the header is checked before any output
            writer = batching.Writer(sys.stdout, out_fmt.value, profile.as_dict(), ("row", "credential", *keys))
            for item in batching.evaluate_stream(rows, evaluator, writer, engine_name):
                if isinstance(item, batching.RowError):
                    bad += 1
                    progress.clear()
                    say("error", f"{shown}: {item}")
                    if strict:
                        stopped = True
                        break
                elif isinstance(item, batching.Block):
                    ok += len(item.lines)
                    with interrupts_held():  # a block is written whole, or not at all
                        writer.write_block(item)
                else:
                    ok += 1
                    with interrupts_held():
                        writer.write(item)
                progress.show(ok + bad)
        except batching.BatchInputError as err:
            if writer is not None:
                writer.close()
            raise DataError([f"{shown}: {err}"], hint=_batch_hint(kind)) from None
        except UnicodeDecodeError:
            if writer is not None:
                writer.close()
            raise DataError([f"{shown}: not valid UTF-8 text (after data row {ok + bad})"]) from None
        except KeyboardInterrupt:  # Ctrl-C: what was written stays whole, and a JSON document is closed
            progress.clear()
            with interrupts_held():
                if writer is not None:
                    writer.close()
                sys.stdout.flush()
            sys.stderr.write(f"{shown}: interrupted after {_count(ok + bad, 'row')}: {ok} ok, {_count(bad, 'error')}\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        progress.clear()
        writer.close()
    total = ok + bad
    summary = f"{shown}: {_count(total, 'row')}: {ok} ok, {_count(bad, 'error')}"
    if stopped:
        summary += " (stopped at the first bad row: --strict)"
    sys.stderr.write(summary + "\n")
    if bad:
        raise typer.Exit(EXIT_DATA)


def _metric_keys(given: str | None) -> tuple[str, ...]:
    """The metric keys of ``--metrics`` in the usual order (all when not given); a usage error names an unknown key."""
    from credroi.hints import did_you_mean
    from credroi.model.engine import METRIC_KEYS

    if given is None:
        return METRIC_KEYS
    asked = [k.strip() for k in given.split(",") if k.strip()]
    for key in asked:
        if key not in METRIC_KEYS:
            raise UsageError(f"invalid value for --metrics: unknown metric `{key}`{did_you_mean(key, METRIC_KEYS)}")
    if not asked:
        raise UsageError("invalid value for --metrics: no metric named", "e.g. --metrics npv,roi")
    return tuple(k for k in METRIC_KEYS if k in asked)


def _input_format(source: str, given: InputFmt | None) -> Any:
    from credroi.batch import EXTENSIONS

    if given is not None:
        return given.value
    if source == "-":
        return "csv"
    found = EXTENSIONS.get(Path(source).suffix.lower())
    if found is None:
        raise UsageError(f"invalid value for FILE: cannot tell the format of `{source}`; use --input-format csv|jsonl")
    return found


def _batch_format(fmt: BatchFmt | None) -> BatchFmt:
    if fmt is not None:
        return fmt
    raw = env_format()
    return BatchFmt(raw) if raw in {f.value for f in BatchFmt} else BatchFmt.csv


def _batch_hint(kind: str) -> str:
    if kind == "csv":
        return "the first line must be a header naming `credential` and profile keys, e.g. credential,salary"
    return 'each line must be a JSON object, e.g. {"credential": "aws-saa", "salary": 90000}'


class _Progress:
    """A one-line count of the rows done on stderr, while a batch runs long (never in a pipe).

    Shown only when stderr is a terminal and the results go elsewhere (a file, a pipe), from
    half a second on, redrawn at most five times a second, with the share of the file read when
    the input is a regular file; cleared before an error line and at the end.
    """

    def __init__(self, fd: int | None, size: int, shown: str) -> None:
        import time

        self.fd, self.size, self.name = fd, size, shown
        self.clock = time.monotonic
        self.due = self.clock() + 0.5
        self.drawn = False

    @classmethod
    def of(cls, stream: Any, shown: str) -> "_Progress":
        import os
        import stat

        if not sys.stderr.isatty() or sys.stdout.isatty():
            return _NoProgress(None, 0, shown)
        try:
            fd = stream.fileno()
            info = os.fstat(fd)
        except (OSError, AttributeError, ValueError):
            return cls(None, 0, shown)
        return cls(fd, info.st_size if stat.S_ISREG(info.st_mode) else 0, shown)

    def show(self, rows: int) -> None:
        now = self.clock()
        if now < self.due:
            return
        self.due = now + 0.2
        share = ""
        if self.fd is not None and self.size:
            import os

            with contextlib.suppress(OSError):
                share = f" ({min(1.0, os.lseek(self.fd, 0, os.SEEK_CUR) / self.size):.0%} of the file read)"
        sys.stderr.write(f"\r{self.name}: {rows:,} rows{share}\x1b[K")
        sys.stderr.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.drawn = False


class _NoProgress(_Progress):
    def show(self, rows: int) -> None:
        return


@contextlib.contextmanager
def _open_text(source: str) -> Iterator[Any]:
    """A text stream of ``source`` (``-`` = stdin) as UTF-8, a byte-order mark allowed."""
    import io

    if source == "-":
        yield io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
        return
    try:
        fh = open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        raise DataError([f"{source}: no such file"]) from None
    except IsADirectoryError:
        raise DataError([f"{source}: is a directory, not a batch file"]) from None
    except OSError as err:
        raise DataError([f"{source}: cannot read: {err.strerror or err}"]) from None
    with fh:
        yield fh


def _epilog(*examples: str) -> str:
    return examples_epilog(examples)


profile_app = typer.Typer(
    name="profile",
    help="Your default profile: write a commented file, show the effective values and where they come from.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@profile_app.command("path", cls=CredroiCommand, epilog=_epilog("credroi profile path"))
def profile_path() -> None:
    """Print the profile file used when no --profile or $CREDROI_PROFILE is given."""
    from credroi.profile_sources import default_profile_path

    typer.echo(str(default_profile_path()))


@profile_app.command(
    "init",
    cls=ProfileInitCommand,
    epilog=_epilog("credroi profile init", "credroi profile init --salary 90000 --employer-share 1 --force"),
)
def profile_init(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Option(
            "--path", metavar="FILE", help="Where to write. \\[default: `credroi profile path`]", dir_okay=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented profile file (the model's defaults, or the values given), atomically."""
    from credroi import profile_sources as profiles
    from credroi.model.profile import PROFILE_KEYS

    # a computed default (each entry's pace, half the hourly wage) stays None: commented out in the file
    values: dict[str, Any] = dict(zip(PROFILE_KEYS, profile_of(ctx).values(), strict=True))
    target = path or profiles.default_profile_path()
    try:
        profiles.write_profile_file(target, profiles.profile_template(values), force=force)
    except profiles.ProfileExistsError:
        raise DataError([f"{target}: already exists"], hint="use --force to replace it") from None
    except OSError as err:  # the environment: a file where the folder should be, no permission, a full disk
        where = err.filename if isinstance(err, NotADirectoryError) and err.filename else target
        raise EnvironmentFailedError([f"{where}: cannot write: {err.strerror or err}"]) from None
    sys.stderr.write(f"wrote {target}\n")


@profile_app.command(
    "show", cls=ProfileCommand, epilog=_epilog("credroi profile show", "CREDROI_SALARY=90000 credroi profile show")
)
def profile_show(ctx: typer.Context, fmt: FormatOpt = None) -> None:
    """Print the effective profile and where each value comes from (option, environment, file or default)."""
    from credroi import documents

    emit(ctx, documents.profile_document(profile_of(ctx), sources_of(ctx)), fmt)


catalog_app = typer.Typer(
    name="catalog",
    help="Validate catalog files, find the bundled one, export the merged catalog.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ExportFmt(StrEnum):
    """``catalog export --format`` choices."""

    yaml = "yaml"
    json = "json"


@catalog_app.command(
    "validate",
    cls=CredroiCommand,
    epilog=_epilog("credroi catalog validate", "credroi catalog validate mine.yaml --max-age 12 --format json"),
)
def catalog_validate(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PATH]...",
            help=(
                "Catalog files, layered in order ('bundled' names the bundled one, '-' reads stdin). "
                "\\[default: --catalog, $CREDROI_CATALOG, else the bundled catalog]"
            ),
            show_default=False,
        ),
    ] = None,
    max_age: Annotated[
        int,
        typer.Option(
            "--max-age",
            min=0,
            metavar="MONTHS",
            help="Warn about every figure whose newest supporting source is older than this.",
        ),
    ] = 36,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Check catalog files and report every problem at once, each as path:LINE: field: message.

    Exit 1 if there is any error (a date after today is one). Warnings (figures whose newest source is older than --max-age months, figures no source supports) are reported too but keep exit 0.
    """
    from datetime import date

    from credroi import documents
    from credroi.catalog import CatalogError, Problem, audit, future_dates, load_catalog

    names = paths or catalog_paths(catalog)
    errors: list[Problem] = []
    warnings: list[Problem] = []
    count: int | None = None
    roles = 0
    unreadable = False
    try:
        cat = load_catalog(names, cache=False)  # a validator validates
    except CatalogError as err:
        errors = err.problems
        unreadable = err.unreadable
    else:
        today = date.today()
        errors = future_dates(cat, (today.year, today.month))
        warnings = audit(cat, (today.year, today.month), max_age)
        count = len(cat.entries)
        roles = len(cat.roles)
    emit(ctx, documents.validate_document(errors, warnings), fmt)
    shown = ["<stdin>" if n == "-" else "bundled catalog" if n == "bundled" else n for n in names]
    where = shown[0] if len(shown) == 1 else f"{len(shown)} catalogs" if shown else "bundled catalog"
    checked = f"{_count(count, 'credential')}, " if count is not None else ""
    if roles:
        checked += f"{_count(roles, 'role')}, "
    sys.stderr.write(f"{where}: {checked}{_count(len(errors), 'error')}, {_count(len(warnings), 'warning')}\n")
    if errors:
        raise typer.Exit(EXIT_IO if unreadable else EXIT_DATA)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


@catalog_app.command("path", cls=CredroiCommand, epilog=_epilog("credroi catalog path"))
def catalog_path() -> None:
    """Print where the bundled catalog file is installed."""
    from credroi.catalog import bundled_path

    typer.echo(str(bundled_path()))


@catalog_app.command(
    "export",
    cls=CredroiCommand,
    epilog=_epilog("credroi catalog export > mine.yaml", "credroi catalog export --format json"),
)
def catalog_export(
    catalog: CatalogOpt = None,
    fmt: Annotated[
        ExportFmt, typer.Option("--format", "-f", help="yaml (a catalog file) or json.", case_sensitive=False)
    ] = ExportFmt.yaml,
) -> None:
    """Print the merged catalog (after layering every --catalog file), its roles and credentials, as YAML or JSON.

    The output is itself a valid catalog: credroi catalog export > mine.yaml starts your own.
    """
    import json

    cat = load(catalog)
    credentials = []
    for entry in cat.entries.values():
        record = _tidy(entry.model_dump(mode="json", exclude_none=True))
        for empty in ("requires", "roles"):
            if not record.get(empty):
                record.pop(empty, None)
        credentials.append(record)
    data: dict[str, Any] = {"currency": cat.currency}
    if cat.roles:
        data["roles"] = [_tidy(role.model_dump(mode="json", exclude_none=True)) for role in cat.roles.values()]
    data["credentials"] = credentials
    if fmt is ExportFmt.json:
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    else:
        import yaml

        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)
    sys.stdout.write(text)
    sys.stdout.flush()


def _tidy(value: Any) -> Any:
    """Whole-number floats as ints (``150`` rather than ``150.0``), recursively."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    return value
