"""The layering of the project is a tested contract (import-linter)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(REPO / "pyproject.toml"), "--no-cache"],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout, result.stdout


def test_domain_does_not_import_impure_modules_even_lazily() -> None:
    # import-linter sees only module-level imports it can parse; a grep catches the rest.
    offenders = []
    for path in (REPO / "service" / "domain").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in ("import flask", "import docxtpl", "import subprocess", "import sqlalchemy",
                     "from flask", "from docxtpl", "from sqlalchemy", "from docx", "import pypdf",
                     # its own errors are service.domain.errors: these would be a cycle
                     "from service.errors", "from service import errors", "import service.errors",
                     "from service.config", "import service.config"):
            if word in text:
                offenders.append(f"{path.relative_to(REPO)}: {word}")
    assert offenders == []


def test_the_contracts_include_the_errors_and_the_settings() -> None:
    # Outside the contracts, a cycle through them (domain → errors → domain) went unseen.
    import tomllib

    contracts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["importlinter"]["contracts"]
    pure = next(c for c in contracts if c["type"] == "forbidden")
    assert {"service.errors", "service.config"} <= set(pure["forbidden_modules"])
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    assert layers.index("service.config") < layers.index("service.adapters")
    assert layers.index("service.services") < layers.index("service.errors") < layers.index(
        "service.domain")


def test_the_edges_reach_the_application_through_one_accessor() -> None:
    # The Flask edges get the application services from entrypoints/http/context.py, typed;
    # a route reading app.extensions itself would get an untyped object and bypass it.
    import re

    reads = re.compile(r"""extensions\s*(\[|\.get\(|\.setdefault\()\s*["']actes["']""")
    found = [f"{path.relative_to(REPO)}:{number}"
             for path in (REPO / "service").rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if reads.search(line)]
    context = "service/entrypoints/http/context.py"
    assert found and {where.partition(":")[0] for where in found} == {context}, found
    assert len(found) == 2  # the installer and the accessor


def test_the_composition_root_builds_and_wires_only() -> None:
    # The use cases are application services (service/services/application/): bootstrap.py
    # defines the container of the wired services and the factories of the adapters, nothing
    # else; and no edge probes an adapter for readiness or metrics (the converter's port has
    # them).
    import ast
    import re

    tree = ast.parse((REPO / "service" / "bootstrap.py").read_text(encoding="utf-8"))
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    assert classes == ["Application"]
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert functions <= {"wire", "bootstrap", "cli_services", "pool_server_args", "pdf_limits"} | {
        name for name in functions if name.startswith("make_")}, functions
    probe = re.compile(r"""(getattr|hasattr)\([^)]*["'](is_ready|metrics|registry)["']""")
    probed = [str(path.relative_to(REPO)) for path in (REPO / "service").rglob("*.py")
              if probe.search(path.read_text(encoding="utf-8"))]
    assert probed == []
