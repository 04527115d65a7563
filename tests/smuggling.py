"""DOCX that smuggle content past a naive inspection (issue 13): each must be refused."""

from __future__ import annotations

import io
import zipfile

from docx_tamper import RELS, edit_part, part, rezip, with_relationship

W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CT = b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'


def _package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return out.getvalue()


def workbook(rels: bytes = b"", nested: bytes | None = None) -> bytes:
    """Return a minimal embedded Office package (what a chart carries), with *rels*."""
    parts = {"[Content_Types].xml": CT + b'<Default Extension="xml" ContentType="application/xml"/>'
             b"</Types>",
             "xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"/>',
             "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/'
             b'2006/relationships">' + rels + b"</Relationships>"}
    if nested is not None:
        parts["xl/embeddings/inner.docx"] = nested
    return _package(parts)


def body(plain: bytes, xml: bytes) -> bytes:
    return edit_part(plain, "word/document.xml", b"<w:body>", b"<w:body>" + xml)


def tricks(plain: bytes) -> dict[str, tuple[bytes, str]]:
    """Return each trick's DOCX and the code its refusal carries."""
    header_field = (b'<w:hdr ' + W + b'><w:p><w:fldSimple w:instr=" INCLUDEPICTURE '
                    b'&quot;http://attaquant.example/p.png&quot; "/></w:p></w:hdr>')
    header = rezip(with_relationship(plain, "header", "header9.dat", external=False),
                   add={"word/header9.dat": header_field})
    dtd = rezip(with_relationship(plain, "footer", "media/footer.png", external=False),
                add={"word/media/footer.png": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a '
                     b'SYSTEM "file:///etc/passwd">]><w:ftr ' + W + b'>&a;</w:ftr>'})
    alt = rezip(with_relationship(plain, "aFChunk", "afchunk.docx", external=False),
                add={"word/afchunk.docx": plain})
    external = workbook(b'<Relationship Id="r1" Type="' + RELS.encode() + b'/externalLink" '
                        b'Target="http://attaquant.example/x.xlsx" TargetMode="External"/>')
    return {
        "altChunk": (alt, "docx-imbrique"),
        "quoted field name": (body(plain, b'<w:p><w:fldSimple w:instr=" &quot;INCLUDETEXT&quot; '
                                   b'&quot;C:\\\\secret.docx&quot; "/></w:p>'),
                              "docx-champ-externe"),
        "field in a deleted instruction": (
            body(plain, b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:del w:id="1" '
                 b'w:author="x"><w:r><w:delInstrText> INCLUDETEXT "/etc/passwd" </w:delInstrText>'
                 b'</w:r></w:del><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'),
            "docx-champ-externe"),
        "header part with a .dat name": (header, "docx-champ-externe"),
        "DTD in a part named .png": (dtd, "docx-xml-entites"),
        "embedded workbook linking outside": (
            rezip(plain, add={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": external}),
            "docx-relation-externe"),
        "package nested in an embedded package": (
            rezip(plain, add={"word/embeddings/Feuille.xlsx": workbook(nested=plain)}),
            "docx-imbrique"),
    }


__all__ = ["part", "tricks", "workbook"]
