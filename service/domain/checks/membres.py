"""Checks of the member ids: each member once, each reference to a known member, each list
without repeats."""

from __future__ import annotations

from collections.abc import Iterator

from service.domain.checks.registre import Registre
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation


def references(payload: DeliberationPayload) -> Iterator[tuple[str, str]]:
    """Yield ``(champ, id)`` for every field of *payload* that names a member."""
    s, p, d = payload.seance, payload.presences, payload.deliberation
    yield "seance.president", s.president
    yield from ((f"seance.secretaires[{k}]", i) for k, i in enumerate(s.secretaires))
    yield from ((f"presences.absents[{k}]", i) for k, i in enumerate(p.absents))
    for k, pv in enumerate(p.pouvoirs):
        yield f"presences.pouvoirs[{k}].mandant", pv.mandant
        yield f"presences.pouvoirs[{k}].mandataire", pv.mandataire
    yield from (
        (f"presences.ne_prennent_pas_part[{k}]", i) for k, i in enumerate(p.ne_prennent_pas_part)
    )
    yield from ((f"presences.a_distance[{k}]", i) for k, i in enumerate(p.a_distance))
    if d.rapporteur is not None:
        yield "deliberation.rapporteur", d.rapporteur
    for sens in ("pour", "contre", "abstention", "ne_se_prononce_pas"):
        noms = getattr(d.vote, f"noms_{sens}") if d.vote is not None else None
        yield from ((f"deliberation.vote.noms_{sens}[{k}]", i) for k, i in enumerate(noms or ()))
    yield from (
        (f"membres[{j}].suppleant_de", m.suppleant_de)
        for j, m in enumerate(payload.membres)
        if m.suppleant_de is not None
    )
    if payload.signature is not None and payload.signature.signataire is not None:
        yield "signature.signataire", payload.signature.signataire


def check_ids_uniques(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation for every ``membres[].id`` already used by an earlier member.

    Source: contract v1 (« `id` is any unique string »); a councillor holds one seat
    (CGCT L2121-2: the council counts a fixed number of members).
    """
    seen: dict[str, int] = {}
    found = []
    for j, m in enumerate(payload.membres):
        if m.id in seen:
            found.append(
                Violation(
                    f"membres[{j}].id",
                    "membre-id-duplique",
                    f"membres[{j}].id « {m.id} » est déjà l'identifiant de membres[{seen[m.id]}] : "
                    "chaque membre a un identifiant unique.",
                )
            )
        else:
            seen[m.id] = j
    return found


def check_references(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation for every id that names no member of ``membres``.

    Source: CGCT L2121-15 (the secrétaire is « un de ses membres »), L2121-20 (a proxy is given
    « à un collègue »), L2121-21 (the register names the voters), L5211-6 (a suppléant replaces
    a titulaire of the council); contract v1 (« every id refers to a member »).
    """
    registre = Registre.of(payload)
    return [
        Violation(
            champ,
            "membre-inconnu",
            f"{champ} « {member_id} » ne désigne aucun membre : identifiant de membres[] attendu.",
        )
        for champ, member_id in references(payload)
        if not registre.connu(member_id)
    ]


def check_listes_sans_repetition(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation for every member listed twice in the secretaries, the absents, the
    members leaving the vote or those attending remotely.

    Source: CGCT L2121-15 and L2121-17: each member is counted once in the attendance of the
    sitting (secretaries, present, absent).
    """
    listes = {
        "seance.secretaires": payload.seance.secretaires,
        "presences.absents": payload.presences.absents,
        "presences.ne_prennent_pas_part": payload.presences.ne_prennent_pas_part,
        "presences.a_distance": payload.presences.a_distance,
    }
    registre = Registre.of(payload)
    found = []
    for nom, ids in listes.items():
        first: dict[str, int] = {}
        for k, member_id in enumerate(ids):
            if member_id in first:
                found.append(
                    Violation(
                        f"{nom}[{k}]",
                        "membre-repete",
                        f"{nom}[{k}] : {registre.nomme(member_id)} figure déjà en "
                        f"{nom}[{first[member_id]}] ; chaque membre n'y figure qu'une fois.",
                    )
                )
            else:
                first[member_id] = k
    return found
