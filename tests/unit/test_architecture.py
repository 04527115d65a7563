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
