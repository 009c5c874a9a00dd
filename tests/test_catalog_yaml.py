"""YAML's surprises in a catalog: YAML 1.1 number forms, merge keys, numbers no float should be, deep nesting.

Each is refused (or works, for merge keys) with the file, the line and the field, never a traceback.
"""

from __future__ import annotations

import textwrap

import pytest

from credroi.catalog import CatalogError, parse_catalog

ENTRY = (
    "  - {{id: {id}, name: N, issuer: X, kind: certification, fields: [c], cost: {{exam_fee: {fee}}},"
    " study: {{weeks: 2, hours_per_week: 5}}, recognition: 0.5,"
    " salary_uplift: {{low: 0, typical: 0.05, high: 0.1}}}}\n"
)


def problems(text: str) -> list[str]:
    with pytest.raises(CatalogError) as info:
        parse_catalog(textwrap.dedent(text), "c.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("fee", ["3:00", "0x10", "0o17", "010", "1_000", "1:30:00"])
def test_yaml_1_1_number_forms_are_refused_at_their_line(fee: str) -> None:
    """YAML 1.1 reads `3:00` as 180 (base 60), `0x10` as 16 and `010` as 8: credroi refuses them instead."""
    (problem,) = problems("credentials:\n" + ENTRY.format(id="a", fee=fee))
    assert problem.startswith("c.yaml:2: credentials[0].cost.exam_fee: must be a number (")
    assert f"`{fee}` is text here" in problem


@pytest.mark.parametrize(("fee", "value"), [("150", 150.0), ("1.5e2", 150.0), ("0", 0.0), ("99.5", 99.5), (".5", 0.5)])
def test_plain_decimal_numbers_still_read(fee: str, value: float) -> None:
    cat = parse_catalog("credentials:\n" + ENTRY.format(id="a", fee=fee), "c.yaml")
    assert cat.credential("a").exam_fee == value


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "NO"])
def test_yes_and_no_are_text_not_booleans(word: str) -> None:
    """YAML 1.1 makes `name: no` a boolean (and Norway's code `NO` false); here they stay the text written."""
    text = "credentials:\n" + ENTRY.format(id="a", fee=100).replace("name: N", f"name: {word}")
    assert parse_catalog(text, "c.yaml").get("a").name == word
    (problem,) = problems("credentials:\n" + ENTRY.format(id="a", fee=word))
    assert problem == "c.yaml:2: credentials[0].cost.exam_fee: must be a number"


def test_merge_keys_share_fields_between_entries() -> None:
    """`<<: *base` copies a mapping; the entry's own keys win, and distinct ids are not duplicates."""
    text = """\
    credentials:
      - &base {id: a, name: A, issuer: X, kind: certification, fields: [c], study: {weeks: 1, hours_per_week: 1},
               recognition: 0.5, salary_uplift: {low: 0, typical: 0.1, high: 0.1}}
      - <<: *base
        id: b
        name: B
      - <<: *base
        id: a
    """
    found = problems(text)
    assert found == ["c.yaml:8: credentials[2].id: duplicate id `a` (first at line 2)"]
    cat = parse_catalog(textwrap.dedent(text).rsplit("  - <<", 1)[0], "c.yaml")
    assert cat.ids == ["a", "b"]
    assert cat.get("b").name == "B"
    assert cat.credential("b").recognition == 0.5


@pytest.mark.parametrize(
    ("fee", "message"),
    [
        ("5e-324", "is too small a number (below 2.2e-308, other than 0)"),
        ("1" + "0" * 400, "is too large a number"),
        ("1e999", "must be a finite number, not NaN or infinity"),
        (".nan", "must be a finite number, not NaN or infinity"),
    ],
    ids=["subnormal", "400-digit", "overflow", "nan"],
)
def test_numbers_no_float_should_be_are_refused_with_the_field(fee: str, message: str) -> None:
    """The catalog applies the one number rule of options, variables, profile files and batch cells."""
    (problem,) = problems("credentials:\n" + ENTRY.format(id="a", fee=fee))
    assert problem == f"c.yaml:2: credentials[0].cost.exam_fee: {message}"


@pytest.mark.parametrize("depth", [50, 500, 990, 5000])
def test_deep_nesting_is_a_located_problem(depth: int) -> None:
    """Nesting up to and past the parser's limit is a problem at a line, never a RecursionError."""
    text = "credentials:\n  - id: x\n    notes: " + "[" * depth + "]" * depth + "\n"
    found = problems(text)
    assert found
    assert all(p.startswith("c.yaml:") for p in found)
