"""The act as the law writes it (contract v1.1), read in the PDF as a clerk would read it.

Each case of issue 15 is rendered from the Dijon example changed one fact at a time, converted
by LibreOffice and read back with pdftotext: the result in words, the ballots, a nomination,
suppléants and remote members, the signatures of each regime, the executory mentions.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pdftext import pdf_text
from pypdf import PdfReader
from template_support import TEMPLATES, dijon_data, find_in_order, render, tokens

from service.adapters.docx import DocxtplRenderer
from service.adapters.docx.liste import DocxtplListeRenderer
from service.adapters.libreoffice.pool import LibreOfficePool
from service.adapters.pdf_stamp.stamper import IncrementalStamper
from service.domain.checks import check_deliberation
from service.domain.liste import liste_deliberations
from service.domain.payload import DeliberationPayload
from service.domain.seance import SeancePayload
from service.services.generate import produce_documents

pytestmark = pytest.mark.libreoffice

def _move(data: dict[str, Any], day: str) -> dict[str, Any]:
    seance = dt.date.fromisoformat(day)
    data["seance"]["date"] = day
    data["seance"]["date_convocation"] = (seance - dt.timedelta(days=7)).isoformat()
    data["deliberation"]["numero"] = f"{seance:%Y-%m-%d}_013"
    data.pop("transmission", None)
    return data


def _voters(data: dict[str, Any]) -> list[str]:
    """Every voter of *data*: present members who vote, then mandants under their own name."""
    p = data["presences"]
    out = set(p["absents"]) | {pv["mandant"] for pv in p["pouvoirs"]}
    out |= set(p.get("ne_prennent_pas_part", []))
    out |= {m["id"] for m in data["membres"] if m.get("suppleant_de")}
    present = [m["id"] for m in data["membres"] if m["id"] not in out]
    sieges = [m["id"] for m in data["membres"]
              if m.get("suppleant_de") in p["absents"] and m["id"] not in p["absents"]]
    return present + sieges + [pv["mandant"] for pv in p["pouvoirs"]]


def _vote(data: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data["deliberation"]["vote"].update(fields)
    return data


def unanime() -> dict[str, Any]:
    return _move(dijon_data(), "2024-03-14")


def majorite_avec_abstentions() -> dict[str, Any]:
    return _vote(unanime(), pour=60, contre=10, abstention=6)


def unanimite_des_exprimes() -> dict[str, Any]:
    return _vote(unanime(), pour=70, abstention=6)


def partage_voix_preponderante() -> dict[str, Any]:
    return _vote(unanime(), pour=38, contre=38, voix_preponderante="pour")


def scrutin_public() -> dict[str, Any]:
    data = unanime()
    voters = _voters(data)
    contre = ["pribetich-pierre", "bordat-benoit"]
    return _vote(data, mode="public", pour=len(voters) - 2, contre=2,
                 noms_pour=[v for v in voters if v not in contre], noms_contre=contre)


def scrutin_secret() -> dict[str, Any]:
    return _vote(unanime(), mode="secret", pour=60, contre=10, blancs=4, nuls=2)


def nomination_trois_tours() -> dict[str, Any]:
    data = unanime()
    del data["deliberation"]["vote"]
    data["deliberation"].update(matiere="5.3", objet="Désignation d’un représentant au SICECO")
    data["deliberation"]["election"] = {
        "postes": 1,
        "tours": [
            {"candidats": [{"nom": "Mme Claire DUPONT", "voix": 36},
                           {"nom": "M. Bernard MOREAU", "voix": 36},
                           {"nom": "M. Jean ROUX", "voix": 4}]},
            {"candidats": [{"nom": "Mme Claire DUPONT", "voix": 37},
                           {"nom": "M. Bernard MOREAU", "voix": 37}], "blancs": 2},
            {"candidats": [{"nom": "Mme Claire DUPONT", "voix": 38,
                            "date_naissance": "1966-04-12"},
                           {"nom": "M. Bernard MOREAU", "voix": 38,
                            "date_naissance": "1958-11-30"}]},
        ],
    }
    return data


def epci_suppleant_et_distance() -> dict[str, Any]:
    data = unanime()
    data["membres"].append({"id": "morel-paul", "civilite": "M.", "prenom": "Paul",
                            "nom": "MOREL", "suppleant_de": "martin-didier"})
    data["presences"]["a_distance"] = ["falconnet-thierry", "koenders-nathalie"]
    voters = _voters(data)
    return _vote(data, mode="public", pour=len(voters), noms_pour=voters)


def seance_2021() -> dict[str, Any]:
    return _move(dijon_data(), "2021-06-10")


def seance_2024_delegation() -> dict[str, Any]:
    data = unanime()
    data["signature"] = {
        "lieu": "Dijon", "date": "2024-03-15", "signataire": "pribetich-pierre",
        "qualite": "Pour le Président et par délégation, le Vice-Président",
    }
    return data


def executoire() -> dict[str, Any]:
    data = unanime()
    data["transmission"] = {"date_envoi": "2024-03-15", "date_reception": "2024-03-15",
                            "date_publication": "2024-03-18"}
    return data


CASES: dict[str, Callable[[], dict[str, Any]]] = {
    f.__name__: f
    for f in (unanime, majorite_avec_abstentions, unanimite_des_exprimes,
              partage_voix_preponderante, scrutin_public, scrutin_secret,
              nomination_trois_tours, epci_suppleant_et_distance, seance_2021,
              seance_2024_delegation)
}


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory):
    pool = LibreOfficePool(size=1, timeout=120, work_dir=tmp_path_factory.mktemp("lo"))
    pool.start()
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def texts(pool: LibreOfficePool) -> dict[str, str]:
    """The text of each case's PDF, converted in one go."""
    names = list(CASES)
    payloads = [CASES[n]() for n in names]
    for data in payloads:  # every case is a lawful act
        assert check_deliberation(DeliberationPayload.model_validate(data)) == [], data
    pdfs = pool.to_pdf_many([render(d) for d in payloads], labels=names)
    return dict(zip(names, (pdf_text(p) for p in pdfs), strict=True))


def in_order(text: str, *lines: str) -> None:
    missing = find_in_order(tokens(text), list(lines))
    assert missing is None, missing


def test_a_unanimous_act(texts: dict[str, str]) -> None:
    in_order(texts["unanime"],
             "Nombre de présents participant au vote : 66",
             "Le quorum étant atteint (40 membres présents requis), l’assemblée peut valablement "
             "délibérer.",
             "SCRUTIN : POUR : 76", "Votants : 76", "Adoptée à l’unanimité")


def test_a_majority_act_with_abstentions(texts: dict[str, str]) -> None:
    in_order(texts["majorite_avec_abstentions"],
             "POUR : 60 ABSTENTION : 6", "CONTRE : 10", "Votants : 76", "Adoptée à la majorité")
    in_order(texts["unanimite_des_exprimes"],
             "POUR : 70 ABSTENTION : 6", "Adoptée à l’unanimité des suffrages exprimés")


def test_a_tie_settled_by_the_casting_vote_is_adopted_on_the_extract(texts) -> None:
    in_order(texts["partage_voix_preponderante"],
             "POUR : 38", "CONTRE : 38", "Votants : 76",
             "Adoptée, la voix du Président étant prépondérante")
    assert "Rejetée" not in texts["partage_voix_preponderante"]


def test_a_tie_settled_by_the_casting_vote_is_adopted_in_the_list(pool) -> None:
    data = partage_voix_preponderante()
    seance = {k: v for k, v in data.items() if k not in ("deliberation", "transmission")}
    second = copy.deepcopy(data["deliberation"])
    second.update(numero="2024-03-14_014", ordre=14, objet="Sans voix prépondérante")
    del second["vote"]["voix_preponderante"]
    seance["deliberations"] = [data["deliberation"], second]
    liste = liste_deliberations(SeancePayload.model_validate(seance))
    docx = DocxtplListeRenderer([TEMPLATES]).render_liste(liste)

    text = pdf_text(pool.to_pdf(docx, label="liste"))

    in_order(text,
             "2 délibérations examinées : 1 adoptée, 1 rejetée.",
             "Adoptée, la voix du Président étant prépondérante – pour : 38, contre : 38",
             "Rejetée, faute de majorité (partage égal des voix) – pour : 38, contre : 38",
             "L. 2121-25")


def test_a_public_ballot_names_each_voter_by_direction(texts: dict[str, str]) -> None:
    text = texts["scrutin_public"]
    in_order(text, "Scrutin public", "SCRUTIN : POUR : 74",
             "Ont voté pour : M. François REBSAMEN, M. Thierry FALCONNET",
             # a mandant under his own name (contract v1.1)
             "Ont voté contre : M. Pierre PRIBETICH, M. Benoît BORDAT",
             "Votants : 76", "Adoptée à la majorité")
    pour = text[text.index("Ont voté pour"):text.index("Ont voté contre")]
    assert "M. Gilbert MENUT" in pour and "M. Pierre PRIBETICH" not in pour


def test_a_secret_ballot_counts_blank_and_spoilt_ballots_and_names_nobody(texts) -> None:
    text = texts["scrutin_secret"]
    in_order(text, "Scrutin secret", "SCRUTIN : POUR : 60", "CONTRE : 10",
             "Bulletins blancs : 4 – bulletins nuls : 2 – suffrages exprimés : 70",
             "Votants : 76", "Adoptée à la majorité")
    assert "Ont voté" not in text and "abstenu" not in text


def test_a_three_round_nomination_won_by_the_eldest(texts: dict[str, str]) -> None:
    text = texts["nomination_trois_tours"]
    in_order(text,
             "Nomination au scrutin secret – 1 poste à pourvoir",
             "1er tour – votants : 76, blancs : 0, nuls : 0, suffrages exprimés : 76, majorité "
             "absolue : 39",
             "Mme Claire DUPONT : 36 voix", "M. Bernard MOREAU : 36 voix", "M. Jean ROUX : 4 voix",
             "2e tour – votants : 76, blancs : 2, nuls : 0, suffrages exprimés : 74, majorité "
             "absolue : 38",
             "3e tour – votants : 76, blancs : 0, nuls : 0, suffrages exprimés : 76, majorité "
             "relative",
             "M. Bernard MOREAU est élu au 3e tour avec 38 voix, au bénéfice de l’âge.")
    assert "SCRUTIN : POUR" not in text and "élue" not in text


def test_an_epci_sitting_with_a_suppleant_and_remote_members(texts: dict[str, str]) -> None:
    text = texts["epci_suppleant_et_distance"]
    in_order(text,
             "Nombre de présents participant au vote : 67",
             "Membres présents :", "M. François REBSAMEN M. Pierre PRIBETICH",
             "M. Paul MOREL, suppléant de M. Didier MARTIN",
             "Membres présents à distance :", "M. Thierry FALCONNET Mme Nathalie KOENDERS.",
             "Membres absents :", "M. Alain HOUPERT M. Édouard CAVIN",
             "Procurations :", "M. Benoît BORDAT pouvoir à Mme Océane CHARRET-GODARD",
             "Scrutin public", "Votants : 77", "Adoptée à l’unanimité")
    presents = text[text.index("Membres présents :"):text.index("Membres présents à distance")]
    assert "FALCONNET" not in presents
    assert "M. Didier MARTIN" not in text[text.index("Membres absents"):]


def test_a_2021_sitting_says_every_member_present_signed_the_register(texts) -> None:
    text = texts["seance_2021"]
    in_order(text,
             "Séance du jeudi 10 juin 2021",
             # a COVID-19 window: one third of the members present (loi 2020-1379, art. 6)
             "Le quorum étant atteint (27 membres présents requis)",
             "Adoptée à l’unanimité",
             "Fait et délibéré en séance les jour, mois et an susdits ; au registre ont signé les "
             "membres présents.",
             "Pour extrait conforme,", "Le Président,", "François REBSAMEN")
    assert "Secrétaire de séance," not in text


def test_a_2024_sitting_carries_the_signatures_of_l2121_23_and_a_delegates_certification(
    texts: dict[str, str],
) -> None:
    text = texts["seance_2024_delegation"]
    in_order(text,
             "Adoptée à l’unanimité",
             "Le Président,", "La Secrétaire de séance,", "François REBSAMEN",
             "Nuray AKPINAR-ISTIQUAM",
             "Pour extrait conforme,", "Fait à Dijon, le 15 mars 2024",
             "Pour le Président et par délégation, le Vice-Président,", "Pierre PRIBETICH",
             "recours gracieux")
    assert "au registre ont signé" not in text


def test_an_act_stamped_with_transmission_and_publication_dates_is_certified_executory(
    pool: LibreOfficePool,
) -> None:
    payload = DeliberationPayload.model_validate(executoire())
    docs = produce_documents(payload, DocxtplRenderer([TEMPLATES]), pool, IncrementalStamper())
    assert docs.pdf_tamponne is not None

    first_page = pdf_text(docs.pdf_tamponne, 1, 1)
    text = pdf_text(docs.pdf_tamponne)

    in_order(first_page,
             "Accusé de réception en préfecture", "021-242100410-20240314-2024-03-14_013-DE",
             "Date de télétransmission : 15/03/2024", "Date de réception préfecture : 15/03/2024",
             "Date de publication : 18/03/2024")
    in_order(text,
             "Pour extrait conforme,", "Le Président,", "François REBSAMEN",
             "Transmis au représentant de l’État le 15/03/2024",
             "Reçu par le représentant de l’État le 15/03/2024",
             "Publié le 18/03/2024",
             "Certifié exécutoire, compte tenu de sa réception par le représentant de l’État le "
             "15/03/2024 et de sa publication le 18/03/2024",
             "recours gracieux")


def test_an_act_not_yet_published_is_not_certified_executory(texts: dict[str, str]) -> None:
    # No case above has a publication date (the Dijon example is transmitted only).
    assert all("Certifié exécutoire" not in t for t in texts.values())


# --- item 8: no paragraph of the recourse mention or of a signature block split across pages --

BLOCS = (
    "Le Président, La Secrétaire de séance, François REBSAMEN Nuray AKPINAR-ISTIQUAM",
    "Pour extrait conforme, Fait à Dijon, le 15 mars 2024 Le Président, François REBSAMEN",
    "Certifié exécutoire, compte tenu de sa réception par le représentant de l’État le "
    "15/03/2024 et de sa publication le 18/03/2024",
    "La présente délibération peut faire l’objet d’un recours gracieux auprès de Monsieur le "
    "Président ou d’un recours contentieux devant le tribunal administratif territorialement "
    "compétent dans un délai de deux mois à compter de sa publication et de sa transmission au "
    "représentant de l’État. Le tribunal administratif peut être saisi par l’application "
    "« Télérecours citoyens » accessible par le site internet www.telerecours.fr.",
)
"""The signature table, the certification, an executory mention and the recourse mention, as
pdftotext reads each of them when it stands whole on one page."""


def _sans_maintien(dest: Path) -> Path:
    """Write the default template without keep-with-next, keep-together and cant-split."""
    dest.mkdir()
    with zipfile.ZipFile(TEMPLATES / "deliberation.docx") as src, zipfile.ZipFile(
        dest / "deliberation.docx", "w", zipfile.ZIP_DEFLATED
    ) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = re.sub(rb"<w:keepNext/>|<w:keepLines/>|<w:cantSplit/>", b"", data)
            out.writestr(info, data)
    return dest


def _blocs_coupes(pool: LibreOfficePool, template_dir: Path) -> dict[int, list[str]]:
    """Render the executory act with 0, 2, 4 … 38 one-line paragraphs of exposé (each step
    moves the end of the act down by about 38 pt, so page breaks sweep through its last
    blocks) and return, by number of paragraphs, the blocks not found whole on one page."""
    base = executoire()
    base["signature"] = {"date": "2024-03-15", "lieu": "Dijon"}
    variants = range(0, 40, 2)
    docs = []
    for k in variants:
        data = copy.deepcopy(base)
        data["deliberation"]["expose"] = "\n\n".join(
            f"Paragraphe {i + 1} de l’exposé." for i in range(k)
        )
        docs.append(render(data, [template_dir]))
    coupes = {}
    for k, pdf in zip(variants, pool.to_pdf_many(docs), strict=True):
        pages = [pdf_text(pdf, n, n) for n in range(1, _pages(pdf) + 1)]
        coupes[k] = [b[:40] for b in BLOCS if not any(b in page for page in pages)]
    return coupes


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_signature_blocks_and_the_recourse_mention_are_never_split_across_pages(
    pool: LibreOfficePool, tmp_path: Path
) -> None:
    coupes = _blocs_coupes(pool, TEMPLATES)
    assert {k: c for k, c in coupes.items() if c} == {}
    # The same sweep over the same template stripped of its keep properties does split some
    # block: the page breaks did fall inside them, so the properties are what keeps them whole.
    assert any(_blocs_coupes(pool, _sans_maintien(tmp_path / "sans")).values())
