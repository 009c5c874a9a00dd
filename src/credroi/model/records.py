"""A base for credroi's small record types (structs): fields in ``__slots__``, an ``__init__`` written out.

Why not dataclasses or NamedTuple? Creating the class is paid at import, on every run of the
command line. On CPython 3.11 a frozen dataclass costs about 1.2 ms to create and a NamedTuple
about 0.2 ms (both compile generated source); a plain class costs almost nothing. The CLI has a
start-up budget (README, "Performance"), and twenty record types would spend most of it.

A struct compares equal to another of the same type with equal fields, hashes like the tuple
of its fields, shows its fields in ``repr``, and ``struct.replace(field=value)`` is a copy with
some fields changed. Structs are read-only by convention: nothing in credroi assigns to a field
after ``__init__``.
"""

import operator
from collections.abc import Callable
from typing import Any, ClassVar, Self


class Struct:
    """Base class: a subclass lists its fields in ``__slots__`` and sets each in ``__init__``."""

    __slots__: tuple[str, ...] = ()
    _values: ClassVar[Callable[[Any], tuple[Any, ...]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        get = operator.attrgetter(*cls.__slots__)  # one C call for all the fields
        cls._values = get if len(cls.__slots__) > 1 else lambda obj: (get(obj),)

    def _astuple(self) -> tuple[Any, ...]:
        """The fields' values, in ``__slots__`` order."""
        return type(self)._values(self)

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` (field name -> value)."""
        return type(self)(**{**dict(zip(self.__slots__, self._astuple(), strict=True)), **changes})

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._astuple() == other._astuple()

    def __hash__(self) -> int:
        return hash(self._astuple())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self.__slots__, self._astuple(), strict=True))
        return f"{type(self).__name__}({fields})"
