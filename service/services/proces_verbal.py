"""Use cases of a sitting's procès-verbal (CGCT L2121-15): generated from the acts as stored,
amended by the secretary, adopted at the next sitting.

The procès-verbal is kept as an act identified ``PV-<sitting>`` (versions, files, audit trail):
the routes that amend an act and serve its versions serve it too. It is generated again when the
acts it is made of changed, as long as nobody amended it; a secretary's version (or an adopted
one) is never replaced implicitly.
"""

from __future__ import annotations

import datetime as dt
import json

from service.domain.canonical import canonical_json, payload_sha256
from service.domain.errors import Conflict, InvalidPayload
from service.domain.jobs import SeanceRecord
from service.domain.payload import DeliberationPayload
from service.domain.proces_verbal import ProcesVerbal, proces_verbal, proces_verbal_id
from service.domain.records import ActeRecord
from service.domain.regeneration import is_retry
from service.domain.violations import Violation
from service.services.ports import (
    ActeRepository,
    PdfConverter,
    ProcesVerbalRenderer,
    SeanceStore,
)
from service.services.queries import latest_payload
from service.services.seance_outputs import seance_of


def stored_deliberations(record: SeanceRecord, repository: ActeRepository
                         ) -> list[DeliberationPayload]:
    """Return the payload each act of the sitting was last generated from, in its order.

    :raises Conflict: when an act is not generated yet (or in error).
    """
    out = []
    for ident in record.identifiants:
        acte = repository.get(ident)
        payload = None if acte is None else latest_payload(repository, acte)
        if payload is None:
            raise Conflict(
                f"La séance {record.id} n'est pas entièrement générée (acte {ident} manquant) : "
                f"le procès-verbal est fait des actes enregistrés. Consultez la tâche "
                f"/v1/jobs/{record.job_id} et réessayez une fois qu'elle est terminée.",
                code="seance-incomplete",
            )
        out.append(payload)
    return out


def source_of(record: SeanceRecord, repository: ActeRepository) -> ProcesVerbal:
    """Return what the procès-verbal of the stored sitting *record* says."""
    return proces_verbal(record.id, seance_of(record), stored_deliberations(record, repository),
                         record.pv_arrete_le)


def _digest(pv: ProcesVerbal) -> str:
    text = json.dumps({"actes": [canonical_json(p) for p in pv.deliberations],
                       "seance": canonical_json(pv.seance),
                       "arrete_le": pv.arrete_le and pv.arrete_le.isoformat()}, sort_keys=True)
    return payload_sha256(text)


def current_proces_verbal(
    record: SeanceRecord, *, repository: ActeRepository, renderer: ProcesVerbalRenderer,
    converter: PdfConverter, auteur: str,
) -> ActeRecord:
    """Return the stored procès-verbal of *record*, generated (again) first when it does not
    exist or its acts changed since and no one amended it."""
    identifiant = proces_verbal_id(record.id)
    existing = repository.get(identifiant)
    if existing is not None and existing.current.origine != "payload":
        return existing
    pv = source_of(record, repository)
    digest = _digest(pv)
    if existing is not None and is_retry(existing.current.payload_sha256, digest):
        return existing
    docx = renderer.render_proces_verbal(pv)
    pdf = converter.to_pdf(docx, label=identifiant)
    try:
        stored, _ = repository.add_version(
            identifiant=identifiant, siren=record.siren, files={"docx": docx, "pdf": pdf},
            auteur=auteur, origine="payload", payload_sha256=digest,
            expected_version=existing.version if existing is not None else 0,
        )
    except Conflict:
        # Another request generated (or the secretary amended) it meanwhile: that one stands.
        latest = repository.get(identifiant)
        if latest is None:
            raise
        return latest
    return stored


def adopt_proces_verbal(
    record: SeanceRecord, body: object, *, store: SeanceStore, repository: ActeRepository,
    renderer: ProcesVerbalRenderer, converter: PdfConverter, auteur: str, today: dt.date,
) -> ActeRecord:
    """Record that the procès-verbal was adopted (« arrêté ») at the sitting of *arrete_le*:
    its current version, a secretary's included, becomes a new version printing it.

    *body* is the JSON ``{"arrete_le": date}``.

    :raises InvalidPayload: when ``arrete_le`` is not a date, is not after the sitting, or is in
        the future (L2121-15: adopted at the beginning of the next sitting).
    """
    day = date_field(body, "arrete_le")
    if day <= record.date:
        raise InvalidPayload([Violation(
            "arrete_le", "adoption-avant-seance",
            f"arrete_le : le procès-verbal est arrêté à une séance suivante (CGCT L. 2121-15), "
            f"donc après le {record.date:%d/%m/%Y}.")])
    if day > today:
        raise InvalidPayload([Violation("arrete_le", "date-future",
                                        "arrete_le : la date ne peut pas être dans le futur.")])
    pv = current_proces_verbal(record, repository=repository, renderer=renderer,
                               converter=converter, auteur=auteur)
    docx = renderer.mark_adoption(repository.read_file(pv.identifiant, pv.version, "docx"), day)
    pdf = converter.to_pdf(docx, label=pv.identifiant)
    adopted, _ = repository.add_version(
        identifiant=pv.identifiant, siren=pv.siren, files={"docx": docx, "pdf": pdf},
        auteur=auteur, origine="amendement", expected_version=pv.version,
    )
    store.record_seance_date(record.id, "pv_arrete_le", day)
    return adopted


def _date(value: object, champ: str) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidPayload([Violation(champ, "date-invalide",
                                    f"{champ} : une date AAAA-MM-JJ est attendue.")])


def date_field(body: object, champ: str) -> dt.date:
    """Return the date *champ* of the JSON object *body*.

    :raises InvalidPayload: when *body* is not an object or *champ* is not a date.
    """
    if not isinstance(body, dict) or champ not in body:
        raise InvalidPayload([Violation(champ, "champ-obligatoire",
                                        f"{champ} : champ obligatoire (date AAAA-MM-JJ).")])
    extra = sorted(set(body) - {champ})
    if extra:
        raise InvalidPayload([Violation(extra[0], "champ-inconnu",
                                        f"{extra[0]} : champ inconnu.")])
    return _date(body[champ], champ)
