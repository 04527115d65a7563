"""The prefecture's mention stamped on an acknowledged act."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, get_args

from service.domain.dates_prefecture import PrefectureDates
from service.domain.execution import Execution


@dataclass(frozen=True)
class MentionPrefecture:
    """Dates known for an act transmitted to the prefecture, with its ACTES identifier."""

    identifiant: str
    date_envoi: dt.date | None = None
    date_reception: dt.date | None = None
    date_publication: dt.date | None = None

    @property
    def dates(self) -> PrefectureDates:
        """Return the dates of the mention (``MentionPrefecture(identifiant, *dates)`` makes
        one of dates)."""
        return PrefectureDates(self.date_envoi, self.date_reception, self.date_publication)

    @property
    def is_known(self) -> bool:
        """`True` when there is something to stamp: at least the sending or receipt date."""
        return self.dates.is_known


StyleMention = Literal["accuse-reception", "s2low"]
"""The wordings of the mention: the operator's "Accusé de réception" block or S²LOW's tampon."""

STYLES_MENTION: tuple[str, ...] = get_args(StyleMention)


def _jour(date: dt.date) -> str:
    return date.strftime("%d/%m/%Y")


def _executoire(mention: MentionPrefecture) -> list[str]:
    le = Execution(mention.date_envoi, mention.date_reception,
                   mention.date_publication).executoire_le
    return [] if le is None else [f"Certifié exécutoire le {_jour(le)}"]


def lignes_mention(mention: MentionPrefecture, style_kind: StyleMention) -> list[str]:
    """Return the lines of *mention* worded as *style_kind*, dates as ``dd/mm/yyyy``.

    ``accuse-reception`` follows the block printed on the acts of Dijon Métropole, with the
    date the act was put online once known (CGCT R2131-1: the published act shows it);
    ``s2low`` follows the row titles of S²LOW's production tampon (« Publié le »). A line whose
    date is unknown is left out; the identifier is always there. Once both the receipt and the
    publication are known, « Certifié exécutoire le … » follows (CGCT L2131-1: executory once
    transmitted and published, on the later date; the executive may certify it).

    :raises ValueError: when *style_kind* is none of :data:`STYLES_MENTION`.
    """
    if style_kind == "accuse-reception":
        lignes = ["Accusé de réception en préfecture", mention.identifiant]
        if mention.date_envoi is not None:
            lignes.append(f"Date de télétransmission : {_jour(mention.date_envoi)}")
        if mention.date_reception is not None:
            lignes.append(f"Date de réception préfecture : {_jour(mention.date_reception)}")
        if mention.date_publication is not None:
            lignes.append(f"Date de publication : {_jour(mention.date_publication)}")
        lignes.extend(_executoire(mention))
        return lignes
    if style_kind == "s2low":
        lignes = []
        if mention.date_envoi is not None:
            lignes.append(f"Envoyé en préfecture le {_jour(mention.date_envoi)}")
        if mention.date_reception is not None:
            lignes.append(f"Reçu en préfecture le {_jour(mention.date_reception)}")
        if mention.date_publication is not None:
            lignes.append(f"Publié le {_jour(mention.date_publication)}")
        lignes.extend(_executoire(mention))
        lignes.append(f"ID : {mention.identifiant}")
        return lignes
    raise ValueError(
        f"style de mention inconnu : {style_kind!r} (attendu : {', '.join(STYLES_MENTION)})"
    )
