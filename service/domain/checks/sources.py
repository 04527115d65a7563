"""The legal texts a violation message cites, by type of authority and date of the sitting.

Sources: ``shared/notes/legal.md`` §1.1 (quorum), §2 (proxies), §2.3 (COVID-19 windows).
"""

from __future__ import annotations

import datetime as dt

from service.domain.decompte import COVID_WINDOWS
from service.domain.payload import TypeCollectivite

# One text per window of decompte.COVID_WINDOWS, in the same order (zip(strict=True) below).
_TEXTES_COVID = (
    "loi n° 2020-290 du 23 mars 2020, art. 10",
    "loi n° 2020-1379 du 14 novembre 2020, art. 6, prolongée par les lois n° 2021-160 "
    "et n° 2021-689",
    "loi n° 2021-1465 du 10 novembre 2021, art. 10",
)

_QUORUM = {
    "commune": "CGCT art. L2121-17",
    "epci": "CGCT art. L2121-17, applicable par l'art. L5211-1",
    "metropole": "CGCT art. L2121-17, applicable par l'art. L5211-1",
    "syndicat": "CGCT art. L2121-17, applicable par l'art. L5211-1",
    "departement": "CGCT art. L3121-14",
    "region": "CGCT art. L4132-13",
}

_POUVOIRS = {
    "commune": "CGCT art. L2121-20",
    "epci": "CGCT art. L2121-20, applicable par l'art. L5211-1",
    "metropole": "CGCT art. L2121-20, applicable par l'art. L5211-1",
    "syndicat": "CGCT art. L2121-20, applicable par l'art. L5211-1",
    "departement": "CGCT art. L3121-16",
    "region": "CGCT art. L4132-15",
}


def texte_covid(day: dt.date) -> str | None:
    """Return the COVID-19 law that governed a sitting held on *day*, or `None`."""
    for (start, end), texte in zip(COVID_WINDOWS, _TEXTES_COVID, strict=True):
        if start <= day <= end:
            return texte
    return None


def source_quorum(type_collectivite: TypeCollectivite, day: dt.date) -> str:
    """Return the text fixing the quorum of this authority's assembly on *day*."""
    return texte_covid(day) or _QUORUM[type_collectivite]


def source_pouvoirs(type_collectivite: TypeCollectivite, day: dt.date) -> str:
    """Return the text fixing how many proxies one member may carry on *day*."""
    return texte_covid(day) or _POUVOIRS[type_collectivite]
