"""The prepared-template path writes the DOCX docxtpl's own render writes, part for part.

Each XML part is compared after C14N (the two paths write the same elements, attributes and
text; lexical details such as a repeated namespace declaration or ``&#95;`` for ``_`` may
differ), every other member byte for byte. A template the fast path cannot fill exactly
(``{%tc`` tags, a drawing in the body) goes through docxtpl and says so.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Cm
from lxml import etree
from template_support import DIJON, REPO, TEMPLATES, dijon_data, paragraph_text, part

from service.adapters.docx import DocxtplRenderer, context
from service.adapters.docx.prepared import prepared_template
from service.domain.payload import DeliberationPayload
from service.domain.seance import SeancePayload, deliberation_payloads
from service.errors import TemplateError
from service.services.generate import identifier_of

SIREN = "242100410"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A 1×1 PNG, for a template with a logo in its body.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


def _today() -> dt.date:
    return dt.date(2020, 1, 6)


def _render(payload: DeliberationPayload, dirs: tuple[Path, ...], *, fast: bool) -> bytes:
    renderer = DocxtplRenderer(dirs, today=_today, fast=fast)
    return renderer.render_deliberation(payload, identifier_of(payload))


def _members(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _canonical(name: str, blob: bytes) -> bytes:
    if name.endswith((".xml", ".rels")):
        return bytes(etree.tostring(etree.fromstring(blob), method="c14n"))
    return blob


def assert_same_docx(payload: DeliberationPayload, *dirs: Path) -> bytes:
    fast, plain = (_render(payload, dirs, fast=f) for f in (True, False))
    ours, theirs = _members(fast), _members(plain)
    assert sorted(ours) == sorted(theirs)
    for name, blob in theirs.items():
        assert _canonical(name, ours[name]) == _canonical(name, blob), name
    # C14N keeps no redundant namespace declaration: the body's own tag is compared as written
    # (a clerk's tools and tests/docx_tamper.py look for "<w:body>", as python-docx writes it).
    assert _body_tag(ours["word/document.xml"]) == _body_tag(theirs["word/document.xml"])
    return fast


def _body_tag(document_xml: bytes) -> bytes:
    start = document_xml.index(b"<w:body")
    return document_xml[start : document_xml.index(b">", start) + 1]


def _payloads() -> list[tuple[str, DeliberationPayload]]:
    example = (REPO / "examples" / "deliberation.json").read_text()
    found = [
        ("dijon", DeliberationPayload.model_validate(json.loads(DIJON.read_text()))),
        ("examples/deliberation.json", DeliberationPayload.model_validate_json(example)),
    ]
    seance = SeancePayload.model_validate_json((REPO / "examples" / "seance.json").read_text())
    for i, payload in enumerate(deliberation_payloads(seance)):
        found.append((f"examples/seance.json #{i}", payload))
    return found


@pytest.mark.parametrize("name,payload", _payloads(), ids=[n for n, _ in _payloads()])
def test_the_project_template_gives_the_same_parts(name: str, payload: DeliberationPayload) -> None:
    assert prepared_template(TEMPLATES / "deliberation.docx") is not None
    assert_same_docx(payload, TEMPLATES)


def _sitting(membres: list[dict[str, Any]] | None = None) -> list[DeliberationPayload]:
    data = json.loads((REPO / "examples" / "seance.json").read_text())
    if membres is not None:
        data["membres"] = membres
    return deliberation_payloads(SeancePayload.model_validate(data))


def test_a_sitting_s_acts_rendered_in_turn_are_each_the_act_made_alone() -> None:
    acts = _sitting()
    renderer = DocxtplRenderer((TEMPLATES,), today=_today)
    in_turn = [renderer.render_deliberation(p, identifier_of(p)) for p in acts + acts]
    prepared = prepared_template(TEMPLATES / "deliberation.docx")
    assert prepared is not None and prepared._start is not None  # its start kept per sitting
    for payload, docx in zip(acts + acts, in_turn, strict=True):
        plain = _members(_render(payload, (TEMPLATES,), fast=False))  # docxtpl's own path
        for name, blob in _members(docx).items():
            assert _canonical(name, blob) == _canonical(name, plain[name]), name
        context.clear()  # what the sitting's acts share, made again for this one
        assert _members(docx) == _members(_render(payload, (TEMPLATES,), fast=True))


@pytest.mark.parametrize("nom", ["DE\tLA TABULATION", "{_{ MARQUE }_}", "FIN {", "_} DÉBUT"])
def test_sitting_values_docxtpl_finishes_are_rendered_as_it_does(nom: str) -> None:
    # A tab or a marker in the sitting's part: its start cannot be cut off (sitting_prefix.py).
    # (The contract refuses tabs in names: the renderer must be exact all the same.)
    for payload in _sitting()[:2]:
        absents = set(payload.presences.absents)  # printed in the start only
        assert absents
        membres = [
            m.model_copy(update={"nom": f"{m.nom} {nom}"}) if m.id in absents else m
            for m in payload.membres
        ]
        assert_same_docx(payload.model_copy(update={"membres": membres}), TEMPLATES)


def test_a_renamed_member_is_printed_in_the_next_act() -> None:
    acts = _sitting()
    renderer = DocxtplRenderer((TEMPLATES,), today=_today)
    before = _members(renderer.render_deliberation(acts[0], identifier_of(acts[0])))
    membres = [m.model_dump(exclude_none=True) for m in acts[0].membres]
    president = next(m for m in membres if m["id"] == acts[0].seance.president)
    old = president["nom"]
    president["nom"] = "NOUVEAU-NOM"
    renamed = _sitting(membres)[0]
    after = _members(renderer.render_deliberation(renamed, identifier_of(renamed)))
    body = after["word/document.xml"].decode()
    assert "NOUVEAU-NOM" in body and "NOUVEAU-NOM" not in before["word/document.xml"].decode()
    assert old in before["word/document.xml"].decode()
    assert_same_docx(renamed, TEMPLATES)


def test_markers_escapes_and_lists_come_out_the_same() -> None:
    data = dijon_data()
    # A tab and a line end in a value: docxtpl's resolve_listing cuts the runs there.
    data["deliberation"]["objet"] = "M. X & <co> {{ 7*7 }} {_{ a }_} {%p if %}\tavec\nlignes"
    data["deliberation"]["expose"] = (
        "Texte\tavec tabulation\n\n1. un\n2. deux\n\n3) trois\n\n- a\n  - b\n\n**gras** *it* {_{\n"
        "ligne  \ncassée"
    )
    data["deliberation"]["dispositif"]["articles"] = ["- d'approuver", "1. premier\n\nsuite"]
    payload = DeliberationPayload.model_validate(data)
    fast = assert_same_docx(payload, TEMPLATES)
    text = "".join(paragraph_text(p) for p in part(fast).iter(W + "p"))
    assert "{{ 7*7 }}" in text and "{_{ a }_}" in text and "& <co>" in text


def test_texts_written_again_get_the_lists_of_their_render() -> None:
    # The same articles after an exposé without lists, then after one with lists: kept once
    # written, they must take the numbering ids of the second render (markdown_memo.py).
    articles = ["1. premier\n2. second\n\n- puce", "d'approuver **tout**"]
    renderer = DocxtplRenderer((TEMPLATES,), today=_today)
    for n, expose in enumerate(["Sans liste.", "- a\n- b\n\n1. un\n\n3) trois", "Sans liste."]):
        data = dijon_data()
        data["deliberation"]["numero"] = f"M{n}"
        data["deliberation"]["expose"] = expose
        data["deliberation"]["dispositif"]["articles"] = articles
        payload = DeliberationPayload.model_validate(data)
        for _ in range(2):  # written, then found again
            fast = _members(renderer.render_deliberation(payload, identifier_of(payload)))
            plain = _members(_render(payload, (TEMPLATES,), fast=False))
            for name in ("word/document.xml", "word/numbering.xml"):
                assert _canonical(name, fast[name]) == _canonical(name, plain[name]), (n, name)


def _override(path: Path, body: list[str], *, header: str = "", footer: str = "") -> Path:
    doc = Document()
    for line in body:
        doc.add_paragraph(line)
    section = doc.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    doc.core_properties.comments = "{{ collectivite.nom }} & co"
    doc.core_properties.keywords = "{{ pas rendu }}"
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "{%tr for m in decompte.presents[:3] %}"
    table.cell(1, 0).text = "{{ m }}"
    table.cell(1, 1).text = "{%tr endfor %}"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def test_an_override_with_jinja_headers_tables_and_properties(tmp_path: Path) -> None:
    path = _override(
        tmp_path / SIREN / "deliberation.docx",
        ["{{ textes.assemblee }}", "{{p blocs.expose }}", "{{p blocs.articles }}"],
        header="{{ identifiant }}",
        footer="Pied de page sans variable",
    )
    assert prepared_template(path) is not None
    fast = assert_same_docx(DeliberationPayload.model_validate(dijon_data()), tmp_path)
    header = [n for n in _members(fast) if n.startswith("word/header")]
    assert b"242100410" in _members(fast)[header[0]]


def test_a_template_with_column_tags_goes_through_docxtpl(tmp_path: Path) -> None:
    path = tmp_path / "deliberation.docx"
    doc = Document()
    doc.add_paragraph("{{ collectivite.nom }}")
    row = doc.add_table(rows=1, cols=3).rows[0]
    texts = ["{%tc for m in decompte.presents[:4] %}", "{{ m }}", "{%tc endfor %}"]
    for cell, text in zip(row.cells, texts, strict=True):
        cell.text = text
    doc.save(path)
    assert prepared_template(path) is None
    fast = assert_same_docx(DeliberationPayload.model_validate(dijon_data()), tmp_path)
    grid = part(fast).findall(f".//{W}tblGrid/{W}gridCol")
    assert len(grid) == 4  # docxtpl's fix_tables made room for the four columns


def test_a_table_left_without_rows_is_fixed_as_docxtpl_does(tmp_path: Path) -> None:
    path = tmp_path / "deliberation.docx"
    doc = Document()
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for m in decompte.ne_prennent_pas_part %}"
    table.cell(1, 0).text = "{{ m }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    doc.save(path)
    assert prepared_template(path) is not None
    data = dijon_data()
    assert not data["presences"].get("ne_prennent_pas_part")
    fast = assert_same_docx(DeliberationPayload.model_validate(data), tmp_path)
    table = part(fast).find(f".//{W}tbl")
    assert table is not None and table.find(f"{W}tr") is None
    assert table.findall(f"{W}tblGrid/{W}gridCol") == []  # emptied by fix_tables


def test_a_template_whose_blocks_may_break_the_xml_goes_through_docxtpl(tmp_path: Path) -> None:
    path = tmp_path / "deliberation.docx"
    doc = Document()
    table = doc.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "{%p if deliberation.rubrique %}"
    doc.add_paragraph("{%p endif %}")
    doc.save(path)
    assert prepared_template(path) is None


def test_a_template_with_a_logo_in_its_body_goes_through_docxtpl(tmp_path: Path) -> None:
    path = tmp_path / "deliberation.docx"
    doc = Document()
    doc.add_picture(io.BytesIO(PIXEL), width=Cm(1))
    doc.add_paragraph("LOGO {{ collectivite.nom }}")
    doc.save(path)
    assert prepared_template(path) is None
    fast = assert_same_docx(DeliberationPayload.model_validate(dijon_data()), tmp_path)
    assert "LOGO Dijon Métropole" in [paragraph_text(p) for p in part(fast).iter(W + "p")]


def test_errors_name_the_template_on_both_paths(tmp_path: Path) -> None:
    payload = DeliberationPayload.model_validate(dijon_data())
    doc = Document()
    doc.add_paragraph("{{ inconnue }}")
    doc.save(tmp_path / "deliberation.docx")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "deliberation.docx").write_bytes(b"pas un document Word")
    for fast in (True, False):
        with pytest.raises(TemplateError, match="deliberation.docx.*inconnue"):
            _render(payload, (tmp_path,), fast=fast)
        with pytest.raises(TemplateError, match="n'est pas un document Word"):
            _render(payload, (broken,), fast=fast)
