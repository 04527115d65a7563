"""Who signs a deliberation, and what a signature found in a PDF is worth.

Since 1 July 2022 a deliberation is signed by the président of the sitting and its
secretary(ies) (CGCT L2121-23, as amended by ordonnance 2021-1310); the default template prints
their blocks side by side, président first. The service signs in that order, one approval
signature each; what a validator found of each signature is a :class:`SignatureReport`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from service.domain.payload import DeliberationPayload
from service.domain.records import ActeRecord

Role = Literal["president", "secretaire"]
Modification = Literal["aucune", "signatures", "annotations", "autre"]
"""What changed after a signature: nothing, signature fields (and their validation data),
annotations such as the prefecture's stamp, or anything else (the signature no longer covers
the document as shown)."""

StatutSignature = Literal["non-signee", "signee", "signatures-perdues"]


@dataclass(frozen=True)
class Signataire:
    """One person who signs the act, as the template prints him."""

    role: Role
    nom: str
    """« François REBSAMEN »: first name and name, as in the signature block."""
    qualite: str
    """« Le Président », « La Secrétaire de séance »."""


def signataires(payload: DeliberationPayload) -> list[Signataire]:
    """Return the président, then each secretary of the sitting (CGCT L2121-23), in order."""
    by_id = {m.id: m for m in payload.membres}
    out = []
    president = by_id.get(payload.seance.president)
    if president is not None:
        qualite = "La Présidente" if president.civilite == "Mme" else "Le Président"
        out.append(Signataire("president", f"{president.prenom} {president.nom}", qualite))
    for member_id in payload.seance.secretaires:
        m = by_id.get(member_id)
        if m is not None:
            qualite = ("La Secrétaire de séance" if m.civilite == "Mme"
                       else "Le Secrétaire de séance")
            out.append(Signataire("secretaire", f"{m.prenom} {m.nom}", qualite))
    return out


@dataclass(frozen=True)
class SignatureReport:
    """What validation says of one signature of a PDF."""

    champ: str
    """Name of the signature field."""
    signataire: str
    """Common name of the signing certificate's subject."""
    date_signature: dt.datetime | None
    """The signing time the signer claims (``/M``), or that of its timestamp when there is one."""
    horodatage: dt.datetime | None
    """Time certified by a timestamp authority (PAdES B-T), if any."""
    integre: bool
    """The signed bytes are unchanged and the cryptographic signature is valid."""
    confiance: bool
    """The certificate chains to one of the configured trust anchors."""
    chaine: tuple[str, ...]
    """Common names from the signer up to the trust anchor (empty when no path was found)."""
    modification: Modification
    """What the revisions after the signature changed (see :data:`Modification`)."""
    niveau: str
    """PAdES level reached: ``B-B``, ``B-T`` (timestamped), ``B-LT``, ``B-LTA``."""
    problemes: tuple[str, ...] = field(default=())
    """Why the signature is not fully valid, in French (empty when it is)."""

    @property
    def valide(self) -> bool:
        """Intact, trusted, and followed only by signatures or annotations."""
        return self.integre and self.confiance and self.modification != "autre"


def statut_signature(record: ActeRecord) -> tuple[StatutSignature, int | None]:
    """Return whether the act's current version is signed, and the last signed version.

    An act signed and then amended loses its signatures: the new version was never signed,
    and the status says so (``signatures-perdues``) with the version that was.
    """
    signed = [v.numero for v in record.versions if "pdf_signe" in v.files]
    if not signed:
        return "non-signee", None
    if signed[-1] == record.version:
        return "signee", signed[-1]
    return "signatures-perdues", signed[-1]
