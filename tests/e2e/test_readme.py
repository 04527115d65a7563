"""Every command block of the README runs as written, from the repository, and succeeds.

Each ```sh block is run by bash with ``set -e`` (a failing command fails the block), its exit
status checked. The blocks talking to ``http://127.0.0.1:8000`` run against a service started
here (``actes serve``) on a free port, the address rewritten to it; the blocks writing files run
in a temporary folder holding the repository's ``.venv`` and ``examples/``, so that nothing is
written into the repository. Two adjustments, said here rather than hidden:

- ``scripts/run`` serves until stopped: it is started (``ACTES_PORT``: a free port), must answer
  ``/healthz``, and is then stopped;
- the test commands run the suite: ``PYTEST_ADDOPTS`` narrows each to one test file (else this
  test would run the whole suite inside itself);
- the benchmarks take minutes and load every core: they run when ``ACTES_README_BENCH=1``, and
  the test says it skipped them otherwise.

A new block that fits none of these kinds fails the test until it is given one.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SERVICE = "http://127.0.0.1:8000"
NARROWED = "-p no:cacheprovider tests/e2e/test_cli.py"
"""What each test command of the README runs here: the CLI's tests (a few with LibreOffice)."""

pytestmark = pytest.mark.libreoffice


def sh_blocks() -> list[tuple[str, str]]:
    """Return each ```sh block of the README with the heading it sits under."""
    out, heading, inside, lines = [], "", False, []
    for line in README.read_text(encoding="utf-8").splitlines():
        if not inside and line.startswith("#"):
            heading = line.lstrip("# ").strip()
        if not inside and line.strip() == "```sh":
            inside, lines = True, []
        elif inside and line.strip() == "```":
            inside = False
            out.append((heading, "\n".join(lines)))
        elif inside:
            lines.append(line)
    return out


def kind(block: str) -> str:
    if block.lstrip().startswith("scripts/run"):
        return "setup"
    if SERVICE in block:
        return "http"
    if "scripts/bench" in block or "bench/" in block:
        return "bench"
    if "pytest" in block or "scripts/test" in block:
        return "tests"
    if block.lstrip().startswith((".venv/bin/actes", "ACTES_")):
        return "cli"
    return "unknown"


BLOCKS = sh_blocks()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_block(script: str, cwd: Path, env: dict[str, str], timeout: float = 900
              ) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


@contextmanager
def serving(command: list[str], cwd: Path, env: dict[str, str], port: int, log: Path,
            timeout: float) -> Iterator[None]:
    """Run *command* (a server) in its own process group until the block is done."""
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not healthy(port):
            assert proc.poll() is None, f"{command} stopped: {log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"{command} not up: {log.read_text()[-3000:]}"
            time.sleep(0.5)
        yield
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder laid out like the repository for the commands: .venv and examples/."""
    work = tmp_path / "work"
    work.mkdir()
    for name in (".venv", "examples"):
        (work / name).symlink_to(ROOT / name)
    return work


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ACTES_") and k != "PYTEST_ADDOPTS"}
    env.update(ACTES_DATA_DIR=str(tmp_path / "data"), ACTES_WORKERS="2", ACTES_POOL_SIZE="1",
               # scripts/test makes a fresh SoftHSM2 token: not the one this suite is using.
               ACTES_TEST_SOFTHSM_DIR=str(tmp_path / "softhsm"))
    return env


def test_every_block_has_a_kind_and_names_only_files_of_the_repository() -> None:
    assert BLOCKS, "no ```sh block in the README"
    assert [h for h, b in BLOCKS if kind(b) == "unknown"] == []
    tracked = set(subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                 check=True).stdout.split())
    for _, block in BLOCKS:
        for path in re.findall(r"(?:@|\s)((?:examples|scripts|bench)/[\w./-]+)", block):
            assert path in tracked, f"{path}, used by the README, is not in the repository"


@pytest.mark.parametrize("index", [i for i, (_, b) in enumerate(BLOCKS) if kind(b) == "http"])
def test_http_blocks_run_against_a_started_service(index: int, workdir: Path, env, tmp_path
                                                   ) -> None:
    heading, block = BLOCKS[index]
    port = free_port()
    with serving([str(ROOT / ".venv/bin/actes"), "serve", "--host", "127.0.0.1", "--port",
                  str(port)], workdir, env, port, tmp_path / "serve.log", timeout=180):
        result = run_block(block.replace(SERVICE, f"http://127.0.0.1:{port}"), workdir, env)
    assert result.returncode == 0, f"{heading}:\n{result.stdout}\n{result.stderr}"


@pytest.mark.parametrize("index", [i for i, (_, b) in enumerate(BLOCKS) if kind(b) == "cli"])
def test_cli_blocks_run(index: int, workdir: Path, env) -> None:
    heading, block = BLOCKS[index]
    env["ACTES_CONVERTER"] = "soffice"  # a cold LibreOffice per document: no pool to start
    result = run_block(block, workdir, env)
    assert result.returncode == 0, f"{heading}:\n{result.stdout}\n{result.stderr}"


def test_setup_block_installs_serves_and_tests(env, tmp_path: Path) -> None:
    (heading, block), = [(h, b) for h, b in BLOCKS if kind(b) == "setup"]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["scripts/run", "scripts/test"], "the README's two commands changed"
    port = free_port()
    with serving(["bash", "-c", "scripts/run"], ROOT, {**env, "ACTES_PORT": str(port)}, port,
                 tmp_path / "run.log", timeout=900):
        pass
    result = run_block("scripts/test", ROOT, {**env, "PYTEST_ADDOPTS": NARROWED}, timeout=1800)
    assert result.returncode == 0, f"{heading}:\n{result.stdout[-3000:]}\n{result.stderr}"


@pytest.mark.parametrize("index", [i for i, (_, b) in enumerate(BLOCKS) if kind(b) == "tests"])
def test_test_blocks_run(index: int, env) -> None:
    heading, block = BLOCKS[index]
    result = run_block(block, ROOT, {**env, "PYTEST_ADDOPTS": NARROWED}, timeout=1800)
    assert result.returncode == 0, f"{heading}:\n{result.stdout[-3000:]}\n{result.stderr}"


@pytest.mark.parametrize("index", [i for i, (_, b) in enumerate(BLOCKS) if kind(b) == "bench"])
def test_bench_blocks_run(index: int, env) -> None:
    heading, block = BLOCKS[index]
    result = run_block(block, ROOT, env, timeout=3600)
    assert result.returncode == 0, f"{heading}:\n{result.stdout[-3000:]}\n{result.stderr}"
