"""A sitting of 2024 for the procès-verbal and publication tests: a public ballot, a secret
ballot, a nomination, a suppléant sitting for an absent titulaire, debates, personal data."""

from __future__ import annotations

import copy
from typing import Any

from seance_support import SIRET

DATE = "2024-03-14"
SEANCE_ID = "021-242100410-20240314"
PERSONNE = "Mme Josette VERDIER-LAMBERT"
"""A third party named in the act (a purchaser): removed from the published version."""
ADRESSE = "12 rue des Lilas"


def identifiant(numero: str) -> str:
    return f"021-242100410-20240314-{numero}-DE"


def _voters(data: dict[str, Any]) -> list[str]:
    """Every voter: present members (suppléants sitting for an absent titulaire included), then
    the mandants under their own name, as L2121-21 wants a public ballot to name them."""
    p = data["presences"]
    out = set(p["absents"]) | {pv["mandant"] for pv in p["pouvoirs"]}
    out |= {m["id"] for m in data["membres"] if m.get("suppleant_de")}
    present = [m["id"] for m in data["membres"] if m["id"] not in out]
    sieges = [m["id"] for m in data["membres"]
              if m.get("suppleant_de") in p["absents"] and m["id"] not in p["absents"]]
    return present + sieges + [pv["mandant"] for pv in p["pouvoirs"]]


def seance_2024(dijon: dict[str, Any]) -> dict[str, Any]:
    """Return the sitting: deliberations 1 (public ballot, personal data), 2 (secret ballot),
    3 (nomination); a suppléant sits for Didier MARTIN."""
    base = copy.deepcopy(dijon)
    delib = base.pop("deliberation")
    base.pop("transmission", None)
    base["collectivite"]["siret"] = SIRET
    base["seance"]["date"] = DATE
    base["seance"]["date_convocation"] = "2024-03-07"
    base["seance"]["heure"] = None
    base["membres"].append({"id": "morel-paul", "civilite": "M.", "prenom": "Paul",
                            "nom": "MOREL", "suppleant_de": "martin-didier"})
    voters = _voters(base)
    contre = ["pribetich-pierre", "chapuis-patrick"]

    public = copy.deepcopy(delib)
    public.update(numero="2024_001", ordre=1, matiere="3.2",
                  objet="Cession d’une parcelle rue des Lilas",
                  expose=f"La parcelle du {ADRESSE} est cédée à {PERSONNE}, seule candidate.",
                  debats="M. PRIBETICH s’oppose à la vente : **le prix est trop bas**.\n\n"
                         "Le Président répond que l’estimation des Domaines a été suivie.",
                  donnees_personnelles=[PERSONNE, ADRESSE])
    public["dispositif"] = {"articles": [
        f"d’approuver la cession de la parcelle du {ADRESSE} à {PERSONNE} pour 45 000 euros."]}
    public["vote"] = {"mode": "public", "pour": len(voters) - 2, "contre": 2, "abstention": 0,
                      "ne_se_prononce_pas": 0,
                      "noms_pour": [v for v in voters if v not in contre], "noms_contre": contre}

    secret = copy.deepcopy(delib)
    secret.pop("expose", None)
    n = len(voters)
    secret.update(numero="2024_002", ordre=2, matiere="4.1",
                  objet="Création d’un poste de responsable de la gouvernance des données",
                  debats="Aucune intervention.")
    secret["vote"] = {"mode": "secret", "pour": n - 16, "contre": 10, "abstention": 0,
                      "ne_se_prononce_pas": 0, "blancs": 4, "nuls": 2}

    nomination = copy.deepcopy(delib)
    nomination.pop("expose", None)
    nomination.pop("vote")
    nomination.update(numero="2024_003", ordre=3, matiere="5.3",
                      objet="Désignation d’un représentant au SICECO")
    nomination["dispositif"] = {"articles": ["de désigner Mme Claire DUPONT."]}
    nomination["election"] = {"postes": 1, "tours": [
        {"candidats": [{"nom": "Mme Claire DUPONT", "voix": n - 20},
                       {"nom": "M. Bernard MOREAU", "voix": 18}], "blancs": 2}]}

    base["deliberations"] = [public, secret, nomination]
    return base
