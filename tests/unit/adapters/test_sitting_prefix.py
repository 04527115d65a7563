"""Which start of a body the sitting alone fills (sitting_prefix.py), and the keys it trusts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.adapters.docx.sitting_prefix import SittingPrefix, finished_rest
from service.adapters.docx.textes import TEXTES_DE_SEANCE, textes_de_l_acte, textes_de_seance
from service.domain.decompte import decompter
from service.domain.seance import SeancePayload, deliberation_payloads

REPO = Path(__file__).resolve().parents[3]


def test_the_keys_of_the_sitting_are_those_textes_de_seance_gives() -> None:
    data = json.loads((REPO / "examples" / "seance.json").read_text())
    for payload in deliberation_payloads(SeancePayload.model_validate(data)):
        by_id = {m.id: m for m in payload.membres}
        d = decompter(payload)
        before, after = textes_de_seance(payload, by_id, d, payload.seance.date)
        assert set(before) | set(after) == TEXTES_DE_SEANCE
        assert not TEXTES_DE_SEANCE & set(textes_de_l_acte(payload, by_id, d))


def _cut(source: str) -> str:
    """Return what the start renders with a context where only the sitting's names exist."""
    prefix = SittingPrefix(source, b"")
    context = {"textes": {"quorum": "Q", "presents": [["A", "B"]]}, "membres": [{"nom": "N"}],
               "seance": {"lieu": "L"}, "decompte": {"votants": 3}}
    return prefix.start(object(), context).text  # type: ignore[union-attr]


@pytest.mark.parametrize("source,start", [
    ("<a>{{ textes.quorum }}</a><b>{{ deliberation.objet }}</b>", "<a>Q</a><b>"),
    ("{% for l in textes.presents %}{{ l[0] }}{% endfor %}{{ identifiant }}", "A"),
    ("{% if seance.lieu %}{{ seance.lieu }}{% endif %}{{ textes['quorum'] }}|{{ blocs.x }}",
     "LQ|"),
    ("{% for m in membres %}{{ m.nom }}{% endfor %}{{ decompte.votants }}"
     "{{ textes.rapporteur }}", "N3"),
    ("{{ textes.quorum }}{{ textes }}", "Q"),  # textes read whole: of the act
    ("{{ textes.quorum }}{{ range(2) | list }}", "Q"),  # a global: not known to be the sitting's
    ("{{ textes.quorum }}{% for textes in membres %}{{ textes.nom }}{% endfor %}", "Q"),
])
def test_the_start_stops_at_the_first_node_reading_anything_else(source: str, start: str) -> None:
    assert _cut(source) == start


@pytest.mark.parametrize("source", [
    "{{ deliberation.objet }}{{ textes.quorum }}",
    "{{ textes.formule }}",
    "{{ textes.resultat }}</a>",
    "{{ lipsum(1) }}",
    "{{ membres | random }}",
])
def test_a_body_starting_with_the_act_is_not_cut(source: str) -> None:
    with pytest.raises(ValueError):
        SittingPrefix(source, b"")


@pytest.mark.parametrize("quorum,objet,whole", [
    ("Q", "objet", True),
    ("x{", "_y", False),  # a marker across the cut: docxtpl's finishing sees it
    ("x_", "}y", False),
    ("x", "a\tb", False),  # a tab: docxtpl's finishing cuts the run
    ("x", "{_{", False),
])
def test_the_rest_is_put_after_the_start_only_when_nothing_is_finished(
    quorum: str, objet: str, whole: bool
) -> None:
    prefix = SittingPrefix("{{ textes.quorum }}{{ deliberation.objet }}", b"")
    context = {"textes": {"quorum": quorum}, "deliberation": {"objet": objet}}
    start = prefix.start(object(), context)
    assert start is not None
    assert finished_rest(start, prefix.rest.render(context)) is whole
