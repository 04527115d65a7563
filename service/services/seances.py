"""Use cases of a whole sitting: check it at once, then generate its acts as a job.

``submit_seance`` refuses the whole sitting when any deliberation breaks a rule, and stores
nothing then; otherwise it stores the sitting and a job and hands the job to the queue.
``run_seance_act`` is what a worker runs for one act, any number of times: an act already
generated from the same payload is not generated again (:func:`apply_payload` recognises the
payload), so a job survives a worker lost in the middle of an act.

A sitting sent again is all or nothing, as its validation is: when the payload of one of its
acts would replace a clerk's amendment (without ``?remplacer=``) or an act already transmitted,
the whole sitting is refused (``409 seance-refusee``, one violation per refused act) and nothing
is stored, so its list, CSV and pages keep saying what its acts say. An amendment that lands
between the submission and the worker is still never replaced: the worker refuses that act
and the job says so (``refusee``), and the sitting's outputs are built from the acts as stored.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from service.domain.access import Principal
from service.domain.actes.identifier import ActesIdentifier
from service.domain.canonical import canonical_json
from service.domain.checks.acte import check_numero_pour_operateur
from service.domain.checks.seance import check_seance
from service.domain.errors import InvalidPayload, NotFound, Refused, ServiceError, Unavailable
from service.domain.jobs import JobRecord, SeanceRecord
from service.domain.seance import (
    SeancePayload,
    deliberation_payload,
    identifiers_of,
    seance_identifiant,
)
from service.domain.violations import Violation
from service.services.generate import apply_payload, decision_for
from service.services.ports import (
    ActeRepository,
    DocumentRenderer,
    JobQueue,
    PdfConverter,
    PdfStamper,
    SeanceStore,
)
from service.services.queries import authorise_siren
from service.services.transmit import check_reglages
from service.services.validation import operateur_of, validated

log = logging.getLogger(__name__)

ATTEMPTS = 3
"""Tries of one act when the database or the converter is momentarily unavailable."""
MAX_WAIT = 10.0
"""Longest pause between two tries, in seconds, whatever ``Retry-After`` the error suggests."""


def validate_seance(data: object) -> SeancePayload:
    """Return the sitting model of *data* when its structure and every deliberation are lawful.

    :raises InvalidPayload: with every violation, each deliberation's under
        ``deliberations[i].…``.
    """
    return validated(SeancePayload, data, check_seance)


def numeros_deja_utilises(store: SeanceStore, seance: SeancePayload) -> list[Violation]:
    """Return a violation for each numéro an act of the authority from another sitting has.

    The numéro interne identifies an act among the authority's acts; the same sitting sent
    again (same identifier) keeps its own acts.
    """
    seance_id = seance_identifiant(seance)
    by_numero: dict[str, list[tuple[str, str | None]]] = {}
    numeros = [d.numero for d in seance.deliberations]
    for ident, owner in store.acts_with_numero(seance.collectivite.siren, numeros):
        by_numero.setdefault(ActesIdentifier.parse(ident).numero, []).append((ident, owner))
    out = []
    pairs = zip(seance.deliberations, identifiers_of(seance), strict=True)
    for i, (delib, identifier) in enumerate(pairs):
        for other, owner in by_numero.get(delib.numero, []):
            elsewhere = other != str(identifier) or (owner is not None and owner != seance_id)
            if elsewhere:
                where = f"de la séance {owner}" if owner else "déjà généré"
                out.append(Violation(
                    f"deliberations[{i}].numero",
                    "numero-deja-utilise",
                    f"deliberations[{i}].numero « {delib.numero} » : déjà le numéro de l'acte "
                    f"{other} ({where}) ; un numéro n'identifie qu'un acte de la collectivité.",
                ))
                break
    return out


def numeros_pour_operateur(
    seance: SeancePayload, authorities: Mapping[str, Mapping[str, Any]] | None
) -> list[Violation]:
    """Return a violation for each numéro the authority's operator would refuse."""
    operateur = operateur_of(authorities, seance.collectivite.siren)
    found: list[Violation] = []
    for i, delib in enumerate(seance.deliberations):
        champ = f"deliberations[{i}].numero"
        found += check_numero_pour_operateur(delib.numero, operateur, champ)
    return sorted(set(found), key=found.index)


def submit_seance(
    data: object,
    *,
    store: SeanceStore,
    queue: JobQueue,
    auteur: str,
    principal: Principal | None = None,
    repository: ActeRepository | None = None,
    remplacer: Mapping[str, int] | None = None,
    authorities: Mapping[str, Mapping[str, Any]] | None = None,
) -> JobRecord:
    """Check the sitting *data*, store it with a new job and queue the job; return the job.

    Each numéro is also checked against the rule of the authority's operator configured in
    *authorities* (S²LOW, Pastell), as is what later outputs need (its ``siret``, its ACTES
    settings). *repository* holds the acts already generated: each act of the sitting is
    decided against it (kept, regenerated, refused); *remplacer* names the clerk's amendments
    replaced on purpose, ``{identifiant: version}``.

    :raises InvalidPayload: when any deliberation breaks a rule, or the sitting has no SIRET
        for its open data, nor its authority in the configuration (nothing is stored).
    :raises Refused: when an act's payload would replace a clerk's amendment or a transmitted
        act (``seance-refusee``, a violation per act; nothing is stored).
    :raises Forbidden: when *principal* may not act for the sitting's authority.
    :raises Unavailable: when the queue cannot take the job (the job is closed in error).
    """
    seance = validate_seance(data)
    authorise_siren(principal, seance.collectivite.siren)
    if refused := numeros_pour_operateur(seance, authorities):
        raise InvalidPayload(refused)
    authority = (authorities or {}).get(seance.collectivite.siren)
    if missing := inputs_missing(seance, authority):
        raise InvalidPayload(missing)
    check_reglages(seance, authority)
    if taken := numeros_deja_utilises(store, seance):
        raise InvalidPayload(taken)
    identifiants = [str(i) for i in identifiers_of(seance)]
    if repository is not None:
        refuse_replacements(repository, seance, remplacer or {})
    job = store.submit(
        seance_id=seance_identifiant(seance),
        siren=seance.collectivite.siren,
        date=seance.seance.date,
        payload_json=canonical_json(seance),
        identifiants=identifiants,
        auteur=auteur,
        remplacements={i: v for i, v in (remplacer or {}).items() if i in identifiants},
    )
    try:
        queue.enqueue_seance(job.id)
    except Unavailable as exc:
        # A job no worker will ever see must not look pending forever.
        for acte in job.actes:
            store.finish_act(job.id, acte.position, erreur=(exc.code, exc.message))
        raise
    return job


def inputs_missing(seance: SeancePayload, authority: Mapping[str, Any] | None
                   ) -> list[Violation]:
    """Return what a later output of the sitting needs and lacks, checked when it arrives.

    The SCDL « Délibérations » file requires ``COLL_SIRET`` (schema ``scdl-deliberations``),
    which cannot be derived from the SIREN: it comes from ``collectivite.siret`` or from the
    authority's ``siret`` in the configuration.
    """
    if seance.collectivite.siret or (authority or {}).get("siret"):
        return []
    return [Violation(
        "collectivite.siret", "champ-obligatoire",
        "collectivite.siret : le SIRET de la collectivité (14 chiffres, SIREN + NIC) est exigé "
        "par le fichier open data SCDL des délibérations (COLL_SIRET) ; indiquez-le dans la "
        "séance ou dans la configuration de la collectivité (ACTES_AUTHORITIES_FILE, « siret »).",
    )]


def refuse_replacements(repository: ActeRepository, seance: SeancePayload,
                        remplacer: Mapping[str, int]) -> None:
    """Refuse the whole sitting when the payload of any of its acts may not replace the act
    stored (see :func:`decide`); return otherwise.

    :raises Refused: ``seance-refusee``, with a violation ``deliberations[i]`` per act.
    """
    refused = []
    for i in range(len(seance.deliberations)):
        _, decision = decision_for(repository, deliberation_payload(seance, i), remplacer)
        if decision.issue == "refusee":
            refused.append(Violation(f"deliberations[{i}]", decision.code or "refusee",
                                     decision.message or ""))
    if refused:
        raise Refused(
            f"{len(refused)} acte(s) de la séance ne peuvent pas être remplacés par ces données "
            "(voir « violations ») : la séance est refusée en entier, rien n'a été modifié.",
            code="seance-refusee", violations=refused,
        )


def run_seance_act(
    job_id: str,
    position: int,
    *,
    store: SeanceStore,
    renderer: DocumentRenderer,
    converter: PdfConverter,
    stamper: PdfStamper,
    repository: ActeRepository,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Generate act *position* of job *job_id* and record the outcome in the job.

    Safe to run again for the same act (a redelivered task): a generated act is skipped. An
    act that cannot be generated is recorded as the job's error for that act, never raised.
    """
    started = store.start_act(job_id, position)
    if started is None:
        return
    erreur: tuple[str, str] | None = None
    if started.remplacee_par is not None:
        # The sitting was sent again: its newer job generates the acts; this one must not
        # overwrite them with the older payload.
        store.finish_act(job_id, position, erreur=(
            "tache-remplacee",
            f"La séance {started.seance_id} a été renvoyée : la tâche {started.remplacee_par} "
            "génère ses actes.",
        ))
        return
    payload = None
    issue: str | None = None
    finished: list[str] = []

    def finish_with_version(done: str) -> None:
        store.finish_act(job_id, position, issue=done)
        finished.append(done)

    for attempt in range(1, ATTEMPTS + 1):
        try:
            if payload is None:  # read and parsed once, not again on each try
                payload = deliberation_payload(parsed_seance(store.job_payload(job_id)), position)
            finished.clear()
            # The act finishes in its job in the transaction that stores its version: one
            # transaction fewer per act (bench/bench_bookkeeping.py), and a worker lost in
            # between leaves no generated act waiting.
            _, issue = apply_payload(
                payload, renderer=renderer, converter=converter, stamper=stamper,
                repository=repository, auteur=started.auteur, remplacer=started.remplacements,
                on_stored=finish_with_version,
            )
            if finished:  # returned: what on_stored wrote is committed
                return
            erreur = None
            break
        except Refused as exc:
            # An amendment (or a transmission) landed after the sitting was accepted.
            issue, erreur = "refusee", (exc.code, exc.message)
            break
        except Unavailable as exc:
            erreur = (exc.code, exc.message)
            if attempt < ATTEMPTS:
                sleep(min(float(exc.retry_after), MAX_WAIT))
        except ServiceError as exc:
            erreur = (exc.code, exc.message)
            break
        except Exception as exc:  # a bug must close the act, not leave the job pending forever
            log.exception("job %s, act %s failed", job_id, position)
            erreur = ("erreur-interne",
                      f"Erreur interne ({type(exc).__name__}) ; voir les journaux.")
            break
    store.finish_act(job_id, position, erreur=erreur, issue=issue)


@functools.lru_cache(maxsize=4)
def parsed_seance(payload_json: str) -> SeancePayload:
    """Return the sitting model of a job's stored *payload_json*, parsed once for all its acts.

    Each act of a job reads the whole sitting (about 10 KiB per act): parsed again for every
    act, a sitting of 100 acts cost 100 parses of 1 MB, some 25 ms of CPU each, taken from the
    LibreOffices on a small machine (``bench/bench_conversion.py --only sitting``). Keyed by
    the text itself, so a cached model is always the one of that exact payload; the model is
    frozen, and each act takes its own :func:`deliberation_payload` of it. The store hands the
    same text object to every act of a job (:meth:`SqlSeanceStore.job_payload` keeps it), whose
    hash Python has already computed: the lookup does not read the megabyte again.
    """
    return SeancePayload.model_validate_json(payload_json)


def get_job(store: SeanceStore, job_id: str, principal: Principal | None = None) -> JobRecord:
    """Return the job, if *principal* may see its authority.

    :raises NotFound: when there is no such job, or it is another authority's.
    """
    job = store.get_job(job_id, sirens=None if principal is None else principal.sirens)
    if job is None or (principal is not None and not principal.may_act_for(job.siren)):
        raise NotFound(f"Aucune tâche n'a l'identifiant « {job_id} ».")
    return job


def get_seance(
    store: SeanceStore, seance_id: str, principal: Principal | None = None
) -> SeanceRecord:
    """Return the sitting, if *principal* may see its authority.

    :raises NotFound: when there is no such sitting, or it is another authority's.
    """
    record = store.get_seance(seance_id, sirens=None if principal is None else principal.sirens)
    if record is None or (principal is not None and not principal.may_act_for(record.siren)):
        raise NotFound(f"Aucune séance n'a l'identifiant « {seance_id} ».")
    return record
