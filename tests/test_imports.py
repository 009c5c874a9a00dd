"""Module boundaries: the engine is pure, and start-up does not load what it does not need."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "credroi"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", ["engine.py", "analysis.py", "montecarlo.py"])
def test_model_modules_import_only_the_standard_library(module: str) -> None:
    """The model (engine, analysis, simulation) imports nothing outside the standard library and itself."""
    third_party = _imports(SRC / module) - set(sys.stdlib_module_names) - {"__future__", "credroi"}
    assert third_party == set()
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    own = {
        n.module
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("credroi")
    }
    assert own <= {"credroi.engine"}, "the model must not import the CLI, catalog or renderers"


def test_version_does_not_load_heavy_modules() -> None:
    """`credroi --version` loads neither pydantic, yaml nor rich tables."""
    code = (
        "import sys\n"
        "from credroi.cli import main\n"
        "try:\n    main(['--version'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'rich.table') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
