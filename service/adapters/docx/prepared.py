"""A template file made ready once, so that a render is a Jinja render and a zip.

docxtpl, used as documented, does on every render what depends on the template file only: it
serialises the body, cleans it (``patch_xml``) and compiles it, parses what Jinja gives back
(``fix_tables``), puts it in a copy of the document, and python-docx serialises and zips every
part again. For the Dijon act that was three quarters of the render. Here, once per version of
a template file, with docxtpl's and python-docx's own functions on a parsed copy of it:

- the body: docxtpl's ``get_xml`` and ``patch_xml``, with the line breaks its
  ``render_xml_part`` puts before each ``<w:p``, compiled; ``document.xml``'s text before and
  after the body, as python-docx writes it;
- each header and footer: the same, or its final bytes when it holds no Jinja tag;
- the numbering part, cut where each render's lists go (:class:`.numbering.NumberingText`);
- the styles the Markdown writer asks for (:func:`.markdown.style_table`);
- every other part, as python-docx writes it, zipped once: each render appends its own parts
  to a copy of that zip.

What docxtpl does after Jinja is then done on the text by the same code (:func:`finish`). Two of
its steps need the parsed result and are skipped: ``fix_tables`` (it only changes a table whose
rows have more or fewer cells than its grid: a template's ``{%tc``, ``colspan``, ``hm`` tags)
and ``fix_docpr_ids`` (it renumbers the drawings of the body). A template that needs them, and
a few rare shapes listed in :func:`prepare`, raise :class:`Unsupported`: the renderer then
fills it with docxtpl's own path. tests/integration/test_docx_fast_path.py compares both paths
part by part.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.parsers import expat

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Template
from lxml import etree

from service.adapters.docx.cache import (
    ENVIRONMENT,
    JINJA_TAG,
    LISTING_CHARS,
    CachedDocxTemplate,
    finish_part,
    opened,
    write_package,
)
from service.adapters.docx.core_properties import PreparedProperties
from service.adapters.docx.markdown import style_table
from service.adapters.docx.markdown_memo import Memo
from service.adapters.docx.numbering import NumberingRender, NumberingText
from service.adapters.docx.sitting_prefix import SittingPrefix, finished_rest
from service.adapters.docx.wellformed import always_well_formed
from service.adapters.docx.zipped import Archive, Packed, Piece

log = logging.getLogger(__name__)

_CELL_TAGS = re.compile(r"\{[{%][-+]?\s*(?:tc|colspan|cellbg|vm|hm)\b")
_TAGS = re.compile(r"<[^>]+>")
_BODY_MARK = "extrait-corps"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


class Unsupported(Exception):
    """The template needs a step of docxtpl this path does not take (the message says which)."""


class _Filled:
    """A part Jinja fills at each render: its compiled text.

    docxtpl's render_xml_part puts a line break before each ``<w:p`` before compiling, and
    takes them out of Jinja's result: only the line numbers of Jinja's errors see them (a tag's
    whitespace control can only take out one that is taken out anyway, since each is followed
    by ``<``). Syntax errors, the only ones quoting a line, are raised when a template is
    prepared, and the template then goes through docxtpl's path, which reports them.
    """

    def __init__(self, member: str, patched: str, encoding: str = "utf-8") -> None:
        if not always_well_formed(patched, ENVIRONMENT):
            raise Unsupported(f"{member}: Jinja blocks that may give broken XML (wellformed.py)")
        self.member = member
        self.encoding = encoding
        self.template: Template = ENVIRONMENT.from_string(patched)

    def text(self, context: dict[str, Any]) -> tuple[str, bool]:
        """Return the part's text for *context*, and whether docxtpl's regular expressions
        cut paragraphs and runs in it (tab, line or page marks in a value)."""
        raw = self.template.render(context)
        listed = any(c in raw for c in LISTING_CHARS)
        return finish_part(raw, listed), listed


class PreparedTemplate:
    """One version of a template file, ready to be rendered (see the module's docstring)."""

    def __init__(self, data: bytes) -> None:
        """:raises Unsupported: when the template needs docxtpl's own path."""
        document = Document(io.BytesIO(data))
        package = document.part.package
        try:
            core_part = package.part_related_by(RT.CORE_PROPERTIES)
        except KeyError:
            # python-docx would make one per render, dated at the render.
            raise Unsupported("no core properties part") from None
        tpl = CachedDocxTemplate(data, document)
        tpl.render_init()
        body = document.element.body
        body_xml = tpl.get_xml()
        if _CELL_TAGS.search(_TAGS.sub("", body_xml)):
            raise Unsupported("table cell tags (docxtpl's fix_tables)")
        if body.xpath(".//wp:docPr"):
            raise Unsupported("a drawing in the body (docxtpl's fix_docpr_ids)")
        if not _rows_fill_their_grids(body_xml):
            raise Unsupported("a table row not spanning its grid (docxtpl's fix_tables)")
        self._tables = "<w:tbl>" in body_xml or "<w:tbl " in body_xml
        self.styles = style_table(document)
        self.markdown = Memo()
        """The paragraphs written for the last texts with these styles (markdown_memo.py)."""
        self.numbering = NumberingText(document)
        # The body as docxtpl's get_xml gives it repeats on <w:body> the namespaces the document
        # declares; python-docx's document.xml does not: they are taken off once here.
        self._declared, body_source = _inherited_taken_off(
            tpl.patch_xml(body_xml), document.element.nsmap)
        self._nsmap = dict(document.element.nsmap)
        self._body = _Filled(document.part.partname.membername, body_source)
        self._headers = self._headers_and_footers(tpl)
        for part in package.parts:
            footnotes = part.content_type == _FOOTNOTES
            if footnotes and JINJA_TAG.search(tpl.patch_xml(part.blob.decode())):
                raise Unsupported("Jinja tags in footnotes")
        # Without Jinja tags, footnotes come out of docxtpl's pass the same for every render.
        tpl.render_footnotes({}, ENVIRONMENT)
        self._properties = PreparedProperties(core_part.blob)
        self._core_member = core_part.partname.membername
        self._numbering_member = document.part.numbering_part.partname.membername
        before_body, self._after_body = _around_body(document)
        self._before_body = Packed.of(before_body)
        try:
            self._start: SittingPrefix | None = SittingPrefix(body_source, before_body)
        except ValueError:
            self._start = None
        static = io.BytesIO()
        dynamic = {self._body.member, self._numbering_member, self._core_member}
        if not all(m.isascii() for m in dynamic | {h.member for h in self._headers}):
            # zipped.py writes the parts each render fills with ASCII names, as OPC names are.
            raise Unsupported("a filled part whose name is not ASCII")
        write_package(static, package, skip=dynamic | {h.member for h in self._headers})
        self._archive = Archive(static.getvalue())

    def _headers_and_footers(self, tpl: CachedDocxTemplate) -> list[_Filled]:
        """Compile the headers and footers holding Jinja tags; fill the others once, as
        docxtpl's render does (its build_headers_footers_xml, map_headers_footers_xml)."""
        filled: list[_Filled] = []
        seen: set[str] = set()
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for rel_key, part in list(tpl.get_headers_footers(uri)):
                member = part.partname.membername
                if member in seen:
                    raise Unsupported(f"{member} is the target of two relationships")
                seen.add(member)
                xml = tpl.get_part_xml(part)
                encoding = tpl.get_headers_footers_encoding(xml)
                patched = tpl.patch_xml(xml)
                if JINJA_TAG.search(patched):
                    filled.append(_Filled(member, patched, encoding))
                else:
                    rendered = tpl.render_xml_part(patched, part, {}, ENVIRONMENT)
                    tpl.map_headers_footers_xml(rel_key, rendered.encode(encoding))
        return filled

    def render(
        self,
        context: dict[str, Any],
        numbering: NumberingRender,
        properties: Mapping[str, str],
    ) -> bytes:
        """Return the DOCX of the template filled with *context*, the lists of *numbering*
        added, its core properties after docxtpl's Jinja pass on them set to *properties*
        (:data:`.core_properties.SET`).

        :raises jinja2.TemplateError: as docxtpl's render would.
        """
        parts: list[tuple[str, list[Piece]]] = [(self._body.member, self._body_pieces(context))]
        for header in self._headers:
            # As docxtpl's map_headers_footers_xml: parsed by python-docx, written by it.
            element = parse_xml(header.text(context)[0].encode(header.encoding))
            parts.append((header.member, [serialize_part_xml(element)]))
        parts.append((self._numbering_member, numbering.pieces()))
        parts.append((self._core_member, [self._properties.render(context, properties)]))
        return self._archive.zip(parts)


    def _body_pieces(self, context: dict[str, Any]) -> list[Piece]:
        token = getattr(context, "partage", None)
        if self._start is not None and token is not None:
            start = self._start.start(token, context)  # see sitting_prefix.py
            if start is not None:
                rest = self._start.rest.render(context)
                if finished_rest(start, rest) and not (
                    self._tables and _rowless_table(start.text + rest)
                ):
                    return [start.packed, rest.encode() + self._after_body]
        text, listed = self._body.text(context)
        if self._tables and _rowless_table(text) or listed and not _parses(text):
            text = _fixed(text, self._declared, document_nsmap=self._nsmap)
        return [self._before_body, text.encode() + self._after_body]


def _rows_fill_their_grids(body_xml: str) -> bool:
    """Whether each row of each table of the body spans its table's grid, and has no more
    cells than it has columns: docxtpl's ``fix_tables`` then leaves any table with a row as it
    is (the rows of a render are copies of the template's: wellformed.py keeps blocks out of
    rows)."""
    for table in etree.fromstring(body_xml).iter(_W + "tbl"):
        grid = table.find(_W + "tblGrid")
        if grid is None:
            return False
        columns = len(grid.findall(_W + "gridCol"))
        for row in table.iter(_W + "tr"):  # fix_tables counts nested tables' rows too
            cells = row.findall(_W + "tc")
            spans = [c.find(f"{_W}tcPr/{_W}gridSpan") for c in cells]
            width = sum(1 if s is None else int(s.get(_W + "val", "1")) for s in spans)
            if len(cells) > columns or width != columns:
                return False
    return True


def _rowless_table(xml: str) -> bool:
    """Whether a table of *xml* has no row left (docxtpl's ``fix_tables`` then empties its
    grid); a table whose grid is not followed by a row is taken for one."""
    end = "</w:tblGrid>"
    at = xml.find(end)
    while at >= 0:
        at += len(end)
        if not xml.startswith(("<w:tr>", "<w:tr "), at):
            return True
        at = xml.find(end, at)
    return False


def _parses(xml: str) -> bool:
    parser = expat.ParserCreate()
    try:
        parser.Parse(xml.encode(), True)
    except expat.ExpatError:
        return False
    return True


def _fixed(xml: str, declared: str, *, document_nsmap: Mapping[str | None, str]) -> str:
    """Return the body *xml* as docxtpl's ``fix_tables`` leaves it (parsed with lxml's
    recovering parser, empty grids fixed): for the rare renders the text alone cannot give.
    *declared* are the namespace declarations taken off its ``<w:body>``, given back to it for
    the parser."""
    xml = xml.replace("<w:body", "<w:body" + declared, 1)
    tree = DocxTemplate.fix_tables(None, xml)  # docxtpl's method never reads self
    return _inherited_taken_off(str(etree.tostring(tree, encoding="unicode")), document_nsmap)[1]


_DECLARATION = re.compile(r'\s+xmlns(?::([\w.-]+))?="([^"]*)"')


def _inherited_taken_off(body: str, nsmap: Mapping[str | None, str]) -> tuple[str, str]:
    """Return the namespace declarations of *body*'s first tag that the document's root
    declares alike, and *body* without them."""
    end = body.find(">") + 1
    tag = body[:end]
    taken = [m.group(0) for m in _DECLARATION.finditer(tag) if nsmap.get(m.group(1)) == m.group(2)]
    for declaration in taken:
        tag = tag.replace(declaration, "", 1)
    return "".join(taken), tag + body[end:]


def _around_body(document: Any) -> tuple[bytes, bytes]:
    """Return ``document.xml`` as python-docx writes it, before and after ``<w:body>``."""
    root = document.element
    body = root.body
    mark = etree.Comment(_BODY_MARK)
    root.replace(body, mark)
    try:
        blob = serialize_part_xml(root)
    finally:
        root.replace(mark, body)
    before, after = blob.split(f"<!--{_BODY_MARK}-->".encode(), 1)
    return before, after


def prepared_template(path: Path) -> PreparedTemplate | None:
    """Return the current version of the template file *path* made ready, or ``None`` when
    it needs docxtpl's own path (logged once per file version).

    :raises OSError, ValueError, KeyError…: as :func:`.cache.open_template`, for a file that
        cannot be read or is not a Word document.
    """
    entry = opened(path)
    with entry.lock:
        if entry.prepared is None:
            try:
                entry.prepared = PreparedTemplate(entry.data)
            except Exception as exc:  # Unsupported, or anything docxtpl's path will report
                log.info("template %s rendered by docxtpl's own path: %s", path, exc)
                entry.prepared = exc
    prepared = entry.prepared
    return prepared if isinstance(prepared, PreparedTemplate) else None
