"""Where the CPU time of rendering an act's DOCX goes, step by step; or this tree against another.

Run from the repository root::

    .venv/bin/python bench/profile_render.py [--n 200] [--docxtpl]
    .venv/bin/python bench/profile_render.py --against /work/main [--n 200] [--rounds 10]

The first form renders the Dijon example and the 40-page act of bench_conversion.py ``--n``
times with the service's renderer, after warm-up renders, with a CPU timer
(``time.process_time``) around each step of ``DocxtplRenderer.render_deliberation``, and
prints each step's mean per render and its share. Steps nest: the indented ones are parts of
the line above them. ``--docxtpl`` times the renderer with the prepared path off (docxtpl's
own render, which templates the prepared path cannot fill take).

The second form compares this tree's renderer with the one of another checkout (its own
``.venv``): one worker process per tree, each rendering in turns of ``--n / --rounds``
renders, the two alternated ``--rounds`` times, so that both see the same machine load; it
prints each one's CPU time per render and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_conversion import payloads  # noqa: E402

from service.adapters.docx import cache, prepared, renderer  # noqa: E402
from service.adapters.docx.renderer import DocxtplRenderer  # noqa: E402
from service.services.generate import identifier_of  # noqa: E402
from service.services.validation import validate_deliberation  # noqa: E402

FAST_STEPS: list[tuple[int, str, object, str]] = [
    # (depth, label, owner, attribute)
    (0, "prepared_template (find the prepared file)", renderer, "prepared_template"),
    (0, "template_context (texts, counts, typography)", renderer, "template_context"),
    (0, "_blocs (exposé and articles as paragraphs)", renderer, "_blocs"),
    (0, "PreparedTemplate.render", prepared.PreparedTemplate, "render"),
    (1, "_Filled.text (Jinja + docxtpl's finishing)", prepared._Filled, "text"),
    (1, "_properties (core.xml)", prepared.PreparedTemplate, "_properties"),
]
DOCXTPL_STEPS: list[tuple[int, str, object, str]] = [
    (0, "open_template (deepcopy of the parsed file)", renderer, "open_template"),
    (0, "template_context (texts, counts, typography)", renderer, "template_context"),
    (0, "_blocs (exposé and articles as paragraphs)", renderer, "_blocs"),
    (0, "DocxTemplate.render", cache.CachedDocxTemplate, "render"),
    (1, "build_xml (body)", cache.CachedDocxTemplate, "build_xml"),
    (1, "fix_tables (parse the rendered body)", cache.CachedDocxTemplate, "fix_tables"),
    (1, "map_tree", cache.CachedDocxTemplate, "map_tree"),
    (1, "render_properties", cache.CachedDocxTemplate, "render_properties"),
    (0, "DocxTemplate.save (zip the package)", cache.CachedDocxTemplate, "save"),
]

_current: dict[str, float] = defaultdict(float)


def _wrap(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            _current[label] += time.process_time() - started

    return timed


def profile(n: int, fast: bool) -> None:
    steps = FAST_STEPS if fast else DOCXTPL_STEPS
    for _, label, owner, attr in steps:
        setattr(owner, attr, _wrap(label, getattr(owner, attr)))
    for name, payload in payloads().items():
        model = validate_deliberation(payload)
        ident = identifier_of(model)
        r = DocxtplRenderer(fast=fast)
        for _ in range(5):
            r.render_deliberation(model, ident)
        times: dict[str, list[float]] = defaultdict(list)
        totals = []
        for _ in range(n):
            _current.clear()
            started = time.process_time()
            r.render_deliberation(model, ident)
            totals.append(time.process_time() - started)
            for _, label, _, _ in steps:
                times[label].append(_current.get(label, 0.0))
        total = statistics.mean(totals)
        path = "prepared path" if fast else "docxtpl's path"
        print(f"\n{name} ({path}): render_deliberation {total * 1000:.2f} ms of CPU (n={n})")
        for depth, label, _, _ in steps:
            m = statistics.mean(times[label])
            print(f"  {'  ' * depth}{label:<{52 - 2 * depth}} {m * 1000:6.2f} ms "
                  f"{m / total * 100:5.1f} %")


_WORKER = """
import sys, time
sys.path.insert(0, "bench"); sys.path.insert(0, ".")
from bench_conversion import payloads
from service.adapters.docx.renderer import DocxtplRenderer
from service.services.generate import identifier_of
from service.services.validation import validate_deliberation
models = {k: validate_deliberation(p) for k, p in payloads().items()}
r = DocxtplRenderer()
for m in models.values():
    for _ in range(5):
        r.render_deliberation(m, identifier_of(m))
print("ready", flush=True)
for line in sys.stdin:
    name, n = line.split()
    m = models[name]
    ident = identifier_of(m)
    started = time.process_time()
    for _ in range(int(n)):
        r.render_deliberation(m, ident)
    print(time.process_time() - started, flush=True)
"""


def against(other: Path, n: int, rounds: int) -> None:
    trees = {"this tree": ROOT, str(other): other}
    workers = {}
    for label, tree in trees.items():
        proc = subprocess.Popen(
            [str(tree / ".venv" / "bin" / "python"), "-c", _WORKER], cwd=tree, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        workers[label] = proc
    batch = max(1, n // rounds)
    try:
        for name in payloads():
            cpu: dict[str, float] = defaultdict(float)
            for _ in range(rounds):
                for label, proc in workers.items():
                    assert proc.stdin is not None and proc.stdout is not None
                    proc.stdin.write(f"{name} {batch}\n")
                    proc.stdin.flush()
                    cpu[label] += float(proc.stdout.readline())
            done = batch * rounds
            mine, theirs = (cpu[label] / done * 1000 for label in trees)
            print(f"{name}: this tree {mine:.2f} ms, {other} {theirs:.2f} ms of CPU per render "
                  f"({done} renders each, alternated in {rounds} rounds): "
                  f"{theirs / mine:.2f}x less")
    finally:
        for proc in workers.values():
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--docxtpl", action="store_true", help="time docxtpl's own path")
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args(argv)
    if args.against:
        against(args.against.resolve(), args.n, args.rounds)
    else:
        profile(args.n, fast=not args.docxtpl)
    return 0


if __name__ == "__main__":
    sys.exit(main())
