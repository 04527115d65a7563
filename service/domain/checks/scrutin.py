"""Checks of the vote: a vote or a nomination; the counts add up to the voters; the names agree
with the counts and with the ballot (show of hands, public, secret)."""

from __future__ import annotations

from service.domain.checks.registre import Registre
from service.domain.decompte import decompter
from service.domain.payload import DeliberationPayload, Vote
from service.domain.violations import Violation

SENS = ("pour", "contre", "abstention", "ne_se_prononce_pas")
"""The senses of a vote whose voters may be named (``noms_<sens>``)."""


def check_vote_ou_election(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when the deliberation has neither a vote nor a nomination, or both.

    Source: CGCT L2121-20 (a deliberation is adopted by a vote) and L2121-21 (a nomination is a
    secret ballot of its own, with its rounds); contract v1.1 (``election`` « instead of
    `vote` »).
    """
    d = payload.deliberation
    if d.vote is None and d.election is None:
        return [
            Violation(
                "deliberation.vote",
                "vote-manquant",
                "deliberation.vote : champ obligatoire absent ; le résultat du vote "
                "(pour, contre, abstention, ne_se_prononce_pas), ou deliberation.election pour "
                "une nomination.",
            )
        ]
    if d.vote is not None and d.election is not None:
        return [
            Violation(
                "deliberation.election",
                "vote-et-election",
                "deliberation.election : une nomination se vote par ses propres tours de "
                "scrutin ; donner deliberation.vote ou deliberation.election, pas les deux.",
            )
        ]
    return []


def check_total(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when pour + contre + abstention + ne_se_prononce_pas (+ blank and
    spoilt ballots) differs from the votes that could be cast: present voters plus the proxies
    they carry.

    Source: CGCT L2121-20 and AN QE 9-31465 (the mandataire « doit manifester son vote par deux
    fois »); L2131-11 (an interested member takes no part in the vote); SCDL « Délibérations »
    ``VOTE_REEL`` « incluant les présents et les éventuelles procurations »; in a secret ballot,
    blank and spoilt ballots are ballots cast but not votes cast (Gazette des communes 222265).
    """
    v = payload.deliberation.vote
    if v is None:
        return []
    d = decompter(payload)
    total = v.pour + v.contre + v.abstention + v.ne_se_prononce_pas + v.blancs + v.nuls
    if total == d.votants:
        return []
    termes = "pour + contre + abstention + ne_se_prononce_pas"
    if v.blancs or v.nuls:
        termes += " + blancs + nuls"
    return [
        Violation(
            "deliberation.vote",
            "total-votes-incoherent",
            f"deliberation.vote : {termes} = {total}, "
            f"attendu {d.votants} ({d.presents_votants} présent(s) prenant part au vote + "
            f"{d.procurations} procuration(s) portée(s) par eux).",
        )
    ]


def check_noms(payload: DeliberationPayload) -> list[Violation]:
    """Return the violations of ``vote.noms_pour``, ``noms_contre``, ``noms_abstention`` and
    ``noms_ne_se_prononce_pas``: length other than the count, a member named twice, a named
    member who cannot vote (absent without proxy, leaving the vote, or whose mandataire does
    not vote).

    Source: CGCT L2121-21 (« Le registre des délibérations comporte le nom des votants et
    l'indication du sens de leur vote »), L2121-20 (a mandant votes through his mandataire),
    L2131-11 (an interested member takes no part in the vote).
    """
    vote = payload.deliberation.vote
    if vote is None or vote.mode == "secret":
        return []  # names in a secret ballot: check_mode
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
                        "pouvoir, suppléant qui ne siège pas, ne prenant pas part au vote, ou "
                        "dont le mandataire ne vote pas) ; seuls les présents qui votent et "
                        "leurs mandants sont nommés.",
                    )
                )
    return found


def _noms_donnes(vote: Vote) -> list[str]:
    return [sens for sens in SENS if getattr(vote, f"noms_{sens}")]


def check_mode(payload: DeliberationPayload) -> list[Violation]:
    """Return the violations of the ballot's mode: a public ballot without the name of every
    voter, names in a secret ballot, blank or spoilt ballots outside a secret ballot.

    Source: CGCT L2121-21: « Le vote a lieu au scrutin public à la demande du quart des membres
    présents. Le registre des délibérations comporte le nom des votants et l'indication du sens
    de leur vote » (every voter, a mandant under his own name, L2121-20); a secret ballot names
    nobody; blank and spoilt ballots exist only in a ballot box (secret ballot), a show of
    hands or a public ballot has none.
    """
    vote = payload.deliberation.vote
    if vote is None:
        return []
    found = []
    if vote.mode == "public":
        for sens in SENS:
            if getattr(vote, f"noms_{sens}") is None and getattr(vote, sens) > 0:
                champ = f"deliberation.vote.noms_{sens}"
                found.append(
                    Violation(
                        champ,
                        "scrutin-public-sans-noms",
                        f"{champ} : absent, alors que deliberation.vote.{sens} vaut "
                        f"{getattr(vote, sens)} ; au scrutin public le registre nomme chaque "
                        "votant et le sens de son vote (CGCT L2121-21), un mandant sous son "
                        "propre nom.",
                    )
                )
    if vote.mode == "secret":
        for sens in _noms_donnes(vote):
            champ = f"deliberation.vote.noms_{sens}"
            found.append(
                Violation(
                    champ,
                    "scrutin-secret-nominatif",
                    f"{champ} : un scrutin secret ne nomme aucun votant ; retirer la liste, ou "
                    "déclarer un scrutin public (deliberation.vote.mode).",
                )
            )
    else:
        for name in ("blancs", "nuls"):
            if getattr(vote, name):
                champ = f"deliberation.vote.{name}"
                found.append(
                    Violation(
                        champ,
                        "bulletins-hors-scrutin-secret",
                        f"{champ} vaut {getattr(vote, name)} : seuls les scrutins secrets ont "
                        f"des bulletins blancs ou nuls ; ce vote est « {vote.mode} ».",
                    )
                )
    return found


def check_voix_preponderante(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when ``vote.voix_preponderante`` is given outside a tie, in a secret
    ballot, while the président did not vote, or against the way he is named as voting.

    Source: CGCT L2121-20 al. 3: « Lorsqu'il y a partage égal des voix et sauf cas de scrutin
    secret, la voix du président est prépondérante »; L3121-15 and L4132-14 likewise (« En cas
    de partage, la voix du président est prépondérante »). The casting vote is the président's
    own vote (``shared/notes/legal.md`` §3.2), so he voted, and that way.
    """
    vote = payload.deliberation.vote
    if vote is None or vote.voix_preponderante is None:
        return []
    champ = "deliberation.vote.voix_preponderante"
    if vote.mode == "secret":
        return [
            Violation(
                champ,
                "voix-preponderante-scrutin-secret",
                f"{champ} : au scrutin secret, la voix du président n'est pas prépondérante "
                "(CGCT L2121-20) ; un partage égal des voix rejette la proposition.",
            )
        ]
    if vote.pour != vote.contre or vote.pour == 0:
        return [
            Violation(
                champ,
                "voix-preponderante-sans-partage",
                f"{champ} : pour ({vote.pour}) et contre ({vote.contre}) ne sont pas à égalité ; "
                "la voix du président ne départage qu'un partage égal des voix (CGCT L2121-20).",
            )
        ]
    registre = Registre.of(payload)
    president = payload.seance.president
    if not registre.connu(president):
        return []
    if not registre.est_votant(president):
        return [
            Violation(
                champ,
                "voix-preponderante-president-non-votant",
                f"{champ} : {registre.nomme(president)}, président de séance, ne prend pas part "
                "au vote ; sa voix ne peut pas être prépondérante.",
            )
        ]
    for sens in SENS:
        noms = getattr(vote, f"noms_{sens}") or ()
        if president in noms and sens != vote.voix_preponderante:
            k = list(noms).index(president)
            return [
                Violation(
                    champ,
                    "voix-preponderante-contraire",
                    f"{champ} « {vote.voix_preponderante} » : {registre.nomme(president)}, "
                    f"président de séance, est nommé en deliberation.vote.noms_{sens}[{k}] ; sa "
                    "voix prépondérante est son propre vote.",
                )
            ]
    return []
