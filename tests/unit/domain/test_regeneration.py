"""What a payload does to a stored act: the rules that keep a clerk's work."""

from __future__ import annotations

import pytest

from service.domain.errors import Conflict
from service.domain.regeneration import (
    Stored,
    check_new_version,
    decide,
    is_retry,
    option_text,
    parse_remplacer,
)

ID = "021-242100410-20191219-2019-12-19_013-DE"
V1 = {"deliberation": {"objet": "Création d'un poste"}}
V2 = {"deliberation": {"objet": "Création de deux postes"}}


def stored(origine: str = "payload", statut: str = "generee", version: int = 1,
           generated=V1) -> Stored:
    return Stored(ID, version, origine, statut, generated)


def test_a_new_act_is_generated() -> None:
    assert decide(None, V1).issue == "generee"


@pytest.mark.parametrize("origine", ["payload", "amendement"])
@pytest.mark.parametrize("statut", ["generee", "transmise", "acquittee"])
def test_an_unchanged_payload_keeps_the_act_whatever_its_version(origine, statut) -> None:
    decision = decide(stored(origine, statut, 2), dict(V1))
    assert (decision.issue, decision.writes) == ("conservee", False)


def test_a_changed_payload_over_a_generated_version_regenerates() -> None:
    decision = decide(stored(), V2)
    assert (decision.issue, decision.writes, decision.remplace) == ("regeneree", True, None)


def test_a_changed_payload_over_an_amendment_is_refused_naming_the_version_and_the_option(
) -> None:
    decision = decide(stored("amendement", version=2), V2)
    assert (decision.issue, decision.code) == ("refusee", "version-modifiee")
    assert "version 2" in decision.message
    assert option_text(ID, 2) == f"?remplacer={ID}:2"
    assert option_text(ID, 2) in decision.message


def test_the_amendment_is_replaced_only_when_its_version_is_named() -> None:
    assert decide(stored("amendement", version=2), V2, remplacer=2).remplace == 2
    stale = decide(stored("amendement", version=3), V2, remplacer=2)
    assert stale.issue == "refusee" and "version 2" in stale.message


@pytest.mark.parametrize("statut", ["transmise", "acquittee"])
def test_a_changed_payload_over_a_transmitted_act_is_refused_even_when_named(statut) -> None:
    for origine, remplacer in (("payload", None), ("amendement", 2)):
        decision = decide(stored(origine, statut, 2), V2, remplacer=remplacer)
        assert (decision.issue, decision.code) == ("refusee", "acte-transmis")


def test_the_option_is_parsed_per_act() -> None:
    assert parse_remplacer([f"{ID}:2", "x:1"]) == {ID: 2, "x": 1}
    for bad in ("2", f"{ID}:", f"{ID}:0", f"{ID}:deux"):
        with pytest.raises(ValueError, match="remplacer"):
            parse_remplacer([bad])


# -- the same rules where the act is written (under its lock) ------------------------------


def test_a_version_from_the_current_payload_again_is_a_retry() -> None:
    assert is_retry("a" * 64, "a" * 64)


@pytest.mark.parametrize(("current", "new"), [
    ("a" * 64, "b" * 64),  # another payload
    (None, "a" * 64),      # the current version is a clerk's amendment
    (None, None),          # an amendment over an amendment: never a retry
])
def test_anything_else_is_a_new_version(current, new) -> None:
    assert not is_retry(current, new)


@pytest.mark.parametrize("statut", ["transmise", "acquittee"])
def test_a_payload_over_a_transmitted_act_is_refused_where_it_is_written(statut) -> None:
    with pytest.raises(Conflict) as refused:
        check_new_version(ID, statut, "payload")
    # The same reason as the decision made before rendering.
    assert refused.value.message == decide(stored(statut=statut), V2).message


@pytest.mark.parametrize(("statut", "origine"), [
    ("generee", "payload"), ("generee", "amendement"),
    ("transmise", "amendement"), ("acquittee", "amendement"),
])
def test_an_amendment_or_a_payload_before_transmission_may_be_written(statut, origine) -> None:
    check_new_version(ID, statut, origine)
