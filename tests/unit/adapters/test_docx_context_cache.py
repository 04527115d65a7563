"""What the context keeps per process (flat dicts of a payload, the part of a sitting) never
leaks between renders, and is found again only for equal values."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from service.adapters.docx import context
from service.adapters.docx.context import _typographed, template_context
from service.adapters.docx.typography import fr
from service.domain.actes.identifier import identifier_for
from service.domain.decompte import decompter
from service.domain.payload import Candidat, DeliberationPayload, Election, Tour
from service.domain.seance import SeancePayload, deliberation_payloads

REPO = Path(__file__).resolve().parents[3]
TODAY = dt.date(2020, 1, 6)


def test_equal_values_of_other_types_are_not_mixed_up() -> None:
    assert _typographed({"vote": {"n": 1}})["vote"]["n"] is 1  # noqa: F632
    assert _typographed({"vote": {"n": True}})["vote"]["n"] is True
    assert _typographed({"vote": {"n": 1}})["vote"]["n"] is 1  # noqa: F632


def test_each_call_gets_its_own_dicts() -> None:
    first = _typographed({"membres": [{"nom": "Durand", "titre": "Maire : adjoint"}]})
    first["membres"][0]["nom"] = "changé par un modèle"
    again = _typographed({"membres": [{"nom": "Durand", "titre": "Maire : adjoint"}]})
    assert again["membres"][0] == {"nom": "Durand", "titre": "Maire\u202f: adjoint"}


def _context(payload: DeliberationPayload, today: dt.date = TODAY) -> dict[str, Any]:
    c, d = payload.collectivite, payload.deliberation
    ident = identifier_for(c.departement, c.siren, payload.seance.date, d.numero, d.nature)
    return template_context(payload, ident, aujourd_hui=today)


def _afresh(payload: DeliberationPayload, today: dt.date = TODAY) -> dict[str, Any]:
    context.clear()
    return _context(payload, today)


@pytest.fixture
def acts() -> list[DeliberationPayload]:
    seance = SeancePayload.model_validate_json((REPO / "examples" / "seance.json").read_text())
    return deliberation_payloads(seance)


@pytest.fixture
def dijon_payload(dijon: dict[str, Any]) -> DeliberationPayload:
    return DeliberationPayload.model_validate(copy.deepcopy(dijon))


def test_a_sitting_s_acts_get_the_context_made_afresh(acts: list[DeliberationPayload]) -> None:
    context.clear()
    kept = [_context(p) for p in acts + acts]  # the second time round, all of it kept
    for payload, ctx in zip(acts + acts, kept, strict=True):
        assert ctx == _afresh(payload)


def test_an_act_s_own_fields_are_its_own(acts: list[DeliberationPayload]) -> None:
    context.clear()
    first, second = _context(acts[0]), _context(acts[1])
    assert first["deliberation"]["objet"] != second["deliberation"]["objet"]
    assert first["identifiant"] != second["identifiant"]
    assert first["membres"] == second["membres"]


def test_a_changed_member_changes_the_context(dijon_payload: DeliberationPayload) -> None:
    context.clear()
    before = _context(dijon_payload)
    membres = list(dijon_payload.membres)
    present = next(m for m in membres if m.id == dijon_payload.seance.president)
    membres[membres.index(present)] = present.model_copy(update={"nom": "NOUVEAU-NOM"})
    changed = dijon_payload.model_copy(update={"membres": membres})
    after = _context(changed)
    assert "NOUVEAU-NOM" not in repr(before)
    assert "NOUVEAU-NOM" in after["textes"]["president"]
    assert "NOUVEAU-NOM" in repr(after["textes"]["presents"])
    assert any(m["nom"] == "NOUVEAU-NOM" for m in after["membres"])
    assert after == _afresh(changed)
    assert _context(dijon_payload) == before  # and the first sitting is still itself


def test_changed_attendance_and_date_change_the_context(
    dijon_payload: DeliberationPayload,
) -> None:
    context.clear()
    before = _context(dijon_payload)
    presences = dijon_payload.presences.model_copy(  # the first absent member came
        update={"absents": dijon_payload.presences.absents[1:]}
    )
    back = dijon_payload.model_copy(update={"presences": presences})
    after = _context(back)
    assert after["presences"]["absents"] == before["presences"]["absents"][1:]
    assert after["textes"]["presents"] != before["textes"]["presents"]
    assert after["textes"]["absents"] != before["textes"]["absents"]
    assert after["decompte"] != before["decompte"]
    assert after == _afresh(back)
    context.clear()
    _context(dijon_payload)
    later = _context(dijon_payload, TODAY + dt.timedelta(days=1))
    assert later == _afresh(dijon_payload, TODAY + dt.timedelta(days=1))
    if dijon_payload.signature is None or dijon_payload.signature.date is None:
        assert later["textes"]["fait_a"] != before["textes"]["fait_a"]


def _commune_electing_its_maire(
    dijon_payload: DeliberationPayload,
) -> tuple[DeliberationPayload, DeliberationPayload]:
    """Return the Dijon act as a commune's in June 2020, and that commune's election of its
    maire at the same sitting."""
    commune = dijon_payload.model_copy(update={
        "collectivite": dijon_payload.collectivite.model_copy(update={"type": "commune"}),
        "seance": dijon_payload.seance.model_copy(update={"date": dt.date(2020, 6, 2)}),
    })
    election = Election(postes=1, tours=[Tour(candidats=[Candidat(nom="Mme A", voix=40)])])
    maire = commune.model_copy(update={"deliberation": commune.deliberation.model_copy(
        update={"matiere": "5.1", "election": election, "vote": None}
    )})
    return commune, maire


def test_an_election_of_the_executive_gets_its_own_quorum(
    dijon_payload: DeliberationPayload,
) -> None:
    # From 14 May 2020 a commune's election of its maire counts members present only, other
    # deliberations of the same sitting present or represented: the sitting's counts differ.
    commune, maire = _commune_electing_its_maire(dijon_payload)
    context.clear()
    other, elected = _context(commune), _context(maire)
    assert other["textes"]["quorum"] != elected["textes"]["quorum"]
    assert other == _afresh(commune)
    assert elected == _afresh(maire)


def test_a_render_changing_its_context_leaves_the_next_one_alone(
    dijon_payload: DeliberationPayload,
) -> None:
    context.clear()
    before = _context(dijon_payload)
    first = _context(dijon_payload)
    first["membres"][0]["nom"] = "changé"
    first["membres"].append({"nom": "ajouté"})
    first["textes"]["presents"][0][0] = "changé"
    first["textes"]["recours"] = "changé"
    first["decompte"]["presents"].clear()
    first["seance"]["secretaires"].append("x")
    assert _context(dijon_payload) == before


def test_the_counts_kept_are_decompter_s(
    acts: list[DeliberationPayload], dijon_payload: DeliberationPayload
) -> None:
    commune, maire = _commune_electing_its_maire(dijon_payload)
    adjoint = maire.model_copy(update={"deliberation": maire.deliberation.model_copy(
        update={"matiere": "4.1"}  # an election, not of the executive
    )})
    context.clear()
    for payload in [*acts, commune, maire, adjoint, *acts, commune, maire, adjoint]:
        seance = context._seance(payload, TODAY, fr)
        assert seance.decompte(payload) == decompter(payload)
    assert decompter(maire) != decompter(adjoint)
