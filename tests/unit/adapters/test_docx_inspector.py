"""What a clerk may send back as an amended DOCX, and the code each refusal carries."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx
import pytest
from docx_tamper import DOCM_MAIN, DOCX_MAIN, edit_part, part, rezip, with_relationship, zip_bomb

from service.adapters.upload import DocxInspector, inspect_docx
from service.errors import DocumentRejected

REPO = Path(__file__).resolve().parents[3]
MIB = 1024 * 1024
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.fixture(scope="module")
def plain() -> bytes:
    """A DOCX as python-docx writes it, with one paragraph."""
    document = docx.Document()
    document.add_paragraph("Le conseil adopte la délibération.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def refusal(data: bytes, **limits: int) -> DocumentRejected:
    with pytest.raises(DocumentRejected) as caught:
        inspect_docx(data, **limits)
    return caught.value


@pytest.mark.parametrize("path", ["templates_actes/deliberation.docx",
                                  "templates_actes/liste_deliberations.docx"])
def test_the_service_own_templates_pass(path: str) -> None:
    assert inspect_docx((REPO / path).read_bytes()) is None


def test_a_python_docx_document_passes(plain: bytes) -> None:
    assert DocxInspector().inspect_docx(plain) is None


# --- the container ----------------------------------------------------------------------------

def test_empty_upload() -> None:
    assert refusal(b"").code == "docx-vide"


def test_upload_over_the_size_limit(plain: bytes) -> None:
    error = refusal(plain, max_size=len(plain) - 1)
    assert error.code == "docx-trop-volumineux"
    assert str(len(plain) - 1) in error.message


@pytest.mark.parametrize("data", [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"Bonjour, ceci est du texte",
                                  b"PK\x03\x04" + b"\x00" * 40])
def test_not_a_zip(data: bytes) -> None:
    assert refusal(data).code == "docx-pas-un-zip"


def test_a_zip_behind_other_bytes_is_not_a_docx(plain: bytes) -> None:
    # zipfile alone accepts a prefix (self-extracting archives): a polyglot file passes it.
    assert zipfile.is_zipfile(io.BytesIO(b"GIF89a" + plain))
    assert refusal(b"GIF89a" + plain).code == "docx-pas-un-zip"


def test_truncated_upload(plain: bytes) -> None:
    assert refusal(plain[: len(plain) // 2]).code == "docx-pas-un-zip"


def test_flipped_bytes_inside_a_part_are_corruption(plain: bytes) -> None:
    data = bytearray(plain)
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        info = z.getinfo("word/styles.xml")
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle:middle + 8] = bytes(b ^ 0x55 for b in data[middle:middle + 8])
    error = refusal(bytes(data))
    assert error.code == "docx-corrompu" and "word/styles.xml" in error.message


@pytest.mark.parametrize("name", ["../evil.xml", "/etc/cron.d/evil", "word/../../evil.xml",
                                  "C:/Windows/evil.xml", "word\\..\\evil.xml"])
def test_part_names_leaving_the_archive(plain: bytes, name: str) -> None:
    error = refusal(rezip(plain, add={name: b"<x/>"}))
    assert error.code == "docx-chemin-invalide"


def test_two_parts_with_one_name_up_to_case(plain: bytes) -> None:
    error = refusal(rezip(plain, add={"WORD/document.xml": part(plain, "word/document.xml")}))
    assert error.code == "docx-chemin-invalide"


# --- decompression bombs ----------------------------------------------------------------------

def test_bomb_over_the_total_limit(plain: bytes) -> None:
    error = refusal(zip_bomb(plain, 3 * MIB), max_uncompressed=2 * MIB)
    assert error.code == "docx-bombe"


def test_bomb_over_the_ratio(plain: bytes) -> None:
    bomb = zip_bomb(plain, 8 * MIB)  # zeros: about 1000 to 1, far beyond 100
    assert len(bomb) < 200_000
    error = refusal(bomb)
    assert error.code == "docx-bombe" and "image99.png" in error.message


def test_too_many_parts(plain: bytes) -> None:
    many = rezip(plain, add={f"customXml/extra{i}.xml": b"<x/>" for i in range(30)})
    assert inspect_docx(many) is None
    assert refusal(many, max_entries=40).code == "docx-bombe"


def test_inspector_limits_come_from_its_constructor(plain: bytes) -> None:
    with pytest.raises(DocumentRejected) as caught:
        DocxInspector(max_entries=5).inspect_docx(plain)
    assert caught.value.code == "docx-bombe"


def _patch_sizes(data: bytes, name: str, file_size: int) -> bytes:
    """Return *data* with the inflated size of *name* rewritten in both of its headers."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(name)
    struct.pack_into("<I", out, info.header_offset + 22, file_size)  # local header
    central = out.rfind(b"PK\x01\x02" + bytes(out[info.header_offset + 4:info.header_offset + 6]))
    while out[central + 46:central + 46 + len(name)] != name.encode():
        central = out.rfind(b"PK\x01\x02", 0, central)
    struct.pack_into("<I", out, central + 24, file_size)  # central directory
    return bytes(out)


def test_a_header_lying_about_the_inflated_size(plain: bytes) -> None:
    bomb = zip_bomb(plain, 4 * MIB)
    # The directory now promises 1000 bytes: ratio and total look harmless.
    liar = _patch_sizes(bomb, "word/media/image99.png", 1000)
    with zipfile.ZipFile(io.BytesIO(liar)) as z:
        assert z.getinfo("word/media/image99.png").file_size == 1000
    error = refusal(liar)
    assert error.code == "docx-bombe" and "1000 octets annoncés" in error.message


def test_two_entries_sharing_their_bytes(plain: bytes) -> None:
    # The "overlapping files" bomb: many directory entries inflate the same compressed kernel.
    data = bytearray(zip_bomb(plain, 512 * 1024))
    end = data.rfind(b"PK\x05\x06")
    entries, cd_size, cd_offset = struct.unpack_from("<HII", data, end + 10)
    last = data.rfind(b"PK\x01\x02", 0, end)
    name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, last + 28)
    record = bytearray(data[last:last + 46 + name_len + extra_len + comment_len])
    record[46:46 + name_len] = b"word/media/image98.png"[:name_len].ljust(name_len, b"x")
    tail = bytearray(data[end:])
    struct.pack_into("<HHII", tail, 8, entries + 1, entries + 1, cd_size + len(record), cd_offset)
    forged = bytes(data[:end] + record + tail)
    assert len(zipfile.ZipFile(io.BytesIO(forged)).infolist()) == entries + 1
    assert refusal(forged).code == "docx-bombe"


# --- not a Word document ----------------------------------------------------------------------

@pytest.mark.parametrize("missing", ["[Content_Types].xml", "word/document.xml", "_rels/.rels"])
def test_a_missing_required_part(plain: bytes, missing: str) -> None:
    error = refusal(rezip(plain, drop=(missing,)))
    assert error.code == "docx-invalide" and missing in error.message


def test_a_word_template_is_not_a_document(plain: bytes) -> None:
    dotx = edit_part(plain, "[Content_Types].xml", b"document.main+xml", b"template.main+xml")
    assert refusal(dotx).code == "docx-invalide"


def test_a_main_part_that_is_not_xml(plain: bytes) -> None:
    error = refusal(rezip(plain, replace={"word/document.xml": b"<w:document><w:body>"}))
    assert error.code == "docx-invalide" and "word/document.xml" in error.message


# --- macros and active content ----------------------------------------------------------------

def test_a_docm_renamed_docx(plain: bytes) -> None:
    docm = edit_part(plain, "[Content_Types].xml", DOCX_MAIN.encode(), DOCM_MAIN.encode())
    error = refusal(docm)
    assert error.code == "docx-macro" and ".docm" in error.message


def test_a_vba_project(plain: bytes) -> None:
    error = refusal(rezip(plain, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(60)}))
    assert error.code == "docx-macro" and "word/vbaProject.bin" in error.message


@pytest.mark.parametrize("name", ["word/activeX/activeX1.bin", "word/embeddings/oleObject1.bin",
                                  "word/embeddings/Classeur_macros.xlsm",
                                  "word/activeX/activeX1.xml"])
def test_activex_and_ole_parts(plain: bytes, name: str) -> None:
    assert refusal(rezip(plain, add={name: b"<ax/>"})).code == "docx-macro"


def test_a_part_typed_as_vba_whatever_its_name(plain: bytes) -> None:
    override = (b'<Override PartName="/word/data.dat" '
                b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    data = edit_part(plain, "[Content_Types].xml", b"</Types>", override)
    assert refusal(rezip(data, add={"word/data.dat": b"\x00" * 10})).code == "docx-macro"


def test_word_printer_settings_are_not_macros(plain: bytes) -> None:
    ptype = b"application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"
    override = b'<Override PartName="/word/printerSettings/printerSettings1.bin" ContentType="'
    data = edit_part(plain, "[Content_Types].xml", b"</Types>", override + ptype + b'"/></Types>')
    data = rezip(data, add={"word/printerSettings/printerSettings1.bin": bytes(200)})
    assert inspect_docx(data) is None


# --- what LibreOffice would fetch -------------------------------------------------------------

@pytest.mark.parametrize(("kind", "target", "rels"), [
    ("image", "http://attaquant.example/pixel.png", "word/_rels/document.xml.rels"),
    ("image", "file:///etc/passwd", "word/_rels/document.xml.rels"),
    ("attachedTemplate", "http://attaquant.example/modele.dotm", "word/_rels/settings.xml.rels"),
    ("subDocument", "\\\\serveur\\partage\\annexe.docx", "word/_rels/document.xml.rels"),
    ("oleObject", "http://attaquant.example/objet.bin", "word/_rels/document.xml.rels"),
    ("hyperlink", "file:///C:/Windows/System32/calc.exe", "word/_rels/document.xml.rels"),
    ("hyperlink", "javascript:alert(1)", "word/_rels/document.xml.rels"),
])
def test_external_relationships(plain: bytes, kind: str, target: str, rels: str) -> None:
    error = refusal(with_relationship(plain, kind, target, rels=rels))
    assert error.code == "docx-relation-externe"
    assert target in error.message and rels in error.message


@pytest.mark.parametrize("target", ["https://www.legifrance.gouv.fr/codes/id/LEGIARTI000006389862",
                                    "mailto:greffe@metropole-dijon.fr"])
def test_web_and_mail_hyperlinks_are_accepted(plain: bytes, target: str) -> None:
    assert inspect_docx(with_relationship(plain, "hyperlink", target)) is None


def test_an_internal_target_that_is_an_address(plain: bytes) -> None:
    data = with_relationship(plain, "image", "http://attaquant.example/a.png", external=False)
    assert refusal(data).code == "docx-relation-externe"


def test_an_internal_target_leaving_the_package(plain: bytes) -> None:
    data = with_relationship(plain, "image", "../../../etc/passwd", external=False)
    assert refusal(data).code == "docx-chemin-invalide"


def test_a_main_document_elsewhere_than_word_document_xml(plain: bytes) -> None:
    data = edit_part(plain, "_rels/.rels", b'Target="word/document.xml"',
                     b'Target="word/other.xml"')
    assert refusal(data).code == "docx-invalide"


def _with_body(plain: bytes, body: bytes) -> bytes:
    return edit_part(plain, "word/document.xml", b"<w:body>", b"<w:body>" + body)


def test_includepicture_split_across_runs(plain: bytes) -> None:
    field = (b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             b'<w:r><w:instrText xml:space="preserve"> INCLUDE</w:instrText></w:r>'
             b'<w:r><w:instrText>PICTURE "http://attaquant.example/p.png" \\d</w:instrText></w:r>'
             b'<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    error = refusal(_with_body(plain, field))
    assert error.code == "docx-champ-externe" and "INCLUDEPICTURE" in error.message


def test_simple_includetext_field(plain: bytes) -> None:
    field = b'<w:p><w:fldSimple w:instr=" INCLUDETEXT &quot;C:\\\\secret.docx&quot; "/></w:p>'
    assert refusal(_with_body(plain, field)).code == "docx-champ-externe"


def test_ordinary_fields_pass(plain: bytes) -> None:
    fields = (b'<w:p><w:fldSimple w:instr=" PAGE "/>'
              b'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
              b'<w:r><w:instrText> HYPERLINK "https://example.fr/link/include" </w:instrText></w:r>'
              b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    assert inspect_docx(_with_body(plain, fields)) is None


def test_svg_image_pointing_outside(plain: bytes) -> None:
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           b'<image xlink:href="http://169.254.169.254/latest/meta-data/"/></svg>')
    error = refusal(rezip(plain, add={"word/media/image1.svg": svg}))
    assert error.code == "docx-relation-externe" and "169.254.169.254" in error.message


# --- XML entities -----------------------------------------------------------------------------

XXE = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
       b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       b'<w:document ' + W + b'><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body>'
       b'</w:document>')


def test_external_entity_in_the_document(plain: bytes) -> None:
    error = refusal(rezip(plain, replace={"word/document.xml": XXE}))
    assert error.code == "docx-xml-entites" and "word/document.xml" in error.message


def test_billion_laughs_in_the_styles(plain: bytes) -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              b'<w:styles ' + W + b'>&lol2;</w:styles>')
    assert refusal(rezip(plain, replace={"word/styles.xml": laughs})).code == "docx-xml-entites"


def test_a_doctype_hidden_in_utf16(plain: bytes) -> None:
    utf16 = XXE.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")
    assert b"<!DOCTYPE" not in utf16  # invisible to a byte search
    error = refusal(rezip(plain, replace={"word/document.xml": utf16}))
    assert error.code == "docx-xml-entites"


# --- smuggled content (issue 13) --------------------------------------------------------------

def test_each_smuggling_trick_is_refused_with_its_code(plain: bytes) -> None:
    from smuggling import tricks

    for name, (data, code) in tricks(plain).items():
        assert refusal(data).code == code, name


def test_an_embedded_workbook_without_links_passes(plain: bytes) -> None:
    from smuggling import workbook

    assert inspect_docx(rezip(plain, add={"word/embeddings/Feuille.xlsx": workbook()})) is None


def test_a_refusal_inside_an_embedded_package_names_it(plain: bytes) -> None:
    from smuggling import tricks

    data, _ = tricks(plain)["embedded workbook linking outside"]
    assert "Microsoft_Excel_Worksheet.xlsx" in refusal(data).message


def test_a_picture_of_more_than_50_megapixels_is_refused(plain: bytes) -> None:
    from PIL import Image

    huge = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(huge, "PNG")  # 60 Mpx in 7 kB
    error = refusal(rezip(plain, add={"word/media/image5.png": huge.getvalue()}))
    assert error.code == "docx-image-trop-grande" and "60 millions" in error.message
    fine = io.BytesIO()
    Image.new("RGB", (2_000, 1_500)).save(fine, "PNG")
    assert inspect_docx(rezip(plain, add={"word/media/image5.png": fine.getvalue()})) is None


def test_a_table_of_20000_rows_is_refused_before_libreoffice(plain: bytes) -> None:
    from heavy_documents import with_table

    error = refusal(with_table(plain, 20_000))
    assert error.code == "docx-trop-long" and "20000 lignes de tableau" in error.message
    assert inspect_docx(with_table(plain, 300)) is None


def test_10000_page_breaks_are_refused_before_libreoffice(plain: bytes) -> None:
    from heavy_documents import with_page_breaks

    error = refusal(with_page_breaks(plain, 10_000))
    assert error.code == "docx-trop-long" and "sauts de page" in error.message
    assert inspect_docx(with_page_breaks(plain, 50)) is None


def test_the_layout_limits_come_from_the_inspector(plain: bytes) -> None:
    from heavy_documents import with_page_breaks

    from service.adapters.upload.docx_inspector import LayoutLimits

    strict = DocxInspector(layout=LayoutLimits(max_page_breaks=10))
    with pytest.raises(DocumentRejected):
        strict.inspect_docx(with_page_breaks(plain, 11))
