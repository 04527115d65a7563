"""The prefecture's dates of an act, and the status they give it.

An act transmitted to the prefecture has up to three dates: sent (``date_envoi``), received
(``date_reception``, the acknowledgement: the act is then executory once published, CGCT
L2131-1) and put online (``date_publication``, R2131-1). They come from a payload's
``transmission`` block, an ``ARActe`` message, a JSON acknowledgement or a publication; each is
one :class:`PrefectureDates`, merged by one rule (:meth:`PrefectureDates.completed_with`), and
the act's status follows them (:func:`statut_after`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

Statut = Literal["generee", "transmise", "acquittee"]
"""An act's status: generated, sent to the prefecture, or acknowledged by it."""

TRANSMIS: tuple[Statut, ...] = ("transmise", "acquittee")
"""The statuses of an act the prefecture has (or is receiving): what it received is the act."""


class PrefectureDates(NamedTuple):
    """An act's ``(date_envoi, date_reception, date_publication)``; ``None``: not known.

    A tuple, so that a stamp, a record and a check compare and unpack them alike.
    """

    date_envoi: dt.date | None = None
    date_reception: dt.date | None = None
    date_publication: dt.date | None = None

    @property
    def is_known(self) -> bool:
        """``True`` once the act was sent or received: there is a mention to stamp."""
        return self.date_envoi is not None or self.date_reception is not None

    def completed_with(self, known: PrefectureDates) -> PrefectureDates:
        """Return these dates, each one missing taken from *known*.

        The one merge rule: a date given (by an acknowledgement, a publication) replaces the
        one known, a date not given keeps it; and the act's own dates come before those of the
        payload it was generated from (``record.completed_with(payload's)``).
        """
        return PrefectureDates(*(mine or theirs for mine, theirs in zip(self, known, strict=True)))


def statut_after(dates: PrefectureDates, statut: Statut) -> Statut:
    """Return the status of an act of *statut* once it has *dates*.

    ``acquittee`` once its reception date is known (the acknowledgement); ``transmise`` once only
    its sending date is, for an act not yet sent; otherwise it keeps *statut* (an act is never
    taken back from the prefecture by dates that are missing).
    """
    if dates.date_reception:
        return "acquittee"
    if dates.date_envoi and statut == "generee":
        return "transmise"
    return statut


def acknowledged(known: PrefectureDates, statut: Statut, given: PrefectureDates
                 ) -> tuple[PrefectureDates, Statut]:
    """Return the dates and status of an act of *known* dates and *statut* once an
    acknowledgement (or a publication) gives *given*: a date not given keeps the one known."""
    dates = given.completed_with(known)
    return dates, statut_after(dates, statut)


def regenerated(statut: Statut, given: PrefectureDates) -> tuple[PrefectureDates, Statut]:
    """Return the dates and status of an act of *statut* once a payload giving *given* became
    its new version: the payload's dates are the act's (its files are stamped with them, a date
    it lacks is one the stamp does not show), and the status follows them."""
    return given, statut_after(given, statut)
