"""The decision report: one self-contained HTML page (inline CSS, charts as inline SVG) or Markdown, from advice.

Both are built from the payload of :func:`credroi.advise.build_advice` alone, so a report made
from a saved ``advise --format json`` file says the same as one made from options. Nothing here
reaches the network: the only URLs are the sources' own, as links in the sources list.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from credroi.advise import ESTIMATES_LEAD, estimate_lines, estimates_text, is_finite
from credroi.chart import round_ticks
from credroi.render import money, number, percent

KIND_SHORT = {"certification": "cert", "micro-credential": "micro"}
LINE_COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad")
LINE_DASHES = ("", "6 4", "2 3", "8 3 2 3")
"""Each line of a chart has its own dash pattern too, so it reads printed in black and white."""

CSS = """
:root { --ink: #1b1f24; --muted: #5b6470; --rule: #d7dce2; --accent: #1f5fa8; --good: #2e7d32; --bad: #b3261e; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem 1rem 3rem; color: var(--ink); background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
p, li { max-width: 46rem; }
.meta, .caption, figcaption { color: var(--muted); font-size: .9rem; }
.answer { border-left: 4px solid var(--accent); background: #f3f6fa; padding: .75rem 1rem; margin: 1rem 0; }
.answer p { margin: .35rem 0; }
.verdict { font-weight: 600; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; font-variant-numeric: tabular-nums; }
th, td { padding: .35rem .5rem; border-bottom: 1px solid var(--rule); text-align: right; vertical-align: top; }
th:first-child, td:first-child, th.left, td.left { text-align: left; }
th { font-weight: 600; background: #f7f8fa; }
.neg { color: var(--bad); }
.pos { color: var(--good); }
figure { margin: 1rem 0; }
svg { display: block; width: 100%; height: auto; max-width: 100%; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
.legend { list-style: none; padding: 0; margin: .25rem 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem;
  font-size: .9rem; }
.legend svg { display: inline-block; width: 2.2rem; height: .8rem; vertical-align: middle; }
.sources li { margin: .2rem 0; overflow-wrap: anywhere; }
.grade { display: inline-block; padding: 0 .35rem; border-radius: .25rem; font-size: .8rem; background: #eef1f5;
  color: var(--muted); }
.grade.estimate { background: #fdecea; color: var(--bad); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--rule);
  padding-top: .5rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; padding: 1rem .75rem 2rem; }
  h1 { font-size: 1.35rem; }
  th, td { padding: .3rem .35rem; }
  .wide { display: none; }
}
@page { margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, table, .answer, .sources li { break-inside: avoid; page-break-inside: avoid; }
  .scroll { overflow: visible; }
  .wide { display: table-cell; }
  .answer { background: none; }
  a { color: inherit; text-decoration: none; }
  .sources a::after { content: " <" attr(href) ">"; font-size: .8em; color: var(--muted); }
}
"""


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a temporary file beside it, then a rename."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent if str(target.parent) else "."
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- HTML ------------------------------------------------------------------------------------------


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _money_cell(value: object, currency: str) -> str:
    if not is_finite(value):
        return "<td>n/a</td>"
    amount = float(value)  # type: ignore[arg-type]
    css = ' class="neg"' if amount < 0 else ""
    return f"<td{css}>{_e(money(amount, currency))}</td>"


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, wide: Sequence[int] = (), left: Sequence[int] = (0,)
) -> str:
    """A table inside a scrolling box; ``rows`` hold ready ``<td>`` cells; ``wide`` columns hide on a phone;
    the ``left`` columns (text) have their heading aligned left."""

    def cls(i: int) -> str:
        names = [n for n, on in (("wide", i in wide), ("left", i in left)) if on]
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(f"<th{cls(i)}>{_e(h)}</th>" for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(_with_class(cell, "wide") if i in wide else cell for i, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _with_class(cell: str, name: str) -> str:
    """A ``<td>`` cell with one more class."""
    if 'class="' in cell:
        return cell.replace('class="', f'class="{name} ', 1)
    return cell.replace("<td", f'<td class="{name}"', 1)


def _td(text: object, left: bool = False) -> str:
    return f'<td class="left">{_e(text)}</td>' if left else f"<td>{_e(text)}</td>"


def render_html(payload: dict[str, Any]) -> str:
    """The report as one HTML page: no script, no external stylesheet, image or font."""
    a = payload["advice"]
    cur = a["currency"]
    title = "Which credential pays for you? A decision report"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="credroi {_e(a["credroi_version"])}">',
        f"<title>{_e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">Made on {_e(a["date"])} by credroi {_e(a["credroi_version"])} from its sourced '
        "catalog. Money is in today's money (real terms).</p>",
        "</header>",
        "<main>",
        _person_html(a),
        _answer_html(a),
        _verdict_html(a),
        _top_html(a, cur),
        _plan_html(a, cur),
        _chart_html(a, cur),
        _tornado_html(a, cur),
        _change_html(a),
        _sources_html(a),
        _assumptions_html(a),
        "</main>",
        f"<footer><p>credroi {_e(a['credroi_version'])}, {_e(a['date'])}. The numbers are expectations from "
        "the catalog's figures, not promises; the sources list says how good each figure is.</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def fit_text(a: dict[str, Any]) -> str:
    """How many credentials fit the answers, how many of them prepare for the role, how many were left out."""
    text = str(a["considered"])
    if a["aim"]["switch"]:
        text += f", {a['useful']} of them preparing for the role"
    if a["left_out"]:
        text += f" ({a['left_out']} more ask more experience than you have)"
    return text


def _person_html(a: dict[str, Any]) -> str:
    limits = a["limits"]
    rows = [
        ("Goal", a["aim"]["text"]),
        ("Profile", a["person"]),
        (
            "Budget",
            money(limits["budget"], a["currency"]) + " out of pocket" if limits["budget"] is not None else "no limit",
        ),
        ("Fields of interest", ", ".join(limits["fields"]) or "all"),
        ("Credentials that fit", fit_text(a)),
    ]
    cells = "".join(f'<tr><th scope="row" class="left">{_e(k)}</th><td class="left">{_e(v)}</td></tr>' for k, v in rows)
    table = f'<div class="scroll"><table><tbody>{cells}</tbody></table></div>'
    return f'<section id="person"><h2>You and your goal</h2>{table}</section>'


def _answer_html(a: dict[str, Any]) -> str:
    verdict = a["verdict"]["text"]
    sentences = "".join(f"<p>{_e(s)}</p>" for s in a["summary"] if s != verdict)  # the verdict has its own section
    return f'<section id="answer"><h2>The answer</h2><div class="answer">{sentences}</div></section>'


def _verdict_html(a: dict[str, Any]) -> str:
    v = a["verdict"]
    cur = a["currency"]
    groups = v.get("groups") or []
    body = f'<p class="verdict">{_e(v["text"])}</p>'
    if groups:
        rows = [
            [
                _td(g["group"], left=True),
                _td(g["count"]),
                _money_cell(g["median_investment"], cur),
                _td(f"{number(g['median_study_weeks'], 1)} wk"),
                _money_cell(g["median_npv"], cur),
                _td(percent(g["share_npv_positive"])),
                _td(g["best"], left=True),
            ]
            for g in groups
        ]
        headers = ["Kind", "Credentials", "Median investment", "Median study", "Median NPV", "NPV > 0", "Best"]
        body += _table(headers, rows, wide=(2, 3), left=(0, 6))
    return f'<section id="verdict"><h2>Certification or micro-credential?</h2>{body}</section>'


def _top_html(a: dict[str, Any], cur: str) -> str:
    if not a["top"]:
        return '<section id="top"><h2>Top choices</h2><p>No credential fits these answers.</p></section>'
    rows = [
        [
            _td(r["name"], left=True),
            _td(KIND_SHORT.get(r["kind"], r["kind"]), left=True),
            _money_cell(r["out_of_pocket"], cur),
            _money_cell(r["investment"], cur),
            _td(number(r["study_weeks"], 1)),
            _money_cell(r["npv"], cur),
            _td("never" if r["payback_months"] is None else f"{r['payback_months']} mo"),
            _td(percent(r["recognition"])),
        ]
        for r in a["top"]
    ]
    headers = ["Credential", "Kind", "Out of pocket", "Invested", "Weeks", "NPV", "Payback", "Recognition"]
    odds = a["odds"]
    sure = ""
    if odds is not None:
        sure = (
            f"<p>How sure: {_e(odds['name'])} breaks even (NPV &gt; 0) in <strong>{_e(percent(odds['p_npv_positive']))}"
            f"</strong> of {odds['draws']:,} simulated futures (seed {odds['seed']}); median NPV "
            f"{_e(money(odds['npv_p50'], cur))}, 1 in 10 below {_e(money(odds['npv_p10'], cur))}, 1 in 10 above "
            f"{_e(money(odds['npv_p90'], cur))}.</p>"
        )
    caption = (
        '<p class="caption">Invested: money and study time at the start. Weeks at your pace. NPV over the horizon, '
        "in today's money. Recognition: the catalog's chance that employers reward it (under a move: that the move "
        "happens).</p>"
    )
    table = _table(headers, rows, wide=(3, 7), left=(0, 1))
    return f'<section id="top"><h2>Top choices</h2>{table}{caption}{sure}</section>'


def _plan_html(a: dict[str, Any], cur: str) -> str:
    plan = a["plan"]
    if plan is None:
        return '<section id="plan"><h2>The plan</h2><p>No plan fits these limits.</p></section>'
    rows = []
    total = 0.0
    for order, item in enumerate(plan["items"], 1):
        total += item["npv"]
        rows.append(
            [
                _td(order),
                _td(item["name"], left=True),
                _td(item["start_month"]),
                _td(number(item["study_weeks"], 1)),
                _money_cell(item["out_of_pocket"], cur),
                _money_cell(item["npv"], cur),
                _money_cell(total, cur),
            ]
        )
    headers = ["#", "Credential", "Start month", "Weeks", "Out of pocket", "NPV", "Cumulative"]
    return (
        f'<section id="plan"><h2>The plan</h2><p>{_e(plan["text"])}</p>{_table(headers, rows, wide=(2,), left=(1,))}'
        '<p class="caption">Studied one after another at your pace; each credential\'s NPV is its part of the '
        "plan's, from the plan's start.</p></section>"
    )


def _short(value: float, currency: str) -> str:
    if abs(value) >= 10_000:
        return money(value / 1000.0, currency) + "k"
    return money(value, currency)


def break_even_svg(lines: Sequence[dict[str, Any]], months: int, currency: str) -> str:
    """Cumulative net value of each line over the horizon, a zero line and axes, as inline SVG."""
    width, height = 720, 320
    left, right, top, bottom = 64, 16, 14, 40
    values = [float(v) for line in lines for v in line["values"] if is_finite(v)] + [0.0]
    lo, hi = min(values), max(values)
    if hi - lo <= 0:
        hi = lo + 1.0
    span_x = max(months, 1)

    def x(t: float) -> float:
        return left + (width - left - right) * t / span_x

    def y(v: float) -> float:
        return top + (height - top - bottom) * (hi - v) / (hi - lo)

    out = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="be-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="be-title">Cumulative net value over the horizon; a line crossing zero has paid back</title>',
    ]
    for tick in round_ticks(lo, hi):
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e3e7ec" />'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{_e(_short(tick, currency))}</text>'
        )
    years = max(1, round(months / 12))
    step = 1 if years <= 10 else math.ceil(years / 10)
    for yr in range(0, years + 1, step):
        out.append(
            f'<line x1="{x(12 * yr):.1f}" x2="{x(12 * yr):.1f}" y1="{height - bottom}" y2="{height - bottom + 5}" '
            f'stroke="#5b6470" /><text x="{x(12 * yr):.1f}" y="{height - bottom + 18}" text-anchor="middle">{yr}</text>'
        )
    out.append(
        f'<text x="{(left + width - right) / 2:.0f}" y="{height - 4}" text-anchor="middle">'
        "years from the start of study</text>"
    )
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#1b1f24" stroke-width="1.2" />'
    )
    for i, line in enumerate(lines):
        pts = " ".join(f"{x(t):.1f},{y(float(v)):.1f}" for t, v in enumerate(line["values"]) if is_finite(v))
        dash = LINE_DASHES[i % len(LINE_DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polyline points="{pts}" fill="none" stroke="{LINE_COLOURS[i % len(LINE_COLOURS)]}" '
            f'stroke-width="2.2"{dash_attr} />'
        )
    out.append("</svg>")
    return "".join(out)


def _legend(lines: Sequence[dict[str, Any]]) -> str:
    items = []
    for i, line in enumerate(lines):
        dash = LINE_DASHES[i % len(LINE_DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        swatch = (
            f'<svg viewBox="0 0 36 10" aria-hidden="true"><line x1="0" x2="36" y1="5" y2="5" '
            f'stroke="{LINE_COLOURS[i % len(LINE_COLOURS)]}" stroke-width="3"{dash_attr} /></svg>'
        )
        items.append(f"<li>{swatch} {_e(line['label'])}</li>")
    return f'<ul class="legend">{"".join(items)}</ul>'


def _chart_html(a: dict[str, Any], cur: str) -> str:
    chart = a["chart"]
    if not chart["lines"]:
        return ""
    return (
        '<section id="break-even"><h2>When it pays back</h2><figure>'
        f"{break_even_svg(chart['lines'], int(chart['months']), cur)}{_legend(chart['lines'])}"
        "<figcaption>Cumulative net value (undiscounted) month by month: the investment first, then the expected "
        "gain. Where a line crosses zero it has paid back.</figcaption></figure></section>"
    )


def tornado_svg(inputs: Sequence[dict[str, Any]], base: float, currency: str) -> str:
    """One bar per input from the NPV at its low end to the NPV at its high end, around today's NPV."""
    width, row, top, label_w = 720, 30, 26, 230
    height = top + row * len(inputs) + 28
    values = [float(v) for i in inputs for v in (i["npv_low"], i["npv_high"]) if is_finite(v)] + [base, 0.0]
    lo, hi = min(values), max(values)
    if hi - lo <= 0:
        hi = lo + 1.0
    plot_l, plot_r = label_w + 8, width - 16

    def x(v: float) -> float:
        return plot_l + (plot_r - plot_l) * (v - lo) / (hi - lo)

    out = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="tornado-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="tornado-title">NPV at the low and high end of each input, widest swing first</title>',
    ]
    for tick in round_ticks(lo, hi):
        out.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 6}" y2="{height - 24}" stroke="#e3e7ec" />'
            f'<text x="{x(tick):.1f}" y="{height - 8}" text-anchor="middle">{_e(_short(tick, currency))}</text>'
        )
    for k, inp in enumerate(inputs):
        yy = top + row * k
        low, high = float(inp["npv_low"]), float(inp["npv_high"])
        out.append(
            f'<text x="{label_w}" y="{yy + 13}" text-anchor="end">{_e(inp.get("label") or inp["input"])}</text>'
            f'<text x="{label_w}" y="{yy + 25}" text-anchor="end" style="fill:#5b6470;font-size:10px">'
            f"{_e(inp.get('range', ''))}</text>"
        )
        for end, colour in ((low, "#c0392b"), (high, "#1f5fa8")):
            a, b = sorted((x(base), x(end)))
            out.append(
                f'<rect x="{a:.1f}" y="{yy + 4}" width="{max(b - a, 1.0):.1f}" height="{row - 10}" fill="{colour}" '
                'fill-opacity="0.8" />'
            )
    out.append(
        f'<line x1="{x(base):.1f}" x2="{x(base):.1f}" y1="{top - 10}" y2="{height - 24}" stroke="#1b1f24" '
        'stroke-width="1.5" />'
        f'<text x="{x(base):.1f}" y="{top - 12}" text-anchor="middle">now {_e(money(base, currency))}</text>'
    )
    out.append("</svg>")
    return "".join(out)


def _tornado_html(a: dict[str, Any], cur: str) -> str:
    t = a["tornado"]
    if not t["inputs"] or not is_finite(t["npv"]):
        return ""
    return (
        f'<section id="tornado"><h2>What moves the NPV of {_e(t["name"])}</h2><figure>'
        f"{tornado_svg(t['inputs'], float(t['npv']), cur)}"
        "<figcaption>Each input moves alone over the range shown: red is the NPV at its low end, blue at its high "
        "end; the black line is today's NPV. Widest swing first.</figcaption></figure></section>"
    )


def _change_html(a: dict[str, Any]) -> str:
    items = "".join(f"<li>{_e(c['text'])}</li>" for c in a["change"])
    changes = f"<ul>{items}</ul>" if items else "<p>Nothing to change: no credential fits.</p>"
    lines = estimate_lines(a)
    if lines:
        items = "".join(f"<li><strong>{_e(name)}</strong>: {_e(text)}.</li>" for name, text in lines)
        est = f"<p>{_e(ESTIMATES_LEAD)}:</p><ul>{items}</ul>"
    else:
        est = f"<p>{_e(estimates_text(a))}</p>"
    return (
        f'<section id="change"><h2>What would change the answer</h2>{changes}'
        f"<h3>Which figures are estimates</h3>{est}</section>"
    )


def _sources_html(a: dict[str, Any]) -> str:
    blocks = []
    for entry in a["sources"]:
        items = []
        for s in entry["sources"]:
            grade = str(s["evidence"])
            supports = f" (for {', '.join(s['supports'])})" if s.get("supports") else ""
            items.append(
                f'<li><a href="{_e(s["url"])}">{_e(s["title"])}</a>, {_e(s["year"])} '
                f'<span class="grade {_e(grade)}">{_e(grade)}</span>{_e(supports)}</li>'
            )
        as_of = f" (figures checked {_e(entry['as_of'])})" if entry.get("as_of") else ""
        blocks.append(f"<h3>{_e(entry['name'])}{as_of}</h3><ul>{''.join(items) or '<li>no source listed</li>'}</ul>")
    grades = (
        '<p class="caption">Evidence grades, strongest first: issuer (the issuer\'s own figure), survey, '
        "employer-premium, holders-average, vendor-claim, estimate (the catalog's own estimate).</p>"
    )
    return f'<section id="sources" class="sources"><h2>Sources</h2>{grades}{"".join(blocks)}</section>'


def _assumptions_html(a: dict[str, Any]) -> str:
    items = "".join(f"<li>{_e(s)}</li>" for s in a["assumptions"])
    return f'<section id="assumptions"><h2>Assumptions</h2><ul>{items}</ul></section>'


# --- Markdown --------------------------------------------------------------------------------------


def _md(text: object) -> str:
    """Text safe inside a Markdown table cell or paragraph."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[object]], left: Sequence[int] = (0,)) -> list[str]:
    """A Markdown table; the ``left`` columns (text) align left, the others (numbers) right."""
    out = [
        "| " + " | ".join(_md(h) for h in headers) + " |",
        "|" + "|".join(":--" if i in left else "--:" for i in range(len(headers))) + "|",
    ]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def render_markdown(payload: dict[str, Any]) -> str:
    """The report as Markdown: the same sections, the charts as tables."""
    a = payload["advice"]
    cur = a["currency"]
    limits = a["limits"]
    out = [
        "# Which credential pays for you? A decision report",
        "",
        f"Made on {a['date']} by credroi {a['credroi_version']}. Money is in today's money (real terms).",
        "",
        "## You and your goal",
        "",
        f"- Goal: {_md(a['aim']['text'])}",
        f"- Profile: {_md(a['person'])}",
        f"- Budget: {money(limits['budget'], cur) + ' out of pocket' if limits['budget'] is not None else 'no limit'}",
        f"- Fields of interest: {', '.join(limits['fields']) or 'all'}",
        f"- Credentials that fit: {fit_text(a)}",
        "",
        "## The answer",
        "",
        *[f"{_md(s)}\n" for s in a["summary"] if s != a["verdict"]["text"]],
        "## Certification or micro-credential?",
        "",
        f"**{_md(a['verdict']['text'])}**",
        "",
    ]
    groups = a["verdict"].get("groups") or []
    if groups:
        out += _md_table(
            ["Kind", "Credentials", "Median investment", "Median NPV", "NPV > 0", "Best"],
            [
                [
                    g["group"],
                    g["count"],
                    money(g["median_investment"], cur),
                    money(g["median_npv"], cur),
                    percent(g["share_npv_positive"]),
                    g["best"],
                ]
                for g in groups
            ],
            left=(0, 5),
        )
    out += ["## Top choices", ""]
    out += (
        _md_table(
            ["Credential", "Kind", "Out of pocket", "Invested", "Weeks", "NPV", "Payback"],
            [
                [
                    r["name"],
                    KIND_SHORT.get(r["kind"], r["kind"]),
                    money(r["out_of_pocket"], cur),
                    money(r["investment"], cur),
                    number(r["study_weeks"], 1),
                    money(r["npv"], cur),
                    "never" if r["payback_months"] is None else f"{r['payback_months']} mo",
                ]
                for r in a["top"]
            ],
            left=(0, 1),
        )
        if a["top"]
        else ["No credential fits these answers.", ""]
    )
    plan = a["plan"]
    out += ["## The plan", ""]
    if plan is None:
        out += ["No plan fits these limits.", ""]
    else:
        out += [_md(plan["text"]), ""]
        out += _md_table(
            ["#", "Credential", "Start month", "Weeks", "Out of pocket", "NPV"],
            [
                [
                    i,
                    it["name"],
                    it["start_month"],
                    number(it["study_weeks"], 1),
                    money(it["out_of_pocket"], cur),
                    money(it["npv"], cur),
                ]
                for i, it in enumerate(plan["items"], 1)
            ],
            left=(1,),
        )
    chart = a["chart"]
    if chart["lines"]:
        out += ["## When it pays back", "", "Cumulative net value (undiscounted) at the end of each year:", ""]
        years = range(0, int(chart["months"]) // 12 + 1)
        out += _md_table(
            ["Line", *[f"year {y}" for y in years]],
            [
                [line["label"], *[money(line["values"][min(12 * y, len(line["values"]) - 1)], cur) for y in years]]
                for line in chart["lines"]
            ],
        )
    t = a["tornado"]
    if t["inputs"]:
        out += [f"## What moves the NPV of {_md(t['name'])} (now {money(t['npv'], cur)})", ""]
        out += _md_table(
            ["Input", "Low to high", "NPV low", "NPV high"],
            [
                [i.get("label") or i["input"], i.get("range", ""), money(i["npv_low"], cur), money(i["npv_high"], cur)]
                for i in t["inputs"]
            ],
            left=(0, 1),
        )
    out += ["## What would change the answer", ""]
    out += [f"- {_md(c['text'])}" for c in a["change"]] + [""]
    lines = estimate_lines(a)
    out += [f"{_md(ESTIMATES_LEAD)}:" if lines else _md(estimates_text(a)), ""]
    out += [f"- **{_md(name)}**: {_md(text)}." for name, text in lines]
    out += ["", "## Sources", ""]
    for entry in a["sources"]:
        as_of = f" (figures checked {entry['as_of']})" if entry.get("as_of") else ""
        out += [f"### {_md(entry['name'])}{as_of}", ""]
        for s in entry["sources"]:
            supports = f" (for {', '.join(s['supports'])})" if s.get("supports") else ""
            title = str(s["title"]).replace("[", "\\[").replace("]", "\\]")
            out.append(f"- [{_md(title)}](<{s['url']}>), {s['year']}, *{s['evidence']}*{_md(supports)}")
        out.append("")
    out += ["## Assumptions", ""] + [f"- {_md(s)}" for s in a["assumptions"]]
    out += ["", "---", "", f"credroi {a['credroi_version']}, {a['date']}.", ""]
    return "\n".join(out)
