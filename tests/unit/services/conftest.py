"""Fixtures of the use cases' unit tests: fakes of every port (tests/fakes), no LibreOffice,
no SQL."""

from __future__ import annotations

from typing import Any

import pytest
from fakes.world import Ports, dijon_data


@pytest.fixture
def data() -> dict[str, Any]:
    """A fresh copy of the Dijon example, without transmission dates."""
    return dijon_data()


@pytest.fixture
def ports() -> Ports:
    return Ports()
