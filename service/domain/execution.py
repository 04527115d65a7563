"""The mentions an act carries once the prefecture's dates are known: transmission, publication,
and the certification that it is executory.

Sources (``shared/notes/legal.md`` §4.5, §4.6, §8.2 item 12 and §11):

- CGCT L2131-1 (version of 1 July 2022): acts « sont exécutoires de plein droit dès qu'ils ont
  été portés à la connaissance des intéressés … et … qu'il a été procédé à la transmission au
  représentant de l'Etat »; « Le maire peut, sous sa responsabilité, certifier le caractère
  exécutoire d'un acte » (EPCI through L5211-3; L3131-1 and L4141-1 likewise). An act is
  executory once both are done, in whatever order (AN QE 31346): on the later of the two dates.
- CGCT R2131-1: the act published online shows « la date de mise en ligne ».
- Real acts: « ACTE EXECUTOIRE Reçu par le représentant de l'Etat le 01/12/2023 et publié le
  01/12/2023 » (Tronget, 2023); « Certifié exécutoire … compte tenu de la transmission en
  sous-préfecture, le … et de la publication, le … » (Chars, 2024).

Transmission is proved by the prefecture's acknowledgement: the act counts as transmitted on
the date of receipt (``date_reception``); a date of sending alone is printed, not certified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def _jour(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Execution:
    """What is known of an act's transmission and publication."""

    date_envoi: dt.date | None = None
    date_reception: dt.date | None = None
    date_publication: dt.date | None = None

    @property
    def executoire_le(self) -> dt.date | None:
        """Return the day the act became executory: the later of its receipt by the
        prefecture and its publication, `None` until both are known."""
        if self.date_reception is None or self.date_publication is None:
            return None
        return max(self.date_reception, self.date_publication)

    def lignes(self) -> list[str]:
        """Return the mentions, dates as ``dd/mm/yyyy``: one line per known date, then the
        certification once executory (signed by the certifying executive, whose block
        follows on the act)."""
        lignes = []
        if self.date_envoi is not None:
            lignes.append(f"Transmis au représentant de l’État le {_jour(self.date_envoi)}")
        if self.date_reception is not None:
            lignes.append(
                f"Reçu par le représentant de l’État le {_jour(self.date_reception)}"
            )
        if self.date_publication is not None:
            lignes.append(f"Publié le {_jour(self.date_publication)}")
        if self.executoire_le is not None:
            assert self.date_reception is not None and self.date_publication is not None
            lignes.append(
                f"Certifié exécutoire, compte tenu de sa réception par le représentant de l’État "
                f"le {_jour(self.date_reception)} et de sa publication le "
                f"{_jour(self.date_publication)}"
            )
        return lignes
