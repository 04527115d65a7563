"""Per-authority ACTES settings: configuration, payload overrides, missing ones named."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from service.domain.actes.messages import ReferentActes
from service.domain.actes.settings import resolve_reglages
from service.errors import InvalidPayload, MissingSetting

P = "collectivite.teletransmission"


def test_the_configuration_alone_gives_every_setting(config: dict[str, Any]) -> None:
    reglages = resolve_reglages(config, None)
    assert (reglages.trigramme, reglages.arrondissement, reglages.nature) == ("SIC", "1", "31")
    assert reglages.adresses_retour == ("assemblees@metropole-dijon.fr",)
    assert reglages.referent == ReferentActes("Service des assemblées", "0380745151", None)
    assert reglages.profil_numero == "actes"
    assert reglages.classification_date_version == dt.date(2017, 12, 8)


def test_the_payload_overrides_the_configuration_field_by_field(
    config: dict[str, Any], make_payload
) -> None:
    payload = make_payload(
        {
            "teletransmission": {
                "trigramme": "S2L",
                "profil_numero": "s2low",
                "referent": {"email": "greffe@metropole-dijon.fr"},
                "classification_date_version": "2019-06-01",
            }
        }
    )
    reglages = resolve_reglages(config, payload.collectivite.teletransmission)
    assert reglages.trigramme == "S2L"
    assert reglages.profil_numero == "s2low"
    assert reglages.arrondissement == "1"  # from the configuration
    assert reglages.referent == ReferentActes(
        "Service des assemblées", "0380745151", "greffe@metropole-dijon.fr"
    )
    assert reglages.classification_date_version == dt.date(2019, 6, 1)


def test_the_payload_alone_can_carry_every_setting(make_payload) -> None:
    payload = make_payload(
        {
            "teletransmission": {
                "trigramme": "SIC",
                "arrondissement": "2",
                "nature": "02",
                "adresses_retour": ["dev@sictiam.fr"],
                "classification_date_version": "2017-04-19",
            }
        }
    )
    reglages = resolve_reglages(None, payload.collectivite.teletransmission)
    assert (reglages.arrondissement, reglages.nature, reglages.referent) == ("2", "02", None)


def test_without_any_setting_each_required_one_is_named() -> None:
    with pytest.raises(MissingSetting) as caught:
        resolve_reglages(None, None)
    assert {(v.champ, v.code) for v in caught.value.violations} == {
        (f"{P}.trigramme", "parametre-manquant"),
        (f"{P}.arrondissement", "parametre-manquant"),
        (f"{P}.nature", "parametre-manquant"),
        (f"{P}.adresses_retour", "parametre-manquant"),
        (f"{P}.classification_date_version", "parametre-manquant"),
    }
    assert "trigramme" in caught.value.message


@pytest.mark.parametrize(
    "key",
    ["trigramme", "arrondissement", "nature", "adresses_retour", "classification_date_version"],
)
def test_one_missing_setting_is_the_one_named(config: dict[str, Any], key: str) -> None:
    del config[key]
    with pytest.raises(MissingSetting) as caught:
        resolve_reglages(config, {})
    assert [v.champ for v in caught.value.violations] == [f"{P}.{key}"]


def test_a_classification_file_stands_for_the_version_date(config: dict[str, Any]) -> None:
    del config["classification_date_version"]
    config["classification_file"] = "classifications/242100410.xml"
    reglages = resolve_reglages(config, None)
    assert reglages.classification_date_version is None
    assert reglages.classification_file == "classifications/242100410.xml"


@pytest.mark.parametrize(
    ("key", "value", "champ"),
    [
        ("trigramme", "sictiam", "trigramme"),
        ("arrondissement", "12", "arrondissement"),
        ("nature", "2", "nature"),
        ("adresses_retour", ["pas-une-adresse"], "adresses_retour[0]"),
        ("profil_numero", "pastell", "profil_numero"),
        ("classification_date_version", "08/12/2017", "classification_date_version"),
    ],
)
def test_an_invalid_setting_is_named_without_being_called_missing(
    config: dict[str, Any], key: str, value: Any, champ: str
) -> None:
    config[key] = value
    with pytest.raises(InvalidPayload) as caught:
        resolve_reglages(config, None)
    assert not isinstance(caught.value, MissingSetting)
    assert [(v.champ, v.code) for v in caught.value.violations] == [
        (f"{P}.{champ}", "parametre-invalide")
    ]


def test_missing_and_invalid_settings_are_reported_together(config: dict[str, Any]) -> None:
    del config["trigramme"]
    config["referent"] = {"email": "@"}
    with pytest.raises(MissingSetting) as caught:
        resolve_reglages(config, None)
    assert [v.champ for v in caught.value.violations] == [f"{P}.referent.email", f"{P}.trigramme"]


def test_an_unknown_configuration_key_is_a_typo_to_fix(config: dict[str, Any]) -> None:
    config["trigram"] = "SIC"
    with pytest.raises(ValueError, match="trigram"):
        resolve_reglages(config, None)


def test_the_platform_is_production_unless_the_authority_is_set_to_the_test_one(
    config: dict[str, Any],
) -> None:
    assert resolve_reglages(config, None).plateforme == "EACT"
    config["plateforme"] = "TACT"
    assert resolve_reglages(config, None).plateforme == "TACT"


def test_an_unknown_platform_is_named(config: dict[str, Any]) -> None:
    config["plateforme"] = "XACT"
    with pytest.raises(InvalidPayload) as caught:
        resolve_reglages(config, None)
    [violation] = caught.value.violations
    assert (violation.champ, violation.code) == (f"{P}.plateforme", "parametre-invalide")
    assert "EACT (production) ou TACT (test)" in violation.message


def test_a_payload_cannot_send_an_authoritys_acts_to_another_platform(config) -> None:
    with pytest.raises(ValueError, match="plateforme"):
        resolve_reglages(config, {"plateforme": "TACT"})


def test_the_operator_is_a_configured_setting_checked_by_name(config: dict[str, Any]) -> None:
    assert resolve_reglages(config, None).operateur is None
    config["operateur"] = "pastell"
    assert resolve_reglages(config, None).operateur == "pastell"
    config["operateur"] = "fast"
    with pytest.raises(InvalidPayload) as caught:
        resolve_reglages(config, None)
    assert [v.champ for v in caught.value.violations] == [f"{P}.operateur"]
