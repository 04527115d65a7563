"""One catalogue of the errors the edges show: each error one stable code, one French title, one
HTTP status, one CLI exit code (``service/entrypoints/catalogue.py``)."""

from __future__ import annotations

from werkzeug.exceptions import MethodNotAllowed, NotFound, SecurityError

from service import errors
from service.entrypoints.catalogue import (
    EXIT_FAILED,
    EXIT_REFUSED,
    HTTP_TITLES,
    catalogue,
    entree,
    entree_http,
    exit_code_of,
)
from service.entrypoints.web.refus import refus_de


def test_every_error_has_its_own_code_a_french_title_and_a_status() -> None:
    entries = catalogue()
    codes = [e.code for e in entries]
    assert len(codes) == len(set(codes)), codes
    assert len(entries) == len(errors.__all__)  # every class of the hierarchy
    for e in entries:
        assert e.titre and e.titre[0].isupper(), e
        assert 400 <= e.status < 600, e
    by_code = {e.code: e for e in entries}
    assert by_code["donnees-invalides"].status == 422
    assert by_code["conversion-trop-longue"].status == 504
    assert by_code["configuration-invalide"].titre == "Configuration invalide"


def test_the_pages_and_the_api_show_the_same_title_and_status() -> None:
    for exc in (errors.DocumentRejected("illisible"), errors.NotFound("inconnu"),
                errors.Unavailable("plein"), errors.Refused("transmis", code="acte-transmis")):
        shown, refus = entree(exc), refus_de(exc)
        assert (refus.titre, refus.status) == (shown.titre, shown.status) == (
            type(exc).title, shown.status)
    assert entree(errors.Refused("x", code="acte-transmis")).code == "acte-transmis"


def test_the_cli_exit_code_follows_the_catalogue() -> None:
    assert exit_code_of(errors.InvalidPayload([])) == EXIT_REFUSED
    assert exit_code_of(errors.NotFound("inconnu")) == EXIT_REFUSED
    assert exit_code_of(errors.InvalidSettings("ACTES_PORT")) == EXIT_REFUSED
    assert exit_code_of(errors.ConversionError("LibreOffice")) == EXIT_FAILED
    assert exit_code_of(errors.TemplateError("modèle")) == EXIT_FAILED


def test_werkzeug_errors_get_a_french_title_and_a_code() -> None:
    assert entree_http(NotFound()).titre == HTTP_TITLES[404] == "Ressource introuvable"
    assert entree_http(MethodNotAllowed()).code == "http-405"
    host = entree_http(SecurityError())
    assert (host.code, host.status) == ("hote-non-autorise", 400)
