"""The one rule for numbers credroi accepts: finite, not overflowing, and not subnormal (but 0 is fine)."""

from __future__ import annotations

import math
import sys


def number_problem(value: float) -> str | None:
    """Why ``value`` cannot be accepted as a number, or None if it can.

    NaN and the infinities mean nothing a user meant (and NaN switches comparisons off); a
    subnormal value (below 2.2e-308, other than 0) is a typo or a probe, and divisions by it
    overflow. Every numeric input goes through this rule: options, ``CREDROI_*`` variables,
    profile files, batch cells (vectorised the same way) and catalog figures.
    """
    if not math.isfinite(value):
        return "must be a finite number, not NaN or infinity"
    if value != 0.0 and abs(value) < sys.float_info.min:
        return f"is too small a number (below {sys.float_info.min:.1e}, other than 0)"
    return None


def to_float(raw: int | float) -> float:
    """``raw`` as a float; :class:`ValueError` for an integer too large for one (a 400-digit integer)."""
    try:
        return float(raw)
    except OverflowError:
        raise ValueError("is too large a number") from None
