"""What the prefecture sends back: acknowledgements and anomalies, read from hostile XML.

- ``ARActe`` (message 1-2): the act is received; ``DateReception`` is the legal date of
  receipt in prefecture (no time of day) and ``ClassificationDateVersionEnCours`` the version
  of the nomenclature the prefecture holds.
- ``AnomalieActe`` (1-3): the act is refused, with a 3-digit ``Nature`` and a ``Detail``.
- ``ARAnnulation`` (6-2): a cancellation is received.
- ``AnomalieEnveloppe``: the envelope is refused.

Anything else, or a document that is not plain well-formed XML, is refused with a French
message saying why.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from service.domain.actes.identifier import ActesIdentifier
from service.domain.actes.xml import ACTES_NS, local_name, parse, qn
from service.domain.errors import DocumentRejected

_WHAT = "Le message de la préfecture"
# xsd:date: the day, with an optional time zone the acknowledgement has no use for.
_XSD_DATE = re.compile(r"\s*([0-9]{4}-[0-9]{2}-[0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?\s*")


@dataclass(frozen=True)
class ActeRecu:
    """The act as the prefecture received it (``ActeRecu``): what identifies it."""

    date: dt.date
    numero_interne: str
    code_nature: int
    document: str | None


@dataclass(frozen=True)
class AccuseReceptionActe:
    """``ARActe``: the prefecture's acknowledgement of an act."""

    id_acte: str
    date_reception: dt.date
    classification_date_version_en_cours: dt.date
    acte_recu: ActeRecu

    @property
    def identifier(self) -> ActesIdentifier:
        """Return ``id_acte`` as an :class:`ActesIdentifier`."""
        return ActesIdentifier.parse(self.id_acte)


@dataclass(frozen=True)
class AnomalieActe:
    """``AnomalieActe``: the prefecture refused an act."""

    date: dt.date
    nature: str
    """Code of the anomaly, 3 digits (``002``)."""
    detail: str | None
    acte_recu: ActeRecu
    classification_date_version_en_cours: dt.date


@dataclass(frozen=True)
class AccuseReceptionAnnulation:
    """``ARAnnulation``: the prefecture received the cancellation of an act."""

    id_acte: str
    date_reception: dt.date


@dataclass(frozen=True)
class AnomalieEnveloppe:
    """``AnomalieEnveloppe``: the prefecture refused a whole envelope."""

    date: dt.date
    nature: str
    detail: str | None


Message = AccuseReceptionActe | AnomalieActe | AccuseReceptionAnnulation | AnomalieEnveloppe


def parse_message(data: bytes) -> Message:
    """Return the prefecture message in *data*: acknowledgement or anomaly.

    :raises DocumentRejected: when *data* is malformed or hostile XML (DTD, entities), not in
        the ACTES namespace, another kind of message, or lacks a required field.
    """
    root = parse(data, what=_WHAT)
    namespace, name = etree.QName(root).namespace, local_name(root)
    if namespace != ACTES_NS:
        raise DocumentRejected(
            f"{_WHAT} n'est pas un message ACTES : élément racine « {name} » hors de l'espace "
            f"de noms {ACTES_NS}."
        )
    reader = _READERS.get(name)
    if reader is None:
        raise DocumentRejected(
            f"{_WHAT} « {name} » n'est pas pris en charge : attendu {', '.join(_READERS)}."
        )
    return reader(root)


def parse_ar_acte(data: bytes) -> AccuseReceptionActe:
    """Return the ``ARActe`` in *data*.

    :raises DocumentRejected: as :func:`parse_message`, and for any other message (an
        anomaly says the act was *not* received: its text is given).
    """
    message = parse_message(data)
    if isinstance(message, AccuseReceptionActe):
        return message
    if isinstance(message, AnomalieActe | AnomalieEnveloppe):
        raise DocumentRejected(
            f"{_WHAT} est une anomalie (nature {message.nature}), pas un accusé de réception : "
            f"{message.detail or 'sans détail'}"
        )
    raise DocumentRejected(f"{_WHAT} est un accusé d'annulation, pas un accusé de réception.")


def _read_ar_acte(root: etree._Element) -> AccuseReceptionActe:
    return AccuseReceptionActe(
        id_acte=_id_acte(root),
        date_reception=_date(root.get(qn("actes:DateReception")), "DateReception"),
        classification_date_version_en_cours=_child_date(root, "ClassificationDateVersionEnCours"),
        acte_recu=_acte_recu(root),
    )


def _read_anomalie_acte(root: etree._Element) -> AnomalieActe:
    return AnomalieActe(
        date=_child_date(root, "Date"),
        nature=_child_text(root, "Nature", required=True) or "",
        detail=_child_text(root, "Detail"),
        acte_recu=_acte_recu(root),
        classification_date_version_en_cours=_child_date(root, "ClassificationDateVersionEnCours"),
    )


def _read_ar_annulation(root: etree._Element) -> AccuseReceptionAnnulation:
    return AccuseReceptionAnnulation(
        _id_acte(root), _date(root.get(qn("actes:DateReception")), "DateReception")
    )


def _read_anomalie_enveloppe(root: etree._Element) -> AnomalieEnveloppe:
    return AnomalieEnveloppe(
        _child_date(root, "Date"),
        _child_text(root, "Nature", required=True) or "",
        _child_text(root, "Detail"),
    )


_READERS: dict[str, Callable[[etree._Element], Message]] = {
    "ARActe": _read_ar_acte,
    "AnomalieActe": _read_anomalie_acte,
    "ARAnnulation": _read_ar_annulation,
    "AnomalieEnveloppe": _read_anomalie_enveloppe,
}


def _acte_recu(root: etree._Element) -> ActeRecu:
    el = root.find(qn("actes:ActeRecu"))
    if el is None:
        raise DocumentRejected(f"{_WHAT} « {local_name(root)} » n'a pas d'élément ActeRecu.")
    numero = el.get(qn("actes:NumeroInterne"))
    nature = el.get(qn("actes:CodeNatureActe"), "")
    if not numero or not nature.isdigit():
        raise DocumentRejected(f"{_WHAT} : ActeRecu sans NumeroInterne ou CodeNatureActe valide.")
    document = el.findtext(f"{qn('actes:Document')}/{qn('actes:NomFichier')}")
    return ActeRecu(
        _date(el.get(qn("actes:Date")), "ActeRecu/Date"),
        numero,
        int(nature),
        document.strip() if document else None,
    )


def _id_acte(root: etree._Element) -> str:
    value = root.get(qn("actes:IDActe"))
    if not value:
        raise DocumentRejected(f"{_WHAT} « {local_name(root)} » n'a pas d'attribut IDActe.")
    try:
        ActesIdentifier.parse(value)
    except ValueError as exc:
        raise DocumentRejected(f"{_WHAT} : IDActe invalide « {value} ».") from exc
    return str(value)


def _child_text(root: etree._Element, name: str, *, required: bool = False) -> str | None:
    text = root.findtext(qn(f"actes:{name}"))
    if text is None or not text.strip():
        if required:
            raise DocumentRejected(f"{_WHAT} « {local_name(root)} » n'a pas d'élément {name}.")
        return None
    return str(text).strip()


def _child_date(root: etree._Element, name: str) -> dt.date:
    return _date(_child_text(root, name, required=True), name)


def _date(value: str | None, name: str) -> dt.date:
    if not value:
        raise DocumentRejected(f"{_WHAT} n'a pas de {name}.")
    m = _XSD_DATE.fullmatch(value)
    try:
        if m is None:
            raise ValueError(value)
        return dt.date.fromisoformat(m.group(1))
    except ValueError as exc:
        raise DocumentRejected(
            f"{_WHAT} : {name} « {value} » n'est pas une date AAAA-MM-JJ."
        ) from exc
