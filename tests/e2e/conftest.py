"""An app wired to real adapters: docxtpl, LibreOffice, pypdf, SQLite in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.entrypoints.http import create_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app({"data_dir": tmp_path / "data", "converter": "soffice"})
    yield app
    app.extensions["actes"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
