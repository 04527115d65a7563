"""The :class:`~service.services.ports.PdfStamper` port: a reportlab overlay placed by pikepdf.

reportlab draws the box and its lines on a one-page PDF the size of the box, with an embedded
TrueType font (PDF/A forbids any other). pikepdf (qpdf) adds the box as a form XObject drawn
after the page's own content, through a matrix that places it in the chosen corner of the page
*as displayed* (crop box origin and ``/Rotate`` taken into account), and writes the file with
its catalogue, XMP, output intent and first ID untouched, so a PDF/A input stays PDF/A. qpdf
copies the act's objects as they are; pypdf re-serialised every one (fonts included), five
times slower.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pikepdf
from pypdf import Transformation
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from service.adapters.pdf_stamp.fonts import register_font
from service.adapters.pdf_stamp.style import StampStyle
from service.domain.mention import MentionPrefecture, lignes_mention
from service.errors import StampError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreparedStamp:
    """The box of one mention, drawn and ready to be placed on a PDF (see :meth:`prepare`)."""

    lines: tuple[str, ...]
    overlay: bytes
    """A one-page PDF exactly the size of the box."""
    drawn_by: tuple[StampStyle, Path | None]
    """The style and font it was drawn with."""


class PikepdfStamper:
    """Draw the prefecture's mention in a thin box on a PDF, leaving every font embedded.

    *font_file* is a TrueType font to write with; by default Liberation Sans, found on the
    system (see :func:`~service.adapters.pdf_stamp.fonts.find_liberation_sans`).
    """

    def __init__(self, style: StampStyle | None = None, *, font_file: str | Path | None = None):
        self.style = style or StampStyle()
        self.font_file = Path(font_file) if font_file is not None else None

    @property
    def _drawn_by(self) -> tuple[StampStyle, Path | None]:
        return (self.style, self.font_file)

    def prepare(self, mention: MentionPrefecture) -> PreparedStamp:
        """Draw the box of *mention*, which needs no PDF: a caller can do it while the PDF is
        still being converted, and hand the result to :meth:`stamp`.

        :raises StampError: when the mention has no date or the font is missing.
        """
        if not mention.is_known:
            raise StampError(
                f"La mention préfectorale de {mention.identifiant} n'a ni date d'envoi ni date "
                "de réception : il n'y a rien à apposer."
            )
        font = register_font(self.font_file)
        lines = tuple(lignes_mention(mention, self.style.kind))
        return PreparedStamp(lines, self._overlay(list(lines), font), self._drawn_by)

    def stamp(
        self, pdf: bytes, mention: MentionPrefecture, prepared: PreparedStamp | None = None
    ) -> bytes:
        """Return a copy of *pdf* with *mention* drawn on it; *pdf* itself is not modified.

        *prepared*, from :meth:`prepare`, spares drawing the box again; one drawn for other
        lines, or by a stamper with another style or font, is ignored.

        :raises StampError: when the mention has no date, the font is missing, or *pdf* is
            not a readable, unencrypted PDF.
        """
        if (
            prepared is None
            or prepared.drawn_by != self._drawn_by
            or prepared.lines != tuple(lignes_mention(mention, self.style.kind))
        ):
            prepared = self.prepare(mention)
        _check_header(pdf)
        # qpdf reads a Python file object through one callback per small read, which costs
        # more than the whole stamp for a 150 kB act (5 ms against 2 ms for a file): the PDF
        # goes through a private temporary folder instead.
        try:
            return self._stamp_through_files(pdf, mention, prepared)
        except OSError as exc:  # no room, or no right, in the temporary folder
            log.error("stamping %s: temporary folder unusable: %r", mention.identifiant, exc)
            raise StampError(
                f"La mention préfectorale de {mention.identifiant} n'a pas pu être apposée : "
                "le dossier temporaire du service est plein ou inaccessible."
            ) from exc

    def _stamp_through_files(
        self, pdf: bytes, mention: MentionPrefecture, prepared: PreparedStamp
    ) -> bytes:
        with tempfile.TemporaryDirectory(prefix="actes-tampon-") as work:
            source, target = Path(work) / "acte.pdf", Path(work) / "tamponne.pdf"
            source.write_bytes(pdf)
            try:
                with _open(source) as doc, pikepdf.open(BytesIO(prepared.overlay)) as box:
                    self._place(doc, box)
                    # Keep the XMP as it is: it carries the PDF/A identification.
                    doc.save(target, fix_metadata_version=False)
            except (pikepdf.PdfError, KeyError, ValueError, TypeError) as exc:
                # qpdf meets broken objects lazily, while reading the page tree or writing.
                log.warning("stamping %s failed: %r", mention.identifiant, exc)
                raise StampError(
                    f"Le PDF de {mention.identifiant} est endommagé : la mention préfectorale "
                    "ne peut pas y être apposée."
                ) from exc
            return target.read_bytes()

    def _place(self, doc: pikepdf.Pdf, box: pikepdf.Pdf) -> None:
        """Draw the one page of *box* over the first page of *doc*, or over every page."""
        size = _Box.of(box.pages[0])
        form = doc.copy_foreign(box.pages[0].as_form_xobject())
        pages = list(doc.pages) if self.style.every_page else [doc.pages[0]]
        for page in pages:
            matrix = self._placement(_Box.of(page), size).ctm
            _own_resources(page)
            name = page.add_resource(form, pikepdf.Name.XObject, prefix="Tampon")
            # Wrap the page's own content so a graphics state it leaves changed cannot
            # move or recolour the stamp drawn after it.
            page.contents_add(b"q\n", prepend=True)
            cm = " ".join(f"{v:.6f}" for v in matrix)
            page.contents_add(f"\nQ\nq {cm} cm {name} Do Q\n".encode("ascii"))

    def _overlay(self, lines: list[str], font: str) -> bytes:
        """Return a one-page PDF exactly the size of the box, with its border and *lines*."""
        s = self.style
        ascent, descent = pdfmetrics.getAscentDescent(font, s.font_size)
        inset = s.border_width + s.padding
        width = max(pdfmetrics.stringWidth(t, font, s.font_size) for t in lines) + 2 * inset
        height = ascent - descent + (len(lines) - 1) * s.leading + 2 * inset

        buf = BytesIO()
        # initialFontName: without it the canvas names a non-embedded Helvetica (pitfalls.md).
        c = canvas.Canvas(
            buf, pagesize=(width, height), initialFontName=font, initialFontSize=s.font_size
        )
        # RGB, matching the sRGB output intent LibreOffice writes into PDF/A files.
        c.setStrokeColorRGB(0, 0, 0)
        c.setFillColorRGB(0, 0, 0)
        c.setLineWidth(s.border_width)
        # The stroke is centred on the path: inset it by half a width so none is clipped.
        half = s.border_width / 2
        c.rect(half, half, width - s.border_width, height - s.border_width, stroke=1, fill=0)
        c.setFont(font, s.font_size)
        baseline = height - inset - ascent
        for text in lines:
            c.drawString(inset, baseline, text)
            baseline -= s.leading
        c.showPage()
        c.save()
        return buf.getvalue()

    def _placement(self, page: _Box, overlay: _Box) -> Transformation:
        """Return the matrix taking the overlay to its corner of *page* as it is displayed."""
        s = self.style
        left, bottom, right, top = page.left, page.bottom, page.right, page.top
        w, h = right - left, top - bottom
        rotation = page.rotation % 360
        if rotation not in (0, 90, 180, 270):
            raise StampError(f"Rotation de page invalide ({page.rotation}) : tampon impossible.")
        shown_w, shown_h = (h, w) if rotation in (90, 270) else (w, h)

        box_w, box_h = overlay.right - overlay.left, overlay.top - overlay.bottom
        x = shown_w - s.margin_x - box_w if s.position.endswith("right") else s.margin_x
        y = shown_h - s.margin_y - box_h if s.position.startswith("top") else s.margin_y
        # A page narrower than the box: keep the box's start on the page rather than off it.
        x, y = max(x, 0.0), max(y, 0.0)

        # /Rotate n turns the displayed page n degrees clockwise; turning the overlay n degrees
        # counter-clockwise about the origin, then shifting it, lands it upright on screen.
        t = Transformation().translate(x, y)
        if rotation == 0:
            return t.translate(left, bottom)
        if rotation == 90:
            return t.rotate(90).translate(left + w, bottom)
        if rotation == 180:
            return t.rotate(180).translate(left + w, bottom + h)
        return t.rotate(270).translate(left, bottom + h)


@dataclass(frozen=True)
class _Box:
    """A page's visible box (crop box, else media box) and its ``/Rotate``, inherited or not."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    @classmethod
    def of(cls, page: pikepdf.Page) -> _Box:
        box = _inherited(page.obj, "/CropBox") or _inherited(page.obj, "/MediaBox")
        if box is None:
            raise ValueError("page sans /MediaBox")
        x0, y0, x1, y1 = (float(v) for v in box)
        rotate = _inherited(page.obj, "/Rotate")
        return cls(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), int(rotate or 0))


def _own_resources(page: pikepdf.Page) -> None:
    """Give *page* a /Resources of its own when it inherits its parent's, so that adding the
    stamp's XObject to it keeps the fonts and images the page's text uses."""
    if "/Resources" not in page.obj:
        inherited = _inherited(page.obj, "/Resources")
        page.obj.Resources = pikepdf.Dictionary(inherited) if inherited is not None else (
            pikepdf.Dictionary())


def _inherited(node: pikepdf.Object, key: str) -> pikepdf.Object | None:
    """Return *key* of a page, or of the nearest page-tree node above it that has it.

    /CropBox, /MediaBox and /Rotate are inheritable (ISO 32000-1, 7.7.3.4).
    """
    for _ in range(64):  # a page tree deeper than this is a loop in a hostile file
        if node is None:
            return None
        value = node.get(key)
        if value is not None:
            return value
        node = node.get("/Parent")
    raise ValueError("arbre des pages trop profond ou cyclique")


def _check_header(pdf: bytes) -> None:
    """:raises StampError: when *pdf* does not even start like a PDF."""
    # The header may follow some junk, within the first 1024 bytes (ISO 32000-1, 7.5.2 note).
    if not isinstance(pdf, bytes | bytearray) or b"%PDF-" not in pdf[:1024]:
        raise StampError("Le document à tamponner n'est pas un PDF.")


def _open(path: Path) -> pikepdf.Pdf:
    """Return the PDF at *path* opened by qpdf, with at least one page.

    :raises StampError: when it is not a PDF, is encrypted or has no page.
    """
    try:
        # Inherited page attributes are read where they are (_inherited) rather than copied
        # into every page first, which took 1.8 of the 2 ms an open cost.
        doc = pikepdf.open(path, inherit_page_attributes=False)
    except pikepdf.PasswordError as exc:
        raise StampError(
            "Le PDF est chiffré : la mention préfectorale ne peut pas y être apposée "
            "(un PDF/A ne peut pas être chiffré)."
        ) from exc
    except pikepdf.PdfError as exc:
        raise StampError(
            "Le PDF est illisible : la mention préfectorale ne peut pas y être apposée."
        ) from exc
    if doc.is_encrypted:
        doc.close()
        raise StampError(
            "Le PDF est chiffré : la mention préfectorale ne peut pas y être apposée "
            "(un PDF/A ne peut pas être chiffré)."
        )
    if len(doc.pages) == 0:
        doc.close()
        raise StampError(
            "Le PDF n'a aucune page : la mention préfectorale ne peut pas y être apposée."
        )
    return doc
