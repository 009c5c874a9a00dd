"""Batch evaluation: rows of CSV or JSONL in, one result or one error per row out, streamed.

Each input row names a ``credential`` and may set any profile key of docs/model.md; a key it leaves
out comes from the base profile (options, environment, profile file, defaults). Rows are read,
evaluated and handed on one at a time, so memory stays constant however long the input.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TextIO

from credroi.model.engine import METRIC_KEYS, Credential, Evaluation, evaluate
from credroi.model.profile import PROFILE_KEYS, Profile, ProfileError, Role
from credroi.profile_sources import Value, parse_value

InputFormat = Literal["csv", "jsonl"]
INPUT_KEYS: tuple[str, ...] = ("credential", *PROFILE_KEYS)
OUTPUT_KEYS: tuple[str, ...] = ("row", "credential", *METRIC_KEYS)
"""The keys of each output record, in order."""

EXTENSIONS: dict[str, InputFormat] = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


class BatchInputError(Exception):
    """The input as a whole cannot be read (a bad header, a broken encoding): the run stops."""


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row gave no result."""

    row: int
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}"


@dataclass(frozen=True, slots=True)
class RawRow:
    """One data row as read: its number and its non-empty values by key."""

    row: int
    values: dict[str, object]


def _alias_table() -> dict[str, str]:
    """Header names a spreadsheet may use, lower-cased, for each input key: the key and its option's name."""
    from credroi.model.profile import PROFILE_FIELDS

    out = {key: key for key in INPUT_KEYS}
    out.update((setting.option.removeprefix("--").replace("-", "_"), setting.name) for setting in PROFILE_FIELDS)
    return out


ALIASES = _alias_table()


def canonical_key(key: str) -> str:
    """The input key a header cell means: case, spaces and dashes aside (``Credential``, ``Hours per week``),
    and the CLI option's name (``horizon`` for horizon_years); else the cell as written (then refused)."""
    name = key.strip()
    return ALIASES.get(name.lower().replace("-", "_").replace(" ", "_"), name)


def _unknown_key(key: str) -> str:
    from credroi.hints import did_you_mean

    hint = did_you_mean(key, INPUT_KEYS)
    return f"unknown column `{key}`{hint}; remove it or start its name with `_` to have it ignored"


MAX_LINE_LENGTH = 1_000_000
"""Longest input line (characters) read as a row; a longer one is reported as its row's error and skipped."""


_END = object()

BLOCK = 1 << 16
"""Characters read from a text file at a time."""

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _split_lines(text: str) -> list[str]:
    """``text`` cut after each line break (``\\n``, ``\\r\\n`` or ``\\r``; not ``str.splitlines``' others)."""
    if "\r" in text:
        return _LINE.findall(text)
    parts = text.split("\n")
    last = parts.pop()
    lines = [p + "\n" for p in parts]
    if last:
        lines.append(last)
    return lines


def _after_break(text: str) -> int:
    """The index just after the first line break of ``text``, or -1."""
    found = [i for i in (text.find("\n"), text.find("\r")) if i >= 0]
    if not found:
        return -1
    at = min(found)
    return at + 2 if text.startswith("\r\n", at) else at + 1


class _Lines:
    """The physical lines of ``stream``, each at most ``limit`` characters (a longer one is ``None``), with pushback.

    A text file is read in blocks of :data:`BLOCK` characters and split at line breaks (``\\n``,
    ``\\r\\n``, ``\\r``, as ``newline=""`` reads them), so a line without a newline, however long, never
    sits in memory whole: past the limit its rest is read and dropped block by block. Any other
    iterable of strings (lines already in memory) is split the same way.
    """

    def __init__(self, stream: Iterable[str], limit: int) -> None:
        self.limit = limit
        self.back: list[str] = []
        read = getattr(stream, "read", None)
        self._next = self._reader(read) if callable(read) else self._splitter(iter(stream))

    def _reader(self, read: Callable[[int], str]) -> Iterator[str | None]:
        limit = self.limit
        tail = ""
        dropping = False  # inside a line over the limit: its rest is read and dropped
        while True:
            block = read(BLOCK)
            if not block:
                if dropping:
                    yield None
                elif tail:
                    yield tail if len(tail) <= limit else None
                return
            if dropping:
                cut = _after_break(block)
                if cut < 0:
                    continue
                yield None
                dropping = False
                block = block[cut:]
            text = tail + block
            lines = _split_lines(text)
            tail = lines.pop() if lines and (not lines[-1].endswith(("\n", "\r")) or text.endswith("\r")) else ""
            for line in lines:
                yield line if len(line) <= limit else None
            if len(tail) > limit:
                dropping, tail = True, ""

    def _splitter(self, items: Iterator[str]) -> Iterator[str | None]:
        limit = self.limit
        for item in items:
            for line in _split_lines(item) if item.count("\n") + item.count("\r") > 1 else (item,):
                yield line if len(line) <= limit else None

    def __iter__(self) -> Iterator[str | None]:
        back, source = self.back, self._next
        while True:
            if back:
                yield back.pop()
                continue
            line = next(source, _END)
            if line is _END:
                if back:
                    continue
                return
            yield line  # type: ignore[misc]

    def push(self, lines: list[str]) -> None:
        """Read ``lines`` again, first to last, before the rest of the stream."""
        self.back.extend(reversed(lines))


def _too_long(row: int, limit: int) -> RowError:
    return RowError(row, f"longer than {limit:,} characters (--max-line-length); skipped")


class CsvRows:
    """Rows of a CSV file with a header; fully blank lines are skipped and not counted.

    The header is read and checked when the object is made (:class:`BatchInputError` if it is
    bad), so a caller can check it before writing any output. A quoted cell may span lines only
    within ``max_line`` characters and only in an ignored ``_`` column: a quote left open costs
    its own row (reported) and the lines after it are read again as rows.
    """

    def __init__(self, stream: Iterable[str], max_line: int = MAX_LINE_LENGTH) -> None:
        self.lines = _Lines(stream, max_line)
        self.limit = max_line
        self._feed: list[str] = []
        self.delimiter = ","
        self._reader = csv.reader(iter(self._feed.pop, None))
        header = None
        for line in self.lines:
            if line is None:
                raise BatchInputError(f"header: longer than {max_line:,} characters (--max-line-length)")
            if ";" in line and "," not in line:  # a spreadsheet saved with semicolons (where the comma is decimal)
                self.delimiter = ";"
                self._reader = csv.reader(iter(self._feed.pop, None), delimiter=";")
            found = self._record(line)
            if found is None:
                raise BatchInputError("malformed CSV header: a quote is not closed")
            header = self._cells(found[0])
            break
        if header is None:
            raise BatchInputError("is empty: expected a header row with a `credential` column")
        keys = [h.strip() if h.strip().startswith("_") else canonical_key(h) for h in header]
        seen: set[str] = set()
        for key in keys:
            if key.startswith("_") or not key:
                continue
            if key not in INPUT_KEYS:
                raise BatchInputError(f"header: {_unknown_key(key)}")
            if key in seen:
                raise BatchInputError(f"header: column `{key}` appears twice")
            seen.add(key)
        if "credential" not in seen:
            raise BatchInputError("header: no `credential` column")
        self.width = len(keys)
        self.used = [(i, k) for i, k in enumerate(keys) if k and not k.startswith("_")]

    def _cells(self, record: str) -> list[str]:
        self._feed.append(record)
        try:
            return next(self._reader)
        except csv.Error as err:
            raise BatchInputError(f"malformed CSV: {err}") from None

    def _record(self, line: str) -> tuple[str, list[str]] | None:
        """``(record, extra lines)``: ``line`` and, while a quote stays open, the lines it takes; ``None`` when the
        quote is never closed within the limit (the extra lines are then pushed back)."""
        if line.count('"') % 2 == 0:
            return line, []
        taken: list[str] = []
        size, quotes = len(line), line.count('"')
        for more in self.lines:
            if more is None:
                break
            taken.append(more)
            size += len(more)
            quotes += more.count('"')
            if size > self.limit:
                break
            if quotes % 2 == 0:
                return line + "".join(taken), taken
        self.lines.push(taken)
        return None

    def __iter__(self) -> Iterator[RawRow | RowError]:
        """The rows: plain lines (no quote, none too long) are parsed in batches by one ``csv.reader``; a batch
        with anything else goes line by line. Batches grow from one line, so the first rows come at once."""
        width, used = self.width, self.used
        lines = iter(self.lines)
        size = 1
        self._row = 0
        while True:
            batch = list(itertools.islice(lines, size))
            if not batch:
                return
            size = min(size * 2, 1024)
            if any(line is None or '"' in line for line in batch):
                self.lines.push(batch)  # type: ignore[arg-type]
                yield from self._one_by_one(len(batch))
                continue
            for cells in csv.reader(batch, delimiter=self.delimiter):  # type: ignore[arg-type]
                if not cells or not "".join(cells).strip():
                    continue
                self._row += 1
                if len(cells) > width:
                    yield RowError(self._row, f"has {len(cells)} cells but the header has {width}")
                    continue
                if len(cells) == width:
                    yield RawRow(self._row, {k: c for i, k in used if (c := cells[i].strip())})
                else:
                    yield RawRow(self._row, {k: c for i, k in used if i < len(cells) and (c := cells[i].strip())})

    def _one_by_one(self, count: int) -> Iterator[RawRow | RowError]:
        """At least the next ``count`` lines, each on its own: long lines, quotes, values spanning lines."""
        width, used, limit = self.width, self.used, self.limit
        for line in itertools.islice(iter(self.lines), count):
            if line is None:
                self._row += 1
                yield _too_long(self._row, limit)
                continue
            if not line.strip():
                continue
            found = self._record(line)
            taken: list[str] = []
            if found is None:  # a quote left open: this line alone is the row, read as if it closed at the end
                cells = next(csv.reader([line], delimiter=self.delimiter), [])
            else:
                record, taken = found
                cells = self._cells(record)
            if not any(c.strip() for c in cells):
                continue
            self._row += 1
            row = self._row
            if taken and any(_broken(cells[i]) for i, _ in used if i < len(cells)):
                self.lines.push(taken)  # the quote was a stray one: this row is bad, the lines after it are rows
                yield RowError(row, "a quote is not closed on its line (a value spans lines); the row is skipped")
                continue
            if len(cells) > width:
                yield RowError(row, f"has {len(cells)} cells but the header has {width}")
                continue
            values: dict[str, object] = {}
            for i, k in used:
                if i < len(cells):
                    cell = cells[i].strip()
                    if cell:
                        values[k] = cell
            yield RawRow(row, values)


def _broken(cell: str) -> bool:
    """Whether a used cell holds a line break inside its value (not just around it)."""
    inner = cell.strip()
    return "\n" in inner or "\r" in inner


def read_csv(stream: Iterable[str], max_line: int = MAX_LINE_LENGTH) -> Iterator[RawRow | RowError]:
    """Rows of a CSV file with a header (:class:`CsvRows`), read lazily: a bad header raises on the first ``next``."""
    yield from CsvRows(stream, max_line)


def read_jsonl(stream: Iterable[str], max_line: int = MAX_LINE_LENGTH) -> Iterator[RawRow | RowError]:
    """Rows of JSON Lines: one object a line; blank lines are skipped and not counted."""
    row = 0
    for line in _Lines(stream, max_line):
        if line is None:
            row += 1
            yield _too_long(row, max_line)
            continue
        if not line.strip():
            continue
        row += 1
        try:
            data = json.loads(line, parse_constant=_no_constant)
        except json.JSONDecodeError as err:
            yield RowError(row, f"invalid JSON at column {err.colno}: {err.msg}")
            continue
        except (ValueError, RecursionError) as err:
            yield RowError(row, f"invalid JSON: {err}")
            continue
        if not isinstance(data, dict):
            yield RowError(row, 'expected a JSON object, e.g. {"credential": "aws-saa", "salary": 90000}')
            continue
        unknown = [k for k in data if k not in INPUT_KEYS and not str(k).startswith("_")]
        if unknown:
            yield RowError(row, _unknown_key(str(unknown[0])))
            continue
        yield RawRow(row, {k: v for k, v in data.items() if k in INPUT_KEYS and v is not None and v != ""})


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed (numbers must be finite)")


def read_rows(stream: Iterable[str], fmt: InputFormat, max_line: int = MAX_LINE_LENGTH) -> Iterator[RawRow | RowError]:
    """Rows of ``stream`` in ``fmt``, read lazily."""
    return read_csv(stream, max_line) if fmt == "csv" else read_jsonl(stream, max_line)


def open_rows(stream: Iterable[str], fmt: InputFormat, max_line: int = MAX_LINE_LENGTH) -> Iterator[RawRow | RowError]:
    """Rows of ``stream`` in ``fmt`` with the CSV header read and checked now (:class:`BatchInputError`)."""
    return iter(CsvRows(stream, max_line)) if fmt == "csv" else read_jsonl(stream, max_line)


class Evaluator:
    """Turns rows into results for a catalog and a base profile, remembering recent evaluations."""

    def __init__(
        self,
        credentials: Mapping[str, Credential],
        base: Profile,
        cache_size: int = 4096,
        roles: Mapping[str, Role] | None = None,
    ) -> None:
        self.credentials = credentials
        self.base = base
        self.roles: Mapping[str, Role] = roles or {}
        """The catalog's roles, where a row's target role is looked up."""
        self.cache: dict[tuple[Credential, Profile], Evaluation] = {}
        self.cache_size = cache_size

    def row(self, raw: RawRow) -> dict[str, object] | RowError:
        """The output record of one row, or why there is none."""
        values = dict(raw.values)
        cred_id = values.pop("credential", None)
        if not isinstance(cred_id, str) or not cred_id.strip():
            return RowError(raw.row, "credential: missing" if cred_id is None else "credential: must be an id")
        cred_id = cred_id.strip()
        cred = self.credentials.get(cred_id)
        if cred is None:
            from credroi.hints import did_you_mean

            hint = did_you_mean(cred_id.lower().replace(" ", "-"), self.credentials)
            return RowError(raw.row, f"unknown credential `{cred_id}`{hint}")
        changes: dict[str, Value] = {}
        for key, given in values.items():
            try:
                changes[key] = parse_value(key, given)
            except ValueError as err:
                return RowError(raw.row, f"{key}: {err}")
        try:
            profile = (self.base.replace(**changes) if changes else self.base).with_roles(self.roles)
            result = self.evaluate(cred, profile)
        except ProfileError as err:
            return RowError(raw.row, f"{err.field}: {err.message}" + (f" ({err.hint})" if err.hint else ""))
        record: dict[str, object] = {"row": raw.row, "credential": cred_id}
        record.update(result.as_dict())
        del record["id"], record["name"], record["kind"]
        return record

    def evaluate(self, cred: Credential, profile: Profile) -> Evaluation:
        """:func:`credroi.model.engine.evaluate`, remembered for repeated rows (bounded)."""
        key = (cred, profile)
        found = self.cache.get(key)
        if found is None:
            found = evaluate(cred, profile)
            if len(self.cache) >= self.cache_size:
                self.cache.clear()
            self.cache[key] = found
        return found


def run(rows: Iterable[RawRow | RowError], evaluator: Evaluator) -> Iterator[dict[str, object] | RowError]:
    """Every row's record or error, in input order (the scalar engine, one row at a time)."""
    for item in rows:
        yield item if isinstance(item, RowError) else evaluator.row(item)


# --- the columnar path -----------------------------------------------------------------------

CHUNK_ROWS = 24_576
"""Rows evaluated together by the columnar engine: memory stays bounded by a chunk, whatever the input."""

SMALL_INPUT = 2_000
"""Inputs of fewer rows stay on the scalar engine (``--engine auto``): importing NumPy would cost more than it saves."""

Engine = Literal["auto", "scalar", "columnar"]


def numpy_available() -> bool:
    """Whether NumPy can be imported (the columnar engine needs it: ``pip install 'credroi[scale]'``)."""
    import importlib.util

    return importlib.util.find_spec("numpy") is not None


def evaluate_stream(
    rows: Iterable[RawRow | RowError],
    evaluator: Evaluator,
    writer: Writer,
    engine: Engine = "auto",
) -> Iterator[dict[str, object] | RowError | Block]:
    """Every row's result in input order: a record (scalar engine), a :class:`Block` of rows already rendered
    for ``writer`` (columnar engine) or a :class:`RowError`.

    ``auto`` reads up to :data:`SMALL_INPUT` rows first: a shorter input runs on the scalar engine (no
    NumPy import, compare's numbers to the last digit), a longer one on the columnar engine when NumPy is
    installed, :data:`CHUNK_ROWS` rows at a time.
    """
    it = iter(rows)
    if engine == "scalar" or (engine == "auto" and not numpy_available()):
        yield from run(it, evaluator)
        return
    head: list[RawRow | RowError] = []
    if engine == "auto":
        for item in it:
            head.append(item)
            if len(head) >= SMALL_INPUT:
                break
        else:
            yield from run(head, evaluator)
            return
    columns = ColumnarEvaluator(evaluator, writer)
    chunk = head
    for item in it:
        chunk.append(item)
        if len(chunk) >= CHUNK_ROWS:
            yield from columns.chunk(chunk)
            chunk = []
    if chunk:
        yield from columns.chunk(chunk)


@dataclass(frozen=True, slots=True)
class Block:
    """Consecutive results already rendered by :meth:`Writer.render_columns`, one string each."""

    lines: list[str]


class ColumnarEvaluator:
    """Evaluates chunks of rows with :mod:`credroi.columnar`; rows it cannot take go to the scalar :class:`Evaluator`.

    Every value is parsed and bounds-checked for the whole chunk at once; a row with anything
    unusual (an unknown credential, a value out of bounds, a role that does not exist) is handed
    to the scalar evaluator, which gives its exact error or result. So both engines report the
    same errors, and the results agree within 1e-9 relative (the property tests hold the two to it).
    """

    def __init__(self, evaluator: Evaluator, writer: Writer | None = None) -> None:
        from credroi import columnar
        from credroi.model.profile import PROFILE_FIELDS

        self.evaluator = evaluator
        self.writer = writer
        ids = list(evaluator.credentials)
        self.index = {cid: i for i, cid in enumerate(ids)}
        self.ids = ids
        self.credentials = [evaluator.credentials[c] for c in ids]
        self.table = columnar.CredentialTable(self.credentials)
        self.numeric = [f for f in PROFILE_FIELDS if f.spec.unit not in ("text", "choice")]
        self.words = [f.name for f in PROFILE_FIELDS if f.spec.unit in ("text", "choice")]
        self.choices: dict[tuple[str, object], Value | None] = {}

    def _choice(self, key: str, raw: object) -> Value | None:
        """A choice or text value parsed (remembered by raw value); ``None`` if it does not parse."""
        found = self.choices.get((key, raw), False) if isinstance(raw, str) else None
        if found is False:
            try:
                found = parse_value(key, raw)
            except ValueError:
                found = None
            if len(self.choices) < 4096:
                self.choices[(key, raw)] = found
        return found if isinstance(found, str) else None

    def chunk(self, items: list[RawRow | RowError]) -> list[dict[str, object] | RowError | Block]:
        """The results of ``items`` in order."""
        raws = [it for it in items if isinstance(it, RawRow)]
        assert self.writer is not None, "rendering needs a writer"
        keys = [k for k in self.writer.keys if k in METRIC_KEYS]
        bad, index, result = self.columns(raws, keys)
        good = (~bad).nonzero()[0]
        lines = self.writer.render_columns(
            [raws[j].row for j in good.tolist()],
            [self.ids[i] for i in index[good].tolist()],
            {k: v[good] for k, v in result.items()},
        )
        out: list[dict[str, object] | RowError | Block] = []
        run: list[str] = []  # rendered rows in a row, written as one block
        rendered = iter(lines).__next__
        j = 0
        for item in items:
            if isinstance(item, RawRow) and not bad[j]:
                run.append(rendered())
                j += 1
                continue
            if run:
                out.append(Block(run))
                run = []
            if isinstance(item, RowError):
                out.append(item)
            else:
                out.append(self.evaluator.row(item))
                j += 1
        if run:
            out.append(Block(run))
        return out

    def columns(self, raws: list[RawRow], keys: list[str]) -> tuple[Any, Any, dict[str, Any]]:
        """``(bad, index, metrics)`` of ``raws``: which rows the scalar engine must take, each row's credential index
        and each metric in ``keys`` as an array over all rows (meaningless where ``bad``)."""
        import numpy as np

        from credroi import columnar

        n = len(raws)
        base = self.evaluator.base
        values = [r.values for r in raws]
        present: set[str] = set()
        for v in values:
            present.update(v)
        ids = [v.get("credential") for v in values]
        cred = [self.index.get(c, -1) if isinstance(c, str) else -1 for c in ids]
        index = np.array(cred, dtype=np.int64)
        bad = index < 0
        index[bad] = 0
        numbers: dict[str, Any] = {}
        with np.errstate(all="ignore"):
            for field in self.numeric:
                name = field.name
                default = getattr(base, name)
                default = math.nan if default is None else float(default)
                if name not in present:
                    numbers[name] = np.full(n, default)
                    continue
                given = [v.get(name) for v in values]
                parsed = np.array(_numbers(given), dtype=np.float64)
                missing = np.array([x is None for x in given], dtype=bool)
                spec = field.spec
                wrong = ~missing & (~np.isfinite(parsed) | ((parsed != 0.0) & (np.abs(parsed) < sys.float_info.min)))
                if spec.low is not None:
                    wrong |= ~missing & ((parsed <= spec.low) if spec.low_open else (parsed < spec.low))
                if spec.high is not None:
                    wrong |= ~missing & (parsed > spec.high)
                bad |= wrong
                numbers[name] = np.where(missing, default, parsed)
            texts: dict[str, list[Value | None]] = {}
            for name in self.words:
                default_text = getattr(base, name)
                if name not in present:
                    texts[name] = [default_text] * n
                    continue
                column: list[Value | None] = []
                for j, v in enumerate(values):
                    raw = v.get(name)
                    if raw is None:
                        column.append(default_text)
                        continue
                    parsed_text = self._choice(name, raw)
                    if parsed_text is None:
                        bad[j] = True
                    column.append(parsed_text)
                texts[name] = column
            cols, refused = columnar.profile_columns(
                base, numbers, texts, self.credentials, index, self.evaluator.roles
            )
            bad |= refused
            good = np.flatnonzero(~bad)
            found = columnar.evaluate_columns(self.table, index[good], _take(cols, good), keys)
            result: dict[str, Any] = {}
            for key in keys:
                if key not in NULLABLE:
                    finite = np.isfinite(found[key])
                    if not finite.all():
                        bad[good[~finite]] = True
                result[key] = np.full(n, np.nan)
                result[key][good] = found[key]
        return bad, index, result


NULLABLE = frozenset(
    {
        "roi",
        "payback_months",
        "discounted_payback_months",
        "irr",
        "mirr",
        "break_even_uplift",
        "break_even_recognition",
        "eligible",
    }
)
"""Metrics that may be null (NaN in the columnar engine's arrays)."""

WHOLE = frozenset({"payback_months", "discounted_payback_months", "irr_roots", "study_months"})
"""Metrics that are whole numbers (printed without a decimal point)."""


def _floats_text(np: Any, values: Any) -> list[Any]:
    """``repr`` of each value (as :func:`~credroi.render.csv_cell`); a column with many repeats (study hours,
    costs: one value a credential) formats each distinct value once."""
    if len(values) < 64 or len(np.unique(values[:256])) > 64:  # mostly distinct: no use looking for repeats
        return list(map(repr, values.tolist()))
    distinct, inverse = np.unique(values, return_inverse=True)
    if len(distinct) * 4 > len(values):
        return list(map(repr, values.tolist()))
    text = list(map(repr, distinct.tolist()))
    return [text[i] for i in inverse.reshape(-1).tolist()]


def _numbers(cells: list[Any]) -> list[float]:
    """:func:`_number` of each cell; text cells (all of a CSV's) in one pass of ``float``."""
    if str in set(map(type, cells)) - {type(None)} and len(set(map(type, cells)) - {type(None)}) == 1:
        try:
            return list(map(float, ["nan" if c is None else c for c in cells]))
        except ValueError:
            pass
    return [_number(x) for x in cells]


def _number(raw: object) -> float:
    """A cell as a float for the columnar engine; NaN when the scalar engine must look at it (or it is missing)."""
    if raw is None:
        return math.nan
    kind = raw.__class__
    if kind is str or kind is float or kind is int:
        try:
            return float(raw)  # type: ignore[arg-type]
        except (ValueError, OverflowError):
            return math.nan
    return math.nan


def _take(cols: Any, rows: Any) -> Any:
    """The :class:`~credroi.columnar.Columns` of the selected rows."""
    import dataclasses

    return dataclasses.replace(cols, **{f.name: getattr(cols, f.name)[rows] for f in dataclasses.fields(cols)})


# --- writers -------------------------------------------------------------------------------


class Writer:
    """Streams records to ``out`` as CSV, JSONL or one JSON document, with the columns ``keys``."""

    def __init__(
        self,
        out: TextIO,
        fmt: Literal["csv", "jsonl", "json"],
        profile: dict[str, object],
        keys: tuple[str, ...] = OUTPUT_KEYS,
    ) -> None:
        from credroi.render import csv_cell

        self.out = out
        self.fmt = fmt
        self.keys = keys
        self.count = 0
        self._cell = csv_cell
        self._ids: dict[str, str] = {}
        if fmt == "csv":
            self._csv = csv.writer(out, lineterminator="\n")
            self._csv.writerow(keys)
        elif fmt == "json":
            out.write('{"profile": ' + json.dumps(profile, allow_nan=False) + ', "results": [')

    def write(self, record: dict[str, object]) -> None:
        """Write one record."""
        if self.fmt == "csv":
            self._csv.writerow([self._cell(record[k]) for k in self.keys])
            self.count += 1
            return
        text = json.dumps({k: record[k] for k in self.keys}, allow_nan=False)
        self.write_text(text + "\n" if self.fmt == "jsonl" else text)

    def write_text(self, text: str) -> None:
        """Write one record already rendered by :meth:`render_columns`."""
        self.write_block(Block([text]))

    def write_block(self, block: Block) -> None:
        """Write records already rendered by :meth:`render_columns`, in one write."""
        if not block.lines:
            return
        if self.fmt == "json":
            self.out.write(("\n" if self.count == 0 else ",\n") + ",\n".join(block.lines))
        else:
            self.out.write("".join(block.lines))
        self.count += len(block.lines)

    def render_columns(self, rows: list[int], ids: list[str], columns: Mapping[str, Any]) -> list[str]:
        """The records of many rows at once, as :meth:`write` would write them (the columnar engine's output)."""

        if self.fmt == "csv":
            return self._render_csv(rows, ids, columns)
        cells = self._cells(rows, ids, columns, lambda values: list(map(repr, values.tolist())), "null")
        names = ['"' + k + '": ' for k in self.keys]
        pieces = [[name + c for c in column] for name, column in zip(names, cells, strict=True)]
        end = "}\n" if self.fmt == "jsonl" else "}"
        return ["{" + ", ".join(parts) + end for parts in zip(*pieces, strict=True)]

    def _render_csv(self, rows: list[int], ids: list[str], columns: Mapping[str, Any]) -> list[str]:
        """CSV rows as :meth:`write` writes them (floats as ``repr``, null as an empty cell); no cell needs quoting
        but an id, which is quoted once as the csv module would."""
        import numpy as np

        cells = self._cells(rows, ids, columns, lambda values: _floats_text(np, values), "")
        return [line + "\n" for line in map(",".join, zip(*cells, strict=True))]

    def _cells(
        self,
        rows: list[int],
        ids: list[str],
        columns: Mapping[str, Any],
        floats: Callable[[Any], list[str]],
        null: str,
    ) -> list[list[str]]:
        """Each output key's cells as text, a column at a time: row numbers, quoted ids, ``true``/``false``,
        whole numbers, ``floats(values)`` for the rest, and ``null`` where a metric is undefined (NaN)."""
        import numpy as np

        cells: list[list[str]] = []
        for key in self.keys:
            if key == "row":
                cells.append(list(map(str, rows)))
                continue
            if key == "credential":
                cells.append([self._id(c) for c in ids])
                continue
            values = columns[key]
            missing = np.flatnonzero(np.isnan(values))
            if key == "eligible":
                column = ["true" if x else "false" for x in (values > 0.5).tolist()]
            elif key in WHOLE:
                column = list(map(str, np.nan_to_num(values).astype(np.int64).tolist()))
            else:
                column = floats(values)
            for i in missing.tolist():
                column[i] = null
            cells.append(column)
        return cells

    def _id(self, cid: str) -> str:
        found = self._ids.get(cid)
        if found is None:
            if self.fmt == "csv":
                buf = io.StringIO()
                csv.writer(buf, lineterminator="").writerow([cid])
                found = buf.getvalue()
            else:
                found = json.dumps(cid)
            self._ids[cid] = found
        return found

    def close(self) -> None:
        """Finish the document (JSON needs its closing brackets)."""
        if self.fmt == "json":
            self.out.write(("\n" if self.count else "") + "]}\n")
        self.out.flush()
