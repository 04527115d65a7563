"""Word building blocks of ``build_templates.py``: styles, paragraphs, tables, fields, zip.

Kept apart from the layout of the template so that ``build_templates.py`` reads like the
document it makes.
"""

from __future__ import annotations

import io
import zipfile

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

SERIF = "Liberation Serif"
SANS = "Liberation Sans"
TEXT_WIDTH = Cm(16.6)  # A4 minus 2.2 cm margins


# --- styles ---------------------------------------------------------------------------------


def _fonts(rpr, font: str) -> None:
    """Name *font* for every script and drop theme fonts (Calibri/Cambria when unresolved)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def setup_styles(doc) -> None:  # noqa: ANN001 - python-docx Document
    """Give *doc* the extract's fonts and paragraph styles (Normal, Body Text, List
    Paragraph, Heading 1-3, Footer), French as its language and no theme font."""
    styles_el = doc.styles.element
    # No theme font anywhere: a theme font resolves to Calibri, absent from the servers.
    for rfonts in styles_el.iter(qn("w:rFonts")):
        for attr in [a for a in rfonts.attrib if "Theme" in a]:
            del rfonts.attrib[attr]
    defaults = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(defaults, SERIF)
    for tag in ("w:sz", "w:szCs", "w:lang"):
        for old in defaults.findall(qn(tag)):
            defaults.remove(old)
    defaults.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="22"/>'))
    defaults.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="22"/>'))
    defaults.append(
        parse_xml(f'<w:lang {nsdecls("w")} w:val="fr-FR" w:eastAsia="fr-FR" w:bidi="ar-SA"/>')
    )

    normal = doc.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(11)
    _fonts(normal.element.get_or_add_rPr(), SERIF)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    body = doc.styles["Body Text"]
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing = 1.0

    lst = doc.styles["List Paragraph"]
    lst.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    lst.paragraph_format.space_after = Pt(3)
    # Space between items (no contextual spacing) keeps each glyph read with its own text by
    # text extractors; the indent comes from the numbering level, not the style.
    for name in ("w:contextualSpacing", "w:ind"):
        for el in lst.element.pPr.findall(qn(name)):
            lst.element.pPr.remove(el)

    for name, size in (("Heading 1", 12), ("Heading 2", 11), ("Heading 3", 11)):
        st = doc.styles[name]
        rpr = st.element.get_or_add_rPr()
        for child in list(rpr):
            rpr.remove(child)
        _fonts(rpr, SANS)
        st.font.bold = True
        st.font.italic = name == "Heading 3"
        st.font.size = Pt(size)
        st.font.color.rgb = RGBColor(0, 0, 0)
        pf = st.paragraph_format
        pf.space_before = Pt(12)
        pf.space_after = Pt(6)
        pf.keep_with_next = True
        pf.alignment = WD_ALIGN_PARAGRAPH.LEFT

    footer = doc.styles["Footer"]
    _fonts(footer.element.get_or_add_rPr(), SANS)
    footer.font.size = Pt(8)


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def slim(doc) -> None:  # noqa: ANN001 - python-docx Document
    """Drop from *doc* what python-docx's default document carries and no act uses.

    That is its hundred table styles (all but the default one) and ``stylesWithEffects.xml``,
    Word 2010's second copy of the styles: 90 % of the template's XML, which every render
    opens, copies and zips again, and LibreOffice reads again. Word and LibreOffice re-create
    a built-in table style when an author applies it; Word rewrites the second copy if it
    wants one.
    """
    styles_el = doc.styles.element
    for style in styles_el.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:default")) not in ("1", "true"):
            styles_el.remove(style)
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            doc.part.drop_rel(rid)


# --- content helpers ------------------------------------------------------------------------


def para(
    container,
    text: str = "",
    *,
    bold=False,
    size=None,
    font=None,
    align=None,
    before=None,
    after=None,
    underline=False,
    style=None,
    keep=False,
    together=False,
):  # noqa: ANN001
    """Append a paragraph of one run holding *text* to *container*, formatted directly.

    *keep* keeps it on the page of the next paragraph (keep-with-next), *together* keeps its
    lines on one page (keep-together)."""
    p = container.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.underline = underline or None
        if size:
            run.font.size = Pt(size)
        if font:
            run.font.name = font
            _fonts(run._r.get_or_add_rPr(), font)
    pf = p.paragraph_format
    if align is not None:
        pf.alignment = align
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if keep:
        pf.keep_with_next = True
    if together:
        pf.keep_together = True
    return p


def unsplittable(table) -> None:  # noqa: ANN001 - python-docx Table
    """Forbid every row of *table* to break across pages (``w:cantSplit``), and keep each
    paragraph of its cells whole: a signature block is read on one page."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_together = True
                p.paragraph_format.keep_with_next = True


def tag(container, text: str):  # noqa: ANN001
    """A paragraph holding only a ``{%p … %}`` tag: docxtpl removes it at render."""
    return container.add_paragraph(text)


def two_columns(doc, loop: str, left: str, right: str, size: float = 10.5):  # noqa: ANN001
    """A borderless two-column table repeated row by row by ``{%tr for … %}``."""
    table = doc.add_table(rows=3, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    for row in table.rows:
        for cell in row.cells:
            cell.width = TEXT_WIDTH // 2
    table.rows[0].cells[0].paragraphs[0].add_run("{%tr " + loop + " %}")
    for cell, text in zip(table.rows[1].cells, (left, right), strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.font.size = Pt(size)
        # Space between rows makes each cell a block of its own for text extractors, which
        # then read the names row by row, left to right (pdftotext, screen readers).
        cell.paragraphs[0].paragraph_format.space_after = Pt(6)
    table.rows[2].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    return table


def signature_blocks(doc, prefix: str = "") -> None:  # noqa: ANN001 - python-docx Document
    """Add the président's and the secretaries' signature blocks side by side, unsplittable;
    *prefix* is where the variables live in the template's context (``"textes."`` or none)."""
    sign = doc.add_table(rows=1, cols=2)
    sign.autofit = False
    left, right = sign.rows[0].cells
    for cell in (left, right):
        cell.width = TEXT_WIDTH // 2
    left.paragraphs[0].add_run(f"{{{{ {prefix}signature_president }}}}")
    for _ in range(3):
        left.add_paragraph()
    left.add_paragraph(f"{{{{ {prefix}nom_president }}}}")
    right.paragraphs[0].add_run(f"{{{{ {prefix}signature_secretaires }}}}")
    for _ in range(3):
        right.add_paragraph()
    right.add_paragraph(f"{{%p for nom in {prefix}noms_secretaires %}}")
    right.add_paragraph("{{ nom }}")
    right.add_paragraph("{%p endfor %}")
    unsplittable(sign)


def page_footer(doc, section, text: str) -> None:  # noqa: ANN001 - python-docx objects
    """Centre *text* followed by « PAGE/NUMPAGES » in *section*'s footer."""
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(text)
    field(footer, "PAGE")
    footer.add_run("/")
    field(footer, "NUMPAGES")


def field(paragraph, instr: str) -> None:  # noqa: ANN001
    """Append the Word field *instr* (``PAGE``, ``NUMPAGES``) to *paragraph*."""
    for kind, text in (
        ("begin", None),
        ("instr", f" {instr} "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def reproducible(data: bytes) -> bytes:
    """Return the zip *data* with fixed timestamps, so two builds give the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def same_content(a: bytes, b: bytes) -> bool:
    """`True` when the zips *a* and *b* hold the same files with the same bytes.

    Compared member by member, not as zip bytes: another zlib may compress differently.
    """
    with zipfile.ZipFile(io.BytesIO(a)) as za, zipfile.ZipFile(io.BytesIO(b)) as zb:
        if za.namelist() != zb.namelist():
            return False
        return all(za.read(n) == zb.read(n) for n in za.namelist())


def finish(doc, title: str, comments: str) -> bytes:  # noqa: ANN001 - python-docx Document
    """Return the template's bytes with fixed properties, so two builds give the same file."""
    import datetime as dt

    props = doc.core_properties
    props.title = title
    props.author = "actes-service"
    props.comments = comments
    props.revision = 1
    props.language = "fr-FR"
    props.created = props.modified = dt.datetime(2024, 1, 1)
    props.last_modified_by = "actes-service"
    buf = io.BytesIO()
    doc.save(buf)
    return reproducible(buf.getvalue())


def build_main(build, output, script: str, argv: list[str] | None = None) -> int:  # noqa: ANN001
    """Write *build()* to *output*, or with ``--check`` fail when the committed file is stale."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=f"Build {output.name}.")
    parser.add_argument("--check", action="store_true", help="fail if the committed file is stale")
    args = parser.parse_args(argv)
    data = build()
    if args.check:
        if not output.is_file() or not same_content(output.read_bytes(), data):
            print(f"{output} n'est pas à jour : relancer {script}", file=sys.stderr)
            return 1
        return 0
    output.write_bytes(data)
    print(f"écrit : {output} ({len(data)} octets)")
    return 0
