"""Who certifies the extract: the président by default, or a delegate with his qualité."""

from __future__ import annotations

from checks_support import dijon, found, message


def test_a_signature_after_the_sitting_by_the_president_passes():
    data = dijon()
    data["signature"] = {"lieu": "Dijon", "date": "2019-12-20"}
    assert found(data) == []


def test_a_signature_dated_before_the_sitting_is_rejected():
    data = dijon()
    data["signature"] = {"date": "2019-12-18"}
    assert found(data) == [("signature.date", "signature-avant-seance")]


def test_a_delegate_signs_with_his_qualite():
    data = dijon()
    data["signature"] = {
        "signataire": "pribetich-pierre",
        "qualite": "Pour le Président et par délégation, le Vice-Président",
    }
    assert found(data) == []


def test_a_delegate_without_qualite_is_rejected():
    data = dijon()
    data["signature"] = {"signataire": "pribetich-pierre"}
    assert found(data) == [("signature.qualite", "qualite-signataire-manquante")]
    assert "M. Pierre PRIBETICH" in message(data, "qualite-signataire-manquante")


def test_an_unknown_signataire_is_rejected():
    data = dijon()
    data["signature"] = {"signataire": "personne", "qualite": "Le Vice-Président"}
    assert found(data) == [("signature.signataire", "membre-inconnu")]
