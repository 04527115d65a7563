"""The attendance of one deliberation as sets of member ids, shared by the checks.

:mod:`service.domain.decompte` counts members; the checks need to know, for one id, whether it
is known, absent, a mandant, present or a voter, and to name it in a French message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service.domain.decompte import suppleants_siegeant
from service.domain.payload import DeliberationPayload, Membre


@dataclass(frozen=True)
class Registre:
    """Who is who in *payload*: every set holds member ids as the payload spells them."""

    membres: dict[str, Membre]
    """Known members by id (the first one when an id is duplicated)."""
    absents: frozenset[str]
    """Listed in ``presences.absents``."""
    mandants: frozenset[str]
    """Gave a proxy (``presences.pouvoirs[].mandant``)."""
    ne_prennent_pas_part: frozenset[str]
    a_distance: frozenset[str] = frozenset()
    suppleants_siegeant: dict[str, str] = field(default_factory=dict)
    """``{suppléant: titulaire}`` for the suppléants sitting at this vote."""
    hors_seance: frozenset[str] = frozenset()
    """Suppléants who do not sit: their titulaire attends or is represented."""

    @classmethod
    def of(cls, payload: DeliberationPayload) -> Registre:
        """Return the registre of *payload*."""
        membres: dict[str, Membre] = {}
        for m in payload.membres:
            membres.setdefault(m.id, m)
        p = payload.presences
        siegeant = suppleants_siegeant(payload)
        return cls(
            membres=membres,
            absents=frozenset(p.absents),
            mandants=frozenset(pv.mandant for pv in p.pouvoirs),
            ne_prennent_pas_part=frozenset(p.ne_prennent_pas_part),
            a_distance=frozenset(p.a_distance),
            suppleants_siegeant=siegeant,
            hors_seance=frozenset(
                m.id for m in payload.membres if m.suppleant_de is not None and m.id not in siegeant
            ),
        )

    def connu(self, member_id: str) -> bool:
        """`True` when *member_id* is the id of one of ``membres``."""
        return member_id in self.membres

    def est_absent(self, member_id: str) -> bool:
        """`True` when *member_id* is absent, with or without proxy, or a suppléant who does
        not sit."""
        return (
            member_id in self.absents
            or member_id in self.mandants
            or member_id in self.hors_seance
        )

    def est_present(self, member_id: str) -> bool:
        """`True` when *member_id* is a known member physically present at the sitting."""
        return self.connu(member_id) and not self.est_absent(member_id)

    def est_votant(self, member_id: str) -> bool:
        """`True` when *member_id* is present and takes part in the vote."""
        return self.est_present(member_id) and member_id not in self.ne_prennent_pas_part

    def nomme(self, member_id: str) -> str:
        """Return *member_id* as messages name it: ``M. François REBSAMEN (« rebsamen-francois »)``.

        An unknown id is only quoted.
        """
        m = self.membres.get(member_id)
        if m is None:
            return f"« {member_id} »"
        return f"{m.civilite} {m.prenom} {m.nom} (« {member_id} »)"
