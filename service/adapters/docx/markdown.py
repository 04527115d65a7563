"""The Markdown subset of the payload (exposé, articles) as real Word paragraphs.

The contract allows paragraphs, ``##``/``###`` headings, ``-`` and ``1.`` lists, ``**bold**``
and ``*italic*``. They are parsed with markdown-it-py rather than by hand: it is a maintained,
CommonMark-conformant parser whose token stream (``paragraph_open``, ``bullet_list_open``,
``strong_open``…) maps one to one onto Word paragraphs, list levels and runs, and which can be
restricted to exactly the subset above. Raw HTML, links, images, code and entities are left
disabled, so ``<w:p>``, ``&amp;`` or ``[x](y)`` in a payload print as typed.

The paragraphs are written with python-docx into a :class:`~.fragment.Fragment`, which the
template places with ``{{p blocs.expose }}``: the payload text never goes through Jinja, so
``{{ 7*7 }}`` in an exposé prints as ``{{ 7*7 }}``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.parfmt import CT_PPr
from docx.shared import Twips
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from markdown_it import MarkdownIt
from markdown_it.token import Token

from service.adapters.docx.escaping import LiteralSubdoc
from service.adapters.docx.fragment import Fragment
from service.adapters.docx.numbering import (
    ARTICLES,
    NUMEROS,
    PUCES,
    Numbering,
    indent_of,
    number_paragraph,
)
from service.adapters.docx.typography import fr

_PARSER = MarkdownIt("zero").enable(["heading", "list", "emphasis", "newline", "escape"])
_EMPHASIS = frozenset({"strong_open", "strong_close", "em_open", "em_close"})
_CONTROL = re.compile("[\t\r\n]")
_MAX_LEVEL = 2  # three list levels, as the numbering definitions have

STYLE_BODY = "Body Text"
STYLE_LIST = "List Paragraph"
STYLE_HEADINGS = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}


class MarkdownWriter:
    """Writes Markdown into subdocuments of the template *document* being rendered."""

    def __init__(
        self,
        document: Document,
        numbering: Numbering,
        styles: dict[str, tuple[bool, str | None]] | None = None,
        *,
        typographie: Callable[[str], str] = fr,
    ) -> None:
        """*styles* caches what is learnt of the template's styles (name -> present, id); pass
        the same dict for every copy of one template file to learn it once. *typographie* is
        :func:`.typography.fr` or a memo of it."""
        self._typographie = typographie
        self._document = document
        self._numbering = numbering
        self._known = {} if styles is None else styles
        # One <w:pPr> per style, copied into each paragraph: python-docx's own setter walks
        # the schema's child order for every paragraph, a third of the time of a long exposé.
        self._properties: dict[str | None, CT_PPr] = {}

    def subdoc(self, texts: Iterable[str], *, item: str | None = None) -> LiteralSubdoc:
        """Return a subdocument holding *texts*, one after the other.

        With *item* (:data:`~.numbering.ARTICLES`), each text is one item of that list: its
        first paragraph carries the glyph, the rest is indented under it.
        """
        sd = Fragment(self._document)
        num_id = self._numbering.shared(item) if item else None
        for text in texts:
            self._write(sd, self._typographie(text), (num_id, 0) if num_id is not None else None)
        return LiteralSubdoc(sd)

    def _lookup(self, name: str) -> tuple[bool, str | None]:
        known = self._known.get(name)
        if known is None:
            styles = self._document.styles
            # An authority's template may lack a style: the paragraph then keeps the default
            # one and gets direct formatting instead of failing.
            present = name in styles
            style_id = styles.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH) if present else None
            known = self._known[name] = (present, style_id)
        return known

    def _style(self, name: str) -> str | None:
        return name if self._lookup(name)[0] else None

    def _add_paragraph(self, sd: Fragment, style: str | None) -> Paragraph:
        """Return a new paragraph of *sd* in the style named *style*, as python-docx sets it."""
        p = sd.add_paragraph()
        if style is not None:
            # None for the default style: python-docx then leaves an empty <w:pPr/>, so do we.
            style_id = self._lookup(style)[1]
            proto = self._properties.get(style_id)
            if proto is None:
                proto = OxmlElement("w:pPr")
                if style_id is not None:
                    proto.append(OxmlElement("w:pStyle", {qn("w:val"): style_id}))
                self._properties[style_id] = proto
            p._p.insert(0, copy.deepcopy(proto))
        return p

    def _write(self, sd: Fragment, text: str, outer: tuple[int, int] | None) -> None:
        lists: list[tuple[int, int]] = [outer] if outer else []
        first_in_item = outer is not None
        heading = 0
        for tok in _PARSER.parse(text):
            kind = tok.type
            if kind == "bullet_list_open":
                level = min(len(lists), _MAX_LEVEL)
                lists.append((self._numbering.shared(PUCES), level))
            elif kind == "ordered_list_open":
                level = min(len(lists), _MAX_LEVEL)
                start = int(tok.attrGet("start") or 1)
                lists.append((self._numbering.restarted(NUMEROS, level, start), level))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                first_in_item = True
            elif kind == "heading_open":
                heading = int(tok.tag[1:])
            elif kind == "heading_close":
                heading = 0
            elif kind == "inline":
                p = self._paragraph(sd, heading, lists, first_in_item)
                first_in_item = False
                # A heading without its style in the template is at least bold.
                bold = bool(heading) and not self._style(_heading_style(heading))
                _add_runs(p, tok.children or [], bold=bold)

    def _paragraph(
        self, sd: Fragment, heading: int, lists: list[tuple[int, int]], first_in_item: bool
    ) -> Paragraph:
        if heading and not lists:
            p = self._add_paragraph(sd, self._style(_heading_style(heading)))
            p.paragraph_format.keep_with_next = True
            return p
        if not lists:
            p = self._add_paragraph(sd, self._style(STYLE_BODY))
            if not self._lookup(STYLE_BODY)[0]:
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            return p
        num_id, level = lists[-1]
        p = self._add_paragraph(sd, self._style(STYLE_LIST))
        if first_in_item:
            number_paragraph(p, num_id, level)
        else:
            # A second paragraph in one item: aligned on the item's text, no glyph.
            p.paragraph_format.left_indent = Twips(indent_of(level))
        return p


def _heading_style(level: int) -> str:
    return STYLE_HEADINGS[min(max(level, 1), 3)]


def _add_runs(p: Paragraph, children: list[Token], *, bold: bool = False) -> None:
    strong = 0
    em = 0
    for child in children:
        kind = child.type
        if kind in _EMPHASIS and child.markup.startswith("_"):
            # The subset has *italic* and **bold** only: "_x_" (a numéro, "{_{") stays as typed.
            _run(p, child.markup, strong or bold, em)
        elif kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            em += 1
        elif kind == "em_close":
            em -= 1
        elif kind == "softbreak":
            _run(p, " ", False, 0)
        elif kind == "hardbreak":
            p.add_run().add_break()
        elif child.content:
            _run(p, child.content, strong or bold, em)


def _run(p: Paragraph, text: str, bold: bool | int, italic: int) -> None:
    if _CONTROL.search(text):
        run = p.add_run(text)  # python-docx makes tabs and line ends <w:tab/> and <w:br/>
    else:
        # What p.add_run(text) writes for such text, without its character-by-character walk.
        r = p._p.add_r()
        r.add_t(text)
        run = Run(r, p)
    if bold:
        run.bold = True
    if italic:
        run.italic = True


__all__ = ["ARTICLES", "MarkdownWriter"]
