"""The context a deliberation template is rendered with.

The payload's own fields are exposed under their own names (``collectivite``, ``assemblee``,
``seance``, ``membres``, ``presences``, ``deliberation``, ``transmission``), so a template
reads like the contract: ``{{ deliberation.objet }}``. What is derived, never typed by the
caller, lives under a few keys of its own (:data:`DERIVED_KEYS`), each documented in
``templates_actes/README.md``:

- ``identifiant``: the ACTES identifier, ``021-242100410-20191219-2019-12-19_013-DE``;
- ``decompte``: the counts and the lists of names of :func:`service.domain.decompte.decompter`;
- ``textes``: ready-made French wording (dates, titles agreed in gender, two-column rows of
  names, the recourse mention…);
- ``blocs``: the exposé and the articles as Word subdocuments (added by the renderer).

Every string is given French typography (:func:`.typography.fr`) here, once, so labels and
payload text look alike whatever the template does with them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from service.adapters.docx import libelles as L
from service.adapters.docx.certification import textes_de_certification
from service.adapters.docx.escaping import literal
from service.adapters.docx.scrutin import textes_du_vote
from service.adapters.docx.typography import fr
from service.domain.actes.identifier import ActesIdentifier
from service.domain.decompte import Decompte, decompter
from service.domain.paris import aujourd_hui_a_paris
from service.domain.payload import DeliberationPayload, Membre

PAYLOAD_KEYS: tuple[str, ...] = tuple(DeliberationPayload.model_fields)
"""Top-level payload fields, exposed as they are (strings typographed, annex contents left out)."""

DERIVED_KEYS: tuple[str, ...] = ("identifiant", "decompte", "textes", "blocs")
"""Keys of the context that are not payload fields."""

FORMULE = "LE CONSEIL, APRÈS EN AVOIR DÉLIBÉRÉ,"
"""Formula before the verb when the payload gives none."""

_SHORT = 200
"""Strings up to this length are worked on once per process (names, dates, labels)."""


@lru_cache(maxsize=8192)
def _short_literal(text: str) -> str:
    # A pure function of a short text: the members, their names and the labels of one
    # sitting come back in each of its acts (hundreds of strings per act).
    return literal(fr(text))


def _typographed(value: Any, typographie: Callable[[str], str] = fr) -> Any:
    short = _short_literal if _is_fr(typographie) else None
    return _walk([value], typographie, short)[0]


def _walk(
    value: Any, typographie: Callable[[str], str], short: Callable[[str], str] | None
) -> Any:
    """Return *value* (a dict, a list, or a leaf) with its strings typographed.

    A payload dump holds hundreds of leaves: they are handled in the loop, a call per
    container only (half the time of a call per leaf).
    """
    if isinstance(value, dict):
        items: Any = value.items()
        out: Any = {}
    elif isinstance(value, list):
        items = enumerate(value)
        out = [None] * len(value)
    else:
        return value
    for key, item in items:
        if short is not None and isinstance(item, dict):
            try:
                # Types in the key: True == 1 and a str enum == its value, yet print apart.
                flat = _flat(tuple(item.items()), tuple(map(type, item.values())))
                out[key] = dict(flat)  # a copy: a template may change what it is given
                continue
            except TypeError:  # a list or a dict in it: not hashable, walked below
                pass
        if isinstance(item, str):
            if short is not None and len(item) <= _SHORT:
                out[key] = short(item)
            else:
                out[key] = literal(typographie(item))
        elif isinstance(item, (dict, list)):
            out[key] = _walk(item, typographie, short)
        else:
            out[key] = item
    return out


@lru_cache(maxsize=4096)
def _flat(items: tuple[tuple[str, Any], ...], types: tuple[type, ...]) -> dict[str, Any]:
    # A dict of leaves (a member, a proxy) typographed as _walk does, once per process: a
    # sitting's acts repeat the same members, and their names are most of a payload's leaves.
    return {
        k: (_short_literal(v) if len(v) <= _SHORT else literal(fr(v)))
        if isinstance(v, str)
        else v
        for k, v in items
    }


def _is_fr(typographie: Callable[[str], str]) -> bool:
    """Whether *typographie* is :func:`.typography.fr` or a memo of it (the renderer's)."""
    return typographie is fr or getattr(typographie, "__wrapped__", None) is fr


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


def _quorum(payload: DeliberationPayload, decompte: Decompte) -> str:
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


def _textes(
    payload: DeliberationPayload,
    by_id: dict[str, Membre],
    decompte: Decompte,
    aujourd_hui: dt.date,
) -> dict[str, Any]:
    seance = payload.seance
    delib = payload.deliberation
    president = by_id.get(seance.president)
    secretaires = [by_id[i] for i in seance.secretaires if i in by_id]
    rapporteur = by_id.get(delib.rapporteur) if delib.rapporteur else None
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
    textes: dict[str, Any] = {
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
        "quorum": _quorum(payload, decompte),
        "presents": _rows(
            [_present(m, titulaires) for m in decompte.presents if m.id not in a_distance]
        ),
        "a_distance": _rows([_present(m, titulaires) for m in decompte.a_distance]),
        # The final stop goes after whichever list of absents is printed last (the Dijon
        # extract prints its proxies right after the absent members).
        "absents": _rows(absents, "" if pouvoirs else "."),
        "pouvoirs": pouvoirs[:-1] + [pouvoirs[-1] + "."] if pouvoirs else [],
        "ne_prennent_pas_part": npp_text,
        "rapporteur_libelle": L.accord(rapporteur, "Rapporteur", "Rapporteure")
        if rapporteur
        else "",
        "rapporteur": L.nom_complet(rapporteur) if rapporteur else "",
        "formule": delib.dispositif.formule or FORMULE,
        **textes_du_vote(delib, president, by_id, decompte.votants),
        "signature_president": (
            L.accord(president, "Le Président,", "La Présidente,") if president else "Le Président,"
        ),
        "nom_president": f"{president.prenom} {president.nom}" if president else "",
        "signature_secretaires": secretaires_signature,
        "noms_secretaires": [f"{m.prenom} {m.nom}" for m in secretaires],
        **textes_de_certification(payload, by_id, aujourd_hui),
        "recours": _recours(payload.collectivite.type, president),
    }
    return _typographed(textes)


def _pouvoirs(pouvoirs: Sequence[Any], by_id: dict[str, Membre]) -> list[str]:
    return [
        f"{L.nom_complet(by_id[p.mandant])} pouvoir à {L.nom_complet(by_id[p.mandataire])}"
        for p in pouvoirs
        if p.mandant in by_id and p.mandataire in by_id
    ]


def template_context(
    payload: DeliberationPayload,
    identifier: ActesIdentifier,
    *,
    typographie: Callable[[str], str] = fr,
    aujourd_hui: dt.date | None = None,
) -> dict[str, Any]:
    """Return the context of *payload*'s template, without ``blocs`` (the renderer adds them).

    *typographie* is :func:`.typography.fr`, or a memo of it the renderer shares with the
    Markdown writer so that a long exposé is worked on once per render. *aujourd_hui* is the
    date the act is made on (« Fait à …, le … » when ``signature.date`` is not given): today
    in Paris by default.

    Unknown member ids are skipped: the payload checks report them before rendering.
    """
    by_id = {m.id: m for m in payload.membres}
    d = decompter(payload)
    data = payload.model_dump(mode="python")
    # Annex contents are base64 blobs: no template prints them, and typographing megabytes
    # of them would cost for nothing.
    for annexe in data["deliberation"].get("annexes", []):
        annexe.pop("contenu_base64", None)
    context = _typographed(data, typographie)
    context["identifiant"] = str(identifier)
    context["decompte"] = {
        "en_exercice": d.en_exercice,
        "presents_votants": d.presents_votants,
        "procurations": d.procurations,
        "votants": d.votants,
        "quorum": d.quorum,
        "presents": _typographed([L.nom_complet(m) for m in d.presents]),
        "absents": _typographed([L.nom_complet(m) for m in d.absents]),
        "pouvoirs": _typographed(_pouvoirs(d.pouvoirs, by_id)),
        "ne_prennent_pas_part": _typographed([L.nom_complet(m) for m in d.ne_prennent_pas_part]),
        "a_distance": _typographed([L.nom_complet(m) for m in d.a_distance]),
    }
    context["textes"] = _textes(payload, by_id, d, aujourd_hui or aujourd_hui_a_paris())
    return context
