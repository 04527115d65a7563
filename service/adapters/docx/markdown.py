"""The Markdown subset of the payload (exposé, articles) as real Word paragraphs.

The contract allows paragraphs, ``##``/``###`` headings, ``-`` and ``1.`` lists, ``**bold**``
and ``*italic*``. They are parsed with markdown-it-py (its plain paragraphs read without it, see
:mod:`.markdown_blocks`) rather than by hand: it is a maintained,
CommonMark-conformant parser whose token stream (``paragraph_open``, ``bullet_list_open``,
``strong_open``…) maps one to one onto Word paragraphs, list levels and runs, and which can be
restricted to exactly the subset above. Raw HTML, links, images, code and entities are left
disabled, so ``<w:p>``, ``&amp;`` or ``[x](y)`` in a payload print as typed.

The paragraphs are written as WordprocessingML text, the very XML python-docx would serialise
for them (``<w:p><w:pPr><w:pStyle w:val="Corpsdetexte"/></w:pPr><w:r><w:t>…</w:t></w:r></w:p>``),
which the template places with ``{{p blocs.expose }}``: building them as lxml elements through
python-docx only to serialise them again took 4 ms of a 14 ms render of the Dijon act. The
payload text never goes through Jinja, so ``{{ 7*7 }}`` in an exposé prints as ``{{ 7*7 }}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE

from service.adapters.docx.escaping import LiteralSubdoc
from service.adapters.docx.markdown_blocks import Heading, Plain, blocks
from service.adapters.docx.markdown_memo import Memo, Recorder, Written
from service.adapters.docx.numbering import (
    ARTICLES,
    NUMEROS,
    PUCES,
    Numbering,
    NumberingRender,
    indent_of,
)
from service.adapters.docx.runs import SOFTBREAK, run, runs
from service.adapters.docx.typography import fr

_MAX_LEVEL = 2  # three list levels, as the numbering definitions have

STYLE_BODY = "Body Text"
STYLE_LIST = "List Paragraph"
STYLE_HEADINGS = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}


_ATTRIBUTE_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
     "\r": "&#13;"}
)


class Paragraphs:
    """Paragraphs to be placed with ``{{p name }}`` in a template: their XML, as docxtpl's
    ``Subdoc._get_xml`` gives it (the ``<w:p>`` elements, no body, no namespace declaration:
    the template's document declares ``w:``)."""

    def __init__(self) -> None:
        self.xml: list[str] = []

    def _get_xml(self) -> str:
        return "".join(self.xml)

    def __html__(self) -> str:
        return self._get_xml()

    __str__ = __html__


class MarkdownWriter:
    """Writes Markdown as paragraphs for the template *document* being rendered."""

    def __init__(
        self,
        document: Document | None,
        numbering: Numbering | NumberingRender,
        styles: dict[str, tuple[bool, str | None]] | None = None,
        *,
        typographie: Callable[[str], str] = fr,
        memo: Memo | None = None,
    ) -> None:
        """*styles* caches what is learnt of the template's styles (name -> present, id); pass
        the same dict for every copy of one template file to learn it once, or the complete
        :func:`style_table` of the file with no *document*. *typographie* is
        :func:`.typography.fr` or a memo of it. *memo* keeps what was written for a text
        (:mod:`.markdown_memo`): one per template file, given with its complete style table."""
        self._typographie = typographie
        # fr() removes every character XML refuses (typography.py): its texts need no check.
        self._clean = typographie is fr or getattr(typographie, "__wrapped__", None) is fr
        self._document = document
        self._numbering: Any = numbering
        self._known = {} if styles is None else styles
        self._memo = memo if self._clean and document is None else None
        self._pprs: dict[tuple[Any, ...], str] = {}

    def subdoc(self, texts: Iterable[str], *, item: str | None = None) -> LiteralSubdoc:
        """Return a subdocument holding *texts*, one after the other.

        With *item* (:data:`~.numbering.ARTICLES`), each text is one item of that list: its
        first paragraph carries the glyph, the rest is indented under it.
        """
        texts = tuple(texts)
        if self._memo is None or sum(map(len, texts)) > self._memo.chars // 8:
            # (A text too long to be kept is not recorded either.)
            return LiteralSubdoc(self._paragraphs(texts, item))
        key = (item, texts)
        written = self._memo.get(key)
        if written is None:
            numbering, self._numbering = self._numbering, Recorder()
            try:
                sd = self._paragraphs(key[1], item)
            finally:
                recorder, self._numbering = self._numbering, numbering
            written = Written(sd.xml, recorder.calls)
            written.size += sum(map(len, key[1]))
            self._memo.put(key, written)
        sd = Paragraphs()
        sd.xml.append(written.replay(self._numbering))
        return LiteralSubdoc(sd)

    def _paragraphs(self, texts: Iterable[str], item: str | None) -> Paragraphs:
        sd = Paragraphs()
        num_id = self._numbering.shared(item) if item else None
        for text in texts:
            self._write(sd, self._typographie(text), (num_id, 0) if num_id is not None else None)
        return sd

    def _lookup(self, name: str) -> tuple[bool, str | None]:
        known = self._known.get(name)
        if known is None:
            if self._document is None:
                raise KeyError(f"style {name!r} missing from the style table")
            known = self._known[name] = _style_of(self._document, name)
        return known

    def _style(self, name: str) -> str | None:
        return name if self._lookup(name)[0] else None

    def _write(self, sd: Paragraphs, text: str, outer: tuple[int, int] | None) -> None:
        lists: list[tuple[int, int]] = [outer] if outer else []
        first_in_item = outer is not None
        heading = 0
        for block in blocks(text):
            if isinstance(block, Plain):
                # What the tokens of a plain paragraph give (a text run per line, a space run
                # between lines), without making them: most of an exposé.
                properties = self._properties(0, lists, first_in_item)
                first_in_item = False
                lines = SOFTBREAK.join([run(line, False, 0, self._clean) for line in block])
                sd.xml.append(f"<w:p>{properties}{lines}</w:p>")
                continue
            if isinstance(block, Heading):
                level, title = block
                properties = self._properties(level, lists, first_in_item)
                first_in_item = False
                bold = not self._style(_heading_style(level))
                sd.xml.append(f"<w:p>{properties}{run(title, bold, 0, self._clean)}</w:p>")
                continue
            for tok in block:
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
                    properties = self._properties(heading, lists, first_in_item)
                    first_in_item = False
                    # A heading without its style in the template is at least bold.
                    bold = bool(heading) and not self._style(_heading_style(heading))
                    paragraph_runs = runs(tok.children or [], bold=bold, clean=self._clean)
                    xml = (
                        f"<w:p>{properties}{paragraph_runs}</w:p>"
                        if properties or paragraph_runs
                        else "<w:p/>"
                    )
                    sd.xml.append(xml)

    def _properties(
        self, heading: int, lists: list[tuple[int, int]], first_in_item: bool
    ) -> str:
        """Return the ``<w:pPr>`` of a paragraph (``""`` when it has none)."""
        # The same few for every paragraph of a text (the body style, a list level).
        key = (heading, lists[-1] if lists else None, first_in_item)
        found = self._pprs.get(key)
        if found is None:
            found = self._pprs[key] = self._properties_of(*key)
        return found

    def _properties_of(
        self, heading: int, innermost: tuple[int, int] | None, first_in_item: bool
    ) -> str:
        if heading and innermost is None:
            return self._ppr(self._style(_heading_style(heading)), "<w:keepNext/>")
        if innermost is None:
            justify = "" if self._lookup(STYLE_BODY)[0] else '<w:jc w:val="both"/>'
            return self._ppr(self._style(STYLE_BODY), justify)
        num_id, level = innermost
        if first_in_item:
            numbered = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
            return self._ppr(self._style(STYLE_LIST), numbered)
        # A second paragraph in one item: aligned on the item's text, no glyph.
        return self._ppr(self._style(STYLE_LIST), f'<w:ind w:left="{indent_of(level)}"/>')

    def _ppr(self, style: str | None, direct: str) -> str:
        """Return the ``<w:pPr>`` of the style named *style* followed by *direct* formatting, as
        python-docx writes it: none for no style and no formatting, an empty one for the
        default style (its id is ``None``)."""
        if style is None:
            return f"<w:pPr>{direct}</w:pPr>" if direct else ""
        style_id = self._lookup(style)[1]
        pstyle = "" if style_id is None else f'<w:pStyle w:val="{_attribute(style_id)}"/>'
        inner = pstyle + direct
        return f"<w:pPr>{inner}</w:pPr>" if inner else "<w:pPr/>"


def _style_of(document: Document, name: str) -> tuple[bool, str | None]:
    styles = document.styles
    # An authority's template may lack a style: the paragraph then keeps the default one and
    # gets direct formatting instead of failing.
    present = name in styles
    return present, styles.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH) if present else None


def style_table(document: Document) -> dict[str, tuple[bool, str | None]]:
    """Return what the writer looks up of *document*'s styles (name -> present, id), all of it,
    so that a writer given this table needs no document."""
    names = (STYLE_BODY, STYLE_LIST, *STYLE_HEADINGS.values())
    return {name: _style_of(document, name) for name in names}


def _heading_style(level: int) -> str:
    return STYLE_HEADINGS[min(max(level, 1), 3)]


def _attribute(value: str) -> str:
    return value.translate(_ATTRIBUTE_ESCAPES)


__all__ = ["ARTICLES", "MarkdownWriter"]
