"""ActReader: the stamp's quick reading of classic xref tables files exactly what pyHanko's
own reader files, and leaves every other kind of file to pyHanko."""

from __future__ import annotations

import io

import pikepdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfWriter

from service.adapters.pdf_stamp.reading import ActReader, _file_table


def _xref_view(reader: PdfFileReader) -> object:
    """Everything pyHanko knows of a file's cross-reference sections and trailer."""
    sections = [
        (s.meta_info, dict(s.xref_data.standard_xrefs), dict(s.xref_data.freed),
         set(s.xref_data.explicit_refs_in_revision), dict(s.xref_data.xrefs_in_objstm),
         s.xref_data.hybrid)
        for s in reader.xrefs._xref_sections
    ]
    return sections, reader.last_startxref, reader.trailer.flatten(), reader.has_xref_stream


def _blank(pages: int = 2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _table_start(pdf: bytes) -> int:
    """Where the entries of the last classic xref table start (just after ``xref``)."""
    return pdf.rindex(b"xref", 0, pdf.rindex(b"startxref")) + len(b"xref")


def _appended(pdf: bytes, table: bytes) -> bytes:
    """*pdf* followed by an update that re-writes its catalogue, with the xref *table*
    (where ``{catalog}`` stands for the catalogue's offset, ``{catalog_sp}`` for the same
    padded with spaces instead of zeros)."""
    root = PdfFileReader(io.BytesIO(pdf)).trailer.raw_get("/Root")
    prev = int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])
    body = pdf + b"\n"
    catalog_at = len(body)
    body += f"{root.idnum} 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".encode()
    xref_at = len(body)
    table = table.replace(b"{catalog}", f"{catalog_at:010d}".encode())
    table = table.replace(b"{catalog_sp}", f"{catalog_at:10d}".encode())
    trailer = f"trailer\n<< /Size 12 /Root {root.idnum} 0 R /Prev {prev} >>\n"
    return body + b"xref\n" + table + trailer.encode() + f"startxref\n{xref_at}\n%%EOF\n".encode()


def _several_subsections(pdf: bytes) -> bytes:
    root = PdfFileReader(io.BytesIO(pdf)).trailer.raw_get("/Root").idnum
    # Three end-of-line styles, a freed object, a freed generation, object 0 in its own row,
    # object 8 freed then used again further down, object 9 given twice (the later row wins).
    return _appended(pdf, (
        b"0 1\n0000000000 65535 f\r\n"
        + f"{root} 1\n".encode() + b"{catalog} 00000 n \n"
        + b"7 2\n0000000000 00001 f \r0000000000 00003 f\r\n"
        + b"8 2\n{catalog} 00002 n \n0000000015 00000 n \n"
        + b"9 1\n{catalog} 00001 n \n"
    ))


def _classic_files() -> dict[str, bytes]:
    blank = _blank()
    return {
        "pypdf": blank,
        "several subsections": _several_subsections(blank),
        "stamped (an update with /Prev)": _stamped(blank),
    }


def _stamped(pdf: bytes) -> bytes:
    import datetime as dt

    from service.adapters.pdf_stamp import IncrementalStamper
    from service.domain.mention import MentionPrefecture

    mention = MentionPrefecture("021-242100410-20191219-2019-12-19_013-DE",
                                date_envoi=dt.date(2019, 12, 20))
    return IncrementalStamper().stamp(pdf, mention)


@pytest.mark.parametrize("name", list(_classic_files()))
def test_a_classic_table_is_filed_quickly_and_as_pyhanko_files_it(name):
    pdf = _classic_files()[name]

    assert _file_table(pdf, _table_start(pdf)) is not None  # the quick path is the one taken
    assert _xref_view(ActReader(pdf)) == _xref_view(PdfFileReader(io.BytesIO(pdf), strict=False))


def test_xref_streams_are_left_to_pyhanko():
    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(_blank())) as pdf:
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    pdf_bytes = buf.getvalue()

    reader = ActReader(pdf_bytes)

    assert reader.has_xref_stream
    assert _xref_view(reader) == _xref_view(PdfFileReader(io.BytesIO(pdf_bytes), strict=False))


@pytest.mark.parametrize(
    "table",
    [
        # Space-padded offset, 21-byte rows, a missing row: not as ISO 32000-1 writes them.
        b"0 1\n0000000000 65535 f \n1 1\n{catalog_sp} 00000 n \n",
        b"0 1\n0000000000 65535 f\r\r\n",
        b"0 3\n0000000000 65535 f \n",
        # A generation pyHanko drops.
        b"0 1\n0000000000 65535 f \n1 1\n{catalog} 99999 n \n",
    ],
)
def test_a_table_not_exactly_well_formed_is_read_by_pyhanko_itself(table):
    pdf = _appended(_blank(), table)

    assert _file_table(pdf, _table_start(pdf)) is None
    try:
        expected = _xref_view(PdfFileReader(io.BytesIO(pdf), strict=False))
    except Exception as exc:  # pyHanko refuses it: so must the quick reader
        with pytest.raises(type(exc)):
            ActReader(pdf)
    else:
        assert _xref_view(ActReader(pdf)) == expected


def _answer(section, ref):
    try:
        return section.xref_data.try_resolve(ref)
    except KeyError:
        return KeyError


@pytest.mark.parametrize("name", list(_classic_files()))
def test_resolving_one_object_reads_its_row_and_answers_as_pyhanko(name):
    from pyhanko.pdf_utils.generic import Reference

    pdf = _classic_files()[name]
    quick, slow = ActReader(pdf), PdfFileReader(io.BytesIO(pdf), strict=False)
    size = int(slow.trailer["/Size"])

    for mine, theirs in zip(quick.xrefs._xref_sections, slow.xrefs._xref_sections, strict=True):
        for idnum in range(size + 2):
            for generation in range(4):
                ref = Reference(idnum, generation)
                assert _answer(mine, ref) == _answer(theirs, ref), (idnum, generation)
        # Answered from the rows: the table was never filed in bulk.
        assert mine.xref_data._filed is None
    assert quick.root["/Pages"]["/Count"] == slow.root["/Pages"]["/Count"]
