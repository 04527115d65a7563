"""IncrementalStamper on real PDFs: the words on the page, PDF/A kept, fonts embedded, refusals."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import tempfile

import pikepdf
import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject

from service.adapters.libreoffice.soffice_cli import SofficeCliConverter
from service.adapters.pdf_stamp import IncrementalStamper, StampStyle
from service.domain.mention import MentionPrefecture
from service.errors import StampError

ID_DIJON = "021-242100410-20191219-2019-12-19_013-DE"
MENTION = MentionPrefecture(
    ID_DIJON, date_envoi=dt.date(2019, 12, 20), date_reception=dt.date(2019, 12, 21),
    date_publication=dt.date(2019, 12, 23),
)
# The wording the brief and the Dijon extract ask for, written out rather than computed.
LINES = {
    "accuse-reception": [
        "Accusé de réception en préfecture",
        ID_DIJON,
        "Date de télétransmission : 20/12/2019",
        "Date de réception préfecture : 21/12/2019",
    ],
    "s2low": [
        "Envoyé en préfecture le 20/12/2019",
        "Reçu en préfecture le 21/12/2019",
        "Publié le 23/12/2019",
        f"ID : {ID_DIJON}",
    ],
}


@pytest.fixture(scope="session")
def pdfa() -> bytes:
    """Return a 2-page PDF/A-2b made by LibreOffice from a DOCX written with python-docx."""
    doc = Document()
    doc.add_paragraph("Premiere page de la deliberation")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Seconde page de la deliberation")
    for run in (r for p in doc.paragraphs for r in p.runs):
        run.font.name = "Liberation Serif"
    buf = io.BytesIO()
    doc.save(buf)
    return SofficeCliConverter().to_pdf(buf.getvalue(), label="test-tampon")


def _text(pdf: bytes, page: int) -> str:
    """Return the text pdftotext reads on *page*, whitespace runs made single spaces."""
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf, capture_output=True, check=True,
    ).stdout.decode("utf-8")
    return re.sub(r"\s+", " ", out)


def _fonts(pdf: bytes, tmp_path) -> list[tuple[str, str]]:
    """Return (font name, "emb" column) for every font pdffonts lists."""
    path = tmp_path / "stamped.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    header, _rule, *rows = out.stdout.splitlines()
    emb = header.index("emb")
    return [(row.split()[0], row[emb : emb + 3].strip()) for row in rows]


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["accuse-reception", "s2low"])
def test_every_line_is_on_page_1_and_not_on_page_2_by_default(pdfa, kind):
    stamped = IncrementalStamper(StampStyle(kind=kind)).stamp(pdfa, MENTION)

    page1, page2 = _text(stamped, 1), _text(stamped, 2)
    for line in LINES[kind]:
        assert line in page1
        assert line not in page2
    assert "Premiere page de la deliberation" in page1
    assert "Seconde page de la deliberation" in page2


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["accuse-reception", "s2low"])
def test_every_page_true_stamps_page_2_as_well(pdfa, kind):
    stamped = IncrementalStamper(StampStyle(kind=kind, every_page=True)).stamp(pdfa, MENTION)

    for page in (1, 2):
        text = _text(stamped, page)
        assert all(line in text for line in LINES[kind]), (page, text)


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", ["accuse-reception", "s2low"])
def test_stamped_file_still_declares_pdfa_2b_with_the_same_xmp(pdfa, kind):
    original = PdfReader(io.BytesIO(pdfa))
    assert (original.xmp_metadata.pdfaid_part, original.xmp_metadata.pdfaid_conformance) == (
        "2", "B",
    )  # LibreOffice did make a PDF/A-2b: otherwise the test below proves nothing

    stamped = PdfReader(io.BytesIO(IncrementalStamper(StampStyle(kind=kind)).stamp(pdfa, MENTION)))

    assert stamped.xmp_metadata.pdfaid_part == "2"
    assert stamped.xmp_metadata.pdfaid_conformance == "B"
    assert (
        stamped.trailer["/Root"]["/Metadata"].get_data()
        == original.trailer["/Root"]["/Metadata"].get_data()
    )
    assert "/OutputIntents" in stamped.trailer["/Root"]
    assert stamped.pdf_header == original.pdf_header
    assert stamped.trailer["/ID"][0] == original.trailer["/ID"][0]


@pytest.mark.libreoffice
@pytest.mark.parametrize("every_page", [False, True])
def test_every_font_of_the_stamped_file_is_embedded(pdfa, tmp_path, every_page):
    stamped = IncrementalStamper(StampStyle(every_page=every_page)).stamp(pdfa, MENTION)

    fonts = _fonts(stamped, tmp_path)
    assert any("LiberationSans" in name for name, _ in fonts)  # the stamp's own font
    assert [name for name, emb in fonts if emb != "yes"] == []


@pytest.mark.libreoffice
def test_the_input_document_is_left_as_it_was(pdfa):
    first = IncrementalStamper(StampStyle(kind="s2low")).stamp(pdfa, MENTION)
    second = IncrementalStamper(StampStyle(kind="accuse-reception")).stamp(pdfa, MENTION)

    # Stamping writes a new document: neither the input nor a later stamp sees an earlier one.
    assert not any(line in _text(pdfa, 1) for line in LINES["s2low"] + LINES["accuse-reception"])
    assert not any(line in _text(second, 1) for line in LINES["s2low"][:3])
    assert LINES["s2low"][0] in _text(first, 1)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("position", ["top-right", "bottom-left"])
def test_box_lands_upright_in_its_corner_of_rotated_and_shifted_pages(rotation, position):
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    page.mediabox = RectangleObject([100, -200, 695, 642])  # A4, origin away from (0, 0)
    page.rotate(rotation)
    buf = io.BytesIO()
    writer.write(buf)
    shown_w, shown_h = (842, 595) if rotation in (90, 270) else (595, 842)

    stamped = IncrementalStamper(StampStyle(position=position)).stamp(buf.getvalue(), MENTION)

    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=stamped, capture_output=True, check=True
    ).stdout.decode("utf-8")
    words = {
        word: tuple(map(float, box))
        for *box, word in re.findall(
            r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<',
            bbox,
        )
    }
    x0, y0, x1, y1 = words[ID_DIJON]  # pdftotext measures y downwards from the top edge
    assert x1 - x0 > 5 * (y1 - y0)  # written horizontally, as the reader sees the page
    assert words["Accusé"][1] < y0 < words["télétransmission"][1]  # lines read downwards
    if position == "top-right":
        assert shown_w / 2 < x0 and x1 < shown_w and 0 < y0 < shown_h / 4
    else:
        assert 0 < x0 < shown_w / 2 and shown_h * 3 / 4 < y0 < shown_h


@pytest.mark.parametrize(
    "garbage",
    [b"", b"ceci n'est pas un PDF", b"%PDF-1.7\n1 0 obj << /Type /Catalog", b"\x00" * 2048],
)
def test_garbage_is_refused_with_a_stamp_error(garbage):
    with pytest.raises(StampError, match="PDF") as info:
        IncrementalStamper().stamp(garbage, MENTION)

    assert info.value.code == "tampon-echoue"


def test_truncated_pdf_is_refused_with_a_stamp_error():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)

    with pytest.raises(StampError, match="illisible"):
        IncrementalStamper().stamp(buf.getvalue()[: len(buf.getvalue()) // 2], MENTION)


def test_encrypted_pdf_is_refused_with_a_stamp_error():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)

    with pytest.raises(StampError, match="chiffré"):
        IncrementalStamper().stamp(buf.getvalue(), MENTION)


def test_mention_without_any_date_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)

    with pytest.raises(StampError, match="rien à apposer"):
        IncrementalStamper().stamp(buf.getvalue(), MentionPrefecture(ID_DIJON))


def test_missing_font_file_is_a_stamp_error(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    not_a_font = tmp_path / "LiberationSans-Regular.ttf"
    not_a_font.write_bytes(b"not a font")

    with pytest.raises(StampError, match="police"):
        IncrementalStamper(font_file=tmp_path / "absent.ttf").stamp(buf.getvalue(), MENTION)
    with pytest.raises(StampError, match="police"):
        IncrementalStamper(font_file=not_a_font).stamp(buf.getvalue(), MENTION)


@pytest.mark.libreoffice
def test_a_box_prepared_in_advance_is_the_one_drawn(pdfa):
    stamper = IncrementalStamper()
    prepared = stamper.prepare(MENTION)

    text = _text(stamper.stamp(pdfa, MENTION, prepared), 1)

    assert all(line in text for line in LINES["accuse-reception"])


@pytest.mark.libreoffice
def test_a_box_prepared_for_another_mention_is_not_drawn(pdfa):
    stamper = IncrementalStamper()
    other = MentionPrefecture(ID_DIJON, date_envoi=dt.date(2020, 1, 6),
                              date_reception=dt.date(2020, 1, 7))
    stale = stamper.prepare(other)

    text = _text(stamper.stamp(pdfa, MENTION, stale), 1)

    # The stamp says what MENTION says, never what the stale box said.
    assert all(line in text for line in LINES["accuse-reception"])
    assert "06/01/2020" not in text and "07/01/2020" not in text


def test_preparing_a_mention_without_dates_is_refused():
    with pytest.raises(StampError, match="ni date d'envoi ni date de réception"):
        IncrementalStamper().prepare(MentionPrefecture(ID_DIJON))


def test_a_page_inheriting_its_resources_box_and_rotation_keeps_its_text():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0].obj
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    page.Contents = pdf.make_stream(b"BT /F1 24 Tf 72 500 Td (Texte de la page) Tj ET")
    # Everything the page shows comes from the page tree's root, as ISO 32000 allows.
    tree = pdf.Root.Pages
    tree.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    tree.MediaBox = page.MediaBox
    tree.Rotate = 90
    for key in ("/Resources", "/MediaBox", "/Rotate"):
        if key in page:
            del page[key]
    buf = io.BytesIO()
    pdf.save(buf)

    stamped = IncrementalStamper().stamp(buf.getvalue(), MENTION)

    text = _text(stamped, 1)
    assert "Texte de la page" in text  # the inherited font still resolves
    assert all(line in text for line in LINES["accuse-reception"])
    with pikepdf.open(io.BytesIO(stamped), inherit_page_attributes=False) as out:
        # The page tree is left as it was: the rotation is still inherited, not pushed down.
        assert out.Root.Pages.Rotate == 90 and "/Rotate" not in out.pages[0].obj


@pytest.mark.libreoffice
def test_a_box_drawn_in_another_style_is_drawn_again(pdfa):
    small = IncrementalStamper(StampStyle(font_size=7)).prepare(MENTION)
    stamper = IncrementalStamper(StampStyle(font_size=9))

    assert _stamp_font_sizes(stamper.stamp(pdfa, MENTION, small)) == {9.0}
    assert _stamp_font_sizes(IncrementalStamper(StampStyle(font_size=7)).stamp(
        pdfa, MENTION, small)) == {7.0}


def _stamp_font_sizes(pdf: bytes) -> set[float]:
    """Return the font sizes set in the box drawn by the stamp annotation(s) of page 1."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        content = b"".join(
            annot.AP.N.Resources.XObject.Tampon.read_bytes()
            for annot in doc.pages[0].obj.Annots if annot.Subtype == "/Stamp"
        )
    return {float(size) for size in re.findall(rb"/F\S* ([\d.]+) Tf", content)}


@pytest.mark.libreoffice
def test_a_stamp_needs_no_temporary_folder(pdfa, monkeypatch, tmp_path):
    # The stamp is appended in memory: a full or missing /tmp no longer stops it.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "absent"))

    assert LINES["accuse-reception"][0] in _text(IncrementalStamper().stamp(pdfa, MENTION), 1)


@pytest.mark.libreoffice
def test_the_stamp_is_an_incremental_update_adding_one_printed_stamp_annotation(pdfa):
    stamped = IncrementalStamper().stamp(pdfa, MENTION)

    assert stamped.startswith(pdfa)  # nothing written before is rewritten
    with pikepdf.open(io.BytesIO(stamped)) as doc:
        annots = [a for page in doc.pages for a in page.obj.get("/Annots", [])]
        assert [(a.Subtype, int(a.F), sorted(a.AP.keys())) for a in annots] == [
            ("/Stamp", 4, ["/N"])]
        assert "/CA" not in annots[0]  # opaque: PDF/A-2b without transparency questions


def test_a_character_the_shared_font_lacks_gets_a_font_of_its_own():
    # The font embedded once per process holds French text; an identifier written with any
    # other letter still comes out as written, and the next stamps are as before.
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    odd = MentionPrefecture("021-242100410-20191219-ΩMEGA_1-DE", date_envoi=dt.date(2019, 12, 20))

    odd_text = _text(IncrementalStamper().stamp(buf.getvalue(), odd), 1)
    usual_text = _text(IncrementalStamper().stamp(buf.getvalue(), MENTION), 1)

    assert "021-242100410-20191219-ΩMEGA_1-DE" in odd_text
    assert all(line in usual_text for line in LINES["accuse-reception"])
