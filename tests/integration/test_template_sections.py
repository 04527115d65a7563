"""The optional parts of the extract appear when the payload has them, and only then."""

from __future__ import annotations

from typing import Any

import pytest
from template_support import W, paragraph_text, part, render

N = "\u202f"  # the narrow no-break space of French typography


def member(i: str, civ: str, prenom: str, nom: str) -> dict[str, str]:
    return {"id": i, "civilite": civ, "prenom": prenom, "nom": nom}


def small_commune(**delib: Any) -> dict[str, Any]:
    """A commune of five members, all present, one article, no optional field."""
    data: dict[str, Any] = {
        "collectivite": {"nom": "Auxerre", "siren": "218900249", "departement": "89"},
        "assemblee": {"nom": "Conseil municipal", "effectif_legal": 5},
        "seance": {
            "date": "2023-06-01",
            "date_convocation": "2023-05-25",
            "president": "a",
            "secretaires": ["b"],
        },
        "membres": [
            member("a", "Mme", "Anne", "ARNAUD"),
            member("b", "M.", "Bruno", "BERNARD"),
            member("c", "Mme", "Chloé", "CHEVALIER"),
            member("d", "M.", "David", "DURAND"),
            member("e", "Mme", "Emma", "EVRARD"),
        ],
        "deliberation": {
            "numero": "2023_042",
            "ordre": 4,
            "matiere": "7.1",
            "objet": "Budget supplémentaire",
            "dispositif": {"articles": ["d'adopter le budget supplémentaire."]},
            "vote": {"pour": 5, "contre": 0, "abstention": 0, "ne_se_prononce_pas": 0},
        },
    }
    data["deliberation"].update(delib)
    return data


def lines(data: dict[str, Any]) -> list[str]:
    return [t for t in (paragraph_text(p) for p in part(render(data)).iter(W + "p")) if t]


def footer(data: dict[str, Any]) -> str:
    root = part(render(data), "word/footer1.xml")
    return "".join(root.itertext(W + "t", W + "instrText"))


@pytest.fixture(scope="module")
def bare() -> list[str]:
    return lines(small_commune())


def test_a_bare_payload_renders_without_the_optional_parts(bare: list[str]) -> None:
    joined = "\n".join(bare)
    for absent in (
        "Membres absents",
        "Procurations",
        "à distance",
        "suppléant",
        "pouvoir à",
        "Rapporteur",
        "Vu ",
        "Considérant",
        "ne prend pas part",
        "voté contre",
        "abstenu",
    ):
        assert absent not in joined
    assert f"OBJET{N}: Budget supplémentaire" in bare  # no rubrique: the objet follows OBJET


def test_header_of_a_commune_with_a_woman_presiding(bare: list[str]) -> None:
    assert bare[:3] == [
        "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS",
        "du Conseil municipal d’Auxerre",
        "Séance du jeudi 1er juin 2023",
    ]
    assert f"Présidente{N}: Mme ARNAUD" in bare
    assert f"Secrétaire de séance{N}: M. BERNARD" in bare
    assert "Convocation envoyée le 25 mai 2023" in bare
    assert f"Nombre de membres du Conseil municipal{N}: 5" in bare
    assert "M. David DURAND" in bare and "Mme Emma EVRARD." in bare
    assert f"{'LE CONSEIL, APRÈS EN AVOIR DÉLIBÉRÉ,'}" in bare
    assert "d’adopter le budget supplémentaire." in bare
    assert "La Présidente," in bare and "Le Secrétaire de séance," in bare
    assert any("recours gracieux auprès de Madame la Maire" in t for t in bare)


def test_footer_carries_numero_ordre_and_page_fields() -> None:
    text = footer(small_commune())
    assert text.startswith("N°\u00a0délib 2023_042 – N°\u00a0ordre 4 – page ")
    assert " PAGE " in text and " NUMPAGES " in text


def test_every_optional_part_is_printed_when_given() -> None:
    data = small_commune(
        rubrique="FINANCES",
        rapporteur="c",
        expose="Le budget est **équilibré**.",
        visas=["Vu le code général des collectivités territoriales ;"],
        considerants=["Considérant l'avis de la commission ;"],
        dispositif={
            "formule": "LE CONSEIL MUNICIPAL,",
            "verbe": "ARRÊTE",
            "articles": ["Article 1er : d'adopter", "Article 2 : de publier"],
        },
        vote={
            "pour": 2,
            "contre": 1,
            "abstention": 1,
            "ne_se_prononce_pas": 0,
            "noms_contre": ["e"],
            "noms_abstention": ["a"],
        },
    )
    data["seance"].update(heure="18:30", lieu="Salle du conseil", secretaires=["b", "c"])
    data["presences"] = {
        "absents": ["d"],
        "ne_prennent_pas_part": ["b"],
    }
    out = lines(data)
    expected_in_order = [
        "Séance du jeudi 1er juin 2023 à 18 h 30",
        "Salle du conseil",
        f"Secrétaires de séance{N}: M. BERNARD et Mme CHEVALIER",
        f"Membres absents{N}:",
        "M. David DURAND.",
        "M. Bruno BERNARD ne prend pas part au vote.",
        f"OBJET{N}: FINANCES",
        "Budget supplémentaire",
        f"Rapporteure{N}: Mme Chloé CHEVALIER",
        "Le budget est équilibré.",
        f"Vu le code général des collectivités territoriales{N};",
        f"Considérant l’avis de la commission{N};",
        "LE CONSEIL MUNICIPAL,",
        f"ARRÊTE{N}:",
        f"Article 1er{N}: d’adopter",
        f"Article 2{N}: de publier",
        f"A voté contre{N}: Mme Emma EVRARD",
        f"S’est abstenue{N}: Mme Anne ARNAUD",
        "Les Secrétaires de séance,",
        "Bruno BERNARD",
        "Chloé CHEVALIER",
    ]
    positions = [out.index(line) for line in expected_in_order]
    assert positions == sorted(positions)


def test_proxies_follow_the_absents_under_their_own_heading() -> None:
    data = small_commune(vote={"pour": 4, "contre": 0, "abstention": 0, "ne_se_prononce_pas": 0})
    data["presences"] = {"absents": ["d"], "pouvoirs": [{"mandant": "e", "mandataire": "c"}]}
    out = lines(data)
    i = out.index(f"Membres absents{N}:")
    assert out[i + 1 : i + 4] == [
        "M. David DURAND",
        f"Procurations{N}:",
        "Mme Emma EVRARD pouvoir à Mme Chloé CHEVALIER.",
    ]
    assert f"Nombre de procurations{N}: 1" in out
    assert "DONT 1 PROCURATION(S)" in out
