"""French typography of printed text: spaces before high punctuation, guillemets, apostrophes."""

from __future__ import annotations

import pytest

from service.adapters.docx.typography import fr, typographie, without_controls

N = "\u202f"


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Président : M. REBSAMEN", f"Président{N}: M. REBSAMEN"),
        ("Président: M. REBSAMEN", f"Président{N}: M. REBSAMEN"),
        ("Président\u00a0: M. X", f"Président{N}: M. X"),
        ("Vu le code ;", f"Vu le code{N};"),
        ("Vu le code;", f"Vu le code{N};"),
        ("Pourquoi?", f"Pourquoi{N}?"),
        ("Vraiment ?!", f"Vraiment{N}?!"),
        ("Adopté !", f"Adopté{N}!"),
        ("« ville intelligente »", f"«{N}ville intelligente{N}»"),
        ("«ville»", f"«{N}ville{N}»"),
        ("l'État et l'intérêt d'agir", "l’État et l’intérêt d’agir"),
        ("de l'*italique*", "de l’*italique*"),
        ("NE SE PRONONCE PAS :0", f"NE SE PRONONCE PAS{N}:0"),
    ],
)
def test_french_spacing_and_apostrophes(typed: str, printed: str) -> None:
    assert typographie(typed) == printed


@pytest.mark.parametrize(
    "literal",
    [
        "{{ 7*7 }}",
        "{% if x %}x{% endif %}",
        "M. R & <co>",
        "<w:p>",
        "&amp; &#95;",
        "séance à 14:30",
        "https://www.telerecours.fr/?a=b",
        "😀 مرحبا بالعالم שלום",
        "2019-12-19_013",
        "3'30",
    ],
)
def test_code_urls_times_and_other_scripts_are_left_alone(literal: str) -> None:
    assert typographie(literal) == literal


@pytest.mark.parametrize(
    "text",
    ["Président : « ville » ; l'État !", f"déjà{N}: fait{N};", "a ? b ! c : d « e »", ""],
)
def test_typography_is_idempotent(text: str) -> None:
    once = typographie(text)
    assert typographie(once) == once


def test_control_characters_are_removed_but_tabs_and_newlines_kept() -> None:
    assert without_controls("a\x00b\x07c\x0cd\x1b\ud800e\tf\ng\r\nh\ri") == "abcde\tf\ng\nh\ni"


def test_fr_cleans_then_typographs() -> None:
    assert fr("Objet\x07 : test") == f"Objet{N}: test"
