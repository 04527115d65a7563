"""Whether every render of a part's Jinja source is well-formed XML, decided from the source.

docxtpl parses the body it rendered with lxml's *recovering* parser (in ``fix_tables``): a
template whose ``{%p if %}`` and ``{%p endif %}`` sit at different depths of the XML (one in a
table cell, the other in the body) gives broken XML for some payloads, which that parser mends
in its own way. The prepared path writes Jinja's text as it is, so it only takes parts whose
every render is well-formed, which holds when:

- the text between the tags (Jinja's ``data``, values left out) is well-formed XML;
- each ``if``/``for``/``with`` block has, at each of its ``elif``, ``else`` and at its end,
  the very stack of open XML elements it had at its start, and closes none of them in
  between, so whatever branches are taken, and however many times a loop runs, each one adds
  whole elements; and no block stands right inside a table row (``<w:tr>``): its cells are
  the template's (docxtpl's ``fix_tables`` would change the grid of a row whose cells vary);
- no block tag stands inside an XML tag (between ``<`` and ``>``), no value is printed with
  ``|safe`` (the only way payload text would reach the XML unescaped), and no other block
  tag than those (``set``, ``filter``, ``macro``, ``include``…) is used.

Values are escaped by the environment; the subdocuments of the Markdown are paragraphs. Other
templates keep docxtpl's path (see prepared.py).
"""

from __future__ import annotations

import re

from jinja2 import Environment

_OPENERS = frozenset({"if", "for", "with", "autoescape"})
_MIDDLES = frozenset({"elif", "else"})
_CLOSERS = frozenset({"endif", "endfor", "endwith", "endautoescape"})
_INLINE = frozenset({"break", "continue"})
_TAG = re.compile(r"<(/?)([^\s/>!?]+)[^>]*?(/?)>|<[!?]|[<>]")


class _Skeleton:
    """The XML elements opened by the data scanned so far."""

    def __init__(self) -> None:
        self.open: list[str] = []
        self.pending = ""  # data not scanned yet (a tag may go on after a value)

    def scan(self, floor: int = 0) -> bool:
        """Scan the pending data; False when it is not well-formed, closes one of the first
        *floor* open elements (those open when the current block began) or stops inside a
        tag."""
        text, self.pending = self.pending, ""
        for m in _TAG.finditer(text):
            closing, name, empty = m.group(1), m.group(2), m.group(3)
            if name is None:
                return False  # a comment, a processing instruction, a stray < or >
            if empty:
                continue
            if not closing:
                self.open.append(name)
            elif len(self.open) <= floor or self.open.pop() != name:
                return False
        return True


def always_well_formed(source: str, environment: Environment) -> bool:
    """Return whether every render of *source* (a part's text as docxtpl compiles it) is
    well-formed XML, as the module's docstring says."""
    skeleton = _Skeleton()
    blocks: list[list[str]] = []  # the open XML elements at the start of each open block
    tag: list[tuple[str, str]] | None = None  # the tokens of the block tag being read
    for _, kind, value in environment.lex(source):
        if kind == "data":
            skeleton.pending += value
        elif kind == "name" and value == "safe":
            return False
        elif kind == "block_begin":
            if not skeleton.scan(len(blocks[-1]) if blocks else 0):
                return False
            tag = []
        elif kind == "block_end" and tag is not None:
            if not _block(tag, skeleton.open, blocks):
                return False
            tag = None
        elif tag is not None and kind != "whitespace":
            tag.append((kind, value))
    return skeleton.scan() and not blocks and not skeleton.open


def _block(tag: list[tuple[str, str]], open_now: list[str], blocks: list[list[str]]) -> bool:
    """Follow the block tag *tag*; False when it makes the renders' XML uncertain."""
    keyword = tag[0][1] if tag and tag[0][0] == "name" else ""
    if keyword in _OPENERS:
        if open_now and open_now[-1] == "w:tr":
            return False  # a block of cells: the rows' cell counts would vary (fix_tables)
        blocks.append(list(open_now))
        return True
    if keyword in _MIDDLES or keyword in _CLOSERS:
        if not blocks or blocks[-1] != open_now:
            return False
        if keyword in _CLOSERS:
            blocks.pop()
        return True
    if keyword == "set":
        return ("operator", "=") in tag  # {% set x = … %} prints nothing; a block set may
    return keyword in _INLINE
