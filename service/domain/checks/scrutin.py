"""Checks of the vote: the counts add up to the voters, the names agree with the counts."""

from __future__ import annotations

from service.domain.checks.registre import Registre
from service.domain.decompte import decompter
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation

SENS = ("contre", "abstention", "ne_se_prononce_pas")
"""The senses of a vote whose voters may be named (``noms_<sens>``)."""


def check_total(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when pour + contre + abstention + ne_se_prononce_pas differs from the
    votes that could be cast: present voters plus the proxies they carry.

    Source: CGCT L2121-20 and AN QE 9-31465 (the mandataire « doit manifester son vote par deux
    fois »); L2131-11 (an interested member takes no part in the vote); SCDL « Délibérations »
    ``VOTE_REEL`` « incluant les présents et les éventuelles procurations ».
    """
    v = payload.deliberation.vote
    d = decompter(payload)
    total = v.pour + v.contre + v.abstention + v.ne_se_prononce_pas
    if total == d.votants:
        return []
    return [
        Violation(
            "deliberation.vote",
            "total-votes-incoherent",
            f"deliberation.vote : pour + contre + abstention + ne_se_prononce_pas = {total}, "
            f"attendu {d.votants} ({d.presents_votants} présent(s) prenant part au vote + "
            f"{d.procurations} procuration(s) portée(s) par eux).",
        )
    ]


def check_noms(payload: DeliberationPayload) -> list[Violation]:
    """Return the violations of ``vote.noms_contre``, ``noms_abstention`` and
    ``noms_ne_se_prononce_pas``: length other than the count, a member named twice, a named
    member who cannot vote (absent without proxy, leaving the vote, or whose mandataire does
    not vote).

    Source: CGCT L2121-21 (« Le registre des délibérations comporte le nom des votants et
    l'indication du sens de leur vote »), L2121-20 (a mandant votes through his mandataire),
    L2131-11 (an interested member takes no part in the vote).
    """
    vote = payload.deliberation.vote
    registre = Registre.of(payload)
    votes_par_pouvoir = {
        pv.mandant for pv in payload.presences.pouvoirs if registre.est_votant(pv.mandataire)
    }
    named: dict[str, str] = {}
    found = []
    for sens in SENS:
        noms = getattr(vote, f"noms_{sens}")
        if noms is None:
            continue
        champ = f"deliberation.vote.noms_{sens}"
        count = getattr(vote, sens)
        if len(noms) != count:
            found.append(
                Violation(
                    champ,
                    "noms-vote-incoherents",
                    f"{champ} nomme {len(noms)} membre(s) alors que deliberation.vote.{sens} "
                    f"vaut {count} : autant de noms que de voix attendus.",
                )
            )
        for k, member_id in enumerate(noms):
            here = f"{champ}[{k}]"
            if not registre.connu(member_id):
                continue  # reported as membre-inconnu
            if member_id in named:
                found.append(
                    Violation(
                        here,
                        "vote-nom-repete",
                        f"{here} : {registre.nomme(member_id)} est déjà nommé en "
                        f"{named[member_id]} ; chaque membre exprime un seul vote.",
                    )
                )
                continue
            named[member_id] = here
            if not (registre.est_votant(member_id) or member_id in votes_par_pouvoir):
                found.append(
                    Violation(
                        here,
                        "vote-non-votant",
                        f"{here} : {registre.nomme(member_id)} n'a pas pu voter (absent sans "
                        "pouvoir, ne prenant pas part au vote, ou dont le mandataire ne vote "
                        "pas) ; seuls les présents qui votent et leurs mandants sont nommés.",
                    )
                )
    return found
