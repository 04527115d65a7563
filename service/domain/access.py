"""Who is calling: a bearer token bound to the SIREN of the authorities it may act for."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """The holder of a valid token: its name and the SIRENs it may see and act for."""

    name: str
    sirens: frozenset[str]

    def may_act_for(self, siren: str) -> bool:
        """`True` when this principal may see or change an act of *siren*."""
        return siren in self.sirens


def token_digest(token: str) -> str:
    """Return the SHA-256 under which a token is stored: the token itself never is."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
