"""The payload of one deliberation, as fixed by the v1 contract (``shared/contract/README.md``).

The model is structural: types, required fields, enumerations. Rules of law (quorum, proxies,
SIREN key, numéro syntax…) live in :mod:`service.domain.checks` so that every violation is
reported at once with its field path, its stable code and its legal source.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.domain.dates_prefecture import PrefectureDates
from service.domain.textes import Intitule, Ligne, TexteCourt, TexteLong

MemberId = Annotated[TexteCourt, Field(min_length=1, max_length=200,
                                       description="id of a `membres[]` entry")]
NonNegative = Annotated[int, Field(ge=0)]

TypeCollectivite = Literal["commune", "epci", "metropole", "departement", "region", "syndicat"]
NatureActe = Literal["DE", "AR", "AI", "CC", "BF", "AU"]
ProfilNumero = Literal["actes", "s2low"]
Organe = Literal["deliberant", "commission_permanente", "bureau"]
ModeScrutin = Literal["main_levee", "public", "secret"]
Sens = Literal["pour", "contre"]


class _Model(BaseModel):
    # Unknown fields are refused: a misspelt field ("abstentions") must not vanish silently.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Referent(_Model):
    nom: TexteCourt | None = None
    telephone: TexteCourt | None = None
    email: TexteCourt | None = None


class Teletransmission(_Model):
    """This authority's ACTES settings; each one overrides the service configuration."""

    trigramme: TexteCourt | None = Field(None,
        description="operator's 3-letter code, names the archive")
    arrondissement: TexteCourt | None = Field(None, description="1 digit")
    nature: TexteCourt | None = Field(None,
        description="2-digit authority nature code of the envelope")
    referent: Referent | None = None
    adresses_retour: list[TexteCourt] | None = Field(None, max_length=50)
    profil_numero: ProfilNumero | None = None
    classification_date_version: dt.date | None = None


class Collectivite(_Model):
    nom: TexteCourt = Field(min_length=1, description='"Dijon Métropole"')
    siren: TexteCourt = Field(description="9 digits with a valid Luhn key")
    departement: TexteCourt = Field(
        description="ACTES code on 3 characters (021, 02A, 974); 21 and 2A accepted")
    type: TypeCollectivite = "commune"
    teletransmission: Teletransmission | None = None


class Assemblee(_Model):
    nom: TexteCourt = Field(min_length=1,
        description='"Conseil Métropolitain", "Conseil municipal"')
    effectif_legal: int = Field(ge=1, description="Nombre de membres du Conseil")
    en_exercice: int | None = Field(None, ge=1, description="default: number of `membres`")
    organe: Organe = Field(
        "deliberant",
        description="v1.1: the body that deliberates; drives the quorum rule (a département's "
        "commission permanente counts members present or represented, CGCT L3121-14-1)",
    )


class Seance(_Model):
    date: dt.date = Field(description="date of the sitting = date of the decision")
    heure: TexteCourt | None = Field(None, description="HH:MM")
    lieu: TexteCourt | None = None
    date_convocation: dt.date
    president: MemberId
    secretaires: list[MemberId] = Field(min_length=1)
    seconde_convocation: bool = Field(
        False, description="held after a first sitting lacked quorum: no quorum needed"
    )


class Membre(_Model):
    id: MemberId
    civilite: Literal["M.", "Mme"]
    prenom: TexteCourt
    nom: TexteCourt
    qualite: TexteCourt | None = None
    suppleant_de: MemberId | None = Field(
        None,
        description="v1.1: id of the titulaire this member replaces (EPCI, syndicat): sits and "
        "votes only when that titulaire is absent without proxy; not counted in `en_exercice`",
    )


class Pouvoir(_Model):
    mandant: MemberId = Field(description="absent member who gave the written proxy")
    mandataire: MemberId = Field(description="present member who votes for the mandant")


class Presences(_Model):
    absents: list[MemberId] = Field(default_factory=list)
    pouvoirs: list[Pouvoir] = Field(default_factory=list)
    ne_prennent_pas_part: list[MemberId] = Field(
        default_factory=list,
        description="present but leaving the vote (conflict of interest): not counted for quorum",
    )
    a_distance: list[MemberId] = Field(
        default_factory=list,
        description="v1.1: present by teleconference where the law allows it (EPCI L5211-11-1, "
        "COVID-19 windows): counted present; public ballots only",
    )


class Dispositif(_Model):
    formule: TexteCourt | None = Field(None,
        description='default "LE CONSEIL, APRÈS EN AVOIR DÉLIBÉRÉ,"')
    verbe: TexteCourt = "DÉCIDE"
    articles: list[TexteLong] = Field(min_length=1, max_length=500,
                                     description="the decisions (Markdown subset)")


class Vote(_Model):
    pour: NonNegative
    contre: NonNegative
    abstention: NonNegative
    ne_se_prononce_pas: NonNegative
    noms_contre: list[MemberId] | None = None
    noms_abstention: list[MemberId] | None = None
    noms_ne_se_prononce_pas: list[MemberId] | None = None
    mode: ModeScrutin = Field("main_levee", description="v1.1: the ballot (CGCT L2121-21)")
    noms_pour: list[MemberId] | None = Field(
        None,
        description="v1.1: who voted for, in person or by proxy; in a public ballot every voter "
        "(a mandant under his own name) is named exactly once across the `noms_*` lists",
    )
    blancs: NonNegative = Field(0, description="v1.1: blank ballots, secret ballot only")
    nuls: NonNegative = Field(0, description="v1.1: spoilt ballots, secret ballot only")
    voix_preponderante: Sens | None = Field(
        None,
        description="v1.1: the président's casting vote on a tie (CGCT L2121-20), never in a "
        "secret ballot",
    )


class Candidat(_Model):
    """A candidate of one round of a nomination."""

    nom: TexteCourt = Field(min_length=1, description='as printed: "Mme Claire DUPONT"')
    voix: NonNegative
    date_naissance: dt.date | None = Field(
        None, description="needed when a tie at the third round goes to the eldest"
    )


class Tour(_Model):
    """One round of a nomination by secret ballot."""

    candidats: list[Candidat] = Field(min_length=1)
    blancs: NonNegative = 0
    nuls: NonNegative = 0


class Election(_Model):
    """A nomination or presentation by secret ballot (CGCT L2121-21), instead of ``vote``."""

    postes: int = Field(ge=1, description="seats to fill")
    tours: list[Tour] = Field(min_length=1, description="the rounds, in order (three at most)")


class Annexe(_Model):
    titre: TexteCourt
    nom_fichier: TexteCourt
    contenu_base64: str


class Deliberation(_Model):
    numero: TexteCourt = Field(description="ACTES numéro interne, 1-15 characters")
    ordre: int = Field(ge=1, description="rank on the agenda of the sitting")
    nature: NatureActe = "DE"
    matiere: TexteCourt = Field(description='ACTES classification "4.1", up to 5 levels')
    rubrique: TexteCourt | None = None
    objet: Intitule = Field(description="one line, at most 499 characters")
    rapporteur: MemberId | None = None
    expose: TexteLong | None = Field(None, description="Markdown subset")
    visas: list[Ligne] = Field(default_factory=list, max_length=500)
    considerants: list[Ligne] = Field(default_factory=list, max_length=500)
    dispositif: Dispositif
    vote: Vote | None = Field(None, description="the vote; required unless `election` is given")
    annexes: list[Annexe] = Field(default_factory=list)
    election: Election | None = Field(
        None, description="v1.1: a nomination by secret ballot, instead of `vote`"
    )
    debats: str | None = Field(
        None, description="v1.1: the gist of the discussion (Markdown subset), for the "
        "procès-verbal (CGCT L2121-15)"
    )
    donnees_personnelles: list[str] = Field(
        default_factory=list,
        description="v1.1: personal data replaced in the published version (CRPA L312-1-2); "
        "each string must appear in the deliberation's text",
    )


class Transmission(_Model):
    date_envoi: dt.date | None = None
    date_reception: dt.date | None = None
    date_publication: dt.date | None = None

    @property
    def dates(self) -> PrefectureDates:
        """Return these dates as the act's record and stamp take them."""
        return PrefectureDates(self.date_envoi, self.date_reception, self.date_publication)


class Signature(_Model):
    """v1.1: who certifies the extract, where and when (« Fait à …, le … », « Pour extrait
    conforme »)."""

    lieu: TexteCourt | None = Field(None,
        description="default: `seance.lieu`, else the authority's name")
    date: dt.date | None = Field(None, description="default: the date the act is generated")
    signataire: MemberId | None = Field(None, description="default: the président of the sitting")
    qualite: TexteCourt | None = Field(
        None,
        description='default « Le Président » / « Le Maire »; a delegate\'s: « Pour le Président '
        'et par délégation, le Vice-Président »',
    )


class DeliberationPayload(_Model):
    """One deliberation with its authority, assembly, sitting and attendance."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="Deliberation",
        json_schema_extra={"$id": "/v1/schemas/deliberation.json"},
    )

    collectivite: Collectivite
    assemblee: Assemblee
    seance: Seance
    membres: list[Membre] = Field(min_length=1)
    presences: Presences = Field(default_factory=Presences)
    deliberation: Deliberation
    transmission: Transmission | None = None
    signature: Signature | None = None
