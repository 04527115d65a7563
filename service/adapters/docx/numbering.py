"""The list numberings of the extract: bullets, numbered lists, the dashes of the articles.

A Word list is a paragraph whose ``<w:numPr>`` names a numbering instance (``<w:num>``), which
points to an abstract definition (``<w:abstractNum>``) giving each level's glyph and indent.
The definitions below are written into the default template by
``templates_actes/build_templates.py`` and added at render time to a template that lacks them
(an authority's own Word file), so the Markdown of any payload always finds them.

Every numbered list gets its own ``<w:num>`` with a ``<w:startOverride>``: without it Word and
LibreOffice continue the numbering of the previous list (« 4. » after a list ending at « 3. »).
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from service.adapters.docx.zipped import Packed, Piece

PUCES = "extrait-puces"
"""Bullets of the exposé: • – ·"""
NUMEROS = "extrait-numeros"
"""Numbered lists: 1. a) i."""
ARTICLES = "extrait-articles"
"""The articles of the dispositif, printed « - d’approuver … » as in registers."""

_FONT = '<w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:cs="{f}" w:hint="default"/></w:rPr>'

_LEVELS: dict[str, tuple[tuple[str, str], ...]] = {
    # (numFmt, lvlText) per level
    PUCES: (("bullet", "•"), ("bullet", "–"), ("bullet", "·")),
    NUMEROS: (("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3.")),
    ARTICLES: (("bullet", "-"), ("bullet", "•"), ("bullet", "–")),
}
_STEP = 567  # twips: 1 cm of indent per level
_HANGING = 340  # twips: room for the glyph or the number


def indent_of(level: int) -> int:
    """Return the left indent, in twips, of a paragraph at list *level* (0-based)."""
    return _STEP * (level + 1)


def abstract_num_xml(name: str, abstract_id: int, font: str = "Liberation Serif") -> str:
    """Return the ``<w:abstractNum>`` of the list kind *name* (:data:`PUCES`…)."""
    lvls = []
    for ilvl, (fmt, text) in enumerate(_LEVELS[name]):
        lvls.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent_of(ilvl)}" w:hanging="{_HANGING}"/></w:pPr>'
            + _FONT.format(f=font)
            + "</w:lvl>"
        )
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="hybridMultilevel"/><w:name w:val="{name}"/>'
        + "".join(lvls)
        + "</w:abstractNum>"
    )


class Numbering:
    """The numbering part of one document, with the extract's list kinds in it."""

    def __init__(self, document: Document) -> None:
        self._numbering = document.part.numbering_part.element
        self._abstract: dict[str, int] = {}
        self._shared: dict[str, int] = {}
        for name in _LEVELS:
            self._abstract[name] = self._ensure_abstract(name)

    def _ensure_abstract(self, name: str) -> int:
        for an in self._numbering.findall(qn("w:abstractNum")):
            n = an.find(qn("w:name"))
            if n is not None and n.get(qn("w:val")) == name:
                return int(an.get(qn("w:abstractNumId")))
        ids = [
            int(a.get(qn("w:abstractNumId"))) for a in self._numbering.findall(qn("w:abstractNum"))
        ]
        new_id = max(ids, default=-1) + 1
        element = parse_xml(abstract_num_xml(name, new_id))
        # The schema wants every abstractNum before the first num.
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self._numbering.append(element)
        return new_id

    def shared(self, name: str) -> int:
        """Return the ``numId`` of the list kind *name*, one for the whole document.

        Fit for bullets, whose glyphs do not count.
        """
        if name not in self._shared:
            self._shared[name] = self._numbering.add_num(self._abstract[name]).numId
        return self._shared[name]

    def restarted(self, name: str, level: int, start: int = 1) -> int:
        """Return a new ``numId`` of *name* whose *level* starts again at *start*."""
        num = self._numbering.add_num(self._abstract[name])
        num.append(
            parse_xml(
                f'<w:lvlOverride {nsdecls("w")} w:ilvl="{level}">'
                f'<w:startOverride w:val="{start}"/></w:lvlOverride>'
            )
        )
        return num.numId


_MARK = "extrait-numerotations-ajoutees"
"""A comment put where python-docx inserts a new ``<w:num>``, to split the part's text there."""


class NumberingText:
    """The numbering part of one template file, ready to receive the lists of each render as
    text.

    :class:`Numbering` adds ``<w:num>`` elements to a parsed copy of the whole document; here
    the part is serialised once per template file (extract kinds added, as :class:`Numbering`
    adds them) and cut where python-docx inserts a ``<w:num>``, so a render only formats its
    own ``<w:num>`` elements, as :meth:`CT_Numbering.add_num` writes them, between the two
    halves. python-docx has no way to write a part without the parsed tree.
    """

    def __init__(self, document: Document) -> None:
        """Prepare the numbering part of *document* (adding the extract's kinds to it)."""
        numbering = Numbering(document)
        element = numbering._numbering
        self.abstract = dict(numbering._abstract)
        self.used = frozenset(int(n) for n in element.xpath("./w:num/@w:numId"))
        mark = etree.Comment(_MARK)
        element._insert_num(mark)
        try:
            blob = document.part.numbering_part.blob
        finally:
            element.remove(mark)
        self.before, self.after = blob.split(f"<!--{_MARK}-->".encode(), 1)
        self.packed = Packed.of(self.before)
        """The text before the lists, deflated once (most of the part: the definitions)."""

    def render(self) -> NumberingRender:
        """Return the numbering of one render."""
        return NumberingRender(self)


class NumberingRender:
    """The ``<w:num>`` elements one render adds (what :class:`Numbering` offers, as text)."""

    def __init__(self, prepared: NumberingText) -> None:
        self._prepared = prepared
        self._used = set(prepared.used)
        self._nums: list[str] = []
        self._shared: dict[str, int] = {}

    def _add(self, name: str, override: str = "") -> int:
        # CT_Numbering._next_numId: the first unused id from 1 up, gaps filled.
        num_id = next(n for n in range(1, len(self._used) + 2) if n not in self._used)
        self._used.add(num_id)
        abstract = self._prepared.abstract[name]
        self._nums.append(
            f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{override}</w:num>'
        )
        return num_id

    def shared(self, name: str) -> int:
        """As :meth:`Numbering.shared`."""
        if name not in self._shared:
            self._shared[name] = self._add(name)
        return self._shared[name]

    def restarted(self, name: str, level: int, start: int = 1) -> int:
        """As :meth:`Numbering.restarted`."""
        return self._add(
            name,
            f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>',
        )

    def blob(self) -> bytes:
        """Return the numbering part's XML with this render's lists."""
        return self._prepared.before + "".join(self._nums).encode() + self._prepared.after

    def pieces(self) -> list[Piece]:
        """Return the part as :func:`.zipped.Archive.zip` takes it (its start deflated)."""
        return [self._prepared.packed, "".join(self._nums).encode() + self._prepared.after]
