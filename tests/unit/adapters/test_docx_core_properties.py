"""core.xml written from its text gives the bytes python-docx writes, or takes its path."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.adapters.docx.core_properties import PreparedProperties

TEMPLATE = Path(__file__).resolve().parents[3] / "templates_actes" / "deliberation.docx"


def _prepared() -> PreparedProperties:
    with zipfile.ZipFile(TEMPLATE) as z:
        return PreparedProperties(z.read("docProps/core.xml"))


PREPARED = _prepared()
PARSED = copy.copy(PREPARED)
PARSED._pieces = []  # what a template with Jinja in its properties takes: python-docx's path


def _values(title: str, author: str = "Dijon Métropole") -> dict[str, str]:
    return {"title": title, "author": author, "subject": "021-242100410-X", "language": "fr-FR"}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aé&<>\"' \u202f\t\n\r\x01\ue000", max_size=12), st.booleans())
def test_any_value_gives_what_python_docx_writes(text: str, long: bool) -> None:
    values = _values(("x" * 250 if long else "") + text, author=text)
    try:
        expected = PARSED.render({}, values)
    except ValueError:
        with pytest.raises(ValueError):
            PREPARED.render({}, values)
        return
    assert PREPARED.render({}, values) == expected


def test_the_values_are_in_the_part() -> None:
    xml = PREPARED.render({}, _values("Délibération n° 1 – A & <B>")).decode()
    assert "<dc:title>Délibération n° 1 – A &amp; &lt;B&gt;</dc:title>" in xml
    assert "<dc:language>fr-FR</dc:language>" in xml
    assert "\ue000" not in xml
