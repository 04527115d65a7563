"""Per-authority ACTES settings: the service's configuration, overridden by the payload.

An authority's ``collectivite.teletransmission`` wins over the configuration kept for its SIREN,
field by field. A setting found in neither is an error naming the field: an archive is never
built with a guessed operator trigram, arrondissement or classification date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from service.domain.actes.archive import APPLICATION, PLATEFORMES
from service.domain.actes.messages import EMAIL, ReferentActes
from service.domain.actes.numero import DEFAULT_PROFIL, OPERATEURS, PROFILS
from service.domain.errors import InvalidPayload, MissingSetting
from service.domain.violations import Violation

CHAMP = "collectivite.teletransmission"
"""Field path of the payload's settings, prefix of every violation."""

_PAYLOAD_KEYS = frozenset(
    {
        "trigramme",
        "arrondissement",
        "nature",
        "referent",
        "adresses_retour",
        "profil_numero",
        "classification_date_version",
    }
)
CONFIG_KEYS = _PAYLOAD_KEYS | {"classification_file", "signature", "plateforme", "operateur",
                               "siret"}
"""Keys accepted in the configuration of one SIREN; the payload cannot name a file, nor send
an authority's acts to another platform. The ``signature`` keys are read by the signing
adapter (``service/adapters/pdf_sign/keys.py``); ``siret`` (the authority's SIRET) by the
open-data file of its sittings."""


@dataclass(frozen=True)
class ReglagesActes:
    """The ACTES settings of one authority, complete and checked."""

    trigramme: str
    """Operator's 3-character code, first part of the archive name (``SIC``)."""
    arrondissement: str
    """One digit: the authority's arrondissement (``IDCL/@Arrondissement``)."""
    nature: str
    """Two digits: « code nature de la collectivité » (``IDCL/@Nature``)."""
    adresses_retour: tuple[str, ...]
    """E-mail addresses for the prefecture's answers (``AdressesRetour``), one or more."""
    referent: ReferentActes | None = None
    profil_numero: str = DEFAULT_PROFIL
    classification_date_version: dt.date | None = None
    """Version date of the classification in use; read from the classification file if none."""
    classification_file: str | None = None
    """Where the service keeps the prefecture's ``RetourClassification`` for this authority."""
    plateforme: str = APPLICATION
    """The ministry's platform the archives go to: ``EACT`` (production) or ``TACT`` (test)."""
    operateur: str | None = None
    """The authority's operator when its numéro rule is known (``s2low``, ``pastell``): that
    rule is checked when an act is posted and when it is packaged."""


_RULES: dict[str, tuple[re.Pattern[str], str, str]] = {
    # key: (pattern, what is expected, what the setting is for)
    "trigramme": (
        re.compile(r"[A-Z0-9]{3}"),
        "3 lettres majuscules ou chiffres attendus (ex. SIC)",
        "code à 3 caractères de l'opérateur de télétransmission, qui nomme l'archive",
    ),
    "arrondissement": (
        re.compile(r"[0-9]"),
        "un chiffre attendu (ex. 1)",
        "arrondissement de la collectivité, un chiffre",
    ),
    "nature": (
        re.compile(r"[0-9]{2}"),
        "deux chiffres attendus (ex. 02)",
        "code nature de la collectivité de l'enveloppe ACTES, deux chiffres",
    ),
}


def resolve_reglages(
    config_for_siren: Mapping[str, Any] | None, payload_teletransmission: Any = None
) -> ReglagesActes:
    """Return the settings of one authority: *payload_teletransmission* over *config_for_siren*.

    *payload_teletransmission* is the payload's ``collectivite.teletransmission`` (model or
    mapping, or ``None``). The referent is merged field by field.

    :raises ValueError: when the configuration holds a key no setting has (a typo).
    :raises MissingSetting: when a required setting is in neither; every missing or invalid
        one is named (``collectivite.teletransmission.trigramme``).
    :raises InvalidPayload: when every setting is present but some are invalid.
    """
    config = _as_mapping(config_for_siren)
    given = _as_mapping(payload_teletransmission)
    for source, allowed in ((config, CONFIG_KEYS), (given, _PAYLOAD_KEYS)):
        if unknown := sorted(set(source) - allowed):
            raise ValueError(f"réglage(s) ACTES inconnu(s) : {', '.join(unknown)}")
    merged = {**config, **given}
    merged["referent"] = {
        **_as_mapping(config.get("referent")),
        **_as_mapping(given.get("referent")),
    }

    report = _Report()
    values = {key: report.pattern(key, merged.get(key), *rule) for key, rule in _RULES.items()}
    adresses = report.adresses(merged.get("adresses_retour"))
    referent = report.referent(merged["referent"])
    profil = merged.get("profil_numero") or DEFAULT_PROFIL
    if profil not in PROFILS:
        report.invalid("profil_numero", f"« {profil} » : attendu {' ou '.join(PROFILS)}")
    plateforme = merged.get("plateforme") or APPLICATION
    if plateforme not in PLATEFORMES:
        report.invalid("plateforme", f"« {plateforme} » : attendu "
                       + " ou ".join(f"{q} ({what})" for q, what in PLATEFORMES.items()))
    operateur = merged.get("operateur") or None
    if operateur is not None and operateur not in OPERATEURS:
        report.invalid("operateur", f"« {operateur} » : attendu {' ou '.join(OPERATEURS)}")
    fichier = merged.get("classification_file")
    version = report.version(merged.get("classification_date_version"), required=not fichier)
    report.raise_if_any()
    return ReglagesActes(
        trigramme=values["trigramme"],
        arrondissement=values["arrondissement"],
        nature=values["nature"],
        adresses_retour=adresses,
        referent=referent,
        profil_numero=profil,
        classification_date_version=version,
        classification_file=str(fichier) if fichier else None,
        plateforme=plateforme,
        operateur=operateur,
    )


class _Report:
    """The missing and invalid settings found so far."""

    def __init__(self) -> None:
        self.missing: list[Violation] = []
        self.invalids: list[Violation] = []

    def absent(self, key: str, what: str) -> None:
        message = f"réglage de télétransmission absent de la configuration et des données : {what}"
        self.missing.append(Violation(f"{CHAMP}.{key}", "parametre-manquant", message))

    def invalid(self, key: str, message: str) -> None:
        self.invalids.append(Violation(f"{CHAMP}.{key}", "parametre-invalide", message))

    def pattern(
        self, key: str, value: Any, pattern: re.Pattern[str], expected: str, what: str
    ) -> str:
        if value is None or str(value).strip() == "":
            self.absent(key, what)
        elif not pattern.fullmatch(str(value)):
            self.invalid(key, f"« {value} » : {expected}")
        return str(value)

    def adresses(self, value: Any) -> tuple[str, ...]:
        adresses = (value,) if isinstance(value, str) else tuple(value or ())
        if not adresses:
            self.absent("adresses_retour", "au moins une adresse e-mail pour les réponses")
        for i, email in enumerate(adresses):
            if not EMAIL.fullmatch(str(email)):
                self.invalid(f"adresses_retour[{i}]", f"adresse e-mail invalide : « {email} »")
        return tuple(str(a) for a in adresses)

    def referent(self, fields: Mapping[str, Any]) -> ReferentActes | None:
        email = fields.get("email")
        if email and not EMAIL.fullmatch(str(email)):
            self.invalid("referent.email", f"adresse e-mail invalide : « {email} »")
        referent = ReferentActes(fields.get("nom"), fields.get("telephone"), email)
        return referent if any(vars(referent).values()) else None

    def version(self, value: Any, *, required: bool) -> dt.date | None:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                value = ...  # neither a date nor absent
        if isinstance(value, dt.date):
            return value
        if value is not None:
            self.invalid("classification_date_version", "date AAAA-MM-JJ attendue")
        elif required:
            self.absent(
                "classification_date_version",
                "date de la classification (nomenclature des matières) en vigueur avec la "
                "préfecture, ou fichier de classification dans la configuration",
            )
        return None

    def raise_if_any(self) -> None:
        if self.missing:
            names = ", ".join(v.champ.removeprefix(f"{CHAMP}.") for v in self.missing)
            raise MissingSetting(
                sorted(self.missing + self.invalids),
                f"réglage(s) de télétransmission manquant(s) : {names} ; voir « violations ».",
            )
        if self.invalids:
            raise InvalidPayload(sorted(self.invalids))


def _as_mapping(value: Any) -> dict[str, Any]:
    """Return the non-null fields of a pydantic model or a mapping (``{}`` for ``None``)."""
    if value is None:
        return {}
    if hasattr(value, "model_dump"):  # the payload's pydantic models
        value = value.model_dump()
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if v is not None}
    raise TypeError(f"réglages ACTES : objet ou mapping attendu, pas {type(value).__name__}")
