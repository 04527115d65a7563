"""Checks of the proxies (« pouvoirs », « délégations de vote »): a mandant is absent and gives
one proxy; a mandataire is present, takes part in the vote and carries the number of proxies
the law of the sitting's date allows."""

from __future__ import annotations

from service.domain.checks.registre import Registre
from service.domain.checks.sources import pouvoirs_permis
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation


def check_mandants(payload: DeliberationPayload) -> list[Violation]:
    """Return the violations of the mandants: listed as not taking part (present, or
    interested), giving more than one proxy, or a suppléant.

    Source: CGCT L2121-20 (« Un conseiller municipal empêché d'assister à une séance peut donner
    à un collègue de son choix pouvoir écrit de voter en son nom »; EPCI through L5211-1),
    L3121-16 and L4132-15 (« délégation de vote » for that meeting): a proxy is given by an
    absent member, to one colleague; L2131-11 and AN QE 11-20278 (an interested member takes
    no part in the vote, so no vote may be cast in his name); L5211-6 (a suppléant sits in
    place of an absent titulaire, who may instead give a proxy: the suppléant gives none).
    """
    registre = Registre.of(payload)
    first: dict[str, int] = {}
    found = []
    for k, pv in enumerate(payload.presences.pouvoirs):
        champ = f"presences.pouvoirs[{k}].mandant"
        if pv.mandant in registre.ne_prennent_pas_part:
            j = payload.presences.ne_prennent_pas_part.index(pv.mandant)
            found.append(
                Violation(
                    champ,
                    "mandant-present",
                    f"{champ} : {registre.nomme(pv.mandant)} figure aussi en "
                    f"presences.ne_prennent_pas_part[{j}]. S'il est intéressé à l'affaire, le "
                    "vote émis en son nom par son mandataire serait nul (CGCT L2131-11) : retirer "
                    "ce pouvoir pour cette délibération et l'inscrire en presences.absents ; "
                    "un mandant est un membre absent, il ne peut pas quitter la séance.",
                )
            )
        if pv.mandant in registre.membres and registre.membres[pv.mandant].suppleant_de:
            found.append(
                Violation(
                    champ,
                    "suppleant-mandant",
                    f"{champ} : {registre.nomme(pv.mandant)} est suppléant ; c'est son "
                    "titulaire, empêché, qui donne pouvoir, ou le suppléant qui siège à sa place "
                    "(CGCT L5211-6).",
                )
            )
        if pv.mandant in first:
            found.append(
                Violation(
                    champ,
                    "mandant-multiple",
                    f"{champ} : {registre.nomme(pv.mandant)} a déjà donné pouvoir en "
                    f"presences.pouvoirs[{first[pv.mandant]}] ; un membre absent donne un seul "
                    "pouvoir.",
                )
            )
        else:
            first[pv.mandant] = k
    return found


def check_mandataires(payload: DeliberationPayload) -> list[Violation]:
    """Return the violations of the mandataires: absent (or a suppléant who does not sit),
    mandant himself, or leaving the vote.

    Source: CGCT L2121-20 and AN QE 9-31465 (the mandataire attends the sitting and votes
    twice); L5211-6 (a suppléant sits only in place of an absent titulaire); L2131-11 and AN QE
    11-20278 (a member interested in the matter takes no part in the vote, « soit en leur nom
    personnel, soit comme mandataires »).
    """
    registre = Registre.of(payload)
    pouvoirs = payload.presences.pouvoirs
    found = []
    for k, pv in enumerate(pouvoirs):
        champ = f"presences.pouvoirs[{k}].mandataire"
        qui = registre.nomme(pv.mandataire)
        if pv.mandataire == pv.mandant:
            found.append(
                Violation(
                    champ,
                    "mandataire-absent",
                    f"{champ} : {qui} ne peut pas se donner pouvoir à lui-même ; le mandataire "
                    "est un autre membre, présent.",
                )
            )
        elif pv.mandataire in registre.absents:
            j = payload.presences.absents.index(pv.mandataire)
            found.append(
                Violation(
                    champ,
                    "mandataire-absent",
                    f"{champ} : {qui} figure en presences.absents[{j}] ; le mandataire est "
                    "présent à la séance pour voter au nom du mandant.",
                )
            )
        elif pv.mandataire in registre.mandants:
            j = next(j for j, other in enumerate(pouvoirs) if other.mandant == pv.mandataire)
            found.append(
                Violation(
                    champ,
                    "mandataire-absent",
                    f"{champ} : {qui} a lui-même donné pouvoir (presences.pouvoirs[{j}].mandant) ; "
                    "le mandataire est présent à la séance pour voter au nom du mandant.",
                )
            )
        elif pv.mandataire in registre.hors_seance:
            j = next(j for j, m in enumerate(payload.membres) if m.id == pv.mandataire)
            found.append(
                Violation(
                    champ,
                    "mandataire-absent",
                    f"{champ} : {qui} est suppléant (membres[{j}].suppleant_de) et ne siège pas "
                    "à ce vote : son titulaire est présent, représenté, ou remplacé par un autre "
                    "suppléant ; le mandataire est présent à la séance.",
                )
            )
        elif pv.mandataire in registre.ne_prennent_pas_part:
            found.append(
                Violation(
                    champ,
                    "mandataire-ne-prend-pas-part",
                    f"{champ} : {qui} ne prend pas part au vote (presences.ne_prennent_pas_part) "
                    "et ne peut donc pas voter au nom d'un autre ; confier le pouvoir à un membre "
                    "qui vote.",
                )
            )
    return found


def check_nombre_de_pouvoirs(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation for every proxy beyond what one mandataire may carry: one, two during
    the COVID-19 windows.

    Source: CGCT L2121-20 (« Un même conseiller municipal ne peut être porteur que d'un seul
    pouvoir »), L3121-16 and L4132-15 (one delegation); loi n° 2020-290 art. 10 and the laws
    that followed it (two proxies, ``shared/notes/legal.md`` §2.3 and §11), for the bodies and
    départements each covered (:data:`service.domain.regimes.DEROGATIONS_COVID`).
    """
    registre = Registre.of(payload)
    maximum, source = pouvoirs_permis(payload)
    held: dict[str, list[int]] = {}
    found = []
    for k, pv in enumerate(payload.presences.pouvoirs):
        held.setdefault(pv.mandataire, []).append(k)
        if len(held[pv.mandataire]) > maximum:
            earlier = ", ".join(f"presences.pouvoirs[{j}]" for j in held[pv.mandataire][:-1])
            limite = "un seul pouvoir" if maximum == 1 else f"{maximum} pouvoirs au plus"
            found.append(
                Violation(
                    f"presences.pouvoirs[{k}].mandataire",
                    "mandataire-pouvoirs-multiples",
                    f"presences.pouvoirs[{k}].mandataire : {registre.nomme(pv.mandataire)} porte "
                    f"déjà {earlier} ; un membre porte {limite} à cette date ({source}).",
                )
            )
    return found
