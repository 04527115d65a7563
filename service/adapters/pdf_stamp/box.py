"""The stamp's box: a thin border and the mention's lines, as the content of a form XObject.

Drawing the box with a reportlab ``Canvas`` for every mention meant making a new subset of
Liberation Sans, compressing it, writing a whole one-page PDF, then having pyHanko parse that
PDF again to copy its objects: 4.3 ms of CPU per act, nearly all of it for the font, which is
the same for every act. So the font is embedded once per process, as a reportlab subset of a
fixed character set (:data:`CHARSET`: every letter, digit and sign a mention is written with),
from a one-page "carrier" PDF that reportlab draws and pyHanko parses once; each mention then
only needs its box's content stream, written here from the subset's codes.

PDF/A (ISO 19005-2, 6.2.11.4) wants the embedded program to hold every glyph a page uses; a
subset with more glyphs than one stamp shows is allowed. A mention with a character outside
:data:`CHARSET` gets a subset of its own, made for it alone, as before.

The content stream is hand-written because reportlab writes text only into whole documents
(its ``PDFTextObject`` needs a live ``Canvas``, whose subsets are made anew at each save); it
is six operators, formatted with reportlab's own number formatter and string escaping.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from service.adapters.pdf_stamp.fonts import register_font
from service.adapters.pdf_stamp.style import StampStyle

CHARSET = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»–—’‘“”°€…\u00a0\u202f"
)
"""The characters the font embedded once per process can write: printable ASCII and French
letters and signs (144 glyphs, one reportlab subset of at most 256)."""

_CARRIER_FONT_SIZE = 8


@dataclass(frozen=True)
class FontKit:
    """The stamp's font, embedded once: what a box's content needs to write with it."""

    name: str
    """reportlab's name of the registered TrueType font (for text widths)."""
    resource: str
    """The name a content stream calls the font by, e.g. ``/F1+0``."""
    codes: Mapping[str, int]
    """Each character of the subset and its one-byte code in it."""
    font: generic.IndirectObject
    """The subset's font dictionary in the carrier PDF, every object under it already
    parsed, so that importing it into a writer only copies."""


@dataclass(frozen=True)
class Box:
    """One mention's box: its size, and its content written with *kit*'s font."""

    width: float
    height: float
    content: bytes
    kit: FontKit


_lock = threading.Lock()
_kits: dict[str, FontKit] = {}


def font_kit(font_file: Path | None, chars: str = "") -> FontKit:
    """Return the font kit of *font_file* (Liberation Sans by default) holding :data:`CHARSET`
    and *chars*: the one made once per process when *chars* adds nothing to it, a new one
    otherwise.

    :raises StampError: when the font is missing or unreadable.
    """
    name = register_font(font_file)
    extra = "".join(sorted(set(chars) - set(CHARSET)))
    if extra:
        with _lock:  # reportlab's per-document font state is not meant for threads
            return _make_kit(name, CHARSET + extra)
    with _lock:
        kit = _kits.get(name)
        if kit is None:
            kit = _kits[name] = _make_kit(name, CHARSET)
        return kit


def draw_box(lines: list[str], style: StampStyle, kit: FontKit) -> Box:
    """Return the box of *lines* in *style*, written with *kit*'s font: border inset by half
    its width (a stroke is centred on its path), then the lines from the top, each starting
    after the padding.

    *kit* must hold every character of *lines* (see :func:`font_kit`).
    """
    size, bw = style.font_size, style.border_width
    ascent, descent = pdfmetrics.getAscentDescent(kit.name, size)
    inset = bw + style.padding
    width = max(pdfmetrics.stringWidth(t, kit.name, size) for t in lines) + 2 * inset
    height = ascent - descent + (len(lines) - 1) * style.leading + 2 * inset
    half = bw / 2
    # RGB, matching the sRGB output intent LibreOffice writes into PDF/A files.
    ops = [
        "q 0 0 0 RG 0 0 0 rg",
        f"{fp_str(bw)} w {fp_str(half, half, width - bw, height - bw)} re S",
        f"BT {kit.resource} {fp_str(size)} Tf",
    ]
    baseline = height - inset - ascent
    for text in lines:
        encoded = bytes(kit.codes[ch] for ch in text)
        ops.append(f"1 0 0 1 {fp_str(inset, baseline)} Tm ({escapePDF(encoded)}) Tj")
        baseline -= style.leading
    ops.append("ET Q")
    return Box(width, height, "\n".join(ops).encode("latin-1"), kit)


def _make_kit(name: str, charset: str) -> FontKit:
    """Draw *charset* on a carrier PDF with reportlab and keep its parsed font resource.

    The carrier page is never shown: only its ``/Font`` dictionary is copied into stamps.
    """
    buf = BytesIO()
    # initialFontName: without it the canvas names a non-embedded Helvetica (pitfalls.md).
    c = canvas.Canvas(buf, pagesize=(10, 10), initialFontName=name,
                      initialFontSize=_CARRIER_FONT_SIZE)
    font = pdfmetrics.getFont(name)
    # reportlab's documented way of encoding for a dynamic font: the codes the subset assigns.
    chunks = font.splitString(charset, c._doc)
    if len(chunks) != 1 or len(chunks[0][1]) != len(charset):
        raise ValueError(f"{len(charset)} caractères ne tiennent pas dans un sous-ensemble")
    subset, encoded = chunks[0]
    resource = font.getSubsetInternalName(subset, c._doc)
    c.setFont(name, _CARRIER_FONT_SIZE)
    c.drawString(0, 0, charset)
    c.showPage()
    c.save()

    reader = PdfFileReader(BytesIO(buf.getvalue()))
    fonts = reader.root["/Pages"]["/Kids"][0]["/Resources"]["/Font"]
    if not isinstance(fonts, generic.DictionaryObject) or resource not in fonts:
        raise ValueError(f"la police {resource} manque au PDF porteur")
    font_ref = fonts.raw_get(resource)
    if not isinstance(font_ref, generic.IndirectObject):
        raise ValueError(f"la police {resource} du PDF porteur n'est pas un objet indirect")
    _parse_all(font_ref)
    return FontKit(name, resource, dict(zip(charset, encoded, strict=True)), font_ref)


def _parse_all(root: generic.PdfObject) -> None:
    """Resolve every indirect object under *root*: the reader keeps what it parsed, so later
    copies (from any thread) only read its cache."""
    seen: set[int] = set()
    todo: list[generic.PdfObject] = [root]
    while todo:
        item = todo.pop()
        if isinstance(item, generic.IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, generic.DictionaryObject):  # streams too
            todo += [v for k, v in item.items() if k != "/Parent"]
        elif isinstance(item, generic.ArrayObject):
            todo += list(item)
