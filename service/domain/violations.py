"""A violation of a rule by a payload: what the API and the CLI report, all at once."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: ``champ`` is the field path (``presences.pouvoirs[2].mandataire``),
    ``code`` a stable machine-readable identifier, ``message`` a French sentence."""

    champ: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """Return the violation as the contract's ``{champ, code, message}`` object."""
        return asdict(self)
