"""In a real headless Chromium: a ticket taken by touch at the kiosk, called by an officer, shown on
the board; the kiosk goes back to its start page when left alone."""

from __future__ import annotations

import pytest

from tests.browser.pages import ARTIFACTS, login


def test_a_ticket_from_the_kiosk_is_called_and_shown_on_the_board(live_server, browser):
    kiosk = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True).new_page()
    kiosk.goto(f"{live_server}/kiosk")
    button = kiosk.get_by_role("button", name="Pengajuan berkas")
    box = button.bounding_box()
    assert box["height"] >= 80 and box["width"] >= 250  # large enough for a finger
    kiosk.screenshot(path=str(ARTIFACTS / "kiosk-home.png"), full_page=True)
    button.tap()
    number = kiosk.locator(".ticket-number").inner_text()
    assert number.startswith("B-")
    kiosk.screenshot(path=str(ARTIFACTS / "kiosk-ticket.png"), full_page=True)

    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(desk, live_server, "fo@demo.test")
    desk.goto(f"{live_server}/petugas/antrean")
    desk.get_by_label("Nomor loket Anda").fill("2")
    desk.get_by_role("button", name="Panggil berikutnya: Pengajuan berkas").click()
    assert desk.locator(".ticket-number").inner_text() == number

    board = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    board.goto(f"{live_server}/antrean/papan")
    line = board.locator(".board-line", has_text="Pengajuan berkas")
    assert number in line.inner_text() and "loket 2" in line.inner_text()
    board.screenshot(path=str(ARTIFACTS / "queue-board.png"), full_page=True)


@pytest.fixture
def quick_idle(app):
    """The kiosk's idle time shortened for the test (a minute in service)."""
    before, app.config["KIOSK_IDLE_SECONDS"] = app.config["KIOSK_IDLE_SECONDS"], 3
    yield
    app.config["KIOSK_IDLE_SECONDS"] = before


def test_the_kiosk_returns_to_its_start_page_when_left_alone(quick_idle, live_server, browser):
    kiosk = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True).new_page()
    kiosk.goto(f"{live_server}/kiosk")
    kiosk.get_by_role("button", name="Konsultasi dan informasi").tap()
    kiosk.locator(".ticket-number").wait_for()
    kiosk.wait_for_url(f"{live_server}/kiosk?lang=id", timeout=15_000)


def test_a_page_opened_from_the_kiosk_also_returns_to_it(quick_idle, live_server, browser):
    kiosk = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True).new_page()
    kiosk.goto(f"{live_server}/kiosk")
    kiosk.get_by_role("link", name="Lacak permohonan").tap()
    kiosk.wait_for_url(f"{live_server}/lacak")
    kiosk.wait_for_url(f"{live_server}/kiosk?lang=id", timeout=15_000)


def test_a_visitor_who_chose_english_leaves_the_kiosk_in_indonesian_for_the_next(quick_idle, live_server, browser):
    kiosk = browser.new_context(viewport={"width": 1080, "height": 1920}, has_touch=True).new_page()
    kiosk.goto(f"{live_server}/kiosk")
    kiosk.get_by_role("link", name="English").tap()
    kiosk.get_by_role("heading", name="Welcome").wait_for()
    kiosk.get_by_role("link", name="Track an application").tap()
    kiosk.get_by_role("heading", name="Track an Application").wait_for()
    kiosk.wait_for_url(f"{live_server}/kiosk?lang=id", timeout=15_000)
    kiosk.get_by_role("heading", name="Selamat datang").wait_for()
