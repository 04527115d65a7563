"""Where each signature goes: the blank space of its block in the act, found by its text.

The default template prints, from 1 July 2022, a two-column table: « Le Président, » over
three blank lines over the président's name, and beside it « La Secrétaire de séance, » over
the secretaries' names (templates_actes/build_templates.py). The names are the anchors: the
first line, from the end of the act backwards, that holds the président's name and the first
secretary's side by side is the table's row of names; the line above it in each column is the
heading. A signature is drawn in the blank between the two. With two secretaries, their
column's blank is shared side by side.

pypdf reads the words and where each is drawn (its text and current matrices); the PDF is not
changed. An authority's own template that prints no such row leaves every signature without a
place: it is then invisible, and the answer says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader
from pypdf.errors import PyPdfError

GAP = 2.0
"""Points left free between a signature's box and the text above and below it."""
MIN_HEIGHT = 18.0
"""A blank lower than this (two small lines) cannot hold a readable signature."""
PAGES_SEARCHED = 4
"""The blocks close the act: only its last pages are read."""

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Placement:
    """Where one signature is drawn: page index and box ``(x0, y0, x1, y1)`` in points."""

    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class _Word:
    x0: float
    x1: float
    baseline: float
    size: float
    text: str


@dataclass(frozen=True)
class _Line:
    baseline: float
    size: float
    words: tuple[_Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def span(self, start: int, count: int) -> tuple[float, float]:
        return self.words[start].x0, self.words[start + count - 1].x1


def locate(pdf: bytes, names: Sequence[str]) -> list[Placement | None]:
    """Return the place of the signature of each of *names* (président first, then the
    secretaries), ``None`` for one whose block is not found."""
    if not names:
        return []
    try:
        reader = PdfReader(BytesIO(pdf))
        count = len(reader.pages)
        for index in range(count - 1, max(count - 1 - PAGES_SEARCHED, -1), -1):
            page = reader.pages[index]
            found = _on_page(_lines(page), names, float(page.mediabox.right))
            if found is not None:
                return [None if box is None else Placement(index, box) for box in found]
    except (PyPdfError, ValueError, KeyError, TypeError, ZeroDivisionError):
        pass  # unreadable text: the signatures are still made, invisible
    return [None] * len(names)


def _on_page(lines: list[_Line], names: Sequence[str], page_right: float
             ) -> list[tuple[float, float, float, float] | None] | None:
    """Return the boxes of *names* on a page whose *lines* hold their row, else ``None``."""
    president, secretaires = _norm(names[0]), [_norm(n) for n in names[1:]]
    for i, line in enumerate(lines):
        left = _find(line, president)
        if left is None:
            continue
        right = _find(line, secretaires[0]) if secretaires else None
        if secretaires and (right is None or right[0] <= left[0]):
            continue
        heading = lines[i - 1] if i > 0 else None
        if heading is None:
            continue
        top = heading.baseline - 0.25 * heading.size - GAP
        bottom = line.baseline + 0.95 * line.size + GAP
        if top - bottom < MIN_HEIGHT:
            continue
        x_left = line.words[left[0]].x0
        if right is None:
            return [(x_left, bottom, min(x_left + 230.0, page_right - x_left), top)]
        x_right = line.words[right[0]].x0
        boxes: list[tuple[float, float, float, float] | None] = [
            (x_left, bottom, x_right - 8.0, top)]
        width = (page_right - x_left - x_right) / len(secretaires)
        for k in range(len(secretaires)):
            x0 = x_right + k * width
            boxes.append((x0, bottom, x0 + width - 4.0, top))
        return boxes
    return None


def _find(line: _Line, name: str) -> tuple[int, int] | None:
    """Return ``(first word, number of words)`` of *name* in *line*, or ``None``."""
    wanted = name.split(" ")
    n = len(wanted)
    texts = [w.text for w in line.words]
    for start in range(len(texts) - n + 1):
        if texts[start:start + n] == wanted:
            return start, n
    return None


def _norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _lines(page) -> list[_Line]:
    """Return the page's lines from top to bottom, each with its words from left to right."""
    words: list[_Word] = []

    def visit(text: str, cm, tm, font, size) -> None:
        if not text.strip():
            return
        # The text matrix is in the current matrix's space: the drawing point is tm × cm.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[0] * cm[0]) or 1.0
        points = size * scale
        # A chunk may hold several words: split them, spreading its width evenly enough
        # for the columns to be told apart.
        parts = text.split()
        step = points * 0.5
        for part in parts:
            words.append(_Word(x, x + step * len(part), y, points, part))
            x += step * (len(part) + 1)

    page.extract_text(visitor_text=visit)
    rows: dict[float, list[_Word]] = {}
    for word in words:
        key = round(word.baseline, 0)
        rows.setdefault(key, []).append(word)
    return [
        _Line(baseline, max(w.size for w in row), tuple(sorted(row, key=lambda w: w.x0)))
        for baseline, row in sorted(rows.items(), key=lambda item: -item[0])
    ]
