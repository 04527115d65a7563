"""Each fake of tests/fakes has every method of its port, taking every parameter the port
declares: a port that gains a parameter fails here, not in a use case's test."""

from __future__ import annotations

import inspect

import pytest
from fakes import (
    FakeConverter,
    FakeInspector,
    FakeJobQueue,
    FakeListeRenderer,
    FakeOcculteur,
    FakeProcesVerbalRenderer,
    FakeRenderer,
    FakeSigner,
    FakeStamper,
    FakeVerifier,
    InMemoryActeRepository,
    InMemorySeanceStore,
    InMemoryTokenStore,
)

from service.services import ports

FAKES = {
    ports.DocumentRenderer: FakeRenderer,
    ports.PdfConverter: FakeConverter,
    ports.PdfStamper: FakeStamper,
    ports.ActeSigner: FakeSigner,
    ports.SignatureVerifier: FakeVerifier,
    ports.UploadInspector: FakeInspector,
    ports.ActeRepository: InMemoryActeRepository,
    ports.JobQueue: FakeJobQueue,
    ports.ListeRenderer: FakeListeRenderer,
    ports.SeanceStore: InMemorySeanceStore,
    ports.ProcesVerbalRenderer: FakeProcesVerbalRenderer,
    ports.DocumentOcculteur: FakeOcculteur,
    ports.TokenStore: InMemoryTokenStore,
}


def test_every_port_has_a_fake() -> None:
    declared = {obj for _, obj in inspect.getmembers(ports, inspect.isclass)
                if getattr(obj, "_is_protocol", False) and obj.__module__ == ports.__name__}
    assert declared == set(FAKES)


@pytest.mark.parametrize("port", list(FAKES), ids=lambda p: p.__name__)
def test_the_fake_takes_what_the_port_declares(port: type) -> None:
    fake = FAKES[port]
    for name, method in inspect.getmembers(port, inspect.isfunction):
        if name.startswith("_"):
            continue
        assert hasattr(fake, name), f"{fake.__name__} lacks {name}"
        expected = inspect.signature(method).parameters
        got = inspect.signature(getattr(fake, name)).parameters
        for pname, param in expected.items():
            assert pname in got, f"{fake.__name__}.{name} lacks the parameter {pname}"
            assert got[pname].kind == param.kind, f"{fake.__name__}.{name}({pname}): kind"
            if param.default is inspect.Parameter.empty:
                continue
            assert got[pname].default == param.default, f"{fake.__name__}.{name}({pname})"
