"""The ACTES act identifier ``DDD-SIREN-YYYYMMDD-NUMERO-NN`` (``IDActe``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_DEPARTEMENT = re.compile(r"^(?:0[1-9]|[1-8][0-9]|9[0-5]|2[AB])$|^(?:97[1-6])$")


def normalise_departement(code: str) -> str:
    """Return the 3-character ACTES département code: ``21`` → ``021``, ``2a`` → ``02A``.

    :raises ValueError: when *code* is no French département (01–95, 2A, 2B, 971–976).
    """
    c = code.strip().upper()
    if len(c) == 3 and c.startswith("0"):
        c = c[1:]
    if len(c) == 1 and c.isdigit():
        c = "0" + c
    if not _DEPARTEMENT.match(c) or c == "20":
        raise ValueError(f"département inconnu : {code!r}")
    return c if len(c) == 3 else "0" + c


@dataclass(frozen=True)
class ActesIdentifier:
    """``IDActe``: département, SIREN, decision date, numéro interne and nature."""

    departement: str
    siren: str
    date: dt.date
    numero: str
    nature: str

    def __str__(self) -> str:
        return f"{self.departement}-{self.siren}-{self.date:%Y%m%d}-{self.numero}-{self.nature}"

    @classmethod
    def parse(cls, text: str) -> ActesIdentifier:
        """Return the identifier written in *text*; the numéro may itself hold hyphens.

        :raises ValueError: when *text* is not an ACTES identifier.
        """
        m = re.fullmatch(r"([0-9]{2}[0-9AB])-([0-9]{9})-([0-9]{8})-(.{1,15})-([A-Z]{2})", text)
        if not m:
            raise ValueError(f"identifiant ACTES invalide : {text!r}")
        try:
            day = dt.datetime.strptime(m.group(3), "%Y%m%d").date()
        except ValueError as exc:
            raise ValueError(f"date invalide dans l'identifiant ACTES : {text!r}") from exc
        return cls(m.group(1), m.group(2), day, m.group(4), m.group(5))


def identifier_for(
    departement: str, siren: str, date: dt.date, numero: str, nature: str
) -> ActesIdentifier:
    """Return the identifier of an act; the département is normalised to 3 characters.

    :raises ValueError: when the département is unknown (the checks report it first).
    """
    return ActesIdentifier(normalise_departement(departement), siren, date, numero, nature)
