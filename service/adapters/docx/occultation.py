"""Remove personal data from the text of a DOCX that cannot be rendered again (a clerk's
amended version): the strings are replaced in the paragraphs' text itself.

A paragraph holding a datum is rewritten as one run of its replaced text (its direct formatting
within the line is lost, the paragraph's style kept): the datum may be split across runs by
Word, and only the whole paragraph's text shows it. Every XML part of the document is read
(body, tables, text boxes, headers, footers, notes, comments) and the core properties too; a
datum still present afterwards refuses the document rather than publishing it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.oxml.ns import qn

from service.domain.errors import DocumentRejected
from service.domain.occultation import occulter_texte

_W_P, _W_T = qn("w:p"), qn("w:t")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _paragraph_text(p) -> str:  # noqa: ANN001 - an lxml element
    return "".join(t.text or "" for t in p.iter(_W_T))


def _xml_parts(document):  # noqa: ANN001, ANN202 - python-docx objects
    for part in document.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None and part.content_type.startswith(
                "application/vnd.openxmlformats-officedocument.wordprocessingml"):
            yield element


class DocxOcculteur:
    """The :class:`DocumentOcculteur` port on python-docx."""

    def occulter(self, docx: bytes, donnees: Sequence[str], ajout: str = "") -> bytes:
        """Return *docx* without *donnees* in its text, *ajout* added as a last paragraph.

        :raises DocumentRejected: when *docx* cannot be read or a datum would remain.
        """
        try:
            document = Document(io.BytesIO(docx))
        except Exception as exc:  # python-docx raises PackageNotFoundError, KeyError, BadZipFile…
            raise DocumentRejected(f"Le document n'est pas un DOCX lisible ({type(exc).__name__}).",
                                   code="docx-illisible") from exc
        wanted = [d for d in donnees if d.strip()]
        if wanted:
            for root in _xml_parts(document):
                for p in root.iter(_W_P):
                    texts = list(p.iter(_W_T))
                    whole = "".join(t.text or "" for t in texts)
                    if not any(d in whole for d in wanted):
                        continue
                    texts[0].text = occulter_texte(whole, wanted)
                    texts[0].set(_SPACE, "preserve")
                    for t in texts[1:]:
                        t.text = ""
            props = document.core_properties
            for name in ("title", "subject", "keywords", "comments"):
                value = getattr(props, name) or ""
                if any(d in value for d in wanted):
                    setattr(props, name, occulter_texte(value, wanted))
            restes = [d for root in _xml_parts(document) for p in root.iter(_W_P)
                      for d in wanted if d in _paragraph_text(p)]
            if restes:
                raise DocumentRejected(
                    f"« {restes[0]} » resterait dans la version publiée : occultez-le dans le "
                    "DOCX avant de publier.", code="occultation-incomplete")
        if ajout:
            document.add_paragraph(ajout)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
