"""Build Carbone's template of an act from the DOCX the service rendered for it.

Carbone fills ``{d.field}`` tags from a JSON object. To compare it with the service on the same
document (same text, same layout, same pages), the template is derived from the service's own
rendered DOCX rather than drawn by hand: every text run (``<w:t>``) of the body, headers and
footers whose text is not one of the service template's own fixed texts came from the payload
(names, dates, counts, the exposé, the articles…); its text is moved into the data and the run
gets a tag ``{d.tN}`` instead. Runs of fixed text (labels typed in the template) stay as they
are, as they would in a template written for Carbone. Carbone's output therefore has the
service's words, and its PDF the same pages (the benchmark checks both).

Carbone's loops (``{d.list[i].x}``) are not used: each value is one flat tag, which costs
Carbone at most what a loop would.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT = f"{{{W}}}t"
_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
_JINJA = re.compile(r"\{[{%#].*?[}%#]\}")


def _texts(xml: bytes) -> list[etree._Element]:
    return list(etree.fromstring(xml).iter(_TEXT))


def fixed_texts(template_docx: Path) -> set[str]:
    """Return the texts of the template's runs that hold no Jinja tag: its fixed wording."""
    fixed: set[str] = set()
    with zipfile.ZipFile(template_docx) as z:
        for name in z.namelist():
            if _PARTS.fullmatch(name):
                for t in _texts(z.read(name)):
                    text = t.text or ""
                    if text.strip() and not _JINJA.search(text) and "{" not in text:
                        fixed.add(text)
    return fixed


def carbone_template(rendered_docx: bytes, template_docx: Path) -> tuple[bytes, dict[str, str]]:
    """Return Carbone's template of *rendered_docx* and the data that fills it.

    *template_docx* is the service template the DOCX was rendered from (its fixed texts stay).
    """
    fixed = fixed_texts(template_docx)
    data: dict[str, str] = {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(rendered_docx)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if _PARTS.fullmatch(item.filename):
                root = etree.fromstring(content)
                for t in root.iter(_TEXT):
                    text = t.text or ""
                    if not text.strip() or text in fixed:
                        continue
                    if "{" in text or "}" in text:
                        raise ValueError(f"a brace in the act's text would read as a tag: {text!r}")
                    key = f"t{len(data)}"
                    data[key] = text
                    t.text = f"{{d.{key}}}"
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                         standalone=True)
            dst.writestr(item, content)
    return out.getvalue(), data
