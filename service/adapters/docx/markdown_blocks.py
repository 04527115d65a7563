"""The token stream of a payload's Markdown, its plain paragraphs read without markdown-it.

markdown-it-py costs about 20 µs per paragraph (a state object, its block and inline rule
chains): most of the Markdown time of an act, whose exposé is mostly plain paragraphs of
prose. A paragraph made only of "plain" lines (defined below) parses, under the rules the
writer enables (``heading``, ``list``, ``emphasis``, ``newline``, ``escape`` over the
``zero`` preset), into the same tokens every time: ``paragraph_open``, an ``inline`` whose
children are one ``text`` per line with a ``softbreak`` between lines, ``paragraph_close``.
A line alone between blank lines that is ``#`` to ``######``, a space and a plain title gives
``heading_open``, an ``inline`` holding one ``text``, ``heading_close``.
Those are read here (:class:`Plain`, :class:`Heading`); everything else goes to markdown-it,
in spans cut at the blank lines before and after plain paragraphs, where no block of
CommonMark stays open (a list item goes on after a blank line only on an indented line or
another item, and a plain line is neither). tests/unit/adapters/test_markdown_blocks.py builds
the tokens of those blocks and checks them against markdown-it's on the examples and on
generated texts.

A line is plain when it is not empty, neither starts nor ends with whitespace (no
indentation, no hard break, nothing ``str.strip`` would remove), holds none of ``*``, ``_``,
``\\`` (emphasis, escapes), does not start with ``#``, ``-``, ``+``, ``>`` or a number followed by
``.`` or ``)`` (headings, list items), and the text holds no ``\\r`` or ``\\0`` (which
markdown-it normalises first).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

PARSER = MarkdownIt("zero").enable(["heading", "list", "emphasis", "newline", "escape"])
"""The parser of the contract's Markdown subset."""

_NUMBERED = re.compile(r"[0-9]{1,9}[.)]")


def _plain(line: str) -> bool:
    return (
        line != ""
        and not line[0].isspace()
        and not line[-1].isspace()
        and line[0] not in "#+>-"
        and "*" not in line
        and "_" not in line
        and "\\" not in line
        and _NUMBERED.match(line) is None
    )


class Plain(list[str]):
    """A plain paragraph: its lines."""


class Heading(tuple[int, str]):
    """A plain heading: its level and its title."""


Block = Plain | Heading | list[Token]


def blocks(text: str) -> list[Block]:
    """Return *text* as its plain paragraphs and headings, and the tokens markdown-it's
    :data:`PARSER` gives for the spans between them, in order (:func:`tokens` puts the
    tokens of the first two in their place)."""
    if "\r" in text or "\0" in text:
        return [PARSER.parse(text)]
    out: list[Block] = []
    pending: list[str] = []  # lines of a span for markdown-it, blank lines kept as they were
    group: list[str] = []  # the lines of the current paragraph (no blank line between them)
    blanks = 0  # blank lines since the last group

    def flush_group() -> None:
        level = _heading_level(group[0]) if len(group) == 1 else 0
        if level or all(_plain(line) for line in group):
            if pending:
                out.append(PARSER.parse("\n".join(pending)))
                pending.clear()
            out.append(Heading((level, group[0][level + 1 :])) if level else Plain(group))
        else:
            if pending:
                pending.extend([""] * blanks)
            pending.extend(group)
        group.clear()

    for line in text.split("\n"):
        if line != "":
            group.append(line)
            continue
        if group:
            flush_group()
            blanks = 0
        blanks += 1
    if group:
        flush_group()
    if pending:
        out.append(PARSER.parse("\n".join(pending)))
    return out


def _heading_level(line: str) -> int:
    """Return the level of *line* when it is a plain heading (``## Titre``: one to six ``#``,
    a space, a plain title not ending with ``#``), else 0."""
    marks = len(line) - len(line.lstrip("#"))
    if not 1 <= marks <= 6 or line[marks : marks + 1] != " ":
        return 0
    title = line[marks + 1 :]
    if not _plain(title) or title.endswith("#"):
        return 0
    return marks
