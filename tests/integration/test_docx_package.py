"""The rendered DOCX is the package python-docx writes, zipped faster (issue 20)."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from template_support import TEMPLATES, dijon_data, render

from service.adapters.docx.cache import write_package


def test_the_package_holds_the_parts_python_docx_would_write() -> None:
    document = Document(str(TEMPLATES / "deliberation.docx"))
    ours, theirs = io.BytesIO(), io.BytesIO()
    write_package(ours, document.part.package)
    document.save(theirs)  # python-docx's own writer, deflating every part at level 6
    with zipfile.ZipFile(ours) as a, zipfile.ZipFile(theirs) as b:
        assert a.testzip() is None  # every member's CRC checks
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
        kinds = {i.filename: i.compress_type for i in a.infolist()}
    # The thumbnail, already a JPEG, is stored; the XML is deflated.
    assert kinds["docProps/thumbnail.jpeg"] == zipfile.ZIP_STORED
    assert kinds["word/document.xml"] == zipfile.ZIP_DEFLATED


def test_a_rendered_act_is_a_readable_package() -> None:
    with zipfile.ZipFile(io.BytesIO(render(dijon_data()))) as z:
        assert z.testzip() is None
    document = Document(io.BytesIO(render(dijon_data())))
    assert "DÉLIBÉRATION" in "\n".join(p.text for p in document.paragraphs).upper()
