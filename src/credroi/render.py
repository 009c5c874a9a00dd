"""Output formats: one registry mapping each format to a pure ``Document -> str`` renderer."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

OutputFormat = Literal["auto", "table", "json", "jsonl", "csv", "markdown"]
"""A ``--format`` choice: ``auto`` or a concrete format."""

FORMATS: tuple[OutputFormat, ...] = ("auto", "table", "json", "jsonl", "csv", "markdown")
"""Every ``--format`` choice, in the order help lists them."""


Best = Literal["min", "max"]


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a table for people: which record key, how to show it, which end is best."""

    key: str
    header: str
    fmt: Callable[[Any], str]
    justify: Literal["left", "right"] = "right"
    best: Best | None = None
    max_width: int | None = None
    flex: bool = False
    """The column that gives up width (truncated with an ellipsis) when the table is too wide."""
    fold: bool = False
    """A flexible column that wraps onto a second line instead of being cut short (ids must stay whole)."""


@dataclass(frozen=True, slots=True)
class Table:
    """A table for people, built from records."""

    columns: Sequence[Column]
    rows: Sequence[dict[str, Any]]
    title: str | None = None
    caption: str | None = None
    header: bool = True
    unranked: frozenset[int] = frozenset()
    """Rows never marked best (e.g. credentials the person is not eligible for)."""


@dataclass(frozen=True, slots=True)
class Verbatim:
    """Lines shown exactly as they are (never wrapped), such as ``path:LINE: message`` reports."""

    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """What a command prints.

    ``payload`` is the JSON document; ``records`` the flat rows of JSONL and CSV;
    ``views`` the tables and sentences shown to people (table and markdown formats).
    """

    payload: dict[str, Any]
    records: Sequence[dict[str, Any]]
    views: Sequence[Table | Verbatim | str] = ()


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How the terminal looks: its width and whether colour is on."""

    width: int = 80
    color: bool = False


def render_json(doc: Document, opts: RenderOptions) -> str:
    """The payload as one indented JSON document; NaN or infinity is an error, never output."""
    import json

    return json.dumps(doc.payload, indent=2, allow_nan=False, ensure_ascii=False) + "\n"


def render_jsonl(doc: Document, opts: RenderOptions) -> str:
    """One compact JSON object per record and line."""
    import json

    return "".join(json.dumps(r, allow_nan=False, ensure_ascii=False) + "\n" for r in doc.records)


def render_csv(doc: Document, opts: RenderOptions) -> str:
    """A header row and one row per record; null is empty, lists are joined with ``;``."""
    if not doc.records:
        return ""
    import csv

    out = io.StringIO()
    keys = list(doc.records[0])
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for r in doc.records:
        writer.writerow([csv_cell(r.get(k)) for k in keys])
    return out.getvalue()


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: full-precision numbers, empty for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("non-finite number in output")
        return repr(value)
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def best_rows(table: Table) -> dict[str, set[int]]:
    """For each column with a ``best`` end, the indices of the rows that hold the best value."""
    marks: dict[str, set[int]] = {}
    if len(table.rows) < 2:
        return marks
    for col in table.columns:
        if col.best is None:
            continue
        values = [(i, r.get(col.key)) for i, r in enumerate(table.rows) if i not in table.unranked]
        numbers = [(i, v) for i, v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if not numbers:
            continue
        pick = min if col.best == "min" else max
        target = pick(v for _, v in numbers)
        if col.best == "max" and target <= 0:
            continue  # the highest of values that are all zero or less is no "best" (a free entry's $0 NPV)
        marks[col.key] = {i for i, v in numbers if v == target}
    return marks


def render_markdown(doc: Document, opts: RenderOptions) -> str:
    """GitHub-flavoured Markdown tables; the best value of a column in bold."""
    parts: list[str] = []
    for view in doc.views:
        if isinstance(view, Verbatim):
            parts.append("```\n" + view.text + "\n```")
            continue
        if isinstance(view, str):
            parts.append(view)
            continue
        lines = []
        if view.title:
            lines.append(f"**{_md(view.title)}**\n")
        marks = best_rows(view)
        lines.append("| " + " | ".join(_md(c.header) or " " for c in view.columns) + " |")
        lines.append("|" + "|".join("---:" if c.justify == "right" else ":---" for c in view.columns) + "|")
        for i, row in enumerate(view.rows):
            cells = []
            for c in view.columns:
                text = _md(c.fmt(row.get(c.key)))
                cells.append(f"**{text}**" if i in marks.get(c.key, ()) else text)
            lines.append("| " + " | ".join(cells) + " |")
        if view.caption:
            lines.append(f"\n_{_md(view.caption)}_")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def render_table(doc: Document, opts: RenderOptions) -> str:
    """Rich tables for a terminal of ``opts.width`` columns; best values bold (and green in colour)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    out = io.StringIO()
    console = Console(
        file=out,
        width=opts.width,
        force_terminal=opts.color,
        no_color=not opts.color,
        color_system="standard" if opts.color else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    from rich.cells import cell_len

    best_style = "bold green" if opts.color else "bold"
    for n, view in enumerate(doc.views):
        if n:
            console.print()
        if isinstance(view, Verbatim):
            console.print(Text(view.text), soft_wrap=True)
            continue
        if isinstance(view, str):
            console.print(Text(view))
            continue
        table = RichTable(
            title=view.title,
            caption=view.caption,
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            header_style="bold",
            title_style="bold",
            caption_style="dim" if opts.color else "",
            caption_justify="left",
            title_justify="left",
            show_edge=False,
            collapse_padding=True,
            show_header=view.header,
        )
        marks = best_rows(view)
        grid = [
            [c.fmt(row.get(c.key)) + ("*" if i in marks.get(c.key, ()) else "") for c in view.columns]
            for i, row in enumerate(view.rows)
        ]
        headers = [
            _fold_header(c.header, max([0] + [cell_len(r[j]) for r in grid])) for j, c in enumerate(view.columns)
        ]
        natural = [
            max([cell_len(line) for line in h.split("\n")] + [cell_len(r[j]) for r in grid])
            for j, h in enumerate(headers)
        ]
        if any(c.max_width for c in view.columns):
            natural = [min(n, c.max_width or n) for n, c in zip(natural, view.columns, strict=True)]
        gaps = 2 * (len(view.columns) - 1)
        rigid = sum(n for n, c in zip(natural, view.columns, strict=True) if not c.flex)
        room = max(8, opts.width - rigid - gaps)
        for j, (c, header, wide) in enumerate(zip(view.columns, headers, natural, strict=True)):
            fit = min(wide, room) if c.flex else wide
            table.add_column(
                header, justify=c.justify, width=fit, overflow="fold" if c.fold else "ellipsis", no_wrap=not c.fold
            )
            if c.fold:
                for cells in grid:
                    cells[j] = _fold_at_hyphens(cells[j], fit)
        for i, cells in enumerate(grid):
            styled = [
                Text(text, style=best_style) if i in marks.get(c.key, ()) else Text(text)
                for c, text in zip(view.columns, cells, strict=True)
            ]
            table.add_row(*styled)
        console.print(table)
    return out.getvalue()


def _fold_at_hyphens(text: str, width: int) -> str:
    """``text`` on as many lines of at most ``width`` cells as it needs, broken after hyphens where it can."""
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    lines: list[str] = []
    line = ""
    for piece in text.replace("-", "-\0").split("\0"):
        if line and cell_len(line + piece) > width:
            lines.append(line)
            line = ""
        rest = piece
        while cell_len(rest) > width:  # a piece longer than the column: cut it where it must be
            lines.append(rest[:width])
            rest = rest[width:]
        line += rest
    return "\n".join([*lines, line] if line else lines)


def _fold_header(header: str, values_width: int) -> str:
    """``header`` on two lines when it is wider than its values and folds at a space or hyphen.

    "Break-even" over values seven cells wide becomes "Break-" / "even", which gives the
    flexible name column three more cells in an 80-column terminal.
    """
    if len(header) <= values_width:
        return header
    cuts = [i + 1 for i, ch in enumerate(header) if ch in " -"]
    if not cuts:
        return header
    cut = min(cuts, key=lambda i: max(i, len(header) - i))
    return header[:cut].rstrip() + "\n" + header[cut:]


Renderer = Callable[[Document, RenderOptions], str]

RENDERERS: dict[str, Renderer] = {
    "table": render_table,
    "json": render_json,
    "jsonl": render_jsonl,
    "csv": render_csv,
    "markdown": render_markdown,
}
"""Every concrete format's renderer; ``auto`` resolves to ``table`` or ``csv`` first."""


def resolve(fmt: str, is_terminal: bool) -> str:
    """``auto`` is a table on a terminal and CSV when piped; other formats stay."""
    if fmt == "auto":
        return "table" if is_terminal else "csv"
    return fmt


def render(doc: Document, fmt: str, opts: RenderOptions) -> str:
    """Render ``doc`` in a concrete format (not ``auto``)."""
    return RENDERERS[fmt](doc, opts)


# --- numbers for people ---------------------------------------------------------------

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "INR": "₹", "JPY": "¥"}


def money(value: float | None, currency: str = "USD") -> str:
    """``-1234.5`` as ``-$1,235``; null as ``n/a``."""
    if value is None:
        return "n/a"
    sign = "-" if value < 0 and round(abs(value)) != 0 else ""
    amount = f"{abs(value):,.0f}"
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency}"


def per_year(value: float | None, currency: str = "USD") -> str:
    """Money per year, ``$995/yr``; null as ``n/a``."""
    return "n/a" if value is None else money(value, currency) + "/yr"


def percent(value: float | None, digits: int = 0) -> str:
    """A fraction as a percentage, ``4.2`` as ``420%``; null as ``n/a``."""
    if value is None:
        return "n/a"
    return f"{value * 100:,.{digits}f}%"


def months(value: int | None, never: str = "never") -> str:
    """Months, ``16 mo``; null as ``never``."""
    return never if value is None else f"{value} mo"


def weeks(value: float | None) -> str:
    """Weeks with at most one decimal, ``8 wk`` or ``8.6 wk``."""
    if value is None:
        return "n/a"
    text = f"{value:,.1f}".removesuffix(".0")
    return f"{text} wk"


def number(value: float | None, digits: int = 2) -> str:
    """A plain number without trailing zeros."""
    if value is None:
        return "n/a"
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
