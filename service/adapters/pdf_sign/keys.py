"""Signing keys of an authority, from the ``signature`` entry of its settings.

In ``ACTES_AUTHORITIES_FILE``, under the authority's SIREN::

    "signature": {
      "president": {"pkcs12": "/etc/actes/president.p12",
                    "passphrase_env": "ACTES_PRESIDENT_PASSPHRASE"},
      "secretaires": [{"pkcs11": {"module": "/usr/lib/softhsm/libsofthsm2.so",
                                  "token": "greffe", "key": "secretaire",
                                  "pin_env": "ACTES_GREFFE_PIN"}}],
      "horodatage": "http://tsa.example.fr/tsa"
    }

A PKCS#12 file is read with the passphrase held by the environment variable it names; a
PKCS#11 token is opened by its module, token label and key label with the PIN held by the
variable it names (the certificate is the token's object of the same label, or ``cert``). The
settings hold names of variables, never secrets; messages name the setting at fault and never
the value of a passphrase or PIN.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pkcs11
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign import pkcs11 as pyhanko_pkcs11
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from service.domain.errors import SignatureError


@dataclass(frozen=True)
class Pkcs12Key:
    file: Path
    passphrase_env: str

    def describe(self) -> str:
        return f"fichier PKCS#12 {self.file.name}"


@dataclass(frozen=True)
class Pkcs11Key:
    module: str
    token: str
    key: str
    pin_env: str
    cert: str | None = None
    """Label of the certificate object; the key's label by default."""

    def describe(self) -> str:
        return f"clé « {self.key} » du jeton PKCS#11 « {self.token} »"


KeySpec = Pkcs12Key | Pkcs11Key


@dataclass(frozen=True)
class SigningSettings:
    """The keys of the président and of each secretary, and the timestamp authority."""

    president: KeySpec | None
    secretaires: tuple[KeySpec, ...] = ()
    horodatage: str | None = None
    """URL of an RFC 3161 timestamp authority: signatures are then PAdES B-T."""

    @classmethod
    def from_config(cls, config: Any) -> SigningSettings:
        """Return the settings of one authority's ``signature`` entry.

        :raises ValueError: naming the key at fault, when the entry is malformed.
        """
        if not isinstance(config, Mapping):
            raise ValueError("« signature » doit être un objet")
        _known(config, {"president", "secretaires", "horodatage"}, "signature")
        secretaires = config.get("secretaires") or []
        if not isinstance(secretaires, list):
            raise ValueError("« signature.secretaires » doit être une liste")
        horodatage = config.get("horodatage")
        if horodatage is not None and not (
                isinstance(horodatage, str) and horodatage.startswith(("http://", "https://"))):
            raise ValueError("« signature.horodatage » doit être une URL http(s)")
        president = config.get("president")
        return cls(
            president=_key(president, "signature.president") if president else None,
            secretaires=tuple(_key(k, f"signature.secretaires[{i}]")
                              for i, k in enumerate(secretaires)),
            horodatage=horodatage,
        )


def _known(config: Mapping[str, Any], keys: set[str], where: str) -> None:
    if unknown := sorted(set(config) - keys):
        raise ValueError(f"clé(s) inconnue(s) dans « {where} » : {', '.join(unknown)} "
                         f"(clés possibles : {', '.join(sorted(keys))})")


def _key(config: Any, where: str) -> KeySpec:
    if not isinstance(config, Mapping):
        raise ValueError(f"« {where} » doit être un objet")
    if "pkcs12" in config:
        _known(config, {"pkcs12", "passphrase_env"}, where)
        if not isinstance(config.get("passphrase_env"), str):
            raise ValueError(f"« {where}.passphrase_env » : nom de la variable d'environnement "
                             "qui contient la phrase de passe, attendu")
        return Pkcs12Key(Path(str(config["pkcs12"])), config["passphrase_env"])
    if "pkcs11" in config:
        _known(config, {"pkcs11"}, where)
        token = config["pkcs11"]
        if not isinstance(token, Mapping):
            raise ValueError(f"« {where}.pkcs11 » doit être un objet")
        _known(token, {"module", "token", "key", "pin_env", "cert"}, f"{where}.pkcs11")
        missing = [k for k in ("module", "token", "key", "pin_env")
                   if not isinstance(token.get(k), str)]
        if missing:
            raise ValueError(f"« {where}.pkcs11 » : {', '.join(missing)} manquant(s)")
        return Pkcs11Key(token["module"], token["token"], token["key"], token["pin_env"],
                         token.get("cert"))
    raise ValueError(f"« {where} » : « pkcs12 » ou « pkcs11 » attendu")


def _secret(variable: str, environ: Mapping[str, str], what: str) -> str:
    value = environ.get(variable)
    if not value:
        raise SignatureError(
            f"La variable d'environnement {variable}, qui doit contenir {what}, est absente "
            "ou vide : la signature est impossible."
        )
    return value


@contextlib.contextmanager
def open_signer(spec: KeySpec, environ: Mapping[str, str] = os.environ
                ) -> Iterator[signers.Signer]:
    """Yield a pyHanko signer for *spec*; a PKCS#11 session is closed on leaving.

    :raises SignatureError: when the key cannot be loaded; the message names the file, token
        or key, never the passphrase or PIN.
    """
    if isinstance(spec, Pkcs12Key):
        yield _pkcs12_signer(spec, _secret(spec.passphrase_env, environ, "la phrase de passe"))
        return
    pin = _secret(spec.pin_env, environ, "le code PIN du jeton")
    try:
        session = pyhanko_pkcs11.open_pkcs11_session(
            spec.module, token_criteria=TokenCriteria(label=spec.token), user_pin=pin)
    except (OSError, RuntimeError, pkcs11.PKCS11Error) as exc:
        raise SignatureError(
            f"Le jeton PKCS#11 « {spec.token} » ne peut pas être ouvert avec le module "
            f"{spec.module} ({_token_reason(exc)})."
        ) from None  # the PKCS#11 error may carry the session's arguments
    try:
        yield pyhanko_pkcs11.PKCS11Signer(session, key_label=spec.key,
                                          cert_label=spec.cert or spec.key)
    finally:
        session.close()


def _token_reason(exc: BaseException) -> str:
    """Return a French reason for a PKCS#11 failure, from its class only."""
    name = type(exc).__name__
    return {
        "PinIncorrect": "code PIN refusé",
        "PinLenRange": "code PIN refusé",
        "PinLocked": "code PIN bloqué",
        "NoSuchToken": "jeton introuvable",
        "TokenNotPresent": "jeton absent",
    }.get(name, f"erreur {name}")


def _pkcs12_signer(spec: Pkcs12Key, passphrase: str) -> signers.SimpleSigner:
    try:
        data = spec.file.read_bytes()
    except OSError as exc:
        raise SignatureError(
            f"Le fichier de clé {spec.file} ne peut pas être lu ({exc.strerror})."
        ) from None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase.encode("utf-8"))
    except ValueError:
        # cryptography's message is generic; from None keeps the passphrase out of any trace.
        raise SignatureError(
            f"Le fichier PKCS#12 {spec.file.name} ne s'ouvre pas : phrase de passe "
            f"({spec.passphrase_env}) incorrecte ou fichier endommagé."
        ) from None
    if key is None or cert is None:
        raise SignatureError(
            f"Le fichier PKCS#12 {spec.file.name} ne contient pas de clé privée et de certificat."
        )
    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()))
    chain = [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in extra]
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER)),
        signing_key=key_info,
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )
