"""The warm LibreOffice pool against a real LibreOffice: conversions, crashes, hangs, limits;
then the pool server and its client, which share one pool between HTTP workers."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from pdftext import pdfa_declaration
from pypdf import PdfReader

from service.adapters.libreoffice.client import PoolClient
from service.adapters.libreoffice.limits import PdfLimits
from service.adapters.libreoffice.pool import LibreOfficePool
from service.adapters.libreoffice.server import PoolServerProcess
from service.adapters.libreoffice.worker import LibreOfficeWorker, WorkerOptions
from service.errors import ConversionError, ConversionTimeout, TooManyPages, Unavailable

pytestmark = pytest.mark.libreoffice

HANG = "BLOQUE-LA-CONVERSION"
PAUSE = "RALENTIT-LA-CONVERSION"


def make_docx(*paragraphs: str) -> bytes:
    """Return a small DOCX holding *paragraphs*."""
    document = docx.Document()
    document.add_heading("Extrait du registre des délibérations", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_text(pdf: bytes) -> str:
    """Return the text pdftotext finds in *pdf*, blanks collapsed."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def wait_until(predicate, timeout: float, step: float = 0.05) -> bool:
    """Return True as soon as *predicate()* holds, False after *timeout* seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def soffice_pid(pool: LibreOfficePool, index: int = 0) -> int:
    return pool.stats()["workers"][index]["soffice_pid"]


def is_running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def in_background(fn, *args, **kwargs) -> dict:
    """Run *fn* in a thread; the returned dict gets "result" or "error", and "thread"."""
    box: dict = {}

    def run() -> None:
        try:
            box["result"] = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc
        box["elapsed"] = time.monotonic() - started

    started = time.monotonic()
    box["thread"] = threading.Thread(target=run, daemon=True)
    box["thread"].start()
    return box


@pytest.fixture
def make_pool(tmp_path):
    pools: list[LibreOfficePool] = []

    def factory(**kwargs) -> LibreOfficePool:
        kwargs.setdefault("size", 1)
        kwargs.setdefault("timeout", 30)
        pool = LibreOfficePool(work_dir=tmp_path / f"pool-{len(pools)}", **kwargs)
        pools.append(pool)
        pool.start()
        return pool

    yield factory
    for pool in pools:
        pool.close()


def test_pdf_declares_pdfa_2b_and_holds_the_words(make_pool):
    pool = make_pool()

    pdf = pool.to_pdf(make_docx("Le conseil municipal approuve la convention d'aménagement."),
                      label="2019-013")

    assert pdfa_declaration(pdf) == ("2", "B")
    text = pdf_text(pdf)
    assert "Extrait du registre des délibérations" in text
    assert "approuve la convention d'aménagement" in text
    assert pool.registry.get_sample_value("actes_pdf_conversions_total") == 1
    assert pool.registry.get_sample_value("actes_pdf_conversion_seconds_count") == 1


def test_the_page_limit_counts_the_pages_libreoffice_laid_out(make_pool):
    three_pages = make_docx(*(["Le conseil approuve la convention."] * 3))
    document = docx.Document(io.BytesIO(three_pages))
    for paragraph in document.paragraphs[1:3]:
        paragraph.runs[0].add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    pool = make_pool(limits=PdfLimits(max_pages=2))

    with pytest.raises(TooManyPages, match="3 pages"):
        pool.to_pdf(out.getvalue(), label="l'acte 13")
    assert pool.workers[0].last_pages == 3  # counted by LibreOffice, not read in the PDF
    assert len(PdfReader(io.BytesIO(pool.to_pdf(make_docx("Une page.")))).pages) == 1


def test_to_pdf_many_uses_both_workers_and_keeps_the_order(make_pool):
    pool = make_pool(size=2)
    docs = [make_docx(f"Délibération numéro {n} adoptée.") for n in range(6)]

    pdfs = pool.to_pdf_many(docs, labels=[f"acte-{n}" for n in range(6)])

    assert [re.search(r"numéro (\d+)", pdf_text(p)).group(1) for p in pdfs] == [
        str(n) for n in range(6)
    ]
    per_worker = [w["conversions"] for w in pool.stats()["workers"]]
    assert sum(per_worker) == 6
    assert all(n > 0 for n in per_worker)


def test_soffice_killed_mid_conversion_is_retried_and_the_pool_heals(make_pool):
    pool = make_pool(_test_pause_marker=PAUSE)
    first_pid = soffice_pid(pool)

    job = in_background(pool.to_pdf, make_docx(f"Budget primitif {PAUSE}"), label="budget")
    assert wait_until(lambda: pool.stats()["workers"][0]["state"] == "busy", 5)
    time.sleep(0.8)  # inside the 2 s pause between load and export
    os.kill(first_pid, signal.SIGKILL)
    job["thread"].join(30)

    assert "error" not in job, job.get("error")
    assert "Budget primitif" in pdf_text(job["result"])
    assert pool.registry.get_sample_value(
        "actes_pdf_conversion_failures_total", {"kind": "crash"}) == 1
    assert pool.registry.get_sample_value(
        "actes_libreoffice_restarts_total", {"reason": "crash"}) == 1
    assert soffice_pid(pool) != first_pid
    assert not is_running(first_pid)
    assert "Compte administratif" in pdf_text(pool.to_pdf(make_docx("Compte administratif")))
    assert pool.is_ready()


def test_hanging_conversion_times_out_and_the_next_one_succeeds(make_pool):
    # The queue timeout is generous on purpose: the next conversion waits for the killed
    # LibreOffice to be replaced, which takes longer than 2 s on a loaded CI machine.
    pool = make_pool(timeout=2, queue_timeout=60, _test_hang_marker=HANG)
    first_pid = soffice_pid(pool)

    started = time.monotonic()
    with pytest.raises(ConversionTimeout):
        pool.to_pdf(make_docx(f"Document piégé {HANG}"), label="piege")
    elapsed = time.monotonic() - started

    assert 2 <= elapsed < 8
    assert not is_running(first_pid)
    pdf = pool.to_pdf(make_docx("Tarifs de la cantine scolaire"), label="tarifs")
    assert "Tarifs de la cantine scolaire" in pdf_text(pdf)
    assert soffice_pid(pool) != first_pid


def test_full_queue_answers_unavailable_with_retry_after(make_pool):
    pool = make_pool(timeout=4, max_queue=1, queue_timeout=30, _test_hang_marker=HANG)
    hanging = in_background(pool.to_pdf, make_docx(f"Bloquant {HANG}"))
    assert wait_until(lambda: pool.stats()["workers"][0]["state"] == "busy", 5)
    queued = in_background(pool.to_pdf, make_docx("Subvention aux associations"))
    assert wait_until(lambda: pool.stats()["queue_depth"] == 1, 5)

    started = time.monotonic()
    with pytest.raises(Unavailable) as refused:
        pool.to_pdf(make_docx("Une de trop"))

    assert time.monotonic() - started < 0.5
    assert refused.value.retry_after >= 1
    hanging["thread"].join(15)
    queued["thread"].join(30)
    assert isinstance(hanging.get("error"), ConversionTimeout)
    assert "Subvention aux associations" in pdf_text(queued["result"])


def test_is_ready_only_while_a_worker_is_alive(tmp_path):
    pool = LibreOfficePool(size=1, work_dir=tmp_path / "pool")
    try:
        assert not pool.is_ready()
        pool.start()
        assert pool.is_ready()

        os.kill(soffice_pid(pool), signal.SIGKILL)

        assert wait_until(lambda: not pool.is_ready(), 5)
        assert wait_until(pool.is_ready, 30)
        assert "Voirie communale" in pdf_text(pool.to_pdf(make_docx("Voirie communale")))
    finally:
        pool.close()
    assert not pool.is_ready()


def test_libreoffice_that_cannot_start_makes_the_pool_unavailable(tmp_path):
    pool = LibreOfficePool(size=1, work_dir=tmp_path / "pool", soffice="/bin/false")
    try:
        with pytest.raises(Unavailable):
            pool.start()
        assert not pool.is_ready()

        started = time.monotonic()
        with pytest.raises(Unavailable) as refused:
            pool.to_pdf(make_docx("Jamais converti"))
        assert time.monotonic() - started < 1
        assert refused.value.retry_after > 0
    finally:
        pool.close()


def test_recycling_after_n_conversions_replaces_soffice(make_pool):
    pool = make_pool(recycle_after=2)
    first_pid = soffice_pid(pool)

    pool.to_pdf(make_docx("Premier acte"))
    pool.to_pdf(make_docx("Deuxième acte"))

    assert wait_until(lambda: pool.stats()["restarts"] == 1 and pool.is_ready(), 30)
    assert soffice_pid(pool) != first_pid
    assert not is_running(first_pid)
    assert "Troisième acte" in pdf_text(pool.to_pdf(make_docx("Troisième acte")))
    assert pool.registry.get_sample_value(
        "actes_libreoffice_restarts_total", {"reason": "recycle"}) == 1


def _threads_cpus(pid: int) -> set[frozenset[int]]:
    """Return the CPU sets every thread of process *pid* may run on."""
    return {frozenset(os.sched_getaffinity(int(t))) for t in os.listdir(f"/proc/{pid}/task")}


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs 2 CPUs (CI has 2)")
def test_each_libreoffice_and_all_its_threads_run_on_a_cpu_of_its_own(make_pool):
    pool = make_pool(size=2, pin_cpus=True)
    first, second = sorted(os.sched_getaffinity(0))[:2]

    workers = pool.stats()["workers"]

    assert [w["cpu"] for w in workers] == [first, second]
    assert _threads_cpus(workers[0]["soffice_pid"]) == {frozenset({first})}
    assert _threads_cpus(workers[1]["soffice_pid"]) == {frozenset({second})}


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs 2 CPUs (CI has 2)")
def test_a_respawned_libreoffice_keeps_its_cpu(make_pool):
    pool = make_pool(size=2, pin_cpus=True)
    second = sorted(os.sched_getaffinity(0))[1]
    old = soffice_pid(pool, 1)

    os.kill(old, signal.SIGKILL)
    pool.to_pdf_many([make_docx(f"Acte {n}") for n in range(4)])  # finds it dead, respawns it

    assert wait_until(lambda: soffice_pid(pool, 1) not in (None, old) and pool.is_ready(), 30)
    assert _threads_cpus(soffice_pid(pool, 1)) == {frozenset({second})}


def test_a_cpu_that_cannot_be_used_leaves_libreoffice_unpinned_but_working(tmp_path):
    worker = LibreOfficeWorker(0, WorkerOptions(work_dir=tmp_path, cpus=(4095,)))
    try:
        worker.start()

        assert _threads_cpus(worker.soffice_pid) == {frozenset(os.sched_getaffinity(0))}
        pdf = worker.convert(make_docx("Acte converti malgré tout"), timeout=30, pdfa=True,
                             label="acte")
        assert "Acte converti malgré tout" in pdf_text(pdf)
    finally:
        worker.stop()


def test_unpinned_or_with_more_workers_than_cpus_the_scheduler_places_libreoffice(make_pool):
    everywhere = frozenset(os.sched_getaffinity(0))
    unpinned = make_pool(size=1)  # an in-process pool: the machine's pool server pins
    crowded = make_pool(size=len(everywhere) + 1, pin_cpus=True)

    assert unpinned.stats()["workers"][0]["cpu"] is None
    assert _threads_cpus(soffice_pid(unpinned)) == {everywhere}
    assert {w["cpu"] for w in crowded.stats()["workers"]} == {None}
    assert _threads_cpus(soffice_pid(crowded, 0)) == {everywhere}


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


def test_libreoffice_temporary_files_stay_in_the_pool_and_leave_with_it(make_pool, tmp_path):
    pool = make_pool()
    worker = pool.workers[0]
    first_pid = soffice_pid(pool)
    pool.to_pdf(make_docx("Premier acte"))

    assert _environ(first_pid)["TMPDIR"] == str(worker.tmp)
    first_folders = {p.name for p in worker.tmp.glob("lu*")}
    assert first_folders  # LibreOffice does write there

    os.kill(first_pid, signal.SIGKILL)  # a killed LibreOffice cleans nothing up itself
    assert "Second acte" in pdf_text(pool.to_pdf(make_docx("Second acte")))
    assert soffice_pid(pool) != first_pid
    assert not first_folders & {p.name for p in worker.tmp.glob("lu*")}

    pool.close()
    assert not worker.tmp.exists()


def test_soffice_above_the_memory_ceiling_is_recycled(make_pool):
    pool = make_pool(rss_ceiling_mb=50)  # a warm soffice.bin holds ~150 MiB
    first_pid = soffice_pid(pool)

    pool.to_pdf(make_docx("Rapport d'orientation budgétaire"))

    assert wait_until(lambda: pool.is_ready() and soffice_pid(pool) != first_pid, 30)
    assert pool.registry.get_sample_value(
        "actes_libreoffice_restarts_total", {"reason": "memory"}) == 1


def test_unreadable_document_is_a_conversion_error_without_retry(make_pool):
    pool = make_pool()
    pid = soffice_pid(pool)

    with pytest.raises(ConversionError) as failed:
        pool.to_pdf(b"PK\x03\x04 ceci n'est pas un document Word", label="corrompu")

    assert not isinstance(failed.value, ConversionTimeout)
    assert "corrompu" in failed.value.message
    assert pool.stats()["failures"] == 1
    assert pool.stats()["restarts"] == 0
    assert soffice_pid(pool) == pid
    assert "Marché public" in pdf_text(pool.to_pdf(make_docx("Marché public")))


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def test_document_cannot_make_libreoffice_fetch_a_linked_image(make_pool):
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_OPTIONS = do_HEAD = do_GET  # noqa: N815

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        document = docx.Document()
        document.add_paragraph("Plan cadastral joint")
        document.add_picture(io.BytesIO(_png()))
        url = f"http://127.0.0.1:{server.server_address[1]}/plan.png"
        rid = document.part.relate_to(url, RT.IMAGE, is_external=True)
        blip = document.element.body.xpath(".//a:blip")[0]
        del blip.attrib[qn("r:embed")]
        blip.set(qn("r:link"), rid)
        out = io.BytesIO()
        document.save(out)

        pdf = make_pool().to_pdf(out.getvalue(), label="lien-externe")
    finally:
        server.shutdown()
        server.server_close()

    assert "Plan cadastral joint" in pdf_text(pdf)
    assert hits == []


# -- one pool per machine: the server and its client ------------------------------------------


@pytest.fixture(scope="module")
def socket_dir():
    # A Unix socket path must stay under 108 bytes: pytest's tmp_path can be longer.
    path = Path(tempfile.mkdtemp(prefix="actes-lo-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def server(socket_dir):
    process = PoolServerProcess(
        socket_dir / "pool.sock",
        args=["--size", "1", "--timeout", "3", "--max-queue", "0",
              "--work-dir", str(socket_dir / "work"), "--test-hang-marker", HANG],
    )
    client = process.start()
    yield process, client
    process.stop()


def test_client_converts_through_the_server(server):
    _, client = server

    pdf = client.to_pdf(make_docx("Le conseil approuve le plan local d'urbanisme."), label="plu")

    assert pdfa_declaration(pdf) == ("2", "B")
    assert "approuve le plan local d'urbanisme" in pdf_text(pdf)
    assert client.is_ready()
    assert client.stats()["size"] == 1
    assert b"actes_pdf_conversions_total" in client.metrics()


def test_to_pdf_many_through_the_server_keeps_the_order(server):
    _, client = server

    pdfs = client.to_pdf_many([make_docx(f"Avenant {n}") for n in (1, 2, 3)])

    assert [pdf_text(p).split()[-1] for p in pdfs] == ["1", "2", "3"]


def test_server_errors_come_back_as_the_same_service_errors(server):
    _, client = server

    with pytest.raises(ConversionError) as refused:
        client.to_pdf(b"pas un document", label="illisible")
    assert type(refused.value) is ConversionError

    hanging = in_background(client.to_pdf, make_docx(f"Piège {HANG}"), label="piege")
    assert wait_until(lambda: client.stats()["workers"][0]["state"] == "busy", 5)
    with pytest.raises(Unavailable) as busy:
        client.to_pdf(make_docx("Pendant ce temps"))
    assert busy.value.retry_after >= 1
    hanging["thread"].join(15)
    assert isinstance(hanging.get("error"), ConversionTimeout)
    assert hanging["elapsed"] < 6

    assert wait_until(client.is_ready, 30)
    assert "Après la panne" in pdf_text(client.to_pdf(make_docx("Après la panne")))


def test_no_server_means_unavailable(socket_dir):
    client = PoolClient(socket_dir / "nobody.sock")

    assert not client.is_ready()
    with pytest.raises(Unavailable) as refused:
        client.to_pdf(make_docx("Sans serveur"))
    assert refused.value.retry_after > 0


def test_stopping_the_server_stops_libreoffice_and_removes_the_socket(socket_dir):
    path = socket_dir / "short-lived.sock"
    process = PoolServerProcess(path, args=["--size", "1"])
    client = process.start()
    pid = client.stats()["workers"][0]["soffice_pid"]
    assert is_running(pid)

    process.stop()

    assert wait_until(lambda: not is_running(pid), 5)
    assert not path.exists()
    assert not client.is_ready()


def test_the_pool_server_pins_its_libreoffice_unless_told_not_to(socket_dir):
    first = min(os.sched_getaffinity(0))
    for args, expected in ((["--size", "1"], first), (["--size", "1", "--no-pin-cpus"], None)):
        process = PoolServerProcess(socket_dir / "pin.sock", args=args)
        client = process.start()
        try:
            worker = client.stats()["workers"][0]
            assert worker["cpu"] == expected
            assert _threads_cpus(worker["soffice_pid"]) == {
                frozenset({first}) if expected is not None
                else frozenset(os.sched_getaffinity(0))}
        finally:
            process.stop()
