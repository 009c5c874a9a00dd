"""Module boundaries: the engine is pure, and start-up does not load what it does not need."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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


def test_engine_imports_only_the_standard_library() -> None:
    """engine.py imports nothing outside the standard library (no typer, rich, yaml, pydantic)."""
    third_party = _imports(SRC / "engine.py") - set(sys.stdlib_module_names) - {"__future__"}
    assert third_party == set()


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
