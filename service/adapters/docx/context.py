"""The context a deliberation template is rendered with.

The payload's own fields are exposed under their own names (``collectivite``, ``assemblee``,
``seance``, ``membres``, ``presences``, ``deliberation``, ``transmission``), so a template
reads like the contract: ``{{ deliberation.objet }}``. What is derived, never typed by the
caller, lives under a few keys of its own (:data:`DERIVED_KEYS`), each documented in
``templates_actes/README.md``:

- ``identifiant``: the ACTES identifier, ``021-242100410-20191219-2019-12-19_013-DE``;
- ``decompte``: the counts and the lists of names of :func:`service.domain.decompte.decompter`;
- ``textes``: ready-made French wording (dates, titles agreed in gender, two-column rows of
  names, the recourse mention…);
- ``blocs``: the exposé and the articles as Word subdocuments (added by the renderer).

Every string is given French typography (:func:`.typography.fr`) here, once, so labels and
payload text look alike whatever the template does with them.

The acts of a sitting share all but their ``deliberation``: what of the context depends only
on the other fields (their typographed dump, the sitting's wording, the counts' lists of names)
is made once per sitting and kept per process (:class:`_Seance`), found again by the values of
those fields, so another member, attendance or date is another sitting. Each render gets its own
copy of the dicts and lists (a template may change what it is given).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from service.adapters.docx import textes as T
from service.adapters.docx.escaping import literal
from service.adapters.docx.textes import FORMULE
from service.adapters.docx.typography import fr
from service.domain.actes.identifier import ActesIdentifier
from service.domain.decompte import Decompte, decompter
from service.domain.paris import aujourd_hui_a_paris
from service.domain.payload import DeliberationPayload

PAYLOAD_KEYS: tuple[str, ...] = tuple(DeliberationPayload.model_fields)
"""Top-level payload fields, exposed as they are (strings typographed, annex contents left out)."""

DERIVED_KEYS: tuple[str, ...] = ("identifiant", "decompte", "textes", "blocs")
"""Keys of the context that are not payload fields."""

_SEANCE_KEYS = tuple(k for k in PAYLOAD_KEYS if k != "deliberation")
_SEANCES = 8
"""Sittings kept per process: a job renders one sitting's acts in turn, other threads may be
rendering a few others."""

_SHORT = 200
"""Strings up to this length are worked on once per process (names, dates, labels)."""


@lru_cache(maxsize=8192)
def _short_literal(text: str) -> str:
    # A pure function of a short text: the members, their names and the labels of one
    # sitting come back in each of its acts (hundreds of strings per act).
    return literal(fr(text))


def _typographed(value: Any, typographie: Callable[[str], str] = fr) -> Any:
    short = _short_literal if _is_fr(typographie) else None
    return _walk([value], typographie, short)[0]


def _walk(
    value: Any, typographie: Callable[[str], str], short: Callable[[str], str] | None
) -> Any:
    """Return *value* (a dict, a list, or a leaf) with its strings typographed.

    A payload dump holds hundreds of leaves: they are handled in the loop, a call per
    container only (half the time of a call per leaf).
    """
    if isinstance(value, dict):
        items: Any = value.items()
        out: Any = {}
    elif isinstance(value, list):
        items = enumerate(value)
        out = [None] * len(value)
    else:
        return value
    for key, item in items:
        if short is not None and isinstance(item, dict):
            try:
                # Types in the key: True == 1 and a str enum == its value, yet print apart.
                flat = _flat(tuple(item.items()), tuple(map(type, item.values())))
                out[key] = dict(flat)  # a copy: a template may change what it is given
                continue
            except TypeError:  # a list or a dict in it: not hashable, walked below
                pass
        if isinstance(item, str):
            if short is not None and len(item) <= _SHORT:
                out[key] = short(item)
            else:
                out[key] = literal(typographie(item))
        elif isinstance(item, (dict, list)):
            out[key] = _walk(item, typographie, short)
        else:
            out[key] = item
    return out


@lru_cache(maxsize=4096)
def _flat(items: tuple[tuple[str, Any], ...], types: tuple[type, ...]) -> dict[str, Any]:
    # A dict of leaves (a member, a proxy) typographed as _walk does, once per process: a
    # sitting's acts repeat the same members, and their names are most of a payload's leaves.
    return {
        k: (_short_literal(v) if len(v) <= _SHORT else literal(fr(v)))
        if isinstance(v, str)
        else v
        for k, v in items
    }


def _is_fr(typographie: Callable[[str], str]) -> bool:
    """Whether *typographie* is :func:`.typography.fr` or a memo of it (the renderer's)."""
    return typographie is fr or getattr(typographie, "__wrapped__", None) is fr


def _copier(value: Any) -> Callable[[], Any]:
    """Return a function giving a copy of *value*'s dicts and lists (the leaves, immutable,
    shared), planned once: a list of flat dicts (members, proxies) is copied dict by dict."""
    if isinstance(value, dict):
        nested = {k: _copier(v) for k, v in value.items() if isinstance(v, (dict, list))}
        if not nested:
            return value.copy

        def copy_dict() -> dict[str, Any]:
            out = value.copy()
            for k, copy in nested.items():
                out[k] = copy()
            return out

        return copy_dict
    if isinstance(value, list):
        if not any(isinstance(v, (dict, list)) for v in value):
            return value.copy  # names, a row of two names
        if all(isinstance(v, dict) for v in value) and not any(
            isinstance(leaf, (dict, list)) for v in value for leaf in v.values()
        ):
            return lambda: [v.copy() for v in value]
        items = [_copier(v) for v in value]
        return lambda: [copy() for copy in items]
    return lambda: value


class Contexte(dict[str, Any]):
    """A template's context, with a token standing for the values of its sitting's part."""

    partage: object | None = None
    """The same object for every act of one sitting (the payload's fields other than its
    deliberation, the date the act is made on, the counts); ``None`` when nothing is kept.
    What it stands for is: those fields typographed, ``decompte``, and the ``textes`` keys
    of :data:`.textes.TEXTES_DE_SEANCE` (sitting_prefix.py keeps what they render)."""


class _Seance:
    """The context's part of the fields of a payload other than its deliberation."""

    def __init__(
        self, payload: DeliberationPayload, aujourd_hui: dt.date, typographie: Callable[[str], str]
    ) -> None:
        self.key = _key(payload, aujourd_hui)
        # Without its deliberation: the sitting's wording cannot read it by mistake.
        self._payload = payload.model_copy(update={"deliberation": None})
        self._aujourd_hui = aujourd_hui
        self._typographie = typographie
        self.by_id = {m.id: m for m in payload.membres}
        data = payload.model_dump(mode="python", exclude={"deliberation"})
        self.data = _copier(_typographed(data, typographie))
        """The typographed dump of the fields, copied."""
        self._decomptes: list[tuple[tuple[Any, ...], Decompte]] = []
        self._counts: list[tuple[Decompte, Callable[[], Any]]] = []
        self._lock = threading.Lock()

    def decompte(self, payload: DeliberationPayload) -> Decompte:
        """Return :func:`decompter` of *payload*, one of this sitting's acts."""
        # The counts read of the deliberation only whether it elects the executive (its
        # matière and election: the quorum rule may differ). decompter gets those alone, so
        # that reading anything else of it fails rather than gives another act's counts.
        delib = payload.deliberation
        key = (delib.matiere, delib.election)
        with self._lock:
            found = next((d for k, d in self._decomptes if k == key), None)
        if found is None:
            found = decompter(self._payload.model_copy(update={"deliberation": _Lue(*key)}))
            with self._lock:
                self._decomptes = [(key, found), *self._decomptes[:63]]
        return found

    def counted(
        self, d: Decompte
    ) -> tuple[object, dict[str, Any], dict[str, Any], dict[str, Any]]:
        """Return a token standing for this sitting's part with the counts *d*, the
        ``decompte`` key for them, and the ``textes`` keys of the sitting before and after
        those of the act (copies)."""
        # A sitting has one or two counts (an election of the executive may change the
        # quorum rule).
        with self._lock:
            found = next((copy for counts, copy in self._counts if counts == d), None)
        if found is None:
            before, after = T.textes_de_seance(self._payload, self.by_id, d, self._aujourd_hui)
            found = _copier(_typographed([T.decompte(d, self.by_id), before, after],
                                         self._typographie))
            with self._lock:
                self._counts = [(d, found), *self._counts[:3]]
        compte, before, after = found()
        return found, compte, before, after


class _Lue:
    """What :meth:`_Seance.decompte` lets decompter read of a deliberation."""

    __slots__ = ("election", "matiere")

    def __init__(self, matiere: str, election: Any) -> None:
        self.matiere = matiere
        self.election = election


def _key(payload: DeliberationPayload, aujourd_hui: dt.date) -> tuple[Any, ...]:
    # Models compare by value (pydantic's ==), their lists item by item: the acts of one
    # parsed sitting share their members' objects, so those compare by identity first.
    return (*(getattr(payload, k) for k in _SEANCE_KEYS), aujourd_hui)


_seances: list[_Seance] = []
_seances_lock = threading.Lock()


def _seance(
    payload: DeliberationPayload, aujourd_hui: dt.date, typographie: Callable[[str], str]
) -> _Seance:
    if not _is_fr(typographie):  # another typography: nothing kept
        return _Seance(payload, aujourd_hui, typographie)
    key = _key(payload, aujourd_hui)
    with _seances_lock:
        for i, seance in enumerate(_seances):
            if seance.key == key:
                # Equal values, maybe other objects (another job of the same sitting): keep
                # this act's, which the next acts of its job share, so they compare by identity.
                seance.key = key
                _seances.insert(0, _seances.pop(i))
                return seance
    seance = _Seance(payload, aujourd_hui, fr)
    with _seances_lock:
        _seances.insert(0, seance)
        del _seances[_SEANCES:]
    return seance


def clear() -> None:
    """Forget the sittings kept and the texts typographed once per process (for tests: a
    context built after this one is built from nothing)."""
    with _seances_lock:
        _seances.clear()
    _short_literal.cache_clear()
    _flat.cache_clear()


def template_context(
    payload: DeliberationPayload,
    identifier: ActesIdentifier,
    *,
    typographie: Callable[[str], str] = fr,
    aujourd_hui: dt.date | None = None,
) -> dict[str, Any]:
    """Return the context of *payload*'s template, without ``blocs`` (the renderer adds them):
    a :class:`Contexte`.

    *typographie* is :func:`.typography.fr`, or a memo of it the renderer shares with the
    Markdown writer so that a long exposé is worked on once per render. *aujourd_hui* is the
    date the act is made on (« Fait à …, le … » when ``signature.date`` is not given): today
    in Paris by default.

    Unknown member ids are skipped: the payload checks report them before rendering.
    """
    seance = _seance(payload, aujourd_hui or aujourd_hui_a_paris(), typographie)
    d = seance.decompte(payload)
    token, compte, before, after = seance.counted(d)
    deliberation = payload.deliberation.model_dump(mode="python")
    # Annex contents are base64 blobs: no template prints them, and typographing megabytes
    # of them would cost for nothing.
    for annexe in deliberation.get("annexes", []):
        annexe.pop("contenu_base64", None)
    fields = seance.data()
    context = Contexte(
        (k, _typographed(deliberation, typographie) if k == "deliberation" else fields[k])
        for k in PAYLOAD_KEYS
    )
    # The token is kept with the sitting's part: while it lives no other part gets its id.
    context.partage = token if _is_fr(typographie) else None
    context["identifiant"] = str(identifier)
    context["decompte"] = compte
    acte = _typographed(T.textes_de_l_acte(payload, seance.by_id, d))
    context["textes"] = {**before, **acte, **after}
    return context


__all__ = ["DERIVED_KEYS", "FORMULE", "PAYLOAD_KEYS", "aujourd_hui_a_paris", "template_context"]
