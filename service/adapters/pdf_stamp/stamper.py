"""The :class:`~service.services.ports.PdfStamper` port: the mention as an annotation, appended.

:mod:`.box` draws the box and its lines as the content of a form XObject, in a TrueType font
embedded once per process (PDF/A forbids any other). pyHanko, reading the act through
:mod:`.reading`, then appends one *incremental update* to it: that form XObject and its font,
one ``/Stamp`` annotation per stamped page whose appearance draws it upright in the chosen
corner of the page *as displayed* (crop box origin and ``/Rotate`` taken into account), and
the page's ``/Annots`` extended with it. Nothing written before is rewritten: the act's bytes
stay a prefix of the stamped file, its catalogue, XMP, output intent and first ID stay as they
were, so a PDF/A input stays PDF/A, and a signed act keeps every signature valid (the
signatures' validator accepts exactly this kind of change: see
:mod:`service.adapters.pdf_sign.stamp_rule`).

One path serves signed and unsigned acts alike (issue 18, and issue 20's wish for incremental
stamps): appending a few objects costs less than rewriting the act, which is what qpdf did.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import Transformation

from service.adapters.pdf_stamp.box import Box, draw_box, font_kit
from service.adapters.pdf_stamp.reading import ActReader
from service.adapters.pdf_stamp.style import StampStyle
from service.domain.errors import StampError
from service.domain.mention import MentionPrefecture, lignes_mention

log = logging.getLogger(__name__)

ANNOTATION_PRINT = 4
"""``/F`` of the stamp: printed (PDF/A wants it), never hidden (ISO 32000-1, 12.5.3)."""
ANNOTATION_NAME_PREFIX = "actes-tampon-"
"""Start of the ``/NM`` of each stamp annotation, so that a reader can tell ours apart."""


@dataclass(frozen=True)
class PreparedStamp:
    """The box of one mention, drawn and ready to be placed on a PDF (see :meth:`prepare`)."""

    lines: tuple[str, ...]
    drawn_by: tuple[StampStyle, Path | None]
    """The style and font it was drawn with."""
    box: Box = field(compare=False, repr=False)
    """The box's size and content, and the font it is written in."""


class IncrementalStamper:
    """Add the prefecture's mention in a thin box to a PDF, as an appended annotation.

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
        lines = tuple(lignes_mention(mention, self.style.kind))
        kit = font_kit(self.font_file, "".join(lines))
        return PreparedStamp(lines, self._drawn_by, draw_box(list(lines), self.style, kit))

    def stamp(self, pdf: bytes, mention: MentionPrefecture, prepared: object = None) -> bytes:
        """Return *pdf* followed by an incremental update that adds *mention*; *pdf* itself is
        not modified, and is the first ``len(pdf)`` bytes of the result.

        *prepared*, from :meth:`prepare`, spares drawing the box again; one drawn for other
        lines, or by a stamper with another style or font, is ignored.

        :raises StampError: when the mention has no date, the font is missing, or *pdf* is
            not a readable, unencrypted PDF.
        """
        if (
            not isinstance(prepared, PreparedStamp)
            or prepared.drawn_by != self._drawn_by
            or prepared.lines != tuple(lignes_mention(mention, self.style.kind))
        ):
            prepared = self.prepare(mention)
        _check_header(pdf)
        try:
            writer = _writer(pdf)
            self._place(writer, prepared)
            out = BytesIO()
            writer.write(out)
        except (misc.PdfError, KeyError, ValueError, TypeError, AttributeError,
                IndexError) as exc:
            # pyHanko meets broken objects lazily, while reading the page tree or writing.
            log.warning("stamping %s failed: %r", mention.identifiant, exc)
            raise StampError(
                f"Le PDF de {mention.identifiant} est endommagé : la mention préfectorale "
                "ne peut pas y être apposée."
            ) from exc
        return out.getvalue()

    def identifiant_of(self, pdf: bytes) -> str | None:
        """Return the ACTES identifier *pdf* says it is the act of, or ``None``."""
        from service.adapters.pdf_stamp.existing import identifiant_of

        return identifiant_of(pdf)

    def unstamped(self, pdf: bytes) -> bytes:
        """Return *pdf* before the service's stamp (itself when it has none).

        :raises StampError: when its stamp cannot be taken off.
        """
        from service.adapters.pdf_stamp.existing import without_stamp

        return without_stamp(pdf)

    def _place(self, writer: IncrementalPdfFileWriter, prepared: PreparedStamp) -> None:
        """Add one stamp annotation showing the box to page 1, or to every page."""
        box = prepared.box
        size = _Box(0.0, 0.0, box.width, box.height, 0)
        form = writer.add_object(generic.StreamObject(
            {
                pdf_name("/Type"): pdf_name("/XObject"),
                pdf_name("/Subtype"): pdf_name("/Form"),
                pdf_name("/BBox"): _array([0.0, 0.0, box.width, box.height]),
                pdf_name("/Resources"): generic.DictionaryObject(
                    {pdf_name("/Font"): generic.DictionaryObject(
                        {pdf_name(box.kit.resource): writer.import_object(box.kit.font)})}
                ),
            },
            stream_data=box.content,
        ))
        for index in range(_page_count(writer) if self.style.every_page else 1):
            page_ref, _ = writer.find_page_for_modification(index)
            matrix = self._placement(_Box.of(page_ref.get_object()), size).ctm
            rect = _transformed(matrix, size.right - size.left, size.top - size.bottom)
            # The appearance maps its /BBox onto /Rect: with both the rectangle on the page,
            # it draws the box through the placement matrix, rotated as the page is.
            cm = " ".join(f"{v:.6f}" for v in matrix)
            appearance = generic.StreamObject(
                {
                    pdf_name("/Type"): pdf_name("/XObject"),
                    pdf_name("/Subtype"): pdf_name("/Form"),
                    pdf_name("/BBox"): _array(rect),
                    pdf_name("/Resources"): generic.DictionaryObject(
                        {pdf_name("/XObject"): generic.DictionaryObject(
                            {pdf_name("/Tampon"): form})}
                    ),
                },
                stream_data=f"q {cm} cm /Tampon Do Q".encode("ascii"),
            )
            annotation = generic.DictionaryObject(
                {
                    pdf_name("/Type"): pdf_name("/Annot"),
                    pdf_name("/Subtype"): pdf_name("/Stamp"),
                    pdf_name("/Rect"): _array(rect),
                    pdf_name("/F"): generic.NumberObject(ANNOTATION_PRINT),
                    pdf_name("/P"): page_ref,
                    pdf_name("/NM"): generic.TextStringObject(
                        f"{ANNOTATION_NAME_PREFIX}{index + 1}"),
                    pdf_name("/Contents"): generic.TextStringObject(
                        " – ".join(prepared.lines)),
                    pdf_name("/AP"): generic.DictionaryObject(
                        {pdf_name("/N"): writer.add_object(appearance)}),
                }
            )
            writer.register_annotation(page_ref, writer.add_object(annotation))

    def _placement(self, page: _Box, box: _Box) -> Transformation:
        """Return the matrix taking the *box* to its corner of *page* as it is displayed."""
        s = self.style
        left, bottom, right, top = page.left, page.bottom, page.right, page.top
        w, h = right - left, top - bottom
        rotation = page.rotation % 360
        if rotation not in (0, 90, 180, 270):
            raise StampError(f"Rotation de page invalide ({page.rotation}) : tampon impossible.")
        shown_w, shown_h = (h, w) if rotation in (90, 270) else (w, h)

        box_w, box_h = box.right - box.left, box.top - box.bottom
        x = shown_w - s.margin_x - box_w if s.position.endswith("right") else s.margin_x
        y = shown_h - s.margin_y - box_h if s.position.startswith("top") else s.margin_y
        # A page narrower than the box: keep the box's start on the page rather than off it.
        x, y = max(x, 0.0), max(y, 0.0)

        # /Rotate n turns the displayed page n degrees clockwise; turning the box n degrees
        # counter-clockwise about the origin, then shifting it, lands it upright on screen.
        t = Transformation().translate(x, y)
        if rotation == 0:
            return t.translate(left, bottom)
        if rotation == 90:
            return t.rotate(90).translate(left + w, bottom)
        if rotation == 180:
            return t.rotate(180).translate(left + w, bottom + h)
        return t.rotate(270).translate(left, bottom + h)


PikepdfStamper = IncrementalStamper
"""The stamper's former name, from when qpdf rewrote the act with the box in its content."""


class _MetadataKeepingWriter(IncrementalPdfFileWriter):
    """An incremental writer that leaves the document information and XMP untouched.

    pyHanko's writer records a modification date and its own name in both on every write;
    the stamp must not: PDF/A wants the two to agree, the tests (and archivists) want the XMP
    of LibreOffice kept as it is, and the fewer objects an update touches, the plainer it is.
    """

    def _update_meta(self) -> None:
        return None


def _writer(pdf: bytes) -> IncrementalPdfFileWriter:
    """Return an incremental writer over *pdf*, with at least one page.

    :raises StampError: when it is not a PDF, is encrypted or has no page.
    """
    try:
        reader = ActReader(bytes(pdf))
    except (misc.PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise StampError(
            "Le PDF est illisible : la mention préfectorale ne peut pas y être apposée."
        ) from exc
    if reader.encrypted:
        raise StampError(
            "Le PDF est chiffré : la mention préfectorale ne peut pas y être apposée "
            "(un PDF/A ne peut pas être chiffré)."
        )
    writer = _MetadataKeepingWriter(BytesIO(pdf), prev=reader)
    if _page_count(writer) == 0:
        raise StampError(
            "Le PDF n'a aucune page : la mention préfectorale ne peut pas y être apposée."
        )
    return writer


def _page_count(writer: IncrementalPdfFileWriter) -> int:
    count = writer.root["/Pages"].get_object().get("/Count", 0)
    return int(count.get_object() if isinstance(count, generic.IndirectObject) else count)


def _transformed(matrix: tuple[float, ...], width: float, height: float) -> list[float]:
    """Return the rectangle ``[x0 y0 x1 y1]`` covering the box ``0 0 width height`` mapped
    through *matrix* (a, b, c, d, e, f)."""
    a, b, c, d, e, f = matrix
    xs, ys = [], []
    for x, y in ((0, 0), (width, 0), (0, height), (width, height)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return [min(xs), min(ys), max(xs), max(ys)]


def _array(values: list[float]) -> generic.ArrayObject:
    return generic.ArrayObject(generic.FloatObject(round(v, 4)) for v in values)


@dataclass(frozen=True)
class _Box:
    """A page's visible box (crop box, else media box) and its ``/Rotate``, inherited or not."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    @classmethod
    def of(cls, page: generic.DictionaryObject) -> _Box:
        box = _inherited(page, "/CropBox") or _inherited(page, "/MediaBox")
        if not isinstance(box, generic.ArrayObject):
            raise ValueError("page sans /MediaBox")
        x0, y0, x1, y1 = (float(v) for v in box)
        rotate = _inherited(page, "/Rotate")
        return cls(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1),
                   int(rotate) if isinstance(rotate, int | float | Decimal) else 0)


def _inherited(node: generic.PdfObject | None, key: str) -> generic.PdfObject | None:
    """Return *key* of a page, or of the nearest page-tree node above it that has it.

    /CropBox, /MediaBox and /Rotate are inheritable (ISO 32000-1, 7.7.3.4).
    """
    for _ in range(64):  # a page tree deeper than this is a loop in a hostile file
        if not isinstance(node, generic.DictionaryObject):
            return None
        if key in node:
            return node[key]
        node = node.get("/Parent")
        if isinstance(node, generic.IndirectObject):
            node = node.get_object()
    raise ValueError("arbre des pages trop profond ou cyclique")


def _check_header(pdf: bytes) -> None:
    """:raises StampError: when *pdf* does not even start like a PDF."""
    # The header may follow some junk, within the first 1024 bytes (ISO 32000-1, 7.5.2 note).
    if not isinstance(pdf, bytes | bytearray) or b"%PDF-" not in pdf[:1024]:
        raise StampError("Le document à tamponner n'est pas un PDF.")
