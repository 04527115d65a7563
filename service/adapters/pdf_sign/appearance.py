"""How a signature looks in its block: qualité, name and date, in an embedded font.

pyHanko's own text stamps write with a standard font that is not embedded (PDF/A forbids it)
or shape text through HarfBuzz; the act's stamp already draws its box with reportlab and
Liberation Sans, embedded (pitfalls.md), so a signature's appearance is drawn the same way, as
a one-page PDF the size of its box, and handed to pyHanko as a static stamp. No transparency
and no border beyond a thin line: PDF/A-2b is kept.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils import layout
from pyhanko.stamp import StaticStampStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from service.adapters.pdf_stamp.fonts import register_font
from service.domain.paris import heure_de_paris

MAX_FONT_SIZE = 8.0
MIN_FONT_SIZE = 5.0
LINE_SPACING = 1.2
PADDING = 2.0
BORDER = 0.4


@dataclass(frozen=True)
class SignatureAppearance:
    """The three lines shown in a signature's box."""

    qualite: str
    nom: str
    signed_at: dt.datetime

    @property
    def lines(self) -> list[str]:
        # The time a French official reads: Paris, whatever zone the machine runs in.
        local = heure_de_paris(self.signed_at)
        return [
            self.qualite,
            f"Signé électroniquement par {self.nom}",
            f"le {local:%d/%m/%Y} à {local:%H:%M}",
        ]


def draw(appearance: SignatureAppearance, width: float, height: float,
         font_file: Path | None = None) -> bytes:
    """Return a one-page PDF of *width* × *height* points showing *appearance*, the text
    made smaller (down to 5 pt) until it fits."""
    font = register_font(font_file)
    lines = appearance.lines
    size = MAX_FONT_SIZE
    while size > MIN_FONT_SIZE and not _fits(lines, font, size, width, height):
        size -= 0.5
    buf = BytesIO()
    # initialFontName: without it the canvas names a non-embedded Helvetica (pitfalls.md).
    c = canvas.Canvas(buf, pagesize=(width, height), initialFontName=font,
                      initialFontSize=size)
    c.setStrokeColorRGB(0, 0, 0)
    c.setFillColorRGB(0, 0, 0)
    c.setLineWidth(BORDER)
    c.line(BORDER, BORDER, BORDER, height - BORDER)  # a thin rule on the left, as a seal
    c.setFont(font, size)
    ascent, _ = pdfmetrics.getAscentDescent(font, size)
    baseline = height - PADDING - ascent
    for text in lines:
        c.drawString(PADDING + 2 * BORDER + 1, baseline, text)
        baseline -= size * LINE_SPACING
    c.showPage()
    c.save()
    return buf.getvalue()


def _fits(lines: list[str], font: str, size: float, width: float, height: float) -> bool:
    ascent, descent = pdfmetrics.getAscentDescent(font, size)
    needed_h = ascent - descent + (len(lines) - 1) * size * LINE_SPACING + 2 * PADDING
    needed_w = max(pdfmetrics.stringWidth(t, font, size) for t in lines) + 2 * PADDING + 3
    return needed_w <= width and needed_h <= height


class StampStyleFile:
    """A pyHanko static stamp style drawing *pdf*, kept in a temporary file while in use
    (pyHanko imports a stamp's page from a file name)."""

    def __init__(self, pdf: bytes) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="actes-signature-")
        path = Path(self._dir.name) / "apparence.pdf"
        path.write_bytes(pdf)
        # Drawn at the box's own size: placed as it is, without pyHanko's default margins.
        self.style = StaticStampStyle.from_pdf_file(
            str(path), border_width=0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MIN,
                margins=layout.Margins(0, 0, 0, 0)),
        )

    def __enter__(self) -> StaticStampStyle:
        return self.style

    def __exit__(self, *exc: object) -> None:
        self._dir.cleanup()
