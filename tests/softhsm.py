"""A SoftHSM2 token for the signing tests: a real PKCS#11 module, from Debian's softhsm2.

``scripts/test`` prepares a fresh token (``scripts/softhsm-token``) and exports
``SOFTHSM2_CONF``; run without it (pytest alone), the tests prepare one the same way in their
temporary folder. A signer's key pair is generated *inside* the token; only its certificate,
issued by the test PKI, is written to it. The PIN is a test value, not a secret.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pkcs11 import Attribute, KeyType, ObjectClass
from pkcs11.util.x509 import decode_x509_certificate
from pki import TestPki

REPO = Path(__file__).resolve().parent.parent
TOKEN_LABEL = "actes-tests"
PIN_ENV = "ACTES_TEST_TOKEN_PIN"
DEFAULT_PIN = "4321-test"
MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")


def module_path() -> str:
    for path in MODULES:
        if Path(path).is_file():
            return path
    raise AssertionError("libsofthsm2.so is missing: install softhsm2 (EXTRAS=[test] "
                         "scripts/install reads scripts/apt-packages-test.txt)")


def ensure_token(tmp_dir: Path) -> str:
    """Return the SOFTHSM2_CONF to use: the one scripts/test exported, else a fresh token made
    by scripts/softhsm-token in *tmp_dir*."""
    conf = os.environ.get("SOFTHSM2_CONF")
    if conf and Path(conf).is_file():
        return conf
    out = subprocess.run([str(REPO / "scripts" / "softhsm-token"), str(tmp_dir)],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


@dataclass(frozen=True)
class TokenKey:
    """A key pair generated in the token, and the certificate issued for it."""

    label: str
    cert: x509.Certificate


def generate_signer(pki: TestPki, common_name: str, label: str) -> TokenKey:
    """Generate an RSA key pair in the token under *label* and store a certificate for
    *common_name*, issued by *pki*, beside it (same label and ID)."""
    lib = pkcs11.lib(module_path())
    token = lib.get_token(token_label=TOKEN_LABEL)
    pin = os.environ.get(PIN_ENV, DEFAULT_PIN)
    with token.open(rw=True, user_pin=pin) as session:
        key_id = label.encode()
        public, _private = session.generate_keypair(
            KeyType.RSA, 2048, label=label, id=key_id, store=True)
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
            int.from_bytes(public[Attribute.MODULUS], "big"))
        issued = pki.issue(common_name, numbers.public_key())
        der = issued.cert.public_bytes(serialization.Encoding.DER)
        attributes = decode_x509_certificate(der)
        attributes.update({Attribute.LABEL: label, Attribute.ID: key_id, Attribute.TOKEN: True,
                           Attribute.CLASS: ObjectClass.CERTIFICATE})
        session.create_object(attributes)
    return TokenKey(label, issued.cert)
