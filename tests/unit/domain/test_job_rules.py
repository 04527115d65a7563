"""The rules of a sitting's job, as both stores (SQL and the tests' fake) apply them."""

from __future__ import annotations

import pytest

from service.domain.errors import Conflict
from service.domain.jobs import (
    Avancement,
    a_demarrer,
    check_identifiants_libres,
    statut_au_demarrage,
    statut_de_cloture,
)


def test_a_job_closes_when_no_act_waits_failed_when_one_did() -> None:
    assert statut_de_cloture({"generee": 3, "en_attente": 1}) is None
    assert statut_de_cloture({"generee": 3, "conservee": 1, "regeneree": 2}) == "terminee"
    assert statut_de_cloture({"generee": 3, "erreur": 1}) == "echouee"
    assert statut_de_cloture({"conservee": 1, "refusee": 1}) == "echouee"


def test_an_act_dealt_with_is_not_started_again_but_one_in_error_is() -> None:
    assert [s for s in ("en_attente", "generee", "regeneree", "conservee", "refusee", "erreur")
            if a_demarrer(s)] == ["en_attente", "erreur"]


def test_a_late_redelivery_does_not_reopen_a_closed_job() -> None:
    assert statut_au_demarrage("en_attente", termine=False) == "en_cours"
    assert statut_au_demarrage("terminee", termine=True) == "terminee"


def test_an_identifier_belongs_to_one_sitting() -> None:
    check_identifiants_libres("s1", [("A-1", "s1")])  # the same sitting sent again
    with pytest.raises(Conflict, match="A-2 appartient déjà à la séance s2"):
        check_identifiants_libres("s1", [("A-1", "s1"), ("A-2", "s2")])


def test_progress_counts_what_is_done_and_what_failed() -> None:
    progress = Avancement(statut="en_cours",
                          compte={"generee": 2, "conservee": 1, "refusee": 1, "en_attente": 3})
    assert (progress.done, progress.en_echec, progress.finished) == (3, 1, False)
    assert Avancement(statut="echouee", compte={"erreur": 1}).finished
