"""Where the ~12 ms of rendering an act with docxtpl go, hop by hop.

Run from the repository root::

    .venv/bin/python bench/profile_render.py [--n 200]

Renders the Dijon example (and the 40-page act of bench_conversion.py) ``--n`` times with the
service's renderer, after warm-up renders, with a timer around each step of
``DocxtplRenderer.render_deliberation`` and of docxtpl's ``render``/``save``; prints each step's
median per render and its share. Steps nest (``render_xml_part`` runs inside ``build_xml``):
the indented ones are parts of the line above them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_conversion import payloads  # noqa: E402

from service.adapters.docx import cache, renderer  # noqa: E402
from service.adapters.docx.renderer import DocxtplRenderer  # noqa: E402
from service.services.generate import identifier_of  # noqa: E402
from service.services.validation import validate_deliberation  # noqa: E402

STEPS: list[tuple[int, str, object, str]] = [
    # (depth, label, owner, attribute)
    (0, "open_template (deepcopy of the parsed file)", renderer, "open_template"),
    (0, "template_context (texts, counts, typography)", renderer, "template_context"),
    (0, "_blocs (exposé and articles as subdocuments)", renderer, "_blocs"),
    (0, "DocxTemplate.render", cache.CachedDocxTemplate, "render"),
    (1, "build_xml (body)", cache.CachedDocxTemplate, "build_xml"),
    (2, "get_xml (serialise the body)", cache.CachedDocxTemplate, "get_xml"),
    (2, "render_xml_part (Jinja + parse back)", cache.CachedDocxTemplate, "render_xml_part"),
    (3, "resolve_listing", cache.CachedDocxTemplate, "resolve_listing"),
    (1, "fix_tables (parse the rendered body)", cache.CachedDocxTemplate, "fix_tables"),
    (1, "fix_docpr_ids", cache.CachedDocxTemplate, "fix_docpr_ids"),
    (1, "map_tree", cache.CachedDocxTemplate, "map_tree"),
    (1, "build_headers_footers_xml", cache.CachedDocxTemplate, "build_headers_footers_xml"),
    (1, "map_headers_footers_xml", cache.CachedDocxTemplate, "map_headers_footers_xml"),
    (1, "render_properties", cache.CachedDocxTemplate, "render_properties"),
    (1, "render_footnotes", cache.CachedDocxTemplate, "render_footnotes"),
    (0, "_set_properties", renderer, "_set_properties"),
    (0, "DocxTemplate.save (zip the package)", cache.CachedDocxTemplate, "save"),
]

TIMES: dict[str, list[float]] = defaultdict(list)
_current: dict[str, float] = defaultdict(float)


def _wrap(label: str, fn):
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _current[label] += time.perf_counter() - started
    return timed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args(argv)
    for _, label, owner, attr in STEPS:
        setattr(owner, attr, _wrap(label, getattr(owner, attr)))
    for name, payload in payloads().items():
        model = validate_deliberation(payload)
        ident = identifier_of(model)
        r = DocxtplRenderer()
        for _ in range(5):
            r.render_deliberation(model, ident)
        TIMES.clear()
        totals = []
        for _ in range(args.n):
            _current.clear()
            started = time.perf_counter()
            r.render_deliberation(model, ident)
            totals.append(time.perf_counter() - started)
            for _, label, _, _ in STEPS:
                TIMES[label].append(_current.get(label, 0.0))
        total = statistics.median(totals)
        print(f"\n{name}: render_deliberation median {total * 1000:.2f} ms (n={args.n})")
        for depth, label, _, _ in STEPS:
            m = statistics.median(TIMES[label])
            print(f"  {'  ' * depth}{label:<{52 - 2 * depth}} {m * 1000:6.2f} ms "
                  f"{m / total * 100:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
