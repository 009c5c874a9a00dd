"""credroi.model.records: the record base behaves like a value (equality, hash, repr, replace)."""

from __future__ import annotations

import pytest

from credroi.model.records import Struct
from credroi.render import Column, RenderOptions


class Point(Struct):
    __slots__ = ("x", "y")

    def __init__(self, x: float, y: float = 0.0) -> None:
        self.x = x
        self.y = y


class Other(Struct):
    __slots__ = ("x", "y")

    def __init__(self, x: float, y: float = 0.0) -> None:
        self.x = x
        self.y = y


def test_equal_fields_equal_structs_and_hashes() -> None:
    assert Point(1.0, 2.0) == Point(1.0, 2.0)
    assert hash(Point(1.0, 2.0)) == hash(Point(1.0, 2.0))
    assert Point(1.0, 2.0) != Point(1.0, 3.0)
    assert Point(1.0, 2.0) != Other(1.0, 2.0)  # another type is never equal
    assert Point(1.0, 2.0) != (1.0, 2.0)
    assert len({Point(1.0), Point(1.0), Point(2.0)}) == 2


def test_replace_copies_with_changes_and_keeps_the_original() -> None:
    p = Point(1.0, 2.0)
    q = p.replace(y=5.0)
    assert (q.x, q.y) == (1.0, 5.0)
    assert (p.x, p.y) == (1.0, 2.0)
    with pytest.raises(TypeError):
        p.replace(z=1.0)


def test_repr_names_every_field() -> None:
    assert repr(Point(1.0, 2.5)) == "Point(x=1.0, y=2.5)"
    assert repr(RenderOptions()) == "RenderOptions(color=False, width=80)"  # __slots__ order


def test_no_attribute_outside_the_fields() -> None:
    with pytest.raises(AttributeError):
        Column("k", "K", str).extra = 1  # type: ignore[attr-defined]
