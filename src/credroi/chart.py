"""Break-even charts: cumulative net value over time, one line per credential (or per plan).

In the terminal with plotext; saved to PNG or SVG with matplotlib (the optional ``credroi[plot]``
extra). Both are imported only when a chart is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from credroi.model import engine

if TYPE_CHECKING:
    from credroi.model.plan import Plan
    from credroi.model.profile import Profile

SAVE_SUFFIXES = (".png", ".svg")
PLAIN_MARKERS = ("•", "+", "x", "o", "*", "#", "@", "%")
"""Without colour, each line gets its own character so the legend still tells them apart."""


class ChartError(Exception):
    """A chart that cannot be drawn or saved (missing matplotlib, unsupported file type)."""


class ChartNameError(ChartError):
    """The file name asks for a format a chart cannot be saved in (bad usage)."""


class ChartWriteError(ChartError):
    """The chart could not be written (the environment: a full disk, no permission)."""


@dataclass(frozen=True, slots=True)
class Series:
    """One credential's cumulative net value (undiscounted) at each month, in years."""

    label: str
    years: list[float]
    cumulative: list[float]


def series(results: Sequence[engine.Evaluation]) -> list[Series]:
    """The cumulative cash flow of each result, month 0 to N."""
    out = []
    for r in results:
        total = 0.0
        ys = []
        for f in r.flows.cash_flow:
            total += f
            ys.append(total)
        out.append(Series(r.credential.name, [t / 12.0 for t in range(len(ys))], ys))
    return out


def title(currency: str) -> str:
    return f"Cumulative net value ({currency}) over time: a line crossing 0 has paid back"


def terminal_chart(data: Sequence[Series], currency: str, *, width: int = 80, height: int = 18, color: bool) -> str:
    """The chart as text for a terminal ``width`` cells wide; ANSI colour only when ``color``."""
    import plotext as plt

    plt.clear_figure()
    plt.plotsize(max(40, width - 1), height)
    plt.theme("pro" if color else "clear")
    for i, s in enumerate(data):
        if color:
            plt.plot(s.years, s.cumulative, label=s.label)
        else:
            plt.plot(s.years, s.cumulative, label=s.label, marker=PLAIN_MARKERS[i % len(PLAIN_MARKERS)])
    plt.horizontal_line(0.0)
    ticks = _ticks([v for s in data for v in s.cumulative])
    plt.yticks(ticks, [_short_money(t, currency) for t in ticks])
    plt.title(title(currency))
    plt.xlabel("years")
    text: str = plt.build()
    if not color:
        text = plt.uncolorize(text)
    plt.clear_figure()
    return "\n".join(line.rstrip() for line in text.splitlines())


def _ticks(values: Sequence[float], count: int = 5) -> list[float]:
    """About ``count`` round tick values spanning ``values``."""
    return round_ticks(min(values, default=0.0), max(values, default=0.0), count)


def round_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` round tick values from ``lo`` to ``hi`` (steps of 1, 2 or 5 times a power of 10)."""
    if hi - lo <= 0:
        return [lo]
    raw = (hi - lo) / (count - 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]


def _short_money(value: float, currency: str) -> str:
    from credroi.render import money

    if abs(value) >= 10_000:
        return money(value / 1000.0, currency).replace(".0", "") + "k"
    return money(value, currency)


def save_chart(data: Sequence[Series], currency: str, path: Path) -> None:
    """Save the chart as PNG or SVG (by ``path``'s suffix); :class:`ChartError` if that cannot be done."""
    suffix = path.suffix.lower()
    if suffix not in SAVE_SUFFIXES:
        raise ChartNameError(f"cannot save a chart as `{path.suffix or path.name}`: use a .png or .svg file name")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ChartError(
            "saving a chart needs matplotlib: install it with `pip install 'credroi[plot]'` "
            "(or `uv sync --extra plot` in a clone)"
        ) from None
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    try:
        for s in data:
            ax.plot(s.years, s.cumulative, label=s.label, linewidth=1.8)
        ax.axhline(0.0, color="grey", linewidth=0.8)
        ax.set_xlabel("years")
        ax.set_ylabel(f"cumulative net value ({currency})")
        ax.set_title(title(currency), fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        tmp = path.with_name(path.name + ".part")
        try:
            fig.savefig(tmp, format=suffix[1:], metadata={"Software": "credroi"} if suffix == ".png" else None)
            tmp.replace(path)
        except OSError as err:
            tmp.unlink(missing_ok=True)
            raise ChartWriteError(f"cannot write {path}: {err.strerror or err}") from None
    finally:
        plt.close(fig)


def plan_series(plan: Plan, profile: Profile, single: engine.Evaluation | None = None) -> list[Series]:
    """A plan's cumulative net value (undiscounted), month 0 to N; the best single credential's beside it.

    The single credential's line is left out when the plan is that credential alone.
    """
    ys = plan.cumulative(profile)
    label = "Plan: " + " → ".join(item.credential.name for item in plan.items)
    out = [Series(label, [t / 12.0 for t in range(len(ys))], ys)]
    ids = [item.credential.id for item in plan.items]
    if single is not None and ids != [single.credential.id]:
        (alone,) = series([single])
        out.append(Series(f"{alone.label} alone", alone.years, alone.cumulative))
    return out
