"""The wording of the vote on the extract: the ballot, the names by direction, the result, and
the rounds and elected of a nomination.

What is decided (the result, who is elected) is derived in :mod:`service.domain.resultat`;
this module only words it, before typography.
"""

from __future__ import annotations

from typing import Any

from service.adapters.docx import libelles as L
from service.domain.payload import Deliberation, Election, Membre, Vote
from service.domain.resultat import Depouillement, depouiller, resultat_de

_MODES = {"main_levee": "", "public": "Scrutin public", "secret": "Scrutin secret"}


def _ordinal(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def votes_nominatifs(vote: Vote, by_id: dict[str, Membre]) -> list[str]:
    """Return « Ont voté pour : M. X, Mme Y », « S’est abstenue : Mme Z »… one line per
    direction some member is named in, mandants under their own name (L2121-21)."""
    lines = []
    for sens in ("pour", "contre", "abstention", "ne_se_prononce_pas"):
        membres = [by_id[i] for i in getattr(vote, f"noms_{sens}") or () if i in by_id]
        if not membres:
            continue
        names = ", ".join(L.nom_complet(m) for m in membres)
        seul = len(membres) == 1
        if sens == "pour":
            label = "A voté pour" if seul else "Ont voté pour"
        elif sens == "contre":
            label = "A voté contre" if seul else "Ont voté contre"
        elif sens == "abstention":
            all_f = all(L.feminin(m) for m in membres)
            label = (
                L.accord(membres[0], "S’est abstenu", "S’est abstenue")
                if seul
                else ("Se sont abstenues" if all_f else "Se sont abstenus")
            )
        else:
            label = "Ne se prononce pas" if seul else "Ne se prononcent pas"
        lines.append(f"{label} : {names}")
    return lines


def bulletins(vote: Vote) -> str:
    """Return the line of a secret ballot's blank and spoilt ballots, or nothing."""
    if vote.mode != "secret":
        return ""
    return (
        f"Bulletins blancs : {vote.blancs} – bulletins nuls : {vote.nuls} – suffrages "
        f"exprimés : {vote.pour + vote.contre}"
    )


def _elu(nom: str) -> str:
    # A candidate is a name as printed, not a member: « Mme » says the agreement.
    return "élue" if nom.startswith("Mme") else "élu"


def tours_election(dep: Depouillement, election: Election, votants: int) -> list[dict[str, Any]]:
    """Return each round as ``{titre, candidats}``: « 1er tour – votants : 76, blancs : 2,
    nuls : 0, suffrages exprimés : 74, majorité absolue : 38 » and « Mme A : 40 voix »."""
    out = []
    for compte, tour in zip(dep.tours, election.tours, strict=False):
        majorite = (
            f"majorité absolue : {compte.majorite_absolue}"
            if compte.majorite_absolue is not None
            else "majorité relative"
        )
        out.append({
            "titre": f"{_ordinal(compte.numero)} tour – votants : {votants}, blancs : "
                     f"{compte.blancs}, nuls : {compte.nuls}, suffrages exprimés : "
                     f"{compte.exprimes}, {majorite}",
            "candidats": [f"{c.nom} : {c.voix} voix" for c in tour.candidats],
        })
    return out


def elus(dep: Depouillement) -> list[str]:
    """Return « Mme A est élue au 1er tour avec 40 voix. », one line per elected candidate."""
    lines = []
    for e in dep.elus:
        age = ", au bénéfice de l’âge" if e.au_plus_age else ""
        lines.append(
            f"{e.nom} est {_elu(e.nom)} au {_ordinal(e.tour)} tour avec {e.voix} voix{age}."
        )
    return lines


def textes_du_vote(
    delib: Deliberation, president: Membre | None, by_id: dict[str, Membre], votants: int
) -> dict[str, Any]:
    """Return the ``textes`` keys of the vote or nomination of *delib*."""
    resultat = resultat_de(delib, president)
    textes: dict[str, Any] = {
        "mode_scrutin": "",
        "bulletins": "",
        "votes_nominatifs": [],
        "resultat": resultat.libelle if resultat else "",
        "election_titre": "",
        "election_tours": [],
        "elus": [],
    }
    if delib.vote is not None:
        textes["mode_scrutin"] = _MODES[delib.vote.mode]
        textes["bulletins"] = bulletins(delib.vote)
        textes["votes_nominatifs"] = votes_nominatifs(delib.vote, by_id)
    if delib.election is not None:
        e = delib.election
        dep = depouiller(e)
        postes = "1 poste à pourvoir" if e.postes == 1 else f"{e.postes} postes à pourvoir"
        textes["election_titre"] = f"Nomination au scrutin secret – {postes}"
        textes["election_tours"] = tours_election(dep, e, votants)
        textes["elus"] = elus(dep)
    return textes
