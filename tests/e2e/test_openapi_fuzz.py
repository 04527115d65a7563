"""Schemathesis fuzzes every operation of ``/openapi.json`` against the app that publishes it.

The app is the real one (SQLite, docxtpl, LibreOffice) behind a bearer token. It is seeded with
the description's own examples (the Dijon act and its sitting), and the path parameters name
those seeds half of the time, so ``{identifiant}`` routes answer files and records, not only
``404``. Every answer must be no server error and match, by status, media type, headers and
schema, what the description promises; a route that enforces no token fails too.
"""

from __future__ import annotations

import collections
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from service.domain.records import MEDIA_TYPES
from service.entrypoints.http import create_app

DOCX = MEDIA_TYPES["docx"]

EXAMPLES_PER_OPERATION = 50
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance, ignored_auth,
          unsupported_method]

# The app, its token and the schema are made at import: schemathesis reads the description and
# prepares some cases, authenticated, while collecting. The seeds are made by the ``seeded``
# fixture, only when the tests run.
_DATA = tempfile.TemporaryDirectory(prefix="actes-fuzz-")
# Dijon Métropole's ACTES settings, so that its archive can be built (else a 422).
(Path(_DATA.name) / "authorities.json").write_text(json.dumps({"242100410": {
    "trigramme": "SIC", "arrondissement": "1", "nature": "31",
    "adresses_retour": ["actes@metropole-dijon.fr"], "classification_date_version": "2019-01-01",
}}))
APP = create_app({"data_dir": Path(_DATA.name) / "data", "converter": "soffice",
                  "authorities_file": Path(_DATA.name) / "authorities.json"})
TOKEN = APP.extensions["actes"].tokens.create("fuzz", ["242100410"])
# Loaded as a document rather than from its URL: schemathesis skips the operation that serves the
# description it was loaded from, and /openapi.json is fuzzed like every other route.
schema = schemathesis.openapi.from_dict(
    APP.test_client().get("/openapi.json").get_json(),
    config=SchemathesisConfig.from_dict({"auth": {"openapi": {"jeton": {"bearer": TOKEN}}}}),
)
schema.app = APP
schemathesis.serializer.alias(DOCX, "application/octet-stream")
schemathesis.serializer.alias("application/pdf", "application/octet-stream")  # a signed PDF
ACCEPT = st.one_of(
    st.none(), st.none(),
    st.sampled_from(["*/*", "application/json", "application/problem+json", "application/pdf",
                     DOCX, "text/html,application/xhtml+xml,*/*;q=0.8", "application/xml",
                     "application/pdf;q=0.5, application/json;q=0.9", "image/*"]),
    st.from_regex(r"[!-~]([ -~]{0,78}[!-~])?", fullmatch=True),
)
"""The ``Accept`` header of a case: often none, else a common one, else any printable text."""
SEEDS: dict[str, Any] = {}
"""The identifiers of the act, sitting and job made from the examples, and the act's DOCX."""
PUT_DOCX = "PUT /v1/actes/{identifiant}/document.docx"
SENT: collections.Counter[str] = collections.Counter()
"""Cases sent to each operation (``GET /v1/actes/{identifiant}``), checked at the end."""
ANSWERED: collections.defaultdict[str, collections.Counter[int]] = collections.defaultdict(
    collections.Counter)
"""Statuses answered to each operation."""


def _example(document: dict[str, Any], path: str) -> dict[str, Any]:
    return document["paths"][path]["post"]["requestBody"]["content"]["application/json"]["example"]


@pytest.fixture(scope="module")
def seeded() -> Iterator[dict[str, str]]:
    """Create the act and the sitting of the description's examples; close the app at the end."""
    try:
        client = APP.test_client()
        auth = {"Authorization": f"Bearer {TOKEN}"}
        document = client.get("/openapi.json").get_json()
        acte = client.post("/v1/deliberations", json=_example(document, "/v1/deliberations"),
                           headers=auth)
        assert acte.status_code == 201, acte.get_data(as_text=True)
        seance = _example(document, "/v1/seances")
        # With a SIRET (SIREN + a NIC of valid key), the sitting's open-data CSV can be made.
        seance["collectivite"]["siret"] = "24210041000016"
        job = client.post("/v1/seances", json=seance, headers=auth)
        assert job.status_code == 202, job.get_data(as_text=True)
        deadline = time.monotonic() + 300
        while not client.get(job.headers["Location"], headers=auth).get_json()["termine_le"]:
            assert time.monotonic() < deadline, "the sitting's job did not finish"
            time.sleep(0.5)
        identifiant = acte.get_json()["identifiant"]
        docx = client.get(f"/v1/actes/{identifiant}/document.docx", headers=auth)
        SEEDS.update(identifiant=identifiant, seance_id=job.get_json()["seance"],
                     job_id=job.get_json()["id"], docx=docx.get_data())
        yield SEEDS
    finally:
        APP.extensions["actes"].close()
        _DATA.cleanup()


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict[str, Any]):
    """Half of the cases name a seeded act, sitting or job instead of a generated one."""
    seeded = {k: SEEDS[k] for k in path_parameters or () if k in SEEDS}
    if not seeded:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, **seeded}])


@schema.hook
def flatmap_case(context, case):
    """Send some cases with an ``Accept`` header: whatever it says, the answer stays described."""
    def with_accept(accept: str | None):
        if accept is not None:
            case.headers = {**(case.headers or {}), "Accept": accept}
        return case

    return ACCEPT.map(with_accept)


@schema.hook
def flatmap_body(context, body):
    """Half of the DOCX uploads are the seeded act's own DOCX, which the service takes."""
    if context.operation is None or context.operation.label != PUT_DOCX or "docx" not in SEEDS:
        return st.just(body)
    return st.sampled_from([body, SEEDS["docx"]])


@pytest.mark.libreoffice
@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_every_answer_is_one_the_description_promises(case, seeded) -> None:
    SENT[case.operation.label] += 1
    response = case.call_and_validate(checks=CHECKS)
    ANSWERED[case.operation.label][response.status_code] += 1


@pytest.mark.libreoffice
def test_every_operation_was_fuzzed_with_enough_cases(seeded) -> None:
    document = APP.test_client().get("/openapi.json").get_json()
    operations = {f"{method.upper()} {path}" for path, item in document["paths"].items()
                  for method in item}
    report = "\n".join(f"{SENT[op]:5d}  {op}  {dict(sorted(ANSWERED[op].items()))}"
                       for op in sorted(operations))
    print(f"\nCas envoyés par opération :\n{report}")
    assert set(SENT) == operations, report
    assert min(SENT.values()) >= EXAMPLES_PER_OPERATION, report
