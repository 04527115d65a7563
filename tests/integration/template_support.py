"""Helpers of the template tests: payloads, rendering, the parts of a DOCX, token streams."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lxml import etree

from service.adapters.docx import DocxtplRenderer
from service.domain.actes.identifier import identifier_for
from service.domain.payload import DeliberationPayload

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DIJON = SHARED / "contract" / "examples" / "deliberation-dijon-2019-12-19-013.json"
REFERENCE = SHARED / "reference" / "extrait-dijon-metropole-2019-12-19-013.txt"
TEMPLATES = REPO / "templates_actes"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


def dijon_data() -> dict[str, Any]:
    """Return a fresh, mutable copy of the Dijon example payload."""
    return json.loads(DIJON.read_text(encoding="utf-8"))


def render(data: dict[str, Any], template_dirs: Sequence[Path] = (TEMPLATES,)) -> bytes:
    """Return the DOCX of the payload *data*, as the service renders it."""
    payload = DeliberationPayload.model_validate(data)
    ident = identifier_for(
        payload.collectivite.departement,
        payload.collectivite.siren,
        payload.seance.date,
        payload.deliberation.numero,
        payload.deliberation.nature,
    )
    return DocxtplRenderer(template_dirs).render_deliberation(payload, ident)


def part(docx: bytes, name: str = "word/document.xml") -> etree._Element:
    """Return the parsed XML part *name* of *docx*."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return etree.fromstring(z.read(name))


def paragraph_text(p: etree._Element) -> str:
    """Return the text of the ``<w:p>`` *p*."""
    return "".join(p.itertext(W + "t"))


def paragraph_with(root: etree._Element, text: str) -> etree._Element:
    """Return the one paragraph of *root* whose text is *text*."""
    found = [p for p in root.iter(W + "p") if paragraph_text(p) == text]
    assert len(found) == 1, f"{len(found)} paragraphes « {text} »"
    return found[0]


# pdftotext writes bidi embeddings around right-to-left runs; the list glyphs of the exposé
# were lost in the reference extract (reference/README.md), so they are not compared.
_INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069•–·]")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokens(text: str) -> list[str]:
    """Return the words and punctuation marks of *text*, spacing ignored."""
    return _TOKEN.findall(_INVISIBLE.sub(" ", text))


def find_in_order(haystack: list[str], lines: list[str]) -> str | None:
    """Return the first of *lines* not found, in order, in the token stream *haystack*."""
    pos = 0
    for line in lines:
        needle = tokens(line)
        if not needle:
            continue
        for i in range(pos, len(haystack) - len(needle) + 1):
            if haystack[i : i + len(needle)] == needle:
                pos = i + len(needle)
                break
        else:
            context = " ".join(haystack[pos : pos + 40])
            return f"« {line} » introuvable après : {context}"
    return None
