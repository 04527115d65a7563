"""requirements.lock pins every dependency pyproject.toml declares, within its range."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]


def pins() -> dict[str, str]:
    text = (REPO / "requirements.lock").read_text(encoding="utf-8")
    return {canonicalize_name(name): version
            for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    locked = pins()
    assert len(locked) > len(declared)  # transitive dependencies are pinned too
    problems = []
    for line in declared:
        req = Requirement(line)
        version = locked.get(canonicalize_name(req.name))
        if version is None:
            problems.append(f"{req.name} is not in requirements.lock: run scripts/lock")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}=={version} is outside {req.specifier}: run scripts/lock")
    assert problems == []


def test_the_install_uses_the_lock() -> None:
    assert "-c requirements.lock" in (REPO / "scripts" / "install").read_text(encoding="utf-8")
    assert "-c requirements.lock" in (REPO / "Dockerfile").read_text(encoding="utf-8")
