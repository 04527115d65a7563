"""Bounded text types for every text field of a payload.

A payload's text reaches a Word document, an XML envelope, a CSV file and a database. Three
kinds of characters break one or the other, and a caller must hear which field holds them:

- a lone surrogate (``"\\ud800"`` in JSON) cannot be encoded in UTF-8 at all: every writer
  fails, long after validation, with a 500;
- control characters (U+0000-U+001F but tab and line feed, U+007F-U+009F) are forbidden in
  XML 1.0 (§2.2 *Char*) and so in a DOCX part and in the ACTES envelope;
- U+FFFE and U+FFFF are non-characters, forbidden in XML too.

Lengths are bounded so that one field cannot make a document LibreOffice needs minutes to lay
out: the bounds are far above what a real act holds (the Dijon extract's longest exposé is about
9,000 characters), see ``bench/bench_limits.py``.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

COURT = 1_000
"""A name, a place, a quality, a line: far more than any printed on an act."""
LIGNE = 2_000
"""One visa, considérant or article line of the decision."""
LONG = 200_000
"""An exposé or an article: some 60 pages of prose."""

# Tab and line feed are text in a long field; carriage return is folded by JSON writers that
# send CRLF: accepted too. Nothing else below U+0020, nor DEL and the C1 controls.
_CONTROLE_LONG = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROLE_COURT = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _check(value: str, controles: re.Pattern[str], multiligne: bool) -> str:
    if _SURROGATE.search(value):
        raise PydanticCustomError(
            "texte_surrogate",
            "caractère invalide : demi-paire de substitution UTF-16 isolée (\\ud800-\\udfff), "
            "impossible à encoder")
    found = controles.search(value)
    if found:
        allowed = " (hors tabulation et saut de ligne)" if multiligne else ""
        raise PydanticCustomError(
            "texte_controle",
            "caractère de contrôle U+{code} interdit{allowed}",
            {"code": f"{ord(found.group()):04X}", "allowed": allowed})
    return value


def texte_court(value: str) -> str:
    """Return *value*, a one-line text, when it holds no lone surrogate nor control character."""
    return _check(value, _CONTROLE_COURT, multiligne=False)


def texte_long(value: str) -> str:
    """Return *value*, a text of several lines, when it holds no lone surrogate nor control
    character but tab, line feed and carriage return."""
    return _check(value, _CONTROLE_LONG, multiligne=True)


TexteCourt = Annotated[str, Field(max_length=COURT), AfterValidator(texte_court)]
"""A one-line text: a name, a place, a quality, a code."""
Ligne = Annotated[str, Field(max_length=LIGNE), AfterValidator(texte_long)]
"""A paragraph of the act: a visa, a considérant."""
TexteLong = Annotated[str, Field(max_length=LONG), AfterValidator(texte_long)]
"""A text of several paragraphs: the exposé, an article of the decision (Markdown subset)."""
Intitule = Annotated[str, Field(max_length=COURT), AfterValidator(texte_long)]
"""A one-line title whose line breaks a legal check reports with its own code and source (the
act's ``objet``: ``objet-multiligne``); other control characters are refused here."""
