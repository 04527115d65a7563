"""Checks of the suppléants (``membres[].suppleant_de``, contract v1.1): only where the law of
the authority gives them, each the suppléant of one titulaire who is not a suppléant himself.

Whether a suppléant sits at a vote is derived (:func:`service.domain.decompte.suppleants_siegeant`):
only when his titulaire is absent without proxy. A suppléant who does not sit and is yet named
as voting, carrying a proxy, attending remotely or signing is reported by the checks of those
fields, as absent, with the reason.
"""

from __future__ import annotations

from service.domain.checks.registre import Registre
from service.domain.payload import DeliberationPayload
from service.domain.regimes import EPCI_A_FISCALITE_PROPRE, suppleants_prevus
from service.domain.violations import Violation


def check_suppleants(payload: DeliberationPayload) -> list[Violation]:
    """Return the violations of ``membres[].suppleant_de``: a suppléant in an authority without
    suppléants, of himself, of another suppléant, or a second suppléant of one titulaire of a
    communauté or métropole.

    Source: CGCT L5211-6 (in a communauté or a métropole, a commune with one seat has « un
    conseiller suppléant » who « peut participer avec voix délibérative aux réunions de l'organe
    délibérant en cas d'absence du conseiller titulaire » who has not given a proxy; Sénat QE
    09169), L5212-7 (a syndicat's committee: « un ou plusieurs délégués suppléants »). Communes,
    départements and régions have none: an absent member is replaced by nobody.
    """
    c = payload.collectivite
    registre = Registre.of(payload)
    texte = suppleants_prevus(c.type)
    first: dict[str, int] = {}
    found = []
    for j, m in enumerate(payload.membres):
        t = m.suppleant_de
        if t is None:
            continue
        champ = f"membres[{j}].suppleant_de"
        qui = registre.nomme(m.id)
        if texte is None:
            found.append(
                Violation(
                    champ,
                    "suppleant-non-prevu",
                    f"{champ} : {qui} est déclaré suppléant, mais une collectivité de type "
                    f"« {c.type} » n'a pas de suppléants (seuls les EPCI et les syndicats en ont : "
                    "CGCT L5211-6, L5212-7) ; un membre empêché peut donner pouvoir.",
                )
            )
            continue
        if t == m.id:
            found.append(
                Violation(
                    champ,
                    "suppleant-de-lui-meme",
                    f"{champ} : {qui} ne peut pas être son propre suppléant ; indiquer "
                    "l'identifiant du conseiller titulaire qu'il remplace.",
                )
            )
            continue
        titulaire = registre.membres.get(t)
        if titulaire is None:
            continue  # reported as membre-inconnu
        if titulaire.suppleant_de is not None:
            found.append(
                Violation(
                    champ,
                    "suppleant-de-suppleant",
                    f"{champ} : {registre.nomme(t)} est lui-même suppléant ; un suppléant "
                    f"remplace un conseiller titulaire ({texte}).",
                )
            )
            continue
        if t in first and c.type in EPCI_A_FISCALITE_PROPRE:
            found.append(
                Violation(
                    champ,
                    "suppleant-multiple",
                    f"{champ} : {registre.nomme(t)} a déjà pour suppléant "
                    f"membres[{first[t]}] ; un conseiller communautaire titulaire a un seul "
                    f"suppléant ({texte}).",
                )
            )
            continue
        first.setdefault(t, j)
    return found
