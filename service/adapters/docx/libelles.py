"""French wording of the extract: dates, names, titles agreed in gender, articles.

Kept apart from :mod:`.context` so the rules of the language can be read (and tested) on
their own; every function returns plain text, before typography.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache

from babel.dates import format_date

from service.domain.payload import Membre

LOCALE = "fr_FR"
_VOWELS = frozenset("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒÆaeiouyàâäéèêëîïôöùûüÿœæ")

# Common nouns that open an authority's name ("Ville de Lyon", "Métropole de Lyon",
# "Syndicat des eaux") take an article after "de"; a proper name ("Dijon Métropole") does not.
_FEMININE_NOUNS = frozenset(
    "ville commune communauté métropole région collectivité eurométropole agglomération "
    "mairie".split()
)
_MASCULINE_NOUNS = frozenset(
    "département syndicat pôle établissement territoire centre conseil sivom sivu smictom".split()
)
_FEMININE_ASSEMBLIES = frozenset("assemblée commission conférence délégation".split())
_PREPOSITIONS = frozenset("de du des d’ d' la le les l’ l'".split())


# A pure function of a date: Babel parses its locale and pattern at each call (75 µs per act),
# and the acts of a sitting share their dates.
@lru_cache(maxsize=1024)
def date_longue(day: dt.date, *, weekday: bool = False) -> str:
    """Return *day* written out in French: ``13 décembre 2019``, ``jeudi 1er octobre 2020``.

    French writes the first day of a month as an ordinal (« 1er »), which Babel's patterns
    cannot express, so the day number is put in by hand.
    """
    jour = "1er" if day.day == 1 else str(day.day)
    rest = format_date(day, "MMMM y", locale=LOCALE)
    text = f"{jour} {rest}"
    if weekday:
        text = f"{format_date(day, 'EEEE', locale=LOCALE)} {text}"
    return text


def heure(value: str) -> str:
    """Return ``18 h 30`` for ``18:30`` (``18 h`` for ``18:00``); other text as given."""
    h, sep, m = value.partition(":")
    if not sep or not (h.isdigit() and m.isdigit()):
        return value
    return f"{int(h)} h" if int(m) == 0 else f"{int(h)} h {m}"


def nom_complet(m: Membre) -> str:
    """Return ``M. François REBSAMEN``."""
    return " ".join(part for part in (m.civilite, m.prenom, m.nom) if part)


def nom_court(m: Membre) -> str:
    """Return ``M. REBSAMEN``, as the header prints the president and the secretaries."""
    return f"{m.civilite} {m.nom}"


def feminin(m: Membre) -> bool:
    """`True` for a member whose civilité is « Mme »."""
    return m.civilite == "Mme"


def accord(m: Membre, masculin: str, feminin_: str) -> str:
    """Return *masculin* or *feminin_* after the civilité of *m*."""
    return feminin_ if feminin(m) else masculin


def enumeration(items: Sequence[str]) -> str:
    """Return ``a, b et c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def _elide(mot: str) -> bool:
    # "h" is left alone: "d’Hérouville" but "de Hautmont" cannot be told apart by rule.
    return bool(mot) and mot[0] in _VOWELS


def de(nom: str) -> str:
    """Return ``de Dijon Métropole``, ``d’Auxerre``, ``de la Ville de Lyon``, ``du Syndicat…``."""
    first = nom.split(" ", 1)[0].lower()
    if first in _FEMININE_NOUNS:
        return f"de l’{nom}" if _elide(nom) else f"de la {nom}"
    if first in _MASCULINE_NOUNS:
        return f"de l’{nom}" if _elide(nom) else f"du {nom}"
    return f"d’{nom}" if _elide(nom) else f"de {nom}"


def du_conseil(assemblee: str) -> str:
    """Return ``du Conseil Métropolitain`` (``de l’Assemblée de Corse``, ``de la Commission…``)."""
    first = assemblee.split(" ", 1)[0].lower()
    if _elide(assemblee):
        return f"de l’{assemblee}"
    if first in _FEMININE_ASSEMBLIES:
        return f"de la {assemblee}"
    return f"du {assemblee}"


def nom_commun(assemblee: str) -> str:
    """Return the assembly's name as a common noun: ``Conseil Métropolitain`` → ``Conseil
    métropolitain``.

    The words after the first are lowercased up to the first preposition, after which a proper
    name may follow (``Conseil de Paris``, ``Conseil Départemental de la Côte-d’Or``).
    """
    words = assemblee.split(" ")
    out = words[:1]
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in _PREPOSITIONS or word[:2].lower() in ("d’", "d'"):
            out.extend(words[i:])
            break
        out.append(word.lower())
    return " ".join(out)
