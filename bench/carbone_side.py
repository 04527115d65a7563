"""Carbone, driven from the benchmark: installed from its lock file, run as one Node process.

:func:`install` runs ``npm ci`` in ``bench/carbone/`` (only when ``package-lock.json`` changed
since the last install), so the version measured is the pinned one, never a hand-installed one.
:class:`Carbone` starts ``bench/carbone/render.js`` on a template and its data and asks it for
one render at a time; each call returns the time Node measured around ``carbone.render`` (the
pipe to this process is not counted: Carbone's side is timed as favourably as it can be).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent / "carbone"
MARK = HERE / "node_modules" / ".installed-lock.json"


def install() -> str | None:
    """Install the pinned Carbone; return why it cannot be, or None when it is there."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        return "node and npm are not installed (scripts/install with EXTRAS=[test] installs them)"
    lock = HERE / "package-lock.json"
    if MARK.is_file() and MARK.read_bytes() == lock.read_bytes():
        return None
    run = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE,
                         capture_output=True, text=True)
    if run.returncode != 0:
        return f"npm ci failed: {run.stderr.strip()[-500:]}"
    shutil.copyfile(lock, MARK)
    return None


def version() -> str:
    pkg = HERE / "node_modules" / "carbone" / "package.json"
    return json.loads(pkg.read_text("utf-8"))["version"]


class Carbone:
    """One Carbone process rendering *template* with *data* to PDF, *factories* LibreOffices."""

    def __init__(self, template: Path, data: Path, factories: int, work: Path) -> None:
        # Carbone starts the first soffice.bin on PATH and drives it with the first python3 on
        # PATH, which must have LibreOffice's uno: Debian's own, not the venv's.
        env = {**os.environ, "PATH": f"/usr/lib/libreoffice/program:/usr/bin:{os.environ['PATH']}",
               "HOME": str(work), "TMPDIR": str(work)}
        env.pop("VIRTUAL_ENV", None)
        self.proc = subprocess.Popen(
            ["node", str(HERE / "render.js"), str(template), str(data), str(factories)],
            cwd=work, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        ready = self._answer()
        if not ready.get("ready"):
            self.close()
            raise RuntimeError(f"Carbone did not start: {ready}")

    def _answer(self) -> dict:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("Carbone's process ended")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"Carbone: {answer['error']}")
        return answer

    def render(self, save: Path | None = None) -> float:
        """Render once; return Carbone's own time in seconds (write the PDF to *save*)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"save {save}\n" if save else "render\n")
        self.proc.stdin.flush()
        return self._answer()["ms"] / 1000

    def close(self) -> None:
        try:
            os.killpg(self.proc.pid, 15)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
