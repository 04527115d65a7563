"""What a reader sees in a PDF: its text through poppler's pdftotext, whitespace-normalised."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def normalise(text: str) -> str:
    """Return *text* with every run of spaces (no-break ones included) made one space."""
    return _SPACES.sub(" ", text).strip()


def pdf_text(pdf: bytes, first: int | None = None, last: int | None = None) -> str:
    """Return the text layer of *pdf* (pages *first*..*last*), normalised."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        cmd = ["pdftotext", "-enc", "UTF-8"]
        if first:
            cmd += ["-f", str(first)]
        if last:
            cmd += ["-l", str(last)]
        out = subprocess.run([*cmd, f.name, "-"], capture_output=True, check=True, timeout=60)
    return normalise(out.stdout.decode("utf-8"))


def pdf_fonts(pdf: bytes) -> list[dict[str, str]]:
    """Return pdffonts' table: one dict per font with its ``name`` and ``emb`` column."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    lines = out.stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        cols = line.split()
        # name type [encoding words] emb sub uni object ID: emb is the 5th column from the end
        fonts.append({"name": cols[0], "emb": cols[-5]})
    return fonts


PDFAID = "http://www.aiim.org/pdfa/ns/id/"


def pdfa_declaration(pdf: bytes) -> tuple[str | None, str | None]:
    """Return the PDF/A (part, conformance) the PDF's XMP metadata declare: ``("2", "B")``."""
    import io

    from lxml import etree
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    if "/Metadata" not in root:
        return None, None
    xmp = etree.fromstring(root["/Metadata"].get_object().get_data())
    found = {}
    for name in ("part", "conformance"):
        elements = xmp.findall(f".//{{{PDFAID}}}{name}")
        attributes = xmp.xpath(f"//@*[local-name()='{name}' and namespace-uri()='{PDFAID}']")
        values = [e.text for e in elements] + [str(a) for a in attributes]
        found[name] = values[0] if values else None
    return found["part"], found["conformance"]
