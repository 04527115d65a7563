"""Payload text comes out as typed: never run as Jinja, never read as XML, any script."""

from __future__ import annotations

import re

import pytest
from pdftext import normalise, pdf_text
from template_support import dijon_data, render

from service.adapters.libreoffice.soffice_cli import SofficeCliConverter

pytestmark = pytest.mark.libreoffice

HOSTILE = [
    "{{ 7*7 }}",
    "{% if x %}x{% endif %}",
    "{_{ a }_} {_% b %_}",  # docxtpl's own escape markers
    "M. R & <co>",
    "<w:p>",
    "&amp;",
    "😀",
]
# Right-to-left text first, so that it never wraps (an extractor rebuilds the order of a
# right-to-left run cut by a line end in its own way), and followed by a Latin word: neutral
# characters between Hebrew and "{{ 7*7" would otherwise belong to the right-to-left run and
# be displayed, rightly, in its order.
RTL = "مرحبا بالعالم שלום"
TEXT = RTL + " fin " + " ".join(HOSTILE)


@pytest.fixture(scope="module")
def text() -> str:
    data = dijon_data()
    delib = data["deliberation"]
    delib["objet"] = f"OBJ {TEXT}"
    delib["expose"] = f"EXP {TEXT}\n\n## TIT {TEXT}\n\n- PUC {TEXT}"
    delib["dispositif"]["articles"] = [f"ART {TEXT}"]
    delib["visas"] = [f"VU {TEXT}"]
    data["membres"][1]["nom"] = "O'BRIEN & <FILS>"
    docx = render(data)
    # pdftotext writes bidi embedding marks around right-to-left runs, and moves the space
    # next to them: neither is part of the text.
    text = pdf_text(SofficeCliConverter().to_pdf(docx))
    return normalise(re.sub("[\u202a-\u202e\u2066-\u2069]", " ", text))


@pytest.mark.parametrize("field", ["OBJ", "EXP", "TIT", "PUC", "ART", "VU"])
def test_hostile_text_prints_literally_in_every_field(text: str, field: str) -> None:
    assert f"{field} {TEXT}" in text


def test_template_syntax_in_values_is_not_evaluated(text: str) -> None:
    assert text.count("{{ 7*7 }}") == 6
    assert "OBJ 49" not in text


def test_member_names_are_escaped_and_get_french_apostrophes(text: str) -> None:
    assert "M. Pierre O’BRIEN & <FILS>" in text
