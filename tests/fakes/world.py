"""The use cases' world in memory: the Dijon payload (``examples/deliberation.json``, so the
unit tests need nothing outside the repository) and a fake of each port."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fakes.documents import FakeConverter, FakeInspector, FakeRenderer, FakeStamper
from fakes.repository import InMemoryActeRepository
from fakes.seances import FakeJobQueue, InMemorySeanceStore
from service.domain.payload import DeliberationPayload

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"


def dijon_data() -> dict[str, Any]:
    """The Dijon example without its transmission dates (an act not sent yet)."""
    data = json.loads((EXAMPLES / "deliberation.json").read_text(encoding="utf-8"))
    data.pop("transmission", None)
    return copy.deepcopy(data)


def payload_of(data: dict[str, Any]) -> DeliberationPayload:
    return DeliberationPayload.model_validate(data)


@dataclass
class Ports:
    """A fake of every port, the store and the repository sharing their acts."""

    renderer: FakeRenderer = field(default_factory=FakeRenderer)
    converter: FakeConverter = field(default_factory=FakeConverter)
    stamper: FakeStamper = field(default_factory=FakeStamper)
    inspector: FakeInspector = field(default_factory=FakeInspector)
    repository: InMemoryActeRepository = field(default_factory=InMemoryActeRepository)
    queue: FakeJobQueue = field(default_factory=FakeJobQueue)
    store: InMemorySeanceStore = field(init=False)

    def __post_init__(self) -> None:
        self.store = InMemorySeanceStore(self.repository)

    def generation(self) -> dict[str, Any]:
        """The ports :func:`~service.services.generate.generate_acte` takes."""
        return {"renderer": self.renderer, "converter": self.converter,
                "stamper": self.stamper, "repository": self.repository}
