"""One home per fact: a profile field is named in its table, the formula that uses it and at most one more module."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from credroi.model.profile import PROFILE_FIELDS

SRC = Path(__file__).resolve().parent.parent / "src" / "credroi"

SAME_NAME_ELSEWHERE: dict[str, str | tuple[str, ...]] = {
    "hours_per_week": "catalog",
    "salary": "catalog",
    "experience_years": "catalog",
}
"""Names that the catalog's records have too: an entry's ``study.hours_per_week`` and ``experience_years``, a role's
``salary``, are their own fields, not the profile's."""


def _names(node: ast.AST) -> list[str]:
    """The names a node uses as code: attributes, keywords, variables, parameters and whole string constants."""
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.keyword) and node.arg:
        return [node.arg]
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    return []


FORMULA_TWINS = {"columnar.py": "model/engine.py"}
"""The columnar engine is the formula again, over arrays (held equal to it by tests/test_columnar.py): one home."""


def _modules_naming() -> dict[str, set[str]]:
    where: dict[str, set[str]] = defaultdict(set)
    wanted = {s.name for s in PROFILE_FIELDS}
    for path in SRC.rglob("*.py"):
        module = path.relative_to(SRC).as_posix()
        module = FORMULA_TWINS.get(module, module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for name in _names(node):
                if name in wanted and not module.startswith(SAME_NAME_ELSEWHERE.get(name, "\0")):
                    where[name].add(module)
    return where


WHERE = _modules_naming()


@pytest.mark.parametrize("name", [s.name for s in PROFILE_FIELDS])
def test_a_profile_field_lives_in_at_most_three_modules(name: str) -> None:
    """Options, variables, the template, `profile show` and JSON keys come from the table, not the name."""
    modules = WHERE[name]
    assert "model/profile.py" in modules  # the table itself: the check sees the field
    assert len(modules) <= 3, sorted(modules)


def test_the_cli_names_no_profile_field() -> None:
    """The command line builds every profile option from the table."""
    assert not any(m.startswith("cli/") for modules in WHERE.values() for m in modules)
