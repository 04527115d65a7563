"""What ``/openapi.json`` says of each endpoint: its bodies, answers and errors.

Paths, methods and path parameters come from Flask's URL map, security from
:data:`~service.entrypoints.http.access.OPEN_ENDPOINTS` and schemas from the pydantic models;
this table holds only what the code cannot tell: which models a view reads and writes, and which
errors it can answer. ``tests/e2e/test_openapi.py`` fuzzes every operation against it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from service.domain.payload import DeliberationPayload, Transmission
from service.domain.records import MEDIA_TYPES
from service.domain.seance import SeancePayload
from service.entrypoints.http.schemas import (
    Acte,
    EtatService,
    Job,
    SeanceEnregistree,
    SignaturesActe,
    Versions,
)

JSON = "application/json"
PROBLEM = "application/problem+json"
PDF = MEDIA_TYPES["pdf"]
DOCX = MEDIA_TYPES["docx"]
BINARY: dict[str, Any] = {"type": "string", "format": "binary"}

Schema = type[BaseModel] | dict[str, Any]
"""A model (published under ``components/schemas``) or an inline JSON Schema."""


@dataclass(frozen=True)
class Answer:
    """A success answer: its media types (each with its schema) and its headers."""

    description: str
    content: Mapping[str, Schema]
    headers: tuple[str, ...] = ()
    """Names in ``components/headers``."""


@dataclass(frozen=True)
class Operation:
    """One method on one path, as the description shows it."""

    summary: str
    tag: str
    answers: Mapping[int, Answer]
    errors: tuple[int, ...] = ()
    """Statuses of the ``Probleme`` answers besides ``401``, added to every secured route."""
    body: Mapping[str, Schema] | None = None
    headers: tuple[str, ...] = ()
    """Request headers and query options, names in ``components/parameters``."""


# What each kind of failure means; the problem+json answers of the description.
ERRORS: dict[int, tuple[str, str]] = {
    400: ("RequeteInvalide", "Requête inutilisable : corps vide, JSON mal formé, en-tête "
                             "invalide."),
    401: ("AuthentificationRequise", "Jeton d'accès absent, inconnu ou révoqué "
                                     "(`Authorization: Bearer …`)."),
    403: ("AccesRefuse", "Le jeton n'est pas habilité pour cette collectivité (SIREN)."),
    404: ("Introuvable", "Aucune ressource de cet identifiant, ou elle appartient à une autre "
                         "collectivité que celles du jeton."),
    406: ("FormatNonDisponible", "Aucun des formats acceptés (`Accept`) n'est disponible."),
    409: ("Conflit", "L'état de la ressource ne permet pas l'opération (acte déjà transmis, "
                     "version modifiée entre-temps, fichiers pas encore générés…)."),
    413: ("ContenuTropVolumineux", "Le corps dépasse la taille maximale "
                                   "(`ACTES_MAX_CONTENT_LENGTH`)."),
    415: ("TypeDeMediaNonPrisEnCharge", "Le corps n'est pas dans un type de média accepté."),
    422: ("DonneesInvalides", "Données contraires au contrat ou à la loi : `violations` liste "
                              "chaque règle non respectée, avec son champ."),
    500: ("ErreurInterne", "Modèle de document ou tampon en échec."),
    502: ("ConversionEchouee", "LibreOffice n'a pas pu convertir le document en PDF."),
    503: ("ServiceIndisponible", "Convertisseur, file d'attente ou base de données momentanément "
                                 "indisponible : réessayez après `Retry-After` secondes."),
    504: ("ConversionTropLongue", "La conversion PDF a dépassé le délai."),
}
ERROR_HEADERS: dict[int, tuple[str, ...]] = {401: ("WWW-Authenticate",), 503: ("Retry-After",)}

# Errors shared by families of routes.
_STORED = (404, 503)
_BODY = (400, 413, 415, 422)
_CONVERSION = (500, 502, 503, 504)


def _file(media_type: str, what: str) -> Answer:
    return Answer(what, {media_type: BINARY}, ("Content-Disposition",))


def _version_file(fichier: str) -> Operation:
    media_type = PDF if fichier.endswith(".pdf") else DOCX
    return Operation(f"Un fichier d'une version ({fichier})", "actes",
                     {200: _file(media_type, f"Le fichier {fichier} de la version.")}, _STORED)


def _document(extension: str) -> Operation:
    what = ("Le PDF/A, tamponné de la mention préfectorale une fois l'accusé de réception reçu."
            if extension == "pdf" else "Le DOCX de la version courante.")
    return Operation(f"Le {extension.upper()} de la version courante", "actes",
                     {200: _file(MEDIA_TYPES[extension], what)}, _STORED)


def _acte_answer(description: str, *headers: str) -> Answer:
    return Answer(description, {JSON: Acte}, headers)


_ACTE_OR_FILE: dict[str, Schema] = {JSON: Acte, PDF: BINARY, DOCX: BINARY}


def _date_body(champ: str) -> dict[str, Any]:
    return {"type": "object", "required": [champ], "additionalProperties": False,
            "properties": {champ: {"type": "string", "format": "date"}}}
_GENERATION_ERRORS = (*_BODY, 403, 409, *_CONVERSION)


def _deliberation_document(extension: str) -> Operation:
    media_type = MEDIA_TYPES[extension]
    return Operation(
        f"Générer l'acte d'une délibération, réponse en {extension.upper()}", "actes",
        {201: Answer(f"Acte créé (ou nouvelle version) : son {extension.upper()}.",
                     {media_type: BINARY}, ("Location", "Content-Disposition")),
         200: Answer(f"Même payload déjà reçu : le {extension.upper()} de l'acte existant.",
                     {media_type: BINARY}, ("Location", "Content-Disposition"))},
        _GENERATION_ERRORS, body={JSON: DeliberationPayload}, headers=("remplacer",))

OPERATIONS: dict[tuple[str, str], Operation | Callable[..., Operation]] = {
    ("health.healthz", "GET"): Operation(
        "Vivacité", "service", {200: Answer("Le processus répond.", {JSON: EtatService})}),
    ("health.readyz", "GET"): Operation(
        "Disponibilité", "service",
        {200: Answer("Une conversion PDF peut être faite maintenant.", {JSON: EtatService})},
        (503,)),
    ("health.metrics", "GET"): Operation(
        "Métriques Prometheus", "service",
        {200: Answer("Conversions, échecs, redémarrages, file d'attente, durées.",
                     {"text/plain": {"type": "string"}})}),
    ("health.deliberation_schema", "GET"): Operation(
        "JSON Schema du payload d'une délibération", "service",
        {200: Answer("Le schéma, généré du modèle qui valide les requêtes.",
                     {"application/schema+json": {"type": "object"}})}),
    ("openapi.openapi_json", "GET"): Operation(
        "Cette description OpenAPI", "service",
        {200: Answer("La description OpenAPI 3.1 de l'API.", {JSON: {"type": "object"}})}),
    ("deliberations.post_deliberation", "POST"): Operation(
        "Générer l'acte d'une délibération", "actes",
        {201: Answer("Acte créé (ou nouvelle version) : sa fiche, ou avec `Accept: application/pdf`"
                     " ou le type DOCX, le fichier lui-même.", _ACTE_OR_FILE, ("Location",)),
         200: Answer("Même payload déjà reçu : l'acte existant, rien n'est refait.",
                     _ACTE_OR_FILE, ("Location",))},
        (*_GENERATION_ERRORS, 406), body={JSON: DeliberationPayload}, headers=("remplacer",)),
    ("deliberations.post_deliberation_document", "POST"): _deliberation_document,
    ("actes.get_acte", "GET"): Operation(
        "La fiche d'un acte", "actes", {200: _acte_answer("La fiche de l'acte.")}, _STORED),
    ("actes.get_versions", "GET"): Operation(
        "Les versions d'un acte", "actes",
        {200: Answer("Chaque version, la plus ancienne d'abord.", {JSON: Versions})}, _STORED),
    ("actes.get_version_file", "GET"): _version_file,
    ("actes.get_document", "GET"): _document,
    ("actes.put_document", "PUT"): Operation(
        "Déposer le DOCX corrigé par le greffe", "actes",
        {200: _acte_answer("Nouvelle version enregistrée, PDF régénéré.", "ETag")},
        (*_STORED, *_BODY, 409, *_CONVERSION),
        body={DOCX: BINARY}, headers=("If-Match",)),
    ("actes.get_transmission", "GET"): Operation(
        "L'archive ACTES de télétransmission", "actes",
        {200: _file("application/gzip", "Enveloppe, métadonnées XML, PDF et annexes ; nommée "
                                        "comme l'attend l'opérateur : numéro d'envoi du jour "
                                        "de la collectivité, le même pour la même archive.")},
        (*_STORED, 409, 422, 500)),
    ("actes.post_accuse_reception", "POST"): Operation(
        "Enregistrer l'accusé de réception de la préfecture", "actes",
        {200: _acte_answer("Dates enregistrées, PDF tamponné.")},
        (*_STORED, *_BODY, 409, 500), body={JSON: Transmission}),
    ("actes.post_accuse_reception_aracte", "POST"): Operation(
        "Enregistrer le message ARActe de la préfecture", "actes",
        {200: _acte_answer("Date de réception enregistrée, PDF tamponné.")},
        (*_STORED, *_BODY, 409, 500),
        body={"application/xml": {**BINARY, "description": "le message ACTES `ARActe`, tel que "
                                                          "reçu de l'opérateur"}}),
    ("actes.post_signature", "POST"): Operation(
        "Signer l'acte (PAdES) : président, puis secrétaire(s)", "actes",
        {200: _acte_answer("PDF signé enregistré ; tamponné par-dessus si l'acte l'était.")},
        (*_STORED, 409, 500)),
    ("actes.put_signed_pdf", "PUT"): Operation(
        "Déposer le PDF signé ailleurs (i-Parapheur)", "actes",
        {200: _acte_answer("PDF signé enregistré pour la version courante et transmis.")},
        (*_STORED, 400, 409, 413, 415, 422, 500),
        body={PDF: BINARY}),
    ("actes.get_signatures", "GET"): Operation(
        "Les signatures de l'acte et leur validité", "actes",
        {200: Answer("Statut de signature et, pour chaque signature : signataire, date, "
                     "intégrité, chaîne de confiance, modifications ultérieures.",
                     {JSON: SignaturesActe})},
        (*_STORED, 422)),
    ("seances.post_seance", "POST"): Operation(
        "Générer les actes d'une séance", "seances",
        {202: Answer("Séance vérifiée et enregistrée ; ses actes sont générés par la tâche.",
                     {JSON: Job}, ("Location",))},
        (*_BODY, 403, 409, 503),
        body={JSON: SeancePayload}, headers=("remplacer",)),
    ("seances.get_seance", "GET"): Operation(
        "La fiche d'une séance et de ses actes", "seances",
        {200: Answer("La séance ; `en_attente` pour un acte pas encore généré.",
                     {JSON: SeanceEnregistree})}, _STORED),
    ("seances.get_archive", "GET"): Operation(
        "Tous les fichiers de la séance", "seances",
        {200: _file("application/zip", "DOCX et PDF de chaque acte, liste des délibérations et "
                                       "CSV SCDL.")},
        (*_STORED, 409, *_CONVERSION)),
    ("seances.get_liste", "GET"): Operation(
        "La liste des délibérations examinées (CGCT L2121-25)", "seances",
        {200: _file(PDF, "La liste, en PDF/A.")}, (*_STORED, *_CONVERSION)),
    ("seances.get_csv", "GET"): Operation(
        "Les délibérations au format SCDL « Délibérations »", "seances",
        {200: _file("text/csv", "Le fichier open data, UTF-8.")}, (*_STORED, 409)),
    ("seances.get_proces_verbal", "GET"): lambda extension: Operation(
        f"Le procès-verbal de la séance ({extension.upper()}, CGCT L2121-15)", "seances",
        {200: _file(MEDIA_TYPES[extension], "Le procès-verbal, fait des actes enregistrés de la "
                                            "séance ; sa fiche est l'acte `PV-<séance>`.")},
        (*_STORED, 409, *_CONVERSION)),
    ("seances.put_proces_verbal", "PUT"): Operation(
        "Déposer le procès-verbal corrigé par le secrétaire", "seances",
        {200: _acte_answer("Nouvelle version du procès-verbal, PDF régénéré.", "ETag")},
        (*_STORED, *_BODY, 409, *_CONVERSION), body={DOCX: BINARY}, headers=("If-Match",)),
    ("seances.post_adoption", "POST"): Operation(
        "Enregistrer l'adoption du procès-verbal", "seances",
        {200: _acte_answer("Nouvelle version du procès-verbal portant la date d'adoption.")},
        (*_STORED, *_BODY, 409, *_CONVERSION), body={JSON: _date_body("arrete_le")}),
    ("seances.post_liste_publication", "POST"): Operation(
        "Enregistrer la mise en ligne de la liste des délibérations", "seances",
        {200: Answer("La séance, avec la date de mise en ligne de sa liste.",
                     {JSON: SeanceEnregistree})},
        (*_STORED, *_BODY, 409), body={JSON: _date_body("date_mise_en_ligne")}),
    ("actes.post_publication", "POST"): Operation(
        "Enregistrer la publication en ligne de l'acte", "actes",
        {200: _acte_answer("Date de mise en ligne enregistrée ; version publiée (données "
                           "personnelles occultées) faite, PDF tamponné à nouveau.")},
        (*_STORED, *_BODY, 409, *_CONVERSION), body={JSON: _date_body("date_mise_en_ligne")}),
    ("actes.get_published", "GET"): lambda extension: Operation(
        f"La version publiée de l'acte ({extension.upper()})", "actes",
        {200: _file(MEDIA_TYPES[extension], "L'acte tel que mis en ligne : données personnelles "
                                            "remplacées dans le texte, date de mise en ligne.")},
        _STORED),
    ("jobs.get_job", "GET"): Operation(
        "L'avancement d'une tâche", "seances",
        {200: Answer("Statut, progression et erreur de chaque acte en échec.", {JSON: Job})},
        _STORED),
}
"""Each documented operation, keyed by Flask endpoint and method; a callable takes the values
of the path's ``any(…)`` segments (``extension="pdf"``) and returns the operation of that path."""

HEADERS: dict[str, dict[str, Any]] = {
    "Location": {"description": "Chemin de la ressource créée.", "required": True,
                 "schema": {"type": "string"}},
    "Content-Disposition": {
        "description": "Le nom du fichier : `attachment; filename=\"<nom>\"`.", "required": True,
        "schema": {"type": "string", "pattern": '^attachment; filename="[^"/\\\\]+"$'},
        "example": 'attachment; filename="021-242100410-20191219-2019-12-19_013-DE.pdf"'},
    "ETag": {"description": "Numéro de la version courante, entre guillemets (`\"2\"`).",
             "required": True, "schema": {"type": "string"}},
    "Retry-After": {"description": "Secondes à attendre avant de réessayer.", "required": True,
                    "schema": {"type": "integer", "minimum": 0}},
    "WWW-Authenticate": {"description": "`Bearer realm=\"actes\"`", "required": True,
                         "schema": {"type": "string"}},
}

PARAMETERS: dict[str, dict[str, Any]] = {
    "remplacer": {
        "name": "remplacer", "in": "query", "required": False,
        "description": "`<identifiant>:<version>` : remplacer délibérément la version courante "
                       "de cet acte, modifiée par le greffe (sinon `409 version-modifiee`) ; "
                       "répétable, un par acte d'une séance. Consigné dans l'historique de la "
                       "nouvelle version avec son auteur.",
        "style": "form", "explode": True,
        "schema": {"type": "array", "items": {"type": "string",
                                              "pattern": "^.+:[1-9][0-9]*$"}},
    },
    "If-Match": {
        "name": "If-Match", "in": "header", "required": False,
        "description": "Numéro de la version corrigée, entre guillemets (`\"3\"`) : `409` si "
                       "une autre version est devenue courante entre-temps ; `*` ou absent : "
                       "sans condition.",
        "schema": {"type": "string", "pattern": '^(\\*|"[0-9]+"|[0-9]+)$'},
    },
}

PATH_PARAMETERS: dict[str, str] = {
    "identifiant": "Identifiant ACTES de l'acte : `DDD-SIREN-AAAAMMJJ-NUMERO-NATURE`.",
    "numero": "Numéro de la version (1 pour la première).",
    "seance_id": "Identifiant de la séance : `DDD-SIREN-AAAAMMJJ`, puis `-HHMM` si l'heure est "
                 "connue.",
    "job_id": "Identifiant de la tâche (dans le lien `Location` de `POST /v1/seances`).",
}
