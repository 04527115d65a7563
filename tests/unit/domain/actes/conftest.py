"""Fixtures of the ACTES tests: the ministry's schema, the real messages, the Dijon act."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from service.domain.actes.identifier import ActesIdentifier, identifier_for
from service.domain.actes.settings import ReglagesActes, resolve_reglages
from service.domain.payload import DeliberationPayload

REPO = Path(__file__).resolve().parents[4]
SHARED = REPO.parent / "shared"
ACTES_DIR = SHARED / "actes"
DIJON_JSON = SHARED / "contract" / "examples" / "deliberation-dijon-2019-12-19-013.json"

# A tiny but real PDF header: the archive code only checks the signature.
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16

CONFIG = {
    "trigramme": "SIC",
    "arrondissement": "1",
    "nature": "31",
    "adresses_retour": ["assemblees@metropole-dijon.fr"],
    "referent": {"nom": "Service des assemblées", "telephone": "0380745151"},
    "classification_date_version": "2017-12-08",
}


@pytest.fixture(scope="session")
def schema() -> etree.XMLSchema:
    """The ministry's ACTES v1.1 schema (it imports siret.xsd and insee-commun.xsd)."""
    return etree.XMLSchema(etree.parse(str(ACTES_DIR / "actesv1_1.xsd")))


@pytest.fixture(scope="session")
def dijon_data() -> dict[str, Any]:
    return json.loads(DIJON_JSON.read_text(encoding="utf-8"))


@pytest.fixture
def make_payload(dijon_data: dict[str, Any]) -> Callable[..., DeliberationPayload]:
    """Return a builder of payloads: the Dijon act with some sections changed."""

    def make(collectivite: dict | None = None, **deliberation: Any) -> DeliberationPayload:
        data = copy.deepcopy(dijon_data)
        data["collectivite"].update(collectivite or {})
        data["deliberation"].update(deliberation)
        return DeliberationPayload.model_validate(data)

    return make


@pytest.fixture
def dijon(make_payload: Callable[..., DeliberationPayload]) -> DeliberationPayload:
    return make_payload()


def _identifier_of(payload: DeliberationPayload) -> ActesIdentifier:
    return identifier_for(
        payload.collectivite.departement,
        payload.collectivite.siren,
        payload.seance.date,
        payload.deliberation.numero,
        payload.deliberation.nature,
    )


@pytest.fixture
def identifier_of() -> Callable[[DeliberationPayload], ActesIdentifier]:
    """The identifier the service derives from a payload."""
    return _identifier_of


@pytest.fixture
def config() -> dict[str, Any]:
    """The service configuration of the Dijon SIREN."""
    return copy.deepcopy(CONFIG)


@pytest.fixture
def reglages() -> ReglagesActes:
    return resolve_reglages(CONFIG, None)


@pytest.fixture
def pdf() -> bytes:
    return PDF


@pytest.fixture
def png() -> bytes:
    return PNG


@pytest.fixture
def sending_day() -> dt.date:
    return dt.date(2019, 12, 20)


@pytest.fixture
def assert_valid(schema: etree.XMLSchema) -> Callable[[bytes], etree._Element]:
    """Parse XML bytes as a file is read (declared encoding) and validate them against v1.1."""

    def check(xml: bytes) -> etree._Element:
        assert xml.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>')
        doc = etree.fromstring(xml)
        assert schema.validate(doc), "\n".join(str(e) for e in schema.error_log)
        return doc

    return check


@pytest.fixture(scope="session")
def actes_dir() -> Path:
    """``shared/actes``: the schema and the real messages."""
    return ACTES_DIR
