"""The Dijon example payload, to change one fact at a time in the checks' tests."""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from service.domain.checks import check_deliberation
from service.domain.payload import DeliberationPayload

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
DIJON_JSON = SHARED / "contract" / "examples" / "deliberation-dijon-2019-12-19-013.json"
DIJON_EXTRAIT = SHARED / "reference" / "extrait-dijon-metropole-2019-12-19-013.txt"


@cache
def _dijon_text() -> str:
    return DIJON_JSON.read_text(encoding="utf-8")


def dijon() -> dict[str, Any]:
    """Return a fresh, mutable copy of the Dijon payload as JSON data."""
    return copy.deepcopy(json.loads(_dijon_text()))


def payload(data: dict[str, Any]) -> DeliberationPayload:
    """Return *data* validated as a payload."""
    return DeliberationPayload.model_validate(data)


def found(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Return ``(champ, code)`` of every violation of *data*, in the reported order."""
    return [(v.champ, v.code) for v in check_deliberation(payload(data))]


def message(data: dict[str, Any], code: str) -> str:
    """Return the message of the only violation of *data* with *code*."""
    (msg,) = [v.message for v in check_deliberation(payload(data)) if v.code == code]
    return msg


def present_ids(data: dict[str, Any]) -> list[str]:
    """Return the ids of the members of *data* physically present, in ``membres`` order."""
    p = data["presences"]
    out = set(p.get("absents", [])) | {pv["mandant"] for pv in p.get("pouvoirs", [])}
    return [m["id"] for m in data["membres"] if m["id"] not in out]


def mandataires(data: dict[str, Any]) -> list[str]:
    """Return the mandataires of *data*, in ``pouvoirs`` order."""
    return [pv["mandataire"] for pv in data["presences"]["pouvoirs"]]


def present_sans_role(data: dict[str, Any]) -> list[str]:
    """Return the present members who are neither president, secretary nor mandataire."""
    roles = {data["seance"]["president"], *data["seance"]["secretaires"], *mandataires(data)}
    return [i for i in present_ids(data) if i not in roles]


def move_to(data: dict[str, Any], day: str) -> dict[str, Any]:
    """Hold the sitting of *data* on *day* (ISO), convened a week before and sent the day after."""
    seance = dt.date.fromisoformat(day)
    data["seance"]["date"] = day
    data["seance"]["date_convocation"] = (seance - dt.timedelta(days=7)).isoformat()
    lendemain = (seance + dt.timedelta(days=1)).isoformat()
    data["transmission"] = {"date_envoi": lendemain, "date_reception": lendemain}
    return data
