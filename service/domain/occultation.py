"""Personal data removed from the published version of an act (CRPA L312-1-2).

Sources (``shared/notes/legal.md`` §6): CRPA L312-1-2, « lorsque les documents … comportent des
données à caractère personnel, ils ne peuvent être rendus publics qu'après avoir fait l'objet
d'un traitement permettant de rendre impossible l'identification de ces personnes »; the CADA
(conseils 20221096, 20226150, 20226184) applies it to acts published under CGCT L2131-1 rather
than R2131-1's « dans leur intégralité », and to published procès-verbaux alike. The act kept
in the register and transmitted to the prefecture keeps the full text.

The strings are replaced in the text itself, before the document is rendered, so the published
PDF holds no trace of them (a box drawn over live text would leave it in the file).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from service.domain.payload import Deliberation, DeliberationPayload
from service.domain.violations import Violation

REMPLACEMENT = "[donnée occultée]"
"""What a personal datum becomes in the published version."""


def textes_de(delib: Deliberation) -> Iterator[tuple[str, str]]:
    """Yield ``(field path, text)`` of every text of *delib* the act prints and publishes."""
    yield "deliberation.objet", delib.objet
    if delib.rubrique:
        yield "deliberation.rubrique", delib.rubrique
    if delib.expose:
        yield "deliberation.expose", delib.expose
    for i, visa in enumerate(delib.visas):
        yield f"deliberation.visas[{i}]", visa
    for i, considerant in enumerate(delib.considerants):
        yield f"deliberation.considerants[{i}]", considerant
    if delib.dispositif.formule:
        yield "deliberation.dispositif.formule", delib.dispositif.formule
    for i, article in enumerate(delib.dispositif.articles):
        yield f"deliberation.dispositif.articles[{i}]", article
    for i, annexe in enumerate(delib.annexes):
        yield f"deliberation.annexes[{i}].titre", annexe.titre
    if delib.election is not None:
        for t, tour in enumerate(delib.election.tours):
            for c, candidat in enumerate(tour.candidats):
                yield f"deliberation.election.tours[{t}].candidats[{c}].nom", candidat.nom
    if delib.debats:
        yield "deliberation.debats", delib.debats


def check_donnees_personnelles(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation for each ``deliberation.donnees_personnelles`` string that is blank or
    found in none of the deliberation's texts.

    Source: CRPA L312-1-2 (``shared/notes/legal.md`` §6) and the contract v1.1
    (``deliberation.donnees_personnelles``, removed from the published version): the published
    version must make the persons impossible to identify; a string the text does not hold would
    be « removed » from nowhere, and the clerk must learn it before publishing (a misspelt name
    stays published).
    """
    delib = payload.deliberation
    textes = [texte for _, texte in textes_de(delib)]
    out = []
    for i, donnee in enumerate(delib.donnees_personnelles):
        champ = f"deliberation.donnees_personnelles[{i}]"
        if not donnee.strip():
            out.append(Violation(champ, "donnee-personnelle-vide",
                                 f"{champ} : une donnée à occulter ne peut pas être vide."))
        elif not any(donnee in texte for texte in textes):
            out.append(Violation(
                champ, "donnee-personnelle-absente",
                f"{champ} « {donnee} » : introuvable dans le texte de la délibération (objet, "
                "exposé, visas, considérants, articles, débats) ; elle ne pourrait pas être "
                "occultée dans la version publiée. Vérifiez l'orthographe exacte.",
            ))
    return out


def occulter_texte(texte: str, donnees: Sequence[str]) -> str:
    """Return *texte* with each of *donnees* replaced by :data:`REMPLACEMENT`, the longest
    first (so that « Jean DUPONT » goes whole before « DUPONT »)."""
    for donnee in sorted({d for d in donnees if d.strip()}, key=len, reverse=True):
        texte = texte.replace(donnee, REMPLACEMENT)
    return texte


def payload_occulte(payload: DeliberationPayload) -> DeliberationPayload:
    """Return *payload* with its ``donnees_personnelles`` replaced in every text it prints."""
    donnees = payload.deliberation.donnees_personnelles
    if not donnees:
        return payload
    delib = payload.deliberation
    occulte = {"objet": occulter_texte(delib.objet, donnees),
               "rubrique": delib.rubrique and occulter_texte(delib.rubrique, donnees),
               "expose": delib.expose and occulter_texte(delib.expose, donnees),
               "visas": [occulter_texte(v, donnees) for v in delib.visas],
               "considerants": [occulter_texte(c, donnees) for c in delib.considerants],
               "debats": delib.debats and occulter_texte(delib.debats, donnees),
               "donnees_personnelles": []}
    dispositif = delib.dispositif.model_copy(update={
        "formule": delib.dispositif.formule and occulter_texte(delib.dispositif.formule, donnees),
        "articles": [occulter_texte(a, donnees) for a in delib.dispositif.articles],
    })
    annexes = [a.model_copy(update={"titre": occulter_texte(a.titre, donnees)})
               for a in delib.annexes]
    election = delib.election
    if election is not None:
        election = election.model_copy(update={"tours": [
            t.model_copy(update={"candidats": [
                c.model_copy(update={"nom": occulter_texte(c.nom, donnees)})
                for c in t.candidats]})
            for t in election.tours]})
    nouvelle = delib.model_copy(update={**occulte, "dispositif": dispositif,
                                        "annexes": annexes, "election": election})
    return payload.model_copy(update={"deliberation": nouvelle})
