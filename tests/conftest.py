"""Fixtures shared by every test tier: the shared reference material and the Dijon payload."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DIJON = SHARED / "contract" / "examples" / "deliberation-dijon-2019-12-19-013.json"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ``shared/`` folder beside the repository (contract, XSD, reference)."""
    assert SHARED.is_dir(), f"{SHARED} is missing: tests read the fixtures from ../shared"
    return SHARED


@pytest.fixture(scope="session")
def _dijon_data() -> dict[str, Any]:
    return json.loads(DIJON.read_text(encoding="utf-8"))


@pytest.fixture
def dijon(_dijon_data: dict[str, Any]) -> dict[str, Any]:
    """A fresh, mutable copy of the Dijon example payload."""
    return copy.deepcopy(_dijon_data)
