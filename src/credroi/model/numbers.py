"""The one rule for numbers credroi accepts: finite, not overflowing, and not subnormal (but 0 is fine)."""

from __future__ import annotations

import math
import re
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


_GROUPED = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PERCENT = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+))\s*%$")


def read_number(text: str, unit: str) -> float:
    """A number as people type it in a shell or a spreadsheet; :class:`ValueError` with the reason.

    Plain numbers (``90000``, ``9e4``, ``90_000``) as Python reads them, and what is unambiguous:
    ``$90,000`` and ``90,000`` (a dollar sign on money, commas between groups of three digits), and
    ``30%`` on a rate or a share (0.3). Anything else with a comma (``90,5``: a decimal comma, or a
    typo?) or a percentage of money is refused, with what to write instead.
    """
    given = text.strip()
    body = given
    if unit.startswith("money") and body.startswith("$"):
        body = body[1:].strip()
    percent = _PERCENT.match(body)
    if percent:
        if unit not in ("rate", "share"):
            raise ValueError(f"`{given}` is a percentage: write the amount itself")
        return float(percent.group(1)) / 100.0
    if "," in body:
        if not _GROUPED.match(body):
            raise ValueError(f"`{given}` is ambiguous (a decimal comma?): write it as 1234.5, without commas")
        body = body.replace(",", "")
    try:
        return float(body.replace("_", ""))
    except ValueError:
        raise ValueError(f"`{given}` is not a number") from None
