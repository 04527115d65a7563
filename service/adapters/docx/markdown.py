"""The Markdown subset of the payload (exposé, articles) as real Word paragraphs.

The contract allows paragraphs, ``##``/``###`` headings, ``-`` and ``1.`` lists, ``**bold**``
and ``*italic*``. They are parsed with markdown-it-py rather than by hand: it is a maintained,
CommonMark-conformant parser whose token stream (``paragraph_open``, ``bullet_list_open``,
``strong_open``…) maps one to one onto Word paragraphs, list levels and runs, and which can be
restricted to exactly the subset above. Raw HTML, links, images, code and entities are left
disabled, so ``<w:p>``, ``&amp;`` or ``[x](y)`` in a payload print as typed.

The paragraphs are written with python-docx into a docxtpl subdocument, which the template
places with ``{{p blocs.expose }}``: the payload text never goes through Jinja, so
``{{ 7*7 }}`` in an exposé prints as ``{{ 7*7 }}``.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Twips
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from docxtpl.subdoc import Subdoc
from markdown_it import MarkdownIt
from markdown_it.token import Token

from service.adapters.docx.escaping import LiteralSubdoc
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
_MAX_LEVEL = 2  # three list levels, as the numbering definitions have

STYLE_BODY = "Body Text"
STYLE_LIST = "List Paragraph"
STYLE_HEADINGS = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}


class MarkdownWriter:
    """Writes Markdown into one subdocument of a template being rendered."""

    def __init__(self, tpl: DocxTemplate, numbering: Numbering) -> None:
        self._tpl = tpl
        self._numbering = numbering
        styles = tpl.get_docx().styles
        # An authority's template may lack a style: the paragraph then keeps the default one
        # and gets direct formatting instead of failing.
        self._styles = {
            name for name in (STYLE_BODY, STYLE_LIST, *STYLE_HEADINGS.values()) if name in styles
        }

    def subdoc(self, texts: Iterable[str], *, item: str | None = None) -> LiteralSubdoc:
        """Return a subdocument holding *texts*, one after the other.

        With *item* (:data:`~.numbering.ARTICLES`), each text is one item of that list: its
        first paragraph carries the glyph, the rest is indented under it.
        """
        sd = self._tpl.new_subdoc()
        num_id = self._numbering.shared(item) if item else None
        for text in texts:
            self._write(sd, fr(text), (num_id, 0) if num_id is not None else None)
        return LiteralSubdoc(sd)

    def _style(self, name: str) -> str | None:
        return name if name in self._styles else None

    def _write(self, sd: Subdoc, text: str, outer: tuple[int, int] | None) -> None:
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
        self, sd: Subdoc, heading: int, lists: list[tuple[int, int]], first_in_item: bool
    ) -> Paragraph:
        if heading and not lists:
            p = sd.add_paragraph(style=self._style(_heading_style(heading)))
            p.paragraph_format.keep_with_next = True
            return p
        if not lists:
            p = sd.add_paragraph(style=self._style(STYLE_BODY))
            if STYLE_BODY not in self._styles:
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            return p
        num_id, level = lists[-1]
        p = sd.add_paragraph(style=self._style(STYLE_LIST))
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
            p.add_run(" ")
        elif kind == "hardbreak":
            p.add_run().add_break()
        elif child.content:
            _run(p, child.content, strong or bold, em)


def _run(p: Paragraph, text: str, bold: bool | int, italic: int) -> None:
    run = p.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True


__all__ = ["ARTICLES", "MarkdownWriter"]
