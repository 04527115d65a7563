"""The scan for docxtpl's ``{_`` and ``_}`` markers finds exactly what str's search finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.adapters.docx.escaping import has_braced_underscore, literal


@given(st.text(alphabet="{}_%a\u202f", max_size=30))
def test_the_scan_finds_what_a_search_for_both_pairs_finds(text: str) -> None:
    assert has_braced_underscore(text) == ("{_" in text or "_}" in text)


def test_examples() -> None:
    assert not has_braced_underscore("2019-12-19_013 {{ x }} _a_ }{")
    assert has_braced_underscore("_{_")
    assert has_braced_underscore("a_}")
    assert not has_braced_underscore("")
    assert literal("{_{ a }_} x_y") == "{&#95;{ a }&#95;} x_y"
