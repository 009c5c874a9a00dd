"""Catalog files in JSON: the YAML schema, read with the standard library's fast JSON parser.

YAML stays the format people edit; JSON is for catalogs made by programs (10,000 or 100,000
entries with their sources), which PyYAML would take minutes to read. The document is the same
mapping (``currency``, ``credentials``, ``roles``) and is validated by the same pydantic models, so
every rule holds. Problems name the entry and the field as for YAML; the line is the JSON parser's
for a syntax error and, for a value the schema refuses, found by composing the text as YAML (JSON
is YAML's flow style), which is done only when there is a problem to place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from credroi.catalog.load import Catalog, CatalogError, Origin, Problem, Record, format_loc

if TYPE_CHECKING:
    import yaml

    from credroi.catalog.schema import Entry, Role


def is_json(path: str) -> bool:
    """Whether a catalog file is read as JSON: by its name (``.json``)."""
    return path.lower().endswith(".json")


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return out


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number (numbers must be finite)")


def parse_json_catalog(text: str, path: str) -> Catalog:
    """Parse and validate the text of one JSON catalog file (no merging, no ``requires`` check).

    The cyclic garbage collector is paused meanwhile, and what was built is then left out of its
    later passes (``gc.freeze``): a 100,000-entry file makes some ten million objects, none of
    them in a cycle (reference counting frees them as usual), and the collector's passes over them
    took most of the time when measured (23 s for the parse alone, against 3 s without; the
    credentials built after it took 5 s more while the collector kept re-examining the catalog).
    """
    import gc

    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, path)
    finally:
        gc.freeze()
        if paused:
            gc.enable()


def _parse(text: str, path: str) -> Catalog:
    import json

    from pydantic import ValidationError

    from credroi.catalog.schema import CatalogFile

    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as err:
        raise CatalogError([Problem(path, err.lineno, "", f"invalid JSON: {err.msg} (column {err.colno})")]) from None
    except _DuplicateKeyError as err:
        raise CatalogError([Problem(path, None, "", f"a key appears twice in one object: `{err.key}`")]) from None
    except (ValueError, RecursionError) as err:
        raise CatalogError([Problem(path, None, "", f"invalid JSON: {err}")]) from None
    if not isinstance(data, dict):
        raise CatalogError([Problem(path, 1, "", "the top level must be an object with a `credentials` list")])
    try:
        parsed = CatalogFile.model_validate(data)
    except ValidationError as err:
        raise CatalogError(_placed(err, text, path)) from None
    duplicates = _duplicate_ids(parsed.credentials, "credentials", path) + _duplicate_ids(parsed.roles, "roles", path)
    if duplicates:
        raise CatalogError(duplicates)
    dumped = parsed.model_dump(mode="json", include={"credentials", "roles"})  # one call: far cheaper than one an entry
    entries: dict[str, Entry] = {}
    records: dict[str, Record] = {}
    origins: dict[str, Origin] = {}
    for i, (entry, record) in enumerate(zip(parsed.credentials, dumped["credentials"], strict=True)):
        entries[entry.id] = entry
        records[entry.id] = record
        origins[entry.id] = Origin(path, i, (None,) * len(entry.requires), roles_lines=(None,) * len(entry.roles))
    roles: dict[str, Role] = {}
    role_records: dict[str, Record] = {}
    role_origins: dict[str, Origin] = {}
    for i, (role, record) in enumerate(zip(parsed.roles, dumped["roles"], strict=True)):
        roles[role.id] = role
        role_records[role.id] = record
        role_origins[role.id] = Origin(path, i)
    return Catalog(
        currency=parsed.currency,
        paths=[path],
        origins=origins,
        records=records,
        entries=entries,
        role_records=role_records,
        role_origins=role_origins,
        roles=roles,
    )


def _duplicate_ids(items: list[Any], key: str, path: str) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        if item.id in first:
            where = f"{key}[{first[item.id]}]"
            problems.append(Problem(path, None, f"{key}[{i}].id", f"duplicate id `{item.id}` (first at {where})"))
        else:
            first[item.id] = i
    return problems


def _placed(err: Any, text: str, path: str) -> list[Problem]:
    """The schema's problems with their lines: YAML's composer places each ``loc`` (JSON is YAML's flow style)."""
    from credroi.catalog import load

    root = _compose(text)
    if root is not None:
        problems = load._validation_problems(err, root, path)
    else:
        problems = [
            Problem(path, None, format_loc(tuple(e["loc"])), load._message(e, tuple(e["loc"])))
            for e in err.errors(include_url=False)
        ]
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return problems


def _compose(text: str) -> yaml.Node | None:
    import yaml

    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
