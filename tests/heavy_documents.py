"""Heavy but valid documents (issue 13): a long table, many page breaks, built as raw XML
(python-docx takes minutes to add 20,000 rows)."""

from __future__ import annotations

import random
import string

from docx_tamper import edit_part


def with_table(plain: bytes, rows: int, columns: int = 4) -> bytes:
    """Return *plain* with a table of *rows* rows before its first paragraph, its cells
    holding amounts and labels as a budget annex does (compressing like one, 10-20 to 1)."""
    draw = random.Random(rows)
    cell = "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>"

    def row(r: int) -> str:
        values = [f"{draw.randrange(10**8):,} €".replace(",", " "),
                  f"Compte {draw.randrange(60000, 79999)}", f"ligne {r}",
                  "".join(draw.choices(string.ascii_lowercase + " ", k=24))]
        return "<w:tr>" + "".join(cell.format(values[c % 4]) for c in range(columns)) + "</w:tr>"

    table = "<w:tbl><w:tblPr/><w:tblGrid/>" + "".join(row(r) for r in range(rows)) + "</w:tbl>"
    return edit_part(plain, "word/document.xml", b"<w:body>", b"<w:body>" + table.encode())


def with_page_breaks(plain: bytes, breaks: int) -> bytes:
    """Return *plain* with *breaks* paragraphs each ending its page."""
    page = '<w:p><w:r><w:t>Page</w:t></w:r><w:r><w:br w:type="page"/></w:r></w:p>'
    body = b"<w:body>" + (page * breaks).encode()
    return edit_part(plain, "word/document.xml", b"<w:body>", body)
