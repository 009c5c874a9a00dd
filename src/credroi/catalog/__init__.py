"""Catalogs: the schema of a catalog file, loading and validating it, and the cache of validated catalogs."""

from credroi.catalog.load import (
    BUNDLED,
    MAX_BYTES,
    Catalog,
    CatalogError,
    Problem,
    UnknownCredentialError,
    UnknownRoleError,
    audit,
    bundled_path,
    credential_from_record,
    future_dates,
    load_catalog,
    parse_catalog,
    role_from_record,
)

__all__ = [
    "BUNDLED",
    "MAX_BYTES",
    "Catalog",
    "CatalogError",
    "Problem",
    "UnknownCredentialError",
    "UnknownRoleError",
    "audit",
    "bundled_path",
    "credential_from_record",
    "future_dates",
    "load_catalog",
    "parse_catalog",
    "role_from_record",
]
