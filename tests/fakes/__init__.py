"""In-memory fakes of every port of :mod:`service.services.ports`, for the unit tests of the
use cases: seconds, no LibreOffice, no SQL.

Each fake behaves as its adapter does where a use case can tell (the same errors, the same
records); where the real rule lives in the SQL adapter rather than in the domain, the fake
reproduces it and says so. ``tests/integration/test_fakes_follow_the_adapters.py`` runs the
same scenarios against the fakes and the real SQLite repository and seance store.
"""

from fakes.access import InMemoryTokenStore
from fakes.documents import (
    FakeConverter,
    FakeInspector,
    FakeListeRenderer,
    FakeOcculteur,
    FakeProcesVerbalRenderer,
    FakeRenderer,
    FakeSigner,
    FakeStamper,
    FakeVerifier,
)
from fakes.repository import InMemoryActeRepository
from fakes.seances import FakeJobQueue, InMemorySeanceStore

__all__ = [
    "FakeConverter",
    "FakeInspector",
    "FakeJobQueue",
    "FakeListeRenderer",
    "FakeOcculteur",
    "FakeProcesVerbalRenderer",
    "FakeRenderer",
    "FakeSigner",
    "FakeStamper",
    "FakeVerifier",
    "InMemoryActeRepository",
    "InMemorySeanceStore",
    "InMemoryTokenStore",
]
