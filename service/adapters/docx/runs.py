"""The runs (``<w:r>``) of payload text in the Markdown's paragraphs, as python-docx writes
them for ``p.add_run(text)`` with bold and italic (see :mod:`.markdown`)."""

from __future__ import annotations

import re

from markdown_it.token import Token

_EMPHASIS = frozenset({"strong_open", "strong_close", "em_open", "em_close"})
_CONTROL = re.compile("[\t\r\n]")
_CONTROL_SPLIT = re.compile("([\t\r\n])")
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def runs(children: list[Token], *, bold: bool = False, clean: bool = False) -> str:
    out: list[str] = []
    strong = 0
    em = 0
    for child in children:
        kind = child.type
        if kind in _EMPHASIS and child.markup.startswith("_"):
            # The subset has *italic* and **bold** only: "_x_" (a numéro, "{_{") stays as typed.
            out.append(run(child.markup, strong or bold, em, clean))
        elif kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            em += 1
        elif kind == "em_close":
            em -= 1
        elif kind == "softbreak":
            out.append(run(" ", False, 0, clean))
        elif kind == "hardbreak":
            out.append("<w:r><w:br/></w:r>")
        elif child.content:
            out.append(run(child.content, strong or bold, em, clean))
    return "".join(out)


SOFTBREAK = "<w:r><w:t xml:space=\"preserve\"> </w:t></w:r>"
"""The run a line end inside a paragraph gives (``run(" ", False, 0)``)."""


def run(text: str, bold: bool | int, italic: int, clean: bool = False) -> str:
    """Return the ``<w:r>`` python-docx writes for ``p.addrun(text)`` with *bold*, *italic*:
    a tab becomes ``<w:tab/>``, a line end ``<w:br/>``, the rest ``<w:t>`` elements."""
    if not clean and _INVALID_XML.search(text):
        # What lxml says when python-docx hands it such text.
        raise ValueError(
            "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control "
            "characters"
        )
    if bold and italic:
        properties = "<w:rPr><w:b/><w:i/></w:rPr>"
    elif bold:
        properties = "<w:rPr><w:b/></w:rPr>"
    elif italic:
        properties = "<w:rPr><w:i/></w:rPr>"
    else:
        properties = ""
    if not _CONTROL.search(text):
        return f"<w:r>{properties}{_t(text)}</w:r>"
    content = []
    for piece in _CONTROL_SPLIT.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            content.append(_t(piece))
    inner = properties + "".join(content)
    return f"<w:r>{inner}</w:r>" if inner else "<w:r/>"


def _t(text: str) -> str:
    # python-docx keeps the spaces at either end with xml:space="preserve".
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    # As lxml escapes text (str.replace is ten times faster than str.translate here).
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<w:t{space}>{escaped}</w:t>"
