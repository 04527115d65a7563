"""The one change a signed act accepts after its signatures: a stamp annotation, appended.

pyHanko's standard difference analysis rates any new page annotation as ``OTHER`` (it does not
analyse annotations yet; pitfalls.md), which would make every signature look broken once the
prefecture's stamp is added. :class:`StampAnnotationRule` whitelists exactly what
:class:`~service.adapters.pdf_stamp.stamper.IncrementalStamper` writes, at level
``ANNOTATIONS``, and nothing else:

- on each changed page, the page dictionary is unchanged but for ``/Annots``;
- ``/Annots`` keeps every earlier annotation, in its place, and only gains new ones at its end;
- each new annotation is a new object (it clobbers nothing), a ``/Stamp`` with the print flag
  and none of the hiding ones, no action, no popup, its page as ``/P``, and an appearance
  dictionary holding only ``/N``, a new form XObject;
- what the appearance uses is either older and unchanged, or new in this revision.

A revision that does anything more is left unexplained, and pyHanko rates it ``OTHER``. The
rule never raises: an unexpected change is simply not approved, so that pyHanko's own rules
(signature fields, DSS, metadata) still judge what they know.

pyHanko's rule for new signature fields also walks the pages, to bind the fields' widgets to
them, and refuses any other annotation it finds added there. Validating the président's
signature compares his revision with the latest one at once, where the secretary's new field
and the stamp both appear; so that walk is turned off (``approve_widget_bindings=False``) and
this rule binds both kinds: widgets of signature fields (the field objects themselves are still
approved by pyHanko's form rule alone, or stay unexplained) at ``LTA_UPDATES`` as pyHanko does,
stamps at ``ANNOTATIONS``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import HistoricalResolver, RawPdfPath
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    ModificationLevel,
    QualifiedWhitelistRule,
    ReferenceUpdate,
    StandardDiffPolicy,
    SuspiciousModification,
)
from pyhanko.sign.diff_analysis.commons import compare_dicts
from pyhanko.sign.diff_analysis.form_rules_api import FormUpdatingRule
from pyhanko.sign.diff_analysis.rules.form_field_rules import (
    GenericFieldModificationRule,
    SigFieldCreationRule,
    SigFieldModificationRule,
)
from pyhanko.sign.diff_analysis.rules_api import RelativeContext

_ANNOTATION_KEYS = frozenset(
    {"/Type", "/Subtype", "/Rect", "/F", "/P", "/NM", "/M", "/Contents", "/AP", "/Border"}
)
"""Keys a stamp annotation may have: no /A or /AA (actions), no /Popup, no /Parent (field)."""
_PRINT = 4
_HIDING = 1 | 2 | 32 | 256  # Invisible, Hidden, NoView, ToggleNoView (ISO 32000-1, 12.5.3)
_MAX_PAGE_TREE_DEPTH = 64


class StampAnnotationRule(QualifiedWhitelistRule):
    """Approve, at level ``ANNOTATIONS``, stamp annotations appended to pages' ``/Annots``."""

    def apply_qualified(
        self, old: HistoricalResolver, new: HistoricalResolver
    ) -> Iterable[tuple[ModificationLevel, ReferenceUpdate]]:
        try:
            return list(self._approved(old, new))
        except (misc.PdfError, SuspiciousModification, KeyError, TypeError, ValueError):
            # A malformed or unexpected structure: approve nothing, let the policy judge.
            return []

    def _approved(self, old: HistoricalResolver, new: HistoricalResolver
                  ) -> Iterator[tuple[ModificationLevel, ReferenceUpdate]]:
        old_root, new_root = old.root.raw_get("/Pages"), new.root.raw_get("/Pages")
        if not isinstance(old_root, generic.IndirectObject) or old_root != new_root:
            return
        for page_ref in pages(old, old_root.reference, depth=0):
            yield from _page_updates(old, new, page_ref)


def pages(old: HistoricalResolver, node_ref: generic.Reference, depth: int
           ) -> Iterator[generic.Reference]:
    """Yield the references of the pages of the old revision's page tree, in order."""
    if depth > _MAX_PAGE_TREE_DEPTH:
        raise misc.PdfReadError("page tree too deep")
    node = old(node_ref)
    if node.get("/Type") == "/Page":
        yield node_ref
        return
    for kid in node["/Kids"]:
        if isinstance(kid, generic.IndirectObject):
            yield from pages(old, kid.reference, depth + 1)


def _page_updates(old: HistoricalResolver, new: HistoricalResolver,
                  page_ref: generic.Reference
                  ) -> Iterator[tuple[ModificationLevel, ReferenceUpdate]]:
    old_page, new_page = old(page_ref), new(page_ref)
    if "/Annots" not in new_page:
        return
    old_annots = _refs(old_page, "/Annots") if "/Annots" in old_page else []
    new_annots = _refs(new_page, "/Annots")
    if new_annots == old_annots:
        return
    added = new_annots[len(old_annots):]
    if new_annots[: len(old_annots)] != old_annots or not added:
        return  # an annotation removed, replaced or moved: neither a stamp nor a signature
    stamps: set[generic.Reference] = set()
    for ref in added:
        if not old.is_ref_unassignable(ref):
            return  # reuses the number of an older object
        if is_signature_widget(new(ref)):
            continue
        found = _stamp_dependencies(old, new, ref, page_ref)
        if found is None:
            return
        stamps |= found
    # Nothing else of the page may change (raises SuspiciousModification otherwise).
    compare_dicts(old_page, new_page, frozenset({"/Annots"}))
    level = ModificationLevel.ANNOTATIONS if stamps else ModificationLevel.LTA_UPDATES
    # A page is reachable from many places (outlines, links, the structure tree): approve it
    # as a whole, as pyHanko does for the widgets of new signature fields.
    yield level, ReferenceUpdate(page_ref)
    annots_raw = new_page.raw_get("/Annots")
    if isinstance(annots_raw, generic.IndirectObject):
        annots_ref = annots_raw.reference
        old_raw = old_page.raw_get("/Annots") if "/Annots" in old_page else None
        same = isinstance(old_raw, generic.IndirectObject) and old_raw.reference == annots_ref
        if not same and not old.is_ref_unassignable(annots_ref):
            return  # the array took the number of an older object
        yield level, ReferenceUpdate(
            annots_ref, context_checked=RelativeContext(page_ref, RawPdfPath("/Annots")))
    for ref in stamps:
        yield ModificationLevel.ANNOTATIONS, ReferenceUpdate(ref)


def is_signature_widget(annot: generic.PdfObject) -> bool:
    """Whether *annot* is the widget of a signature field (itself, or its /Parent)."""
    if not isinstance(annot, generic.DictionaryObject) or annot.get("/Subtype") != "/Widget":
        return False
    field = annot
    for _ in range(_MAX_PAGE_TREE_DEPTH):
        if "/FT" in field:
            return field["/FT"] == "/Sig"
        parent = field.get("/Parent")
        if not isinstance(parent, generic.DictionaryObject):
            return False
        field = parent
    return False


def _stamp_dependencies(old: HistoricalResolver, new: HistoricalResolver,
                        ref: generic.Reference, page_ref: generic.Reference
                        ) -> set[generic.Reference] | None:
    """Return the new objects a new stamp annotation *ref* brings, or ``None`` when *ref* is
    not one."""
    annot = new(ref)
    if not isinstance(annot, generic.DictionaryObject) or set(annot) - _ANNOTATION_KEYS:
        return None
    if annot.get("/Subtype") != "/Stamp" or annot.get("/Type", "/Annot") != "/Annot":
        return None
    flags = int(annot.get("/F", 0))
    if not flags & _PRINT or flags & _HIDING:
        return None
    page = annot.raw_get("/P") if "/P" in annot else None
    if not isinstance(page, generic.IndirectObject) or page.reference != page_ref:
        return None
    appearance = annot.get("/AP")
    if not isinstance(appearance, generic.DictionaryObject) or set(appearance) != {"/N"}:
        return None
    raw_ap = annot.raw_get("/AP")
    normal = appearance.raw_get("/N")
    if not isinstance(normal, generic.IndirectObject) or not old.is_ref_unassignable(
            normal.reference):
        return None
    stream = normal.get_object()
    if not isinstance(stream, generic.StreamObject) or stream.get("/Subtype") != "/Form":
        return None
    found = {ref}
    if isinstance(raw_ap, generic.IndirectObject):
        if not old.is_ref_unassignable(raw_ap.reference):
            return None
        found.add(raw_ap.reference)
    # Objects introduced by this revision that the appearance uses; older objects it uses
    # are not collected, and stay unexplained if this revision changed them.
    found |= new.collect_dependencies(normal, since_revision=old.revision + 1)
    return found


def _refs(page: generic.DictionaryObject, key: str) -> list[generic.Reference]:
    array = page[key]
    if not isinstance(array, generic.ArrayObject):
        raise TypeError(f"{key} is not an array")
    refs = []
    for item in array:
        if not isinstance(item, generic.IndirectObject):
            raise TypeError(f"{key} holds a direct object")
        refs.append(item.reference)
    return refs


STAMP_DIFF_POLICY = StandardDiffPolicy(
    global_rules=[*DEFAULT_DIFF_POLICY.global_rules, StampAnnotationRule()],
    form_rule=FormUpdatingRule(
        field_rules=[
            SigFieldCreationRule(approve_widget_bindings=False),
            SigFieldModificationRule(),
            GenericFieldModificationRule(),
        ],
    ),
)
"""pyHanko's default policy, with widgets bound to pages and the prefecture's stamp accepted
as an annotation-level change by :class:`StampAnnotationRule`."""
