"""The legal checks of a whole sitting: every deliberation checked as if sent alone.

Each deliberation's payload (:func:`service.domain.seance.deliberation_payload`) goes through
:func:`check_deliberation`; its violations are then placed in the sitting's payload: a field of
``deliberation`` becomes ``deliberations[i].…``, a field of ``presences`` becomes
``deliberations[i].presences.…`` when the deliberation carries its own attendance (otherwise it
is the sitting's ``presences``, reported once), and a field of the sitting itself is reported
once however many deliberations share it.
"""

from __future__ import annotations

import re

from stdnum import luhn

from service.domain.checks import check_deliberation
from service.domain.seance import SeancePayload, deliberation_payload
from service.domain.violations import Violation


def check_seance(seance: SeancePayload) -> list[Violation]:
    """Return every violation of *seance*: the sitting's own first, then each deliberation's."""
    commun: dict[Violation, None] = dict.fromkeys(check_siret(seance))
    propres: dict[Violation, None] = {}
    for i, delib in enumerate(seance.deliberations):
        payload = deliberation_payload(seance, i)
        found = check_deliberation(payload)
        own = delib.presences is not None
        # A sitting-level field broken only under this deliberation's own attendance (the
        # president listed absent for this vote) belongs to that attendance, not to the sitting.
        inherited: set[Violation] = set()
        if own and any(_scope(v.champ) == "seance" for v in found):
            alone = payload.model_copy(update={"presences": seance.presences})
            inherited = set(check_deliberation(alone))
        for v in found:
            scope = _scope(v.champ)
            if scope == "deliberation":
                propres[_moved(v, "deliberation", f"deliberations[{i}]")] = None
            elif scope == "presences" and own:
                propres[_moved(v, "presences", f"deliberations[{i}].presences")] = None
            elif scope == "seance" and own and v not in inherited:
                propres[Violation(f"deliberations[{i}].presences", v.code, v.message)] = None
            else:
                commun[v] = None
    return [*commun, *propres, *check_numeros_uniques(seance)]


def check_numeros_uniques(seance: SeancePayload) -> list[Violation]:
    """Return a violation for each deliberation whose numéro an earlier one of the sitting has.

    Source: ACTES (``shared/notes/actes.md``): the numéro interne identifies the act within the
    authority's acts (``IDActe`` = département, SIREN, date, numéro, nature); two acts of one
    sitting with one numéro would share their identifier and overwrite each other.
    """
    first: dict[str, int] = {}
    out = []
    for j, delib in enumerate(seance.deliberations):
        k = first.setdefault(delib.numero, j)
        if k != j:
            out.append(
                Violation(
                    f"deliberations[{j}].numero",
                    "numero-en-double",
                    f"deliberations[{j}].numero « {delib.numero} » : déjà le numéro de "
                    f"deliberations[{k}] ; chaque délibération de la séance a son propre numéro.",
                )
            )
    return out


def check_siret(seance: SeancePayload) -> list[Violation]:
    """Return a violation when ``collectivite.siret`` is given and is not the authority's SIRET.

    Source: INSEE SIRENE: the SIRET is the SIREN followed by the 5-digit NIC, the whole number
    with a valid Luhn key (SCDL ``COLL_SIRET``, pattern ``^\\d{14}$`` and check
    ``french-siret-value``).
    """
    c = seance.collectivite
    if c.siret is None:
        return []
    if not re.fullmatch(r"[0-9]{14}", c.siret) or not luhn.is_valid(c.siret):
        why = "14 chiffres attendus, dont une clé de contrôle valide (algorithme de Luhn)"
    elif not c.siret.startswith(c.siren):
        why = f"il doit commencer par le SIREN de la collectivité ({c.siren})"
    else:
        return []
    message = f"collectivite.siret « {c.siret} » : {why}."
    return [Violation("collectivite.siret", "siret-invalide", message)]


def _scope(champ: str) -> str:
    head = re.split(r"[.\[]", champ, maxsplit=1)[0]
    return head if head in ("deliberation", "presences") else "seance"


def _moved(v: Violation, old: str, new: str) -> Violation:
    """Return *v* with its field path (and the path opening its message) under *new*."""
    champ = new + v.champ[len(old):]
    message = champ + v.message[len(v.champ):] if v.message.startswith(v.champ) else v.message
    return Violation(champ, v.code, message)
