"""`credroi report`: one self-contained HTML page (or Markdown) of the advice, checked as HTML and in a real browser."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import Runner
from .test_advise import CATALOG, SWITCH

EPOCH = {"SOURCE_DATE_EPOCH": "1795000000"}  # 2026-11-18: the same date in every run


@pytest.fixture
def cat(tmp_path: Path) -> str:
    path = tmp_path / "advise.yaml"
    path.write_text(CATALOG, encoding="utf-8")
    return str(path)


def _html(run: Runner, cat: str, tmp_path: Path, *args: str) -> str:
    out = tmp_path / "report.html"
    r = run("report", *SWITCH, "--budget", "1500", "--catalog", cat, "--output", str(out), *args, env=EPOCH)
    assert r.code == 0, r.err
    assert r.out == ""
    assert f"wrote {out}" in r.err
    return out.read_text(encoding="utf-8")


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Checker(HTMLParser):
    """Balanced tags, no scripts or external resources, and where each URL in src/href sits."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.section: str | None = None
        self.urls: list[tuple[str | None, str]] = []
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        if tag == "section":
            self.section = values.get("id")
        for name in ("src", "href", "xlink:href", "action", "srcset", "poster"):
            if values.get(name):
                self.urls.append((self.section, values[name] or ""))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)  # <line ... /> in SVG: opened and closed at once

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            return
        self.stack.pop()
        if tag == "section":
            self.section = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_is_well_formed_and_reaches_nothing_outside_but_its_sources(
    run: Runner, cat: str, tmp_path: Path
) -> None:
    """Every tag closes in order; no script, stylesheet link or image; http(s) URLs only in the sources list."""
    html = _html(run, cat, tmp_path)
    assert html.startswith("<!DOCTYPE html>")
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert checker.problems == []
    assert checker.stack == []
    assert not checker.tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert "svg" in checker.tags
    assert "style" in checker.tags
    assert "url(" not in html
    assert "@import" not in html
    outside = [(where, url) for where, url in checker.urls if where != "sources"]
    assert outside == []
    inside = {url for where, url in checker.urls if where == "sources"}
    assert {"https://acme.example/exam", "https://bigco.example/survey", "https://www.bls.gov/oes/"} <= inside
    text = " ".join(" ".join(checker.text).split())
    for needed in (
        "Verdict: for this profile",
        "Helpdesk Cert",
        "Top choices",
        "The plan",
        "When it pays back",
        "What moves the NPV of Helpdesk Cert",
        "raises your chance of landing the role by at least",
        "Which figures are estimates",
        "Assumptions",
        "2026-11-18",
        "credroi ",
        "issuer",
        "estimate",
    ):
        assert needed in text, needed
    assert "@media print" in html
    assert "@media (max-width" in html
    assert "viewport" in html


def test_a_report_from_saved_advice_is_the_same_report(run: Runner, cat: str, tmp_path: Path) -> None:
    """--from-advice with advise's JSON renders exactly the report the same options render."""
    advice = tmp_path / "advice.json"
    r = run("advise", *SWITCH, "--budget", "1500", "--catalog", cat, "--format", "json", env=EPOCH)
    advice.write_text(r.out, encoding="utf-8")
    direct = _html(run, cat, tmp_path)
    out = tmp_path / "again.html"
    again = run("report", "--from-advice", str(advice), "--output", str(out), env=EPOCH)
    assert again.code == 0, again.err
    assert out.read_text(encoding="utf-8") == direct
    piped = run("report", "--from-advice", "-", "--format", "md", stdin=r.out, env=EPOCH)
    assert piped.code == 0, piped.err
    assert piped.out.startswith("# Which credential pays for you?")


def test_the_markdown_variant_has_every_section(run: Runner, cat: str) -> None:
    """--format md: the same sections, the charts as tables, sources as links with grade and year."""
    r = run("report", *SWITCH, "--catalog", cat, "--format", "md", env=EPOCH)
    assert r.code == 0, r.err
    md = r.out
    for heading in (
        "## You and your goal",
        "## The answer",
        "## Certification or micro-credential?",
        "## Top choices",
        "## The plan",
        "## When it pays back",
        "## What moves the NPV of Helpdesk Cert",
        "## What would change the answer",
        "## Sources",
        "## Assumptions",
    ):
        assert heading in md
    assert "- [Acme exam page](<https://acme.example/exam>), 2026, *issuer*" in md
    assert "credroi " in md
    assert "2026-11-18" in md


def test_from_advice_refuses_other_files_and_extra_answers(run: Runner, cat: str, tmp_path: Path) -> None:
    """A file that is not advise's JSON is bad data (exit 1); profile options beside --from-advice are exit 2."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"profile": {}}', encoding="utf-8")
    r = run("report", "--from-advice", str(bad), "--format", "md")
    assert r.code == 1
    assert "not the JSON of `credroi advise`" in r.err
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert run("report", "--from-advice", str(broken), "--format", "md").code == 1
    cut = tmp_path / "cut.json"
    cut.write_text(json.dumps({"advice": {"format": "credroi-advice/1"}}), encoding="utf-8")
    r = run("report", "--from-advice", str(cut), "--format", "md")
    assert r.code == 1
    assert "not a complete advice file" in r.err
    r = run("report", "--from-advice", str(bad), "--salary", "5")
    assert r.code == 2
    assert "leave out --salary" in r.err


def test_report_needs_the_same_answers_as_advise(run: Runner, cat: str) -> None:
    """Off a terminal a missing --goal is exit 2 naming it."""
    r = run("report", "--salary", "50000", "--catalog", cat)
    assert r.code == 2
    assert "missing option --goal" in r.err


def test_the_output_is_never_half_written(
    run: Runner, cat: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails leaves the old file as it was and no temporary file behind."""
    out = tmp_path / "report.html"
    out.write_text("the old report", encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("credroi.report.os.fsync", full_disk)
    r = run("report", *SWITCH, "--catalog", cat, "--output", str(out))
    assert r.code == 74  # the environment failed, as a full disk does everywhere
    assert "No space left on device" in r.err
    assert out.read_text(encoding="utf-8") == "the old report"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    missing = run("report", *SWITCH, "--catalog", cat, "--output", str(tmp_path / "no" / "such" / "dir.html"))
    assert missing.code == 74
    assert not (tmp_path / "no").exists()
    absent = run("report", "--from-advice", str(tmp_path / "absent.json"), "--format", "md")
    assert absent.code == 74
    assert "cannot read" in absent.err


# --- in a real browser ------------------------------------------------------------------------------

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no headless Chromium here: install it with `apt-get install -y chromium` "
        "(bash .ci/run installs it where it can)"
    )


def _chromium(browser: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--mute-audio"]
    env = {**os.environ, "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run([browser, *flags, *args], capture_output=True, timeout=120, check=False, env=env)


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit RGB(A) PNG (what Chromium writes), with the filters undone."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = data
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, interlace) == (8, 0)
    assert colour in (2, 6), colour  # RGB or RGBA
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        filt, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + a) & 0xFF
            elif filt == 2:
                line[i] = (line[i] + b) & 0xFF
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(b"".join(bytes(line[j : j + 3]) for j in range(0, stride, bpp)))  # RGB, alpha dropped
        prev = line
    return width, height, rows


def _ink(rows: list[bytes]) -> tuple[float, int]:
    """The share of pixels that are not near-white, and how many distinct colours there are (sampled)."""
    dark = total = 0
    colours: set[bytes] = set()
    for row in rows[::4]:
        for j in range(0, len(row), 12):
            px = row[j : j + 3]
            total += 1
            colours.add(px)
            if min(px) < 200:
                dark += 1
    return dark / max(total, 1), len(colours)


@pytest.mark.parametrize(("width", "height"), [(1000, 1400), (390, 1400)])
def test_chromium_renders_the_report_with_its_verdict(
    run: Runner, cat: str, tmp_path: Path, width: int, height: int
) -> None:
    """Headless Chromium draws the page (desktop and phone width): the screenshot has ink, the verdict is on it."""
    browser = _browser()
    _html(run, cat, tmp_path)
    page = (tmp_path / "report.html").as_uri()
    shot = tmp_path / f"shot-{width}.png"
    done = _chromium(browser, f"--window-size={width},{height}", f"--screenshot={shot}", page)
    assert shot.exists(), done.stderr.decode(errors="replace")[-2000:]
    w, h, rows = _pixels(shot.read_bytes())
    assert (w, h) == (width, height)
    ink, colours = _ink(rows)
    assert ink > 0.02, ink  # text, tables and charts, not a blank page
    assert colours > 8, colours
    dom = _chromium(browser, "--dump-dom", page)
    text = " ".join(dom.stdout.decode("utf-8", errors="replace").split())
    assert "Verdict: for this profile" in text
    assert "<svg" in text


def test_chromium_prints_the_report(run: Runner, cat: str, tmp_path: Path) -> None:
    """Printing to PDF (the print stylesheet) gives a document of a few pages, not an empty one."""
    browser = _browser()
    _html(run, cat, tmp_path)
    pdf = tmp_path / "report.pdf"
    done = _chromium(browser, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", (tmp_path / "report.html").as_uri())
    assert pdf.exists(), done.stderr.decode(errors="replace")[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 20_000
