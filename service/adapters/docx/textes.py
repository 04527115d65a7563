"""The ``textes`` and ``decompte`` keys of a template's context: ready-made French wording.

They come in two parts, because the acts of one sitting share most of them
(:mod:`.context` keeps the first part per sitting):

- :func:`textes_de_seance` and :func:`decompte`: the assembly, the sitting, who attended, the
  quorum, the signatures and the certification, from the payload's fields other than its
  ``deliberation`` and from its counts;
- :func:`textes_de_l_acte`: the rapporteur, the formula and the vote of one deliberation.

Strings are returned as worded, without French typography (the context applies it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from service.adapters.docx import libelles as L
from service.adapters.docx.certification import textes_de_certification
from service.adapters.docx.scrutin import textes_du_vote
from service.domain.decompte import Decompte
from service.domain.payload import DeliberationPayload, Membre

FORMULE = "LE CONSEIL, APRÈS EN AVOIR DÉLIBÉRÉ,"
"""Formula before the verb when the payload gives none."""

TEXTES_DE_SEANCE = frozenset({
    "assemblee", "seance", "date_seance", "date_convocation", "president_libelle", "president",
    "secretaires_libelle", "secretaires", "du_conseil", "quorum", "presents", "a_distance",
    "absents", "pouvoirs", "ne_prennent_pas_part", "signature_president", "nom_president",
    "signature_secretaires", "noms_secretaires", "signatures_de_seance", "mention_registre",
    "fait_a", "qualite_signataire", "nom_signataire", "execution", "recours",
})
"""The keys of :func:`textes_de_seance` (a test checks them): what the sitting alone fills."""


def _rows(names: Sequence[str], final: str = ".") -> list[list[str]]:
    """Return *names* two by two, left to right, the last one followed by *final*."""
    items = list(names)
    if items and final:
        items[-1] += final
    if len(items) % 2:
        items.append("")
    return [items[i : i + 2] for i in range(0, len(items), 2)]


def _recours(collectivite_type: str, president: Membre | None) -> str:
    # legal.md §4.8: CJA R421-1 (two months) and R421-5 (the mention makes the delay opposable);
    # the gracious appeal goes to the author of the act, the maire or the président.
    if collectivite_type == "commune":
        autorite = "Madame la Maire" if president and L.feminin(president) else "Monsieur le Maire"
    else:
        autorite = (
            "Madame la Présidente"
            if president and L.feminin(president)
            else "Monsieur le Président"
        )
    return (
        "La présente délibération peut faire l’objet d’un recours gracieux auprès de "
        f"{autorite} ou d’un recours contentieux devant le tribunal administratif "
        "territorialement compétent dans un délai de deux mois à compter de sa publication et "
        "de sa transmission au représentant de l’État. Le tribunal administratif peut être "
        "saisi par l’application « Télérecours citoyens » accessible par le site internet "
        "www.telerecours.fr."
    )


def _present(m: Membre, titulaires: dict[str, Membre]) -> str:
    """Return « M. X », or « M. X, suppléant de Mme Y » as real acts print a suppléant."""
    titulaire = titulaires.get(m.id)
    if titulaire is None:
        return L.nom_complet(m)
    return f"{L.nom_complet(m)}, {L.accord(m, 'suppléant', 'suppléante')} de " + L.nom_complet(
        titulaire
    )


def _quorum(decompte: Decompte) -> str:
    # legal.md §11: real acts say « Le quorum étant atteint » where a quorum applied.
    if decompte.quorum == 0:
        return (
            "Réunie sur seconde convocation, l’assemblée délibère valablement sans condition "
            "de quorum."
        )
    compte = "présents ou représentés" if decompte.quorum_representes else "présents"
    return (
        f"Le quorum étant atteint ({decompte.quorum} membres {compte} requis), l’assemblée "
        "peut valablement délibérer."
    )


def _pouvoirs(pouvoirs: Sequence[Any], by_id: dict[str, Membre]) -> list[str]:
    return [
        f"{L.nom_complet(by_id[p.mandant])} pouvoir à {L.nom_complet(by_id[p.mandataire])}"
        for p in pouvoirs
        if p.mandant in by_id and p.mandataire in by_id
    ]


def decompte(d: Decompte, by_id: dict[str, Membre]) -> dict[str, Any]:
    """Return the ``decompte`` key: the counts, and the lists of names."""
    return {
        "en_exercice": d.en_exercice,
        "presents_votants": d.presents_votants,
        "procurations": d.procurations,
        "votants": d.votants,
        "quorum": d.quorum,
        "presents": [L.nom_complet(m) for m in d.presents],
        "absents": [L.nom_complet(m) for m in d.absents],
        "pouvoirs": _pouvoirs(d.pouvoirs, by_id),
        "ne_prennent_pas_part": [L.nom_complet(m) for m in d.ne_prennent_pas_part],
        "a_distance": [L.nom_complet(m) for m in d.a_distance],
    }


def textes_de_seance(
    payload: DeliberationPayload,
    by_id: dict[str, Membre],
    decompte: Decompte,
    aujourd_hui: dt.date,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the ``textes`` keys that come before those of :func:`textes_de_l_acte`, and
    those that come after. *payload* is read for its fields other than ``deliberation``."""
    seance = payload.seance
    president = by_id.get(seance.president)
    secretaires = [by_id[i] for i in seance.secretaires if i in by_id]
    titulaires = {s.id: t for s, t in decompte.suppleances}
    a_distance = {m.id for m in decompte.a_distance}

    titre_seance = f"Séance du {L.date_longue(seance.date, weekday=True)}"
    if seance.heure:
        titre_seance += f" à {L.heure(seance.heure)}"

    if len(secretaires) > 1:
        secretaires_signature = "Les Secrétaires de séance,"
    elif secretaires:
        secretaires_signature = L.accord(
            secretaires[0], "Le Secrétaire de séance,", "La Secrétaire de séance,"
        )
    else:
        secretaires_signature = ""

    npp = list(decompte.ne_prennent_pas_part)
    npp_text = ""
    if npp:
        verbe = "ne prend pas part au vote" if len(npp) == 1 else "ne prennent pas part au vote"
        npp_text = f"{L.enumeration([L.nom_complet(m) for m in npp])} {verbe}."

    pouvoirs = _pouvoirs(decompte.pouvoirs, by_id)
    absents = [L.nom_complet(m) for m in decompte.absents]
    before: dict[str, Any] = {
        "assemblee": f"{L.du_conseil(payload.assemblee.nom)} {L.de(payload.collectivite.nom)}",
        "seance": titre_seance,
        "date_seance": L.date_longue(seance.date),
        "date_convocation": L.date_longue(seance.date_convocation),
        "president_libelle": L.accord(president, "Président", "Présidente")
        if president
        else "Président",
        "president": L.nom_court(president) if president else "",
        "secretaires_libelle": "Secrétaires de séance"
        if len(secretaires) > 1
        else "Secrétaire de séance",
        "secretaires": L.enumeration([L.nom_court(m) for m in secretaires]),
        "du_conseil": L.du_conseil(L.nom_commun(payload.assemblee.nom)),
        "quorum": _quorum(decompte),
        "presents": _rows(
            [_present(m, titulaires) for m in decompte.presents if m.id not in a_distance]
        ),
        "a_distance": _rows([_present(m, titulaires) for m in decompte.a_distance]),
        # The final stop goes after whichever list of absents is printed last (the Dijon
        # extract prints its proxies right after the absent members).
        "absents": _rows(absents, "" if pouvoirs else "."),
        "pouvoirs": pouvoirs[:-1] + [pouvoirs[-1] + "."] if pouvoirs else [],
        "ne_prennent_pas_part": npp_text,
    }
    after: dict[str, Any] = {
        "signature_president": (
            L.accord(president, "Le Président,", "La Présidente,") if president else "Le Président,"
        ),
        "nom_president": f"{president.prenom} {president.nom}" if president else "",
        "signature_secretaires": secretaires_signature,
        "noms_secretaires": [f"{m.prenom} {m.nom}" for m in secretaires],
        **textes_de_certification(payload, by_id, aujourd_hui),
        "recours": _recours(payload.collectivite.type, president),
    }
    return before, after


def textes_de_l_acte(
    payload: DeliberationPayload, by_id: dict[str, Membre], decompte: Decompte
) -> dict[str, Any]:
    """Return the ``textes`` keys of *payload*'s deliberation: rapporteur, formula, vote."""
    delib = payload.deliberation
    president = by_id.get(payload.seance.president)
    rapporteur = by_id.get(delib.rapporteur) if delib.rapporteur else None
    return {
        "rapporteur_libelle": L.accord(rapporteur, "Rapporteur", "Rapporteure")
        if rapporteur
        else "",
        "rapporteur": L.nom_complet(rapporteur) if rapporteur else "",
        "formule": delib.dispositif.formule or FORMULE,
        **textes_du_vote(delib, president, by_id, decompte.votants),
    }
