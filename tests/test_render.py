"""The format registry and the number formats for people."""

from __future__ import annotations

import json
import math

import pytest

from credroi.cli.common import Fmt
from credroi.render import (
    FORMATS,
    RENDERERS,
    Column,
    Document,
    RenderOptions,
    Table,
    best_rows,
    csv_cell,
    money,
    months,
    number,
    percent,
    render,
    resolve,
    weeks,
)


def test_every_concrete_format_has_a_renderer() -> None:
    """Each --format member except auto maps to a renderer, and auto resolves to one of them."""
    assert set(RENDERERS) == set(FORMATS) - {"auto"}
    assert resolve("auto", is_terminal=True) == "table"
    assert resolve("auto", is_terminal=False) == "csv"
    assert resolve("json", is_terminal=True) == "json"
    assert [f.value for f in Fmt] == list(FORMATS)  # the CLI's --format choices


def test_json_refuses_nan() -> None:
    """JSON output never contains NaN: a non-finite number is an error, not output."""
    doc = Document(payload={"x": math.nan}, records=[])
    with pytest.raises(ValueError, match="JSON compliant"):
        render(doc, "json", RenderOptions())


def test_csv_cells() -> None:
    """CSV cells: null empty, floats at full precision, lists joined by semicolons."""
    assert csv_cell(None) == ""
    assert csv_cell(0.1 + 0.2) == "0.30000000000000004"
    assert csv_cell(["cloud", "data"]) == "cloud;data"
    assert json.loads(csv_cell(1234.5)) == 1234.5


def test_people_formats() -> None:
    """Money, percentages, months and weeks carry units; null reads as n/a or never."""
    assert money(-1234.5) == "-$1,234"
    assert money(0.4) == "$0"
    assert money(-0.4) == "$0"
    assert money(10, "EUR") == "€10"
    assert money(10, "CHF") == "10 CHF"
    assert percent(4.2) == "420%"
    assert percent(None) == "n/a"
    assert months(16) == "16 mo"
    assert months(None) == "never"
    assert weeks(8.0) == "8 wk"
    assert weeks(8.57) == "8.6 wk"


def test_best_rows_by_direction() -> None:
    """The best cell is the maximum or minimum as the column says, ignoring nulls."""
    cols = [Column("a", "A", str, best="max"), Column("b", "B", str, best="min"), Column("c", "C", str)]
    rows = [{"a": 1, "b": None, "c": 1}, {"a": 3, "b": 2, "c": 9}, {"a": 3, "b": 5, "c": 0}]
    marks = best_rows(Table(cols, rows))
    assert marks == {"a": {1, 2}, "b": {1}}


def test_table_respects_width() -> None:
    """A long flexible column is cut so the table fits the width."""
    cols = [Column("n", "Name", str, justify="left", flex=True), Column("v", "Value", str)]
    rows = [{"n": "x" * 200, "v": "1"}]
    text = render(Document({}, rows, [Table(cols, rows)]), "table", RenderOptions(width=40))
    assert max(len(line) for line in text.splitlines()) <= 40
    assert "…" in text


def test_number_keeps_the_zeros_of_whole_numbers() -> None:
    """Only decimal zeros are dropped: 240 stays 240, 2,000 stays 2,000."""
    assert number(240.0, digits=0) == "240"
    assert number(2000.0, digits=0) == "2,000"
    assert number(2.50) == "2.5"
    assert number(3.0) == "3"
    assert number(1200.0, digits=1) == "1,200"
