"""The payload of a whole sitting, and its split into the payloads of its deliberations.

``POST /v1/seances`` takes the fields of one deliberation (``shared/contract/README.md``) with
``deliberations[]`` instead of ``deliberation``. Members arrive and leave during a sitting, so
each deliberation may carry its own ``presences``; the sitting's ``presences`` are the default.
Each act of the sitting is generated from the very payload that ``POST /v1/deliberations``
would take for it, so both routes give the same act (and a retry is recognised as such).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from service.domain.actes.identifier import ActesIdentifier, identifier_for, normalise_departement
from service.domain.payload import (
    Assemblee,
    Collectivite,
    Deliberation,
    DeliberationPayload,
    Membre,
    Presences,
    Seance,
    Signature,
    Transmission,
)
from service.domain.textes import TexteCourt

MAX_DELIBERATIONS = 500
"""A bound on one request: far more deliberations than a sitting examines."""


class CollectiviteDeSeance(Collectivite):
    """The authority, with its SIRET for the open-data file (SCDL ``COLL_SIRET``)."""

    siret: TexteCourt | None = Field(
        None, description="14 digits (SIREN + NIC); needed for the SCDL open-data file only"
    )


class DeliberationDeSeance(Deliberation):
    """One deliberation of the sitting: the ``deliberation`` fields, plus its own attendance."""

    presences: Presences | None = Field(
        None, description="attendance at this vote (arrivals, departures); default: the sitting's"
    )


class SeancePayload(BaseModel):
    """A sitting with every deliberation it examined."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Seance",
        json_schema_extra={"$id": "/v1/schemas/seance.json"},
    )

    collectivite: CollectiviteDeSeance
    assemblee: Assemblee
    seance: Seance
    membres: list[Membre] = Field(min_length=1)
    presences: Presences = Field(default_factory=Presences)
    deliberations: list[DeliberationDeSeance] = Field(min_length=1, max_length=MAX_DELIBERATIONS)
    transmission: Transmission | None = None
    signature: Signature | None = None


def presences_of(seance: SeancePayload, index: int) -> Presences:
    """Return the attendance of deliberation *index*: its own, else the sitting's."""
    own = seance.deliberations[index].presences
    return seance.presences if own is None else own


def deliberation_payload(seance: SeancePayload, index: int) -> DeliberationPayload:
    """Return the payload of deliberation *index* alone, as ``POST /v1/deliberations`` takes it."""
    delib = seance.deliberations[index]
    return DeliberationPayload(
        collectivite=Collectivite.model_validate(
            seance.collectivite.model_dump(exclude={"siret"})
        ),
        assemblee=seance.assemblee,
        seance=seance.seance,
        membres=seance.membres,
        presences=presences_of(seance, index),
        deliberation=Deliberation.model_validate(delib.model_dump(exclude={"presences"})),
        transmission=seance.transmission,
        signature=seance.signature,
    )


def deliberation_payloads(seance: SeancePayload) -> list[DeliberationPayload]:
    """Return the payload of each deliberation of *seance*, in the sitting's order."""
    return [deliberation_payload(seance, i) for i in range(len(seance.deliberations))]


def identifiers_of(seance: SeancePayload) -> list[ActesIdentifier]:
    """Return the ACTES identifier of each act of a lawful sitting, in order."""
    c = seance.collectivite
    return [
        identifier_for(c.departement, c.siren, seance.seance.date, d.numero, d.nature)
        for d in seance.deliberations
    ]


def seance_identifiant(seance: SeancePayload) -> str:
    """Return the sitting's identifier: ``DDD-SIREN-AAAAMMJJ``, then ``-HHMM`` when timed.

    The same sitting sent again gets the same identifier (its record is replaced); the hour
    tells apart the rare two sittings of one assembly on one day.
    """
    c, s = seance.collectivite, seance.seance
    base = f"{normalise_departement(c.departement)}-{c.siren}-{s.date:%Y%m%d}"
    return f"{base}-{s.heure.replace(':', '')}" if s.heure else base

