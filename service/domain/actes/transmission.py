"""Build what the service sends to the prefecture: one act's archive, or its cancellation.

This is the entry point of the service layer. It checks what the archive needs (numéro
against the authority's profile, matière against its nomenclature, objet, annexes), reports
every problem at once, then names the files, writes the messages and packs them.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Sequence
from typing import NamedTuple

from service.domain.actes import archive as A
from service.domain.actes.classification import (
    Classification,
    classification_nationale,
    parse_matiere,
)
from service.domain.actes.identifier import ActesIdentifier
from service.domain.actes.messages import ActesEnvelope, ActesMetadata, build_annulation, one_line
from service.domain.actes.nature import NatureActe, check_type_piece, nature_for
from service.domain.actes.numero import check_numero, check_numero_operateur, numero_warning
from service.domain.actes.settings import CHAMP, ReglagesActes
from service.domain.errors import DocumentRejected, InvalidPayload, MissingSetting
from service.domain.payload import Annexe, DeliberationPayload
from service.domain.violations import Violation

OBJET_MAX = 499
"""What S²LOW and Pastell accept (the schema allows 500): the contract's limit."""

# Formats the cahier des charges accepts (annex 3): PDF, and JPG or PNG for images.
_SIGNATURES = ((b"%PDF-", "pdf"), (b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"))
# Characters XML 1.0 cannot carry at all, not even as references (control characters…).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _Piece(NamedTuple):
    type_piece: str
    extension: str
    content: bytes


def file_format(content: bytes) -> str | None:
    """Return ``pdf``, ``jpg`` or ``png`` from the first bytes of *content*, else ``None``."""
    for magic, extension in _SIGNATURES:
        if content.startswith(magic):
            return extension
    return None


def build_transmission(
    payload: DeliberationPayload,
    identifier: ActesIdentifier,
    pdf: bytes,
    reglages: ReglagesActes,
    serial: int,
    sending_date: dt.date,
    *,
    classification: Classification | None = None,
    types_annexes: Sequence[str] | None = None,
) -> A.TransmissionArchive:
    """Return the archive transmitting the act *identifier*: envelope, metadata, PDF, annexes.

    *serial* numbers the authority's sendings of *sending_date* (1, 2…, a Paris date). See
    :func:`prepare_transmission` for the rest.
    """
    return prepare_transmission(
        payload, identifier, pdf, reglages, classification=classification,
        types_annexes=types_annexes,
    ).named(serial, sending_date)


def prepare_transmission(
    payload: DeliberationPayload,
    identifier: ActesIdentifier,
    pdf: bytes,
    reglages: ReglagesActes,
    *,
    classification: Classification | None = None,
    types_annexes: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> A.PreparedArchive:
    """Return the content of the archive transmitting the act *identifier*, not named yet:
    its serial is allocated only once the content is known to be acceptable.

    *classification* is the prefecture's nomenclature (``RetourClassification``); without it
    the matière is checked against the national levels 1–2 only. Annexes come from the
    payload, typed like the act unless *types_annexes* gives one piece type per annex. The
    archive's ``warnings`` say when the numéro fits the authority's profile but not the v1.1
    identifier pattern. *today* (the Paris date) refuses a decision dated after it.

    :raises DocumentRejected: when *pdf* is not a PDF.
    :raises InvalidPayload: listing every field the archive cannot carry as it is.
    :raises MissingSetting: when no classification version date is known.
    """
    if file_format(pdf) != "pdf":
        raise DocumentRejected("le document de l'acte n'est pas un PDF (en-tête %PDF- absent).")
    nomenclature = classification or classification_nationale()
    nature = nature_for(identifier.nature)
    violations = _check(payload, identifier, reglages, nomenclature, nature)
    if today is not None and (future := check_decision_passee(identifier, today)):
        violations.insert(0, future)
    annexes = _annexes(payload.deliberation.annexes, types_annexes, nature.type_piece, violations)
    if violations:
        raise InvalidPayload(violations)
    version = reglages.classification_date_version or nomenclature.date_version
    if version is None:
        raise MissingSetting(
            [
                Violation(
                    f"{CHAMP}.classification_date_version",
                    "parametre-manquant",
                    "date de la classification en vigueur avec la préfecture inconnue",
                )
            ]
        )

    pieces = [_Piece(nature.type_piece, "pdf", pdf), *annexes]
    names = [
        A.document_name(identifier, p.type_piece, rank, p.extension)
        for rank, p in enumerate(pieces, start=1)
    ]
    metadata = ActesMetadata(
        identifier,
        parse_matiere(payload.deliberation.matiere),
        one_line(payload.deliberation.objet),
        version,
        names[0],
        tuple(names[1:]),
    )
    files = [A.ArchiveMember(n, p.content) for n, p in zip(names, pieces, strict=True)]
    return _prepare(identifier, reglages, A.TRANSMISSION, metadata.to_xml(), files)


def check_decision_passee(identifier: ActesIdentifier, today: dt.date) -> Violation | None:
    """Return a violation when the act's decision is dated after *today* (a Paris date).

    An act is transmitted once decided: S²LOW's API refuses a transmission whose decision date
    is in the future, and the prefecture could only answer with an anomaly. The date is the
    sitting's, the one in the act's identifier.
    """
    if identifier.date <= today:
        return None
    return Violation(
        "seance.date",
        "decision-future",
        f"la décision est datée du {identifier.date:%d/%m/%Y}, après aujourd'hui "
        f"({today:%d/%m/%Y}) : un acte ne peut être transmis qu'une fois la décision prise ; "
        "l'opérateur de télétransmission refuserait cette archive",
    )


def build_cancellation(
    identifier: ActesIdentifier, reglages: ReglagesActes, serial: int, sending_date: dt.date
) -> A.TransmissionArchive:
    """Return the archive cancelling the transmission of the act *identifier* (message 6-1).

    Its ``warnings`` say when the numéro is outside the v1.1 ``IDActe`` pattern, which the
    schema applies to the ``Annulation`` message.
    """
    message = build_annulation(identifier)
    return _prepare(identifier, reglages, A.ANNULATION, message, []).named(serial, sending_date)


def _check(
    payload: DeliberationPayload,
    identifier: ActesIdentifier,
    reglages: ReglagesActes,
    nomenclature: Classification,
    nature: NatureActe,
) -> list[Violation]:
    deliberation = payload.deliberation
    objet = one_line(deliberation.objet)
    listed = {t.code for t in nomenclature.types_piece(nature.abrege)}
    found = [
        ("deliberation.numero", "numero-invalide",
         check_numero(identifier.numero, reglages.profil_numero)
         or check_numero_operateur(identifier.numero, reglages.operateur)),
        ("deliberation.matiere", "matiere-inconnue",
         nomenclature.check_matiere(deliberation.matiere)),
        ("deliberation.nature", "nature-incoherente",
         f"nature {deliberation.nature} mais identifiant {identifier}"
         if deliberation.nature != nature.abrege else None),
        ("deliberation.objet", "objet-invalide",
         f"une ligne de 1 à {OBJET_MAX} caractères attendue ({len(objet)} caractères)"
         if not objet or len(objet) > OBJET_MAX else None),
        ("deliberation.objet", "caractere-interdit",
         "caractère de contrôle interdit dans un message XML" if _NOT_XML.search(objet) else None),
        ("deliberation.nature", "type-piece-inconnu",
         f"la classification de la préfecture ne liste pas le type de pièce {nature.type_piece}"
         if listed and nature.type_piece not in listed else None),
    ]  # fmt: skip
    return [Violation(champ, code, message) for champ, code, message in found if message]


def _annexes(
    annexes: Sequence[Annexe],
    types_annexes: Sequence[str] | None,
    default_type: str,
    violations: list[Violation],
) -> list[_Piece]:
    """Return each annex as a piece; append a violation for each unusable one."""
    if types_annexes is not None and len(types_annexes) != len(annexes):
        raise ValueError(f"{len(types_annexes)} type(s) de pièce pour {len(annexes)} annexe(s)")
    pieces = []
    for i, annexe in enumerate(annexes):
        champ = f"deliberation.annexes[{i}]"
        type_piece = types_annexes[i] if types_annexes is not None else default_type
        if why := check_type_piece(type_piece):
            violations.append(Violation(f"{champ}.type", "type-piece-invalide", why))
        try:
            content = base64.b64decode(annexe.contenu_base64, validate=True)
        except (binascii.Error, ValueError):
            violations.append(
                Violation(f"{champ}.contenu_base64", "base64-invalide", "contenu base64 illisible")
            )
            continue
        extension = file_format(content)
        if extension is None:
            why = (
                f"« {annexe.nom_fichier} » n'est ni un PDF, ni un JPG, ni un PNG : "
                "la préfecture le refuserait"
            )
            violations.append(Violation(f"{champ}.contenu_base64", "format-non-accepte", why))
            continue
        pieces.append(_Piece(type_piece, extension, content))
    return pieces


def _prepare(
    identifier: ActesIdentifier,
    reglages: ReglagesActes,
    kind: tuple[int, int],
    message: bytes,
    files: list[A.ArchiveMember],
) -> A.PreparedArchive:
    """Return the archive's content: envelope naming the message, the message, then *files*."""
    message_name = A.message_name(identifier, kind)
    envelope = ActesEnvelope(
        siren=identifier.siren,
        departement=identifier.departement,
        arrondissement=reglages.arrondissement,
        nature_collectivite=reglages.nature,
        adresses_retour=reglages.adresses_retour,
        formulaires=(message_name,),
        referent=reglages.referent,
    )
    warning = numero_warning(identifier.numero, reglages.profil_numero)
    return A.PreparedArchive(
        reglages.trigramme,
        identifier.siren,
        reglages.plateforme,
        envelope.to_xml(),
        (A.ArchiveMember(message_name, message), *files),
        warnings=(warning,) if warning else (),
    )
