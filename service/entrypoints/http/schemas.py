"""The JSON answers of the API as pydantic models: the serialisers build every body through them.

``/openapi.json`` publishes the JSON Schema of these same models, so a field the serialisers add,
drop or retype changes the description with it, and a body that does not fit its model fails at
the server instead of surprising a client. ``extra="forbid"`` turns an undeclared key into an
error rather than a silent addition.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from service.domain.jobs import StatutActeDeJob, StatutJob
from service.domain.payload import Transmission
from service.domain.records import FileKind, Statut

Lien = str
"""A path on this service, relative to its root (``/v1/actes/…``)."""


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Violation(_Answer):
    """One broken rule of an invalid payload."""

    champ: str = Field(description="path of the field: `presences.pouvoirs[2].mandataire`, "
                                   "`(racine)` for the document itself")
    code: str = Field(description="stable identifier of the rule: `quorum-non-atteint`…")
    message: str = Field(description="the rule, in French")


class Probleme(_Answer):
    """An error, as RFC 9457 ``application/problem+json``; messages in French."""

    type: str = Field(description="`urn:actes:probleme:<code>`")
    title: str = Field(description="short French title of the kind of error")
    status: int = Field(ge=400, le=599, description="the HTTP status, repeated")
    detail: str = Field(description="what went wrong with this request, in French")
    code: str = Field(description="stable machine-readable identifier of the error")
    # Empty rather than absent on the other errors: every error answer has the same shape.
    violations: list[Violation] = Field(
        default_factory=list,
        description="every broken rule of an invalid payload (`422`); empty for other errors",
    )


class Fichier(_Answer):
    """A stored file of a version."""

    sha256: str = Field(pattern="^[0-9a-f]{64}$")
    taille: int = Field(ge=0, description="size in bytes")
    type_media: str
    lien: Lien


class LiensActe(_Answer):
    self_: Lien = Field(alias="self")
    docx: Lien
    pdf: Lien
    versions: Lien
    signatures: Lien


class EtatSignature(_Answer):
    """Whether the act's current version is signed."""

    statut: Literal["non-signee", "signee", "signatures-perdues"] = Field(
        description="`signatures-perdues`: a signed version was amended since; the current "
                    "one is not signed")
    version_signee: int | None = Field(description="the latest signed version, if any")


class SignatureDuPdf(_Answer):
    """What validation says of one signature of the PDF."""

    champ: str = Field(description="name of the signature field")
    signataire: str = Field(description="common name of the signing certificate")
    date_signature: dt.datetime | None
    horodatage: dt.datetime | None = Field(
        description="time certified by a timestamp authority (PAdES B-T), if any")
    integre: bool = Field(description="signed bytes unchanged and cryptographic signature valid")
    confiance: bool = Field(description="certificate chains to a configured trust anchor")
    chaine: list[str] = Field(description="common names from the signer to the trust anchor")
    modification: Literal["aucune", "signatures", "annotations", "autre"] = Field(
        description="what the revisions after the signature changed: `annotations` is the "
                    "prefecture's stamp; `autre` means the signature no longer covers the "
                    "document as shown")
    niveau: str = Field(description="PAdES level: `B-B`, `B-T`")
    valide: bool
    problemes: list[str] = Field(description="why it is not fully valid, in French")


class SignaturesActe(_Answer):
    """The act's signature status and each signature of the PDF it publishes."""

    identifiant: str
    version: int
    signature: EtatSignature
    signatures: list[SignatureDuPdf]


class Acte(_Answer):
    """An act: its identifier, current version, status, prefecture dates and files."""

    identifiant: str = Field(description="ACTES identifier `DDD-SIREN-AAAAMMJJ-NUMERO-NATURE`")
    siren: str
    version: int = Field(ge=1, description="number of the current version")
    statut: Statut
    cree_le: dt.datetime
    modifie_le: dt.datetime
    transmission: Transmission
    fichiers: dict[FileKind, Fichier] = Field(
        description="files of the current version; `pdf_tamponne` once acknowledged, "
                    "`pdf_signe` once signed"
    )
    signature: EtatSignature
    liens: LiensActe


class Version(_Answer):
    """One version of an act: generated from a payload, or a clerk's amended DOCX."""

    numero: int = Field(ge=1)
    cree_le: dt.datetime
    auteur: str = Field(description="name of the token, `api` or `cli`")
    origine: Literal["payload", "amendement"]
    fichiers: dict[FileKind, Fichier]
    remplace: int | None = Field(
        None, description="the clerk's amended version this one replaced on purpose "
                          "(`?remplacer=<identifiant>:<version>`)")
    motif: str | None = Field(None, description="why it replaced that version")


class Versions(_Answer):
    """Every version of an act, oldest first."""

    identifiant: str
    versions: list[Version]


class Progression(_Answer):
    faits: int = Field(ge=0)
    erreurs: int = Field(ge=0)
    total: int = Field(ge=0)


class ErreurDeJob(_Answer):
    """An act of the sitting that could not be generated."""

    position: int = Field(ge=0, description="index in the sitting's `deliberations[]`")
    identifiant: str
    code: str | None
    message: str | None


class ActeDeJob(_Answer):
    position: int = Field(ge=0)
    identifiant: str
    statut: StatutActeDeJob
    tentatives: int = Field(ge=0, description="how many times a worker started this act")
    lien: Lien


class LiensJob(_Answer):
    self_: Lien = Field(alias="self")
    seance: Lien


class Job(_Answer):
    """The generation of a sitting's acts: status, progress and the error of each failed act."""

    id: str
    seance: str = Field(description="identifier of the sitting")
    statut: StatutJob
    progression: Progression
    erreurs: list[ErreurDeJob]
    actes: list[ActeDeJob]
    cree_le: dt.datetime
    debute_le: dt.datetime | None
    termine_le: dt.datetime | None
    liens: LiensJob


class ActeEnAttente(_Answer):
    """An act of the sitting not generated yet."""

    identifiant: str
    statut: Literal["en_attente"]


class LiensSeance(_Answer):
    self_: Lien = Field(alias="self")
    job: Lien | None
    archive: Lien
    liste: Lien
    csv: Lien
    proces_verbal: Lien


class SeanceEnregistree(_Answer):
    """A sitting as stored, with its acts in the order of the agenda."""

    id: str = Field(description="`DDD-SIREN-AAAAMMJJ`, then `-HHMM` when the hour is known")
    siren: str
    date: dt.date
    cree_le: dt.datetime
    modifie_le: dt.datetime
    actes: list[Acte | ActeEnAttente]
    liens: LiensSeance
    proces_verbal_arrete_le: dt.date | None = Field(
        None, description="the sitting that adopted the procès-verbal (CGCT L2121-15)")
    liste_mise_en_ligne: dt.date | None = Field(
        None, description="the date the list of deliberations was put online (L2121-25)")


class EtatService(_Answer):
    """The answer of the health checks."""

    statut: Literal["ok", "pret"]

M = TypeVar("M", bound=BaseModel)


def dump(model: type[M], data: Any) -> dict[str, Any]:
    """Return *data* checked against *model*, as the JSON-ready dict the API sends.

    :raises pydantic.ValidationError: when *data* does not fit: a bug of the serialiser.
    """
    return model.model_validate(data).model_dump(mode="json", by_alias=True)
