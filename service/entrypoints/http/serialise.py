"""Act records and files as HTTP answers."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, url_for
from werkzeug.datastructures import MIMEAccept

from service.domain.errors import NotAcceptable
from service.domain.records import MEDIA_TYPES, ActeRecord, VersionRecord
from service.domain.signatures import SignatureReport, statut_signature
from service.entrypoints.downloads import NOMS_VERSION
from service.entrypoints.http.schemas import Acte, SignaturesActe, Versions, dump

DOCX = MEDIA_TYPES["docx"]
PDF = MEDIA_TYPES["pdf"]


def negotiate_file(accept: MIMEAccept) -> str | None:
    """Return ``"pdf"`` or ``"docx"`` when the client asked for a file, ``None`` for JSON.

    :raises NotAcceptable: when the client accepts none of JSON, PDF and DOCX.
    """
    if not accept or accept.best in (None, "*/*"):
        return None
    best = accept.best_match(["application/json", PDF, DOCX])
    if best is None:
        raise NotAcceptable("Formats disponibles : application/json, application/pdf, DOCX.")
    return {PDF: "pdf", DOCX: "docx"}.get(best)


def _version_json(ident: str, v: VersionRecord) -> dict[str, Any]:
    return {
        "numero": v.numero,
        "cree_le": v.created_at,
        "auteur": v.auteur,
        "origine": v.origine,
        "fichiers": {
            kind: {
                "sha256": f.sha256,
                "taille": f.size,
                "type_media": f.media_type,
                "lien": url_for("actes.get_version_file", identifiant=ident, numero=v.numero,
                                fichier=NOMS_VERSION[kind]),
            }
            for kind, f in v.files.items()
        },
        **({"remplace": v.remplace, "motif": v.motif} if v.remplace is not None else {}),
    }


def acte_dict(record: ActeRecord) -> dict[str, Any]:
    """Return the act record as the API shows it (the ``Acte`` schema of ``/openapi.json``)."""
    ident = record.identifiant
    current = _version_json(ident, record.current)
    return dump(Acte, {
        "identifiant": ident,
        "siren": record.siren,
        "version": record.version,
        "statut": record.statut,
        "cree_le": record.created_at,
        "modifie_le": record.updated_at,
        "transmission": {
            "date_envoi": record.date_envoi,
            "date_reception": record.date_reception,
            "date_publication": record.date_publication,
        },
        "fichiers": current["fichiers"],
        "signature": _etat_signature(record),
        "liens": {
            "self": url_for("actes.get_acte", identifiant=ident),
            "docx": url_for("actes.get_document", identifiant=ident, extension="docx"),
            "pdf": url_for("actes.get_document", identifiant=ident, extension="pdf"),
            "versions": url_for("actes.get_versions", identifiant=ident),
            "signatures": url_for("actes.get_signatures", identifiant=ident),
        },
    })


def _etat_signature(record: ActeRecord) -> dict[str, Any]:
    statut, version = statut_signature(record)
    return {"statut": statut, "version_signee": version}


def signatures_json(found: Any) -> Response:
    """Return the act's signature status and the report of each signature."""
    return jsonify(dump(SignaturesActe, {
        "identifiant": found.identifiant,
        "version": found.version,
        "signature": {"statut": found.statut, "version_signee": found.version_signee},
        "signatures": [signature_dict(r) for r in found.signatures],
    }))


def signature_dict(report: SignatureReport) -> dict[str, Any]:
    """Return one signature's report as the API and ``actes verify`` show it."""
    return {
        "champ": report.champ, "signataire": report.signataire,
        "date_signature": report.date_signature, "horodatage": report.horodatage,
        "integre": report.integre, "confiance": report.confiance,
        "chaine": list(report.chaine), "modification": report.modification,
        "niveau": report.niveau, "valide": report.valide, "problemes": list(report.problemes),
    }


def acte_json(record: ActeRecord) -> Response:
    """Return the act record as a JSON response."""
    return jsonify(acte_dict(record))


def versions_json(record: ActeRecord) -> Response:
    """Return every version of the act, oldest first."""
    return jsonify(dump(Versions, {
        "identifiant": record.identifiant,
        "versions": [_version_json(record.identifiant, v) for v in record.versions],
    }))

