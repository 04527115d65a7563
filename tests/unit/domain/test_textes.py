"""Every text field of a payload refuses what no writer can carry, naming the field (issue 13).

A lone surrogate cannot be encoded in UTF-8; control characters are forbidden in XML 1.0 and so
in the DOCX and the ACTES envelope; lengths are bounded so that one field cannot make an act
LibreOffice lays out for minutes.
"""

from __future__ import annotations

import json

import pytest

from service.domain.parsing import parse_model
from service.domain.payload import DeliberationPayload
from service.domain.seance import SeancePayload
from service.domain.textes import COURT, LIGNE, LONG
from tests.unit.domain.checks_support import dijon


def violations(data):
    model, found = parse_model(DeliberationPayload, data)
    assert model is None
    return [(v.champ, v.code, v.message) for v in found]


@pytest.mark.parametrize(("path", "setter"), [
    ("deliberation.objet", lambda d, v: d["deliberation"].__setitem__("objet", v)),
    ("collectivite.nom", lambda d, v: d["collectivite"].__setitem__("nom", v)),
    ("membres[2].nom", lambda d, v: d["membres"][2].__setitem__("nom", v)),
    ("deliberation.visas[0]", lambda d, v: d["deliberation"].__setitem__("visas", [v])),
    ("deliberation.dispositif.articles[0]",
     lambda d, v: d["deliberation"]["dispositif"]["articles"].__setitem__(0, v)),
    ("deliberation.expose", lambda d, v: d["deliberation"].__setitem__("expose", v)),
])
@pytest.mark.parametrize(("text", "why"), [
    ("Avant\ud800après", "demi-paire"),
    ("Avant\x00après", "U+0000"),
    ("Avant\x1bafter", "U+001B"),
    ("Avant\x85après", "U+0085"),
    ("Avant\uffffaprès", "U+FFFF"),
])
def test_a_lone_surrogate_or_a_control_character_is_refused_naming_the_field(path, setter, text,
                                                                               why):
    data = dijon()
    setter(data, text)
    found = violations(data)
    assert [(champ, code) for champ, code, _ in found] == [(path, "caractere-interdit")]
    assert why in found[0][2]


def test_a_surrogate_decoded_from_json_is_refused_too():
    # What Flask's JSON parser makes of "\ud800" in a request body.
    text = json.dumps(dijon(), ensure_ascii=False)
    data = json.loads(text.replace("Dijon Métropole", "Dijon\\ud800", 1))
    assert ("collectivite.nom", "caractere-interdit") in [(c, k) for c, k, _ in violations(data)]


def test_a_long_text_keeps_its_lines_and_tabs_but_a_name_does_not():
    data = dijon()
    data["deliberation"]["expose"] = "Premier paragraphe.\n\n\tSecond,\r\nsuite."
    data["deliberation"]["visas"] = ["Vu le code\tgénéral,\nsuite"]
    model, found = parse_model(DeliberationPayload, data)
    assert found == [] and model is not None
    data["membres"][0]["nom"] = "DUPONT\nJean"
    found = violations(data)
    assert [(c, k) for c, k, _ in found] == [("membres[0].nom", "caractere-interdit")]


@pytest.mark.parametrize(("path", "setter", "limit"), [
    ("deliberation.objet", lambda d, v: d["deliberation"].__setitem__("objet", v), COURT),
    ("deliberation.visas[0]", lambda d, v: d["deliberation"].__setitem__("visas", [v]), LIGNE),
    ("deliberation.expose", lambda d, v: d["deliberation"].__setitem__("expose", v), LONG),
    ("seance.lieu", lambda d, v: d["seance"].__setitem__("lieu", v), COURT),
])
def test_every_text_field_has_a_length_bound(path, setter, limit):
    data = dijon()
    setter(data, "a" * limit)
    assert all(champ != path for champ, _, _ in (parse_model(DeliberationPayload, data)[1] and
                                                 violations(data)))
    setter(data, "a" * (limit + 1))
    found = [(c, k, m) for c, k, m in violations(data) if c == path]
    assert found == [(path, "texte-trop-long", f"au plus {limit} caractères")]


def test_lists_of_lines_are_bounded_in_number_too():
    data = dijon()
    data["deliberation"]["considerants"] = ["Considérant."] * 501
    assert [(c, k) for c, k, _ in violations(data)] == [
        ("deliberation.considerants", "liste-trop-longue")]


def test_the_sitting_payload_refuses_them_as_well():
    data = dijon()
    data["deliberations"] = [data.pop("deliberation")]
    data["deliberations"][0]["objet"] = "Objet\x07"
    model, found = parse_model(SeancePayload, data)
    assert model is None
    assert [(v.champ, v.code) for v in found] == [("deliberations[0].objet", "caractere-interdit")]


def test_the_published_schema_carries_the_bounds():
    schema = DeliberationPayload.model_json_schema()
    assert schema["$defs"]["Deliberation"]["properties"]["objet"]["maxLength"] == COURT
