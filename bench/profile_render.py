"""Where the CPU time of rendering an act's DOCX goes, step by step; or this tree against another.

Run from the repository root::

    .venv/bin/python bench/profile_render.py [--n 200] [--docxtpl]
    .venv/bin/python bench/profile_render.py --against /work/main [--n 200] [--rounds 10]

The first form renders, ``--n`` times each, with the service's renderer, after warm-up renders:

- ``dijon``: the contract's Dijon example, again and again;
- ``big``: the same act made 40 pages long (bench_conversion.py);
- ``sitting``: the acts of bench_seance.py's sitting in turn (the Dijon deliberation with its
  own numéro, objet, exposé and article per act, as ``POST /v1/seances`` gets it), each act's
  payload made by the service's own ``deliberation_payload`` from one parsed sitting;
- ``sitting-exposes``: the same, the act's number also written into every paragraph of its
  exposé;

with a CPU timer
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
from bench_seance import sitting  # noqa: E402

from service.adapters.docx import (  # noqa: E402
    cache,
    core_properties,
    prepared,
    renderer,
    sitting_prefix,
    zipped,
)
from service.adapters.docx.renderer import DocxtplRenderer  # noqa: E402
from service.domain.payload import DeliberationPayload  # noqa: E402
from service.domain.seance import SeancePayload, deliberation_payload  # noqa: E402
from service.services.generate import identifier_of  # noqa: E402
from service.services.validation import validate_deliberation  # noqa: E402

SITTING_ACTS = 50
"""Acts of the sittings rendered in turn."""


def sitting_payloads(acts: int, own_exposes: bool) -> list[DeliberationPayload]:
    """Return the payloads of the acts of bench_seance.py's sitting of *acts* acts, each
    with an exposé of its own when *own_exposes*."""
    data = sitting(acts)
    if own_exposes:
        for i, delib in enumerate(data["deliberations"]):
            delib["expose"] = "\n\n".join(
                f"{paragraph} (acte {i + 1})" for paragraph in delib["expose"].split("\n\n")
            )
    seance = SeancePayload.model_validate(data)
    return [deliberation_payload(seance, i) for i in range(acts)]


CASES = ("dijon", "big", "sitting", "sitting-exposes")


def cases() -> dict[str, list[DeliberationPayload]]:
    """Return the payloads of each case, rendered in turn."""
    out = {name: [validate_deliberation(p)] for name, p in payloads().items()}
    out["sitting"] = sitting_payloads(SITTING_ACTS, own_exposes=False)
    out["sitting-exposes"] = sitting_payloads(SITTING_ACTS, own_exposes=True)
    return out


FAST_STEPS: list[tuple[int, str, object, str]] = [
    # (depth, label, owner, attribute)
    (0, "prepared_template (find the prepared file)", renderer, "prepared_template"),
    (0, "template_context (texts, counts, typography)", renderer, "template_context"),
    (0, "_blocs (exposé and articles as paragraphs)", renderer, "_blocs"),
    (0, "PreparedTemplate.render", prepared.PreparedTemplate, "render"),
    (1, "_body_pieces (document.xml's text)", prepared.PreparedTemplate, "_body_pieces"),
    (2, "SittingPrefix.start (kept per sitting)", sitting_prefix.SittingPrefix, "start"),
    (1, "_Filled.text (footer; a body not cut)", prepared._Filled, "text"),
    (1, "core.xml", core_properties.PreparedProperties, "render"),
    (1, "Archive.zip (deflate, zip)", zipped.Archive, "zip"),
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
    for name, models in cases().items():
        acts = [(m, identifier_of(m)) for m in models]
        r = DocxtplRenderer(fast=fast)
        for model, ident in acts[:5] if len(acts) > 1 else acts * 5:
            r.render_deliberation(model, ident)
        times: dict[str, list[float]] = defaultdict(list)
        totals = []
        for i in range(n):
            model, ident = acts[i % len(acts)]
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


# Run by the other checkout's interpreter in its own folder: only what both trees have.
_WORKER = """
import sys, time
sys.path.insert(0, "bench"); sys.path.insert(0, ".")
from bench_conversion import payloads
from bench_seance import sitting
from service.adapters.docx.renderer import DocxtplRenderer
from service.domain.seance import SeancePayload, deliberation_payload
from service.services.generate import identifier_of
from service.services.validation import validate_deliberation
ACTS = int(sys.argv[1])
def acts(own_exposes):
    data = sitting(ACTS)
    if own_exposes:
        for i, d in enumerate(data["deliberations"]):
            d["expose"] = "\\n\\n".join(
                f"{p} (acte {i + 1})" for p in d["expose"].split("\\n\\n"))
    seance = SeancePayload.model_validate(data)
    return [deliberation_payload(seance, i) for i in range(ACTS)]
cases = {k: [validate_deliberation(p)] for k, p in payloads().items()}
cases["sitting"] = acts(False)
cases["sitting-exposes"] = acts(True)
cases = {k: [(m, identifier_of(m)) for m in ms] for k, ms in cases.items()}
r = DocxtplRenderer()
for ms in cases.values():
    for m, ident in (ms * 5)[:5]:
        r.render_deliberation(m, ident)
print("ready", flush=True)
position = dict.fromkeys(cases, 0)
for line in sys.stdin:
    name, n = line.split()
    ms = cases[name]
    started = time.process_time()
    for _ in range(int(n)):
        m, ident = ms[position[name] % len(ms)]
        position[name] += 1
        r.render_deliberation(m, ident)
    print(time.process_time() - started, flush=True)
"""


def against(other: Path, n: int, rounds: int) -> None:
    trees = {"this tree": ROOT, str(other): other}
    workers = {}
    for label, tree in trees.items():
        proc = subprocess.Popen(
            [str(tree / ".venv" / "bin" / "python"), "-c", _WORKER, str(SITTING_ACTS)],
            cwd=tree, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        workers[label] = proc
    batch = max(1, n // rounds)
    try:
        for name in CASES:
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
