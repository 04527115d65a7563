"""What a payload does to an act already stored: keep it, regenerate it, or refuse.

An upstream system retries and re-sends; a clerk amends. The rules, decided here once for
``POST /v1/deliberations``, ``POST /v1/seances`` and the CLI:

- an unchanged payload (the same deliberation as the one the act was last generated from) keeps
  the act as it is, whatever its current version — a clerk's amendment stays current;
- a changed payload over a generated version regenerates the act (a new version);
- a changed payload over a clerk's amendment is refused, unless the caller names the amended
  version on purpose (``?remplacer=<identifiant>:<version>``): work a clerk did is never
  replaced implicitly;
- a changed payload over an act transmitted to (or acknowledged by) the prefecture is refused:
  what the prefecture received is the act (CGCT L2131-1); it is corrected by an amendment or
  withdrawn with the prefecture, never silently regenerated.

"Unchanged" compares the parsed payloads (``model_dump``), not their JSON text: a payload stored
by an earlier version of the model gains defaulted fields when parsed again, and must still be
recognised as the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from service.domain.dates_prefecture import TRANSMIS
from service.domain.errors import Conflict

Issue = Literal["generee", "regeneree", "conservee", "refusee"]
"""What happens to the act: first generated, regenerated, kept as it is, or refused."""

OPTION = "remplacer"
"""The query option naming a version replaced on purpose: ``?remplacer=<identifiant>:<n>``."""


@dataclass(frozen=True)
class Stored:
    """What the decision needs of an act already stored."""

    identifiant: str
    version: int
    """The current version's number."""
    origine: str
    """The current version's origin: ``payload`` or ``amendement``."""
    statut: str
    generated: dict[str, Any] | None
    """The latest payload the act was generated from, parsed and dumped (``None``: none)."""


@dataclass(frozen=True)
class Decision:
    """The outcome for one act; a refusal carries its code and French reason."""

    issue: Issue
    code: str | None = None
    message: str | None = None
    remplace: int | None = None
    """The amended version replaced on purpose (recorded in the new version's history)."""

    @property
    def writes(self) -> bool:
        """``True`` when a new version is to be generated."""
        return self.issue in ("generee", "regeneree")


def option_text(identifiant: str, version: int) -> str:
    """Return the option a caller adds to replace *version* of *identifiant* on purpose."""
    return f"?{OPTION}={identifiant}:{version}"


def decide(stored: Stored | None, payload: dict[str, Any], remplacer: int | None = None
           ) -> Decision:
    """Return what *payload* (parsed and dumped) does to the *stored* act.

    *remplacer* is the version the caller explicitly replaces (``None``: none named).
    """
    if stored is None:
        return Decision("generee")
    if stored.generated == payload:
        return Decision("conservee")
    ident = stored.identifiant
    if stored.statut in TRANSMIS:
        return Decision("refusee", "acte-transmis", _transmis(ident))
    if stored.origine == "amendement":
        if remplacer == stored.version:
            return Decision("regeneree", remplace=stored.version)
        named = "" if remplacer is None else (
            f" (l'option nomme la version {remplacer}, qui n'est pas la version courante)")
        return Decision(
            "refusee", "version-modifiee",
            f"La version courante de l'acte {ident} est la version {stored.version}, modifiée "
            f"par le greffe{named} : de nouvelles données ne la remplacent pas implicitement. "
            f"Pour la remplacer délibérément, renvoyez avec l'option "
            f"{option_text(ident, stored.version)}.",
        )
    return Decision("regeneree")


def is_retry(current_sha256: str | None, payload_sha256: str | None) -> bool:
    """Return ``True`` when a version generated from the payload of hash *payload_sha256*
    would repeat the current version, generated from the payload of hash *current_sha256*:
    an upstream retry, for which nothing is stored (idempotency).

    The same rule as :func:`decide`'s ``conservee``, made again where the act is written (under
    its lock): two identical requests at once store one version.
    """
    return payload_sha256 is not None and current_sha256 == payload_sha256


def check_new_version(identifiant: str, statut: str, origine: str) -> None:
    """Check that a new version of *origine* (``payload`` or ``amendement``) may be made of an
    act of *statut*, where the act is written: :func:`decide`'s refusal of an act transmitted
    to the prefecture, for a transmission recorded after the decision.

    :raises Conflict: for a payload over an act transmitted (or acknowledged).
    """
    if origine == "payload" and statut in TRANSMIS:
        raise Conflict(_transmis(identifiant))


def _transmis(ident: str) -> str:
    return (
        f"L'acte {ident} a déjà été transmis à la préfecture : il ne peut plus être "
        "régénéré à partir de nouvelles données. Pour le corriger, déposez un DOCX "
        f"modifié (PUT /v1/actes/{ident}/document.docx) ; pour le remplacer, annulez-le "
        "auprès de la préfecture puis transmettez un nouvel acte."
    )


def parse_remplacer(values: list[str]) -> dict[str, int]:
    """Return ``{identifiant: version}`` from ``remplacer`` option values ``<id>:<version>``.

    :raises ValueError: with a French reason for a value of another form.
    """
    out: dict[str, int] = {}
    for value in values:
        ident, sep, version = value.rpartition(":")
        if not sep or not ident or not version.isdigit() or int(version) < 1:
            raise ValueError(
                f"option {OPTION} « {value} » : attendu <identifiant>:<version>, par exemple "
                f"{OPTION}=021-242100410-20191219-2019-12-19_013-DE:2"
            )
        out[ident] = int(version)
    return out
