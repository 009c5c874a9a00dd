"""Module boundaries: the engine is pure, and start-up does not load what it does not need."""

from __future__ import annotations

import ast
import json
import os
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


MODEL_MODULES = sorted(p.name for p in (SRC / "model").glob("*.py"))


@pytest.mark.parametrize("module", MODEL_MODULES)
def test_model_modules_import_only_the_standard_library(module: str) -> None:
    """The model package (engine, analysis, simulation...) imports nothing outside the standard library and itself."""
    path = SRC / "model" / module
    third_party = _imports(path) - set(sys.stdlib_module_names) - {"__future__", "credroi"}
    assert third_party == set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = {
        n.module
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("credroi")
    }
    assert all(m.startswith("credroi.model") for m in own), "the model must not import the CLI, catalog or renderers"


def test_the_model_package_has_modules() -> None:
    """The parametrised purity check above really sees the model's modules."""
    assert {"engine.py", "analysis.py", "simulate.py"} <= set(MODEL_MODULES)


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


IMPORT_PROBE = """
import json, sys
from credroi.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
names = {m if m.startswith("credroi") else m.split(".")[0] for m in sys.modules}
print(json.dumps(sorted(names - set(sys.stdlib_module_names) - {"__main__", "_distutils_hack"})))
"""


def _imported(args: list[str], cache: Path) -> set[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "XDG_CONFIG_HOME": str(cache / "config")}
    env.pop("CREDROI_NO_CACHE", None)
    out = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE, *args], capture_output=True, text=True, check=True, env=env
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def _allowed(name: str) -> set[str]:
    text = (Path(__file__).parent / "data" / name).read_text(encoding="utf-8")
    return {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}


@pytest.mark.parametrize(
    ("args", "listing"),
    [
        (["--version"], "imports-version.txt"),
        (["compare", "aws-saa", "cissp", "--format", "table"], "imports-compare.txt"),
    ],
)
def test_start_up_imports_stay_within_the_checked_in_list(tmp_path: Path, args: list[str], listing: str) -> None:
    """With a warm catalog cache, a command imports only the modules listed in tests/data (not a timed test)."""
    _imported(args, tmp_path)  # the first run fills the cache
    warm = _imported(args, tmp_path)
    assert warm - _allowed(listing) == set()
    assert not warm & {"pydantic", "yaml", "numpy", "plotext", "matplotlib"}


ALL_PROBE = """
import sys
from credroi.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)))
"""

COMPARE_NEVER = {
    "json",  # its import compiles six regular expressions: the cache is marshal
    "csv",
    "statistics",  # pulls in decimal, fractions and random: engine.median instead
    "tempfile",
    "importlib.resources",
    "platformdirs",  # credroi.userdirs answers on Linux
    "credroi.cli.decide",  # commands load only the module that defines them
    "credroi.cli.files",
    "credroi.model.simulate",
    "pydantic",
    "yaml",
}


@pytest.mark.skipif(sys.platform != "linux", reason="platformdirs is needed off Linux")
def test_compare_leaves_out_what_it_does_not_need(tmp_path: Path) -> None:
    """Modules taken off compare's start-up path stay off it, standard library ones included."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("CREDROI_NO_CACHE", None)
    args = ["compare", "aws-saa", "cissp", "--format", "table"]
    for _ in range(2):  # the first run fills the cache
        out = subprocess.run(
            [sys.executable, "-c", ALL_PROBE, *args], capture_output=True, text=True, check=True, env=env
        ).stdout
    loaded = set(out.split())
    assert "credroi.model.engine" in loaded  # the probe saw the command run
    assert loaded & COMPARE_NEVER == set()
