"""credroi: is a formal tech certification worth more than a micro-credential? ROI in numbers.

The Python API::

    from credroi import load_catalog, Profile, evaluate, simulate

    catalog = load_catalog()                      # the bundled catalog (or paths to your own)
    me = Profile(salary=90_000, horizon_years=3)
    result = evaluate(catalog.get("aws-saa").to_credential(), me)
    print(result.npv, result.payback_months)
    odds = simulate(catalog.get("cissp").to_credential(), me, draws=10_000, seed=1)
    print(odds.p_npv_positive, odds.npv_p10, odds.npv_p90)

Names are imported on first use, so ``import credroi`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from credroi.catalog import Catalog, CatalogError, load_catalog
    from credroi.frame import evaluate_frame
    from credroi.model.engine import Credential, Evaluation, evaluate, evaluate_all
    from credroi.model.profile import Profile, ProfileError
    from credroi.model.simulate import Simulation, simulate

__all__ = [
    "Catalog",
    "CatalogError",
    "Credential",
    "Evaluation",
    "Profile",
    "ProfileError",
    "Simulation",
    "__version__",
    "evaluate",
    "evaluate_all",
    "evaluate_frame",
    "load_catalog",
    "simulate",
]

_HOMES = {
    "Catalog": "credroi.catalog",
    "CatalogError": "credroi.catalog",
    "load_catalog": "credroi.catalog",
    "Credential": "credroi.model.engine",
    "Evaluation": "credroi.model.engine",
    "Profile": "credroi.model.engine",
    "ProfileError": "credroi.model.engine",
    "evaluate": "credroi.model.engine",
    "evaluate_all": "credroi.model.engine",
    "evaluate_frame": "credroi.frame",
    "Simulation": "credroi.model.simulate",
    "simulate": "credroi.model.simulate",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'credroi' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return sorted(__all__)
