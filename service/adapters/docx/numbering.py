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
