"""Records: credroi's small record types are frozen slotted dataclasses, and behave as values.

What a record promises: it cannot be changed after it is built (nor given new attributes), it
equals another of the same type with equal fields (never one of another type), it hashes like
its fields where they are hashable, its ``repr`` names every field, and where callers copy one
with changes (``FlowRow.replace``) the copy leaves the original alone.
"""

from __future__ import annotations

import dataclasses

import pytest

from credroi import batch, chart, render
from credroi.catalog import load
from credroi.model import analysis, engine, simulate
from credroi.profile_sources import Resolved

RECORDS: list[type] = [
    engine.Derived,
    engine.CashFlows,
    engine.LinearParts,
    engine.GroupStats,
    analysis.RankFilter,
    analysis.Swing,
    analysis.Input,
    analysis.Flip,
    analysis.FlowRow,
    simulate.Simulation,
    render.Column,
    render.Table,
    render.Verbatim,
    render.Document,
    render.RenderOptions,
    chart.Series,
    batch.RowError,
    batch.RawRow,
    load.Problem,
    load.RawRefs,
    load.Origin,
    Resolved,
]


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__qualname__)
def test_every_record_is_a_frozen_slotted_dataclass(cls: type) -> None:
    assert dataclasses.is_dataclass(cls)
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen
    assert cls.__slots__ == tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[attr-defined]


def test_a_record_cannot_change_nor_grow() -> None:
    p = load.Problem("a.yaml", 3, "credentials[0]", "bad")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.line = 4  # type: ignore[misc]
    # a new attribute: TypeError on CPython 3.11, whose frozen __setattr__ calls super() with the
    # class that slots=True replaced (python/cpython#105936); an AttributeError once that is fixed
    with pytest.raises((AttributeError, TypeError)):
        render.Column("k", "K", str).extra = 1  # type: ignore[attr-defined]


def test_equal_fields_equal_records_and_hashes() -> None:
    a = load.Origin("a.yaml", 0, (3,), 2, None)
    assert a == load.Origin("a.yaml", 0, (3,), 2, None)
    assert hash(a) == hash(load.Origin("a.yaml", 0, (3,), 2, None))
    assert a != load.Origin("a.yaml", 1, (3,), 2, None)
    assert len({a, load.Origin("a.yaml", 0, (3,), 2, None), load.Origin("b.yaml", 0)}) == 2
    # another type with the same fields is never equal
    assert batch.RowError(1, "x") != batch.RawRow(1, {"x": 1})
    assert engine.LinearParts(1.0, 2.0, 3.0) != (1.0, 2.0, 3.0)


def test_defaults_and_keyword_only_fields_keep_their_constructors() -> None:
    assert load.Origin("a.yaml", 0) == load.Origin("a.yaml", 0, (), None, None)
    assert render.RenderOptions() == render.RenderOptions(width=80, color=False)
    with pytest.raises(TypeError):
        engine.GroupStats("kind", 1, 0.0, 0.0, 0.0, None, 0.0, "x")  # type: ignore[misc]


def test_replace_copies_with_changes_and_keeps_the_original() -> None:
    row = analysis.FlowRow(3, 10.0, 0.0, 10.0, -5.0, 9.9)
    moved = row.replace(period=0)
    assert moved == analysis.FlowRow(0, 10.0, 0.0, 10.0, -5.0, 9.9)
    assert row.period == 3
    with pytest.raises(TypeError):
        row.replace(month=1)


def test_repr_names_every_field_in_order() -> None:
    assert repr(render.RenderOptions()) == "RenderOptions(width=80, color=False)"
    assert repr(batch.RowError(2, "no such credential")) == "RowError(row=2, message='no such credential')"
