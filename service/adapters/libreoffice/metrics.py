"""The LibreOffice pool's Prometheus metrics (the set Gotenberg exposes, anchors.md §B.2)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class PoolMetrics:
    """Metrics registered in the registry given, never the global one.

    Tests and several pools in one process each pass their own :class:`CollectorRegistry`, so
    their metrics do not clash.
    """

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.conversions = Counter(
            "actes_pdf_conversions", "DOCX → PDF conversions that succeeded.", registry=registry)
        self.failures = Counter(
            "actes_pdf_conversion_failures", "Failed conversions, by kind "
            "(document, timeout, crash).", ["kind"], registry=registry)
        self.restarts = Counter(
            "actes_libreoffice_restarts", "LibreOffice restarts, by reason "
            "(crash, timeout, recycle, memory).", ["reason"], registry=registry)
        self.queue_depth = Gauge(
            "actes_pdf_queue_depth", "Callers waiting for a free LibreOffice.", registry=registry)
        self.ready = Gauge(
            "actes_libreoffice_workers_ready", "Workers able to convert now.", registry=registry)
        self.seconds = Histogram(
            "actes_pdf_conversion_seconds", "Time of one conversion by LibreOffice.",
            buckets=(0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30, 60), registry=registry)

    def totals(self) -> dict[str, int]:
        """Return the counters summed over their labels."""
        out = {}
        for name, metric in (("conversions", "actes_pdf_conversions"),
                             ("failures", "actes_pdf_conversion_failures"),
                             ("restarts", "actes_libreoffice_restarts")):
            out[name] = int(sum(
                sample.value
                for family in self.registry.collect() if family.name == metric
                for sample in family.samples if sample.name == f"{metric}_total"
            ))
        return out
