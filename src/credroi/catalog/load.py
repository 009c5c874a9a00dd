"""Load catalog files: safe YAML to validated entries, every problem collected as a record."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

from credroi.model.engine import Credential
from credroi.model.profile import Role as ModelRole

if TYPE_CHECKING:
    import yaml

    from credroi.catalog.schema import Entry, Role

BUNDLED = "bundled"
"""The name that stands for the bundled catalog in a list of catalog paths."""

STDIN = "-"
MAX_BYTES = 5 * 1024 * 1024
"""The largest YAML catalog file read, by default (PyYAML reads about a MiB a second: bigger catalogs are JSON)."""

MAX_JSON_BYTES = 256 * 1024 * 1024
"""The largest JSON catalog file read, by default: 100,000 entries with their sources are about 60 MiB."""

ENV_MAX_MIB = "CREDROI_MAX_CATALOG_MIB"
"""Sets the largest catalog file read, in MiB, for YAML and JSON alike."""


_SIZE_LIMIT: list[float] = []
"""``--max-catalog-mib`` for this run, when given (it wins over the environment variable)."""


def set_size_limit(mib: float | None) -> None:
    """Set (or with None, forget) the size limit of catalog files for this run, in MiB."""
    _SIZE_LIMIT.clear()
    if mib is not None:
        _SIZE_LIMIT.append(mib)


def max_bytes(shown: str) -> int:
    """The size limit of the catalog file ``shown``: ``--max-catalog-mib``, else ``$CREDROI_MAX_CATALOG_MIB``,
    else the default of its format."""
    import os

    if _SIZE_LIMIT:
        return round(_SIZE_LIMIT[0] * 1024 * 1024)
    given = os.environ.get(ENV_MAX_MIB, "").strip()
    if given:
        try:
            mib = float(given)
        except ValueError:
            mib = -1.0
        if not 0.0 < mib < 1e6:
            raise CatalogError([Problem(ENV_MAX_MIB, None, "", f"must be a number of MiB above 0, not `{given}`")])
        return round(mib * 1024 * 1024)
    return MAX_JSON_BYTES if shown.lower().endswith(".json") else MAX_BYTES


MAX_NODES = 1_000_000
"""Largest number of YAML values after alias expansion: refuses alias bombs quickly.

A 10,000-entry catalog has about 400,000."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a catalog: where it is and what is wrong."""

    path: str
    line: int | None
    loc: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.loc}: {self.message}" if self.loc else f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The problem as a JSON object."""
        return {"path": self.path, "line": self.line, "loc": self.loc, "message": self.message}


class CatalogError(Exception):
    """A catalog that cannot be used; ``problems`` lists every problem found.

    ``refs`` carries what could still be read of a file that failed validation (its ids, role ids,
    `requires` and `roles` items), so that checks across files go on and report everything at once.
    """

    def __init__(self, problems: Sequence[Problem], refs: RawRefs | None = None, *, unreadable: bool = False) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)
        self.refs = refs
        self.unreadable = unreadable
        """The file could not be read at all (missing, a directory, no permission, an I/O error)."""


@dataclass(frozen=True, slots=True)
class RawRefs:
    """Ids, prerequisite and role references as written in one file, read before validation."""

    path: str
    ids: tuple[str, ...]
    requires: tuple[tuple[int, int, str, int | None], ...]
    """(entry index, item index, referenced id, line) for each `requires` item."""
    role_ids: tuple[str, ...] = ()
    """The ids of the file's `roles:` list."""
    roles: tuple[tuple[int, int, str, int | None], ...] = ()
    """(entry index, item index, role id, line) for each item of an entry's `roles`."""


class UnknownCredentialError(KeyError):
    """An id that is not in the catalog; ``suggestions`` holds close ids."""

    def __init__(self, cred_id: str, suggestions: Sequence[str], *, ambiguous: bool = False) -> None:
        super().__init__(cred_id)
        self.cred_id = cred_id
        self.suggestions = list(suggestions)
        self.ambiguous = ambiguous
        """``cred_id`` names several credentials (``suggestions`` lists them), rather than none."""


class UnknownRoleError(KeyError):
    """A role id that is not in the catalog; ``suggestions`` holds close role ids."""

    def __init__(self, role_id: str, suggestions: Sequence[str]) -> None:
        super().__init__(role_id)
        self.role_id = role_id
        self.suggestions = list(suggestions)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an entry (or a role) was read: its file, its index in its list, and the line of each reference."""

    path: str
    entry_index: int
    requires_lines: tuple[int | None, ...] = ()
    line: int | None = None
    """The line of the entry's `id`."""
    as_of_line: int | None = None
    roles_lines: tuple[int | None, ...] = ()
    """The line of each item of the entry's `roles`."""


Record = dict[str, Any]
"""A validated entry or role as plain data (``Entry.model_dump(mode="json")``): what the cache stores."""


def _match_key(text: str) -> str:
    """``text`` as credential names are matched: lower case, ``+`` as "plus", letters and digits only."""
    return "".join(ch for ch in text.lower().replace("+", "plus") if ch.isalnum())


def credential_from_record(rec: Record) -> Credential:
    """The engine's view of a validated entry record (the same as ``Entry.to_credential()``).

    Records come from ``Entry.model_dump(mode="json")``, so every key is present and every
    number is already a float: plain indexing is enough (this runs 10,000 times for a large
    catalog read from the cache).
    """
    cost = rec["cost"]
    study = rec["study"]
    uplift = rec["salary_uplift"]
    return Credential(
        rec["id"],
        rec["name"],
        rec["kind"],
        study["weeks"],
        study["hours_per_week"],
        rec["recognition"],
        uplift["low"],
        uplift["typical"],
        uplift["high"],
        cost["exam_fee"],
        cost["training"],
        cost["materials"],
        cost["subscription_monthly"],
        rec["pass_rate"],
        rec["validity_years"],
        rec["renewal_cost"],
        tuple(rec["fields"]),
        rec["level"],
        tuple(rec["roles"]),
        rec["experience_years"] or 0.0,
        tuple(rec["requires"]),
    )


def role_from_record(rec: Record) -> ModelRole:
    """The model's view of a validated role record (the same as ``Role.to_role()``, without pydantic)."""
    salary = rec["salary"]
    return ModelRole(
        id=rec["id"],
        name=rec["name"],
        salary_low=salary["low"],
        salary_typical=salary["typical"],
        salary_high=salary["high"],
        soc=rec["soc"],
        experience_years=rec["experience_years"],
        as_of=rec["as_of"],
    )


class Catalog:
    """Validated entries by id, in file order, the currency their money is in, and their origins.

    Three views of the same entries, each built only when asked for: ``records`` (the validated
    data as plain dicts), the engine's :class:`~credroi.model.engine.Credential` values, and the
    pydantic :class:`~credroi.catalog.schema.Entry` models (``entries``, for ``show`` and ``list``).
    A catalog read from the cache starts with the credentials alone, so evaluating commands
    parse neither YAML, nor the full records, nor import pydantic.

    Roles (docs/model.md, "A role") are kept as records too (``role_records``, always at hand:
    there are few), with the model's :class:`~credroi.model.profile.Role` (``role``) and the
    pydantic :class:`~credroi.catalog.schema.Role` (``roles``) built when asked for.
    """

    __slots__ = (
        "_credentials",
        "_entries",
        "_load_records",
        "_model_roles",
        "_records",
        "_requires",
        "_roles",
        "currency",
        "origins",
        "paths",
        "role_origins",
        "role_records",
    )

    def __init__(
        self,
        currency: str = "USD",
        paths: list[str] | None = None,
        origins: dict[str, Origin] | None = None,
        *,
        records: dict[str, Record] | None = None,
        load_records: Callable[[], dict[str, Record]] | None = None,
        credentials: dict[str, Credential] | None = None,
        requires: dict[str, list[str]] | None = None,
        entries: dict[str, Entry] | None = None,
        role_records: dict[str, Record] | None = None,
        role_origins: dict[str, Origin] | None = None,
        roles: dict[str, Role] | None = None,
    ) -> None:
        self.currency = currency
        self.paths = paths if paths is not None else []
        self.origins = origins if origins is not None else {}
        self._records = records
        self._load_records = load_records
        self._credentials = credentials
        self._requires = requires
        self._entries = entries
        self.role_records = role_records if role_records is not None else {}
        """The validated roles as plain data, by id, in catalog order."""
        self.role_origins = role_origins if role_origins is not None else {}
        self._roles = roles
        self._model_roles: dict[str, ModelRole] | None = None

    @property
    def records(self) -> dict[str, Record]:
        """The validated entries as plain data, by id."""
        if self._records is None:
            if self._load_records is None:
                raise RuntimeError("a catalog needs records or a way to load them")
            self._records = self._load_records()
        return self._records

    @property
    def ids(self) -> list[str]:
        """Every id, in catalog order."""
        if self._credentials is not None:
            return list(self._credentials)
        return list(self.records)

    @property
    def requires(self) -> dict[str, list[str]]:
        """The prerequisite ids of each entry that has any."""
        if self._requires is None:
            self._requires = {i: list(r["requires"]) for i, r in self.records.items() if r.get("requires")}
        return self._requires

    @property
    def entries(self) -> dict[str, Entry]:
        """The entries as pydantic models, by id."""
        if self._entries is None:
            from credroi.catalog.schema import Entry

            self._entries = {i: Entry.model_validate(rec) for i, rec in self.records.items()}
        return self._entries

    def _creds(self) -> dict[str, Credential]:
        if self._credentials is None:
            self._credentials = {i: credential_from_record(rec) for i, rec in self.records.items()}
        return self._credentials

    def credentials(self) -> list[Credential]:
        """The engine's view of every entry, in catalog order."""
        return list(self._creds().values())

    def resolve(self, query: str) -> str:
        """The id a user means: the id itself, else the one credential whose id or name matches ``query``.

        Matching ignores case, spaces and punctuation (``+`` reads as "plus"): an exact name
        ("comptia security+") wins, else a unique part of an id or a name ("security+", "cissp").
        :class:`UnknownCredentialError` when nothing matches (with close ids) or several do (with them).
        """
        creds = self._creds()
        if query in creds:
            return query
        key = _match_key(query)
        if key:
            keys = {cred_id: (_match_key(cred_id), _match_key(c.name)) for cred_id, c in creds.items()}
            exact = [cred_id for cred_id, both in keys.items() if key in both]
            if len(exact) == 1:
                return exact[0]
            found = exact or [cred_id for cred_id, (a, b) in keys.items() if key in a or key in b]
            if len(found) == 1:
                return found[0]
            if found:
                raise UnknownCredentialError(query, found[:6], ambiguous=True)
        raise self._unknown(query)

    def _unknown(self, cred_id: str) -> UnknownCredentialError:
        import difflib

        close = difflib.get_close_matches(cred_id.lower().replace(" ", "-"), self.ids, n=3, cutoff=0.6)
        return UnknownCredentialError(cred_id, close)

    def credential(self, cred_id: str) -> Credential:
        """The engine's view of ``cred_id`` (or of the one credential it names, see :meth:`resolve`)."""
        found = self._creds().get(cred_id)
        return found if found is not None else self._creds()[self.resolve(cred_id)]

    def select_credentials(self, ids: Sequence[str]) -> list[Credential]:
        """The credentials ``ids`` in the order given (all when empty), duplicates dropped."""
        if not ids:
            return self.credentials()
        return [self.credential(i) for i in dict.fromkeys(self.resolve(i) for i in ids)]

    def get(self, cred_id: str) -> Entry:
        """The entry ``cred_id`` (or the one it names, see :meth:`resolve`)."""
        return self.entries[self.resolve(cred_id)]

    def select(self, ids: Sequence[str]) -> list[Entry]:
        """The entries ``ids`` in the order given (all entries when empty)."""
        if not ids:
            return list(self.entries.values())
        return [self.get(i) for i in dict.fromkeys(self.resolve(i) for i in ids)]

    @property
    def roles(self) -> dict[str, Role]:
        """The roles as pydantic models, by id, in catalog order."""
        if self._roles is None:
            from credroi.catalog.schema import Role

            self._roles = {i: Role.model_validate(rec) for i, rec in self.role_records.items()}
        return self._roles

    def model_roles(self) -> dict[str, ModelRole]:
        """The model's view of every role, by id, in catalog order (no pydantic needed)."""
        if self._model_roles is None:
            self._model_roles = {i: role_from_record(rec) for i, rec in self.role_records.items()}
        return self._model_roles

    def role(self, role_id: str) -> ModelRole:
        """The model's view of role ``role_id``, or :class:`UnknownRoleError` with suggestions."""
        found = self.model_roles().get(role_id)
        if found is None:
            import difflib

            close = difflib.get_close_matches(
                role_id.lower().replace(" ", "-"), list(self.role_records), n=3, cutoff=0.6
            )
            raise UnknownRoleError(role_id, close)
        return found


def bundled_path() -> Path:
    """Where the bundled catalog file lives (a plain file inside the package, as hatchling installs it).

    ``Path(__file__)`` rather than ``importlib.resources``, whose import costs two milliseconds.
    """
    return Path(__file__).parent.parent / "data" / "credentials.yaml"


def load_catalog(paths: Sequence[str] = (), *, cache: bool = True) -> Catalog:
    """Load and validate catalog files; later files add entries or replace them by id.

    An empty ``paths`` means the bundled catalog; ``bundled`` names it inside a list;
    ``-`` reads standard input. Raises :class:`CatalogError` with every problem found.
    With ``cache`` (and unless ``CREDROI_NO_CACHE`` is set) a file that validated before and
    has not changed since is read from the cache of validated catalogs (:mod:`credroi.catalog.cache`).
    """
    from credroi.catalog import cache as catalog_cache

    use_cache = cache and catalog_cache.enabled()
    names = list(paths) or [BUNDLED]
    problems: list[Problem] = []
    parts: list[Catalog] = []
    origins: dict[str, Origin] = {}
    role_records: dict[str, Record] = {}
    role_origins: dict[str, Origin] = {}
    broken: list[RawRefs] = []
    currency: str | None = None
    unreadable = False
    for name in names:
        try:
            parsed = _load_one(name, use_cache)
        except CatalogError as err:
            problems.extend(err.problems)
            unreadable = unreadable or err.unreadable
            if err.refs is not None:
                broken.append(err.refs)
            continue
        shown = parsed.paths[0]
        if currency is not None and parsed.currency != currency:
            problems.append(
                Problem(shown, None, "currency", f"is {parsed.currency}, but an earlier catalog is in {currency}")
            )
            continue
        currency = parsed.currency
        parts.append(parsed)
        origins.update(parsed.origins)
        role_records.update(parsed.role_records)  # a later file replaces a role with the same id
        role_origins.update(parsed.role_origins)
    ids = {i for part in parts for i in part.ids}
    requires: dict[str, list[str]] = {}
    entry_roles: dict[str, list[str]] = {}
    for part in parts:
        for i in part.ids:
            requires.pop(i, None)  # a later file replaces an entry, prerequisites and all
            entry_roles.pop(i, None)
        requires.update(part.requires)
        entry_roles.update((c.id, list(c.roles)) for c in part.credentials() if c.roles)
    problems.extend(_check_requires(ids, requires, origins, broken))
    problems.extend(_check_cycles(requires, origins))
    problems.extend(_check_roles(set(role_records), entry_roles, origins, broken))
    if problems:
        raise CatalogError(problems, unreadable=unreadable)
    if len(parts) == 1:
        only = parts[0]
        only.paths = names
        return only
    records: dict[str, Record] = {}
    entries: dict[str, Entry] | None = {}
    roles: dict[str, Role] | None = {}
    for part in parts:
        records.update(part.records)
        if entries is not None and part._entries is not None:
            entries.update(part._entries)
        else:
            entries = None  # some file came from the cache: build entries lazily
        if roles is not None and part._roles is not None:
            roles.update(part._roles)
        else:
            roles = None
    return Catalog(
        currency=currency or "USD",
        paths=names,
        origins=origins,
        records=records,
        entries=entries,
        role_records=role_records,
        role_origins=role_origins,
        roles=roles,
    )


def _load_one(name: str, use_cache: bool) -> Catalog:
    """One catalog file, from the cache when its bytes are those of a file that validated before.

    The file is read once: its bytes are hashed to look the cache up and, on a miss, parsed
    (and later, if asked for, parsed for their full records) — never read again, so what is
    stored is always what was hashed.
    """
    import os
    import stat

    from credroi.catalog import cache as catalog_cache

    path = None if name == STDIN else (bundled_path() if name == BUNDLED else Path(name))
    if not use_cache or path is None:
        text, shown = _read(name)
        return parse_catalog(text, shown)
    shown = "bundled catalog" if name == BUNDLED else str(path)
    try:
        with path.open("rb") as fh:
            st = os.fstat(fh.fileno())
            regular = stat.S_ISREG(st.st_mode)
            # read(limit + 1) would allocate the whole limit first: ask a regular file for its size (+1 to see growth)
            limit = max_bytes(shown)
            raw = fh.read(min(st.st_size, limit) + 1 if regular else limit + 1)
            if regular and len(raw) > st.st_size:
                raw += fh.read(limit + 1 - len(raw))  # it grew while read: the rest, up to the limit
    except OSError:
        text, shown = _read(name)  # says why the file cannot be read (or reads it after all)
        return parse_catalog(text, shown)
    if not regular:  # a pipe (`--catalog <(...)`) or a device: nothing to find again next time
        return parse_catalog(_decode(raw, shown), shown)
    content = catalog_cache.content_key(raw)
    data = catalog_cache.load(path, content)
    if data is not None:
        try:
            return _from_cache(data, shown, lambda: _records_of(raw, shown, path, content))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            pass  # an unexpected cache file: parse the bytes
    parsed = parse_catalog(_decode(raw, shown), shown)
    catalog_cache.store(path, content, *_to_cache(parsed))
    return parsed


def _records_of(raw: bytes, shown: str, path: Path, content: str) -> dict[str, Record]:
    """The full records of a cached catalog: from the cache's second part, else from the bytes read at load."""
    from credroi.catalog import cache as catalog_cache

    data = catalog_cache.load(path, content, part="records")
    if data is not None:
        try:
            return {rec["id"]: rec for rec in data["records"]}
        except (KeyError, TypeError):
            pass
    return parse_catalog(_decode(raw, shown), shown).records


_CREDENTIAL_FIELDS: tuple[str, ...] = Credential._fields
"""The header of the cached credential rows: a cache entry written under other fields is a miss."""

_FIELDS_AT = _CREDENTIAL_FIELDS.index("fields")

_ORIGIN_FIELDS: tuple[str, ...] = Origin.__slots__
"""Checked like the credential header: a field added to :class:`Origin` makes older entries misses."""

ROLE_FIELDS: tuple[str, ...] = ("id", "name", "soc", "salary", "experience_years", "sources", "as_of", "notes")
"""The keys of a role record, the fields of :class:`~credroi.catalog.schema.Role` (a test checks): the header of
the cached roles, so that a cache entry written for other role fields is a miss. Spelled out here because
importing the schema would import pydantic, which a catalog read from the cache does without."""


def _to_cache(cat: Catalog) -> tuple[dict[str, Any], dict[str, Any]]:
    """The cache's two parts: what evaluating needs (small), and the full records (read on demand).

    Credentials are rows under ``credential_fields``, the names of their columns (one header
    rather than the names repeated in every row). Origins are rows of the arguments of
    ``Origin(path, ...)`` after ``path``, stamped with ``origin_fields``, the fields of
    :class:`Origin` they were written for.
    """
    creds = cat.credentials()
    summary = {
        "currency": cat.currency,
        "credential_fields": _CREDENTIAL_FIELDS,
        "credentials": [[getattr(c, f) for f in _CREDENTIAL_FIELDS] for c in creds],
        "requires": cat.requires,
        "origin_fields": _ORIGIN_FIELDS,
        "origins": [_origin_row(cat.origins[c.id]) for c in creds],
        "role_fields": ROLE_FIELDS,
        "roles": [[rec[f] for f in ROLE_FIELDS] for rec in cat.role_records.values()],
        "role_origins": [_origin_row(cat.role_origins[i]) for i in cat.role_records],
    }
    return summary, {"records": list(cat.records.values())}


def _origin_row(o: Origin) -> list[Any]:
    """The arguments of ``Origin(path, ...)`` after ``path``, as a cache row."""
    return [o.entry_index, list(o.requires_lines), o.line, o.as_of_line, list(o.roles_lines)]


def _origin_of(row: Sequence[Any], shown: str) -> Origin:
    return Origin(shown, int(row[0]), tuple(row[1]), row[2], row[3], tuple(row[4]))


def _from_cache(data: dict[str, Any], shown: str, load_records: Callable[[], dict[str, Record]]) -> Catalog:
    """The catalog of a cache entry; ValueError (a miss) when its headers are not the current fields."""
    if (
        data["credential_fields"] != _CREDENTIAL_FIELDS
        or data["origin_fields"] != _ORIGIN_FIELDS
        or data["role_fields"] != ROLE_FIELDS
    ):
        raise ValueError("the cache entry was written for other fields")
    width = len(_CREDENTIAL_FIELDS)
    make = Credential._make  # each row holds the header's fields in order (marshal keeps `fields` a tuple)
    creds = {}
    for row in data["credentials"]:
        if len(row) != width or type(row[_FIELDS_AT]) is not tuple:
            raise ValueError("a cached credential does not have the expected shape")
        creds[row[0]] = make(row)
    origins = {cred_id: _origin_of(o, shown) for cred_id, o in zip(creds, data["origins"], strict=True)}
    roles: dict[str, Record] = {}
    for row in data["roles"]:
        if len(row) != len(ROLE_FIELDS):
            raise ValueError("a cached role does not have the expected shape")
        rec = dict(zip(ROLE_FIELDS, row, strict=True))
        roles[rec["id"]] = rec
    role_origins = {role_id: _origin_of(o, shown) for role_id, o in zip(roles, data["role_origins"], strict=True)}
    return Catalog(
        currency=str(data["currency"]),
        paths=[shown],
        origins=origins,
        credentials=creds,
        requires={str(k): list(v) for k, v in data["requires"].items()},
        load_records=load_records,
        role_records=roles,
        role_origins=role_origins,
    )


def _located(catalog: Catalog) -> Iterator[tuple[str, str, Record, str, int, Origin | None]]:
    """Every entry and role as ``(list key, id, record, path, index in its file, origin)``, for located problems."""
    lists = (("credentials", catalog.records, catalog.origins), ("roles", catalog.role_records, catalog.role_origins))
    for key, records, origins in lists:
        for item_id, rec in records.items():
            origin = origins.get(item_id)
            path = origin.path if origin else (catalog.paths[-1] if catalog.paths else "")
            yield key, item_id, rec, path, origin.entry_index if origin else 0, origin


def stated_figures(key: str, rec: Record) -> list[str]:
    """The figures a validated entry (``key`` "credentials") or role ("roles") states, by their `supports` names.

    A cost of 0 is the default, not a claim, so it is not a figure; `validity_years` always is
    (absent, it says the credential never expires), and `renewal_cost` is one only for a
    credential that expires.
    """
    if key == "roles":
        return ["salary"] + (["experience_years"] if rec.get("experience_years") is not None else [])
    out = [f"cost.{name}" for name, value in rec["cost"].items() if value]
    out += ["study.weeks", "study.hours_per_week", "pass_rate", "validity_years"]
    if rec.get("validity_years") is not None:
        out.append("renewal_cost")
    out += ["recognition", "salary_uplift"]
    out += [name for name in ("experience_years",) if rec.get(name) is not None]
    out += [name for name in ("requires", "roles") if rec.get(name)]
    return out


def _supports(source: Record, figure: str) -> bool:
    """Whether a source supports a figure: it names it, or its group (`cost`, `study`), or names nothing."""
    named = source.get("supports") or ()
    return not named or figure in named or figure.partition(".")[0] in named


def audit(catalog: Catalog, today: tuple[int, int], max_age_months: int) -> list[Problem]:
    """Warnings for a valid catalog: figures whose newest source is older than ``max_age_months``, and untraced figures.

    ``today`` is (year, month). A figure's date is the year of the newest source that supports it
    (docs/catalog.md, "Figures and their dates"), taken as that year's December: a source dated
    only by its year is at least that recent, so a warning means the figure is surely older.
    An entry or role with no sources at all gets one warning instead of one per figure.
    """
    out = []
    now = today[0] * 12 + today[1] - 1
    for key, item_id, rec, path, index, origin in _located(catalog):
        line = origin.line if origin else None
        sources = rec.get("sources") or []
        if not sources:
            out.append(
                Problem(
                    path,
                    line,
                    f"{key}[{index}].sources",
                    f"`{item_id}` has no sources: its figures cannot be traced",
                )
            )
            continue
        estimated = rec.get("estimates") or ()
        for figure in stated_figures(key, rec):
            years = [src["year"] for src in sources if _supports(src, figure)]
            if figure in estimated or figure.partition(".")[0] in estimated:
                as_of = rec.get("as_of")
                if as_of:  # an estimate is as recent as the entry's check
                    years.append(int(str(as_of)[:4]))
            loc = f"{key}[{index}].{figure}"
            if not years:
                message = (
                    f"`{item_id}` {figure}: no source supports it "
                    "(name it in a source's `supports`, or in `estimates` if it is yours)"
                )
                out.append(Problem(path, line, loc, message))
                continue
            age = now - (max(years) * 12 + 11)
            if age > max_age_months:
                message = (
                    f"`{item_id}` {figure}: its newest source is from {max(years)}, "
                    f"at least {age} months old, older than --max-age {max_age_months}"
                )
                out.append(Problem(path, line, loc, message))
    return out


def future_dates(catalog: Catalog, today: tuple[int, int]) -> list[Problem]:
    """Errors for a valid catalog: an `as_of` month or a source year after ``today`` (a typo, or a guess)."""
    out = []
    now = today[0] * 12 + today[1] - 1
    for key, item_id, rec, path, index, origin in _located(catalog):
        as_of = rec.get("as_of")
        if as_of:
            year, month = (int(x) for x in str(as_of).split("-"))
            if year * 12 + month - 1 > now:
                out.append(
                    Problem(
                        path,
                        origin.as_of_line if origin else None,
                        f"{key}[{index}].as_of",
                        f"`{item_id}` is dated {as_of}, after today ({today[0]}-{today[1]:02d})",
                    )
                )
        for j, src in enumerate(rec.get("sources") or []):
            if src["year"] > today[0]:
                out.append(
                    Problem(
                        path,
                        origin.line if origin else None,
                        f"{key}[{index}].sources[{j}].year",
                        f"`{item_id}` cites a source from {src['year']}, after this year ({today[0]})",
                    )
                )
    return out


def _check_requires(
    ids: set[str], requires: dict[str, list[str]], origins: dict[str, Origin], broken: Sequence[RawRefs] = ()
) -> list[Problem]:
    """Prerequisite ids that no catalog in the list defines, located in the file that names them.

    Files that failed validation still count: their ids are known (so no false alarm) and their
    own `requires` items are checked as written.
    """
    known = set(ids).union(*(b.ids for b in broken))
    refs = [
        (origin.path, origin.entry_index, j, req, _nth(origin.requires_lines, j))
        for cred_id, reqs in requires.items()
        for origin in (origins[cred_id],)
        for j, req in enumerate(reqs)
    ]
    refs += [(b.path, i, j, req, line) for b in broken for i, j, req, line in b.requires]
    return _unknown(known, refs, "requires", "credential")


def _check_cycles(requires: dict[str, list[str]], origins: dict[str, Origin]) -> list[Problem]:
    """Prerequisite cycles: `a` requires `b`, which requires `a` (or a longer loop, or an entry requiring itself).

    One problem for each cycle found, located at the `requires` item of the cycle's first entry in
    catalog order that names the next entry of the cycle. Unknown ids are left to :func:`_check_requires`.
    """
    on_path, finished = 1, 2
    state: dict[str, int] = {}
    seen: set[frozenset[str]] = set()
    out: list[Problem] = []
    for root, first in requires.items():
        if root in state:
            continue
        path = [root]
        state[root] = on_path
        stack = [iter(first)]
        while stack:  # depth first, without recursion (a long chain of prerequisites is fine)
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                state[path.pop()] = finished
            elif state.get(nxt) == on_path:
                cycle = path[path.index(nxt) :]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    out.append(_cycle_problem(cycle, requires, origins))
            elif nxt not in state and nxt in requires:  # an entry that requires nothing is on no cycle
                state[nxt] = on_path
                path.append(nxt)
                stack.append(iter(requires[nxt]))
    return out


def _cycle_problem(cycle: list[str], requires: dict[str, list[str]], origins: dict[str, Origin]) -> Problem:
    """The problem of one prerequisite cycle, told from its first entry in catalog order."""
    order = {cred_id: k for k, cred_id in enumerate(requires)}
    first = min(range(len(cycle)), key=lambda k: order[cycle[k]])
    turn = cycle[first:] + cycle[:first]
    following = turn[1] if len(turn) > 1 else turn[0]
    j = requires[turn[0]].index(following)
    if len(turn) == 1:
        told = f"`{turn[0]}` requires itself"
    else:
        told = f"`{turn[0]}` requires " + ", which requires ".join(f"`{i}`" for i in [*turn[1:], turn[0]])
    head = origins[turn[0]]
    return Problem(
        head.path,
        _nth(head.requires_lines, j),
        f"credentials[{head.entry_index}].requires[{j}]",
        f"prerequisite cycle: {told}",
    )


def _check_roles(
    role_ids: set[str], entry_roles: dict[str, list[str]], origins: dict[str, Origin], broken: Sequence[RawRefs] = ()
) -> list[Problem]:
    """Role ids in entries' `roles` that no catalog in the list defines, located in the file that names them.

    As for `requires`: the roles of files that failed validation count as known, and their entries'
    `roles` items are checked as written.
    """
    known = set(role_ids).union(*(b.role_ids for b in broken))
    refs = [
        (origin.path, origin.entry_index, j, name, _nth(origin.roles_lines, j))
        for cred_id, names in entry_roles.items()
        for origin in (origins[cred_id],)
        for j, name in enumerate(names)
    ]
    refs += [(b.path, i, j, name, line) for b in broken for i, j, name, line in b.roles]
    return _unknown(known, refs, "roles", "role")


Ref = tuple[str, int, int, str, int | None]
"""(path, entry index, item index, the id named, its line): one reference from an entry's list."""


def _nth(lines: Sequence[int | None], j: int) -> int | None:
    return lines[j] if j < len(lines) else None


def _unknown(known: set[str], refs: Iterable[Ref], key: str, noun: str) -> list[Problem]:
    """A problem for each reference in an entry's ``key`` list to an id not ``known``, with a did-you-mean."""
    missing = [ref for ref in refs if ref[3] not in known]
    if not missing:
        return []  # the usual case, with no hint module to import
    from credroi.hints import did_you_mean

    choices = sorted(known)
    return [
        Problem(path, line, f"credentials[{i}].{key}[{j}]", f"unknown {noun} `{name}`{did_you_mean(name, choices)}")
        for path, i, j, name, line in missing
    ]


def _read(name: str) -> tuple[str, str]:
    """The text of a catalog and the name to show in messages."""
    if name == STDIN:
        if sys.stdin is None:  # started with standard input closed (`<&-`)
            raise CatalogError([Problem("<stdin>", None, "", "standard input is closed")], unreadable=True)
        data = sys.stdin.buffer.read(max_bytes("<stdin>") + 1)
        return _decode(data, "<stdin>"), "<stdin>"
    path = bundled_path() if name == BUNDLED else Path(name)
    shown = str(path) if name != BUNDLED else "bundled catalog"
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes(shown) + 1)
    except FileNotFoundError:
        problem = "no such file"
    except IsADirectoryError:
        problem = "is a directory, not a catalog file"
    except PermissionError:
        problem = "permission denied"
    except OSError as err:
        problem = f"cannot read: {err.strerror or err}"
    else:
        return _decode(data, shown), shown
    raise CatalogError([Problem(shown, None, "", problem)], unreadable=True)


def _decode(data: bytes, shown: str) -> str:
    limit = max_bytes(shown)
    if len(data) > limit:
        mib = limit / (1024 * 1024)
        raise CatalogError(
            [
                Problem(
                    shown,
                    None,
                    "",
                    f"larger than the {mib:.3g} MiB limit (--max-catalog-mib or ${ENV_MAX_MIB} sets it)",
                )
            ]
        )
    if b"\x00" in data:
        raise CatalogError([Problem(shown, None, "", "is binary, not a YAML text file")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise CatalogError([Problem(shown, line, "", "is not valid UTF-8 text")]) from None
    return text


def parse_catalog(text: str, path: str = "<string>") -> Catalog:
    """Parse and validate the text of one catalog file (no merging, no ``requires`` check); JSON by its name."""
    if path.lower().endswith(".json"):
        from credroi.catalog.json_format import parse_json_catalog

        return parse_json_catalog(text, path)
    import yaml

    from credroi.catalog.schema import CatalogFile

    if not text.strip():
        raise CatalogError([Problem(path, None, "", "is empty: expected a mapping with a `credentials` list")])
    loader = _loader_class()(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise CatalogError([Problem(path, None, "", "is empty: expected a mapping with a `credentials` list")])
        problems = list(_structure_problems(root, path))
        if problems:
            raise CatalogError(problems)
        data = loader.construct_document(root)
    except yaml.YAMLError as err:
        raise CatalogError([_yaml_problem(err, path)]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise CatalogError(
            [Problem(path, _line(root), "", "the top level must be a mapping with a `credentials` list")]
        )
    from pydantic import ValidationError

    duplicates = list(_duplicate_ids(root, path))
    try:
        parsed = CatalogFile.model_validate(data)
    except ValidationError as err:
        problems = _validation_problems(err, root, path) + duplicates
        problems.sort(key=lambda p: (p.line is None, p.line or 0))
        raise CatalogError(problems, refs=_raw_refs(root, path)) from None
    if duplicates:
        raise CatalogError(duplicates, refs=_raw_refs(root, path))
    entries: dict[str, Entry] = {}
    records: dict[str, Record] = {}
    origins: dict[str, Origin] = {}
    for i, entry in enumerate(parsed.credentials):
        requires_lines = tuple(
            _line(_node_at(root, ("credentials", i, "requires", j))) for j in range(len(entry.requires))
        )
        entries[entry.id] = entry
        records[entry.id] = entry.model_dump(mode="json")
        origins[entry.id] = Origin(
            path,
            i,
            requires_lines,
            line=_line(_node_at(root, ("credentials", i, "id"))),
            as_of_line=_line(_node_at(root, ("credentials", i, "as_of"))) if entry.as_of else None,
            roles_lines=tuple(_line(_node_at(root, ("credentials", i, "roles", j))) for j in range(len(entry.roles))),
        )
    roles: dict[str, Role] = {}
    role_records: dict[str, Record] = {}
    role_origins: dict[str, Origin] = {}
    for i, role in enumerate(parsed.roles):
        roles[role.id] = role
        role_records[role.id] = role.model_dump(mode="json")
        role_origins[role.id] = Origin(
            path,
            i,
            line=_line(_node_at(root, ("roles", i, "id"))),
            as_of_line=_line(_node_at(root, ("roles", i, "as_of"))) if role.as_of else None,
        )
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


_PLAIN_NUMBERS = {
    # YAML 1.2's core schema, stricter: no base-60 (`3:00` is 180 in YAML 1.1), no hex or octal
    # (`0x10`, `010`), no `1_000`, and `yes`/`no`/`on`/`off` are text, not booleans. Such values
    # stay text, so a field that wants a number says so at its line (with what YAML 1.1 meant).
    "tag:yaml.org,2002:bool": (r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    "tag:yaml.org,2002:int": (r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    "tag:yaml.org,2002:float": (
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
}


@cache
def _loader_class() -> type:
    """The safe loader (the C one when PyYAML has it) with the plain scalars of YAML 1.2 (see _PLAIN_NUMBERS)."""
    import re

    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers = {
        first: [(tag, regexp) for tag, regexp in rules if tag not in _PLAIN_NUMBERS]
        for first, rules in base.yaml_implicit_resolvers.items()
    }
    for tag, (pattern, firsts) in _PLAIN_NUMBERS.items():
        for first in firsts:
            resolvers.setdefault(first, []).append((tag, re.compile(pattern)))
    loader: type = type("CatalogLoader", (base,), {"yaml_implicit_resolvers": resolvers})
    return loader


_YAML11_NUMBER = re.compile(
    r"^[-+]?(?:0[xob][0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[0-9]+_[0-9_]*)$"
)


def _yaml11_hint(value: object) -> str:
    """What YAML 1.1 would have made of a text value where a number belongs, for the error message."""
    if not isinstance(value, str) or not _YAML11_NUMBER.match(value.strip()):
        return ""
    return f" (`{value}` is text here: write the number in plain decimal; YAML 1.1 would read it as base 60, 16 or 8)"


def _raw_entries(root: yaml.Node, key: str = "credentials") -> list[yaml.Node]:
    """The items of the top-level `credentials` (or ``key``) list, as YAML nodes (empty when there is none)."""
    import yaml

    node = _node_at(root, (key,))
    if node is root or not isinstance(node, yaml.SequenceNode):
        return []
    return list(node.value)


def _scalar(node: yaml.Node | None, key: str) -> yaml.Node | None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in reversed(node.value):  # the last one wins: keys of the mapping after merged (`<<`) ones
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                found: yaml.Node = v
                return found
    return None


def _duplicate_ids(root: yaml.Node, path: str) -> Iterator[Problem]:
    """Ids given to two entries (or two roles), each reported with both line numbers (found before validation)."""
    import yaml

    for key in ("credentials", "roles"):
        first: dict[str, int | None] = {}
        for i, item in enumerate(_raw_entries(root, key)):
            node = _scalar(item, "id")
            if not isinstance(node, yaml.ScalarNode) or not node.value:
                continue
            line = _line(node)
            if node.value in first:
                yield Problem(
                    path, line, f"{key}[{i}].id", f"duplicate id `{node.value}` (first at line {first[node.value]})"
                )
            else:
                first[node.value] = line


def _raw_refs(root: yaml.Node, path: str) -> RawRefs:
    """Ids, role ids, `requires` and `roles` items as written, for checks across files when this one is invalid."""
    import yaml

    def items(entry: yaml.Node, key: str, i: int) -> Iterator[tuple[int, int, str, int | None]]:
        seq = _scalar(entry, key)
        if isinstance(seq, yaml.SequenceNode):
            for j, ref in enumerate(seq.value):
                if isinstance(ref, yaml.ScalarNode) and ref.value:
                    yield (i, j, ref.value, _line(ref))

    def ids_of(key: str) -> tuple[str, ...]:
        nodes = (_scalar(item, "id") for item in _raw_entries(root, key))
        return tuple(n.value for n in nodes if isinstance(n, yaml.ScalarNode) and n.value)

    requires: list[tuple[int, int, str, int | None]] = []
    roles: list[tuple[int, int, str, int | None]] = []
    for i, item in enumerate(_raw_entries(root)):
        requires.extend(items(item, "requires", i))
        roles.extend(items(item, "roles", i))
    return RawRefs(path, ids_of("credentials"), tuple(requires), ids_of("roles"), tuple(roles))


def _yaml_problem(err: yaml.YAMLError, path: str) -> Problem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    what = getattr(err, "problem", None) or str(err).splitlines()[0]
    if "could not determine a constructor for the tag" in what:
        import re

        found = re.search(r"tag '([^']+)'", what)
        tag = found.group(1).replace("tag:yaml.org,2002:", "!!") if found else "?"
        return Problem(path, line, "", f"tag `{tag}` is not allowed: catalogs are plain (safe) YAML")
    context = getattr(err, "context", None)
    message = f"invalid YAML: {what}" + (f" ({context})" if context else "")
    return Problem(path, line, "", message)


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


MAX_DEPTH = 64
"""Deepest nesting a catalog may have (an entry's source is 4 levels down): deeper is a mistake or an attack."""


def _too_deep(root: yaml.Node) -> yaml.Node | None:
    """The first node nested deeper than MAX_DEPTH, found without recursion (None if there is none)."""
    import yaml

    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return node
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
    return None


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document holds once aliases are expanded (a shared node counts each time it is used).

    Computed bottom-up without recursion; a node that contains itself (a recursive alias) counts once.
    """
    import yaml

    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes and not done:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if done:
            sizes[key] = 1 + sum(sizes.get(id(c), 1) for c in children)
            continue
        sizes[key] = 1  # guards against recursive aliases
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def _structure_problems(root: yaml.Node, path: str) -> Iterator[Problem]:
    """Duplicate keys (which YAML would silently merge) and alias bombs."""
    import yaml

    deep = _too_deep(root)
    if deep is not None:
        yield Problem(path, _line(deep), "", f"nested more than {MAX_DEPTH} levels deep (a catalog needs a few)")
        return
    total = _expanded_size(root)
    if total > MAX_NODES:
        yield Problem(path, _line(root), "", f"expands to more than {MAX_NODES:,} values (too many aliases?)")
        return
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    visited: set[int] = set()
    while stack:
        node, loc = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int | None] = {}
            for k, v in node.value:
                name = str(k.value) if isinstance(k, yaml.ScalarNode) else "?"
                child = f"{loc}.{name}" if loc else name
                if name in seen:
                    yield Problem(path, _line(k), child, f"duplicate key (first at line {seen[name]})")
                seen[name] = _line(k)
                stack.append((v, child))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append((item, f"{loc}[{i}]"))


def _node_at(root: yaml.Node, loc: Sequence[int | str]) -> yaml.Node | None:
    """The deepest node along ``loc`` (keys of mappings give the key's node for the last step)."""
    import yaml

    node: yaml.Node = root
    for step in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for k, v in reversed(node.value):  # the last one wins, as after a merge (`<<`)
                if isinstance(k, yaml.ScalarNode) and k.value == step:
                    node = v
                    break
            else:
                return node
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            return node
    return node


def _key_node(root: yaml.Node, loc: Sequence[int | str]) -> yaml.Node | None:
    """The node of the key at the end of ``loc`` (for unknown keys), else the deepest node."""
    import yaml

    parent = _node_at(root, loc[:-1])
    if isinstance(parent, yaml.MappingNode) and loc and isinstance(loc[-1], str):
        for k, _ in reversed(parent.value):
            if isinstance(k, yaml.ScalarNode) and k.value == loc[-1]:
                return k
    return _node_at(root, loc)


def format_loc(loc: Sequence[int | str]) -> str:
    """``("credentials", 3, "cost")`` as ``credentials[3].cost``."""
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out


def _validation_problems(err: Any, root: yaml.Node, path: str) -> list[Problem]:
    problems = []
    for e in err.errors(include_url=False):
        loc = tuple(e["loc"])
        kind = e["type"]
        node = _key_node(root, loc) if kind == "extra_forbidden" else _node_at(root, loc)
        if kind == "missing":
            node = _node_at(root, loc[:-1])
        problems.append(Problem(path, _line(node), format_loc(loc), _message(e, loc)))
    return problems


def _message(e: Any, loc: tuple[int | str, ...]) -> str:
    from credroi.catalog.schema import PATTERN_HINTS

    kind: str = e["type"]
    ctx = e.get("ctx") or {}
    simple = {
        "missing": "is required",
        "float_type": "must be a number" + _yaml11_hint(e.get("input")),
        "float_parsing": "must be a number" + _yaml11_hint(e.get("input")),
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "finite_number": "must be a finite number, not NaN or infinity",
        "string_type": "must be text",
        "list_type": "must be a list",
        "model_type": "must be a mapping",
        "model_attributes_type": "must be a mapping",
        "dict_type": "must be a mapping",
        "bool_type": "must be true or false",
    }
    given = e.get("input")
    if kind in ("float_type", "float_parsing") and isinstance(given, int) and not isinstance(given, bool):
        return "is too large a number"  # an integer no float can hold (the others convert)
    if kind in simple:
        return simple[kind]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        from credroi.hints import did_you_mean

        return f"unknown field{did_you_mean(str(loc[-1]), allowed)}"
    bounds = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}
    if kind in bounds:
        limit = next(iter(ctx.values()))
        return f"must be {bounds[kind]} {limit:g}" if isinstance(limit, (int, float)) else str(e["msg"])
    if kind == "literal_error":
        return f"must be one of: {ctx.get('expected', '')}".replace("'", "")
    if kind == "string_pattern_mismatch":
        return PATTERN_HINTS.get(str(ctx.get("pattern")), str(e["msg"]))
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters"
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"must have at least {n} item" + ("" if n == 1 else "s")
    if kind == "value_error":
        return str(e["msg"]).removeprefix("Value error, ")
    return str(e["msg"])


def _allowed_keys(loc: Sequence[int | str]) -> list[str]:
    """Field names of the model at ``loc`` in the catalog schema."""
    from pydantic import BaseModel

    from credroi.catalog.schema import CatalogFile

    tp: Any = CatalogFile
    for step in loc:
        tp = _unwrap(tp)
        if isinstance(step, int):
            args = get_args(tp)
            tp = args[0] if args else None
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and step in tp.model_fields:
            tp = tp.model_fields[step].annotation
        else:
            return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    """``X | None`` and ``Annotated[X, ...]`` to ``X``; ``list[X]`` stays as it is."""
    while get_origin(tp) not in (None, list):
        tp = next(a for a in get_args(tp) if a is not type(None))
    return tp
