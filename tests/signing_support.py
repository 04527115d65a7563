"""What the signing tests share: a 2024 act (signed by its président and secretary under
L2121-23), a test PKI written to files, a local RFC 3161 timestamp authority, and pyHanko's
validator run the way the issue asks ("both signatures intact and valid against the test
root, with only annotation changes after them")."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from pki import Issued, TestPki
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko_certvalidator import ValidationContext

from service.adapters.pdf_sign.stamp_rule import STAMP_DIFF_POLICY

PRESIDENT = "François REBSAMEN"
SECRETAIRE = "Nuray AKPINAR-ISTIQUAM"
PASSPHRASES = {"ACTES_TEST_P12_PRESIDENT": "phrase président é 1", "ACTES_TEST_P12_AUTRE": "x"}


def act_2024(dijon: dict[str, Any], numero: str = "2024-03-15_013") -> dict[str, Any]:
    """The Dijon act moved to a sitting of 15 March 2024: président and secretary sign it."""
    data = copy.deepcopy(dijon)
    seance = dt.date(2024, 3, 15)
    data["seance"]["date"] = seance.isoformat()
    data["seance"]["date_convocation"] = (seance - dt.timedelta(days=7)).isoformat()
    data["deliberation"]["numero"] = numero
    data.pop("transmission", None)
    return data


@dataclass(frozen=True)
class PkiFiles:
    pki: TestPki
    root: Path
    president_p12: Path
    president: Issued
    stranger_p12: Path
    """A key in another name than the président's."""


def write_pki(folder: Path) -> PkiFiles:
    folder.mkdir(parents=True, exist_ok=True)
    pki = TestPki()
    president = pki.issue(PRESIDENT)
    stranger = pki.issue("Pierre PRIBETICH")
    return PkiFiles(
        pki=pki,
        root=pki.write_root(folder / "racine.pem"),
        president_p12=pki.write_pkcs12(president, folder / "president.p12",
                                       PASSPHRASES["ACTES_TEST_P12_PRESIDENT"]),
        president=president,
        stranger_p12=pki.write_pkcs12(stranger, folder / "autre.p12",
                                      PASSPHRASES["ACTES_TEST_P12_AUTRE"]),
    )


def pyhanko_statuses(pdf: bytes, root: Path) -> list[PdfSignatureStatus]:
    """Validate every signature of *pdf* with pyHanko against *root*, with the stamp rule."""
    reader = PdfFileReader(BytesIO(pdf))
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(root))],
                                allow_fetching=False)
    return [validate_pdf_signature(sig, context, diff_policy=STAMP_DIFF_POLICY)
            for sig in reader.embedded_signatures]


class TimestampAuthority:
    """An RFC 3161 timestamp authority over HTTP on 127.0.0.1, answering with pyHanko's
    reference implementation and a TSA certificate of the test PKI."""

    def __init__(self, pki: TestPki) -> None:
        issued = pki.issue("Horodatage de test", tsa=True)
        assert issued.key is not None
        stamper = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(issued.cert.public_bytes(Encoding.DER)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(issued.key.private_bytes(
                Encoding.DER, PrivateFormat.PKCS8, NoEncryption())),
        )
        self.requests = 0
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = tsp.TimeStampReq.load(body)
                answer = asyncio.run(stamper.async_request_tsa_response(request)).dump()
                authority.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
