"""From untrusted JSON to the payload model, every structural error as a :class:`Violation`.

pydantic reports errors in English with a tuple location; callers get French messages and the
contract's dotted field paths (``membres[3].civilite``), with stable codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from service.domain.violations import Violation

M = TypeVar("M", bound=BaseModel)

# pydantic error type → (stable code, French message). ``{ctx}`` keys come from the error's ctx.
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("champ-obligatoire", "champ obligatoire absent"),
    "extra_forbidden": ("champ-inconnu", "champ inconnu du contrat v1"),
    "literal_error": ("valeur-non-permise", "valeur non permise ; attendu : {expected}"),
    "enum": ("valeur-non-permise", "valeur non permise ; attendu : {expected}"),
    "string_type": ("type-texte", "texte attendu"),
    "string_too_short": ("texte-trop-court", "au moins {min_length} caractère(s) attendu(s)"),
    "string_too_long": ("texte-trop-long", "au plus {max_length} caractères"),
    # A lone surrogate (pydantic refuses it itself) or a control character: see textes.py.
    "string_unicode": ("caractere-interdit", "caractère invalide : demi-paire de substitution "
                       "UTF-16 isolée (\\ud800-\\udfff), impossible à encoder"),
    "texte_surrogate": ("caractere-interdit", "caractère invalide : demi-paire de substitution "
                        "UTF-16 isolée (\\ud800-\\udfff), impossible à encoder"),
    "texte_controle": ("caractere-interdit", "caractère de contrôle U+{code} interdit{allowed}"),
    "int_type": ("type-entier", "nombre entier attendu"),
    "int_parsing": ("type-entier", "nombre entier attendu"),
    "int_from_float": ("type-entier", "nombre entier attendu"),
    "greater_than_equal": ("valeur-trop-petite", "doit être supérieur ou égal à {ge}"),
    "bool_type": ("type-booleen", "booléen attendu (true ou false)"),
    "bool_parsing": ("type-booleen", "booléen attendu (true ou false)"),
    "date_type": ("type-date", "date attendue au format AAAA-MM-JJ"),
    "date_parsing": ("type-date", "date attendue au format AAAA-MM-JJ"),
    "date_from_datetime_parsing": ("type-date", "date attendue au format AAAA-MM-JJ"),
    "date_from_datetime_inexact": ("type-date", "date attendue au format AAAA-MM-JJ"),
    "list_type": ("type-liste", "liste attendue"),
    "too_short": ("liste-trop-courte", "au moins {min_length} élément(s) attendu(s)"),
    "too_long": ("liste-trop-longue", "au plus {max_length} élément(s)"),
    "model_type": ("type-objet", "objet JSON attendu"),
    "model_attributes_type": ("type-objet", "objet JSON attendu"),
    "dict_type": ("type-objet", "objet JSON attendu"),
}


def field_path(loc: Iterable[int | str]) -> str:
    """Return the contract's field path for a pydantic location: ``membres[3].civilite``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(racine)"


def _violation(err: ErrorDetails) -> Violation:
    code, template = _MESSAGES.get(err["type"], ("valeur-invalide", "valeur invalide"))
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    try:
        message = template.format(**ctx)
    except (KeyError, IndexError):
        message = template
    # pydantic joins the allowed literals with an English "or".
    message = message.replace("' or '", "' ou '")
    return Violation(field_path(err["loc"]), code, message)


def parse_model(model: type[M], data: Any) -> tuple[M | None, list[Violation]]:
    """Return ``(instance, [])`` for valid *data*, else ``(None, violations)``, sorted by field."""
    if not isinstance(data, Mapping):
        return None, [Violation("(racine)", "type-objet", "le corps doit être un objet JSON")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        seen: dict[tuple[str, str], Violation] = {}
        for err in exc.errors(include_url=False):
            v = _violation(err)
            seen.setdefault((v.champ, v.code), v)
        return None, sorted(seen.values())
