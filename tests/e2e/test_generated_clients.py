"""Clients generated from ``/openapi.json`` work as ``docs/integrators.md`` says.

The service runs on 127.0.0.1 behind a token. From its description, the pinned generators
(openapi-python-client from the test extras; openapi-typescript and TypeScript from
``tests/clients/package-lock.json``, which ``EXTRAS=[test] scripts/install`` installs with
``npm ci``) generate a Python client and TypeScript types with the page's own ``config.yml``
and command lines, the URL aside. Every generated Python module is imported; the page's Python
snippet runs against the service on the contract's Dijon payload and is type-checked with mypy
as the page says; the page's TypeScript function is type-checked with tsc, called with a
request built from that payload, then run by Node.js against the service.

Each type check has its counterpart that must fail (a missing narrowing, a missing required
field): a checker that sees only ``Any`` would pass the first and not the second.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pdftext import pdf_text
from werkzeug.serving import make_server

from service.entrypoints.http import create_app

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "integrators.md"
CLIENTS = REPO / "tests" / "clients"
NODE_BIN = CLIENTS / "node_modules" / ".bin"
DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"
DOC_URL = "http://127.0.0.1:8000"
"""The service's URL as the page writes it; replaced by the test server's."""
TIMEOUT = 600
"""Seconds allowed to a generator, a checker or the snippet on a loaded machine."""

pytestmark = pytest.mark.libreoffice


def _blocks(language: str) -> list[str]:
    """Return the page's fenced code blocks of *language*."""
    text = DOC.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def _block(language: str) -> str:
    found = _blocks(language)
    assert len(found) == 1, f"docs/integrators.md: expected one ```{language} block"
    return found[0]


def _command(start: str, url: str) -> list[str]:
    """Return the page's shell command beginning with *start*, on the test server's *url*."""
    lines = [line for block in _blocks("sh") for line in block.splitlines()
             if line.startswith(start)]
    assert len(lines) == 1, f"docs/integrators.md: expected one command `{start} …`"
    return [arg.replace(DOC_URL, url) for arg in shlex.split(lines[0])]


def _run(argv: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, **env})


def _venv_path() -> str:
    # The page's commands run in an activated virtual environment: its bin/ comes first.
    return f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The real app served by Werkzeug on 127.0.0.1, with a token of Dijon Métropole."""
    app = create_app({"data_dir": tmp_path_factory.mktemp("data"), "converter": "soffice"})
    token = app.extensions["actes"].tokens.create("client-genere", ["242100410"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_port}", "token": token}
    finally:
        server.shutdown()
        thread.join(timeout=30)
        app.extensions["actes"].close()


@pytest.fixture(scope="module")
def python_client(service: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``actes_client``, generated as the page says, and the page's files."""
    work = tmp_path_factory.mktemp("python-client")
    (work / "config.yml").write_text(_block("yaml"), encoding="utf-8")
    (work / "mypy.ini").write_text(_block("ini"), encoding="utf-8")
    (work / "snippet.py").write_text(_block("python"), encoding="utf-8")
    generated = _run(_command("openapi-python-client generate", service["url"]), work,
                     PATH=_venv_path())
    assert generated.returncode == 0, generated.stdout + generated.stderr
    # No warning of any kind: the page says it prints this line alone.
    assert (generated.stdout + generated.stderr).strip() == "Generating actes_client"
    return work


@pytest.fixture(scope="module")
def typescript_types(service: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding ``actes.ts``, generated as the page says, and the page's function."""
    assert (NODE_BIN / "tsc").exists() and (NODE_BIN / "openapi-typescript").exists(), (
        "openapi-typescript and typescript are missing from tests/clients: "
        "run EXTRAS='[test]' scripts/install")
    work = tmp_path_factory.mktemp("typescript")
    argv = _command("npx openapi-typescript", service["url"])
    assert argv[:2] == ["npx", "openapi-typescript"]
    generated = _run([str(NODE_BIN / "openapi-typescript"), *argv[2:]], work)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    lines = [line for line in (generated.stdout + generated.stderr).splitlines() if line.strip()]
    assert len(lines) == 2 and "openapi-typescript 7.13.0" in lines[0] \
        and "actes.ts" in lines[1], lines
    (work / "client.ts").write_text(_block("ts"), encoding="utf-8")
    return work


def test_every_generated_python_module_imports(python_client: Path) -> None:
    script = (
        "import importlib, pkgutil, actes_client\n"
        "names = [m.name for m in pkgutil.walk_packages(actes_client.__path__, 'actes_client.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    result = _run([sys.executable, "-c", script], python_client)
    assert result.returncode == 0, result.stderr
    # Every operation has its module, the acknowledgement's two among them.
    modules = {p.stem for p in (python_client / "actes_client" / "api").rglob("*.py")}
    assert {"post_deliberation", "post_deliberation_document_pdf", "post_accuse_reception",
            "post_accuse_reception_aracte", "put_document", "get_document_pdf"} <= modules
    assert int(result.stdout) > 60


def _snippet(work: Path, service: dict[str, str], payload: dict[str, Any]
             ) -> subprocess.CompletedProcess[str]:
    (work / "deliberation.json").write_text(json.dumps(payload, ensure_ascii=False),
                                            encoding="utf-8")
    return _run([sys.executable, "snippet.py"], work, ACTES_URL=service["url"],
                ACTES_TOKEN=service["token"])


def test_the_documented_python_snippet_generates_the_act(python_client: Path,
                                                        service: dict[str, str], dijon) -> None:
    first = _snippet(python_client, service, dijon)
    assert first.returncode == 0, first.stdout + first.stderr
    # The lines the page shows: the payload's prefecture dates are the record's.
    assert first.stdout.splitlines() == [
        f"201 {DIJON_ID} acquittee 2019-12-20", f"écrit : {DIJON_ID}.pdf"]
    pdf = (python_client / f"{DIJON_ID}.pdf").read_bytes()
    assert f"Accusé de réception en préfecture {DIJON_ID}" in pdf_text(pdf, 1, 1)
    again = _snippet(python_client, service, dijon)
    assert again.stdout.splitlines()[0] == f"200 {DIJON_ID} acquittee 2019-12-20"


def test_the_documented_python_snippet_shows_each_violation(python_client: Path,
                                                           service: dict[str, str],
                                                           dijon) -> None:
    dijon["deliberation"]["vote"]["pour"] += 1
    result = _snippet(python_client, service, dijon)
    assert result.returncode == 1
    # The page's loop prints each violation: field, code, message.
    assert result.stdout.startswith("deliberation.vote total-votes-incoherent "
                                    "deliberation.vote : pour + contre"), result.stdout
    assert result.stderr.startswith("422 donnees-invalides: "), result.stderr


def test_the_documented_python_snippet_type_checks(python_client: Path) -> None:
    checked = _run([sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "snippet.py"],
                   python_client, MYPYPATH=str(python_client))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # Without the narrowing, the checker sees the union the operation returns.
    careless = _block("python").replace(
        "acte = answer.parsed", "acte = post_deliberation.sync(client=client, body=payload)")
    (python_client / "careless.py").write_text(careless, encoding="utf-8")
    refused = _run([sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "careless.py"],
                   python_client, MYPYPATH=str(python_client))
    assert refused.returncode == 1 and 'Item "Probleme"' in refused.stdout, refused.stdout


def _tsc(work: Path, *files: str, emit: bool = False) -> subprocess.CompletedProcess[str]:
    options = ["--strict", "--lib", "es2022,dom", "--target", "es2022", "--module", "commonjs",
               "--skipLibCheck", *(["--outDir", "out"] if emit else ["--noEmit"])]
    return _run([str(NODE_BIN / "tsc"), *options, *files], work)


def _request(example: dict[str, Any]) -> str:
    return (
        'import type { components } from "./actes";\n'
        'import { genererActe } from "./client";\n\n'
        "const payload: components[\"schemas\"][\"DeliberationPayload\"] = "
        f"{json.dumps(example, ensure_ascii=False, indent=2)};\n\n"
        "async function main(): Promise<void> {\n"
        "  const acte = await genererActe(process.argv[2], process.argv[3], payload);\n"
        "  // An answer has every field: no check for `undefined` needed.\n"
        "  const reception: string | null = acte.transmission.date_reception;\n"
        '  const statut: "generee" | "transmise" | "acquittee" = acte.statut;\n'
        "  console.log(acte.identifiant, statut, reception);\n"
        "}\n\n"
        "main().catch((e: unknown) => { console.error(String(e)); process.exit(1); });\n"
        "declare const process: { argv: string[]; exit(code: number): never };\n"
    )


def test_a_typescript_request_built_from_the_example_type_checks_and_runs(
        typescript_types: Path, service: dict[str, str], shared_dir: Path) -> None:
    example = json.loads((shared_dir / "contract" / "examples" /
                          "deliberation-dijon-2019-12-19-013.json").read_text(encoding="utf-8"))
    (typescript_types / "request.ts").write_text(_request(example), encoding="utf-8")
    checked = _tsc(typescript_types, "request.ts")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    incomplete = {k: v for k, v in example.items() if k != "deliberation"}
    (typescript_types / "incomplete.ts").write_text(_request(incomplete), encoding="utf-8")
    refused = _tsc(typescript_types, "incomplete.ts")
    assert refused.returncode != 0 and "'deliberation' is missing" in refused.stdout, \
        refused.stdout

    built = _tsc(typescript_types, "request.ts", emit=True)
    assert built.returncode == 0, built.stdout + built.stderr
    ran = _run(["node", "out/request.js", service["url"], service["token"]], typescript_types)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.split() == [DIJON_ID, "acquittee", "2019-12-20"]
