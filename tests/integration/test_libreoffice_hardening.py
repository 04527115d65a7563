"""LibreOffice under hostile load (issue 13, items 2 and 3): a memory cap on each soffice.bin,
its profile's hardening checked at each start, and conversions shared fairly between
authorities."""

from __future__ import annotations

import io
import logging
import threading
import time
from pathlib import Path

import docx
import pytest

from service.adapters.libreoffice.pool import LibreOfficePool
from service.adapters.libreoffice.worker import LibreOfficeWorker, WorkerOptions

pytestmark = pytest.mark.libreoffice


def make_docx(paragraphs: int, text: str = "Considérant la délibération du conseil.") -> bytes:
    document = docx.Document()
    for i in range(paragraphs):
        document.add_paragraph(f"{i} {text}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def limits_of(pid: int) -> str:
    return Path(f"/proc/{pid}/limits").read_text()


def test_each_soffice_bin_runs_under_its_memory_cap(tmp_path: Path) -> None:
    with LibreOfficePool(1, work_dir=tmp_path, memory_mb=900) as pool:
        pool.to_pdf(make_docx(3))
        pid = pool.workers[0].soffice_pid
        line = next(ln for ln in limits_of(pid).splitlines() if ln.startswith("Max data size"))
        assert line.split()[3:5] == [str(900 * 1024 * 1024)] * 2, line


def test_a_profile_whose_hardening_was_undone_is_not_used(tmp_path: Path, caplog) -> None:
    worker = LibreOfficeWorker(0, WorkerOptions(work_dir=tmp_path))
    worker.start()
    worker.stop()
    xcu = worker.profile / "user" / "registrymodifications.xcu"
    text = xcu.read_text(encoding="utf-8")
    marker = 'oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value>'
    assert marker in text
    xcu.write_text(text.replace(marker, marker.replace("<value>3<", "<value>0<")),
                   encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        worker.start()  # refused, then started again on a fresh, seeded profile
    try:
        assert "hardening settings not in force" in caplog.text
        assert "MacroSecurityLevel" in caplog.text
        assert marker in xcu.read_text(encoding="utf-8")
        assert worker.alive()
    finally:
        worker.kill()


def test_a_heavy_sitting_of_a_does_not_delay_a_light_act_of_b_beyond_one_conversion(
        tmp_path: Path) -> None:
    heavy, light = make_docx(1500), make_docx(3)
    done: list[str] = []
    with LibreOfficePool(1, work_dir=tmp_path, timeout=120, queue_timeout=300) as pool:
        def convert(name: str, tenant: str, document: bytes) -> None:
            pool.to_pdf(document, label=name, tenant=tenant)
            done.append(name)

        def start(name: str, tenant: str, document: bytes, waiting: int) -> threading.Thread:
            thread = threading.Thread(target=convert, args=(name, tenant, document))
            thread.start()
            deadline = time.monotonic() + 30
            while pool.slots.waiting < waiting and time.monotonic() < deadline:
                time.sleep(0.01)
            return thread

        threads = [start("A1", "242100410", heavy, 0)]
        time.sleep(0.2)  # A1 holds the one LibreOffice
        threads += [start(f"A{i}", "242100410", heavy, i - 1) for i in (2, 3, 4)]
        assert pool.slots.waiting == 3
        started_b = time.monotonic()
        threads.append(start("B", "200046977", light, 4))
        for thread in threads:
            thread.join(300)
        waited_b = time.monotonic() - started_b
    assert done == ["A1", "B", "A2", "A3", "A4"]
    # B waited for the end of A1's conversion and its own, not for A2-A4.
    assert done.index("B") == 1, waited_b
