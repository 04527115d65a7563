"""Who signs an act, whether it is still signed, and how keys are configured."""

from __future__ import annotations

import datetime as dt

import pytest

from service.adapters.pdf_sign.keys import Pkcs11Key, Pkcs12Key, SigningSettings
from service.adapters.pdf_sign.signer import same_person
from service.domain.payload import DeliberationPayload
from service.domain.records import ActeRecord, StoredFile, VersionRecord
from service.domain.signatures import Signataire, signataires, statut_signature

NOW = dt.datetime(2024, 3, 15, tzinfo=dt.UTC)


def _version(numero: int, *kinds: str) -> VersionRecord:
    files = {k: StoredFile(k, "0" * 64, 1, "application/pdf", NOW) for k in ("pdf", *kinds)}
    return VersionRecord(numero, NOW, "api", "payload", None, files)


def _record(*versions: VersionRecord) -> ActeRecord:
    return ActeRecord("id", "242100410", len(versions), "generee", NOW, NOW, versions)


def test_the_president_signs_first_then_each_secretary(dijon) -> None:
    dijon["seance"]["secretaires"].append("rebsamen-francois")
    assert signataires(DeliberationPayload.model_validate(dijon)) == [
        Signataire("president", "François REBSAMEN", "Le Président"),
        Signataire("secretaire", "Nuray AKPINAR-ISTIQUAM", "La Secrétaire de séance"),
        Signataire("secretaire", "François REBSAMEN", "Le Secrétaire de séance"),
    ]


@pytest.mark.parametrize("versions, expected", [
    ([_version(1)], ("non-signee", None)),
    ([_version(1, "pdf_signe")], ("signee", 1)),
    ([_version(1, "pdf_signe"), _version(2)], ("signatures-perdues", 1)),
    ([_version(1, "pdf_signe"), _version(2, "pdf_signe")], ("signee", 2)),
])
def test_an_amended_act_loses_its_signatures(versions, expected) -> None:
    assert statut_signature(_record(*versions)) == expected


@pytest.mark.parametrize("cn, nom, same", [
    ("François REBSAMEN", "François REBSAMEN", True),
    ("REBSAMEN Francois", "François REBSAMEN", True),
    ("AKPINAR-ISTIQUAM Nuray", "Nuray AKPINAR-ISTIQUAM", True),
    ("Pierre PRIBETICH", "François REBSAMEN", False),
    ("", "", False),
])
def test_a_certificate_names_the_signatory_in_any_word_order(cn, nom, same) -> None:
    assert same_person(cn, nom) is same


def test_signing_settings_read_both_kinds_of_keys() -> None:
    settings = SigningSettings.from_config({
        "president": {"pkcs12": "/etc/actes/p.p12", "passphrase_env": "P"},
        "secretaires": [{"pkcs11": {"module": "/m.so", "token": "t", "key": "k",
                                    "pin_env": "PIN"}}],
        "horodatage": "https://tsa.example/",
    })
    assert isinstance(settings.president, Pkcs12Key)
    assert settings.secretaires == (Pkcs11Key("/m.so", "t", "k", "PIN"),)
    assert settings.horodatage == "https://tsa.example/"


@pytest.mark.parametrize("config, message", [
    ({"president": {"pkcs12": "/p.p12", "passphrase": "en clair"}}, "passphrase"),
    ({"president": {"pkcs12": "/p.p12"}}, "passphrase_env"),
    ({"secretaires": [{"pkcs11": {"module": "/m.so"}}]}, "token, key, pin_env"),
    ({"president": {"pfx": "/p.pfx"}}, "pkcs12"),
    ({"horodatage": "ftp://tsa"}, "URL"),
    ({"presdient": {}}, "presdient"),
])
def test_a_malformed_setting_is_named(config, message) -> None:
    with pytest.raises(ValueError, match=message):
        SigningSettings.from_config(config)
