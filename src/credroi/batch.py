"""Batch evaluation: rows of CSV or JSONL in, one result or one error per row out, streamed.

Each input row names a ``credential`` and may set any profile key of docs/model.md; a key it leaves
out comes from the base profile (options, environment, profile file, defaults). Rows are read,
evaluated and handed on one at a time, so memory stays constant however long the input.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, TextIO

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


def _unknown_key(key: str) -> str:
    from credroi.hints import did_you_mean

    hint = did_you_mean(key, INPUT_KEYS)
    return f"unknown column `{key}`{hint}; remove it or start its name with `_` to have it ignored"


def read_csv(stream: Iterable[str]) -> Iterator[RawRow | RowError]:
    """Rows of a CSV file with a header; fully blank lines are skipped and not counted."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise BatchInputError("is empty: expected a header row with a `credential` column") from None
    except csv.Error as err:
        raise BatchInputError(f"malformed CSV header: {err}") from None
    keys = [h.strip() for h in header]
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
    used = [(i, k) for i, k in enumerate(keys) if k and not k.startswith("_")]
    row = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise BatchInputError(f"malformed CSV after data row {row}: {err}") from None
        if not any(c.strip() for c in cells):
            continue
        row += 1
        if len(cells) > len(keys):
            yield RowError(row, f"has {len(cells)} cells but the header has {len(keys)}")
            continue
        values: dict[str, object] = {k: cells[i].strip() for i, k in used if i < len(cells) and cells[i].strip()}
        yield RawRow(row, values)


def read_jsonl(stream: Iterable[str]) -> Iterator[RawRow | RowError]:
    """Rows of JSON Lines: one object a line; blank lines are skipped and not counted."""
    row = 0
    for line in stream:
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


def read_rows(stream: Iterable[str], fmt: InputFormat) -> Iterator[RawRow | RowError]:
    """Rows of ``stream`` in ``fmt``."""
    return read_csv(stream) if fmt == "csv" else read_jsonl(stream)


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
    """Every row's record or error, in input order."""
    for item in rows:
        yield item if isinstance(item, RowError) else evaluator.row(item)


# --- writers -------------------------------------------------------------------------------


class Writer:
    """Streams records to ``out`` as CSV, JSONL or one JSON document."""

    def __init__(self, out: TextIO, fmt: Literal["csv", "jsonl", "json"], profile: dict[str, object]) -> None:
        from credroi.render import csv_cell

        self.out = out
        self.fmt = fmt
        self.count = 0
        self._cell = csv_cell
        if fmt == "csv":
            self._csv = csv.writer(out, lineterminator="\n")
            self._csv.writerow(OUTPUT_KEYS)
        elif fmt == "json":
            out.write('{"profile": ' + json.dumps(profile, allow_nan=False) + ', "results": [')

    def write(self, record: dict[str, object]) -> None:
        """Write one record."""
        if self.fmt == "csv":
            self._csv.writerow([self._cell(record[k]) for k in OUTPUT_KEYS])
        elif self.fmt == "jsonl":
            self.out.write(json.dumps(record, allow_nan=False) + "\n")
        else:
            self.out.write(("\n" if self.count == 0 else ",\n") + json.dumps(record, allow_nan=False))
        self.count += 1

    def close(self) -> None:
        """Finish the document (JSON needs its closing brackets)."""
        if self.fmt == "json":
            self.out.write(("\n" if self.count else "") + "]}\n")
        self.out.flush()
