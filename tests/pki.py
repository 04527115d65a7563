"""A test PKI built at test time: a root, two signers and a timestamp authority.

Nothing here is committed as a key: every key is generated when the suite runs, and the
PKCS#12 files are written under the test's temporary folder. A PKCS#11 signer keeps its key in a
SoftHSM2 token (see ``softhsm.py``): this module only issues the certificate for its public key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
VALIDITY = dt.timedelta(days=365)


def _name(cn: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Dijon Métropole (tests)"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


@dataclass(frozen=True)
class Issued:
    """A certificate and, when it was generated here, its private key."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def pkcs12(self, passphrase: bytes, chain: list[x509.Certificate]) -> bytes:
        assert self.key is not None
        return pkcs12.serialize_key_and_certificates(
            b"signataire", self.key, self.cert, chain,
            serialization.BestAvailableEncryption(passphrase),
        )


class TestPki:
    """A root CA and the certificates it issues."""

    __test__ = False  # not a pytest class

    def __init__(self, cn: str = "Racine de test des actes") -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        name = _name(cn)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + VALIDITY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256())
        )
        self.root = Issued(cert, key)

    def issue(self, cn: str, public_key=None, *, tsa: bool = False) -> Issued:
        """Return a certificate for *cn*: a signer's (non-repudiation), or a TSA's; with a new
        key unless *public_key* is given (a key kept in a token)."""
        key = None
        if public_key is None:
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            public_key = key.public_key()
        assert self.root.key is not None
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(cn)).issuer_name(self.root.cert.subject).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(hours=1)).not_valid_after(NOW + VALIDITY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=not tsa, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                self.root.key.public_key()), critical=False)
        )
        if tsa:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        return Issued(builder.sign(self.root.key, hashes.SHA256()), key)

    def write_pkcs12(self, issued: Issued, path: Path, passphrase: str) -> Path:
        """Write *issued*'s key, certificate and the root into a PKCS#12 file at *path*."""
        path.write_bytes(issued.pkcs12(passphrase.encode(), [self.root.cert]))
        return path

    def write_root(self, path: Path) -> Path:
        path.write_bytes(self.root.pem)
        return path
