"""The renderer reuses opened templates and compiled parts, never stale ones or shared state."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from jinja2 import UndefinedError
from lxml import etree

from service.adapters.docx import DocxtplRenderer
from service.adapters.docx.cache import ENVIRONMENT, open_template
from service.domain.payload import DeliberationPayload
from service.services.generate import identifier_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SIREN = "242100410"
TEMPLATES = Path(__file__).resolve().parents[3] / "templates_actes"


def write_template(path: Path, *lines: str) -> Path:
    """Write a one-paragraph-per-line Word template at *path*."""
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def render(data: dict[str, Any], *template_dirs: Path) -> bytes:
    payload = DeliberationPayload.model_validate(data)
    return DocxtplRenderer(template_dirs).render_deliberation(payload, identifier_of(payload))


def xml(docx: bytes, name: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return etree.fromstring(z.read(name))


def texts(docx: bytes) -> list[str]:
    return ["".join(p.itertext(W + "t")) for p in xml(docx).iter(W + "p")]


def test_a_replaced_override_template_is_used_at_the_next_render(
    tmp_path: Path, dijon: dict[str, Any]
) -> None:
    path = write_template(
        tmp_path / SIREN / "deliberation.docx", "ANCIEN {{ deliberation.numero }}"
    )
    assert texts(render(dijon, tmp_path)) == [f"ANCIEN {dijon['deliberation']['numero']}"]
    write_template(path, "NOUVEAU MODÈLE", "{{ collectivite.nom }}")
    assert texts(render(dijon, tmp_path)) == ["NOUVEAU MODÈLE", "Dijon Métropole"]


def test_a_template_replaced_by_a_same_sized_file_with_the_old_date_is_noticed(
    tmp_path: Path, dijon: dict[str, Any]
) -> None:
    # The way a deployment swaps files (write beside, rename over): size and mtime may match.
    path = write_template(tmp_path / "deliberation.docx", "MODÈLE A {{ collectivite.siren }}")
    assert texts(render(dijon, tmp_path)) == ["MODÈLE A 242100410"]
    other = write_template(tmp_path / "new.docx", "MODÈLE B {{ collectivite.siren }}")
    assert other.stat().st_size == path.stat().st_size
    before = path.stat()
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, path)
    assert texts(render(dijon, tmp_path)) == ["MODÈLE B 242100410"]


def test_renders_share_no_document(dijon: dict[str, Any]) -> None:
    # Each render fills its own copy of the template and adds its lists to its own numbering:
    # a render after another payload's is the same as the first one, Jinja tags included.
    first = render(dijon, TEMPLATES)
    other = dict(dijon, deliberation=dict(dijon["deliberation"], objet="Un autre objet"))
    other["deliberation"]["expose"] = "1. un\n2. deux\n\n- puce"
    assert "Un autre objet" in "".join(texts(render(other, TEMPLATES)))
    again = render(dijon, TEMPLATES)
    for name in ("word/document.xml", "word/numbering.xml"):
        assert etree.tostring(xml(again, name)) == etree.tostring(xml(first, name))


def test_each_template_is_opened_into_its_own_document(tmp_path: Path) -> None:
    path = write_template(tmp_path / "deliberation.docx", "{{ a }}")
    one, two = open_template(path), open_template(path)
    assert one.docx is not two.docx
    assert one.docx.element is not two.docx.element
    two.docx.add_paragraph("seulement dans le second")
    assert len(one.docx.paragraphs) == 1


def test_the_cached_environment_escapes_and_rejects_unknown_names() -> None:
    assert ENVIRONMENT.from_string("{{ x }}").render(x="<w:p>&") == "&lt;w:p&gt;&amp;"
    assert ENVIRONMENT.from_string("{{ x }}") is ENVIRONMENT.from_string("{{ x }}")
    with pytest.raises(UndefinedError):
        ENVIRONMENT.from_string("{{ inconnu }}").render()
