"""``/docs`` shows the API in a real browser, every file served by the service itself.

The app is served on 127.0.0.1 by Werkzeug; Debian's Chromium, driven by Playwright, loads the
page under its Content-Security-Policy. Every request the page makes is recorded: none may leave
the machine, and the browser must report no refused script or style.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app's base URL on 127.0.0.1, served by Werkzeug in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def test_docs_page_shows_the_api_without_leaving_the_machine(served: str) -> None:
    requested: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda r: requested.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            response = page.goto(f"{served}/docs")
            assert response is not None and response.ok
            assert "default-src 'self'" in response.headers["content-security-policy"]
            operation = page.locator(".opblock-post").filter(
                has=page.locator('.opblock-summary-path[data-path="/v1/deliberations"]'))
            expect(operation).to_be_visible(timeout=30_000)
            expect(page.locator(".info .title")).to_contain_text("Service des actes")
            operation.locator(".opblock-summary").click()  # the example body of the operation
            expect(operation.locator(".body-param__example")).to_contain_text(
                "Dijon Métropole", timeout=10_000)
            page.wait_for_load_state("networkidle")
        finally:
            browser.close()

    origin = urlsplit(served).netloc
    assert any(u.endswith("/openapi.json") for u in requested), requested
    leaving = [u for u in requested
               if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != origin]
    assert leaving == [], leaving
    assert errors == [], errors
