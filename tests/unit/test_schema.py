"""The committed JSON Schema is the model's, and the contract's examples satisfy it."""

from __future__ import annotations

import json
from pathlib import Path

from service.domain.parsing import parse_model
from service.domain.payload import DeliberationPayload
from service.domain.schema import deliberation_schema

REPO = Path(__file__).resolve().parents[2]


def test_committed_schema_equals_the_model() -> None:
    committed = (REPO / "schemas" / "deliberation.json").read_text(encoding="utf-8")
    assert committed == deliberation_schema(), "run: actes schema > schemas/deliberation.json"


def test_every_contract_example_is_a_valid_payload(shared_dir: Path) -> None:
    examples = sorted((shared_dir / "contract" / "examples").glob("deliberation-*.json"))
    assert examples
    for path in examples:
        model, violations = parse_model(DeliberationPayload, json.loads(path.read_text("utf-8")))
        assert violations == [], path.name
        assert model is not None


def test_schema_names_every_contract_field() -> None:
    schema = json.loads(deliberation_schema())
    defs = schema["$defs"]
    assert set(schema["properties"]) == {
        "collectivite", "assemblee", "seance", "membres", "presences", "deliberation",
        "transmission", "signature",
    }
    assert {"pour", "contre", "abstention", "ne_se_prononce_pas"} <= set(defs["Vote"]["properties"])
    # A deliberation carries a vote or, for a nomination, an election (contract v1.1).
    assert defs["Deliberation"]["required"] == ["numero", "ordre", "matiere", "objet", "dispositif"]


def test_schema_names_every_field_added_in_v1_1() -> None:
    """Contract v1.1, "Additions in v1.1": every field, under its own name."""
    schema = json.loads(deliberation_schema())
    defs = schema["$defs"]
    assert set(defs["Signature"]["properties"]) == {"lieu", "date", "signataire", "qualite"}
    assert defs["Assemblee"]["properties"]["organe"]["enum"] == [
        "deliberant", "commission_permanente", "bureau"
    ]
    assert "suppleant_de" in defs["Membre"]["properties"]
    assert "a_distance" in defs["Presences"]["properties"]
    vote = defs["Vote"]["properties"]
    assert vote["mode"]["enum"] == ["main_levee", "public", "secret"]
    assert {"noms_pour", "blancs", "nuls", "voix_preponderante"} <= set(vote)
    assert vote["voix_preponderante"]["anyOf"][0]["enum"] == ["pour", "contre"]
    assert "election" in defs["Deliberation"]["properties"]
    assert defs["Election"]["required"] == ["postes", "tours"]
    assert set(defs["Tour"]["properties"]) == {"candidats", "blancs", "nuls"}
    assert set(defs["Candidat"]["properties"]) == {"nom", "voix", "date_naissance"}
