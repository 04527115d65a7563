"""The start of a body that only the sitting fills, rendered and deflated once per sitting.

The default template prints the assembly, the sitting, the présents in two columns, the
absents, the proxies and the quorum before anything of the deliberation: more than half of
the Dijon body, the same text for every act of a sitting. The body's Jinja source is cut
after its longest run of top-level nodes (each text and value on its own) reading only names
the sitting fills (the payload's fields other than ``deliberation``, ``decompte``, and the
``textes`` keys of :data:`.textes.TEXTES_DE_SEANCE`, each read as ``textes.key``; no global,
no ``random``): those nodes are compiled as one template, the rest as another. Without
``set``, macros or blocks (wellformed.py lets none through), the two renders put end to end
are the whole render.

The start is kept by the token the context carries for its sitting's part
(:class:`.context.Contexte`), which stands for those values: rendered once, encoded, deflated
(:class:`.zipped.Packed`). docxtpl's finishing of the whole text changes nothing where neither
part holds a tab, line or page mark or a ``{_``/``_}`` marker (nor a marker across the cut):
the prepared template checks that, and otherwise renders the whole body as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from jinja2 import Template, nodes
from jinja2.meta import find_undeclared_variables

from service.adapters.docx.cache import ENVIRONMENT, LISTING_CHARS
from service.adapters.docx.escaping import has_braced_underscore
from service.adapters.docx.textes import TEXTES_DE_SEANCE
from service.adapters.docx.zipped import Packed

SITTING_NAMES = frozenset(
    {"collectivite", "assemblee", "seance", "membres", "presences", "transmission",
     "signature", "decompte", "textes"}
)
"""Context names the sitting alone fills (``textes`` only for its keys of the sitting)."""
_KEPT = 8
"""Sittings whose start is kept per template file."""


def _sitting_only(node: nodes.Node) -> bool:
    template = nodes.Template([node])
    template.set_environment(ENVIRONMENT)
    if not find_undeclared_variables(template) <= SITTING_NAMES:
        return False
    # Jinja's globals (lipsum, cycler…) and the random filter: not the sitting's values.
    if any(n.name in ENVIRONMENT.globals for n in node.find_all(nodes.Name)) or any(
        f.name == "random" for f in node.find_all(nodes.Filter)
    ):
        return False
    names = [n for n in node.find_all(nodes.Name) if n.name == "textes"]
    read = 0
    for access in node.find_all((nodes.Getattr, nodes.Getitem)):
        of: Any = access
        if not (isinstance(of.node, nodes.Name) and of.node.name == "textes"):
            continue
        key = of.attr if isinstance(of, nodes.Getattr) else getattr(of.arg, "value", None)
        if key not in TEXTES_DE_SEANCE:
            return False
        read += 1
    return read == len(names)  # textes never read whole


@dataclass(frozen=True)
class _Start:
    text: str
    packed: Packed


class SittingPrefix:
    """The body's Jinja source cut after what only the sitting fills."""

    def __init__(self, source: str, before_body: bytes) -> None:
        """:raises ValueError: when the body starts with something of the act."""
        body: list[nodes.Node] = []
        for node in ENVIRONMENT.parse(source).body:
            if isinstance(node, nodes.Output):  # text and values: each on its own
                body.extend(nodes.Output([child], lineno=child.lineno) for child in node.nodes)
            else:
                body.append(node)
        cut = 0
        while cut < len(body) and _sitting_only(body[cut]):
            cut += 1
        if cut == 0:
            raise ValueError("no start filled by the sitting alone")
        self._start, self.rest = (_compiled(body[:cut]), _compiled(body[cut:]))
        self._before_body = before_body
        self._kept: OrderedDict[object, _Start | None] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, token: object, context: dict[str, Any]) -> _Start | None:
        """Return the start of the body for the sitting *token* stands for (rendered with
        *context* the first time), or ``None`` when it cannot be cut off."""
        with self._lock:
            if token in self._kept:
                self._kept.move_to_end(token)
                return self._kept[token]
        text = self._start.render(context)
        usable = not any(c in text for c in LISTING_CHARS) and not has_braced_underscore(text)
        start = _Start(text, Packed.of(self._before_body + text.encode())) if usable else None
        with self._lock:
            self._kept[token] = start
            while len(self._kept) > _KEPT:
                self._kept.popitem(last=False)
        return start


def finished_rest(start: _Start, rest: str) -> bool:
    """Whether *rest* put after *start* is the finished text (see the module's docstring)."""
    if any(c in rest for c in LISTING_CHARS) or has_braced_underscore(rest):
        return False
    return start.text[-1:] + rest[:1] not in ("{_", "_}")


def _compiled(body: list[nodes.Node]) -> Template:
    template = nodes.Template(body)
    template.set_environment(ENVIRONMENT)
    code = ENVIRONMENT.compile(template)
    return ENVIRONMENT.template_class.from_code(
        ENVIRONMENT, code, ENVIRONMENT.make_globals(None), None
    )
