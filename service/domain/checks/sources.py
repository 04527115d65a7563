"""The legal texts a violation message cites, by type of authority, body and date of the sitting.

Sources: ``shared/notes/legal.md`` §1.1 (quorum), §2 (proxies), §2.3 and §11 (COVID-19
windows); the rules themselves are in :mod:`service.domain.regimes`.
"""

from __future__ import annotations

import datetime as dt

from service.domain.decompte import departement_of
from service.domain.payload import DeliberationPayload, TypeCollectivite
from service.domain.regimes import derogation_covid, regle_pouvoirs


def texte_covid(day: dt.date) -> str | None:
    """Return the COVID-19 law that governed an assembly's sitting held on *day*, or `None`."""
    derogation = derogation_covid(day)
    return derogation.texte if derogation else None


def source_pouvoirs(type_collectivite: TypeCollectivite, day: dt.date) -> str:
    """Return the text fixing how many proxies one member may carry on *day*."""
    return regle_pouvoirs(day, type_collectivite)[1]


def pouvoirs_permis(payload: DeliberationPayload) -> tuple[int, str]:
    """Return how many proxies one member may carry at this sitting, and the text."""
    return regle_pouvoirs(
        payload.seance.date,
        payload.collectivite.type,
        payload.assemblee.organe,
        departement_of(payload),
    )
