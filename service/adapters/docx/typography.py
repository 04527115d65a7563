"""French typography for the text printed on an extract.

The rules are those of the *Lexique des règles typographiques en usage à l'Imprimerie
nationale*, reduced to what a payload typed in a web form or exported by a deliberation
software gets wrong: the space before « : ; ! ? », the spaces inside « », the apostrophe.
A narrow no-break space (U+202F) is used everywhere, so a colon is never pushed alone to the
start of a line and the spacing stays the same in justified paragraphs.

Every function is idempotent: running it twice gives the same text as running it once, which
matters because labels are prepared at build time and payload text at render time.
"""

from __future__ import annotations

import re

NNBSP = "\u202f"
"""Narrow no-break space (espace fine insécable)."""

_SPACE = "[ \u00a0\u2009\u202f]"
"""Spaces a typist may have put before a high punctuation mark (space, NBSP, thin, narrow)."""

# Characters XML 1.0 refuses (lone surrogates included, which JSON can carry), and C1
# controls: lxml raises on the former, and both would print as garbage. Tab and line feed are
# kept: docxtpl turns them into a tab and a line break.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_SPACES_BEFORE_HIGH = re.compile(_SPACE + r"+(?=[;!?:»])")
# ";", "!" and "?" glued to a word ("Pourquoi?") get their space; the lookahead spares
# "?!"-like runs inside URLs and code ("a?b=c") because they must be followed by a blank,
# and the lookbehind spares character references ("&amp;", "&#95;").
_GLUED_STOP = re.compile(r"(?:(?<![&#\w])\w+|[)\]…])(?=[;!?]+(?:\s|$|»))")
# A colon gets its space only after a letter and before a blank: "14:30", "<w:p>",
# "https://" and "{{ a:b }}" stay as they are.
_GLUED_COLON = re.compile(r"(?<=[^\W\d_])(?=:(?:\s|$))")
_AFTER_OPENING_GUILLEMET = re.compile("«" + _SPACE + "*")
_BEFORE_CLOSING_GUILLEMET = re.compile(_SPACE + "*»")
# An elision is a straight quote between two letters: "l'État" → "l’État" (also before the
# star of a Markdown emphasis: "l'*italique*").
_ELISION = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_]|\*+[^\W\d_])")
# Every rule above needs one of these characters: most strings of a payload (ids, names,
# dates) have none and are returned untouched without running the seven expressions.
_ANY_RULE = re.compile("[':;!?«»\r]|" + _CONTROLS.pattern)


def without_controls(text: str) -> str:
    """Return *text* without the control characters a Word document cannot hold; carriage
    returns become line feeds."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def typographie(text: str) -> str:
    """Return *text* with French spacing and apostrophes.

    - « : », « ; », « ! », « ? » and « » » are preceded by a narrow no-break space, replacing
      any space the text had there (one is added after a letter when there was none);
    - « « » is followed by a narrow no-break space;
    - a straight apostrophe between two letters becomes « ’ ».

    Nothing else changes: ``{{ 7*7 }}``, ``<w:p>``, ``&``, emoji and right-to-left text come
    out as they went in.
    """
    if not text:
        return text
    text = _ELISION.sub("’", text)
    text = _SPACES_BEFORE_HIGH.sub(NNBSP, text)
    text = _GLUED_STOP.sub(lambda m: m.group(0) + NNBSP, text)
    text = _GLUED_COLON.sub(NNBSP, text)
    text = _AFTER_OPENING_GUILLEMET.sub("«" + NNBSP, text)
    text = _BEFORE_CLOSING_GUILLEMET.sub(NNBSP + "»", text)
    return text


def fr(text: str) -> str:
    """Return *text* ready to print: control characters removed, French typography applied."""
    if not _ANY_RULE.search(text):
        return text
    return typographie(without_controls(text))
