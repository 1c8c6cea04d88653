"""A live server and Debian's headless Chromium."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.pages import ARTIFACTS

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason="Debian chromium is installed by .ci/run")
        for item in items:
            if "browser" in str(item.fspath):
                item.add_marker(skip)


class IndonesianBrowser:
    """The browser as most of the agency's staff and citizens have it: Indonesian first in
    Accept-Language (Playwright sends en-US unless a context names its locale)."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        return self._browser.new_context(**{"locale": "id-ID", **options})

    def new_page(self, **options):
        return self._browser.new_page(**{"locale": "id-ID", **options})

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield IndonesianBrowser(instance)
        instance.close()
