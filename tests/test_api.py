"""The Python API: the names the README promises, typed and lazily imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import credroi


def test_api_names_work_together() -> None:
    from credroi import Profile, evaluate, load_catalog, simulate

    catalog = load_catalog()
    me = Profile(salary=90_000, horizon_years=3)
    result = evaluate(catalog.get("aws-saa").to_credential(), me)
    assert result.npv > 0
    odds = simulate(catalog.get("cissp").to_credential(), me, draws=500, seed=1)
    assert 0.0 <= odds.p_npv_positive <= 1.0
    assert set(credroi.__all__) >= {"load_catalog", "Profile", "evaluate", "simulate"}


def test_api_is_typed() -> None:
    assert (Path(credroi.__file__).parent / "py.typed").is_file()


def test_import_credroi_is_cheap() -> None:
    """``import credroi`` loads none of the heavy modules until a name is used."""
    heavy = "('pydantic', 'yaml', 'credroi.model.engine')"
    code = f"import sys, credroi; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_readme_api_example_runs() -> None:
    """The README's Python example runs as written."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("```python\n") + len("```python\n")
    code = readme[start : readme.index("```", start)]
    exec(compile(code, "README.md", "exec"), {})
