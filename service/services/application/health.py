"""What the probes ask: can a document be converted now, and the converter's metrics."""

from __future__ import annotations

from service.services.ports import PdfConverter


class HealthService:
    """Readiness and metrics, as the converter declares them (the other ports answer on use)."""

    def __init__(self, converter: PdfConverter) -> None:
        self.converter = converter

    def is_ready(self) -> bool:
        """`True` when the converter can take a document now."""
        return self.converter.is_ready()

    def metrics_text(self) -> bytes:
        """Return the Prometheus exposition of the converter's metrics."""
        return self.converter.metrics()
