"""Settings are checked when they are made (app, CLI, worker start): a bad one is an
:class:`InvalidSettings` naming its ``ACTES_`` variable, never a bare ``ValueError`` later."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.config import Settings
from service.errors import InvalidSettings, ServiceError


def _authorities(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "authorities.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content),
                    encoding="utf-8")
    return path


def test_a_setting_of_the_wrong_type_names_its_variable_and_value(monkeypatch) -> None:
    monkeypatch.setenv("ACTES_PORT", "huit-mille")
    with pytest.raises(InvalidSettings) as caught:
        Settings()
    assert "ACTES_PORT" in caught.value.message
    assert "huit-mille" in caught.value.message
    assert caught.value.code == "configuration-invalide"
    assert isinstance(caught.value, ServiceError)


def test_an_unknown_or_out_of_range_setting_is_named() -> None:
    with pytest.raises(InvalidSettings, match="ACTES_CONVERTISSEUR : réglage inconnu"):
        Settings(convertisseur="pool")
    with pytest.raises(InvalidSettings, match="ACTES_CONVERTER") as caught:
        Settings(converter="word")
    assert "word" in caught.value.message


def test_a_default_computed_from_a_wrong_setting_is_not_reported_as_well() -> None:
    """``queue_workers`` defaults to twice ``pool_size``: a wrong ``pool_size`` is the one
    fault, not pydantic's « PydanticUndefined » on the other."""
    with pytest.raises(InvalidSettings) as caught:
        Settings(pool_size="deux")
    assert "ACTES_POOL_SIZE" in caught.value.message
    assert "QUEUE_WORKERS" not in caught.value.message
    assert "PydanticUndefined" not in caught.value.message


def test_a_secret_setting_is_named_but_its_value_never_repeated() -> None:
    with pytest.raises(InvalidSettings, match="ACTES_METRICS_TOKEN") as caught:
        Settings(metrics_token=["s3cret-value"])
    assert "s3cret-value" not in caught.value.message


@pytest.mark.parametrize(("content", "reason"), [
    ("{pas du json", "JSON invalide"),
    ([{"242100410": {}}], "objet JSON indexé par SIREN"),
    ({"24210041": {"trigramme": "SIC"}}, "« 24210041 » n'est pas un SIREN"),
    ({"242100410": "SIC"}, "242100410 : un objet de réglages est attendu"),
    ({"242100410": {"trigrame": "SIC"}}, "242100410 : réglage(s) inconnu(s) trigrame"),
])
def test_a_broken_authorities_file_is_refused_at_start_naming_the_variable(
        tmp_path: Path, content, reason: str) -> None:
    path = _authorities(tmp_path, content)
    with pytest.raises(InvalidSettings) as caught:
        Settings(authorities_file=path)
    assert caught.value.message.startswith(f"ACTES_AUTHORITIES_FILE ({path}) : ")
    assert reason in caught.value.message


def test_a_missing_authorities_file_is_refused_at_start(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ACTES_AUTHORITIES_FILE", str(tmp_path / "absent.json"))
    with pytest.raises(InvalidSettings, match=r"ACTES_AUTHORITIES_FILE .* fichier illisible"):
        Settings()


def test_the_authorities_are_those_checked_at_start(tmp_path: Path) -> None:
    reglages = {"242100410": {"trigramme": "SIC", "arrondissement": "1"}}
    path = _authorities(tmp_path, reglages)
    settings = Settings(authorities_file=path)
    path.write_text("cassé depuis", encoding="utf-8")  # edited while the service runs
    assert settings.authorities() == reglages
    assert Settings().authorities() == {}
