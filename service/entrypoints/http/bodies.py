"""Reading request bodies safely: media type, size and JSON syntax checked before use."""

from __future__ import annotations

import json
from typing import Any

from flask import request

from service.domain.errors import BadRequest, UnsupportedMediaType


def json_body() -> Any:
    """Return the request's JSON document.

    :raises UnsupportedMediaType: when the body is not declared ``application/json``.
    :raises BadRequest: when the body is empty or not valid UTF-8 JSON.
    """
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise UnsupportedMediaType(
            f"Le corps doit être envoyé en application/json (reçu : {request.mimetype or 'aucun'})."
        )
    raw = request.get_data(cache=False)  # MAX_CONTENT_LENGTH is enforced by Werkzeug here
    if not raw.strip():
        raise BadRequest("Le corps de la requête est vide ; un objet JSON est attendu.")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BadRequest("Le corps de la requête n'est pas encodé en UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise BadRequest(
            f"JSON invalide : {exc.msg} (ligne {exc.lineno}, colonne {exc.colno})."
        ) from exc
    except RecursionError as exc:
        raise BadRequest("JSON trop profondément imbriqué.") from exc


XML_TYPES = ("application/xml", "text/xml")


def xml_body() -> bytes:
    """Return the request's XML bytes (parsed later by the safe ACTES parser).

    :raises UnsupportedMediaType: when the body is not declared XML.
    :raises BadRequest: when the body is empty.
    """
    if request.mimetype not in XML_TYPES:
        raise UnsupportedMediaType(
            f"Le message ARActe doit être envoyé en application/xml (reçu : "
            f"{request.mimetype or 'aucun'})."
        )
    raw = request.get_data(cache=False)
    if not raw.strip():
        raise BadRequest("Le corps de la requête est vide ; un message XML ARActe est attendu.")
    return raw
