"""A run of paragraphs written with python-docx, printed into a template by docxtpl.

docxtpl's own :class:`~docxtpl.subdoc.Subdoc` opens python-docx's default document for every
subdocument, only to throw away all of it but the body. A :class:`Fragment` is that body alone:
a bare ``<w:body>`` attached to the template's document part, so that styles and numberings
resolve against the template, as they do in a Subdoc. The XML it prints is the same.
"""

from __future__ import annotations

import re

from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph
from lxml import etree

_BODY_TAGS = re.compile(r"</?w:body[^>]*>")


class Fragment:
    """Paragraphs to be placed with ``{{p name }}`` in the template of *document*."""

    def __init__(self, document: DocumentObject) -> None:
        root = parse_xml(f"<w:document {nsdecls('w')}><w:body/></w:document>")
        self._document = DocumentObject(root, document.part)

    def add_paragraph(self) -> Paragraph:
        """Return a new empty paragraph at the end of the fragment."""
        # Appended to the body directly: python-docx's own add_paragraph looks for a
        # <w:sectPr> to insert before (a fragment has none) among all the paragraphs already
        # there, which makes a 40-page exposé quadratic.
        p = OxmlElement("w:p")
        self._document.element.body.append(p)
        return Paragraph(p, self._document._body)

    def _get_xml(self) -> str:
        # The name and the output of docxtpl's Subdoc._get_xml: the paragraphs, without the
        # body element (or the namespace declarations it carries).
        body = self._document.element.body
        return _BODY_TAGS.sub("", etree.tostring(body, encoding="unicode", pretty_print=False))

    def __html__(self) -> str:
        return self._get_xml()

    __str__ = __html__
