"""Checks of a nomination (``deliberation.election``, contract v1.1): each round adds up to the
voters, a candidate once per round and never after being elected, the rounds the law allows,
the eldest's birth date where a tie needs it.

The elected are derived by :func:`service.domain.resultat.depouiller`; these checks report what
keeps it from deciding.
"""

from __future__ import annotations

from service.domain.decompte import decompter
from service.domain.payload import DeliberationPayload
from service.domain.resultat import depouiller
from service.domain.violations import Violation

_SOURCE = "CGCT L2121-21"


def check_tours(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation for every round whose candidates' votes, blank and spoilt ballots do
    not add up to the voters, and for every candidate named twice in a round or again after
    being elected.

    Source: CGCT L2121-21 (nominations by secret ballot, round after round), L2121-20 and AN QE
    9-31465 (a mandataire casts two ballots); blank and spoilt ballots are ballots, not votes
    cast (code électoral L65 and L66, Gazette des communes 222265).
    """
    election = payload.deliberation.election
    if election is None:
        return []
    d = decompter(payload)
    found = []
    elus = {
        e.nom: (t.numero - 1) for t in depouiller(election).tours for e in t.elus
    }
    for k, tour in enumerate(election.tours):
        champ = f"deliberation.election.tours[{k}]"
        total = sum(c.voix for c in tour.candidats) + tour.blancs + tour.nuls
        if total != d.votants:
            found.append(
                Violation(
                    champ,
                    "election-total-incoherent",
                    f"{champ} : voix des candidats + blancs + nuls = {total}, attendu "
                    f"{d.votants} bulletins ({d.presents_votants} présent(s) prenant part au vote "
                    f"+ {d.procurations} procuration(s) portée(s) par eux).",
                )
            )
        vus: dict[str, int] = {}
        for j, c in enumerate(tour.candidats):
            ici = f"{champ}.candidats[{j}].nom"
            if c.nom in vus:
                found.append(
                    Violation(
                        ici,
                        "candidat-repete",
                        f"{ici} : « {c.nom} » figure déjà en {champ}.candidats[{vus[c.nom]}] ; "
                        "un candidat une fois par tour.",
                    )
                )
                continue
            vus[c.nom] = j
            if c.nom in elus and elus[c.nom] < k:
                found.append(
                    Violation(
                        ici,
                        "candidat-deja-elu",
                        f"{ici} : « {c.nom} » a été élu au tour {elus[c.nom] + 1} ; un élu n'est "
                        "plus candidat aux tours suivants.",
                    )
                )
    return found


def check_issue(payload: DeliberationPayload) -> list[Violation]:
    """Return the violations of the course of a nomination: a round after the seats are filled
    or beyond the third, seats left empty, a tie the eldest cannot settle.

    Source: CGCT L2121-21: « si aucun des candidats n'a obtenu la majorité absolue après deux
    tours de scrutin secret, il est procédé à un troisième tour de scrutin et l'élection a lieu
    à la majorité relative ; à égalité de voix, l'élection est acquise au plus âgé ».
    """
    election = payload.deliberation.election
    if election is None:
        return []
    dep = depouiller(election)
    found = []
    for k in dep.superflus:
        raison = "au-delà du troisième tour" if k >= 3 else "tous les postes étaient pourvus"
        found.append(
            Violation(
                f"deliberation.election.tours[{k}]",
                "tour-superflu",
                f"deliberation.election.tours[{k}] : aucun tour n'a lieu après le précédent, "
                f"{raison} ({_SOURCE} : majorité absolue aux deux premiers tours, relative au "
                "troisième).",
            )
        )
    for k, indexes in dep.egalites:
        tour = election.tours[k]
        noms = ", ".join(f"« {tour.candidats[i].nom} »" for i in indexes)
        sans_date = [i for i in indexes if tour.candidats[i].date_naissance is None]
        for i in sans_date or indexes[1:]:
            champ = f"deliberation.election.tours[{k}].candidats[{i}].date_naissance"
            code = "date-naissance-manquante" if sans_date else "egalite-d-age"
            found.append(
                Violation(
                    champ,
                    code,
                    f"{champ} : {noms} sont à égalité de voix au troisième tour ; l'élection est "
                    f"acquise au plus âgé ({_SOURCE}), "
                    + ("la date de naissance de chacun est nécessaire."
                       if sans_date else "et ces dates de naissance ne les départagent pas."),
                )
            )
    if not dep.complete and not dep.egalites:
        manquent = election.postes - len(dep.elus)
        n = len(dep.tours)
        suite = (
            f"un {n + 1}e tour est nécessaire"
            if n < 3
            else "le troisième tour élit à la majorité relative les candidats ayant obtenu des voix"
        )
        found.append(
            Violation(
                "deliberation.election.tours",
                "election-inachevee",
                f"deliberation.election.tours : {manquent} poste(s) sur {election.postes} non "
                f"pourvu(s) après {n} tour(s) ; {suite} ({_SOURCE}).",
            )
        )
    return found
